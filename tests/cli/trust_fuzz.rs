//! Trust, fuzzed: random bytes, random YAML-ish documents and mutations of a real ticket file never make
//! the loader panic; every ticket it accepts renders for staff and customer without panicking, and writes
//! back to a file that reads as the same data. Ticket text of any kind survives a write.

use std::cell::RefCell;
use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use tkt::model::visibility::{self, View};
use tkt::model::{People, Ticket, Visibility, Who};
use tkt::render::Style;
use tkt::render::text;

/// A ticket file with a bit of everything: CCs, followers, public and internal comments, a side
/// conversation, events, block scalars, and keys tkt does not know at several levels.
const VALID: &str = r#"id: 7
subject: PDF export fails on macOS 10.14
status: open
priority: high
requester: ana@customer.example
assignee: jonas
group: Tier 2
tags:
- pdf
- macos
created: 2026-03-02T09:00:00Z
updated: 2026-03-02T10:05:00Z
cc:
- email: bob@agency.example
  name: Bob Field
  x_cc: keep
followers:
- mette
comments:
- n: 1
  id: 41d8e525
  at: 2026-03-02T09:00:00Z
  author: ana@customer.example
  visibility: public
  body: |-
    The PDF export crashes
    as soon as I press Export.
- n: 2
  id: '00420667'
  at: 2026-03-02T09:20:00Z
  author: jonas
  visibility: internal
  body: Mette, can you review my draft reply?
  x_comment: [1, 2]
side_conversations:
- n: 1
  subject: macOS 10.14 export
  state: resolved
  participants:
  - jonas
  - anders
  opened_by: jonas
  opened_at: 2026-03-02T09:25:00Z
  resolved_by: jonas
  resolved_at: 2026-03-02T09:40:00Z
  messages:
  - n: 1
    id: 915a9dae
    at: 2026-03-02T09:25:00Z
    author: jonas
    body: Anders, is 10.14 supported for PDF export?
  - n: 2
    id: d5970c04
    at: 2026-03-02T09:31:00Z
    author: anders
    body: "Known limitation;\nupdate to 10.15."
    x_message: {a: b}
events:
- at: 2026-03-02T09:00:00Z
  by: jonas
  action: create
- at: 2026-03-02T09:25:00Z
  by: jonas
  action: side.open
  detail: '1'
  side: 1
  x_event: null
x_ticket:
  nested: [1, {deep: true}]
"#;

const PEOPLE: &str = "people:
- {handle: ada, name: Ada Admin, email: ada@acme.example, role: admin}
- {handle: jonas, name: Jonas Berg, email: jonas@acme.example, role: agent}
- {handle: mette, name: Mette Hansen, email: mette@acme.example, role: agent}
- {handle: anders, name: Anders Teknik, email: anders@acme.example, role: agent}
- {handle: lise, name: Lise Produkt, email: lise@acme.example, role: light-agent}
- {handle: ana, name: Ana Silva, email: ana@customer.example, role: end-user}
";

fn people() -> People {
    tkt::yaml::from_str(PEOPLE).expect("people")
}

fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

/// What every accepted ticket must allow: views for staff, a light agent, the requester and a CC render
/// without panicking, and the ticket writes back to text that reads as the same data (and writes the
/// same text again).
fn accepted_ticket_holds(ticket: &Ticket) -> Result<(), TestCaseError> {
    let people = people();
    let style = Style::default();
    let viewers = [
        None,
        Some(people.resolve("jonas", "--as").unwrap()),
        Some(people.resolve("lise", "--as").unwrap()),
        Some(Who::External {
            email: ticket.requester.to_ascii_lowercase(),
        }),
        ticket.cc.first().map(|c| Who::External {
            email: c.email.to_ascii_lowercase(),
        }),
    ];
    for viewer in viewers.iter() {
        match visibility::view(ticket.clone(), viewer.as_ref(), &people) {
            Some(View::Staff(t)) => {
                text::staff_ticket(&t, &people, style);
            }
            Some(View::External(v)) => {
                text::external_ticket(&v, style);
            }
            None => {}
        }
    }

    // The changes commands make never panic on it either, and leave a valid ticket.
    let mut changed = ticket.clone();
    let now = ticket.updated;
    changed.add_comment(now, "jonas", Visibility::Internal, "A note".into());
    let side = changed.open_side(
        now,
        "jonas",
        "Tier 3".into(),
        vec!["jonas".into(), "anders".into()],
    );
    for s in &mut changed.side_conversations {
        s.add_message(
            ticket.id,
            &Default::default(),
            now,
            "anders",
            "Looking".into(),
        );
    }
    changed.record(tkt::model::Event::side_opened(now, "jonas", side));
    changed
        .validate(ticket.id)
        .map_err(|e| fail(format!("a change made it invalid: {e}")))?;

    let written = tkt::yaml::to_string(ticket).map_err(|e| fail(format!("cannot write: {e:#}")))?;
    let back: Ticket = tkt::yaml::from_str(&written)
        .map_err(|e| fail(format!("written but unreadable: {e}\n{written}")))?;
    back.validate(ticket.id)
        .map_err(|e| fail(format!("written but invalid: {e}\n{written}")))?;
    prop_assert_eq!(&back, ticket, "re-read differs:\n{}", written);
    let again = tkt::yaml::to_string(&back).map_err(|e| fail(format!("{e:#}")))?;
    prop_assert_eq!(again, written);
    Ok(())
}

/// Feeds text to the loader the way the store does; if it is accepted, the ticket must hold up.
fn load_text(text: &str) -> Result<(), TestCaseError> {
    crate::layout::agrees(7, text).map_err(fail)?;
    let Ok(ticket) = tkt::yaml::from_str::<Ticket>(text) else {
        return Ok(());
    };
    if ticket.validate(ticket.id).is_err() {
        return Ok(());
    }
    accepted_ticket_holds(&ticket)
}

thread_local! {
    static DIR: RefCell<Option<tempfile::TempDir>> = const { RefCell::new(None) };
}

/// A file `7.yaml` in a temporary directory of this thread.
fn scratch_file() -> PathBuf {
    DIR.with(|d| {
        d.borrow_mut()
            .get_or_insert_with(|| tempfile::tempdir().unwrap())
            .path()
            .join("7.yaml")
    })
}

/// Feeds bytes through the store's own reader (UTF-8, byte-order mark, empty files, YAML, validation).
fn load_bytes(bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = scratch_file();
    std::fs::write(&path, bytes).unwrap();
    if let Ok(text) = std::str::from_utf8(bytes) {
        crate::layout::agrees(7, text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(fail)?;
    }
    match tkt::store::load_file(&path, 7) {
        Ok(ticket) => accepted_ticket_holds(&ticket),
        Err(err) => {
            prop_assert_eq!(tkt::exit::code_of(&err), 5, "{:#}", err);
            let message = format!("{err:#}");
            prop_assert!(message.contains("7.yaml"), "{}", message);
            Ok(())
        }
    }
}

/// Scalars that YAML and serde find hard: types in disguise, indicators, anchors, tags, huge numbers,
/// escapes, odd whitespace, dates out of range.
pub(crate) fn tricky_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "~",
            "null",
            "true",
            "no",
            "0",
            "-1",
            "007",
            "0x1F",
            "1e400",
            ".nan",
            "-.inf",
            "99999999999999999999999",
            "4294967296",
            "4294967295",
            "18446744073709551615",
            "[]",
            "{}",
            "[a, b]",
            "{a: b}",
            "&a x",
            "*a",
            "!!str 5",
            "!!binary aGk=",
            "!custom x",
            "'quoted'",
            "\"dq \\u001b\"",
            "|",
            ">-",
            "|-\n  block",
            "- item",
            "? key",
            ": value",
            "#comment",
            "a # b",
            "2026-03-02T09:00:00Z",
            "2026-02-30T09:00:00Z",
            "2026-03-02",
            "09:00",
            "ana@customer.example",
            "bob@agency",
            "jonas",
            "public",
            "internal",
            "open",
            "resolved",
            "closed",
            "on-hold",
            "urgent",
            "\t",
            " lead",
            "trail ",
            "<<: *a",
            "\"\\e[2J\"",
            "'\u{202e}'",
            "\u{feff}",
            "=======",
            "<<<<<<< HEAD",
        ])
        .prop_map(str::to_string),
        "[ -~]{0,12}",
        any::<String>(),
    ]
}

/// Every key a ticket file can hold, and a few it should not.
const KEYS: &[&str] = &[
    "id",
    "subject",
    "status",
    "priority",
    "requester",
    "assignee",
    "group",
    "tags",
    "created",
    "updated",
    "cc",
    "followers",
    "comments",
    "side_conversations",
    "events",
    "n",
    "at",
    "author",
    "visibility",
    "body",
    "email",
    "name",
    "state",
    "participants",
    "opened_by",
    "opened_at",
    "resolved_by",
    "resolved_at",
    "messages",
    "by",
    "action",
    "detail",
    "side",
    "x_custom",
    "<<",
    "? ",
];

/// One line of a YAML-ish document: indentation, maybe a `- `, maybe a key, maybe a scalar.
fn yamlish_line() -> impl Strategy<Value = String> {
    (
        0..4usize,
        any::<bool>(),
        prop::option::of(prop::sample::select(KEYS)),
        prop::option::of(tricky_scalar()),
    )
        .prop_map(|(indent, dash, key, value)| {
            let mut line = "  ".repeat(indent);
            if dash {
                line.push_str("- ");
            }
            if let Some(key) = key {
                line.push_str(key);
                line.push_str(": ");
            }
            if let Some(value) = value {
                line.push_str(&value);
            }
            line
        })
}

/// A change to a line-based copy of `VALID`.
#[derive(Debug, Clone)]
pub(crate) enum Edit {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    ReplaceValue(usize, String),
    Insert(usize, String),
    Indent(usize, bool),
}

pub(crate) fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<prop::sample::Index>().prop_map(|i| i.index(1000));
    prop_oneof![
        at.clone().prop_map(Edit::Delete),
        at.clone().prop_map(Edit::Duplicate),
        (at.clone(), at.clone()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (at.clone(), tricky_scalar()).prop_map(|(a, v)| Edit::ReplaceValue(a, v)),
        (at.clone(), yamlish_line()).prop_map(|(a, l)| Edit::Insert(a, l)),
        (at, any::<bool>()).prop_map(|(a, deeper)| Edit::Indent(a, deeper)),
    ]
}

fn apply(edits: &[Edit]) -> String {
    apply_to(VALID, edits)
}

/// `edits` made to a line-based copy of `base`.
pub(crate) fn apply_to(base: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
    for e in edits {
        let n = lines.len().max(1);
        match e {
            Edit::Delete(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            Edit::Duplicate(i) if !lines.is_empty() => {
                let line = lines[i % n].clone();
                lines.insert(i % n, line);
            }
            Edit::Swap(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
            Edit::ReplaceValue(i, value) if !lines.is_empty() => {
                let line = &mut lines[i % n];
                match line.find(": ") {
                    Some(at) => line.replace_range(at + 2.., value),
                    None => {
                        *line = format!("{}{value}", &line[..line.len() - line.trim_start().len()])
                    }
                }
            }
            Edit::Insert(i, line) => lines.insert(i % (lines.len() + 1), line.clone()),
            Edit::Indent(i, deeper) if !lines.is_empty() => {
                let line = &mut lines[i % n];
                if *deeper {
                    line.insert_str(0, "  ");
                } else if line.starts_with("  ") {
                    line.replace_range(..2, "");
                }
            }
            _ => {}
        }
    }
    lines.join("\n") + "\n"
}

/// Text of any kind for the fields people type: random Unicode, and strings made of YAML's own syntax.
pub(crate) fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        tricky_scalar(),
        prop::collection::vec(
            prop::sample::select(vec![
                "\n",
                "\r\n",
                "\r",
                " ",
                "  ",
                "\t",
                ":",
                "- ",
                "#",
                "'",
                "\"",
                "\\",
                "[",
                "]",
                "{",
                "}",
                "|",
                ">",
                "&",
                "*",
                "!",
                "%",
                "@",
                "`",
                "---",
                "...",
                "\u{85}",
                "\u{2028}",
                "\u{2029}",
                "\u{feff}",
                "\u{1b}[2J",
                "\u{9b}",
                "\u{202e}",
                "\u{0}",
                "\u{7f}",
                "\u{fffd}",
                "é",
                "日本",
                "🎫",
                "x",
                "42",
                "true",
                "null",
            ]),
            0..24,
        )
        .prop_map(|parts| parts.concat()),
    ]
}

pub(crate) fn base_ticket() -> Ticket {
    tkt::yaml::from_str(VALID).expect("VALID parses")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        load_bytes(&bytes)?;
    }

    #[test]
    fn a_valid_file_with_random_bytes_spliced_in_never_panics_the_loader(
        splices in prop::collection::vec((any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 0..8)), 1..6)
    ) {
        let mut bytes = VALID.as_bytes().to_vec();
        for (at, insert) in splices {
            let at = at.index(bytes.len() + 1);
            let end = (at + insert.len()).min(bytes.len());
            bytes.splice(at..end, insert);
        }
        load_bytes(&bytes)?;
    }

    #[test]
    fn yamlish_documents_never_panic_and_accepted_ones_round_trip(
        lines in prop::collection::vec(yamlish_line(), 0..30)
    ) {
        load_text(&lines.join("\n"))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2500, ..ProptestConfig::default() })]

    #[test]
    fn mutated_ticket_files_never_panic_and_accepted_ones_round_trip(
        edits in prop::collection::vec(edit(), 1..5)
    ) {
        load_text(&apply(&edits))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn any_text_in_any_field_survives_a_write(
        subject in any_text(),
        body in any_text(),
        message in any_text(),
        name in any_text(),
        group in any_text(),
        tag in any_text(),
        detail in any_text(),
        extra in any_text(),
    ) {
        let mut t = base_ticket();
        t.subject = subject;
        t.comments[0].body = body;
        t.side_conversations[0].messages[1].body = message;
        t.cc[0].name = Some(name);
        t.group = Some(group);
        t.tags.push(tag);
        t.events[1].detail = Some(detail);
        t.extra.insert("x_extra".into(), extra.clone().into());
        // Any key but a comment's own fields, which a file can never hold twice.
        let known = ["n", "id", "at", "author", "visibility", "body"];
        let key = if known.contains(&extra.as_str()) { format!("{extra}_") } else { extra };
        t.comments[1].extra.insert(key.into(), "value".into());
        accepted_ticket_holds(&t)?;
    }
}

#[test]
fn the_fuzzed_file_is_valid_to_begin_with() {
    let t = base_ticket();
    t.validate(7).unwrap();
    assert_eq!(t.comments.len(), 2);
    assert_eq!(t.side_conversations[0].messages.len(), 2);
    assert!(t.extra.contains_key("x_ticket"));
    accepted_ticket_holds(&t).unwrap();
}

#[test]
fn brackets_in_text_are_never_mistaken_for_deep_nesting() {
    let deep = "[{".repeat(600);
    let mut t = base_ticket();
    t.subject = deep.clone();
    t.comments[0].body = format!("{deep}\n{deep}\n  {deep}");
    t.comments[1].body = format!("a: {deep}\n- {deep}");
    t.side_conversations[0].messages[0].body = deep.repeat(3).replace("{", "\n[");
    t.cc[0].name = Some(format!("{deep} \"quoted\" 'single' # not a comment"));
    t.tags.push(deep.clone());
    t.group = Some(format!("\"{deep}"));
    t.events[0].detail = Some(format!("'{deep}"));
    t.extra.insert(deep.clone().into(), deep.clone().into());
    let long_line = format!("x{}", " [".repeat(2000));
    t.comments[1]
        .extra
        .insert("x_long".into(), long_line.into());
    accepted_ticket_holds(&t).unwrap();
}
