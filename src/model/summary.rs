//! What `tkt list` needs of a ticket, small enough to cache for every ticket in the store.

use serde::{Deserialize, Serialize};

use crate::model::ticket::Time;
use crate::model::visibility::Parties;
use crate::model::{Priority, SideState, Status, Ticket};

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
}

impl Summary {
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
