//! `tkt check [PATH…] [--staged]`: validates a store for a pre-commit hook or CI. Which files (all,
//! the named ones, or the staged blobs) is decided here; `store::check` reads them, `model::check`
//! holds the rules, `git` answers what git knows, `render::check` writes the findings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::{CheckArgs, Format};
use crate::context::Context;
use crate::exit;
use crate::model::check::{Code, Finding, Level};
use crate::store::check::{self as checker, Report, Source, file_in};

/// What to check in one store.
enum Selection {
    All,
    Files(Vec<PathBuf>),
    Staged,
}

pub fn run(ctx: &Context, args: CheckArgs, as_who: Option<&str>) -> anyhow::Result<()> {
    // Findings name people and files: they are for the desk's staff, not for a customer, who is refused
    // before any PATH is looked at (whether a file is there is not theirs to learn either).
    let refuse =
        |root: &Path| match as_who.filter(|w| !crate::store::fallback::names_staff(root, w)) {
            Some(who) => Err(exit::not_allowed(format!(
                "{who} may not check the store (staff only)"
            ))),
            None => Ok(()),
        };
    if let Ok(root) = crate::store::discover(ctx.store_dir()) {
        refuse(&root)?;
    }
    let stores = selections(ctx, &args)?;
    let mut report = Report::default();
    for (root, selection) in stores {
        refuse(dir_of(&root))?;
        let plan = match selection {
            Selection::All => checker::whole(&root)?,
            Selection::Files(paths) => checker::files(&root, &paths),
            Selection::Staged => staged_plan(&root)?,
        };
        report.extend(checker::run(plan, ctx.now));
        report.findings.extend(driver(&root));
        report.findings.extend(unmerged(&root));
    }
    report.sort();
    let (errors, warnings) = (report.count(Level::Error), report.count(Level::Warning));
    let doc = crate::render::check::doc(&report.findings, report.files);
    match ctx.format {
        Format::Text => ctx.out(&crate::render::check::lines(&report.findings))?,
        _ => ctx.emit(&doc, String::new)?,
    }
    let summary = crate::render::check::summary(report.files, errors, warnings);
    if errors > 0 {
        return Err(exit::invalid(summary));
    }
    ctx.note(&summary);
    Ok(())
}

/// The directory to read or run git in for a store shown as `root` (empty for the current directory).
fn dir_of(root: &Path) -> &Path {
    if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    }
}

/// A path as the user would type it: relative to the current directory when it is below it.
fn shown(path: PathBuf) -> PathBuf {
    if path.is_absolute()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rest) = path.strip_prefix(&cwd)
    {
        return rest.to_path_buf();
    }
    path
}

/// The stores to check and what in each: the PATHs grouped by store, or the store of `--store` (or the
/// one found from here upward) whole or staged.
fn selections(ctx: &Context, args: &CheckArgs) -> anyhow::Result<Vec<(PathBuf, Selection)>> {
    if args.paths.is_empty() {
        let root = shown(crate::store::discover(ctx.store_dir())?);
        let selection = if args.staged {
            Selection::Staged
        } else {
            Selection::All
        };
        return Ok(vec![(root, selection)]);
    }
    let mut stores: BTreeMap<PathBuf, Selection> = BTreeMap::new();
    for path in &args.paths {
        let Ok(meta) = std::fs::metadata(path).or_else(|_| std::fs::symlink_metadata(path)) else {
            return Err(exit::not_found(format!(
                "PATH: {}: no such file or directory",
                path.display()
            )));
        };
        if meta.is_dir() {
            let store = crate::store::store_at(path).ok_or_else(|| {
                exit::not_found(format!(
                    "PATH: {} is not a tkt store (no tkt.yaml in it or in its tickets/)",
                    path.display()
                ))
            })?;
            stores.insert(store, Selection::All);
            continue;
        }
        let parent = path.parent().unwrap_or(Path::new("")).to_path_buf();
        if !dir_of(&parent).join(crate::store::SETTINGS_FILE).is_file() {
            return Err(exit::not_found(format!(
                "PATH: {} is not in a tkt store (no tkt.yaml beside it)",
                path.display()
            )));
        }
        match stores
            .entry(parent)
            .or_insert_with(|| Selection::Files(Vec::new()))
        {
            Selection::Files(paths) => paths.push(path.clone()),
            Selection::All | Selection::Staged => {}
        }
    }
    Ok(stores.into_iter().collect())
}

/// The store's files staged in git, with the settings and people as the index holds them.
fn staged_plan(root: &Path) -> anyhow::Result<checker::Plan> {
    let dir = dir_of(root);
    if crate::git::work_tree(dir)?.is_none() {
        return Err(exit::usage(format!(
            "--staged: the store {} is not in a git work tree",
            dir.display()
        )));
    }
    // Only the store's own files: not those of its subdirectories (templates/) or hidden ones.
    let ours = |path: &str| {
        !path.contains('/')
            && !path.starts_with('.')
            && (path.ends_with(".yaml") || path.ends_with(".yml"))
    };
    let changed: Vec<_> = crate::git::staged(dir)?
        .into_iter()
        .filter(|s| ours(&s.path))
        .collect();
    let index = crate::git::index_entries(
        dir,
        &[crate::store::SETTINGS_FILE, crate::store::PEOPLE_FILE],
    )?;
    let wanted: Vec<String> = changed
        .iter()
        .chain(&index)
        .filter(|s| !s.is_link())
        .map(|s| s.blob.clone())
        .collect();
    let mut contents = crate::git::blobs(dir, &wanted)?.into_iter();
    let mut sources = |entries: Vec<crate::git::Staged>| -> Vec<(String, Source)> {
        entries
            .into_iter()
            .map(|s| {
                let source = if s.is_link() {
                    Source::Link
                } else {
                    Source::Blob(contents.next().unwrap_or_default())
                };
                (s.path, source)
            })
            .collect()
    };
    let changed = sources(changed);
    let index = sources(index);
    Ok(checker::staged(root, changed, index))
}

/// The warning when git's attributes give ticket files the tkt merge driver and this clone has not
/// registered it. Outside a git work tree, or without git, there is nothing to say.
fn driver(root: &Path) -> Option<Finding> {
    let dir = dir_of(root);
    // `check-attr` fails outside a work tree: one git process in the common case, two when the
    // attributes name the driver.
    let attribute = crate::git::output(dir, &["check-attr", "merge", "--", "1.yaml"])
        .ok()
        .flatten()
        .and_then(|line| line.rsplit_once(": ").map(|(_, v)| v.to_string()));
    if attribute.as_deref() != Some("tkt") {
        return None;
    }
    let registered = crate::git::output(dir, &["config", "--get", "merge.tkt.driver"])
        .ok()
        .flatten();
    let program = registered.as_deref().and_then(driver_program);
    let missing = program.filter(|p| p.contains('/') && !Path::new(p).exists());
    let message = match missing {
        Some(p) => format!(
            "the registered merge driver's program {p} does not exist (tkt moved?); run `tkt git setup` again: git would mark merged tickets conflicted with one side's text and no markers"
        ),
        None => {
            crate::model::check::driver_registration(attribute.as_deref(), registered.as_deref())?
        }
    };
    let (file, line) = attributes_file(root);
    Some(Finding::new(
        file,
        line,
        Level::Warning,
        Code::DriverUnregistered,
        message,
    ))
}

/// The program of a registered driver command (`'/path/to/tkt' git merge-driver …`, as `tkt git setup`
/// writes it, or a plain first word).
fn driver_program(command: &str) -> Option<String> {
    let command = command.trim_start();
    match command.strip_prefix('\'') {
        Some(rest) => rest.split_once('\'').map(|(p, _)| p.to_string()),
        None => command.split_whitespace().next().map(str::to_string),
    }
}

/// Files of the store that git's index still holds unmerged: a merge not finished, whatever the work
/// tree's file looks like (a driver that could not run leaves one side's text and no markers).
fn unmerged(root: &Path) -> Vec<Finding> {
    let dir = dir_of(root);
    let Ok(Some(listing)) = crate::git::output(dir, &["ls-files", "-u", "--", "."]) else {
        return Vec::new();
    };
    let mut names: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_once('\t').map(|(_, name)| name))
        .collect();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            Finding::new(
                file_in(root, name),
                None,
                Level::Error,
                Code::Unmerged,
                "git still holds this file unmerged: settle it (`tkt git settle`, `tkt renumber`, or by hand), then `git add` it".into(),
            )
        })
        .collect()
}

/// The attributes file that names the driver, and the line: the store's own `.gitattributes`, else
/// the work tree's.
fn attributes_file(root: &Path) -> (PathBuf, Option<usize>) {
    let mut candidates = vec![file_in(root, ".gitattributes")];
    if let Ok(Some(top)) = crate::git::work_tree(dir_of(root)) {
        candidates.push(shown(top.join(".gitattributes")));
    }
    for file in &candidates {
        let read = if file.as_os_str().is_empty() {
            None
        } else {
            std::fs::read_to_string(file).ok()
        };
        if let Some(text) = read
            && let Some(i) = text.lines().position(|l| {
                !l.trim_start().starts_with('#') && l.split_whitespace().any(|w| w == "merge=tkt")
            })
        {
            return (file.clone(), Some(i + 1));
        }
    }
    (candidates.remove(0), None)
}
