//! Auto-commit, the step after every write command: with `--commit` (or `auto_commit: true` in
//! tkt.yaml) the files the command wrote become one git commit, with a message worded from what it did
//! (`model::commit_message`). Git itself is run by `crate::git` alone.

use std::path::Path;

use crate::cli::{CcCommand, Command, FollowerCommand, GitCommand, PersonCommand, SideCommand};
use crate::context::{Context, say};
use crate::exit;
use crate::git::{self, Committed};
use crate::model::commit_message;
use crate::store::journal::{Journal, Written};

/// What the commit step needs after the command has run (the command takes the context).
pub struct Commit {
    asked: bool,
    quiet: bool,
    journal: Journal,
}

impl Commit {
    /// Refuses `--commit` for a write when the store is not in a git work tree, before anything is
    /// written. Commands that only read ignore `--commit`.
    pub fn prepare(ctx: &Context, command: &Command) -> anyhow::Result<Commit> {
        if ctx.commit && writes(command) {
            let dir = match command {
                Command::Init { dir } => Some(super::init::directory(ctx, dir.clone())),
                // No store: the command says so itself.
                _ => crate::store::discover(ctx.store_dir()).ok(),
            };
            if let Some(dir) = dir {
                let existing = dir
                    .ancestors()
                    .find(|d| d.is_dir())
                    .unwrap_or(Path::new("."));
                if git::work_tree(existing)?.is_none() {
                    return Err(exit::usage(format!(
                        "--commit: {} is not in a git repository; run `git init` or drop --commit",
                        dir.display()
                    )));
                }
            }
        }
        Ok(Commit {
            asked: ctx.commit,
            quiet: ctx.quiet,
            journal: ctx.journal.clone(),
        })
    }

    /// Commits what the command wrote, when asked to. A write that happened is committed even if the
    /// command failed afterwards (printing its answer, say); the command's own error then wins. A commit
    /// that fails never undoes the write: it is an error (exit 1) saying the change was made.
    pub fn finish(self, outcome: anyhow::Result<()>) -> anyhow::Result<()> {
        let (written, actor) = self.journal.take();
        let wanted = self.asked || written.iter().any(|w| w.auto_commit);
        let Some(first) = written.first().filter(|_| wanted) else {
            return outcome;
        };
        // Customers hear no paths, no git messages and nothing of what the commit says.
        let staff = actor.as_ref().is_none_or(|a| a.is_staff());
        let committed = commit(&first.root, &written, actor.as_ref().map(|a| a.id()));
        match committed {
            Ok(Done::Committed(message)) => {
                if staff && !self.quiet {
                    say(&format!("Committed: {message}"));
                }
                outcome
            }
            Ok(Done::AlreadyCommitted(names)) => {
                if staff && !self.quiet {
                    say(&format!(
                        "Nothing to commit: {names} already committed as written (with a concurrent change)"
                    ));
                }
                outcome
            }
            Ok(Done::Skipped(why)) => {
                if staff {
                    say(&format!("warning: {why}"));
                }
                outcome
            }
            Err(err) => {
                let line = if staff {
                    format!("the change was made but not committed: {err:#}")
                } else {
                    "the change was made but could not be recorded in git (ask the desk's staff)"
                        .to_string()
                };
                match outcome {
                    Ok(()) => Err(exit::other(line)),
                    Err(first) => {
                        say(&format!("warning: {line}"));
                        Err(first)
                    }
                }
            }
        }
    }
}

enum Done {
    Committed(String),
    /// The files hold no change against the last commit (a concurrent tkt committed them first).
    AlreadyCommitted(String),
    /// Not committed, and why (a warning; the command still succeeds).
    Skipped(String),
}

fn commit(root: &Path, written: &[Written], actor: Option<&str>) -> anyhow::Result<Done> {
    let mut files: Vec<String> = Vec::new();
    for w in written {
        if !files.contains(&w.file) {
            files.push(w.file.clone());
        }
    }
    let names = files.join(", ");
    if git::work_tree(root)?.is_none() {
        // Only the setting gets here (--commit was refused before the write): it travels with the
        // store into copies that are no repository.
        return Ok(Done::Skipped(format!(
            "auto_commit is on in tkt.yaml, but {} is not in a git repository: {names} not committed",
            root.display()
        )));
    }
    if let Some(what) = git::operation_in_progress(root)? {
        return Ok(Done::Skipped(format!(
            "{what} is in progress in this repository: {names} written but not committed \
             (commit it with the {})",
            what.trim_start_matches("a ")
        )));
    }
    let changes: Vec<_> = written.iter().map(|w| w.change.clone()).collect();
    let message = commit_message::message(&changes, actor);
    match git::commit_only(root, &files, &message)? {
        Committed::Yes => Ok(Done::Committed(message)),
        Committed::NothingToCommit => Ok(Done::AlreadyCommitted(names)),
    }
}

/// Whether a command may write to the store. Only commands known to read are left out: a command
/// added later counts as a write until it is listed here.
fn writes(command: &Command) -> bool {
    !matches!(
        command,
        Command::List(_)
            | Command::Show { .. }
            | Command::Log { .. }
            | Command::Completions { .. }
            | Command::Man
            | Command::Schema { .. }
            | Command::Person(PersonCommand::List)
            | Command::Cc(CcCommand::List { .. })
            | Command::Follower(FollowerCommand::List { .. })
            | Command::Side(SideCommand::List { .. })
            | Command::Audience { .. }
            | Command::Inbox
            | Command::Git(GitCommand::MergeDriver { .. })
    )
}
