//! A ticket's history as one viewer may read it (`tkt log`): the events `model::visibility` lets them
//! see, each with who did it named the way their view names people.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::naming::{self, Label};
use crate::model::ticket::{Time, Visibility};
use crate::model::visibility::{self, Access};
use crate::model::{Event, People, Ticket, Who};

/// One event of the history, the JSON contract's "Event". Absent values are null; see `model::event`
/// for the vocabulary. `by` is a person as the viewer may know them; the desk itself (staff an external
/// viewer is not told about) has every field null but `staff`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename = "Event", deny_unknown_fields)]
pub struct LogEntry {
    pub at: Time,
    pub by: Label,
    pub action: String,
    pub field: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: Option<String>,
    pub comment: Option<u32>,
    pub visibility: Option<Visibility>,
    pub side: Option<u32>,
    pub message: Option<u32>,
    /// The free text of an entry written before events were structured (staff only).
    pub detail: Option<String>,
}

/// The history of `ticket` for `viewer` (None: the full staff view) in time order (entries with the same
/// time in the order they were recorded), or None when they have no access.
pub fn log(ticket: &Ticket, viewer: Option<&Who>, people: &People) -> Option<Vec<LogEntry>> {
    let access = visibility::access_of(ticket, viewer);
    if access == Access::None {
        return None;
    }
    let mut entries: Vec<LogEntry> = visibility::visible_events(ticket, access, viewer)
        .into_iter()
        .map(|e| entry(ticket, e, access, people))
        .collect();
    entries.sort_by_key(|e| e.at);
    Some(entries)
}

/// One event as a viewer with `access` may read it.
pub fn entry(ticket: &Ticket, e: Event, access: Access, people: &People) -> LogEntry {
    LogEntry {
        at: e.at,
        by: actor(ticket, &e.by, access, people),
        action: e.action,
        field: e.field,
        from: e.from,
        to: e.to,
        reason: e.reason,
        comment: e.comment,
        visibility: e.visibility,
        side: e.side,
        message: e.message,
        detail: e.detail,
    }
}

fn actor(ticket: &Ticket, by: &str, access: Access, people: &People) -> Label {
    if by.is_empty() {
        return Label {
            handle: None,
            name: None,
            email: None,
            staff: true,
        };
    }
    if access == Access::External {
        naming::for_external(ticket, by, people)
    } else {
        naming::for_staff(ticket, by, people)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::event::Member;
    use crate::model::{Person, Role, Status};
    use crate::yaml::Extra;
    use chrono::{Duration, TimeZone, Utc};

    fn people() -> People {
        let p = |handle: &str, name: &str, role| Person {
            handle: handle.into(),
            name: name.into(),
            email: format!("{handle}@acme.example"),
            role,
            extra: Extra::new(),
        };
        People {
            people: vec![
                p("jonas", "Jonas Berg", Role::Agent),
                p("mette", "Mette Hansen", Role::Agent),
                p("anders", "Anders Teknik", Role::Agent),
            ],
            merge_conflicts: Vec::new(),
            extra: Extra::new(),
        }
    }

    /// Ana asks; Jonas copies Bob, notes internally, asks Anders on the side, answers publicly and
    /// solves it; Mette follows.
    fn ticket() -> Ticket {
        let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let at = |m: i64| t0 + Duration::minutes(m);
        let ana = "ana@customer.example";
        let mut t = Ticket::new(1, "s".into(), ana.into(), t0);
        t.add_comment(at(0), ana, Visibility::Public, "help".into());
        t.record(Event::created(at(0), "jonas"));
        t.cc.push(crate::model::Cc {
            email: "bob@agency.example".into(),
            name: Some("Bob Field".into()),
            extra: Extra::new(),
        });
        t.record(Event::added(
            at(1),
            "jonas",
            Member::Cc,
            "bob@agency.example",
        ));
        let note = t.add_comment(at(2), "jonas", Visibility::Internal, "@mette".into());
        t.record(Event::commented(at(2), "jonas", note, Visibility::Internal));
        t.followers.push("mette".into());
        t.record(Event::added(at(2), "jonas", Member::Follower, "mette").because("mentioned"));
        let side = t.open_side(
            at(3),
            "jonas",
            "q".into(),
            vec!["jonas".into(), "anders".into()],
        );
        t.record(Event::side_opened(at(3), "jonas", side));
        let reply = t.add_comment(at(4), "jonas", Visibility::Public, "answer".into());
        t.record(Event::commented(at(4), "jonas", reply, Visibility::Public));
        t.record(Event::status(at(4), "jonas", Status::New, Status::OnHold));
        t
    }

    fn who(handle: &str) -> Who {
        Who::Staff {
            handle: handle.into(),
            role: Role::Agent,
            email: format!("{handle}@acme.example"),
        }
    }

    #[test]
    fn staff_read_every_event_with_handles() {
        let log = log(&ticket(), None, &people()).unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "create",
                "cc.add",
                "comment",
                "follower.add",
                "side.open",
                "comment",
                "status"
            ]
        );
        assert_eq!(log[0].by.handle.as_deref(), Some("jonas"));
        assert_eq!(log[2].comment, Some(2));
    }

    #[test]
    fn a_customer_reads_only_their_thread_and_cc_changes() {
        let ana = Who::External {
            email: "ana@customer.example".into(),
        };
        let log = log(&ticket(), Some(&ana), &people()).unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "cc.add", "comment"]);
        for e in &log {
            assert_eq!(e.comment, None, "no comment numbers");
            assert_eq!(e.by.handle, None, "no handles");
            assert_eq!(e.detail, None);
        }
        // Jonas replied publicly, so he is named there; copying Bob was the desk's doing.
        assert_eq!(log[2].by.name.as_deref(), Some("Jonas Berg"));
        assert_eq!(log[1].by.name, None);
        assert!(log[1].by.staff);
    }

    #[test]
    fn a_comment_made_private_leaves_the_customers_history() {
        let mut t = ticket();
        t.comments[2].visibility = Visibility::Internal;
        let bob = Who::External {
            email: "bob@agency.example".into(),
        };
        let log = log(&t, Some(&bob), &people()).unwrap();
        assert!(log.iter().all(|e| e.action != "comment"), "{log:?}");
    }

    #[test]
    fn staff_outside_a_side_conversation_do_not_see_its_events() {
        let mut t = ticket();
        t.followers.clear();
        let log = log(&t, Some(&who("mette")), &people()).unwrap();
        assert!(log.iter().all(|e| e.side.is_none()), "{log:?}");
        let anders = super::log(&t, Some(&who("anders")), &people()).unwrap();
        assert!(anders.iter().any(|e| e.action == "side.open"));
    }

    #[test]
    fn an_outsider_has_no_history() {
        let eve = Who::External {
            email: "eve@elsewhere.example".into(),
        };
        assert!(log(&ticket(), Some(&eve), &people()).is_none());
    }
}
