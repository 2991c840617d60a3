//! Templates, the domain's macros: `side open --template` and `comment --template` fill a prepared
//! message from the ticket, all of it or nothing; `template list` shows what the desk has.

use serde_json::Value;

use crate::contract::valid;
use crate::desk::{ANA, Desk, identities};

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// Writes `templates/NAME.yaml`.
fn template(desk: &Desk, name: &str, yaml: &str) {
    desk.write(&format!("templates/{name}.yaml"), yaml);
}

/// The staff view of ticket `id` as JSON.
fn ticket(desk: &Desk, id: u64) -> Value {
    json(&desk.ok(&["show", &id.to_string(), "--format", "json"]))
}

const HANDOVER: &str = "\
title: Hand over to the owner
for: comment
body: |
  #{{id}} \"{{subject}}\": {{requester}} asks, and {{ assignee }} owns it.
";

#[test]
fn every_placeholder_is_filled_from_the_ticket() {
    let desk = Desk::new();
    let id = desk.ticket();
    template(&desk, "handover", HANDOVER);
    desk.ok(&[
        "--as",
        "mette",
        "comment",
        &id.to_string(),
        "--template",
        "handover",
    ]);
    let t = ticket(&desk, id);
    let note = &t["comments"][1];
    assert_eq!(
        note["body"],
        "#1 \"PDF export fails on macOS 10.14\": Ana Silva asks, and Jonas Berg owns it."
    );
    assert_eq!(
        note["visibility"], "internal",
        "a template is internal unless it says public"
    );
}

#[test]
fn a_requester_the_directory_does_not_name_is_filled_by_address() {
    let desk = Desk::new();
    let id = desk.ok(&[
        "--as",
        "jonas",
        "new",
        "--subject",
        "Refund",
        "--requester",
        "cy@client.example",
        "--assignee",
        "mette",
        "-m",
        "Please refund order 7.",
    ]);
    template(&desk, "handover", HANDOVER);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        id.trim(),
        "--template",
        "handover",
    ]);
    let t = ticket(&desk, id.trim().parse().unwrap());
    assert_eq!(
        t["comments"][1]["body"],
        "#1 \"Refund\": cy@client.example asks, and Mette Hansen owns it."
    );
}

#[test]
fn a_placeholder_with_no_value_is_refused_and_nothing_is_written() {
    let desk = Desk::new();
    let id = desk.another_ticket("Invoice 12345", "It charges 40 seats.");
    template(&desk, "handover", HANDOVER);
    let before = desk.file(id);
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "comment",
            &id.to_string(),
            "--template",
            "handover",
        ],
        5,
    );
    assert!(
        err.contains("#1 has no assignee: assign it first, or write the message yourself"),
        "{err}"
    );
    assert_eq!(
        desk.file(id),
        before,
        "no half-filled note, no follower, no event"
    );
}

#[test]
fn an_unknown_placeholder_is_refused_naming_the_file_line_and_placeholder() {
    let desk = Desk::new();
    let id = desk.ticket();
    template(
        &desk,
        "typo",
        "title: Typo\nfor: comment\nbody: |\n  Hi {{requester}},\n  {{asignee}} will call you.\n",
    );
    let before = desk.file(id);
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "comment",
            &id.to_string(),
            "--template",
            "typo",
        ],
        5,
    );
    assert!(err.contains("templates/typo.yaml: line 5:"), "{err}");
    assert!(err.contains("unknown placeholder {{asignee}}"), "{err}");
    assert_eq!(desk.file(id), before);
    // In a side template's subject too.
    template(
        &desk,
        "side-typo",
        "title: T\nfor: side\nsubject: \"About {{subjct}}\"\nwith: [anders]\nbody: Hi\n",
    );
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "side",
            "open",
            "1",
            "--template",
            "side-typo",
        ],
        5,
    );
    assert!(
        err.contains("templates/side-typo.yaml: line 3: subject: unknown placeholder {{subjct}}"),
        "{err}"
    );
    assert_eq!(desk.file(id), before);
}

#[test]
fn braces_that_are_not_placeholders_are_posted_as_written() {
    let desk = Desk::new();
    let id = desk.ticket();
    template(
        &desk,
        "braces",
        "title: Braces\nfor: comment\nbody: 'Send {\"seats\": 25} to #{{id}}; {{ not closed'\n",
    );
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id.to_string(),
        "--template",
        "braces",
    ]);
    assert_eq!(
        ticket(&desk, id)["comments"][1]["body"],
        "Send {\"seats\": 25} to #1; {{ not closed"
    );
}

const ASK_TECH: &str = "\
title: Ask the specialist
for: side
subject: \"Support for {{subject}}\"
with: [anders]
tags: [tier2, integration]
body: >
  Anders, {{requester}} asks about #{{id}}.
  Is this supported?
";

#[test]
fn a_side_template_fills_subject_participants_tags_and_message() {
    let desk = Desk::new();
    let id = desk.ticket();
    template(&desk, "ask-tech", ASK_TECH);
    let n = desk.ok(&[
        "--as",
        "jonas",
        "side",
        "open",
        &id.to_string(),
        "--template",
        "ask-tech",
    ]);
    assert_eq!(n, "1\n", "prints only the number");
    let t = identities(ticket(&desk, id));
    let side = &t["side_conversations"][0];
    assert_eq!(
        side["subject"],
        "Support for PDF export fails on macOS 10.14"
    );
    assert_eq!(side["participants"], serde_json::json!(["jonas", "anders"]));
    assert_eq!(
        side["messages"][0]["body"],
        "Anders, Ana Silva asks about #1. Is this supported?"
    );
    assert_eq!(t["tags"], serde_json::json!(["tier2", "integration"]));
    let tag_events: Vec<&Value> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "tag.add")
        .map(|e| &e["to"])
        .collect();
    assert_eq!(tag_events, ["tier2", "integration"], "the usual tag events");
}

#[test]
fn subject_and_participants_given_on_the_command_line_replace_the_templates() {
    let desk = Desk::new();
    let id = desk.ticket();
    template(&desk, "ask-tech", ASK_TECH);
    desk.ok(&[
        "--as",
        "jonas",
        "side",
        "open",
        &id.to_string(),
        "--template",
        "ask-tech",
        "--subject",
        "Our own subject",
        "--with",
        "mette",
    ]);
    let t = identities(ticket(&desk, id));
    let side = &t["side_conversations"][0];
    assert_eq!(side["subject"], "Our own subject");
    assert_eq!(side["participants"], serde_json::json!(["jonas", "mette"]));
    assert!(
        side["messages"][0]["body"]
            .as_str()
            .unwrap()
            .starts_with("Anders, Ana Silva")
    );
}

#[test]
fn a_template_participant_who_is_nobody_is_an_error_naming_the_template() {
    let desk = Desk::new();
    let id = desk.ticket();
    template(
        &desk,
        "lead",
        "title: Lead\nfor: side\nsubject: S\nwith: [lead]\nbody: Hi\n",
    );
    let before = desk.file(id);
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "side",
            "open",
            &id.to_string(),
            "--template",
            "lead",
        ],
        3,
    );
    assert!(
        err.contains("templates/lead.yaml: with: no person with handle \"lead\""),
        "{err}"
    );
    assert_eq!(desk.file(id), before);
    // The command line's --with stands in for a participant the store does not have.
    desk.ok(&[
        "--as",
        "jonas",
        "side",
        "open",
        &id.to_string(),
        "--template",
        "lead",
        "--with",
        "mette",
    ]);
}

#[test]
fn a_comment_template_is_public_only_when_it_says_so_and_the_flags_win() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    template(
        &desk,
        "known-limit",
        "title: Known limitation\nfor: comment\nvisibility: public\nbody: Hi {{requester}}, this is a known limitation.\n",
    );
    template(
        &desk,
        "note",
        "title: Note\nfor: comment\nbody: Checked the logs of #{{id}}.\n",
    );
    desk.ok(&["--as", "jonas", "comment", &id, "--template", "known-limit"]);
    desk.ok(&["--as", "jonas", "comment", &id, "--template", "note"]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--template",
        "known-limit",
        "--internal",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--template",
        "note",
        "--public",
    ]);
    let t = ticket(&desk, 1);
    let seen: Vec<&str> = t["comments"].as_array().unwrap()[1..]
        .iter()
        .map(|c| c["visibility"].as_str().unwrap())
        .collect();
    assert_eq!(seen, ["public", "internal", "internal", "public"]);
    let customer = json(&desk.show_as(1, ANA, "json"));
    assert!(
        customer
            .to_string()
            .contains("Hi Ana Silva, this is a known limitation.")
    );
    assert!(!customer.to_string().contains("Checked the logs of #1."));
}

#[test]
fn a_public_template_still_passes_the_leak_guard_and_force_works() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as", "jonas", "comment", &id, "-m",
        "Between us: the export module has a memory leak we will not fix before the summer release.",
    ]);
    template(
        &desk,
        "leaky",
        "title: Leaky\nfor: comment\nvisibility: public\nbody: The export module has a memory leak we will not fix before the summer release.\n",
    );
    let before = desk.file(1);
    let err = desk.fails(&["--as", "jonas", "comment", &id, "--template", "leaky"], 4);
    assert!(err.contains("repeats internal note 2"), "{err}");
    assert_eq!(desk.file(1), before);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--template",
        "leaky",
        "--force",
    ]);
    assert_eq!(ticket(&desk, 1)["comments"][2]["visibility"], "public");
}

#[test]
fn customers_do_not_use_templates_and_learn_nothing_of_them() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    template(&desk, "ask-tech", ASK_TECH);
    let before = desk.file(1);
    for args in [
        vec!["--as", ANA, "comment", &id, "--template", "ask-tech"],
        vec!["--as", ANA, "comment", &id, "--template", "no-such"],
        vec!["--as", ANA, "side", "open", &id, "--template", "ask-tech"],
    ] {
        let err = desk.fails(&args, 4);
        assert!(err.contains("templates are for the desk's staff"), "{err}");
        assert!(
            !err.contains("ask-tech") && !err.contains("escalate"),
            "{err}"
        );
    }
    let err = desk.fails(&["template", "list", "--as", ANA], 4);
    assert!(!err.contains("escalate"), "{err}");
    assert_eq!(desk.file(1), before);
}

#[test]
fn a_light_agent_may_not_add_a_templates_tags() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    template(&desk, "ask-tech", ASK_TECH);
    let before = desk.file(1);
    let err = desk.fails(
        &[
            "--as",
            "lise",
            "side",
            "open",
            &id,
            "--template",
            "ask-tech",
        ],
        4,
    );
    assert!(err.contains("adds the tags tier2, integration"), "{err}");
    assert!(err.contains("light agents cannot change tags"), "{err}");
    assert_eq!(desk.file(1), before);
}

#[test]
fn a_template_used_for_the_wrong_command_or_missing_is_named() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let err = desk.fails(
        &["--as", "jonas", "comment", &id, "--template", "escalate"],
        2,
    );
    assert!(err.contains("--template escalate"), "{err}");
    assert!(
        err.contains("side-conversation template") && err.contains("`comment`"),
        "{err}"
    );
    template(&desk, "note", "title: Note\nfor: comment\nbody: Noted.\n");
    let err = desk.fails(
        &["--as", "jonas", "side", "open", &id, "--template", "note"],
        2,
    );
    assert!(
        err.contains("comment template") && err.contains("`side open`"),
        "{err}"
    );
    let err = desk.fails(
        &["--as", "jonas", "comment", &id, "--template", "escalte"],
        3,
    );
    assert!(
        err.contains("the templates are ask-billing, escalate, note, product-feedback"),
        "{err}"
    );
    let err = desk.fails(
        &["--as", "jonas", "comment", &id, "--template", "../people"],
        2,
    );
    assert!(err.contains("not a template name"), "{err}");
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "comment",
            &id,
            "--template",
            "note",
            "-m",
            "x",
        ],
        2,
    );
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn the_shipped_examples_work_on_a_new_store_with_participants_from_the_command_line() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "side",
            "open",
            &id,
            "--template",
            "escalate",
        ],
        2,
    );
    assert!(err.contains("give --with WHO"), "{err}");
    for (name, with, subject, tag) in [
        (
            "escalate",
            "mette",
            "Escalation: PDF export fails on macOS 10.14",
            "escalated",
        ),
        (
            "ask-billing",
            "ada",
            "Invoice question: PDF export fails on macOS 10.14",
            "billing",
        ),
        (
            "product-feedback",
            "lise",
            "Product feedback: PDF export fails on macOS 10.14",
            "feedback",
        ),
    ] {
        desk.ok(&[
            "--as",
            "jonas",
            "side",
            "open",
            &id,
            "--template",
            name,
            "--with",
            with,
        ]);
        let t = identities(ticket(&desk, 1));
        let side = t["side_conversations"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(side["subject"], subject);
        assert_eq!(side["participants"], serde_json::json!(["jonas", with]));
        let body = side["messages"][0]["body"].as_str().unwrap();
        assert!(body.contains("#1") && body.contains("Ana Silva"), "{body}");
        assert!(!body.contains("{{") && !body.ends_with('\n'), "{body:?}");
        assert!(t["tags"].as_array().unwrap().iter().any(|x| x == tag));
    }
}

#[test]
fn init_writes_the_examples_only_where_they_are_missing() {
    let desk = Desk::empty();
    let mine = "title: Mine\nfor: comment\nbody: My own words.\n";
    template(&desk, "escalate", mine);
    std::fs::remove_file(desk.path("templates/ask-billing.yaml")).unwrap();
    desk.ok(&["init"]);
    assert_eq!(
        std::fs::read_to_string(desk.path("templates/escalate.yaml")).unwrap(),
        mine
    );
    assert!(
        desk.path("templates/ask-billing.yaml").is_file(),
        "a missing example is written again"
    );
}

#[test]
fn template_list_shows_name_purpose_and_title_as_text_and_json() {
    let desk = Desk::new();
    template(
        &desk,
        "note",
        "title: A quick note\nfor: comment\nvisibility: public\ntags: [x]\nbody: Noted.\n",
    );
    assert_eq!(
        desk.ok(&["template", "list"]),
        "ask-billing       side     Ask billing\n\
         escalate          side     Escalate to team lead\n\
         note              comment  A quick note\n\
         product-feedback  side     Product feedback\n"
    );
    let doc = json(&desk.ok(&["template", "list", "--format", "json"]));
    valid(&desk, "templates", &doc, "template list");
    assert_eq!(doc.as_array().unwrap().len(), 4);
    assert_eq!(
        doc[2],
        serde_json::json!({
            "name": "note", "for": "comment", "title": "A quick note", "subject": null, "with": [],
            "visibility": "public", "tags": ["x"], "body": "Noted.",
        })
    );
    assert_eq!(doc[1]["for"], "side");
    assert_eq!(doc[1]["visibility"], Value::Null);
    // Light agents are staff: the list is theirs to read.
    assert_eq!(
        desk.ok(&["template", "list", "--as", "lise"])
            .lines()
            .count(),
        4
    );
}

#[test]
fn a_malformed_template_is_refused_naming_file_and_line_and_list_skips_it() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    for (name, yaml, expected) in [
        (
            "broken",
            "title: Broken\nfor: comment\nbody: [unclosed\n",
            "templates/broken.yaml: line ",
        ),
        (
            "misspelt",
            "title: M\nfor: comment\nvisiblity: public\nbody: Hi\n",
            "templates/misspelt.yaml: line 3: unknown field `visiblity`",
        ),
        (
            "nobody",
            "title: N\nfor: comment\n",
            "templates/nobody.yaml: line 1: missing field `body`",
        ),
        (
            "badtag",
            "title: B\nfor: comment\ntags:\n  - ok\n  - two words\nbody: Hi\n",
            "templates/badtag.yaml: line 5: tags[1]",
        ),
        ("empty", "", "templates/empty.yaml: the file is empty"),
    ] {
        template(&desk, name, yaml);
        let err = desk.fails(&["--as", "jonas", "comment", &id, "--template", name], 5);
        assert!(err.contains(expected), "{name}: {err}");
    }
    let out = desk.run(&["template", "list"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 3, "the three good ones: {stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("skipped") && stderr.contains("templates/misspelt.yaml"),
        "{stderr}"
    );
}

#[test]
fn a_linked_templates_directory_is_not_read() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(
        elsewhere.path().join("x.yaml"),
        "title: X\nfor: comment\nbody: from outside\n",
    )
    .unwrap();
    std::fs::remove_dir_all(desk.path("templates")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), desk.path("templates")).unwrap();
    let err = desk.fails(&["--as", "jonas", "comment", &id, "--template", "x"], 5);
    assert!(err.contains("symbolic link"), "{err}");
    desk.fails(&["template", "list"], 5);
}
