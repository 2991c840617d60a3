//! Who may do what (SPEC §4), cell by cell through the real binary, and the rules around it: actors,
//! default visibilities, who starts following, the CC rules of the store's settings, closed tickets and
//! the status rules.

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk, EVE};

/// A row of SPEC §4's table, played by one person. `id` is how tickets record them.
struct Actor {
    row: &'static str,
    who: &'static str,
    id: &'static str,
    staff: bool,
}

const ACTORS: [Actor; 6] = [
    Actor {
        row: "requester",
        who: ANA,
        id: ANA,
        staff: false,
    },
    Actor {
        row: "external CC",
        who: BOB,
        id: BOB,
        staff: false,
    },
    Actor {
        row: "external, not on the ticket",
        who: EVE,
        id: EVE,
        staff: false,
    },
    Actor {
        row: "light agent",
        who: "lise",
        id: "lise",
        staff: true,
    },
    Actor {
        row: "agent",
        who: "anders",
        id: "anders",
        staff: true,
    },
    Actor {
        row: "admin",
        who: "ada",
        id: "ada",
        staff: true,
    },
];

/// What the table says for one actor and one action.
#[derive(Clone, Copy)]
enum Cell {
    Yes,
    /// Refused with exit 4 and a message naming this rule.
    No(&'static str),
    /// The action means nothing for this actor (a requester removing themselves as a CC).
    NotApplicable,
}
use Cell::{No, NotApplicable as NA, Yes};

const MARK: &str = "PERM-MARK";
/// Another CC, present before each cell, for "remove other CCs".
const DORA: &str = "dora@partner.example";
const CAROL: &str = "carol@partner.example";

const EXT_INTERNAL: Cell = No("external people cannot post internal notes");
const EXT_FOLLOWERS: Cell = No("external people cannot add or remove followers");
const EXT_SIDE: Cell = No("external people cannot take part in side conversations");
const OUTSIDER: Cell = No("has no access to ticket");
const LIGHT_SIDE: Cell = Yes;

/// One action: what to set up first, the command, and how its effect shows in the staff JSON view.
struct Action {
    name: &'static str,
    setup: fn(&Desk, &str, &Actor),
    args: fn(&str, &Actor) -> Vec<String>,
    effect: fn(&Value, &Actor) -> bool,
    /// In the order of `ACTORS`: requester, external CC, outsider, light agent, agent, admin.
    cells: [Cell; 6],
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn nothing(_: &Desk, _: &str, _: &Actor) {}

fn other_cc(desk: &Desk, id: &str, _: &Actor) {
    desk.ok(&["--as", "jonas", "cc", "add", id, DORA]);
}

/// Copies a staff actor so they can remove themselves (the external CC already is one).
fn actor_as_cc(desk: &Desk, id: &str, actor: &Actor) {
    if actor.staff {
        desk.ok(&["--as", "jonas", "cc", "add", id, actor.who]);
    }
}

fn a_follower(desk: &Desk, id: &str, _: &Actor) {
    desk.ok(&["--as", "jonas", "follower", "add", id, "mette"]);
}

/// Side conversation 1, with the actor in it when they are staff (so only the rule can stop them).
fn a_side(desk: &Desk, id: &str, actor: &Actor) {
    let with = if actor.staff { actor.who } else { "anders" };
    let n = desk.ok(&[
        "--as",
        "jonas",
        "side",
        "open",
        id,
        "--subject",
        "setup",
        "--with",
        with,
        "-m",
        "setup",
    ]);
    assert_eq!(n.trim(), "1");
}

fn a_resolved_side(desk: &Desk, id: &str, actor: &Actor) {
    a_side(desk, id, actor);
    desk.ok(&["--as", "jonas", "side", "resolve", id, "1"]);
}

/// Comment 2, a public reply from the assignee.
fn a_public_reply(desk: &Desk, id: &str, _: &Actor) {
    desk.ok(&["--as", "jonas", "comment", id, "--public", "-m", "a reply"]);
}

fn has(list: &Value, item: &str) -> bool {
    list.as_array()
        .is_some_and(|l| l.iter().any(|x| x == item || x["email"] == item))
}

fn comment_by(t: &Value, actor: &Actor, visibility: &str) -> bool {
    t["comments"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["body"] == MARK && c["author"] == actor.id && c["visibility"] == visibility)
    })
}

fn side1(t: &Value) -> &Value {
    &t["side_conversations"][0]
}

/// SPEC §4's table, one line per action, one cell per actor.
fn table() -> Vec<Action> {
    let ext_manage = |what| [No(what), No(what), OUTSIDER];
    let manage = |ext: &'static str, light: &'static str| {
        let [a, b, c] = ext_manage(ext);
        [a, b, c, No(light), Yes, Yes]
    };
    vec![
        Action {
            name: "post public",
            setup: nothing,
            args: |id, _| strings(&["comment", id, "--public", "-m", MARK]),
            effect: |t, a| comment_by(t, a, "public"),
            cells: [
                Yes,
                Yes,
                OUTSIDER,
                No("light agents cannot post public replies"),
                Yes,
                Yes,
            ],
        },
        Action {
            name: "post internal",
            setup: nothing,
            args: |id, _| strings(&["comment", id, "--internal", "-m", MARK]),
            effect: |t, a| comment_by(t, a, "internal"),
            cells: [EXT_INTERNAL, EXT_INTERNAL, EXT_INTERNAL, Yes, Yes, Yes],
        },
        Action {
            name: "add CC",
            setup: nothing,
            args: |id, _| strings(&["cc", "add", id, CAROL]),
            effect: |t, _| has(&t["cc"], CAROL),
            cells: [
                Yes,
                Yes,
                OUTSIDER,
                No("light agents cannot add CCs"),
                Yes,
                Yes,
            ],
        },
        Action {
            name: "remove CC: themselves",
            setup: actor_as_cc,
            args: |id, a| strings(&["cc", "remove", id, a.who]),
            effect: |t, a| {
                let email = if a.staff {
                    format!("{}@acme.example", a.id)
                } else {
                    a.id.to_string()
                };
                // A staff CC is named by handle once people become identities.
                !has(&t["cc"], &email) && !has(&t["cc"], a.id)
            },
            cells: [
                NA,
                Yes,
                OUTSIDER,
                No("light agents cannot remove CCs"),
                Yes,
                Yes,
            ],
        },
        Action {
            name: "remove CC: another CC",
            setup: other_cc,
            args: |id, _| strings(&["cc", "remove", id, DORA]),
            effect: |t, _| !has(&t["cc"], DORA),
            cells: [
                Yes,
                Yes,
                OUTSIDER,
                No("light agents cannot remove CCs"),
                Yes,
                Yes,
            ],
        },
        Action {
            name: "add follower",
            setup: nothing,
            args: |id, _| strings(&["follower", "add", id, "mette"]),
            effect: |t, _| has(&t["followers"], "mette"),
            cells: [EXT_FOLLOWERS, EXT_FOLLOWERS, OUTSIDER, Yes, Yes, Yes],
        },
        Action {
            name: "remove follower",
            setup: a_follower,
            args: |id, _| strings(&["follower", "remove", id, "mette"]),
            effect: |t, _| !has(&t["followers"], "mette"),
            cells: [EXT_FOLLOWERS, EXT_FOLLOWERS, OUTSIDER, Yes, Yes, Yes],
        },
        Action {
            name: "side conversation: open",
            setup: nothing,
            args: |id, _| {
                strings(&[
                    "side",
                    "open",
                    id,
                    "--subject",
                    MARK,
                    "--with",
                    "mette",
                    "-m",
                    "hello",
                ])
            },
            effect: |t, a| side1(t)["subject"] == MARK && has(&side1(t)["participants"], a.id),
            cells: [EXT_SIDE, EXT_SIDE, OUTSIDER, LIGHT_SIDE, Yes, Yes],
        },
        Action {
            name: "side conversation: reply",
            setup: a_side,
            args: |id, _| strings(&["side", "reply", id, "1", "-m", MARK]),
            effect: |t, a| {
                side1(t)["messages"]
                    .as_array()
                    .is_some_and(|ms| ms.iter().any(|m| m["body"] == MARK && m["author"] == a.id))
            },
            cells: [EXT_SIDE, EXT_SIDE, OUTSIDER, LIGHT_SIDE, Yes, Yes],
        },
        Action {
            name: "side conversation: invite",
            setup: a_side,
            args: |id, _| strings(&["side", "invite", id, "1", "mette"]),
            effect: |t, _| has(&side1(t)["participants"], "mette"),
            cells: [EXT_SIDE, EXT_SIDE, OUTSIDER, LIGHT_SIDE, Yes, Yes],
        },
        Action {
            name: "side conversation: resolve",
            setup: a_side,
            args: |id, _| strings(&["side", "resolve", id, "1"]),
            effect: |t, a| side1(t)["state"] == "resolved" && side1(t)["resolved_by"] == a.id,
            cells: [EXT_SIDE, EXT_SIDE, OUTSIDER, LIGHT_SIDE, Yes, Yes],
        },
        Action {
            name: "side conversation: reopen",
            setup: a_resolved_side,
            args: |id, _| strings(&["side", "reopen", id, "1"]),
            effect: |t, _| side1(t)["state"] == "open",
            cells: [EXT_SIDE, EXT_SIDE, OUTSIDER, LIGHT_SIDE, Yes, Yes],
        },
        Action {
            name: "status",
            setup: nothing,
            args: |id, _| strings(&["status", id, "pending"]),
            effect: |t, _| t["status"] == "pending",
            cells: manage(
                "external people cannot change the status",
                "light agents cannot change the status",
            ),
        },
        Action {
            name: "assign",
            setup: nothing,
            args: |id, _| strings(&["assign", id, "mette"]),
            effect: |t, _| t["assignee"] == "mette",
            cells: manage(
                "external people cannot assign tickets",
                "light agents cannot assign tickets",
            ),
        },
        Action {
            name: "tags",
            setup: nothing,
            args: |id, _| strings(&["tag", id, "--add", "permtag"]),
            effect: |t, _| has(&t["tags"], "permtag"),
            cells: manage(
                "external people cannot change tags",
                "light agents cannot change tags",
            ),
        },
        Action {
            name: "make-private",
            setup: a_public_reply,
            args: |id, _| strings(&["make-private", id, "2"]),
            effect: |t, _| {
                t["comments"][1]["n"] == 2 && t["comments"][1]["visibility"] == "internal"
            },
            cells: manage(
                "external people cannot make comments private",
                "light agents cannot make comments private",
            ),
        },
    ]
}

fn staff_json(desk: &Desk, id: &str) -> Value {
    crate::desk::identities(
        serde_json::from_str(&desk.ok(&["show", id, "--format", "json"])).expect("staff JSON"),
    )
}

#[test]
fn every_actor_may_do_exactly_what_the_table_allows() {
    let desk = Desk::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for action in table() {
        for (actor, cell) in ACTORS.iter().zip(action.cells) {
            if matches!(cell, NA) {
                continue;
            }
            checked += 1;
            let id = desk.ticket().to_string();
            (action.setup)(&desk, &id, actor);
            let before = desk.file(id.parse().unwrap());
            let mut args = vec!["--as".to_string(), actor.who.to_string()];
            args.extend((action.args)(&id, actor));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = desk.run(&args);
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            let label = format!("{} may {}? ({})", actor.row, action.name, actor.who);
            match cell {
                Yes => {
                    if !out.status.success() {
                        problems.push(format!(
                            "{label} expected yes, got {:?}: {stderr}",
                            out.status.code()
                        ));
                    } else if !(action.effect)(&staff_json(&desk, &id), actor) {
                        problems.push(format!(
                            "{label} exit 0 but the change is not in show --format json"
                        ));
                    }
                }
                No(rule) => {
                    if out.status.code() != Some(4) {
                        problems.push(format!(
                            "{label} expected exit 4, got {:?}: {stderr}",
                            out.status.code()
                        ));
                    } else if !stderr.contains(rule) || stderr.trim_end().lines().count() != 1 {
                        problems.push(format!(
                            "{label} refused without naming the rule {rule:?}: {stderr:?}"
                        ));
                    } else if desk.file(id.parse().unwrap()) != before {
                        problems.push(format!("{label} refused but the ticket file changed"));
                    }
                }
                NA => unreachable!(),
            }
        }
    }
    assert_eq!(checked, 16 * 6 - 1, "every applicable cell was checked");
    assert!(
        problems.is_empty(),
        "{} cell(s) break SPEC §4:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// Overwrites the store's settings.
fn settings(desk: &Desk, yaml: &str) {
    desk.write("tkt.yaml", yaml);
}

#[test]
fn a_change_with_no_actor_is_refused_and_reading_never_uses_default_as() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "comment", &id, "-m", "INTERNAL-NOTE-MARK"]);
    let before = desk.file(1);
    for args in [
        vec!["comment", &id, "-m", "x"],
        vec!["comment", &id, "--public", "-m", "x"],
        vec!["make-private", &id, "1"],
        vec!["cc", "add", &id, "carol@partner.example"],
        vec!["cc", "remove", &id, BOB],
        vec!["follower", "add", &id, "mette"],
        vec![
            "side",
            "open",
            &id,
            "--subject",
            "s",
            "--with",
            "mette",
            "-m",
            "x",
        ],
        vec!["status", &id, "pending"],
        vec!["assign", &id, "mette"],
        vec!["tag", &id, "--add", "t"],
        vec!["new", "--subject", "s", "--requester", ANA, "-m", "x"],
    ] {
        let err = desk.fails(&args, 2);
        assert!(
            err.contains("--as"),
            "{args:?}: the message says how to name an actor: {err}"
        );
    }
    assert_eq!(desk.file(1), before, "nothing changed");
    assert!(!desk.path("2.yaml").exists(), "no ticket was created");

    // default_as acts for changes, but a read without --as is still the full staff view.
    settings(&desk, "default_as: ana\n");
    desk.ok(&["comment", &id, "-m", "CUSTOMER-BY-DEFAULT"]);
    let t = staff_json(&desk, &id);
    let last = t["comments"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["author"], ANA);
    assert_eq!(last["visibility"], "public");
    assert!(desk.ok(&["show", &id]).contains("INTERNAL-NOTE-MARK"));
}

#[test]
fn a_staff_comment_is_an_internal_note_unless_public_is_given() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    for who in ["jonas", "lise", "ada"] {
        desk.ok(&[
            "--as",
            who,
            "comment",
            &id,
            "-m",
            &format!("forgot-the-flag-{who}"),
        ]);
    }
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--public",
        "-m",
        "meant-to-be-public",
    ]);
    let t = staff_json(&desk, &id);
    let visibility = |body: &str| {
        t["comments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["body"] == body)
            .map(|c| c["visibility"].clone())
    };
    for who in ["jonas", "lise", "ada"] {
        assert_eq!(
            visibility(&format!("forgot-the-flag-{who}")),
            Some("internal".into())
        );
    }
    assert_eq!(visibility("meant-to-be-public"), Some("public".into()));
    let customer = desk.show_as(1, ANA, "text");
    assert!(!customer.contains("forgot-the-flag"), "{customer}");
    assert!(customer.contains("meant-to-be-public"), "{customer}");
}

#[test]
fn a_customer_asking_for_an_internal_note_is_refused_and_without_flags_posts_publicly() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    for who in [ANA, BOB] {
        let err = desk.fails(&["--as", who, "comment", &id, "--internal", "-m", "x"], 4);
        assert!(
            err.contains("external people cannot post internal notes"),
            "{err}"
        );
    }
    assert_eq!(desk.file(1), before);
    desk.ok(&["--as", BOB, "comment", &id, "-m", "bob-says"]);
    let t = staff_json(&desk, &id);
    assert_eq!(t["comments"][1]["visibility"], "public");
    assert_eq!(t["comments"][1]["author"], BOB);
}

#[test]
fn staff_who_comment_start_following_but_side_conversation_participants_do_not() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let followers = |desk: &Desk| staff_json(desk, &id)["followers"].clone();

    // Side conversations only: opening, being invited, replying, resolving. Nobody starts following.
    desk.ok(&[
        "--as",
        "anders",
        "side",
        "open",
        &id,
        "--subject",
        "q",
        "--with",
        "lise",
        "-m",
        "hi",
    ]);
    desk.ok(&["--as", "lise", "side", "reply", &id, "1", "-m", "answer"]);
    desk.ok(&["--as", "anders", "side", "invite", &id, "1", "mette"]);
    desk.ok(&["--as", "mette", "side", "reply", &id, "1", "-m", "more"]);
    desk.ok(&["--as", "mette", "side", "resolve", &id, "1"]);
    assert_eq!(followers(&desk), serde_json::json!([]));

    // The assignee comments without following (they own it).
    desk.ok(&["--as", "jonas", "comment", &id, "-m", "note"]);
    desk.ok(&["--as", "jonas", "comment", &id, "--public", "-m", "reply"]);
    assert_eq!(followers(&desk), serde_json::json!([]));

    // Everyone else who comments follows, once.
    desk.ok(&["--as", "anders", "comment", &id, "-m", "note"]);
    desk.ok(&["--as", "lise", "comment", &id, "-m", "note"]);
    desk.ok(&["--as", "ada", "comment", &id, "--public", "-m", "reply"]);
    desk.ok(&["--as", "anders", "comment", &id, "-m", "again"]);
    assert_eq!(
        followers(&desk),
        serde_json::json!(["anders", "lise", "ada"])
    );

    // Customers never become followers.
    desk.ok(&["--as", ANA, "comment", &id, "-m", "thanks"]);
    desk.ok(&["--as", BOB, "comment", &id, "-m", "thanks"]);
    assert_eq!(
        followers(&desk),
        serde_json::json!(["anders", "lise", "ada"])
    );
}

#[test]
fn a_mention_in_an_internal_note_adds_a_follower_and_in_a_side_message_invites() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--public",
        "--force",
        "-m",
        "@anders is not a follower from a reply",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "-m",
        "@mette can you review?",
    ]);
    let t = staff_json(&desk, &id);
    assert_eq!(t["followers"], serde_json::json!(["mette"]));

    desk.side(&id, "s", "anders", "@lise join us");
    desk.ok(&[
        "--as",
        "anders",
        "side",
        "reply",
        &id,
        "1",
        "-m",
        "asking @ada too",
    ]);
    let t = staff_json(&desk, &id);
    assert_eq!(
        side1(&t)["participants"],
        serde_json::json!(["jonas", "anders", "lise", "ada"])
    );
    assert_eq!(
        t["followers"],
        serde_json::json!(["mette"]),
        "a side mention does not follow"
    );

    // An unknown handle is a warning, not a failure, and nobody is added.
    let out = desk.run(&["--as", "jonas", "comment", &id, "-m", "@nobody hello"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning"));
    assert_eq!(
        staff_json(&desk, &id)["followers"],
        serde_json::json!(["mette"])
    );
}

#[test]
fn an_invalid_cc_address_is_invalid_data() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    for bad in [
        "bob@nowhere",
        "a b@x.example",
        "@x.example",
        "bob@@x.example",
    ] {
        let err = desk.fails(&["--as", "jonas", "cc", "add", &id, bad], 5);
        assert!(err.contains("WHO"), "names the argument: {err}");
    }
    // One bad address among good ones adds none of them.
    desk.fails(
        &[
            "--as",
            "jonas",
            "cc",
            "add",
            &id,
            "carol@partner.example",
            "bad@nowhere",
        ],
        5,
    );
    assert_eq!(desk.file(1), before);
}

#[test]
fn adding_a_cc_or_follower_already_there_changes_nothing() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "follower", "add", &id, "mette"]);
    let before = desk.file(1);
    for args in [
        ["cc", "add", &id, BOB],
        ["cc", "add", &id, "Bob@Agency.EXAMPLE"],
        ["cc", "add", &id, ANA],
        ["follower", "add", &id, "mette"],
        ["follower", "add", &id, "mette@acme.example"],
    ] {
        let mut all = vec!["--as", "jonas"];
        all.extend(args);
        desk.ok(&all);
        assert_eq!(desk.file(1), before, "{args:?} changed the ticket");
    }
    assert_eq!(staff_json(&desk, &id)["cc"].as_array().unwrap().len(), 1);
}

#[test]
fn cc_limit_caps_the_ccs_of_one_ticket() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    settings(&desk, "cc_limit: 2\n");
    desk.ok(&["--as", "jonas", "cc", "add", &id, "carol@partner.example"]);
    let before = desk.file(1);
    let err = desk.fails(
        &["--as", "jonas", "cc", "add", &id, "dave@partner.example"],
        5,
    );
    assert!(err.contains("cc_limit"), "{err}");
    assert_eq!(desk.file(1), before);
    // Removing one makes room again.
    desk.ok(&[
        "--as",
        "jonas",
        "cc",
        "remove",
        &id,
        "carol@partner.example",
    ]);
    desk.ok(&["--as", "jonas", "cc", "add", &id, "dave@partner.example"]);

    // Adding two where only one fits adds neither.
    settings(&desk, "cc_limit: 3\n");
    let before = desk.file(1);
    desk.fails(
        &[
            "--as",
            "jonas",
            "cc",
            "add",
            &id,
            "x1@partner.example",
            "x2@partner.example",
        ],
        5,
    );
    assert_eq!(desk.file(1), before);
}

#[test]
fn blocklisted_and_support_addresses_can_never_be_copied_nor_follow() {
    let desk = Desk::new();
    desk.ok(&[
        "person",
        "add",
        "desk",
        "--name",
        "The Desk",
        "--email",
        "desk@acme.example",
        "--role",
        "agent",
    ]);
    let id = desk.ticket().to_string();
    settings(
        &desk,
        "cc_blocklist:\n  - \"*@support.example\"\nsupport_addresses:\n  - desk@acme.example\n",
    );
    let before = desk.file(1);
    for (who, why) in [
        ("help@support.example", "cc_blocklist"),
        ("Help@SUPPORT.Example", "cc_blocklist"),
        ("desk@acme.example", "support_addresses"),
        ("DESK@acme.example", "support_addresses"),
        ("desk", "support_addresses"),
    ] {
        for actor in ["jonas", ANA] {
            if actor == ANA && !who.contains('@') {
                // Customers name people by address; a handle tells them nothing either way.
                desk.fails(&["--as", actor, "cc", "add", &id, who], 4);
                continue;
            }
            let err = desk.fails(&["--as", actor, "cc", "add", &id, who], 5);
            // Staff hear which setting refused; a customer only that their address cannot be copied.
            if actor == ANA {
                assert!(
                    err.contains(&who.to_lowercase()) && !err.contains(why) && !err.contains('*'),
                    "{actor} adding {who}: {err}"
                );
            } else {
                assert!(err.contains(why), "{actor} adding {who}: {err}");
            }
        }
    }
    let err = desk.fails(&["--as", "jonas", "follower", "add", &id, "desk"], 5);
    assert!(err.contains("support_addresses"), "{err}");
    assert_eq!(desk.file(1), before);
    // Addresses that merely look alike are fine.
    desk.ok(&[
        "--as",
        "jonas",
        "cc",
        "add",
        &id,
        "help@support.example.org",
    ]);
}

#[test]
fn an_agent_as_cc_follows_the_agent_cc_setting() {
    // warn (the default): allowed, with a warning that the customer sees their address; no follower.
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let out = desk.run(&["--as", "jonas", "cc", "add", &id, "anders"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning") && stderr.contains("anders@acme.example"),
        "{stderr}"
    );
    let t = staff_json(&desk, &id);
    assert!(has(&t["cc"], "anders"));
    assert_eq!(t["followers"], serde_json::json!([]));

    // follow: they become a follower too.
    settings(&desk, "agent_cc: follow\n");
    desk.ok(&["--as", "jonas", "cc", "add", &id, "mette@acme.example"]);
    let t = staff_json(&desk, &id);
    assert!(has(&t["cc"], "mette"));
    assert_eq!(t["followers"], serde_json::json!(["mette"]));

    // reject: refused, pointing to followers.
    settings(&desk, "agent_cc: reject\n");
    let before = desk.file(1);
    let err = desk.fails(&["--as", "jonas", "cc", "add", &id, "lise"], 5);
    assert!(
        err.contains("agent_cc") && err.contains("follower"),
        "{err}"
    );
    assert_eq!(desk.file(1), before);
    // External addresses are unaffected.
    desk.ok(&["--as", "jonas", "cc", "add", &id, "carol@partner.example"]);
}

#[test]
fn an_external_address_cannot_follow_and_is_told_to_be_a_cc() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    for who in ["carol@partner.example", ANA, "ana"] {
        let err = desk.fails(&["--as", "jonas", "follower", "add", &id, who], 5);
        assert!(err.contains("add them as a CC"), "{err}");
    }
    assert_eq!(desk.file(1), before);
}

#[test]
fn removing_someone_who_is_not_there_is_not_found() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    desk.fails(&["--as", "jonas", "follower", "remove", &id, "mette"], 3);
    desk.fails(
        &[
            "--as",
            "jonas",
            "cc",
            "remove",
            &id,
            "carol@partner.example",
        ],
        3,
    );
    desk.fails(&["--as", "jonas", "cc", "remove", &id, ANA], 3);
    desk.fails(
        &["--as", BOB, "cc", "remove", &id, "carol@partner.example"],
        3,
    );
    assert_eq!(desk.file(1), before);
}

#[test]
fn nothing_on_a_closed_ticket_can_change() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "follower", "add", &id, "mette"]);
    desk.ok(&["--as", "jonas", "comment", &id, "--public", "-m", "reply"]);
    desk.side(&id, "s", "anders", "x");
    desk.ok(&["--as", "jonas", "status", &id, "solved"]);
    desk.ok(&["--as", "jonas", "status", &id, "closed"]);
    let before = desk.file(1);
    let changes: Vec<(&str, Vec<&str>)> = vec![
        ("jonas", vec!["comment", &id, "-m", "x"]),
        ("jonas", vec!["comment", &id, "--public", "-m", "x"]),
        (ANA, vec!["comment", &id, "-m", "x"]),
        (BOB, vec!["comment", &id, "-m", "x"]),
        ("jonas", vec!["make-private", &id, "2"]),
        ("jonas", vec!["cc", "add", &id, "carol@partner.example"]),
        (ANA, vec!["cc", "add", &id, "carol@partner.example"]),
        ("jonas", vec!["cc", "remove", &id, BOB]),
        (BOB, vec!["cc", "remove", &id, BOB]),
        ("jonas", vec!["follower", "add", &id, "anders"]),
        ("jonas", vec!["follower", "remove", &id, "mette"]),
        (
            "jonas",
            vec![
                "side",
                "open",
                &id,
                "--subject",
                "s",
                "--with",
                "anders",
                "-m",
                "x",
            ],
        ),
        ("jonas", vec!["side", "reply", &id, "1", "-m", "x"]),
        ("jonas", vec!["side", "invite", &id, "1", "mette"]),
        ("jonas", vec!["side", "resolve", &id, "1"]),
        ("jonas", vec!["status", &id, "open"]),
        ("jonas", vec!["status", &id, "solved"]),
        ("jonas", vec!["status", &id, "closed"]),
        ("ada", vec!["status", &id, "open"]),
        ("jonas", vec!["assign", &id, "mette"]),
        ("jonas", vec!["tag", &id, "--add", "t"]),
    ];
    for (actor, args) in changes {
        let mut all = vec!["--as", actor];
        all.extend(&args);
        let err = desk.fails(&all, 5);
        assert!(err.contains("closed"), "{all:?}: {err}");
    }
    assert_eq!(
        desk.file(1),
        before,
        "the closed ticket's file never changed"
    );
}

#[test]
fn a_ticket_never_goes_back_to_new_and_is_closed_only_from_solved() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let status = |desk: &Desk| staff_json(desk, &id)["status"].clone();
    assert_eq!(status(&desk), "new");
    desk.ok(&["--as", "jonas", "status", &id, "new"]); // already new: nothing to do
    for from in ["open", "pending", "on-hold", "solved"] {
        desk.ok(&["--as", "jonas", "status", &id, from]);
        let err = desk.fails(&["--as", "jonas", "status", &id, "new"], 5);
        assert!(err.contains("new"), "{err}");
        if from != "solved" {
            let err = desk.fails(&["--as", "jonas", "status", &id, "closed"], 5);
            assert!(err.contains("solved"), "{from} -> closed: {err}");
        }
        assert_eq!(status(&desk), from);
    }
    let id2 = desk.ticket().to_string();
    let err = desk.fails(&["--as", "jonas", "status", &id2, "closed"], 5);
    assert!(err.contains("solved"), "new -> closed: {err}");
    desk.ok(&["--as", "jonas", "status", &id, "closed"]);
    assert_eq!(status(&desk), "closed");
}

#[test]
fn only_agents_and_admins_can_be_assigned() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    for who in ["lise", ANA, "carol@partner.example"] {
        desk.fails(&["--as", "jonas", "assign", &id, who], 5);
    }
    assert_eq!(desk.file(1), before);
    for who in ["mette", "ada", "anders@acme.example"] {
        desk.ok(&["--as", "jonas", "assign", &id, who]);
    }
    assert_eq!(staff_json(&desk, &id)["assignee"], "anders");
}

#[test]
fn side_conversations_are_for_internal_people_only() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    for who in [ANA, BOB, "ana", "carol@partner.example"] {
        let err = desk.fails(
            &[
                "--as",
                "jonas",
                "side",
                "open",
                &id,
                "--subject",
                "s",
                "--with",
                who,
                "-m",
                "x",
            ],
            5,
        );
        assert!(err.contains("internal"), "{err}");
    }
    assert_eq!(desk.file(1), before);
    desk.side(&id, "s", "mette", "x");
    let before = desk.file(1);
    desk.fails(&["--as", "jonas", "side", "invite", &id, "1", BOB], 5);
    assert_eq!(desk.file(1), before);
}

/// The git and check commands refuse a customer before they look at anything: the same exit 4 and line
/// whether the ticket or file is there or not, no path, nothing written.
#[test]
fn a_customer_learns_nothing_from_renumber_git_setup_or_check() {
    let desk = Desk::new();
    desk.ticket();
    let there = desk.fails(&["--as", ANA, "renumber", "1"], 4);
    let missing = desk.fails(&["--as", ANA, "renumber", "99"], 4);
    assert_eq!(there, missing);
    assert!(!there.contains(desk.root().to_str().unwrap()), "{there}");
    desk.fails(&["--as", ANA, "git", "setup"], 4);
    assert!(!desk.path(".gitattributes").exists());
    let file = desk.path("1.yaml");
    let absent = desk.path("99.yaml");
    let checked = desk.fails(&["--as", ANA, "check", file.to_str().unwrap()], 4);
    let unknown = desk.fails(&["--as", ANA, "check", absent.to_str().unwrap()], 4);
    assert_eq!(checked, unknown);
}
