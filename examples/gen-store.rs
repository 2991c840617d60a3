//! A realistic store of any size, for benchmarks: `cargo run --release --example gen-store -- --tickets
//! 100000 DIR`. The same arguments give the same bytes (a fixed seed and a tiny PRNG per ticket, so the
//! parallel workers do not change the result), and every file is built with tkt's own model and written
//! with tkt's own YAML writer, so it is exactly what tkt itself would have written.
//!
//! `--all-open` makes the worst case for reading a store: every ticket open, with an open side
//! conversation and long threads, so a reader can skip nothing by status. Without it the output is the
//! realistic mix, byte for byte as before the flag existed (`bench/run` picks its ticket from it).

use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};

use tkt::model::event::{Event, Member};
use tkt::model::thread::{post_comment, post_side_message};
use tkt::model::{Cc, People, Person, Priority, Role, Settings, Status, Ticket, Visibility, Who};
use tkt::yaml::Extra;

const USAGE: &str = "usage: gen-store [--tickets N] [--seed S] [--all-open] DIR";

/// Which tickets the store holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mix {
    /// Mostly solved or closed, a few long threads: what a help desk looks like after two years.
    Realistic,
    /// Every ticket open with an open side conversation and a long thread: nothing to skip.
    AllOpen,
}

/// splitmix64: tiny, fast and good enough to make a help desk look busy.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "ana", "bob", "carla", "dmitri", "emma", "farid", "grace", "hugo", "ines", "jonas", "kai",
    "lise", "mette", "nils", "olga", "pedro", "quinn", "rosa", "sven", "tara", "ulla", "victor",
    "wen", "xavier", "yara", "zoe", "anders", "bea", "chen", "dana", "erik", "fatima", "gus",
    "hana", "ivan", "jade", "karl", "lena", "marco", "nora",
];
const LAST: &[&str] = &[
    "Silva", "Field", "Berg", "Hansen", "Novak", "Okafor", "Larsen", "Moreau", "Tanaka",
    "Kowalski", "Rossi", "Jensen", "Garcia", "Nielsen", "Dubois", "Schmidt",
];
const DOMAINS: &[&str] = &[
    "customer.example",
    "agency.example",
    "retail.example",
    "bank.example",
    "school.example",
    "clinic.example",
    "studio.example",
    "logistics.example",
    "city.example",
    "shop.example",
];
const GROUPS: &[&str] = &["Support", "Tier 2", "Billing", "Onboarding", "Engineering"];
const TAGS: &[&str] = &[
    "pdf",
    "export",
    "login",
    "sso",
    "billing",
    "refund",
    "macos",
    "windows",
    "mobile",
    "api",
    "bug",
    "feature-request",
    "outage",
    "vip",
    "how-to",
    "import",
    "performance",
    "security",
];
const SUBJECT_A: &[&str] = &[
    "PDF export",
    "Login",
    "Invoice",
    "Password reset",
    "Sync",
    "Import",
    "The mobile app",
    "Two-factor sign-in",
    "Search",
    "The API",
    "Billing page",
    "Report scheduling",
    "Webhooks",
];
const SUBJECT_B: &[&str] = &[
    "fails on macOS 10.14",
    "is very slow since Monday",
    "shows the wrong total",
    "never arrives",
    "crashes on start",
    "times out for large files",
    "returns error 500",
    "does not work behind our proxy",
    "asks for the code twice",
    "lost our settings",
    "stopped after the update",
    "is missing in the new plan",
];
const WORDS: &[&str] = &[
    "the",
    "export",
    "customer",
    "crash",
    "version",
    "update",
    "please",
    "we",
    "see",
    "again",
    "after",
    "logs",
    "attached",
    "error",
    "page",
    "works",
    "thanks",
    "screenshot",
    "steps",
    "reproduce",
    "browser",
    "cache",
    "cleared",
    "still",
    "today",
    "yesterday",
    "team",
    "account",
    "invoice",
    "settings",
    "could",
    "you",
    "check",
    "whether",
    "this",
    "is",
    "known",
    "issue",
    "workaround",
    "release",
    "fixed",
    "next",
    "week",
    "priority",
    "urgent",
    "deadline",
    "report",
];

/// A sentence of 5–16 words from the list above, capitalised, ending with a full stop.
fn sentence(rng: &mut Rng) -> String {
    let n = rng.range(5, 16);
    let mut s = String::new();
    for i in 0..n {
        let w = *rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            let first = c.next().unwrap_or('x').to_ascii_uppercase();
            s.push(first);
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// A message body: usually a line or a short paragraph, sometimes several paragraphs (a block scalar).
fn body(rng: &mut Rng) -> String {
    let paragraphs = match rng.range(0, 99) {
        0..=59 => 1,
        60..=89 => 2,
        90..=97 => 3,
        _ => rng.range(4, 10),
    };
    let mut out = Vec::new();
    for _ in 0..paragraphs {
        let sentences = rng.range(1, 4);
        let p: Vec<String> = (0..sentences).map(|_| sentence(rng)).collect();
        out.push(p.join(" "));
    }
    out.join("\n\n")
}

/// The desk's team and some named customers.
pub struct Desk {
    pub people: People,
    /// Staff who may be assigned (agents and admins).
    assignable: Vec<Who>,
    /// Every internal person.
    staff: Vec<Who>,
}

pub fn desk() -> Desk {
    let mut people = Vec::new();
    let mut rng = Rng::new(7);
    for (i, first) in FIRST.iter().enumerate() {
        let role = match i {
            0..=3 => Role::Admin,
            4..=29 => Role::Agent,
            _ => Role::LightAgent,
        };
        people.push(Person {
            handle: (*first).to_string(),
            name: format!(
                "{}{} {}",
                &first[..1].to_uppercase(),
                &first[1..],
                rng.pick(LAST)
            ),
            email: format!("{first}@acme.example"),
            role,
            extra: Extra::new(),
        });
    }
    for i in 0..25 {
        let first = FIRST[i % FIRST.len()];
        let domain = DOMAINS[i % DOMAINS.len()];
        people.push(Person {
            handle: format!("{first}-{}", i + 1),
            name: format!(
                "{}{} {}",
                &first[..1].to_uppercase(),
                &first[1..],
                rng.pick(LAST)
            ),
            email: format!("{first}.{i}@{domain}"),
            role: Role::EndUser,
            extra: Extra::new(),
        });
    }
    let people = People {
        people,
        merge_conflicts: Vec::new(),
        extra: Extra::new(),
    };
    let staff: Vec<Who> = people
        .people
        .iter()
        .filter(|p| p.role.is_internal())
        .map(|p| Who::Staff {
            handle: p.handle.clone(),
            role: p.role,
            email: p.email.clone(),
        })
        .collect();
    let assignable = staff
        .iter()
        .filter(|w| matches!(w, Who::Staff { role, .. } if *role != Role::LightAgent))
        .cloned()
        .collect();
    Desk {
        people,
        assignable,
        staff,
    }
}

fn customer(rng: &mut Rng) -> String {
    format!(
        "{}.{}{}@{}",
        rng.pick(FIRST),
        rng.pick(LAST).to_lowercase(),
        rng.range(1, 999),
        rng.pick(DOMAINS)
    )
}

/// How many comments a ticket gets: most 2–10, a long tail reaching past 200.
fn comment_count(rng: &mut Rng) -> u64 {
    match rng.range(0, 999) {
        0..=99 => 1,
        100..=859 => rng.range(2, 10),
        860..=964 => rng.range(11, 30),
        965..=994 => rng.range(31, 120),
        _ => rng.range(200, 400),
    }
}

pub fn ticket(id: u64, total: u64, seed: u64, mix: Mix, desk: &Desk) -> Ticket {
    let mut rng = Rng::new(seed ^ id.wrapping_mul(0xa076_1d64_78bd_642f));
    // Two years of tickets, in id order, ending at a fixed date.
    let start = Utc
        .with_ymd_and_hms(2024, 3, 1, 8, 0, 0)
        .single()
        .unwrap_or_default();
    let span = 2 * 365 * 24 * 3600;
    let created =
        start + Duration::seconds((span * id / total.max(1)) as i64 + rng.range(0, 600) as i64);
    let requester = customer(&mut rng);
    let subject = format!("{} {}", rng.pick(SUBJECT_A), rng.pick(SUBJECT_B));
    let mut t = Ticket::new(id, subject, requester.clone(), created);
    let creator = if rng.chance(70) {
        requester.clone()
    } else {
        rng.pick(&desk.staff).id().to_string()
    };
    t.priority = *rng.pick(&[
        Priority::Normal,
        Priority::Normal,
        Priority::Normal,
        Priority::Normal,
        Priority::Low,
        Priority::High,
        Priority::High,
        Priority::Urgent,
    ]);
    if rng.chance(80) {
        t.group = Some(rng.pick(GROUPS).to_string());
    }
    for _ in 0..rng.range(0, 3) {
        let tag = rng.pick(TAGS).to_string();
        if !t.tags.contains(&tag) {
            t.tags.push(tag);
        }
    }
    t.add_comment(created, &requester, Visibility::Public, body(&mut rng));
    t.record(Event::created(created, &creator));

    let mut now = created;
    let mut tick = |rng: &mut Rng| {
        now += Duration::seconds(rng.range(60, 8 * 3600) as i64);
        now
    };
    let assignee = if rng.chance(85) {
        let who = rng.pick(&desk.assignable).clone();
        let at = tick(&mut rng);
        t.assignee = Some(who.id().to_string());
        t.record(Event::assigned(at, who.id(), None, Some(who.id())));
        Some(who)
    } else {
        None
    };
    // CCs: most tickets none, some a few, a few a crowd.
    let ccs = match rng.range(0, 99) {
        0..=59 => 0,
        60..=94 => rng.range(1, 3),
        _ => rng.range(4, 20),
    };
    let mut cc_people: Vec<Who> = Vec::new();
    for _ in 0..ccs {
        let email = customer(&mut rng);
        if t.is_cc(&email) || t.is_requester(&email) {
            continue;
        }
        let at = tick(&mut rng);
        t.cc.push(Cc {
            email: email.clone(),
            name: rng
                .chance(50)
                .then(|| format!("{} {}", rng.pick(LAST), rng.pick(LAST))),
            extra: Extra::new(),
        });
        t.record(Event::added(
            at,
            assignee.as_ref().map_or(creator.as_str(), Who::id),
            Member::Cc,
            &email,
        ));
        cc_people.push(Who::External { email });
    }
    for _ in 0..rng.range(0, 2) {
        let who = rng.pick(&desk.staff).id().to_string();
        if !t.is_follower(&who) {
            let at = tick(&mut rng);
            t.followers.push(who.clone());
            t.record(Event::added(at, &who, Member::Follower, &who));
        }
    }
    // Older tickets are mostly done; the newest are mostly still being worked on.
    let age = total.saturating_sub(id) * 100 / total.max(1);
    let status = match (age > 5, rng.range(0, 99)) {
        _ if mix == Mix::AllOpen => Status::Open,
        (true, 0..=54) => Status::Closed,
        (true, 55..=79) => Status::Solved,
        (true, 80..=89) => Status::Open,
        (true, 90..=94) => Status::Pending,
        (true, _) => Status::OnHold,
        (false, 0..=14) => Status::New,
        (false, 15..=54) => Status::Open,
        (false, 55..=69) => Status::Pending,
        (false, 70..=79) => Status::OnHold,
        (false, _) => Status::Solved,
    };
    // A new ticket has only its opening message so far.
    let comments = if status == Status::New {
        1
    } else if mix == Mix::AllOpen {
        rng.range(8, 25)
    } else {
        comment_count(&mut rng)
    };
    let requester_who = Who::External {
        email: requester.clone(),
    };
    for _ in 1..comments {
        let at = tick(&mut rng);
        let roll = rng.range(0, 99);
        let (author, visibility) = if roll < 40 {
            let staff = assignee
                .clone()
                .unwrap_or_else(|| rng.pick(&desk.assignable).clone());
            (staff, Visibility::Public)
        } else if roll < 65 {
            (rng.pick(&desk.staff).clone(), Visibility::Internal)
        } else if roll < 90 || cc_people.is_empty() {
            (requester_who.clone(), Visibility::Public)
        } else {
            (rng.pick(&cc_people).clone(), Visibility::Public)
        };
        let mut text = body(&mut rng);
        if visibility == Visibility::Internal && rng.chance(20) {
            text = format!("@{} {text}", rng.pick(&desk.staff).id());
        }
        post_comment(
            &mut t,
            &author,
            visibility,
            text,
            at,
            &desk.people,
            &Settings::default(),
        );
    }
    // Side conversations on some tickets, now and then a long one.
    let sides = match rng.range(0, 99) {
        _ if status == Status::New => 0,
        _ if mix == Mix::AllOpen => rng.range(1, 2),
        0..=84 => 0,
        85..=96 => 1,
        _ => rng.range(2, 4),
    };
    for side_index in 0..sides {
        let at = tick(&mut rng);
        let by = rng.pick(&desk.staff).id().to_string();
        let mut with = vec![by.clone()];
        for _ in 0..rng.range(1, 3) {
            let p = rng.pick(&desk.staff).id().to_string();
            if !with.contains(&p) {
                with.push(p);
            }
        }
        let subject = format!("{} ({})", rng.pick(SUBJECT_A), rng.pick(TAGS));
        let n = t.open_side(at, &by, subject, with.clone());
        t.record(Event::side_opened(at, &by, n));
        let messages = if mix == Mix::AllOpen {
            rng.range(4, 16)
        } else if rng.chance(5) {
            rng.range(20, 80)
        } else {
            rng.range(1, 8)
        };
        for _ in 0..messages {
            let at = tick(&mut rng);
            let author = rng.pick(&with).clone();
            post_side_message(&mut t, n, &author, body(&mut rng), at, &desk.people);
        }
        // In the worst case the first side conversation stays open.
        let keep_open = mix == Mix::AllOpen && side_index == 0;
        if !keep_open && rng.chance(60) {
            let at = tick(&mut rng);
            if let Some(side) = t.side_mut(n) {
                side.resolve(&by, at);
            }
            t.record(Event::side_resolved(at, &by, n));
        }
    }
    if status != Status::New && status != t.status {
        let at = tick(&mut rng);
        let by = assignee
            .as_ref()
            .map_or(creator.as_str(), Who::id)
            .to_string();
        let mut from = t.status;
        if status == Status::Closed {
            t.record(Event::status(at, &by, from, Status::Solved));
            from = Status::Solved;
        }
        t.record(Event::status(at, &by, from, status));
        t.status = status;
    }
    t.updated = t
        .events
        .iter()
        .map(|e| e.at)
        .max()
        .unwrap_or(created)
        .max(t.updated);
    t
}

/// YAML text of anything tkt writes, through tkt's own writer.
fn yaml<T: serde::Serialize>(value: &T) -> String {
    tkt::yaml::to_string(value).unwrap_or_else(|e| {
        eprintln!("gen-store: cannot write YAML: {e}");
        std::process::exit(1)
    })
}

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("gen-store: cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
}

fn main() {
    let mut tickets: u64 = 1000;
    let mut seed: u64 = 2026;
    let mut mix = Mix::Realistic;
    let mut dir: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let number = |v: Option<String>| -> u64 {
            v.and_then(|v| v.parse().ok()).unwrap_or_else(|| {
                eprintln!("{USAGE}");
                std::process::exit(2)
            })
        };
        match arg.as_str() {
            "--tickets" => tickets = number(args.next()),
            "--seed" => seed = number(args.next()),
            "--all-open" => mix = Mix::AllOpen,
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            _ if dir.is_none() && !arg.starts_with('-') => dir = Some(PathBuf::from(arg)),
            _ => {
                eprintln!("{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    if dir.join(tkt::store::SETTINGS_FILE).exists() {
        eprintln!(
            "gen-store: {} is already a store; give a new directory",
            dir.display()
        );
        std::process::exit(1);
    }
    if let Err(e) = std::fs::create_dir_all(dir.join(tkt::store::LOCAL_DIR)) {
        eprintln!("gen-store: cannot create {}: {e}", dir.display());
        std::process::exit(1);
    }
    let desk = desk();
    write(
        &dir.join(tkt::store::SETTINGS_FILE),
        &yaml(&Settings::default()),
    );
    write(&dir.join(tkt::store::PEOPLE_FILE), &yaml(&desk.people));
    write(&dir.join(".gitignore"), tkt::store::GITIGNORE);

    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    std::thread::scope(|scope| {
        for w in 0..workers {
            let (desk, dir) = (&desk, &dir);
            scope.spawn(move || {
                let mut id = w + 1;
                while id <= tickets {
                    let t = ticket(id, tickets, seed, mix, desk);
                    write(&dir.join(format!("{id}.yaml")), &yaml(&t));
                    id += workers;
                }
            });
        }
    });
    // What tkt would hold after creating these tickets: the next `tkt new` needs no directory scan.
    write(
        &dir.join(tkt::store::LOCAL_DIR).join("last-id"),
        &format!("{tickets}\n"),
    );
    eprintln!("gen-store: {tickets} tickets in {}", dir.display());
}
