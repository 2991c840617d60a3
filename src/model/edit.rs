//! Editing a ticket's own fields (`tkt edit`): each change one `edit` event, nothing for a value that
//! is already so. Who may edit, and what a valid value is, is checked before (`model::permission`).

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::event::{Event, Member};
use crate::model::ticket::Time;
use crate::model::{Person, Priority, Ticket};

/// One field a change set: its name and its value before and after (null: none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What an edit of a directory entry changed: name, email and role, in that order.
pub fn person_changes(before: &Person, after: &Person) -> Vec<FieldChange> {
    let change = |field: &str, from: &str, to: &str| {
        (from != to).then(|| FieldChange {
            field: field.to_string(),
            from: Some(from.to_string()),
            to: Some(to.to_string()),
        })
    };
    [
        change("name", &before.name, &after.name),
        change("email", &before.email, &after.email),
        change("role", before.role.as_str(), after.role.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The new values; None leaves a field alone. `group: Some(None)` clears the group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edits {
    pub subject: Option<String>,
    pub priority: Option<Priority>,
    pub group: Option<Option<String>>,
    /// An external address, already checked.
    pub requester: Option<String>,
}

/// Applies `edits` as `by` at `at`, recording an event per change; returns the changes.
pub fn apply(ticket: &mut Ticket, edits: &Edits, by: &str, at: Time) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut set = |ticket: &mut Ticket, field: &str, from: Option<String>, to: Option<String>| {
        ticket.record(Event::edited(at, by, field, from.as_deref(), to.as_deref()));
        changes.push(FieldChange {
            field: field.to_string(),
            from,
            to,
        });
    };
    if let Some(subject) = edits.subject.as_ref().filter(|s| **s != ticket.subject) {
        let old = std::mem::replace(&mut ticket.subject, subject.clone());
        set(ticket, "subject", Some(old), Some(subject.clone()));
    }
    if let Some(priority) = edits.priority.filter(|p| *p != ticket.priority) {
        let old = std::mem::replace(&mut ticket.priority, priority);
        let text = |p: Priority| Some(p.as_str().to_string());
        set(ticket, "priority", text(old), text(priority));
    }
    if let Some(group) = edits.group.as_ref().filter(|g| **g != ticket.group) {
        let old = std::mem::replace(&mut ticket.group, group.clone());
        set(ticket, "group", old, group.clone());
    }
    if let Some(requester) = edits.requester.as_ref().filter(|r| !ticket.is_requester(r)) {
        let old = std::mem::replace(&mut ticket.requester, requester.clone());
        set(ticket, "requester", Some(old), Some(requester.clone()));
        // The requester is on the thread as the requester, not as a CC too.
        if let Some(at_cc) = ticket
            .cc
            .iter()
            .position(|c| c.email.eq_ignore_ascii_case(requester))
        {
            ticket.cc.remove(at_cc);
            ticket.record(Event::removed(at, by, Member::Cc, requester));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn ticket() -> Ticket {
        let mut t = Ticket::new(7, "Old".into(), "ana@customer.example".into(), Utc::now());
        t.cc.push(crate::model::Cc {
            email: "bob@agency.example".into(),
            name: None,
            extra: crate::yaml::Extra::new(),
        });
        t
    }

    #[test]
    fn each_change_is_one_event_and_unchanged_values_none() {
        let mut t = ticket();
        let edits = Edits {
            subject: Some("New".into()),
            priority: Some(Priority::Normal),
            group: Some(Some("Billing".into())),
            requester: None,
        };
        let changes = apply(&mut t, &edits, "jonas", Utc::now());
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["subject", "group"]);
        assert_eq!(t.events.len(), 2);
        assert_eq!(t.events[0].from.as_deref(), Some("Old"));
        assert_eq!(t.events[1].to.as_deref(), Some("Billing"));
        let again = apply(&mut t, &edits, "jonas", Utc::now());
        assert!(again.is_empty());
    }

    #[test]
    fn clearing_the_group_records_to_null() {
        let mut t = ticket();
        t.group = Some("Billing".into());
        let edits = Edits {
            group: Some(None),
            ..Edits::default()
        };
        apply(&mut t, &edits, "jonas", Utc::now());
        assert_eq!(t.group, None);
        assert_eq!(t.events[0].to, None);
        assert_eq!(t.events[0].field.as_deref(), Some("group"));
    }

    #[test]
    fn a_cc_who_becomes_the_requester_leaves_the_cc_list() {
        let mut t = ticket();
        let edits = Edits {
            requester: Some("bob@agency.example".into()),
            ..Edits::default()
        };
        apply(&mut t, &edits, "jonas", Utc::now());
        assert_eq!(t.requester, "bob@agency.example");
        assert!(t.cc.is_empty());
        assert_eq!(t.events[1].action, "cc.remove");
    }
}
