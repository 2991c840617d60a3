//! Tables: comfy-table on a terminal, plain aligned columns when piped.

use comfy_table::{ContentArrangement, Table, presets};

use crate::model::Person;
use crate::model::visibility::Row;
use crate::render::sanitize::line;

fn table(header: &[&str], rows: Vec<Vec<String>>, terminal: bool) -> String {
    let mut t = Table::new();
    // A terminal that reports no usable width gets the plain layout rather than a crushed table.
    let usable = t.width().is_some_and(|w| w >= 40);
    if terminal && usable {
        t.load_style(presets::UTF8_HORIZONTAL_ONLY)
            .set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.load_style(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled);
    }
    t.set_header(header.to_vec());
    for r in rows {
        t.add_row(r);
    }
    let mut out = String::new();
    for l in t.to_string().lines() {
        let l = if terminal {
            l
        } else {
            l.strip_prefix(' ').unwrap_or(l)
        };
        out.push_str(l.trim_end());
        out.push('\n');
    }
    out
}

/// `tkt list`: staff rows show priority, assignee and open side conversations; external rows do not.
pub fn tickets(rows: &[Row], staff: bool, terminal: bool) -> String {
    if staff {
        let body = rows
            .iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.status.as_str().to_string(),
                    r.priority.map_or("", |p| p.as_str()).to_string(),
                    line(&r.subject),
                    line(&r.requester),
                    line(r.assignee.as_deref().unwrap_or("-")),
                    r.updated.format("%Y-%m-%d %H:%M").to_string(),
                    match r.open_sides {
                        Some(0) | None => String::new(),
                        Some(n) => format!("◆ {n}"),
                    },
                ]
            })
            .collect();
        table(
            &[
                "ID",
                "STATUS",
                "PRIORITY",
                "SUBJECT",
                "REQUESTER",
                "ASSIGNEE",
                "UPDATED",
                "SIDE",
            ],
            body,
            terminal,
        )
    } else {
        let body = rows
            .iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.status.as_str().to_string(),
                    line(&r.subject),
                    r.updated.format("%Y-%m-%d %H:%M").to_string(),
                ]
            })
            .collect();
        table(&["ID", "STATUS", "SUBJECT", "UPDATED"], body, terminal)
    }
}

/// `tkt person list`.
pub fn people(people: &[Person], terminal: bool) -> String {
    let body = people
        .iter()
        .map(|p| {
            vec![
                line(&p.handle),
                line(&p.name),
                line(&p.email),
                p.role.as_str().to_string(),
            ]
        })
        .collect();
    table(&["HANDLE", "NAME", "EMAIL", "ROLE"], body, terminal)
}
