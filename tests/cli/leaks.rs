//! The external view reveals nothing it hides (SPEC §3), over thousands of random tickets, in process.
//!
//! Every internal item of a generated ticket (internal note bodies, comments made private, side
//! conversation subjects and messages, the handles, names and addresses of the staff behind them and of
//! followers, tags, the assignee, the group, events) carries the marker `zqx` (in either case), and
//! nothing public ever does: public text is drawn from letters that cannot spell it. So a leak anywhere,
//! in any format, is one substring check on every output an external participant can get.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde::Serialize;

use tkt::cli::Format;
use tkt::model::summary::Summary;
use tkt::model::ticket::Time;
use tkt::model::visibility::{View, row, view};
use tkt::model::{Cc, Event, People, Person, Role, SideState, Status, Ticket, Visibility, Who};
use tkt::render::text::{external_ticket, staff_ticket};
use tkt::render::{Style, document};

pub(crate) const MARKER: &str = "zqx";
const REQUESTER: &str = "rita@customer.example";
/// Staff who may write public replies: their names are public once they do.
const FRONT: [&str; 2] = ["front0", "front1"];
/// Staff behind the scenes: followers, assignee, side-conversation participants, note authors.
const BACK: usize = 4;
const BACK_ROLES: [Role; BACK] = [Role::Agent, Role::LightAgent, Role::Admin, Role::Agent];
const STATUSES: [Status; 6] = [
    Status::New,
    Status::Open,
    Status::Pending,
    Status::OnHold,
    Status::Solved,
    Status::Closed,
];

fn back_handle(i: usize) -> String {
    format!("zqxh{i}w")
}

fn back_name(i: usize) -> String {
    format!("Back ZQXN{i}W")
}

fn back_email(i: usize) -> String {
    format!("zqxe{i}w@acme.example")
}

fn cc_email(i: usize) -> String {
    format!("cc{i}@partner.example")
}

fn person(handle: &str, name: &str, email: &str, role: Role) -> Person {
    Person {
        handle: handle.into(),
        name: name.into(),
        email: email.into(),
        role,
        extra: Default::default(),
    }
}

pub(crate) fn people() -> People {
    let mut people: Vec<Person> = FRONT
        .iter()
        .map(|h| {
            person(
                h,
                &format!("Front {h}"),
                &format!("{h}@acme.example"),
                Role::Agent,
            )
        })
        .collect();
    people.extend((0..BACK).map(|i| {
        person(
            &back_handle(i),
            &back_name(i),
            &back_email(i),
            BACK_ROLES[i],
        )
    }));
    people.push(person("rita", "Rita Requester", REQUESTER, Role::EndUser));
    People {
        people,
        merge_conflicts: Vec::new(),
        extra: Default::default(),
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Public,
    Internal,
    /// Posted publicly, then made private: internal now, so its body is a secret too.
    MadePrivate,
}

#[derive(Debug, Clone)]
struct CommentPlan {
    kind: Kind,
    author: usize,
    /// Public text: letters a to m and spaces only, so it can never spell the marker.
    words: String,
}

#[derive(Debug, Clone)]
struct SidePlan {
    participants: Vec<usize>,
    messages: Vec<usize>,
    resolved: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    ccs: Vec<Option<String>>,
    comments: Vec<CommentPlan>,
    sides: Vec<SidePlan>,
    followers: Vec<usize>,
    assignee: Option<usize>,
    group: bool,
    tags: usize,
    events: usize,
    status: usize,
}

pub(crate) fn plans() -> impl Strategy<Value = Plan> {
    let comment = (
        prop_oneof![
            Just(Kind::Public),
            Just(Kind::Internal),
            Just(Kind::MadePrivate)
        ],
        0..16usize,
        "[a-m ]{0,12}",
    )
        .prop_map(|(kind, author, words)| CommentPlan {
            kind,
            author,
            words,
        });
    let side = (
        prop::collection::vec(0..BACK, 1..4),
        prop::collection::vec(0..8usize, 0..4),
        any::<bool>(),
    )
        .prop_map(|(participants, messages, resolved)| SidePlan {
            participants,
            messages,
            resolved,
        });
    (
        prop::collection::vec(prop::option::of("[A-M][a-m]{1,6}"), 0..4),
        prop::collection::vec(comment, 0..10),
        prop::collection::vec(side, 0..4),
        prop::collection::vec(0..BACK, 0..4),
        prop::option::of(0..BACK),
        any::<bool>(),
        0..3usize,
        0..4usize,
        0..STATUSES.len(),
    )
        .prop_map(
            |(ccs, comments, sides, followers, assignee, group, tags, events, status)| Plan {
                ccs,
                comments,
                sides,
                followers,
                assignee,
                group,
                tags,
                events,
                status,
            },
        )
}

/// A generated ticket and what an external view must show of it.
pub(crate) struct Case {
    pub(crate) ticket: Ticket,
    /// The marker of each public comment (`pub<n>k`), in order.
    public: Vec<String>,
    /// When the customer last saw something happen.
    last_public: Time,
    /// Every secret the ticket's data holds, for the check that the staff view does show them.
    secrets: Vec<String>,
}

pub(crate) fn build(plan: &Plan) -> Case {
    let start: Time = DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let mut clock = 0;
    let mut tick = || {
        clock += 1;
        start + Duration::minutes(clock)
    };
    let mut t = Ticket::new(7, "Printer on fire".into(), REQUESTER.into(), start);
    let mut secrets = Vec::new();
    let mut secret = |s: String| {
        secrets.push(s.clone());
        s
    };
    t.status = STATUSES[plan.status];
    t.assignee = plan.assignee.map(|i| secret(back_handle(i)));
    t.group = plan.group.then(|| secret("ZQX-group".into()));
    t.tags = (0..plan.tags)
        .map(|i| secret(format!("zqx-tag-{i}")))
        .collect();
    for (i, name) in plan.ccs.iter().enumerate() {
        t.cc.push(Cc {
            email: cc_email(i),
            name: name.clone(),
            extra: Default::default(),
        });
    }
    for &f in &plan.followers {
        if !t.is_follower(&back_handle(f)) {
            t.followers.push(secret(back_handle(f)));
        }
    }
    let public_authors: Vec<String> = std::iter::once(REQUESTER.to_string())
        .chain((0..plan.ccs.len()).map(cc_email))
        .chain(FRONT.iter().map(|s| s.to_string()))
        .collect();
    let internal_authors: Vec<String> = (0..BACK)
        .map(back_handle)
        .chain(FRONT.iter().map(|s| s.to_string()))
        .collect();
    let mut public = Vec::new();
    let mut last_public = start;
    for (i, c) in plan.comments.iter().enumerate() {
        let at = tick();
        match c.kind {
            Kind::Public => {
                let marker = format!("pub{i}k");
                let author = &public_authors[c.author % public_authors.len()];
                t.add_comment(
                    at,
                    author,
                    Visibility::Public,
                    format!("{marker} {}", c.words),
                );
                public.push(marker);
                last_public = at;
            }
            Kind::Internal => {
                let author = &internal_authors[c.author % internal_authors.len()];
                let body = secret(format!("ZQX-note-{i}"));
                t.add_comment(
                    at,
                    author,
                    Visibility::Internal,
                    format!("{body} {}", c.words),
                );
            }
            Kind::MadePrivate => {
                let author = &public_authors[c.author % public_authors.len()];
                let body = secret(format!("ZQX-private-{i}"));
                let n = t.add_comment(at, author, Visibility::Internal, body);
                t.record(Event::made_private(tick(), &back_handle(0), n));
            }
        }
    }
    for (k, s) in plan.sides.iter().enumerate() {
        let mut participants: Vec<String> = Vec::new();
        for &p in &s.participants {
            if !participants.contains(&back_handle(p)) {
                participants.push(back_handle(p));
            }
        }
        let opener = participants[0].clone();
        let subject = secret(format!("ZQX-subject-{k}"));
        let n = t.open_side(tick(), &opener, subject, participants.clone());
        t.record(Event::side_opened(tick(), &opener, n));
        for (m, &a) in s.messages.iter().enumerate() {
            let author = participants[a % participants.len()].clone();
            let body = secret(format!("ZQX-message-{k}-{m}"));
            let at = tick();
            let id = t.id;
            t.side_mut(n)
                .unwrap()
                .add_message(id, &Default::default(), at, &author, body);
            t.record(Event::side_message(at, &author, n, m as u32 + 1));
        }
        if s.resolved {
            let at = tick();
            let side = t.side_mut(n).unwrap();
            side.state = SideState::Resolved;
            side.resolved_by = Some(opener.clone());
            side.resolved_at = Some(at);
            t.record(Event::side_resolved(at, &opener, n));
        }
    }
    for e in 0..plan.events {
        let detail = secret(format!("ZQX-event-{e}"));
        let mut event = Event::new(tick(), &back_handle(e % BACK), "zqx-action");
        event.detail = Some(detail);
        t.record(event);
    }
    t.updated = tick();
    Case {
        ticket: t,
        public,
        last_public,
        secrets,
    }
}

/// Everything an external participant can get of the ticket: the view in text (plain and coloured),
/// JSON and YAML, and their `tkt list` row as JSON.
fn external_outputs(t: &Ticket, who: &Who, people: &People) -> Vec<(&'static str, String)> {
    let Some(seen) = view(t.clone(), Some(who), people) else {
        panic!("{} is on the ticket but has no access", who.id());
    };
    let View::External(v) = &seen else {
        panic!("{} got a staff view", who.id());
    };
    let row = row(Summary::of(t), Some(who)).expect("a row for a participant");
    vec![
        ("text", external_ticket(v, Style::default())),
        (
            "text (colour)",
            external_ticket(
                v,
                Style {
                    color: true,
                    ..Style::default()
                },
            ),
        ),
        ("json", document(Format::Json, &seen).unwrap()),
        ("yaml", document(Format::Yaml, &seen).unwrap()),
        ("list row", serde_json::to_string(&row).unwrap()),
    ]
}

/// How many public comment markers an output holds.
fn public_markers(out: &str) -> usize {
    out.match_indices("pub")
        .filter(|(i, _)| out[i + 3..].starts_with(|c: char| c.is_ascii_digit()))
        .count()
}

/// What is wrong with one external output, if anything.
fn leaks(case: &Case, what: &str, out: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = out.to_lowercase();
    if let Some(at) = lower.find(MARKER) {
        let from = lower[..at]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i);
        let to = lower[at..]
            .char_indices()
            .nth(20)
            .map_or(lower.len(), |(i, _)| at + i);
        found.push(format!("{what} leaks: …{}…", &lower[from..to]));
    }
    for f in &case.ticket.followers {
        let i: usize = f[4..5].parse().unwrap();
        for secret in [f.clone(), back_name(i), back_email(i)] {
            if out.contains(&secret) {
                found.push(format!("{what} shows follower {secret}"));
            }
        }
    }
    if !what.starts_with("list") {
        let shown = public_markers(out);
        if shown != case.public.len() {
            found.push(format!(
                "{what} shows {shown} public comments, the ticket has {}",
                case.public.len()
            ));
        }
        for m in &case.public {
            if !out.contains(m.as_str()) {
                found.push(format!("{what} misses public comment {m}"));
            }
        }
    }
    found
}

pub(crate) fn external_viewers(t: &Ticket) -> Vec<Who> {
    std::iter::once(REQUESTER.to_string())
        .chain(t.cc.iter().map(|c| c.email.clone()))
        .map(|email| Who::External { email })
        .collect()
}

/// Structural checks on the documents: no hidden counts, no numbering gaps, no internal times.
fn structure(case: &Case, seen: &View) -> Vec<String> {
    let mut found = Vec::new();
    let View::External(v) = seen else {
        return vec!["not an external view".into()];
    };
    if v.comments.len() != case.public.len() {
        found.push(format!(
            "{} comments for {} public",
            v.comments.len(),
            case.public.len()
        ));
    }
    if v.status == Status::OnHold {
        found.push("on-hold shown to a customer".into());
    }
    if v.updated != case.last_public {
        found.push(format!(
            "updated {} betrays internal activity (last public {})",
            v.updated, case.last_public
        ));
    }
    let json: serde_json::Value = serde_json::to_value(seen).unwrap();
    for c in json["comments"].as_array().into_iter().flatten() {
        for numbered in ["n", "id", "visibility"] {
            if c.get(numbered).is_some() {
                found.push(format!("a public comment carries {numbered:?}: {c}"));
            }
        }
    }
    found
}

fn check(plan: &Plan) -> Result<(), TestCaseError> {
    let people = people();
    let case = build(plan);
    for who in external_viewers(&case.ticket) {
        let mut found = Vec::new();
        for (what, out) in external_outputs(&case.ticket, &who, &people) {
            found.extend(leaks(&case, what, &out));
        }
        found.extend(structure(
            &case,
            &view(case.ticket.clone(), Some(&who), &people).unwrap(),
        ));
        prop_assert!(found.is_empty(), "as {}: {}", who.id(), found.join("\n"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn an_external_view_never_reveals_what_it_hides(plan in plans()) {
        check(&plan)?;
    }
}

fn serialized(value: &impl Serialize) -> (String, String) {
    (
        document(Format::Json, value).unwrap(),
        document(Format::Yaml, value).unwrap(),
    )
}

/// The test can fail: the staff view of the same tickets holds every secret, and `leaks` reports it.
#[test]
fn the_leak_check_catches_the_staff_view() {
    let people = people();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut caught = 0;
    for _ in 0..200 {
        let plan = plans().new_tree(&mut runner).unwrap().current();
        let case = build(&plan);
        let Some(View::Staff(staff)) = view(case.ticket.clone(), None, &people) else {
            panic!("no --as is the full staff view");
        };
        let text = staff_ticket(&staff, &people, Style::default());
        let (json, yaml) = serialized(&View::Staff(staff.clone()));
        for (format, out) in [("text", &text), ("json", &json), ("yaml", &yaml)] {
            for s in &case.secrets {
                // The text view does not print the audit trail.
                if format == "text" && s.starts_with("ZQX-event") {
                    continue;
                }
                assert!(
                    out.contains(s.as_str()),
                    "the staff {format} view misses {s}:\n{out}"
                );
            }
        }
        for f in &staff.followers {
            let i: usize = f[4..5].parse().unwrap();
            assert!(text.contains(&back_name(i)), "{text}");
        }
        if !case.secrets.is_empty() {
            assert!(!leaks(&case, "staff json", &json).is_empty());
            caught += 1;
        }
        // And the view of a staff member who follows nothing still holds the internal notes.
        let light = people.resolve(&back_handle(1), "test").unwrap();
        if let Some(View::Staff(t)) = view(case.ticket.clone(), Some(&light), &people) {
            let notes = case
                .ticket
                .comments
                .iter()
                .filter(|c| c.visibility == Visibility::Internal);
            assert_eq!(t.comments.len(), case.ticket.comments.len());
            for n in notes {
                assert!(document(Format::Json, &t).unwrap().contains(&n.body));
            }
        }
    }
    assert!(
        caught > 100,
        "the generator makes secrets ({caught} of 200)"
    );
}

/// Everything an external participant can get through the real binary, each command in every format.
fn binary_outputs(desk: &crate::desk::Desk, who: &str) -> Vec<(String, String)> {
    let mut outs = Vec::new();
    for format in ["text", "json", "yaml"] {
        for (what, args) in [
            ("show", vec!["show", "7"]),
            ("list", vec!["list"]),
            ("list cc", vec!["cc", "list", "7"]),
        ] {
            let mut all = args.clone();
            all.extend(["--as", who, "--format", format]);
            outs.push((format!("{what} {format}"), desk.ok(&all)));
        }
        // Staff-only lists are refused, and the refusal tells nothing.
        for args in [["side", "list", "7"], ["follower", "list", "7"]] {
            let mut all = args.to_vec();
            all.extend(["--as", who, "--format", format]);
            outs.push((format!("list refusal {}", args[0]), desk.fails(&all, 4)));
        }
    }
    outs
}

/// The same tickets, written to a store and read back through `tkt`: `show`, `list`, `cc list`,
/// `side list`, `follower list` and the errors an outsider gets, in every format.
fn check_through_the_binary(plan: &Plan) -> Result<(), TestCaseError> {
    let case = build(plan);
    let desk = crate::desk::Desk::empty();
    desk.write("people.yaml", tkt::yaml::to_string(&people()).unwrap());
    desk.write("7.yaml", tkt::yaml::to_string(&case.ticket).unwrap());
    let mut found = Vec::new();
    for who in external_viewers(&case.ticket) {
        for (what, out) in binary_outputs(&desk, who.id()) {
            let problems = leaks(&case, &what, &out);
            found.extend(
                problems
                    .into_iter()
                    .map(|p| format!("as {}: {p}", who.id())),
            );
        }
    }
    for args in [
        vec!["show", "7"],
        vec!["cc", "list", "7"],
        vec!["side", "list", "7"],
    ] {
        let mut all = args.clone();
        all.extend(["--as", "eve@elsewhere.example"]);
        let err = desk.fails(&all, 4);
        found.extend(leaks(&case, "list outsider error", &err));
        let rows = desk.ok(&["list", "--as", "eve@elsewhere.example", "--format", "json"]);
        prop_assert_eq!(rows.trim(), "[]");
    }
    prop_assert!(found.is_empty(), "{}", found.join("\n"));
    Ok(())
}

proptest! {
    // Each case runs about fifty processes; the in-process test above covers the thousands.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_command_shows_an_external_viewer_what_it_hides(plan in plans()) {
        check_through_the_binary(&plan)?;
    }
}
