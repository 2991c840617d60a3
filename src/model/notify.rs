//! Who is told of what (SPEC §3's last rule), one model for `tkt audience` and the email issue's inbox:
//! a public comment notifies the requester, CCs, followers and assignee; an internal note the followers
//! and assignee; a side-conversation message its participants; a newly added CC receives the public
//! conversation so far. Never the author.
//!
//! Who was on the ticket when an entry was written is read from the event log, replayed from the
//! ticket's opening: a CC added after a note was not told of it, a follower removed since was.

use std::collections::BTreeSet;

use crate::model::ticket::Time;
use crate::model::visibility::Access;
use crate::model::{Event, People, Ticket, Visibility, Who};

/// One entry people can be told of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Comment `n`: a public reply or an internal note.
    Comment(u32),
    /// Message `message` of side conversation `side`.
    SideMessage { side: u32, message: u32 },
    /// A CC added, who then receives the public conversation so far.
    CcAdded(String),
}

/// An entry and who was notified of it: staff by handle, everyone else by address (lowercase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub entry: Entry,
    pub at: Time,
    pub author: String,
    pub recipients: Vec<String>,
    /// The requester's address and the CCs' addresses at that moment: the To and Cc of a public reply's
    /// mail, the same on every copy.
    pub requester: String,
    pub cc: Vec<String>,
}

/// Who was on the ticket at one moment of its history.
#[derive(Debug, Clone, Default)]
struct Party {
    requester: String,
    cc: BTreeSet<String>,
    followers: BTreeSet<String>,
    assignee: Option<String>,
    /// Side conversation number → participants.
    sides: Vec<(u32, BTreeSet<String>)>,
}

impl Party {
    fn side(&mut self, n: u32) -> &mut BTreeSet<String> {
        if let Some(i) = self.sides.iter().position(|(s, _)| *s == n) {
            return &mut self.sides[i].1;
        }
        self.sides.push((n, BTreeSet::new()));
        &mut self.sides.last_mut().expect("just pushed").1
    }

    /// Applies `e` forwards, or undoes it (`forwards` false).
    fn apply(&mut self, e: &Event, forwards: bool) {
        let e = e.structured();
        let (gained, lost) = if forwards {
            (e.to.clone(), e.from.clone())
        } else {
            (e.from.clone(), e.to.clone())
        };
        let set = |list: &mut BTreeSet<String>, gained: Option<String>, lost: Option<String>| {
            if let Some(l) = lost {
                list.remove(&l.to_ascii_lowercase());
            }
            if let Some(g) = gained {
                list.insert(g.to_ascii_lowercase());
            }
        };
        match e.action.as_str() {
            "cc.add" | "cc.remove" => set(&mut self.cc, gained, lost),
            "follower.add" | "follower.remove" => set(&mut self.followers, gained, lost),
            "assign" => self.assignee = gained,
            "edit" if e.field.as_deref() == Some("requester") => {
                if let Some(r) = gained {
                    self.requester = r.to_ascii_lowercase();
                }
            }
            "side.invite" => {
                if let Some(n) = e.side {
                    set(self.side(n), gained, lost);
                }
            }
            _ => {}
        }
    }
}

/// Every notice of the ticket, in the order the entries were written.
pub fn notices(ticket: &Ticket, people: &People) -> Vec<Notice> {
    // The party as it is now, with every change undone: the party at the opening.
    let mut party = Party {
        requester: ticket.requester.to_ascii_lowercase(),
        cc: ticket
            .cc
            .iter()
            .map(|c| c.email.to_ascii_lowercase())
            .collect(),
        followers: ticket.followers.iter().cloned().collect(),
        assignee: ticket.assignee.clone(),
        sides: ticket
            .side_conversations
            .iter()
            .map(|s| (s.n, s.participants.iter().cloned().collect()))
            .collect(),
    };
    for e in ticket.events.iter().rev() {
        party.apply(e, false);
    }
    let recipient = |id: &str| staff_handle(people, id).unwrap_or_else(|| id.to_ascii_lowercase());
    let mut out = Vec::new();
    let mut told_comments = BTreeSet::new();
    let mut told_messages = BTreeSet::new();
    let events = &ticket.events;
    let mut i = 0;
    while i < events.len() {
        let e = &events[i];
        // Comments and messages with no event of their own (the opening message, hand-written
        // entries) are told with the party of their time.
        untold_before(
            ticket,
            e.at,
            &party,
            &mut told_comments,
            &mut told_messages,
            &recipient,
            &mut out,
        );
        party.apply(e, true);
        if e.action == "create" {
            // What `tkt new` set with the ticket (its assignee, tags, fields) is part of its opening.
            while i + 1 < events.len()
                && events[i + 1].at == e.at
                && events[i + 1].by == e.by
                && matches!(events[i + 1].action.as_str(), "assign" | "tag.add" | "edit")
            {
                i += 1;
                party.apply(&events[i], true);
            }
            // The opening message is told to whoever the ticket was opened with, before anyone added
            // at the same instant (a CC added then receives it as the conversation so far).
            untold_before(
                ticket,
                e.at + chrono::Duration::nanoseconds(1),
                &party,
                &mut told_comments,
                &mut told_messages,
                &recipient,
                &mut out,
            );
        }
        // What a post changed at once (an @mention making a follower or inviting to a side
        // conversation) is part of who hears of the post.
        let mut j = i + 1;
        while j < events.len()
            && events[j].at == e.at
            && events[j].by == e.by
            && matches!(
                events[j].action.as_str(),
                "follower.add" | "side.invite" | "side.reopen" | "status"
            )
        {
            party.apply(&events[j], true);
            j += 1;
        }
        let s = e.structured();
        match s.action.as_str() {
            "comment" => {
                if let Some(c) = s
                    .comment
                    .and_then(|n| ticket.comments.iter().find(|c| c.n == n))
                    && told_comments.insert(c.n)
                {
                    let posted = s.visibility.unwrap_or(c.visibility);
                    out.push(comment_notice(c, posted, &party, &recipient));
                }
            }
            "side.message" => {
                if let (Some(side), Some(m)) = (s.side, s.message)
                    && let Some(msg) = ticket
                        .side(side)
                        .and_then(|x| x.messages.iter().find(|x| x.n == m))
                    && told_messages.insert((side, m))
                {
                    out.push(message_notice(side, msg, &mut party, &recipient));
                }
            }
            "cc.add" => {
                if let Some(to) = &s.to {
                    let to = recipient(to);
                    let recipients = if to == recipient(&s.by) {
                        vec![]
                    } else {
                        vec![to.clone()]
                    };
                    out.push(Notice {
                        entry: Entry::CcAdded(to),
                        at: s.at,
                        author: s.by.clone(),
                        recipients,
                        requester: party.requester.clone(),
                        cc: party.cc.iter().cloned().collect(),
                    });
                }
            }
            _ => {}
        }
        i = j;
    }
    untold_before(
        ticket,
        Time::MAX_UTC,
        &party,
        &mut told_comments,
        &mut told_messages,
        &recipient,
        &mut out,
    );
    out.sort_by_key(|n| n.at);
    out
}

/// Notices for the comments and messages written before `until` that no event told of.
fn untold_before(
    ticket: &Ticket,
    until: Time,
    party: &Party,
    told_comments: &mut BTreeSet<u32>,
    told_messages: &mut BTreeSet<(u32, u32)>,
    recipient: &dyn Fn(&str) -> String,
    out: &mut Vec<Notice>,
) {
    for c in ticket.comments.iter().filter(|c| c.at < until) {
        if told_comments.insert(c.n) {
            // A comment made private since was public when it was posted.
            let posted = if ticket.made_private().contains(&c.n) {
                Visibility::Public
            } else {
                c.visibility
            };
            out.push(comment_notice(c, posted, party, recipient));
        }
    }
    for s in &ticket.side_conversations {
        for m in s.messages.iter().filter(|m| m.at < until) {
            if told_messages.insert((s.n, m.n)) {
                let mut party = party.clone();
                out.push(message_notice(s.n, m, &mut party, recipient));
            }
        }
    }
}

/// Who was told of comment `c`, posted with `visibility` (it may have been made private since).
fn comment_notice(
    c: &crate::model::Comment,
    visibility: Visibility,
    party: &Party,
    recipient: &dyn Fn(&str) -> String,
) -> Notice {
    let mut to: BTreeSet<String> = party.followers.iter().map(|f| recipient(f)).collect();
    to.extend(party.assignee.iter().map(|a| recipient(a)));
    if visibility == Visibility::Public {
        to.insert(recipient(&party.requester));
        to.extend(party.cc.iter().map(|cc| recipient(cc)));
    }
    to.remove(&recipient(&c.author));
    Notice {
        entry: Entry::Comment(c.n),
        at: c.at,
        author: c.author.clone(),
        recipients: to.into_iter().collect(),
        requester: party.requester.clone(),
        cc: party.cc.iter().cloned().collect(),
    }
}

fn message_notice(
    side: u32,
    m: &crate::model::Message,
    party: &mut Party,
    recipient: &dyn Fn(&str) -> String,
) -> Notice {
    let mut to: BTreeSet<String> = party.side(side).iter().map(|p| recipient(p)).collect();
    to.remove(&recipient(&m.author));
    Notice {
        entry: Entry::SideMessage { side, message: m.n },
        at: m.at,
        author: m.author.clone(),
        recipients: to.into_iter().collect(),
        requester: party.requester.clone(),
        cc: party.cc.iter().cloned().collect(),
    }
}

/// The handle of the staff member `id` names (a handle, or a staff member's address), if any.
pub fn staff_handle(people: &People, id: &str) -> Option<String> {
    let person = people.by_handle(id).or_else(|| people.by_email(id))?;
    person.role.is_internal().then(|| person.handle.clone())
}

/// Who saw and who was told of every entry: the `tkt audience` matrix. `participants` are everyone the
/// ticket has had (requester, CCs, assignee, followers, side-conversation participants, authors), and
/// each row says, per participant, whether they can see the entry now and whether they were notified.
#[derive(Debug, Clone)]
pub struct Audience {
    pub participants: Vec<String>,
    pub rows: Vec<AudienceRow>,
}

#[derive(Debug, Clone)]
pub struct AudienceRow {
    pub notice: Notice,
    pub sees: Vec<String>,
}

/// The audience of `ticket` (a staff member's view of it: side conversations they may not see are not
/// in it).
pub fn audience(ticket: &Ticket, people: &People) -> Audience {
    let notices = notices(ticket, people);
    let recipient = |id: &str| staff_handle(people, id).unwrap_or_else(|| id.to_ascii_lowercase());
    let mut participants: Vec<String> = Vec::new();
    let mut add = |id: String| {
        if !id.is_empty() && !participants.contains(&id) {
            participants.push(id);
        }
    };
    add(recipient(&ticket.requester));
    ticket.cc.iter().for_each(|c| add(recipient(&c.email)));
    ticket.assignee.iter().for_each(|a| add(recipient(a)));
    ticket.followers.iter().for_each(|f| add(recipient(f)));
    for s in &ticket.side_conversations {
        s.participants.iter().for_each(|p| add(recipient(p)));
    }
    for n in &notices {
        add(recipient(&n.author));
        n.recipients.iter().for_each(|r| add(r.clone()));
    }
    // Each participant's access is worked out once, not once per entry.
    let seen_by: Vec<(String, Option<(Who, Access)>)> = participants
        .iter()
        .map(|p| {
            let who = people.resolve(p, "participant").ok();
            let access = who.map(|w| {
                let a = crate::model::visibility::access(ticket, &w);
                (w, a)
            });
            (p.clone(), access)
        })
        .collect();
    let rows = notices
        .into_iter()
        .map(|notice| {
            let sees = seen_by
                .iter()
                .filter(|(_, wa)| {
                    wa.as_ref()
                        .is_some_and(|(who, access)| can_see(ticket, who, *access, &notice.entry))
                })
                .map(|(p, _)| p.clone())
                .collect();
            AudienceRow { notice, sees }
        })
        .collect();
    Audience { participants, rows }
}

/// Whether `who`, with `access` to the ticket, can see `entry` now, by SPEC §3.
fn can_see(ticket: &Ticket, who: &Who, access: Access, entry: &Entry) -> bool {
    use crate::model::visibility::can_see_side;
    match entry {
        Entry::Comment(n) => match access {
            Access::None => false,
            Access::External => ticket
                .comments
                .iter()
                .any(|c| c.n == *n && c.visibility == Visibility::Public),
            Access::Staff { .. } => true,
        },
        Entry::SideMessage { side, .. } => ticket
            .side(*side)
            .is_some_and(|s| can_see_side(access, &s.participants, Some(who))),
        Entry::CcAdded(email) => match access {
            Access::None => false,
            Access::External => ticket.is_cc(email),
            Access::Staff { .. } => true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::event::Member;
    use crate::model::fixtures::{at, directory, person};
    use crate::model::{Role, SideState};

    fn people() -> People {
        directory(vec![
            person("jonas", "jonas", Role::Agent),
            person("mette", "mette", Role::Agent),
            person("anders", "anders", Role::Agent),
        ])
    }

    /// The README's tour: ana asks, jonas is assigned, bob is copied, mette follows, anders is asked
    /// in a side conversation.
    fn ticket() -> Ticket {
        let mut t = Ticket::new(1, "S".into(), "ana@customer.example".into(), at(0));
        t.add_comment(
            at(0),
            "ana@customer.example",
            Visibility::Public,
            "help".into(),
        );
        t.record(Event::created(at(0), "jonas"));
        t.assignee = Some("jonas".into());
        t.record(Event::assigned(at(0), "jonas", None, Some("jonas")));
        t.cc.push(crate::model::Cc {
            email: "bob@agency.example".into(),
            name: None,
            extra: Default::default(),
        });
        t.record(Event::added(
            at(1),
            "jonas",
            Member::Cc,
            "bob@agency.example",
        ));
        let note = t.add_comment(at(2), "jonas", Visibility::Internal, "@mette look".into());
        t.record(Event::commented(at(2), "jonas", note, Visibility::Internal));
        t.followers.push("mette".into());
        t.record(Event::added(at(2), "jonas", Member::Follower, "mette").because("mentioned"));
        let side = t.open_side(
            at(3),
            "jonas",
            "q".into(),
            vec!["jonas".into(), "anders".into()],
        );
        t.record(Event::side_opened(at(3), "jonas", side));
        let taken = t.entry_ids();
        let m = t
            .side_mut(side)
            .unwrap()
            .add_message(1, &taken, at(3), "jonas", "q?".into());
        t.record(Event::side_message(at(3), "jonas", side, m));
        let reply = t.add_comment(at(4), "jonas", Visibility::Public, "answer".into());
        t.record(Event::commented(at(4), "jonas", reply, Visibility::Public));
        t
    }

    fn told(t: &Ticket, entry: Entry) -> Vec<String> {
        notices(t, &people())
            .into_iter()
            .find(|n| n.entry == entry)
            .map(|n| n.recipients)
            .expect("a notice for the entry")
    }

    /// SPEC §3's last rule, row by row.
    #[test]
    fn who_is_told_of_what() {
        let t = ticket();
        let table: [(Entry, &[&str]); 5] = [
            // The opening message: everyone on the ticket then but its author.
            (Entry::Comment(1), &["jonas"]),
            // A CC added receives the public conversation so far.
            (
                Entry::CcAdded("bob@agency.example".into()),
                &["bob@agency.example"],
            ),
            // An internal note: followers (mette, by her @mention) and the assignee, never its author.
            (Entry::Comment(2), &["mette"]),
            // A side-conversation message: its participants but its author.
            (
                Entry::SideMessage {
                    side: 1,
                    message: 1,
                },
                &["anders"],
            ),
            // A public reply: requester, CCs, followers and assignee, but its author.
            (
                Entry::Comment(3),
                &["ana@customer.example", "bob@agency.example", "mette"],
            ),
        ];
        for (entry, expected) in table {
            assert_eq!(told(&t, entry.clone()), expected, "{entry:?}");
        }
    }

    #[test]
    fn who_joined_later_was_not_told_and_who_left_was() {
        let mut t = ticket();
        // Bob was removed after the reply: he was still told of it.
        t.cc.clear();
        t.record(Event::removed(
            at(5),
            "jonas",
            Member::Cc,
            "bob@agency.example",
        ));
        // Anders follows only now: he was not told of the reply.
        t.followers.push("anders".into());
        t.record(Event::added(at(6), "jonas", Member::Follower, "anders"));
        assert_eq!(
            told(&t, Entry::Comment(3)),
            ["ana@customer.example", "bob@agency.example", "mette"]
        );
        let later = t.add_comment(at(7), "mette", Visibility::Internal, "x".into());
        t.record(Event::commented(
            at(7),
            "mette",
            later,
            Visibility::Internal,
        ));
        assert_eq!(told(&t, Entry::Comment(later)), ["anders", "jonas"]);
    }

    #[test]
    fn the_audience_shows_who_sees_beside_who_was_told() {
        let mut t = ticket();
        // A reply made private later: the customer was told, and cannot see it now.
        t.comments[2].visibility = Visibility::Internal;
        t.side_mut(1).unwrap().state = SideState::Resolved;
        let a = audience(&t, &people());
        let row = a
            .rows
            .iter()
            .find(|r| r.notice.entry == Entry::Comment(3))
            .unwrap();
        assert!(
            row.notice
                .recipients
                .contains(&"ana@customer.example".to_string())
        );
        assert!(!row.sees.contains(&"ana@customer.example".to_string()));
        let side = a
            .rows
            .iter()
            .find(|r| matches!(r.notice.entry, Entry::SideMessage { .. }))
            .unwrap();
        // Followers and the assignee see every side conversation; the customer and bob none.
        assert_eq!(side.sees, ["jonas", "mette", "anders"]);
        assert_eq!(
            a.participants[..3],
            ["ana@customer.example", "bob@agency.example", "jonas"]
        );
    }
}
