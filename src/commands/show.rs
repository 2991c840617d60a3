//! `tkt show ID`: the ticket as the viewer sees it; with no viewer, the full staff view.

use crate::commands::load_for;
use crate::context::Context;
use crate::exit;
use crate::model::hygiene;
use crate::model::visibility::{self, View};
use crate::render::{json, text};

pub fn run(ctx: &Context, id: u64) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let viewer = ctx.viewer(&store)?;
    let (ticket, _) = load_for(&store, id, viewer.as_ref())?;
    let Some(view) = visibility::view(ticket, viewer.as_ref(), &store.people) else {
        let who = viewer.as_ref().map_or("you", |w| w.id());
        return Err(exit::not_allowed(format!(
            "{who} has no access to ticket #{id}"
        )));
    };
    let shown = match &view {
        View::Staff(t) => {
            // Found on what this viewer sees: a side conversation they may not see is not named.
            let findings = hygiene::findings(t, &store.people, store.settings.cc_limit, ctx.now);
            ctx.emit_long_to(
                || json::ticket_doc(t, &store.people),
                |out| {
                    text::write_staff_ticket(out, t, &store.people, ctx.style)?;
                    out.write_all(text::hygiene_footer(&findings, ctx.style).as_bytes())
                },
            )
        }
        View::External(v) => {
            ctx.emit_long_to(|| v, |out| text::write_external_ticket(out, v, ctx.style))
        }
    };
    // The run ends here, and its memory with the process: a long ticket's thousands of strings are
    // not handed back one by one first.
    std::mem::forget(view);
    shown
}
