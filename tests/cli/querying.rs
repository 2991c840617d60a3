//! Querying: `tkt list` shows the unsolved tickets, filtered, sorted and searched on what the viewer
//! may see.

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk};

/// The ids `list ARGS --format json` prints, in order.
fn ids(desk: &Desk, args: &[&str]) -> Vec<u64> {
    let mut all = vec!["list", "--format", "json"];
    all.extend_from_slice(args);
    let rows: Value = serde_json::from_str(&desk.ok(&all)).expect("list json");
    rows.as_array()
        .expect("an array of rows")
        .iter()
        .map(|r| r["id"].as_u64().expect("id"))
        .collect()
}

/// Jonas opens a ticket for Ana at `now` with extra `new` arguments. Returns its id as text.
fn open_at(desk: &Desk, now: &str, subject: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "--now",
        now,
        "--as",
        "jonas",
        "new",
        "--subject",
        subject,
        "--requester",
        ANA,
        "-m",
        "Hello.",
    ];
    args.extend_from_slice(extra);
    desk.ok(&args).trim().to_string()
}

/// Four tickets: 1 new (Support, high, jonas), 2 pending (Billing, low, unassigned), 3 solved, 4 closed.
fn desk_of_four() -> Desk {
    let desk = Desk::new();
    open_at(
        &desk,
        "2026-03-01T09:00:00Z",
        "Export fails",
        &[
            "--group",
            "Support",
            "--priority",
            "high",
            "--assignee",
            "jonas",
        ],
    );
    open_at(
        &desk,
        "2026-03-02T09:00:00Z",
        "Invoice twice",
        &["--group", "Billing", "--priority", "low"],
    );
    open_at(&desk, "2026-03-03T09:00:00Z", "Password reset", &[]);
    open_at(&desk, "2026-03-04T09:00:00Z", "Old question", &[]);
    desk.ok(&[
        "--now",
        "2026-03-05T09:00:00Z",
        "--as",
        "jonas",
        "status",
        "2",
        "pending",
    ]);
    desk.ok(&[
        "--now",
        "2026-03-05T09:00:00Z",
        "--as",
        "jonas",
        "status",
        "3",
        "solved",
    ]);
    desk.ok(&[
        "--now",
        "2026-03-05T09:00:00Z",
        "--as",
        "jonas",
        "status",
        "4",
        "solved",
    ]);
    desk.ok(&[
        "--now",
        "2026-03-05T09:00:00Z",
        "--as",
        "jonas",
        "status",
        "4",
        "closed",
    ]);
    desk
}

#[test]
fn list_shows_unsolved_tickets_unless_all_or_status_widen_it() {
    let desk = desk_of_four();
    assert_eq!(ids(&desk, &[]), [1, 2]);
    assert_eq!(ids(&desk, &["--all"]), [1, 2, 3, 4]);
    assert_eq!(
        ids(&desk, &["--status", "solved", "--status", "closed"]),
        [3, 4]
    );
    desk.fails(&["list", "--all", "--status", "new"], 2);
}

#[test]
fn list_filters_by_group_priority_unassigned_and_assignee_me() {
    let desk = desk_of_four();
    assert_eq!(ids(&desk, &["--group", "billing"]), [2]);
    assert_eq!(ids(&desk, &["--priority", "high"]), [1]);
    assert_eq!(
        ids(&desk, &["--priority", "high", "--priority", "low"]),
        [1, 2]
    );
    assert_eq!(ids(&desk, &["--unassigned"]), [2]);
    assert_eq!(ids(&desk, &["--as", "jonas", "--assignee", "me"]), [1]);
    assert_eq!(
        ids(&desk, &["--as", "mette", "--assignee", "me"]),
        Vec::<u64>::new()
    );
    let err = desk.fails(&["list", "--assignee", "me"], 2);
    assert!(err.contains("--as"), "{err}");
}

#[test]
fn list_filters_tickets_with_open_side_conversations_the_viewer_may_see() {
    let desk = desk_of_four();
    desk.side("2", "Refund?", "anders", "Anders, may we refund?");
    assert_eq!(ids(&desk, &["--open-sides"]), [2]);
    assert_eq!(ids(&desk, &["--open-sides", "--as", "anders"]), [2]);
    // Mette neither follows, owns nor takes part: she does not see it, so it is no match for her.
    assert_eq!(
        ids(&desk, &["--open-sides", "--as", "mette"]),
        Vec::<u64>::new()
    );
    desk.ok(&["--as", "jonas", "side", "resolve", "2", "1"]);
    assert_eq!(ids(&desk, &["--open-sides"]), Vec::<u64>::new());
}

#[test]
fn since_and_until_take_times_days_and_spans_back_from_now() {
    let desk = Desk::new();
    open_at(&desk, "2026-03-01T09:00:00Z", "One", &[]);
    open_at(&desk, "2026-03-02T18:00:00Z", "Two", &[]);
    open_at(&desk, "2026-03-04T09:00:00Z", "Three", &[]);
    assert_eq!(ids(&desk, &["--since", "2026-03-02"]), [2, 3]);
    assert_eq!(ids(&desk, &["--until", "2026-03-02"]), [1, 2]);
    assert_eq!(
        ids(
            &desk,
            &["--since", "2026-03-02T18:00:00Z", "--until", "2026-03-03"]
        ),
        [2]
    );
    assert_eq!(
        ids(&desk, &["--now", "2026-03-04T12:00:00Z", "--since", "24h"]),
        [3]
    );
    assert_eq!(
        ids(&desk, &["--now", "2026-03-04T12:00:00Z", "--since", "7d"]),
        [1, 2, 3]
    );
    for bad in ["yesterday", "2026-02-30", "-3d", ""] {
        let err = desk.fails(&["list", &format!("--since={bad}")], 2);
        assert!(err.contains("--since"), "{err}");
    }
}

#[test]
fn sort_reverse_and_limit() {
    let desk = desk_of_four();
    desk.ok(&[
        "--now",
        "2026-03-06T09:00:00Z",
        "--as",
        "jonas",
        "comment",
        "1",
        "-m",
        "Later.",
    ]);
    assert_eq!(ids(&desk, &["--all", "--sort", "updated"]), [2, 3, 4, 1]);
    assert_eq!(
        ids(&desk, &["--all", "--sort", "updated", "--reverse"]),
        [1, 4, 3, 2]
    );
    assert_eq!(
        ids(&desk, &["--all", "--sort", "created", "--reverse"]),
        [4, 3, 2, 1]
    );
    // --reverse reverses the whole order, ties (by id) included.
    assert_eq!(
        ids(&desk, &["--all", "--sort", "priority", "--reverse"]),
        [1, 4, 3, 2]
    );
    assert_eq!(ids(&desk, &["--all", "--sort", "status"]), [1, 2, 3, 4]);
    assert_eq!(ids(&desk, &["--all", "--reverse"]), [4, 3, 2, 1]);
    assert_eq!(ids(&desk, &["--all", "--limit", "2"]), [1, 2]);
    assert_eq!(
        ids(
            &desk,
            &["--all", "--sort", "updated", "--reverse", "--limit", "1"]
        ),
        [1]
    );
    desk.fails(&["list", "--limit", "0"], 2);
    desk.fails(&["list", "--sort", "colour"], 2);
}

#[test]
fn list_rows_carry_group_priority_for_staff_only_and_created_for_all() {
    let desk = desk_of_four();
    let rows: Value = serde_json::from_str(&desk.ok(&["list", "--format", "json"])).unwrap();
    assert_eq!(rows[0]["group"], "Support");
    assert_eq!(rows[0]["priority"], "high");
    assert_eq!(rows[0]["created"], "2026-03-01T09:00:00Z");
    let rows: Value =
        serde_json::from_str(&desk.ok(&["list", "--format", "json", "--as", ANA])).unwrap();
    // The contract keeps every key; what a customer may not see is null.
    for key in ["group", "priority", "assignee", "followers"] {
        assert!(rows[0][key].is_null(), "{key} in {}", rows[0]);
    }
    // When the ticket was opened is in the customer's own `show`, so their row has it too.
    assert_eq!(rows[0]["created"], "2026-03-01T09:00:00Z");
}

#[test]
fn search_finds_subjects_and_bodies_ignoring_case() {
    let desk = desk_of_four();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        "2",
        "--public",
        "-m",
        "We will REFUND the second invoice.",
    ]);
    assert_eq!(ids(&desk, &["--search", "refund"]), [2]);
    assert_eq!(ids(&desk, &["--search", "export FAILS"]), [1]);
    assert_eq!(ids(&desk, &["--search", "password"]), Vec::<u64>::new());
    assert_eq!(ids(&desk, &["--all", "--search", "password"]), [3]);
    assert_eq!(
        ids(&desk, &["--all", "--search", "hello", "--limit", "3"]),
        [1, 2, 3]
    );
    desk.fails(&["list", "--search", " "], 2);
}

#[test]
fn search_finds_text_that_yaml_writes_quoted_or_escaped() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let body = "Path C:\\Users\\ana said \"can't open\"\tnow";
    desk.ok(&["--as", "jonas", "comment", &id, "--public", "-m", body]);
    assert_eq!(ids(&desk, &["--search", "\"can't open\""]), [1]);
    assert_eq!(ids(&desk, &["--search", "C:\\Users"]), [1]);
    // A hand-edited file may fold a long plain string over lines or escape letters in double quotes.
    desk.write(
        "2.yaml",
        "id: 2\nsubject: \"Wifi \\x64rops\"\nstatus: open\nrequester: ana@customer.example\n\
         created: 2026-03-02T09:00:00Z\nupdated: 2026-03-02T09:00:00Z\ncomments:\n\
         - n: 1\n  author: ana@customer.example\n  at: 2026-03-02T09:00:00Z\n  visibility: public\n\
         \x20 body: the access point\n    reboots every night\n",
    );
    assert_eq!(ids(&desk, &["--search", "wifi drops"]), [2]);
    assert_eq!(ids(&desk, &["--search", "point reboots"]), [2]);
}

/// The leak test: a word that occurs only in internal text is never found by an external viewer,
/// and always by staff.
#[test]
fn an_external_viewers_search_never_matches_internal_text() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "-m",
        "Internal: quokka account is flagged.",
    ]);
    desk.side(
        &id,
        "Wombat escalation",
        "anders",
        "Anders, see the platypus log.",
    );
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--public",
        "-m",
        "Oops, the numbat token is 1234.",
    ]);
    desk.ok(&["--as", "jonas", "make-private", &id, "3"]);
    let show = desk.ok(&["show", &id, "--as", ANA]);
    for word in ["quokka", "wombat", "platypus", "numbat"] {
        assert!(
            !show.to_lowercase().contains(word),
            "{word} is in Ana's view:\n{show}"
        );
        for who in [ANA, BOB] {
            assert_eq!(
                ids(&desk, &["--as", who, "--search", word]),
                Vec::<u64>::new(),
                "{who} found {word}"
            );
            assert_eq!(
                ids(&desk, &["--as", who, "--all", "--search", word]),
                Vec::<u64>::new()
            );
        }
        assert_eq!(ids(&desk, &["--search", word]), [1], "staff find {word}");
        assert_eq!(
            ids(&desk, &["--as", "jonas", "--search", word]),
            [1],
            "jonas finds {word}"
        );
    }
    // Public text is found by the customer too.
    assert_eq!(ids(&desk, &["--as", ANA, "--search", "crashes"]), [1]);
    // Mette sees internal notes but not a side conversation she is not part of.
    assert_eq!(ids(&desk, &["--as", "mette", "--search", "quokka"]), [1]);
    assert_eq!(
        ids(&desk, &["--as", "mette", "--search", "platypus"]),
        Vec::<u64>::new()
    );
}

#[test]
fn a_customers_filters_on_what_they_may_not_see_match_nothing() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "follower", "add", &id, "mette"]);
    desk.side(&id, "Check", "anders", "Anders?");
    assert_eq!(ids(&desk, &["--as", ANA]), [1]);
    for filter in [
        vec!["--follower", "mette@acme.example"],
        vec!["--group", "Support"],
        vec!["--priority", "normal"],
        vec!["--unassigned"],
        vec!["--open-sides"],
        vec!["--assignee", "me"],
        vec!["--status", "on-hold"],
    ] {
        let mut args = vec!["--as", ANA];
        args.extend(filter.iter());
        assert_eq!(ids(&desk, &args), Vec::<u64>::new(), "{filter:?}");
    }
}

#[test]
fn a_customers_since_counts_only_public_activity() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--now",
        "2026-03-09T09:00:00Z",
        "--as",
        "jonas",
        "comment",
        &id,
        "-m",
        "A note.",
    ]);
    assert_eq!(ids(&desk, &["--since", "2026-03-08"]), [1]);
    assert_eq!(
        ids(&desk, &["--as", ANA, "--since", "2026-03-08"]),
        Vec::<u64>::new()
    );
    assert_eq!(ids(&desk, &["--as", ANA, "--until", "2026-03-02"]), [1]);
}
