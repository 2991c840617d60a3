//! The JSON answers of `edit`, `person edit` and `person remove`: plain structs, absent values null.

use serde::Serialize;

use crate::model::Person;

/// One field a change set: its name and its value before and after (null: none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What `tkt edit` changed (nothing, if every value was already so).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edited {
    pub ticket: u64,
    pub changed: bool,
    pub changes: Vec<FieldChange>,
}

/// What `tkt person edit` changed, and the person as they are now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonEdited {
    pub handle: String,
    pub changed: bool,
    pub changes: Vec<FieldChange>,
    pub person: Person,
}

/// `tkt person remove`: who left the directory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonRemoved {
    pub removed: Person,
}
