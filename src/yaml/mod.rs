//! The one module that knows YAML: every read and write of YAML text goes through here.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Keys a hand-edited file carries that tkt does not know; kept on rewrite.
pub type Extra = serde_yaml::Mapping;

/// Any YAML value: what a merge conflict holds of each side.
pub type Value = serde_yaml::Value;

mod events;
pub mod layout;
mod tree;
mod unknown;
mod walk;

pub use unknown::Shape;
pub use walk::{Guarded, MAX_ALIASES, MAX_DEPTH, guard, line_of};

/// Reads `text` as a `T`, after the guard has read it with the same parser and found nothing to refuse.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    if let Some(refusal) = guard(text).refusal {
        return Err(refusal);
    }
    serde_yaml::from_str(text).map_err(|e| describe(e, text))
}

/// `from_str` for a file of `shape`: values under keys tkt does not know may carry tags of their own
/// (`x: !foo bar`), which the codec cannot hold for them; they are read without the tag (and a write
/// that would lose it is refused, see `changed_unknown`).
pub fn read<T: DeserializeOwned>(text: &str, shape: &Shape) -> Result<T, String> {
    let guarded = guard(text);
    if let Some(refusal) = guarded.refusal {
        return Err(refusal);
    }
    if !guarded.custom_tags {
        return serde_yaml::from_str(text).map_err(|e| describe(e, text));
    }
    let mut blanked = text.as_bytes().to_vec();
    for span in unknown::custom_tags(text, shape) {
        blanked[span].fill(b' ');
    }
    // Whole tags were blanked, byte for byte: the text is still UTF-8 and every line is where it was.
    let blanked = String::from_utf8_lossy(&blanked);
    serde_yaml::from_str(&blanked).map_err(|e| describe(e, &blanked))
}

/// Why writing `new` over `old` (texts of a file of `shape`) would change a value under a key tkt
/// does not know, as `line N: …` naming the key and what to do; `None` if all are kept exactly.
pub fn changed_unknown(old: &str, new: &str, shape: &Shape) -> Option<String> {
    unknown::changed(old, new, shape)
}

pub fn to_string<T: Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(serde_yaml::to_string(value)?)
}

/// A parse error as `line N: message`, so callers can prefix the file name. The message may quote the
/// file (`unknown variant ...`), so its control characters are made harmless here, once for every
/// caller (errors, and the warnings of `list`).
fn describe(err: serde_yaml::Error, text: &str) -> String {
    let mut message = crate::render::sanitize::line(&err.to_string()).into_owned();
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    // The reader (bad characters) reports a byte offset and no line: find the line in the text.
    let mut line = err.location().map(|loc| loc.line());
    if let Some(at) = message.find(" at position ")
        && let Ok(offset) = message[at + 13..].parse::<usize>()
    {
        let before = &text.as_bytes()[..offset.min(text.len())];
        line = Some(1 + before.iter().filter(|&&b| b == b'\n').count());
        message.truncate(at);
    }
    // A second document has no location of its own: it starts at the second `---` line.
    if line.is_none() && message.contains("more than one document") {
        line = second_document(text);
    }
    match line {
        Some(line) => format!("line {line}: {message}"),
        None => message,
    }
}

/// The line of the `---` that starts a second document, if there is one.
fn second_document(text: &str) -> Option<usize> {
    let starts = |l: &&str| *l == "---" || l.starts_with("--- ");
    let mut markers = text
        .lines()
        .enumerate()
        .filter(|(_, l)| starts(l))
        .map(|(i, _)| i + 1);
    let first_line_is_content = text.lines().next().is_some_and(|l| !starts(&l));
    if first_line_is_content {
        markers.next()
    } else {
        markers.nth(1)
    }
}
