//! How people are named on a ticket (SPEC §3): only directory staff ever read as staff, everyone else is
//! shown with their address beside any name, and a customer never learns a directory name they did not
//! type. Every view asks here how to name an author, the requester or a CC.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::text::folded;
use crate::model::{Cc, People, Ticket};

/// A participant as a view names them: the JSON contract's "person", the same object wherever a person
/// appears. Staff see a colleague's handle and address; customers see staff by name only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename = "Person", deny_unknown_fields)]
pub struct Label {
    /// The staff handle (`jonas`); null for everyone who is not staff, and for every person in a
    /// customer's view.
    pub handle: Option<String>,
    /// The address: always there for people who are not staff; staff's own address only in staff views.
    pub email: Option<String>,
    /// The name to show, if any.
    pub name: Option<String>,
    /// One of the support team (in the people directory with an internal role).
    pub staff: bool,
}

/// How staff see a participant (`id` is a handle or an address): staff by their directory name, anyone
/// else by the name they were CC'd with or their directory name, always beside their address.
pub fn for_staff(ticket: &Ticket, id: &str, people: &People) -> Label {
    if people.is_internal(id) {
        return colleague(id, people);
    }
    let name = cc_name(ticket, id).or_else(|| directory_name(id, people));
    Label {
        handle: None,
        name,
        email: Some(id.to_string()),
        staff: false,
    }
}

/// How the requester and CCs see a participant. Staff authors (tickets name them by handle) by their
/// directory name: the desk signs its replies. Everyone named by address, staff copied as CCs and the
/// requester included, is shown by that address, with only the name they were copied with: the
/// directory's names are never shown to customers (SPEC §3) — for an address a customer typed it would
/// tell them who the desk knows, and a directory name may carry the desk's own notes.
pub fn for_external(ticket: &Ticket, id: &str, people: &People) -> Label {
    if !id.contains('@') {
        let staff = colleague(id, people);
        return Label {
            handle: None,
            // Customers see staff by name only; anyone else named by handle keeps their address.
            email: staff.email.filter(|_| !staff.staff),
            ..staff
        };
    }
    Label {
        handle: None,
        name: cc_name(ticket, id),
        email: Some(id.to_string()),
        staff: false,
    }
}

/// A CC as staff see them, from the CC entry itself (a ticket with many CCs is named in one pass).
pub fn cc_for_staff(cc: &Cc, people: &People) -> Label {
    if people.is_internal(&cc.email) {
        return colleague(&cc.email, people);
    }
    Label {
        handle: None,
        name: cc
            .name
            .clone()
            .or_else(|| directory_name(&cc.email, people)),
        email: Some(cc.email.clone()),
        staff: false,
    }
}

/// An address as a list row names it, where only the address is known (a summary holds no CC names):
/// staff see a colleague as one and anyone else by the directory's name; customers see the address
/// alone, as they never see the directory's names.
pub fn listed_address(email: &str, people: &People, staff_viewer: bool) -> Label {
    match staff_viewer {
        true if people.is_internal(email) => colleague(email, people),
        true => address(email, directory_name(email, people).as_deref()),
        false => address(email, None),
    }
}

/// A CC as the requester and other CCs see them: the name they were copied with, else the address.
pub fn cc_for_external(cc: &Cc) -> Label {
    address(&cc.email, cc.name.as_deref())
}

/// A staff member as colleagues see them: handle, address and name. `id` is a handle or the address
/// of someone the directory lists as staff.
fn colleague(id: &str, people: &People) -> Label {
    let person = if id.contains('@') {
        people.by_email(id)
    } else {
        people.by_handle(id)
    };
    match person {
        Some(p) if p.role.is_internal() => Label {
            handle: Some(p.handle.clone()),
            email: Some(p.email.clone()),
            name: Some(p.name.clone()),
            staff: true,
        },
        // An end user named by handle (a hand edit): by their address, as everyone who is not staff.
        Some(p) => Label {
            handle: None,
            email: Some(p.email.clone()),
            name: Some(p.name.clone()),
            staff: false,
        },
        // A handle the directory does not list (a colleague since removed, a hand edit): only
        // directory staff are shown as staff, so it is shown as it is written, and not as the desk.
        None => Label {
            handle: None,
            email: id.contains('@').then(|| id.to_string()),
            name: (!id.contains('@')).then(|| id.to_string()),
            staff: false,
        },
    }
}

/// Someone named by address alone, as a write's answer names the CCs it added or removed: no name
/// from the directory and no word on whether they are staff (the actor may be a customer).
pub fn address(email: &str, name: Option<&str>) -> Label {
    Label {
        handle: None,
        email: Some(email.to_string()),
        name: name.map(str::to_string),
        staff: false,
    }
}

/// A staff member in a staff view, by handle, whatever the ticket (followers, participants, the
/// assignee, event authors).
pub fn staff_member(handle: &str, people: &People) -> Label {
    colleague(handle, people)
}

fn cc_name(ticket: &Ticket, email: &str) -> Option<String> {
    ticket
        .cc
        .iter()
        .find(|c| c.email.eq_ignore_ascii_case(email))
        .and_then(|c| c.name.clone())
}

fn directory_name(email: &str, people: &People) -> Option<String> {
    people.by_email(email).map(|p| p.name.clone())
}

/// Staff members by handle, as colleagues see them.
pub fn staff_members(handles: &[String], people: &People) -> Vec<Label> {
    handles.iter().map(|h| staff_member(h, people)).collect()
}

/// Why a name chosen for someone who is not staff (a CC's `--name`, an end user's directory name) could
/// pass for the desk's, if it could: it equals a staff member's name or handle, speaks as "Support", or
/// carries an address of its own. Names are compared folded (case, width, spacing, invisible characters),
/// so `ＪＯＮＡＳ  berg` is Jonas Berg too.
pub fn impersonation(name: &str, people: &People) -> Option<&'static str> {
    impersonation_of(name, &staff_names(people))
}

/// Every name a staff member goes by (their directory name folded, and their handle): what a CC's name
/// may not be. `tkt check` works it out once for a whole store.
pub fn staff_names(people: &People) -> std::collections::HashSet<String> {
    people
        .people
        .iter()
        .filter(|p| p.role.is_internal())
        .flat_map(|p| [folded(&p.name), p.handle.clone()])
        .collect()
}

/// `impersonation`, given the staff's names (`staff_names`).
pub fn impersonation_of(
    name: &str,
    staff: &std::collections::HashSet<String>,
) -> Option<&'static str> {
    let name = folded(name);
    if name.contains(['<', '>', '@']) {
        return Some("a name may not hold an address or < > @");
    }
    let brackets = ['(', ')', '[', ']', '{', '}'];
    let speaks_as_support = name
        .split(|c: char| brackets.contains(&c))
        .skip(1)
        .any(|inside| inside.trim_start().starts_with("support"));
    if speaks_as_support || name.ends_with("support") {
        return Some("only the desk's own staff are shown as Support");
    }
    if staff.contains(&name) {
        return Some("the name belongs to a member of the support team");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cc, Person, Role};
    use crate::yaml::Extra;
    use chrono::Utc;

    fn people() -> People {
        let p = |handle: &str, name: &str, email: &str, role| Person {
            handle: handle.into(),
            name: name.into(),
            email: email.into(),
            role,
            extra: Extra::new(),
        };
        People {
            people: vec![
                p("jonas", "Jonas Berg", "jonas@acme.example", Role::Agent),
                p("ana", "Ana Silva", "ana@customer.example", Role::EndUser),
                p(
                    "carl",
                    "Carl Rival CEO",
                    "carl@rival.example",
                    Role::EndUser,
                ),
            ],
            merge_conflicts: Vec::new(),
            extra: Extra::new(),
        }
    }

    fn ticket() -> Ticket {
        let mut t = Ticket::new(1, "s".into(), "ana@customer.example".into(), Utc::now());
        for (email, name) in [
            ("carl@rival.example", None),
            ("bob@agency.example", Some("Bob Field")),
        ] {
            t.cc.push(Cc {
                email: email.into(),
                name: name.map(String::from),
                extra: Extra::new(),
            });
        }
        t
    }

    #[test]
    fn a_customer_never_learns_a_directory_name_of_a_cc() {
        let carl = for_external(&ticket(), "carl@rival.example", &people());
        assert_eq!(carl.name, None);
        assert_eq!(carl.email.as_deref(), Some("carl@rival.example"));
        let staff_view = for_staff(&ticket(), "carl@rival.example", &people());
        assert_eq!(staff_view.name.as_deref(), Some("Carl Rival CEO"));
    }

    #[test]
    fn only_directory_staff_are_staff_and_everyone_else_has_an_address() {
        let t = ticket();
        let people = people();
        assert!(for_external(&t, "jonas", &people).staff);
        let copied_staff = for_external(&t, "jonas@acme.example", &people);
        assert!(!copied_staff.staff);
        assert_eq!(
            copied_staff.name, None,
            "a copied address shows no directory name"
        );
        for id in ["ana@customer.example", "bob@agency.example", "x@y.example"] {
            for label in [for_external(&t, id, &people), for_staff(&t, id, &people)] {
                assert!(!label.staff);
                assert_eq!(label.email.as_deref(), Some(id));
            }
        }
    }

    #[test]
    fn names_that_pass_for_the_desk_are_found() {
        let people = people();
        for bad in [
            "Jonas Berg",
            "jonas  BERG",
            "Ｊｏｎａｓ Berg",
            "Jonas Berg (Support)",
            "Anyone (support)",
            "Anyone [Support team]",
            "Anyone （Support）",
            "ACME Support",
            "jonas",
            "Bob <jonas@acme.example>",
        ] {
            assert!(impersonation(bad, &people).is_some(), "{bad:?}");
        }
        for good in ["Bob Field", "Jonas Bergman", "Supportive Sam", "Ana Silva"] {
            assert!(impersonation(good, &people).is_none(), "{good:?}");
        }
    }
}
