//! The people directory (SPEC §1) and how a name on the command line becomes a person.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::exit;
use crate::model::address::{is_valid_email, is_valid_handle, normalize_email};
use crate::yaml::Extra;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Admin,
    Agent,
    LightAgent,
    EndUser,
}

impl Role {
    pub fn is_internal(self) -> bool {
        self != Role::EndUser
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
            Role::LightAgent => "light-agent",
            Role::EndUser => "end-user",
        }
    }
}

/// A person in the directory; in JSON, keys tkt does not know follow the four it knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename = "DirectoryEntry")]
pub struct Person {
    pub handle: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    #[serde(flatten)]
    #[schemars(skip)]
    pub extra: Extra,
}

/// The contents of `people.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct People {
    /// Required in a file that is not empty: a misspelt `peeple:` must not read as an empty directory.
    pub people: Vec<Person>,
    /// What a git merge left for a person to decide (`tkt git settle people`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merge_conflicts: Vec<crate::model::merge::MergeConflict>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A person as the rules see them: staff by handle and role, everyone else by address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Staff {
        handle: String,
        role: Role,
        email: String,
    },
    External {
        email: String,
    },
}

impl Who {
    /// The identity written into tickets: a handle for staff, an address for everyone else.
    pub fn id(&self) -> &str {
        match self {
            Who::Staff { handle, .. } => handle,
            Who::External { email } => email,
        }
    }

    pub fn email(&self) -> &str {
        match self {
            Who::Staff { email, .. } | Who::External { email } => email,
        }
    }

    pub fn is_staff(&self) -> bool {
        matches!(self, Who::Staff { .. })
    }
}

impl People {
    /// Checks what serde cannot: valid handles and addresses, no handle or address twice.
    pub fn validate(&self) -> Result<(), String> {
        if self.plainly_valid() {
            return Ok(());
        }
        let mut handles = std::collections::HashSet::new();
        let mut emails = std::collections::HashSet::new();
        for (i, p) in self.people.iter().enumerate() {
            if !is_valid_handle(&p.handle) {
                return Err(format!("people[{i}].handle: invalid handle {:?}", p.handle));
            }
            if !is_valid_email(&p.email) {
                return Err(format!("people[{i}].email: invalid address {:?}", p.email));
            }
            if !handles.insert(p.handle.as_str()) {
                return Err(format!(
                    "people[{i}].handle: handle {:?} appears twice",
                    p.handle
                ));
            }
            if !emails.insert(normalize_email(&p.email)) {
                return Err(format!(
                    "people[{i}].email: address {:?} appears twice",
                    p.email
                ));
            }
        }
        Ok(())
    }

    /// `validate`'s answer when it is Ok, found without a set of copies (every command opens the
    /// directory): every handle and address valid, and no two the same once sorted. Anything else is
    /// left to `validate`, which finds the first entry at fault.
    fn plainly_valid(&self) -> bool {
        if !self
            .people
            .iter()
            .all(|p| is_valid_handle(&p.handle) && is_valid_email(&p.email))
        {
            return false;
        }
        let mut handles: Vec<&str> = self.people.iter().map(|p| p.handle.as_str()).collect();
        handles.sort_unstable();
        if handles.windows(2).any(|w| w[0] == w[1]) {
            return false;
        }
        // Addresses are the same in any case (`normalize_email`).
        fn lower(e: &str) -> impl Iterator<Item = u8> + '_ {
            e.bytes().map(|b| b.to_ascii_lowercase())
        }
        let mut emails: Vec<&str> = self.people.iter().map(|p| p.email.as_str()).collect();
        emails.sort_unstable_by(|a, b| lower(a).cmp(lower(b)));
        !emails.windows(2).any(|w| w[0].eq_ignore_ascii_case(w[1]))
    }

    pub fn by_handle(&self, handle: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.handle == handle)
    }

    pub fn by_email(&self, email: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.email.eq_ignore_ascii_case(email))
    }

    /// Turns a handle or address from the command line into a person (SPEC §1). `what` names the
    /// argument in error messages.
    pub fn resolve(&self, text: &str, what: &str) -> anyhow::Result<Who> {
        if text.contains('@') {
            if !is_valid_email(text) {
                return Err(exit::invalid(format!(
                    "{what}: {:?} is not a valid email address",
                    text
                )));
            }
            return Ok(match self.by_email(text) {
                Some(p) => self.who(p),
                None => Who::External {
                    email: normalize_email(text),
                },
            });
        }
        // Handles are lower case, so `Jonas` means `jonas`.
        let text = &text.to_ascii_lowercase();
        if !is_valid_handle(text) {
            return Err(exit::invalid(format!(
                "{what}: {:?} is neither a handle nor an email address",
                text
            )));
        }
        match self.by_handle(text) {
            Some(p) => Ok(self.who(p)),
            None => Err(exit::not_found(format!(
                "{what}: no person with handle {text:?} in people.yaml"
            ))),
        }
    }

    /// `resolve` on behalf of `actor`. Customers name people by email address only: looking up handles
    /// would let them find out who works at the desk.
    pub fn resolve_for(&self, actor: &Who, text: &str, what: &str) -> anyhow::Result<Who> {
        if !actor.is_staff() && !text.contains('@') {
            return Err(exit::not_allowed(format!(
                "{what}: customers name people by email address"
            )));
        }
        self.resolve(text, what)
    }

    /// `resolve_for` each of several names; the first that fails is the error.
    pub fn resolve_all_for(
        &self,
        actor: &Who,
        texts: &[String],
        what: &str,
    ) -> anyhow::Result<Vec<Who>> {
        texts
            .iter()
            .map(|t| self.resolve_for(actor, t, what))
            .collect()
    }

    fn who(&self, p: &Person) -> Who {
        if p.role.is_internal() {
            Who::Staff {
                handle: p.handle.clone(),
                role: p.role,
                email: normalize_email(&p.email),
            }
        } else {
            Who::External {
                email: normalize_email(&p.email),
            }
        }
    }

    /// Whether a ticket identity names an internal person (a handle, or the address of one).
    pub fn is_internal(&self, id: &str) -> bool {
        if id.contains('@') {
            self.by_email(id).is_some_and(|p| p.role.is_internal())
        } else {
            true
        }
    }
}

/// A place someone holds on an unsolved ticket, which keeps them in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub ticket: u64,
    pub what: &'static str,
}

/// Where staff member `handle` works on a ticket that is not solved or closed: as its assignee, a
/// follower, or a participant of an open side conversation. `assignee_only` asks only for the first
/// (a light agent may still follow and take part, but not be assigned).
pub fn open_places(
    handle: &str,
    summaries: impl Iterator<Item = crate::model::summary::Summary>,
    assignee_only: bool,
) -> Vec<Place> {
    let mut places = Vec::new();
    for s in summaries.filter(|s| !s.status.is_solved()) {
        let what = if s.assignee.as_deref() == Some(handle) {
            "assignee"
        } else if assignee_only {
            continue;
        } else if s.followers.iter().any(|f| f == handle) {
            "follower"
        } else if s.open_sides.iter().flatten().any(|p| p == handle) {
            "side-conversation participant"
        } else {
            continue;
        };
        places.push(Place { ticket: s.id, what });
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(handle: &str, email: &str, role: Role) -> Person {
        Person {
            handle: handle.into(),
            name: handle.to_uppercase(),
            email: email.into(),
            role,
            extra: Extra::new(),
        }
    }

    fn people() -> People {
        People {
            people: vec![
                person("mette", "mette@acme.example", Role::Agent),
                person("ana", "ana@customer.example", Role::EndUser),
            ],
            merge_conflicts: Vec::new(),
            extra: Extra::new(),
        }
    }

    #[test]
    fn an_internal_address_resolves_to_the_handle() {
        let who = people().resolve("Mette@ACME.example", "--as").unwrap();
        assert_eq!(who.id(), "mette");
        assert!(who.is_staff());
    }

    #[test]
    fn an_end_user_handle_resolves_to_their_address() {
        let who = people().resolve("ana", "--as").unwrap();
        assert_eq!(
            who,
            Who::External {
                email: "ana@customer.example".into()
            }
        );
    }

    #[test]
    fn unknown_handles_and_bad_addresses_are_refused() {
        assert!(people().resolve("nobody", "--as").is_err());
        assert!(people().resolve("a b", "--as").is_err());
        assert!(people().resolve("x@y", "--as").is_err());
    }

    #[test]
    fn a_handle_twice_is_invalid() {
        let mut p = people();
        p.people
            .push(person("mette", "other@acme.example", Role::Admin));
        assert!(p.validate().unwrap_err().contains("appears twice"));
    }

    #[test]
    fn the_quick_check_passes_exactly_the_valid_directories() {
        let variants: [(&str, &str); 6] = [
            ("zed", "zed@acme.example"),
            ("mette", "zed@acme.example"),
            ("zed", "METTE@acme.example"),
            ("zed", "Mette@Acme.Example"),
            ("Zed", "zed@acme.example"),
            ("zed", "zed@acme"),
        ];
        assert!(people().plainly_valid());
        for (handle, email) in variants {
            let mut p = people();
            p.people.push(person(handle, email, Role::Agent));
            assert_eq!(p.plainly_valid(), p.validate().is_ok(), "{handle} {email}");
        }
    }
}
