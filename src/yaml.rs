//! The one module that knows YAML: every read and write of YAML text goes through here.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Keys a hand-edited file carries that tkt does not know; kept on rewrite.
pub type Extra = serde_yaml::Mapping;

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    if let Some(line) = too_deep(text) {
        return Err(format!(
            "line {line}: [ ] or {{ }} nested more than {MAX_FLOW_DEPTH} levels deep"
        ));
    }
    serde_yaml::from_str(text).map_err(|e| describe(e, text))
}

/// Deeper than this, flow collections (`[ ]`, `{ }`) are refused before parsing. The parser refuses
/// anything deeper than 128 levels anyway, but only after a scan whose time grows with the square of the
/// depth: a hostile file of a few kilobytes would otherwise stall every `list` for seconds.
const MAX_FLOW_DEPTH: usize = 256;

/// The line where flow collections first nest deeper than `MAX_FLOW_DEPTH`, by a rough scan that knows
/// quotes, comments and block scalars (`body: |`). It may only overestimate depth within flow
/// collections, which no file tkt writes has (it writes `[]` at most).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    // Inside a block scalar: lines indented more than its key are text, not YAML.
    let mut block_parent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_parent {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_parent = None;
        }
        let mut last = None; // the last character that was not a space
        let mut prev = ' ';
        for c in line.chars() {
            let after_space = prev == ' ';
            prev = c;
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if q == '"' && c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                last = Some(c);
                continue;
            }
            let at_value = depth > 0 || matches!(last, None | Some(':' | '-'));
            match c {
                '#' if after_space => break,
                '"' | '\'' if at_value || matches!(last, Some('[' | '{' | ',')) => quote = Some(c),
                '[' | '{' if at_value => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(i + 1);
                    }
                }
                ']' | '}' if depth > 0 => depth -= 1,
                _ => {}
            }
            if c != ' ' {
                last = Some(c);
            }
        }
        let code = line.trim_end();
        if depth == 0
            && quote.is_none()
            && code
                .rsplit(' ')
                .next()
                .is_some_and(|w| w.starts_with(['|', '>']))
        {
            block_parent = Some(indent);
        }
    }
    None
}

pub fn to_string<T: Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(serde_yaml::to_string(value)?)
}

/// A parse error as `line N: message`, so callers can prefix the file name. The message may quote the
/// file (`unknown variant ...`), so its control characters are made harmless here, once for every
/// caller (errors, and the warnings of `list`).
fn describe(err: serde_yaml::Error, text: &str) -> String {
    let mut message = crate::render::sanitize::line(&err.to_string());
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    // The reader (bad characters) reports a byte offset and no line; a duplicate key is reported at the
    // start of its mapping. Find the real line in the text for both.
    let mut line = err.location().map(|loc| loc.line());
    if let Some(at) = message.find(" at position ") {
        if let Ok(offset) = message[at + 13..].parse::<usize>() {
            let before = &text.as_bytes()[..offset.min(text.len())];
            line = Some(1 + before.iter().filter(|&&b| b == b'\n').count());
            message.truncate(at);
        }
    } else if let Some(key) = message
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        let key = format!("{key}:");
        line = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with(&key))
            .nth(1)
            .map(|(i, _)| i + 1)
            .or(line);
    }
    match line {
        Some(line) => format!("line {line}: {message}"),
        None => message,
    }
}
