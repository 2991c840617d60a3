//! Views of tickets as text, tables, JSON and YAML: pure functions from data to strings. What a viewer
//! may see is decided before anything reaches here (`model::visibility`).

pub mod audience;
pub mod check;
pub mod history;
pub mod jq;
pub mod json;
pub mod report;
pub mod sanitize;
pub mod table;
pub mod template;
pub mod text;
pub mod time;

pub use time::{clock, day_and_clock, when};

use serde::Serialize;

use crate::cli::Format;

/// One JSON or YAML document holding exactly `value`.
pub fn document(format: Format, value: &impl Serialize) -> anyhow::Result<String> {
    match format {
        Format::Yaml => crate::yaml::to_string(value),
        // Text output is rendered elsewhere and never asks for a document; JSON is the safe answer.
        Format::Json | Format::Text | Format::Mbox => {
            Ok(serde_json::to_string_pretty(value)? + "\n")
        }
    }
}

/// Terminal styling, off unless colour was asked for.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// The columns a view may use: 78, or the terminal's width when it is narrower.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            color: false,
            width: 78,
        }
    }
}

impl Style {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
    /// Internal items stand out at a glance.
    pub fn internal(self, text: &str) -> String {
        self.wrap("1;33", text)
    }
    pub fn public(self, text: &str) -> String {
        self.wrap("32", text)
    }

    /// Appends `text` as `wrap` would write it, without a string of its own.
    fn push(self, out: &mut String, code: &str, text: &str) {
        if self.color {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
            out.push_str(text);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(text);
        }
    }
    /// Appends `internal(text)`.
    pub fn push_internal(self, out: &mut String, text: &str) {
        self.push(out, "1;33", text);
    }
    /// Appends `public(text)`.
    pub fn push_public(self, out: &mut String, text: &str) {
        self.push(out, "32", text);
    }
}
