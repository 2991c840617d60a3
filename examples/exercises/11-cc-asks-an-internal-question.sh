#!/usr/bin/env bash
# Troubleshooting: a CC replies with an internal question. The agency asks, in the public thread, about
# something the desk must settle internally first. The fix: acknowledge publicly, discuss in a side
# conversation, and come back with one clear answer.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "Webshop orders stopped syncing" --requester ana@customer.example \
    --assignee jonas -m "None of our orders reach the ERP.")
tkt -q --as jonas cc add "$id" bob@agency.example --name "Bob Field"
at 10:12
step "Bob asks, in front of the customer, for something the desk must decide"
tkt -q --as bob@agency.example comment "$id" -m "Can you give us admin access to Ana's account to fix the token?"

step "The fix: a kind public answer, then a side conversation"
at 10:20
tkt -q --as jonas comment "$id" --public -m "Thank you, Bob. Good question: we will discuss it internally and come back here with a final answer."
side=$(tkt -q --as jonas side open "$id" --subject "Admin access for the agency?" --with mette -m "Mette, Bob asks for admin access to Ana's account."
)
at 10:30
tkt -q --as mette side reply "$id" "$side" -m "No: Ana creates the token herself."
at 10:45
tkt -q --as jonas comment "$id" --public -m "Bob, Ana: for security, Ana creates the new token herself and sends it to Bob."

tkt show "$id" --as bob@agency.example
tkt show "$id" --as mette
tkt audience "$id"
