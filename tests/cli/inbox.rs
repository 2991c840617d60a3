//! `tkt inbox --as WHO`: each participant's notifications as mail, read back by a standard mbox reader
//! (Python's `mailbox`), threaded, and holding nothing a customer may not read.

use std::process::Command as StdCommand;

use crate::desk::{ANA, BOB, Desk, EVE};

/// The README's tour: a CC, an @mention, a side conversation, a public reply with a line that an mbox
/// must escape.
fn desk() -> Desk {
    let desk = Desk::new();
    desk.ticket();
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T09:20:00Z",
        "comment",
        "1",
        "-m",
        "@mette SECRET draft review?",
    ]);
    desk.side(
        "1",
        "SECRET subject",
        "anders",
        "SECRET question for Anders",
    );
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T10:05:00Z",
        "comment",
        "1",
        "--public",
        "-m",
        "Fixed in 2.1.\nFrom now on it works.",
    ]);
    desk
}

/// Reads an mbox with Python's standard `mailbox` module; one line per message: the headers that
/// matter, tab-separated, then whether the body holds `needle`.
fn python_reads(mbox: &str, needle: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.mbox");
    std::fs::write(&path, mbox).unwrap();
    let script = r#"
import mailbox, sys
for m in mailbox.mbox(sys.argv[1]):
    body = m.get_payload(decode=True).decode("utf-8")
    print("\t".join([m["Message-ID"], m["In-Reply-To"], m["References"], m["From"], m["To"] or "", m["Cc"] or "", m["Subject"], str(sys.argv[2] in body)]))
"#;
    let out = StdCommand::new("python3")
        .args(["-c", script])
        .arg(&path)
        .arg(needle)
        .output()
        .expect("python3 runs (it is on the machine and installed by CI)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_customers_inbox_opens_in_a_standard_reader_threaded_and_without_anything_internal() {
    let desk = desk();
    let mbox = desk.ok(&["inbox", "--as", BOB, "--format", "mbox"]);
    assert!(!mbox.contains("SECRET"), "{mbox}");
    assert!(
        !mbox.contains("mette"),
        "no follower in any header or body: {mbox}"
    );
    let messages = python_reads(&mbox, "works");
    // Bob: added as a CC (the conversation so far), then the public reply.
    assert_eq!(messages.len(), 2, "{messages:#?}");
    for m in &messages {
        let fields: Vec<&str> = m.split('\t').collect();
        assert!(
            fields[0].starts_with("<tkt.1.") && fields[0].ends_with(">"),
            "{m}"
        );
        assert_eq!(
            fields[1], fields[2],
            "In-Reply-To and References name the thread: {m}"
        );
        assert!(fields[1].starts_with("<tkt.1@"), "{m}");
        assert!(fields[3].contains("<support@"), "from the desk: {m}");
        assert!(fields[6].starts_with("[#1] "), "{m}");
    }
    let reply: Vec<&str> = messages[1].split('\t').collect();
    assert_eq!(reply[3], "\"Jonas Berg (Support)\" <support@tkt.invalid>");
    assert!(
        reply[4].contains(ANA) && reply[5].contains(BOB),
        "To the requester, Cc the CCs: {reply:?}"
    );
    // The body line "From now on…" was escaped in the file and comes back whole.
    assert!(mbox.contains("\n>From now on"), "{mbox}");
    assert_eq!(reply[7], "True", "the reply's text reads back: {reply:?}");
}

#[test]
fn staff_get_notes_and_only_the_side_conversations_they_are_in() {
    let desk = desk();
    let mette = desk.ok(&["inbox", "--as", "mette", "--format", "json"]);
    let letters: serde_json::Value = serde_json::from_str(&mette).unwrap();
    let subjects: Vec<&str> = letters
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["subject"].as_str().unwrap())
        .collect();
    assert!(
        !subjects.iter().any(|s| s.contains("Side conversation")),
        "{subjects:?}"
    );
    // Mette, made a follower by the @mention, was told of that note and of the reply.
    assert!(mette.contains("@mette SECRET draft review?"), "{mette}");
    assert!(mette.contains("Fixed in 2.1."), "{mette}");
    let anders = desk.ok(&["inbox", "--as", "anders"]);
    assert!(
        anders.contains("Side conversation: SECRET subject"),
        "{anders}"
    );
    // Nobody gets their own message.
    let jonas = desk.ok(&["inbox", "--as", "jonas", "--format", "json"]);
    assert!(!jonas.contains("Fixed in 2.1."), "{jonas}");
}

#[test]
fn an_outsider_has_an_empty_inbox_and_mbox_is_for_inbox_only() {
    let desk = desk();
    assert_eq!(desk.ok(&["inbox", "--as", EVE, "--format", "mbox"]), "");
    let said = desk.fails(&["show", "1", "--format", "mbox"], 2);
    assert!(said.contains("--format mbox is for tkt inbox"), "{said}");
    let said = desk.fails(&["inbox"], 2);
    assert!(said.contains("--as"), "{said}");
}
