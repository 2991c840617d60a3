//! `tkt audience`: who can see and who was told of each entry, for every kind of viewer.

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk, EVE};

/// The README's tour on the standard ticket: an @mention, a side conversation with anders, a reply.
fn desk() -> Desk {
    let desk = Desk::new();
    desk.ticket();
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T09:20:00Z",
        "comment",
        "1",
        "-m",
        "@mette can you review?",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T09:25:00Z",
        "side",
        "open",
        "1",
        "--subject",
        "q",
        "--with",
        "anders",
        "-m",
        "Anders, is 10.14 supported?",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T10:05:00Z",
        "comment",
        "1",
        "--public",
        "-m",
        "Fixed.",
    ]);
    desk
}

fn audience(desk: &Desk, viewer: Option<&str>) -> Value {
    let mut args = vec!["audience", "1", "--format", "json"];
    if let Some(who) = viewer {
        args.extend(["--as", who]);
    }
    serde_json::from_str(&desk.ok(&args)).expect("JSON")
}

fn row<'a>(a: &'a Value, kind: &str, n: u64) -> &'a Value {
    a["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["kind"] == kind && (e["comment"] == n || e["message"] == n || kind == "cc added")
        })
        .unwrap_or_else(|| panic!("no {kind} {n} in {a:#}"))
}

fn names(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn staff_see_who_was_told_of_every_entry() {
    let desk = desk();
    let a = audience(&desk, None);
    // The internal note: mette (mentioned, so following) was told; the customer and Bob never see it.
    let note = row(&a, "comment", 2);
    assert_eq!(names(&note["told"]), ["mette"]);
    assert!(!names(&note["sees"]).contains(&ANA));
    assert!(!names(&note["sees"]).contains(&BOB));
    // The public reply: requester, CC and follower, never its author.
    assert_eq!(names(&row(&a, "comment", 3)["told"]), [ANA, BOB, "mette"]);
    // The side message: its participant; a follower (mette) sees it without being told.
    let side = row(&a, "side message", 1);
    assert_eq!(names(&side["told"]), ["anders"]);
    assert!(names(&side["sees"]).contains(&"mette"));
    // The CC added receives the public conversation so far.
    assert_eq!(names(&row(&a, "cc added", 0)["told"]), [BOB]);
    // The followers a thread does not show are named, with what each is on the ticket.
    let mette = a["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"]["handle"] == "mette")
        .unwrap();
    assert_eq!(mette["on_ticket_as"], serde_json::json!(["follower"]));
    crate::contract::valid(&desk, "audience", &a, "audience");
}

#[test]
fn an_agent_not_in_a_side_conversation_does_not_see_its_audience() {
    let desk = desk();
    let lise = audience(&desk, Some("lise"));
    let kinds: Vec<&str> = lise["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(!kinds.contains(&"side message"), "{lise:#}");
    let everyone = serde_json::to_string(&lise).unwrap();
    assert!(!everyone.contains("10.14 supported"), "no bodies at all");
    // Anders, in the side conversation, sees its row.
    let anders = audience(&desk, Some("anders"));
    assert!(
        anders["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "side message")
    );
}

#[test]
fn customers_are_refused_like_for_the_follower_list() {
    let desk = desk();
    for who in [ANA, BOB] {
        let said = desk.fails(&["audience", "1", "--as", who], 4);
        assert!(said.contains("staff only"), "{said}");
        assert!(!said.contains("mette"), "{said}");
    }
    // Someone not on the ticket learns nothing, not even that it exists.
    let outsider = desk.fails(&["audience", "1", "--as", EVE], 4);
    let missing = desk.fails(&["audience", "99", "--as", EVE], 4);
    assert_eq!(outsider.replace("#1", "#N"), missing.replace("#99", "#N"));
}

#[test]
fn the_matrix_reads_told_sees_and_hidden_now() {
    let desk = desk();
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2026-03-02T10:10:00Z",
        "make-private",
        "1",
        "3",
    ]);
    let table = desk.ok(&["audience", "1"]);
    let header = table.lines().next().unwrap();
    assert!(
        header.starts_with("entry\tana@customer.example (requester)\tbob@agency.example (cc)"),
        "{header}"
    );
    let reply = table
        .lines()
        .find(|l| l.starts_with("[3] internal note"))
        .unwrap();
    let cells: Vec<&str> = reply.split('\t').collect();
    assert_eq!(
        cells[1], "told, hidden now",
        "the customer was told, and no longer sees it: {reply}"
    );
}

#[test]
fn an_admin_and_a_follower_see_every_row() {
    let desk = desk();
    let full = audience(&desk, None);
    for who in ["ada", "mette"] {
        let a = audience(&desk, Some(who));
        assert_eq!(
            a["entries"].as_array().unwrap().len(),
            full["entries"].as_array().unwrap().len(),
            "{who} sees every entry, side conversations included"
        );
        assert!(
            a["entries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["kind"] == "side message"),
            "{who}"
        );
    }
}
