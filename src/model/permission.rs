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
