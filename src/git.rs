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

/// `git config user.email` as seen from `dir` (the repository's, else the user's), if it is set.
pub fn user_email(dir: &Path) -> anyhow::Result<Option<String>> {
    Ok(output(dir, &["config", "user.email"])?.filter(|e| !e.trim().is_empty()))
}

/// The operation left in progress in the repository that holds `dir`, if any: "a merge", "a rebase",
/// "a cherry-pick" or "a revert" (what git's own state files under the git directory say).
pub fn operation_in_progress(dir: &Path) -> anyhow::Result<Option<&'static str>> {
    const STATES: [(&str, &str); 5] = [
        ("MERGE_HEAD", "a merge"),
        ("rebase-merge", "a rebase"),
        ("rebase-apply", "a rebase"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
    ];
    let mut args = vec!["rev-parse"];
    for (name, _) in STATES {
        args.extend(["--git-path", name]);
    }
    let Some(paths) = output(dir, &args)? else {
        return Ok(None);
    };
    Ok(paths
        .lines()
        .zip(STATES)
        .find(|(path, _)| dir.join(path).exists())
        .map(|(_, (_, what))| what))
}

/// What became of a commit of some files.
#[derive(Debug, PartialEq, Eq)]
pub enum Committed {
    Yes,
    /// The files were already as committed (another run committed them first).
    NothingToCommit,
}

/// Commits exactly `files` (names relative to `dir`) as they are in the work tree, with `message` and
/// the user's own git identity: `git add` and then `git commit --only`, which commits the named paths
/// and nothing else, so changes staged for other files stay staged and out of the commit. While
/// another git holds the repository's index lock (a concurrent commit), it waits and tries again for a
/// few seconds. An error is git's own message, on one line.
pub fn commit_only(dir: &Path, files: &[String], message: &str) -> anyhow::Result<Committed> {
    let with_files = |args: &[&str]| -> Vec<String> {
        let args = args.iter().map(|a| a.to_string());
        args.chain(files.iter().cloned()).collect()
    };
    let add = with_files(&["add", "--"]);
    // The files as they are hold nothing HEAD does not (exit 0); on an unborn branch git fails instead.
    let unchanged = with_files(&["diff", "--quiet", "HEAD", "--"]);
    let commit = with_files(&["commit", "-q", "-m", message, "--only", "--"]);
    let is_unchanged = || anyhow::Ok(run(dir, &refs(&unchanged))?.status.success());
    let mut tries = 5;
    loop {
        if let Err(output) = retrying(dir, &refs(&add))? {
            anyhow::bail!("git add: {}", one_line(&output));
        }
        if is_unchanged()? {
            return Ok(Committed::NothingToCommit);
        }
        let Err(output) = retrying(dir, &refs(&commit))? else {
            return Ok(Committed::Yes);
        };
        // A concurrent tkt may have committed the same file between the two steps; if it has written
        // it again since, this one tries again.
        if is_unchanged()? {
            return Ok(Committed::NothingToCommit);
        }
        tries -= 1;
        let raced = output.contains("nothing to commit") || output.contains("no changes added");
        if tries == 0 || !raced {
            anyhow::bail!("git commit: {}", one_line(&output));
        }
    }
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Runs `git ARGS`: Ok(Err(what git printed)) when it fails. While another git holds the index lock, or
/// moved HEAD under it (a concurrent commit: "cannot lock ref 'HEAD': is at … but expected …"; the
/// commit was not made), it tries again every 100 ms, for 5 seconds.
fn retrying(dir: &Path, args: &[&str]) -> anyhow::Result<Result<(), String>> {
    let mut attempts = 50;
    loop {
        let out = run(dir, args)?;
        if out.status.success() {
            return Ok(Ok(()));
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        attempts -= 1;
        let contended = stderr.contains("index.lock") || stderr.contains("cannot lock ref");
        if attempts == 0 || !contended {
            let stdout = String::from_utf8_lossy(&out.stdout);
            return Ok(Err(format!("{stderr}\n{stdout}")));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// git's message as one line: its `fatal:` or `error:` line if it has one, else its first line that is
/// not a hint.
fn one_line(output: &str) -> String {
    let lines = || output.lines().map(str::trim);
    lines()
        .find(|l| l.starts_with("fatal: ") || l.starts_with("error: "))
        .or_else(|| lines().find(|l| !l.is_empty() && !l.starts_with("hint: ")))
        .unwrap_or("failed")
        .to_string()
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

/// A file staged in git's index: its path (relative to the directory asked about), mode and blob id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    pub path: String,
    pub mode: String,
    pub blob: String,
}

impl Staged {
    pub fn is_link(&self) -> bool {
        self.mode == "120000"
    }
}

/// The files under `dir` that the index adds, copies or modifies against `HEAD` (renames count as
/// additions), as `git diff --cached` sees them: what the next commit changes there.
pub fn staged(dir: &Path) -> anyhow::Result<Vec<Staged>> {
    let args = [
        "diff",
        "--cached",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-renames",
        "--diff-filter=ACM",
        "--relative",
        "--",
        ".",
    ];
    let out = run(dir, &args)?;
    if !out.status.success() {
        anyhow::bail!(
            "git diff --cached failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    // `:old-mode new-mode old-blob new-blob status` NUL `path` NUL, for each file.
    let mut fields = out.stdout.split(|&b| b == 0);
    let mut files = Vec::new();
    while let (Some(head), Some(path)) = (fields.next(), fields.next()) {
        let head = String::from_utf8_lossy(head);
        let parts: Vec<&str> = head.trim_start_matches(':').split(' ').collect();
        if let [_, mode, _, blob, _] = parts[..] {
            files.push(Staged {
                path: String::from_utf8_lossy(path).into_owned(),
                mode: mode.to_string(),
                blob: blob.to_string(),
            });
        }
    }
    Ok(files)
}

/// The index's entries for `paths` (relative to `dir`), those it has.
pub fn index_entries(dir: &Path, paths: &[&str]) -> anyhow::Result<Vec<Staged>> {
    let mut args = vec!["ls-files", "--stage", "-z", "--"];
    args.extend_from_slice(paths);
    let out = run(dir, &args)?;
    if !out.status.success() {
        return Ok(Vec::new());
    }
    // `mode blob stage` TAB `path` NUL, for each entry.
    let mut entries = Vec::new();
    for record in out.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let record = String::from_utf8_lossy(record);
        if let Some((head, path)) = record.split_once('\t')
            && let [mode, blob, "0"] = head.split(' ').collect::<Vec<_>>()[..]
        {
            entries.push(Staged {
                path: path.to_string(),
                mode: mode.to_string(),
                blob: blob.to_string(),
            });
        }
    }
    Ok(entries)
}

/// The contents of the given blobs, in order, read by one `git cat-file --batch`.
pub fn blobs(dir: &Path, ids: &[String]) -> anyhow::Result<Vec<Vec<u8>>> {
    use std::io::{BufRead, Read, Write};
    use std::process::Stdio;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run git cat-file (is git installed?)")?;
    let mut stdin = child.stdin.take().context("git cat-file: no stdin")?;
    let request: String = ids.iter().map(|id| format!("{id}\n")).collect();
    // Written from a thread: git answers while it reads, and a full pipe would stop both.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = std::io::BufReader::new(child.stdout.take().context("git cat-file: no stdout")?);
    let mut contents = Vec::with_capacity(ids.len());
    for id in ids {
        let mut header = String::new();
        out.read_line(&mut header)?;
        // `<id> blob <size>`, or `<id> missing`.
        let size: usize = match header.trim_end().rsplit_once(' ') {
            Some((_, size)) if header.contains(" blob ") => size.parse()?,
            _ => anyhow::bail!("git cat-file: no blob {id}"),
        };
        let mut blob = vec![0; size + 1];
        out.read_exact(&mut blob)?;
        blob.truncate(size);
        contents.push(blob);
    }
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("git cat-file: the writer failed"))??;
    child.wait()?;
    Ok(contents)
}
