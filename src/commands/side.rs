//! `tkt side open|reply|invite|resolve|reopen|list`: internal threads attached to a ticket.

use crate::model::naming;
use crate::render::json::{self, Answer};

use crate::cli::SideCommand;
use crate::commands::template as templates;
use crate::commands::{body, change, load_for, precheck};
use crate::context::Context;
use crate::exit;
use crate::model::event::Event;
use crate::model::permission::{self, Action};
use crate::model::template::{Purpose, add_tags};
use crate::model::thread::post_side_message;
use crate::model::visibility::{self, Access, can_see_side};
use crate::model::{SideState, Ticket, Who};
use crate::render::text;
use crate::store::{Store, TEMPLATES_DIR};

pub fn run(ctx: &Context, cmd: SideCommand) -> anyhow::Result<()> {
    match cmd {
        SideCommand::Open {
            id,
            subject,
            with,
            template,
            body,
        } => open(ctx, id, subject, &with, template.as_deref(), &body),
        SideCommand::Reply { id, side, body } => reply(ctx, id, &side, &body),
        SideCommand::Invite { id, side, who } => invite(ctx, id, &side, &who),
        SideCommand::Resolve { id, side } => set_state(ctx, id, &side, SideState::Resolved),
        SideCommand::Reopen { id, side } => set_state(ctx, id, &side, SideState::Open),
        SideCommand::List { id } => list(ctx, id),
    }
}

/// The handles of the people named, who must all be staff.
fn staff_handles(store: &Store, who: &[String]) -> anyhow::Result<Vec<String>> {
    who.iter()
        .map(|w| permission::check_participant(store.people.resolve(w, "WHO")?))
        .collect()
}

/// A participant a template names, refused: the error names the template's `with:` instead of WHO,
/// with the same exit code.
fn named_by_template(err: anyhow::Error, file: &str) -> anyhow::Error {
    let message = format!("{err:#}");
    let message = format!(
        "{file}: with: {}",
        message.strip_prefix("WHO: ").unwrap_or(&message)
    );
    match exit::code_of(&err) {
        2 => exit::usage(message),
        3 => exit::not_found(message),
        4 => exit::not_allowed(message),
        5 => exit::invalid(message),
        _ => exit::other(message),
    }
}

fn no_side(id: u64, n: impl std::fmt::Display) -> anyhow::Error {
    exit::not_found(format!("SIDE: ticket #{id} has no side conversation {n}"))
}

/// The number of the side conversation SIDE names (a number or a message's id).
fn side_number(t: &Ticket, reference: &str) -> anyhow::Result<u32> {
    t.side_by_ref(reference)
        .ok_or_else(|| no_side(t.id, reference))
}

fn warn_unknown(ctx: &Context, mentions: &[String]) {
    for name in mentions {
        ctx.warn(&format!(
            "@{name} is not an internal person in people.yaml; nobody was invited"
        ));
    }
}

/// The domain's troubleshooting row for staff who were copied instead of made followers.
fn cc_hint(t: &Ticket, who: &Who) -> Option<String> {
    visibility::staff_only_cc(t, who).then(|| {
        format!(
            "you are a CC on this ticket, not a follower: `tkt follower add {} {}`",
            t.id,
            who.id()
        )
    })
}

/// The side conversation `n` for an actor who must be able to see it.
fn check_side(t: &Ticket, access: Access, actor: &Who, n: u32) -> anyhow::Result<()> {
    let Some(side) = t.side(n) else {
        return Err(no_side(t.id, n));
    };
    if !can_see_side(access, &side.participants, Some(actor)) {
        let hint = cc_hint(t, actor)
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        return Err(exit::not_allowed(format!(
            "{} is not in side conversation {n} of #{} (only its participants, followers, the assignee and admins see it){hint}",
            actor.id(),
            t.id
        )));
    }
    Ok(())
}

fn open(
    ctx: &Context,
    id: u64,
    subject: Option<String>,
    with: &[String],
    template: Option<&str>,
    body_args: &crate::cli::BodyArgs,
) -> anyhow::Result<()> {
    if let Some(subject) = &subject {
        crate::model::text::check_subject(subject)
            .map_err(|e| exit::invalid(format!("--subject: {e}")))?;
    }
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let template = match template {
        Some(name) => Some((
            name,
            templates::for_use(&store, &actor, name, Purpose::Side)?,
        )),
        None => None,
    };
    let ticket = precheck(&store, &actor, id, Action::SideConversations)?;
    // --with and --subject, when given, replace the template's.
    let (with, from_file) = match &template {
        Some((name, tpl)) if with.is_empty() => {
            if tpl.with.is_empty() {
                return Err(exit::usage(format!(
                    "--template {name}: {TEMPLATES_DIR}/{name}.yaml names no participants (`with:`); give --with WHO"
                )));
            }
            (
                tpl.with.as_slice(),
                Some(format!("{TEMPLATES_DIR}/{name}.yaml")),
            )
        }
        _ => (with, None),
    };
    if let Some((name, tpl)) = &template {
        if subject.is_none() && tpl.subject.is_none() {
            return Err(exit::usage(format!(
                "--template {name}: {TEMPLATES_DIR}/{name}.yaml has no subject; give --subject TEXT"
            )));
        }
        templates::may_tag(&actor, visibility::access(&ticket, &actor), id, name, tpl)?;
    }
    let given = match template {
        Some(_) => None,
        None => Some(body::read(body_args, body::SIDE)?),
    };
    let opened = change(
        &store,
        ctx,
        &actor,
        id,
        Action::SideConversations,
        |t, w| {
            let mut participants = vec![actor.id().to_string()];
            let handles = staff_handles(&store, with).map_err(|e| match &from_file {
                Some(file) => named_by_template(e, file),
                None => e,
            })?;
            for h in handles {
                if !participants.contains(&h) {
                    participants.push(h);
                }
            }
            // Filled from the ticket as it is now, under the lock: whole, or nothing is written.
            let (subject, text) = match &template {
                Some((name, tpl)) => {
                    templates::may_tag(&actor, w.access, id, name, tpl)?;
                    let filled = templates::fill(name, tpl, t, &store.people)?;
                    let subject = match (subject, filled.subject) {
                        (Some(given), _) => given,
                        (None, Some(filled)) => {
                            crate::model::text::check_subject(&filled).map_err(|e| {
                                exit::invalid(format!(
                                    "--template {name}: the filled subject {filled:?}: {e}"
                                ))
                            })?;
                            filled
                        }
                        (None, None) => String::new(),
                    };
                    (subject, filled.body)
                }
                None => (subject.unwrap_or_default(), given.unwrap_or_default()),
            };
            let n = t.open_side(w.at, actor.id(), subject, participants);
            t.record(Event::side_opened(w.at, actor.id(), n));
            let posted = post_side_message(t, n, actor.id(), text, w.at, &store.people);
            let tags = template
                .as_ref()
                .and_then(|(_, tpl)| add_tags(t, tpl, actor.id(), w.at));
            Ok((n, posted, tags))
        },
    )?;
    let (n, posted, tags) = opened;
    ctx.note(&format!("Opened side conversation {n} on #{id}"));
    if let Some(tags) = &tags {
        ctx.note(&format!("#{id} tags: {}", tags.join(", ")));
    }
    warn_unknown(ctx, &posted.unknown_mentions);
    let answer = Answer {
        side: Some(n),
        message: Some(posted.n),
        state: Some(SideState::Open),
        added: naming::staff_members(&posted.invited, &store.people),
        tags,
        ..Answer::of(id, true)
    };
    ctx.answer(&answer, || format!("{n}\n"))
}

fn reply(
    ctx: &Context,
    id: u64,
    side: &str,
    body_args: &crate::cli::BodyArgs,
) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let ticket = precheck(&store, &actor, id, Action::SideConversations)?;
    let n = side_number(&ticket, side)?;
    check_side(&ticket, visibility::access(&ticket, &actor), &actor, n)?;
    let text = body::read(body_args, body::SIDE)?;
    let (n, posted) = change(
        &store,
        ctx,
        &actor,
        id,
        Action::SideConversations,
        |t, w| {
            let n = side_number(t, side)?;
            check_side(t, w.access, &actor, n)?;
            let posted = post_side_message(t, n, actor.id(), text, w.at, &store.people);
            Ok((n, posted))
        },
    )?;
    ctx.note(&format!("Replied in side conversation {n} on #{id}"));
    if posted.reopened {
        ctx.note(&format!("Side conversation {n} is open again"));
    }
    warn_unknown(ctx, &posted.unknown_mentions);
    let answer = Answer {
        side: Some(n),
        message: Some(posted.n),
        state: Some(SideState::Open),
        added: naming::staff_members(&posted.invited, &store.people),
        ..Answer::of(id, true)
    };
    ctx.answer(&answer, String::new)
}

fn invite(ctx: &Context, id: u64, side: &str, who: &[String]) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let (n, invited) = change(
        &store,
        ctx,
        &actor,
        id,
        Action::SideConversations,
        |t, w| {
            let n = side_number(t, side)?;
            check_side(t, w.access, &actor, n)?;
            let handles = staff_handles(&store, who)?;
            let mut invited = Vec::new();
            for h in handles {
                let side = t.side_mut(n).ok_or_else(|| no_side(id, n))?;
                if !side.has_participant(&h) {
                    side.participants.push(h.clone());
                    t.record(Event::side_invited(w.at, actor.id(), n, &h));
                    invited.push(h);
                }
            }
            Ok((n, invited))
        },
    )?;
    if invited.is_empty() {
        ctx.note(&format!(
            "Nobody new to invite to side conversation {n} on #{id}"
        ));
    } else {
        ctx.note(&format!(
            "Invited {} to side conversation {n} on #{id}",
            invited.join(", ")
        ));
    }
    let answer = Answer {
        side: Some(n),
        added: naming::staff_members(&invited, &store.people),
        ..Answer::of(id, !invited.is_empty())
    };
    ctx.answer(&answer, String::new)
}

fn set_state(ctx: &Context, id: u64, side: &str, to: SideState) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let (n, changed) = change(
        &store,
        ctx,
        &actor,
        id,
        Action::SideConversations,
        |t, w| {
            let n = side_number(t, side)?;
            check_side(t, w.access, &actor, n)?;
            let side = t.side_mut(n).ok_or_else(|| no_side(id, n))?;
            if side.state == to {
                return Ok((n, false));
            }
            let event = match to {
                SideState::Resolved => {
                    side.resolve(actor.id(), w.at);
                    Event::side_resolved(w.at, actor.id(), n)
                }
                SideState::Open => {
                    side.reopen();
                    Event::side_reopened(w.at, actor.id(), n)
                }
            };
            t.record(event);
            Ok((n, true))
        },
    )?;
    let word = match to {
        SideState::Resolved => "resolved",
        SideState::Open => "open",
    };
    if changed {
        ctx.note(&format!("Side conversation {n} on #{id} is {word}"));
    } else {
        ctx.note(&format!(
            "Side conversation {n} on #{id} was already {word}"
        ));
    }
    let answer = Answer {
        side: Some(n),
        state: Some(to),
        ..Answer::of(id, changed)
    };
    ctx.answer(&answer, String::new)
}

fn list(ctx: &Context, id: u64) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let viewer = ctx.viewer(&store)?;
    let (ticket, access) = load_for(&store, id, viewer.as_ref())?;
    if !matches!(access, Access::Staff { .. }) {
        return Err(exit::not_allowed(
            "side conversations are visible to staff only",
        ));
    }
    let sides: Vec<_> = ticket
        .side_conversations
        .iter()
        .filter(|s| can_see_side(access, &s.participants, viewer.as_ref()))
        .cloned()
        .collect();
    let hidden = sides.len() < ticket.side_conversations.len();
    if let Some(hint) = viewer
        .as_ref()
        .and_then(|v| cc_hint(&ticket, v))
        .filter(|_| hidden)
    {
        ctx.warn(&format!(
            "side conversations you are not part of are hidden: {hint}"
        ));
    }
    let docs: Vec<_> = sides
        .iter()
        .map(|s| json::side_doc(s, &store.people))
        .collect();
    ctx.emit(&docs, || text::side_list(&sides, &store.people, ctx.style))
}
