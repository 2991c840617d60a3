//! `tkt comment` (a public reply or an internal note) and `tkt make-private`.

use crate::model::naming;
use crate::render::json::Answer;

use crate::cli::BodyArgs;
use crate::commands::template as templates;
use crate::commands::{body, change, precheck};
use crate::context::Context;
use crate::exit;
use crate::model::Visibility;
use crate::model::event::Event;
use crate::model::permission::{self, Action};
use crate::model::template::{Purpose, add_tags};
use crate::model::thread::post_comment;

pub fn run(
    ctx: &Context,
    id: u64,
    public: bool,
    internal: bool,
    force: bool,
    template: Option<&str>,
    body_args: &BodyArgs,
) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let template = match template {
        Some(name) => Some((
            name,
            templates::for_use(&store, &actor, name, Purpose::Comment)?,
        )),
        None => None,
    };
    // A template says public or internal (internal unless it says otherwise); --public or --internal
    // on the command line wins.
    let public = public
        || (!internal
            && template
                .as_ref()
                .is_some_and(|(_, t)| t.visibility == Some(Visibility::Public)));
    let visibility = permission::comment_visibility(&actor, public, internal)?;
    let action = match visibility {
        Visibility::Public => Action::PostPublic,
        Visibility::Internal => Action::PostInternal,
    };
    let ticket = precheck(&store, &actor, id, action)?;
    if let Some((name, t)) = &template {
        let access = crate::model::visibility::access(&ticket, &actor);
        templates::may_tag(&actor, access, id, name, t)?;
    }
    let audience = match visibility {
        Visibility::Public => body::PUBLIC,
        Visibility::Internal => body::INTERNAL,
    };
    let given = match template {
        Some(_) => None,
        None => Some(body::read(body_args, audience)?),
    };
    let (posted, tags) = change(&store, ctx, &actor, id, action, |t, w| {
        // Filled from the ticket as it is now, under the lock: whole, or nothing is written.
        let text = match &template {
            Some((name, tpl)) => {
                templates::may_tag(&actor, w.access, id, name, tpl)?;
                templates::fill(name, tpl, t, &store.people)?.body
            }
            None => given.unwrap_or_default(),
        };
        if visibility == Visibility::Public && actor.is_staff() && !force {
            guard(t, w.access, &actor, &text, &store.people)?;
        }
        let posted = post_comment(
            t,
            &actor,
            visibility,
            text,
            w.at,
            &store.people,
            &store.settings,
        );
        let tags = template
            .as_ref()
            .and_then(|(_, tpl)| add_tags(t, tpl, actor.id(), w.at));
        Ok((posted, tags))
    })?;
    // A customer's answer is built from what their own view shows: it has no comment numbers, and the
    // number of theirs would count the internal notes before it.
    let number = actor.is_staff().then_some(posted.n);
    match (number, visibility) {
        (Some(n), Visibility::Public) => ctx.note(&format!("Added public reply {n} to #{id}")),
        (Some(n), Visibility::Internal) => ctx.note(&format!("Added internal note {n} to #{id}")),
        (None, _) => ctx.note(&format!("Added your reply to #{id}")),
    }
    if let Some(tags) = &tags {
        ctx.note(&format!("#{id} tags: {}", tags.join(", ")));
    }
    if posted.reopened {
        ctx.note(&format!("#{id} is open again"));
    }
    for f in &posted.new_followers {
        ctx.note(&format!("{f} now follows #{id}"));
    }
    for name in &posted.public_mentions {
        ctx.warn(&format!(
            "@{name} is mentioned in a public reply: the requester and CCs read it, and {name} was not told; for a colleague, write an internal note (leave out --public)"
        ));
    }
    for name in &posted.barred_mentions {
        ctx.warn(&format!(
            "@{name} was not made a follower: their address is in support_addresses or cc_blocklist"
        ));
    }
    for name in &posted.unknown_mentions {
        ctx.warn(&format!(
            "@{name} is not an internal person in people.yaml; nobody was added"
        ));
    }
    let answer = Answer {
        comment: number,
        visibility: Some(visibility),
        new_followers: posted
            .new_followers
            .iter()
            .map(|h| naming::staff_member(h, &store.people))
            .collect(),
        tags,
        ..Answer::of(id, true)
    };
    ctx.answer(&answer, String::new)
}

/// The leak guard (`model::leak`) on what the author may see of the ticket: a refusal names the entry
/// and says how to go on.
fn guard(
    t: &crate::model::Ticket,
    access: crate::model::visibility::Access,
    actor: &crate::model::Who,
    text: &str,
    people: &crate::model::People,
) -> anyhow::Result<()> {
    use crate::model::leak::{self, Leak};
    let why = match leak::public_reply_by(t, access, actor, text, people) {
        None => return Ok(()),
        Some(Leak::Mentions(handles)) => format!(
            "it @mentions {} (staff): the requester and CCs would read a note to a colleague",
            handles.join(", ")
        ),
        Some(Leak::Repeats { entry, passage }) => format!(
            "it repeats {entry} word for word (\"{passage}\"): the requester and CCs would read internal text"
        ),
    };
    Err(exit::not_allowed(format!(
        "#{}: public reply refused: {why}; write an internal note instead (leave out --public), or, if \
         passing it on is deliberate (an expert's answer for the customer), run the same command with --force",
        t.id
    )))
}

pub fn make_private(ctx: &Context, id: u64, reference: &str) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let (n, changed, public_left) = change(
        &store,
        ctx,
        &actor,
        id,
        Action::Manage("make comments private"),
        |t, w| {
            let found = t.comment_by_ref(reference);
            let Some(comment) = found.and_then(|n| t.comments.iter_mut().find(|c| c.n == n)) else {
                return Err(exit::not_found(format!(
                    "COMMENT: ticket #{id} has no comment {reference}"
                )));
            };
            let n = comment.n;
            if comment.visibility == Visibility::Internal {
                return Ok((n, false, true));
            }
            comment.visibility = Visibility::Internal;
            t.record(Event::made_private(w.at, actor.id(), n));
            Ok((n, true, t.last_public_comment().is_some()))
        },
    )?;
    if changed {
        ctx.note(&format!("Comment {n} on #{id} is now an internal note"));
    } else {
        ctx.note(&format!("Comment {n} on #{id} is already internal"));
    }
    if !public_left {
        ctx.warn(&format!(
            "#{id} has no public comment left: the requester and CCs now see an empty thread"
        ));
    }
    let answer = Answer {
        comment: Some(n),
        visibility: Some(Visibility::Internal),
        ..Answer::of(id, changed)
    };
    ctx.answer(&answer, String::new)
}
