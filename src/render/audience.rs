//! `tkt audience`: who can see and who was told of every entry of a ticket, as a matrix (entries ×
//! participants) and as the `audience` JSON document. The model decides (`model::notify`); this only
//! lays it out.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::naming::{self, Label};
use crate::model::notify::{Audience, Entry};
use crate::model::ticket::Time;
use crate::model::{People, Ticket, Visibility};
use crate::render::sanitize::line;
use crate::render::table::Layout;

/// The audience of a ticket: its participants, and per entry who sees it and who was told of it.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "Audience", deny_unknown_fields)]
pub struct AudienceDoc {
    pub id: u64,
    pub participants: Vec<ParticipantDoc>,
    pub entries: Vec<AudienceEntryDoc>,
}

/// Someone the ticket has had, and what they are on it now.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "Participant", deny_unknown_fields)]
pub struct ParticipantDoc {
    pub person: Label,
    /// `requester`, `cc`, `assignee`, `follower`, `side participant`; empty for someone no longer on it.
    pub on_ticket_as: Vec<String>,
}

/// One entry: a comment, a side-conversation message, or a CC added (who then receives the public
/// conversation so far).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "AudienceEntry", deny_unknown_fields)]
pub struct AudienceEntryDoc {
    /// `comment`, `side message` or `cc added`.
    pub kind: String,
    /// The comment's number; null for other kinds.
    pub comment: Option<u32>,
    /// The side conversation's number; null for other kinds.
    pub side: Option<u32>,
    /// The message's number in its side conversation; null for other kinds.
    pub message: Option<u32>,
    /// The entry's stable id; null for a CC added.
    pub entry_id: Option<String>,
    /// For a comment, its visibility now; null for other kinds.
    pub visibility: Option<Visibility>,
    /// The CC added; null for other kinds.
    pub cc: Option<String>,
    pub at: Time,
    pub author: Label,
    /// Who can see it now (indices into `participants` would be shorter; handles and addresses read).
    pub sees: Vec<String>,
    /// Who was notified of it when it was written.
    pub told: Vec<String>,
}

/// What each participant is on the ticket now.
fn roles(t: &Ticket, id: &str, people: &People) -> Vec<String> {
    let person = people.by_handle(id);
    let email = person.map_or(id, |p| p.email.as_str());
    let mut on = Vec::new();
    if t.is_requester(email) {
        on.push("requester".to_string());
    }
    if t.is_cc(email) {
        on.push("cc".into());
    }
    if t.is_assignee(id) {
        on.push("assignee".into());
    }
    if t.is_follower(id) {
        on.push("follower".into());
    }
    if t.side_conversations.iter().any(|s| s.has_participant(id)) {
        on.push("side participant".into());
    }
    on
}

pub fn doc(t: &Ticket, a: &Audience, people: &People) -> AudienceDoc {
    let participants = a
        .participants
        .iter()
        .map(|p| ParticipantDoc {
            person: naming::for_staff(t, p, people),
            on_ticket_as: roles(t, p, people),
        })
        .collect();
    let entries = a
        .rows
        .iter()
        .map(|row| {
            let n = &row.notice;
            let mut e = AudienceEntryDoc {
                kind: String::new(),
                comment: None,
                side: None,
                message: None,
                entry_id: None,
                visibility: None,
                cc: None,
                at: n.at,
                author: naming::for_staff(t, &n.author, people),
                sees: row.sees.clone(),
                told: n.recipients.clone(),
            };
            match &n.entry {
                Entry::Comment(c) => {
                    e.kind = "comment".into();
                    e.comment = Some(*c);
                    let found = t.comments.iter().find(|x| x.n == *c);
                    e.entry_id = found.map(|x| x.id.clone());
                    e.visibility = found.map(|x| x.visibility);
                }
                Entry::SideMessage { side, message } => {
                    e.kind = "side message".into();
                    e.side = Some(*side);
                    e.message = Some(*message);
                    e.entry_id = t
                        .side(*side)
                        .and_then(|s| s.messages.iter().find(|m| m.n == *message))
                        .map(|m| m.id.clone());
                }
                Entry::CcAdded(email) => {
                    e.kind = "cc added".into();
                    e.cc = Some(email.clone());
                }
            }
            e
        })
        .collect();
    AudienceDoc {
        id: t.id,
        participants,
        entries,
    }
}

/// The matrix: one row per entry, one column per participant. A cell says `told` (notified, and can
/// see it), `sees` (can see it, was not notified), `told, hidden now` (notified, and cannot see it any
/// more: a reply made private) or nothing.
pub fn table(t: &Ticket, a: &Audience, people: &People, layout: Layout) -> String {
    let header: Vec<String> = std::iter::once("entry".to_string())
        .chain(a.participants.iter().map(|p| {
            let roles = roles(t, p, people);
            if roles.is_empty() {
                line(p).into_owned()
            } else {
                format!("{} ({})", line(p), roles.join(", "))
            }
        }))
        .collect();
    let rows: Vec<Vec<String>> = a
        .rows
        .iter()
        .map(|row| {
            let n = &row.notice;
            let what = match &n.entry {
                Entry::Comment(c) => {
                    let internal = t
                        .comments
                        .iter()
                        .any(|x| x.n == *c && x.visibility == Visibility::Internal);
                    format!(
                        "[{c}] {}",
                        if internal {
                            "internal note"
                        } else {
                            "public reply"
                        }
                    )
                }
                Entry::SideMessage { side, message } => format!("side {side}, message {message}"),
                Entry::CcAdded(email) => format!("CC added: {}", line(email)),
            };
            let label = format!(
                "{what} · {} · {}",
                line(&n.author),
                crate::render::day_and_clock(&n.at)
            );
            std::iter::once(label)
                .chain(a.participants.iter().map(|p| {
                    let told = n.recipients.contains(p);
                    let sees = row.sees.contains(p);
                    match (told, sees) {
                        (true, true) => "told".to_string(),
                        (false, true) => "sees".into(),
                        (true, false) => "told, hidden now".into(),
                        (false, false) => String::new(),
                    }
                }))
                .collect()
        })
        .collect();
    match layout {
        Layout::Piped => std::iter::once(&header)
            .chain(&rows)
            .map(|r| r.join("\t") + "\n")
            .collect(),
        Layout::Terminal { width } => {
            let mut table = comfy_table::Table::new();
            table
                .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                .set_width(u16::try_from(width).unwrap_or(u16::MAX))
                .set_header(header);
            for r in rows {
                table.add_row(r);
            }
            format!("{table}\n")
        }
    }
}
