//! `tkt mail receive`: one email message into its ticket. The mail adapter (`crate::mail`) parses it,
//! `model::mail` finds the ticket, cuts the new text and decides public or internal; this command reads
//! the input, keeps the whole message under `mail/`, and writes the ticket under its lock.

use std::path::Path;

use crate::cli::MailCommand;
use crate::context::Context;
use crate::exit;
use crate::mail::{Incoming, MAX_MESSAGE};
use crate::model::event::{Event, Member};
use crate::model::mail::{self as rules, Ruling};
use crate::model::naming::{self, Label};
use crate::model::notify::Entry;
use crate::model::settings::AgentCc;
use crate::model::thread::{post_comment, post_side_message};
use crate::model::ticket::Time;
use crate::model::visibility::{self, Access};
use crate::model::{Cc, Status, Ticket, Visibility, Who, permission};
use crate::render::json::MailAnswer;
use crate::store::Store;
use crate::store::mail::Kept;
use crate::yaml::Extra;

pub fn run(ctx: &Context, cmd: MailCommand) -> anyhow::Result<()> {
    match cmd {
        MailCommand::Receive {
            file,
            ticket,
            dry_run,
        } => receive(ctx, file.as_deref(), ticket, dry_run),
    }
}

/// One message, parsed, with what the command needs beside it.
struct Message {
    bytes: Vec<u8>,
    mail: Incoming,
    sender: Who,
    /// The runner is the sender themselves (a customer feeding their own mail), not the desk's gateway:
    /// they hear what their own `show` would tell them, no more.
    by_sender: bool,
    dry_run: bool,
}

fn receive(
    ctx: &Context,
    file: Option<&Path>,
    ticket: Option<u64>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let runner = ctx.optional_actor(&store)?;
    let (source, bytes) = read_input(file)?;
    let mail = crate::mail::read(&bytes)
        .map_err(|why| exit::invalid(format!("{source}: {why}; nothing was changed")))?;
    let sender = store
        .people
        .resolve(&mail.from, "From")
        .map_err(|e| exit::invalid(format!("{source}: From: {e:#}; nothing was changed")))?;
    let by_sender = match &runner {
        Some(Who::External { email }) if *email != sender.email() => {
            return Err(exit::not_allowed(format!(
                "{source}: the message is from {}, not from {email}: a customer can feed only their own \
                 mail (the desk's mail gateway runs as staff or with no --as); nothing was changed",
                mail.from
            )));
        }
        Some(Who::External { .. }) => true,
        _ => false,
    };
    // The sender acts (a commit made with --commit names them).
    ctx.journal.acted_by(&sender);
    if store.settings.is_support_address(sender.email()) {
        let why = match by_sender {
            true => "which cannot write to the desk",
            false => "one of the desk's own support addresses (a mail loop?)",
        };
        return Err(exit::not_allowed(format!(
            "{source}: the message is from {}, {why}; nothing was changed",
            sender.email()
        )));
    }
    let key = rules::kept_key(&mail.from, mail.message_id.as_deref(), &bytes);
    let name = match store.kept(&key, key_of)? {
        Kept::Already(name) => return redelivered(ctx, &store, &mail, &sender, by_sender, &name),
        Kept::Free(name) => name,
    };
    let message = Message {
        bytes,
        mail,
        sender,
        by_sender,
        dry_run,
    };
    let store = &store;
    let only_for = message.by_sender.then_some(&message.sender);
    let answers = answered(store, &message.mail, only_for);
    let Some(id) = answers.id.or(ticket) else {
        return open(ctx, store, &message, &name, None);
    };
    // A customer feeding their own mail hears about a ticket that is not theirs what any command tells
    // them: the same refusal whether it exists, is closed or is someone else's.
    let loaded = match (answers.ticket, message.by_sender) {
        (Some(t), _) => Ok(t),
        (None, true) => crate::commands::load_for(store, id, Some(&message.sender)).map(|(t, _)| t),
        (None, false) => store.load(id),
    };
    match loaded {
        Ok(t) if t.status == Status::Closed => {
            let why = format!("#{id} is closed: the message opens a follow-up ticket");
            open(ctx, store, &message, &name, Some((id, why)))
        }
        Ok(_) => reply(ctx, store, &message, &name, id, answers.entry.as_ref()),
        Err(err) if exit::code_of(&err) == 3 => {
            let why =
                format!("the message names #{id}, which does not exist: it opens a new ticket");
            open(ctx, store, &message, &name, Some((id, why)))
        }
        Err(err) => Err(err),
    }
}

/// What a message answers: the ticket (and, when found by a letter id, that ticket as read and the entry
/// whose letter it answers).
#[derive(Default)]
struct Answers {
    id: Option<u64>,
    ticket: Option<Ticket>,
    entry: Option<Entry>,
}

/// The ticket a message answers: the first of the ids of tkt's letters it carries that names a letter
/// tkt really wrote on that ticket (a made-up id routes nothing); else the ticket its subject's `[#42]`
/// tag names. Reads at most `MAX_CLAIMED` tickets, each once. For a customer feeding their own mail
/// (`only_for`), a ticket they may not see is no answer: what routes their message never tells them
/// what another ticket holds.
fn answered(store: &Store, mail: &Incoming, only_for: Option<&Who>) -> Answers {
    let from = store.settings.from_address();
    let domain = crate::model::address::mail_domain(&from);
    let mut read: Vec<(u64, Option<Ticket>)> = Vec::new();
    for (id, key) in rules::letter_ids(&mail.in_reply_to, &mail.references, domain) {
        if !read.iter().any(|(n, _)| *n == id) {
            if read.len() == MAX_CLAIMED {
                continue;
            }
            let ticket = store
                .load(id)
                .ok()
                .filter(|t| only_for.is_none_or(|who| visibility::access(t, who) != Access::None));
            read.push((id, ticket));
        }
        let Some((_, Some(ticket))) = read.iter().find(|(n, _)| *n == id) else {
            continue;
        };
        if let Some(entry) = crate::model::inbox::letter_about(ticket, &store.people, &key) {
            return Answers {
                id: Some(id),
                ticket: Some(ticket.clone()),
                entry: Some(entry),
            };
        }
    }
    Answers {
        id: rules::subject_ticket(&mail.subject),
        ..Answers::default()
    }
}

/// The most tickets one message's letter ids make tkt read (a real reply names its own first).
const MAX_CLAIMED: usize = 3;

/// The message's bytes from FILE or standard input, never more than one byte past `MAX_MESSAGE` (so a
/// larger message is known without reading all of it). Also the name errors give the input.
fn read_input(file: Option<&Path>) -> anyhow::Result<(String, Vec<u8>)> {
    let (source, bytes) = match file.filter(|f| f.as_os_str() != "-") {
        Some(path) => {
            let source = path.display().to_string();
            let bytes = std::fs::File::open(path)
                .and_then(|f| crate::store::read_limited_from(f, MAX_MESSAGE))
                .map_err(|e| match e.kind() {
                    // A name that is no file is a mistake on the command line, as for `-F FILE`.
                    std::io::ErrorKind::NotFound => exit::usage(format!("FILE: {source}: {e}")),
                    _ => exit::other(format!("FILE: {source}: {e}")),
                })?;
            (source, bytes)
        }
        None => {
            let bytes = crate::store::read_limited_from(std::io::stdin().lock(), MAX_MESSAGE)
                .map_err(|e| exit::other(format!("standard input: {e}")))?;
            ("standard input".to_string(), bytes)
        }
    };
    // More than MAX_MESSAGE bytes (read one past it) is refused by `mail::read`.
    Ok((source, bytes))
}

/// The key of a kept file's bytes (see `model::mail::kept_key`).
fn key_of(bytes: &[u8]) -> Option<String> {
    let mail = crate::mail::read(bytes).ok()?;
    Some(rules::kept_key(
        &mail.from,
        mail.message_id.as_deref(),
        bytes,
    ))
}

fn redelivered(
    ctx: &Context,
    store: &Store,
    mail: &Incoming,
    sender: &Who,
    by_sender: bool,
    name: &str,
) -> anyhow::Result<()> {
    let kept = format!("{}/{name}", crate::store::mail::MAIL_DIR);
    // The ticket it went to, when certain: the one its headers name, if that ticket's history says it
    // kept this message (a message that opened a new or follow-up ticket names another).
    let answers = answered(store, mail, by_sender.then_some(sender));
    let ticket = match (answers.ticket, answers.id) {
        (Some(t), _) => Some(t),
        (None, Some(id)) => store.load(id).ok(),
        (None, None) => None,
    };
    let id = ticket
        .filter(|t| {
            t.events
                .iter()
                .any(|e| e.action == "mail" && e.to.as_deref() == Some(kept.as_str()))
                && (!by_sender || visibility::access(t, sender) != Access::None)
        })
        .map(|t| t.id);
    match by_sender {
        true => ctx.note("This message was received before; nothing was changed"),
        false => ctx.note(&format!(
            "This message was received before (kept as {kept}); nothing was changed"
        )),
    }
    let answer = MailAnswer {
        ticket: id,
        redelivered: true,
        kept: (!by_sender).then_some(kept),
        ..MailAnswer::new(label(sender, store, by_sender))
    };
    ctx.answer(&answer, || {
        id.map(|id| format!("{id}\n")).unwrap_or_default()
    })
}

/// The sender as the answer names them: as a list row names an address, for staff (the gateway) with the
/// directory's name, for a customer feeding their own mail as their own view does.
fn label(who: &Who, store: &Store, by_sender: bool) -> Label {
    match who {
        Who::Staff { handle, .. } => naming::staff_member(handle, &store.people),
        Who::External { email } => naming::listed_address(email, &store.people, !by_sender),
    }
}

/// The message on ticket `id`: the rules decide under the ticket's lock, on the ticket as it is then.
fn reply(
    ctx: &Context,
    store: &Store,
    message: &Message,
    name: &str,
    id: u64,
    answered: Option<&Entry>,
) -> anyhow::Result<()> {
    let sender = &message.sender;
    let mail = &message.mail;
    let text = rules::new_text(&mail.text);
    let body = rules::entry_body(&text, &mail.attachments);
    if body.trim().is_empty() {
        return Err(exit::invalid(
            "the message has no new text above the quoted one, and nothing attached; nothing was changed",
        ));
    }
    let mut kept: Option<String> = None;
    let result = store.update(id, ctx.now, |t| {
        let access = visibility::access(t, sender);
        if message.by_sender && access == Access::None {
            return Err(exit::not_allowed(format!(
                "{} has no access to ticket #{id}",
                sender.id()
            )));
        }
        crate::model::status::ensure_not_closed(t)?;
        let reply = rules::Reply {
            sender,
            to: &mail.to,
            cc: &mail.cc,
            text: &body,
            answered,
        };
        let ruling = rules::rule(t, reply, &store.people, &store.settings);
        if message.dry_run {
            return Ok((ruling, None));
        }
        let at = crate::model::clock::stamp(t, sender, access, ctx.now).at;
        // The message is kept before the ticket is written: a second delivery racing this one finds it
        // (and changes nothing); if the ticket cannot be written, it is taken back below.
        let file = store.keep_mail(name, &message.bytes).map_err(|err| match store.kept(
            &rules::kept_key(&mail.from, mail.message_id.as_deref(), &message.bytes),
            key_of,
        ) {
            Ok(Kept::Already(_)) => exit::other(
                "the same message is being received by another tkt right now; nothing was changed",
            ),
            _ => err,
        })?;
        kept = Some(file.clone());
        let posted = apply(t, message, &ruling, &body, &file, at, store);
        Ok((ruling, Some(posted)))
    });
    let (ruling, posted) = match result {
        Ok(done) => done,
        Err(err) => {
            if kept.is_some() {
                store.unkeep_mail(name);
            }
            return Err(crate::commands::for_the_actor(
                err,
                sender,
                &format!("#{id} cannot be changed"),
            ));
        }
    };
    let outcome = Outcome {
        id: Some(id),
        opened: false,
        ruling,
        posted,
        kept,
        instead_of: None,
    };
    tell(ctx, store, message, outcome)
}

/// What the rules' decision does to the ticket: the entry (a comment, or a message in a side
/// conversation), the new CCs, the event that says why. Returns the entry's number.
fn apply(
    t: &mut Ticket,
    message: &Message,
    ruling: &Ruling,
    body: &str,
    kept: &str,
    at: Time,
    store: &Store,
) -> u32 {
    let sender = &message.sender;
    if let (Some(side), Who::Staff { handle, .. }) = (ruling.side, sender) {
        let posted = post_side_message(t, side, handle, body.to_string(), at, &store.people);
        t.record(
            Event::mail(at, handle, ruling.visibility, &ruling.reason, kept)
                .in_side(side, posted.n),
        );
        return posted.n;
    }
    let posted = post_comment(
        t,
        sender,
        ruling.visibility,
        body.to_string(),
        at,
        &store.people,
        &store.settings,
    );
    add_ccs(t, &message.mail, &ruling.new_ccs, sender, at, store);
    t.record(
        Event::mail(at, sender.id(), ruling.visibility, &ruling.reason, kept).on_comment(posted.n),
    );
    posted.n
}

/// Adds `emails` as CCs with the names the message's header gave them, where such a name may be shown;
/// staff copied by staff also follow when `agent_cc` is `follow` (as with `cc add`).
fn add_ccs(t: &mut Ticket, mail: &Incoming, emails: &[String], by: &Who, at: Time, store: &Store) {
    for email in emails {
        let staff = store
            .people
            .by_email(email)
            .filter(|p| p.role.is_internal());
        let name = cc_name(mail, email, store);
        t.cc.push(Cc {
            email: email.clone(),
            name,
            extra: Extra::new(),
        });
        t.record(Event::added(at, by.id(), Member::Cc, email));
        if let Some(p) = staff
            && by.is_staff()
            && store.settings.agent_cc == AgentCc::Follow
            && !t.is_follower(&p.handle)
        {
            t.followers.push(p.handle.clone());
            t.record(Event::added(at, by.id(), Member::Follower, &p.handle).because("agent CC"));
        }
    }
}

/// The name a new CC is copied with: the one the message's header gave them, where such a name may be
/// shown (never for staff, never one that could pass for the desk).
fn cc_name(mail: &Incoming, email: &str, store: &Store) -> Option<String> {
    let staff = store
        .people
        .by_email(email)
        .is_some_and(|p| p.role.is_internal());
    mail.names
        .iter()
        .find(|(e, _)| e == email)
        .map(|(_, n)| n.clone())
        .filter(|_| !staff)
        .filter(|n| permission::check_cc_name(n, &store.people).is_ok())
}

/// A message that names no ticket (or a closed or missing one, `instead_of`): a new ticket, its
/// requester the sender, its CCs the other addresses the message went to.
fn open(
    ctx: &Context,
    store: &Store,
    message: &Message,
    name: &str,
    instead_of: Option<(u64, String)>,
) -> anyhow::Result<()> {
    let mail = &message.mail;
    let Who::External { email } = &message.sender else {
        return Err(exit::not_allowed(format!(
            "the message is from {} (staff) and names no open ticket; staff open tickets with `tkt new` \
             (or answer a notification, or give --ticket); nothing was changed",
            message.sender.id()
        )));
    };
    let requester = permission::check_requester(message.sender.clone(), &store.settings, "From")?;
    if let Some(why) = store.settings.refusal(email) {
        // The setting that says so is the desk's to know, not the sender's.
        let why = if message.by_sender {
            String::new()
        } else {
            format!(": {why}")
        };
        return Err(exit::not_allowed(format!(
            "the message is from {email}, which opens no ticket{why}; nothing was changed"
        )));
    }
    let subject = rules::new_subject(&mail.subject);
    // The new text, as for a reply (a follow-up quotes the letter it answers); a message that is all
    // quote keeps all of it.
    let text = match rules::new_text(&mail.text) {
        cut if cut.trim().is_empty() => mail.text.trim().to_string(),
        cut => cut,
    };
    let body = rules::entry_body(&text, &mail.attachments);
    let body = if body.is_empty() {
        "(the message had no text)".to_string()
    } else {
        body
    };
    let reason = match &instead_of {
        Some((_, why)) => format!("a new ticket: {why}"),
        None => "a new ticket: the message names none".to_string(),
    };
    let addresses: Vec<String> = mail.to.iter().chain(&mail.cc).cloned().collect();
    let plan = |id: u64| {
        let mut t = Ticket::new(id, subject.clone(), requester.clone(), ctx.now);
        let mut refused = Vec::new();
        let ccs = rules::new_ccs(
            &t,
            email,
            &addresses,
            &store.people,
            &store.settings,
            &mut refused,
        );
        let n = t.add_comment(ctx.now, &requester, Visibility::Public, body.clone());
        t.record(Event::created(ctx.now, email));
        let ruling = Ruling {
            visibility: Visibility::Public,
            rule: None,
            side: None,
            reason: reason.clone(),
            new_ccs: ccs,
            refused_ccs: refused,
            warnings: Vec::new(),
        };
        (t, ruling, n)
    };
    if message.dry_run {
        let (_, ruling, _) = plan(0);
        let outcome = Outcome {
            id: None,
            opened: true,
            ruling,
            posted: None,
            kept: None,
            instead_of,
        };
        return tell(ctx, store, message, outcome);
    }
    let mut outcome = None;
    let mut kept = None;
    let created = store.create(|id| {
        let (mut t, ruling, n) = plan(id);
        let file = store.keep_mail(name, &message.bytes)?;
        kept = Some(file.clone());
        add_ccs(
            &mut t,
            mail,
            &ruling.new_ccs,
            &message.sender,
            ctx.now,
            store,
        );
        t.record(
            Event::mail(ctx.now, email, Visibility::Public, &ruling.reason, &file).on_comment(n),
        );
        outcome = Some((ruling, n));
        Ok(t)
    });
    let id = match created {
        Ok(id) => id,
        Err(err) => {
            if kept.is_some() {
                store.unkeep_mail(name);
            }
            return Err(crate::commands::for_the_actor(
                err,
                &message.sender,
                "a ticket cannot be opened",
            ));
        }
    };
    let Some((ruling, n)) = outcome else {
        return Err(exit::other("the ticket was not made"));
    };
    let outcome = Outcome {
        id: Some(id),
        opened: true,
        ruling,
        posted: Some(n),
        kept,
        instead_of,
    };
    tell(ctx, store, message, outcome)
}

/// What receiving a message did (or, with --dry-run, would do).
struct Outcome {
    /// The ticket (a new one has none before it is made).
    id: Option<u64>,
    opened: bool,
    ruling: Ruling,
    /// The comment's number.
    posted: Option<u32>,
    /// Where the message is kept.
    kept: Option<String>,
    /// A closed or missing ticket the message named, and what was done instead.
    instead_of: Option<(u64, String)>,
}

/// Says what happened (or, with --dry-run, what would): a line on stderr, the warnings, and the answer
/// (the ticket's id on stdout).
fn tell(ctx: &Context, store: &Store, message: &Message, outcome: Outcome) -> anyhow::Result<()> {
    let Outcome {
        id,
        opened,
        ruling,
        posted,
        kept,
        instead_of,
    } = outcome;
    let by_sender = message.by_sender;
    let ticket = match id {
        Some(id) => format!("#{id}"),
        None => "a new ticket".to_string(),
    };
    let number = posted.map(|n| format!(" {n}")).unwrap_or_default();
    let entry = match (ruling.side, ruling.visibility) {
        (Some(side), _) => format!("message{number} in side conversation {side} of"),
        (None, Visibility::Public) => format!("public reply{number} to"),
        (None, Visibility::Internal) => format!("internal note{number} to"),
    };
    let (dry, sender) = (message.dry_run, message.sender.email());
    let line = match (opened, by_sender) {
        (true, _) if dry => format!("Would open a new ticket from {sender} ({})", ruling.reason),
        (true, _) => format!("Opened {ticket} from {sender} ({})", ruling.reason),
        (false, true) if dry => format!("Would add your message to {ticket} ({})", ruling.reason),
        (false, true) => format!("Added your message to {ticket} ({})", ruling.reason),
        (false, false) if dry => format!(
            "Would add {entry} {ticket} from {sender} ({})",
            ruling.reason
        ),
        (false, false) => format!("Added {entry} {ticket} from {sender} ({})", ruling.reason),
    };
    if let Some((_, why)) = &instead_of
        && !by_sender
    {
        ctx.warn(why);
    }
    ctx.note(&line);
    if !ruling.new_ccs.is_empty() {
        let ccs = ruling.new_ccs.join(", ");
        ctx.note(&match (dry, id) {
            (true, Some(id)) => format!("#{id}: would CC {ccs}"),
            (true, None) => format!("The new ticket would CC {ccs}"),
            (false, _) => format!("{ticket}: CC'd {ccs}"),
        });
    }
    // Staff hear why each address was not copied (not the desk's own addresses, which are never copied
    // and on most messages); a customer hears only which, in one line, as from `cc add`: not the
    // blocklist, the limit or which address is the desk's.
    let mut warnings = ruling.warnings.clone();
    if by_sender {
        let refused: Vec<&str> = ruling.refused_ccs.iter().map(|(a, _)| a.as_str()).collect();
        if !refused.is_empty() {
            warnings.push(format!(
                "{} cannot be copied on this ticket",
                refused.join(", ")
            ));
        }
    } else {
        for (address, why) in &ruling.refused_ccs {
            if !store.settings.is_support_address(address) {
                warnings.push(format!("{address} was not added as a CC: {why}"));
            }
        }
    }
    for warning in &warnings {
        ctx.warn(warning);
    }
    let answer = MailAnswer {
        ticket: id,
        changed: !message.dry_run,
        opened,
        dry_run: message.dry_run,
        comment: posted.filter(|_| !by_sender && ruling.side.is_none()),
        side: ruling.side.filter(|_| !by_sender),
        message: posted.filter(|_| !by_sender && ruling.side.is_some()),
        visibility: Some(ruling.visibility),
        rule: ruling.rule,
        reason: Some(ruling.reason.clone()),
        added: ruling
            .new_ccs
            .iter()
            .map(|e| naming::address(e, cc_name(&message.mail, e, store).as_deref()))
            .collect(),
        warnings,
        kept: kept.filter(|_| !by_sender),
        ..MailAnswer::new(label(&message.sender, store, by_sender))
    };
    ctx.answer(&answer, || match answer.ticket {
        Some(id) => format!("{id}\n"),
        None => String::new(),
    })
}
