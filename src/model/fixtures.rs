//! Small builders the model's unit tests share: a staff member, a directory, a minute on the clock.

use crate::model::ticket::Time;
use crate::model::{People, Person, Role};

/// A person of the desk, `handle@acme.example`.
pub fn person(handle: &str, name: &str, role: Role) -> Person {
    Person {
        handle: handle.into(),
        name: name.into(),
        email: format!("{handle}@acme.example"),
        role,
        extra: Default::default(),
    }
}

/// A directory of these people.
pub fn directory(people: Vec<Person>) -> People {
    People {
        people,
        merge_conflicts: Vec::new(),
        extra: Default::default(),
    }
}

/// `minute` minutes after the epoch.
pub fn at(minute: i64) -> Time {
    chrono::DateTime::UNIX_EPOCH + chrono::Duration::minutes(minute)
}
