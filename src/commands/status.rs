//! `tkt status ID STATUS`, under the rules of SPEC §2.

use crate::render::json::Answer;

use crate::commands::change;
use crate::context::Context;
use crate::model::Status;
use crate::model::event::Event;
use crate::model::permission::Action;
use crate::model::status::{check_change, resolve_sides_on_close};
use crate::model::visibility::{Access, can_see_side};
use crate::model::{SideState, Ticket, Who};

/// The open side conversations `actor` may see: the ones a warning may name.
fn visible_open_sides(t: &Ticket, access: Access, actor: &Who) -> Vec<u32> {
    t.side_conversations
        .iter()
        .filter(|s| {
            s.state == SideState::Open && can_see_side(access, &s.participants, Some(actor))
        })
        .map(|s| s.n)
        .collect()
}

/// The domain's clean-up as a ticket is solved: what is left on it, found on what the actor may see
/// (open side conversations are warned about below, and only those the actor may see).
fn left_on_solving(
    t: &Ticket,
    access: Access,
    actor: &Who,
    store: &crate::store::Store,
    now: crate::model::ticket::Time,
) -> Vec<crate::model::hygiene::Finding> {
    let mut seen = t.clone();
    seen.side_conversations
        .retain(|s| can_see_side(access, &s.participants, Some(actor)));
    crate::model::hygiene::findings(&seen, &store.people, store.settings.cc_limit, now)
        .into_iter()
        .filter(|f| f.code != "open-side-on-solved")
        .collect()
}

pub fn run(ctx: &Context, id: u64, to: Status) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    // The open side conversations the actor may see: resolved by closing, warned about when solving.
    let (changed, open_sides, left) = change(
        &store,
        ctx,
        &actor,
        id,
        Action::Manage("change the status"),
        |t, w| {
            check_change(t, to)?;
            if t.status == to {
                return Ok((false, Vec::new(), Vec::new()));
            }
            let open_sides = visible_open_sides(t, w.access, &actor);
            t.record(Event::status(w.at, actor.id(), t.status, to));
            t.status = to;
            if to == Status::Closed {
                resolve_sides_on_close(t, actor.id(), w.at);
            }
            let left = if to == Status::Solved {
                left_on_solving(t, w.access, &actor, &store, ctx.now)
            } else {
                Vec::new()
            };
            Ok((true, open_sides, left))
        },
    )?;
    if changed {
        ctx.note(&format!("#{id} is now {}", to.as_str()));
    } else {
        ctx.note(&format!("#{id} is already {}", to.as_str()));
    }
    if to == Status::Closed {
        for n in &open_sides {
            ctx.note(&format!(
                "Side conversation {n} on #{id} is resolved (the ticket is closed)"
            ));
        }
    }
    if changed && to == Status::Solved && !open_sides.is_empty() {
        let list: Vec<String> = open_sides.iter().map(u32::to_string).collect();
        ctx.warn(&format!(
            "#{id} is solved with side conversation {} still open (tkt side resolve {id} N); closing the ticket will resolve it",
            list.join(", ")
        ));
    }
    for f in &left {
        ctx.warn(&format!("#{id} {}: {}; {}", f.code, f.message, f.advice));
    }
    let answer = Answer {
        status: Some(to),
        ..Answer::of(id, changed)
    };
    ctx.answer(&answer, String::new)
}
