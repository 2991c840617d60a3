//! The message of an auto-commit (`--commit`, `auto_commit` in tkt.yaml): one line saying what a write
//! did, worded from the events it recorded (`#42: cc add bob@agency.example (mette)`). Anyone with the
//! repository reads it, so it never holds the body of a comment or message, nor a side conversation's
//! subject: only the kind of entry and its number.

use crate::model::{Event, Person};

/// What one write did to one file of the store.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A ticket was opened (`opened` holds its subject) or changed; `events` are the events this write
    /// recorded.
    Ticket {
        id: u64,
        opened: Option<String>,
        events: Vec<Event>,
    },
    /// The people directory was rewritten: the handles added, removed and edited.
    People {
        added: Vec<String>,
        removed: Vec<String>,
        edited: Vec<String>,
    },
    /// A store was created (`tkt init`).
    Store,
    /// A file kept beside a ticket's change (a received message under `mail/`): the ticket's change
    /// tells what happened, so this adds nothing to the message.
    Kept,
}

impl Change {
    /// A write of a ticket whose events were `before` and are now `after`: the change holds the events
    /// the write added.
    pub fn ticket(id: u64, before: &[Event], after: &[Event]) -> Change {
        let events = match after.strip_prefix(before) {
            Some(new) => new.to_vec(),
            // Events are only ever appended; should a write ever do otherwise, the ones it added still
            // tell what it did.
            None => after
                .iter()
                .filter(|e| !before.contains(e))
                .cloned()
                .collect(),
        };
        Change::Ticket {
            id,
            opened: None,
            events,
        }
    }

    /// A rewrite of the people directory from `before` to `after`.
    pub fn people(before: &[Person], after: &[Person]) -> Change {
        let find =
            |list: &[Person], handle: &str| list.iter().find(|p| p.handle == handle).cloned();
        let added = after
            .iter()
            .filter(|p| find(before, &p.handle).is_none())
            .map(|p| p.handle.clone())
            .collect();
        let removed = before
            .iter()
            .filter(|p| find(after, &p.handle).is_none())
            .map(|p| p.handle.clone())
            .collect();
        let edited = after
            .iter()
            .filter(|p| find(before, &p.handle).is_some_and(|old| old != **p))
            .map(|p| p.handle.clone())
            .collect();
        Change::People {
            added,
            removed,
            edited,
        }
    }
}

/// The commit message for what one run wrote, done by `actor` (a handle or an address; None when the
/// store was being set up with no actor): each file's change, joined by `; `, then the actor in
/// parentheses.
pub fn message(changes: &[Change], actor: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in changes.iter().map(describe) {
        if !part.is_empty() && !parts.contains(&part) {
            parts.push(part);
        }
    }
    let mut text = parts.join("; ");
    if text.is_empty() {
        text.push_str("tkt");
    }
    if let Some(actor) = actor.filter(|a| !a.is_empty()) {
        text.push_str(&format!(" ({actor})"));
    }
    text
}

fn describe(change: &Change) -> String {
    match change {
        Change::Ticket { id, opened, events } => {
            let mut parts: Vec<(String, Vec<String>)> = Vec::new();
            // A ticket renumbered after a merge is a new file, not a new ticket: its history came
            // with it, and only the renumbering is this write's.
            let renumbered = events.iter().any(|e| e.action == "renumber");
            if let Some(subject) = opened.as_ref().filter(|_| !renumbered) {
                parts.push((format!("new {subject:?}"), Vec::new()));
            }
            for event in events {
                let told = match opened {
                    Some(_) if renumbered => event.action == "renumber",
                    Some(_) => event.action != "create",
                    None => true,
                };
                if !told {
                    continue;
                }
                let (what, value) = words(event);
                // Consecutive events of one kind read as one: `cc add a@x.example b@y.example`.
                match parts.last_mut() {
                    Some((last, values)) if *last == what => {
                        if let Some(v) = value
                            && !values.contains(&v)
                        {
                            values.push(v);
                        }
                    }
                    _ => parts.push((what, value.into_iter().collect())),
                }
            }
            let parts: Vec<String> = parts
                .into_iter()
                .map(|(what, values)| {
                    if values.is_empty() {
                        what
                    } else {
                        format!("{what} {}", values.join(" "))
                    }
                })
                .collect();
            if parts.is_empty() {
                format!("#{id}: update")
            } else {
                format!("#{id}: {}", parts.join(", "))
            }
        }
        Change::People {
            added,
            removed,
            edited,
        } => {
            let parts: Vec<String> = [("add", added), ("remove", removed), ("edit", edited)]
                .into_iter()
                .filter(|(_, handles)| !handles.is_empty())
                .map(|(what, handles)| format!("{what} {}", handles.join(" ")))
                .collect();
            if parts.is_empty() {
                "people: update".to_string()
            } else {
                format!("people: {}", parts.join(", "))
            }
        }
        Change::Store => "store: init".to_string(),
        Change::Kept => String::new(),
    }
}

/// An event as the words of a commit message: what was done, and the value it was done with. Bodies
/// never appear: a comment is `comment`, a side-conversation message `side reply 1`.
fn words(e: &Event) -> (String, Option<String>) {
    let e = e.structured();
    let number = |n: Option<u32>| n.map(|n| n.to_string());
    match e.action.as_str() {
        "create" => ("new".into(), None),
        "status" => ("status".into(), e.to),
        "assign" => match e.to {
            Some(to) => ("assign".into(), Some(to)),
            None => ("unassign".into(), None),
        },
        "edit" => {
            let field = e.field.unwrap_or_default();
            let value = match (field.as_str(), e.to) {
                (_, None) => "none".to_string(),
                ("subject" | "group", Some(to)) => format!("{to:?}"),
                (_, Some(to)) => to,
            };
            (format!("edit {field}"), Some(value))
        }
        "comment" => ("comment".into(), None),
        // The comment it was is told already; the rule is in the event.
        "mail" => ("by mail".into(), None),
        "comment.private" => ("make-private".into(), number(e.comment)),
        "cc.add" | "cc.remove" | "follower.add" | "follower.remove" | "tag.add" | "tag.remove" => {
            let value = if e.action.ends_with(".add") {
                e.to
            } else {
                e.from
            };
            (e.action.replace('.', " "), value)
        }
        "side.open" => ("side open".into(), number(e.side)),
        "side.message" => ("side reply".into(), number(e.side)),
        "side.invite" => match e.side {
            Some(n) => (format!("side {n} invite"), e.to),
            None => ("side invite".into(), e.to),
        },
        "side.resolve" => ("side resolve".into(), number(e.side)),
        "side.reopen" => ("side reopen".into(), number(e.side)),
        "renumber" => ("renumber from".into(), e.from),
        "renumber.other" => ("other renumbered to".into(), e.to),
        "merge.settle" => ("settle".into(), e.field),
        other => (other.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::event::Member;
    use crate::model::{Role, Status, Visibility};
    use crate::yaml::Extra;
    use chrono::{TimeZone, Utc};

    fn at() -> crate::model::ticket::Time {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn ticket(id: u64, events: Vec<Event>) -> Change {
        Change::Ticket {
            id,
            opened: None,
            events,
        }
    }

    fn person(handle: &str, role: Role) -> Person {
        Person {
            handle: handle.into(),
            name: handle.to_uppercase(),
            email: format!("{handle}@acme.example"),
            role,
            extra: Extra::new(),
        }
    }

    #[test]
    fn a_cc_added_names_the_address_and_who_added_it() {
        let change = ticket(
            42,
            vec![Event::added(
                at(),
                "mette",
                Member::Cc,
                "bob@agency.example",
            )],
        );
        assert_eq!(
            message(&[change], Some("mette")),
            "#42: cc add bob@agency.example (mette)"
        );
    }

    #[test]
    fn a_new_ticket_is_named_by_its_subject() {
        let change = Change::Ticket {
            id: 43,
            opened: Some("PDF export fails".into()),
            events: vec![Event::created(at(), "jonas")],
        };
        assert_eq!(
            message(&[change], Some("jonas")),
            r#"#43: new "PDF export fails" (jonas)"#
        );
    }

    #[test]
    fn a_comment_never_carries_its_body_and_its_consequences_follow_it() {
        let change = ticket(
            42,
            vec![
                Event::commented(at(), "jonas", 3, Visibility::Public),
                Event::status(at(), "jonas", Status::New, Status::Open).because("answered"),
                Event::added(at(), "jonas", Member::Follower, "jonas").because("commented"),
            ],
        );
        assert_eq!(
            message(&[change], Some("jonas")),
            "#42: comment, status open, follower add jonas (jonas)"
        );
        let internal = ticket(
            42,
            vec![Event::commented(at(), "jonas", 4, Visibility::Internal)],
        );
        assert_eq!(message(&[internal], Some("jonas")), "#42: comment (jonas)");
    }

    #[test]
    fn the_status_says_where_it_went() {
        let change = ticket(
            42,
            vec![Event::status(at(), "jonas", Status::Open, Status::Solved)],
        );
        assert_eq!(
            message(&[change], Some("jonas")),
            "#42: status solved (jonas)"
        );
    }

    #[test]
    fn several_changes_of_one_kind_read_as_one() {
        let change = ticket(
            7,
            vec![
                Event::removed(at(), "ada", Member::Tag, "old"),
                Event::added(at(), "ada", Member::Tag, "vip"),
                Event::added(at(), "ada", Member::Tag, "billing"),
            ],
        );
        assert_eq!(
            message(&[change], Some("ada")),
            "#7: tag remove old, tag add vip billing (ada)"
        );
    }

    #[test]
    fn field_edits_assignments_and_side_conversations_are_worded() {
        let change = ticket(
            5,
            vec![
                Event::edited(at(), "ada", "subject", Some("a"), Some("New \"subject\"")),
                Event::edited(at(), "ada", "priority", Some("normal"), Some("high")),
                Event::edited(at(), "ada", "group", Some("Tier 2"), None),
                Event::assigned(at(), "ada", Some("jonas"), None),
                Event::assigned(at(), "ada", None, Some("mette")),
                Event::made_private(at(), "ada", 2),
                Event::side_opened(at(), "ada", 1),
                Event::side_message(at(), "ada", 1, 1),
                Event::side_invited(at(), "ada", 1, "anders"),
                Event::side_resolved(at(), "ada", 1),
                Event::side_reopened(at(), "ada", 1),
            ],
        );
        assert_eq!(
            message(&[change], Some("ada")),
            "#5: edit subject \"New \\\"subject\\\"\", edit priority high, edit group none, unassign, \
             assign mette, make-private 2, side open 1, side reply 1, side 1 invite anders, \
             side resolve 1, side reopen 1 (ada)"
        );
    }

    #[test]
    fn people_changes_name_the_handles() {
        let before = vec![person("ada", Role::Admin), person("mette", Role::Agent)];
        let mut after = before.clone();
        after.push(person("jonas", Role::Agent));
        assert_eq!(
            message(&[Change::people(&before, &after)], Some("ada")),
            "people: add jonas (ada)"
        );
        let mut edited = before.clone();
        edited[1].role = Role::Admin;
        edited.remove(0);
        assert_eq!(
            message(&[Change::people(&before, &edited)], None),
            "people: remove ada, edit mette"
        );
    }

    #[test]
    fn only_the_events_a_write_added_are_told() {
        let old = vec![Event::created(at(), "jonas")];
        let mut new = old.clone();
        new.push(Event::status(at(), "mette", Status::Open, Status::Pending));
        assert_eq!(
            message(&[Change::ticket(9, &old, &new)], Some("mette")),
            "#9: status pending (mette)"
        );
        assert_eq!(
            message(&[Change::ticket(9, &new, &new)], Some("mette")),
            "#9: update (mette)"
        );
    }

    #[test]
    fn a_renumbering_after_a_merge_tells_the_move_not_the_history() {
        let mut moved = vec![
            Event::created(at(), "jonas"),
            Event::commented(at(), "jonas", 2, Visibility::Public),
        ];
        let mut e = Event::new(at(), "ada", "renumber");
        e.field = Some("id".into());
        (e.from, e.to) = (Some("42".into()), Some("43".into()));
        moved.push(e.clone());
        e.action = "renumber.other".into();
        let changes = [
            Change::Ticket {
                id: 43,
                opened: Some("Printer".into()),
                events: moved,
            },
            ticket(42, vec![e]),
        ];
        assert_eq!(
            message(&changes, Some("ada")),
            "#43: renumber from 42; #42: other renumbered to 43 (ada)"
        );
        let mut settle = Event::new(at(), "ada", "merge.settle");
        settle.field = Some("status".into());
        assert_eq!(
            message(&[ticket(42, vec![settle])], Some("ada")),
            "#42: settle status (ada)"
        );
    }

    #[test]
    fn several_files_are_joined_and_a_new_store_says_so() {
        let changes = [
            ticket(
                1,
                vec![Event::added(at(), "ada", Member::Follower, "mette")],
            ),
            ticket(
                2,
                vec![Event::added(at(), "ada", Member::Follower, "mette")],
            ),
        ];
        assert_eq!(
            message(&changes, Some("ada")),
            "#1: follower add mette; #2: follower add mette (ada)"
        );
        assert_eq!(
            message(&[Change::Store, Change::Store], None),
            "store: init"
        );
    }
}
