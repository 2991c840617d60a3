#!/usr/bin/env bash
# The cross-department question: a prospect's question needs both engineering (the figures) and sales
# (the approval); one side conversation with both, and the answer goes out once it is agreed.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "API limits on the Enterprise plan" --requester ana@customer.example \
    -m "What are the API limits on the Enterprise plan?")
tkt -q --as jonas assign "$id" jonas

at 09:10
side=$(tkt -q --as jonas side open "$id" --subject "API limits for a prospect" --with anders sanne \
    -m "Hi Anders and Sanne, a prospect asks about API limits. Anders, the figures? Sanne, may I send them?")
at 09:20
tkt -q --as anders side reply "$id" "$side" -m "600 requests per minute per token, up to 10 tokens."
at 09:25
tkt -q --as sanne side reply "$id" "$side" -m "Approved, send it."
tkt -q --as jonas side resolve "$id" "$side"
at 09:34
step "The answer goes out; Anders's figures are copied on purpose, so the leak guard needs --force"
tkt -q --as jonas comment "$id" --public --force -m "Hi Ana, the Enterprise plan allows 600 requests per minute per token, up to 10 tokens."

tkt show "$id" --as ana@customer.example
step "Sanne took part in the side conversation; she is not following the ticket"
tkt show "$id" --as sanne
tkt audience "$id"
