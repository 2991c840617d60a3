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
