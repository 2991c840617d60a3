//! `tkt template list`, and what `comment --template` and `side open --template` share: who may use a
//! template, finding it, and filling it from the ticket as it is under the lock.

use crate::cli::TemplateCommand;
use crate::context::Context;
use crate::exit;
use crate::model::permission::{self, Action};
use crate::model::template::{Filled, Purpose, Template, Values};
use crate::model::visibility::Access;
use crate::model::{People, Ticket, Who};
use crate::render::template::{self as render, TemplateDoc};
use crate::store::{Store, TEMPLATES_DIR};

pub fn run(ctx: &Context, cmd: TemplateCommand) -> anyhow::Result<()> {
    match cmd {
        TemplateCommand::List => list(ctx),
    }
}

/// Templates are the desk's own words: a customer is refused before anything is looked up, so they
/// learn neither a template's name nor whether there is one.
fn staff_only(who: Option<&Who>) -> anyhow::Result<()> {
    match who {
        Some(who) if !who.is_staff() => Err(exit::not_allowed(format!(
            "{}: templates are for the desk's staff",
            who.id()
        ))),
        _ => Ok(()),
    }
}

fn list(ctx: &Context) -> anyhow::Result<()> {
    let store = ctx.store()?;
    staff_only(ctx.viewer(&store)?.as_ref())?;
    let mut docs: Vec<TemplateDoc> = Vec::new();
    for (name, read) in store.templates()? {
        match read {
            Ok(t) => docs.push(render::template_doc(&name, &t)),
            // As `list` does with a broken ticket: say which file and why, and list the rest.
            Err(err) => ctx.warn(&format!("skipped {err:#}")),
        }
    }
    ctx.emit(&docs, || render::list(&docs))
}

/// A template the actor may use for `purpose`: staff only (exit 4), one that exists (exit 3), a file
/// that reads (exit 5), made for this command (exit 2, naming both).
pub fn for_use(
    store: &Store,
    actor: &Who,
    name: &str,
    purpose: Purpose,
) -> anyhow::Result<Template> {
    staff_only(Some(actor))?;
    let template = store.template(name)?;
    if template.purpose != purpose {
        let (is, command) = match template.purpose {
            Purpose::Side => ("a side-conversation template", "tkt side open ID"),
            Purpose::Comment => ("a comment template", "tkt comment ID"),
        };
        let here = match purpose {
            Purpose::Side => "side open",
            Purpose::Comment => "comment",
        };
        return Err(exit::usage(format!(
            "--template {name}: {TEMPLATES_DIR}/{name}.yaml is {is} (for: {}), not for `{here}`; use it with `{command} --template {name}`",
            template.purpose.as_str()
        )));
    }
    Ok(template)
}

/// Checks that the actor may add the template's tags (agents and admins: a light agent may not change
/// tags). Asked before the body and again under the lock.
pub fn may_tag(
    actor: &Who,
    access: Access,
    id: u64,
    name: &str,
    template: &Template,
) -> anyhow::Result<()> {
    if template.tags.is_empty() {
        return Ok(());
    }
    permission::check(actor, access, Action::Manage("change tags"), id).map_err(|err| {
        exit::not_allowed(format!(
            "--template {name} adds the tags {}, and {err}",
            template.tags.join(", ")
        ))
    })
}

/// The template filled from ticket `t`: whole, or exit 5 saying which value is missing.
pub fn fill(
    name: &str,
    template: &Template,
    t: &Ticket,
    people: &People,
) -> anyhow::Result<Filled> {
    template
        .fill(&Values::of(t, people))
        .map_err(|why| exit::invalid(format!("--template {name}: {why}")))
}
