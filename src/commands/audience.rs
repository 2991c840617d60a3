//! `tkt audience ID`: who can see and who was told of each entry of a ticket — "who saw this note?" at
//! a glance, and the followers a thread does not show. A staff view: customers are refused, as for the
//! follower list.

use crate::commands::load_for;
use crate::context::Context;
use crate::exit;
use crate::model::notify;
use crate::model::visibility::{self, View};
use crate::render::audience;

pub fn run(ctx: &Context, id: u64) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let viewer = ctx.viewer(&store)?;
    let (ticket, _) = load_for(&store, id, viewer.as_ref())?;
    // Staff only; and a staff member sees the audience of what they may see: not of side conversations
    // they are not in.
    let Some(View::Staff(t)) = visibility::view(ticket, viewer.as_ref(), &store.people) else {
        return Err(exit::not_allowed(
            "who was told what is visible to staff only",
        ));
    };
    let who = notify::audience(&t, &store.people);
    ctx.emit(&audience::doc(&t, &who, &store.people), || {
        audience::table(&t, &who, &store.people, ctx.layout())
    })
}
