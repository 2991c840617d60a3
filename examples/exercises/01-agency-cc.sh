#!/usr/bin/env bash
# The agency CC: an external partner is copied on the public conversation. A CC reads and answers the
# public replies, never the internal notes, and never learns who follows the ticket.
source "$(dirname "$0")/desk.sh"

step "Ana asks; Jonas owns the ticket and copies Bob from the agency that built her shop"
id=$(tkt -q --as jonas new --subject "Webshop orders stopped syncing" --requester ana@customer.example \
    -m "None of our webshop orders reach our ERP since Friday. Our agency, Bob Field, knows the integration.")
tkt -q --as jonas assign "$id" jonas
tkt -q --as jonas cc add "$id" bob@agency.example --name "Bob Field"

at 09:05
tkt -q --as jonas comment "$id" --public -m "Hi Ana, I have added Bob Field as a CC. Bob, do you see errors on the shop side?"
at 09:10
tkt -q --as jonas comment "$id" -m "Internal: the connector logs show 401s since Friday."
at 10:12
step "Bob answers by mail: his reply is public, like the customer's"
tkt -q --as bob@agency.example comment "$id" -m "The shop log shows HTTP 401 on every call since Friday 16:02."

step "What Ana sees: the public thread, with Bob on it"
tkt show "$id" --as ana@customer.example
step "What Bob sees: the same thread; no internal note, no follower"
tkt show "$id" --as bob@agency.example
step "Who saw and who was told what"
tkt audience "$id"
