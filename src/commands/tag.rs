//! `tkt tag ID (--add TAG | --remove TAG)...`.

use crate::render::json::Answer;

use crate::commands::change;
use crate::context::Context;
use crate::exit;
use crate::model::event::{Event, Member};
use crate::model::permission::Action;
use crate::model::text::check_tag;

/// A tag is one visible word (`model::text::check_tag`).
pub fn validate(tag: &str) -> anyhow::Result<()> {
    check_tag(tag).map_err(|why| exit::invalid(format!("TAG: {tag:?} is not a tag: {why}")))
}

pub fn run(ctx: &Context, id: u64, add: Vec<String>, remove: Vec<String>) -> anyhow::Result<()> {
    for t in add.iter().chain(&remove) {
        validate(t)?;
    }
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let tags = change(
        &store,
        ctx,
        &actor,
        id,
        Action::Manage("change tags"),
        |t, w| {
            for tag in &remove {
                let Some(at) = t.tags.iter().position(|x| x == tag) else {
                    return Err(exit::not_found(format!("TAG: #{id} has no tag {tag:?}")));
                };
                t.tags.remove(at);
                t.record(Event::removed(w.at, actor.id(), Member::Tag, tag));
            }
            for tag in &add {
                if !t.tags.contains(tag) {
                    t.tags.push(tag.clone());
                    t.record(Event::added(w.at, actor.id(), Member::Tag, tag));
                }
            }
            Ok(t.tags.clone())
        },
    )?;
    ctx.note(&format!("#{id} tags: {}", tags.join(", ")));
    let answer = Answer {
        tags: Some(tags),
        ..Answer::of(id, true)
    };
    ctx.answer(&answer, String::new)
}
