//! Tables. On a terminal, columns two spaces apart that fit its width: ids, statuses, dates and addresses
//! never wrap; the subject (or a name) is cut with `…`; when even that is not enough, whole columns are
//! shortened or dropped in a fixed order. Piped, tab-separated values with no padding and no header
//! (as `gh` does), so `cut -f` works; those are written row by row, so a large store needs no table in
//! memory.

use std::fmt::Write as _;
use std::io::{self, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::model::Person;
use crate::model::ticket::Time;
use crate::model::visibility::Row;
use crate::render::sanitize::line;
use crate::render::time::{plain_fields, push_day, push_digits, push_hour_minute};

/// Where a table goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A terminal this many columns wide.
    Terminal { width: usize },
    /// A pipe or a file: tab-separated values.
    Piped,
}

/// The narrowest a cut column is made before other columns are shortened or dropped.
const MIN_CUT: usize = 20;

/// A column of a terminal table.
struct Column {
    header: &'static str,
    /// The one column that is cut with `…` to make the rest fit.
    cut: bool,
}

/// One way to lay a table out: which columns are shown, and whether times are shortened to days.
#[derive(Debug, Clone)]
struct Shape {
    shown: Vec<bool>,
    short_times: bool,
}

/// A step that makes a table narrower when it does not fit.
#[derive(Debug, Clone, Copy)]
enum Narrower {
    /// Show times as days: `2026-03-02`.
    ShortTimes,
    /// Leave out the column of this header.
    Drop(&'static str),
}

/// What a terminal table shows of a row, cell by cell.
struct Cells {
    cells: Vec<String>,
    /// The column of a time and the length of its day (its first word), shown alone when times are
    /// shortened.
    short_time: Option<(usize, usize)>,
}

impl Cells {
    fn new(cells: Vec<String>, time_column: Option<usize>) -> Cells {
        let short_time = time_column.map(|i| (i, cells[i].find(' ').unwrap_or(cells[i].len())));
        Cells { cells, short_time }
    }

    /// Cell `i` as `shape` shows it, and its width.
    fn cell(&self, i: usize, shape: &Shape) -> (&str, usize) {
        let text = match self.short_time {
            Some((at, day)) if shape.short_times && at == i => &self.cells[i][..day],
            _ => &self.cells[i],
        };
        (text, text_width(text))
    }
}

/// The terminal width of `text`. Printable ASCII, nearly every cell, is one column a byte; the rest
/// asks unicode-width, which also knows the sequences (emoji with a variation selector) that are wider
/// than their characters.
pub(crate) fn text_width(text: &str) -> usize {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        text.len()
    } else {
        text.width()
    }
}

/// The terminal width of each column in `shape`, with the cut column as wide as what is left.
fn widths(
    columns: &[Column],
    natural: &[usize],
    shape: &Shape,
    width: usize,
) -> Option<Vec<usize>> {
    let shown: Vec<usize> = (0..columns.len()).filter(|&i| shape.shown[i]).collect();
    let gaps = 2 * shown.len().saturating_sub(1);
    let fixed: usize = shown
        .iter()
        .filter(|&&i| !columns[i].cut)
        .map(|&i| natural[i])
        .sum();
    let mut out = natural.to_vec();
    for &i in &shown {
        if columns[i].cut {
            let room = width.checked_sub(fixed + gaps)?;
            if room < natural[i].min(MIN_CUT) {
                return None;
            }
            out[i] = natural[i].min(room);
        } else if fixed + gaps > width {
            return None;
        }
    }
    Some(out)
}

/// Cuts `text` to `width` columns, ending in `…` when it was cut.
pub(crate) fn cut(text: &str, width: usize) -> String {
    if text_width(text) <= width {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len().min(4 * width));
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Writes a terminal table: the first shape in `steps` order that fits `width` (the last one if none
/// does, with its cut column at one character).
fn write_fitted(
    out: &mut dyn Write,
    columns: &[Column],
    rows: &[Cells],
    steps: &[Narrower],
    width: usize,
) -> io::Result<()> {
    let mut shape = Shape {
        shown: vec![true; columns.len()],
        short_times: false,
    };
    let mut steps = steps.iter();
    // A column's natural width depends on the times' form only, not on which other columns are shown.
    let mut natural = natural_widths(columns, rows, &shape);
    let (widths, shape) = loop {
        if let Some(w) = widths(columns, &natural, &shape, width) {
            break (w, shape);
        }
        match steps.next() {
            Some(Narrower::ShortTimes) => {
                shape.short_times = true;
                natural = natural_widths(columns, rows, &shape);
            }
            Some(Narrower::Drop(header)) => {
                for (i, c) in columns.iter().enumerate() {
                    if c.header == *header {
                        shape.shown[i] = false;
                    }
                }
            }
            None => {
                let mut w = natural;
                for (i, c) in columns.iter().enumerate() {
                    if c.cut {
                        w[i] = 1;
                    }
                }
                break (w, shape);
            }
        }
    };
    let mut line = Line {
        text: String::new(),
        columns,
        widths: &widths,
        shape: &shape,
    };
    line.write(
        out,
        columns.iter().map(|c| (c.header, text_width(c.header))),
    )?;
    for row in rows {
        line.write(out, (0..columns.len()).map(|i| row.cell(i, &shape)))?;
    }
    Ok(())
}

fn natural_widths(columns: &[Column], rows: &[Cells], shape: &Shape) -> Vec<usize> {
    let mut widths: Vec<usize> = columns.iter().map(|c| text_width(c.header)).collect();
    for row in rows {
        for (i, w) in widths.iter_mut().enumerate() {
            *w = (*w).max(row.cell(i, shape).1);
        }
    }
    widths
}

/// The lines of one laid-out terminal table, built in one reused buffer.
struct Line<'a> {
    text: String,
    columns: &'a [Column],
    widths: &'a [usize],
    shape: &'a Shape,
}

impl Line<'_> {
    /// Writes one line of cells (each with its width): the shown ones, padded to their column, the cut
    /// column cut to its width.
    fn write<'c>(
        &mut self,
        out: &mut dyn Write,
        cells: impl Iterator<Item = (&'c str, usize)>,
    ) -> io::Result<()> {
        let text = &mut self.text;
        text.clear();
        for (i, ((cell, used), &width)) in cells.zip(self.widths).enumerate() {
            if !self.shape.shown[i] {
                continue;
            }
            if !text.is_empty() {
                text.push_str("  ");
            }
            let used = if self.columns[i].cut && used > width {
                let cell = cut(cell, width);
                text.push_str(&cell);
                text_width(&cell)
            } else {
                text.push_str(cell);
                used
            };
            text.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
        }
        out.write_all(text.trim_end().as_bytes())?;
        out.write_all(b"\n")
    }
}

/// Appends one tab-separated line. Cells have been through `line`, which leaves no tab or newline in them.
fn push_tsv(text: &mut String, cells: &[&str]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            text.push('\t');
        }
        text.push_str(cell);
    }
    text.push('\n');
}

// Times are written field by field rather than by chrono's `format`, which reads its format string
// anew for every time: that cost more than all the rest of a piped row. Times the fields cannot write
// (see `plain_fields`) still go through chrono, so the text is the same.

/// A time on a terminal says its zone: `2026-03-02 09:00 UTC`; shortened, its first word, the day.
fn terminal_time(t: &Time) -> String {
    let Some(fields) = plain_fields(t) else {
        return t.format("%Y-%m-%d %H:%M UTC").to_string();
    };
    let mut text = String::with_capacity(20);
    push_day(&mut text, fields);
    text.push(' ');
    push_hour_minute(&mut text, fields);
    text.push_str(" UTC");
    text
}

/// Piped, a time is RFC 3339 UTC, as in JSON: sortable and parseable.
fn push_piped_time(text: &mut String, t: &Time) {
    match plain_fields(t) {
        Some(fields) => {
            push_day(text, fields);
            text.push('T');
            push_hour_minute(text, fields);
            text.push(':');
            push_digits(text, fields[5], 2);
            text.push('Z');
        }
        None => {
            let _ = write!(text, "{}", t.format("%Y-%m-%dT%H:%M:%SZ"));
        }
    }
}

const STAFF_COLUMNS: [Column; 8] = [
    Column {
        header: "ID",
        cut: false,
    },
    Column {
        header: "STATUS",
        cut: false,
    },
    Column {
        header: "PRIORITY",
        cut: false,
    },
    Column {
        header: "SUBJECT",
        cut: true,
    },
    Column {
        header: "REQUESTER",
        cut: false,
    },
    Column {
        header: "ASSIGNEE",
        cut: false,
    },
    Column {
        header: "UPDATED",
        cut: false,
    },
    Column {
        header: "SIDE",
        cut: false,
    },
];

/// The order in which a staff table gets narrower (README: "A list that reads well").
const STAFF_STEPS: [Narrower; 7] = [
    Narrower::ShortTimes,
    Narrower::Drop("REQUESTER"),
    Narrower::Drop("ASSIGNEE"),
    Narrower::Drop("PRIORITY"),
    Narrower::Drop("SIDE"),
    Narrower::Drop("UPDATED"),
    Narrower::Drop("STATUS"),
];

const EXTERNAL_COLUMNS: [Column; 4] = [
    Column {
        header: "ID",
        cut: false,
    },
    Column {
        header: "STATUS",
        cut: false,
    },
    Column {
        header: "SUBJECT",
        cut: true,
    },
    Column {
        header: "UPDATED",
        cut: false,
    },
];

const EXTERNAL_STEPS: [Narrower; 3] = [
    Narrower::ShortTimes,
    Narrower::Drop("UPDATED"),
    Narrower::Drop("STATUS"),
];

/// `tkt list`: staff rows show priority, requester, assignee and open side conversations; external rows
/// do not. Piped, the columns are the same (all of them) and the side column is a count.
pub fn write_tickets<I: Iterator<Item = Row>>(
    out: &mut dyn Write,
    rows: impl Fn() -> I,
    staff: bool,
    layout: Layout,
) -> io::Result<()> {
    match layout {
        Layout::Piped => {
            // One line buffer for every row: a piped row costs no allocation of its own.
            let mut text = String::new();
            for r in rows() {
                text.clear();
                if staff {
                    push_staff_tsv(&mut text, &r);
                } else {
                    push_external_tsv(&mut text, &r);
                }
                out.write_all(text.as_bytes())?;
            }
            Ok(())
        }
        Layout::Terminal { width } => {
            let cells: Vec<Cells> = rows()
                .map(|r| {
                    if staff {
                        staff_cells(&r)
                    } else {
                        external_cells(&r)
                    }
                })
                .collect();
            if staff {
                write_fitted(out, &STAFF_COLUMNS, &cells, &STAFF_STEPS, width)
            } else {
                write_fitted(out, &EXTERNAL_COLUMNS, &cells, &EXTERNAL_STEPS, width)
            }
        }
    }
}

fn staff_cells(r: &Row) -> Cells {
    let cells = vec![
        r.id.to_string(),
        r.status.as_str().to_string(),
        r.priority.map_or("", |p| p.as_str()).to_string(),
        line(&r.subject).into_owned(),
        line(&r.requester).into_owned(),
        line(r.assignee.as_deref().unwrap_or("-")).into_owned(),
        terminal_time(&r.updated),
        match r.open_sides {
            Some(0) | None => String::new(),
            Some(n) => format!("◆ {n}"),
        },
    ];
    Cells::new(cells, Some(6))
}

fn external_cells(r: &Row) -> Cells {
    let cells = vec![
        r.id.to_string(),
        r.status.as_str().to_string(),
        line(&r.subject).into_owned(),
        terminal_time(&r.updated),
    ];
    Cells::new(cells, Some(3))
}

fn push_staff_tsv(text: &mut String, r: &Row) {
    let _ = write!(text, "{}\t", r.id);
    for cell in [
        r.status.as_str(),
        r.priority.map_or("", |p| p.as_str()),
        &line(&r.subject),
        &line(&r.requester),
        &line(r.assignee.as_deref().unwrap_or("")),
    ] {
        text.push_str(cell);
        text.push('\t');
    }
    push_piped_time(text, &r.updated);
    let _ = writeln!(text, "\t{}", r.open_sides.unwrap_or(0));
}

fn push_external_tsv(text: &mut String, r: &Row) {
    let _ = write!(text, "{}\t", r.id);
    for cell in [r.status.as_str(), &line(&r.subject)] {
        text.push_str(cell);
        text.push('\t');
    }
    push_piped_time(text, &r.updated);
    text.push('\n');
}

const PEOPLE_COLUMNS: [Column; 4] = [
    Column {
        header: "HANDLE",
        cut: false,
    },
    Column {
        header: "NAME",
        cut: true,
    },
    Column {
        header: "EMAIL",
        cut: false,
    },
    Column {
        header: "ROLE",
        cut: false,
    },
];

const PEOPLE_STEPS: [Narrower; 2] = [Narrower::Drop("ROLE"), Narrower::Drop("EMAIL")];

/// `tkt person list`.
pub fn write_people(out: &mut dyn Write, people: &[Person], layout: Layout) -> io::Result<()> {
    match layout {
        Layout::Piped => {
            let mut text = String::new();
            for p in people {
                text.clear();
                let role = p.role.as_str();
                push_tsv(
                    &mut text,
                    &[&line(&p.handle), &line(&p.name), &line(&p.email), role],
                );
                out.write_all(text.as_bytes())?;
            }
            Ok(())
        }
        Layout::Terminal { width } => {
            let rows: Vec<Cells> = people
                .iter()
                .map(|p| {
                    let cells = vec![
                        line(&p.handle).into_owned(),
                        line(&p.name).into_owned(),
                        line(&p.email).into_owned(),
                        p.role.as_str().to_string(),
                    ];
                    Cells::new(cells, None)
                })
                .collect();
            write_fitted(out, &PEOPLE_COLUMNS, &rows, &PEOPLE_STEPS, width)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_ends_in_an_ellipsis_and_keeps_to_its_width() {
        assert_eq!(cut("PDF export fails", 20), "PDF export fails");
        assert_eq!(cut("PDF export fails", 8), "PDF exp…");
        assert_eq!(cut("日本語のテキスト", 7).width(), 7);
        assert!(cut("日本語のテキスト", 6).width() <= 6);
    }

    #[test]
    fn times_read_as_chrono_writes_them() {
        for text in [
            "2026-03-02T09:05:07Z",
            "2026-03-02T09:05:07.123456789Z",
            "0000-01-01T00:00:00Z",
            "0999-12-31T23:59:59Z",
            "9999-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z",
            "-0001-06-15T12:00:00Z",
            // A leap second: chrono writes `:60`.
            "2016-12-31T23:59:60Z",
        ] {
            let t: Time = text.parse().expect(text);
            assert_eq!(
                terminal_time(&t),
                t.format("%Y-%m-%d %H:%M UTC").to_string()
            );
            let mut piped = String::new();
            push_piped_time(&mut piped, &t);
            assert_eq!(piped, t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
    }

    #[test]
    fn the_ascii_width_shortcut_agrees_with_unicode_width() {
        let printable: String = (' '..='~').collect();
        assert_eq!(text_width(&printable), printable.width());
        for text in ["⚠\u{fe0f}", "⚠\u{fe0f} sign", "日本", "e\u{301}", "\x1b"] {
            assert_eq!(text_width(text), text.width(), "{text:?}");
        }
    }
}
