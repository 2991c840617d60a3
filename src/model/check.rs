//! What `tkt check` holds a store to beyond what reading a file checks: findings with a level, a stable
//! code and a message, and the rules about one ticket in the context of its store (who works on an
//! unsolved ticket is in the directory and is staff; the CC limit and blocklist). Plain data and plain
//! functions: the store reads the files and finds the lines, the command prints.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{People, Role, Settings, Status, Ticket};

/// How bad a finding is: errors make `tkt check` exit 5, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// What a finding is about, as a short code that scripts may rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The file is not YAML tkt can read, or a value has the wrong type.
    Parse,
    /// A value tkt reads but refuses (an invalid address, a number twice, …).
    Invalid,
    /// Unresolved git merge conflict markers.
    ConflictMarkers,
    /// The `id:` in a file is not the number of its name.
    IdMismatch,
    /// Two files claim one ticket id.
    DuplicateId,
    /// A key tkt does not know in a ticket or the people file (kept, but unused: often a typo).
    UnknownKey,
    /// A key tkt does not know in `tkt.yaml`.
    SettingsKey,
    /// A handle on an unsolved ticket that is not in the people directory.
    UnknownPerson,
    /// An end-user where only staff may be.
    NotInternal,
    /// A light agent as the assignee.
    NotAssignable,
    /// More CCs than `cc_limit`.
    CcLimit,
    /// A CC on `cc_blocklist` or one of the support addresses.
    Blocklisted,
    /// A CC's name that could pass for the desk's staff.
    CcName,
    /// A file whose name tkt does not read as a ticket.
    FileName,
    /// A link, directory or special file where a file should be, or a file that cannot be read.
    FileType,
    /// The git attributes name tkt's merge driver but this clone has not registered it.
    DriverUnregistered,
    /// Two different tickets were created under one id on two branches (`tkt renumber`).
    IdClash,
    /// git's index still holds the file unmerged.
    Unmerged,
    /// A git merge left decisions for a person (`merge_conflicts`, `tkt git settle`).
    UnsettledMerge,
    /// Hygiene (`model::hygiene`): staff on the CC list.
    AgentCc,
    /// Hygiene: more CCs and followers than anyone reads notifications for.
    ManyParticipants,
    /// Hygiene: an open side conversation on a solved or closed ticket.
    OpenSideOnSolved,
    /// Hygiene: followers or CCs left on a solved or closed ticket.
    ParticipantsLeft,
    /// Hygiene: an open side conversation with no message for days.
    SideUnanswered,
    /// Hygiene: an unsolved ticket with no assignee.
    NoAssignee,
    /// Hygiene: a public reply that reads like a note, answered by the customer.
    CustomerAnsweredNote,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Parse => "parse",
            Code::Invalid => "invalid",
            Code::ConflictMarkers => "conflict-markers",
            Code::IdMismatch => "id-mismatch",
            Code::DuplicateId => "duplicate-id",
            Code::UnknownKey => "unknown-key",
            Code::SettingsKey => "settings-key",
            Code::UnknownPerson => "unknown-person",
            Code::NotInternal => "not-internal",
            Code::NotAssignable => "not-assignable",
            Code::CcLimit => "cc-limit",
            Code::Blocklisted => "blocklisted",
            Code::CcName => "cc-name",
            Code::FileName => "file-name",
            Code::FileType => "file-type",
            Code::DriverUnregistered => "driver-unregistered",
            Code::IdClash => "id-clash",
            Code::Unmerged => "unmerged",
            Code::UnsettledMerge => "unsettled-merge",
            Code::AgentCc => "agent-cc",
            Code::ManyParticipants => "many-participants",
            Code::OpenSideOnSolved => "open-side-on-solved",
            Code::ParticipantsLeft => "participants-left",
            Code::SideUnanswered => "side-unanswered",
            Code::NoAssignee => "no-assignee",
            Code::CustomerAnsweredNote => "customer-answered-note",
        }
    }

    /// The code of a hygiene finding (`model::hygiene`), whose codes are these.
    pub fn of_hygiene(code: &str) -> Option<Code> {
        [
            Code::AgentCc,
            Code::CcLimit,
            Code::ManyParticipants,
            Code::OpenSideOnSolved,
            Code::ParticipantsLeft,
            Code::SideUnanswered,
            Code::NoAssignee,
            Code::CustomerAnsweredNote,
        ]
        .into_iter()
        .find(|c| c.as_str() == code)
    }
}

/// A rule's finding about one ticket: `field` is the path of the value it is about (`followers[1]`),
/// where the store looks for its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub level: Level,
    pub code: Code,
    pub field: Option<String>,
    pub message: String,
}

/// A finding about a file, as `tkt check` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub level: Level,
    pub code: Code,
    pub message: String,
}

impl Finding {
    pub fn new(
        file: PathBuf,
        line: Option<usize>,
        level: Level,
        code: Code,
        message: String,
    ) -> Self {
        Finding {
            file,
            line,
            level,
            code,
            message,
        }
    }
}

/// What the rules know of the store: its settings, and its people if the file could be read.
pub struct Desk<'a> {
    pub settings: &'a Settings,
    pub people: Option<&'a People>,
    /// The clock (`--now`): how long a side conversation has waited is counted to it.
    pub now: crate::model::ticket::Time,
    /// The names staff go by, worked out once (`naming::staff_names`).
    pub staff_names: std::collections::HashSet<String>,
}

/// One rule about one ticket.
type Rule = fn(&Ticket, &Desk) -> Vec<Issue>;

/// Every rule about a ticket, in the order their findings are listed for one line. A new rule (such as
/// unsettled merges) is one more function here.
const TICKET_RULES: &[Rule] = &[staff_places, cc_rules, unsettled_merges, hygiene];

/// What a git merge left for a person: an error until settled, so no commit or CI run lets it through.
fn unsettled_merges(t: &Ticket, _: &Desk) -> Vec<Issue> {
    t.merge_conflicts
        .iter()
        .map(|c| {
            issue(
                Level::Error,
                Code::UnsettledMerge,
                "merge_conflicts".into(),
                format!(
                    "a git merge left {} for a person to decide; settle it with `tkt git settle {} --ours|--theirs`",
                    c.place(),
                    t.id
                ),
            )
        })
        .collect()
}

/// The domain's hygiene findings, as warnings with their advice. Check reads tickets without their
/// bodies, so the one finding that reads bodies (`customer-answered-note`) is left to `show`; a CC
/// limit already broken is the error above, not also a warning.
fn hygiene(t: &Ticket, desk: &Desk) -> Vec<Issue> {
    let Some(people) = desk.people else {
        return Vec::new();
    };
    let over = t.cc.len() > desk.settings.cc_limit;
    crate::model::hygiene::findings(t, people, desk.settings.cc_limit, desk.now)
        .into_iter()
        .filter(|f| !(over && f.code == "cc-limit"))
        .filter_map(|f| {
            let code = Code::of_hygiene(&f.code)?;
            // The line of the field the finding is about.
            let field = match code {
                Code::AgentCc | Code::CcLimit | Code::ManyParticipants => "cc",
                Code::OpenSideOnSolved | Code::SideUnanswered => "side_conversations",
                Code::ParticipantsLeft => "followers",
                Code::CustomerAnsweredNote => "comments",
                _ => "status",
            };
            Some(Issue {
                level: Level::Warning,
                code,
                field: Some(field.into()),
                message: format!("{} ({})", f.message, f.advice),
            })
        })
        .collect()
}

/// Every finding of the rules about `ticket`.
pub fn ticket(ticket: &Ticket, desk: &Desk) -> Vec<Issue> {
    TICKET_RULES
        .iter()
        .flat_map(|rule| rule(ticket, desk))
        .collect()
}

fn issue(level: Level, code: Code, field: String, message: String) -> Issue {
    Issue {
        level,
        code,
        message: format!("{field}: {message}"),
        field: Some(field),
    }
}

/// Who works on an unsolved ticket — its assignee, its followers, the participants of its open side
/// conversations — is in the people directory and is staff, and the assignee may be assigned. These are
/// the places `tkt person remove` and `person edit --role` keep (`model::person::open_places`): on a
/// solved or closed ticket, and as the author of an entry, a person who has left the directory is
/// history, not a mistake.
fn staff_places(t: &Ticket, desk: &Desk) -> Vec<Issue> {
    let Some(people) = desk.people else {
        return Vec::new();
    };
    if t.status.is_solved() {
        return Vec::new();
    }
    let mut places: Vec<(String, &str, &str)> = Vec::new();
    if let Some(a) = &t.assignee {
        places.push(("assignee".into(), a, "the assignee"));
    }
    for (i, f) in t.followers.iter().enumerate() {
        places.push((format!("followers[{i}]"), f, "a follower"));
    }
    for (i, s) in t.side_conversations.iter().enumerate() {
        if s.state == crate::model::SideState::Open {
            for (j, p) in s.participants.iter().enumerate() {
                places.push((
                    format!("side_conversations[{i}].participants[{j}]"),
                    p,
                    "a side-conversation participant",
                ));
            }
        }
    }
    let mut out = Vec::new();
    for (field, handle, what) in places {
        match people.by_handle(handle) {
            None => out.push(issue(
                Level::Error,
                Code::UnknownPerson,
                field,
                format!("no person with handle {handle:?} in people.yaml (add them with `tkt person add`, or correct the handle)"),
            )),
            Some(p) if p.role == Role::EndUser => out.push(issue(
                Level::Error,
                Code::NotInternal,
                field,
                format!("{handle} is an end-user, who cannot be {what} (staff only); copy them as a CC instead"),
            )),
            Some(p) if p.role == Role::LightAgent && field == "assignee" => out.push(issue(
                Level::Error,
                Code::NotAssignable,
                field,
                format!("{handle} is a light agent, who cannot be assigned (agents and admins only)"),
            )),
            Some(_) => {}
        }
    }
    out
}

/// The CCs are within `cc_limit`, none is blocked (`cc_blocklist`, the support addresses), and no
/// name of a CC who is not staff could pass for the desk's (SPEC §3). A closed ticket can no longer
/// change, so there these are warnings (the settings and the directory may have changed since).
fn cc_rules(t: &Ticket, desk: &Desk) -> Vec<Issue> {
    let closed = t.status == Status::Closed;
    let (level, note) = if closed {
        (Level::Warning, " (the ticket is closed and cannot change)")
    } else {
        (Level::Error, "")
    };
    let mut out = Vec::new();
    let limit = desk.settings.cc_limit;
    if t.cc.len() > limit {
        out.push(issue(
            level,
            Code::CcLimit,
            "cc".into(),
            format!(
                "{} CCs, more than the store's cc_limit of {limit}{note}",
                t.cc.len()
            ),
        ));
    }
    for (i, cc) in t.cc.iter().enumerate() {
        if let Some(why) = desk.settings.refusal(&cc.email) {
            out.push(issue(
                level,
                Code::Blocklisted,
                format!("cc[{i}].email"),
                format!("{why}, and may never be a CC{note}"),
            ));
        }
        let staff = |people: &People| people.is_internal(&cc.email);
        if let (Some(name), Some(people)) = (&cc.name, desk.people)
            && !staff(people)
            && let Some(why) = crate::model::naming::impersonation_of(name, &desk.staff_names)
        {
            out.push(issue(
                level,
                Code::CcName,
                format!("cc[{i}].name"),
                format!("{name:?}: {why}{note}"),
            ));
        }
    }
    out
}

/// The finding when git's attributes give ticket files tkt's merge driver (`attribute`, as `git
/// check-attr` reports it) but this clone has no `merge.tkt.driver` (`driver`): git then falls back to
/// its line merge without a word.
pub fn driver_registration(attribute: Option<&str>, driver: Option<&str>) -> Option<String> {
    let named = attribute == Some("tkt");
    let registered = driver.is_some_and(|d| !d.trim().is_empty());
    (named && !registered).then(|| {
        "the attributes name the tkt merge driver but this clone has not registered it; run `tkt git setup` (git falls back to a line merge silently)".to_string()
    })
}

/// The message for a key tkt does not know, naming the nearest key it knows when it looks like a typo.
pub fn unknown_key(path: &str, key: &str, known: &[&str]) -> String {
    match crate::model::settings::nearest(key, known) {
        Some(near) => {
            format!("unknown key {path:?} (did you mean {near}?); tkt keeps it but does not use it")
        }
        None => format!("unknown key {path:?}; tkt keeps it but does not use it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Person;

    fn person(handle: &str, role: Role) -> Person {
        Person {
            handle: handle.into(),
            name: handle.to_uppercase(),
            email: format!("{handle}@acme.example"),
            role,
            extra: Default::default(),
        }
    }

    fn desk_people() -> People {
        People {
            people: vec![
                person("jonas", Role::Agent),
                person("lise", Role::LightAgent),
                person("ana", Role::EndUser),
            ],
            merge_conflicts: Vec::new(),
            extra: Default::default(),
        }
    }

    fn ticket_with(followers: &[&str], assignee: Option<&str>) -> Ticket {
        let mut t = Ticket::new(
            1,
            "S".into(),
            "ana@customer.example".into(),
            chrono::DateTime::UNIX_EPOCH,
        );
        t.followers = followers.iter().map(|f| f.to_string()).collect();
        t.assignee = assignee.map(str::to_string);
        t
    }

    fn codes(t: &Ticket, settings: &Settings) -> Vec<(Code, Option<String>)> {
        let people = desk_people();
        let desk = Desk {
            settings,
            people: Some(&people),
            now: chrono::DateTime::UNIX_EPOCH,
            staff_names: crate::model::naming::staff_names(&people),
        };
        // The hygiene warnings have tests of their own (model::hygiene).
        ticket(t, &desk)
            .into_iter()
            .filter(|i| i.level == Level::Error || Code::of_hygiene(i.code.as_str()).is_none())
            .map(|i| (i.code, i.field))
            .collect()
    }

    #[test]
    fn who_works_on_an_unsolved_ticket_is_staff_in_the_directory() {
        let settings = Settings::default();
        let t = ticket_with(&["jonas", "ghost", "ana"], Some("lise"));
        assert_eq!(
            codes(&t, &settings),
            vec![
                (Code::NotAssignable, Some("assignee".into())),
                (Code::UnknownPerson, Some("followers[1]".into())),
                (Code::NotInternal, Some("followers[2]".into())),
            ]
        );
        let mut solved = t.clone();
        solved.status = Status::Solved;
        assert_eq!(codes(&solved, &settings), vec![]);
    }

    #[test]
    fn ccs_over_the_limit_or_blocked_are_found() {
        let settings = Settings {
            cc_limit: 1,
            cc_blocklist: vec!["*@support.example".into()],
            ..Settings::default()
        };
        let mut t = ticket_with(&[], None);
        for email in ["a@b.example", "x@support.example"] {
            t.cc.push(crate::model::Cc {
                email: email.into(),
                name: None,
                extra: Default::default(),
            });
        }
        assert_eq!(
            codes(&t, &settings),
            vec![
                (Code::CcLimit, Some("cc".into())),
                (Code::Blocklisted, Some("cc[1].email".into())),
            ]
        );
    }

    #[test]
    fn an_unregistered_driver_is_found_only_when_the_attributes_name_it() {
        assert!(driver_registration(Some("tkt"), None).is_some());
        assert!(driver_registration(Some("tkt"), Some("tkt git merge-driver %O %A %B")).is_none());
        assert!(driver_registration(Some("unspecified"), None).is_none());
        assert!(driver_registration(None, None).is_none());
    }

    #[test]
    fn a_typo_of_a_key_names_the_key() {
        let m = unknown_key("folowers", "folowers", &["followers", "cc"]);
        assert!(m.contains("did you mean followers?"), "{m}");
    }
}
