//! The text views of a ticket: the staff view with internal items marked, and the customer's email
//! thread. Every piece of ticket data passes through `sanitize` on its way out.

use std::collections::HashMap;
use std::fmt::Write;

use crate::model::naming::{self, Label};
use crate::model::visibility::ExternalView;
use crate::model::{Comment, People, SideConversation, SideState, Ticket, Visibility};
use crate::render::sanitize::{each_row, line, rows};
use crate::render::time::push_when;
use crate::render::{Style, clock, day_and_clock, when};

const WIDTH: usize = 78;

fn rule() -> String {
    "─".repeat(WIDTH)
}

/// `left` and `right` on one line, `right` pushed to the edge.
fn spread(left: &str, right: &str) -> String {
    let used = left.chars().count() + right.chars().count();
    let gap = WIDTH.saturating_sub(used).max(2);
    format!("{left}{}{right}", " ".repeat(gap))
}

/// A body under a prefix of `prefix_width` columns, wrapped by tkt to the view's width: every row of
/// it starts with the prefix, so no body text can stand where a header would.
fn indented(out: &mut String, prefix: &str, prefix_width: usize, text: &str, style: Style) {
    each_row(text, style.width.saturating_sub(prefix_width), |l| {
        // As `{prefix}{l}` with its trailing spaces trimmed, without building it.
        let l = l.trim_end();
        out.push_str(if l.is_empty() {
            prefix.trim_end()
        } else {
            prefix
        });
        out.push_str(l);
        out.push('\n');
    });
}

/// How much of a view is gathered before it is handed on: a long ticket goes out piece by piece, never
/// built whole in memory.
const CHUNK: usize = 32 * 1024;

/// Hands `out` to `write` once it holds a chunk's worth.
fn pass_on(out: &mut String, write: &mut dyn std::io::Write) -> std::io::Result<()> {
    if out.len() >= CHUNK {
        write.write_all(out.as_bytes())?;
        out.clear();
    }
    Ok(())
}

/// What `write` made, as text (every view is written as UTF-8).
fn to_string(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(&mut bytes);
    String::from_utf8(bytes).expect("views are written as UTF-8")
}

/// A ticket's identity (handle or address) as the staff view's header names it, by `model::naming`:
/// `Name (handle)` for directory staff, `Name <address>` or the address for everyone else.
pub fn person_label(people: &People, id: &str) -> String {
    let person = if id.contains('@') {
        naming::listed_address(id, people, true)
    } else {
        naming::staff_member(id, people)
    };
    match (&person.name, &person.handle) {
        (Some(name), Some(handle)) if person.staff => format!("{} ({})", line(name), line(handle)),
        _ => label(&person),
    }
}

/// How a customer's thread signs an author: staff by name with "(Support)" (or "Support" when the
/// desk keeps the name to itself), everyone else as `label` names them.
pub fn signed(l: &Label) -> String {
    match (l.staff, &l.name) {
        (true, Some(name)) => format!("{} (Support)", line(name)),
        (true, None) => "Support".to_string(),
        (false, _) => label(l),
    }
}

/// A person kept by address (a CC), shown with that address even when they are staff.
fn with_address(l: &Label) -> String {
    label(&Label {
        staff: false,
        ..l.clone()
    })
}

/// A participant as `model::naming` labels them: staff by name, everyone else with their address.
pub fn label(l: &Label) -> String {
    if l.staff {
        return line(l.name.as_deref().or(l.handle.as_deref()).unwrap_or("staff")).into_owned();
    }
    match (&l.name, &l.email) {
        (Some(name), Some(email)) if name != email => format!("{} <{}>", line(name), line(email)),
        (_, Some(email)) => line(email).into_owned(),
        (Some(name), None) => line(name).into_owned(),
        (None, None) => String::new(),
    }
}

/// The full staff view of a (possibly filtered) ticket.
pub fn staff_ticket(t: &Ticket, people: &People, style: Style) -> String {
    to_string(|out| write_staff_ticket(out, t, people, style))
}

/// `staff_ticket`, written to `write` a chunk at a time.
pub fn write_staff_ticket(
    write: &mut dyn std::io::Write,
    t: &Ticket,
    people: &People,
    style: Style,
) -> std::io::Result<()> {
    let mut out = String::with_capacity(CHUNK + 4096);
    let title = format!("#{}  {}", t.id, line(&t.subject));
    let state = format!("{} · {}", t.status.as_str(), t.priority.as_str());
    let _ = writeln!(out, "{}", style.bold(&spread(&title, &state)));
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(out, "{}{value}", style.dim(&format!("{name:<11}")));
        }
    };
    field("Requester", person_label(people, &t.requester));
    let assignee = t
        .assignee
        .as_deref()
        .map_or_else(|| "(unassigned)".to_string(), |a| person_label(people, a));
    let group = t
        .group
        .as_deref()
        .map(|g| format!(" · group {}", line(g)))
        .unwrap_or_default();
    field("Assignee", assignee + &group);
    let ccs: Vec<String> =
        t.cc.iter()
            .map(|c| with_address(&naming::cc_for_staff(c, people)))
            .collect();
    field("CC", ccs.join(", "));
    let followers: Vec<String> = t
        .followers
        .iter()
        .map(|f| person_label(people, f))
        .collect();
    field("Followers", followers.join(", "));
    let tags: Vec<_> = t.tags.iter().map(|tag| line(tag)).collect();
    field("Tags", tags.join(", "));
    field("Created", when(&t.created));
    field("Updated", when(&t.updated));
    for e in t.events.iter().filter(|e| e.action.starts_with("renumber")) {
        let (from, to) = (
            e.from.as_deref().unwrap_or("?"),
            e.to.as_deref().unwrap_or("?"),
        );
        let said = if e.action == "renumber" {
            format!("was #{} on another branch (tkt renumber)", line(from))
        } else {
            format!(
                "another ticket created as #{} on another branch is now #{}",
                line(from),
                line(to)
            )
        };
        field("Renumbered", said);
    }
    if !t.merge_conflicts.is_empty() {
        let places: Vec<String> = t
            .merge_conflicts
            .iter()
            .map(|c| line(&c.place()).into_owned())
            .collect();
        field(
            "Unsettled",
            format!(
                "{} (left by a git merge: tkt git settle {} --ours|--theirs)",
                places.join(", "),
                t.id
            ),
        );
    }
    let _ = writeln!(out, "{}", rule());
    let private = t.made_private();
    let mut authors = Authors::default();
    for item in thread(t) {
        out.push('\n');
        match item {
            Item::Comment(c) => staff_comment(
                &mut out,
                t,
                c,
                private.contains(&c.n),
                &mut authors,
                people,
                style,
            ),
            Item::Side(s) => side_block(&mut out, s, people, style),
        }
        pass_on(&mut out, write)?;
    }
    write.write_all(out.as_bytes())
}

enum Item<'a> {
    Comment(&'a Comment),
    Side(&'a SideConversation),
}

/// Comments in the order they were added, with each side conversation where it was opened. A comment's
/// time can be earlier than the one before it (a customer's reply is stamped against what they can see,
/// `model::clock`), so comments are never sorted by time: the side conversations are merged in.
fn thread(t: &Ticket) -> Vec<Item<'_>> {
    let mut sides: Vec<&SideConversation> = t.side_conversations.iter().collect();
    sides.sort_by_key(|s| (s.opened_at, s.n));
    let mut sides = sides.into_iter().peekable();
    let mut items = Vec::new();
    for c in &t.comments {
        while let Some(s) = sides.next_if(|s| s.opened_at < c.at) {
            items.push(Item::Side(s));
        }
        items.push(Item::Comment(c));
    }
    items.extend(sides.map(Item::Side));
    items
}

/// The staff view's label of each author of a thread, worked out once per author: a long thread has
/// many entries and few authors.
#[derive(Default)]
struct Authors<'t> {
    labels: HashMap<&'t str, String>,
}

impl<'t> Authors<'t> {
    fn label(&mut self, t: &Ticket, id: &'t str, people: &People) -> &str {
        self.labels
            .entry(id)
            .or_insert_with(|| label(&naming::for_staff(t, id, people)))
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[at..].iter().for_each(|&d| out.push(char::from(d)));
}

fn staff_comment<'t>(
    out: &mut String,
    t: &'t Ticket,
    c: &'t Comment,
    made_private: bool,
    authors: &mut Authors<'t>,
    people: &People,
    style: Style,
) {
    // `[n] author · when · kind`, appended piece by piece.
    out.push('[');
    push_number(out, c.n);
    out.push_str("] ");
    out.push_str(authors.label(t, &c.author, people));
    out.push_str(" · ");
    push_when(out, &c.at);
    out.push_str(" · ");
    match c.visibility {
        Visibility::Public => {
            style.push_public(out, "public reply");
            out.push('\n');
            indented(out, "    ", 4, &c.body, style);
        }
        Visibility::Internal => {
            let label = if made_private {
                "INTERNAL NOTE (made private)"
            } else {
                "INTERNAL NOTE"
            };
            style.push_internal(out, label);
            out.push('\n');
            indented(out, &style.internal("  ▌ "), 4, &c.body, style);
        }
    }
}

fn side_block(out: &mut String, s: &SideConversation, people: &People, style: Style) {
    let participants: Vec<_> = s.participants.iter().map(|p| line(p)).collect();
    let state = match s.state {
        SideState::Open => "open",
        SideState::Resolved => "resolved",
    };
    let head = format!(
        "┌ Side conversation {} · \"{}\" · {state} · {}",
        s.n,
        line(&s.subject),
        participants.join(", ")
    );
    let _ = writeln!(out, "{}", style.internal(&head));
    let width = s
        .messages
        .iter()
        .map(|m| m.author.chars().count())
        .max()
        .unwrap_or(0);
    // A conversation that spans days shows the day on every message, so the order reads right.
    let one_day = s
        .messages
        .iter()
        .all(|m| m.at.date_naive() == s.opened_at.date_naive());
    let stamp = |at: &crate::model::ticket::Time| {
        if one_day {
            clock(at)
        } else {
            day_and_clock(at)
        }
    };
    for m in &s.messages {
        let lead = format!("{:<width$}  {}  ", line(&m.author), stamp(&m.at));
        let room = style.width.saturating_sub(2 + lead.chars().count());
        let mut lines = rows(&m.body, room).into_iter();
        let first = lines.next().unwrap_or_default();
        let _ = writeln!(
            out,
            "{}",
            format!("{} {lead}{first}", style.internal("│")).trim_end()
        );
        let pad = " ".repeat(lead.chars().count());
        for rest in lines {
            let _ = writeln!(
                out,
                "{}",
                format!("{} {pad}{rest}", style.internal("│")).trim_end()
            );
        }
    }
    let foot = match (s.state, &s.resolved_by, &s.resolved_at) {
        (SideState::Resolved, Some(by), Some(at)) => {
            format!(
                "└ resolved by {} {}",
                label(&naming::staff_member(by, people)),
                when(at)
            )
        }
        (SideState::Resolved, _, _) => "└ resolved".to_string(),
        (SideState::Open, _, _) => format!(
            "└ opened by {} {}",
            label(&naming::staff_member(&s.opened_by, people)),
            when(&s.opened_at)
        ),
    };
    let _ = writeln!(out, "{}", style.internal(&foot));
}

/// The customer's view: their email thread.
pub fn external_ticket(v: &ExternalView, style: Style) -> String {
    to_string(|out| write_external_ticket(out, v, style))
}

/// `external_ticket`, written to `write` a chunk at a time.
pub fn write_external_ticket(
    write: &mut dyn std::io::Write,
    v: &ExternalView,
    style: Style,
) -> std::io::Result<()> {
    let mut out = String::with_capacity(CHUNK + 4096);
    let title = format!("#{}  {}", v.id, line(&v.subject));
    let _ = writeln!(out, "{}", style.bold(&spread(&title, v.status.as_str())));
    let mut from = format!("From {}", label(&v.requester));
    if !v.cc.is_empty() {
        let ccs: Vec<String> = v.cc.iter().map(label).collect();
        from.push_str(&format!(" · CC {}", ccs.join(", ")));
    }
    let _ = writeln!(out, "{from}");
    let _ = writeln!(out, "{}", rule());
    for c in &v.comments {
        let author = signed(&c.author);
        let _ = writeln!(out, "\n{author} · {}", when(&c.at));
        indented(&mut out, "    ", 4, &c.body, style);
        pass_on(&mut out, write)?;
    }
    write.write_all(out.as_bytes())
}

/// `side list` for staff: one block per side conversation, newest state first line.
pub fn side_list(sides: &[SideConversation], people: &People, style: Style) -> String {
    let mut out = String::new();
    for s in sides {
        side_block(&mut out, s, people, style);
    }
    out
}

/// A list of people, one per line.
/// CCs are kept by address, so a CC list shows every address, staff copied as CCs included.
pub fn party_lines(parties: &[Label]) -> String {
    parties.iter().map(|p| with_address(p) + "\n").collect()
}

/// The short footer of hygiene findings under the staff view: one line each, code and what was found
/// (`tkt check` and solving a ticket give the advice too).
pub fn hygiene_footer(findings: &[crate::model::hygiene::Finding], style: Style) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let mut out = format!("\n{}\n", style.dim("Hygiene"));
    for f in findings {
        let _ = writeln!(out, "  {:<24}{}", f.code, line(&f.message));
    }
    out
}
