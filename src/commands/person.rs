//! `tkt person add|list`: the people directory.

use serde_json::json;

use crate::cli::{Format, PersonCommand};
use crate::context::Context;
use crate::exit;
use crate::model::address::{is_valid_email, is_valid_handle, normalize_email};
use crate::model::naming;
use crate::model::text::check_name;
use crate::model::{Person, Role};
use crate::render::table;
use crate::yaml::Extra;

pub fn run(ctx: &Context, cmd: PersonCommand) -> anyhow::Result<()> {
    match cmd {
        PersonCommand::Add {
            handle,
            name,
            email,
            role,
        } => add(ctx, handle, name, email, role),
        PersonCommand::List => list(ctx),
    }
}

fn add(
    ctx: &Context,
    handle: String,
    name: String,
    email: String,
    role: Role,
) -> anyhow::Result<()> {
    if !is_valid_handle(&handle) {
        return Err(exit::invalid(format!(
            "HANDLE: {handle:?} is not a valid handle (lower-case letters, digits, '.', '_', '-')"
        )));
    }
    if !is_valid_email(&email) {
        return Err(exit::invalid(format!(
            "--email: {email:?} is not a valid email address"
        )));
    }
    check_name(&name).map_err(|e| exit::invalid(format!("--name: {e}")))?;
    let store = ctx.store()?;
    // An end user is shown to staff and customers by this name: it must not pass for the desk's.
    if !role.is_internal()
        && let Some(why) = naming::impersonation(&name, &store.people)
    {
        return Err(exit::invalid(format!("--name: {why}")));
    }
    // Setting up needs no actor, but a customer who says who they are may not do it.
    if ctx.viewer(&store)?.is_some_and(|who| !who.is_staff()) {
        return Err(exit::not_allowed(
            "customers cannot change the people directory",
        ));
    }
    let person = Person {
        handle: handle.clone(),
        name,
        email: normalize_email(&email),
        role,
        extra: Extra::new(),
    };
    store.update_people(|people| {
        if people.by_handle(&handle).is_some() {
            return Err(exit::invalid(format!(
                "HANDLE: {handle} is already in people.yaml"
            )));
        }
        if let Some(other) = people.by_email(&email) {
            return Err(exit::invalid(format!(
                "--email: {email} already belongs to {}",
                other.handle
            )));
        }
        people.people.push(person.clone());
        Ok(())
    })?;
    ctx.note(&format!("Added {handle} ({})", role.as_str()));
    ctx.emit(&person, String::new)
}

fn list(ctx: &Context) -> anyhow::Result<()> {
    let store = ctx.store()?;
    if ctx.viewer(&store)?.is_some_and(|who| !who.is_staff()) {
        return Err(exit::not_allowed("the people directory is for staff only"));
    }
    let people = &store.people.people;
    match ctx.format {
        Format::Text => ctx.write_text(|out| table::write_people(out, people, ctx.layout())),
        _ => ctx.emit(&json!(people), String::new),
    }
}
