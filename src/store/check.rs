//! What `tkt check` reads: the files of a store (all of them, the ones named, or blobs staged in git),
//! each read once, tickets on all cores with the same reader as every other command, and every finding
//! placed at its file and line. It never prints; `commands::check` does. The rules beyond reading a
//! file are `model::check`'s.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::model::check::{self, Code, Desk, Finding, Level};
use crate::model::{People, Settings, Ticket};
use crate::store::{
    PEOPLE_FILE, SETTINGS_FILE, conflict_marker, decode_text, id_of_file_name, parallel, shape,
};
use crate::yaml::layout::{self, Bodies};

/// Where a file's content comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The file on disk.
    Disk,
    /// A blob staged in git: what will be committed.
    Blob(Vec<u8>),
    /// A symbolic link staged in git.
    Link,
}

/// A file to check: its path as the user would type it, and where its content comes from.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub source: Source,
}

/// What a check found, and how many files it looked at.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files: usize,
}

impl Report {
    /// The findings in file order, then line order (findings without a line first).
    /// The store's other files come before its tickets, and tickets go in id order (`9.yaml` before
    /// `10.yaml`).
    pub fn sort(&mut self) {
        let key = |f: &Finding| {
            let id = f
                .file
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(id_of_file_name);
            (
                f.file.parent().map(Path::to_path_buf),
                id,
                f.file.clone(),
                f.line,
            )
        };
        self.findings.sort_by_cached_key(key);
    }

    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    pub fn extend(&mut self, other: Report) {
        self.findings.extend(other.findings);
        self.files += other.files;
    }
}

/// `name` inside the store directory `root`, as the user would type it (`7.yaml` for the current
/// directory, not `./7.yaml`).
pub fn file_in(root: &Path, name: &str) -> PathBuf {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        PathBuf::from(name)
    } else {
        root.join(name)
    }
}

/// What a file name is to tkt.
enum Name {
    Settings,
    People,
    Ticket(u64),
    /// A YAML file tkt does not read, and what to say about it.
    Misnamed(String),
    /// Not a YAML file: not the store's business.
    Other,
}

fn name_of(name: &str) -> Name {
    match name {
        SETTINGS_FILE => return Name::Settings,
        PEOPLE_FILE => return Name::People,
        _ => {}
    }
    if let Some(id) = id_of_file_name(name) {
        return Name::Ticket(id);
    }
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return Name::Other;
    };
    let digits = !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit());
    let number = stem.trim_start_matches('0');
    let message = if digits && number.is_empty() {
        "0 is no ticket id: tkt does not read this file".to_string()
    } else if digits && number.parse::<u64>().is_ok() && name.ends_with(".yml") {
        format!(
            "tkt reads a ticket only from a file named <id>.yaml, not .yml: it does not read this file; rename it to {number}.yaml"
        )
    } else if digits && number.parse::<u64>().is_ok() {
        format!(
            "tkt reads a ticket only from a file named <id>.yaml, without leading zeros: it does not read this file; rename it to {number}.yaml"
        )
    } else if stem == "tkt" || stem == "people" {
        format!("tkt reads {stem}.yaml, not {name}: rename it")
    } else {
        "not a file tkt reads: a store holds tkt.yaml, people.yaml and one <id>.yaml per ticket (42.yaml)".to_string()
    };
    Name::Misnamed(message)
}

/// Why a path that should be a regular file is not one; None if it is one (or is missing).
fn not_regular(path: &Path) -> Option<String> {
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(path).ok()?.file_type();
    let what = if kind.is_file() {
        return None;
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a device"
    };
    Some(format!(
        "{what} where a file should be: tkt reads only regular files"
    ))
}

fn error(path: &Path, line: Option<usize>, code: Code, message: String) -> Finding {
    Finding::new(path.to_path_buf(), line, Level::Error, code, message)
}

fn warning(path: &Path, line: Option<usize>, code: Code, message: String) -> Finding {
    Finding::new(path.to_path_buf(), line, Level::Warning, code, message)
}

/// A message of the YAML reader (`line 3: …`) as its line and the rest.
fn at_line(message: &str) -> (Option<usize>, String) {
    if let Some(rest) = message.strip_prefix("line ")
        && let Some((n, text)) = rest.split_once(": ")
        && let Ok(n) = n.parse()
    {
        return (Some(n), text.to_string());
    }
    (None, message.to_string())
}

/// A file's text, or the finding that it cannot be read.
fn text_of(target: &Target) -> Result<String, Finding> {
    let path = &target.path;
    let bytes = match &target.source {
        Source::Link => {
            return Err(error(
                path,
                None,
                Code::FileType,
                "a symbolic link where a file should be: tkt reads only regular files".into(),
            ));
        }
        Source::Blob(bytes) => bytes.clone(), // a few staged files: the copy costs nothing
        Source::Disk => {
            if let Some(why) = not_regular(path) {
                return Err(error(path, None, Code::FileType, why));
            }
            std::fs::read(path)
                .map_err(|e| error(path, None, Code::FileType, format!("cannot be read: {e}")))?
        }
    };
    decode_text(bytes).map_err(|(line, message)| error(path, Some(line), Code::Parse, message))
}

/// The finding that ends the reading of a file before YAML: a merge left unresolved (YAML would only
/// say "could not find expected ':'", at some line after the marker).
fn conflict(path: &Path, text: &str) -> Option<Finding> {
    // Every file is looked at: a SIMD search for the markers anywhere is much quicker than going
    // through its lines, and only a file that holds one is gone through. Every conflict git writes has
    // a `<<<<<<<` and a `=======` line; a stray `>>>>>>>` alone is left to the YAML reader.
    let holds = |marker: &[u8]| memchr::memmem::find(text.as_bytes(), marker).is_some();
    if !holds(b"=======") && !holds(b"<<<<<<<") {
        return None;
    }
    if let Some(line) = conflict_marker(text) {
        // Two different tickets created under one id on two branches, as the merge driver leaves them.
        if line == 1
            && text
                .lines()
                .next()
                .is_some_and(|l| l.contains(crate::store::CLASH))
        {
            let id = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            return Some(error(
                path,
                Some(1),
                Code::IdClash,
                format!(
                    "two different tickets were created as #{id} on two branches: run `tkt renumber {id}` to give the newer one the next free id"
                ),
            ));
        }
        return Some(error(
            path,
            Some(line),
            Code::ConflictMarkers,
            "unresolved git merge conflict: keep what each side meant and delete the <<<<<<< ======= >>>>>>> lines (`tkt git setup` lets tkt merge tickets itself)".into(),
        ));
    }
    None
}

/// A finding of `validate` (`followers[0]: …`) at the line of the field it names.
fn invalid(path: &Path, text: &str, message: String) -> Finding {
    let field = message.split(": ").next().unwrap_or_default();
    error(
        path,
        crate::yaml::line_of(text, field),
        Code::Invalid,
        message,
    )
}

/// A warning for every key of `text` (a file of `shape`) that tkt does not know.
fn unknown_keys(path: &Path, text: &str, shape: &crate::yaml::Shape, code: Code) -> Vec<Finding> {
    crate::yaml::unknown_keys(text, shape)
        .into_iter()
        .map(|u| {
            let message = check::unknown_key(&u.path, &u.key, &u.known);
            warning(path, Some(u.line), code, message)
        })
        .collect()
}

/// Reads the settings: the findings, and the settings to check tickets by (the defaults if the file
/// cannot be read).
fn settings(target: &Target, people: Option<&People>) -> (Settings, Vec<Finding>) {
    let path = &target.path;
    let text = match text_of(target) {
        Ok(text) => text,
        Err(finding) => return (Settings::default(), vec![finding]),
    };
    if text.trim().is_empty() {
        return (Settings::default(), Vec::new());
    }
    if let Some(finding) = conflict(path, &text) {
        return (Settings::default(), vec![finding]);
    }
    let settings: Settings = match crate::yaml::read(&text, &shape::SETTINGS) {
        Ok(settings) => settings,
        Err(e) => {
            let (line, message) = at_line(&e);
            return (
                Settings::default(),
                vec![error(path, line, Code::Parse, message)],
            );
        }
    };
    let mut findings = Vec::new();
    if let Err(e) = settings.validate() {
        findings.push(invalid(path, &text, e));
    }
    if !settings.extra.is_empty() {
        findings.extend(unknown_keys(
            path,
            &text,
            &shape::SETTINGS,
            Code::SettingsKey,
        ));
    }
    // Every change made without --as is made by default_as: a name nobody has fails them all.
    if let (Some(who), Some(people)) = (&settings.default_as, people)
        && let Err(e) = people.resolve(who, "default_as")
    {
        let code = if crate::exit::code_of(&e) == 3 {
            Code::UnknownPerson
        } else {
            Code::Invalid
        };
        let line = crate::yaml::line_of(&text, "default_as");
        findings.push(error(path, line, code, format!("{e:#}")));
    }
    (settings, findings)
}

/// Reads the people directory: the findings, and the directory if it could be read.
fn people(target: &Target) -> (Option<People>, Vec<Finding>) {
    let path = &target.path;
    if matches!(target.source, Source::Disk) && std::fs::symlink_metadata(path).is_err() {
        return (Some(People::default()), Vec::new());
    }
    let text = match text_of(target) {
        Ok(text) => text,
        Err(finding) => return (None, vec![finding]),
    };
    if text.trim().is_empty() {
        return (Some(People::default()), Vec::new());
    }
    if let Some(finding) = conflict(path, &text) {
        return (None, vec![finding]);
    }
    let people: People = match layout::people(&text) {
        Some(people) => people,
        None => match crate::yaml::read(&text, &shape::PEOPLE) {
            Ok(people) => people,
            Err(e) => {
                let (line, message) = at_line(&e);
                return (None, vec![error(path, line, Code::Parse, message)]);
            }
        },
    };
    let mut findings = Vec::new();
    if let Err(e) = people.validate() {
        findings.push(invalid(path, &text, e));
    }
    if shape::people_has_unknown(&people) {
        findings.extend(unknown_keys(path, &text, &shape::PEOPLE, Code::UnknownKey));
    }
    (Some(people), findings)
}

/// Everything about one ticket file whose name gives `id`. `taken` says whether another file is named
/// for an id.
fn ticket(
    target: &Target,
    id: u64,
    desk: &Desk,
    taken: &(dyn Fn(u64) -> bool + Sync),
) -> Vec<Finding> {
    let path = &target.path;
    let text = match text_of(target) {
        Ok(text) => text,
        Err(finding) => return vec![finding],
    };
    if text.trim().is_empty() {
        return vec![error(path, None, Code::Parse, "the file is empty".into())];
    }
    if let Some(finding) = conflict(path, &text) {
        return vec![finding];
    }
    // The fast reader of tkt's own layout where it can; serde_yaml decides and names the line otherwise.
    let ticket: Ticket = match layout::ticket(&text, Bodies::Skip) {
        Some(ticket) => ticket,
        None => match crate::yaml::read(&text, &shape::TICKET) {
            Ok(ticket) => ticket,
            Err(e) => {
                let (line, message) = at_line(&e);
                return vec![error(path, line, Code::Parse, message)];
            }
        },
    };
    let mut findings = Vec::new();
    if ticket.id != id {
        let line = crate::yaml::line_of(&text, "id");
        let said = ticket.id;
        findings.push(if taken(said) {
            error(
                path,
                line,
                Code::DuplicateId,
                format!("duplicate id: the file says id {said} but is named {id}.yaml, and {said}.yaml exists too: two files claim ticket #{said}; give this one its own id"),
            )
        } else {
            error(
                path,
                line,
                Code::IdMismatch,
                format!("id mismatch: the file says id {said} but its name says {id}; make them agree"),
            )
        });
    }
    // The rest of what every read checks, whatever the id says.
    if let Err(e) = ticket.validate(ticket.id) {
        findings.push(invalid(path, &text, e));
    }
    if shape::ticket_has_unknown(&ticket) {
        findings.extend(unknown_keys(path, &text, &shape::TICKET, Code::UnknownKey));
    }
    for issue in check::ticket(&ticket, desk) {
        let line = issue.field.as_deref().and_then(|field| {
            top_level_line(&text, field).or_else(|| crate::yaml::line_of(&text, field))
        });
        findings.push(Finding::new(
            path.clone(),
            line,
            issue.level,
            issue.code,
            issue.message,
        ));
    }
    findings
}

/// The line of a top-level key as tkt writes it (`cc:` at the start of a line), found by a scan of the
/// text: hygiene findings name such keys on many tickets, and the YAML reader's position index would
/// read the whole file again for each. Anything else (a nested field) is left to that index.
fn top_level_line(text: &str, field: &str) -> Option<usize> {
    if !field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return None;
    }
    // Like the index, the line where the value starts: the key's own line, or the next for a block.
    for (i, l) in text.split('\n').enumerate() {
        if let Some(value) = l
            .strip_prefix(field)
            .and_then(|rest| rest.strip_prefix(':'))
        {
            return Some(if value.trim().is_empty() {
                i + 2
            } else {
                i + 1
            });
        }
    }
    None
}

/// What to check in one store.
pub struct Plan {
    /// The store directory, as the user would type it (`.` or empty for the current directory).
    pub root: PathBuf,
    /// The settings and people files, and whether to report on them (else they are only read).
    pub settings: (Target, bool),
    pub people: (Target, bool),
    /// Ticket files and the ids their names give.
    pub tickets: Vec<(Target, u64)>,
    /// Findings made before reading anything (file names, file types).
    pub findings: Vec<Finding>,
    /// Files looked at besides those read.
    pub files: usize,
    /// Every ticket id the store's file names give, when the whole directory was listed.
    pub ids: Option<HashSet<u64>>,
}

impl Plan {
    fn new(root: &Path) -> Plan {
        Plan {
            root: root.to_path_buf(),
            settings: (disk(root, SETTINGS_FILE), false),
            people: (disk(root, PEOPLE_FILE), false),
            tickets: Vec::new(),
            findings: Vec::new(),
            files: 0,
            ids: None,
        }
    }

    /// Adds a file of the store by its name.
    fn add(&mut self, target: Target, name: &str) {
        match name_of(name) {
            Name::Settings => self.settings = (target, true),
            Name::People => self.people = (target, true),
            Name::Ticket(id) => self.tickets.push((target, id)),
            Name::Misnamed(message) => {
                self.files += 1;
                self.findings
                    .push(warning(&target.path, None, Code::FileName, message));
            }
            Name::Other => {}
        }
    }
}

fn disk(root: &Path, name: &str) -> Target {
    Target {
        path: file_in(root, name),
        source: Source::Disk,
    }
}

/// The whole store at `root`: every file in the directory (not its subdirectories, such as
/// `templates/`, nor hidden ones such as the machine-local `.tkt/`).
pub fn whole(root: &Path) -> anyhow::Result<Plan> {
    use anyhow::Context;
    let mut plan = Plan::new(root);
    plan.settings.1 = true;
    plan.people.1 = true;
    let dir = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", root.display()))?;
    let mut ids = HashSet::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", root.display()))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if name.starts_with('.') || entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let target = disk(root, &name);
        if let Name::Ticket(id) = name_of(&name) {
            ids.insert(id);
        }
        if !matches!(name_of(&name), Name::Settings | Name::People) {
            plan.add(target, &name);
        }
    }
    plan.tickets.sort_by_key(|(_, id)| *id);
    plan.ids = Some(ids);
    Ok(plan)
}

/// The named files of the store at `root` (each given as the user typed it).
pub fn files(root: &Path, paths: &[PathBuf]) -> Plan {
    let mut plan = Plan::new(root);
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let target = Target {
            path: path.clone(),
            source: Source::Disk,
        };
        match name_of(&name) {
            Name::Other => {
                plan.files += 1;
                plan.findings.push(warning(
                    path,
                    None,
                    Code::FileName,
                    "not a file of a tkt store (tkt.yaml, people.yaml, <id>.yaml); not checked"
                        .into(),
                ));
            }
            _ => plan.add(target, &name),
        }
    }
    plan
}

/// Staged blobs of the store at `root`: `staged` are the changed files by name (relative to the
/// store), `index` the settings and people files as the index holds them, for the rules to go by.
pub fn staged(root: &Path, staged: Vec<(String, Source)>, index: Vec<(String, Source)>) -> Plan {
    let mut plan = Plan::new(root);
    for (name, source) in index {
        let target = Target {
            path: file_in(root, &name),
            source,
        };
        match name_of(&name) {
            Name::Settings => plan.settings.0 = target,
            Name::People => plan.people.0 = target,
            _ => {}
        }
    }
    for (name, source) in staged {
        let target = Target {
            path: file_in(root, &name),
            source,
        };
        plan.add(target, &name);
    }
    plan
}

/// Reads and checks what `plan` names: the settings and people first (the rules need them), then the
/// tickets on all cores.
pub fn run(plan: Plan, now: crate::model::ticket::Time) -> Report {
    let mut report = Report {
        findings: plan.findings,
        files: plan.files,
    };
    let (people, people_findings) = people(&plan.people.0);
    let (settings, settings_findings) = settings(&plan.settings.0, people.as_ref());
    for (findings, reported) in [
        (settings_findings, plan.settings.1),
        (people_findings, plan.people.1),
    ] {
        if reported {
            report.files += 1;
            report.findings.extend(findings);
        }
    }
    let desk = Desk {
        settings: &settings,
        people: people.as_ref(),
        now,
        staff_names: people
            .as_ref()
            .map(crate::model::naming::staff_names)
            .unwrap_or_default(),
    };
    let root = plan.root;
    let ids = plan.ids;
    let taken = |id: u64| match &ids {
        Some(ids) => ids.contains(&id),
        None => std::fs::symlink_metadata(file_in(&root, &format!("{id}.yaml"))).is_ok(),
    };
    report.files += plan.tickets.len();
    let found = parallel::map(&plan.tickets, |(target, id)| {
        ticket(target, *id, &desk, &taken)
    });
    report.findings.extend(found.into_iter().flatten());
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_tkt_does_not_read_are_told_apart() {
        assert!(matches!(name_of("42.yaml"), Name::Ticket(42)));
        assert!(matches!(name_of("tkt.yaml"), Name::Settings));
        assert!(matches!(name_of("README.md"), Name::Other));
        for (name, says) in [
            ("042.yaml", "rename it to 42.yaml"),
            ("42.yml", "rename it to 42.yaml"),
            ("0.yaml", "0 is no ticket id"),
            ("tkt.yml", "tkt reads tkt.yaml"),
            ("notes.yaml", "not a file tkt reads"),
        ] {
            match name_of(name) {
                Name::Misnamed(m) => assert!(m.contains(says), "{name}: {m}"),
                _ => panic!("{name} is misnamed"),
            }
        }
    }

    #[test]
    fn a_reader_message_gives_its_line() {
        assert_eq!(at_line("line 3: bad"), (Some(3), "bad".to_string()));
        assert_eq!(at_line("bad: x"), (None, "bad: x".to_string()));
    }
}
