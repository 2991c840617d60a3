//! The answers an external actor gets reveal nothing their own view hides, for random tickets (SPEC §3).
//!
//! Each random ticket is written twice: as generated (internal notes, comments made private, side
//! conversations, followers, an assignee, tags, events, each carrying the marker `zqx`) and with all of that
//! stripped away. Every external participant then runs every command they may run (and some they may
//! not), in every format, on both stores. The complete output, stdout and stderr, must be the same on
//! both, must hold no marker, and every address and number in it must appear in their own `show` of the
//! ticket or in what they typed.

use proptest::prelude::*;
use proptest::strategy::ValueTree;

use tkt::model::{Priority, Status, Ticket, Visibility};

use crate::desk::Desk;
use crate::leaks::{MARKER, Plan, build, external_viewers, people, plans};

/// The ticket with everything internal taken out: what its customers see is all that is left.
fn public_only(t: &Ticket) -> Ticket {
    let mut s = t.clone();
    s.comments.retain(|c| c.visibility == Visibility::Public);
    s.side_conversations.clear();
    s.followers.clear();
    s.assignee = None;
    s.group = None;
    s.tags.clear();
    s.events.clear();
    s.priority = Priority::Normal;
    if s.status == Status::OnHold {
        s.status = Status::Open;
    }
    s.updated = t.last_public_activity();
    s
}

fn store(ticket: &Ticket) -> Desk {
    let desk = Desk::empty();
    desk.write("people.yaml", tkt::yaml::to_string(&people()).unwrap());
    desk.write(
        "tkt.yaml",
        "cc_blocklist: [\"x?y@blocked.example\"]\nsupport_addresses: [desk@acme.example]\n",
    );
    desk.write("7.yaml", tkt::yaml::to_string(ticket).unwrap());
    desk
}

/// What `who` may try, in the order they try it (writes change both stores alike).
fn commands(who: &str) -> Vec<Vec<String>> {
    let mut all: Vec<Vec<&str>> = vec![
        vec!["show", "7"],
        vec!["list"],
        vec!["list", "--status", "on-hold"],
        vec!["cc", "list", "7"],
        vec!["side", "list", "7"],
        vec!["follower", "list", "7"],
        vec!["comment", "7", "-m", "hello there"],
        vec!["comment", "7", "--internal", "-m", "psst"],
        vec![
            "cc",
            "add",
            "7",
            "newcc@partner.example",
            "--name",
            "New Cc",
        ],
        vec!["cc", "add", "7", "xzy@blocked.example"],
        vec!["cc", "add", "7", "desk@acme.example"],
        vec!["cc", "remove", "7", "newcc@partner.example"],
        vec!["cc", "remove", "7", "nobody@partner.example"],
        vec!["status", "7", "solved"],
        vec!["tag", "7", "--add", "x"],
        vec!["make-private", "7", "1"],
        vec!["assign", "7", "front0"],
        vec!["follower", "add", "7", "front0"],
        vec!["side", "reply", "7", "1", "-m", "hi"],
        vec![
            "new",
            "--subject",
            "Another",
            "--requester",
            who,
            "-m",
            "Hi",
        ],
        vec!["show", "8"],
    ];
    all.iter_mut().for_each(|c| c.extend(["--as", who]));
    all.into_iter()
        .map(|c| c.into_iter().map(String::from).collect())
        .collect()
}

fn run(desk: &Desk, args: &[String], format: &str) -> String {
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend(["--format", format]);
    let out = desk.run(&all);
    format!(
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The addresses and digit runs of a text.
fn tokens(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || "@.-_+".contains(c))) {
        let word = word.trim_matches('.');
        if word.contains('@') {
            found.push(word.to_ascii_lowercase());
        }
    }
    let mut digits = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !digits.is_empty() {
            found.push(std::mem::take(&mut digits));
        }
    }
    found
}

fn check(plan: &Plan) -> Result<(), TestCaseError> {
    let case = build(plan);
    let stripped = public_only(&case.ticket);
    for viewer in external_viewers(&case.ticket) {
        let who = viewer.id().to_string();
        let (full, public) = (store(&case.ticket), store(&stripped));
        // What their own show tells them, and the exit line every answer starts with.
        let mut known = String::from("exit Some(0) Some(2) Some(3) Some(4) Some(5)\n");
        for format in ["text", "json", "yaml"] {
            known += &full.ok(&["show", "7", "--as", &who, "--format", format]);
        }
        for args in commands(&who) {
            let typed = args.join(" ");
            let mut answers = Vec::new();
            for format in ["text", "json", "yaml"] {
                let (a, b) = (run(&full, &args, format), run(&public, &args, format));
                prop_assert_eq!(
                    &a,
                    &b,
                    "as {} `{}` --format {}: the answer depends on internal data",
                    who,
                    typed,
                    format
                );
                prop_assert!(
                    !a.to_lowercase().contains(MARKER) && !a.contains("x?y"),
                    "as {who} `{typed}`: {a}"
                );
                answers.push((format, a));
            }
            // What they may know now includes what this command made (a reply, a ticket of their own).
            known += &full.ok(&["show", "7", "--as", &who]);
            known += &full.ok(&["list", "--as", &who, "--format", "json"]);
            for (format, a) in answers {
                for token in tokens(&a) {
                    prop_assert!(
                        known.contains(&token) || typed.contains(&token),
                        "as {who} `{typed}` --format {format}: {token:?} is in no view of theirs:\n{a}"
                    );
                }
            }
        }
    }
    Ok(())
}

proptest! {
    // Each case runs several hundred processes; `leaks` covers thousands of tickets in process.
    #![proptest_config(ProptestConfig { cases: 5, ..ProptestConfig::default() })]

    #[test]
    fn a_customers_answers_reveal_nothing_their_view_hides(plan in plans()) {
        check(&plan)?;
    }
}

/// The check can fail: a store whose only difference is internal makes a staff member's answers differ.
#[test]
fn the_differential_check_sees_internal_data_in_a_staff_answer() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let plan = loop {
        let plan = plans().new_tree(&mut runner).unwrap().current();
        if build(&plan)
            .ticket
            .comments
            .iter()
            .any(|c| c.visibility == Visibility::Internal)
        {
            break plan;
        }
    };
    let case = build(&plan);
    let (full, public) = (store(&case.ticket), store(&public_only(&case.ticket)));
    let args: Vec<String> = ["show", "7", "--as", "front0"].map(String::from).to_vec();
    assert_ne!(run(&full, &args, "json"), run(&public, &args, "json"));
}
