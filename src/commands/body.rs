//! Message bodies from `-m TEXT` (repeated: paragraphs), `-F FILE`, `-m -` (stdin), or `$EDITOR` on a
//! terminal.

use std::io::{IsTerminal, Read};

use anyhow::Context as _;

use crate::cli::BodyArgs;
use crate::exit;

/// Who reads a body, as the editor's template says it.
pub const PUBLIC: &str = "This reply is PUBLIC: the requester and every CC will read it.";
pub const INTERNAL: &str = "This is an INTERNAL note: only staff will read it.";
pub const OPENING: &str =
    "This is the requester's opening message: PUBLIC, the requester and every CC will read it.";
pub const SIDE: &str =
    "This is a side-conversation message: INTERNAL, read by its participants only.";

/// The body, never empty. `audience` says who will read it; the editor's template tells the writer.
/// An empty body and no body are the same mistake: a usage error (exit 2).
pub fn read(args: &BodyArgs, audience: &str) -> anyhow::Result<String> {
    let text = match (args.message.as_slice(), &args.file) {
        ([], Some(path)) if path.as_os_str() == "-" => stdin("-F -")?,
        ([], Some(path)) => {
            // A name that is no file is a mistake on the command line; anything else is an I/O error.
            let bytes = std::fs::read(path).map_err(|e| {
                let message = format!("-F {}: {e}", path.display());
                match e.kind() {
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory => {
                        exit::usage(message)
                    }
                    _ => exit::other(message),
                }
            })?;
            String::from_utf8(bytes)
                .map_err(|_| exit::invalid(format!("-F {}: not valid UTF-8", path.display())))?
        }
        ([], None) => from_editor(audience)?,
        (paragraphs, _) => joined(paragraphs)?,
    };
    let text = text.trim_end().to_string();
    if text.trim().is_empty() {
        return Err(exit::usage(
            "the body is empty; give -m TEXT, -F FILE or -m -",
        ));
    }
    Ok(text)
}

/// Several `-m` are paragraphs, joined by a blank line as git does; `-m -` is standard input.
fn joined(paragraphs: &[String]) -> anyhow::Result<String> {
    let mut parts = Vec::new();
    for p in paragraphs {
        let text = if p == "-" { stdin("-m -")? } else { p.clone() };
        let text = text.trim_end();
        if !text.trim().is_empty() {
            parts.push(text.to_string());
        }
    }
    Ok(parts.join("\n\n"))
}

/// The editor's starting text: comment lines saying who will read the body, stripped afterwards.
fn template(audience: &str) -> String {
    format!("\n# {audience}\n# These two '#' lines are left out; an empty message cancels.\n")
}

/// What the editor saved, without the template's own comment lines: a line of the writer's that starts
/// with `#` ("#42 is a duplicate") is kept.
fn without_template(text: &str, template: &str) -> String {
    let ours: Vec<&str> = template.lines().filter(|l| l.starts_with('#')).collect();
    text.lines()
        .filter(|l| !ours.contains(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn stdin(what: &str) -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| exit::other(format!("{what}: cannot read standard input: {e}")))?;
    Ok(text)
}

fn from_editor(audience: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(exit::usage(
            "no body: give -m TEXT, -F FILE or -m - (an editor opens only on a terminal)",
        ));
    }
    // An empty VISUAL or EDITOR counts as unset, as in git.
    let set = |name| {
        std::env::var(name)
            .ok()
            .filter(|v: &String| !v.trim().is_empty())
    };
    let editor = set("VISUAL")
        .or_else(|| set("EDITOR"))
        .unwrap_or_else(|| "vi".to_string());
    let file = tempfile::Builder::new()
        .prefix("tkt-body-")
        .suffix(".txt")
        .tempfile()
        .context("cannot create a file for the editor")?;
    let template = template(audience);
    std::fs::write(file.path(), &template).context("cannot prepare the editor's file")?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .with_context(|| format!("cannot start the editor {editor:?}"))?;
    if !status.success() {
        return Err(exit::other(format!(
            "the editor {editor:?} failed; nothing was saved"
        )));
    }
    let saved =
        std::fs::read_to_string(file.path()).context("cannot read what the editor saved")?;
    let text = without_template(&saved, &template);
    if text.trim().is_empty() {
        return Err(exit::usage(
            "the editor left an empty message; nothing was saved",
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_says_who_reads_it_and_is_left_out() {
        let t = template("This reply is PUBLIC");
        assert!(t.contains("# This reply is PUBLIC"));
        let saved = format!("Hello Ana\n{t}");
        assert_eq!(without_template(&saved, &t).trim_end(), "Hello Ana");
    }

    #[test]
    fn a_line_of_the_writers_that_starts_with_a_hash_is_kept() {
        let t = template("This note is INTERNAL");
        let saved = format!("#42 is a duplicate of this one.\n{t}");
        assert_eq!(
            without_template(&saved, &t).trim_end(),
            "#42 is a duplicate of this one."
        );
    }

    #[test]
    fn paragraphs_are_joined_by_a_blank_line() {
        let got = joined(&["First.".to_string(), "Second.\n".to_string()]).unwrap();
        assert_eq!(got, "First.\n\nSecond.");
    }
}
