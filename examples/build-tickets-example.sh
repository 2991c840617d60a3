#!/usr/bin/env bash
# Rebuild the example store `tickets.example/` from scratch, using nothing but real `tkt` commands.
#
#   examples/build-tickets-example.sh [OUT_DIR]      # default: tickets.example at the repository root
#   TKT=/path/to/tkt examples/build-tickets-example.sh /tmp/store
#
# Every command runs with an explicit, strictly increasing --now, so the same commands with the same clock give
# the same bytes: run it twice and `git diff` shows nothing. The store tells ten working days at Acme's
# support desk, taken from the scenarios in the domain documents (CCs, followers, side conversations).
set -euo pipefail
trap 'echo "build-tickets-example: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TKT=${TKT:-$root/target/debug/tkt}
OUT=${1:-$root/tickets.example}

if [[ -e $OUT && ! -f $OUT/tkt.yaml ]]; then
    echo "build-tickets-example: $OUT exists and is not a tkt store; not deleting it" >&2
    exit 1
fi
if [[ ! -x $TKT ]]; then
    echo "build-tickets-example: no tkt binary at $TKT (run cargo build, or set TKT)" >&2
    exit 1
fi
rm -rf "$OUT"

# The clock. `day 2026-03-02` sets the date, `at 09:15` the time; each step must be later than the last.
DAY="" NOW="" last=""
day() { DAY=$1; }
at() {
    NOW="${DAY}T$1:00Z"
    if [[ -n $last && ! $NOW > $last ]]; then
        echo "build-tickets-example: the clock went backwards: $NOW after $last" >&2
        exit 1
    fi
    last=$NOW
}
# tkt AS ARGS...: run tkt on the store as AS ("-" for no actor) at the current clock.
tkt() {
    local as=$1
    shift
    if [[ $as == - ]]; then
        "$TKT" -q -C "$OUT" --now "$NOW" "$@"
    else
        "$TKT" -q -C "$OUT" --now "$NOW" --as "$as" "$@"
    fi
}

day 2026-03-01
at 18:00
"$TKT" -q --now "$NOW" init "$OUT"

# Settings: the desk's own addresses and the internal mail domain can never be CC'd; an agent added as a CC is
# allowed with a warning (the mistake ticket 8 shows).
cat >"$OUT/tkt.yaml" <<'YAML'
# tkt store settings for Acme's support desk.
cc_limit: 48
cc_blocklist:
  - "*@support.acme.example"     # the helpdesk's internal routing addresses
support_addresses:
  - support@acme.example
  - billing@acme.example
agent_cc: warn                    # an agent added as a CC: allowed, with a warning
YAML

# The team.
at 18:01
tkt - person add ada --name "Ada Lindqvist" --email ada@acme.example --role admin
tkt - person add mette --name "Mette Hansen" --email mette@acme.example --role agent      # team lead, mentor
tkt - person add jonas --name "Jonas Berg" --email jonas@acme.example --role agent        # new agent
tkt - person add sofie --name "Sofie Dam" --email sofie@acme.example --role agent
tkt - person add kasper --name "Kasper Nørgaard" --email kasper@acme.example --role agent # billing
tkt - person add anders --name "Anders Holm" --email anders@acme.example --role agent     # integration specialist
tkt - person add peter --name "Peter Dahl" --email peter@acme.example --role agent        # tech lead
tkt - person add maria --name "Maria Jensen" --email maria@acme.example --role agent      # customer success
tkt - person add lise --name "Lise Møller" --email lise@acme.example --role light-agent   # product owner
tkt - person add sanne --name "Sanne Krogh" --email sanne@acme.example --role light-agent # head of sales
tkt - person add karen --name "Karen Juul" --email karen@acme.example --role light-agent  # legal
# Customers and partners who have written before (others are just addresses).
tkt - person add ana --name "Ana Silva" --email ana@customer.example --role end-user
tkt - person add bob --name "Bob Field" --email bob@agency.example --role end-user
tkt - person add lars --name "Lars Kjær" --email lars@kjaer-bageri.example --role end-user
tkt - person add frida --name "Frida Lund" --email frida@lundstudio.example --role end-user
tkt - person add henrik --name "Henrik Fjord" --email henrik@fjordlogistik.example --role end-user
tkt - person add olivia --name "Olivia Park" --email olivia@nordic-retail.example --role end-user
tkt - person add nils --name "Nils Vestergaard" --email nils@snedkeriet.example --role end-user
tkt - person add camilla --name "Camilla Strand" --email camilla@hotel-strand.example --role end-user
tkt - person add tobias --name "Tobias Krag" --email tobias@krag-maskin.example --role end-user
tkt - person add emma --name "Emma Friis" --email emma@friskole.example --role end-user

# The templates `tkt init` wrote name no participants (a new store has no people); this desk names its own:
# Mette is the team lead, Kasper does billing, Lise owns the product.
adapt() { sed -i "s/^# with: \[$2\]\$/with: [$3]/" "$OUT/templates/$1.yaml"; grep -q "^with: \[$3\]\$" "$OUT/templates/$1.yaml"; }
adapt escalate LEAD mette
adapt ask-billing BILLING kasper
adapt product-feedback OWNER lise

# ── Monday 2 March ──────────────────────────────────────────────────────────────────────────────────────────────
day 2026-03-02

# 1. Project collaboration: an integration built by an external agency. The agency is a CC; the error logs are
#    discussed in a side conversation the agency cannot see; an @mention in an internal note makes the team lead
#    a follower; the answer goes to both. (No blank lines in these bodies: README.md quotes this ticket.)
at 08:55
sync=$(tkt jonas new --subject "Webshop orders stopped syncing to our ERP" \
    --requester ana@customer.example --assignee jonas --group Support --priority high \
    --tag integration --tag webshop -m - <<'EOF'
Hi, since Friday afternoon none of our webshop orders reach our ERP. About a hundred orders are waiting.
The shop was built by our agency, Field & Co. Please include Bob Field (bob@agency.example), he knows the
integration.
Best regards, Ana Silva, Customer A/S
EOF
)
at 09:02
tkt jonas cc add "$sync" bob@agency.example
at 09:05
tkt jonas comment "$sync" --public -m "Hi Ana, thank you. I have added Bob Field from Field & Co as a CC so he can follow along and reply here. Bob, do you see any errors on the shop side since Friday?"
at 09:06
tkt jonas status "$sync" open

# 2. Skills development: the new agent gets an advanced question; the mentor follows and reviews his draft.
at 09:20
mentor=$(tkt lars@kjaer-bageri.example new --subject "Approval rule for purchase orders over 10,000 DKK" \
    --requester lars@kjaer-bageri.example -m "Hello, we want every purchase order above 10,000 DKK to be approved by our head chef before it is sent to the supplier. Can the system do that? Regards, Lars")
at 09:24
tkt jonas assign "$mentor" jonas
at 09:25
tkt jonas status "$mentor" open
at 09:26
tkt jonas follower add "$mentor" mette
at 09:31
tkt jonas comment "$mentor" -m - <<'EOF'
Mette, you are added as a follower since you know purchase approvals well. I am unsure of the best solution:
an approval chain, or a spending limit per user? Can you review my draft reply before I send it?

Draft: "Hi Lars, yes: under Settings > Purchasing > Approvals, create a rule 'Amount over 10,000 DKK'
and choose your head chef as approver."
EOF

# 3. Expert consultation: an old macOS version; the specialist answers in a side conversation.
at 09:40
pdf=$(tkt frida@lundstudio.example new --subject "PDF export crashes on macOS 10.14" \
    --requester frida@lundstudio.example \
    -m "The app closes as soon as I press Export > PDF. Other exports work. I'm on a 2015 iMac with macOS 10.14.6. Frida")

at 09:48
tkt mette comment "$mentor" -m "Good draft, an approval rule is right for them. Add that the rule only applies to new orders, so orders already sent are not held back. Otherwise send it."
at 09:55
# The reviewed draft goes out as it was agreed: a deliberate copy of the note, so --force past the leak guard.
tkt jonas comment "$mentor" --public --force -m - <<'EOF'
Hi Lars,

Yes. Under Settings > Purchasing > Approvals, create a rule "Amount over 10,000 DKK" and choose your head
chef as approver. The rule applies to new purchase orders; orders already sent are not affected.

Kind regards,
Jonas, Acme Support
EOF
at 09:56
tkt jonas status "$mentor" solved

at 10:02
tkt sofie assign "$pdf" sofie
at 10:03
tkt sofie status "#$pdf" open
at 10:04
tkt sofie tag "$pdf" --add pdf-export --add macos
at 10:05
tkt sofie side open "$pdf" --subject "macOS 10.14 PDF export" --with anders \
    -m "Hi Anders, can you help clarify an error on macOS 10.14 for the customer on this ticket? The app crashes when they export a PDF." >/dev/null

at 10:12
tkt bob@agency.example comment "$sync" -m "Hi all, the shop log shows HTTP 401 on every call to your ERP connector since Friday 16:02. Could you send me the connector's error log on your side, so we can compare?"
at 10:20
side_logs=$(tkt jonas side open "$sync" --subject "Connector error log for Customer A/S" --with anders \
    -m "Anders, Bob from the agency (on CC) asks for our connector error log. What does it show for shop 4471, and what may we share with the agency?")

at 10:31
tkt anders side reply "$pdf" 1 -m "Yes, that is a known limitation on 10.14: the PDF engine needs 10.15. The solution is to update to 10.15 or use our web export. Guide: https://help.acme.example/pdf-web-export"
at 10:34
tkt sofie side resolve "$pdf" 1
at 10:36
tkt sofie comment "$pdf" --public -m "Hi Frida, this is a known limitation on macOS 10.14: the PDF export needs 10.15 or later. Please update macOS, or use our web export in the meantime: https://help.acme.example/pdf-web-export"
at 10:37
tkt sofie status "$pdf" solved

at 10:44
tkt anders side reply "$sync" "$side_logs" -m "Every call since Fri 27 Feb 16:02 fails with 401 invalid_token: someone at Customer A/S renewed their API token that afternoon, and the shop still sends the old one. Please don't forward the raw log, it has other tenants' hostnames in it."
at 10:50
tkt jonas comment "$sync" -m - <<'EOF'
@mette Anders found it: the API token was renewed on Friday and the shop still sends the old one.
How much of the log analysis should I share with the agency? My draft says only that the token is outdated
and asks Ana to create a new one.
EOF
at 10:58
tkt mette comment "$sync" -m "Right call. No raw log and no hostnames. Ana must create the token herself: the agency should not get admin access to their account."
at 11:00
tkt jonas side resolve "$sync" "$side_logs"
at 11:05
tkt jonas comment "$sync" --public -m - <<'EOF'
Hi Ana and Bob, thank you for the details. Our connector log confirms the 401 errors: the API token was
renewed on 27 February, and the shop still uses the old one.
Ana, please create a new token under Settings > Integrations > API tokens and send it to Bob securely.
Bob, once it is in the shop settings, the waiting orders will sync on their own.
Kind regards, Jonas, Acme Support
EOF
at 11:06
tkt jonas status "$sync" pending

# 4. Escalation: a very dissatisfied customer; billing hands over to the customer success manager.
at 11:30
invoice=$(tkt kasper new --subject "Invoice 12345 charges 40 seats, we have 25" \
    --requester henrik@fjordlogistik.example --assignee kasper --group Billing --priority urgent \
    --tag invoice --tag churn-risk -m - <<'EOF'
Invoice 12345 charges us for 40 seats again. We have had 25 seats since January, and this is the third
time I write about it. If it is not fixed this week, we will cancel our subscription.

Henrik Fjord, Fjord Logistik
EOF
)
at 11:41
tkt kasper comment "$invoice" --public -m "Hi Henrik, I am sorry, you should not have to write about this again. I can see 25 active seats since 6 January. I am looking into why the invoice still says 40 and will come back to you today."
at 11:42
tkt kasper status "$invoice" open
at 12:15
tkt henrik@fjordlogistik.example comment "$invoice" -m "You said the same in January. I want a corrected invoice and a credit for the previous two, or we leave."
at 12:24
tkt kasper comment "$invoice" -m "Summary: billing still has 40 seats from the old contract, so invoices 11790 and 12101 were wrong too (15 seats x 2 months). A credit needs CSM approval."
at 12:30
handover=$(tkt kasper side open "$invoice" --subject "Handover: invoice 12345, customer threatens to cancel" \
    --with maria -m - <<'EOF'
Hi Maria, I have just had a very frustrated conversation with this customer regarding invoice 12345.
They are threatening to cancel. I have explained the seat count and the correction to them, but they will
not budge. Can you take over? I am still available if you need input from my conversation with them.
EOF
)

# 5. Cross-department coordination: a prospect's technical question, with tech and sales in one room (the
#    head of sales joins through an @mention). The prospect later copies two colleagues in one go.
at 13:10
api=$(tkt olivia@nordic-retail.example new --subject "API limits on the Enterprise plan" \
    --requester olivia@nordic-retail.example \
    -m "Hi, we are evaluating your Enterprise plan with Sanne from your sales team. How many API requests per minute does it allow, and are bulk endpoints counted per item? Olivia Park, Nordic Retail")

at 13:14
tkt maria side reply "$invoice" "$handover" -m "Thanks, I'll take it now. I'll call them within an hour."
at 13:16
tkt kasper assign "$invoice" maria
at 13:17
tkt kasper side resolve "$invoice" "$handover"

at 13:25
tkt sofie assign "$api" sofie
at 13:26
tkt sofie status "$api" open
at 13:30
tkt sofie tag "$api" --add api --add presales
at 13:32
tkt sofie side open "$api" --subject "API limits for Enterprise (prospect)" --with peter -m - >/dev/null <<'EOF'
Hi Peter and @sanne, a potential customer (whom Sanne is in dialogue with) is asking about API limits for the
Enterprise plan. Peter, can you confirm the figures? Sanne, can you approve the answer before I send it?
EOF

at 14:05
tkt maria comment "$invoice" --public -m - <<'EOF'
Hi Henrik, thank you for taking my call. As agreed: we credit the 15 extra seats on invoices 11790, 12101
and 12345, and from April your invoice shows 25 seats. You will receive the credit note by email.

Maria Jensen, Customer Success
EOF
at 14:09
tkt maria follower add "$invoice" kasper
at 14:10
tkt maria comment "$invoice" -m "Credit note requested from Finance (FIN-2291). On hold until Finance has issued it."
at 14:11
tkt maria status "$invoice" on-hold

at 14:20
tkt peter side reply "$api" 1 -m "Enterprise: 600 requests per minute per token, up to 10 tokens, bursts of 1,000. Bulk endpoints count as one request per 100 items."
at 14:48
tkt sanne side reply "$api" 1 -m "Confirmed, you can send it. Please add that higher limits can be part of the agreement we are discussing."

# ── Tuesday 3 March ─────────────────────────────────────────────────────────────────────────────────────────────
day 2026-03-03

at 08:40
tkt bob@agency.example comment "$sync" -m "Good morning, the new token is in place and the 112 waiting orders went through during the night."
at 08:55
tkt ana@customer.example comment "$sync" -m "Confirmed, all orders are in the ERP now. Thank you both!"
at 09:10
tkt jonas comment "$sync" --public -m "Great to hear, thank you both. I will mark this as solved; just reply here if anything comes up."
at 09:11
tkt jonas status "$sync" solved
at 09:15
side_renewal=$(tkt jonas side open "$sync" --subject "Customer A/S: three days without order sync" --with maria \
    -m "Maria, FYI: Customer A/S had 112 orders stuck for three days (their own token change, now fixed). They renew in April; you may want to check in with Ana.")

at 09:30
tkt sofie side resolve "$api" 1
at 09:34
# Peter's figures, approved by Sanne, go to the customer as he wrote them: deliberate, so --force.
tkt sofie comment "$api" --public --force -m - <<'EOF'
Hi Olivia,

The Enterprise plan allows 600 API requests per minute per token, with up to 10 tokens and bursts of up to
1,000 requests. Bulk endpoints count as one request per 100 items. Higher limits can be part of your
agreement: Sanne will be happy to discuss them with you.

Best regards,
Sofie, Acme Support
EOF
at 09:35
tkt sofie status "$api" pending
at 09:50
tkt olivia@nordic-retail.example cc add "$api" jon.dahl@nordic-retail.example pia@kodehuset.example

# 6. Product feedback: a feature idea goes straight to the product owner.
at 10:02
idea=$(tkt nils@snedkeriet.example new --subject "Edit prices on many products at once?" \
    --requester nils@snedkeriet.example \
    -m "We have 800 products and change prices twice a year. Today we edit them one by one. Could you add a way to select many products and change them together? Nils, Snedkeriet")
at 10:10
tkt mette assign "$idea" mette
at 10:11
tkt mette status "$idea" open
at 10:12
tkt mette tag "$idea" --add feature-request --add batch-editing
at 10:15
tkt mette side open "$idea" --subject "Feature idea: batch editing of products" --with lise -m - >/dev/null <<'EOF'
Hi Lise, take a look at this ticket. The customer is suggesting a "batch editing" feature that would really
make a difference for them. This is the third customer this month to mention something similar. Do you think
it should be considered for the roadmap?
EOF

at 11:20
tkt maria side reply "$sync" "$side_renewal" -m "Thanks Jonas, I will call Ana next week about the renewal."
at 11:21
tkt maria side resolve "$sync" "$side_renewal"

at 13:02
tkt lise side reply "$idea" 1 -m "Fantastic feedback! I have just created PROD-812 in Jira and linked it to this ticket. Thanks for flagging it!"
at 13:05
tkt lise comment "$idea" -m "For the record: batch editing is tracked as PROD-812, planned for discovery in Q2."
at 13:10
tkt mette side resolve "$idea" 1
at 13:15
tkt mette comment "$idea" --public -m "Hi Nils, thank you for the idea! Our product team has registered it, and several customers have asked for the same. We cannot promise a date yet, but we will write here when there is news."
at 13:16
tkt mette status "$idea" solved

# 7. "A customer responds to an internal note": a question for a colleague was posted publicly by mistake.
at 14:00
discount=$(tkt camilla@hotel-strand.example new --subject "Loyalty discount on our renewal" \
    --requester camilla@hotel-strand.example \
    -m "Hello, our subscription renews on 1 April. Can we get the loyalty discount this year? Camilla Strand, Hotel Strand")
at 14:08
tkt sofie assign "$discount" sofie
at 14:09
tkt sofie status "$discount" open
at 14:10
tkt sofie tag "$discount" --add renewal
at 14:12
tkt sofie comment "$discount" --public -m "Kasper, they have paid late twice this year. Are they still eligible for the loyalty discount?"
at 14:40
tkt camilla@hotel-strand.example comment "$discount" -m "Excuse me, paid late twice? We have paid every invoice within the terms."
at 14:46
tkt sofie make-private "$discount" 2
at 14:50
tkt sofie comment "$discount" --public -m "Hi Camilla, I am very sorry: my previous message was an internal note to a colleague and was sent to you by mistake. I have removed it from the conversation. I will come back to you about the discount shortly."
at 14:52
tkt sofie side open "$discount" --subject "Loyalty discount: Hotel Strand" --with kasper \
    -m "Kasper, are Hotel Strand eligible for the loyalty discount? Our records show two late payments, but the customer says they paid on time." >/dev/null

# ── Wednesday 4 March ───────────────────────────────────────────────────────────────────────────────────────────
day 2026-03-04

# 8. "A follower cannot see a side conversation": a colleague was added as a CC instead of a follower. Peter
#    sees the internal notes but not the side conversation with Ada, and the customer sees Peter's address.
at 08:30
licence=$(tkt anders new --subject "Licence server unreachable after firewall change" \
    --requester tobias@krag-maskin.example --assignee anders --group "Tier 2" --tag licence-server -m - <<'EOF'
After our IT changed the firewall yesterday, none of the 14 workstations can reach the licence server.
The server runs, but clients say "no licence available". We have moved it to a new host name:
lic02.krag-maskin.local.

Tobias Krag, IT, Krag Maskinfabrik
EOF
)
at 08:35
tkt anders status "$licence" open
at 08:40
tkt anders cc add "$licence" peter
at 08:45
tkt anders side open "$licence" --subject "Reissue licence file for new host name" --with ada \
    -m "Ada, can you reissue Krag Maskinfabrik's licence file for the new host name lic02.krag-maskin.local?" >/dev/null
at 08:50
tkt anders comment "$licence" -m "Peter, I have asked Ada to reissue the licence file (see the side conversation). Can you check the port list we sent them? They may have closed 27000-27009."
at 09:05
tkt ada side reply "$licence" 1 -m "Done: the new licence file for lic02.krag-maskin.local is in their download area."
at 09:20
# Ada's answer passed on in Anders's words, with her host name and phrasing: deliberate, so --force.
tkt anders comment "$licence" --public --force -m "Hi Tobias, a new licence file for lic02.krag-maskin.local is ready in your download area. Please also check that ports 27000-27009 are open in the new firewall."
at 09:40
tkt tobias@krag-maskin.example comment "$licence" -m "Hi Anders and Peter, nice to hear from you again. The ports were closed. Opened now, 9 of 14 clients work. We will install the new licence file this afternoon."

# 9. A solved ticket reopened by the requester's reply.
at 10:00
sms=$(tkt emma@friskole.example new --subject "Two-factor codes arrive late by SMS" \
    --requester emma@friskole.example \
    -m "Our teachers get the login code by SMS 5-10 minutes late, so it has expired when it arrives. Emma Friis, Friskolen")
at 10:10
tkt jonas assign "$sms" jonas
at 10:11
tkt jonas status "$sms" open
at 10:12
tkt jonas tag "$sms" --add 2fa --add sms
at 10:45
tkt jonas comment "$sms" --public -m "Hi Emma, our SMS provider had delays for Danish numbers this morning. It has been fixed, and codes now arrive within seconds. Please let us know if you still see delays."
at 10:46
tkt jonas status "$sms" solved

# 10. Expert consultation with legal: ask the team lead first; she invites the right expert.
at 11:00
gdpr=$(tkt sofie new --subject "Request to delete a former employee's data" \
    --requester ana@customer.example --group Support --tag gdpr -F <(cat <<'EOF'
Hi, a former employee of ours has asked us to delete all personal data about her. Can you delete her user
and everything she has created in the system? Her user is k.moeller@customer.example.

Ana Silva, Customer A/S
EOF
))
at 11:05
tkt sofie assign "$gdpr" sofie
at 11:06
tkt sofie status "$gdpr" open
at 11:10
tkt sofie side open "$gdpr" --subject "Deletion request: who decides?" --with mette \
    -m "Mette, a customer asks us to delete a former employee's user and all her data. Who decides what we may delete?" >/dev/null
at 11:25
tkt mette side invite "$gdpr" 1 karen
at 11:26
tkt mette side reply "$gdpr" 1 -m "Karen, this one is for legal. Sofie needs to know what we may delete on the customer's request."

# ── Thursday 5 March ────────────────────────────────────────────────────────────────────────────────────────────
day 2026-03-05

at 08:15
tkt emma@friskole.example comment "$sms" -m "It worked yesterday, but this morning the codes are late again, 4-6 minutes."
at 08:30
tkt jonas comment "$sms" --internal -m "Reopened by Emma. Provider status page shows no incident. Asking Peter to check our SMS routing logs."

at 09:00
tkt karen side reply "$gdpr" 1 -m "The customer is the data controller, so we delete on their instruction. Delete the user and her personal data; keep invoices, we must store those for 5 years."
at 09:05
tkt sofie side resolve "$gdpr" 1
at 09:10
tkt sofie comment "$gdpr" --public -m "Hi Ana, we can delete the user and her personal data on your instruction. Invoices she created must be kept for 5 years by law, but her name will be removed from them. Please confirm, and we will do it within 3 working days."
at 09:11
tkt sofie status "$gdpr" pending

at 09:30
tkt kasper side reply "$discount" 1 -m "They are eligible. The two late payments were our bank's error in January and were reversed. 10% loyalty discount approved."
at 09:35
tkt sofie side resolve "$discount" 1
at 09:40
tkt sofie comment "$discount" --public -m "Hi Camilla, good news: you are eligible for our 10% loyalty discount, and it will be applied to your renewal on 1 April. Thank you for being a customer for five years."
at 09:41
tkt sofie status "$discount" solved

# 11. A ticket taken by phone: its agent goes on holiday and puts it back in the queue, unassigned and still new.
at 10:20
phone=$(tkt sofie new --subject "Change the email address for invoices" --requester olivia@nordic-retail.example \
    --assignee sofie --group Billing --priority low -m "Please send our invoices to ap@nordic-retail.example from now on. (Taken by phone.)")

# 12. CCs added and removed by the customer: an accountant joins the thread, then leaves it.
at 11:00
accountant=$(tkt mads@cafe-mocca.example new --subject "Copy of invoices for our accountant" \
    --requester mads@cafe-mocca.example \
    -m "Hi, our accountant needs copies of last year's invoices. I have copied her on this email. Mads, Café Mocca")
at 11:01
tkt mads@cafe-mocca.example cc add "$accountant" revisor@talogtal.example --name "Tal & Tal Revision"
at 11:30
tkt kasper assign "$accountant" kasper
at 11:31
tkt kasper status "$accountant" open
at 11:32
tkt kasper tag "$accountant" --add invoice
at 11:40
tkt kasper comment "$accountant" --public -m "Hi Mads, I have sent all 2025 invoices as one PDF to you and your accountant. Invoices from now on can be downloaded under Account > Invoices."
at 11:41
tkt kasper status "$accountant" solved

# ── Friday 6 March ──────────────────────────────────────────────────────────────────────────────────────────────
day 2026-03-06

at 09:00
tkt revisor@talogtal.example comment "$accountant" -m "Received, thank you. Please take me off this thread, we download the invoices ourselves from now on."
at 09:01
tkt revisor@talogtal.example cc remove "$accountant" revisor@talogtal.example
at 09:10
tkt kasper status "$accountant" solved

at 10:00
tkt jonas side open "$sms" --subject "SMS delays for Friskolen" --with peter \
    -m "Peter, can you check the SMS routing logs for Friskolen (account 9120)? Codes are 4-6 minutes late again since Thursday morning." >/dev/null
at 10:40
tkt peter side reply "$sms" 1 -m "Their numbers are still routed over the backup provider since Wednesday's failover. I will switch them back to the primary route at 16:00, after the exam logins."

at 11:30
tkt sofie side reply "$gdpr" 1 -m "@karen follow-up: the customer also asks about backups. How long does her data stay in our backups after deletion?"
at 13:00
tkt karen side reply "$gdpr" 1 -m "Backups expire after 35 days. Tell them it is gone from backups by then; no extra action needed."
at 13:05
tkt sofie side resolve "$gdpr" 1

# 2. The review is done: the mentor stops following, to keep notifications relevant.
at 14:00
tkt jonas follower remove "$mentor" mette

# 11. Back to the queue.

at 16:30
tkt sofie comment "$phone" -m "I am on holiday next week, so I am putting this back in the Billing queue."
at 16:31
tkt sofie assign "$phone" --none

# ── Tuesday 10 March ────────────────────────────────────────────────────────────────────────────────────────────
day 2026-03-10

# 3. The customer's thanks reopens the solved ticket; it is solved again and closed for good.
at 09:00
tkt frida@lundstudio.example comment "$pdf" -m "Updated to macOS 10.15 and the PDF export works. Thank you!"
at 09:15
tkt sofie comment "$pdf" --public -m "Wonderful, thank you for letting us know, Frida. Have a good day!"
at 09:16
tkt sofie status "$pdf" solved
at 09:17
tkt sofie status "$pdf" closed

# 4. The credit note is out; a question for billing reopens the handover side conversation.
at 10:00
tkt maria comment "$invoice" -m "Finance issued credit note CN-0412 today. Waiting for Henrik's confirmation that it arrived."
at 10:01
tkt maria tag "$invoice" --remove churn-risk --add credit-note
at 10:05
tkt maria side reopen "$invoice" "$handover"
at 10:06
tkt maria side reply "$invoice" "$handover" -m "Kasper, Finance asks whether the seat count in billing is fixed for good. Can you confirm?"
