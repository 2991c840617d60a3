//! `tkt inbox --as WHO`: every notification WHO received, as the mail the desk would have sent them
//! (`--format mbox`, which a mail client opens), a list, or JSON. Only the tickets WHO may see are read,
//! and of each only what was sent to WHO.

use crate::cli::Format;
use crate::context::Context;
use crate::exit;
use crate::model::inbox::{self, Letter};

pub fn run(ctx: &Context) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let Some(who) = ctx.viewer(&store)? else {
        return Err(exit::usage("whose inbox? say --as WHO (or TKT_AS)"));
    };
    let support = store.settings.from_address();
    let listing = crate::store::cache::listing(&store)?;
    let mut letters: Vec<Letter> = Vec::new();
    // Only the tickets WHO is on now, from the list cache: a store's other tickets are never parsed.
    for summary in listing.summaries().filter(|s| s.involves(&who)) {
        let ticket = store.load(summary.id)?;
        letters.extend(inbox::letters(&ticket, &who, &store.people, &support));
    }
    // A ticket that cannot be read is named to staff, as `list` does; a customer hears nothing of it.
    if who.is_staff() {
        for skipped in listing.skipped() {
            ctx.warn(&format!("skipped {skipped}"));
        }
    }
    letters.sort_by_key(|a| (a.date, a.ticket));
    if ctx.format == Format::Mbox {
        let bytes = crate::mail::mbox(&letters)?;
        return ctx.out(&String::from_utf8_lossy(&bytes));
    }
    ctx.emit(&letters, || {
        letters
            .iter()
            .map(|l| {
                format!(
                    "{}  {}  from {}\n",
                    crate::render::day_and_clock(&l.date),
                    crate::render::sanitize::line(&l.subject),
                    crate::render::sanitize::line(l.from.name.as_deref().unwrap_or(&l.from.email))
                )
            })
            .collect()
    })
}
