//! The three-way merge of two branches' versions of one ticket, and of the people directory, that git's
//! merge driver runs (`tkt git merge-driver`). It works on the model's own types, so every field and
//! every unknown key the store keeps, the merge keeps too.
//!
//! - Comments, side-conversation messages and events of both sides are all kept, each exactly once
//!   (comments and messages by their id, events by their whole content), in time order. Entries that
//!   ours has keep their numbers; entries new on theirs are numbered after ours, and theirs' events are
//!   renumbered with them, so `make-private 42 3` keeps meaning what it meant on this branch.
//! - CCs, followers, tags and side-conversation participants merge as sets: an addition or a removal
//!   on either side is applied.
//! - A field changed on one side takes that side's value. Changed on both to different values: the
//!   later change by the event log wins and the merge records its choice as a `merge` event naming both
//!   values; a closed ticket stays closed. Where no event says which change came later (a hand edit),
//!   the merge does not guess: ours stays in the file and a `merge_conflicts` entry holds both values
//!   until a person settles it (`tkt git settle`).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::model::{
    Cc, Comment, Event, Message, People, Person, SideConversation, SideState, Status, Ticket,
    Visibility,
};
use crate::yaml::{Extra, Value};

/// A decision the merge left to a person: both branches changed `field` (and, for an entry of a list,
/// `entry`: a comment's or message's id, a CC's address, a person's handle) to different values, and
/// nothing says which came later. The file holds ours until the conflict is settled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeConflict {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    pub ours: Value,
    pub theirs: Value,
    #[serde(flatten)]
    pub extra: Extra,
}

impl MergeConflict {
    fn new(field: &str, entry: Option<&str>, ours: Value, theirs: Value) -> MergeConflict {
        MergeConflict {
            field: field.to_string(),
            entry: entry.map(str::to_string),
            ours,
            theirs,
            extra: Extra::new(),
        }
    }

    /// `subject` or `comments 9f3a61c2`: what a person types to settle it.
    pub fn place(&self) -> String {
        match &self.entry {
            Some(entry) => format!("{} {entry}", self.field),
            None => self.field.clone(),
        }
    }

    fn same_place(&self, other: &MergeConflict) -> bool {
        self.field == other.field && self.entry == other.entry
    }
}

/// What a merge gave: the merged value, the choices it made (one line each, for the person running the
/// merge) and the conflicts it left (also kept in the value's `merge_conflicts`).
#[derive(Debug)]
pub struct Merged<T> {
    pub value: T,
    pub choices: Vec<String>,
    pub conflicts: Vec<MergeConflict>,
}

/// Whether two tickets created under one id on two branches (git's empty base) are the same ticket:
/// created at the same instant for the same requester with the same first comment. Two different
/// tickets are never merged into one.
pub fn same_ticket(a: &Ticket, b: &Ticket) -> bool {
    a.created == b.created
        && a.requester.eq_ignore_ascii_case(&b.requester)
        && a.comments.first().map(|c| &c.id) == b.comments.first().map(|c| &c.id)
}

/// Of two different tickets created under one id, the one that keeps the id: the older, and between
/// two of the same age the one whose first comment's id sorts first (so both clones agree).
pub fn keeps_the_id(a: &Ticket, b: &Ticket) -> bool {
    let first = |t: &Ticket| t.comments.first().map(|c| c.id.clone()).unwrap_or_default();
    (a.created, first(a)) <= (b.created, first(b))
}

/// The result of one three-way comparison.
enum Pick<T> {
    /// Both sides hold the same value, or only one side changed it: this one.
    Agreed(T),
    /// Both changed it, to different values.
    Both,
}

fn three_way<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Pick<T> {
    if ours == theirs || base == Some(theirs) {
        Pick::Agreed(ours.clone())
    } else if base == Some(ours) {
        Pick::Agreed(theirs.clone())
    } else {
        Pick::Both
    }
}

fn value_of<T: Serialize>(value: &T) -> Value {
    serde_yaml::to_value(value).unwrap_or(Value::Null)
}

/// Merges two versions of a ticket whose common ancestor is `base` (None: both branches created it).
pub fn tickets(base: Option<&Ticket>, ours: &Ticket, theirs: &Ticket) -> Merged<Ticket> {
    let mut m = Merge {
        base,
        ours,
        theirs,
        events: Vec::new(),
        choices: Vec::new(),
        conflicts: Vec::new(),
    };
    let mut t = ours.clone();
    t.subject = m.field(
        "subject",
        "edit",
        |t| Some(t.subject.clone()),
        |t| t.subject.clone(),
    );
    t.priority = m.field(
        "priority",
        "edit",
        |t| Some(t.priority.as_str().to_string()),
        |t| t.priority,
    );
    t.requester = m.field(
        "requester",
        "edit",
        |t| Some(t.requester.clone()),
        |t| t.requester.clone(),
    );
    t.group = m.field("group", "edit", |t| t.group.clone(), |t| t.group.clone());
    t.assignee = m.field(
        "assignee",
        "assign",
        |t| t.assignee.clone(),
        |t| t.assignee.clone(),
    );
    t.status = m.status();
    t.created = ours.created.min(theirs.created);
    t.updated = ours.updated.max(theirs.updated);
    t.tags = as_set(base.map(|b| &b.tags[..]), &ours.tags, &theirs.tags, |s| {
        s.clone()
    });
    t.followers = as_set(
        base.map(|b| &b.followers[..]),
        &ours.followers,
        &theirs.followers,
        |s| s.clone(),
    );
    t.cc = m.ccs();
    let (comments, comment_numbers) = m.comments();
    t.comments = comments;
    let (sides, side_numbers) = m.sides();
    t.side_conversations = sides;
    t.extra = merge_extra(
        "",
        base.map(|b| &b.extra),
        &ours.extra,
        &theirs.extra,
        &mut m.conflicts,
    );
    let renumber = Renumbering {
        comments: comment_numbers,
        sides: side_numbers,
    };
    t.events = m.event_log(&renumber);
    t.merge_conflicts =
        carried_conflicts(&ours.merge_conflicts, &theirs.merge_conflicts, &m.conflicts);
    Merged {
        value: t,
        choices: m.choices,
        conflicts: m.conflicts,
    }
}

/// The conflicts both sides still carry and the new ones, each place once (a new one replaces an old
/// one for the same place).
fn carried_conflicts(
    ours: &[MergeConflict],
    theirs: &[MergeConflict],
    new: &[MergeConflict],
) -> Vec<MergeConflict> {
    let mut all: Vec<MergeConflict> = new.to_vec();
    for c in ours.iter().chain(theirs) {
        if !all.iter().any(|a| a.same_place(c)) {
            all.push(c.clone());
        }
    }
    all
}

/// The three versions and what the merge has decided so far.
struct Merge<'a> {
    base: Option<&'a Ticket>,
    ours: &'a Ticket,
    theirs: &'a Ticket,
    /// `merge` events recording the choices.
    events: Vec<Event>,
    choices: Vec<String>,
    conflicts: Vec<MergeConflict>,
}

/// How theirs' numbers map to the merged ticket's: comments, and per side conversation (by theirs'
/// number) the side's new number and its messages' numbers.
struct Renumbering {
    comments: HashMap<u32, u32>,
    sides: SideNumbers,
}

/// Theirs' side-conversation number → the merged number and theirs' message numbers → the merged ones.
type SideNumbers = HashMap<u32, (u32, HashMap<u32, u32>)>;

/// The latest event that set `field` (by `action`) to the value the ticket holds now, if the log has
/// one: the time of that side's change.
fn last_change<'t>(
    t: &'t Ticket,
    action: &str,
    field: &str,
    now: &Option<String>,
) -> Option<&'t Event> {
    t.events
        .iter()
        .filter(|e| e.action == action && e.field.as_deref() == Some(field))
        .max_by_key(|e| e.at)
        .filter(|e| &e.to == now)
}

impl Merge<'_> {
    /// One of the ticket's own fields: `shown` is its value as the event log writes it, `get` the value.
    fn field<T: PartialEq + Clone + Serialize>(
        &mut self,
        name: &str,
        action: &str,
        shown: impl Fn(&Ticket) -> Option<String>,
        get: impl Fn(&Ticket) -> T,
    ) -> T {
        let (ours, theirs) = (get(self.ours), get(self.theirs));
        let base = self.base.map(&get);
        if let Pick::Agreed(value) = three_way(base.as_ref(), &ours, &theirs) {
            return value;
        }
        let (ours_shown, theirs_shown) = (shown(self.ours), shown(self.theirs));
        let ours_change = last_change(self.ours, action, name, &ours_shown);
        let theirs_change = last_change(self.theirs, action, name, &theirs_shown);
        match (ours_change, theirs_change) {
            (Some(o), Some(t)) => {
                // The later change wins; at one instant, the greater value, so that both merge
                // directions agree.
                let ours_wins = (o.at, &ours_shown) > (t.at, &theirs_shown);
                let at = o.at.max(t.at);
                let (winner, loser) = if ours_wins {
                    (&ours_shown, &theirs_shown)
                } else {
                    (&theirs_shown, &ours_shown)
                };
                self.chose(
                    at,
                    name,
                    loser,
                    winner,
                    "changed on both branches; the later change wins",
                );
                if ours_wins { ours } else { theirs }
            }
            _ => {
                self.conflicts.push(MergeConflict::new(
                    name,
                    None,
                    value_of(&ours),
                    value_of(&theirs),
                ));
                ours
            }
        }
    }

    /// Records a choice as a `merge` event by the desk, and as a line for whoever runs the merge.
    fn chose(
        &mut self,
        at: crate::model::ticket::Time,
        field: &str,
        loser: &Option<String>,
        winner: &Option<String>,
        reason: &str,
    ) {
        let mut e = Event::new(at, "", "merge");
        e.field = Some(field.to_string());
        e.from = loser.clone();
        e.to = winner.clone();
        e.reason = Some(reason.to_string());
        let word = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        self.choices.push(format!(
            "{field}: {} over {} ({reason})",
            word(winner),
            word(loser)
        ));
        self.events.push(e);
    }

    /// The status: a closed ticket stays closed, whatever the other branch did; otherwise as any field.
    fn status(&mut self) -> Status {
        let (ours, theirs) = (self.ours.status, self.theirs.status);
        if ours != theirs && (ours == Status::Closed || theirs == Status::Closed) {
            let other = if ours == Status::Closed { theirs } else { ours };
            let closed_at = [self.ours, self.theirs]
                .iter()
                .filter(|t| t.status == Status::Closed)
                .filter_map(|t| last_change(t, "status", "status", &Some("closed".into())))
                .map(|e| e.at)
                .max()
                .unwrap_or(self.ours.updated.max(self.theirs.updated));
            self.chose(
                closed_at,
                "status",
                &Some(other.as_str().into()),
                &Some("closed".into()),
                "closed on one branch; a closed ticket stays closed",
            );
            return Status::Closed;
        }
        self.field(
            "status",
            "status",
            |t| Some(t.status.as_str().to_string()),
            |t| t.status,
        )
    }

    fn ccs(&mut self) -> Vec<Cc> {
        let key = |c: &Cc| c.email.to_ascii_lowercase();
        let base = self.base.map(|b| &b.cc[..]);
        let mut merged = as_set(base, &self.ours.cc, &self.theirs.cc, key);
        for cc in &mut merged {
            let find = |list: &[Cc]| list.iter().find(|c| key(c) == key(cc)).cloned();
            if let (Some(o), Some(t)) = (find(&self.ours.cc), find(&self.theirs.cc)) {
                let b = base.and_then(find);
                *cc = self.entry("cc", &key(cc), b.as_ref(), &o, &t);
            }
        }
        merged
    }

    /// One entry present on both sides: the side that changed it, or ours and a conflict.
    fn entry<T: PartialEq + Clone + Serialize>(
        &mut self,
        field: &str,
        entry: &str,
        base: Option<&T>,
        ours: &T,
        theirs: &T,
    ) -> T {
        match three_way(base, ours, theirs) {
            Pick::Agreed(value) => value,
            Pick::Both => {
                self.conflicts.push(MergeConflict::new(
                    field,
                    Some(entry),
                    value_of(ours),
                    value_of(theirs),
                ));
                ours.clone()
            }
        }
    }

    fn comments(&mut self) -> (Vec<Comment>, HashMap<u32, u32>) {
        let base = self.base.map(|b| &b.comments[..]).unwrap_or(&[]);
        let (ours, theirs) = (&self.ours.comments, &self.theirs.comments);
        let mut merge_one = |b: Option<&Comment>, o: &Comment, t: &Comment| {
            // Making a comment private is one-way: if either branch did, it is private.
            let private =
                if o.visibility == Visibility::Internal || t.visibility == Visibility::Internal {
                    Visibility::Internal
                } else {
                    Visibility::Public
                };
            let (mut o, mut t, mut b) = (o.clone(), t.clone(), b.cloned());
            o.visibility = private;
            t.visibility = private;
            if let Some(b) = &mut b {
                b.visibility = private;
            }
            t.n = o.n;
            if let Some(b) = &mut b {
                b.n = o.n;
            }
            self.entry("comments", &o.id.clone(), b.as_ref(), &o, &t)
        };
        entries(
            base,
            ours,
            theirs,
            &mut merge_one,
            |c| &c.id,
            |c| c.n,
            |c, n| c.n = n,
            |c| c.at,
        )
    }

    fn sides(&mut self) -> (Vec<SideConversation>, SideNumbers) {
        let key = |s: &SideConversation| (s.opened_at, s.opened_by.clone(), s.subject.clone());
        let base = self.base.map(|b| &b.side_conversations[..]).unwrap_or(&[]);
        let (ours, theirs) = (
            &self.ours.side_conversations,
            &self.theirs.side_conversations,
        );
        let mut merged: Vec<SideConversation> = Vec::new();
        let mut numbers = HashMap::new();
        let mut next = ours.iter().map(|s| s.n).max().unwrap_or(0) + 1;
        let used: HashSet<u32> = ours.iter().map(|s| s.n).collect();
        for o in ours {
            let t = theirs.iter().find(|t| key(t) == key(o));
            let b = base.iter().find(|b| key(b) == key(o));
            match t {
                Some(t) => {
                    let (side, messages) = self.side(b, o, t);
                    numbers.insert(t.n, (o.n, messages));
                    merged.push(side);
                }
                None => merged.push(o.clone()),
            }
        }
        for t in theirs
            .iter()
            .filter(|t| !ours.iter().any(|o| key(o) == key(t)))
        {
            let b = base.iter().find(|b| key(b) == key(t));
            let n = match b {
                Some(b) if !used.contains(&b.n) && !merged.iter().any(|s| s.n == b.n) => b.n,
                _ => {
                    next += 1;
                    next - 1
                }
            };
            let mut side = t.clone();
            side.n = n;
            let identity = t.messages.iter().map(|m| (m.n, m.n)).collect();
            numbers.insert(t.n, (n, identity));
            merged.push(side);
        }
        merged.sort_by_key(|s| s.opened_at);
        (merged, numbers)
    }

    /// A side conversation both sides have: participants as a set, messages as entries, its state
    /// by the later change.
    fn side(
        &mut self,
        base: Option<&SideConversation>,
        ours: &SideConversation,
        theirs: &SideConversation,
    ) -> (SideConversation, HashMap<u32, u32>) {
        let mut side = ours.clone();
        side.participants = as_set(
            base.map(|b| &b.participants[..]),
            &ours.participants,
            &theirs.participants,
            |p| p.clone(),
        );
        let state = |s: &SideConversation| (s.state, s.resolved_by.clone(), s.resolved_at);
        let chosen = match three_way(base.map(state).as_ref(), &state(ours), &state(theirs)) {
            Pick::Agreed(s) => s,
            Pick::Both => self.side_state(ours, theirs),
        };
        (side.state, side.resolved_by, side.resolved_at) = chosen;
        let side_n = ours.n;
        let base_messages = base.map(|b| &b.messages[..]).unwrap_or(&[]);
        let mut merge_one = |b: Option<&Message>, o: &Message, t: &Message| {
            let (mut t, mut b) = (t.clone(), b.cloned());
            t.n = o.n;
            if let Some(b) = &mut b {
                b.n = o.n;
            }
            let place = format!("{side_n}/{}", o.id);
            self.entry("side_conversations", &place, b.as_ref(), o, &t)
        };
        let (messages, numbers) = entries(
            base_messages,
            &ours.messages,
            &theirs.messages,
            &mut merge_one,
            |m| &m.id,
            |m| m.n,
            |m, n| m.n = n,
            |m| m.at,
        );
        side.messages = messages;
        side.extra = merge_extra(
            &format!("side {side_n} "),
            base.map(|b| &b.extra),
            &ours.extra,
            &theirs.extra,
            &mut self.conflicts,
        );
        (side, numbers)
    }

    /// A side conversation resolved on one branch and reopened (or resolved by someone else) on the
    /// other: the later state event wins; with no event to tell, it stays open, so that nobody's
    /// question is dropped.
    fn side_state(
        &mut self,
        ours: &SideConversation,
        theirs: &SideConversation,
    ) -> (
        SideState,
        Option<String>,
        Option<crate::model::ticket::Time>,
    ) {
        let last = |t: &Ticket, n: u32| {
            t.events
                .iter()
                .filter(|e| e.side == Some(n) && e.field.as_deref() == Some("state"))
                .map(|e| e.at)
                .max()
        };
        let (o, t) = (last(self.ours, ours.n), last(self.theirs, theirs.n));
        let state = |s: &SideConversation| (s.state, s.resolved_by.clone(), s.resolved_at);
        let word = |s: &SideConversation| Some(side_word(s.state).to_string());
        let (winner, loser, at, reason) = match (o, t) {
            (Some(o), Some(t)) if o != t => {
                let (w, l) = if o > t {
                    (ours, theirs)
                } else {
                    (theirs, ours)
                };
                (
                    w,
                    l,
                    o.max(t),
                    "changed on both branches; the later change wins",
                )
            }
            _ => {
                let (w, l) = if ours.state == SideState::Open {
                    (ours, theirs)
                } else {
                    (theirs, ours)
                };
                let at = o.max(t).unwrap_or(ours.opened_at);
                (
                    w,
                    l,
                    at,
                    "changed on both branches at one time; it stays open",
                )
            }
        };
        let field = format!("side {} state", ours.n);
        self.chose(at, &field, &word(loser), &word(winner), reason);
        if let Some(e) = self.events.last_mut() {
            e.field = Some("state".into());
            e.side = Some(ours.n);
        }
        state(winner)
    }

    /// Every event of both sides once (theirs renumbered to the merged ticket's numbers), the merge's
    /// own choices, in time order. An event both sides have (the base's, or one change cherry-picked
    /// onto both) is kept once; one that a side has twice is kept twice.
    fn event_log(&self, renumber: &Renumbering) -> Vec<Event> {
        let key = |e: &Event| format!("{e:?}");
        let mut have: HashMap<String, usize> = HashMap::new();
        for e in &self.ours.events {
            *have.entry(key(e)).or_default() += 1;
        }
        let mut events = self.ours.events.clone();
        let mut theirs_seen: HashMap<String, usize> = HashMap::new();
        for e in &self.theirs.events {
            let e = renumbered(e, renumber);
            let k = key(&e);
            let seen = theirs_seen.entry(k.clone()).or_default();
            *seen += 1;
            if *seen > have.get(&k).copied().unwrap_or(0) {
                events.push(e);
            }
        }
        for e in &self.events {
            if !events.contains(e) {
                events.push(e.clone());
            }
        }
        events.sort_by_key(|e| e.at);
        events
    }
}

/// Unknown keys, each merged on its own; `place` prefixes a key in a conflict's field.
fn merge_extra(
    place: &str,
    base: Option<&Extra>,
    ours: &Extra,
    theirs: &Extra,
    conflicts: &mut Vec<MergeConflict>,
) -> Extra {
    let mut merged = Extra::new();
    let mut seen = HashSet::new();
    for key in ours.keys().chain(theirs.keys()) {
        let name = match key {
            Value::String(s) => s.clone(),
            other => format!("{other:?}"),
        };
        if !seen.insert(name.clone()) {
            continue;
        }
        // None: no base at all; Some(None): the base did not have the key.
        let b: Option<Option<&Value>> = base.map(|b| b.get(key));
        let (o, t) = (ours.get(key), theirs.get(key));
        let chosen = match three_way(b.as_ref(), &o, &t) {
            Pick::Agreed(v) => v.cloned(),
            Pick::Both => {
                conflicts.push(MergeConflict::new(
                    &format!("{place}{name}"),
                    None,
                    o.cloned().unwrap_or(Value::Null),
                    t.cloned().unwrap_or(Value::Null),
                ));
                o.cloned()
            }
        };
        if let Some(v) = chosen {
            merged.insert(key.clone(), v);
        }
    }
    merged
}

fn side_word(state: SideState) -> &'static str {
    match state {
        SideState::Open => "open",
        SideState::Resolved => "resolved",
    }
}

/// Theirs' event with the merged ticket's numbers for the comment, side conversation and message it
/// names.
fn renumbered(e: &Event, renumber: &Renumbering) -> Event {
    let mut e = e.clone();
    if let Some(n) = e.comment {
        e.comment = Some(renumber.comments.get(&n).copied().unwrap_or(n));
    }
    if let Some(side) = e.side
        && let Some((n, messages)) = renumber.sides.get(&side)
    {
        e.side = Some(*n);
        if let Some(m) = e.message {
            e.message = Some(messages.get(&m).copied().unwrap_or(m));
        }
    }
    e
}

/// A list merged as a set by `key`: what either side added is in, what either side removed (present in
/// the base, gone on that side) is out. Ours' order, then theirs' additions in theirs' order.
fn as_set<T: Clone, K: PartialEq>(
    base: Option<&[T]>,
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let has = |list: &[T], k: &K| list.iter().any(|x| key(x) == *k);
    let in_base = |k: &K| base.is_some_and(|b| has(b, k));
    let mut merged: Vec<T> = ours
        .iter()
        .filter(|x| {
            let k = key(x);
            // Kept unless theirs removed it (it was in the base and theirs has it no more).
            !in_base(&k) || has(theirs, &k)
        })
        .cloned()
        .collect();
    for x in theirs {
        let k = key(x);
        if !has(ours, &k) && !in_base(&k) && !has(&merged, &k) {
            merged.push(x.clone());
        }
    }
    merged
}

/// Comments or messages of both sides, each once by id: ours with their numbers, theirs' new ones
/// after them (an entry the base had keeps the base's number if it is free), all in time order. An
/// entry is never dropped, not even one a side deleted by hand. Returns the entries and how theirs'
/// numbers map to the merged ones.
#[allow(clippy::too_many_arguments)]
fn entries<T: Clone>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    merge_one: &mut dyn FnMut(Option<&T>, &T, &T) -> T,
    id: impl Fn(&T) -> &String,
    n: impl Fn(&T) -> u32,
    set_n: impl Fn(&mut T, u32),
    at: impl Fn(&T) -> crate::model::ticket::Time,
) -> (Vec<T>, HashMap<u32, u32>) {
    let by_id = |list: &[T]| -> HashMap<String, usize> {
        list.iter()
            .enumerate()
            .map(|(i, x)| (id(x).clone(), i))
            .collect()
    };
    let (base_ids, ours_ids, theirs_ids) = (by_id(base), by_id(ours), by_id(theirs));
    let mut numbers = HashMap::new();
    let mut merged = Vec::with_capacity(ours.len().max(theirs.len()));
    for o in ours {
        match theirs_ids.get(id(o)) {
            Some(&i) => {
                let b = base_ids.get(id(o)).map(|&j| &base[j]);
                numbers.insert(n(&theirs[i]), n(o));
                merged.push(merge_one(b, o, &theirs[i]));
            }
            None => merged.push(o.clone()),
        }
    }
    let mut used: HashSet<u32> = ours.iter().map(&n).collect();
    let mut next = used.iter().max().copied().unwrap_or(0) + 1;
    for t in theirs.iter().filter(|t| !ours_ids.contains_key(id(t))) {
        let from_base = base_ids.get(id(t)).map(|&j| n(&base[j]));
        let number = match from_base {
            Some(b) if !used.contains(&b) => b,
            _ => {
                while used.contains(&next) {
                    next += 1;
                }
                next
            }
        };
        used.insert(number);
        numbers.insert(n(t), number);
        let mut entry = t.clone();
        set_n(&mut entry, number);
        merged.push(entry);
    }
    merged.sort_by_key(|x| at(x));
    (merged, numbers)
}

/// Merges two versions of the people directory: people added on either side are all kept, people
/// removed on one side and untouched on the other are removed, and one person changed to different
/// values on both sides (or changed on one and removed on the other) keeps ours and leaves a conflict.
pub fn people(base: Option<&People>, ours: &People, theirs: &People) -> Merged<People> {
    let key = |p: &Person| p.handle.clone();
    let empty = People::default();
    let b = base.unwrap_or(&empty);
    let mut conflicts = Vec::new();
    let mut list = as_set(
        base.map(|b| &b.people[..]),
        &ours.people,
        &theirs.people,
        key,
    );
    let find = |list: &[Person], h: &str| list.iter().find(|p| p.handle == h).cloned();
    // A person one side changed and the other removed: kept, with the removal as the other value.
    for o in &ours.people {
        let (bp, tp) = (find(&b.people, &o.handle), find(&theirs.people, &o.handle));
        if let (Some(bp), None) = (&bp, &tp)
            && bp != o
        {
            conflicts.push(MergeConflict::new(
                "people",
                Some(&o.handle),
                value_of(o),
                Value::Null,
            ));
            if find(&list, &o.handle).is_none() {
                list.push(o.clone());
            }
        }
    }
    for t in &theirs.people {
        let (bp, op) = (find(&b.people, &t.handle), find(&ours.people, &t.handle));
        if let (Some(bp), None) = (&bp, &op)
            && bp != t
        {
            conflicts.push(MergeConflict::new(
                "people",
                Some(&t.handle),
                Value::Null,
                value_of(t),
            ));
            if find(&list, &t.handle).is_none() {
                list.push(t.clone());
            }
        }
    }
    for p in &mut list {
        if let (Some(o), Some(t)) = (
            find(&ours.people, &p.handle),
            find(&theirs.people, &p.handle),
        ) {
            let bp = find(&b.people, &p.handle);
            match three_way(bp.as_ref(), &o, &t) {
                Pick::Agreed(v) => *p = v,
                Pick::Both => {
                    conflicts.push(MergeConflict::new(
                        "people",
                        Some(&p.handle),
                        value_of(&o),
                        value_of(&t),
                    ));
                    *p = o;
                }
            }
        }
    }
    let extra = merge_extra(
        "",
        base.map(|b| &b.extra),
        &ours.extra,
        &theirs.extra,
        &mut conflicts,
    );
    let value = People {
        people: list,
        merge_conflicts: carried_conflicts(
            &ours.merge_conflicts,
            &theirs.merge_conflicts,
            &conflicts,
        ),
        extra,
    };
    Merged {
        value,
        choices: Vec::new(),
        conflicts,
    }
}

/// Puts a conflict's `theirs` value in its place in `tree` (a ticket or people file as a YAML tree):
/// how `tkt git settle --theirs` takes the other branch's side. A null `theirs` means that side had
/// nothing there: the key or entry goes.
pub fn put(tree: &mut Value, c: &MergeConflict) -> Result<(), String> {
    let lost = || format!("{}: no longer in the file", c.place());
    let root = tree.as_mapping_mut().ok_or_else(lost)?;
    let Some(entry) = &c.entry else {
        // `side 3 key`: an unknown key of a side conversation.
        if let Some(rest) = c.field.strip_prefix("side ")
            && let Some((n, key)) = rest.split_once(' ')
        {
            let side =
                find_item(root, "side_conversations", &|v| number_is(v, n)).ok_or_else(lost)?;
            return set_key(side, key, &c.theirs).ok_or_else(lost);
        }
        return set_key(tree, &c.field, &c.theirs).ok_or_else(lost);
    };
    let (list, item_key, wanted): (&str, &str, &str) = match c.field.as_str() {
        "side_conversations" => {
            let (n, id) = entry.split_once('/').ok_or_else(lost)?;
            let side =
                find_item(root, "side_conversations", &|v| number_is(v, n)).ok_or_else(lost)?;
            let side = side.as_mapping_mut().ok_or_else(lost)?;
            return replace_item(side, "messages", "id", id, &c.theirs).ok_or_else(lost);
        }
        "comments" => ("comments", "id", entry),
        "cc" => ("cc", "email", entry),
        "people" => ("people", "handle", entry),
        _ => return Err(lost()),
    };
    replace_item(root, list, item_key, wanted, &c.theirs).ok_or_else(lost)
}

fn number_is(v: &Value, n: &str) -> bool {
    v.get("n")
        .and_then(Value::as_u64)
        .map(|x| x.to_string())
        .as_deref()
        == Some(n)
}

fn find_item<'a>(
    map: &'a mut serde_yaml::Mapping,
    list: &str,
    is: &dyn Fn(&Value) -> bool,
) -> Option<&'a mut Value> {
    map.get_mut(list)?
        .as_sequence_mut()?
        .iter_mut()
        .find(|v| is(v))
}

fn set_key(map: &mut Value, key: &str, value: &Value) -> Option<()> {
    let map = map.as_mapping_mut()?;
    if value.is_null() {
        map.remove(key);
    } else {
        map.insert(Value::String(key.to_string()), value.clone());
    }
    Some(())
}

/// Replaces the item of `list` whose `item_key` is `wanted` (an address compared without case) by
/// `value`, removes it for a null `value`, or appends `value` where no item matches.
fn replace_item(
    map: &mut serde_yaml::Mapping,
    list: &str,
    item_key: &str,
    wanted: &str,
    value: &Value,
) -> Option<()> {
    let items = map.get_mut(list)?.as_sequence_mut()?;
    let is = |v: &Value| {
        v.get(item_key)
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case(wanted))
    };
    match items.iter().position(is) {
        Some(i) if value.is_null() => {
            items.remove(i);
        }
        Some(i) => items[i] = value.clone(),
        None if !value.is_null() => items.push(value.clone()),
        None => {}
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::event::Member;
    use crate::model::ticket::Time;
    use proptest::prelude::*;

    /// One change a branch makes, as tkt's commands make it (entry and event together).
    #[derive(Debug, Clone)]
    enum Op {
        Comment(usize, bool),
        Cc(usize, bool),
        Tag(usize, bool),
        Follower(usize),
        Status(usize),
        Subject(usize),
        SideOpen(usize),
        SideReply(usize),
    }

    const STAFF: [&str; 3] = ["jonas", "mette", "anders"];
    const WORDS: [&str; 3] = ["billing", "macos", "urgent"];
    const STATUSES: [Status; 4] = [
        Status::Open,
        Status::Pending,
        Status::OnHold,
        Status::Solved,
    ];

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..3usize, any::<bool>()).prop_map(|(a, p)| Op::Comment(a, p)),
            (0..3usize, any::<bool>()).prop_map(|(a, add)| Op::Cc(a, add)),
            (0..3usize, any::<bool>()).prop_map(|(a, add)| Op::Tag(a, add)),
            (0..3usize).prop_map(Op::Follower),
            (0..4usize).prop_map(Op::Status),
            (0..3usize).prop_map(Op::Subject),
            (0..3usize).prop_map(Op::SideOpen),
            (0..3usize).prop_map(Op::SideReply),
        ]
    }

    fn at(minute: i64) -> Time {
        chrono::DateTime::UNIX_EPOCH + chrono::Duration::minutes(minute)
    }

    /// Applies `ops`, the k-th at minute `start + 2k`, as author `who`.
    fn apply(t: &mut Ticket, ops: &[Op], start: i64, who: &str) {
        for (k, op) in ops.iter().enumerate() {
            let now = at(start + 2 * k as i64);
            match op {
                Op::Comment(a, public) => {
                    let vis = if *public {
                        Visibility::Public
                    } else {
                        Visibility::Internal
                    };
                    let n = t.add_comment(now, STAFF[*a], vis, format!("{who} says {k}"));
                    t.record(Event::commented(now, STAFF[*a], n, vis));
                }
                Op::Cc(i, add) => {
                    let email = format!("cc{i}@agency.example");
                    let there = t.is_cc(&email);
                    if *add && !there {
                        t.cc.push(Cc {
                            email: email.clone(),
                            name: None,
                            extra: Extra::new(),
                        });
                        t.record(Event::added(now, who, Member::Cc, &email));
                    } else if !*add && there {
                        t.cc.retain(|c| c.email != email);
                        t.record(Event::removed(now, who, Member::Cc, &email));
                    }
                }
                Op::Tag(i, add) => {
                    let tag = WORDS[*i].to_string();
                    if *add && !t.tags.contains(&tag) {
                        t.tags.push(tag.clone());
                        t.record(Event::added(now, who, Member::Tag, &tag));
                    } else if !*add && t.tags.contains(&tag) {
                        t.tags.retain(|x| *x != tag);
                        t.record(Event::removed(now, who, Member::Tag, &tag));
                    }
                }
                Op::Follower(i) => {
                    if !t.is_follower(STAFF[*i]) {
                        t.followers.push(STAFF[*i].into());
                        t.record(Event::added(now, who, Member::Follower, STAFF[*i]));
                    }
                }
                Op::Status(i) => {
                    let to = STATUSES[*i];
                    if t.status != to {
                        t.record(Event::status(now, who, t.status, to));
                        t.status = to;
                    }
                }
                Op::Subject(i) => {
                    let to = format!("{who} subject {i}");
                    if t.subject != to {
                        t.record(Event::edited(
                            now,
                            who,
                            "subject",
                            Some(&t.subject),
                            Some(&to),
                        ));
                        t.subject = to;
                    }
                }
                Op::SideOpen(i) => {
                    let n = t.open_side(now, who, format!("{who} asks {i}"), vec![who.into()]);
                    t.record(Event::side_opened(now, who, n));
                }
                Op::SideReply(i) => {
                    let Some(n) = t
                        .side_conversations
                        .get(*i % t.side_conversations.len().max(1))
                        .map(|s| s.n)
                    else {
                        continue;
                    };
                    let taken = t.entry_ids();
                    let id = t.id;
                    if let Some(side) = t.side_mut(n) {
                        let m =
                            side.add_message(id, &taken, now, who, format!("{who} replies {k}"));
                        t.record(Event::side_message(now, who, n, m));
                    }
                }
            }
            t.updated = now;
        }
    }

    fn branches() -> impl Strategy<Value = (Ticket, Ticket, Ticket)> {
        (
            prop::collection::vec(op(), 0..4),
            prop::collection::vec(op(), 0..7),
            prop::collection::vec(op(), 0..7),
        )
            .prop_map(|(base_ops, ours_ops, theirs_ops)| {
                let mut base = Ticket::new(1, "S".into(), "ana@customer.example".into(), at(0));
                let n = base.add_comment(
                    at(0),
                    "ana@customer.example",
                    Visibility::Public,
                    "hi".into(),
                );
                base.record(Event::commented(
                    at(0),
                    "ana@customer.example",
                    n,
                    Visibility::Public,
                ));
                apply(&mut base, &base_ops, 1, "jonas");
                let mut ours = base.clone();
                apply(&mut ours, &ours_ops, 100, "mette");
                let mut theirs = base.clone();
                apply(&mut theirs, &theirs_ops, 101, "anders");
                (base, ours, theirs)
            })
    }

    fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
        v.sort();
        v
    }

    /// What a ticket holds, without the numbers a merge may give differently: entries by id, sets as
    /// sets, events with the ids of the entries they name.
    fn content(t: &Ticket) -> String {
        let comment_id = |n: u32| t.comments.iter().find(|c| c.n == n).map(|c| c.id.clone());
        let side_key = |n: u32| t.side(n).map(|s| (s.opened_at, s.subject.clone()));
        let message_id = |s: u32, m: u32| {
            t.side(s)
                .and_then(|s| s.messages.iter().find(|x| x.n == m))
                .map(|x| x.id.clone())
        };
        let events = sorted(
            t.events
                .iter()
                .map(|e| {
                    let mut e = e.clone();
                    let names = format!(
                        "{:?} {:?} {:?}",
                        e.comment.and_then(comment_id),
                        e.side.and_then(side_key),
                        e.side.zip(e.message).and_then(|(s, m)| message_id(s, m))
                    );
                    (e.comment, e.side, e.message) = (None, None, None);
                    format!("{e:?} {names}")
                })
                .collect(),
        );
        let comments = sorted(
            t.comments
                .iter()
                .map(|c| format!("{} {} {:?} {}", c.id, c.at, c.visibility, c.body))
                .collect(),
        );
        let sides = sorted(
            t.side_conversations
                .iter()
                .map(|s| {
                    let messages = sorted(
                        s.messages
                            .iter()
                            .map(|m| format!("{} {}", m.id, m.body))
                            .collect(),
                    );
                    format!(
                        "{} {} {:?} {:?} {messages:?}",
                        s.subject,
                        s.opened_at,
                        s.state,
                        sorted(s.participants.clone())
                    )
                })
                .collect(),
        );
        let ccs = sorted(t.cc.iter().map(|c| c.email.clone()).collect());
        format!(
            "{} {:?} {:?} {:?} {:?}\ncc {ccs:?}\nfollowers {:?}\ntags {:?}\ncomments {comments:#?}\nsides {sides:#?}\nevents {events:#?}",
            t.subject,
            t.status,
            t.priority,
            t.assignee,
            t.group,
            sorted(t.followers.clone()),
            sorted(t.tags.clone())
        )
    }

    proptest! {
        #[test]
        fn merging_with_an_unchanged_side_gives_the_other((base, ours, theirs) in branches()) {
            let m = tickets(Some(&base), &base, &theirs).value;
            prop_assert_eq!(content(&m), content(&theirs));
            let m = tickets(Some(&base), &ours, &base).value;
            prop_assert_eq!(&m, &ours);
        }

        #[test]
        fn merging_a_side_with_itself_changes_nothing((base, ours, _theirs) in branches()) {
            let m = tickets(Some(&base), &ours, &ours).value;
            prop_assert_eq!(&m, &ours);
            let m = tickets(None, &ours, &ours).value;
            prop_assert_eq!(&m, &ours);
        }

        #[test]
        fn the_result_does_not_depend_on_the_direction((base, ours, theirs) in branches()) {
            let one = tickets(Some(&base), &ours, &theirs);
            let other = tickets(Some(&base), &theirs, &ours);
            prop_assert_eq!(content(&one.value), content(&other.value));
            prop_assert!(one.conflicts.is_empty(), "changes with events never conflict: {:?}", one.conflicts);
        }

        #[test]
        fn no_entry_of_either_side_is_ever_missing((base, ours, theirs) in branches()) {
            let m = tickets(Some(&base), &ours, &theirs).value;
            let ids = m.entry_ids();
            for side in [&ours, &theirs] {
                for id in side.entry_ids() {
                    prop_assert!(ids.contains(&id), "{} missing", id);
                }
            }
            prop_assert!(m.events.len() >= ours.events.len().max(theirs.events.len()));
            for e in &ours.events {
                prop_assert!(m.events.contains(e), "ours' event {:?} missing", e);
            }
            prop_assert!(m.validate(1).is_ok(), "{:?}", m.validate(1));
            // Numbers stay numbers people can type: unique, from 1.
            let mut numbers: Vec<u32> = m.comments.iter().map(|c| c.n).collect();
            numbers.sort();
            numbers.dedup();
            prop_assert_eq!(numbers.len(), m.comments.len());
        }
    }

    #[test]
    fn a_closed_ticket_stays_closed() {
        let base = Ticket::new(1, "S".into(), "ana@customer.example".into(), at(0));
        let mut ours = base.clone();
        ours.record(Event::status(at(5), "jonas", Status::New, Status::Closed));
        ours.status = Status::Closed;
        let mut theirs = base.clone();
        theirs.record(Event::status(at(9), "mette", Status::New, Status::Open));
        theirs.status = Status::Open;
        for m in [
            tickets(Some(&base), &ours, &theirs),
            tickets(Some(&base), &theirs, &ours),
        ] {
            assert_eq!(m.value.status, Status::Closed);
            assert!(
                m.value
                    .events
                    .iter()
                    .any(|e| e.action == "merge" && e.to.as_deref() == Some("closed"))
            );
        }
    }

    #[test]
    fn a_hand_edit_on_both_sides_is_a_conflict_that_keeps_ours() {
        let base = Ticket::new(1, "S".into(), "ana@customer.example".into(), at(0));
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.subject = "A".into();
        theirs.subject = "B".into();
        let m = tickets(Some(&base), &ours, &theirs);
        assert_eq!(m.value.subject, "A");
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.value.merge_conflicts[0].theirs, Value::String("B".into()));
        let mut tree = serde_yaml::to_value(&m.value).unwrap();
        put(&mut tree, &m.value.merge_conflicts[0]).unwrap();
        let settled: Ticket = serde_yaml::from_value(tree).unwrap();
        assert_eq!(settled.subject, "B");
    }
}
