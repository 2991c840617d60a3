//! Tables. On a terminal, columns two spaces apart that fit its width: ids, statuses, dates and addresses
//! never wrap; the subject (or a name) is cut with `…`; when even that is not enough, whole columns are
//! shortened or dropped in a fixed order. Piped, tab-separated values with no padding and no header
//! (as `gh` does), so `cut -f` works; those are written row by row, so a large store needs no table in
//! memory.

use std::io::{self, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::model::Person;
use crate::model::visibility::Row;
use crate::render::sanitize::line;

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

/// What `tkt list` shows of a row, cell by cell, on a terminal (`short` is a shorter time).
struct Cells {
    cells: Vec<String>,
    short_time: Option<(usize, String)>,
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
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
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
    let (widths, shape) = loop {
        let natural = natural_widths(columns, rows, &shape);
        if let Some(w) = widths(columns, &natural, &shape, width) {
            break (w, shape);
        }
        match steps.next() {
            Some(Narrower::ShortTimes) => shape.short_times = true,
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
    let header: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
    write_line(out, columns, &header, &widths, &shape)?;
    for row in rows {
        let cells = shaped(row, &shape);
        write_line(out, columns, &cells, &widths, &shape)?;
    }
    Ok(())
}

/// A row's cells with the time shortened when the shape says so.
fn shaped(row: &Cells, shape: &Shape) -> Vec<String> {
    let mut cells = row.cells.clone();
    if shape.short_times
        && let Some((i, short)) = &row.short_time
    {
        cells[*i] = short.clone();
    }
    cells
}

fn natural_widths(columns: &[Column], rows: &[Cells], shape: &Shape) -> Vec<usize> {
    let mut widths: Vec<usize> = columns.iter().map(|c| c.header.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(shaped(row, shape)) {
            *w = (*w).max(cell.width());
        }
    }
    widths
}

fn write_line(
    out: &mut dyn Write,
    columns: &[Column],
    cells: &[String],
    widths: &[usize],
    shape: &Shape,
) -> io::Result<()> {
    let mut text = String::new();
    for (i, (cell, &width)) in cells.iter().zip(widths).enumerate() {
        if !shape.shown[i] {
            continue;
        }
        let cell = if columns[i].cut {
            cut(cell, width)
        } else {
            cell.clone()
        };
        if !text.is_empty() {
            text.push_str("  ");
        }
        text.push_str(&cell);
        text.extend(std::iter::repeat_n(' ', width.saturating_sub(cell.width())));
    }
    writeln!(out, "{}", text.trim_end())
}

/// One tab-separated line. Cells have been through `line`, which leaves no tab or newline in them.
fn write_tsv(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    writeln!(out, "{}", cells.join("\t"))
}

/// A time on a terminal says its zone: `2026-03-02 09:00 UTC`; shortened, the day: `2026-03-02`.
fn terminal_time(r: &Row) -> (String, String) {
    (
        r.updated.format("%Y-%m-%d %H:%M UTC").to_string(),
        r.updated.format("%Y-%m-%d").to_string(),
    )
}

/// Piped, a time is RFC 3339 UTC, as in JSON: sortable and parseable.
fn piped_time(r: &Row) -> String {
    r.updated.format("%Y-%m-%dT%H:%M:%SZ").to_string()
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
            for r in rows() {
                let cells = if staff {
                    staff_tsv(&r)
                } else {
                    external_tsv(&r)
                };
                write_tsv(out, &cells)?;
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
    let (time, short) = terminal_time(r);
    Cells {
        cells: vec![
            r.id.to_string(),
            r.status.as_str().to_string(),
            r.priority.map_or("", |p| p.as_str()).to_string(),
            line(&r.subject),
            line(&r.requester),
            line(r.assignee.as_deref().unwrap_or("-")),
            time,
            match r.open_sides {
                Some(0) | None => String::new(),
                Some(n) => format!("◆ {n}"),
            },
        ],
        short_time: Some((6, short)),
    }
}

fn external_cells(r: &Row) -> Cells {
    let (time, short) = terminal_time(r);
    Cells {
        cells: vec![
            r.id.to_string(),
            r.status.as_str().to_string(),
            line(&r.subject),
            time,
        ],
        short_time: Some((3, short)),
    }
}

fn staff_tsv(r: &Row) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.status.as_str().to_string(),
        r.priority.map_or("", |p| p.as_str()).to_string(),
        line(&r.subject),
        line(&r.requester),
        line(r.assignee.as_deref().unwrap_or("")),
        piped_time(r),
        r.open_sides.unwrap_or(0).to_string(),
    ]
}

fn external_tsv(r: &Row) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.status.as_str().to_string(),
        line(&r.subject),
        piped_time(r),
    ]
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
    let cells = |p: &Person| {
        vec![
            line(&p.handle),
            line(&p.name),
            line(&p.email),
            p.role.as_str().to_string(),
        ]
    };
    match layout {
        Layout::Piped => people.iter().try_for_each(|p| write_tsv(out, &cells(p))),
        Layout::Terminal { width } => {
            let rows: Vec<Cells> = people
                .iter()
                .map(|p| Cells {
                    cells: cells(p),
                    short_time: None,
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
}
