//! `tkt list`: the tickets the viewer may see, with what they may see of each, filtered.

use crate::cli::Format;
use crate::context::Context;
use crate::model::summary::Summary;
use crate::model::visibility::{self, Row};
use crate::model::{Status, Who};
use crate::render::{json, table};
use crate::store::Store;

pub struct Filters {
    pub status: Vec<Status>,
    pub assignee: Option<String>,
    pub requester: Option<String>,
    pub cc: Option<String>,
    pub follower: Option<String>,
    pub tag: Option<String>,
}

/// The filters with people resolved to the identities rows hold (handles for staff, else addresses).
struct Wanted {
    status: Vec<Status>,
    assignee: Option<String>,
    requester: Option<String>,
    cc: Option<String>,
    follower: Option<String>,
    tag: Option<String>,
}

/// Resolves the filters' people. A customer names people by address only (see `resolve_for`).
fn resolve(store: &Store, viewer: Option<&Who>, f: Filters) -> anyhow::Result<Wanted> {
    let find = |who: &str, what: &str| match viewer {
        Some(v) => store.people.resolve_for(v, who, what),
        None => store.people.resolve(who, what),
    };
    let id = |who: Option<String>, what: &str| -> anyhow::Result<Option<String>> {
        who.map(|w| find(&w, what).map(|p| p.id().to_string()))
            .transpose()
    };
    let email = |who: Option<String>, what: &str| -> anyhow::Result<Option<String>> {
        who.map(|w| find(&w, what).map(|p| p.email().to_string()))
            .transpose()
    };
    Ok(Wanted {
        status: f.status,
        assignee: id(f.assignee, "--assignee")?,
        requester: email(f.requester, "--requester")?,
        cc: email(f.cc, "--cc")?,
        follower: id(f.follower, "--follower")?,
        tag: f.tag,
    })
}

/// Filters apply to what the viewer sees: a customer filtering by follower matches nothing.
fn matches(row: &Row, w: &Wanted) -> bool {
    let has = |list: &Option<Vec<String>>, x: &String| list.as_ref().is_some_and(|l| l.contains(x));
    (w.status.is_empty() || w.status.contains(&row.status))
        && w.assignee
            .as_ref()
            .is_none_or(|a| row.assignee.as_ref() == Some(a))
        && w.requester
            .as_ref()
            .is_none_or(|r| row.requester.eq_ignore_ascii_case(r))
        && w.cc
            .as_ref()
            .is_none_or(|c| row.cc.iter().any(|x| x.eq_ignore_ascii_case(c)))
        && w.follower.as_ref().is_none_or(|f| has(&row.followers, f))
        && w.tag.as_ref().is_none_or(|t| has(&row.tags, t))
}

pub fn run(ctx: &Context, filters: Filters) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let viewer = ctx.viewer(&store)?;
    let wanted = resolve(&store, viewer.as_ref(), filters)?;
    let listing = crate::store::cache::listing(&store)?;
    let staff = viewer.as_ref().is_none_or(Who::is_staff);
    if staff {
        for problem in listing.skipped() {
            ctx.warn(&format!("skipped {problem}"));
        }
    }
    // Rows are made from one cached summary at a time; text output walks them twice (widths, then
    // lines) rather than holding a whole store's rows.
    let rows = || {
        listing
            .summaries()
            .filter_map(|s: Summary| visibility::row(&s, viewer.as_ref()))
            .filter(|r| matches(r, &wanted))
    };
    match ctx.format {
        Format::Text => ctx.write_text(|out| table::write_tickets(out, rows, staff, ctx.terminal)),
        _ => {
            let rows: Vec<_> = rows().map(|r| json::row_doc(&r, &store.people)).collect();
            ctx.emit(&rows, String::new)
        }
    }
}
