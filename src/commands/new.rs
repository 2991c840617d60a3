//! `tkt new`: open a ticket. The body is the requester's opening message; prints only the new id.

use crate::render::json::Answer;

use crate::cli::BodyArgs;
use crate::commands::{body, edit, tag};
use crate::context::Context;
use crate::exit;
use crate::model::event::Event;
use crate::model::permission::{self, Action};
use crate::model::text::check_subject;
use crate::model::visibility::Access;
use crate::model::{Priority, Ticket, Visibility, Who};

pub struct NewTicket {
    pub subject: String,
    pub requester: String,
    pub assignee: Option<String>,
    pub group: Option<String>,
    pub priority: Priority,
    pub tags: Vec<String>,
}

pub fn run(ctx: &Context, new: NewTicket, body_args: &BodyArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    check_subject(&new.subject).map_err(|e| exit::invalid(format!("--subject: {e}")))?;
    let group = new.group.as_deref().map(edit::group).transpose()?.flatten();
    // Who may open this ticket is settled before the requester is judged, so a customer learns nothing
    // about who is staff from the answer.
    let requester = store
        .people
        .resolve_for(&actor, &new.requester, "--requester")?;
    check_actor(&actor, requester.email(), &new)?;
    let requester = permission::check_requester(requester, &store.settings, "--requester")?;
    let assignee = new
        .assignee
        .as_deref()
        .map(|who| permission::check_assignee(store.people.resolve(who, "WHO")?))
        .transpose()?;
    for t in &new.tags {
        tag::validate(t)?;
    }
    let text = body::read(body_args, body::OPENING)?;
    let now = ctx.now;
    let id = store
        .create(|id| {
            let mut ticket = Ticket::new(id, new.subject.clone(), requester.clone(), now);
            ticket.priority = new.priority;
            ticket.group = group.clone();
            ticket.assignee = assignee.clone();
            for t in &new.tags {
                if !ticket.tags.contains(t) {
                    ticket.tags.push(t.clone());
                }
            }
            ticket.add_comment(now, &requester, Visibility::Public, text.clone());
            ticket.record(Event::created(now, actor.id()));
            Ok(ticket)
        })
        .map_err(|err| super::for_the_actor(err, &actor, "a ticket cannot be opened"))?;
    ctx.note(&format!("Created ticket #{id}"));
    ctx.answer(&Answer::of(id, true), || format!("{id}\n"))
}

/// Who may open a ticket with which fields: the customer for themselves only; the fields of
/// `status, assignee, tags` need the rights to set them.
fn check_actor(actor: &Who, requester: &str, new: &NewTicket) -> anyhow::Result<()> {
    if let Who::External { email } = actor
        && email != requester
    {
        return Err(exit::not_allowed(
            "external people can only open tickets for themselves",
        ));
    }
    let access = match actor {
        Who::External { .. } => Access::External,
        Who::Staff { .. } => Access::Staff { all_sides: true },
    };
    // Each field a ticket is opened with needs the right to set it later.
    let fields = [
        (new.assignee.is_some(), "assign tickets"),
        (!new.tags.is_empty(), "change tags"),
        (new.group.is_some(), "set the group"),
        (new.priority != Priority::Normal, "set the priority"),
    ];
    for (given, what) in fields {
        if given {
            permission::check(actor, access, Action::Manage(what), 0)?;
        }
    }
    Ok(())
}
