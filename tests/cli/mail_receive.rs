//! `tkt mail receive`: real RFC 5322 messages (the `.eml` files under tests/fixtures/mail/ and messages
//! built here) fed to the binary, and the ticket read back afterwards as staff, as the customer and in
//! its history: the six email rules, new CCs from the Cc line, the text cut above the quote, attachments,
//! redelivery, new and follow-up tickets, --dry-run, the round trip through `tkt inbox --format mbox`,
//! and hostile mail that must change nothing.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk, EVE};

/// The thread of ticket 1, as tkt's own notifications name it (`tkt inbox`, default desk address).
const THREAD: &str = "<tkt.1@tkt.invalid>";
const SUBJECT: &str = "PDF export fails on macOS 10.14";
const CAROL: &str = "carol@customer.example";
const DAN: &str = "dan@customer.example";

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A plain-text message with CRLF line ends, as a mail client sends it. `cc` and `in_reply_to` may be
/// empty (no such header).
fn message(
    from: &str,
    to: &str,
    cc: &str,
    subject: &str,
    message_id: &str,
    in_reply_to: &str,
    text: &str,
) -> Vec<u8> {
    let mut m = format!("From: {from}\r\nTo: {to}\r\n");
    if !cc.is_empty() {
        m.push_str(&format!("Cc: {cc}\r\n"));
    }
    m.push_str(&format!(
        "Subject: {subject}\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\nMessage-ID: <{message_id}>\r\n"
    ));
    if !in_reply_to.is_empty() {
        m.push_str(&format!(
            "In-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\n"
        ));
    }
    m.push_str(
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
    );
    m.push_str(&text.replace('\n', "\r\n"));
    m.push_str("\r\n");
    m.into_bytes()
}

/// A reply on ticket 1's thread (In-Reply-To and References name it).
fn reply(from: &str, to: &str, cc: &str, message_id: &str, text: &str) -> Vec<u8> {
    message(
        from,
        to,
        cc,
        &format!("Re: [#1] {SUBJECT}"),
        message_id,
        THREAD,
        text,
    )
}

/// Replaces the store's settings (every key of tkt.yaml is optional).
fn settings(desk: &Desk, yaml: &str) {
    desk.write("tkt.yaml", yaml);
}

fn run(desk: &Desk, args: &[&str], input: &[u8]) -> Output {
    desk.tkt()
        .args(["mail", "receive"])
        .args(args)
        .write_stdin(input.to_vec())
        .output()
        .expect("run tkt")
}

/// `mail receive ARGS --format json` with `input` on stdin; insists on success and a valid answer.
/// Returns the answer and stderr.
fn receive(desk: &Desk, args: &[&str], input: &[u8]) -> (Value, String) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run(desk, &all, input);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        out.status.success(),
        "mail receive {args:?} failed ({:?}): {stderr}",
        out.status.code()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let answer: Value = serde_json::from_slice(&out.stdout).expect("a JSON answer");
    crate::contract::valid(desk, "mail", &answer, "mail receive --format json");
    (answer, stderr)
}

/// Every file of the store a message could change: the tickets and settings at the top and everything
/// under mail/, with their bytes.
fn state(desk: &Desk) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for dir in [desk.root().to_path_buf(), desk.path("mail")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

/// Names under mail/ (none when the directory is not there).
fn kept(desk: &Desk) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(desk.path("mail"))
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `mail receive ARGS` with `input` must exit `code` with one line on stderr, nothing on stdout, and the
/// store exactly as it was. Returns stderr.
fn refused(desk: &Desk, args: &[&str], input: &[u8], code: i32) -> String {
    let before = state(desk);
    let out = run(desk, args, input);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(code),
        "mail receive {args:?}: expected exit {code}, stdout {:?}, stderr {stderr:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line on stderr, got {stderr:?}"
    );
    assert!(out.stdout.is_empty(), "{:?}", out.stdout);
    let after = state(desk);
    assert!(
        after == before,
        "the store changed: {:?} -> {:?}",
        before.iter().map(|f| &f.0).collect::<Vec<_>>(),
        after.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    stderr
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

/// The full staff view of ticket `id`.
fn staff(desk: &Desk, id: u64) -> Value {
    json(&desk.ok(&["show", &id.to_string(), "--format", "json"]))
}

/// Comment `n` of the staff view.
fn comment(doc: &Value, n: u64) -> Value {
    doc["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["n"] == n)
        .unwrap_or_else(|| panic!("no comment {n}: {doc:#}"))
        .clone()
}

fn comment_count(doc: &Value) -> usize {
    doc["comments"].as_array().unwrap().len()
}

/// The bodies a viewer sees on ticket `id`.
fn seen_by(desk: &Desk, id: u64, who: &str) -> Vec<String> {
    json(&desk.show_as(id, who, "json"))["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap().to_string())
        .collect()
}

/// The CCs' addresses and names on the staff view.
fn ccs(doc: &Value) -> Vec<(String, Option<String>)> {
    doc["cc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["email"].as_str().unwrap().to_string(),
                c["name"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn cc_emails(doc: &Value) -> Vec<String> {
    ccs(doc).into_iter().map(|(e, _)| e).collect()
}

/// The last `mail` event of the staff view.
fn mail_event(doc: &Value) -> Value {
    doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["action"] == "mail")
        .unwrap_or_else(|| panic!("no mail event: {doc:#}"))
        .clone()
}

/// Asserts that comment `n` of ticket `id` came by mail from `email` with `visibility` and `reason`,
/// that the event names the kept file, and that the customer `ANA` sees it exactly when it is public.
fn assert_entry(desk: &Desk, id: u64, n: u64, email: &str, visibility: &str, reason: &str) {
    let doc = staff(desk, id);
    let c = comment(&doc, n);
    assert_eq!(c["author"]["email"], email, "{c:#}");
    assert_eq!(c["visibility"], visibility, "{c:#}");
    let event = mail_event(&doc);
    assert_eq!(event["comment"], n, "{event:#}");
    assert_eq!(event["visibility"], visibility, "{event:#}");
    assert_eq!(event["reason"], reason, "{event:#}");
    let to = event["to"].as_str().unwrap();
    assert!(
        to.len() == "mail/.eml".len() + 16
            && to.starts_with("mail/")
            && to.ends_with(".eml")
            && to[5..21].chars().all(|c| c.is_ascii_hexdigit()),
        "{to}"
    );
    assert!(desk.path(to).is_file(), "{to} is kept");
    let body = c["body"].as_str().unwrap().to_string();
    let ana_sees = seen_by(desk, id, ANA).contains(&body);
    assert_eq!(
        ana_sees,
        visibility == "public",
        "the requester sees comment {n} exactly when it is public"
    );
}

// ---------------------------------------------------------------------------------------------------
// The six rules.

#[test]
fn rule_1_an_agent_off_the_ticket_writes_an_internal_note_and_copies_nobody() {
    let desk = Desk::new();
    desk.ticket();
    let (answer, stderr) = receive(
        &desk,
        &[],
        &reply(
            "Mette Hansen <mette@acme.example>",
            "support@tkt.invalid",
            "Carol <carol@customer.example>",
            "r1-mette@acme.example",
            "Mette here: billing has the SECRET discount code.",
        ),
    );
    assert_eq!(answer["ticket"], 1);
    assert_eq!(answer["rule"], 1);
    assert_eq!(answer["visibility"], "internal");
    assert_eq!(answer["comment"], 2);
    assert_eq!(answer["added"], serde_json::json!([]));
    assert!(
        stderr.contains("Added internal note 2 to #1 from mette@acme.example (rule 1:"),
        "{stderr}"
    );
    assert_entry(
        &desk,
        1,
        2,
        "mette@acme.example",
        "internal",
        "rule 1: an agent who is neither assignee, follower nor CC",
    );
    let doc = staff(&desk, 1);
    assert_eq!(
        comment(&doc, 2)["body"],
        "Mette here: billing has the SECRET discount code."
    );
    assert_eq!(cc_emails(&doc), [BOB], "an internal note copies nobody");
    assert!(!desk.show_as(1, ANA, "text").contains("SECRET"));
    assert!(!desk.show_as(1, BOB, "text").contains("SECRET"));
}

#[test]
fn rule_1_a_third_party_is_an_internal_note_with_a_warning_and_not_a_cc() {
    let desk = Desk::new();
    desk.ticket();
    let (answer, stderr) = receive(
        &desk,
        &[],
        &reply(
            EVE,
            "support@tkt.invalid",
            "Carol <carol@customer.example>",
            "r1-eve@elsewhere.example",
            "Ana forwarded this to me. We see the same crash.",
        ),
    );
    assert_eq!(answer["rule"], 1);
    assert_eq!(answer["visibility"], "internal");
    let warnings = answer["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{answer:#}");
    let warning = warnings[0].as_str().unwrap();
    assert!(
        warning.starts_with("eve@elsewhere.example is not on #1")
            && warning.contains("not added as a CC"),
        "{warning}"
    );
    assert!(
        stderr.contains("warning: eve@elsewhere.example is not on #1"),
        "{stderr}"
    );
    assert_entry(
        &desk,
        1,
        2,
        EVE,
        "internal",
        "rule 1: an external sender who is neither requester nor CC",
    );
    let doc = staff(&desk, 1);
    assert_eq!(
        cc_emails(&doc),
        [BOB],
        "neither Eve nor her Cc line is added"
    );
    // Eve is not on the ticket: she cannot read it, not even her own message.
    let out = desk.run(&["show", "1", "--as", EVE]);
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("same crash"));
}

#[test]
fn rule_2_a_cc_writing_to_the_desk_alone_is_internal_unless_cc_email_public() {
    let desk = Desk::new();
    desk.ticket();
    settings(&desk, "support_addresses: [help@acme.example]\n");
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            "Bob Field <bob@agency.example>",
            "help@acme.example",
            "",
            "r2-a@agency.example",
            "Between us: the client's budget is nearly gone.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(2), Some("internal"))
    );
    assert_entry(
        &desk,
        1,
        2,
        BOB,
        "internal",
        "rule 2: a CC whose message did not go to the requester",
    );

    // With cc_email_public: true, the same kind of message (to the desk's address alone) is public…
    settings(
        &desk,
        "support_addresses: [help@acme.example]\ncc_email_public: true\n",
    );
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            BOB,
            "Help Desk <help@acme.example>",
            "",
            "r2-b@agency.example",
            "We tested 2.1 on our side as well.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(2), Some("public"))
    );
    assert_entry(
        &desk,
        1,
        3,
        BOB,
        "public",
        "rule 2: a CC who wrote to the desk alone (cc_email_public: true)",
    );

    // …but not when it also went to someone other than the desk (and not to the requester).
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            BOB,
            "help@acme.example",
            "Dan <dan@customer.example>",
            "r2-c@agency.example",
            "Dan, see the note from the desk.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(2), Some("internal"))
    );
    assert_entry(
        &desk,
        1,
        4,
        BOB,
        "internal",
        "rule 2: a CC whose message did not go to the requester",
    );
    // A private reply copies nobody: the requester would read of it in the history of the CC it added.
    assert_eq!(cc_emails(&staff(&desk, 1)), [BOB]);
    assert_eq!(
        seen_by(&desk, 1, ANA),
        [
            "The PDF export crashes as soon as I press Export.",
            "We tested 2.1 on our side as well."
        ]
    );
}

#[test]
fn rule_3_the_requester_or_a_cc_writing_to_the_requester_is_public() {
    let desk = Desk::new();
    desk.ticket();
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            "Bob Field <bob@agency.example>",
            "Ana Silva <ana@customer.example>, support@tkt.invalid",
            "",
            "r3-bob@agency.example",
            "Ana, it works for us too.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(3), Some("public"))
    );
    assert_entry(&desk, 1, 2, BOB, "public", "rule 3: the requester or a CC");
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            "Ana Silva <ana@customer.example>",
            "support@tkt.invalid",
            "",
            "r3-ana@customer.example",
            "Great, thanks!",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(3), Some("public"))
    );
    assert_entry(&desk, 1, 3, ANA, "public", "rule 3: the requester or a CC");
    assert_eq!(
        seen_by(&desk, 1, BOB),
        [
            "The PDF export crashes as soon as I press Export.",
            "Ana, it works for us too.",
            "Great, thanks!"
        ]
    );
}

#[test]
fn rule_4_a_light_agent_or_a_follower_writes_an_internal_note() {
    let desk = Desk::new();
    desk.ticket();
    // Lise (light agent) is on the ticket as a CC, Mette (agent) as a follower.
    desk.ok(&["--as", "jonas", "cc", "add", "1", "lise@acme.example"]);
    desk.ok(&["--as", "jonas", "follower", "add", "1", "mette"]);
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            "Lise Produkt <lise@acme.example>",
            "support@tkt.invalid, ana@customer.example",
            "carol@customer.example",
            "r4-lise@acme.example",
            "Product view: this is on the 2.2 roadmap.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(4), Some("internal"))
    );
    assert_entry(
        &desk,
        1,
        2,
        "lise@acme.example",
        "internal",
        "rule 4: a light agent or a follower",
    );
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            "mette@acme.example",
            "support@tkt.invalid",
            "dan@customer.example",
            "r4-mette@acme.example",
            "Following along; billing is informed.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(4), Some("internal"))
    );
    assert_entry(
        &desk,
        1,
        3,
        "mette@acme.example",
        "internal",
        "rule 4: a light agent or a follower",
    );
    // Neither copies anyone in.
    assert_eq!(cc_emails(&staff(&desk, 1)), [BOB, "lise@acme.example"]);
}

#[test]
fn rule_5_staff_repeating_an_internal_note_is_internal_with_a_warning() {
    let desk = Desk::new();
    desk.ticket();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        "1",
        "-m",
        "Known limitation on 10.14; the fix ships in 2.1 but do not promise a date to anyone yet.",
    ]);
    let (answer, stderr) = receive(
        &desk,
        &[],
        &reply(
            "Jonas Berg <jonas@acme.example>",
            "ana@customer.example",
            "",
            "r5-a@acme.example",
            "Hi Ana,\n\nthe fix ships in 2.1, but do not promise a date to anyone yet.\n\nJonas",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(5), Some("internal"))
    );
    assert_entry(
        &desk,
        1,
        3,
        "jonas@acme.example",
        "internal",
        "rule 5: staff whose message repeats internal note 2",
    );
    let warnings = answer["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{answer:#}");
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .starts_with("the message repeats internal note 2 word for word"),
        "{warnings:?}"
    );
    assert!(
        stderr.contains("warning: the message repeats internal note 2"),
        "{stderr}"
    );
    assert!(!desk.show_as(1, ANA, "text").contains("promise"));

    // Seven words in a row are no copy: an agent's reply stays public (rule 6).
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            "jonas@acme.example",
            "ana@customer.example",
            "",
            "r5-b@acme.example",
            "Good news: the fix ships in 2.1 but needs a restart.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(6), Some("public"))
    );
    assert_entry(
        &desk,
        1,
        4,
        "jonas@acme.example",
        "public",
        "rule 6: an agent",
    );
}

#[test]
fn rule_5_counts_only_side_conversations_the_sender_may_see() {
    let desk = Desk::new();
    desk.ticket();
    desk.side(
        "1",
        "Font crash",
        "anders",
        "The crash comes from the font embedding in the old renderer on 10.14. \
         Their licence server still runs the unpatched build from last year.",
    );
    // Mette is on the ticket as a CC only: she sees notes but not side conversations she is not in.
    desk.ok(&["--as", "jonas", "cc", "add", "1", "mette@acme.example"]);
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            "jonas@acme.example",
            "ana@customer.example",
            "",
            "r5-side-jonas@acme.example",
            "Ana, your licence server still runs the unpatched build from last year.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(5), Some("internal"))
    );
    assert_entry(
        &desk,
        1,
        2,
        "jonas@acme.example",
        "internal",
        "rule 5: staff whose message repeats side conversation 1, message 1",
    );
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            "mette@acme.example",
            "ana@customer.example",
            "",
            "r5-side-mette@acme.example",
            // Another passage of the same message (Jonas's note now holds the first one).
            "Our engineers found that the crash comes from the font embedding in the old renderer.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(6), Some("public"))
    );
    assert_entry(
        &desk,
        1,
        3,
        "mette@acme.example",
        "public",
        "rule 6: an agent",
    );
}

#[test]
fn rule_6_an_agent_replies_publicly_unless_agent_email_public_is_false() {
    let desk = Desk::new();
    desk.ticket();
    let (answer, stderr) = receive(
        &desk,
        &[],
        &reply(
            "Jonas Berg <jonas@acme.example>",
            "Ana Silva <ana@customer.example>",
            "Carol Kunde <carol@customer.example>",
            "r6-a@acme.example",
            "Version 2.1 is out; please update.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(6), Some("public"))
    );
    assert_eq!(answer["added"][0]["email"], CAROL, "{answer:#}");
    assert!(
        stderr.contains("#1: CC'd carol@customer.example"),
        "{stderr}"
    );
    assert_entry(
        &desk,
        1,
        2,
        "jonas@acme.example",
        "public",
        "rule 6: an agent",
    );
    assert_eq!(
        ccs(&staff(&desk, 1)),
        [
            (BOB.to_string(), Some("Bob Field".to_string())),
            (CAROL.to_string(), Some("Carol Kunde".to_string()))
        ]
    );
    assert!(seen_by(&desk, 1, CAROL).contains(&"Version 2.1 is out; please update.".to_string()));

    settings(&desk, "agent_email_public: false\n");
    let (answer, _) = receive(
        &desk,
        &[],
        &reply(
            "jonas@acme.example",
            "ana@customer.example",
            "dan@customer.example",
            "r6-b@acme.example",
            "Checking with the team first.",
        ),
    );
    assert_eq!(
        (answer["rule"].as_u64(), answer["visibility"].as_str()),
        (Some(6), Some("internal"))
    );
    assert_entry(
        &desk,
        1,
        3,
        "jonas@acme.example",
        "internal",
        "rule 6: an agent (agent_email_public: false)",
    );
    assert_eq!(
        cc_emails(&staff(&desk, 1)),
        [BOB, CAROL],
        "an agent's internal note copies nobody"
    );
}

// ---------------------------------------------------------------------------------------------------
// CCs from the Cc line.

#[test]
fn the_cc_line_adds_ccs_but_never_staff_the_desk_the_blocklisted_or_over_the_limit() {
    let desk = Desk::new();
    desk.ticket();
    settings(
        &desk,
        "cc_limit: 2\ncc_blocklist: [\"*@spam.example\"]\nsupport_addresses: [help@acme.example]\nagent_cc: reject\n",
    );
    let (answer, stderr) = receive(
        &desk,
        &[],
        &reply(
            "Ana Silva <ana@customer.example>",
            "help@acme.example",
            "\"Bob Field\" <bob@agency.example>, New One <new1@customer.example>, \
             x@spam.example, Help <help@acme.example>, Anders <anders@acme.example>, \
             new2@customer.example",
            "cc-line@customer.example",
            "Adding my colleague.",
        ),
    );
    assert_eq!(answer["rule"], 3);
    let added: Vec<&str> = answer["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["email"].as_str().unwrap())
        .collect();
    assert_eq!(added, ["new1@customer.example"]);
    assert_eq!(
        answer["warnings"],
        serde_json::json!([
            "x@spam.example was not added as a CC: x@spam.example matches \"*@spam.example\" in cc_blocklist",
            "anders@acme.example was not added as a CC: they are staff and agent_cc is reject; add them as a follower instead",
            "new2@customer.example was not added as a CC: #1 has the most CCs allowed (2)"
        ])
    );
    assert!(
        stderr.contains("warning: x@spam.example was not added as a CC")
            && stderr.contains("warning: new2@customer.example was not added as a CC"),
        "{stderr}"
    );
    let doc = staff(&desk, 1);
    assert_eq!(
        ccs(&doc),
        [
            (BOB.to_string(), Some("Bob Field".to_string())),
            (
                "new1@customer.example".to_string(),
                Some("New One".to_string())
            )
        ]
    );
    assert!(doc["followers"].as_array().unwrap().is_empty(), "{doc:#}");
    let log = desk.ok(&["log", "1"]);
    assert!(log.contains("added CC new1@customer.example"), "{log}");
    assert!(!log.contains("anders") && !log.contains("help@"), "{log}");
    // The new CC reads the public conversation.
    assert_eq!(seen_by(&desk, 1, "new1@customer.example").len(), 2);
}

#[test]
fn a_reply_that_leaves_the_ccs_off_removes_nobody() {
    let desk = Desk::new();
    desk.ticket();
    desk.ok(&["--as", "jonas", "cc", "add", "1", CAROL]);
    let before = ccs(&staff(&desk, 1));
    receive(
        &desk,
        &[],
        &reply(
            ANA,
            "support@tkt.invalid",
            "",
            "no-ccs-1@customer.example",
            "Just me.",
        ),
    );
    receive(
        &desk,
        &[],
        &reply(
            BOB,
            "ana@customer.example",
            "",
            "no-ccs-2@agency.example",
            "Only to Ana.",
        ),
    );
    let doc = staff(&desk, 1);
    assert_eq!(comment_count(&doc), 3);
    assert_eq!(ccs(&doc), before);
    assert!(
        !doc["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"].as_str().unwrap().contains("remove")),
        "{doc:#}"
    );
}

// ---------------------------------------------------------------------------------------------------
// The fixture kinds.

/// Receives fixture `name` on the standard ticket; returns the new comment's body (the staff view).
fn body_of_fixture(name: &str) -> (Desk, String) {
    let desk = Desk::new();
    desk.ticket();
    let (answer, _) = receive(&desk, &[], &fixture(name));
    assert_eq!(answer["ticket"], 1, "{name}: {answer:#}");
    assert_eq!(answer["comment"], 2, "{name}: {answer:#}");
    let doc = staff(&desk, 1);
    assert_eq!(comment_count(&doc), 2, "{name}");
    let body = comment(&doc, 2)["body"].as_str().unwrap().to_string();
    (desk, body)
}

#[test]
fn a_plain_text_reply_lands_without_its_signature_and_the_quoted_notification() {
    let (desk, body) = body_of_fixture("plain.eml");
    assert_eq!(
        body,
        "Thanks, version 2.1 exports the PDF without crashing.\nThe fonts look right too."
    );
    assert_entry(&desk, 1, 2, ANA, "public", "rule 3: the requester or a CC");
    // The staff history names the kept message; the customer's never does.
    let log = desk.ok(&["log", "1"]);
    assert!(
        log.lines().any(
            |l| l.contains("public reply 2 arrived by mail, kept as mail/")
                && l.ends_with("(rule 3: the requester or a CC)")
        ),
        "{log}"
    );
    let ana_log = desk.ok(&["log", "1", "--as", ANA]);
    assert!(
        !ana_log.contains("mail/") && !ana_log.contains("rule 3"),
        "{ana_log}"
    );
    assert!(!desk.show_as(1, ANA, "json").contains("mail/"));
}

#[test]
fn an_html_only_message_becomes_text() {
    let (_desk, body) = body_of_fixture("html_only.eml");
    // Found by its [#1] subject tag (it has no In-Reply-To); tags, styles and entities are gone.
    assert_eq!(
        body.replace('\u{a0}', " "),
        "The export works now & the fonts are right.\nThank you both!"
    );
    assert!(!body.contains('<') && !body.contains("color"), "{body:?}");
}

#[test]
fn quoted_printable_and_base64_bodies_are_decoded() {
    let (_desk, body) = body_of_fixture("quoted_printable.eml");
    assert_eq!(
        body,
        "Vi har testet på macOS 10.14 igen, og eksporten virker nu på alle tre maskiner i afdelingen \
         – også med de store rapporter.\nTak for hjælpen, Jonas!"
    );
    let (_desk, body) = body_of_fixture("base64.eml");
    assert_eq!(
        body,
        "Eksporten virker nu — tusind tak!\nÅrsrapporten kom ud som én PDF på 48 sider."
    );
}

#[test]
fn encoded_words_in_the_subject_and_names_are_decoded() {
    let desk = Desk::new();
    desk.ticket();
    settings(&desk, "support_addresses: [support@tkt.invalid]\n");
    let (answer, _) = receive(&desk, &[], &fixture("encoded_headers.eml"));
    assert_eq!(answer["ticket"], 2);
    assert_eq!(answer["opened"], true);
    let doc = staff(&desk, 2);
    assert_eq!(
        doc["subject"],
        "Fakturaen for marts mangler – kan I hjælpe?"
    );
    assert_eq!(doc["requester"]["email"], "soren@customer.example");
    assert_eq!(
        ccs(&doc),
        [(
            "jorgen@customer.example".to_string(),
            Some("Jørgen Åberg".to_string())
        )]
    );
    let body = comment(&doc, 1)["body"].as_str().unwrap().to_string();
    assert_eq!(
        body.lines().collect::<Vec<_>>(),
        [
            "Hej, fakturaen for marts er ikke kommet. Kan I sende den igen?",
            "Søren"
        ]
    );
    let listed = desk.ok(&["list"]);
    assert!(listed.contains("Fakturaen for marts mangler"), "{listed}");
}

#[test]
fn outlook_quotes_are_cut() {
    let (_desk, body) = body_of_fixture("outlook_original_message.eml");
    assert_eq!(body, "Yes, I can confirm it is fixed on all three Macs.");
    let (_desk, body) = body_of_fixture("outlook_from_block.eml");
    assert_eq!(body, "Hi Jonas,\n\nAll three Macs export again.");
}

// ---------------------------------------------------------------------------------------------------
// Attachments and the kept message.

#[test]
fn an_attachment_is_named_with_its_size_and_the_message_is_kept_byte_for_byte() {
    let desk = Desk::new();
    desk.ticket();
    let input = fixture("attachment.eml");
    let (answer, _) = receive(&desk, &[], &input);
    let doc = staff(&desk, 1);
    assert_eq!(
        comment(&doc, 2)["body"],
        "Here is the crash log and a screenshot.\n\n\
         [Attached: crash.log (373 bytes), skærmbillede.png (2 KB)]"
    );
    let names = kept(&desk);
    assert_eq!(names.len(), 1, "{names:?}");
    let file = format!("mail/{}", names[0]);
    assert_eq!(answer["kept"], file.as_str());
    assert_eq!(mail_event(&doc)["to"], file.as_str());
    assert!(
        std::fs::read(desk.path(&file)).unwrap() == input,
        "the kept message is the input, byte for byte"
    );
    // The customer reads the names and sizes, not where the message is kept.
    let ana = seen_by(&desk, 1, ANA);
    assert!(ana[1].ends_with("[Attached: crash.log (373 bytes), skærmbillede.png (2 KB)]"));
    assert!(!desk.show_as(1, ANA, "json").contains("mail/"));
}

// ---------------------------------------------------------------------------------------------------
// Redelivery.

#[test]
fn the_same_message_twice_is_one_comment() {
    let desk = Desk::new();
    desk.ticket();
    let input = fixture("plain.eml");
    let (first, _) = receive(&desk, &[], &input);
    assert_eq!(first["changed"], true);
    let after_first = state(&desk);
    let (second, stderr) = receive(&desk, &[], &input);
    assert_eq!(second["ticket"], 1);
    assert_eq!(second["changed"], false);
    assert_eq!(second["redelivered"], true);
    assert_eq!(second["kept"], first["kept"]);
    assert!(stderr.contains("received before"), "{stderr}");
    // The text answer: the ticket's id, exit 0.
    let out = run(&desk, &[], &input);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    // The same Message-ID with other bytes (a relay added a header) is the same message.
    let mut relayed = b"Received: from mx2.customer.example by mx.acme.example; Mon, 2 Mar 2026 10:16:00 +0000\r\n".to_vec();
    relayed.extend_from_slice(&input);
    let (third, _) = receive(&desk, &[], &relayed);
    assert_eq!(third["redelivered"], true);
    assert!(
        state(&desk) == after_first,
        "nothing changed after the first delivery"
    );
    assert_eq!(comment_count(&staff(&desk, 1)), 2);
    assert_eq!(kept(&desk).len(), 1);
}

#[test]
fn another_senders_message_with_the_same_message_id_is_not_taken_for_a_redelivery() {
    let desk = Desk::new();
    desk.ticket();
    // Bob sends first, reusing the Message-ID Ana's mail client will give her next reply (ids are
    // chosen by senders, so anyone can copy one): Ana's reply must still land.
    let bob = reply(
        BOB,
        "help@acme.example",
        ANA,
        "<same@customer.example>",
        "Bob first.",
    );
    let ana = reply(
        ANA,
        "help@acme.example",
        BOB,
        "<same@customer.example>",
        "Ana's real reply.",
    );
    let (first, _) = receive(&desk, &[], &bob);
    let (second, _) = receive(&desk, &[], &ana);
    assert_eq!(first["redelivered"], false);
    assert_eq!(second["redelivered"], false);
    assert_eq!(second["changed"], true);
    assert_ne!(first["kept"], second["kept"]);
    let doc = staff(&desk, 1);
    assert_eq!(comment_count(&doc), 3);
    assert_eq!(comment(&doc, 3)["body"], "Ana's real reply.");
    assert_eq!(kept(&desk).len(), 2);
}

// ---------------------------------------------------------------------------------------------------
// New tickets.

#[test]
fn a_message_naming_no_ticket_opens_one_with_its_ccs() {
    let desk = Desk::new();
    desk.ticket();
    // Staff on the Cc line are copied as `cc add` copies them; with agent_cc: reject, not at all.
    settings(
        &desk,
        "support_addresses: [help@acme.example]\nagent_cc: reject\n",
    );
    let input = message(
        "Carol Kunde <carol@customer.example>",
        "Help <help@acme.example>, Dan Kunde <dan@customer.example>",
        "Anders <anders@acme.example>, ana@customer.example",
        "Re: Fwd: Invoice for March is missing",
        "new-1@customer.example",
        "",
        "Hello,\nthe March invoice never arrived.",
    );
    let (answer, stderr) = receive(&desk, &[], &input);
    assert_eq!(answer["ticket"], 2);
    assert_eq!(answer["opened"], true);
    assert_eq!(answer["visibility"], "public");
    assert_eq!(answer["rule"], Value::Null);
    assert!(
        stderr.contains("Opened #2 from carol@customer.example"),
        "{stderr}"
    );
    let doc = staff(&desk, 2);
    assert_eq!(doc["subject"], "Invoice for March is missing");
    assert_eq!(doc["requester"]["email"], CAROL);
    assert_eq!(
        ccs(&doc),
        [
            (DAN.to_string(), Some("Dan Kunde".to_string())),
            // Ana is in the people directory: the staff view names her from there.
            (ANA.to_string(), Some("Ana Silva".to_string()))
        ],
        "the To and Cc lines without the desk and staff"
    );
    assert!(doc["followers"].as_array().unwrap().is_empty());
    assert_eq!(comment_count(&doc), 1);
    assert_eq!(
        comment(&doc, 1)["body"]
            .as_str()
            .unwrap()
            .lines()
            .collect::<Vec<_>>(),
        ["Hello,", "the March invoice never arrived."]
    );
    assert_eq!(comment(&doc, 1)["visibility"], "public");
    assert_eq!(
        mail_event(&doc)["reason"],
        "a new ticket: the message names none"
    );
    assert_eq!(seen_by(&desk, 2, DAN).len(), 1);
    // Ticket 1 is untouched.
    assert_eq!(comment_count(&staff(&desk, 1)), 1);
}

#[test]
fn a_new_ticket_from_a_crlf_message_keeps_its_text_without_carriage_returns() {
    let desk = Desk::new();
    settings(&desk, "support_addresses: [help@acme.example]\n");
    // `message` writes CRLF line ends, as SMTP carries every message.
    let input = message(
        CAROL,
        "help@acme.example",
        "",
        "Login broken",
        "crlf-1@customer.example",
        "",
        "First line.\nSecond line.",
    );
    let (answer, _) = receive(&desk, &[], &input);
    assert_eq!(answer["ticket"], 1);
    let doc = staff(&desk, 1);
    assert_eq!(comment(&doc, 1)["body"], "First line.\nSecond line.");
}

#[test]
fn the_desks_own_address_is_never_a_cc_of_a_new_ticket() {
    // No support_addresses configured: tkt's notifications come from support@tkt.invalid, so a
    // customer's mail to the desk goes To that address. It is the desk, not a person to copy.
    let desk = Desk::new();
    let input = message(
        CAROL,
        "Support <support@tkt.invalid>",
        "",
        "Login broken",
        "own-address@customer.example",
        "",
        "I cannot log in.",
    );
    let (answer, _) = receive(&desk, &[], &input);
    assert_eq!(answer["ticket"], 1);
    assert_eq!(answer["added"], serde_json::json!([]), "{answer:#}");
    assert!(cc_emails(&staff(&desk, 1)).is_empty());
}

#[test]
fn staff_cannot_open_a_ticket_by_mail() {
    let desk = Desk::new();
    desk.ticket();
    let said = refused(
        &desk,
        &[],
        &message(
            "Jonas Berg <jonas@acme.example>",
            "support@tkt.invalid",
            "",
            "A new problem",
            "staff-new@acme.example",
            "",
            "Opening by mail.",
        ),
        4,
    );
    assert!(
        said.starts_with("error: the message is from jonas (staff) and names no open ticket"),
        "{said}"
    );
    assert!(kept(&desk).is_empty());
}

#[test]
fn a_blocklisted_sender_opens_no_ticket() {
    let desk = Desk::new();
    settings(
        &desk,
        "cc_blocklist: [\"*@spam.example\"]\nsupport_addresses: [support@tkt.invalid]\n",
    );
    let said = refused(
        &desk,
        &[],
        &message(
            "Offers <deals@spam.example>",
            "support@tkt.invalid",
            "",
            "Cheap licences",
            "spam-1@spam.example",
            "",
            "Buy now.",
        ),
        4,
    );
    assert!(said.contains("deals@spam.example"), "{said}");
    assert!(!desk.path("1.yaml").exists());
}

#[test]
fn a_reply_to_a_closed_ticket_opens_a_follow_up() {
    let desk = Desk::new();
    desk.ticket();
    desk.ok(&["--as", "jonas", "status", "1", "solved"]);
    desk.ok(&["--as", "jonas", "status", "1", "closed"]);
    settings(&desk, "support_addresses: [support@tkt.invalid]\n");
    let closed = desk.file(1);
    let (answer, stderr) = receive(&desk, &[], &fixture("plain.eml"));
    assert_eq!(answer["ticket"], 2);
    assert_eq!(answer["opened"], true);
    assert!(
        stderr.contains("warning: #1 is closed: the message opens a follow-up ticket"),
        "{stderr}"
    );
    assert_eq!(desk.file(1), closed, "the closed ticket is not changed");
    let doc = staff(&desk, 2);
    assert_eq!(doc["requester"]["email"], ANA);
    assert_eq!(doc["status"], "new");
    let subject = doc["subject"].as_str().unwrap();
    assert!(
        subject.ends_with(SUBJECT) && !subject.to_lowercase().starts_with("re:"),
        "{subject}"
    );
    assert_eq!(cc_emails(&doc), [BOB], "the Cc line: Bob");
    assert_eq!(
        mail_event(&doc)["reason"],
        "a new ticket: #1 is closed: the message opens a follow-up ticket"
    );
    // Only the new text: not the signature, tkt's reply line or the quoted notification.
    assert_eq!(
        comment(&doc, 1)["body"],
        "Thanks, version 2.1 exports the PDF without crashing.\nThe fonts look right too."
    );
}

// ---------------------------------------------------------------------------------------------------
// --dry-run.

#[test]
fn dry_run_changes_nothing_and_says_the_rule() {
    let desk = Desk::new();
    desk.ticket();
    let before = state(&desk);
    let input = reply(
        "jonas@acme.example",
        "ana@customer.example",
        "carol@customer.example",
        "dry-1@acme.example",
        "Please update to 2.1.",
    );
    let (answer, stderr) = receive(&desk, &["--dry-run"], &input);
    assert_eq!(answer["dry_run"], true);
    assert_eq!(answer["changed"], false);
    assert_eq!(answer["rule"], 6);
    assert_eq!(answer["visibility"], "public");
    assert_eq!(answer["reason"], "rule 6: an agent");
    assert_eq!(answer["kept"], Value::Null);
    assert!(
        stderr.contains("Would add public reply to #1 from jonas@acme.example (rule 6: an agent)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("#1: would CC carol@customer.example"),
        "{stderr}"
    );
    assert!(state(&desk) == before, "nothing changed");
    assert!(!desk.path("mail").exists());

    let new = message(
        CAROL,
        "support@tkt.invalid",
        "",
        "Login broken",
        "dry-2@customer.example",
        "",
        "I cannot log in.",
    );
    let (answer, stderr) = receive(&desk, &["--dry-run"], &new);
    assert_eq!(
        (answer["opened"].as_bool(), answer["ticket"].as_u64()),
        (Some(true), None)
    );
    assert!(
        stderr.contains("Would open a new ticket from carol@customer.example (a new ticket: the message names none)"),
        "{stderr}"
    );
    assert!(state(&desk) == before, "nothing changed");

    // A dry run is no delivery: the real one afterwards is not "received before".
    let (answer, _) = receive(&desk, &[], &input);
    assert_eq!(
        (answer["changed"].as_bool(), answer["comment"].as_u64()),
        (Some(true), Some(2))
    );
}

// ---------------------------------------------------------------------------------------------------
// The round trip through `tkt inbox --format mbox`.

/// Ana has a notification on ticket 1 (with a line an mbox escapes) and one on ticket 2.
fn notified_desk() -> Desk {
    let desk = Desk::new();
    desk.ticket();
    desk.another_ticket("Invoice for March", "Where is the March invoice?");
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
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T10:10:00Z",
        "comment",
        "2",
        "--public",
        "-m",
        "The invoice is in your account under Billing.",
    ]);
    desk
}

#[test]
fn a_reply_to_a_notification_from_the_mbox_lands_on_its_ticket_as_only_the_new_text() {
    let desk = notified_desk();
    let mbox = desk.ok(&["inbox", "--as", ANA, "--format", "mbox"]);
    let messages = crate::desk::python_mbox(&mbox);
    assert_eq!(messages.len(), 2, "{messages:#?}");
    let original = messages
        .iter()
        .find(|m| m["subject"].as_str().unwrap().starts_with("[#2] "))
        .expect("the notification of ticket 2");
    let id = original["id"].as_str().unwrap();
    assert!(
        id.starts_with("<tkt.2.") && id.ends_with("@tkt.invalid>"),
        "{id}"
    );
    let quoted: String = original["body"]
        .as_str()
        .unwrap()
        .lines()
        .map(|l| format!("> {l}\n"))
        .collect();
    let input = message(
        "Ana Silva <ana@customer.example>",
        "Support <support@tkt.invalid>",
        "",
        &format!("Re: {}", original["subject"].as_str().unwrap()),
        "roundtrip-1@customer.example",
        id,
        &format!("Found it, thank you!\n\n{quoted}"),
    );
    assert!(
        String::from_utf8_lossy(&input)
            .contains("> ##- Please type your reply above this line -##")
    );
    let ticket_1 = desk.file(1);
    let (answer, _) = receive(&desk, &[], &input);
    assert_eq!(answer["ticket"], 2);
    assert_eq!(answer["rule"], 3);
    assert_eq!(desk.file(1), ticket_1, "ticket 1 is not touched");
    assert_entry(&desk, 2, 3, ANA, "public", "rule 3: the requester or a CC");
    let doc = staff(&desk, 2);
    assert_eq!(comment(&doc, 3)["body"], "Found it, thank you!");
    assert_eq!(
        seen_by(&desk, 2, ANA).last().unwrap(),
        "Found it, thank you!"
    );
}

/// An mboxrd file split into its messages, each line's `>From ` escape taken back.
fn mboxrd_messages(mbox: &str) -> Vec<String> {
    let mut messages: Vec<String> = Vec::new();
    let mut previous_blank = true;
    for line in mbox.split_inclusive('\n') {
        if previous_blank && line.starts_with("From ") {
            messages.push(String::new());
        } else {
            let current = messages
                .last_mut()
                .expect("the mbox starts with a From line");
            let quotes = line.bytes().take_while(|b| *b == b'>').count();
            if quotes > 0 && line[quotes..].starts_with("From ") {
                current.push_str(&line[1..]);
            } else {
                current.push_str(line);
            }
        }
        previous_blank = line == "\n";
    }
    messages
}

#[test]
fn the_mbox_reads_back_with_mail_parser_threaded_by_ticket() {
    use mail_parser::MessageParser;

    let desk = notified_desk();
    let mbox = desk.ok(&["inbox", "--as", ANA, "--format", "mbox"]);
    let messages = mboxrd_messages(&mbox);
    assert_eq!(messages.len(), crate::desk::python_mbox(&mbox).len());
    assert_eq!(messages.len(), 2);
    let mut tickets = Vec::new();
    for text in &messages {
        let m = MessageParser::default()
            .parse(text.as_bytes())
            .expect("mail-parser reads the message");
        let subject = m.subject().unwrap();
        let id: u64 = subject[2..subject.find(']').unwrap()].parse().unwrap();
        tickets.push(id);
        let thread = format!("tkt.{id}@tkt.invalid");
        assert!(
            m.message_id().unwrap().starts_with(&format!("tkt.{id}.")),
            "{text}"
        );
        assert_eq!(m.in_reply_to().as_text(), Some(thread.as_str()), "{text}");
        assert_eq!(m.references().as_text(), Some(thread.as_str()), "{text}");
        let from = m.from().unwrap().first().unwrap();
        assert_eq!(from.address(), Some("support@tkt.invalid"));
        assert_eq!(m.to().unwrap().first().unwrap().address(), Some(ANA));
        let body = m.body_text(0).unwrap();
        assert!(
            body.starts_with("##- Please type your reply above this line -##"),
            "{body}"
        );
        if id == 1 {
            assert_eq!(m.cc().unwrap().first().unwrap().address(), Some(BOB));
            assert!(
                body.contains("\nFixed in 2.1.\nFrom now on it works.\n"),
                "the escaped line comes back whole: {body}"
            );
        } else {
            assert!(body.contains("\nThe invoice is in your account under Billing.\n"));
        }
    }
    assert_eq!(tickets, [1, 2]);
}

// ---------------------------------------------------------------------------------------------------
// Hostile mail.

#[test]
fn header_injection_in_names_and_subject_adds_no_line_break_and_no_bcc() {
    let desk = Desk::new();
    settings(&desk, "support_addresses: [support@tkt.invalid]\n");
    let (answer, _) = receive(&desk, &[], &fixture("injection.eml"));
    assert_eq!(answer["ticket"], 1);
    let doc = staff(&desk, 1);
    let subject = doc["subject"].as_str().unwrap();
    assert!(
        !subject.contains('\n') && !subject.contains('\r') && subject.starts_with('a'),
        "{subject:?}"
    );
    assert_eq!(doc["requester"]["email"], CAROL);
    // Only Dan is copied; nobody from the injected lines, and Dan's name (if kept) is one line.
    let cc = ccs(&doc);
    assert_eq!(cc.len(), 1, "{cc:?}");
    assert_eq!(cc[0].0, DAN);
    if let Some(name) = &cc[0].1 {
        assert!(!name.contains('\n') && !name.contains('\r'), "{name:?}");
    }
    let file = desk.file(1);
    assert!(
        !file.contains("evil@x.example\n") && !file.contains("email: evil"),
        "{file}"
    );
    assert!(
        !file.lines().any(|l| {
            let l = l.trim_start().to_ascii_lowercase();
            l.starts_with("bcc:") || l.starts_with("cc: evil")
        }),
        "{file}"
    );
    // Carol's notification of a later reply carries no injected header either.
    desk.ok(&["--as", "jonas", "comment", "1", "--public", "-m", "On it."]);
    let mbox = desk.ok(&["inbox", "--as", CAROL, "--format", "mbox"]);
    assert!(
        !mbox
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
        "{mbox}"
    );
    assert!(!mbox.contains("evil2@"), "{mbox}");
}

#[test]
fn a_message_over_10_mb_is_refused_whole() {
    let desk = Desk::new();
    desk.ticket();
    let mut big = reply(
        ANA,
        "support@tkt.invalid",
        "",
        "big-1@customer.example",
        "See the attached video.",
    );
    // Replace the plain body by a multipart one with a 20 MB attachment.
    let head_end = big.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    big.truncate(head_end);
    let head = String::from_utf8(big).unwrap().replace(
        "Content-Type: text/plain; charset=utf-8",
        "Content-Type: multipart/mixed; boundary=\"b\"",
    );
    let mut input = format!(
        "{head}\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the attached video.\r\n--b\r\n\
         Content-Type: video/mp4; name=\"screen.mp4\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    )
    .into_bytes();
    let line = [b"QUFB".repeat(19).as_slice(), b"\r\n"].concat();
    while input.len() < 20 * 1024 * 1024 {
        input.extend_from_slice(&line);
    }
    input.extend_from_slice(b"--b--\r\n");
    let said = refused(&desk, &[], &input, 5);
    assert!(said.contains("larger than the 10 MB tkt takes"), "{said}");
    assert!(said.contains("standard input"), "{said}");
    // As a FILE too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.eml");
    std::fs::write(&path, &input).unwrap();
    let said = refused(&desk, &[path.to_str().unwrap()], b"", 5);
    assert!(said.contains("big.eml") && said.contains("10 MB"), "{said}");
    assert!(kept(&desk).is_empty());
}

#[test]
fn malformed_mime_lands_safely_or_is_refused_never_panics() {
    let desk = Desk::new();
    desk.ticket();
    let before = state(&desk);
    let out = run(&desk, &[], &fixture("malformed_mime.eml"));
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    match out.status.code() {
        Some(0) => {
            assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
            let doc = staff(&desk, 1);
            assert_eq!(comment_count(&doc), 2);
            let body = comment(&doc, 2)["body"].as_str().unwrap().to_string();
            assert!(
                body.starts_with("The export still fails on one machine."),
                "{body:?}"
            );
            assert_eq!(kept(&desk).len(), 1);
            desk.ok(&["check"]);
        }
        Some(5) => {
            assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
            assert!(state(&desk) == before);
        }
        other => panic!("exit {other:?}: {stderr}"),
    }
    // Garbage: binary bytes, and a message cut off inside its headers.
    for input in [
        b"\x00\x01\x02\xff\xfe garbage \x80\x81".as_slice(),
        b"From: ana@customer.example\r\nSubject: =?UTF-8?B?broken\r\nContent-Type: multipart/mixed; boundary=",
    ] {
        let before = state(&desk);
        let out = run(&desk, &[], input);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!stderr.contains("panicked"), "{stderr}");
        match out.status.code() {
            Some(0) => {
                desk.ok(&["check"]);
            }
            Some(5) => {
                assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
                assert!(state(&desk) == before);
            }
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
}

#[test]
fn a_message_without_a_usable_from_is_refused() {
    let desk = Desk::new();
    desk.ticket();
    let no_from =
        b"To: support@tkt.invalid\r\nSubject: Re: [#1] x\r\nMessage-ID: <nf@x>\r\n\r\nHello\r\n";
    let said = refused(&desk, &[], no_from, 5);
    assert_eq!(
        said,
        "error: standard input: the message has no From address; nothing was changed\n"
    );
    let bad_from =
        b"From: Ana Silva\r\nTo: support@tkt.invalid\r\nSubject: Re: [#1] x\r\n\r\nHello\r\n";
    let said = refused(&desk, &[], bad_from, 5);
    assert!(said.contains("From is not a valid address"), "{said}");
    let said = refused(&desk, &[], b"just a line of text, no headers\n", 5);
    assert!(
        said.contains("no headers") || said.contains("no From"),
        "{said}"
    );
    let said = refused(&desk, &[], b"", 5);
    assert!(
        said.contains("no headers") || said.contains("no From"),
        "{said}"
    );
    assert!(kept(&desk).is_empty());
}

#[test]
fn a_message_from_a_support_address_is_refused_as_a_loop() {
    let desk = Desk::new();
    desk.ticket();
    settings(&desk, "support_addresses: [help@acme.example]\n");
    let said = refused(
        &desk,
        &[],
        &reply(
            "Help <HELP@acme.example>",
            "ana@customer.example",
            "",
            "loop-1@acme.example",
            "Auto-reply: we got your message.",
        ),
        4,
    );
    assert!(
        said.contains("help@acme.example, one of the desk's own support addresses"),
        "{said}"
    );
}

#[test]
fn a_customer_may_feed_only_their_own_mail() {
    let desk = Desk::new();
    desk.ticket();
    let anas = reply(
        "Ana Silva <ana@customer.example>",
        "support@tkt.invalid",
        "",
        "own-1@customer.example",
        "It works now.",
    );
    let said = refused(&desk, &["--as", BOB], &anas, 4);
    assert!(
        said.contains("the message is from ana@customer.example, not from bob@agency.example"),
        "{said}"
    );
    // Ana's own message goes in; she hears what her own view tells her, not where it is kept.
    let (answer, stderr) = receive(&desk, &["--as", ANA], &anas);
    assert_eq!(answer["ticket"], 1);
    assert_eq!(answer["kept"], Value::Null);
    assert_eq!(answer["comment"], Value::Null);
    assert!(
        stderr.contains("Added your message to #1") && !stderr.contains("mail/"),
        "{stderr}"
    );
    assert_entry(&desk, 1, 2, ANA, "public", "rule 3: the requester or a CC");
}
