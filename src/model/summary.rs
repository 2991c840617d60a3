//! What `tkt list` (and `tkt report`) needs of a ticket, small enough to cache for every ticket in the
//! store.

use serde::{Deserialize, Serialize};

use crate::model::ticket::Time;
use crate::model::visibility::Parties;
use crate::model::{Priority, SideState, Status, Ticket, Visibility};

/// Its serde form is the list cache's (`store::cache`), so times are stored as numbers, not text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub id: u64,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub requester: String,
    pub assignee: Option<String>,
    pub group: Option<String>,
    pub tags: Vec<String>,
    pub cc: Vec<String>,
    pub followers: Vec<String>,
    #[serde(with = "timestamp")]
    pub created: Time,
    #[serde(with = "timestamp")]
    pub updated: Time,
    #[serde(with = "timestamp")]
    pub last_public: Time,
    /// The participants of each open side conversation.
    pub open_sides: Vec<Vec<String>>,
    /// Every side conversation, open or resolved (`tkt report`).
    pub sides: Vec<SideSummary>,
    /// The comments by what they are now (`tkt report`).
    pub comments: CommentCounts,
}

/// What `tkt report` needs of a side conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideSummary {
    pub participants: Vec<String>,
    pub open: bool,
    /// Its last message, or its opening when it has none: what its age is measured from.
    #[serde(with = "timestamp")]
    pub last_activity: Time,
}

/// A ticket's comments counted by visibility now (a reply made private counts as a note) and, for
/// public ones, by who wrote them: staff are named by handle in a ticket, everyone else by address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentCounts {
    pub internal_notes: u32,
    /// Public comments by staff.
    pub public_replies: u32,
    /// Public comments by anyone else (the requester's opening message, customers' replies).
    pub customer_messages: u32,
}

impl CommentCounts {
    pub fn of(ticket: &Ticket) -> CommentCounts {
        let mut counts = CommentCounts::default();
        for c in &ticket.comments {
            let n = match c.visibility {
                Visibility::Internal => &mut counts.internal_notes,
                Visibility::Public if c.author.contains('@') => &mut counts.customer_messages,
                Visibility::Public => &mut counts.public_replies,
            };
            *n = n.saturating_add(1);
        }
        counts
    }
}

impl Summary {
    /// Whether `who` is on the ticket now, as someone notifications go to: the requester or a CC; for
    /// staff the assignee, a follower, a CC or a side-conversation participant. `tkt inbox` reads only
    /// these tickets.
    pub fn involves(&self, who: &crate::model::Who) -> bool {
        let cc = |email: &str| self.cc.iter().any(|c| c.eq_ignore_ascii_case(email));
        match who {
            crate::model::Who::External { email } => {
                self.requester.eq_ignore_ascii_case(email) || cc(email)
            }
            crate::model::Who::Staff { handle, email, .. } => {
                self.assignee.as_deref() == Some(handle.as_str())
                    || self.followers.iter().any(|f| f == handle)
                    || cc(email)
                    || self
                        .sides
                        .iter()
                        .any(|s| s.participants.iter().any(|p| p == handle))
            }
        }
    }

    pub fn of(ticket: &Ticket) -> Summary {
        Summary {
            id: ticket.id,
            subject: ticket.subject.clone(),
            status: ticket.status,
            priority: ticket.priority,
            requester: ticket.requester.clone(),
            assignee: ticket.assignee.clone(),
            group: ticket.group.clone(),
            tags: ticket.tags.clone(),
            cc: ticket.cc.iter().map(|c| c.email.clone()).collect(),
            followers: ticket.followers.clone(),
            created: ticket.created,
            updated: ticket.updated,
            last_public: ticket.last_public_activity(),
            open_sides: ticket
                .side_conversations
                .iter()
                .filter(|s| s.state == SideState::Open)
                .map(|s| s.participants.clone())
                .collect(),
            sides: ticket
                .side_conversations
                .iter()
                .map(|s| SideSummary {
                    participants: s.participants.clone(),
                    open: s.state == SideState::Open,
                    last_activity: s.messages.iter().map(|m| m.at).fold(s.opened_at, Time::max),
                })
                .collect(),
            comments: CommentCounts::of(ticket),
        }
    }
}

/// A time as seconds and nanoseconds since the epoch: exact, and far cheaper to decode than RFC 3339 text.
mod timestamp {
    use chrono::DateTime;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    use crate::model::ticket::Time;

    pub fn serialize<S: Serializer>(time: &Time, serializer: S) -> Result<S::Ok, S::Error> {
        (time.timestamp(), time.timestamp_subsec_nanos()).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        let (secs, nanos) = <(i64, u32)>::deserialize(deserializer)?;
        DateTime::from_timestamp(secs, nanos).ok_or_else(|| D::Error::custom("time out of range"))
    }
}

impl Parties for Summary {
    fn is_requester(&self, email: &str) -> bool {
        self.requester.eq_ignore_ascii_case(email)
    }
    fn is_cc(&self, email: &str) -> bool {
        self.cc.iter().any(|c| c.eq_ignore_ascii_case(email))
    }
    fn is_follower(&self, handle: &str) -> bool {
        self.followers.iter().any(|f| f == handle)
    }
    fn is_assignee(&self, handle: &str) -> bool {
        self.assignee.as_deref() == Some(handle)
    }
}
