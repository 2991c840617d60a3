//! The status rules of SPEC §2, as in Zendesk.

use crate::exit;
use crate::model::event::Event;
use crate::model::ticket::Time;
use crate::model::{SideState, Status, Ticket};

/// Nothing on a closed ticket can change.
pub fn ensure_not_closed(ticket: &Ticket) -> anyhow::Result<()> {
    if ticket.status == Status::Closed {
        return Err(exit::invalid(format!(
            "ticket #{} is closed: nothing on a closed ticket can change",
            ticket.id
        )));
    }
    Ok(())
}

/// Whether a ticket may move from its status to `to`.
pub fn check_change(ticket: &Ticket, to: Status) -> anyhow::Result<()> {
    ensure_not_closed(ticket)?;
    let from = ticket.status;
    if to == Status::New && from != Status::New {
        return Err(exit::invalid(format!(
            "status: ticket #{} is {} and a ticket never goes back to new",
            ticket.id,
            from.as_str()
        )));
    }
    if to == Status::Closed && from != Status::Solved {
        return Err(exit::invalid(format!(
            "status: only a solved ticket can be closed; ticket #{} is {}",
            ticket.id,
            from.as_str()
        )));
    }
    Ok(())
}

/// Closing a ticket resolves its open side conversations: nothing on a closed ticket can change, so one
/// left open would stay open for good. Each is recorded as resolved because the ticket was closed.
/// Returns their numbers.
pub fn resolve_sides_on_close(ticket: &mut Ticket, by: &str, at: Time) -> Vec<u32> {
    let mut resolved = Vec::new();
    for side in &mut ticket.side_conversations {
        if side.state == SideState::Open {
            side.resolve(by, at);
            resolved.push(side.n);
        }
    }
    for &n in &resolved {
        ticket.record(Event::side_resolved(at, by, n).because("ticket closed"));
    }
    resolved
}

/// The status after a public reply from staff: a new ticket has been answered, so it is open.
pub fn after_staff_reply(status: Status) -> Status {
    match status {
        Status::New => Status::Open,
        other => other,
    }
}

/// The status after a public comment from the requester or a CC: a pending or solved ticket reopens.
pub fn after_customer_reply(status: Status) -> Status {
    match status {
        Status::Pending | Status::Solved => Status::Open,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn ticket(status: Status) -> Ticket {
        let mut t = Ticket::new(1, "s".into(), "a@b.example".into(), Utc::now());
        t.status = status;
        t
    }

    #[test]
    fn never_back_to_new() {
        assert!(check_change(&ticket(Status::Open), Status::New).is_err());
        assert!(check_change(&ticket(Status::New), Status::New).is_ok());
    }

    #[test]
    fn closed_only_from_solved_and_final() {
        assert!(check_change(&ticket(Status::Open), Status::Closed).is_err());
        assert!(check_change(&ticket(Status::Solved), Status::Closed).is_ok());
        for to in [Status::Open, Status::Solved, Status::Closed] {
            assert!(check_change(&ticket(Status::Closed), to).is_err());
        }
    }

    #[test]
    fn closing_resolves_open_side_conversations_with_an_event_each() {
        let mut t = ticket(Status::Solved);
        let now = Utc::now();
        let open = t.open_side(now, "jonas", "a".into(), vec!["jonas".into()]);
        let done = t.open_side(now, "jonas", "b".into(), vec!["jonas".into()]);
        t.side_mut(done).unwrap().resolve("jonas", now);
        assert_eq!(resolve_sides_on_close(&mut t, "mette", now), vec![open]);
        assert!(
            t.side_conversations
                .iter()
                .all(|s| s.state == SideState::Resolved)
        );
        assert_eq!(t.events.len(), 1);
        assert_eq!(t.events[0].reason.as_deref(), Some("ticket closed"));
        assert_eq!(t.events[0].side, Some(open));
    }

    #[test]
    fn a_customer_reply_reopens() {
        assert_eq!(after_customer_reply(Status::Solved), Status::Open);
        assert_eq!(after_customer_reply(Status::Pending), Status::Open);
        assert_eq!(after_customer_reply(Status::OnHold), Status::OnHold);
        assert_eq!(after_customer_reply(Status::New), Status::New);
    }
}
