//! `tkt schema [KIND]`: the JSON Schema of each kind of document tkt prints, generated from the types
//! that print them (`render::json`), so it cannot drift. Without KIND, the kinds and what each is.

use crate::context::Context;
use crate::exit;
use crate::render::json::{KINDS, schema};

pub fn run(ctx: &Context, kind: Option<String>) -> anyhow::Result<()> {
    let Some(kind) = kind else {
        return list(ctx);
    };
    let Some(schema) = schema(&kind) else {
        let known: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
        return Err(exit::usage(format!(
            "KIND: no kind {kind:?}; the kinds are {}",
            known.join(", ")
        )));
    };
    // A schema is a JSON document: in text too, unless YAML is asked for.
    let json = serde_json::to_string_pretty(&schema)? + "\n";
    ctx.emit(&schema, || json)
}

fn list(ctx: &Context) -> anyhow::Result<()> {
    let kinds: Vec<serde_json::Value> = KINDS
        .iter()
        .map(|(kind, what)| serde_json::json!({ "kind": kind, "for": what }))
        .collect();
    ctx.emit(&kinds, || {
        KINDS
            .iter()
            .map(|(kind, what)| format!("{kind:<20}{what}\n"))
            .collect()
    })
}
