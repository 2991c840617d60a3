//! `tkt cc add|remove|list`: people copied on the public conversation (SPEC §2, §4).

use crate::render::json::Answer;

use crate::cli::CcCommand;
use crate::commands::{change, load_for, precheck};
use crate::context::Context;
use crate::exit;
use crate::model::event::{Event, Member};
use crate::model::naming::{self, Label};
use crate::model::permission::{self, Action};
use crate::model::settings::AgentCc;
use crate::model::ticket::Time;
use crate::model::visibility::{self, View};
use crate::model::{Cc, Ticket, Who};
use crate::render::text;
use crate::store::Store;
use crate::yaml::Extra;

pub fn run(ctx: &Context, cmd: CcCommand) -> anyhow::Result<()> {
    match cmd {
        CcCommand::Add { id, who, name } => add(ctx, id, &who, name),
        CcCommand::Remove { id, who } => remove(ctx, id, &who),
        CcCommand::List { id } => list(ctx, id),
    }
}

fn add(ctx: &Context, id: u64, who: &[String], name: Option<String>) -> anyhow::Result<()> {
    if name.is_some() && who.len() > 1 {
        return Err(exit::usage("--name: give one WHO when naming the address"));
    }
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    precheck(&store, &actor, id, Action::AddCc)?;
    if let Some(name) = &name {
        permission::check_cc_name(name, &store.people)?;
    }
    let people = store.people.resolve_all_for(&actor, who, "WHO")?;
    let added = change(&store, ctx, &actor, id, Action::AddCc, |t, w| {
        for p in &people {
            permission::check_cc(&actor, p, &store.settings)?;
        }
        permission::check_cc_limit(&actor, t, &people, store.settings.cc_limit)?;
        let mut added = Vec::new();
        for p in &people {
            if add_one(w.at, &store, t, &actor, p, name.clone())? {
                added.push(p.email().to_string());
            }
        }
        Ok(added)
    })?;
    // The warning is for the staff who copied a colleague; a customer learns nothing about who is staff.
    for p in people.iter().filter(|_| actor.is_staff()) {
        let Who::Staff { handle, .. } = p else {
            continue;
        };
        if !added.iter().any(|a| a == p.email()) {
            continue;
        }
        match store.settings.agent_cc {
            AgentCc::Warn => ctx.warn(&format!(
                "{handle} is internal: as a CC their address {} is visible to the customer; a follower is not",
                p.email()
            )),
            AgentCc::Follow => ctx.note(&format!("{handle} follows #{id} too (agent_cc: follow)")),
            AgentCc::Reject => {}
        }
    }
    if added.is_empty() {
        ctx.note(&format!(
            "#{id}: nobody new to copy (already the requester or a CC)"
        ));
    } else {
        ctx.note(&format!("#{id}: CC'd {}", added.join(", ")));
    }
    let answer = Answer {
        added: added
            .iter()
            .map(|e| naming::address(e, name.as_deref()))
            .collect(),
        ..Answer::of(id, !added.is_empty())
    };
    ctx.answer(&answer, String::new)
}

/// Adds one CC; false when they were already on the thread.
fn add_one(
    at: Time,
    store: &Store,
    t: &mut Ticket,
    actor: &Who,
    who: &Who,
    name: Option<String>,
) -> anyhow::Result<bool> {
    let email = who.email();
    if t.is_requester(email) || t.is_cc(email) {
        return Ok(false);
    }
    let name = cc_name(store, actor, who, name);
    t.cc.push(Cc {
        email: email.to_string(),
        name,
        extra: Extra::new(),
    });
    t.record(Event::added(at, actor.id(), Member::Cc, email));
    // Only staff may add followers, so only a CC added by staff follows under `agent_cc: follow`.
    if let Who::Staff { handle, .. } = who
        && actor.is_staff()
        && store.settings.agent_cc == AgentCc::Follow
        && !t.is_follower(handle)
    {
        t.followers.push(handle.clone());
        t.record(Event::added(at, actor.id(), Member::Follower, handle).because("agent CC"));
    }
    Ok(true)
}

/// The name a CC is copied with, which is how customers will see them: the `--name` given; else, when
/// staff copy someone the directory lists, the directory's name (the desk chose to show it). A customer
/// who types an address learns no name from the directory, and staff are named by the directory.
fn cc_name(store: &Store, actor: &Who, who: &Who, given: Option<String>) -> Option<String> {
    if who.is_staff() {
        return None;
    }
    given.or_else(|| {
        actor
            .is_staff()
            .then(|| store.people.by_email(who.email()).map(|p| p.name.clone()))
            .flatten()
    })
}

fn remove(ctx: &Context, id: u64, who: &[String]) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    precheck(&store, &actor, id, Action::RemoveCc)?;
    let people = store.people.resolve_all_for(&actor, who, "WHO")?;
    change(&store, ctx, &actor, id, Action::RemoveCc, |t, w| {
        for p in &people {
            let Some(at) =
                t.cc.iter()
                    .position(|c| c.email.eq_ignore_ascii_case(p.email()))
            else {
                return Err(exit::not_found(format!(
                    "WHO: {} is not a CC on #{id}",
                    p.email()
                )));
            };
            t.cc.remove(at);
            t.record(Event::removed(w.at, actor.id(), Member::Cc, p.email()));
        }
        Ok(())
    })?;
    let removed: Vec<&str> = people.iter().map(Who::email).collect();
    ctx.note(&format!("#{id}: removed CC {}", removed.join(", ")));
    let answer = Answer {
        removed: removed.iter().map(|e| naming::address(e, None)).collect(),
        ..Answer::of(id, true)
    };
    ctx.answer(&answer, String::new)
}

fn list(ctx: &Context, id: u64) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let viewer = ctx.viewer(&store)?;
    let (ticket, _) = load_for(&store, id, viewer.as_ref())?;
    let parties: Vec<Label> = match visibility::view(ticket, viewer.as_ref(), &store.people) {
        Some(View::External(v)) => v.cc,
        Some(View::Staff(t)) => visibility::cc_parties(&t, &store.people),
        None => return Err(exit::not_allowed(format!("no access to ticket #{id}"))),
    };
    ctx.emit(&parties, || text::party_lines(&parties))
}
