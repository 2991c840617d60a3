//! `tkt edit ID`: change a ticket's subject, priority, group or requester (agents and admins).

use crate::commands::{change, precheck};
use crate::context::Context;
use crate::exit;
use crate::model::Priority;
use crate::model::edit::{Edits, apply};
use crate::model::permission::{self, Action};
use crate::model::text::check_subject;
use crate::render::json::Answer;

const ACTION: Action = Action::Manage("edit tickets");

pub struct Changes {
    pub subject: Option<String>,
    pub priority: Option<Priority>,
    pub group: Option<String>,
    pub requester: Option<String>,
}

/// `--group` as typed (`model::text::group`): blank clears it.
pub fn group(text: &str) -> anyhow::Result<Option<String>> {
    crate::model::text::group(text).map_err(|e| exit::invalid(format!("--group: {e}")))
}

pub fn run(ctx: &Context, id: u64, changes: Changes) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    precheck(&store, &actor, id, ACTION)?;
    if let Some(subject) = &changes.subject {
        check_subject(subject).map_err(|e| exit::invalid(format!("--subject: {e}")))?;
    }
    let edits = Edits {
        subject: changes.subject,
        priority: changes.priority,
        group: changes.group.as_deref().map(group).transpose()?,
        requester: changes
            .requester
            .map(|r| {
                let who = store.people.resolve(&r, "--requester")?;
                permission::check_requester(who, &store.settings, "--requester")
            })
            .transpose()?,
    };
    let done = change(&store, ctx, &actor, id, ACTION, |t, w| {
        Ok(apply(t, &edits, actor.id(), w.at))
    })?;
    if done.is_empty() {
        ctx.note(&format!("#{id}: nothing to change"));
    }
    for c in &done {
        ctx.note(&format!(
            "#{id}: {} is now {}",
            c.field,
            c.to.as_deref().unwrap_or("(none)")
        ));
    }
    let changed = !done.is_empty();
    let answer = Answer {
        changes: done,
        ..Answer::of(id, changed)
    };
    ctx.answer(&answer, String::new)
}
