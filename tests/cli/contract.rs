//! The JSON contract (SPEC §5): every command's JSON, for every kind of viewer, validates against the
//! schema `tkt schema` prints for its kind; the schemas shipped in `schemas/` are exactly those; `--jq`
//! filters any JSON output.

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk};

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// Validates `doc` against the schema of `kind`, printed by the binary under test.
pub(crate) fn valid(desk: &Desk, kind: &str, doc: &Value, what: &str) {
    let schema = json(&desk.ok(&["schema", kind]));
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match the {kind} schema:\n{}\n{doc:#}",
        errors.join("\n")
    );
}

/// Runs a command with `--format json` and validates its output as `kind`.
fn check(desk: &Desk, kind: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let doc = json(&desk.ok(&all));
    valid(desk, kind, &doc, &args.join(" "));
    doc
}

/// The standard ticket with everything on it: notes, a public reply, a side conversation, followers,
/// tags, a group, a comment made private.
fn busy_desk() -> (Desk, String) {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "-m",
        "@mette please review",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--public",
        "-m",
        "We are on it.",
    ]);
    desk.ok(&["--as", BOB, "comment", &id, "-m", "Agency here"]);
    desk.side(&id, "Known issue?", "anders", "Is this known?");
    desk.ok(&["--as", "jonas", "tag", &id, "--add", "pdf"]);
    desk.ok(&["--as", "jonas", "edit", &id, "--group", "Tier 2"]);
    desk.ok(&["--as", "jonas", "make-private", &id, "4"]);
    (desk, id)
}

#[test]
fn every_read_validates_for_every_kind_of_viewer() {
    let (desk, id) = busy_desk();
    for who in [
        None,
        Some("jonas"),
        Some("anders"),
        Some("lise"),
        Some("ada"),
    ] {
        let mut base: Vec<&str> = Vec::new();
        if let Some(who) = who {
            base.extend(["--as", who]);
        }
        let with = |args: &[&'static str]| {
            let mut all = base.clone();
            all.extend(
                args.iter()
                    .map(|a| if *a == "ID" { id.as_str() } else { a }),
            );
            all
        };
        check(&desk, "ticket", &with(&["show", "ID"]));
        check(&desk, "list", &with(&["list", "--all"]));
        check(&desk, "people", &with(&["cc", "list", "ID"]));
        check(&desk, "people", &with(&["follower", "list", "ID"]));
        check(&desk, "side-conversations", &with(&["side", "list", "ID"]));
        check(&desk, "log", &with(&["log", "ID"]));
    }
    for who in [ANA, BOB] {
        let doc = check(&desk, "external-ticket", &["show", &id, "--as", who]);
        assert_eq!(doc["comments"].as_array().map(Vec::len), Some(2), "{doc}");
        check(&desk, "list", &["list", "--all", "--as", who]);
        check(&desk, "people", &["cc", "list", &id, "--as", who]);
        check(&desk, "log", &["log", &id, "--as", who]);
    }
    check(&desk, "directory", &["person", "list"]);
    check(&desk, "person", &["cc", "list", &id, "--jq", ".[0]"]);
}

#[test]
fn every_write_answers_with_the_one_answer_shape() {
    let (desk, id) = busy_desk();
    let id = id.as_str();
    let writes: Vec<Vec<&str>> = vec![
        vec![
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
        vec![
            "--as",
            ANA,
            "new",
            "--subject",
            "S",
            "--requester",
            ANA,
            "-m",
            "Hi",
        ],
        vec!["--as", "jonas", "comment", id, "-m", "note"],
        vec!["--as", ANA, "comment", id, "-m", "reply"],
        vec!["--as", "jonas", "make-private", id, "1"],
        vec!["--as", "jonas", "cc", "add", id, "carol@partner.example"],
        vec![
            "--as",
            ANA,
            "cc",
            "add",
            id,
            "dora@partner.example",
            "--name",
            "Dora",
        ],
        vec!["--as", ANA, "cc", "remove", id, "dora@partner.example"],
        vec!["--as", "jonas", "follower", "add", id, "ada"],
        vec!["--as", "jonas", "follower", "remove", id, "ada"],
        vec![
            "--as",
            "jonas",
            "side",
            "open",
            id,
            "--subject",
            "Q",
            "--with",
            "lise",
            "-m",
            "?",
        ],
        vec!["--as", "jonas", "side", "reply", id, "1", "-m", "more"],
        vec!["--as", "jonas", "side", "invite", id, "1", "mette"],
        vec!["--as", "jonas", "side", "resolve", id, "1"],
        vec!["--as", "jonas", "side", "reopen", id, "1"],
        vec!["--as", "jonas", "status", id, "pending"],
        vec!["--as", "jonas", "assign", id, "mette"],
        vec!["--as", "jonas", "assign", id, "--none"],
        vec!["--as", "jonas", "tag", id, "--add", "x", "--remove", "pdf"],
        vec![
            "--as",
            "jonas",
            "edit",
            id,
            "--priority",
            "high",
            "--subject",
            "New subject",
        ],
    ];
    for args in &writes {
        let doc = check(&desk, "answer", args);
        assert!(doc["ticket"].as_u64().is_some(), "{args:?}: {doc}");
    }
    for args in [
        vec![
            "person",
            "add",
            "kim",
            "--name",
            "Kim",
            "--email",
            "kim@acme.example",
        ],
        vec!["person", "edit", "kim", "--name", "Kim Lund"],
        vec!["person", "remove", "kim"],
    ] {
        check(&desk, "person-answer", &args);
    }
    let empty = Desk::empty();
    let dir = empty.path("second");
    check(&empty, "init", &["init", dir.to_str().unwrap()]);
}

#[test]
fn a_customers_view_has_no_field_that_could_hold_internal_data() {
    let desk = Desk::new();
    let schema = json(&desk.ok(&["schema", "external-ticket"]));
    let mut fields: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "cc",
            "comments",
            "created",
            "id",
            "requester",
            "status",
            "subject",
            "updated"
        ]
    );
    assert_eq!(schema["additionalProperties"], false);
    let comment = &schema["$defs"]["PublicComment"];
    let mut fields: Vec<&str> = comment["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["at", "author", "body"],
        "no number, id or visibility"
    );
}

#[test]
fn the_schemas_in_the_repository_are_the_ones_tkt_prints() {
    let desk = Desk::new();
    let kinds = desk.ok(&["schema", "--jq", ".[].kind"]);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut shipped = 0;
    for kind in kinds.lines() {
        let printed = desk.ok(&["schema", kind]);
        let file = std::fs::read_to_string(dir.join(format!("{kind}.json")))
            .unwrap_or_else(|_| panic!("schemas/{kind}.json is missing"));
        assert_eq!(
            file, printed,
            "schemas/{kind}.json is stale: regenerate it (README)"
        );
        shipped += 1;
    }
    assert_eq!(
        shipped,
        std::fs::read_dir(&dir).unwrap().count(),
        "a schema file for no kind"
    );
    assert!(desk.fails(&["schema", "nope"], 2).contains("ticket"));
}

#[test]
fn jq_filters_any_json_output_without_jq_installed() {
    let (desk, id) = busy_desk();
    assert_eq!(
        desk.ok(&["cc", "list", &id, "--jq", ".[].email"]),
        "bob@agency.example\n"
    );
    assert_eq!(desk.ok(&["show", &id, "--jq", ".status"]), "open\n");
    assert_eq!(
        desk.ok(&["list", "--jq", "[.[] | select(.open_sides > 0) | .id]"]),
        format!("[{id}]\n")
    );
    // The everyday jobs of a script: comments since a time, a ticket's CC addresses.
    assert_eq!(
        desk.ok(&[
            "show",
            &id,
            "--jq",
            "[.comments[] | select(.visibility == \"public\") | .author.email // .author.handle]",
        ]),
        "[\"ana@customer.example\",\"jonas@acme.example\"]\n"
    );
    // A write answers through --jq too, and a bad expression changes nothing.
    assert_eq!(
        desk.ok(&[
            "--as", "jonas", "comment", &id, "-m", "n", "--jq", ".comment"
        ]),
        "5\n"
    );
    let before = desk.file(1);
    let err = desk.fails(
        &["--as", "jonas", "comment", &id, "-m", "n", "--jq", ".a |"],
        2,
    );
    assert!(err.contains("--jq"), "{err}");
    assert_eq!(desk.file(1), before);
    // A customer's --jq sees only their document.
    assert_eq!(
        desk.ok(&["show", &id, "--as", ANA, "--jq", ".comments | length"]),
        "2\n"
    );
}

#[test]
fn the_schemas_refuse_a_missing_key_an_extra_key_and_a_wrong_type() {
    let (desk, id) = busy_desk();
    let invalid = |kind: &str, doc: &Value| {
        let schema = json(&desk.ok(&["schema", kind]));
        !jsonschema::validator_for(&schema).unwrap().is_valid(doc)
    };
    let staff = json(&desk.ok(&["show", &id, "--format", "json"]));
    let mut missing = staff.clone();
    missing.as_object_mut().unwrap().remove("group");
    assert!(invalid("ticket", &missing), "a key left out");
    let mut customer = json(&desk.ok(&["show", &id, "--as", ANA, "--format", "json"]));
    assert!(!invalid("external-ticket", &customer));
    customer["followers"] = staff["followers"].clone();
    assert!(
        invalid("external-ticket", &customer),
        "internal data in a customer's view"
    );
    let mut wrong = staff;
    wrong["requester"] = Value::String(ANA.into());
    assert!(invalid("ticket", &wrong), "a person as a bare address");
}

#[test]
fn a_jq_that_fails_on_a_writes_answer_warns_and_the_write_stands() {
    let (desk, id) = busy_desk();
    let out = desk.run(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "-m",
        "written once",
        "--jq",
        ".comment | ascii_downcase",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: --jq") && stderr.contains("change itself was made"),
        "{stderr}"
    );
    assert_eq!(desk.file(1).matches("written once").count(), 1);
    // fromjson would parse text strangers wrote without bounds: it is not offered.
    let err = desk.fails(&["show", &id, "--jq", ".comments[0].body | fromjson"], 2);
    assert!(err.contains("fromjson"), "{err}");
    // A read whose --jq fails is an error (exit 1), not a panic.
    let err = desk.fails(&["show", &id, "--jq", ".id | ascii_downcase"], 1);
    assert!(err.contains("--jq"), "{err}");
}

#[test]
fn json_on_a_terminal_escapes_what_the_sanitizer_would_and_stays_the_same_json() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let body = "x\u{9b}31mRED\u{202e}evil\u{2028}end";
    desk.ok(&["--as", ANA, "comment", &id, "-m", body]);
    let bin = assert_cmd::cargo::cargo_bin("tkt");
    let command = format!(
        "{} -C {} show {id} --no-pager --format json",
        bin.display(),
        desk.root().display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("TKT_NOW", crate::desk::NOW)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script(1) runs tkt in a pseudo-terminal");
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    for raw in ['\u{9b}', '\u{202e}', '\u{2028}'] {
        assert!(
            !text.contains(raw),
            "U+{:04X} reached the terminal",
            raw as u32
        );
    }
    assert!(text.contains("\\u202e"), "{text}");
    let doc: Value = serde_json::from_str(&text).expect("still JSON");
    assert_eq!(doc["comments"][1]["body"], body);
}
