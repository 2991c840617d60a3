//! The summaries `tkt list` needs, one per ticket.

use crate::model::summary::Summary;
use crate::store::{Store, load_file};

/// Every readable ticket's summary, in id order, and one message per file that could not be read.
pub fn summaries(store: &Store) -> anyhow::Result<(Vec<Summary>, Vec<String>)> {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for id in store.ticket_ids()? {
        match load_file(&store.ticket_path(id), id) {
            Ok(ticket) => found.push(Summary::of(&ticket)),
            Err(err) => skipped.push(format!("{err:#}")),
        }
    }
    Ok((found, skipped))
}
