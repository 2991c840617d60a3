#!/usr/bin/env bash
# Troubleshooting: a customer responds to an internal note. The classic mistake: a note to a colleague
# was posted as a public reply. The leak guard stops an @mention, but not "Mette, can you…"; the
# customer's answer gives it away, and the hygiene check names it. The fix: explain kindly, make the
# comment private, and use a side conversation for the internal debate.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "Invoice charges 40 seats, we have 25" --requester ana@customer.example \
    --assignee jonas -m "Our invoice charges 40 seats; we only have 25.")

at 09:20
step "The mistake: a question to a colleague, posted publicly"
tkt -q --as jonas comment "$id" --public -m "Mette, can we credit 15 seats without asking finance?"
at 09:24
tkt -q --as ana@customer.example comment "$id" -m "Who is Mette? And yes, please credit us!"

step "How tkt shows it"
tkt show "$id" | sed -n '/^Hygiene$/,$p'

step "The fix: make it private, explain kindly, ask in a side conversation"
at 09:30
n=$(tkt --as jonas show "$id" --format json --jq '.comments[] | select(.body | startswith("Mette,")) | .n')
tkt -q --as jonas make-private "$id" "$n"
tkt -q --as jonas comment "$id" --public -m "Sorry, Ana: that was a note to a colleague. We are checking the seat count and will come back today."
side=$(tkt -q --as jonas side open "$id" --subject "Credit 15 seats?" --with mette -m "Mette, can we credit 15 seats without asking finance?")
at 09:40
tkt -q --as mette side reply "$id" "$side" -m "Yes, up to 20 seats."

tkt show "$id" --as ana@customer.example
tkt show "$id" --as mette
step "Ana was told of the slip before it was made private: 'told, hidden now'"
tkt audience "$id"
