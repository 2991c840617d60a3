//! Hygiene findings through the binary: the staff footer of `show`, the warnings on solving, and never
//! anything for a customer or about a side conversation the viewer may not see.

use crate::desk::{ANA, Desk};

#[test]
fn staff_see_a_short_footer_and_customers_nothing() {
    let desk = Desk::new();
    desk.ok(&[
        "--as",
        "jonas",
        "new",
        "--subject",
        "No owner",
        "--requester",
        ANA,
        "-m",
        "Hello?",
    ]);
    let show = desk.ok(&["show", "1"]);
    assert!(show.contains("\nHygiene\n  no-assignee"), "{show}");
    assert!(show.contains("#1 is new with no assignee"), "{show}");
    let customer = desk.ok(&["show", "1", "--as", ANA]);
    assert!(!customer.contains("Hygiene"), "{customer}");
    assert!(!customer.contains("assignee"), "{customer}");
    desk.ok(&["--as", "jonas", "assign", "1", "jonas"]);
    assert!(!desk.ok(&["show", "1"]).contains("Hygiene"));
}

#[test]
fn a_quiet_side_conversation_is_named_only_to_who_may_see_it() {
    let desk = Desk::new();
    desk.ticket();
    desk.side("1", "Is 10.14 supported?", "anders", "Anders?");
    let later = ["--now", "2026-03-09T09:00:00Z"];
    let staff = desk.ok(&[later[0], later[1], "show", "1"]);
    assert!(staff.contains("side-unanswered"), "{staff}");
    assert!(staff.contains("no message for 7 days"), "{staff}");
    // Lise (a light agent, not in it) does not learn that it exists.
    let lise = desk.ok(&[later[0], later[1], "show", "1", "--as", "lise"]);
    assert!(!lise.contains("side-unanswered"), "{lise}");
}

#[test]
fn solving_warns_of_what_is_left_with_the_domains_advice() {
    let desk = Desk::new();
    desk.ticket();
    desk.ok(&["--as", "jonas", "follower", "add", "1", "mette"]);
    let out = desk.run(&["--as", "jonas", "status", "1", "solved"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(
            "warning: #1 participants-left: 1 follower(s) and 1 CC(s) left on a solved ticket"
        ),
        "{said}"
    );
    assert!(said.contains("continuous clean-up"), "{said}");
}

#[test]
fn staff_on_the_cc_list_should_be_followers() {
    let desk = Desk::new();
    desk.ticket();
    desk.ok(&["--as", "jonas", "cc", "add", "1", "mette@acme.example"]);
    let show = desk.ok(&["show", "1"]);
    assert!(show.contains("agent-cc"), "{show}");
    assert!(show.contains("mette is staff on the CC list"), "{show}");
}

#[test]
fn solving_names_no_side_conversation_the_agent_may_not_see() {
    let desk = Desk::new();
    desk.ticket();
    desk.side("1", "Is 10.14 supported?", "anders", "Anders?");
    // Mette neither follows, owns nor takes part: the quiet side conversation is not hers to hear of.
    let out = desk.run(&[
        "--as",
        "mette",
        "--now",
        "2026-03-09T09:00:00Z",
        "status",
        "1",
        "solved",
    ]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("side"), "{said}");
    assert!(said.contains("participants-left"), "{said}");
}
