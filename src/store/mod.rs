//! The store on disk (SPEC §6): finding it, reading and writing its files, locking, ticket ids. It never
//! prints; commands decide what to say.

mod files;
mod local;
mod lock;
mod parallel;
mod shape;

pub mod cache;
pub mod check;
pub mod fallback;
pub mod journal;
pub mod mail;
pub mod search;
pub mod templates;

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::exit;
use crate::model::commit_message::Change;
use crate::model::summary::Summary;
use crate::model::{People, Settings, Ticket};
use crate::yaml::layout::Bodies;

pub use files::{
    read_limited, read_limited_from, real_dir, regular_file, write_atomically, write_new,
};
pub use templates::TEMPLATES_DIR;

pub const SETTINGS_FILE: &str = "tkt.yaml";
pub const PEOPLE_FILE: &str = "people.yaml";
/// Machine-local state (locks, the list cache, the id hint), ignored by git.
pub const LOCAL_DIR: &str = ".tkt";

pub const GITIGNORE: &str = "# Machine-local files of tkt: locks, caches, temporary files of interrupted writes.\n.tkt/\n.tmp-*\n";

/// An open store: its directory, settings and people.
#[derive(Debug)]
pub struct Store {
    pub root: PathBuf,
    pub settings: Settings,
    pub people: People,
    /// Where the files this store writes are recorded (for auto-commit).
    pub journal: journal::Journal,
}

/// Finds the store: `--store`/`TKT_STORE` if given (the directory itself or its `tickets/`), else the
/// nearest directory upward that holds `tkt.yaml`, or a `tickets/` directory that does.
pub fn discover(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = explicit {
        return store_at(dir).ok_or_else(|| not_a_store(dir));
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    for dir in cwd.ancestors() {
        if let Some(store) = store_at(dir) {
            return Ok(store);
        }
    }
    Err(exit::not_found(
        "no tkt store here or above (give --store DIR, set TKT_STORE, or run `tkt init`)",
    ))
}

/// The store in `dir`: `dir` itself when it holds the settings file, else a `tickets/` inside it that does.
pub fn store_at(dir: &Path) -> Option<PathBuf> {
    if dir.join(SETTINGS_FILE).is_file() {
        return Some(dir.to_path_buf());
    }
    let nested = dir.join("tickets");
    nested.join(SETTINGS_FILE).is_file().then_some(nested)
}

/// Why `--store DIR` is no store. The advice never creates a store inside another one, which would hide
/// the first: a directory inside a store is told to name that store instead.
fn not_a_store(dir: &Path) -> anyhow::Error {
    let enclosing = std::fs::canonicalize(dir).ok().and_then(|full| {
        full.ancestors()
            .skip(1)
            .find(|a| a.join(SETTINGS_FILE).is_file())
            .map(Path::to_path_buf)
    });
    match enclosing {
        Some(store) => exit::not_found(format!(
            "--store: {} is not a tkt store; it is inside the store {} (give --store {})",
            dir.display(),
            store.display(),
            store.display()
        )),
        None => exit::not_found(format!(
            "--store: {} is not a tkt store (no {SETTINGS_FILE} in it or in its tickets/; \
             run `tkt init {}` to create one)",
            dir.display(),
            dir.display()
        )),
    }
}

/// The ticket id a file name stands for: `42.yaml` is 42; anything else is not a ticket.
pub fn id_of_file_name(name: &str) -> Option<u64> {
    let digits = name.strip_suffix(".yaml")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return None;
    }
    digits.parse().ok()
}

pub(super) fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    decode_text(bytes).map_err(|(line, message)| {
        exit::invalid(format!("{}: line {line}: {message}", path.display()))
    })
}

/// A file's bytes as text, or the line and why not.
fn decode_text(bytes: Vec<u8>) -> Result<String, (usize, String)> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
        (line, format!("not valid UTF-8 (byte {at})"))
    })?;
    // Some editors start a file with a byte-order mark; it is not part of the first key.
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// The words on the first conflict marker of a file the merge driver left holding two different
/// tickets created under one id on two branches.
pub const CLASH: &str = "two different tickets were created as";

/// The first line of an unresolved git merge, which YAML would only call "could not find expected ':'".
fn conflict_marker(text: &str) -> Option<usize> {
    let is_marker = |l: &str| {
        let l = l.trim_end();
        l == "======="
            || ["<<<<<<<", "|||||||", ">>>>>>>"]
                .iter()
                .any(|m| l.starts_with(m))
    };
    text.lines().position(is_marker).map(|i| i + 1)
}

fn parse<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    shape: &crate::yaml::Shape,
) -> anyhow::Result<T> {
    if text.trim().is_empty() {
        return Err(exit::invalid(format!(
            "{}: the file is empty",
            path.display()
        )));
    }
    crate::yaml::read(text, shape).map_err(|e| {
        match conflict_marker(text) {
            Some(1) if text.lines().next().is_some_and(|l| l.contains(CLASH)) => {
                let id = path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
                exit::invalid(format!(
                    "{}: line 1: two different tickets were created as #{id} on two branches; run `tkt renumber {id}`",
                    path.display()
                ))
            }
            Some(line) => exit::invalid(format!(
                "{}: line {line}: unresolved git merge conflict (resolve the <<<<<<< ======= >>>>>>> markers)",
                path.display()
            )),
            None => exit::invalid(format!("{}: {e}", path.display())),
        }
    })
}

impl Store {
    /// Reads the store's settings and people. Both must be regular files (exit 5 otherwise), as ticket
    /// files must: tkt reads nothing through a link.
    pub fn open(root: PathBuf) -> anyhow::Result<Store> {
        regular_file(&root.join(SETTINGS_FILE), "settings file")?;
        regular_file(&root.join(PEOPLE_FILE), "people file")?;
        let settings_path = root.join(SETTINGS_FILE);
        let text = read_text(&settings_path)?;
        let settings: Settings = if text.trim().is_empty() {
            Settings::default()
        } else {
            parse(&settings_path, &text, &shape::SETTINGS)?
        };
        settings
            .validate()
            .map_err(|e| invalid_at(&settings_path, &text, &e))?;
        let people = Self::read_people(&root)?;
        Ok(Store {
            root,
            settings,
            people,
            journal: journal::Journal::default(),
        })
    }

    fn read_people(root: &Path) -> anyhow::Result<People> {
        Ok(Self::read_people_text(root)?.0)
    }

    /// `read_people`, and the text it was read from (empty if there is no file).
    fn read_people_text(root: &Path) -> anyhow::Result<(People, String)> {
        let path = root.join(PEOPLE_FILE);
        if !path.exists() {
            return Ok((People::default(), String::new()));
        }
        let text = read_text(&path)?;
        Ok((people_from_text(&path, &text)?, text))
    }

    pub fn ticket_path(&self, id: u64) -> PathBuf {
        self.root.join(format!("{id}.yaml"))
    }

    /// Reads one ticket; exit 3 if there is no such ticket, exit 5 naming the file if it is invalid.
    pub fn load(&self, id: u64) -> anyhow::Result<Ticket> {
        let path = self.ticket_path(id);
        if !regular_file(&path, "ticket file")? {
            return Err(exit::not_found(format!("ticket #{id} not found")));
        }
        load_file(&path, id)
    }

    /// Every ticket id in the store, ascending, from file names alone (nothing is parsed).
    pub fn ticket_ids(&self) -> anyhow::Result<Vec<u64>> {
        let mut ids = Vec::new();
        let entries = std::fs::read_dir(&self.root)
            .with_context(|| format!("cannot read {}", self.root.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", self.root.display()))?;
            if let Some(id) = entry.file_name().to_str().and_then(id_of_file_name) {
                ids.push(id);
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// Changes one ticket under its lock: reads it, lets `change` edit it, and writes it back atomically
    /// if `change` recorded any event. Returns what `change` returned.
    pub fn update<R>(
        &self,
        id: u64,
        now: chrono::DateTime<chrono::Utc>,
        change: impl FnOnce(&mut Ticket) -> anyhow::Result<R>,
    ) -> anyhow::Result<R> {
        let path = self.ticket_path(id);
        if !regular_file(&path, "ticket file")? {
            return Err(exit::not_found(format!("ticket #{id} not found")));
        }
        let _lock = lock::acquire(&self.lock_path(&id.to_string())?)?;
        let (mut ticket, text) = read_ticket(&path, id)?;
        let before = ticket.clone();
        let result = change(&mut ticket)?;
        if ticket != before {
            if shape::ticket_has_unknown(&before) {
                keeps_unknown(
                    &path,
                    &text,
                    &crate::yaml::to_string(&before)?,
                    &shape::TICKET,
                )?;
            }
            // Never earlier than it was: a clock behind the ticket's does not move it back.
            ticket.updated = ticket.updated.max(now);
            let text = serialize_valid(&ticket, id)?;
            let stamp = self.directory_stamp();
            write_atomically(&self.root, &path, text.as_bytes())?;
            self.carry_hint(stamp);
            self.wrote(&path, Change::ticket(id, &before.events, &ticket.events));
        }
        Ok(result)
    }

    /// Writes `ticket` as ticket `id` under its lock without reading what the file held: for a file no
    /// reader can take, such as one git left holding two tickets (`tkt renumber`).
    pub fn overwrite(&self, id: u64, ticket: &Ticket) -> anyhow::Result<()> {
        let path = self.ticket_path(id);
        let _lock = lock::acquire(&self.lock_path(&id.to_string())?)?;
        let text = serialize_valid(ticket, id)?;
        let stamp = self.directory_stamp();
        write_atomically(&self.root, &path, text.as_bytes())?;
        self.carry_hint(stamp);
        // What was there is not read, so the change is told by the event recorded last.
        let events = ticket.events.last().cloned().into_iter().collect();
        self.wrote(
            &path,
            Change::Ticket {
                id,
                opened: None,
                events,
            },
        );
        Ok(())
    }

    /// Creates a ticket with the next id: one more than the highest in the store. Under a store-wide
    /// lock, so concurrent `tkt new` never share an id. No ticket is parsed, and usually not even the
    /// directory is listed: see `last_id`.
    pub fn create(&self, make: impl FnOnce(u64) -> anyhow::Result<Ticket>) -> anyhow::Result<u64> {
        let _lock = lock::acquire(&self.lock_path("new")?)?;
        // A file named 18446744073709551615.yaml leaves no id after it: an error, not an overflow.
        let after = |last: u64| {
            last.checked_add(1).ok_or_else(|| {
                exit::invalid(format!(
                    "{}: no ticket id is left after this one",
                    self.ticket_path(last).display()
                ))
            })
        };
        let mut id = after(self.last_id()?)?;
        // A link or anything else under the name takes the id too (`exists` would look through a link).
        while self.ticket_path(id).symlink_metadata().is_ok() {
            id = after(id)?;
        }
        let ticket = make(id)?;
        let text = serialize_valid(&ticket, id)?;
        write_new(&self.root, &self.ticket_path(id), text.as_bytes())?;
        self.wrote(
            &self.ticket_path(id),
            Change::Ticket {
                id,
                opened: Some(ticket.subject.clone()),
                events: ticket.events.clone(),
            },
        );
        // The hint only saves a directory listing; losing it is harmless.
        if let Some(stamp) = self.directory_stamp() {
            self.write_hint(&format!("{id} {stamp}\n"));
        }
        Ok(id)
    }

    /// The highest ticket id. `.tkt/last-id` remembers it together with the store directory's
    /// modification time when it was written; while that time is unchanged no file has been added or
    /// removed since (a `git pull`, a checkout, a hand copy all change it), so the hint is the answer.
    /// Otherwise the directory's file names decide, so every clone of a store gives the same next id.
    fn last_id(&self) -> anyhow::Result<u64> {
        let hint = local::read(&self.hint_path()).and_then(|text| {
            let (id, stamp) = text.trim().split_once(' ')?;
            (Some(stamp.to_string()) == self.directory_stamp()).then(|| id.parse::<u64>().ok())?
        });
        match hint {
            Some(id) if self.ticket_path(id).exists() => Ok(id),
            _ => Ok(self.ticket_ids()?.last().copied().unwrap_or(0)),
        }
    }

    /// A rewrite changes the directory's time but adds no ticket, so a hint that was valid just before
    /// it stays valid: re-stamp it, unless a concurrent `new` holds its lock or changed the hint (then
    /// the next `new` lists the directory, which is only slower).
    fn carry_hint(&self, stamp_before: Option<String>) {
        let Some(before) = stamp_before else { return };
        let Some(_lock) = self
            .lock_path("new")
            .ok()
            .and_then(|path| lock::try_acquire(&path))
        else {
            return;
        };
        let Some(text) = local::read(&self.hint_path()) else {
            return;
        };
        if let Some((id, stamp)) = text.trim().split_once(' ')
            && stamp == before
            && let Some(now) = self.directory_stamp()
        {
            self.write_hint(&format!("{id} {now}\n"));
        }
    }

    fn hint_path(&self) -> PathBuf {
        self.root.join(LOCAL_DIR).join("last-id")
    }

    /// Replaces the hint by rename (a link there is replaced, never written through); a hint that
    /// cannot be written only costs a directory listing next time.
    fn write_hint(&self, text: &str) {
        if let Ok(dir) = local::local_dir(&self.root) {
            let _ = local::replace(&dir, &self.hint_path(), text.as_bytes());
        }
    }

    /// The store directory's modification time in nanoseconds, as text.
    fn directory_stamp(&self) -> Option<String> {
        let modified = std::fs::metadata(&self.root).ok()?.modified().ok()?;
        let nanos = modified
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(nanos.to_string())
    }

    /// A lock file's path, after making sure `.tkt/locks` is a real directory (exit 5 otherwise).
    fn lock_path(&self, name: &str) -> anyhow::Result<PathBuf> {
        Ok(local::locks_dir(&self.root)?.join(format!("{name}.lock")))
    }

    /// Rewrites `people.yaml` under its lock.
    pub fn update_people(
        &self,
        change: impl FnOnce(&mut People) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let _lock = lock::acquire(&self.lock_path("people")?)?;
        regular_file(&self.root.join(PEOPLE_FILE), "people file")?;
        let (mut people, old) = Self::read_people_text(&self.root)?;
        let path = self.root.join(PEOPLE_FILE);
        if shape::people_has_unknown(&people) {
            keeps_unknown(
                &path,
                &old,
                &crate::yaml::to_string(&people)?,
                &shape::PEOPLE,
            )?;
        }
        let before = people.people.clone();
        change(&mut people)?;
        let text = crate::yaml::to_string(&people)?;
        write_atomically(&self.root, &path, text.as_bytes())?;
        self.wrote(&path, Change::people(&before, &people.people));
        Ok(())
    }

    /// Records in the journal that `path`, a file of this store, was replaced or created.
    fn wrote(&self, path: &Path, change: Change) {
        let file = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.journal.wrote(journal::Written {
            root: self.root.clone(),
            file,
            change,
            auto_commit: self.settings.auto_commit,
        });
    }
}

/// The people directory in `text`, the file at `path` (an empty file is an empty directory).
pub fn people_from_text(path: &Path, text: &str) -> anyhow::Result<People> {
    if text.trim().is_empty() {
        return Ok(People::default());
    }
    // The layout reader answers the directory serde_yaml would read, or "don't know": validated once.
    let people: People = match crate::yaml::layout::people(text) {
        Some(people) => people,
        None => parse(path, text, &shape::PEOPLE)?,
    };
    people.validate().map_err(|e| invalid_at(path, text, &e))?;
    Ok(people)
}

/// Refuses a write that would change what a person wrote under a key tkt does not know: `text` is the
/// file as read and `as_read` what tkt would write for it unchanged. Commands never touch unknown
/// keys, so comparing these two (entry for entry, whatever the change adds or removes) tells whether
/// the write keeps every unknown value exactly.
fn keeps_unknown(
    path: &Path,
    text: &str,
    as_read: &str,
    shape: &crate::yaml::Shape,
) -> anyhow::Result<()> {
    match crate::yaml::changed_unknown(text, as_read, shape) {
        Some(why) => Err(exit::invalid(format!("{}: {why}", path.display()))),
        None => Ok(()),
    }
}

/// The file text of a ticket, refusing to write what tkt itself would refuse to read.
fn serialize_valid(ticket: &Ticket, id: u64) -> anyhow::Result<String> {
    ticket.validate(id).map_err(|e| {
        exit::invalid(format!(
            "ticket #{id}: the change would leave it invalid: {e}"
        ))
    })?;
    crate::yaml::to_string(ticket)
}

/// Reads and checks one ticket file whose name gives `id`.
pub fn load_file(path: &Path, id: u64) -> anyhow::Result<Ticket> {
    Ok(read_ticket(path, id)?.0)
}

/// `load_file`, and the text the ticket was read from.
fn read_ticket(path: &Path, id: u64) -> anyhow::Result<(Ticket, String)> {
    let text = read_text(path)?;
    let ticket = read_ticket_text(path, id, &text, Bodies::Read)?;
    Ok((ticket, text))
}

/// What `list` needs of one ticket file whose name gives `id`: its summary, read without decoding any
/// body where the file is in tkt's own layout.
pub fn summary_of_file(path: &Path, id: u64) -> anyhow::Result<Summary> {
    let text = read_text(path)?;
    Ok(Summary::of(&read_ticket_text(
        path,
        id,
        &text,
        Bodies::Skip,
    )?))
}

/// The ticket in `text`: read by the fast reader of tkt's own layout when the file is written that way
/// and valid, and otherwise by serde_yaml, which then decides and names the line of any error. Both
/// give the same ticket (`yaml::layout`), so which one read a file never shows.
pub fn read_ticket_text(
    path: &Path,
    id: u64,
    text: &str,
    bodies: Bodies,
) -> anyhow::Result<Ticket> {
    if let Some(mut ticket) = crate::yaml::layout::ticket(text, bodies)
        && ticket.validate(id).is_ok()
    {
        if bodies == Bodies::Read {
            ticket.fill_missing_ids();
        }
        return Ok(ticket);
    }
    reference_ticket(path, id, text)
}

/// A ticket read the reference way: the guard, serde_yaml, then validation. Public so that tests can
/// hold the fast reader to it.
pub fn reference_ticket(path: &Path, id: u64, text: &str) -> anyhow::Result<Ticket> {
    let mut ticket: Ticket = parse(path, text, &shape::TICKET)?;
    ticket
        .validate(id)
        .map_err(|e| invalid_at(path, text, &e))?;
    ticket.fill_missing_ids();
    Ok(ticket)
}

/// A finding of `validate` about the file at `path` (`followers[0]: …`, starting with the path of the
/// field) as an error naming the file and the line where that field's value is.
fn invalid_at(path: &Path, text: &str, message: &str) -> anyhow::Error {
    let field = message.split(": ").next().unwrap_or_default();
    match crate::yaml::line_of(text, field) {
        Some(line) => exit::invalid(format!("{}: line {line}: {message}", path.display())),
        None => exit::invalid(format!("{}: {message}", path.display())),
    }
}
