//! `tkt status ID STATUS`, under the rules of SPEC §2.

use crate::render::json::Answer;

use crate::commands::change;
use crate::context::Context;
use crate::model::Status;
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
        |t, _| {
            check_change(t, to)?;
            if t.status == to {
                return Ok(false);
            }
            let detail = format!("{} -> {}", t.status.as_str(), to.as_str());
            t.status = to;
            t.record(ctx.now, actor.id(), "status", Some(detail));
            Ok(true)
        },
    )?;
    if changed {
        ctx.note(&format!("#{id} is now {}", to.as_str()));
    } else {
        ctx.note(&format!("#{id} is already {}", to.as_str()));
    }
    let answer = Answer {
        status: Some(to),
        ..Answer::of(id, changed)
    };
    ctx.emit(&answer, String::new)
}
