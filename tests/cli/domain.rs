//! The domain's mistakes and rules from the collaboration guide, each as a story through the binary:
//! a CC instead of a follower, an internal note posted publicly, customers reopening, closed is final.

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk};

const FORMATS: [&str; 3] = ["text", "json", "yaml"];

fn staff_json(desk: &Desk, id: u64) -> Value {
    crate::desk::identities(
        serde_json::from_str(&desk.ok(&["show", &id.to_string(), "--format", "json"]))
            .expect("JSON"),
    )
}

fn status(desk: &Desk, id: u64) -> Value {
    staff_json(desk, id)["status"].clone()
}

#[test]
fn a_cc_never_sees_an_internal_note() {
    let desk = Desk::new();
    let id = desk.ticket();
    let s = id.to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &s,
        "-m",
        "NOTE-FOR-MENTOR: refund is not possible",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &s,
        "--internal",
        "-m",
        "NOTE-EXPLICIT",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &s,
        "--public",
        "-m",
        "REPLY-FOR-ALL",
    ]);
    for who in [BOB, ANA] {
        for format in FORMATS {
            let out = desk.show_as(id, who, format);
            assert!(out.contains("REPLY-FOR-ALL"), "{who} {format}: {out}");
            assert!(
                !out.contains("NOTE-"),
                "{who} {format} sees an internal note: {out}"
            );
            assert!(
                !out.to_lowercase().contains("internal"),
                "{who} {format}: {out}"
            );
        }
    }
}

#[test]
fn a_follower_cannot_see_a_side_conversation_when_they_were_added_as_a_cc_instead() {
    let desk = Desk::new();
    let id = desk.ticket();
    let s = id.to_string();
    desk.ok(&["--as", "jonas", "comment", &s, "-m", "NOTE-MARK"]);
    desk.side(&s, "SIDE-SUBJECT-MARK", "anders", "SIDE-MESSAGE-MARK");
    // The mistake: mette is copied instead of following.
    desk.ok(&["--as", "jonas", "cc", "add", &s, "mette"]);
    for format in FORMATS {
        let out = desk.show_as(id, "mette", format);
        assert!(
            out.contains("NOTE-MARK"),
            "an internal CC is still staff: {out}"
        );
        assert!(!out.contains("SIDE-SUBJECT-MARK"), "{format}: {out}");
        assert!(!out.contains("SIDE-MESSAGE-MARK"), "{format}: {out}");
    }
    let err = desk.fails(
        &["--as", "mette", "side", "reply", &s, "1", "-m", "let me in"],
        4,
    );
    assert!(err.contains("not in side conversation 1"), "{err}");
    assert!(!err.contains("SIDE-SUBJECT-MARK"), "{err}");

    // The fix from the troubleshooting table: make them a follower.
    desk.ok(&["--as", "jonas", "follower", "add", &s, "mette"]);
    for format in FORMATS {
        let out = desk.show_as(id, "mette", format);
        assert!(
            out.contains("SIDE-SUBJECT-MARK") && out.contains("SIDE-MESSAGE-MARK"),
            "{out}"
        );
    }
    desk.ok(&[
        "--as",
        "mette",
        "side",
        "reply",
        &s,
        "1",
        "-m",
        "now I can help",
    ]);
}

#[test]
fn a_follower_sees_every_side_conversation_without_being_invited_to_it() {
    let desk = Desk::new();
    let id = desk.ticket();
    let s = id.to_string();
    desk.ok(&["--as", "jonas", "follower", "add", &s, "mette"]);
    desk.ok(&[
        "--as",
        "anders",
        "side",
        "open",
        &s,
        "--subject",
        "ESCALATION",
        "--with",
        "ada",
        "-m",
        "COMPENSATION?",
    ]);
    for who in ["mette", "jonas", "ada", "anders"] {
        let out = desk.show_as(id, who, "text");
        assert!(
            out.contains("ESCALATION") && out.contains("COMPENSATION?"),
            "{who}: {out}"
        );
    }
    for who in ["lise", ANA, BOB] {
        let out = desk.show_as(id, who, "json");
        assert!(
            !out.contains("ESCALATION") && !out.contains("COMPENSATION"),
            "{who}: {out}"
        );
    }
}

#[test]
fn a_public_comment_made_private_disappears_from_the_customers_view_and_stays_for_staff() {
    let desk = Desk::new();
    let id = desk.ticket();
    let s = id.to_string();
    // The classic mistake: a note to a colleague posted publicly.
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &s,
        "--public",
        "-m",
        "OOPS: Mette, is our PDF engine still broken?",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &s,
        "--public",
        "-m",
        "REAL-REPLY",
    ]);
    for format in FORMATS {
        assert!(
            desk.show_as(id, ANA, format).contains("OOPS"),
            "the mistake is visible first"
        );
    }
    desk.ok(&["--as", "jonas", "make-private", &s, "2"]);

    for who in [ANA, BOB] {
        for format in FORMATS {
            let out = desk.show_as(id, who, format);
            assert!(!out.contains("OOPS"), "{who} {format} still sees it: {out}");
            assert!(
                !out.contains("private"),
                "{who} {format} learns something was hidden: {out}"
            );
            assert!(
                out.contains("REAL-REPLY") && out.contains("PDF export crashes"),
                "{out}"
            );
        }
        let doc: Value = serde_json::from_str(&desk.show_as(id, who, "json")).unwrap();
        assert_eq!(doc["comments"].as_array().unwrap().len(), 2, "{doc}");
    }

    // Staff still see it, labelled, and the change is in the audit trail.
    let text = desk.show_as(id, "mette", "text");
    let line = text
        .lines()
        .find(|l| l.starts_with("[2]"))
        .expect("comment 2 for staff");
    assert!(line.contains("made private"), "{text}");
    assert!(text.contains("OOPS"), "{text}");
    let t = staff_json(&desk, id);
    assert_eq!(t["comments"][1]["visibility"], "internal");
    let events = t["events"].as_array().unwrap();
    let private: Vec<&Value> = events
        .iter()
        .filter(|e| e["action"] == "comment.private")
        .collect();
    assert_eq!(private.len(), 1, "{t}");
    assert_eq!(private[0]["by"], "jonas");

    // Doing it again changes nothing; a missing comment is not found.
    let before = desk.file(id);
    desk.ok(&["--as", "jonas", "make-private", &s, "2"]);
    assert_eq!(desk.file(id), before);
    desk.fails(&["--as", "jonas", "make-private", &s, "9"], 3);
}

#[test]
fn a_requester_reply_reopens_a_solved_ticket_and_a_cc_reply_reopens_a_pending_one() {
    let desk = Desk::new();
    for (status_before, who, after) in [
        ("solved", ANA, "open"),
        ("pending", ANA, "open"),
        ("solved", BOB, "open"),
        ("pending", BOB, "open"),
        // Only pending and solved reopen: on-hold waits for a third party, new is untouched.
        ("on-hold", ANA, "on-hold"),
        ("on-hold", BOB, "on-hold"),
    ] {
        let id = desk.ticket();
        let s = id.to_string();
        desk.ok(&["--as", "jonas", "status", &s, status_before]);
        desk.ok(&["--as", who, "comment", &s, "-m", "still broken"]);
        assert_eq!(
            status(&desk, id),
            after,
            "{who} replying on {status_before}"
        );
        let reopened = staff_json(&desk, id)["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "status" && e["by"] == who);
        assert_eq!(
            reopened,
            after != status_before,
            "the reopening is in the audit trail"
        );
    }
    let id = desk.ticket();
    desk.ok(&["--as", ANA, "comment", &id.to_string(), "-m", "hello?"]);
    assert_eq!(status(&desk, id), "new");
}

#[test]
fn staff_replies_and_notes_do_not_reopen_a_ticket() {
    let desk = Desk::new();
    let id = desk.ticket();
    let s = id.to_string();
    for status_before in ["pending", "solved"] {
        desk.ok(&["--as", "jonas", "status", &s, status_before]);
        desk.ok(&[
            "--as",
            "jonas",
            "comment",
            &s,
            "--public",
            "-m",
            "any news?",
        ]);
        desk.ok(&["--as", "mette", "comment", &s, "-m", "note"]);
        desk.side(&s, "q", "anders", "q");
        assert_eq!(status(&desk, id), status_before);
    }
}

#[test]
fn closed_is_final() {
    let desk = Desk::new();
    let id = desk.ticket();
    let s = id.to_string();
    desk.ok(&["--as", "jonas", "status", &s, "solved"]);
    desk.ok(&["--as", "jonas", "status", &s, "closed"]);
    let before = desk.file(id);
    // A customer's reply does not reopen a closed ticket; it is refused.
    for who in [ANA, BOB] {
        let err = desk.fails(&["--as", who, "comment", &s, "-m", "one more thing"], 5);
        assert!(err.contains("closed"), "{err}");
    }
    for to in ["open", "solved", "pending", "new"] {
        desk.fails(&["--as", "ada", "status", &s, to], 5);
    }
    assert_eq!(desk.file(id), before);
    // It can still be read by everyone on it, and the customer sees it closed.
    let doc: Value = serde_json::from_str(&desk.show_as(id, ANA, "json")).unwrap();
    assert_eq!(doc["status"], "closed");
    assert_eq!(status(&desk, id), "closed");
}

#[test]
fn the_desks_own_address_never_follows_even_by_commenting_or_mention() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "person",
        "add",
        "helpdesk",
        "--name",
        "Help Desk",
        "--email",
        "help@acme.example",
    ]);
    desk.write("tkt.yaml", "support_addresses: [help@acme.example]\n");
    desk.ok(&["--as", "helpdesk", "comment", &id, "-m", "auto note"]);
    desk.ok(&["--as", "jonas", "comment", &id, "-m", "@helpdesk fyi"]);
    assert_eq!(
        staff_json(&desk, id.parse().unwrap())["followers"],
        serde_json::json!([])
    );
}

#[test]
fn a_cc_who_replies_is_shown_by_the_name_they_were_copied_with() {
    let desk = Desk::new();
    let id = desk.ticket();
    desk.ok(&["--as", BOB, "comment", &id.to_string(), "-m", "Agency here"]);
    for who in [ANA, BOB, "jonas"] {
        let text = desk.show_as(id, who, "text");
        assert!(
            text.contains("Bob Field <bob@agency.example> · Mon 2 Mar 2026 09:00"),
            "{who}: {text}"
        );
    }
}

#[test]
fn an_outsider_cannot_probe_which_handles_exist() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let eve = crate::desk::EVE;
    let real = desk.fails(&["--as", eve, "cc", "add", &id, "mette"], 4);
    let ghost = desk.fails(&["--as", eve, "cc", "add", &id, "ghost"], 4);
    assert_eq!(real, ghost);
    desk.fails(&["--as", eve, "assign", &id, "ghost"], 4);
    desk.fails(&["--as", eve, "follower", "remove", &id, "ghost"], 4);
    // The customer on the ticket gets the same answer for a real handle as for a made-up one.
    for args in [
        vec!["assign", &id],
        vec!["follower", "remove", &id],
        vec!["cc", "add", &id],
        vec!["cc", "remove", &id],
        vec!["new", "--subject", "s", "-m", "x", "--requester"],
        vec!["list", "--follower"],
    ] {
        let answer = |who: &str| {
            let mut all = vec!["--as", ANA];
            all.extend(&args);
            all.push(who);
            desk.fails(&all, 4).replace(who, "WHO")
        };
        assert_eq!(answer("lise"), answer("ghost"), "{args:?}");
    }
}

#[test]
fn a_customer_who_copies_an_agent_makes_them_neither_follow_nor_learns_they_are_staff() {
    let desk = Desk::new();
    let id = desk.ticket();
    desk.write("tkt.yaml", "agent_cc: follow\n");
    let out = desk.run(&[
        "--as",
        ANA,
        "cc",
        "add",
        &id.to_string(),
        "mette@acme.example",
    ]);
    assert!(out.status.success());
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("mette "),
        "no staff warning"
    );
    assert_eq!(staff_json(&desk, id)["followers"], serde_json::json!([]));
    desk.write("tkt.yaml", "agent_cc: reject\n");
    let err = desk.fails(
        &[
            "--as",
            ANA,
            "cc",
            "add",
            &id.to_string(),
            "lise@acme.example",
        ],
        5,
    );
    assert!(!err.contains("lise ") && !err.contains("internal"), "{err}");
}
