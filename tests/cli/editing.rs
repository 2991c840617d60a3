//! Editing and history: `tkt edit`, `tkt person edit|remove` and `tkt log`, with who may do and see what.

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk};

fn json(text: &str) -> Value {
    crate::desk::identities(serde_json::from_str(text).expect("JSON"))
}

fn staff_json(desk: &Desk, id: u64) -> Value {
    json(&desk.ok(&["show", &id.to_string(), "--format", "json"]))
}

fn events(desk: &Desk, id: u64) -> Vec<Value> {
    staff_json(desk, id)["events"].as_array().unwrap().clone()
}

#[test]
fn an_agent_edits_a_ticket_and_each_change_is_one_event() {
    let desk = Desk::new();
    let id = desk.ticket();
    let before = events(&desk, id).len();
    let answer = json(&desk.ok(&[
        "--as",
        "mette",
        "edit",
        &id.to_string(),
        "--subject",
        "PDF export crashes",
        "--priority",
        "urgent",
        "--group",
        "Tier 2",
        "--requester",
        "carl@customer.example",
        "--format",
        "json",
    ]));
    assert_eq!(answer["changed"], true);
    let t = staff_json(&desk, id);
    assert_eq!(t["subject"], "PDF export crashes");
    assert_eq!(t["priority"], "urgent");
    assert_eq!(t["group"], "Tier 2");
    assert_eq!(t["requester"], "carl@customer.example");
    let new: Vec<&Value> = t["events"].as_array().unwrap()[before..].iter().collect();
    let fields: Vec<&str> = new.iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["subject", "priority", "group", "requester"]);
    for e in &new {
        assert_eq!(e["action"], "edit");
        assert_eq!(e["by"], "mette");
    }
    assert_eq!(new[1]["from"], "normal");
    assert_eq!(new[1]["to"], "urgent");
    assert_eq!(new[3]["from"], ANA);

    // The same values again change nothing and record nothing.
    let file = desk.file(id);
    let again = json(&desk.ok(&[
        "--as",
        "mette",
        "edit",
        &id.to_string(),
        "--priority",
        "urgent",
        "--format",
        "json",
    ]));
    assert_eq!(again["changed"], false);
    assert_eq!(desk.file(id), file);
}

#[test]
fn an_empty_group_clears_it() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "edit", &id, "--group", "Billing"]);
    desk.ok(&["--as", "jonas", "edit", &id, "--group", ""]);
    let t = staff_json(&desk, 1);
    assert_eq!(t["group"], Value::Null);
    let last = t["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (&last["field"], &last["from"], &last["to"]),
        (&Value::from("group"), &Value::from("Billing"), &Value::Null)
    );
}

#[test]
fn light_agents_and_customers_may_not_edit_a_ticket() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    let err = desk.fails(&["--as", "lise", "edit", &id, "--priority", "high"], 4);
    assert!(err.contains("light agents cannot edit tickets"), "{err}");
    for who in [ANA, BOB] {
        let err = desk.fails(&["--as", who, "edit", &id, "--subject", "Mine now"], 4);
        assert!(err.contains("external people cannot edit tickets"), "{err}");
    }
    desk.fails(&["edit", &id, "--priority", "high"], 2);
    assert_eq!(desk.file(1), before);
}

#[test]
fn an_edit_follows_the_rules_of_every_write() {
    let desk = Desk::new();
    desk.write("tkt.yaml", "support_addresses: [support@acme.example]\n");
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    let edit = |args: &[&str], code| {
        let mut all = vec!["--as", "jonas", "edit", &id];
        all.extend(args);
        desk.fails(&all, code)
    };
    assert!(edit(&["--requester", "mette"], 5).contains("staff"));
    assert!(edit(&["--requester", "support@acme.example"], 5).contains("support_addresses"));
    assert!(edit(&["--requester", "not an address@"], 5).contains("--requester"));
    assert!(edit(&["--subject", "two\nlines"], 5).contains("--subject"));
    assert!(edit(&["--subject", "  "], 5).contains("--subject"));
    assert!(edit(&["--group", "a\nb"], 5).contains("--group"));
    edit(&[], 2);
    assert_eq!(desk.file(1), before, "nothing refused was written");

    desk.ok(&["--as", "jonas", "status", &id, "solved"]);
    desk.ok(&["--as", "jonas", "status", &id, "closed"]);
    let err = edit(&["--priority", "low"], 5);
    assert!(err.contains("closed"), "{err}");
}

#[test]
fn a_cc_who_becomes_the_requester_is_no_longer_a_cc() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "edit", &id, "--requester", BOB]);
    let t = staff_json(&desk, 1);
    assert_eq!(t["requester"], BOB);
    assert_eq!(t["cc"].as_array().unwrap().len(), 0);
    // Ana is no longer on the ticket at all.
    desk.fails(&["show", &id, "--as", ANA], 4);
}

fn person_json(desk: &Desk, handle: &str) -> Value {
    let people = json(&desk.ok(&["person", "list", "--format", "json"]));
    people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["handle"] == handle)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn admins_manage_staff_agents_manage_end_users_and_light_agents_nothing() {
    let desk = Desk::new();
    let add = |who: &str, handle: &str, role: &str| {
        let email = format!("{handle}@example.com");
        desk.run(&[
            "--as", who, "person", "add", handle, "--name", "Some One", "--email", &email,
            "--role", role,
        ])
    };
    // Today's hole: a light agent creating an admin.
    let out = add("lise", "boss", "admin");
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("light agents"));
    assert_eq!(person_json(&desk, "boss"), Value::Null);
    assert_eq!(add(ANA, "boss", "admin").status.code(), Some(4));
    assert_eq!(add("jonas", "boss", "admin").status.code(), Some(4));
    assert_eq!(add("jonas", "newbie", "agent").status.code(), Some(4));
    assert_eq!(add("jonas", "carl", "end-user").status.code(), Some(0));
    assert_eq!(add("ada", "newbie", "agent").status.code(), Some(0));

    // Agents edit end users, never staff; admins edit anyone.
    desk.ok(&[
        "--as",
        "jonas",
        "person",
        "edit",
        "carl",
        "--name",
        "Carl Kunde",
    ]);
    assert_eq!(person_json(&desk, "carl")["name"], "Carl Kunde");
    let err = desk.fails(
        &["--as", "jonas", "person", "edit", "carl", "--role", "agent"],
        4,
    );
    assert!(err.contains("admins manage staff"), "{err}");
    desk.fails(
        &["--as", "jonas", "person", "edit", "mette", "--name", "M"],
        4,
    );
    desk.fails(
        &["--as", "lise", "person", "edit", "carl", "--name", "C"],
        4,
    );
    // A customer learns nothing about who is in the directory: the same refusal for anyone.
    let a = desk.fails(&["--as", ANA, "person", "edit", "mette", "--name", "M"], 4);
    let b = desk.fails(&["--as", ANA, "person", "edit", "nobody", "--name", "M"], 4);
    assert_eq!(a, b);
    desk.ok(&[
        "--as",
        "ada",
        "person",
        "edit",
        "newbie",
        "--role",
        "light-agent",
    ]);
    assert_eq!(person_json(&desk, "newbie")["role"], "light-agent");

    // Removing: admins only (and setting up with no actor at all).
    desk.fails(&["--as", "jonas", "person", "remove", "carl"], 4);
    desk.ok(&["--as", "ada", "person", "remove", "carl"]);
    assert_eq!(person_json(&desk, "carl"), Value::Null);
    desk.ok(&["person", "remove", "newbie"]);
    desk.fails(&["--as", "ada", "person", "remove", "newbie"], 3);
}

#[test]
fn a_person_edit_checks_the_name_the_address_and_the_answer_says_what_changed() {
    let desk = Desk::new();
    desk.fails(&["person", "edit", "ana", "--name", "Ana\nSilva"], 5);
    let err = desk.fails(&["person", "edit", "ana", "--name", "Jonas Berg"], 5);
    assert!(err.contains("--name"), "{err}");
    desk.fails(
        &["person", "edit", "ana", "--email", "mette@acme.example"],
        5,
    );
    desk.fails(&["person", "edit", "ana", "--email", "nope"], 5);
    desk.fails(&["person", "edit", "nobody", "--name", "X"], 3);
    let answer = json(&desk.ok(&[
        "person",
        "edit",
        "mette",
        "--email",
        "Mette.Hansen@ACME.example",
        "--format",
        "json",
    ]));
    assert_eq!(answer["changed"], true);
    assert_eq!(answer["changes"][0]["field"], "email");
    assert_eq!(answer["changes"][0]["from"], "mette@acme.example");
    assert_eq!(answer["person"]["email"], "mette.hansen@acme.example");
    // A staff member keeps their own name when their role changes.
    desk.ok(&["person", "edit", "anders", "--role", "admin"]);
}

#[test]
fn nobody_leaves_the_directory_while_they_work_on_an_unsolved_ticket() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "follower", "add", &id, "mette"]);
    desk.side(&id, "Tier 3", "anders", "Seen this?");
    for (who, place) in [
        ("jonas", "assignee"),
        ("mette", "follower"),
        ("anders", "side-conversation participant"),
    ] {
        let err = desk.fails(&["--as", "ada", "person", "remove", who], 5);
        assert!(err.contains(&format!("#{id} ({place})")), "{err}");
    }
    let err = desk.fails(&["person", "edit", "mette", "--role", "end-user"], 5);
    assert!(err.contains("#1 (follower)"), "{err}");
    let err = desk.fails(&["person", "edit", "jonas", "--role", "light-agent"], 5);
    assert!(err.contains("#1 (assignee)"), "{err}");
    // A light agent may still follow.
    desk.ok(&["person", "edit", "mette", "--role", "light-agent"]);

    desk.ok(&["--as", "jonas", "status", &id, "solved"]);
    for who in ["jonas", "mette", "anders"] {
        desk.ok(&["--as", "ada", "person", "remove", who]);
    }
}

/// The standard ticket with a history: a note mentioning Mette, a side conversation with Anders, a
/// public reply, priority and tags, a CC removal.
fn busy_ticket(desk: &Desk) -> String {
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "-m",
        "@mette please review",
    ]);
    desk.side(&id, "Known limitation?", "anders", "Is 10.14 supported?");
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--public",
        "-m",
        "Please update.",
    ]);
    desk.ok(&["--as", "jonas", "edit", &id, "--priority", "high"]);
    desk.ok(&["--as", "jonas", "tag", &id, "--add", "macos"]);
    desk.ok(&["--as", "jonas", "assign", &id, "mette"]);
    desk.ok(&["--as", ANA, "cc", "add", &id, "carl@customer.example"]);
    desk.ok(&["--as", ANA, "comment", &id, "-m", "Thanks!"]);
    desk.ok(&["--as", "jonas", "status", &id, "on-hold"]);
    id
}

fn log_json(desk: &Desk, id: &str, who: Option<&str>) -> Vec<Value> {
    let mut args = vec!["log", id, "--format", "json"];
    if let Some(who) = who {
        args.extend(["--as", who]);
    }
    // The log is about how people are named: read it as printed.
    let log: Value = serde_json::from_str(&desk.ok(&args)).expect("JSON");
    log.as_array().unwrap().clone()
}

fn actions(log: &[Value]) -> Vec<String> {
    log.iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn staff_read_the_whole_history_in_time_order() {
    let desk = Desk::new();
    let id = busy_ticket(&desk);
    let log = log_json(&desk, &id, None);
    assert_eq!(
        actions(&log),
        [
            "create",
            "cc.add",
            "comment",
            "follower.add",
            "side.open",
            "side.message",
            "comment",
            "status",
            "edit",
            "tag.add",
            "assign",
            "cc.add",
            "comment",
            "status"
        ]
    );
    let solved_at: Vec<&Value> = log
        .iter()
        .filter(|e| e["action"] == "status" && e["to"] == "on-hold")
        .collect();
    assert_eq!(
        solved_at.len(),
        1,
        "when was it put on hold, without parsing text"
    );
    // Every key is there, absent values are null.
    for e in &log {
        for key in [
            "at",
            "by",
            "action",
            "field",
            "from",
            "to",
            "reason",
            "comment",
            "visibility",
            "side",
            "message",
            "detail",
        ] {
            assert!(e.get(key).is_some(), "{key} in {e}");
        }
    }
    assert_eq!(log[0]["by"]["handle"], "jonas");
    assert_eq!(log[7]["reason"], "answered");
    let text = desk.ok(&["log", &id]);
    assert!(
        text.contains("Mon 2 Mar 2026 09:00 UTC  jonas  status new → open (answered)"),
        "{text}"
    );
    assert!(text.contains("added follower mette (mentioned)"), "{text}");
    assert_eq!(text.lines().count(), log.len());
    // The follower sees the same; YAML carries the same entries.
    assert_eq!(log_json(&desk, &id, Some("mette")), log);
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&desk.ok(&["log", &id, "--format", "yaml"])).unwrap();
    assert_eq!(yaml.as_sequence().unwrap().len(), log.len());
}

#[test]
fn staff_outside_a_side_conversation_do_not_see_its_events_in_the_history() {
    let desk = Desk::new();
    let id = busy_ticket(&desk);
    // Lise is neither following nor in the side conversation.
    let log = log_json(&desk, &id, Some("lise"));
    assert!(log.iter().all(|e| e["side"].is_null()), "{log:?}");
    assert!(!actions(&log).iter().any(|a| a.starts_with("side.")));
    assert!(actions(&log).contains(&"follower.add".to_string()));
    let text = desk.ok(&["log", &id, "--as", "lise"]);
    assert!(!text.contains("side conversation"), "{text}");
    // Anders takes part in it.
    let anders = log_json(&desk, &id, Some("anders"));
    assert!(actions(&anders).contains(&"side.message".to_string()));
}

#[test]
fn a_customer_reads_only_their_thread_and_cc_changes_in_the_history() {
    let desk = Desk::new();
    let id = busy_ticket(&desk);
    for who in [ANA, BOB] {
        let log = log_json(&desk, &id, Some(who));
        assert_eq!(
            actions(&log),
            ["create", "cc.add", "comment", "cc.add", "comment"],
            "as {who}"
        );
        for e in &log {
            assert!(e["comment"].is_null(), "no comment numbers: {e}");
            assert!(e["detail"].is_null());
            assert!(e["by"]["handle"].is_null(), "no handles: {e}");
            assert_ne!(e["visibility"], "internal");
        }
        // Copying Bob was the desk's doing; Jonas is named where he replied publicly.
        assert_eq!(log[1]["by"]["name"], Value::Null);
        assert_eq!(log[2]["by"]["name"], "Jonas Berg");
        assert_eq!(log[3]["by"]["email"], ANA);
        let text = desk.ok(&["log", &id, "--as", who]);
        for hidden in [
            "mette", "anders", "internal", "priority", "on-hold", "macos", "side", "assign",
        ] {
            assert!(!text.contains(hidden), "as {who}: {hidden} in\n{text}");
        }
        assert!(
            text.contains("Jonas Berg (Support)  wrote a public reply"),
            "{text}"
        );
    }
    desk.fails(&["log", &id, "--as", "eve@elsewhere.example"], 4);
    desk.fails(&["log", "99", "--as", ANA], 4);
    desk.fails(&["log", "99"], 3);
}

#[test]
fn a_reply_made_private_leaves_the_customers_history() {
    let desk = Desk::new();
    let id = busy_ticket(&desk);
    desk.ok(&["--as", "jonas", "make-private", &id, "3"]);
    let log = log_json(&desk, &id, Some(ANA));
    assert_eq!(actions(&log), ["create", "cc.add", "cc.add", "comment"]);
}

#[test]
fn old_free_text_events_read_as_structured_and_are_kept_as_written() {
    let desk = Desk::new();
    let id = desk.ticket();
    let file = desk.file(id).replace(
        "events:\n",
        "events:\n- at: 2026-03-01T08:00:00Z\n  by: jonas\n  action: status\n  detail: new -> solved (answered)\n- at: 2026-03-01T08:00:00Z\n  by: jonas\n  action: escalate\n  detail: to tier 3\n",
    );
    desk.write(&format!("{id}.yaml"), &file);
    let log = log_json(&desk, &id.to_string(), None);
    assert_eq!(log[0]["field"], "status");
    assert_eq!(log[0]["from"], "new");
    assert_eq!(log[0]["to"], "solved");
    assert_eq!(log[0]["reason"], "answered");
    assert_eq!(log[0]["detail"], "new -> solved (answered)");
    assert_eq!(log[1]["action"], "escalate");
    let text = desk.ok(&["log", &id.to_string()]);
    assert!(text.contains("jonas  escalate to tier 3"), "{text}");
    // Customers never see old free text.
    let theirs = desk.ok(&["log", &id.to_string(), "--as", ANA]);
    assert!(
        !theirs.contains("tier 3") && !theirs.contains("solved"),
        "{theirs}"
    );
    // A rewrite keeps the old entries exactly as they were.
    desk.ok(&["--as", "jonas", "tag", &id.to_string(), "--add", "x"]);
    assert!(desk.file(id).contains(
        "- at: 2026-03-01T08:00:00Z\n  by: jonas\n  action: status\n  detail: new -> solved (answered)\n"
    ));
}

#[test]
fn an_end_user_never_gets_the_desks_own_or_a_blocklisted_address() {
    let desk = Desk::new();
    desk.write(
        "tkt.yaml",
        "support_addresses: [support@acme.example]\ncc_blocklist: [\"*@blocked.example\"]\n",
    );
    let before = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    for email in ["support@acme.example", "x@blocked.example"] {
        desk.fails(
            &["--as", "jonas", "person", "edit", "ana", "--email", email],
            5,
        );
        desk.fails(
            &[
                "--as", "jonas", "person", "add", "eve", "--name", "Eve", "--email", email,
                "--role", "end-user",
            ],
            5,
        );
    }
    assert_eq!(
        std::fs::read_to_string(desk.path("people.yaml")).unwrap(),
        before
    );
}
