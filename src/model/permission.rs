//! Who may do what (SPEC §4): every write asks `check` before it changes anything.

use crate::exit;
use crate::model::visibility::Access;
use crate::model::{Role, Who};

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
