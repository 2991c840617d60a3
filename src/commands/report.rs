//! `tkt report`: store-wide figures for a team lead, from the list cache (`store::cache`): tickets by
//! status and assignee, side conversations, CCs and followers, notes and replies. Staff only: customers
//! are refused, as for the follower list.

use crate::cli::ReportArgs;
use crate::context::Context;
use crate::exit;
use crate::model::report::{self, Filter};
use crate::render;

pub fn run(ctx: &Context, args: ReportArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let viewer = ctx.viewer(&store)?;
    if viewer.as_ref().is_some_and(|v| !v.is_staff()) {
        return Err(exit::not_allowed("reports are visible to staff only"));
    }
    let filter = Filter {
        since: args.since.map(|m| m.start(ctx.now)),
        until: args.until.map(|m| m.end(ctx.now)),
        group: args.group,
    };
    let listing = crate::store::cache::listing(&store)?;
    for problem in listing.skipped() {
        ctx.warn(&format!("skipped {problem} (not in the report)"));
    }
    let figures = report::report(listing.summaries(), &filter, viewer.as_ref(), ctx.now);
    ctx.emit_long(
        || render::report::doc(&figures, &filter, ctx.now, &store.people),
        || render::report::text(&figures, &filter, ctx.layout()),
    )
}
