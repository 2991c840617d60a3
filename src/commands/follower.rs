//! `tkt follower add|remove|list`: internal people who follow a ticket, unseen by customers.

use crate::model::naming;
use crate::render::json::Answer;

use crate::cli::FollowerCommand;
use crate::commands::{change, load_for, precheck};
use crate::context::Context;
use crate::exit;
use crate::model::event::{Event, Member};
use crate::model::permission::{self, Action};
use crate::model::visibility::Access;

pub fn run(ctx: &Context, cmd: FollowerCommand) -> anyhow::Result<()> {
    match cmd {
        FollowerCommand::Add { id, who } => add(ctx, id, &who),
        FollowerCommand::Remove { id, who } => remove(ctx, id, &who),
        FollowerCommand::List { id } => list(ctx, id),
    }
}

fn add(ctx: &Context, id: u64, who: &[String]) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let added = change(&store, ctx, &actor, id, Action::ChangeFollowers, |t, w| {
        let handles = who
            .iter()
            .map(|w| {
                permission::check_follower(store.people.resolve(w, "WHO")?, &store.settings, id)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut added = Vec::new();
        for h in handles {
            if !t.is_follower(&h) {
                t.followers.push(h.clone());
                t.record(Event::added(w.at, actor.id(), Member::Follower, &h));
                added.push(h);
            }
        }
        Ok(added)
    })?;
    if added.is_empty() {
        ctx.note(&format!("#{id}: nobody new to add (already following)"));
    } else {
        ctx.note(&format!("#{id}: now followed by {}", added.join(", ")));
    }
    let answer = Answer {
        added: naming::staff_members(&added, &store.people),
        ..Answer::of(id, !added.is_empty())
    };
    ctx.answer(&answer, String::new)
}

fn remove(ctx: &Context, id: u64, who: &[String]) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    precheck(&store, &actor, id, Action::ChangeFollowers)?;
    let handles: Vec<String> = who
        .iter()
        .map(|w| store.people.resolve(w, "WHO").map(|p| p.id().to_string()))
        .collect::<anyhow::Result<_>>()?;
    change(&store, ctx, &actor, id, Action::ChangeFollowers, |t, w| {
        for h in &handles {
            let Some(at) = t.followers.iter().position(|f| f == h) else {
                return Err(exit::not_found(format!("WHO: {h} does not follow #{id}")));
            };
            t.followers.remove(at);
            t.record(Event::removed(w.at, actor.id(), Member::Follower, h));
        }
        Ok(())
    })?;
    ctx.note(&format!(
        "#{id}: no longer followed by {}",
        handles.join(", ")
    ));
    let answer = Answer {
        removed: naming::staff_members(&handles, &store.people),
        ..Answer::of(id, true)
    };
    ctx.answer(&answer, String::new)
}

fn list(ctx: &Context, id: u64) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let viewer = ctx.viewer(&store)?;
    let (ticket, access) = load_for(&store, id, viewer.as_ref())?;
    if !matches!(access, Access::Staff { .. }) {
        return Err(exit::not_allowed("followers are visible to staff only"));
    }
    let lines: String = ticket
        .followers
        .iter()
        .map(|f| crate::render::text::person_label(&store.people, f) + "\n")
        .collect();
    let followers = naming::staff_members(&ticket.followers, &store.people);
    ctx.emit(&followers, || lines)
}
