//! Trust, the terminal (SPEC §5): ticket text is written by strangers, so text output never passes a
//! control character or escape sequence through (no screen clearing, no window titles, no reversed file
//! names, no overwritten lines), while JSON and YAML carry the exact text.

use serde_json::Value as Json;
use serde_yaml::Value;

use crate::desk::{ANA, BOB, Desk};

/// Clears the screen, sets the window title, turns text red through a C1 CSI, reverses the rest of the
/// line, returns the cursor to overwrite what came before, rings the bell, backspaces and deletes.
const EVIL: &str = "Export\x1b[2J\x1b]0;pwned\x07 fails\u{9b}31m red \u{202e}gnp.exe\rOK\x08\x7f\u{2066}\u{200f}\x1bc \u{61c}\u{2028}\u{2029}\u{200b}\u{feff}\u{200d} done";
/// A body may have lines; each line is as hostile.
const EVIL_BODY: &str = "First\x1b[2J line\r\nSecond\x1b]8;;http://evil.example\x07link\x1b]8;;\x07 line\u{9b}6n\n\u{202e}Third\tline";

/// Characters that must never reach a terminal from ticket data: controls, bidirectional controls,
/// zero-width and invisible format characters, line and paragraph separators. A tab is tkt's own column
/// separator in piped tables (`tabs_only_separate_columns` checks none comes from ticket data).
fn dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{061c}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{feff}'
        )
}

fn assert_harmless(what: &str, text: &str) {
    let bad: Vec<char> = text.chars().filter(|c| dangerous(*c)).collect();
    assert!(
        bad.is_empty(),
        "{what} passes {bad:?} to the terminal:\n{text}"
    );
}

/// Piped tables are tab-separated: every line has as many tabs as the first, so no tab in a cell came
/// from ticket data. Other text output has no tab at all.
fn tabs_only_separate_columns(what: &str, text: &str) {
    let tabs = |l: &str| l.matches('\t').count();
    let first = text.lines().next().map_or(0, tabs);
    for l in text.lines() {
        assert_eq!(tabs(l), first, "{what}: a tab inside a cell:\n{text}");
    }
}

/// `text` as one YAML scalar, escaped the way tkt's own writer would.
fn yaml_scalar(text: &str) -> String {
    serde_yaml::to_string(text).unwrap().trim_end().to_string()
}

/// A ticket whose every piece of text is hostile: subject, group, opening message, a public reply, an
/// internal note, a side conversation, the requester's, a CC's and an agent's display names.
fn hostile_desk() -> (Desk, String) {
    let desk = Desk::new();
    // Names, subjects and groups cannot be given on the command line with control characters (they are
    // one line of text); a hand edit can.
    let people = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    let people = people
        .replacen(
            "name: Ana Silva",
            &format!("name: {}", yaml_scalar(&format!("Ana {EVIL}"))),
            1,
        )
        .replacen(
            "name: Jonas Berg",
            &format!("name: {}", yaml_scalar(&format!("Jonas {EVIL}"))),
            1,
        );
    desk.write("people.yaml", people);
    let body = desk.path("body.txt");
    std::fs::write(&body, format!("{EVIL_BODY}\n\0NUL too")).unwrap();
    let id = desk.ok(&[
        "--as",
        "jonas",
        "new",
        "--subject",
        "Plain subject",
        "--requester",
        ANA,
        "--assignee",
        "jonas",
        "--group",
        "Plain group",
        "-F",
        body.to_str().unwrap(),
    ]);
    let id = id.trim().to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "cc",
        "add",
        &id,
        BOB,
        "--name",
        "Bob Field",
    ]);
    desk.ok(&["--as", "jonas", "comment", &id, "--public", "-m", EVIL_BODY]);
    desk.ok(&["--as", "mette", "comment", &id, "-m", EVIL]);
    desk.ok(&[
        "--as",
        "jonas",
        "side",
        "open",
        &id,
        "--subject",
        "Plain side subject",
        "--with",
        "anders",
        "-m",
        EVIL_BODY,
    ]);
    desk.ok(&["--as", ANA, "comment", &id, "-m", EVIL]);
    // The CC's display name, the subjects and the group, as a hand edit would leave them.
    let mut ticket: Value = serde_yaml::from_str(&desk.file(id.parse().unwrap())).unwrap();
    ticket["cc"][0]["name"] = format!("Bob {EVIL}").into();
    ticket["subject"] = EVIL.into();
    ticket["group"] = EVIL.into();
    ticket["side_conversations"][0]["subject"] = EVIL.into();
    desk.write(
        &format!("{id}.yaml"),
        serde_yaml::to_string(&ticket).unwrap(),
    );
    (desk, id)
}

#[test]
fn text_output_never_passes_control_characters_from_ticket_data() {
    let (desk, id) = hostile_desk();
    let id = id.as_str();
    let views: Vec<Vec<&str>> = vec![
        vec!["show", id],
        vec!["show", id, "--as", "jonas"],
        vec!["show", id, "--as", "lise"],
        vec!["show", id, "--as", "ana"],
        vec!["show", id, "--as", BOB],
        vec!["list"],
        vec!["list", "--as", "ana"],
        vec!["list", "--as", "mette"],
        vec!["cc", "list", id],
        vec!["cc", "list", id, "--as", "ana"],
        vec!["follower", "list", id],
        vec!["side", "list", id],
        vec!["side", "list", id, "--as", "anders"],
        vec!["person", "list"],
    ];
    for view in &views {
        let out = desk.run(view);
        assert!(
            out.status.success(),
            "{view:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(!stdout.trim().is_empty(), "{view:?} shows something");
        assert_harmless(&format!("{view:?}"), &stdout);
        tabs_only_separate_columns(&format!("{view:?}"), &stdout);
        assert_harmless(
            &format!("{view:?} on stderr"),
            &String::from_utf8_lossy(&out.stderr),
        );

        // With colour on, tkt's own styling is there, but none of the ticket's escapes.
        let mut coloured = view.clone();
        coloured.extend(["--color", "always"]);
        let out = desk.run(&coloured);
        let stdout = String::from_utf8(out.stdout).unwrap();
        for seq in [
            "\x1b[2J", "\x1b]", "\x1bc", "\u{9b}", "\u{202e}", "\r", "\x07", "\x08", "\0",
        ] {
            assert!(
                !stdout.contains(seq),
                "{coloured:?} passes {seq:?}:\n{stdout}"
            );
        }
    }
    // The text is still there to read, made visible.
    let shown = desk.ok(&["show", id]);
    assert!(
        shown.contains("Export") && shown.contains("done") && shown.contains("Second"),
        "{shown}"
    );
    assert!(
        shown.contains("\\x1b[2J"),
        "escapes are shown, not obeyed:\n{shown}"
    );
}

#[test]
fn error_messages_and_warnings_never_pass_control_characters_from_files() {
    let (desk, id) = hostile_desk();
    let mut ticket: Value = serde_yaml::from_str(&desk.file(id.parse().unwrap())).unwrap();
    ticket["status"] = EVIL.into();
    desk.write(
        "7.yaml",
        serde_yaml::to_string(&ticket)
            .unwrap()
            .replacen(&format!("id: {id}"), "id: 7", 1),
    );
    let stderr = desk.fails(&["show", "7"], 5);
    assert_harmless("show's error", &stderr);
    assert!(stderr.contains("7.yaml"), "{stderr}");
    let out = desk.run(&["list"]);
    assert!(out.status.success());
    assert_harmless("list's warning", &String::from_utf8_lossy(&out.stderr));
    assert_harmless("list", &String::from_utf8_lossy(&out.stdout));
    // An argument echoed in an error.
    let stderr = desk.fails(
        &[
            "--as",
            "jonas",
            "cc",
            "add",
            &id,
            &format!("x{EVIL}@y.example"),
        ],
        5,
    );
    assert_harmless("cc add's error", &stderr);
    let stderr = desk.fails(&["--as", &format!("jonas{EVIL}"), "show", &id], 5);
    assert_harmless("--as's error", &stderr);
    let stderr = desk.fails(&["show", EVIL], 2);
    assert_harmless("a usage error", &stderr);
}

#[test]
fn json_and_yaml_carry_the_exact_text() {
    let (desk, id) = hostile_desk();
    let opening = format!("{EVIL_BODY}\n\0NUL too");
    for format in ["json", "yaml"] {
        let text = desk.ok(&["show", &id, "--format", format]);
        let t: Json = if format == "json" {
            serde_json::from_str(&text).unwrap()
        } else {
            let v: Value = serde_yaml::from_str(&text).unwrap();
            serde_json::to_value(v).unwrap()
        };
        assert_eq!(t["subject"], EVIL, "{format}");
        assert_eq!(t["group"], EVIL, "{format}");
        let comments = t["comments"].as_array().unwrap();
        assert_eq!(comments[0]["body"], opening.as_str(), "{format}");
        assert_eq!(comments[1]["body"], EVIL_BODY, "{format}");
        assert_eq!(comments[2]["body"], EVIL, "{format}");
        assert_eq!(comments[3]["body"], EVIL, "{format}");
        assert_eq!(t["cc"][0]["name"], format!("Bob {EVIL}"), "{format}");
        let side = &t["side_conversations"][0];
        assert_eq!(side["subject"], EVIL, "{format}");
        assert_eq!(side["messages"][0]["body"], EVIL_BODY, "{format}");

        // The customer's own view carries their text exactly too.
        let text = desk.ok(&["show", &id, "--as", "ana", "--format", format]);
        assert!(
            text.contains("fails") && !text.contains("INTERNAL"),
            "{format}: the customer's view is there"
        );
        let v: Json = if format == "json" {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_json::to_value(serde_yaml::from_str::<Value>(&text).unwrap()).unwrap()
        };
        assert_eq!(v["subject"], EVIL, "{format}: {v:#}");
        let mut strings = Vec::new();
        collect_strings(&v, &mut strings);
        assert!(
            strings.contains(&opening),
            "{format}: the opening message, exactly: {strings:#?}"
        );
        assert!(
            strings.contains(&format!("Ana {EVIL}")) || strings.contains(&ANA.to_string()),
            "{format}"
        );

        let people = desk.ok(&["person", "list", "--format", format]);
        assert!(people.contains("Ana"), "{format}");
        let v: Json = if format == "json" {
            serde_json::from_str(&people).unwrap()
        } else {
            serde_json::to_value(serde_yaml::from_str::<Value>(&people).unwrap()).unwrap()
        };
        let mut strings = Vec::new();
        collect_strings(&v, &mut strings);
        assert!(
            strings.contains(&format!("Ana {EVIL}")),
            "{format}: {strings:?}"
        );

        let listed = desk.ok(&["list", "--format", format]);
        let v: Json = if format == "json" {
            serde_json::from_str(&listed).unwrap()
        } else {
            serde_json::to_value(serde_yaml::from_str::<Value>(&listed).unwrap()).unwrap()
        };
        assert_eq!(v[0]["subject"], EVIL, "{format}");
    }
}

fn collect_strings(v: &Json, into: &mut Vec<String>) {
    match v {
        Json::String(s) => into.push(s.clone()),
        Json::Array(items) => items.iter().for_each(|i| collect_strings(i, into)),
        Json::Object(map) => map.values().for_each(|i| collect_strings(i, into)),
        _ => {}
    }
}
