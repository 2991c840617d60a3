//! The fast reader of tkt's own layout (`yaml::layout`) held to the reference read (the guard, serde_yaml,
//! validation): for every file of every corpus, the store's read gives the reference's ticket (and, without
//! bodies, its summary) or the same refusal with the same exit code; and every file tkt writes takes the
//! fast path, so the speed of `list` and `show` does not quietly fall back.

use std::path::Path;

use proptest::prelude::*;
use tkt::model::summary::Summary;
use tkt::store::{read_ticket_text, reference_ticket};
use tkt::yaml::layout::{self, Bodies};

use crate::desk::Desk;

#[path = "../../examples/gen-store.rs"]
#[allow(dead_code)]
pub(crate) mod gen_store;

/// Whether the fast reader took `text` (as the file of ticket `id`); an error if the store's read,
/// with or without bodies, differs from the reference in any way.
pub(crate) fn agrees(id: u64, text: &str) -> Result<bool, String> {
    let name = format!("{id}.yaml");
    let path = Path::new(&name);
    let reference = reference_ticket(path, id, text);
    for bodies in [Bodies::Read, Bodies::Skip] {
        let read = read_ticket_text(path, id, text, bodies);
        match (&read, &reference) {
            (Ok(a), Ok(b)) => {
                let same = match bodies {
                    Bodies::Read => a == b,
                    Bodies::Skip => Summary::of(a) == Summary::of(b),
                };
                if !same {
                    return Err(format!(
                        "{bodies:?}: the read differs from the reference: {}\n{text}",
                        first_difference(&format!("{a:#?}"), &format!("{b:#?}"))
                    ));
                }
            }
            (Err(a), Err(b)) => {
                let (a, b) = (
                    (tkt::exit::code_of(a), format!("{a:#}")),
                    (tkt::exit::code_of(b), format!("{b:#}")),
                );
                if a != b {
                    return Err(format!(
                        "{bodies:?}: refused differently: {a:?} / {b:?}\n{text}"
                    ));
                }
            }
            (a, b) => {
                return Err(format!(
                    "{bodies:?}: one read refused, one did not: {:?} / {:?}\n{text}",
                    a.as_ref().map(|_| "a ticket").map_err(|e| format!("{e:#}")),
                    b.as_ref().map(|_| "a ticket").map_err(|e| format!("{e:#}")),
                ));
            }
        }
    }
    Ok(layout::ticket(text, Bodies::Read).is_some_and(|t| t.validate(id).is_ok()))
}

/// The first line where two debug forms differ, with both versions.
fn first_difference(a: &str, b: &str) -> String {
    let (mut a, mut b) = (a.lines(), b.lines());
    for n in 1.. {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, None) => break,
            (x, y) => return format!("line {n}: read {x:?}, reference {y:?}"),
        }
    }
    String::new()
}

fn fast(id: u64, text: &str) -> bool {
    agrees(id, text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_ticket_of_the_example_store_is_read_fast_and_the_same() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tickets.example");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let Some(id) = tkt::store::id_of_file_name(&name) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(fast(id, &text), "{name} was not read by the fast reader");
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} tickets");
}

#[test]
fn every_ticket_of_the_generated_store_is_read_fast_and_the_same() {
    let desk = gen_store::desk();
    // A spread of the 10,000-ticket store the benchmark lists: every shape the generator makes.
    for mix in [gen_store::Mix::Realistic, gen_store::Mix::AllOpen] {
        for id in (1..=10_000).step_by(13) {
            let ticket = gen_store::ticket(id, 10_000, 2026, mix, &desk);
            let text = tkt::yaml::to_string(&ticket).unwrap();
            assert!(
                fast(id, &text),
                "generated ticket #{id} was not read fast:\n{text}"
            );
        }
    }
}

#[test]
fn hostile_files_of_the_trust_tests_are_refused_the_same_way() {
    let base = crate::trust_parse::TICKET;
    for (case, tail, _) in crate::trust_parse::hostile() {
        assert!(!fast(3, &format!("{base}{tail}")), "{case}");
    }
    for bomb in crate::trust_parse::alias_bombs(2_000) {
        assert!(!fast(3, &format!("{base}{bomb}")));
        assert!(!fast(3, &bomb));
    }
}

/// A ticket as tkt writes it, with every kind of entry and no key tkt does not know.
fn canonical() -> String {
    let mut t = crate::trust_fuzz::base_ticket();
    t.extra.clear();
    t.cc.iter_mut().for_each(|c| c.extra.clear());
    t.comments.iter_mut().for_each(|c| c.extra.clear());
    t.events.iter_mut().for_each(|e| e.extra.clear());
    for s in &mut t.side_conversations {
        s.extra.clear();
        s.messages.iter_mut().for_each(|m| m.extra.clear());
    }
    tkt::yaml::to_string(&t).unwrap()
}

#[test]
fn the_canonical_fixture_is_read_fast() {
    assert!(fast(7, &canonical()));
}

#[test]
fn keys_in_any_order_read_the_same() {
    let text = canonical();
    // The top-level entries, each with the lines below it, in reverse order.
    let mut blocks: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            blocks.push(String::new());
        }
        let block = blocks.last_mut().unwrap();
        block.push_str(line);
        block.push('\n');
    }
    blocks.reverse();
    let reversed = blocks.concat();
    // And each comment's keys the other way round too.
    let reversed = reversed.replace("- n: 1\n  id: 41d8e525\n", "- id: 41d8e525\n  n: 1\n");
    assert!(reversed.starts_with("events:"), "{reversed}");
    assert!(fast(7, &reversed));

    let desk = Desk::new();
    desk.write("7.yaml", &reversed);
    let out = desk.run(&["list", "--all", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == 7)
        .expect("listed");
    assert_eq!(row["subject"], "PDF export fails on macOS 10.14");
    assert_eq!(row["status"], "open");
}

#[test]
fn block_scalars_of_every_shape_read_the_same() {
    let text = canonical();
    let body_line = text
        .lines()
        .find(|l| l.starts_with("  body: |-"))
        .expect("a literal body");
    let bodies = [
        "  body: |\n    one\n    two\n",
        "  body: |+\n    one\n\n\n",
        "  body: |2-\n\n     indented first\n    then not\n",
        "  body: |-2\n      deeper\n    base\n",
        "  body: |-\n    trailing spaces   \n    \n       \n    end\n",
        "  body: |-\n    a\n  \n    b\n",
        "  body: |\n    one\n   \n",
        "  body: |-\n    x: y\n    - z\n    # not a comment\n    --- not a document\n",
        "  body: |-\n     starts deeper\n    then shallower\n",
        "  body: |-\n   three\n",
        "  body: |-\n  too shallow\n",
        "  body: |-\n\n    blank first\n",
        "  body: >-\n    folded\n",
        "  body: |0\n    zero\n",
        "  body: | # comment\n    x\n",
        "  body: '  it''s  '\n",
        "  body: 'unclosed\n    more'\n",
        "  body: \"tab\\there \\u00e9 \\U0001F3AB \\x41 \\N \\_ \\L \\P \\0\"\n",
        "  body: \"bad \\q escape\"\n",
        "  body: \"bad \\ud800 surrogate\"\n",
        "  body: plain # comment\n",
        "  body: plain: colon\n",
        "  body: ~\n",
        "  body: null\n",
        "  body: 42\n",
        "  body: true\n",
        "  body: [a]\n",
        "  body: []\n",
        "  body: &anchor x\n",
        "  body: !tag x\n",
        "  body:\n",
        "  body:\n    nested: map\n",
    ];
    let start = text.find(body_line).unwrap();
    let rest = &text[start + body_line.len() + 1..];
    let end = start + body_line.len() + 1 + rest.find("\n- n: 2").map_or(0, |i| i + 1);
    for body in bodies {
        let edited = format!("{}{body}{}", &text[..start], &text[end..]);
        agrees(7, &edited).unwrap_or_else(|e| panic!("{body:?}: {e}"));
    }
    // The shapes tkt writes itself are read fast.
    for body in &bodies[..8] {
        let edited = format!("{}{body}{}", &text[..start], &text[end..]);
        assert!(fast(7, &edited), "{body:?}");
    }
}

/// Characters libyaml reads in a way of its own (line breaks, a byte-order mark) make the fast reader
/// step aside, so a text holding them may take either path.
fn plain_only(texts: &[&str]) -> bool {
    texts.iter().all(|t| {
        !t.contains([
            '\u{85}', '\u{2028}', '\u{2029}', '\u{feff}', '\u{fffe}', '\u{ffff}',
        ])
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn any_text_in_any_field_is_read_fast_and_the_same(
        subject in crate::trust_fuzz::any_text(),
        body in crate::trust_fuzz::any_text(),
        message in crate::trust_fuzz::any_text(),
        name in crate::trust_fuzz::any_text(),
        group in crate::trust_fuzz::any_text(),
        tag in crate::trust_fuzz::any_text(),
        detail in crate::trust_fuzz::any_text(),
    ) {
        let mut t: tkt::model::Ticket = tkt::yaml::from_str(&canonical()).unwrap();
        t.subject = subject.clone();
        t.comments[0].body = body.clone();
        t.side_conversations[0].messages[1].body = message.clone();
        t.cc[0].name = Some(name.clone());
        t.group = Some(group.clone());
        t.tags.push(tag.clone());
        t.events[1].detail = Some(detail.clone());
        let text = tkt::yaml::to_string(&t).unwrap();
        let took = agrees(7, &text).map_err(TestCaseError::fail)?;
        if plain_only(&[&subject, &body, &message, &name, &group, &tag, &detail]) {
            prop_assert!(took, "not read fast:\n{}", text);
        }
    }

    #[test]
    fn mutated_canonical_files_read_the_same_by_either_path(
        edits in prop::collection::vec(crate::trust_fuzz::edit(), 1..5)
    ) {
        let text = crate::trust_fuzz::apply_to(&canonical(), &edits);
        agrees(7, &text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn canonical_files_with_random_bytes_spliced_in_read_the_same(
        splices in prop::collection::vec((any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 0..8)), 1..6)
    ) {
        let mut bytes = canonical().into_bytes();
        for (at, insert) in splices {
            let at = at.index(bytes.len() + 1);
            let end = (at + insert.len()).min(bytes.len());
            bytes.splice(at..end, insert);
        }
        if let Ok(text) = String::from_utf8(bytes) {
            agrees(7, &text).map_err(TestCaseError::fail)?;
        }
    }
}

/// Whether the fast reader took a people file; an error if what it read differs from serde_yaml's.
fn people_agree(text: &str) -> Result<bool, String> {
    let Some(fast) = layout::people(text).filter(|p| p.validate().is_ok()) else {
        return Ok(false);
    };
    match tkt::yaml::from_str::<tkt::model::People>(text) {
        Ok(reference) if reference == fast => Ok(true),
        Ok(reference) => Err(format!(
            "the people differ: {}\n{text}",
            first_difference(&format!("{fast:#?}"), &format!("{reference:#?}"))
        )),
        Err(e) => Err(format!(
            "serde_yaml refuses what the fast reader read: {e}\n{text}"
        )),
    }
}

#[test]
fn people_files_tkt_writes_are_read_fast_and_the_same() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("tickets.example/people.yaml");
    let example = std::fs::read_to_string(example).unwrap();
    assert_eq!(people_agree(&example), Ok(true));
    let generated = tkt::yaml::to_string(&gen_store::desk().people).unwrap();
    assert_eq!(people_agree(&generated), Ok(true));
    // As `tkt person add` wrote it.
    let desk = Desk::new();
    let written = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    assert_eq!(people_agree(&written), Ok(true));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_people_files_read_the_same_by_either_path(
        edits in prop::collection::vec(crate::trust_fuzz::edit(), 1..5)
    ) {
        let base = tkt::yaml::to_string(&gen_store::desk().people).unwrap();
        let base: String = base.lines().take(40).map(|l| format!("{l}\n")).collect();
        let text = crate::trust_fuzz::apply_to(&base, &edits);
        people_agree(&text).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn an_events_author_is_checked_even_where_the_summary_leaves_events_out() {
    let text = canonical();
    let first = text.find("  by: jonas\n").expect("an event by jonas");
    let with = |by: &str| format!("{}  by: {by}\n{}", &text[..first], &text[first + 12..]);
    // Free text is no author: both readers refuse it the same way, with or without bodies.
    let free_text = with("Jonas Berg");
    assert!(!fast(7, &free_text));
    let err = read_ticket_text(Path::new("7.yaml"), 7, &free_text, Bodies::Skip).unwrap_err();
    assert!(format!("{err:#}").contains("events[0].by"), "{err:#}");
    // The desk itself (no author) and an address are authors.
    assert!(fast(7, &with("''")));
    assert!(fast(7, &with("ana@customer.example")));
}
