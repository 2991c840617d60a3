//! Who may do what (SPEC §4): every write asks `check` before it changes anything.

use crate::exit;
use crate::model::settings::AgentCc;
use crate::model::visibility::Access;
use crate::model::{People, Role, Settings, Ticket, Visibility, Who, naming, text};

/// Something an actor wants to do to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    PostPublic,
    PostInternal,
    AddCc,
    RemoveCc,
    ChangeFollowers,
    SideConversations,
    /// Status, assignee, tags, make-private; the text says which ("change the status").
    Manage(&'static str),
}

/// Ok when `who`, with `access` to ticket `id`, may do `action`; otherwise exit 4 with the rule's name.
pub fn check(who: &Who, access: Access, action: Action, id: u64) -> anyhow::Result<()> {
    let refusal = match (who, access) {
        (Who::External { .. }, Access::None) => {
            return Err(exit::not_allowed(format!(
                "{} has no access to ticket #{id}",
                who.id()
            )));
        }
        (Who::External { .. }, _) => external_refusal(action),
        (Who::Staff { role, .. }, _) => staff_refusal(*role, action),
    };
    match refusal {
        Some(rule) => Err(exit::not_allowed(rule)),
        None => Ok(()),
    }
}

fn external_refusal(action: Action) -> Option<String> {
    let rule = match action {
        Action::PostPublic | Action::AddCc | Action::RemoveCc => return None,
        Action::PostInternal => "external people cannot post internal notes".to_string(),
        Action::ChangeFollowers => "external people cannot add or remove followers".to_string(),
        Action::SideConversations => {
            "external people cannot take part in side conversations".to_string()
        }
        Action::Manage(what) => format!("external people cannot {what}"),
    };
    Some(rule)
}

fn staff_refusal(role: Role, action: Action) -> Option<String> {
    if role != Role::LightAgent {
        return None;
    }
    let rule = match action {
        Action::PostPublic => "light agents cannot post public replies".to_string(),
        Action::AddCc => "light agents cannot add CCs".to_string(),
        Action::RemoveCc => "light agents cannot remove CCs".to_string(),
        Action::Manage(what) => format!("light agents cannot {what}"),
        Action::PostInternal | Action::ChangeFollowers | Action::SideConversations => return None,
    };
    Some(rule)
}

// Who may hold which place on a ticket (SPEC §2, §4). The names come resolved from the command line;
// the messages name the argument they came from.

/// The assignee is an agent or an admin: never a light agent, never a customer.
pub fn check_assignee(who: Who) -> anyhow::Result<String> {
    match who {
        Who::Staff {
            handle,
            role: Role::LightAgent,
            ..
        } => Err(exit::invalid(format!(
            "WHO: {handle} is a light agent and light agents cannot be assigned"
        ))),
        Who::Staff { handle, .. } => Ok(handle),
        Who::External { email } => Err(exit::invalid(format!(
            "WHO: {email} is external; only agents and admins can be assigned"
        ))),
    }
}

/// The requester is the customer who asks: an external address, never staff and never one of the desk's
/// own support addresses (a ticket from the desk to itself would answer itself). `what` names the
/// argument.
pub fn check_requester(who: Who, settings: &Settings, what: &str) -> anyhow::Result<String> {
    match who {
        Who::Staff { handle, .. } => Err(exit::invalid(format!(
            "{what}: {handle} is staff; the requester is the customer who asks"
        ))),
        Who::External { email } if settings.is_support_address(&email) => {
            Err(exit::invalid(format!(
                "{what}: {email} is one of the desk's support_addresses; the requester is the customer who asks"
            )))
        }
        Who::External { email } => Ok(email),
    }
}

/// A change to the people directory, by the roles it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryChange {
    Add(Role),
    Edit { from: Role, to: Role },
    Remove(Role),
}

/// Whether `actor` may change the people directory at all: customers and light agents may not. Asked
/// before anyone is looked up, so a refused actor learns nothing of who is in it. No actor at all is
/// someone setting the store up (SPEC §4).
pub fn may_change_directory(actor: Option<&Who>) -> anyhow::Result<()> {
    match actor {
        Some(Who::External { .. }) => Err(exit::not_allowed(
            "customers cannot change the people directory",
        )),
        Some(Who::Staff {
            role: Role::LightAgent,
            ..
        }) => Err(exit::not_allowed(
            "light agents cannot change the people directory",
        )),
        _ => Ok(()),
    }
}

/// Who may make a change to the directory: admins manage everyone; agents may add and edit end users
/// only (they meet customers first); light agents and customers nothing.
pub fn check_directory(actor: Option<&Who>, change: DirectoryChange) -> anyhow::Result<()> {
    may_change_directory(actor)?;
    let Some(Who::Staff {
        role: Role::Agent, ..
    }) = actor
    else {
        return Ok(());
    };
    let end_users_only = match change {
        DirectoryChange::Add(role) => role == Role::EndUser,
        DirectoryChange::Edit { from, to } => from == Role::EndUser && to == Role::EndUser,
        DirectoryChange::Remove(_) => {
            return Err(exit::not_allowed(
                "only admins remove people from the directory",
            ));
        }
    };
    if end_users_only {
        Ok(())
    } else {
        Err(exit::not_allowed(
            "agents may add and edit end users only; admins manage staff",
        ))
    }
}

/// Followers are internal people whose address may follow; a customer is pointed to `cc add`.
pub fn check_follower(who: Who, settings: &Settings, ticket: u64) -> anyhow::Result<String> {
    if let Some(why) = settings.refusal(who.email()) {
        return Err(exit::invalid(format!(
            "WHO: {} cannot follow: {why}",
            who.id()
        )));
    }
    match who {
        Who::Staff { handle, .. } => Ok(handle),
        Who::External { email } => Err(exit::invalid(format!(
            "WHO: {email} is external and followers are internal people only; add them as a CC instead (tkt cc add {ticket} {email})"
        ))),
    }
}

/// Side conversations are internal: everyone in one is staff.
pub fn check_participant(who: Who) -> anyhow::Result<String> {
    match who {
        Who::Staff { handle, .. } => Ok(handle),
        Who::External { email } => Err(exit::invalid(format!(
            "WHO: {email} is external and side conversations are internal people only"
        ))),
    }
}

/// Whether `who` may be copied: never a support or blocklisted address, and staff as `agent_cc` says.
/// A customer who tries to copy staff is not told that the address belongs to staff.
/// A customer is told only that the address they gave cannot be copied, never the setting that says so
/// (a blocklist glob, the desk's support addresses, whether the address is staff).
pub fn check_cc(actor: &Who, who: &Who, settings: &Settings) -> anyhow::Result<()> {
    if let Some(why) = settings.refusal(who.email()) {
        return Err(exit::invalid(if actor.is_staff() {
            format!("WHO: cannot CC {}: {why}", who.email())
        } else {
            format!("WHO: {} cannot be copied on this ticket", who.email())
        }));
    }
    if let Who::Staff { handle, email, .. } = who
        && settings.agent_cc == AgentCc::Reject
    {
        return Err(exit::invalid(if actor.is_staff() {
            format!(
                "WHO: {handle} is internal and agent_cc is reject; add them as a follower instead"
            )
        } else {
            format!("WHO: {email} cannot be copied on this ticket")
        }));
    }
    Ok(())
}

/// Whether copying `whom` keeps the ticket within `cc_limit`. Only people not yet on the thread count.
/// A customer sees the CC list but not the setting, so their refusal names neither number.
pub fn check_cc_limit(
    actor: &Who,
    ticket: &Ticket,
    whom: &[Who],
    limit: usize,
) -> anyhow::Result<()> {
    let mut new: Vec<&str> = whom
        .iter()
        .map(Who::email)
        .filter(|e| !ticket.is_requester(e) && !ticket.is_cc(e))
        .collect();
    new.sort_unstable();
    new.dedup();
    let after = ticket.cc.len() + new.len();
    if new.is_empty() || after <= limit {
        return Ok(());
    }
    let names = new.join(", ");
    Err(exit::invalid(if actor.is_staff() {
        format!(
            "WHO: cannot CC {names}: ticket #{} has {} CCs, this would make {after}, and cc_limit is {limit}",
            ticket.id,
            ticket.cc.len()
        )
    } else {
        format!(
            "WHO: cannot CC {names}: ticket #{} cannot take more CCs",
            ticket.id
        )
    }))
}

/// An end user's address: never the desk's own support address or a blocklisted one, which tkt never
/// takes as a requester or a CC either.
pub fn check_end_user_address(role: Role, email: &str, settings: &Settings) -> anyhow::Result<()> {
    match settings.refusal(email) {
        Some(why) if !role.is_internal() => Err(exit::invalid(format!(
            "--email: {why}; an end user cannot have it"
        ))),
        _ => Ok(()),
    }
}

/// A name given to a CC: visible single-line text that cannot pass for the desk's staff (SPEC §3).
pub fn check_cc_name(name: &str, people: &People) -> anyhow::Result<()> {
    text::check_name(name).map_err(|e| exit::invalid(format!("--name: {e}")))?;
    match naming::impersonation(name, people) {
        Some(why) => Err(exit::invalid(format!("--name: {why}"))),
        None => Ok(()),
    }
}

/// A comment's visibility: staff write internal notes unless they ask for a public reply (forgetting
/// the flag must never leak); customers only ever write publicly.
pub fn comment_visibility(actor: &Who, public: bool, internal: bool) -> anyhow::Result<Visibility> {
    match actor {
        Who::External { .. } if internal => Err(exit::not_allowed(
            "external people cannot post internal notes",
        )),
        Who::External { .. } => Ok(Visibility::Public),
        Who::Staff { .. } if public => Ok(Visibility::Public),
        Who::Staff { .. } => Ok(Visibility::Internal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(handle: &str, role: Role) -> Who {
        Who::Staff {
            handle: handle.into(),
            role,
            email: format!("{handle}@acme.example"),
        }
    }

    fn customer() -> Who {
        Who::External {
            email: "ana@customer.example".into(),
        }
    }

    #[test]
    fn only_agents_and_admins_can_be_assigned() {
        assert!(check_assignee(staff("jonas", Role::Agent)).is_ok());
        assert!(check_assignee(staff("ada", Role::Admin)).is_ok());
        assert!(check_assignee(staff("lise", Role::LightAgent)).is_err());
        assert!(check_assignee(customer()).is_err());
    }

    #[test]
    fn admins_manage_staff_agents_end_users_and_the_rest_nobody() {
        use DirectoryChange::*;
        let admin = staff("ada", Role::Admin);
        let agent = staff("jonas", Role::Agent);
        let light = staff("lise", Role::LightAgent);
        for change in [
            Add(Role::Admin),
            Edit {
                from: Role::Agent,
                to: Role::Admin,
            },
            Remove(Role::Agent),
        ] {
            assert!(check_directory(Some(&admin), change).is_ok());
            assert!(check_directory(None, change).is_ok(), "setting up");
            assert!(check_directory(Some(&agent), change).is_err());
            assert!(check_directory(Some(&light), change).is_err());
            assert!(check_directory(Some(&customer()), change).is_err());
        }
        let end_user = Edit {
            from: Role::EndUser,
            to: Role::EndUser,
        };
        assert!(check_directory(Some(&agent), Add(Role::EndUser)).is_ok());
        assert!(check_directory(Some(&agent), end_user).is_ok());
        assert!(check_directory(Some(&agent), Remove(Role::EndUser)).is_err());
        assert!(check_directory(Some(&light), Add(Role::EndUser)).is_err());
    }

    #[test]
    fn a_support_address_is_never_the_requester() {
        let settings = Settings {
            support_addresses: vec!["support@acme.example".into()],
            ..Settings::default()
        };
        let desk = Who::External {
            email: "support@acme.example".into(),
        };
        assert!(check_requester(desk, &settings, "--requester").is_err());
        assert!(check_requester(customer(), &settings, "--requester").is_ok());
        assert!(check_requester(staff("jonas", Role::Agent), &settings, "--requester").is_err());
    }

    #[test]
    fn a_customer_is_pointed_to_cc_instead_of_following() {
        let err = check_follower(customer(), &Settings::default(), 7).unwrap_err();
        assert!(err.to_string().contains("tkt cc add 7"), "{err}");
        let settings = Settings {
            support_addresses: vec!["jonas@acme.example".into()],
            ..Settings::default()
        };
        assert!(check_follower(staff("jonas", Role::Agent), &settings, 7).is_err());
    }

    #[test]
    fn staff_write_internal_notes_unless_they_ask() {
        let agent = staff("jonas", Role::Agent);
        assert_eq!(
            comment_visibility(&agent, false, false).unwrap(),
            Visibility::Internal
        );
        assert_eq!(
            comment_visibility(&agent, true, false).unwrap(),
            Visibility::Public
        );
        assert_eq!(
            comment_visibility(&customer(), false, false).unwrap(),
            Visibility::Public
        );
        assert!(comment_visibility(&customer(), false, true).is_err());
    }

    #[test]
    fn a_customer_copying_staff_under_reject_is_not_told_who_is_staff() {
        let settings = Settings {
            agent_cc: AgentCc::Reject,
            ..Settings::default()
        };
        let err = check_cc(&customer(), &staff("mette", Role::Agent), &settings).unwrap_err();
        assert!(!err.to_string().contains("mette is"), "{err}");
        let err = check_cc(
            &staff("jonas", Role::Agent),
            &staff("mette", Role::Agent),
            &settings,
        );
        assert!(err.unwrap_err().to_string().contains("follower"));
    }
}
