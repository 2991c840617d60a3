//! `tkt log ID`: a ticket's history as the viewer may read it.

use crate::commands::load_for;
use crate::context::Context;
use crate::exit;
use crate::model::history;
use crate::render::history::log_lines;

pub fn run(ctx: &Context, id: u64) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let viewer = ctx.viewer(&store)?;
    let (ticket, _) = load_for(&store, id, viewer.as_ref())?;
    let Some(entries) = history::log(&ticket, viewer.as_ref(), &store.people) else {
        let who = viewer.as_ref().map_or("you", |w| w.id());
        return Err(exit::not_allowed(format!(
            "{who} has no access to ticket #{id}"
        )));
    };
    ctx.emit(&entries, || log_lines(&entries))
}
