#!/usr/bin/env bash
# Product feedback: a customer's idea goes to the product owner (a light agent) in a side conversation:
# a direct line from the customer to product development, without the customer in an internal debate.
source "$(dirname "$0")/desk.sh"

id=$(tkt -q --as jonas new --subject "Edit prices on many products at once?" --requester ana@customer.example \
    -m "Could we change the price of 200 products in one go?")
tkt -q --as jonas assign "$id" jonas

at 11:00
side=$(tkt -q --as jonas side open "$id" --subject "Feedback: bulk price edit" --with lise \
    -m "Lise, third customer this month asking for bulk price edits. Is it on the roadmap?")
tkt -q --as jonas tag "$id" --add feedback
at 11:30
tkt -q --as lise side reply "$id" "$side" -m "Planned for Q3. Until then, the CSV import covers it."
at 11:40
tkt -q --as jonas comment "$id" --public -m "Hi Ana, until bulk editing arrives, the CSV import can update many prices at once."

tkt show "$id" --as ana@customer.example
step "Lise, a light agent, sees the staff view and the side conversation she is in"
tkt show "$id" --as lise
tkt audience "$id"
