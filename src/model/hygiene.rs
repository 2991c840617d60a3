//! Hygiene: the domain's classic mistakes and its principle of continuous clean-up, found on a ticket.
//! Each finding has a stable code (for scripts and `tkt check`), what was found, and the domain's
//! advice. `tkt show` lists them to staff, `tkt status … solved` warns of them, `tkt check` reports them.

use crate::model::mention::mentions;
use crate::model::ticket::Time;
use crate::model::{People, SideState, Ticket, Visibility};

/// How long a side conversation may wait for a reply before it is a finding.
pub const SIDE_QUIET_DAYS: i64 = 3;
/// How soon a customer's answer to a public reply that reads like a note shows that they read it.
pub const NOTE_MINUTES: i64 = 60;
/// More people than this on a ticket (CCs and followers) is noise: notifications get ignored.
pub const MANY_PARTICIPANTS: usize = 10;

/// One finding on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A stable code: `agent-cc`, `cc-limit`, `many-participants`, `open-side-on-solved`,
    /// `participants-left`, `side-unanswered`, `no-assignee`, `customer-answered-note`.
    pub code: String,
    /// What was found, naming the people or entries.
    pub message: String,
    /// The domain's advice.
    pub advice: String,
}

fn finding(code: &str, message: String, advice: &str) -> Finding {
    Finding {
        code: code.to_string(),
        message,
        advice: advice.to_string(),
    }
}

/// Every finding on `ticket` at `now`, in a fixed order.
pub fn findings(ticket: &Ticket, people: &People, cc_limit: usize, now: Time) -> Vec<Finding> {
    let mut found = Vec::new();
    agent_ccs(ticket, people, &mut found);
    crowd(ticket, cc_limit, &mut found);
    after_solving(ticket, &mut found);
    quiet_sides(ticket, now, &mut found);
    if !ticket.status.is_solved() && ticket.assignee.is_none() {
        found.push(finding(
            "no-assignee",
            format!("#{} is {} with no assignee", ticket.id, ticket.status.as_str()),
            "a ticket without a clear owner risks delay: assign it (the group lead decides when in doubt)",
        ));
    }
    answered_notes(ticket, people, &mut found);
    found
}

/// Staff on the CC list: their address is on every customer's copy, and they cannot see side
/// conversations they are not in.
fn agent_ccs(t: &Ticket, people: &People, found: &mut Vec<Finding>) {
    for cc in &t.cc {
        if let Some(p) = people.by_email(&cc.email).filter(|p| p.role.is_internal()) {
            found.push(finding(
                "agent-cc",
                format!("{} is staff on the CC list", p.handle),
                &format!(
                    "their address is exposed to the customer and they cannot see side conversations: \
                     make them a follower (tkt follower add {} {}; tkt cc remove {} {})",
                    t.id, p.handle, t.id, cc.email
                ),
            ));
        }
    }
}

/// CCs near or over the limit, and more people on the ticket than anyone reads notifications for.
fn crowd(t: &Ticket, cc_limit: usize, found: &mut Vec<Finding>) {
    let near = cc_limit.saturating_sub(cc_limit / 10).max(1);
    if cc_limit > 0 && t.cc.len() >= near {
        found.push(finding(
            "cc-limit",
            format!("{} CCs of the {cc_limit} allowed", t.cc.len()),
            "review the CCs and remove those who no longer need the conversation",
        ));
    }
    let people = t.cc.len() + t.followers.len();
    if people > MANY_PARTICIPANTS {
        found.push(finding(
            "many-participants",
            format!("{people} CCs and followers"),
            "too many participants and notifications get ignored: keep as few as the work needs",
        ));
    }
}

/// A solved or closed ticket with open side conversations, or with followers and CCs left on it.
fn after_solving(t: &Ticket, found: &mut Vec<Finding>) {
    if !t.status.is_solved() {
        return;
    }
    for s in t
        .side_conversations
        .iter()
        .filter(|s| s.state == SideState::Open)
    {
        found.push(finding(
            "open-side-on-solved",
            format!(
                "side conversation {} is still open on a {} ticket",
                s.n,
                t.status.as_str()
            ),
            &format!(
                "mark it resolved when a conclusion is reached (tkt side resolve {} {})",
                t.id, s.n
            ),
        ));
    }
    if !t.followers.is_empty() || !t.cc.is_empty() {
        found.push(finding(
            "participants-left",
            format!(
                "{} follower(s) and {} CC(s) left on a {} ticket",
                t.followers.len(),
                t.cc.len(),
                t.status.as_str()
            ),
            "continuous clean-up: as a ticket is resolved, review its followers and CCs and remove those who no longer contribute",
        ));
    }
}

/// An open side conversation whose last message has waited for a reply for days.
fn quiet_sides(t: &Ticket, now: Time, found: &mut Vec<Finding>) {
    for s in t
        .side_conversations
        .iter()
        .filter(|s| s.state == SideState::Open)
    {
        let last = s.messages.iter().map(|m| m.at).max().unwrap_or(s.opened_at);
        let days = (now - last).num_days();
        if days >= SIDE_QUIET_DAYS {
            found.push(finding(
                "side-unanswered",
                format!(
                    "side conversation {} has had no message for {days} days",
                    s.n
                ),
                "follow up with its participants, escalate to the nearest manager, or resolve it",
            ));
        }
    }
}

/// The troubleshooting table's first row, "a customer responds to an internal note": a public reply
/// that reads like a note to a colleague (it @mentions staff, or opens by naming one: "Mette, can
/// you…") and that the customer answered within the hour.
fn answered_notes(t: &Ticket, people: &People, found: &mut Vec<Finding>) {
    let staff = |id: &str| people.by_handle(id).is_some_and(|p| p.role.is_internal());
    let customer = |id: &str| t.is_requester(id) || t.is_cc(id) || (id.contains('@') && !staff(id));
    let addressed = |body: &str| {
        let first = body.split([',', ':']).next().unwrap_or_default().trim();
        people.people.iter().any(|p| {
            p.role.is_internal()
                && (first.eq_ignore_ascii_case(&p.handle)
                    || p.name
                        .split_whitespace()
                        .next()
                        .is_some_and(|n| first.eq_ignore_ascii_case(n)))
        })
    };
    for (i, c) in t.comments.iter().enumerate() {
        if c.visibility != Visibility::Public || !staff(&c.author) {
            continue;
        }
        let answered = t.comments[i + 1..]
            .iter()
            .find(|n| n.visibility == Visibility::Public)
            .is_some_and(|n| customer(&n.author) && (n.at - c.at).num_minutes() <= NOTE_MINUTES);
        // Only a reply the customer answered is read through (a long thread's bodies are most of it).
        if answered && (mentions(&c.body).iter().any(|h| staff(h)) || addressed(&c.body)) {
            found.push(finding(
                "customer-answered-note",
                format!(
                    "the customer answered public reply {} by {}, which reads like an internal note",
                    c.n, c.author
                ),
                &format!(
                    "explain kindly that it was a note to a colleague, make it private (tkt make-private {} {}), \
                     and use a side conversation for internal debate",
                    t.id, c.n
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{at, directory, person};
    use crate::model::{Cc, Role, Status};

    fn people() -> People {
        directory(vec![
            person("jonas", "jonas", Role::Agent),
            person("mette", "mette", Role::Agent),
        ])
    }

    /// An open, assigned ticket with one external CC and nothing wrong.
    fn clean() -> Ticket {
        let mut t = Ticket::new(7, "S".into(), "ana@customer.example".into(), at(0));
        t.status = Status::Open;
        t.assignee = Some("jonas".into());
        t.add_comment(
            at(0),
            "ana@customer.example",
            Visibility::Public,
            "help".into(),
        );
        t.cc.push(cc("bob@agency.example"));
        t
    }

    fn cc(email: &str) -> Cc {
        Cc {
            email: email.into(),
            name: None,
            extra: Default::default(),
        }
    }

    fn codes(t: &Ticket, now: Time) -> Vec<String> {
        findings(t, &people(), 48, now)
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn a_clean_ticket_has_no_finding() {
        assert!(codes(&clean(), at(10)).is_empty());
    }

    #[test]
    fn each_finding_is_found_and_only_then() {
        let now = at(10);
        type Mistake = Box<dyn Fn(&mut Ticket)>;
        let cases: Vec<(&str, Mistake)> = vec![
            (
                "agent-cc",
                Box::new(|t| t.cc.push(cc("mette@acme.example"))),
            ),
            (
                "cc-limit",
                Box::new(|t| (0..44).for_each(|i| t.cc.push(cc(&format!("c{i}@x.example"))))),
            ),
            (
                "many-participants",
                Box::new(|t| (0..10).for_each(|i| t.cc.push(cc(&format!("c{i}@x.example"))))),
            ),
            ("no-assignee", Box::new(|t| t.assignee = None)),
            (
                "side-unanswered",
                Box::new(|t| {
                    t.open_side(
                        at(0) - chrono::Duration::days(3),
                        "jonas",
                        "q".into(),
                        vec!["jonas".into()],
                    );
                }),
            ),
            (
                "customer-answered-note",
                Box::new(|t| {
                    t.add_comment(
                        at(1),
                        "jonas",
                        Visibility::Public,
                        "@mette is this a bug?".into(),
                    );
                    t.add_comment(
                        at(2),
                        "ana@customer.example",
                        Visibility::Public,
                        "A bug?!".into(),
                    );
                }),
            ),
        ];
        for (code, make) in cases {
            let mut t = clean();
            make(&mut t);
            let found = codes(&t, now);
            assert!(
                found.contains(&code.to_string()),
                "{code} not found: {found:?}"
            );
            assert_eq!(
                found.iter().filter(|c| *c == code).count(),
                1,
                "{code} once: {found:?}"
            );
        }
    }

    #[test]
    fn a_solved_ticket_with_open_sides_and_people_left_on_it() {
        let mut t = clean();
        t.status = Status::Solved;
        t.open_side(at(5), "jonas", "q".into(), vec!["jonas".into()]);
        t.followers.push("mette".into());
        let found = codes(&t, at(6));
        assert_eq!(found, ["open-side-on-solved", "participants-left"]);
        // Resolved and cleaned up: nothing.
        t.side_mut(1).unwrap().state = SideState::Resolved;
        t.followers.clear();
        t.cc.clear();
        assert!(codes(&t, at(6)).is_empty());
    }

    #[test]
    fn only_a_reply_that_reads_like_a_note_and_was_answered_is_the_mistake() {
        let answered = |reply: &str, answer_after: i64| {
            let mut t = clean();
            t.add_comment(
                at(1),
                "jonas",
                Visibility::Internal,
                "checking with billing".into(),
            );
            t.add_comment(at(5), "jonas", Visibility::Public, reply.into());
            t.add_comment(
                at(5 + answer_after),
                "ana@customer.example",
                Visibility::Public,
                "?".into(),
            );
            codes(&t, at(5 + answer_after)).contains(&"customer-answered-note".to_string())
        };
        assert!(answered("Mette, can you check the invoice?", 3));
        assert!(answered("mette: is this a known bug?", 3));
        assert!(answered("Asking @mette about it", 3));
        // A deliberate reply after a note is what the desk is for.
        assert!(!answered("Your invoice is on its way.", 3));
        // Answered a day later: the customer was not reacting to a slip.
        assert!(!answered("Mette, can you check the invoice?", 24 * 60));
    }
}
