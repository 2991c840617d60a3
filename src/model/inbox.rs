//! A participant's inbox: every notification they received (`model::notify`), as the letters the desk
//! would have sent them — who it is from, whose addresses are on it, what it says. Plain data; the
//! mail adapter (`crate::mail`) writes it as RFC 5322 messages.
//!
//! What a letter may show follows SPEC §3: a public reply is addressed To the requester and Cc the CCs
//! as they were then, never naming a follower; an internal note or a side-conversation message is
//! addressed to its staff recipient alone; a new CC gets the public conversation so far.

use serde::Serialize;

use crate::model::naming;
use crate::model::notify::{Entry, Notice, notices};
use crate::model::ticket::Time;
use crate::model::{People, Ticket, Visibility, Who};

/// The line above which a reply by mail is the new text (the email bridge cuts there).
pub const REPLY_ABOVE: &str = "##- Please type your reply above this line -##";

/// A name and an address on a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Mailbox {
    pub name: Option<String>,
    pub email: String,
}

/// One notification as its recipient received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Letter {
    pub ticket: u64,
    pub message_id: String,
    /// The ticket's thread: every letter of a ticket answers it, so mail clients thread them.
    pub in_reply_to: String,
    pub date: Time,
    /// The desk's address, on behalf of the author: `Jonas Berg (Support) <support@…>`.
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub subject: String,
    pub body: String,
}

/// Every letter `who` received of `ticket`, in order. `support` is the desk's address (the From).
pub fn letters(ticket: &Ticket, who: &Who, people: &People, support: &str) -> Vec<Letter> {
    let me = match who {
        Who::Staff { handle, .. } => handle.clone(),
        Who::External { email } => email.to_ascii_lowercase(),
    };
    let domain = crate::model::address::mail_domain(support);
    let root = format!("tkt.{}@{domain}", ticket.id);
    notices(ticket, people)
        .into_iter()
        .filter(|n| n.recipients.contains(&me))
        .filter_map(|n| letter(ticket, &n, &me, people, support, domain, &root))
        .collect()
}

/// The key a notice's letter carries in its Message-ID (`tkt.42.KEY@domain`): the entry's id, or for a
/// new CC's letter a hash of whom and when.
fn letter_key(t: &Ticket, n: &Notice) -> Option<String> {
    match &n.entry {
        Entry::Comment(c) => t.comments.iter().find(|x| x.n == *c).map(|c| c.id.clone()),
        Entry::SideMessage { side, message } => t
            .side(*side)?
            .messages
            .iter()
            .find(|m| m.n == *message)
            .map(|m| m.id.clone()),
        Entry::CcAdded(email) => Some(format!(
            "cc.{}",
            crate::model::ticket::entry_id(&[email, &n.at.to_rfc3339()])
        )),
    }
}

/// The entry of `ticket` that the letter with `key` in its Message-ID was about, if tkt wrote such a
/// letter: how a reply by mail is known to answer a real letter, not an id anyone could make up. One pass
/// over the ticket's entries (or its `cc.add` events for a new CC's letter), never a replay of its
/// notifications: anyone may send ids, and a long ticket must not make them costly.
pub fn letter_about(ticket: &Ticket, people: &People, key: &str) -> Option<Entry> {
    if let Some(hash) = key.strip_prefix("cc.") {
        // As `notices` names a new CC: staff by handle, anyone else by lower-case address.
        return ticket
            .events
            .iter()
            .filter(|e| e.action == "cc.add")
            .filter_map(|e| Some((e.to.as_deref()?, e.at)))
            .map(|(to, at)| {
                let who = crate::model::notify::staff_handle(people, to)
                    .unwrap_or_else(|| to.to_ascii_lowercase());
                (
                    crate::model::ticket::entry_id(&[&who, &at.to_rfc3339()]),
                    who,
                )
            })
            .find(|(id, _)| id.eq_ignore_ascii_case(hash))
            .map(|(_, who)| Entry::CcAdded(who));
    }
    if let Some(c) = ticket
        .comments
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(key))
    {
        return Some(Entry::Comment(c.n));
    }
    ticket.side_conversations.iter().find_map(|s| {
        s.messages
            .iter()
            .find(|m| m.id.eq_ignore_ascii_case(key))
            .map(|m| Entry::SideMessage {
                side: s.n,
                message: m.n,
            })
    })
}

/// How a person signs what they wrote, in mail as on the thread: staff as `Name (Support)`, anyone else
/// with their address beside any name they gave (a name alone could pass for the desk).
fn signature(t: &Ticket, id: &str, people: &People) -> String {
    let staff = people.by_handle(id).is_some_and(|p| p.role.is_internal());
    if staff {
        let name = naming::for_staff(t, id, people)
            .name
            .unwrap_or_else(|| id.to_string());
        return format!("{name} (Support)");
    }
    let label = naming::for_external(t, id, people);
    match (label.name, label.email) {
        (Some(name), Some(email)) => format!("{name} ({email})"),
        (name, email) => email.or(name).unwrap_or_else(|| id.to_string()),
    }
}

/// When comment `n` was made private, if it was.
fn made_private_at(t: &Ticket, n: u32) -> Option<Time> {
    t.events
        .iter()
        .map(|e| e.structured())
        .filter(|e| e.action == "comment.private" && e.comment == Some(n))
        .map(|e| e.at)
        .min()
}

fn letter(
    t: &Ticket,
    n: &Notice,
    me: &str,
    people: &People,
    support: &str,
    domain: &str,
    root: &str,
) -> Option<Letter> {
    let from = |name: String| Mailbox {
        name: Some(name),
        email: support.to_string(),
    };
    // Staff-only letters name their one recipient as staff see them; a letter customers are on names
    // everyone as the customers see them (an address, or the name they were copied with).
    let me_as_staff = || {
        let label = naming::for_staff(t, me, people);
        let email = label
            .email
            .or_else(|| people.by_handle(me).map(|p| p.email.clone()))
            .unwrap_or_else(|| me.to_string());
        Mailbox {
            name: label.name,
            email,
        }
    };
    // An address for anyone the notification model names (staff by handle).
    let address = |id: &str| {
        if id.contains('@') {
            id.to_string()
        } else {
            people
                .by_handle(id)
                .map_or_else(|| id.to_string(), |p| p.email.clone())
        }
    };
    let customers_see = |id: &str| {
        let email = address(id);
        Mailbox {
            name: naming::for_external(t, &email, people).name,
            email,
        }
    };
    let subject = format!("[#{}] {}", t.id, t.subject);
    let (key, sender, to, cc, subject, text) = match &n.entry {
        Entry::Comment(c) => {
            let comment = t.comments.iter().find(|x| x.n == *c)?;
            // What it was when it was sent: a reply made private since was sent as a public one.
            let public =
                comment.visibility == Visibility::Public || made_private_at(t, *c).is_some();
            let signed = signature(t, &n.author, people);
            let (to, cc, kind) = if public {
                // The same headers on every copy: the requester and the CCs of that moment.
                let cc = n.cc.iter().map(|e| customers_see(e)).collect();
                (vec![customers_see(&n.requester)], cc, "")
            } else {
                (vec![me_as_staff()], Vec::new(), "Internal note · ")
            };
            (
                letter_key(t, n)?,
                signed.clone(),
                to,
                cc,
                subject,
                format!(
                    "{kind}{signed} wrote on {}:\n\n{}\n",
                    crate::render::when(&comment.at),
                    comment.body
                ),
            )
        }
        Entry::SideMessage { side, message } => {
            let s = t.side(*side)?;
            let m = s.messages.iter().find(|x| x.n == *message)?;
            let signed = signature(t, &n.author, people);
            (
                letter_key(t, n)?,
                signed.clone(),
                vec![me_as_staff()],
                Vec::new(),
                format!("[#{}] Side conversation: {}", t.id, s.subject),
                format!(
                    "{signed} wrote in side conversation {side} on {}:\n\n{}\n",
                    crate::render::when(&m.at),
                    m.body
                ),
            )
        }
        Entry::CcAdded(email) => {
            // The public conversation as it stood when they were added: not what was private by then.
            let so_far: Vec<String> = t
                .comments
                .iter()
                .filter(|c| c.at <= n.at)
                .filter(|c| match made_private_at(t, c.n) {
                    Some(when) => when > n.at,
                    None => c.visibility == Visibility::Public,
                })
                .map(|c| {
                    format!(
                        "{} wrote on {}:\n\n{}\n",
                        signature(t, &c.author, people),
                        crate::render::when(&c.at),
                        c.body
                    )
                })
                .collect();
            (
                letter_key(t, n)?,
                // Whoever added them is not named: it may be a follower the customers never see.
                "Support".to_string(),
                vec![customers_see(email)],
                Vec::new(),
                subject,
                format!(
                    "You were added as a CC. The conversation so far:\n\n{}",
                    so_far.join("\n")
                ),
            )
        }
    };
    Some(Letter {
        ticket: t.id,
        message_id: format!("tkt.{}.{key}@{domain}", t.id),
        in_reply_to: root.to_string(),
        date: n.at,
        from: from(sender),
        to,
        cc,
        subject,
        body: format!(
            "{REPLY_ABOVE}\n\n{text}\n--\nTicket #{}: {}\n",
            t.id, t.subject
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::event::{Event, Member};
    use crate::model::fixtures::{at, directory, person};
    use crate::model::{Cc, Role};
    use proptest::prelude::*;

    const STAFF: [&str; 3] = ["jonas", "mette", "anders"];
    const CUSTOMERS: [&str; 3] = [
        "ana@customer.example",
        "bob@agency.example",
        "cy@agency.example",
    ];

    fn people() -> People {
        directory(
            STAFF
                .iter()
                .map(|h| person(h, &format!("{h} Staffname"), Role::Agent))
                .collect(),
        )
    }

    /// One thing that happens on a ticket, as the commands do it (the entry and its event).
    #[derive(Debug, Clone)]
    enum Op {
        Public(usize),
        Note(usize),
        CustomerReply(usize),
        AddCc(usize),
        RemoveCc(usize),
        Follow(usize),
        Side(usize),
        SideReply(usize),
        MakePrivate(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..3usize).prop_map(Op::Public),
            (0..3usize).prop_map(Op::Note),
            (0..3usize).prop_map(Op::CustomerReply),
            (1..3usize).prop_map(Op::AddCc),
            (1..3usize).prop_map(Op::RemoveCc),
            (0..3usize).prop_map(Op::Follow),
            (0..3usize).prop_map(Op::Side),
            (0..3usize).prop_map(Op::SideReply),
            (0..8usize).prop_map(Op::MakePrivate),
        ]
    }

    /// A ticket after `ops`; every body is unique, and internal ones say so.
    fn ticket(ops: &[Op]) -> Ticket {
        let mut t = Ticket::new(1, "S".into(), CUSTOMERS[0].into(), at(0));
        t.add_comment(at(0), CUSTOMERS[0], Visibility::Public, "opening".into());
        t.record(Event::created(at(0), "jonas"));
        for (k, op) in ops.iter().enumerate() {
            let now = at(1 + k as i64);
            match op {
                Op::Public(s) => {
                    let n =
                        t.add_comment(now, STAFF[*s], Visibility::Public, format!("public {k}"));
                    t.record(Event::commented(now, STAFF[*s], n, Visibility::Public));
                }
                Op::Note(s) => {
                    let n = t.add_comment(
                        now,
                        STAFF[*s],
                        Visibility::Internal,
                        format!("SECRET note {k}"),
                    );
                    t.record(Event::commented(now, STAFF[*s], n, Visibility::Internal));
                }
                Op::CustomerReply(c) => {
                    let who = CUSTOMERS[*c];
                    if t.is_requester(who) || t.is_cc(who) {
                        let n =
                            t.add_comment(now, who, Visibility::Public, format!("customer {k}"));
                        t.record(Event::commented(now, who, n, Visibility::Public));
                    }
                }
                Op::AddCc(c) if !t.is_cc(CUSTOMERS[*c]) => {
                    t.cc.push(Cc {
                        email: CUSTOMERS[*c].into(),
                        name: None,
                        extra: Default::default(),
                    });
                    t.record(Event::added(now, "jonas", Member::Cc, CUSTOMERS[*c]));
                }
                Op::RemoveCc(c) if t.is_cc(CUSTOMERS[*c]) => {
                    t.cc.retain(|x| x.email != CUSTOMERS[*c]);
                    t.record(Event::removed(now, "jonas", Member::Cc, CUSTOMERS[*c]));
                }
                Op::Follow(s) if !t.is_follower(STAFF[*s]) => {
                    t.followers.push(STAFF[*s].into());
                    t.record(Event::added(now, "jonas", Member::Follower, STAFF[*s]));
                }
                Op::Side(s) => {
                    let n = t.open_side(
                        now,
                        "jonas",
                        format!("SECRET subject {k}"),
                        vec!["jonas".into(), STAFF[*s].into()],
                    );
                    t.record(Event::side_opened(now, "jonas", n));
                }
                Op::SideReply(s) => {
                    if let Some(n) = t.side_conversations.first().map(|x| x.n) {
                        let taken = t.entry_ids();
                        let m = t.side_mut(n).unwrap().add_message(
                            1,
                            &taken,
                            now,
                            STAFF[*s],
                            format!("SECRET message {k}"),
                        );
                        t.record(Event::side_message(now, STAFF[*s], n, m));
                    }
                }
                Op::MakePrivate(i) => {
                    if let Some(c) = t
                        .comments
                        .get(*i)
                        .filter(|c| c.visibility == Visibility::Public && !c.author.contains('@'))
                    {
                        let n = c.n;
                        t.comments.iter_mut().find(|c| c.n == n).unwrap().visibility =
                            Visibility::Internal;
                        t.record(Event::made_private(now, "jonas", n));
                    }
                }
                _ => {}
            }
        }
        t
    }

    proptest! {
        /// No external participant's inbox ever holds an internal note, a side-conversation message or
        /// subject, or a staff member's address, in any header or body.
        #[test]
        fn a_customers_inbox_never_holds_anything_internal(ops in prop::collection::vec(op(), 0..24)) {
            let t = ticket(&ops);
            for customer in CUSTOMERS {
                let who = Who::External { email: customer.into() };
                for l in letters(&t, &who, &people(), "support@acme.example") {
                    let text = format!("{l:?}");
                    prop_assert!(!text.contains("SECRET"), "{customer} got {text}");
                    prop_assert!(!text.contains("@acme.example\\\""), "{text}");
                    for m in l.to.iter().chain(&l.cc) {
                        prop_assert!(!m.email.ends_with("@acme.example"), "a staff address on {text}");
                    }
                    prop_assert!(!l.body.contains("Internal note"), "{text}");
                }
            }
        }

        /// Nobody gets their own message, and every letter threads under its ticket.
        #[test]
        fn nobody_is_told_of_their_own_message(ops in prop::collection::vec(op(), 0..24)) {
            let t = ticket(&ops);
            for handle in STAFF {
                let who = Who::Staff { handle: handle.into(), role: Role::Agent, email: format!("{handle}@acme.example") };
                for l in letters(&t, &who, &people(), "support@acme.example") {
                    prop_assert!(l.from.name.as_deref() != Some(&format!("{handle} Staffname (Support)")[..]), "{:?}", l);
                    prop_assert_eq!(&l.in_reply_to, "tkt.1@acme.example");
                    prop_assert!(l.message_id.starts_with("tkt.1."));
                }
            }
        }

        /// Every letter anyone received names, by the key in its Message-ID, the entry it was about
        /// (how a reply by mail finds its ticket); a key tkt never wrote names nothing.
        #[test]
        fn every_letters_id_names_its_entry_and_nothing_else_does(ops in prop::collection::vec(op(), 0..24)) {
            let t = ticket(&ops);
            let staff = STAFF.iter().map(|h| Who::Staff { handle: (*h).into(), role: Role::Agent, email: format!("{h}@acme.example") });
            let customers = CUSTOMERS.iter().map(|e| Who::External { email: (*e).into() });
            for who in staff.chain(customers) {
                for l in letters(&t, &who, &people(), "support@acme.example") {
                    let key = l.message_id.strip_prefix("tkt.1.").and_then(|k| k.strip_suffix("@acme.example")).unwrap();
                    prop_assert!(letter_about(&t, &people(), key).is_some(), "{}", l.message_id);
                }
            }
            prop_assert!(letter_about(&t, &people(), "0000abcd").is_none());
            prop_assert!(letter_about(&t, &people(), "cc.0000abcd").is_none());
        }
    }
}
