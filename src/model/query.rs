//! Which tickets `tkt list` shows and in what order: filters, sorting and text search, applied to what
//! the viewer may see (a list row or a ticket view), never to the ticket behind it.

use std::cmp::Ordering;

use chrono::{Duration, NaiveDate, NaiveTime};

use crate::model::ticket::Time;
use crate::model::visibility::{Row, View};
use crate::model::{Priority, Status};

/// The statuses a help desk calls "unsolved": what `tkt list` shows unless told otherwise.
pub const UNSOLVED: [Status; 4] = [Status::New, Status::Open, Status::Pending, Status::OnHold];

/// What a viewer asked to list. People are already resolved to the identities rows hold (handles for
/// staff, addresses for everyone else).
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Any of these statuses; empty means the unsolved ones, unless `all`.
    pub statuses: Vec<Status>,
    pub all: bool,
    pub assignee: Option<String>,
    pub unassigned: bool,
    pub requester: Option<String>,
    pub cc: Option<String>,
    pub follower: Option<String>,
    pub tag: Option<String>,
    pub group: Option<String>,
    /// Any of these priorities; empty means any.
    pub priorities: Vec<Priority>,
    /// Only tickets with an open side conversation the viewer may see.
    pub open_sides: bool,
    /// `updated` (as the viewer sees it) at or after this time.
    pub since: Option<Time>,
    /// `updated` (as the viewer sees it) at or before this time.
    pub until: Option<Time>,
}

impl Query {
    /// Whether a row passes every filter. A filter on something the viewer may not see (a customer's
    /// `--group`, `--follower`, `--unassigned`) matches nothing.
    pub fn matches(&self, row: &Row) -> bool {
        self.status_matches(row.status)
            && self.people_match(row)
            && self.fields_match(row)
            && self.since.is_none_or(|t| row.updated >= t)
            && self.until.is_none_or(|t| row.updated <= t)
    }

    fn status_matches(&self, status: Status) -> bool {
        if !self.statuses.is_empty() {
            self.statuses.contains(&status)
        } else {
            self.all || UNSOLVED.contains(&status)
        }
    }

    fn people_match(&self, row: &Row) -> bool {
        let listed =
            |list: &Option<Vec<String>>, x: &String| list.as_ref().is_some_and(|l| l.contains(x));
        self.assignee
            .as_ref()
            .is_none_or(|a| row.assignee.as_ref() == Some(a))
            && (!self.unassigned || (row.is_staff_row() && row.assignee.is_none()))
            && self
                .requester
                .as_ref()
                .is_none_or(|r| row.requester.eq_ignore_ascii_case(r))
            && self
                .cc
                .as_ref()
                .is_none_or(|c| row.cc.iter().any(|x| x.eq_ignore_ascii_case(c)))
            && self
                .follower
                .as_ref()
                .is_none_or(|f| listed(&row.followers, f))
    }

    fn fields_match(&self, row: &Row) -> bool {
        let listed =
            |list: &Option<Vec<String>>, x: &String| list.as_ref().is_some_and(|l| l.contains(x));
        self.tag.as_ref().is_none_or(|t| listed(&row.tags, t))
            && self.group.as_ref().is_none_or(|g| {
                row.group
                    .as_ref()
                    .is_some_and(|mine| mine.to_lowercase() == g.to_lowercase())
            })
            && (self.priorities.is_empty()
                || row.priority.is_some_and(|p| self.priorities.contains(&p)))
            && (!self.open_sides || row.open_sides.is_some_and(|n| n > 0))
    }
}

/// What rows are ordered by. Ties are broken by id, so the order is always the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortField {
    #[default]
    Id,
    Updated,
    Created,
    Priority,
    Status,
}

/// An order: a field, ascending (oldest, lowest priority, earliest status first) unless `descending`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    pub field: SortField,
    pub descending: bool,
}

impl Sort {
    /// Whether rows in id order are already in this order (so a listing can stream them).
    pub fn is_id_order(self) -> bool {
        self.field == SortField::Id && !self.descending
    }

    pub fn compare(self, a: &Row, b: &Row) -> Ordering {
        let by_field = match self.field {
            SortField::Id => Ordering::Equal,
            SortField::Updated => a.updated.cmp(&b.updated),
            // Statuses and priorities sort in the order they are declared (new … closed, low … urgent).
            SortField::Created => a.created.cmp(&b.created),
            SortField::Priority => a.priority.cmp(&b.priority),
            SortField::Status => a.status.cmp(&b.status),
        };
        let order = by_field.then(a.id.cmp(&b.id));
        if self.descending {
            order.reverse()
        } else {
            order
        }
    }

    pub fn apply(self, rows: &mut [Row]) {
        rows.sort_by(|a, b| self.compare(a, b));
    }
}

/// Status in the order a ticket lives: new, open, pending, on-hold, solved, closed.
/// A point in time as typed for `--since`/`--until`: an RFC 3339 time, a day (UTC), or a span back from
/// now (`30m`, `24h`, `7d`, `2w`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    At(Time),
    Day(NaiveDate),
    Ago(Duration),
}

impl Moment {
    pub fn parse(text: &str) -> Result<Moment, String> {
        let text = text.trim();
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
            return Ok(Moment::At(t.with_timezone(&chrono::Utc)));
        }
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Moment::Day(day));
        }
        ago(text).map(Moment::Ago).ok_or_else(|| {
            format!(
                "{text:?} is not a time: give 2026-03-02T09:00:00Z, a day such as 2026-03-02, \
                 or a span back from now such as 30m, 24h, 7d or 2w"
            )
        })
    }

    /// The earliest instant the moment names (a day starts at 00:00 UTC).
    pub fn start(self, now: Time) -> Time {
        match self {
            Moment::At(t) => t,
            Moment::Day(day) => day.and_time(NaiveTime::MIN).and_utc(),
            // A span longer than the calendar reaches back means since the beginning of time.
            Moment::Ago(span) => now
                .checked_sub_signed(span)
                .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC),
        }
    }

    /// The latest instant the moment names (a day ends at its last nanosecond, so `--until` a day
    /// includes that day).
    pub fn end(self, now: Time) -> Time {
        match self {
            Moment::Day(day) => {
                let next = day
                    .succ_opt()
                    .unwrap_or(day)
                    .and_time(NaiveTime::MIN)
                    .and_utc();
                next - Duration::nanoseconds(1)
            }
            other => other.start(now),
        }
    }
}

/// `30m`, `24h`, `7d`, `2w`: a whole number and a unit.
fn ago(text: &str) -> Option<Duration> {
    let unit = text.chars().last()?;
    let number: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    if number < 0 {
        return None;
    }
    match unit {
        'm' => Duration::try_minutes(number),
        'h' => Duration::try_hours(number),
        'd' => Duration::try_days(number),
        'w' => Duration::try_weeks(number),
        _ => None,
    }
}

/// Text to search for. Case is ignored for the letters A to Z only: other letters match as typed, so
/// what the byte search of the files finds is always a superset of what this finds.
#[derive(Debug, Clone)]
pub struct Needle {
    text: String,
    finder: aho_corasick::AhoCorasick,
}

impl Needle {
    /// None for text that could not be searched for (empty, or too large for the automaton).
    pub fn new(text: &str) -> Option<Needle> {
        if text.is_empty() {
            return None;
        }
        let finder = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([text])
            .ok()?;
        Some(Needle {
            text: text.to_string(),
            finder,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether `haystack` holds the needle, ignoring the case of A to Z.
    pub fn found_in(&self, haystack: &str) -> bool {
        self.finder.is_match(haystack)
    }

    /// Whether what the viewer sees of a ticket mentions the needle: its subject, the comments in the
    /// view, and the subjects and messages of the side conversations in the view. A view holds only
    /// what its viewer may see, so a customer's search never matches an internal note.
    pub fn found_in_view(&self, view: &View) -> bool {
        match view {
            View::External(v) => {
                self.found_in(&v.subject) || v.comments.iter().any(|c| self.found_in(&c.body))
            }
            View::Staff(t) => {
                // The staff view is the ticket already cut down to this viewer's share.
                self.found_in(&t.subject)
                    || t.comments.iter().any(|c| self.found_in(&c.body))
                    || t.side_conversations.iter().any(|s| {
                        self.found_in(&s.subject)
                            || s.messages.iter().any(|m| self.found_in(&m.body))
                    })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> Time {
        chrono::Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
    }

    #[test]
    fn moments_as_typed() {
        let t = |s: &str| Moment::parse(s).unwrap();
        assert_eq!(
            t("2026-03-02T09:00:00Z").start(now()),
            chrono::Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
        );
        assert_eq!(
            t("2026-03-02").start(now()),
            chrono::Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap()
        );
        assert!(
            t("2026-03-02").end(now()) < chrono::Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap()
        );
        assert!(
            t("2026-03-02").end(now())
                > chrono::Utc
                    .with_ymd_and_hms(2026, 3, 2, 23, 59, 59)
                    .unwrap()
        );
        assert_eq!(t("7d").start(now()), now() - Duration::days(7));
        assert_eq!(t("24h").start(now()), now() - Duration::hours(24));
        for bad in [
            "",
            "yesterday",
            "7",
            "d",
            "-3d",
            "7y",
            "2026-02-30",
            "9999999999999999999d",
        ] {
            assert!(Moment::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn search_ignores_the_case_of_a_to_z_only() {
        let n = Needle::new("Refund").unwrap();
        assert!(n.found_in("please REFUND me"));
        assert!(!n.found_in("refun d"));
        let n = Needle::new("ærø").unwrap();
        assert!(n.found_in("til Ærø og ærø"));
        assert!(!n.found_in("ÆRØ"));
        assert!(Needle::new("").is_none());
    }
}
