//! Who sees what (SPEC §3), row by row and column by column, through the real binary in every format.
//!
//! One ticket holds a unique marker in every item, so "sees X" is a substring check: public replies, an
//! internal note, three side conversations (one per kind of participant), a follower (mette), an
//! internal person copied only as a CC (carl), and the internal status `on-hold`.

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk, EVE};

const FORMATS: [&str; 3] = ["text", "json", "yaml"];

const SUBJECT: &str = "PDF export fails on macOS 10.14";
/// Public comments: the requester's opening message, a reply from her, one from the CC, one from staff.
const PUBLIC: [&str; 4] = [
    "PDF export crashes",
    "PUB-ANA-MARK",
    "PUB-BOB-MARK",
    "PUB-JONAS-MARK",
];
const INTERNAL: [&str; 1] = ["INT-JONAS-MARK"];
/// The internal person copied as a CC (agent_cc is `warn`, so they do not follow).
const CARL: &str = "carl@acme.example";
const TAG: &str = "tagmark-internal";

/// The side conversations: number, subject, messages, whether it is still open.
struct Side {
    n: u32,
    subject: &'static str,
    messages: &'static [&'static str],
    open: bool,
}

/// A: anders's own (an agent who does not follow); B: lise's own (a light agent), resolved; C: the
/// follower's own. Nobody else takes part, so the assignee and the admin see them only by their role.
const SIDES: [Side; 3] = [
    Side {
        n: 1,
        subject: "SIDE-A-SUBJ",
        messages: &["SIDE-A-MSG-1", "SIDE-A-MSG-2"],
        open: true,
    },
    Side {
        n: 2,
        subject: "SIDE-B-SUBJ",
        messages: &["SIDE-B-MSG-1"],
        open: false,
    },
    Side {
        n: 3,
        subject: "SIDE-C-SUBJ",
        messages: &["SIDE-C-MSG-1"],
        open: true,
    },
];

/// What a row of the table may see. `None` in `Viewer::sees` is "no access".
struct Sees {
    public: bool,
    internal: bool,
    /// The side conversations (by number) this viewer sees; the others must be invisible.
    sides: &'static [u32],
    followers: bool,
    /// The status shown (the ticket is `on-hold`).
    status: &'static str,
}

struct Viewer {
    row: &'static str,
    who: &'static str,
    sees: Option<Sees>,
}

const EXTERNAL: Sees = Sees {
    public: true,
    internal: false,
    sides: &[],
    followers: false,
    status: "open",
};

const fn staff(sides: &'static [u32]) -> Sees {
    Sees {
        public: true,
        internal: true,
        sides,
        followers: true,
        status: "on-hold",
    }
}

/// SPEC §3's table, one row per kind of viewer.
const TABLE: [Viewer; 10] = [
    Viewer {
        row: "requester",
        who: ANA,
        sees: Some(EXTERNAL),
    },
    Viewer {
        row: "requester (by handle)",
        who: "ana",
        sees: Some(EXTERNAL),
    },
    Viewer {
        row: "external CC",
        who: BOB,
        sees: Some(EXTERNAL),
    },
    Viewer {
        row: "external person not on the ticket",
        who: EVE,
        sees: None,
    },
    Viewer {
        row: "agent, not following",
        who: "anders",
        sees: Some(staff(&[1])),
    },
    Viewer {
        row: "light agent, not following",
        who: "lise",
        sees: Some(staff(&[2])),
    },
    Viewer {
        row: "follower",
        who: "mette",
        sees: Some(staff(&[1, 2, 3])),
    },
    Viewer {
        row: "assignee",
        who: "jonas",
        sees: Some(staff(&[1, 2, 3])),
    },
    Viewer {
        row: "admin",
        who: "ada",
        sees: Some(staff(&[1, 2, 3])),
    },
    Viewer {
        row: "internal person added only as a CC",
        who: "carl",
        sees: Some(staff(&[])),
    },
];

/// The ticket of the table, built through the binary.
fn scenario() -> (Desk, String) {
    let desk = Desk::new();
    desk.ok(&[
        "person",
        "add",
        "carl",
        "--name",
        "Carl Kopi",
        "--email",
        CARL,
        "--role",
        "agent",
    ]);
    let id = desk.ticket().to_string();
    let id = id.as_str();
    desk.ok(&["--as", ANA, "comment", id, "-m", "PUB-ANA-MARK"]);
    desk.ok(&["--as", BOB, "comment", id, "-m", "PUB-BOB-MARK"]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        id,
        "--public",
        "-m",
        "PUB-JONAS-MARK",
    ]);
    desk.ok(&["--as", "jonas", "comment", id, "-m", "INT-JONAS-MARK"]);
    desk.ok(&["--as", "jonas", "follower", "add", id, "mette"]);
    desk.ok(&["--as", "jonas", "cc", "add", id, "carl"]);
    desk.ok(&["--as", "jonas", "tag", id, "--add", TAG]);
    let open = |who: &str, s: &Side| {
        let n = desk.ok(&[
            "--as",
            who,
            "side",
            "open",
            id,
            "--subject",
            s.subject,
            "--with",
            who,
            "-m",
            s.messages[0],
        ]);
        assert_eq!(n.trim(), s.n.to_string(), "side conversation number");
        for m in &s.messages[1..] {
            desk.ok(&["--as", who, "side", "reply", id, &s.n.to_string(), "-m", m]);
        }
        if !s.open {
            desk.ok(&["--as", who, "side", "resolve", id, &s.n.to_string()]);
        }
    };
    open("anders", &SIDES[0]);
    open("lise", &SIDES[1]);
    open("mette", &SIDES[2]);
    desk.ok(&["--as", "jonas", "status", id, "on-hold"]);
    // The scenario is what the table assumes: mette is the only follower.
    let full: Value = crate::desk::identities(
        serde_json::from_str(&desk.ok(&["show", id, "--format", "json"])).unwrap(),
    );
    assert_eq!(full["followers"], serde_json::json!(["mette"]), "{full}");
    (desk, id.to_string())
}

/// A JSON or YAML document as a JSON value.
fn parse(format: &str, out: &str) -> Value {
    match format {
        "json" => crate::desk::identities(
            serde_json::from_str(out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}")),
        ),
        "yaml" => crate::desk::identities(
            serde_yaml::from_str(out).unwrap_or_else(|e| panic!("bad YAML ({e}): {out}")),
        ),
        _ => unreachable!("{format} is not a document format"),
    }
}

/// Collects what is wrong instead of stopping at the first, so one run shows the whole table.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn sees(&mut self, cell: &str, out: &str, marker: &str, expected: bool) {
        if out.contains(marker) != expected {
            let verb = if expected { "misses" } else { "shows" };
            self.0.push(format!("{cell}: {verb} {marker:?}"));
        }
    }

    fn check(&mut self, cell: &str, ok: bool, what: &str) {
        if !ok {
            self.0.push(format!("{cell}: {what}"));
        }
    }

    fn assert_none(self, outputs: &str) {
        assert!(
            self.0.is_empty(),
            "{} cell(s) break SPEC §3:\n  {}\n\n{outputs}",
            self.0.len(),
            self.0.join("\n  ")
        );
    }
}

/// The follower list as the output shows it: the `Followers` line of the text view, else the field.
fn shown_followers(format: &str, out: &str) -> Option<String> {
    if format == "text" {
        out.lines()
            .find(|l| l.starts_with("Followers"))
            .map(str::to_string)
    } else {
        parse(format, out).get("followers").map(Value::to_string)
    }
}

fn shown_status(format: &str, out: &str) -> String {
    if format == "text" {
        let first = out.lines().next().unwrap_or_default();
        // "#1  subject   on-hold · normal" for staff, "#1  subject   open" for the customer.
        let right = first.rsplit("  ").next().unwrap_or_default();
        right
            .split(" · ")
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    } else {
        parse(format, out)["status"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

#[test]
fn every_viewer_sees_exactly_their_column_of_the_table_in_every_format() {
    let (desk, id) = scenario();
    let mut findings = Findings::default();
    let mut outputs = String::new();
    let mut cells = 0;
    for viewer in &TABLE {
        for format in FORMATS {
            let cell = format!("{} ({}) --format {format}", viewer.row, viewer.who);
            let out = desk.run(&["show", &id, "--as", viewer.who, "--format", format]);
            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            let Some(sees) = &viewer.sees else {
                cells += 1;
                findings.check(&cell, out.status.code() == Some(4), "exit 4 (no access)");
                findings.check(&cell, stdout.is_empty(), "nothing on stdout");
                findings.check(
                    &cell,
                    stderr.trim_end().lines().count() == 1,
                    "one stderr line",
                );
                for secret in [SUBJECT, ANA, BOB, "jonas", "mette", "PDF"] {
                    findings.sees(&format!("{cell} stderr"), &stderr, secret, false);
                }
                continue;
            };
            if !out.status.success() {
                findings.check(&cell, false, &format!("failed: {stderr}"));
                continue;
            }
            outputs.push_str(&format!("--- {cell}\n{stdout}\n"));

            // public comments
            cells += 1;
            for m in PUBLIC {
                findings.sees(&cell, &stdout, m, sees.public);
            }
            // internal notes
            cells += 1;
            for m in INTERNAL {
                findings.sees(&cell, &stdout, m, sees.internal);
            }
            // side conversations: their own, and others'
            cells += 1;
            for side in &SIDES {
                let visible = sees.sides.contains(&side.n);
                findings.sees(&cell, &stdout, side.subject, visible);
                for m in side.messages {
                    findings.sees(&cell, &stdout, m, visible);
                }
            }
            // follower list
            cells += 1;
            let followers = shown_followers(format, &stdout);
            findings.check(
                &cell,
                followers.as_deref().is_some_and(|f| f.contains("mette")) == sees.followers,
                &format!("follower list shown as {followers:?}"),
            );
            if !sees.followers {
                findings.sees(&cell, &stdout.to_lowercase(), "mette", false);
            }
            // CC list, requester, status
            cells += 1;
            for party in [ANA, BOB, CARL] {
                findings.sees(&cell, &stdout, party, true);
            }
            let status = shown_status(format, &stdout);
            findings.check(
                &cell,
                status == sees.status,
                &format!("status shown as {status:?}, expected {:?}", sees.status),
            );
            if !sees.internal {
                // Nothing staff-only leaks through another field: not the internal status, tags,
                // the assignee's handle (their name is on their public reply).
                for secret in ["on-hold", TAG, "jonas"] {
                    findings.sees(&cell, &stdout, secret, false);
                }
            }
        }
    }
    assert_eq!(
        cells,
        (9 * 5 + 1) * 3,
        "every cell of the table was checked"
    );
    findings.assert_none(&outputs);
}

#[test]
fn list_cc_side_and_follower_listings_follow_the_table() {
    let (desk, id) = scenario();
    let mut findings = Findings::default();
    for viewer in &TABLE {
        for format in FORMATS {
            let cell = |what: &str| format!("{what} --as {} --format {format}", viewer.who);
            let run = |args: &[&str]| {
                let mut all = args.to_vec();
                all.extend(["--as", viewer.who, "--format", format]);
                desk.run(&all)
            };

            // list: only tickets the viewer may see, with only what they may see of them.
            let out = run(&["list"]);
            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
            let c = cell("list");
            findings.check(&c, out.status.success(), "exit 0");
            findings.sees(&c, &stdout, SUBJECT, viewer.sees.is_some());
            match &viewer.sees {
                None => {}
                Some(sees) if format != "text" => {
                    let rows = parse(format, &stdout);
                    let row = &rows[0];
                    findings.check(&c, rows.as_array().map(Vec::len) == Some(1), "one row");
                    findings.check(&c, row["status"] == sees.status, "status per the table");
                    for staff_only in ["followers", "tags", "assignee", "priority", "open_sides"] {
                        findings.check(
                            &c,
                            // The contract keeps every key; what a viewer may not see is null.
                            row[staff_only].is_null() != sees.internal,
                            &format!("field {staff_only} shown to staff only"),
                        );
                    }
                    if sees.followers {
                        findings.check(
                            &c,
                            row["followers"] == serde_json::json!(["mette"]),
                            "followers",
                        );
                        let open = SIDES
                            .iter()
                            .filter(|s| s.open && sees.sides.contains(&s.n))
                            .count();
                        findings.check(
                            &c,
                            row["open_sides"] == open,
                            &format!(
                                "counts {open} open side conversations, shows {}",
                                row["open_sides"]
                            ),
                        );
                    }
                    findings.sees(&c, &stdout, "mette", sees.followers);
                }
                Some(sees) => {
                    findings.sees(&c, &stdout, sees.status, true);
                    findings.sees(&c, &stdout, "jonas", sees.internal);
                    if !sees.internal {
                        findings.sees(&c, &stdout, "on-hold", false);
                        findings.sees(&c, &stdout, "◆", false);
                    }
                }
            }

            // cc list: everyone with access sees who is copied.
            let out = run(&["cc", "list", &id]);
            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
            let c = cell("cc list");
            let expected = if viewer.sees.is_some() { 0 } else { 4 };
            findings.check(
                &c,
                out.status.code() == Some(expected),
                &format!("exit {expected}"),
            );
            for party in [BOB, CARL] {
                findings.sees(&c, &stdout, party, viewer.sees.is_some());
            }

            // side list: staff only, and only the side conversations of their column.
            let out = run(&["side", "list", &id]);
            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
            let c = cell("side list");
            let staff = viewer.sees.as_ref().is_some_and(|s| s.internal);
            let expected = if staff { 0 } else { 4 };
            findings.check(
                &c,
                out.status.code() == Some(expected),
                &format!("exit {expected}"),
            );
            let sides: &[u32] = viewer.sees.as_ref().map_or(&[], |s| s.sides);
            for side in &SIDES {
                findings.sees(&c, &stdout, side.subject, sides.contains(&side.n));
                for m in side.messages {
                    findings.sees(&c, &stdout, m, sides.contains(&side.n));
                }
            }
            if format != "text" && staff {
                let n = parse(format, &stdout).as_array().map_or(0, Vec::len);
                findings.check(
                    &c,
                    n == sides.len(),
                    &format!("{n} side conversations listed"),
                );
            }

            // follower list: staff only.
            let out = run(&["follower", "list", &id]);
            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            let c = cell("follower list");
            findings.check(
                &c,
                out.status.code() == Some(expected),
                &format!("exit {expected}"),
            );
            findings.sees(&c, &stdout, "mette", staff);
            findings.sees(&c, &stderr.to_lowercase(), "mette", false);
        }
    }
    findings.assert_none("");
}

#[test]
fn on_hold_is_internal_and_reads_as_open_to_the_customer_but_pending_does_not() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "status", &id, "on-hold"]);
    for who in [ANA, BOB] {
        let text = desk.show_as(id.parse().unwrap(), who, "text");
        assert!(
            text.lines().next().unwrap().trim_end().ends_with("open"),
            "{text}"
        );
        assert!(!text.contains("on-hold"), "{text}");
        for format in ["json", "yaml"] {
            let doc = parse(format, &desk.show_as(id.parse().unwrap(), who, format));
            assert_eq!(doc["status"], "open", "{who} {format}");
            let rows = parse(format, &desk.ok(&["list", "--as", who, "--format", format]));
            assert_eq!(rows[0]["status"], "open", "{who} list {format}");
        }
        let list = desk.ok(&["list", "--as", who, "--status", "on-hold"]);
        assert!(
            !list.contains(SUBJECT),
            "filtering by on-hold finds it: {list}"
        );
    }
    let staff = desk.show_as(id.parse().unwrap(), "mette", "json");
    assert_eq!(parse("json", &staff)["status"], "on-hold");

    // Pending is a status the customer knows (they are awaited): shown as it is.
    desk.ok(&["--as", "jonas", "status", &id, "pending"]);
    let doc = parse("json", &desk.show_as(id.parse().unwrap(), ANA, "json"));
    assert_eq!(doc["status"], "pending");
}

#[test]
fn an_outsider_learns_nothing_not_even_whether_the_ticket_exists() {
    let (desk, id) = scenario();
    let id: &'static str = id.leak();
    let missing = "999";
    for format in FORMATS {
        for args in [
            vec!["show", "ID"],
            vec!["cc", "list", "ID"],
            vec!["side", "list", "ID"],
            vec!["follower", "list", "ID"],
        ] {
            let with = |ticket: &'static str| -> Vec<&'static str> {
                let mut a: Vec<&'static str> = args
                    .iter()
                    .map(|x| if *x == "ID" { ticket } else { *x })
                    .collect();
                a.extend(["--as", EVE, "--format", format]);
                a
            };
            let existing = desk.fails(&with(id), 4);
            let absent = desk.fails(&with(missing), 4);
            for secret in [SUBJECT, ANA, BOB, CARL, "jonas", "mette", "SIDE-", "MARK"] {
                assert!(!existing.contains(secret), "{args:?}: {existing}");
            }
            assert_eq!(
                existing.replace(&format!("#{id}"), "#N"),
                absent.replace(&format!("#{missing}"), "#N"),
                "{args:?} --format {format}: an outsider can tell an existing ticket from a missing one"
            );
        }
        let list = desk.ok(&["list", "--as", EVE, "--format", format]);
        assert!(!list.contains(SUBJECT), "{list}");
    }
}

#[test]
fn a_customer_cannot_probe_hidden_fields_with_list_filters() {
    let (desk, _) = scenario();
    for who in [ANA, BOB] {
        // Each filter matches the ticket for staff, so an empty answer for the customer is the rule.
        for filter in [
            ["--follower", "mette@acme.example"],
            ["--assignee", "jonas@acme.example"],
            ["--tag", TAG],
            ["--status", "on-hold"],
        ] {
            assert!(
                desk.ok(&["list", filter[0], filter[1]]).contains(SUBJECT),
                "{filter:?}"
            );
            let mut args = vec!["list", "--as", who, "--format", "json"];
            args.extend(filter);
            assert_eq!(
                parse("json", &desk.ok(&args)),
                serde_json::json!([]),
                "{who} {filter:?}"
            );
        }
        // Handles are not for customers: looking them up would tell who works at the desk.
        desk.fails(&["list", "--as", who, "--follower", "mette"], 4);
        desk.fails(&["list", "--as", who, "--follower", "ghost"], 4);
        let rows = parse(
            "json",
            &desk.ok(&["list", "--as", who, "--cc", BOB, "--format", "json"]),
        );
        assert_eq!(
            rows.as_array().map(Vec::len),
            Some(1),
            "a visible field still filters"
        );
    }
}
