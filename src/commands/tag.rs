//! `tkt tag ID (--add TAG | --remove TAG)...`.

use serde_json::json;

use crate::commands::change;
use crate::context::Context;
use crate::exit;
use crate::model::permission::Action;

/// A tag is one word: no spaces or control characters.
pub fn validate(tag: &str) -> anyhow::Result<()> {
    if tag.is_empty() || tag.len() > 80 || tag.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(exit::invalid(format!(
            "TAG: {tag:?} is not a tag (one word, no spaces)"
        )));
    }
    Ok(())
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
        |t, _| {
            for tag in &remove {
                let Some(at) = t.tags.iter().position(|x| x == tag) else {
                    return Err(exit::not_found(format!("TAG: #{id} has no tag {tag:?}")));
                };
                t.tags.remove(at);
                t.record(ctx.now, actor.id(), "tag.remove", Some(tag.clone()));
            }
            for tag in &add {
                if !t.tags.contains(tag) {
                    t.tags.push(tag.clone());
                    t.record(ctx.now, actor.id(), "tag.add", Some(tag.clone()));
                }
            }
            Ok(t.tags.clone())
        },
    )?;
    ctx.note(&format!("#{id} tags: {}", tags.join(", ")));
    ctx.emit(&json!({ "ticket": id, "tags": tags }), String::new)
}
