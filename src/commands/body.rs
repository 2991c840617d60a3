//! Message bodies from `-m TEXT`, `-F FILE`, `-m -` (stdin), or `$EDITOR` on a terminal.

use std::io::{IsTerminal, Read};

use anyhow::Context as _;

use crate::cli::BodyArgs;
use crate::exit;

pub fn read(args: &BodyArgs) -> anyhow::Result<String> {
    let text = match (&args.message, &args.file) {
        (Some(m), _) if m == "-" => stdin("-m -")?,
        (Some(m), _) => m.clone(),
        (None, Some(path)) if path.as_os_str() == "-" => stdin("-F -")?,
        (None, Some(path)) => {
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
        (None, None) => from_editor()?,
    };
    let text = text.trim_end().to_string();
    if text.trim().is_empty() {
        return Err(exit::invalid(
            "the body is empty; give -m TEXT, -F FILE or -m -",
        ));
    }
    Ok(text)
}

fn stdin(what: &str) -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| exit::other(format!("{what}: cannot read standard input: {e}")))?;
    Ok(text)
}

fn from_editor() -> anyhow::Result<String> {
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
    std::fs::read_to_string(file.path()).context("cannot read what the editor saved")
}
