//! The one module that knows YAML: every read and write of YAML text goes through here.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Keys a hand-edited file carries that tkt does not know; kept on rewrite.
pub type Extra = serde_yaml::Mapping;

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_yaml::from_str(text).map_err(describe)
}

pub fn to_string<T: Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(serde_yaml::to_string(value)?)
}

/// A parse error as `line N: message`, so callers can prefix the file name. The message may quote the
/// file (`unknown variant ...`), so its control characters are made harmless here, once for every
/// caller (errors, and the warnings of `list`).
fn describe(err: serde_yaml::Error) -> String {
    let mut message = crate::render::sanitize::line(&err.to_string());
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    match err.location() {
        Some(loc) => format!("line {}: {}", loc.line(), message),
        None => message,
    }
}
