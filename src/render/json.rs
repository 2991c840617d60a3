//! The JSON contract (SPEC §5): one shape for each kind of object wherever it appears, for every command
//! and every viewer. A person is always a `Person` (`model::naming::Label`); absent values are `null`,
//! never missing keys; times are RFC 3339 UTC. The schemas `tkt schema` prints are generated from these
//! types, so they cannot drift from what tkt writes. YAML output is the same document.

use std::collections::HashSet;

use schemars::{JsonSchema, Schema, schema_for};
use serde::Serialize;

use crate::model::edit::FieldChange;
use crate::model::history::{self, LogEntry};
use crate::model::naming::{self, Label};
use crate::model::ticket::Time;
use crate::model::visibility::{Access, ExternalView, Row};
use crate::model::{
    Comment, Message, People, Priority, SideConversation, SideState, Status, Ticket, Visibility,
};

/// A ticket as staff see it (`show` without `--as`, or `--as` a staff member).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "Ticket", deny_unknown_fields)]
pub struct TicketDoc {
    pub id: u64,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub group: Option<String>,
    pub tags: Vec<String>,
    pub requester: Label,
    pub assignee: Option<Label>,
    pub created: Time,
    pub updated: Time,
    pub cc: Vec<Label>,
    pub followers: Vec<Label>,
    pub comments: Vec<CommentDoc>,
    pub side_conversations: Vec<SideDoc>,
    pub events: Vec<LogEntry>,
}

/// A public reply or an internal note, as staff see it.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "Comment", deny_unknown_fields)]
pub struct CommentDoc {
    /// The number people type (`make-private 7 3`).
    pub n: u32,
    /// The entry's stable short id.
    pub id: String,
    pub at: Time,
    pub author: Label,
    pub visibility: Visibility,
    /// Posted publicly, then made private.
    pub made_private: bool,
    pub body: String,
}

/// A side conversation, as the staff who may see it see it.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "SideConversation", deny_unknown_fields)]
pub struct SideDoc {
    pub n: u32,
    pub subject: String,
    pub state: SideState,
    pub participants: Vec<Label>,
    pub opened_by: Label,
    pub opened_at: Time,
    pub resolved_by: Option<Label>,
    pub resolved_at: Option<Time>,
    pub messages: Vec<MessageDoc>,
}

/// A message in a side conversation.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "Message", deny_unknown_fields)]
pub struct MessageDoc {
    pub n: u32,
    pub id: String,
    pub at: Time,
    pub author: Label,
    pub body: String,
}

/// One ticket in `tkt list`. Fields the viewer may not see are null.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "ListRow", deny_unknown_fields)]
pub struct RowDoc {
    pub id: u64,
    pub subject: String,
    pub status: Status,
    pub priority: Option<Priority>,
    pub group: Option<String>,
    pub requester: Label,
    pub assignee: Option<Label>,
    pub created: Time,
    pub updated: Time,
    pub cc: Vec<Label>,
    pub followers: Option<Vec<Label>>,
    pub tags: Option<Vec<String>>,
    /// Open side conversations this viewer may see; null for customers.
    pub open_sides: Option<usize>,
}

/// What every write answers: the ticket, whether anything changed, and what it made or touched. Fields
/// a command does not concern are null (or empty lists). A customer is never told an entry number.
#[derive(Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub ticket: u64,
    pub changed: bool,
    /// The comment posted (staff only: a customer's number would count internal notes).
    pub comment: Option<u32>,
    pub visibility: Option<Visibility>,
    /// The side conversation opened or touched.
    pub side: Option<u32>,
    /// The side-conversation message posted.
    pub message: Option<u32>,
    pub state: Option<SideState>,
    /// The status after a status change.
    pub status: Option<Status>,
    /// The assignee after an assignment (null also when unassigned).
    pub assignee: Option<Label>,
    /// The tags after a tag change.
    pub tags: Option<Vec<String>>,
    /// People added as CCs or followers, or invited to a side conversation.
    pub added: Vec<Label>,
    /// People removed as CCs or followers.
    pub removed: Vec<Label>,
    /// Staff who started following as a consequence (commenting, a mention).
    pub new_followers: Vec<Label>,
    /// The ticket's own fields an edit changed.
    pub changes: Vec<FieldChange>,
}

/// What `person add`, `person edit` and `person remove` answer: the person as they are now (for a
/// removal, as they were), and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonAnswer {
    pub handle: String,
    /// `add`, `edit` or `remove`.
    pub action: String,
    pub changed: bool,
    pub changes: Vec<FieldChange>,
    pub person: crate::model::Person,
}

/// What `tkt mail receive` answers: where the message went, as what, and why (with `--dry-run`, where
/// it would go; nothing changed).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MailAnswer {
    /// The ticket (null: a new ticket not made, with --dry-run; a redelivered message naming none).
    pub ticket: Option<u64>,
    pub changed: bool,
    /// A new ticket was (or would be) opened.
    pub opened: bool,
    /// The message was received before (the same Message-ID): nothing was changed.
    pub redelivered: bool,
    pub dry_run: bool,
    /// The sender, as the From line names them.
    pub from: Label,
    /// The comment's number (staff only, as for comment).
    pub comment: Option<u32>,
    /// The side conversation the message went to (a reply to its letter), and its number there.
    pub side: Option<u32>,
    pub message: Option<u32>,
    pub visibility: Option<Visibility>,
    /// The email rule that decided (1-6; null for a new ticket or a side-conversation message).
    pub rule: Option<u8>,
    /// The rule in words.
    pub reason: Option<String>,
    /// Addresses the message made CCs.
    pub added: Vec<Label>,
    pub warnings: Vec<String>,
    /// The whole message's file in the store (staff only).
    pub kept: Option<String>,
}

impl MailAnswer {
    pub fn new(from: Label) -> MailAnswer {
        MailAnswer {
            ticket: None,
            changed: false,
            opened: false,
            redelivered: false,
            dry_run: false,
            from,
            comment: None,
            side: None,
            message: None,
            visibility: None,
            rule: None,
            reason: None,
            added: Vec::new(),
            warnings: Vec::new(),
            kept: None,
        }
    }
}

/// What `tkt init` answers.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitAnswer {
    pub store: std::path::PathBuf,
    /// Whether a new store was made (false: it was there already).
    pub created: bool,
}

impl Answer {
    pub fn of(ticket: u64, changed: bool) -> Answer {
        Answer {
            ticket,
            changed,
            ..Answer::default()
        }
    }
}

/// The staff view's document: every handle and address becomes a person.
pub fn ticket_doc(t: &Ticket, people: &People) -> TicketDoc {
    let person = |id: &str| naming::for_staff(t, id, people);
    let staff = |handle: &str| naming::staff_member(handle, people);
    let private = t.made_private();
    // The view was filtered before: staff see every event it kept.
    let all = Access::Staff { all_sides: true };
    TicketDoc {
        id: t.id,
        subject: t.subject.clone(),
        status: t.status,
        priority: t.priority,
        group: t.group.clone(),
        tags: t.tags.clone(),
        requester: person(&t.requester),
        assignee: t.assignee.as_deref().map(staff),
        created: t.created,
        updated: t.updated,
        cc: t
            .cc
            .iter()
            .map(|c| naming::cc_for_staff(c, people))
            .collect(),
        followers: t.followers.iter().map(|f| staff(f)).collect(),
        comments: t
            .comments
            .iter()
            .map(|c| comment_doc(t, c, &private, people))
            .collect(),
        side_conversations: t
            .side_conversations
            .iter()
            .map(|s| side_doc(s, people))
            .collect(),
        events: t
            .events
            .iter()
            .map(|e| history::entry(t, e.structured(), all, people))
            .collect(),
    }
}

fn comment_doc(t: &Ticket, c: &Comment, private: &HashSet<u32>, people: &People) -> CommentDoc {
    CommentDoc {
        n: c.n,
        id: c.id.clone(),
        at: c.at,
        author: naming::for_staff(t, &c.author, people),
        visibility: c.visibility,
        made_private: c.visibility == Visibility::Internal && private.contains(&c.n),
        body: c.body.clone(),
    }
}

pub fn side_doc(s: &SideConversation, people: &People) -> SideDoc {
    let staff = |handle: &str| naming::staff_member(handle, people);
    SideDoc {
        n: s.n,
        subject: s.subject.clone(),
        state: s.state,
        participants: s.participants.iter().map(|p| staff(p)).collect(),
        opened_by: staff(&s.opened_by),
        opened_at: s.opened_at,
        resolved_by: s.resolved_by.as_deref().map(staff),
        resolved_at: s.resolved_at,
        messages: s.messages.iter().map(|m| message_doc(m, people)).collect(),
    }
}

fn message_doc(m: &Message, people: &People) -> MessageDoc {
    MessageDoc {
        n: m.n,
        id: m.id.clone(),
        at: m.at,
        author: naming::staff_member(&m.author, people),
        body: m.body.clone(),
    }
}

/// A list row as a document: addresses and handles become people as the viewer may see them.
pub fn row_doc(r: &Row, people: &People) -> RowDoc {
    let staff = r.is_staff_row();
    let address = |email: &str| naming::listed_address(email, people, staff);
    RowDoc {
        id: r.id,
        subject: r.subject.clone(),
        status: r.status,
        priority: r.priority,
        group: r.group.clone(),
        requester: address(&r.requester),
        assignee: r
            .assignee
            .as_deref()
            .map(|a| naming::staff_member(a, people)),
        created: r.created,
        updated: r.updated,
        cc: r.cc.iter().map(|c| address(c)).collect(),
        followers: r
            .followers
            .as_ref()
            .map(|f| naming::staff_members(f, people)),
        tags: r.tags.clone(),
        open_sides: r.open_sides,
    }
}

/// A JSON document with every character the sanitizer would escape (controls, format and bidirectional
/// characters, line and paragraph separators) written as a `\uXXXX` escape: the same JSON value, safe
/// on a terminal. Such characters only ever stand inside strings, where the escape means the same.
pub fn escape_unsafe(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    for c in doc.chars() {
        if c != '\n' && crate::model::text::is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The kinds of document tkt prints, by the name `tkt schema KIND` takes, with what each is.
pub const KINDS: [(&str, &str); 17] = [
    ("ticket", "a ticket as staff see it: show"),
    (
        "external-ticket",
        "a ticket as its requester and CCs see it: show --as a customer",
    ),
    ("list", "the tickets a viewer may see: list"),
    ("person", "a person, wherever one appears"),
    (
        "people",
        "the CCs or followers of a ticket: cc list, follower list",
    ),
    ("side-conversations", "side list"),
    (
        "answer",
        "what every write answers: new, comment, cc add, ...",
    ),
    ("directory", "the people directory: person list, person add"),
    ("log", "a ticket's history: log"),
    (
        "person-answer",
        "what person add, person edit and person remove answer",
    ),
    ("init", "what init answers"),
    (
        "audience",
        "who sees and who was told of each entry: audience",
    ),
    ("check", "the findings of check"),
    ("templates", "the store's templates: template list"),
    ("report", "store-wide figures: report"),
    ("inbox", "the notifications a person received: inbox"),
    ("mail", "what mail receive answers"),
];

/// The JSON Schema of one kind of document, or None for an unknown kind. Every key is required: tkt
/// writes every key of every object, null where there is no value.
pub fn schema(kind: &str) -> Option<serde_json::Value> {
    let mut schema = schema_of(kind)?.to_value();
    require_every_key(&mut schema);
    Some(schema)
}

fn require_every_key(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                let keys: Vec<Value> = properties.keys().cloned().map(Value::String).collect();
                map.insert("required".into(), Value::Array(keys));
            }
            map.values_mut().for_each(require_every_key);
        }
        Value::Array(items) => items.iter_mut().for_each(require_every_key),
        _ => {}
    }
}

fn schema_of(kind: &str) -> Option<Schema> {
    Some(match kind {
        "ticket" => schema_for!(TicketDoc),
        "external-ticket" => schema_for!(ExternalView),
        "list" => schema_for!(Vec<RowDoc>),
        "person" => schema_for!(Label),
        "people" => schema_for!(Vec<Label>),
        "side-conversations" => schema_for!(Vec<SideDoc>),
        "answer" => schema_for!(Answer),
        "directory" => schema_for!(Vec<crate::model::Person>),
        "log" => schema_for!(Vec<LogEntry>),
        "person-answer" => schema_for!(PersonAnswer),
        "init" => schema_for!(InitAnswer),
        "audience" => schema_for!(crate::render::audience::AudienceDoc),
        "inbox" => schema_for!(Vec<crate::model::inbox::Letter>),
        "mail" => schema_for!(MailAnswer),
        "check" => schema_for!(crate::render::check::CheckDoc),
        "templates" => schema_for!(Vec<crate::render::template::TemplateDoc>),
        "report" => schema_for!(crate::render::report::ReportDoc),
        _ => return None,
    })
}
