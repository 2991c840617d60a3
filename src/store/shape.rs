//! The keys tkt knows at each level of its files, so that the ones it does not know (kept on rewrite)
//! can be told apart in the text. A test below holds these lists to the model's fields.

use crate::model::{People, Ticket};
use crate::yaml::Shape;

pub const TICKET: Shape = Shape {
    keys: &[
        ("id", None),
        ("subject", None),
        ("status", None),
        ("priority", None),
        ("requester", None),
        ("assignee", None),
        ("group", None),
        ("tags", None),
        ("created", None),
        ("updated", None),
        ("cc", Some(&CC)),
        ("followers", None),
        ("comments", Some(&COMMENT)),
        ("side_conversations", Some(&SIDE_CONVERSATION)),
        ("events", Some(&EVENT)),
        ("merge_conflicts", Some(&MERGE_CONFLICT)),
    ],
};

/// What a merge left to decide; `ours` and `theirs` hold whatever the two sides had there.
const MERGE_CONFLICT: Shape = Shape {
    keys: &[
        ("field", None),
        ("entry", None),
        ("ours", None),
        ("theirs", None),
    ],
};

const CC: Shape = Shape {
    keys: &[("email", None), ("name", None)],
};

const COMMENT: Shape = Shape {
    keys: &[
        ("n", None),
        ("id", None),
        ("at", None),
        ("author", None),
        ("visibility", None),
        ("body", None),
    ],
};

const SIDE_CONVERSATION: Shape = Shape {
    keys: &[
        ("n", None),
        ("subject", None),
        ("state", None),
        ("participants", None),
        ("opened_by", None),
        ("opened_at", None),
        ("resolved_by", None),
        ("resolved_at", None),
        ("messages", Some(&MESSAGE)),
    ],
};

const MESSAGE: Shape = Shape {
    keys: &[
        ("n", None),
        ("id", None),
        ("at", None),
        ("author", None),
        ("body", None),
    ],
};

const EVENT: Shape = Shape {
    keys: &[
        ("at", None),
        ("by", None),
        ("action", None),
        ("field", None),
        ("from", None),
        ("to", None),
        ("reason", None),
        ("comment", None),
        ("visibility", None),
        ("side", None),
        ("message", None),
        ("detail", None),
    ],
};

pub const PEOPLE: Shape = Shape {
    keys: &[
        ("people", Some(&PERSON)),
        ("merge_conflicts", Some(&MERGE_CONFLICT)),
    ],
};

const PERSON: Shape = Shape {
    keys: &[
        ("handle", None),
        ("name", None),
        ("email", None),
        ("role", None),
    ],
};

pub const SETTINGS: Shape = Shape {
    keys: &[
        ("cc_limit", None),
        ("cc_blocklist", None),
        ("support_addresses", None),
        ("support_address", None),
        ("cc_email_public", None),
        ("agent_email_public", None),
        ("agent_cc", None),
        ("default_as", None),
        ("auto_commit", None),
        ("identity_from_git", None),
    ],
};

/// Whether the ticket holds any key tkt does not know, at any level.
pub fn ticket_has_unknown(t: &Ticket) -> bool {
    !t.extra.is_empty()
        || t.cc.iter().any(|c| !c.extra.is_empty())
        || t.comments.iter().any(|c| !c.extra.is_empty())
        || t.events.iter().any(|e| !e.extra.is_empty())
        || t.merge_conflicts.iter().any(|c| !c.extra.is_empty())
        || t.side_conversations
            .iter()
            .any(|s| !s.extra.is_empty() || s.messages.iter().any(|m| !m.extra.is_empty()))
}

/// Whether the people directory holds any key tkt does not know.
pub fn people_has_unknown(p: &People) -> bool {
    !p.extra.is_empty()
        || p.people.iter().any(|p| !p.extra.is_empty())
        || p.merge_conflicts.iter().any(|c| !c.extra.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Settings;
    use serde_yaml::Value;

    /// Every key of `value` (a mapping of `shape`) is in the shape and every key of the shape is in
    /// it, at every level.
    fn matches(value: &Value, shape: &Shape, at: &str) {
        let map = value.as_mapping().expect(at);
        let keys: Vec<&str> = map.keys().filter_map(Value::as_str).collect();
        let known: Vec<&str> = shape.keys.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, known, "{at}");
        for (key, items) in shape.keys {
            if let Some(items) = items {
                let list = map[*key].as_sequence().expect(key);
                assert!(!list.is_empty(), "{at}.{key} has an entry to check");
                for item in list {
                    matches(item, items, key);
                }
            }
        }
    }

    #[test]
    fn the_shapes_name_every_field_of_the_model() {
        let now = chrono::DateTime::UNIX_EPOCH;
        let mut t = Ticket::new(1, "S".into(), "a@b.example".into(), now);
        t.assignee = Some("jonas".into());
        t.group = Some("G".into());
        t.cc.push(crate::model::ticket::Cc {
            email: "c@d.example".into(),
            name: Some("C".into()),
            extra: Default::default(),
        });
        t.add_comment(now, "jonas", crate::model::Visibility::Public, "B".into());
        let side = t.open_side(now, "jonas", "S".into(), vec!["jonas".into()]);
        if let Some(s) = t.side_mut(side) {
            s.resolved_by = Some("jonas".into());
            s.resolved_at = Some(now);
            s.add_message(1, &Default::default(), now, "jonas", "M".into());
        }
        let mut event = crate::model::Event::new(now, "jonas", "x");
        event.field = Some("f".into());
        event.from = Some("a".into());
        event.to = Some("b".into());
        event.reason = Some("r".into());
        event.comment = Some(1);
        event.visibility = Some(crate::model::Visibility::Public);
        event.side = Some(side);
        event.message = Some(1);
        event.detail = Some("d".into());
        t.record(event);
        let conflict: crate::model::merge::MergeConflict =
            serde_yaml::from_str("{field: f, entry: e, ours: a, theirs: b}").unwrap();
        t.merge_conflicts.push(conflict.clone());
        matches(&serde_yaml::to_value(&t).unwrap(), &TICKET, "ticket");

        let mut people: People =
            serde_yaml::from_str("people: [{handle: a, name: A, email: a@b.example, role: agent}]")
                .unwrap();
        people.merge_conflicts.push(conflict);
        matches(&serde_yaml::to_value(&people).unwrap(), &PEOPLE, "people");

        let settings = Settings {
            default_as: Some("a".into()),
            support_address: Some("s@b.example".into()),
            ..Settings::default()
        };
        matches(
            &serde_yaml::to_value(&settings).unwrap(),
            &SETTINGS,
            "settings",
        );
    }
}
