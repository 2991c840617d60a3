//! The event log's vocabulary (SPEC §2): one structured entry per change, so "when was it solved?" needs
//! no string parsing. Entries written before events were structured carry free text in `detail`; they
//! are read as structured entries (`Event::structured`) and never rewritten.

use serde::{Deserialize, Serialize};

use crate::model::ticket::{Status, Time, Visibility};
use crate::yaml::Extra;

/// One line of the audit trail: who (`by`) did what (`action`) when (`at`), and the details of the
/// change. `side` ties an event to a side conversation so that viewers who may not see that conversation
/// do not see its events either.
///
/// | action | field | from | to | other keys |
/// |---|---|---|---|---|
/// | `create` | | | | |
/// | `status` | `status` | old status | new status | `reason`: `answered`, `customer replied`, `ticket closed` |
/// | `assign` | `assignee` | old handle | new handle | |
/// | `edit` | `subject`, `priority`, `group`, `requester` | old value | new value | |
/// | `comment` | | | | `comment`, `visibility` |
/// | `comment.private` | `visibility` | `public` | `internal` | `comment` |
/// | `cc.add`, `cc.remove` | `cc` | (remove) address | (add) address | |
/// | `follower.add`, `follower.remove` | `followers` | (remove) handle | (add) handle | `reason`: `commented`, `mentioned`, `agent CC` |
/// | `tag.add`, `tag.remove` | `tags` | (remove) tag | (add) tag | |
/// | `side.open` | | | | `side` |
/// | `side.message` | | | | `side`, `message` |
/// | `side.invite` | `participants` | | handle | `side` |
/// | `side.resolve`, `side.reopen` | `state` | old state | new state | `side`, `reason` |
/// | `mail` | `message` | | the kept message (`mail/….eml`) | `comment` (or `side` and `message`), `visibility`, `reason`: the email rule that decided |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: Time,
    pub by: String,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The comment an event is about (its number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<u32>,
    /// The side-conversation message an event is about (its number within the side conversation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<u32>,
    /// Free text of entries written before events were structured; kept as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A list on a ticket that people or words are added to and removed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    Cc,
    Follower,
    Tag,
}

impl Member {
    fn action(self, add: bool) -> &'static str {
        match (self, add) {
            (Member::Cc, true) => "cc.add",
            (Member::Cc, false) => "cc.remove",
            (Member::Follower, true) => "follower.add",
            (Member::Follower, false) => "follower.remove",
            (Member::Tag, true) => "tag.add",
            (Member::Tag, false) => "tag.remove",
        }
    }

    fn field(self) -> &'static str {
        match self {
            Member::Cc => "cc",
            Member::Follower => "followers",
            Member::Tag => "tags",
        }
    }
}

/// A value of an event; empty text (an old entry's unassignment has no detail) is no value.
fn text(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(str::to_string)
}

impl Event {
    /// An event with nothing but its action; the constructors below fill in the rest.
    pub fn new(at: Time, by: &str, action: &str) -> Event {
        Event {
            at,
            by: by.to_string(),
            action: action.to_string(),
            field: None,
            from: None,
            to: None,
            reason: None,
            comment: None,
            visibility: None,
            side: None,
            message: None,
            detail: None,
            extra: Extra::new(),
        }
    }

    fn change(mut self, field: &str, from: Option<&str>, to: Option<&str>) -> Event {
        self.field = Some(field.to_string());
        self.from = text(from);
        self.to = text(to);
        self
    }

    /// The same event with a reason ("answered", "mentioned").
    pub fn because(mut self, reason: &str) -> Event {
        self.reason = Some(reason.to_string());
        self
    }

    pub fn created(at: Time, by: &str) -> Event {
        Event::new(at, by, "create")
    }

    pub fn status(at: Time, by: &str, from: Status, to: Status) -> Event {
        Event::new(at, by, "status").change("status", Some(from.as_str()), Some(to.as_str()))
    }

    pub fn assigned(at: Time, by: &str, from: Option<&str>, to: Option<&str>) -> Event {
        Event::new(at, by, "assign").change("assignee", from, to)
    }

    /// A change of one of the ticket's own fields: `subject`, `priority`, `group`, `requester`.
    pub fn edited(at: Time, by: &str, field: &str, from: Option<&str>, to: Option<&str>) -> Event {
        Event::new(at, by, "edit").change(field, from, to)
    }

    pub fn commented(at: Time, by: &str, n: u32, visibility: Visibility) -> Event {
        let mut e = Event::new(at, by, "comment");
        e.comment = Some(n);
        e.visibility = Some(visibility);
        e
    }

    /// An entry arrived by mail: `reason` is the rule that made it public or internal, `kept` the whole
    /// message's file in the store (`mail/….eml`). The entry is named by `on_comment` or `in_side`.
    pub fn mail(at: Time, by: &str, visibility: Visibility, reason: &str, kept: &str) -> Event {
        let mut e = Event::new(at, by, "mail").change("message", None, Some(kept));
        e.visibility = Some(visibility);
        e.because(reason)
    }

    /// The same event about comment `n`.
    pub fn on_comment(mut self, n: u32) -> Event {
        self.comment = Some(n);
        self
    }

    /// The same event about message `message` of side conversation `side` (hidden, like the side
    /// conversation's own events, from whoever may not see it).
    pub fn in_side(mut self, side: u32, message: u32) -> Event {
        self.side = Some(side);
        self.message = Some(message);
        self
    }

    pub fn made_private(at: Time, by: &str, n: u32) -> Event {
        let mut e = Event::new(at, by, "comment.private").change(
            "visibility",
            Some("public"),
            Some("internal"),
        );
        e.comment = Some(n);
        e
    }

    pub fn added(at: Time, by: &str, member: Member, value: &str) -> Event {
        Event::new(at, by, member.action(true)).change(member.field(), None, Some(value))
    }

    pub fn removed(at: Time, by: &str, member: Member, value: &str) -> Event {
        Event::new(at, by, member.action(false)).change(member.field(), Some(value), None)
    }

    fn on_side(mut self, n: u32) -> Event {
        self.side = Some(n);
        self
    }

    pub fn side_opened(at: Time, by: &str, n: u32) -> Event {
        Event::new(at, by, "side.open").on_side(n)
    }

    pub fn side_message(at: Time, by: &str, n: u32, message: u32) -> Event {
        let mut e = Event::new(at, by, "side.message").on_side(n);
        e.message = Some(message);
        e
    }

    pub fn side_invited(at: Time, by: &str, n: u32, handle: &str) -> Event {
        Event::new(at, by, "side.invite")
            .change("participants", None, Some(handle))
            .on_side(n)
    }

    pub fn side_resolved(at: Time, by: &str, n: u32) -> Event {
        Event::new(at, by, "side.resolve")
            .change("state", Some("open"), Some("resolved"))
            .on_side(n)
    }

    pub fn side_reopened(at: Time, by: &str, n: u32) -> Event {
        Event::new(at, by, "side.reopen")
            .change("state", Some("resolved"), Some("open"))
            .on_side(n)
    }

    /// Whether the event says nothing but its action and perhaps free text: an entry from before events
    /// were structured (an unassignment then had no text at all).
    fn is_legacy(&self) -> bool {
        self.field.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.comment.is_none()
            && self.message.is_none()
    }

    /// The event with its structured keys, reading an old entry's `detail` ("new -> open (answered)",
    /// "3 public", "1.2", "1 anders") the way tkt used to write it. `detail` itself stays as it was; text
    /// that does not read as the action's old form is left in `detail` alone.
    pub fn structured(&self) -> Event {
        if !self.is_legacy() {
            return self.clone();
        }
        let detail = self.detail.as_deref().unwrap_or_default();
        let mut e = self.clone();
        let (value, reason) = split_reason(detail);
        match self.action.as_str() {
            "status" => {
                if let Some((from, to)) = value.split_once(" -> ") {
                    e = e.change("status", Some(from), Some(to));
                    e.reason = text(reason);
                }
            }
            "assign" => e = e.change("assignee", None, Some(detail)),
            "comment" => {
                let (n, kind) = detail.split_once(' ').unwrap_or((detail, ""));
                e.comment = n.parse().ok();
                e.visibility = match kind {
                    "public" => Some(Visibility::Public),
                    "internal" => Some(Visibility::Internal),
                    _ => None,
                };
            }
            "comment.private" => {
                e.comment = detail.parse().ok();
                if e.comment.is_some() {
                    e = e.change("visibility", Some("public"), Some("internal"));
                }
            }
            "cc.add" => e = e.change("cc", None, Some(detail)),
            "cc.remove" => e = e.change("cc", Some(detail), None),
            "follower.add" => {
                e = e.change("followers", None, Some(value));
                e.reason = text(reason);
            }
            "follower.remove" => e = e.change("followers", Some(detail), None),
            "tag.add" => e = e.change("tags", None, Some(detail)),
            "tag.remove" => e = e.change("tags", Some(detail), None),
            "side.message" => {
                let (n, m) = detail.split_once('.').unwrap_or((detail, ""));
                e.side = e.side.or(n.parse().ok());
                e.message = m.parse().ok();
            }
            "side.invite" => {
                let (n, handle) = detail.split_once(' ').unwrap_or((detail, ""));
                e.side = e.side.or(n.parse().ok());
                e = e.change("participants", None, Some(handle));
            }
            "side.open" | "side.resolve" | "side.reopen" => {
                e.side = e.side.or(detail.parse().ok());
                match self.action.as_str() {
                    "side.resolve" => e = e.change("state", Some("open"), Some("resolved")),
                    "side.reopen" => e = e.change("state", Some("resolved"), Some("open")),
                    _ => {}
                }
            }
            _ => {}
        }
        e
    }
}

/// `"mette (mentioned)"` as `("mette", Some("mentioned"))`.
fn split_reason(detail: &str) -> (&str, Option<&str>) {
    match detail.strip_suffix(')').and_then(|d| d.split_once(" (")) {
        Some((value, reason)) => (value, Some(reason)),
        None => (detail, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn at() -> Time {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn old(action: &str, detail: &str) -> Event {
        let mut e = Event::new(at(), "jonas", action);
        e.detail = Some(detail.to_string());
        e.structured()
    }

    #[test]
    fn a_status_change_says_from_what_to_what_and_why() {
        let e = Event::status(at(), "jonas", Status::New, Status::Open).because("answered");
        assert_eq!(e.action, "status");
        assert_eq!(e.field.as_deref(), Some("status"));
        assert_eq!(e.from.as_deref(), Some("new"));
        assert_eq!(e.to.as_deref(), Some("open"));
        assert_eq!(e.reason.as_deref(), Some("answered"));
    }

    #[test]
    fn additions_name_what_was_added_in_to_and_removals_in_from() {
        let add = Event::added(at(), "jonas", Member::Cc, "bob@agency.example");
        assert_eq!(
            (add.action.as_str(), add.field.as_deref()),
            ("cc.add", Some("cc"))
        );
        assert_eq!(
            (add.from, add.to.as_deref()),
            (None, Some("bob@agency.example"))
        );
        let remove = Event::removed(at(), "jonas", Member::Tag, "vip");
        assert_eq!(remove.action, "tag.remove");
        assert_eq!((remove.from.as_deref(), remove.to), (Some("vip"), None));
    }

    #[test]
    fn side_conversation_events_are_tied_to_their_side() {
        for e in [
            Event::side_opened(at(), "jonas", 2),
            Event::side_message(at(), "jonas", 2, 1),
            Event::side_invited(at(), "jonas", 2, "anders"),
            Event::side_resolved(at(), "jonas", 2),
            Event::side_reopened(at(), "jonas", 2),
        ] {
            assert_eq!(e.side, Some(2), "{}", e.action);
            assert!(e.action.starts_with("side."));
        }
    }

    #[test]
    fn old_entries_read_as_structured_ones() {
        let s = old("status", "new -> open (answered)");
        assert_eq!(
            (s.from.as_deref(), s.to.as_deref(), s.reason.as_deref()),
            (Some("new"), Some("open"), Some("answered"))
        );
        assert_eq!(s.detail.as_deref(), Some("new -> open (answered)"));
        let c = old("comment", "3 public");
        assert_eq!(
            (c.comment, c.visibility),
            (Some(3), Some(Visibility::Public))
        );
        let f = old("follower.add", "mette (mentioned)");
        assert_eq!(
            (f.to.as_deref(), f.reason.as_deref()),
            (Some("mette"), Some("mentioned"))
        );
        let m = old("side.message", "1.2");
        assert_eq!((m.side, m.message), (Some(1), Some(2)));
        let i = old("side.invite", "1 anders");
        assert_eq!((i.side, i.to.as_deref()), (Some(1), Some("anders")));
        let p = old("comment.private", "4");
        assert_eq!(p.comment, Some(4));
    }

    #[test]
    fn unknown_actions_and_odd_text_stay_as_they_are() {
        let e = old("escalate", "to tier 3");
        assert_eq!(e.field, None);
        assert_eq!(e.detail.as_deref(), Some("to tier 3"));
        let s = old("status", "whatever");
        assert_eq!(s.from, None);
        let structured = Event::commented(at(), "jonas", 1, Visibility::Internal);
        assert_eq!(structured.structured(), structured);
        let mut unassigned = Event::new(structured.at, "jonas", "assign");
        unassigned.detail = None;
        assert_eq!(
            unassigned.structured().to,
            None,
            "an old unassignment is to nobody"
        );
    }
}
