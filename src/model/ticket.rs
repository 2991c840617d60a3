//! A ticket and what it holds: CCs, followers, comments, side conversations and the event log (SPEC §2).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::model::event::Event;
use crate::yaml::Extra;

pub type Time = DateTime<Utc>;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    New,
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
}

impl Status {
    /// Solved or closed: nobody works on the ticket any more (the others are `query::UNSOLVED`).
    pub fn is_solved(self) -> bool {
        matches!(self, Status::Solved | Status::Closed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::OnHold => "on-hold",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Visibility {
    Public,
    Internal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SideState {
    Open,
    Resolved,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cc {
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A reply or an internal note. `n` is the number people type (`make-private 7 3`); `id` is a short
/// hash of the entry that stays the same on every branch, so a future merge can keep it exactly once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub n: u32,
    /// Filled in on load when a hand-written entry leaves it out.
    #[serde(default)]
    pub id: String,
    pub at: Time,
    pub author: String,
    pub visibility: Visibility,
    pub body: String,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub n: u32,
    #[serde(default)]
    pub id: String,
    pub at: Time,
    pub author: String,
    pub body: String,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideConversation {
    pub n: u32,
    pub subject: String,
    pub state: SideState,
    pub participants: Vec<String>,
    pub opened_by: String,
    pub opened_at: Time,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Time>,
    #[serde(default)]
    pub messages: Vec<Message>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A ticket as stored in `<id>.yaml`. Field order here is the key order in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: u64,
    pub subject: String,
    pub status: Status,
    #[serde(default)]
    pub priority: Priority,
    pub requester: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub created: Time,
    pub updated: Time,
    #[serde(default)]
    pub cc: Vec<Cc>,
    #[serde(default)]
    pub followers: Vec<String>,
    #[serde(default)]
    pub comments: Vec<Comment>,
    #[serde(default)]
    pub side_conversations: Vec<SideConversation>,
    #[serde(default)]
    pub events: Vec<Event>,
    /// What a git merge left for a person to decide (`tkt git settle`); empty in every settled file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merge_conflicts: Vec<crate::model::merge::MergeConflict>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A short, stable identity for an entry: 8 hex digits of FNV-1a over what the entry is. No randomness,
/// so the same commands with the same clock give the same bytes.
pub fn entry_id(parts: &[&str]) -> String {
    let hash = fnv64(parts.iter().flat_map(|part| part.bytes().chain([0u8])));
    format!("{:08x}", (hash >> 32) ^ (hash & 0xffff_ffff))
}

/// 64-bit FNV-1a of `bytes`: a stable name for something, not a secret (whoever relies on it being
/// unique compares what it names).
pub fn fnv64(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `entry_id` of `parts`, made unique on the ticket: two identical notes by one author at one instant
/// are still two entries, so the second takes the id of its parts and a counter. The first keeps the
/// id it always had, so ids already written never change.
pub fn unused_id(taken: &std::collections::HashSet<String>, parts: &[&str]) -> String {
    let mut id = entry_id(parts);
    let mut salt = 1u32;
    while taken.contains(&id) {
        let counter = salt.to_string();
        let mut salted = parts.to_vec();
        salted.push(&counter);
        id = entry_id(&salted);
        salt += 1;
    }
    id
}

/// Whether `value` may name whoever wrote an entry or made a change: a handle or an address.
pub fn is_valid_actor(value: &str) -> bool {
    use crate::model::address::{is_valid_email, is_valid_handle};
    is_valid_handle(value) || is_valid_email(value)
}

/// Entry numbers are what people type: each at most once, from 1, and below the largest `u32` so that
/// the next entry still has a number.
fn numbers(list: &str, ns: impl Iterator<Item = u32> + Clone) -> Result<(), String> {
    // tkt numbers entries upwards: numbers that only ever go up, from 1 and below the largest, are
    // each there once, without a set to remember them.
    let mut last = 0;
    if ns.clone().all(|n| {
        let up = n > last && n != u32::MAX;
        last = n;
        up
    }) {
        return Ok(());
    }
    let mut seen = std::collections::HashSet::new();
    for (i, n) in ns.enumerate() {
        if n == 0 || n == u32::MAX {
            return Err(format!(
                "{list}[{i}].n: {n} is not a number from 1 to {}",
                u32::MAX - 1
            ));
        }
        if !seen.insert(n) {
            return Err(format!("{list}[{i}].n: number {n} appears twice"));
        }
    }
    Ok(())
}

impl Ticket {
    pub fn new(id: u64, subject: String, requester: String, now: Time) -> Ticket {
        Ticket {
            id,
            subject,
            status: Status::New,
            priority: Priority::Normal,
            requester,
            assignee: None,
            group: None,
            tags: Vec::new(),
            created: now,
            updated: now,
            cc: Vec::new(),
            followers: Vec::new(),
            comments: Vec::new(),
            side_conversations: Vec::new(),
            events: Vec::new(),
            merge_conflicts: Vec::new(),
            extra: Extra::new(),
        }
    }

    /// Checks what serde cannot; `file_id` is the id the file name gives.
    pub fn validate(&self, file_id: u64) -> Result<(), String> {
        use crate::model::address::is_valid_email;
        if self.id != file_id {
            return Err(format!(
                "id: the file says {} but its name says {file_id}",
                self.id
            ));
        }
        if !is_valid_email(&self.requester) {
            return Err(format!("requester: invalid address {:?}", self.requester));
        }
        for (i, cc) in self.cc.iter().enumerate() {
            if !is_valid_email(&cc.email) {
                return Err(format!("cc[{i}].email: invalid address {:?}", cc.email));
            }
        }
        self.validate_staff_fields()?;
        self.validate_authors()?;
        numbers("comments", self.comments.iter().map(|c| c.n))?;
        numbers(
            "side_conversations",
            self.side_conversations.iter().map(|s| s.n),
        )?;
        for (i, s) in self.side_conversations.iter().enumerate() {
            numbers(
                &format!("side_conversations[{i}].messages"),
                s.messages.iter().map(|m| m.n),
            )?;
        }
        Ok(())
    }

    /// Whoever wrote an entry or made a change is named by a handle or an address: free text there (a
    /// hand edit such as `author: Jonas Berg`) could not be told from the desk.
    fn validate_authors(&self) -> Result<(), String> {
        // The field's name is built only for an error: this runs for every entry of every ticket listed.
        let check = |field: &dyn Fn() -> String, value: &str| {
            if is_valid_actor(value) {
                Ok(())
            } else {
                Err(format!(
                    "{}: {value:?} is neither a handle nor an address",
                    field()
                ))
            }
        };
        for (i, c) in self.comments.iter().enumerate() {
            check(&|| format!("comments[{i}].author"), &c.author)?;
        }
        for (i, s) in self.side_conversations.iter().enumerate() {
            for (j, m) in s.messages.iter().enumerate() {
                check(
                    &|| format!("side_conversations[{i}].messages[{j}].author"),
                    &m.author,
                )?;
            }
        }
        for (i, e) in self.events.iter().enumerate() {
            // An empty `by` is the desk itself (an event written without a person).
            if !e.by.is_empty() {
                check(&|| format!("events[{i}].by"), &e.by)?;
            }
        }
        Ok(())
    }

    /// Followers, the assignee and side-conversation participants are staff, named by handle: an
    /// address there (a hand edit) would give a customer a staff member's place.
    fn validate_staff_fields(&self) -> Result<(), String> {
        use crate::model::address::is_valid_handle;
        let check = |field: &dyn Fn() -> String, value: &str| {
            if is_valid_handle(value) {
                Ok(())
            } else {
                Err(format!("{}: {value:?} is not a staff handle", field()))
            }
        };
        if let Some(a) = &self.assignee {
            check(&|| "assignee".into(), a)?;
        }
        for (i, f) in self.followers.iter().enumerate() {
            check(&|| format!("followers[{i}]"), f)?;
        }
        for (i, s) in self.side_conversations.iter().enumerate() {
            check(
                &|| format!("side_conversations[{i}].opened_by"),
                &s.opened_by,
            )?;
            for (j, p) in s.participants.iter().enumerate() {
                check(&|| format!("side_conversations[{i}].participants[{j}]"), p)?;
            }
        }
        Ok(())
    }

    /// Gives entries written by hand without an `id` the one tkt would have given them.
    pub fn fill_missing_ids(&mut self) {
        let ticket = self.id.to_string();
        let mut taken = self.entry_ids();
        for c in self.comments.iter_mut().filter(|c| c.id.is_empty()) {
            c.id = unused_id(&taken, &[&ticket, &c.at.to_rfc3339(), &c.author, &c.body]);
            taken.insert(c.id.clone());
        }
        for s in &mut self.side_conversations {
            let side = s.n.to_string();
            for m in s.messages.iter_mut().filter(|m| m.id.is_empty()) {
                m.id = unused_id(
                    &taken,
                    &[&ticket, &side, &m.at.to_rfc3339(), &m.author, &m.body],
                );
                taken.insert(m.id.clone());
            }
        }
    }

    /// The ids of every comment and side-conversation message: one set, since an id alone names an
    /// entry (`make-private 42 9f3a61c2`).
    pub fn entry_ids(&self) -> std::collections::HashSet<String> {
        let comments = self.comments.iter().map(|c| c.id.clone());
        let messages = self
            .side_conversations
            .iter()
            .flat_map(|s| s.messages.iter().map(|m| m.id.clone()));
        comments
            .chain(messages)
            .filter(|id| !id.is_empty())
            .collect()
    }

    pub fn is_requester(&self, email: &str) -> bool {
        self.requester.eq_ignore_ascii_case(email)
    }

    pub fn is_cc(&self, email: &str) -> bool {
        self.cc.iter().any(|c| c.email.eq_ignore_ascii_case(email))
    }

    /// The comments posted publicly and later made private (the audit trail says so), found in one
    /// pass over the events so that a view of a long ticket stays linear.
    pub fn made_private(&self) -> std::collections::HashSet<u32> {
        self.events
            .iter()
            .filter(|e| e.action == "comment.private")
            .filter_map(|e| e.structured().comment)
            .collect()
    }

    pub fn is_follower(&self, handle: &str) -> bool {
        self.followers.iter().any(|f| f == handle)
    }

    pub fn is_assignee(&self, handle: &str) -> bool {
        self.assignee.as_deref() == Some(handle)
    }

    /// The number of the comment `reference` names: its number as `show` shows it to staff, or its
    /// stable id (numbers can move when branches merge; ids never do).
    pub fn comment_by_ref(&self, reference: &str) -> Option<u32> {
        let by_number = reference
            .parse::<u32>()
            .ok()
            .filter(|n| self.comments.iter().any(|c| c.n == *n));
        by_number.or_else(|| {
            self.comments
                .iter()
                .find(|c| c.id.eq_ignore_ascii_case(reference))
                .map(|c| c.n)
        })
    }

    /// The number of the side conversation `reference` names: its number, or the stable id of any of
    /// its messages (the first one names the conversation for good).
    pub fn side_by_ref(&self, reference: &str) -> Option<u32> {
        let by_number = reference
            .parse::<u32>()
            .ok()
            .filter(|n| self.side_conversations.iter().any(|s| s.n == *n));
        by_number.or_else(|| {
            self.side_conversations
                .iter()
                .find(|s| {
                    s.messages
                        .iter()
                        .any(|m| m.id.eq_ignore_ascii_case(reference))
                })
                .map(|s| s.n)
        })
    }

    pub fn side(&self, n: u32) -> Option<&SideConversation> {
        self.side_conversations.iter().find(|s| s.n == n)
    }

    pub fn side_mut(&mut self, n: u32) -> Option<&mut SideConversation> {
        self.side_conversations.iter_mut().find(|s| s.n == n)
    }

    /// Appends a comment and returns its number.
    pub fn add_comment(
        &mut self,
        at: Time,
        author: &str,
        visibility: Visibility,
        body: String,
    ) -> u32 {
        let n = self.comments.iter().map(|c| c.n).max().unwrap_or(0) + 1;
        let id = unused_id(
            &self.entry_ids(),
            &[&self.id.to_string(), &at.to_rfc3339(), author, &body],
        );
        self.comments.push(Comment {
            n,
            id,
            at,
            author: author.to_string(),
            visibility,
            body,
            extra: Extra::new(),
        });
        n
    }

    /// Opens a side conversation and returns its number.
    pub fn open_side(
        &mut self,
        at: Time,
        by: &str,
        subject: String,
        participants: Vec<String>,
    ) -> u32 {
        let n = self
            .side_conversations
            .iter()
            .map(|s| s.n)
            .max()
            .unwrap_or(0)
            + 1;
        self.side_conversations.push(SideConversation {
            n,
            subject,
            state: SideState::Open,
            participants,
            opened_by: by.to_string(),
            opened_at: at,
            resolved_by: None,
            resolved_at: None,
            messages: Vec::new(),
            extra: Extra::new(),
        });
        n
    }

    /// Records a change in the audit trail.
    pub fn record(&mut self, event: Event) {
        self.events.push(event);
    }

    /// The time of the latest entry on the ticket: a comment, a side-conversation message, an event, or
    /// its opening.
    pub fn latest_entry(&self) -> Time {
        let comments = self.comments.iter().map(|c| c.at);
        let messages = self
            .side_conversations
            .iter()
            .flat_map(|s| s.messages.iter().map(|m| m.at).chain([s.opened_at]));
        let events = self.events.iter().map(|e| e.at);
        comments
            .chain(messages)
            .chain(events)
            .fold(self.created, Time::max)
    }

    /// The newest comment the requester and CCs can read, if any is left.
    pub fn last_public_comment(&self) -> Option<&Comment> {
        self.comments
            .iter()
            .rfind(|c| c.visibility == Visibility::Public)
    }

    /// When the customer last saw something happen: the newest public comment, else creation. External
    /// views show this instead of `updated`, which would betray internal activity.
    pub fn last_public_activity(&self) -> Time {
        self.comments
            .iter()
            .filter(|c| c.visibility == Visibility::Public)
            .map(|c| c.at)
            .max()
            .unwrap_or(self.created)
            .max(self.created)
    }
}

impl SideConversation {
    pub fn resolve(&mut self, by: &str, at: Time) {
        self.state = SideState::Resolved;
        self.resolved_by = Some(by.to_string());
        self.resolved_at = Some(at);
    }

    pub fn reopen(&mut self) {
        self.state = SideState::Open;
        self.resolved_by = None;
        self.resolved_at = None;
    }

    pub fn has_participant(&self, handle: &str) -> bool {
        self.participants.iter().any(|p| p == handle)
    }

    /// Appends a message and returns its number. `taken` holds the ids already on the ticket.
    pub fn add_message(
        &mut self,
        ticket_id: u64,
        taken: &std::collections::HashSet<String>,
        at: Time,
        author: &str,
        body: String,
    ) -> u32 {
        let n = self.messages.iter().map(|m| m.n).max().unwrap_or(0) + 1;
        let id = unused_id(
            taken,
            &[
                &ticket_id.to_string(),
                &self.n.to_string(),
                &at.to_rfc3339(),
                author,
                &body,
            ],
        );
        self.messages.push(Message {
            n,
            id,
            at,
            author: author.to_string(),
            body,
            extra: Extra::new(),
        });
        n
    }
}
