//! Trust, parsing (SPEC §5, §6): no file, however it nests, costs more to refuse than its size; every
//! error in a file names its line; values under keys tkt does not know are kept exactly as written or
//! the write is refused, never changed.

use serde_json::Value as Json;
use serde_yaml::Value;

use crate::desk::Desk;

/// A hand-written ticket #3; the line numbers the tests below expect are counted from this text.
pub(crate) const TICKET: &str = "id: 3
subject: Export fails
status: open
priority: high
requester: ana@customer.example
assignee: jonas
tags: []
created: 2026-03-02T09:00:00Z
updated: 2026-03-02T09:30:00Z
cc:
- email: bob@agency.example
  name: Bob Field
- email: carl@partner.example
followers:
- mette
- anders
comments:
- n: 1
  at: 2026-03-02T09:00:00Z
  author: ana@customer.example
  visibility: public
  body: |-
    The export crashes.
    Every time.
- n: 2
  at: 2026-03-02T09:10:00Z
  author: jonas
  visibility: internal
  body: Looking.
side_conversations:
- n: 1
  subject: Tier 3
  state: open
  participants:
  - jonas
  - anders
  opened_by: jonas
  opened_at: 2026-03-02T09:20:00Z
  messages:
  - n: 1
    at: 2026-03-02T09:20:00Z
    author: jonas
    body: Known?
  - n: 2
    at: 2026-03-02T09:25:00Z
    author: anders
    body: Yes.
- n: 2
  subject: Billing
  state: open
  participants:
  - jonas
  opened_by: jonas
  opened_at: 2026-03-02T09:21:00Z
events:
- at: 2026-03-02T09:00:00Z
  by: jonas
  action: create
x_custom:
  source: email
  nested:
    a: 1
";

/// The fixture with line `n` (from 1) replaced by `with` (which may hold several lines); checks the
/// line said `was`, so a test cannot silently point at the wrong line.
fn with_line(n: usize, was: &str, with: &str) -> String {
    let mut lines: Vec<&str> = TICKET.lines().collect();
    assert_eq!(lines[n - 1], was, "line {n} of the fixture");
    lines[n - 1] = with;
    lines.join("\n") + "\n"
}

/// A store with two tickets made by tkt (#1, #2).
fn store() -> Desk {
    let desk = Desk::new();
    desk.ticket();
    desk.ticket();
    desk
}

/// `3.yaml` holds `text`: `show` and a write are exit 5 naming the file and `line` and saying it nests
/// too deep; `list` still lists #1 and #2 and warns once about #3 and its line; the file is left as
/// it was.
fn refused_at(desk: &Desk, case: &str, text: &str, line: usize) {
    desk.write("3.yaml", text);
    let at = format!("3.yaml: line {line}: lists and mappings nested more than 128 levels deep");
    for args in [
        &["show", "3"][..],
        &["--as", "jonas", "comment", "3", "-m", "Hello"],
        &["--as", "jonas", "status", "3", "pending"],
    ] {
        let stderr = desk.fails(args, 5);
        assert!(stderr.contains(&at), "{case}: {args:?}: {stderr}");
    }
    let out = desk.run(&["list", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{case}: list: {stderr}");
    let listed: Json = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<u64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![1, 2], "{case}");
    assert_eq!(stderr.lines().count(), 1, "{case}: {stderr}");
    assert!(stderr.contains(&at), "{case}: list warns: {stderr}");
    assert_eq!(desk.file(3), text, "{case}: the file is left alone");
}

/// Hostile nestings the old text heuristic could be led past, each after the fixture's last line (62).
/// Each is refused at the line where it nests too deep.
pub(crate) fn hostile() -> Vec<(&'static str, String, usize)> {
    let deep = |open: &str| open.repeat(200_000);
    vec![
        (
            "a comment ending in |",
            format!("x_a: # |\n  y: {}\n", deep("[")),
            64,
        ),
        (
            "a quoted key ending in |",
            format!("\"x_b |\":\n  y: {}\n", deep("[")),
            64,
        ),
        (
            "a folded scalar with a comment",
            format!("x_c: > # folded\n  text\nx_d: {}\n", deep("[")),
            65,
        ),
        (
            "a block scalar with explicit indentation",
            format!("x_e: |2\n   text\nx_f: {}\n", deep("[")),
            65,
        ),
        (
            "a key after a list entry's block scalar, which the old scan took for its text",
            format!("x_g:\n- k: |\n   text\n  y: {}\n", deep("[")),
            66,
        ),
        (
            "a tag and an anchor before each [",
            format!("x_h: {}\n", deep("!t &a [")),
            63,
        ),
        ("deep braces", format!("x_i: {}\n", deep("{a: ")), 63),
        (
            "deep block lists",
            format!("x_j:\n{}a\n", "- ".repeat(100_000)),
            64,
        ),
        (
            "deep block mappings",
            format!(
                "x_k:\n{}",
                (0..200)
                    .map(|i| format!("{}k{i}:\n", "  ".repeat(i + 1)))
                    .collect::<String>()
            ),
            // x_k's mapping starts on line 64 at depth 2, each next one a line later and a level deeper.
            64 + 127,
        ),
        (
            "a deep nest inside an unknown key's value",
            format!("x_custom2:\n  a:\n    b: {}\n", deep("[")),
            65,
        ),
    ]
}

#[test]
fn hostile_nesting_is_refused_at_its_line_however_it_is_disguised() {
    let desk = store();
    for (case, tail, line) in hostile() {
        refused_at(&desk, case, &format!("{TICKET}{tail}"), line);
    }
}

#[test]
fn the_guard_does_work_in_proportion_to_the_file_never_more() {
    let bound = |text: &str| (tkt::yaml::MAX_DEPTH + 2) * text.len();
    let mut checked = 0;
    for size in [1_000, 10_000, 100_000, 1_000_000] {
        let mut texts: Vec<(String, bool)> = ["[", "{a: ", "!t [", "&a [", "[a, {b: "]
            .iter()
            .map(|open| (format!("x: {}", open.repeat(size / open.len())), true))
            .collect();
        texts.push((format!("x:\n{}a\n", "- ".repeat(size / 2)), true));
        texts.push((
            (0..size / 300)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect(),
            size >= 100_000,
        ));
        // The most a file the guard accepts can ask for: nests as deep as allowed, over and over.
        // The file's mapping and the outer list are two levels; 126 more make the most allowed.
        let nest = format!("{}{}", "[".repeat(126), "]".repeat(126));
        texts.push((
            format!("x: [{}]\n", vec![nest.as_str(); size / 256].join(",")),
            false,
        ));
        texts.push((format!("x: [{}]\n", "a, ".repeat(size / 3)), false));
        texts.push((
            format!("x: |\n{}", "  [[[[{{{{ text\n".repeat(size / 16)),
            false,
        ));
        texts.extend(alias_bombs(size).into_iter().map(|b| (b, true)));
        for (text, hostile) in texts {
            let guarded = tkt::yaml::guard(&text);
            assert_eq!(
                guarded.refusal.is_some(),
                hostile,
                "{}…: {:?}",
                &text[..40.min(text.len())],
                guarded.refusal
            );
            assert!(
                guarded.work <= bound(&text),
                "{}… ({} bytes): work {}",
                &text[..40.min(text.len())],
                text.len(),
                guarded.work
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 4 * 14);
}

#[test]
fn every_invalid_field_of_a_ticket_names_its_line() {
    let desk = store();
    let cases: Vec<(&str, String, usize, &str)> = vec![
        (
            "requester",
            with_line(5, "requester: ana@customer.example", "requester: x"),
            5,
            "requester: invalid address \"x\"",
        ),
        (
            "a CC's address",
            with_line(13, "- email: carl@partner.example", "- email: carl@partner"),
            13,
            "cc[1].email: invalid address",
        ),
        (
            "a follower",
            with_line(16, "- anders", "- anders@acme.example"),
            16,
            "followers[1]: \"anders@acme.example\" is not a staff handle",
        ),
        (
            "the assignee",
            with_line(6, "assignee: jonas", "assignee: Jonas Berg"),
            6,
            "assignee:",
        ),
        (
            "a participant",
            with_line(36, "  - anders", "  - anders@acme.example"),
            36,
            "side_conversations[0].participants[1]:",
        ),
        (
            "a comment number twice",
            with_line(25, "- n: 2", "- n: 1"),
            25,
            "comments[1].n: number 1 appears twice",
        ),
        (
            "a side conversation number twice",
            with_line(48, "- n: 2", "- n: 1"),
            48,
            "side_conversations[1].n: number 1 appears twice",
        ),
        (
            "a message number twice",
            with_line(44, "  - n: 2", "  - n: 1"),
            44,
            "side_conversations[0].messages[1].n: number 1 appears twice",
        ),
        (
            "an unknown key twice",
            format!("{TICKET}x_custom: again\n"),
            63,
            "x_custom: duplicate key (first on line 59)",
        ),
        (
            "a nested unknown key twice",
            format!("{TICKET}    a: 2\n"),
            63,
            "x_custom.nested.a: duplicate key (first on line 62)",
        ),
        (
            "a known key twice in a comment",
            with_line(29, "  body: Looking.", "  body: Looking.\n  body: Again."),
            30,
            "comments[1].body: duplicate key (first on line 29)",
        ),
        (
            "a top-level key twice",
            with_line(3, "status: open", "status: open\nstatus: pending"),
            4,
            "status: duplicate key (first on line 3)",
        ),
    ];
    for (case, text, line, message) in cases {
        desk.write("3.yaml", &text);
        let expected = format!("3.yaml: line {line}: {message}");
        let stderr = desk.fails(&["show", "3"], 5);
        assert!(stderr.contains(&expected), "{case}: {stderr}");
        let stderr = desk.fails(&["--as", "jonas", "comment", "3", "-m", "Hi"], 5);
        assert!(stderr.contains(&expected), "{case}: {stderr}");
        assert_eq!(desk.file(3), text, "{case}");
    }
    desk.write("3.yaml", TICKET);
    desk.ok(&["show", "3"]);
}

#[test]
fn an_invalid_person_or_setting_names_its_line() {
    let desk = store();
    let people = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    // Six people of four lines each after `people:`: a seventh starts on line 26.
    assert_eq!(people.lines().count(), 25, "{people}");
    for (text, line, message) in [
        (
            "- handle: mette\n  name: Another\n  email: other@acme.example\n  role: agent\n",
            26,
            "people[6].handle: handle \"mette\" appears twice",
        ),
        (
            "- handle: mette2\n  name: Another\n  email: METTE@acme.example\n  role: agent\n",
            28,
            "people[6].email: address \"METTE@acme.example\" appears twice",
        ),
    ] {
        desk.write("people.yaml", format!("{people}{text}"));
        let stderr = desk.fails(&["show", "1"], 5);
        assert!(
            stderr.contains(&format!("people.yaml: line {line}: {message}")),
            "{stderr}"
        );
    }
    desk.write("people.yaml", &people);

    let settings = std::fs::read_to_string(desk.path("tkt.yaml")).unwrap();
    let broken = settings.replacen(
        "support_addresses: []",
        "support_addresses:\n- help@acme.example\n- not an address\n",
        1,
    );
    assert_ne!(broken, settings);
    desk.write("tkt.yaml", &broken);
    let stderr = desk.fails(&["list"], 5);
    assert!(
        stderr.contains("tkt.yaml: line 6: support_addresses[1]: invalid address"),
        "{stderr}"
    );

    // A blocklist glob that globset cannot compile is named with why, not guessed at.
    for glob in ["*@[rival.example", "*@{a,b.example"] {
        let broken = settings.replacen(
            "cc_blocklist: []",
            &format!("cc_blocklist:\n- \"*@ok.example\"\n- \"{glob}\"\n"),
            1,
        );
        assert_ne!(broken, settings);
        desk.write("tkt.yaml", &broken);
        let stderr = desk.fails(&["cc", "add", "1", "x@y.example"], 5);
        assert!(
            stderr.contains(&format!(
                "tkt.yaml: line 5: cc_blocklist[1]: invalid glob \"{glob}\": "
            )),
            "{stderr}"
        );
    }
    desk.write("tkt.yaml", &settings);
}

#[test]
fn an_unknown_value_tkt_would_write_differently_is_read_but_never_rewritten() {
    let desk = store();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "an octal number",
            format!("{TICKET}x_odd: 0o17\n"),
            "line 63: unknown key \"x_odd\" holds 0o17, which tkt would rewrite as 15",
        ),
        (
            "binary",
            format!("{TICKET}x_odd: !!binary aGk=\n"),
            "line 63: unknown key \"x_odd\" holds !!binary aGk=, which tkt would rewrite as aGk=",
        ),
        (
            "an integer key",
            format!("{TICKET}7: seven\n"),
            "line 63: unknown key 7 would be rewritten as the key \"7\"",
        ),
        (
            "a tilde",
            format!("{TICKET}x_odd: ~\n"),
            "line 63: unknown key \"x_odd\" holds ~, which tkt would rewrite as null",
        ),
        (
            "a custom tag",
            format!("{TICKET}x_odd: !foo bar\n"),
            "line 63: unknown key \"x_odd\" holds !foo bar, which tkt would rewrite as bar",
        ),
        (
            "a number deep in an unknown mapping",
            with_line(62, "    a: 1", "    a: 0x1F"),
            "line 62: unknown key \"x_custom\" holds 0x1F, which tkt would rewrite as 31",
        ),
        (
            "an unknown key of a comment",
            with_line(29, "  body: Looking.", "  body: Looking.\n  x_note: 1.50"),
            "line 30: unknown key \"comments[1].x_note\" holds 1.50, which tkt would rewrite as 1.5",
        ),
    ];
    for (case, text, message) in cases {
        desk.write("3.yaml", &text);
        let shown: Json = serde_json::from_str(&desk.ok(&["show", "3", "--format", "json"]))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(shown["subject"], "Export fails", "{case}");
        let listed = desk.ok(&["list", "--format", "json"]);
        assert!(listed.contains("Export fails"), "{case}: {listed}");
        for args in [
            &["--as", "jonas", "comment", "3", "-m", "Hi"][..],
            &["--as", "jonas", "status", "3", "pending"],
        ] {
            let stderr = desk.fails(args, 5);
            assert!(
                stderr.contains(&format!("3.yaml: {message}")),
                "{case}: {stderr}"
            );
            assert!(stderr.contains("try again"), "{case}: {stderr}");
        }
        assert_eq!(desk.file(3), text, "{case}: byte for byte");
        // A change that changes nothing writes nothing, so it is not refused.
        desk.ok(&["--as", "jonas", "follower", "add", "3", "mette"]);
    }
}

#[test]
fn hand_written_unknown_values_survive_every_write_exactly() {
    let desk = store();
    let custom = "x_custom:
  plain: some text
  quoted: \"hello\"
  single: 'it''s'
  count: 3
  ratio: 1.5
  flag: true
  nothing: null
  date: 2026-03-02
  list: [a, \"b\", 'c', 4]
  nested:
    deeper: {k: v, n: [x, y]}
";
    let text = TICKET.replace("x_custom:\n  source: email\n  nested:\n    a: 1\n", custom);
    assert_ne!(text, TICKET);
    let text = text.replace(
        "  body: Looking.\n",
        "  body: Looking.\n  x_note: 'kept: as written'\n",
    );
    desk.write("3.yaml", &text);
    let original: Value = serde_yaml::from_str(&text).unwrap();

    let mut unknown_part = None;
    for (i, body) in ["One", "Two", "Three"].iter().enumerate() {
        desk.ok(&["--as", "jonas", "comment", "3", "-m", body]);
        let file = desk.file(3);
        let now: Value = serde_yaml::from_str(&file).unwrap();
        assert_eq!(now["x_custom"], original["x_custom"], "write {i}");
        assert_eq!(
            now["comments"][1]["x_note"], "kept: as written",
            "write {i}"
        );
        // After tkt's first write, its own text is kept byte for byte.
        let part = file[file.find("x_custom:").unwrap()..].to_string();
        if let Some(before) = &unknown_part {
            assert_eq!(&part, before, "write {i}");
        }
        unknown_part = Some(part);
    }
    desk.ok(&["--as", "jonas", "status", "3", "pending"]);
    desk.ok(&["--as", "jonas", "cc", "remove", "3", "carl@partner.example"]);
}

/// Alias bombs of about `size` bytes: a node of many items, then aliases that each double the one
/// before (in lists, in mappings, nested under an unknown key, and as plain repetition).
pub(crate) fn alias_bombs(size: usize) -> Vec<String> {
    let items = (size / 8).max(200);
    let base = vec!["lol"; items].join(", ");
    let doublings = |open: &str, close: &str, sep: &str| -> String {
        (1..=12)
            .map(|i| format!("x{i}: &a{i} {open}*a{}{sep} *a{}{close}\n", i - 1, i - 1))
            .collect()
    };
    vec![
        format!("x0: &a0 [{base}]\n{}", doublings("[", "]", ",")),
        format!("x0: &a0 [{base}]\n{}", doublings("{p: ", "}", ", q:")),
        format!(
            "extra:\n  deep:\n    x0: &a0 {{k: [{base}]}}\n{}",
            doublings("[", "]", ",")
                .lines()
                .map(|l| format!("    {l}\n"))
                .collect::<String>()
        ),
        format!("x0: &a0 [{base}]\nx1: [{}]\n", vec!["*a0"; 64].join(", ")),
    ]
}

#[test]
fn alias_bombs_are_refused_in_tickets_settings_and_people() {
    let desk = Desk::new();
    desk.ticket();
    let good = desk.file(1);
    let bomb = alias_bombs(10_000).remove(0);
    let indented: String = bomb.lines().map(|l| format!("  {l}\n")).collect();
    desk.write(
        "2.yaml",
        format!("{}bomb:\n{indented}", good.replacen("id: 1", "id: 2", 1)),
    );
    for args in [
        vec!["show", "2"],
        vec!["--as", "jonas", "comment", "2", "-m", "x"],
    ] {
        let err = desk.fails(&args, 5);
        assert!(err.contains("2.yaml") && err.contains("aliases"), "{err}");
    }
    let out = desk.run(&["list", "--all"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("aliases"));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("1\t"));
    // A few honest aliases still load.
    desk.write(
        "3.yaml",
        format!(
            "{}extra:\n  a: &x [1, 2]\n  b: *x\n",
            good.replacen("id: 1", "id: 3", 1)
        ),
    );
    desk.ok(&["show", "3"]);
    for file in ["tkt.yaml", "people.yaml"] {
        let before = std::fs::read_to_string(desk.path(file)).unwrap();
        desk.write(file, format!("{before}{bomb}"));
        for args in [
            vec!["list"],
            vec!["show", "1"],
            vec!["--as", "jonas", "comment", "1", "-m", "x"],
        ] {
            let err = desk.fails(&args, 5);
            // A people file that cannot be read cannot vouch for staff either: --as gets the one line.
            let precise = file == "tkt.yaml" || !args.contains(&"--as");
            let told = if precise {
                err.contains(file) && err.contains("aliases")
            } else {
                err.contains("settings cannot be read")
            };
            assert!(told, "{file} {args:?}: {err}");
        }
        desk.write(file, before);
    }
}

#[test]
fn a_second_document_and_a_people_file_without_people_are_named_at_their_line() {
    let desk = Desk::new();
    desk.ticket();
    let good = desk.file(1);
    let lines = good.lines().count();
    desk.write("1.yaml", format!("{good}---\nid: 1\n"));
    let err = desk.fails(&["show", "1"], 5);
    assert!(
        err.contains(&format!("line {}:", lines + 1)) && err.contains("more than one document"),
        "{err}"
    );
    desk.write("1.yaml", &good);
    let people = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    desk.write("people.yaml", people.replacen("people:", "peeple:", 1));
    let err = desk.fails(&["show", "1"], 5);
    assert!(
        err.contains("people.yaml: line 1") && err.contains("people"),
        "{err}"
    );
    // An empty people file is an empty directory, as before.
    desk.write("people.yaml", "");
    desk.ok(&["show", "1"]);
}
