//! `tkt list`: the tickets the viewer may see, with what they may see of each, filtered and sorted.

use crate::cli::{Format, ListArgs};
use crate::context::Context;
use crate::exit;
use crate::model::Who;
use crate::model::query::{Needle, Query, Sort};
use crate::model::summary::Summary;
use crate::model::visibility::{self, Row};
use crate::render::{json, table};
use crate::store::Store;
use crate::store::search::{self, Prefilter};

/// The query with people resolved to the identities rows hold (handles for staff, else addresses) and
/// times resolved against the clock.
fn query(
    ctx: &Context,
    store: &Store,
    viewer: Option<&Who>,
    args: &ListArgs,
) -> anyhow::Result<Query> {
    // A customer names people by address only (see `resolve_for`).
    let find = |who: &str, what: &str| match viewer {
        Some(v) => store.people.resolve_for(v, who, what),
        None => store.people.resolve(who, what),
    };
    let id = |who: &Option<String>, what: &str| -> anyhow::Result<Option<String>> {
        who.as_deref()
            .map(|w| find(w, what).map(|p| p.id().to_string()))
            .transpose()
    };
    let email = |who: &Option<String>, what: &str| -> anyhow::Result<Option<String>> {
        who.as_deref()
            .map(|w| find(w, what).map(|p| p.email().to_string()))
            .transpose()
    };
    let assignee = match args.assignee.as_deref() {
        Some("me") => match viewer {
            Some(me) => Some(me.id().to_string()),
            None => {
                return Err(exit::usage(
                    "--assignee me: say who you are with --as WHO (or TKT_AS)",
                ));
            }
        },
        _ => id(&args.assignee, "--assignee")?,
    };
    Ok(Query {
        statuses: args.status.clone(),
        all: args.all,
        assignee,
        unassigned: args.unassigned,
        requester: email(&args.requester, "--requester")?,
        cc: email(&args.cc, "--cc")?,
        follower: id(&args.follower, "--follower")?,
        tag: args.tag.clone(),
        group: args.group.clone(),
        priorities: args.priority.clone(),
        open_sides: args.open_sides,
        since: args.since.map(|m| m.start(ctx.now)),
        until: args.until.map(|m| m.end(ctx.now)),
    })
}

fn needle(text: &str) -> anyhow::Result<Needle> {
    if text.trim().is_empty() {
        return Err(exit::usage("--search: give some text to search for"));
    }
    Needle::new(text).ok_or_else(|| exit::usage("--search: this text cannot be searched for"))
}

/// Keeps the rows whose ticket, as the viewer sees it, mentions the needle. Only files whose bytes may
/// mention it are parsed.
fn search(store: &Store, viewer: Option<&Who>, needle: &Needle, rows: &mut Vec<Row>) {
    let ids: Vec<u64> = rows.iter().map(|r| r.id).collect();
    let confirm = |id: u64| {
        store
            .load(id)
            .ok()
            .and_then(|ticket| visibility::view(ticket, viewer, &store.people))
            .is_some_and(|view| needle.found_in_view(&view))
    };
    // A customer's tickets are all parsed: the byte search would also find internal text, and the time
    // a parse takes must not tell them that a ticket of theirs holds the word internally. They are on
    // few tickets, so this costs little.
    let prefilter = match viewer {
        Some(who) if !who.is_staff() => Prefilter::every_file(),
        _ => Prefilter::new(needle.text()),
    };
    let found = search::matching(&store.root, &ids, &prefilter, confirm);
    // Both are in the same order, so one walk keeps the found rows.
    let mut found = found.into_iter().peekable();
    rows.retain(|r| found.next_if_eq(&r.id).is_some());
}

pub fn run(ctx: &Context, args: ListArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let viewer = ctx.viewer(&store)?;
    let query = query(ctx, &store, viewer.as_ref(), &args)?;
    let needle = args.search.as_deref().map(needle).transpose()?;
    let sort = Sort {
        field: args.sort.field(),
        descending: args.reverse,
    };
    let limit = args
        .limit
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let listing = crate::store::cache::listing(&store)?;
    let staff = viewer.as_ref().is_none_or(Who::is_staff);
    if staff {
        for problem in listing.skipped() {
            ctx.warn(&format!("skipped {problem}"));
        }
    }
    let matching = || {
        listing
            .summaries()
            .filter_map(|s: Summary| visibility::row(s, viewer.as_ref()))
            .filter(|r| query.matches(r))
    };
    let collected: Option<Vec<Row>> = if needle.is_some() || !sort.is_id_order() {
        let mut rows: Vec<Row> = matching().collect();
        if let Some(needle) = &needle {
            search(&store, viewer.as_ref(), needle, &mut rows);
        }
        sort.apply(&mut rows);
        rows.truncate(limit);
        Some(rows)
    } else {
        // In id order with no search, rows stream from the cache: a big store's rows are never all held.
        None
    };
    let rows = || -> Box<dyn Iterator<Item = Row> + '_> {
        match &collected {
            Some(rows) => Box::new(rows.iter().cloned()),
            None => Box::new(matching().take(limit)),
        }
    };
    match ctx.format {
        Format::Text => ctx.write_text(|out| table::write_tickets(out, rows, staff, ctx.layout())),
        _ => {
            let rows: Vec<_> = rows().map(|r| json::row_doc(&r, &store.people)).collect();
            ctx.emit_long(|| rows, String::new)
        }
    }
}
