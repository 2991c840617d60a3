//! `tkt check`'s findings as text lines (`FILE:LINE: error: message [code]`) and as its JSON document.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::check::{Code, Finding, Level};

/// One finding in `tkt check --format json`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "Finding", deny_unknown_fields)]
pub struct FindingDoc {
    /// The file, as the user would type it.
    pub file: String,
    /// The line (from 1), when the finding has one.
    pub line: Option<usize>,
    pub level: Level,
    pub code: Code,
    pub message: String,
}

/// What `tkt check --format json` prints.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "Check", deny_unknown_fields)]
pub struct CheckDoc {
    pub findings: Vec<FindingDoc>,
    pub errors: usize,
    pub warnings: usize,
    /// How many files were checked.
    pub files: usize,
}

pub fn doc(findings: &[Finding], files: usize) -> CheckDoc {
    let count = |level| findings.iter().filter(|f| f.level == level).count();
    CheckDoc {
        findings: findings
            .iter()
            .map(|f| FindingDoc {
                file: f.file.display().to_string(),
                line: f.line,
                level: f.level,
                code: f.code,
                message: f.message.clone(),
            })
            .collect(),
        errors: count(Level::Error),
        warnings: count(Level::Warning),
        files,
    }
}

/// One line per finding, as compilers write them, so that editors jump to the place; the message
/// quotes what strangers wrote, so it passes the sanitizer.
pub fn lines(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let place = match f.line {
            Some(line) => format!("{}:{line}", f.file.display()),
            None => f.file.display().to_string(),
        };
        let line = format!(
            "{place}: {}: {} [{}]",
            f.level.as_str(),
            f.message,
            f.code.as_str()
        );
        out.push_str(&crate::render::sanitize::line(&line));
        out.push('\n');
    }
    out
}

/// The summary on stderr.
pub fn summary(files: usize, errors: usize, warnings: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "checked {}: {}, {}",
        plural(files, "file", "files"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    )
}
