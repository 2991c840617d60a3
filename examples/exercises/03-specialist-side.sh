#!/usr/bin/env bash
# The specialist side conversation: a question to an expert in a thread of its own, hidden from the
# customer; the agent answers the customer in their own words and resolves the side conversation.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "PDF export fails on macOS 10.14" --requester ana@customer.example \
    -m "The PDF export crashes as soon as I press Export.")
tkt -q --as jonas assign "$id" jonas

at 09:25
step "Jonas asks Anders in a side conversation"
side=$(tkt -q --as jonas side open "$id" --subject "macOS 10.14 export" --with anders -m "Anders, is 10.14 supported for PDF export?")
at 09:31
tkt -q --as anders side reply "$id" "$side" -m "Known limitation; update to 10.15 or use the web export."
at 09:40
tkt -q --as jonas side resolve "$id" "$side"
at 10:05
tkt -q --as jonas comment "$id" --public -m "This is a known limitation on macOS 10.14: please update to 10.15 or use our web export."

step "Ana sees the answer, not the consultation"
tkt show "$id" --as ana@customer.example
step "Anders sees the staff view, and his side conversation"
tkt show "$id" --as anders
step "Anders was told of the question only"
tkt audience "$id"
