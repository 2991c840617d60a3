//! What can still be learnt from a people file that tkt cannot load: whether a name on the command line
//! is staff, so that staff keep the precise error while customers get a line that quotes nothing.

use std::path::Path;

use serde_yaml::Value;

use crate::model::Role;
use crate::store::PEOPLE_FILE;

/// Whether `who` (a handle or an address, as given to `--as`) is listed with an internal role in the
/// store's people file, read as plain YAML without the checks that made loading it fail. Any doubt
/// (the file is not YAML at all, the person is not found or listed twice, the role is odd) is "no".
pub fn names_staff(root: &Path, who: &str) -> bool {
    let path = root.join(PEOPLE_FILE);
    // Only a regular file is read: a FIFO would block, a link could lead anywhere.
    if !matches!(crate::store::regular_file(&path, "people file"), Ok(true)) {
        return false;
    }
    // The store's own reader: a byte-order mark is no part of the first key.
    let Ok(text) = super::read_text(&path) else {
        return false;
    };
    // The same guard as every read: a hostile file is not parsed at any cost.
    let Ok(tree) = crate::yaml::from_str::<Value>(&text) else {
        return false;
    };
    let who = who.trim().to_ascii_lowercase();
    let field = |p: &Value, key: &str| {
        p.get(key)
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    };
    let listed: Vec<&Value> = tree
        .get("people")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter(|p| {
            field(p, "handle") == Some(who.clone()) || field(p, "email") == Some(who.clone())
        })
        .collect();
    // Listed twice (once as staff, once not) is doubt too. The role is read as the directory reads it.
    let internal = |p: &Value| {
        p.get("role")
            .cloned()
            .and_then(|r| serde_yaml::from_value::<Role>(r).ok())
            .is_some_and(Role::is_internal)
    };
    matches!(listed.as_slice(), [p] if internal(p))
}
