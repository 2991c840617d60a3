//! `tkt person add|list`: the people directory.

use crate::cli::{Format, PersonCommand};
use crate::context::Context;
use crate::exit;
use crate::model::address::{is_valid_email, is_valid_handle, normalize_email};
use crate::model::edit::person_changes;
use crate::model::naming;
use crate::model::permission::{self, DirectoryChange};
use crate::model::person::open_places;
use crate::model::text::check_name;
use crate::model::{People, Person, Role};
use crate::render::json::PersonAnswer;
use crate::render::table;
use crate::store::Store;
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
        PersonCommand::Edit {
            handle,
            name,
            email,
            role,
        } => edit(ctx, &handle, name, email, role),
        PersonCommand::Remove { handle } => remove(ctx, &handle),
    }
}

fn check_email(email: &str) -> anyhow::Result<()> {
    if is_valid_email(email) {
        Ok(())
    } else {
        Err(exit::invalid(format!(
            "--email: {email:?} is not a valid email address"
        )))
    }
}

/// A name for someone with `role`: one visible line, and for an end user nothing that passes for staff
/// (`others` is the directory without the person being named).
fn check_person_name(name: &str, role: Role, others: &People) -> anyhow::Result<()> {
    check_name(name).map_err(|e| exit::invalid(format!("--name: {e}")))?;
    if !role.is_internal()
        && let Some(why) = naming::impersonation(name, others)
    {
        return Err(exit::invalid(format!("--name: {why}")));
    }
    Ok(())
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
    check_email(&email)?;
    check_name(&name).map_err(|e| exit::invalid(format!("--name: {e}")))?;
    let store = ctx.store()?;
    // Setting up needs no actor; an actor who is named must be allowed to add this role.
    let actor = ctx.optional_actor(&store)?;
    permission::check_directory(actor.as_ref(), DirectoryChange::Add(role))?;
    // An end user is shown to staff and customers by this name: it must not pass for the desk's.
    check_person_name(&name, role, &store.people)?;
    permission::check_end_user_address(role, &email, &store.settings)?;
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
    let answer = PersonAnswer {
        handle,
        action: "add".into(),
        changed: true,
        changes: Vec::new(),
        person,
    };
    ctx.answer(&answer, String::new)
}

fn no_person(handle: &str) -> anyhow::Error {
    exit::not_found(format!(
        "HANDLE: no person with handle {handle:?} in people.yaml"
    ))
}

/// The unsolved tickets where `handle` works, as one refusal naming them, or Ok when there are none.
/// Tickets that cannot be read are warned about (they cannot change either).
fn check_not_working(
    ctx: &Context,
    store: &Store,
    handle: &str,
    assignee_only: bool,
    doing: &str,
) -> anyhow::Result<()> {
    let listing = crate::store::cache::listing(store)?;
    for problem in listing.skipped() {
        ctx.warn(&format!("could not check {problem}"));
    }
    let places = open_places(handle, listing.summaries(), assignee_only);
    if places.is_empty() {
        return Ok(());
    }
    let named: Vec<String> = places
        .iter()
        .map(|p| format!("#{} ({})", p.ticket, p.what))
        .collect();
    Err(exit::invalid(format!(
        "HANDLE: cannot {doing} {handle}: they still work on unsolved tickets {}; reassign them or remove them there first",
        named.join(", ")
    )))
}

fn edit(
    ctx: &Context,
    handle: &str,
    name: Option<String>,
    email: Option<String>,
    role: Option<Role>,
) -> anyhow::Result<()> {
    let handle = handle.to_ascii_lowercase();
    if let Some(email) = &email {
        check_email(email)?;
    }
    let store = ctx.store()?;
    let actor = ctx.optional_actor(&store)?;
    permission::may_change_directory(actor.as_ref())?;
    let before = store
        .people
        .by_handle(&handle)
        .ok_or_else(|| no_person(&handle))?
        .clone();
    let to = role.unwrap_or(before.role);
    permission::check_directory(
        actor.as_ref(),
        DirectoryChange::Edit {
            from: before.role,
            to,
        },
    )?;
    let mut others = store.people.clone();
    others.people.retain(|p| p.handle != handle);
    check_person_name(name.as_deref().unwrap_or(&before.name), to, &others)?;
    permission::check_end_user_address(
        to,
        email.as_deref().unwrap_or(&before.email),
        &store.settings,
    )?;
    if before.role.is_internal() && to != before.role {
        let assignee_only = to == Role::LightAgent;
        if assignee_only || to == Role::EndUser {
            check_not_working(ctx, &store, &handle, assignee_only, "change the role of")?;
        }
    }
    let mut after = before.clone();
    after.name = name.unwrap_or(after.name);
    after.email = email.as_deref().map_or(after.email, normalize_email);
    after.role = to;
    let changes = person_changes(&before, &after);
    if !changes.is_empty() {
        store.update_people(|people| {
            if let Some(other) = people.by_email(&after.email).filter(|o| o.handle != handle) {
                return Err(exit::invalid(format!(
                    "--email: {} already belongs to {}",
                    after.email, other.handle
                )));
            }
            let Some(slot) = people.people.iter_mut().find(|p| p.handle == handle) else {
                return Err(no_person(&handle));
            };
            // Checked against the entry as it was read: a change made meanwhile is not overwritten.
            if *slot != before {
                return Err(exit::other(format!(
                    "HANDLE: {handle} was changed by someone else meanwhile; nothing was changed, try again"
                )));
            }
            *slot = after.clone();
            Ok(())
        })?;
    }
    for c in &changes {
        ctx.note(&format!(
            "{handle}: {} is now {}",
            c.field,
            c.to.as_deref().unwrap_or("(none)")
        ));
    }
    if changes.is_empty() {
        ctx.note(&format!("{handle}: nothing to change"));
    }
    if !after.role.is_internal() && after.email != before.email {
        ctx.warn(&format!(
            "tickets name customers by address: those that name {} keep it",
            before.email
        ));
    }
    let answer = PersonAnswer {
        handle,
        action: "edit".into(),
        changed: !changes.is_empty(),
        changes,
        person: after,
    };
    ctx.answer(&answer, String::new)
}

fn remove(ctx: &Context, handle: &str) -> anyhow::Result<()> {
    let handle = handle.to_ascii_lowercase();
    let store = ctx.store()?;
    let actor = ctx.optional_actor(&store)?;
    permission::may_change_directory(actor.as_ref())?;
    let person = store
        .people
        .by_handle(&handle)
        .ok_or_else(|| no_person(&handle))?
        .clone();
    permission::check_directory(actor.as_ref(), DirectoryChange::Remove(person.role))?;
    if person.role.is_internal() {
        check_not_working(ctx, &store, &handle, false, "remove")?;
    }
    store.update_people(|people| {
        let before = people.people.len();
        people.people.retain(|p| p.handle != handle);
        if people.people.len() == before {
            return Err(no_person(&handle));
        }
        Ok(())
    })?;
    ctx.note(&format!("Removed {handle} from the directory"));
    let answer = PersonAnswer {
        handle,
        action: "remove".into(),
        changed: true,
        changes: Vec::new(),
        person,
    };
    ctx.answer(&answer, String::new)
}

fn list(ctx: &Context) -> anyhow::Result<()> {
    let store = ctx.store()?;
    if ctx.viewer(&store)?.is_some_and(|who| !who.is_staff()) {
        return Err(exit::not_allowed("the people directory is for staff only"));
    }
    let people = &store.people.people;
    match ctx.format {
        Format::Text => ctx.write_text(|out| table::write_people(out, people, ctx.layout())),
        _ => ctx.emit(people, String::new),
    }
}
