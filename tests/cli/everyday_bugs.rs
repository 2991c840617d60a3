//! The bugs found using tkt for an afternoon (issue 9), one test each: each fails on the code before the fix.

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk};

fn json(text: &str) -> Value {
    crate::desk::identities(serde_json::from_str(text).expect("JSON"))
}

fn staff_json(desk: &Desk, id: &str) -> Value {
    json(&desk.ok(&["show", id, "--format", "json"]))
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Bug 1: an earlier clock, or the same instant in another zone, never puts `[2]` before `[1]`.
#[test]
fn the_clock_never_runs_backwards_in_a_ticket() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    // The ticket's latest entry is at 09:00Z; this machine's clock says 08:00Z.
    let out = desk.run(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T08:00:00Z",
        "comment",
        &id,
        "-m",
        "From a machine whose clock is behind",
    ]);
    assert!(out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains("warning: --now 2026-03-02T08:00:00Z is earlier than the latest entry on #1")
            && err.contains("stamped 2026-03-02T09:00:00Z"),
        "{err}"
    );
    // The same instant as 10:00+02:00 is 08:00Z too.
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T10:00:00+02:00",
        "comment",
        &id,
        "--public",
        "-m",
        "Same instant, another zone",
    ]);
    let t = staff_json(&desk, &id);
    let times: Vec<&str> = t["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["at"].as_str().unwrap())
        .collect();
    assert_eq!(times, ["2026-03-02T09:00:00Z"; 3]);
    let text = desk.ok(&["show", &id]);
    let one = text.find("[1]").unwrap();
    let two = text.find("[2]").unwrap();
    let three = text.find("[3]").unwrap();
    assert!(one < two && two < three, "{text}");
    assert_eq!(t["updated"], "2026-03-02T09:00:00Z");
}

/// Bug 1, the trust rule: a customer's reply is stamped against what the customer can see, so neither
/// its time nor a warning tells them when an internal note was written.
#[test]
fn a_customers_reply_does_not_reveal_when_internal_work_happened() {
    let run = |with_note: bool| {
        let desk = Desk::new();
        let id = desk.ticket().to_string();
        if with_note {
            desk.ok(&[
                "--as",
                "jonas",
                "--now",
                "2026-03-02T15:00:00Z",
                "comment",
                &id,
                "-m",
                "Internal, late in the day",
            ]);
        }
        let out = desk.run(&[
            "--as",
            ANA,
            "--now",
            "2026-03-02T10:00:00Z",
            "comment",
            &id,
            "-m",
            "Any news?",
        ]);
        assert!(out.status.success());
        let shown = desk.show_as(1, ANA, "json");
        let text = desk.show_as(1, ANA, "text");
        let log = desk.ok(&["log", &id, "--as", ANA, "--format", "json"]);
        (stderr_of(&out), shown, text, log, staff_json(&desk, &id))
    };
    let (err_plain, shown_plain, text_plain, log_plain, _) = run(false);
    let (err_note, shown_note, text_note, log_note, staff) = run(true);
    assert_eq!(err_note, err_plain);
    assert!(!err_note.contains("15:00"), "{err_note}");
    assert_eq!(shown_note, shown_plain);
    assert_eq!(text_note, text_plain);
    assert_eq!(log_note, log_plain);
    assert!(!shown_note.contains("15:00"), "{shown_note}");
    // The thread stays in the order entries were added, for staff too: the note, then Ana's reply
    // (stamped 10:00, before the note's 15:00).
    assert_eq!(staff["comments"][2]["at"], "2026-03-02T10:00:00Z");
    let text = {
        let desk = Desk::new();
        let id = desk.ticket().to_string();
        desk.ok(&[
            "--as",
            "jonas",
            "--now",
            "2026-03-02T15:00:00Z",
            "comment",
            &id,
            "-m",
            "Note",
        ]);
        desk.ok(&[
            "--as",
            ANA,
            "--now",
            "2026-03-02T10:00:00Z",
            "comment",
            &id,
            "-m",
            "Reply",
        ]);
        desk.ok(&["show", &id])
    };
    let note = text.find("[2]").unwrap();
    let reply = text.find("[3]").unwrap();
    assert!(note < reply, "{text}");
}

/// Bug 2: closing resolves open side conversations; solving with one open warns; a closed ticket
/// shows no open-side marker.
#[test]
fn closing_a_ticket_resolves_its_side_conversations() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.side(&id, "Tier 3", "anders", "Seen this?");
    let out = desk.run(&["--as", "jonas", "status", &id, "solved"]);
    let err = stderr_of(&out);
    assert!(
        err.contains("warning: #1 is solved with side conversation 1 still open"),
        "{err}"
    );
    desk.ok(&["--as", "jonas", "status", &id, "closed"]);
    let t = staff_json(&desk, &id);
    assert_eq!(t["side_conversations"][0]["state"], "resolved");
    assert_eq!(t["side_conversations"][0]["resolved_by"], "jonas");
    let last = t["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "side.resolve");
    assert_eq!(last["side"], 1);
    assert_eq!(last["reason"], "ticket closed");
    // An older store closed with a side conversation left open: list shows no marker.
    let file = desk.file(1).replace("state: resolved", "state: open");
    desk.write("1.yaml", file);
    let rows = json(&desk.ok(&["list", "--status", "closed", "--format", "json"]));
    assert_eq!(rows[0]["open_sides"], 0);
}

/// Bug 5: the desk's own support address is never a requester.
#[test]
fn the_desks_own_address_is_never_the_requester() {
    let desk = Desk::new();
    desk.write("tkt.yaml", "support_addresses: [support@acme.example]\n");
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "Loop",
            "--requester",
            "Support@ACME.example",
            "-m",
            "x",
        ],
        5,
    );
    assert!(err.contains("support_addresses"), "{err}");
    assert!(!desk.path("1.yaml").exists());
    let id = desk.ticket().to_string();
    desk.fails(
        &[
            "--as",
            "jonas",
            "edit",
            &id,
            "--requester",
            "support@acme.example",
        ],
        5,
    );
}

/// Bug 6: `@Mette` is mette.
#[test]
fn a_mention_matches_a_handle_whatever_its_case() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "-m",
        "@Mette can you review?",
    ]);
    let t = staff_json(&desk, &id);
    assert_eq!(t["followers"], serde_json::json!(["mette"]));
    let n = desk
        .side(&id, "Q", "mette", "Hi @ANDERS, thoughts?")
        .to_string();
    let t = staff_json(&desk, &id);
    let participants = &t["side_conversations"][0]["participants"];
    assert!(
        participants
            .as_array()
            .unwrap()
            .contains(&Value::from("anders")),
        "{n}: {participants}"
    );
}

/// Bug 8: subjects (of tickets and side conversations), groups and names are one line.
#[test]
fn single_line_fields_refuse_line_breaks() {
    let desk = Desk::new();
    for (flag, value) in [("--subject", "Two\nlines"), ("--group", "Tier\n2")] {
        let subject = if flag == "--subject" { value } else { "Fine" };
        let mut args = vec![
            "--as",
            "jonas",
            "new",
            "--subject",
            subject,
            "--requester",
            ANA,
            "-m",
            "x",
        ];
        if flag == "--group" {
            args.extend(["--group", value]);
        }
        let err = desk.fails(&args, 5);
        assert!(err.contains(flag) && err.contains("one line"), "{err}");
    }
    let id = desk.ticket().to_string();
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "side",
            "open",
            &id,
            "--subject",
            "a\u{2028}b",
            "--with",
            "anders",
            "-m",
            "x",
        ],
        5,
    );
    assert!(err.contains("one line"), "{err}");
    let err = desk.fails(
        &[
            "person",
            "add",
            "x",
            "--name",
            "X\nY",
            "--email",
            "x@y.example",
        ],
        5,
    );
    assert!(err.contains("one line"), "{err}");
}

/// Bug 9: an empty body and no body are the same mistake, exit 2.
#[test]
fn an_empty_body_is_a_usage_error_like_a_missing_one() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.fails(&["--as", "jonas", "comment", &id], 2);
    desk.fails(&["--as", "jonas", "comment", &id, "-m", ""], 2);
    desk.fails(&["--as", "jonas", "comment", &id, "-m", " \n "], 2);
    let out = desk
        .tkt()
        .args(["--as", "jonas", "comment", &id, "-m", "-"])
        .write_stdin("\n\n   \n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

/// Bug 10: `-m a -m b` are two paragraphs, as in git.
#[test]
fn repeated_messages_are_paragraphs() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as", "jonas", "comment", &id, "-m", "First.", "-m", "Second.",
    ]);
    let out = desk
        .tkt()
        .args(["--as", "jonas", "comment", &id, "-m", "Log:", "-m", "-"])
        .write_stdin("line 1\nline 2\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let t = staff_json(&desk, &id);
    assert_eq!(t["comments"][1]["body"], "First.\n\nSecond.");
    assert_eq!(t["comments"][2]["body"], "Log:\n\nline 1\nline 2");
}

/// Bug 12: a public reply that mentions a colleague is refused by the leak guard; forced, it warns its
/// author; the editor says who reads it.
#[test]
fn a_public_reply_that_mentions_a_colleague_warns() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let refused = desk.fails(
        &[
            "--as",
            "jonas",
            "comment",
            &id,
            "--public",
            "-m",
            "@mette can you check this before I answer?",
        ],
        4,
    );
    assert!(refused.contains("it @mentions mette (staff)"), "{refused}");
    assert!(refused.contains("--force"), "{refused}");
    let out = desk.run(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--public",
        "--force",
        "-m",
        "@mette can you check this before I answer?",
    ]);
    assert!(out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains("warning: @mette is mentioned in a public reply"),
        "{err}"
    );
    // An internal note mentioning her, and a customer's @word, say nothing of the kind.
    let out = desk.run(&["--as", "jonas", "comment", &id, "-m", "@mette see above"]);
    assert!(!stderr_of(&out).contains("public reply"));
    let out = desk.run(&["--as", ANA, "comment", &id, "-m", "@mette thanks"]);
    assert!(!stderr_of(&out).contains("warning"), "{}", stderr_of(&out));
}

/// Bug 12: the editor's template says whether the text will be public or internal, and its comment
/// lines are left out.
#[cfg(unix)]
#[test]
fn the_editor_template_says_who_will_read_the_text() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    // An "editor" that keeps the template and writes the reply above it; it needs a terminal, which a
    // test does not have, so tkt runs under `script` (util-linux; `.ci/run` installs it if missing).
    assert!(
        std::process::Command::new("script")
            .arg("--version")
            .output()
            .is_ok(),
        "this test needs script(1) from util-linux (bsdutils): apt-get install bsdutils"
    );
    let editor = desk.path("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\ncp \"$1\" \"$1.seen\"; cp \"$1\" \"$TEMPLATE_COPY\"; { echo 'Hello Ana'; cat \"$1.seen\"; } > \"$1\"\n",
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .unwrap();
    let copy = desk.path("template.txt");
    let bin = assert_cmd::cargo::cargo_bin("tkt");
    let command = format!(
        "{} -C {} --as jonas comment {id} --public",
        bin.display(),
        desk.root().display()
    );
    let status = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("EDITOR", &editor)
        .env("TEMPLATE_COPY", &copy)
        .env("TKT_NOW", crate::desk::NOW)
        .env_remove("VISUAL")
        .env_remove("TKT_AS")
        .env_remove("TKT_STORE")
        .stdin(std::process::Stdio::null())
        .status()
        .unwrap();
    if !status.success() || !copy.exists() {
        return; // no usable pseudo-terminal here
    }
    let template = std::fs::read_to_string(&copy).unwrap();
    assert!(template.contains("# This reply is PUBLIC"), "{template}");
    let t = staff_json(&desk, &id);
    assert_eq!(t["comments"][1]["body"], "Hello Ana");
}

/// Bug 13: making the last public comment private leaves the customer an empty thread: warn.
#[test]
fn making_the_last_public_comment_private_warns() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let out = desk.run(&["--as", "jonas", "make-private", &id, "1"]);
    assert!(out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains("warning: #1 has no public comment left"),
        "{err}"
    );
    // With a public reply left, nothing to warn about.
    let id = desk.another_ticket("Second", "Opening");
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id.to_string(),
        "--public",
        "-m",
        "Answer",
    ]);
    let out = desk.run(&["--as", "jonas", "make-private", &id.to_string(), "1"]);
    assert!(!stderr_of(&out).contains("warning"), "{}", stderr_of(&out));
}

/// Bug 14: staff who are only a CC are told why they do not see a side conversation, and the fix.
#[test]
fn an_agent_who_is_only_a_cc_is_told_to_follow() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.side(&id, "Tier 3", "anders", "Seen this?");
    desk.ok(&["--as", "jonas", "cc", "add", &id, "mette"]);
    let out = desk.run(&["side", "list", &id, "--as", "mette"]);
    assert!(out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains("you are a CC on this ticket, not a follower: `tkt follower add 1 mette`"),
        "{err}"
    );
    let err = desk.fails(&["--as", "mette", "side", "reply", &id, "1", "-m", "Hi"], 4);
    assert!(err.contains("tkt follower add 1 mette"), "{err}");
    // Staff who are not on the ticket at all get no such hint; a follower sees the side conversation.
    let err = desk.fails(&["--as", "lise", "side", "reply", &id, "1", "-m", "Hi"], 4);
    assert!(!err.contains("CC"), "{err}");
    desk.ok(&["--as", "jonas", "follower", "add", &id, "mette"]);
    let out = desk.run(&["side", "list", &id, "--as", "mette"]);
    assert!(!stderr_of(&out).contains("CC"));
    // A customer learns nothing about it.
    desk.fails(&["side", "list", &id, "--as", BOB], 4);
}

#[test]
fn an_unknown_key_in_the_settings_is_named_with_the_key_it_was_meant_to_be() {
    let desk = Desk::new();
    desk.write("tkt.yaml", "ccc_limit: 3\nfancy_colours: true\n");
    let out = desk.run(&["list"]);
    let stderr = stderr_of(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("unknown key \"ccc_limit\" is ignored (did you mean \"cc_limit\"?)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown key \"fancy_colours\" is ignored"),
        "{stderr}"
    );
    // The desk's settings are not a customer's business.
    let out = desk.run(&["list", "--as", ANA]);
    assert!(stderr_of(&out).is_empty(), "{}", stderr_of(&out));
}
