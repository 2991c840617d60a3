//! One file per subcommand (or group): arguments in, one call to the store and the model, output out.

mod assign;
mod audience;
mod body;
mod cc;
mod check;
mod comment;
mod commit;
mod completions;
mod edit;
mod follower;
mod git;
mod inbox;
mod init;
mod list;
mod log;
mod mail;
mod man;
mod new;
mod person;
mod report;
mod schema;
mod show;
mod side;
mod status;
mod tag;
mod template;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::exit;
use chrono::SecondsFormat;

use crate::model::clock;
use crate::model::permission::{self, Action};
use crate::model::ticket::Time;
use crate::model::visibility::{self, Access};
use crate::model::{Ticket, Who};
use crate::store::Store;

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let ctx = Context::from_args(&cli.global)?;
    if cli.global.jq.is_some() && cli.global.format == crate::cli::Format::Mbox {
        return Err(exit::usage(
            "--jq filters JSON; it cannot be used with --format mbox",
        ));
    }
    if ctx.format == crate::cli::Format::Mbox && !matches!(cli.command, Command::Inbox) {
        return Err(exit::usage(
            "--format mbox is for tkt inbox; use text, json or yaml",
        ));
    }
    let commit = commit::Commit::prepare(&ctx, &cli.command)?;
    commit.finish(dispatch(ctx, cli.command))
}

/// Runs the command (auto-commit is the caller's step after it).
fn dispatch(ctx: Context, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Init { dir } => init::run(&ctx, dir),
        Command::Person(cmd) => person::run(&ctx, cmd),
        Command::New {
            subject,
            requester,
            assignee,
            group,
            priority,
            tags,
            body,
        } => new::run(
            &ctx,
            new::NewTicket {
                subject,
                requester,
                assignee,
                group,
                priority,
                tags,
            },
            &body,
        ),
        Command::List(args) => list::run(&ctx, args),
        Command::Show { id } => show::run(&ctx, id),
        Command::Comment {
            id,
            public,
            internal,
            force,
            template,
            body,
        } => comment::run(
            &ctx,
            id,
            public,
            internal,
            force,
            template.as_deref(),
            &body,
        ),
        Command::MakePrivate { id, comment } => comment::make_private(&ctx, id, &comment),
        Command::Cc(cmd) => cc::run(&ctx, cmd),
        Command::Follower(cmd) => follower::run(&ctx, cmd),
        Command::Side(cmd) => side::run(&ctx, cmd),
        Command::Template(cmd) => template::run(&ctx, cmd),
        Command::Status { id, status } => status::run(&ctx, id, status),
        Command::Assign { id, who, none: _ } => assign::run(&ctx, id, who),
        Command::Tag { id, add, remove } => tag::run(&ctx, id, add, remove),
        Command::Edit {
            id,
            subject,
            priority,
            group,
            requester,
        } => edit::run(
            &ctx,
            id,
            edit::Changes {
                subject,
                priority,
                group,
                requester,
            },
        ),
        Command::Log { id } => log::run(&ctx, id),
        Command::Git(cmd) => git::run(&ctx, cmd),
        Command::Audience { id } => audience::run(&ctx, id),
        Command::Inbox => inbox::run(&ctx),
        Command::Mail(cmd) => mail::run(&ctx, cmd),
        Command::Renumber { id } => git::renumber(&ctx, id),
        Command::Check(args) => {
            let as_who = ctx.as_who.clone();
            check::run(&ctx, args, as_who.as_deref())
        }
        Command::Report(args) => report::run(&ctx, args),
        Command::Completions { shell } => completions::run(&ctx, shell),
        Command::Man => man::run(&ctx),
        Command::Schema { kind } => schema::run(&ctx, kind),
    }
}

/// Prints a clap error as one line (help and version print in full) and returns the exit code.
pub fn report_usage(err: &clap::Error) -> i32 {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            0
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            exit::Kind::Usage as i32
        }
        _ => {
            crate::context::say(&usage_line(&err.render().to_string()));
            exit::Kind::Usage as i32
        }
    }
}

/// clap's message on one line: its first paragraph, any "did you mean" tip, and which `--help` to read
/// (the subcommand's, as far as the arguments name one).
fn usage_line(rendered: &str) -> String {
    let first: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let first = first.join(" ");
    let first = first.strip_prefix("error: ").unwrap_or(&first);
    let tips: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("tip: "))
        .collect();
    // args_os: an argument that is not UTF-8 must not panic here.
    let args = std::env::args_os().skip(1);
    let command = command_path(args.map(|a| a.to_string_lossy().into_owned()));
    let mut line = format!("error: {first}");
    for tip in tips {
        line.push_str("; ");
        line.push_str(tip);
    }
    line.push_str(&format!(" (see {command} --help)"));
    line
}

/// The subcommand the arguments name, as far as they name a real one: `tkt cc add` for
/// `tkt -C desk cc add 1 --nme x`. Options are skipped, with the value of those that take one.
fn command_path(args: impl Iterator<Item = String>) -> String {
    use clap::CommandFactory;
    let mut command = crate::cli::Cli::command();
    let mut path = vec!["tkt".to_string()];
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        if let Some(flag) = arg.strip_prefix('-') {
            let takes_value = command.get_arguments().any(|a| {
                a.get_action().takes_values()
                    && (a.get_long().is_some_and(|l| flag == format!("-{l}"))
                        || a.get_short().is_some_and(|s| flag == s.to_string()))
            });
            if takes_value {
                args.next();
            }
            continue;
        }
        match command.find_subcommand(&arg) {
            Some(sub) => {
                path.push(arg.clone());
                command = sub.clone();
            }
            None => break,
        }
    }
    path.join(" ")
}

/// Checks that `actor` may do `action` to `ticket` and that the ticket is not closed; returns their access.
pub fn authorize(ticket: &Ticket, actor: &Who, action: Action) -> anyhow::Result<Access> {
    let access = visibility::access(ticket, actor);
    permission::check(actor, access, action, ticket.id)?;
    crate::model::status::ensure_not_closed(ticket)?;
    Ok(access)
}

/// The message an external person gets for a ticket they may not see; the same whether it exists,
/// is someone else's or cannot be read, so it tells them nothing.
fn no_access(who: &Who, id: u64) -> anyhow::Error {
    exit::not_allowed(format!("{} has no access to ticket #{id}", who.id()))
}

/// Reads a ticket for a viewer. An external viewer who may not see it learns nothing, not even
/// whether it exists or whether its file is broken (staff see the real error).
pub fn load_for(store: &Store, id: u64, viewer: Option<&Who>) -> anyhow::Result<(Ticket, Access)> {
    match viewer {
        Some(who @ Who::External { .. }) => match store.load(id) {
            Ok(ticket) => match visibility::access(&ticket, who) {
                Access::None => Err(no_access(who, id)),
                access => Ok((ticket, access)),
            },
            // Missing, unreadable or someone else's: the same answer, so nothing is learnt.
            Err(_) => Err(no_access(who, id)),
        },
        _ => {
            let ticket = store.load(id)?;
            let access = visibility::access_of(&ticket, viewer);
            Ok((ticket, access))
        }
    }
}

/// An error of the store itself (a lock, a file tkt will not read or rewrite, the disk) as the actor
/// may hear it: staff hear it all; a customer learns only that nothing was changed, not the store's
/// paths, its files or what a hand edit put in them. The exit code stays what it was.
/// `what` says what could not be done ("#7 cannot be changed").
pub fn for_the_actor(err: anyhow::Error, actor: &Who, what: &str) -> anyhow::Error {
    if actor.is_staff() {
        return err;
    }
    let message = format!("{what} right now; nothing was changed (ask the desk's staff)");
    match exit::code_of(&err) {
        5 => exit::invalid(message),
        _ => exit::other(message),
    }
}

/// Refuses an external actor who may not see ticket `id`, with the answer a missing ticket gets.
fn admit(store: &Store, actor: &Who, id: u64) -> anyhow::Result<()> {
    if !actor.is_staff() {
        load_for(store, id, Some(actor))?;
    }
    Ok(())
}

/// Checks, before anything else is looked at, that `actor` may do `action` to ticket `id`: so that a
/// refused actor never types a body in vain, and names on their command line are never looked up for
/// someone who may not act (which would tell a customer which handles exist). `change` checks again
/// under the lock.
pub fn precheck(store: &Store, actor: &Who, id: u64, action: Action) -> anyhow::Result<Ticket> {
    let (ticket, _) = load_for(store, id, Some(actor))?;
    authorize(&ticket, actor, action)?;
    Ok(ticket)
}

/// What a change may do and when it happens: the actor's access to the ticket as it is under the lock,
/// and the time every entry of the change is stamped with (`model::clock`).
#[derive(Debug, Clone, Copy)]
pub struct Write {
    pub access: Access,
    pub at: Time,
}

/// Runs a change for an actor under the ticket's lock, after checking that they may do `action` to the
/// ticket as it is now: no change can skip the permission check. `edit` gets the actor's access and the
/// time to stamp entries with. An explicit clock earlier than what the actor can see on the ticket is
/// warned about (never an external actor about what they cannot see: the stamp only looks at their view).
pub fn change<R>(
    store: &Store,
    ctx: &Context,
    actor: &Who,
    id: u64,
    action: Action,
    edit: impl FnOnce(&mut Ticket, Write) -> anyhow::Result<R>,
) -> anyhow::Result<R> {
    admit(store, actor, id)?;
    let mut behind = None;
    let mut refused_by_a_rule = false;
    let result = store
        .update(id, ctx.now, |t| {
            let rules = || {
                let access = authorize(t, actor, action)?;
                let stamp = clock::stamp(t, actor, access, ctx.now);
                if stamp.clock_behind {
                    behind = Some(stamp.at);
                }
                edit(
                    t,
                    Write {
                        access,
                        at: stamp.at,
                    },
                )
            };
            let outcome = rules();
            refused_by_a_rule = outcome.is_err();
            outcome
        })
        .map_err(|err| {
            if refused_by_a_rule {
                err
            } else {
                for_the_actor(err, actor, &format!("#{id} cannot be changed"))
            }
        })?;
    if let Some(at) = behind.filter(|_| ctx.now_given) {
        ctx.warn(&format!(
            "--now {} is earlier than the latest entry on #{id}; the change is stamped {}",
            ctx.now.to_rfc3339_opts(SecondsFormat::Secs, true),
            at.to_rfc3339_opts(SecondsFormat::Secs, true)
        ));
    }
    Ok(result)
}
