//! `tkt report`: the figures of `model::report` as the `report` JSON document and as a few small tables
//! (tab-separated lines, each naming its table, when piped). Staff are named by handle; nothing of a
//! ticket's text is shown.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::People;
use crate::model::naming::{self, Label};
use crate::model::report::{Ages, Filter, Report, STATUSES, Spread, StatusCounts};
use crate::model::ticket::Time;
use crate::render::sanitize::line;
use crate::render::table::{Layout, cut, text_width};

/// Store-wide figures over the tickets created in a range, of a group.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "Report", deny_unknown_fields)]
pub struct ReportDoc {
    /// Tickets created at or after this time; null: from the first.
    pub since: Option<Time>,
    /// Tickets created at or before this time; null: up to the last.
    pub until: Option<Time>,
    /// Only tickets of this group (case ignored); null: every ticket.
    pub group: Option<String>,
    /// What the ages of open side conversations are measured to (`--now`, else the clock).
    pub now: Time,
    /// Tickets in the report.
    pub tickets: u64,
    pub by_status: StatusCountsDoc,
    /// Per assignee, the busiest first (ties by handle); the unassigned last, with `assignee` null.
    pub by_assignee: Vec<AssigneeDoc>,
    pub side_conversations: SidesDoc,
    pub ccs: PerTicketDoc,
    pub followers: PerTicketDoc,
    pub comments: CommentsDoc,
}

/// Tickets by status.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "ReportStatusCounts", deny_unknown_fields)]
pub struct StatusCountsDoc {
    pub new: u64,
    pub open: u64,
    pub pending: u64,
    pub on_hold: u64,
    pub solved: u64,
    pub closed: u64,
}

/// One assignee's tickets.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "ReportAssignee", deny_unknown_fields)]
pub struct AssigneeDoc {
    /// Null for the tickets nobody is assigned to.
    pub assignee: Option<Label>,
    pub tickets: u64,
    pub by_status: StatusCountsDoc,
}

/// Side conversations the viewer may see.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "ReportSideConversations", deny_unknown_fields)]
pub struct SidesDoc {
    /// Tickets that had at least one side conversation, open or resolved.
    pub tickets_with: u64,
    /// `tickets_with` as a percentage of the tickets, to one decimal; null with no tickets.
    pub percent: Option<f64>,
    /// Open side conversations on tickets that are not closed, by how long they have been quiet.
    pub open: AgesDoc,
    /// The same per participant (a conversation counts for each of its participants), the busiest
    /// first, ties by handle.
    pub by_participant: Vec<ParticipantDoc>,
}

/// Open side conversations by time since their last message (or their opening, with none).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "ReportAges", deny_unknown_fields)]
pub struct AgesDoc {
    pub total: u64,
    /// Quiet for less than a day.
    pub under_1_day: u64,
    /// Quiet for one to seven days (both included).
    pub from_1_to_7_days: u64,
    /// Quiet for more than seven days.
    pub over_7_days: u64,
}

/// One participant's open side conversations.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "ReportParticipant", deny_unknown_fields)]
pub struct ParticipantDoc {
    pub participant: Label,
    pub open: AgesDoc,
}

/// How many CCs (or followers) tickets have.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "ReportPerTicket", deny_unknown_fields)]
pub struct PerTicketDoc {
    /// The sum over the tickets.
    pub total: u64,
    /// The mean per ticket, to two decimals; null with no tickets.
    pub mean: Option<f64>,
    /// The most on one ticket; null with no tickets.
    pub max: Option<u64>,
    /// Tickets with none, one, two, three or more.
    pub histogram: HistogramDoc,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "ReportHistogram", deny_unknown_fields)]
pub struct HistogramDoc {
    pub none: u64,
    pub one: u64,
    pub two: u64,
    pub three_or_more: u64,
}

/// Comments by visibility now (a reply made private is a note).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "ReportComments", deny_unknown_fields)]
pub struct CommentsDoc {
    pub internal_notes: u64,
    /// Public comments by staff.
    pub public_replies: u64,
    /// Public comments by anyone else: the requesters' opening messages, customers' and CCs' replies.
    pub customer_messages: u64,
    /// Internal notes as a percentage of what staff wrote (notes and public replies), to one
    /// decimal; null when staff wrote nothing.
    pub internal_percent: Option<f64>,
}

fn rounded(x: Option<f64>, decimals: i32) -> Option<f64> {
    let scale = 10f64.powi(decimals);
    x.map(|x| (x * scale).round() / scale)
}

fn statuses(c: &StatusCounts) -> StatusCountsDoc {
    let [new, open, pending, on_hold, solved, closed] = c.0;
    StatusCountsDoc {
        new,
        open,
        pending,
        on_hold,
        solved,
        closed,
    }
}

fn ages(a: &Ages) -> AgesDoc {
    AgesDoc {
        total: a.total(),
        under_1_day: a.under_a_day,
        from_1_to_7_days: a.one_to_seven_days,
        over_7_days: a.over_seven_days,
    }
}

fn per_ticket(s: &Spread) -> PerTicketDoc {
    let [none, one, two, three_or_more] = s.histogram;
    PerTicketDoc {
        total: s.total,
        mean: rounded(s.mean(), 2),
        max: s.max,
        histogram: HistogramDoc {
            none,
            one,
            two,
            three_or_more,
        },
    }
}

pub fn doc(r: &Report, filter: &Filter, now: Time, people: &People) -> ReportDoc {
    ReportDoc {
        since: filter.since,
        until: filter.until,
        group: filter.group.clone(),
        now,
        tickets: r.tickets,
        by_status: statuses(&r.by_status),
        by_assignee: r
            .by_assignee
            .iter()
            .map(|(who, counts)| AssigneeDoc {
                assignee: who.as_deref().map(|h| naming::staff_member(h, people)),
                tickets: counts.total(),
                by_status: statuses(counts),
            })
            .collect(),
        side_conversations: SidesDoc {
            tickets_with: r.with_sides,
            percent: rounded(r.with_sides_percent(), 1),
            open: ages(&r.open_sides),
            by_participant: r
                .by_participant
                .iter()
                .map(|(handle, a)| ParticipantDoc {
                    participant: naming::staff_member(handle, people),
                    open: ages(a),
                })
                .collect(),
        },
        ccs: per_ticket(&r.ccs),
        followers: per_ticket(&r.followers),
        comments: CommentsDoc {
            internal_notes: u64::from(r.comments.internal_notes),
            public_replies: u64::from(r.comments.public_replies),
            customer_messages: u64::from(r.comments.customer_messages),
            internal_percent: rounded(r.internal_percent(), 1),
        },
    }
}

/// `12.5` or nothing; piped figures carry no `%` sign.
/// Rounded as in the JSON document, so every output says the same.
fn number(x: Option<f64>, decimals: usize) -> String {
    rounded(x, decimals as i32).map_or(String::new(), |x| format!("{x:.decimals$}"))
}

fn percent_cell(x: Option<f64>) -> String {
    rounded(x, 1).map_or(String::new(), |x| format!("{x:.1}%"))
}

/// The report as text: tables fitted to a terminal, or tab-separated lines when piped.
pub fn text(r: &Report, filter: &Filter, layout: Layout) -> String {
    match layout {
        Layout::Piped => piped(r),
        Layout::Terminal { width } => terminal(r, filter, width),
    }
}

/// One line per figure, its first field naming what it is (README: "Reports").
fn piped(r: &Report) -> String {
    let mut out = String::new();
    let mut row = |cells: &[String]| {
        out.push_str(&cells.join("\t"));
        out.push('\n');
    };
    row(&["tickets".into(), r.tickets.to_string()]);
    for (status, n) in STATUSES.iter().zip(r.by_status.0) {
        row(&["status".into(), status.as_str().into(), n.to_string()]);
    }
    for (who, counts) in &r.by_assignee {
        let mut cells = vec![
            "assignee".to_string(),
            line(who.as_deref().unwrap_or("")).into_owned(),
        ];
        cells.extend(counts.0.iter().map(u64::to_string));
        cells.push(counts.total().to_string());
        row(&cells);
    }
    row(&[
        "side-tickets".into(),
        r.with_sides.to_string(),
        number(r.with_sides_percent(), 1),
    ]);
    let age_cells = |a: &Ages| {
        [
            a.total(),
            a.under_a_day,
            a.one_to_seven_days,
            a.over_seven_days,
        ]
        .map(|n| n.to_string())
    };
    let mut cells = vec!["open-sides".to_string()];
    cells.extend(age_cells(&r.open_sides));
    row(&cells);
    for (handle, a) in &r.by_participant {
        let mut cells = vec!["participant".to_string(), line(handle).into_owned()];
        cells.extend(age_cells(a));
        row(&cells);
    }
    for (name, s) in [("ccs", &r.ccs), ("followers", &r.followers)] {
        let mut cells = vec![
            name.to_string(),
            s.total.to_string(),
            number(s.mean(), 2),
            s.max.map_or(String::new(), |m| m.to_string()),
        ];
        cells.extend(s.histogram.iter().map(u64::to_string));
        row(&cells);
    }
    row(&[
        "comments".into(),
        r.comments.internal_notes.to_string(),
        r.comments.public_replies.to_string(),
        r.comments.customer_messages.to_string(),
        number(r.internal_percent(), 1),
    ]);
    out
}

/// A small table: the first column left-aligned and cut with `…` to fit `width`, the others (figures)
/// right-aligned, two spaces apart.
fn table(out: &mut String, headers: &[&str], rows: &[Vec<String>], width: usize) {
    let mut widths: Vec<usize> = headers.iter().map(|h| text_width(h)).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(text_width(cell));
        }
    }
    let rest: usize = widths[1..].iter().map(|w| w + 2).sum();
    widths[0] = widths[0].min(width.saturating_sub(rest).max(4));
    let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    for cells in std::iter::once(&header).chain(rows) {
        let mut text = String::new();
        for (i, (cell, &w)) in cells.iter().zip(&widths).enumerate() {
            if i == 0 {
                let cell = cut(cell, w);
                let pad = w.saturating_sub(text_width(&cell));
                text.push_str(&cell);
                text.extend(std::iter::repeat_n(' ', pad));
            } else {
                let pad = w.saturating_sub(text_width(cell));
                text.push_str("  ");
                text.extend(std::iter::repeat_n(' ', pad));
                text.push_str(cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
}

fn heading(r: &Report, filter: &Filter) -> String {
    let mut text = format!(
        "{} ticket{}",
        r.tickets,
        if r.tickets == 1 { "" } else { "s" }
    );
    let time = |t: &Time| t.format("%Y-%m-%d %H:%M UTC").to_string();
    match (&filter.since, &filter.until) {
        (Some(a), Some(b)) => {
            let _ = write!(text, " created {} to {}", time(a), time(b));
        }
        (Some(a), None) => {
            let _ = write!(text, " created since {}", time(a));
        }
        (None, Some(b)) => {
            let _ = write!(text, " created until {}", time(b));
        }
        (None, None) => {}
    }
    if let Some(g) = &filter.group {
        let _ = write!(text, " in group {}", line(g));
    }
    text
}

fn terminal(r: &Report, filter: &Filter, width: usize) -> String {
    let mut out = heading(r, filter);
    out.push_str("\n\nTickets by assignee and status\n");
    let mut rows: Vec<Vec<String>> = r
        .by_assignee
        .iter()
        .map(|(who, counts)| {
            let mut cells = vec![line(who.as_deref().unwrap_or("(unassigned)")).into_owned()];
            cells.extend(counts.0.iter().map(u64::to_string));
            cells.push(counts.total().to_string());
            cells
        })
        .collect();
    let mut total = vec!["TOTAL".to_string()];
    total.extend(r.by_status.0.iter().map(u64::to_string));
    total.push(r.tickets.to_string());
    rows.push(total);
    table(
        &mut out,
        &[
            "ASSIGNEE", "NEW", "OPEN", "PENDING", "ON-HOLD", "SOLVED", "CLOSED", "TOTAL",
        ],
        &rows,
        width,
    );

    out.push_str("\nSide conversations\n");
    let _ = writeln!(
        out,
        "{} of {} tickets{} had a side conversation.",
        r.with_sides,
        r.tickets,
        r.with_sides_percent()
            .map_or(String::new(), |p| format!(" ({})", percent_cell(Some(p))))
    );
    let open = &r.open_sides;
    let _ = writeln!(
        out,
        "Open now: {} ({} quiet under 1 day, {} for 1 to 7 days, {} over 7 days).",
        open.total(),
        open.under_a_day,
        open.one_to_seven_days,
        open.over_seven_days
    );
    if !r.by_participant.is_empty() {
        let rows: Vec<Vec<String>> = r
            .by_participant
            .iter()
            .map(|(handle, a)| {
                vec![
                    line(handle).into_owned(),
                    a.total().to_string(),
                    a.under_a_day.to_string(),
                    a.one_to_seven_days.to_string(),
                    a.over_seven_days.to_string(),
                ]
            })
            .collect();
        table(
            &mut out,
            &["PARTICIPANT", "OPEN", "< 1 DAY", "1-7 DAYS", "> 7 DAYS"],
            &rows,
            width,
        );
    }

    out.push_str("\nCCs and followers per ticket\n");
    let rows: Vec<Vec<String>> = [("CCs", &r.ccs), ("followers", &r.followers)]
        .iter()
        .map(|(name, s)| {
            let mut cells = vec![
                name.to_string(),
                s.total.to_string(),
                number(s.mean(), 2),
                s.max.map_or(String::new(), |m| m.to_string()),
            ];
            cells.extend(s.histogram.iter().map(u64::to_string));
            cells
        })
        .collect();
    table(
        &mut out,
        &["", "TOTAL", "MEAN", "MAX", "0", "1", "2", "3+"],
        &rows,
        width,
    );

    out.push_str("\nComments (share: of what staff wrote)\n");
    let c = &r.comments;
    let rows = vec![
        vec![
            "internal notes".to_string(),
            c.internal_notes.to_string(),
            percent_cell(r.internal_percent()),
        ],
        vec![
            "public replies".to_string(),
            c.public_replies.to_string(),
            percent_cell(r.public_percent()),
        ],
        vec![
            "customer messages".to_string(),
            c.customer_messages.to_string(),
            String::new(),
        ],
    ];
    table(&mut out, &["", "COUNT", "SHARE"], &rows, width);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::Spread;

    fn busy() -> Report {
        let long = "a".repeat(64);
        let counts = StatusCounts([1, 22, 333, 4_444, 55_555, 666_666]);
        let ages = Ages {
            under_a_day: 12,
            one_to_seven_days: 345,
            over_seven_days: 6_789,
        };
        let spread = Spread {
            total: 1_234_567,
            max: Some(48),
            histogram: [100_000, 20_000, 3_000, 400],
        };
        Report {
            tickets: counts.total(),
            by_status: counts,
            by_assignee: vec![(Some(long.clone()), counts), (None, counts)],
            with_sides: 7,
            open_sides: ages,
            by_participant: vec![(long, ages)],
            ccs: spread,
            followers: spread,
            ..Report::default()
        }
    }

    #[test]
    fn the_tables_fit_80_columns_with_the_longest_handles() {
        let text = text(&busy(), &Filter::default(), Layout::Terminal { width: 80 });
        for l in text.lines() {
            assert!(text_width(l) <= 80, "{l:?} is {} wide", text_width(l));
        }
        assert!(text.contains("aaaa…"), "{text}");
        assert!(text.contains("(unassigned)"), "{text}");
    }

    #[test]
    fn piped_lines_hold_no_padding_and_no_empty_table_name() {
        let text = text(&busy(), &Filter::default(), Layout::Piped);
        for l in text.lines() {
            let cells: Vec<&str> = l.split('\t').collect();
            assert!(cells.len() >= 2 && !cells[0].is_empty(), "{l:?}");
            assert!(!l.contains(' '), "{l:?}");
        }
        // The unassigned row: an empty handle, as `list` writes an empty assignee.
        assert!(text.contains("assignee\t\t1\t22\t"), "{text}");
    }
}
