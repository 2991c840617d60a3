#!/usr/bin/env bash
# The mentor follower: a new agent drafts a reply as an internal note and @mentions a mentor, who then
# follows the ticket: told of every note and reply, invisible to the customer.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "Approval rule for orders over 10,000 DKK" --requester ana@customer.example \
    -m "Can large purchase orders need our head chef's approval?")
tkt -q --as jonas assign "$id" jonas

at 09:40
step "Jonas drafts as an internal note and asks his mentor; @mette makes her a follower"
tkt -q --as jonas comment "$id" -m "@mette my draft: Settings > Purchasing > Approvals, a rule for orders over 10,000 DKK. OK?"
at 09:48
tkt -q --as mette comment "$id" -m "Good draft. Add that the rule only applies to new orders."
at 09:55
step "The reply goes out in Jonas's own words"
tkt -q --as jonas comment "$id" --public -m "Hi Ana, yes: create an approval rule under Settings > Purchasing > Approvals. It applies to new purchase orders."

step "Ana's view: one question, one answer; the mentoring is invisible"
tkt show "$id" --as ana@customer.example
step "Mette's view: everything, as a follower"
tkt show "$id" --as mette
step "Mette was told of Jonas's draft and of the reply"
tkt audience "$id"
