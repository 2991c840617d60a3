//! `tkt status ID STATUS`, under the rules of SPEC §2.

use serde_json::json;

use crate::commands::change;
use crate::context::Context;
use crate::model::Status;
use crate::model::event::Event;
use crate::model::permission::Action;
use crate::model::status::check_change;

pub fn run(ctx: &Context, id: u64, to: Status) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let changed = change(
        &store,
        ctx,
        &actor,
        id,
        Action::Manage("change the status"),
        |t, w| {
            check_change(t, to)?;
            if t.status == to {
                return Ok(false);
            }
            t.record(Event::status(w.at, actor.id(), t.status, to));
            t.status = to;
            Ok(true)
        },
    )?;
    if changed {
        ctx.note(&format!("#{id} is now {}", to.as_str()));
    } else {
        ctx.note(&format!("#{id} is already {}", to.as_str()));
    }
    ctx.emit(
        &json!({ "ticket": id, "status": to, "changed": changed }),
        String::new,
    )
}
