//! Trust, hand-edited files (SPEC §6): a broken or hostile ticket file is exit 5 with one line naming the
//! file (and the line or field where there is one), never a panic, and every other ticket keeps working;
//! keys tkt does not know survive a rewrite.

use serde_json::Value as Json;
use serde_yaml::Value;

use crate::desk::{ANA, Desk};

/// A store with two good tickets (#1, #2) and the text of a good ticket file for #3 to break.
fn store() -> (Desk, String) {
    let desk = Desk::new();
    desk.ticket();
    desk.ticket();
    let good = desk.file(1).replacen("id: 1\n", "id: 3\n", 1);
    (desk, good)
}

/// The good ticket #3 as a YAML tree, changed by `edit`, as text.
fn edited(good: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut tree: Value = serde_yaml::from_str(good).unwrap();
    edit(&mut tree);
    serde_yaml::to_string(&tree).unwrap()
}

fn set(path: &[&str], value: Value) -> impl FnOnce(&mut Value) {
    let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    move |tree| {
        let mut at = tree;
        for key in &path {
            at = match key.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[key.as_str()],
            };
        }
        *at = value;
    }
}

fn remove(key: &'static str) -> impl FnOnce(&mut Value) {
    move |tree| {
        tree.as_mapping_mut().unwrap().remove(key);
    }
}

/// `3.yaml` holds `contents`: every command on #3 is exit 5 with one line naming the file and `fragments`;
/// the file is left as it was; #1 and #2 keep working and `list` lists them, warning about #3.
fn refused_alone(desk: &Desk, case: &str, contents: &[u8], fragments: &[&str]) {
    let path = desk.path("3.yaml");
    std::fs::write(&path, contents).unwrap();
    for args in [
        &["show", "3"][..],
        &["show", "3", "--format", "json"],
        &["--as", "jonas", "comment", "3", "-m", "Hello"],
        &["--as", "jonas", "cc", "add", "3", "new@partner.example"],
        &["--as", "jonas", "status", "3", "open"],
    ] {
        let stderr = desk.fails(args, 5);
        assert!(
            stderr.contains("3.yaml"),
            "{case}: {args:?} names the file: {stderr}"
        );
        for fragment in fragments {
            assert!(
                stderr.contains(fragment),
                "{case}: {args:?} says {fragment:?}: {stderr}"
            );
        }
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        contents,
        "{case}: the broken file is left alone"
    );

    // An external viewer learns nothing about the file: the answer is the one for a ticket that does
    // not exist, word for word.
    let stderr = desk.fails(&["show", "3", "--as", ANA], 4);
    assert_eq!(
        stderr,
        desk.fails(&["show", "999", "--as", ANA], 4)
            .replace("999", "3"),
        "{case}"
    );

    let out = desk.run(&["list", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{case}: list fails: {stderr}");
    let listed: Json = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<u64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![1, 2], "{case}");
    assert_eq!(stderr.lines().count(), 1, "{case}: one warning: {stderr}");
    assert!(
        stderr.contains("3.yaml"),
        "{case}: list warns about the file: {stderr}"
    );
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{case}: {stderr:?}"
    );
    desk.ok(&["show", "1"]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        "2",
        "-m",
        &format!("still fine after {case}"),
    ]);
    std::fs::remove_file(&path).unwrap();
}

/// The billion laughs: nine levels of nine aliases.
fn alias_bomb(good: &str) -> String {
    let mut text = String::from("lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let prev = format!("*l{}", level - 1);
        let items = [prev.as_str(); 9].join(", ");
        text.push_str(&format!("lol{level}: &l{level} [{items}]\n"));
    }
    format!("{good}{text}")
}

#[test]
fn a_broken_ticket_file_is_exit_5_naming_it_and_the_others_keep_working() {
    let (desk, good) = store();
    let after_good = format!("line {}", good.lines().count() + 1);
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "not YAML at all",
            b"this is : not : yaml : [".to_vec(),
            vec!["line 1"],
        ),
        (
            "a list, not a ticket",
            b"- a\n- b\n".to_vec(),
            vec!["line 1", "invalid type"],
        ),
        ("a plain word", b"ticket\n".to_vec(), vec!["invalid type"]),
        ("an empty file", b"".to_vec(), vec!["empty"]),
        ("only blank lines", b"  \n\n".to_vec(), vec!["empty"]),
        ("only a comment", b"# nothing here\n".to_vec(), vec![]),
        (
            "comments is a string",
            edited(&good, set(&["comments"], "hello".into())).into(),
            vec!["comments", "line"],
        ),
        (
            "id is text",
            edited(&good, set(&["id"], "abc".into())).into(),
            vec!["id", "line"],
        ),
        (
            "id is negative",
            edited(&good, set(&["id"], (-3).into())).into(),
            vec!["id"],
        ),
        (
            "id too large",
            good.replacen("id: 3\n", "id: 99999999999999999999999\n", 1)
                .into(),
            vec!["id"],
        ),
        (
            "requester is a list",
            edited(
                &good,
                set(&["requester"], serde_yaml::from_str("[a, b]").unwrap()),
            )
            .into(),
            vec!["requester"],
        ),
        (
            "priority is a number",
            edited(&good, set(&["priority"], 5.into())).into(),
            vec!["priority"],
        ),
        (
            "a comment number is negative",
            edited(&good, set(&["comments", "0", "n"], (-1).into())).into(),
            vec!["comments[0].n"],
        ),
        (
            "a comment author is a mapping",
            edited(
                &good,
                set(
                    &["comments", "0", "author"],
                    serde_yaml::from_str("{a: b}").unwrap(),
                ),
            )
            .into(),
            vec!["comments[0].author"],
        ),
        (
            "subject is missing",
            edited(&good, remove("subject")).into(),
            vec!["subject"],
        ),
        (
            "requester is missing",
            edited(&good, remove("requester")).into(),
            vec!["requester"],
        ),
        (
            "a comment has no body",
            edited(&good, |t| {
                t["comments"][0].as_mapping_mut().unwrap().remove("body");
            })
            .into(),
            vec!["body"],
        ),
        (
            "status twice",
            good.replacen("status: new\n", "status: new\nstatus: open\n", 1)
                .into(),
            vec!["line 4", "duplicate", "status"],
        ),
        (
            "an unknown status",
            edited(&good, set(&["status"], "resolved".into())).into(),
            vec!["status", "resolved"],
        ),
        (
            "an escape sequence as status",
            edited(&good, set(&["status"], "\x1b[2J\x1b]0;pwned\x07".into())).into(),
            vec!["status"],
        ),
        (
            "a date in words",
            edited(&good, set(&["created"], "yesterday".into())).into(),
            vec!["created"],
        ),
        (
            "a date out of range",
            edited(&good, set(&["created"], "2026-13-45T25:61:00Z".into())).into(),
            vec!["created"],
        ),
        (
            "a comment date as number",
            edited(&good, set(&["comments", "0", "at"], 5.into())).into(),
            vec!["comments[0].at"],
        ),
        (
            "invalid UTF-8",
            good.replacen("subject: ", "subject: caf\u{e9} ", 1)
                .into_bytes()
                .into_iter()
                .map(|b| if b == 0xa9 { 0xff } else { b })
                .collect(),
            vec!["line 2", "UTF-8"],
        ),
        (
            "a control character",
            good.replacen("subject: ", "subject: a\u{1}b ", 1).into(),
            vec!["line 2", "control characters"],
        ),
        (
            "a NUL byte",
            good.replacen("subject: ", "subject: a\0b ", 1).into(),
            vec!["line 2"],
        ),
        (
            "a tab as indentation",
            good.replacen("  author:", "\tauthor:", 1).into(),
            vec!["tab"],
        ),
        (
            "two documents",
            format!("{good}---\n{good}").into(),
            vec!["more than one document"],
        ),
        // 200 kB of brackets: refused at once, not after minutes of parsing.
        (
            "deep flow nesting",
            format!(
                "{good}deep: {}{}\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            )
            .into(),
            vec![after_good.as_str(), "nested"],
        ),
        (
            "deep open flow nesting",
            format!("{good}deep: {}\n", "{a: [b, ".repeat(30_000)).into(),
            vec!["nested"],
        ),
        (
            "flow nesting the parser refuses",
            format!("{good}deep: {}{}\n", "[".repeat(200), "]".repeat(200)).into(),
            vec!["recursion limit"],
        ),
        (
            "deep block nesting",
            format!(
                "{good}{}",
                (0..300)
                    .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
                    .collect::<String>()
            )
            .into(),
            vec!["recursion limit"],
        ),
        ("an alias bomb", alias_bomb(&good).into(), vec!["aliases"]),
        (
            "git conflict markers",
            good.replacen(
                "status: new\n",
                "<<<<<<< HEAD\nstatus: open\n=======\nstatus: pending\n>>>>>>> support/ana\n",
                1,
            )
            .into(),
            vec!["line 3", "merge conflict"],
        ),
        (
            "the id of another file",
            good.replacen("id: 3\n", "id: 1\n", 1).into(),
            vec!["id", "3"],
        ),
        (
            "an invalid requester address",
            edited(&good, set(&["requester"], "ana at customer".into())).into(),
            vec!["requester"],
        ),
        (
            "an invalid CC address",
            edited(&good, set(&["cc", "0", "email"], "bob@agency".into())).into(),
            vec!["cc[0].email"],
        ),
        (
            "the largest comment number",
            edited(&good, set(&["comments", "0", "n"], u32::MAX.into())).into(),
            vec!["comments[0].n"],
        ),
        (
            "comment number 0",
            edited(&good, set(&["comments", "0", "n"], 0.into())).into(),
            vec!["comments[0].n"],
        ),
        (
            "a comment number twice",
            edited(&good, |t| {
                let first = t["comments"][0].clone();
                t["comments"].as_sequence_mut().unwrap().push(first);
            })
            .into(),
            vec!["comments[1].n"],
        ),
    ];
    let count = cases.len();
    for (case, contents, fragments) in cases {
        refused_alone(&desk, case, &contents, &fragments);
    }
    assert!(count >= 35, "{count} hostile files");
}

#[test]
fn a_file_tkt_cannot_even_read_is_named_and_the_others_keep_working() {
    let (desk, _) = store();
    std::fs::create_dir(desk.path("3.yaml")).unwrap();
    let out = desk.run(&["show", "3"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(1 | 5)), "{stderr}");
    assert!(
        stderr.contains("3.yaml") && stderr.trim_end().lines().count() == 1,
        "{stderr}"
    );
    let out = desk.run(&["list", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

#[test]
fn hand_edits_tkt_accepts_byte_order_marks_crlf_and_huge_bodies() {
    let (desk, good) = store();
    // Editors on Windows write a byte-order mark and CRLF line ends.
    desk.write("3.yaml", format!("\u{feff}{}", good.replace('\n', "\r\n")));
    let shown: Json = serde_json::from_str(&desk.ok(&["show", "3", "--format", "json"])).unwrap();
    assert_eq!(shown["subject"], "PDF export fails on macOS 10.14");
    desk.ok(&["--as", "jonas", "comment", "3", "-m", "Rewritten"]);
    let rewritten = desk.file(3);
    assert!(
        rewritten.starts_with("id: 3\n") && !rewritten.contains('\r'),
        "{rewritten:?}"
    );

    // A 10 MB body (a pasted log) is data, not an attack: it loads, shows and survives a rewrite.
    let body = "0123456789abcdef\n".repeat(10 * 1024 * 1024 / 17);
    let mut tree: Value = serde_yaml::from_str(&good).unwrap();
    tree["comments"][0]["body"] = body.trim_end().into();
    desk.write(
        "4.yaml",
        serde_yaml::to_string(&tree)
            .unwrap()
            .replacen("id: 3", "id: 4", 1),
    );
    assert!(desk.file(4).len() > 10_000_000);
    desk.ok(&["--as", "jonas", "comment", "4", "-m", "Thanks for the log"]);
    let shown: Json = serde_json::from_str(&desk.ok(&["show", "4", "--format", "json"])).unwrap();
    assert_eq!(shown["comments"][0]["body"], body.trim_end());
    assert_eq!(shown["comments"][1]["body"], "Thanks for the log");
}

/// Every command that needs the people directory fails with exit 5 naming people.yaml. Staff acting with
/// `--as` hear why only when the broken file still shows them to be staff (`jonas_known`); otherwise
/// they get the line a customer gets, which quotes nothing.
fn people_refused(desk: &Desk, case: &str, people: &str, fragments: &[&str], jonas_known: bool) {
    let before = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    desk.write("people.yaml", people);
    for args in [
        &["show", "1"][..],
        &["show", "1", "--as", "jonas"],
        &["list"],
        &["person", "list"],
        &[
            "person",
            "add",
            "ole",
            "--name",
            "Ole",
            "--email",
            "ole@acme.example",
        ],
        &["--as", "jonas", "comment", "1", "-m", "Hello"],
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "S",
            "--requester",
            ANA,
            "-m",
            "Hi",
        ],
        &["cc", "list", "1"],
    ] {
        let stderr = desk.fails(args, 5);
        if args.contains(&"--as") && !jonas_known {
            assert!(
                stderr.contains("settings cannot be read") && !stderr.contains("people.yaml"),
                "{case}: {args:?}: {stderr}"
            );
            continue;
        }
        assert!(stderr.contains("people.yaml"), "{case}: {args:?}: {stderr}");
        for fragment in fragments {
            assert!(
                stderr.contains(fragment),
                "{case}: {args:?} says {fragment:?}: {stderr}"
            );
        }
    }
    assert_eq!(
        std::fs::read_to_string(desk.path("people.yaml")).unwrap(),
        people
    );
    desk.write("people.yaml", &before);
    desk.ok(&["show", "1", "--as", "jonas"]);
}

#[test]
fn a_broken_people_file_is_exit_5_naming_it() {
    let desk = Desk::new();
    desk.ticket();
    let good = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    let twice = format!(
        "{good}- handle: mette\n  name: Another Mette\n  email: other@acme.example\n  role: agent\n"
    );
    people_refused(&desk, "a handle twice", &twice, &["mette", "twice"], true);
    let same_email = format!(
        "{good}- handle: mette2\n  name: Mette Two\n  email: METTE@acme.example\n  role: agent\n"
    );
    people_refused(&desk, "an address twice", &same_email, &["twice"], true);
    people_refused(
        &desk,
        "an unknown role",
        &good.replacen("role: agent", "role: superuser", 1),
        &["role", "superuser"],
        false,
    );
    people_refused(
        &desk,
        "a handle with a space",
        &good.replacen("handle: jonas", "handle: jonas berg", 1),
        &["handle"],
        false,
    );
    people_refused(&desk, "not YAML", "people: [\n", &["line"], false);
    people_refused(
        &desk,
        "people is a string",
        "people: everyone\n",
        &["people"],
        false,
    );
    people_refused(
        &desk,
        "conflict markers",
        &format!("<<<<<<< HEAD\n{good}=======\n>>>>>>> x\n"),
        &["merge conflict"],
        false,
    );
}

#[test]
fn a_broken_settings_file_is_exit_5_naming_it() {
    let desk = Desk::new();
    desk.ticket();
    let good = std::fs::read_to_string(desk.path("tkt.yaml")).unwrap();
    for (case, text) in [
        (
            "cc_limit in words",
            good.replacen("cc_limit: 48", "cc_limit: many", 1),
        ),
        (
            "an unknown agent_cc",
            good.replacen("agent_cc: warn", "agent_cc: sometimes", 1),
        ),
        ("not YAML", "cc_limit: [\n".to_string()),
    ] {
        desk.write("tkt.yaml", &text);
        for args in [
            &["show", "1"][..],
            &["list"],
            &["--as", "jonas", "comment", "1", "-m", "x"],
        ] {
            let stderr = desk.fails(args, 5);
            assert!(stderr.contains("tkt.yaml"), "{case}: {args:?}: {stderr}");
        }
    }
    desk.write("tkt.yaml", &good);
    desk.ok(&["show", "1"]);
}

#[test]
fn keys_tkt_does_not_know_survive_a_rewrite_at_every_level() {
    let desk = Desk::new();
    let id = desk.ticket();
    let ids = id.to_string();
    desk.side(&ids, "Tier 3", "anders", "Look?");
    let mut tree: Value = serde_yaml::from_str(&desk.file(id)).unwrap();
    let custom: Value =
        serde_yaml::from_str("{source: email, nested: [1, {deep: true}], 'with space': 'x'}")
            .unwrap();
    let put = |at: &mut Value, key: &str| {
        at.as_mapping_mut()
            .unwrap()
            .insert(key.into(), custom.clone());
    };
    put(&mut tree, "x_ticket");
    put(&mut tree["comments"][0], "x_comment");
    put(&mut tree["cc"][0], "x_cc");
    put(&mut tree["side_conversations"][0], "x_side");
    put(
        &mut tree["side_conversations"][0]["messages"][0],
        "x_message",
    );
    put(&mut tree["events"][0], "x_event");
    desk.write(&format!("{id}.yaml"), serde_yaml::to_string(&tree).unwrap());

    // Rewrites of every kind.
    desk.ok(&["--as", "jonas", "comment", &ids, "-m", "A note"]);
    desk.ok(&["--as", "jonas", "cc", "add", &ids, "carl@partner.example"]);
    desk.ok(&[
        "--as",
        "anders",
        "side",
        "reply",
        &ids,
        "1",
        "-m",
        "Known issue",
    ]);
    desk.ok(&["--as", "jonas", "status", &ids, "open"]);
    desk.ok(&["--as", "jonas", "make-private", &ids, "1"]);

    let after: Value = serde_yaml::from_str(&desk.file(id)).unwrap();
    assert_eq!(after["x_ticket"], custom);
    assert_eq!(after["comments"][0]["x_comment"], custom);
    assert_eq!(after["cc"][0]["x_cc"], custom);
    assert_eq!(after["side_conversations"][0]["x_side"], custom);
    assert_eq!(
        after["side_conversations"][0]["messages"][0]["x_message"],
        custom
    );
    assert_eq!(after["events"][0]["x_event"], custom);

    // And in people.yaml, through `person add`.
    let mut people: Value =
        serde_yaml::from_str(&std::fs::read_to_string(desk.path("people.yaml")).unwrap()).unwrap();
    put(&mut people, "x_directory");
    put(&mut people["people"][0], "x_person");
    desk.write("people.yaml", serde_yaml::to_string(&people).unwrap());
    desk.ok(&[
        "person",
        "add",
        "ole",
        "--name",
        "Ole",
        "--email",
        "ole@acme.example",
    ]);
    let people: Value =
        serde_yaml::from_str(&std::fs::read_to_string(desk.path("people.yaml")).unwrap()).unwrap();
    assert_eq!(people["x_directory"], custom);
    assert_eq!(people["people"][0]["x_person"], custom);
}

#[test]
fn odd_file_names_and_a_broken_id_hint_never_crash_new_or_list() {
    let (desk, good) = store();
    // Not ticket files: list neither shows nor warns about them.
    for name in [
        "0.yaml",
        "007.yaml",
        ".tmp-abc.yaml",
        "1.yaml~",
        "1.YAML",
        "1.yml",
        "x.yaml",
        "-1.yaml",
    ] {
        desk.write(name, "this: is [not a ticket\n");
    }
    let out = desk.run(&["list", "--format", "json"]);
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);

    // A machine-local id hint that is garbage, empty or at the end of the numbers is only a hint.
    for hint in ["", "garbage", "-5", "18446744073709551615", "0"] {
        desk.write(".tkt/last-id", hint);
        let id = desk.ok(&[
            "--as",
            "jonas",
            "new",
            "--subject",
            "S",
            "--requester",
            ANA,
            "-m",
            "Hi",
        ]);
        assert!(
            id.trim().parse::<u64>().unwrap() < 100,
            "hint {hint:?} gave id {id}"
        );
    }

    // The largest possible id leaves no next one: an error naming the file, not an overflow.
    let last = u64::MAX;
    desk.write(
        &format!("{last}.yaml"),
        good.replacen("id: 3\n", &format!("id: {last}\n"), 1),
    );
    desk.write(".tkt/last-id", format!("{}\n", last - 1));
    let stderr = desk.fails(
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "S",
            "--requester",
            ANA,
            "-m",
            "Hi",
        ],
        5,
    );
    assert!(stderr.contains(&format!("{last}.yaml")), "{stderr}");
    std::fs::remove_file(desk.path(".tkt/last-id")).unwrap();
    let stderr = desk.fails(
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "S",
            "--requester",
            ANA,
            "-m",
            "Hi",
        ],
        5,
    );
    assert!(stderr.contains(&format!("{last}.yaml")), "{stderr}");
    desk.ok(&["show", &last.to_string()]);
}
