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

/// Sets a key in the repository's own config (`.git/config`: it does not travel with a clone).
pub fn set_config(dir: &Path, key: &str, value: &str) -> anyhow::Result<()> {
    let out = run(dir, &["config", "--local", key, value])?;
    if out.status.success() {
        Ok(())
    } else {
        Err(failed("config", &out))
    }
}

/// Stages `paths` (relative to `top` or absolute).
pub fn add(top: &Path, paths: &[&str]) -> anyhow::Result<()> {
    let mut args = vec!["add", "--"];
    args.extend_from_slice(paths);
    let out = run(top, &args)?;
    if out.status.success() {
        Ok(())
    } else {
        Err(failed("add", &out))
    }
}

/// Whether git's index holds `path` unmerged (a conflict not yet resolved).
pub fn is_unmerged(top: &Path, path: &str) -> anyhow::Result<bool> {
    Ok(output(top, &["ls-files", "-u", "--", path])?.is_some_and(|s| !s.is_empty()))
}

/// Ours' and theirs' versions of an unmerged `path` (stages 2 and 3 of git's index), if both are there.
pub fn unmerged_sides(top: &Path, path: &str) -> anyhow::Result<Option<(String, String)>> {
    let Some(listing) = output(top, &["ls-files", "-u", "--", path])? else {
        return Ok(None);
    };
    let blob = |stage: &str| {
        listing.lines().find_map(|line| {
            let (meta, _) = line.split_once('\t')?;
            let mut words = meta.split_whitespace();
            let (_mode, sha, st) = (words.next()?, words.next()?, words.next()?);
            (st == stage).then(|| sha.to_string())
        })
    };
    let (Some(ours), Some(theirs)) = (blob("2"), blob("3")) else {
        return Ok(None);
    };
    let read = |sha: &str| -> anyhow::Result<Option<String>> {
        let out = run(top, &["cat-file", "blob", sha])?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8(out.stdout).ok())
            .flatten())
    };
    match (read(&ours)?, read(&theirs)?) {
        (Some(o), Some(t)) => Ok(Some((o, t))),
        _ => Ok(None),
    }
}

/// git's own words when it refused.
fn failed(what: &str, out: &Output) -> anyhow::Error {
    let said = String::from_utf8_lossy(&out.stderr);
    let line = said
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("failed");
    anyhow::anyhow!("git {what}: {}", line.trim())
}
