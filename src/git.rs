//! The one adapter that runs `git`: tkt's git features (the merge driver's setup, `check --staged`,
//! auto-commit, identity from git) ask it and hold no git knowledge of their own. It uses the `git` on
//! the PATH and never a shell.

use std::path::Path;
use std::process::{Command, Output};

use anyhow::Context;

/// Runs `git ARGS` in `dir` and returns what it printed, whatever its exit status.
pub fn run(dir: &Path, args: &[&str]) -> anyhow::Result<Output> {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .with_context(|| format!("cannot run git {} (is git installed?)", args.join(" ")))
}

/// Runs `git ARGS` in `dir` and returns its standard output, trimmed of the final newline; None when git
/// exits non-zero (a key that is not set, a directory that is no repository).
pub fn output(dir: &Path, args: &[&str]) -> anyhow::Result<Option<String>> {
    let out = run(dir, args)?;
    if !out.status.success() {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(Some(text.strip_suffix('\n').unwrap_or(&text).to_string()))
}

/// The top directory of the git work tree that holds `dir`, if it is in one.
pub fn work_tree(dir: &Path) -> anyhow::Result<Option<std::path::PathBuf>> {
    Ok(output(dir, &["rev-parse", "--show-toplevel"])?.map(std::path::PathBuf::from))
}
