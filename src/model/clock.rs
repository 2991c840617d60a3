//! When a write happens (SPEC §5): time never runs backwards in a ticket, whatever the clocks of the
//! machines that write it say.

use crate::model::ticket::Time;
use crate::model::visibility::{Access, latest_seen};
use crate::model::{Ticket, Who};

/// The time a write is stamped with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub at: Time,
    /// The clock was earlier than the latest entry the actor can see (which is `at`).
    pub clock_behind: bool,
}

/// The later of the clock and the latest entry `actor` can see on the ticket. Staff see the whole
/// ticket; the requester and CCs only their own view, so neither the time their reply gets nor a warning
/// about the clock tells them when internal work happened. Their entry can then be earlier than an
/// internal one; the thread stays in the order entries were added.
pub fn stamp(ticket: &Ticket, actor: &Who, access: Access, now: Time) -> Stamp {
    let latest = latest_seen(ticket, access, Some(actor));
    Stamp {
        at: now.max(latest),
        clock_behind: now < latest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, Visibility};
    use chrono::{Duration, TimeZone, Utc};

    fn t0() -> Time {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn ticket() -> Ticket {
        let mut t = Ticket::new(1, "s".into(), "ana@customer.example".into(), t0());
        t.add_comment(
            t0(),
            "ana@customer.example",
            Visibility::Public,
            "hi".into(),
        );
        t.add_comment(
            t0() + Duration::hours(2),
            "jonas",
            Visibility::Internal,
            "secret".into(),
        );
        t
    }

    #[test]
    fn staff_writes_are_never_earlier_than_the_latest_entry() {
        let jonas = Who::Staff {
            handle: "jonas".into(),
            role: Role::Agent,
            email: "jonas@acme.example".into(),
        };
        let s = stamp(&ticket(), &jonas, Access::Staff { all_sides: true }, t0());
        assert_eq!(s.at, t0() + Duration::hours(2));
        assert!(s.clock_behind);
        let later = t0() + Duration::hours(3);
        let s = stamp(&ticket(), &jonas, Access::Staff { all_sides: true }, later);
        assert_eq!((s.at, s.clock_behind), (later, false));
    }

    #[test]
    fn a_customer_is_stamped_only_against_what_they_see() {
        let ana = Who::External {
            email: "ana@customer.example".into(),
        };
        let now = t0() + Duration::hours(1);
        let s = stamp(&ticket(), &ana, Access::External, now);
        assert_eq!((s.at, s.clock_behind), (now, false));
    }
}
