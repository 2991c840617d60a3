#!/usr/bin/env bash
# Troubleshooting: too many notifications. Everyone who ever touched the ticket still follows it or is
# copied on it, so every reply notifies a crowd and nobody reads them. The fix: review and remove.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "Licence server unreachable" --requester ana@customer.example --assignee jonas \
    -m "Our licence server cannot be reached since the firewall change.")
step "The mistake: six CCs and five followers"
for who in it ops security finance ceo assistant; do
    tkt -q --as jonas cc add "$id" "$who@customer.example"
done
tkt -q --as jonas follower add "$id" mette anders sanne birgit lise
at 09:30
tkt -q --as jonas comment "$id" --public -m "We are looking into it."

step "How tkt shows it: the hygiene footer, and the crowd that was told"
tkt show "$id" | sed -n '/^Hygiene$/,$p'
tkt audience "$id" | cut -f1 | tail -1

step "The fix: remove those who no longer contribute"
tkt -q --as jonas cc remove "$id" assistant@customer.example ceo@customer.example
tkt -q --as jonas follower remove "$id" sanne birgit lise
at 09:45
tkt -q --as jonas comment "$id" --public -m "The firewall rule is fixed; please try again."

tkt show "$id" --as it@customer.example
tkt show "$id" --as mette
tkt audience "$id"
