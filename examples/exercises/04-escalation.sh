#!/usr/bin/env bash
# The escalation: an unhappy customer asks for compensation; the agent asks the team lead in a side
# conversation instead of negotiating in front of the customer, and tags the ticket.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "Three days without order sync" --requester ana@customer.example \
    -m "We lost three days of orders. We expect a credit on this month's invoice.")
tkt -q --as jonas assign "$id" jonas

at 10:00
step "Jonas escalates to Mette, the team lead, and tags the ticket"
side=$(tkt -q --as jonas side open "$id" --subject "Escalation: credit for Customer A/S" --with mette \
    -m "Mette, Ana asks for a credit for three days without sync (their token change). How far can I go?")
tkt -q --as jonas tag "$id" --add escalated
at 10:30
tkt -q --as mette side reply "$id" "$side" -m "Offer one month of the integration add-on for free; no cash credit."
tkt -q --as jonas side resolve "$id" "$side"
at 10:45
tkt -q --as jonas comment "$id" --public -m "Hi Ana, we are sorry for the trouble. We will waive this month's integration add-on."

step "Ana reads one considered answer"
tkt show "$id" --as ana@customer.example
step "Mette, an admin, sees the negotiation"
tkt show "$id" --as mette
tkt audience "$id"
