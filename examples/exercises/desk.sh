# Sourced by every exercise: a fresh desk in a temporary directory (or in $1), a team, a customer, and a
# clock that only moves when the exercise says so. Run an exercise with `bash examples/exercises/NN-….sh`
# (tkt on the PATH, e.g. after `cargo install --path .`); it prints each step as a trainer would show it.
set -euo pipefail

store=${1:-$(mktemp -d)/desk}
tkt -q init "$store"
export TKT_STORE=$store
unset TKT_AS

# at HH:MM: the clock for the next steps, on Monday 2 March 2026.
at() { export TKT_NOW="2026-03-02T$1:00Z"; }
at 09:00

# step "words": a heading for the next thing a trainer shows.
step() { printf '\n== %s ==\n' "$*"; }

tkt -q person add jonas --name "Jonas Berg" --email jonas@acme.example
tkt -q person add mette --name "Mette Hansen" --email mette@acme.example --role admin
tkt -q person add anders --name "Anders Teknik" --email anders@acme.example
tkt -q person add sanne --name "Sanne Salg" --email sanne@acme.example
tkt -q person add birgit --name "Birgit Bogholder" --email birgit@acme.example
tkt -q person add lise --name "Lise Produkt" --email lise@acme.example --role light-agent
tkt -q person add ana --name "Ana Silva" --email ana@customer.example --role end-user
