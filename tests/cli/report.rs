//! `tkt report`: its figures on a generated store agree with a plain recount of what `tkt show` says of
//! every ticket; the range and the group narrow it; side conversations count only where the viewer may
//! see them; customers are refused; the JSON keeps its schema and piped output is tab-separated.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::desk::{ANA, Desk, NOW};

use crate::layout::gen_store;

const TICKETS: u64 = 200;

/// A store of 200 generated tickets (two years of a busy desk, ending shortly before `NOW`), with the
/// generator's team in the directory.
fn generated() -> Desk {
    let desk = Desk::empty();
    let team = gen_store::desk();
    desk.write("people.yaml", tkt::yaml::to_string(&team.people).unwrap());
    for id in 1..=TICKETS {
        let t = gen_store::ticket(id, TICKETS, 2026, gen_store::Mix::Realistic, &team);
        desk.write(&format!("{id}.yaml"), tkt::yaml::to_string(&t).unwrap());
    }
    desk
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .unwrap_or_else(|| panic!("not a time: {v}"))
        .with_timezone(&Utc)
}

/// Every ticket as `show --format json` gives it to `viewer` (None: the full staff view).
fn shown(desk: &Desk, viewer: Option<&str>) -> Vec<Value> {
    (1..=TICKETS)
        .map(|id| {
            let id = id.to_string();
            let mut args = vec!["show", id.as_str(), "--format", "json"];
            if let Some(who) = viewer {
                args.extend(["--as", who]);
            }
            json(&desk.ok(&args))
        })
        .collect()
}

fn report(desk: &Desk, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend(args);
    let doc = json(&desk.ok(&all));
    crate::contract::valid(desk, "report", &doc, &all.join(" "));
    doc
}

fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// The figures counted the plain way from the tickets' JSON, in the shape of the report document.
fn recount(tickets: &[Value], keep: impl Fn(&Value) -> bool, now: DateTime<Utc>) -> Value {
    let tickets: Vec<&Value> = tickets.iter().filter(|t| keep(t)).collect();
    let n = tickets.len() as u64;
    let status_key = |s: &str| s.replace('-', "_");
    let mut by_status: BTreeMap<String, u64> =
        ["new", "open", "pending", "on_hold", "solved", "closed"]
            .iter()
            .map(|s| (s.to_string(), 0))
            .collect();
    let mut by_assignee: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let (mut with_sides, mut open, mut under, mut week, mut over) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut participants: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    let spread = |key: &str| {
        let counts: Vec<u64> = tickets
            .iter()
            .map(|t| t[key].as_array().unwrap().len() as u64)
            .collect();
        let total: u64 = counts.iter().sum();
        serde_json::json!({
            "total": total,
            "mean": (n > 0).then(|| round(total as f64 / n as f64, 2)),
            "max": counts.iter().max(),
            "histogram": {
                "none": counts.iter().filter(|&&c| c == 0).count(),
                "one": counts.iter().filter(|&&c| c == 1).count(),
                "two": counts.iter().filter(|&&c| c == 2).count(),
                "three_or_more": counts.iter().filter(|&&c| c >= 3).count(),
            }
        })
    };
    let ccs = spread("cc");
    let followers = spread("followers");
    let (mut notes, mut replies, mut customers) = (0u64, 0u64, 0u64);
    for t in &tickets {
        let status = t["status"].as_str().unwrap();
        *by_status.get_mut(&status_key(status)).unwrap() += 1;
        let assignee = t["assignee"]["handle"].as_str().unwrap_or("").to_string();
        *by_assignee
            .entry(assignee)
            .or_default()
            .entry(status_key(status))
            .or_default() += 1;
        let sides = t["side_conversations"].as_array().unwrap();
        if !sides.is_empty() {
            with_sides += 1;
        }
        for s in sides {
            if s["state"] != "open" || status == "closed" {
                continue;
            }
            let last = s["messages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| time(&m["at"]))
                .fold(time(&s["opened_at"]), DateTime::max);
            let quiet = now - last;
            let bucket = if quiet < Duration::days(1) {
                1
            } else if quiet <= Duration::days(7) {
                2
            } else {
                3
            };
            open += 1;
            match bucket {
                1 => under += 1,
                2 => week += 1,
                _ => over += 1,
            }
            for p in s["participants"].as_array().unwrap() {
                let counts = participants
                    .entry(p["handle"].as_str().unwrap().to_string())
                    .or_default();
                counts[0] += 1;
                counts[bucket] += 1;
            }
        }
        for c in t["comments"].as_array().unwrap() {
            match (
                c["visibility"].as_str().unwrap(),
                c["author"]["staff"] == true,
            ) {
                ("internal", _) => notes += 1,
                (_, true) => replies += 1,
                (_, false) => customers += 1,
            }
        }
    }
    let percent =
        |part: u64, whole: u64| (whole > 0).then(|| round(part as f64 * 100.0 / whole as f64, 1));
    serde_json::json!({
        "tickets": n,
        "by_status": by_status,
        "by_assignee": by_assignee,
        "side_conversations": {
            "tickets_with": with_sides,
            "percent": percent(with_sides, n),
            "open": {"total": open, "under_1_day": under, "from_1_to_7_days": week, "over_7_days": over},
            "by_participant": participants,
        },
        "ccs": ccs,
        "followers": followers,
        "comments": {
            "internal_notes": notes,
            "public_replies": replies,
            "customer_messages": customers,
            "internal_percent": percent(notes, notes + replies),
        },
    })
}

/// The report in the recount's shape: assignees and participants as maps (their order is checked
/// apart), everything else as printed.
fn comparable(doc: &Value) -> Value {
    let mut doc = doc.clone();
    let by_assignee: BTreeMap<String, Value> = doc["by_assignee"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let counts: BTreeMap<String, Value> = row["by_status"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, n)| **n != 0)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let handle = row["assignee"]["handle"].as_str().unwrap_or("").to_string();
            (handle, serde_json::to_value(counts).unwrap())
        })
        .collect();
    doc["by_assignee"] = serde_json::to_value(by_assignee).unwrap();
    let participants: BTreeMap<String, Value> = doc["side_conversations"]["by_participant"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let a = &row["open"];
            (
                row["participant"]["handle"].as_str().unwrap().to_string(),
                serde_json::json!([
                    a["total"],
                    a["under_1_day"],
                    a["from_1_to_7_days"],
                    a["over_7_days"]
                ]),
            )
        })
        .collect();
    doc["side_conversations"]["by_participant"] = serde_json::to_value(participants).unwrap();
    for key in ["since", "until", "group", "now"] {
        doc.as_object_mut().unwrap().remove(key);
    }
    doc
}

fn assert_figures(doc: &Value, expected: &Value) {
    assert_eq!(
        comparable(doc),
        *expected,
        "report (left) against the recount (right)"
    );
}

fn now() -> DateTime<Utc> {
    time(&Value::String(NOW.into()))
}

#[test]
fn report_figures_on_a_generated_store_agree_with_a_recount() {
    let desk = generated();
    let tickets = shown(&desk, None);
    let doc = report(&desk, &[]);
    assert_figures(&doc, &recount(&tickets, |_| true, now()));
    // The store gives every figure something to count, so a wrong rule shows.
    let sides = &doc["side_conversations"];
    assert!(doc["tickets"] == TICKETS);
    assert!(sides["tickets_with"].as_u64().unwrap() > 0);
    for bucket in ["under_1_day", "from_1_to_7_days", "over_7_days"] {
        assert!(
            sides["open"][bucket].as_u64().unwrap() > 0,
            "{bucket}: {sides}"
        );
    }
    assert!(doc["ccs"]["histogram"]["three_or_more"].as_u64().unwrap() > 0);
    assert!(doc["comments"]["public_replies"].as_u64().unwrap() > 0);
    assert_eq!(doc["now"], NOW);
    assert_eq!(
        (doc["since"].clone(), doc["group"].clone()),
        (Value::Null, Value::Null)
    );

    // The busiest first, the unassigned last.
    let rows = doc["by_assignee"].as_array().unwrap();
    assert!(rows.last().unwrap()["assignee"].is_null());
    let totals: Vec<u64> = rows[..rows.len() - 1]
        .iter()
        .map(|r| r["tickets"].as_u64().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    let open: Vec<u64> = sides["by_participant"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["open"]["total"].as_u64().unwrap())
        .collect();
    assert!(open.windows(2).all(|w| w[0] >= w[1]), "{open:?}");

    // A later clock ages every open side conversation, and the cache (now warm) gives the same figures.
    let later = "2026-06-01T00:00:00Z";
    let doc = report(&desk, &["--now", later]);
    assert_figures(
        &doc,
        &recount(&tickets, |_| true, time(&Value::String(later.into()))),
    );
    assert_eq!(
        doc["side_conversations"]["open"]["total"],
        doc["side_conversations"]["open"]["over_7_days"]
    );
}

#[test]
fn report_range_is_of_creation_times_and_group_ignores_case() {
    let desk = generated();
    let tickets = shown(&desk, None);
    let since = time(&Value::String("2025-01-01T00:00:00Z".into()));
    let until = time(&Value::String("2025-06-30T23:59:59.999999999Z".into()));
    let doc = report(&desk, &["--since", "2025-01-01", "--until", "2025-06-30"]);
    let in_range = |t: &Value| (since..=until).contains(&time(&t["created"]));
    assert_figures(&doc, &recount(&tickets, in_range, now()));
    let n = doc["tickets"].as_u64().unwrap();
    assert!(n > 0 && n < TICKETS, "{n}");
    assert_eq!(doc["since"], "2025-01-01T00:00:00Z");

    let doc = report(&desk, &["--group", "tier 2", "--since", "2025-01-01"]);
    let tier_2 = |t: &Value| t["group"] == "Tier 2" && time(&t["created"]) >= since;
    assert_figures(&doc, &recount(&tickets, tier_2, now()));
    let n = doc["tickets"].as_u64().unwrap();
    assert!(n > 0 && n < TICKETS, "{n}");
    assert_eq!(doc["group"], "tier 2");

    // A span back from now: the last 30 days.
    let doc = report(&desk, &["--since", "30d"]);
    let recent = |t: &Value| time(&t["created"]) >= now() - Duration::days(30);
    assert_figures(&doc, &recount(&tickets, recent, now()));

    let nothing = report(&desk, &["--group", "No such team"]);
    assert_eq!(nothing["tickets"], 0);
    assert!(nothing["ccs"]["mean"].is_null() && nothing["side_conversations"]["percent"].is_null());
}

#[test]
fn report_counts_only_the_side_conversations_the_viewer_may_see() {
    let desk = generated();
    let full = shown(&desk, None);
    // The light agent in the most open side conversations: they see those, not their colleagues'.
    let doc = report(&desk, &[]);
    let light: Vec<String> = gen_store::desk()
        .people
        .people
        .iter()
        .filter(|p| p.role == tkt::model::Role::LightAgent)
        .map(|p| p.handle.clone())
        .collect();
    let viewer = doc["side_conversations"]["by_participant"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["participant"]["handle"].as_str().unwrap().to_string())
        .find(|h| light.contains(h))
        .expect("a light agent in an open side conversation");
    let theirs = shown(&desk, Some(&viewer));
    let mine = report(&desk, &["--as", &viewer]);
    assert_figures(&mine, &recount(&theirs, |_| true, now()));
    let count = |d: &Value| d["side_conversations"]["tickets_with"].as_u64().unwrap();
    assert!(count(&mine) > 0 && count(&mine) < count(&doc), "{mine}");
    // Every other figure is the staff view's.
    assert_eq!(mine["by_assignee"], doc["by_assignee"]);
    assert_eq!(mine["comments"], doc["comments"]);
    assert_figures(&doc, &recount(&full, |_| true, now()));
}

#[test]
fn report_is_refused_to_customers() {
    let desk = generated();
    let team = gen_store::desk();
    let requester = gen_store::ticket(1, TICKETS, 2026, gen_store::Mix::Realistic, &team).requester;
    for who in [requester.as_str(), ANA, "ana-1"] {
        for format in ["text", "json"] {
            let err = desk.fails(&["report", "--as", who, "--format", format], 4);
            assert!(err.contains("staff only"), "{err}");
            assert!(!err.contains('#'), "{err}");
        }
    }
}

#[test]
fn report_piped_is_tab_separated_lines_naming_their_table() {
    let desk = generated();
    let doc = report(&desk, &[]);
    let text = desk.ok(&["report"]);
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert!(lines.iter().all(|l| l.len() >= 2), "{text}");
    assert!(!text.contains("  "), "no padding: {text}");
    let find = |name: &str| -> Vec<&Vec<&str>> { lines.iter().filter(|l| l[0] == name).collect() };
    assert_eq!(find("tickets")[0][1], doc["tickets"].to_string());
    let statuses: Vec<(&str, &str)> = find("status").iter().map(|l| (l[1], l[2])).collect();
    assert_eq!(statuses.len(), 6);
    assert_eq!(statuses[3].0, "on-hold");
    assert_eq!(statuses[3].1, doc["by_status"]["on_hold"].to_string());
    let assignees = find("assignee");
    let rows = doc["by_assignee"].as_array().unwrap();
    assert_eq!(assignees.len(), rows.len());
    for (line, row) in assignees.iter().zip(rows) {
        assert_eq!(line[1], row["assignee"]["handle"].as_str().unwrap_or(""));
        assert_eq!(line[8], row["tickets"].to_string());
        assert_eq!(line.len(), 9, "{line:?}");
    }
    let sides = &doc["side_conversations"];
    assert_eq!(
        find("side-tickets")[0][1],
        sides["tickets_with"].to_string()
    );
    assert_eq!(find("side-tickets")[0][2], sides["percent"].to_string());
    let open = find("open-sides")[0];
    assert_eq!(
        open[1..],
        [
            sides["open"]["total"].to_string(),
            sides["open"]["under_1_day"].to_string(),
            sides["open"]["from_1_to_7_days"].to_string(),
            sides["open"]["over_7_days"].to_string(),
        ]
    );
    assert_eq!(
        find("participant").len(),
        sides["by_participant"].as_array().unwrap().len()
    );
    let ccs = find("ccs")[0];
    assert_eq!(ccs[1], doc["ccs"]["total"].to_string());
    assert_eq!(ccs[4], doc["ccs"]["histogram"]["none"].to_string());
    let comments = find("comments")[0];
    assert_eq!(comments[1], doc["comments"]["internal_notes"].to_string());
    assert_eq!(
        comments[3],
        doc["comments"]["customer_messages"].to_string()
    );
    // Staff by handle, and nothing of any ticket's text.
    let first = gen_store::ticket(
        1,
        TICKETS,
        2026,
        gen_store::Mix::Realistic,
        &gen_store::desk(),
    );
    assert!(
        !text.contains(&first.subject) && !text.contains('@'),
        "{text}"
    );
}
