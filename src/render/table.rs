//! Tables: comfy-table on a terminal, plain aligned columns when piped. The plain layout is written
//! straight to its destination, row by row, so listing a large store needs no table in memory.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use unicode_width::UnicodeWidthStr;

use crate::model::Person;
use crate::model::visibility::Row;
use crate::render::sanitize::line;

/// Writes a table of the rows `rows()` yields: boxed on a terminal with a usable width, else plain
/// columns two spaces apart (the layout scripts and pipes get). The plain layout walks the rows twice,
/// once for the column widths and once to write them, so no table is ever held in memory.
fn write_table<I: Iterator<Item = Vec<String>>>(
    out: &mut dyn Write,
    header: &[&str],
    rows: impl Fn() -> I,
    terminal: bool,
) -> io::Result<()> {
    let mut t = Table::new();
    // A terminal that reports no usable width gets the plain layout rather than a crushed table.
    if terminal && t.width().is_some_and(|w| w >= 40) {
        t.load_style(presets::UTF8_HORIZONTAL_ONLY)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(header.to_vec());
        for r in rows() {
            t.add_row(r);
        }
        for l in t.to_string().lines() {
            writeln!(out, "{}", l.trim_end())?;
        }
        return Ok(());
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows() {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.width());
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    write_plain_row(out, &header, &widths)?;
    for r in rows() {
        write_plain_row(out, &r, &widths)?;
    }
    Ok(())
}

fn write_plain_row(out: &mut dyn Write, cells: &[String], widths: &[usize]) -> io::Result<()> {
    let mut text = String::new();
    for (cell, width) in cells.iter().zip(widths) {
        text.push_str(cell);
        text.extend(std::iter::repeat_n(
            ' ',
            width.saturating_sub(cell.width()) + 2,
        ));
    }
    writeln!(out, "{}", text.trim_end())
}

fn updated(r: &Row) -> String {
    r.updated.format("%Y-%m-%d %H:%M").to_string()
}

/// `tkt list`: staff rows show priority, assignee and open side conversations; external rows do not.
pub fn write_tickets<I: Iterator<Item = Row>>(
    out: &mut dyn Write,
    rows: impl Fn() -> I,
    staff: bool,
    terminal: bool,
) -> io::Result<()> {
    if staff {
        let header = [
            "ID",
            "STATUS",
            "PRIORITY",
            "SUBJECT",
            "REQUESTER",
            "ASSIGNEE",
            "UPDATED",
            "SIDE",
        ];
        write_table(out, &header, || rows().map(|r| staff_cells(&r)), terminal)
    } else {
        let header = ["ID", "STATUS", "SUBJECT", "UPDATED"];
        write_table(
            out,
            &header,
            || rows().map(|r| external_cells(&r)),
            terminal,
        )
    }
}

fn staff_cells(r: &Row) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.status.as_str().to_string(),
        r.priority.map_or("", |p| p.as_str()).to_string(),
        line(&r.subject),
        line(&r.requester),
        line(r.assignee.as_deref().unwrap_or("-")),
        updated(r),
        match r.open_sides {
            Some(0) | None => String::new(),
            Some(n) => format!("◆ {n}"),
        },
    ]
}

fn external_cells(r: &Row) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.status.as_str().to_string(),
        line(&r.subject),
        updated(r),
    ]
}

/// `tkt person list`.
pub fn write_people(out: &mut dyn Write, people: &[Person], terminal: bool) -> io::Result<()> {
    let cells = |p: &Person| {
        vec![
            line(&p.handle),
            line(&p.name),
            line(&p.email),
            p.role.as_str().to_string(),
        ]
    };
    let header = ["HANDLE", "NAME", "EMAIL", "ROLE"];
    write_table(out, &header, || people.iter().map(cells), terminal)
}
