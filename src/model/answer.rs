//! What a change to a ticket's own fields or to the people directory answers: plain structs for the
//! JSON contract (`render::json`), absent values null.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::Person;

/// One field a change set: its name and its value before and after (null: none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What `person add`, `person edit` and `person remove` answer: the person as they are now (for a
/// removal, as they were), and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonAnswer {
    pub handle: String,
    /// `add`, `edit` or `remove`.
    pub action: String,
    pub changed: bool,
    pub changes: Vec<FieldChange>,
    pub person: Person,
}
