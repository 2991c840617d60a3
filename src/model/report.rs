//! `tkt report`: store-wide figures for a team lead, computed from list summaries (`model::summary`)
//! so that a report reads the list cache and parses no ticket it already knows. Side-conversation
//! figures count only the side conversations the viewer may see (`visibility::can_see_side`).

use std::collections::HashMap;

use chrono::Duration;

use crate::model::Status;
use crate::model::Who;
use crate::model::summary::{CommentCounts, Summary};
use crate::model::ticket::Time;
use crate::model::visibility::{self, Access};

/// Which tickets a report covers: created in a range, of a group.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Created at or after this time.
    pub since: Option<Time>,
    /// Created at or before this time.
    pub until: Option<Time>,
    /// Of this group, ignoring case (as `list --group`).
    pub group: Option<String>,
}

impl Filter {
    pub fn matches(&self, s: &Summary) -> bool {
        self.since.is_none_or(|t| s.created >= t)
            && self.until.is_none_or(|t| s.created <= t)
            && self.group.as_ref().is_none_or(|g| {
                s.group
                    .as_ref()
                    .is_some_and(|mine| mine.to_lowercase() == g.to_lowercase())
            })
    }
}

/// The statuses in the order a ticket lives them: the order of `StatusCounts`.
pub const STATUSES: [Status; 6] = [
    Status::New,
    Status::Open,
    Status::Pending,
    Status::OnHold,
    Status::Solved,
    Status::Closed,
];

/// Tickets counted by status, in the order of `STATUSES`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts(pub [u64; 6]);

impl StatusCounts {
    fn add(&mut self, status: Status) {
        if let Some(i) = STATUSES.iter().position(|&s| s == status) {
            self.0[i] += 1;
        }
    }

    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
}

/// Open side conversations by how long they have been quiet: since their last message (or their
/// opening, with no message) until now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ages {
    /// Quiet for less than a day (or stamped after now).
    pub under_a_day: u64,
    /// Quiet for a day up to seven days, both included.
    pub one_to_seven_days: u64,
    /// Quiet for more than seven days.
    pub over_seven_days: u64,
}

impl Ages {
    fn add(&mut self, quiet: Duration) {
        if quiet < Duration::days(1) {
            self.under_a_day += 1;
        } else if quiet <= Duration::days(7) {
            self.one_to_seven_days += 1;
        } else {
            self.over_seven_days += 1;
        }
    }

    pub fn total(&self) -> u64 {
        self.under_a_day + self.one_to_seven_days + self.over_seven_days
    }
}

/// How many of something each ticket has (CCs, followers): the sum, the most on one ticket, and how
/// many tickets have 0, 1, 2, and 3 or more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spread {
    pub total: u64,
    /// None when there are no tickets.
    pub max: Option<u64>,
    pub histogram: [u64; 4],
}

impl Spread {
    fn add(&mut self, n: usize) {
        let n = n as u64;
        self.total += n;
        self.max = Some(self.max.map_or(n, |m| m.max(n)));
        self.histogram[usize::try_from(n.min(3)).unwrap_or(3)] += 1;
    }

    /// The mean per ticket; None when there are no tickets.
    pub fn mean(&self) -> Option<f64> {
        let tickets: u64 = self.histogram.iter().sum();
        (tickets > 0).then(|| self.total as f64 / tickets as f64)
    }
}

/// The figures of a report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub tickets: u64,
    pub by_status: StatusCounts,
    /// Per assignee (None: unassigned), the busiest first, ties by handle; unassigned last.
    pub by_assignee: Vec<(Option<String>, StatusCounts)>,
    /// Tickets with at least one side conversation (open or resolved) the viewer may see.
    pub with_sides: u64,
    /// The open side conversations the viewer may see on tickets that are not closed (nothing on a
    /// closed ticket can change, so nothing there waits for anyone: as `list`'s side marker).
    pub open_sides: Ages,
    /// Those open side conversations per participant (one conversation counts for each of its
    /// participants), the busiest first, ties by handle.
    pub by_participant: Vec<(String, Ages)>,
    pub ccs: Spread,
    pub followers: Spread,
    pub comments: CommentCounts,
}

impl Report {
    /// The share of tickets that had a side conversation, in percent; None with no tickets.
    pub fn with_sides_percent(&self) -> Option<f64> {
        percent(self.with_sides, self.tickets)
    }

    /// Internal notes as a share of what staff wrote (notes and public replies), in percent.
    pub fn internal_percent(&self) -> Option<f64> {
        let staff =
            u64::from(self.comments.internal_notes) + u64::from(self.comments.public_replies);
        percent(u64::from(self.comments.internal_notes), staff)
    }

    /// Public replies as a share of what staff wrote, in percent.
    pub fn public_percent(&self) -> Option<f64> {
        let staff =
            u64::from(self.comments.internal_notes) + u64::from(self.comments.public_replies);
        percent(u64::from(self.comments.public_replies), staff)
    }
}

pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// The report over `summaries` for `viewer` (None: the full staff view), with ages measured to `now`.
/// Tickets the viewer has no staff access to are left out (the command refuses customers before).
pub fn report(
    summaries: impl IntoIterator<Item = Summary>,
    filter: &Filter,
    viewer: Option<&Who>,
    now: Time,
) -> Report {
    let mut r = Report::default();
    let mut assignees: HashMap<Option<String>, StatusCounts> = HashMap::new();
    let mut participants: HashMap<String, Ages> = HashMap::new();
    for s in summaries {
        if !filter.matches(&s) {
            continue;
        }
        let access = visibility::access_of(&s, viewer);
        if !matches!(access, Access::Staff { .. }) {
            continue;
        }
        r.tickets += 1;
        r.by_status.add(s.status);
        assignees
            .entry(s.assignee.clone())
            .or_default()
            .add(s.status);
        r.ccs.add(s.cc.len());
        r.followers.add(s.followers.len());
        let c = s.comments;
        r.comments.internal_notes += c.internal_notes;
        r.comments.public_replies += c.public_replies;
        r.comments.customer_messages += c.customer_messages;
        let mut seen_any = false;
        for side in &s.sides {
            if !visibility::can_see_side(access, &side.participants, viewer) {
                continue;
            }
            seen_any = true;
            if side.open && s.status != Status::Closed {
                let quiet = now.signed_duration_since(side.last_activity);
                r.open_sides.add(quiet);
                let mut counted: Vec<&String> = Vec::new();
                for p in &side.participants {
                    if !counted.contains(&p) {
                        counted.push(p);
                        participants.entry(p.clone()).or_default().add(quiet);
                    }
                }
            }
        }
        if seen_any {
            r.with_sides += 1;
        }
    }
    let mut by_assignee: Vec<_> = assignees.into_iter().collect();
    by_assignee.sort_by(|(a, x), (b, y)| {
        a.is_none()
            .cmp(&b.is_none())
            .then(y.total().cmp(&x.total()))
            .then(a.cmp(b))
    });
    r.by_assignee = by_assignee;
    let mut by_participant: Vec<_> = participants.into_iter().collect();
    by_participant.sort_by(|(a, x), (b, y)| y.total().cmp(&x.total()).then(a.cmp(b)));
    r.by_participant = by_participant;
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::summary::SideSummary;
    use crate::model::{Priority, Role};
    use chrono::TimeZone;

    fn now() -> Time {
        chrono::Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
    }

    fn ticket(id: u64, status: Status, sides: Vec<SideSummary>) -> Summary {
        Summary {
            id,
            subject: String::new(),
            status,
            priority: Priority::Normal,
            requester: "ana@customer.example".into(),
            assignee: Some("jonas".into()),
            group: None,
            tags: Vec::new(),
            cc: Vec::new(),
            followers: Vec::new(),
            created: now() - Duration::days(30),
            updated: now(),
            last_public: now(),
            open_sides: Vec::new(),
            sides,
            comments: CommentCounts::default(),
        }
    }

    fn side(with: &[&str], open: bool, quiet: Duration) -> SideSummary {
        SideSummary {
            participants: with.iter().map(|p| p.to_string()).collect(),
            open,
            last_activity: now() - quiet,
        }
    }

    #[test]
    fn an_open_side_conversation_ages_from_its_last_message() {
        let t = ticket(
            1,
            Status::Open,
            vec![
                side(&["jonas"], true, Duration::hours(23)),
                side(&["jonas"], true, Duration::days(1)),
                side(&["jonas"], true, Duration::days(7)),
                side(
                    &["jonas", "mette"],
                    true,
                    Duration::days(7) + Duration::seconds(1),
                ),
                side(&["mette"], false, Duration::days(90)),
            ],
        );
        let r = report([t], &Filter::default(), None, now());
        let ages = Ages {
            under_a_day: 1,
            one_to_seven_days: 2,
            over_seven_days: 1,
        };
        assert_eq!(r.open_sides, ages);
        assert_eq!(r.with_sides, 1);
        assert_eq!(r.by_participant[0], ("jonas".to_string(), ages));
        assert_eq!(r.by_participant[1].1.total(), 1);
    }

    #[test]
    fn a_closed_ticket_waits_for_nobody_but_counts_as_having_needed_a_side_conversation() {
        let t = ticket(
            1,
            Status::Closed,
            vec![side(&["jonas"], true, Duration::days(2))],
        );
        let r = report([t], &Filter::default(), None, now());
        assert_eq!((r.with_sides, r.open_sides.total()), (1, 0));
    }

    #[test]
    fn an_agent_not_following_counts_only_their_own_side_conversations() {
        let t = ticket(
            1,
            Status::Open,
            vec![
                side(&["mette"], true, Duration::hours(1)),
                side(&["anders"], true, Duration::hours(1)),
            ],
        );
        let mette = Who::Staff {
            handle: "mette".into(),
            role: Role::Agent,
            email: "mette@acme.example".into(),
        };
        let r = report([t.clone()], &Filter::default(), Some(&mette), now());
        assert_eq!(r.open_sides.total(), 1);
        assert_eq!(r.by_participant.len(), 1);
        let lise = Who::Staff {
            handle: "lise".into(),
            role: Role::LightAgent,
            email: "lise@acme.example".into(),
        };
        let r = report([t], &Filter::default(), Some(&lise), now());
        assert_eq!((r.tickets, r.with_sides, r.open_sides.total()), (1, 0, 0));
    }

    #[test]
    fn the_range_is_of_creation_times_and_the_group_ignores_case() {
        let mut t = ticket(1, Status::New, Vec::new());
        t.group = Some("Tier 2".into());
        let created = t.created;
        let f = |since, until, group: Option<&str>| Filter {
            since,
            until,
            group: group.map(str::to_string),
        };
        assert!(f(Some(created), Some(created), Some("tier 2")).matches(&t));
        assert!(!f(Some(created + Duration::seconds(1)), None, None).matches(&t));
        assert!(!f(None, Some(created - Duration::seconds(1)), None).matches(&t));
        assert!(!f(None, None, Some("Billing")).matches(&t));
    }
}
