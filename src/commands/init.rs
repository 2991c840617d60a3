//! `tkt init [DIR]`: a new store with its settings, an empty people directory and a .gitignore.

use std::path::PathBuf;

use crate::render::json::InitAnswer;
use anyhow::Context as _;

use crate::context::Context;
use crate::model::commit_message::Change;
use crate::store::journal::Written;
use crate::store::{GITIGNORE, PEOPLE_FILE, SETTINGS_FILE};

const SETTINGS: &str = "\
# tkt store settings. Every key is optional; the values below are the defaults.
cc_limit: 48            # most CCs on one ticket
cc_blocklist: []        # globs of addresses that may never be CC'd or follow, e.g. \"*@support.example\"
support_addresses: []   # the desk's own addresses: never CC'd
agent_cc: warn          # an internal person added as a CC: warn | follow | reject
# default_as: HANDLE    # the actor for changes when neither --as nor TKT_AS is given
auto_commit: false      # true: every change is also a git commit of the files it changed (as --commit)
identity_from_git: false  # true: with no --as or TKT_AS, the actor is whoever has git's user.email
";

// No comment here: tkt rewrites this file when people are added, and YAML comments do not survive.
const PEOPLE: &str = "people: []\n";

/// Where the store is created: DIR, else `--store`, else the current directory.
pub fn directory(ctx: &Context, dir: Option<PathBuf>) -> PathBuf {
    dir.or_else(|| ctx.store_dir().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn run(ctx: &Context, dir: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = directory(ctx, dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Only what is missing is written, so running init again never overwrites anything.
    let mut written = Vec::new();
    for (name, contents) in [
        (SETTINGS_FILE, SETTINGS),
        (PEOPLE_FILE, PEOPLE),
        (".gitignore", GITIGNORE),
    ] {
        let path = dir.join(name);
        if !path.exists() {
            crate::store::write_new(&dir, &path, contents.as_bytes())?;
            written.push(name);
            ctx.journal.wrote(Written {
                root: dir.clone(),
                file: name.to_string(),
                change: Change::Store,
                auto_commit: false,
            });
        }
    }
    let created = written.contains(&SETTINGS_FILE);
    if created {
        ctx.note(&format!("Created a tkt store in {}", dir.display()));
    } else if written.is_empty() {
        ctx.note(&format!(
            "{} is already a tkt store; nothing was changed",
            dir.display()
        ));
    } else {
        ctx.note(&format!(
            "{} is already a tkt store; wrote {}",
            dir.display(),
            written.join(", ")
        ));
    }
    ctx.emit(
        &InitAnswer {
            store: dir,
            created,
        },
        String::new,
    )
}
