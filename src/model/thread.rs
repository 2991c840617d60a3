//! What posting does to a ticket beyond adding the entry (SPEC §2, §4): a customer's reply reopens it,
//! staff who comment start following, `@handle` in a note adds a follower, `@handle` in a side
//! conversation invites them.

use crate::model::event::{Event, Member};
use crate::model::mention::mentions;
use crate::model::status::{after_customer_reply, after_staff_reply};
use crate::model::ticket::Time;
use crate::model::{People, Settings, SideState, Ticket, Visibility, Who};

/// What a post changed besides adding itself.
#[derive(Debug, Default, PartialEq)]
pub struct Posted {
    pub n: u32,
    pub new_followers: Vec<String>,
    pub invited: Vec<String>,
    pub reopened: bool,
    /// `@names` that are not internal people, so nothing happened for them.
    pub unknown_mentions: Vec<String>,
    /// `@names` of staff whose address may never follow (support addresses, the blocklist).
    pub barred_mentions: Vec<String>,
    /// `@names` of staff in a public reply: the customer reads them and the colleague is not told
    /// (the domain's "internal note posted publicly").
    pub public_mentions: Vec<String>,
}

/// Adds a comment by `author` and applies its consequences. Permission checks happen before this.
pub fn post_comment(
    ticket: &mut Ticket,
    author: &Who,
    visibility: Visibility,
    body: String,
    now: Time,
    people: &People,
    settings: &Settings,
) -> Posted {
    let mut posted = Posted::default();
    let mentioned = mentions(&body);
    // Support addresses and blocklisted addresses may never follow (SPEC §4).
    let may_follow = |email: &str| settings.refusal(email).is_none();
    posted.n = ticket.add_comment(now, author.id(), visibility, body);
    ticket.record(Event::commented(now, author.id(), posted.n, visibility));
    match author {
        Who::External { .. } => {
            let before = ticket.status;
            ticket.status = after_customer_reply(before);
            if ticket.status != before {
                posted.reopened = true;
                ticket.record(
                    Event::status(now, author.id(), before, ticket.status)
                        .because("customer replied"),
                );
            }
        }
        Who::Staff { handle, email, .. } => {
            if visibility == Visibility::Public && after_staff_reply(ticket.status) != ticket.status
            {
                let before = ticket.status;
                ticket.status = after_staff_reply(before);
                ticket.record(
                    Event::status(now, author.id(), before, ticket.status).because("answered"),
                );
            }
            if !ticket.is_follower(handle) && !ticket.is_assignee(handle) && may_follow(email) {
                follow(ticket, handle, author.id(), now, "commented");
                posted.new_followers.push(handle.clone());
            }
            if visibility == Visibility::Public {
                posted.public_mentions = mentioned
                    .into_iter()
                    .filter(|name| people.by_handle(name).is_some_and(|p| p.role.is_internal()))
                    .collect();
            } else {
                for name in mentioned {
                    match people.by_handle(&name) {
                        Some(p) if p.role.is_internal() => {
                            if !may_follow(&p.email) {
                                posted.barred_mentions.push(name);
                            } else if !ticket.is_follower(&name) && !ticket.is_assignee(&name) {
                                follow(ticket, &name, author.id(), now, "mentioned");
                                posted.new_followers.push(name);
                            }
                        }
                        _ => posted.unknown_mentions.push(name),
                    }
                }
            }
        }
    }
    posted
}

fn follow(ticket: &mut Ticket, handle: &str, by: &str, now: Time, why: &str) {
    ticket.followers.push(handle.to_string());
    ticket.record(Event::added(now, by, Member::Follower, handle).because(why));
}

/// Adds a message to side conversation `n` by a staff member, reopening it if resolved and inviting
/// the author and anyone `@mentioned`. The side conversation must exist.
pub fn post_side_message(
    ticket: &mut Ticket,
    n: u32,
    author: &str,
    body: String,
    now: Time,
    people: &People,
) -> Posted {
    let mut posted = Posted::default();
    let mentioned = mentions(&body);
    let id = ticket.id;
    let taken = ticket.entry_ids();
    let Some(side) = ticket.side_mut(n) else {
        return posted;
    };
    if side.state == SideState::Resolved {
        side.reopen();
        posted.reopened = true;
    }
    let mut invited = Vec::new();
    if !side.has_participant(author) {
        side.participants.push(author.to_string());
        invited.push(author.to_string());
    }
    for name in mentioned {
        match people.by_handle(&name) {
            Some(p) if p.role.is_internal() => {
                if !side.has_participant(&name) {
                    side.participants.push(name.clone());
                    invited.push(name);
                }
            }
            _ => posted.unknown_mentions.push(name),
        }
    }
    posted.n = side.add_message(id, &taken, now, author, body);
    if posted.reopened {
        ticket.record(Event::side_reopened(now, author, n));
    }
    ticket.record(Event::side_message(now, author, n, posted.n));
    for name in &invited {
        ticket.record(Event::side_invited(now, author, n, name));
    }
    posted.invited = invited;
    posted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Person, Role, Status};
    use crate::yaml::Extra;
    use chrono::Utc;

    fn people() -> People {
        let p = |handle: &str, role| Person {
            handle: handle.into(),
            name: handle.into(),
            email: format!("{handle}@acme.example"),
            role,
            extra: Extra::new(),
        };
        People {
            people: vec![
                p("jonas", Role::Agent),
                p("mette", Role::Agent),
                p("lise", Role::LightAgent),
            ],
            merge_conflicts: Vec::new(),
            extra: Extra::new(),
        }
    }

    fn ticket() -> Ticket {
        let mut t = Ticket::new(7, "s".into(), "ana@customer.example".into(), Utc::now());
        t.assignee = Some("jonas".into());
        t
    }

    #[test]
    fn a_requester_reply_reopens_a_solved_ticket() {
        let mut t = ticket();
        t.status = Status::Solved;
        let ana = Who::External {
            email: "ana@customer.example".into(),
        };
        let posted = post_comment(
            &mut t,
            &ana,
            Visibility::Public,
            "still broken".into(),
            Utc::now(),
            &people(),
            &Settings::default(),
        );
        assert!(posted.reopened);
        assert_eq!(t.status, Status::Open);
    }

    #[test]
    fn staff_who_comment_start_following_but_not_the_assignee() {
        let mut t = ticket();
        let people = people();
        let jonas = people.resolve("jonas", "t").unwrap();
        let lise = people.resolve("lise", "t").unwrap();
        post_comment(
            &mut t,
            &jonas,
            Visibility::Internal,
            "note".into(),
            Utc::now(),
            &people,
            &Settings::default(),
        );
        assert!(t.followers.is_empty());
        post_comment(
            &mut t,
            &lise,
            Visibility::Internal,
            "note".into(),
            Utc::now(),
            &people,
            &Settings::default(),
        );
        assert_eq!(t.followers, vec!["lise"]);
    }

    #[test]
    fn a_mention_in_a_note_adds_a_follower_but_not_in_a_reply() {
        let mut t = ticket();
        let people = people();
        let jonas = people.resolve("jonas", "t").unwrap();
        post_comment(
            &mut t,
            &jonas,
            Visibility::Public,
            "@mette hi".into(),
            Utc::now(),
            &people,
            &Settings::default(),
        );
        assert!(t.followers.is_empty());
        post_comment(
            &mut t,
            &jonas,
            Visibility::Internal,
            "@Mette can you review?".into(),
            Utc::now(),
            &people,
            &Settings::default(),
        );
        assert_eq!(t.followers, vec!["mette"]);
    }

    #[test]
    fn a_support_address_never_follows_by_commenting_or_being_mentioned() {
        let mut t = ticket();
        let people = people();
        let settings = Settings {
            support_addresses: vec!["lise@acme.example".into()],
            cc_blocklist: vec!["mette@*".into()],
            ..Settings::default()
        };
        let lise = people.resolve("lise", "t").unwrap();
        let body = "@mette see this".to_string();
        let posted = post_comment(
            &mut t,
            &lise,
            Visibility::Internal,
            body,
            Utc::now(),
            &people,
            &settings,
        );
        assert!(t.followers.is_empty(), "{:?}", t.followers);
        assert_eq!(posted.barred_mentions, vec!["mette"]);
    }

    #[test]
    fn a_side_reply_reopens_and_invites_mentions_without_following() {
        let mut t = ticket();
        let now = Utc::now();
        let n = t.open_side(now, "jonas", "q".into(), vec!["jonas".into()]);
        t.side_mut(n).unwrap().state = SideState::Resolved;
        let posted = post_side_message(
            &mut t,
            n,
            "jonas",
            "@mette thoughts?".into(),
            now,
            &people(),
        );
        assert!(posted.reopened);
        assert_eq!(t.side(n).unwrap().participants, vec!["jonas", "mette"]);
        assert!(t.followers.is_empty());
    }
}
