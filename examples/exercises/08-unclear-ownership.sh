#!/usr/bin/env bash
# Troubleshooting: unclear ownership ("who should reply?"). Two colleagues follow the ticket, nobody owns
# it, and the customer waits. The fix: the assignee field says who is responsible.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "Two-factor codes arrive late" --requester ana@customer.example \
    -m "Our SMS codes arrive after they have expired.")
tkt -q --as jonas follower add "$id" jonas anders

step "The mistake: followers, but no owner"
tkt show "$id" | sed -n '/^Hygiene$/,$p'

step "The fix: the group lead assigns it"
at 09:30
tkt -q --as mette assign "$id" anders
at 09:40
tkt -q --as anders comment "$id" --public -m "Hi Ana, I own this now; we are checking the SMS gateway."
tkt show "$id" | sed -n '/^Hygiene$/,$p'

tkt show "$id" --as ana@customer.example
tkt show "$id" --as anders
tkt audience "$id"
