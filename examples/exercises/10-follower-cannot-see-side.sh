#!/usr/bin/env bash
# Troubleshooting: a follower cannot see a side conversation. The most common cause: the colleague was
# added as a CC instead of a follower. As a CC, her address is on the customer's copy and she sees only
# the side conversations she is in. The fix: make her a follower.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "Licence transfer to a new company" --requester ana@customer.example \
    --assignee jonas -m "We have been bought; can the licences move to the new company?")
at 09:10
side=$(tkt -q --as jonas side open "$id" --subject "Licence transfer rules" --with birgit -m "Birgit, what does a transfer need?")
at 09:15
step "The mistake: Sanne is copied as a CC"
tkt -q --as jonas cc add "$id" sanne@acme.example

step "How tkt shows it: Sanne does not see the side conversation; the hygiene footer says why"
tkt show "$id" --as sanne | grep -c "Side conversation" || true
tkt show "$id" | sed -n '/^Hygiene$/,$p'

step "The fix: a follower, not a CC"
tkt -q --as jonas follower add "$id" sanne
tkt -q --as jonas cc remove "$id" sanne@acme.example
tkt show "$id" --as sanne | grep -c "Side conversation"

tkt show "$id" --as ana@customer.example
tkt show "$id" --as sanne
tkt audience "$id"
