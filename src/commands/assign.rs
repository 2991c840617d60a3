//! `tkt assign ID WHO | --none`: the one internal owner of a ticket.

use crate::model::naming;
use crate::render::json::Answer;

use crate::commands::{change, precheck};
use crate::context::Context;
use crate::model::event::Event;
use crate::model::permission::{self, Action};

pub fn run(ctx: &Context, id: u64, who: Option<String>) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    precheck(&store, &actor, id, Action::Manage("assign tickets"))?;
    let assignee = who
        .as_deref()
        .map(|w| permission::check_assignee(store.people.resolve(w, "WHO")?))
        .transpose()?;
    let changed = change(
        &store,
        ctx,
        &actor,
        id,
        Action::Manage("assign tickets"),
        |t, w| {
            if t.assignee == assignee {
                return Ok(false);
            }
            let before = std::mem::replace(&mut t.assignee, assignee.clone());
            t.record(Event::assigned(
                w.at,
                actor.id(),
                before.as_deref(),
                assignee.as_deref(),
            ));
            Ok(true)
        },
    )?;
    let label = assignee.as_deref().unwrap_or("nobody");
    if changed {
        ctx.note(&format!("Assigned #{id} to {label}"));
    } else {
        ctx.note(&format!("#{id} is already assigned to {label}"));
    }
    let answer = Answer {
        assignee: assignee
            .as_deref()
            .map(|a| naming::staff_member(a, &store.people)),
        ..Answer::of(id, changed)
    };
    ctx.answer(&answer, String::new)
}
