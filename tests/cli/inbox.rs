//! `tkt inbox --as WHO`: each participant's notifications as mail, read back by a standard mbox reader
//! (Python's `mailbox`), threaded, and holding nothing a customer may not read.

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
    let header = |m: &serde_json::Value, key: &str| m[key].as_str().unwrap_or_default().to_string();
    crate::desk::python_mbox(mbox)
        .iter()
        .map(|m| {
            let keys = [
                "id",
                "in_reply_to",
                "references",
                "from",
                "to",
                "cc",
                "subject",
            ];
            let mut fields: Vec<String> = keys.iter().map(|k| header(m, k)).collect();
            // As Python prints a bool.
            let holds = m["body"].as_str().unwrap_or_default().contains(needle);
            fields.push(if holds { "True" } else { "False" }.to_string());
            fields.join("\t")
        })
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
    crate::contract::valid(&desk, "inbox", &letters, "inbox --format json");
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
    let said = desk.fails(&["inbox", "--as", BOB, "--format", "mbox", "--jq", "."], 2);
    assert!(said.contains("--jq filters JSON"), "{said}");
}

#[test]
fn a_new_ccs_letter_holds_only_what_was_public_then_and_names_no_follower() {
    let desk = desk();
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T11:00:00Z",
        "comment",
        "1",
        "--public",
        "--force",
        "-m",
        "Mette, can we credit 15 seats?",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T11:05:00Z",
        "make-private",
        "1",
        "4",
    ]);
    // Mette (a follower nobody on the thread sees) copies Dora.
    desk.ok(&[
        "--as",
        "mette",
        "--now",
        "2026-03-02T11:10:00Z",
        "cc",
        "add",
        "1",
        "dora@customer.example",
    ]);
    let mbox = desk.ok(&["inbox", "--as", "dora@customer.example", "--format", "mbox"]);
    assert!(
        !mbox.contains("credit 15"),
        "private before Dora came: {mbox}"
    );
    assert!(!mbox.contains("Mette"), "{mbox}");
    assert!(
        mbox.contains("From: \"Support\" <support@tkt.invalid>"),
        "{mbox}"
    );
    assert!(
        mbox.contains("Fixed in 2.1."),
        "the public conversation so far: {mbox}"
    );
}

#[test]
fn a_customer_writes_under_their_address_and_every_copy_has_the_same_headers() {
    let desk = desk();
    desk.ok(&[
        "--as",
        ANA,
        "--now",
        "2026-03-02T11:00:00Z",
        "cc",
        "add",
        "1",
        "mallory@evil.example",
        "--name",
        "Acme Billing Team",
    ]);
    desk.ok(&[
        "--as",
        "mallory@evil.example",
        "--now",
        "2026-03-02T11:05:00Z",
        "comment",
        "1",
        "-m",
        "Re-enter your card.",
    ]);
    let bob = desk.ok(&["inbox", "--as", BOB, "--format", "mbox"]);
    assert!(
        bob.contains("From: \"Acme Billing Team (mallory@evil.example)\" <support@tkt.invalid>"),
        "{bob}"
    );
    assert!(
        bob.contains("Acme Billing Team (mallory@evil.example) wrote on"),
        "{bob}"
    );
    // Ana's copy of Mallory's message is Cc the author too, so reply-all keeps everyone on it.
    let ana = desk.ok(&["inbox", "--as", ANA, "--format", "json"]);
    let letters: serde_json::Value = serde_json::from_str(&ana).unwrap();
    let last = letters.as_array().unwrap().last().unwrap();
    let cc: Vec<&str> = last["cc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert!(
        cc.contains(&"mallory@evil.example") && cc.contains(&BOB),
        "{last}"
    );
    // Staff copied as a CC get a real address, not a handle.
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T11:10:00Z",
        "cc",
        "add",
        "1",
        "anders@acme.example",
    ]);
    let anders = desk.ok(&["inbox", "--as", "anders", "--format", "mbox"]);
    assert!(
        anders.contains("To: <anders@acme.example>")
            || anders.contains("To: \"Anders Teknik\" <anders@acme.example>"),
        "{anders}"
    );
    assert!(!anders.contains("<anders>"), "{anders}");
}

#[test]
fn the_desks_address_comes_from_the_settings_and_names_the_thread() {
    let desk = desk();
    let settings = std::fs::read_to_string(desk.path("tkt.yaml")).unwrap();
    desk.write(
        "tkt.yaml",
        format!("{settings}support_address: help@acme.example\n"),
    );
    let mbox = desk.ok(&["inbox", "--as", BOB, "--format", "mbox"]);
    assert!(
        mbox.contains("From: \"Jonas Berg (Support)\" <help@acme.example>"),
        "{mbox}"
    );
    assert!(mbox.contains("In-Reply-To: <tkt.1@acme.example>"), "{mbox}");
    assert!(!mbox.contains("tkt.invalid"), "{mbox}");
}

#[test]
fn only_the_tickets_someone_is_on_are_read_and_a_broken_one_is_named_to_staff_alone() {
    let desk = desk();
    let other = desk.another_ticket("Elsewhere", "Not Bob's");
    // A broken ticket Bob is not on never stops or shows in his inbox; staff on it hear of it.
    desk.write(&format!("{other}.yaml"), "id: [broken\n");
    let bob = desk.run(&["inbox", "--as", BOB]);
    assert!(bob.status.success());
    assert!(String::from_utf8_lossy(&bob.stderr).is_empty(), "{:?}", bob);
    let jonas = desk.run(&["inbox", "--as", "jonas"]);
    assert!(jonas.status.success());
    assert!(
        String::from_utf8_lossy(&jonas.stderr).contains("skipped"),
        "{:?}",
        jonas
    );
}
