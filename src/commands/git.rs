//! `tkt git setup|merge-driver|settle` and `tkt renumber`: a store kept in git. The merge itself is the
//! model's (`model::merge`); this file reads the three versions git hands over, writes the result, and
//! says what a person must decide.

use std::path::Path;

use crate::cli::GitCommand;
use crate::context::Context;
use crate::exit;
use crate::model::merge::{self, MergeConflict, Merged};
use crate::model::{Event, People, Ticket};
use crate::store::{self, PEOPLE_FILE, Store, id_of_file_name};
use crate::yaml::layout::Bodies;

pub fn run(ctx: &Context, cmd: GitCommand) -> anyhow::Result<()> {
    match cmd {
        GitCommand::Setup => setup(ctx),
        GitCommand::MergeDriver {
            base,
            ours,
            theirs,
            path,
        } => merge_driver(ctx, &base, &ours, &theirs, &path),
        GitCommand::Settle {
            target,
            field,
            entry,
            ours: _,
            theirs,
        } => settle(ctx, &target, field.as_deref(), entry.as_deref(), theirs),
    }
}

/// The name of the driver in `.gitattributes` and git's config.
pub const DRIVER: &str = "tkt";

/// The lines `tkt git setup` puts in the store's `.gitattributes`: the merge driver for tickets and
/// people, and kept mail (`mail receive`) never touched by git's line-end conversion, so each message
/// stays byte for byte what arrived.
const ATTRIBUTES: [&str; 3] = [
    "/[0-9]*.yaml merge=tkt",
    "/people.yaml merge=tkt",
    "/mail/*.eml -text",
];

/// Writes the store's `.gitattributes` lines and registers the driver in this clone's git config.
pub fn setup(ctx: &Context) -> anyhow::Result<()> {
    let store = ctx.store()?;
    // It changes the repository's attributes and this clone's git config: the desk's staff (or whoever
    // sets up the store, with no actor).
    staff_only(ctx, &store)?;
    let Some(_top) = crate::git::work_tree(&store.root)? else {
        return Err(exit::usage(format!(
            "{} is not in a git repository; run `git init` there first",
            store.root.display()
        )));
    };
    let path = store.root.join(".gitattributes");
    // Never read through a link: a commit controls every file of the store, links included, and
    // whatever the link points at would be copied into the attributes.
    let old = if store::regular_file(&path, "attributes file")? {
        std::fs::read_to_string(&path)
            .map_err(|e| exit::invalid(format!("cannot read {}: {e}", path.display())))?
    } else {
        String::new()
    };
    // Only the lines that are missing: a store set up before a line was added gets it on the next run.
    let missing: Vec<&str> = ATTRIBUTES
        .into_iter()
        .filter(|line| !old.lines().any(|l| l.trim() == *line))
        .collect();
    if !missing.is_empty() {
        let mut text = old.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("# tkt: merge tickets and people.yaml entry by entry, keep mail as it came (tkt git setup)\n");
        for line in missing {
            text.push_str(line);
            text.push('\n');
        }
        store::write_atomically(&store.root, &path, text.as_bytes())?;
        ctx.note(&format!(
            "Wrote the tkt merge driver's lines to {}",
            path.display()
        ));
    }
    let exe =
        std::env::current_exe().map_err(|e| anyhow::anyhow!("cannot find tkt's own path: {e}"))?;
    let command = format!(
        "{} git merge-driver %O %A %B %P",
        shell_quoted(&exe.to_string_lossy())
    );
    crate::git::set_config(
        &store.root,
        &format!("merge.{DRIVER}.name"),
        "tkt: tickets merged entry by entry",
    )?;
    crate::git::set_config(&store.root, &format!("merge.{DRIVER}.driver"), &command)?;
    ctx.note("Registered the tkt merge driver in this clone's git config (every clone runs `tkt git setup` once)");
    Ok(())
}

/// `text` as one word for a POSIX shell (git runs the driver's command line through one).
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The merge driver: `base`, `ours` and `theirs` are the three versions git hands over, `path` the
/// file's place in the work tree. The result goes over `ours`. Exit 0 only for a merge that lost
/// nothing and left nothing to decide; otherwise 1 (never above 128, which git reads as a crash).
pub fn merge_driver(
    ctx: &Context,
    base: &Path,
    ours: &Path,
    theirs: &Path,
    path: &str,
) -> anyhow::Result<()> {
    let name = Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let read = |p: &Path| {
        std::fs::read(p)
            .map_err(|e| exit::other(format!("{path}: cannot read {}: {e}", p.display())))
    };
    let (b, o, t) = (read(base)?, read(ours)?, read(theirs)?);
    let outcome = if name == PEOPLE_FILE {
        merge_people(path, &b, &o, &t)
    } else if let Some(id) = id_of_file_name(&name) {
        merge_ticket(path, id, &b, &o, &t)
    } else {
        return line_merge(base, ours, theirs, path);
    };
    match outcome {
        Ok(done) => {
            std::fs::write(ours, done.text.as_bytes())
                .map_err(|e| exit::other(format!("{path}: cannot write the merge: {e}")))?;
            for choice in &done.choices {
                ctx.warn(&format!("{path}: {choice}"));
            }
            if done.conflicts.is_empty() {
                return Ok(());
            }
            let places: Vec<String> = done.conflicts.iter().map(describe).collect();
            Err(exit::other(format!(
                "{path}: changed on both branches, for a person to decide: {}; the file holds ours, \
                 and both values are under merge_conflicts: settle with `tkt git settle {} --ours|--theirs`",
                places.join("; "),
                done.target
            )))
        }
        Err(why) => {
            std::fs::write(ours, both_sides(&o, &t, &why.label))
                .map_err(|e| exit::other(format!("{path}: cannot write the merge: {e}")))?;
            Err(exit::other(format!("{path}: {}", why.message)))
        }
    }
}

const OURS: &str = "this branch's";
const THEIRS: &str = "the other branch's";
const BASE: &str = "the common ancestor's";

/// A merge that could be written as a file tkt reads.
struct Done {
    text: String,
    choices: Vec<String>,
    conflicts: Vec<MergeConflict>,
    /// What `tkt git settle` takes to name the file: the ticket id or `people`.
    target: String,
}

/// Why a merge could not be written as one file tkt reads: the file then holds both sides whole.
struct Unmerged {
    /// The words on the conflict marker.
    label: String,
    message: String,
}

fn unmerged(label: &str, message: String) -> Unmerged {
    Unmerged {
        label: label.to_string(),
        message,
    }
}

/// Both versions whole between git's conflict markers: nothing of either is lost, and every reader
/// refuses the file until a person (or `tkt renumber`) settles it.
fn both_sides(ours: &[u8], theirs: &[u8], label: &str) -> Vec<u8> {
    let mut text = format!("<<<<<<< ours ({label})\n").into_bytes();
    for side in [ours, theirs] {
        text.extend_from_slice(side);
        if !side.is_empty() && !side.ends_with(b"\n") {
            text.push(b'\n');
        }
        if std::ptr::eq(side, ours) {
            text.extend_from_slice(b"=======\n");
        }
    }
    text.extend_from_slice(b">>>>>>> theirs\n");
    text
}

fn utf8<'a>(side: &str, bytes: &'a [u8]) -> Result<&'a str, Unmerged> {
    std::str::from_utf8(bytes).map_err(|_| {
        unmerged(
            &format!("tkt could not read {side} version"),
            format!("{side} version is not valid UTF-8; both versions are in the file between conflict markers"),
        )
    })
}

/// The base (None when both branches created the file), ours and theirs, each read by `read`; the
/// first that cannot be read is named in the conflict marker and the message.
fn three_sides<T>(
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    read: impl Fn(&str) -> anyhow::Result<T>,
) -> Result<(Option<T>, T, T), Unmerged> {
    let side = |name: &str, bytes: &[u8]| -> Result<T, Unmerged> {
        read(utf8(name, bytes)?).map_err(|e| {
            unmerged(
                &format!("tkt could not read {name} version"),
                format!("{name} version cannot be read ({e:#}); both versions are in the file between conflict markers"),
            )
        })
    };
    let (o, t) = (side(OURS, ours)?, side(THEIRS, theirs)?);
    let b = if base.is_empty() {
        None
    } else {
        Some(side(BASE, base)?)
    };
    Ok((b, o, t))
}

fn merge_ticket(
    path: &str,
    id: u64,
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
) -> Result<Done, Unmerged> {
    let file = Path::new(path);
    let (b, o, t) = three_sides(base, ours, theirs, |text| {
        store::read_ticket_text(file, id, text, Bodies::Read)
    })?;
    if b.is_none() && !merge::same_ticket(&o, &t) {
        return Err(unmerged(
            &format!("{} #{id}: run tkt renumber {id}", store::CLASH),
            format!(
                "two different tickets were created as #{id} on the two branches; both are in the file \
                 between conflict markers: run `tkt renumber {id}` to give the newer one the next free id"
            ),
        ));
    }
    let Merged { value, choices, .. } = merge::tickets(b.as_ref(), &o, &t);
    let text = crate::yaml::to_string(&value)
        .map_err(|e| unmerged("tkt could not merge it", format!("{e:#}")))?;
    // Read back what is written: exit 0 only for a file tkt reads as exactly the merge.
    match store::read_ticket_text(file, id, &text, Bodies::Read) {
        Ok(back) if back == value => {}
        Ok(_) | Err(_) => {
            return Err(unmerged(
                "tkt could not merge it",
                "the merged ticket would not be valid; both versions are in the file between conflict markers".into(),
            ));
        }
    }
    Ok(Done {
        text,
        choices,
        conflicts: value.merge_conflicts.clone(),
        target: id.to_string(),
    })
}

fn merge_people(path: &str, base: &[u8], ours: &[u8], theirs: &[u8]) -> Result<Done, Unmerged> {
    let file = Path::new(path);
    let (b, o, t) = three_sides(base, ours, theirs, |text| {
        store::people_from_text(file, text)
    })?;
    let Merged { value, choices, .. } = merge::people(b.as_ref(), &o, &t);
    if let Err(why) = value.validate() {
        return Err(unmerged(
            "tkt could not merge it",
            format!(
                "the merged directory would be invalid ({why}); both versions are in the file between conflict markers"
            ),
        ));
    }
    let text = crate::yaml::to_string(&value)
        .map_err(|e| unmerged("tkt could not merge it", format!("{e:#}")))?;
    match store::people_from_text(file, &text) {
        Ok(back) if back == value => {}
        _ => {
            return Err(unmerged(
                "tkt could not merge it",
                "the merged directory would not read back; both versions are in the file between conflict markers".into(),
            ));
        }
    }
    Ok(Done {
        text,
        choices,
        conflicts: value.merge_conflicts.clone(),
        target: "people".into(),
    })
}

/// Any other file the attributes send here (a pattern wider than tkt's): git's own line merge.
fn line_merge(base: &Path, ours: &Path, theirs: &Path, path: &str) -> anyhow::Result<()> {
    let dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let paths: Vec<String> = [ours, base, theirs]
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let out = crate::git::run(
        &dir,
        &[
            "merge-file",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
            &paths[0],
            &paths[1],
            &paths[2],
        ],
    )?;
    if out.status.success() {
        Ok(())
    } else {
        Err(exit::other(format!(
            "{path}: not a tkt file; git's line merge left conflicts"
        )))
    }
}

/// One conflict as the person running the merge reads it.
pub fn describe(c: &MergeConflict) -> String {
    let show = |v: &crate::yaml::Value| match v {
        crate::yaml::Value::Null => "(none)".to_string(),
        crate::yaml::Value::String(s) => format!("{s:?}"),
        other => crate::yaml::to_string(other)
            .map(|t| t.trim_end().replace('\n', " "))
            .unwrap_or_default(),
    };
    // Of two versions of one entry, only what differs.
    if let (Some(o), Some(t)) = (c.ours.as_mapping(), c.theirs.as_mapping()) {
        let null = crate::yaml::Value::Null;
        let differs: Vec<String> = o
            .iter()
            .filter(|(k, v)| t.get(*k) != Some(*v))
            .map(|(k, v)| {
                let key = k.as_str().unwrap_or_default();
                let theirs = t.get(k).unwrap_or(&null);
                format!("{key}: ours {}, theirs {}", show(v), show(theirs))
            })
            .collect();
        return format!("{} ({})", c.place(), differs.join(", "));
    }
    format!(
        "{}: ours {}, theirs {}",
        c.place(),
        show(&c.ours),
        show(&c.theirs)
    )
}

/// `tkt git settle TARGET [FIELD [ENTRY]] --ours|--theirs`: takes one side's value for the conflicts
/// a merge left (all of them, or the one named), and stages the file if git holds it unmerged and
/// nothing is left to decide.
pub fn settle(
    ctx: &Context,
    target: &str,
    field: Option<&str>,
    entry: Option<&str>,
    theirs: bool,
) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let chosen = |c: &MergeConflict| {
        field.is_none_or(|f| c.field == f) && entry.is_none_or(|e| c.entry.as_deref() == Some(e))
    };
    let (path, left, settled) = if target == "people" {
        let mut settled = Vec::new();
        let mut left = 0;
        staff_only(ctx, &store)?;
        store.update_people(|people| {
            let value = settle_value(people, &chosen, theirs, &mut settled)?;
            value.validate().map_err(|e| {
                exit::invalid(format!("settling would leave people.yaml invalid: {e}"))
            })?;
            *people = value;
            left = people.merge_conflicts.len();
            Ok(())
        })?;
        (store.root.join(PEOPLE_FILE), left, settled)
    } else {
        let id = crate::cli::parse_ticket_id(target)
            .map_err(|e| exit::usage(format!("TARGET: {e}, or `people`")))?;
        let by = staff_actor(ctx, &store)?;
        let mut settled = Vec::new();
        let left = store.update(id, ctx.now, |t| {
            let mut value = settle_value(t, &chosen, theirs, &mut settled)?;
            for c in &settled {
                let mut e = Event::new(ctx.now.max(t.updated), &by, "merge.settle");
                e.field = Some(c.field.clone());
                e.reason = Some(if theirs { "took theirs" } else { "kept ours" }.into());
                value.record(e);
            }
            *t = value;
            Ok(t.merge_conflicts.len())
        })?;
        (store.ticket_path(id), left, settled)
    };
    if settled.is_empty() {
        let place = match (field, entry) {
            (Some(f), Some(e)) => format!("on {f} {e} "),
            (Some(f), None) => format!("on {f} "),
            _ => String::new(),
        };
        return Err(exit::not_found(format!(
            "{target}: no merge conflict {place}to settle"
        )));
    }
    for c in &settled {
        let side = if theirs { "took theirs" } else { "kept ours" };
        ctx.note(&format!("Settled {}: {side}", c.place()));
    }
    if left == 0 {
        stage_if_unmerged(ctx, &store, &path)?;
    } else {
        ctx.note(&format!("{left} more to settle in {}", path.display()));
    }
    Ok(())
}

/// A file that holds conflicts: tickets and people both do.
trait Unsettled: serde::Serialize + serde::de::DeserializeOwned + Clone {
    fn conflicts(&mut self) -> &mut Vec<MergeConflict>;
}

impl Unsettled for Ticket {
    fn conflicts(&mut self) -> &mut Vec<MergeConflict> {
        &mut self.merge_conflicts
    }
}

impl Unsettled for People {
    fn conflicts(&mut self) -> &mut Vec<MergeConflict> {
        &mut self.merge_conflicts
    }
}

/// `value` with the chosen conflicts settled: theirs' value put in place of ours where asked, and the
/// conflict gone. The settled conflicts are pushed to `settled`.
fn settle_value<T: Unsettled>(
    value: &T,
    chosen: &dyn Fn(&MergeConflict) -> bool,
    theirs: bool,
    settled: &mut Vec<MergeConflict>,
) -> anyhow::Result<T> {
    let mut value = value.clone();
    let (picked, kept): (Vec<_>, Vec<_>) = value.conflicts().drain(..).partition(|c| chosen(c));
    *value.conflicts() = kept;
    if !theirs || picked.is_empty() {
        settled.extend(picked);
        return Ok(value);
    }
    let mut tree = serde_yaml::to_value(&value)?;
    for c in &picked {
        merge::put(&mut tree, c).map_err(exit::invalid)?;
    }
    settled.extend(picked);
    serde_yaml::from_value(tree)
        .map_err(|e| exit::invalid(format!("settling would leave the file invalid: {e}")))
}

/// Who settles people.yaml: whoever keeps the repository (no actor named, as for `person add`) or staff,
/// never a customer.
fn staff_only(ctx: &Context, store: &Store) -> anyhow::Result<String> {
    match ctx.optional_actor(store)? {
        Some(who) if !who.is_staff() => Err(refused(&who)),
        who => Ok(who.map(|w| w.id().to_string()).unwrap_or_default()),
    }
}

/// Who settles or renumbers a ticket: a change to a ticket, so an actor is needed (SPEC §4), and staff.
fn staff_actor(ctx: &Context, store: &Store) -> anyhow::Result<String> {
    let who = ctx.actor(store)?;
    if !who.is_staff() {
        return Err(refused(&who));
    }
    Ok(who.id().to_string())
}

fn refused(who: &crate::model::Who) -> anyhow::Error {
    exit::not_allowed(format!(
        "{} may not set up git, settle merges or renumber tickets (staff only)",
        who.id()
    ))
}

/// Stages `path` if git holds it unmerged: the person has settled everything in it.
fn stage_if_unmerged(ctx: &Context, store: &Store, path: &Path) -> anyhow::Result<()> {
    let Some(top) = crate::git::work_tree(&store.root)? else {
        return Ok(());
    };
    let name = path.to_string_lossy();
    if crate::git::is_unmerged(&top, &name)? {
        crate::git::add(&top, &[&name])?;
        ctx.note(&format!("Staged {name}: nothing in it is left to settle"));
    }
    Ok(())
}

/// `tkt renumber ID`: of two different tickets git left under one id, the older keeps it and the newer
/// gets the next free id; both record the move, so `tkt log`/`show` of either says where the other went.
pub fn renumber(ctx: &Context, id: u64) -> anyhow::Result<()> {
    let store = ctx.store()?;
    // Staff only, before the file is looked at: a customer learns nothing of it.
    let by = staff_actor(ctx, &store)?;
    let path = store.ticket_path(id);
    let (ours, theirs) = two_versions(&store, &path)?;
    let read = |text: &str| store::read_ticket_text(&path, id, text, Bodies::Read);
    let (a, b) = (read(&ours)?, read(&theirs)?);
    if merge::same_ticket(&a, &b) {
        return Err(exit::invalid(format!(
            "{}: both versions are the same ticket; merge them with `git checkout --merge {}` after `tkt git setup`",
            path.display(),
            path.display()
        )));
    }
    let (mut keeper, mut moved) = if merge::keeps_the_id(&a, &b) {
        (a, b)
    } else {
        (b, a)
    };
    let at = ctx.now.max(keeper.updated).max(moved.updated);
    let new_id = store.create(|new_id| {
        moved.id = new_id;
        let mut e = Event::new(at.max(moved.latest_entry()), &by, "renumber");
        e.field = Some("id".into());
        e.from = Some(id.to_string());
        e.to = Some(new_id.to_string());
        e.reason = Some(format!(
            "another ticket was also created as #{id} on another branch"
        ));
        moved.record(e);
        moved.updated = moved.updated.max(at);
        Ok(moved.clone())
    })?;
    let mut e = Event::new(at.max(keeper.latest_entry()), &by, "renumber.other");
    e.field = Some("id".into());
    e.from = Some(id.to_string());
    e.to = Some(new_id.to_string());
    keeper.record(e);
    keeper.updated = keeper.updated.max(at);
    store.overwrite(id, &keeper)?;
    ctx.note(&format!(
        "#{id} stays with the older ticket; the newer one is now #{new_id}"
    ));
    if let Some(top) = crate::git::work_tree(&store.root)? {
        let moved_path = store.ticket_path(new_id);
        let names = [path.to_string_lossy(), moved_path.to_string_lossy()];
        crate::git::add(&top, &[&names[0], &names[1]])?;
        ctx.note(&format!("Staged {} and {}", names[0], names[1]));
    }
    ctx.out(&format!("{new_id}\n"))
}

/// The two versions of a ticket file that holds two tickets: from git's index while the merge is
/// unresolved, else from the file's own conflict markers (as the merge driver writes them).
fn two_versions(store: &Store, path: &Path) -> anyhow::Result<(String, String)> {
    if let Some(top) = crate::git::work_tree(&store.root)?
        && let Some(sides) = crate::git::unmerged_sides(&top, &path.to_string_lossy())?
    {
        return Ok(sides);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| exit::not_found(format!("{}: {e}", path.display())))?;
    split_markers(&text).ok_or_else(|| {
        exit::invalid(format!(
            "{}: holds one ticket, not two between conflict markers; nothing to renumber",
            path.display()
        ))
    })
}

/// The two sides of a file that is one conflict from its first line to its last, as the merge driver
/// writes two tickets created under one id.
fn split_markers(text: &str) -> Option<(String, String)> {
    let mut lines = text.split_inclusive('\n');
    if !lines.next()?.starts_with("<<<<<<< ") {
        return None;
    }
    let (mut ours, mut theirs, mut in_theirs) = (String::new(), String::new(), false);
    for line in lines {
        if line.trim_end() == "=======" && !in_theirs {
            in_theirs = true;
        } else if line.starts_with(">>>>>>> ") || line.trim_end() == ">>>>>>>" {
            return in_theirs.then_some((ours, theirs));
        } else if in_theirs {
            theirs.push_str(line);
        } else {
            ours.push_str(line);
        }
    }
    None
}
