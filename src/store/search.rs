//! Which ticket files may mention a text, found by a byte search of the files as written, so that
//! `list --search` parses only those (as ripgrep does, a fast search first and the real work after).
//!
//! The byte search must never miss a ticket whose parsed text holds the needle. YAML may write a
//! string differently from its text: folded over lines at spaces, with `'` doubled in single quotes, and
//! with `"`, `\` and unsafe characters escaped in double quotes. So the search looks for the longest
//! piece of the needle that holds none of those characters, and any file with a backslash (which may be
//! an escape hiding anything) is always a candidate. Case is ignored for A to Z only, as in
//! `model::query::Needle`.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use aho_corasick::AhoCorasick;

use crate::model::text::is_unsafe;
use crate::store::local;

/// A byte search for what a needle must look like in a ticket file.
pub struct Prefilter {
    /// None when no piece of the needle is sure to appear as typed: every file is a candidate.
    piece: Option<AhoCorasick>,
}

impl Prefilter {
    pub fn new(needle: &str) -> Prefilter {
        let piece = needle
            .split(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | '\\') || is_unsafe(c))
            .max_by_key(|piece| piece.len())
            .filter(|piece| !piece.is_empty());
        let piece = piece.and_then(|p| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build([p])
                .ok()
        });
        Prefilter { piece }
    }

    /// A prefilter that passes every file, so that parsing decides alone.
    pub fn every_file() -> Prefilter {
        Prefilter { piece: None }
    }

    /// Whether a ticket file's bytes may mention the needle.
    pub fn may_mention(&self, bytes: &[u8]) -> bool {
        match &self.piece {
            Some(piece) => piece.is_match(bytes) || memchr::memchr(b'\\', bytes).is_some(),
            None => true,
        }
    }
}

/// The ids among `ids` whose files may mention the needle and that `confirm` then accepts, in the
/// order given. Files are read, and candidates confirmed, on all cores. A file that cannot be read is
/// left to `confirm`, which reads it the careful way.
pub fn matching(
    root: &Path,
    ids: &[u64],
    prefilter: &Prefilter,
    confirm: impl Fn(u64) -> bool + Sync,
) -> Vec<u64> {
    let check = |id: u64, buffer: &mut Vec<u8>| -> bool {
        buffer.clear();
        let path = root.join(format!("{id}.yaml"));
        let candidate = match local::open(&path) {
            Some(mut file) => file.read_to_end(buffer).is_err() || prefilter.may_mention(buffer),
            None => true,
        };
        candidate && confirm(id)
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(ids.len().div_ceil(BATCH)).max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut buffer = Vec::with_capacity(64 * 1024);
        let mut mine = Vec::new();
        loop {
            let start = next.fetch_add(BATCH, Ordering::Relaxed);
            if start >= ids.len() {
                break mine;
            }
            for (i, &id) in ids.iter().enumerate().skip(start).take(BATCH) {
                if check(id, &mut buffer) {
                    mine.push(i);
                }
            }
        }
    };
    let found: Option<Vec<Vec<usize>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(work)).collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    // A worker can only panic on a bug; its share must not silently vanish from the results.
    let Some(found) = found else {
        return ids
            .iter()
            .copied()
            .filter(|&id| check(id, &mut Vec::new()))
            .collect();
    };
    let mut hits: Vec<usize> = found.into_iter().flatten().collect();
    hits.sort_unstable();
    hits.into_iter().map(|i| ids[i]).collect()
}

/// Files per batch taken from the shared counter: small enough to balance, big enough to be cheap.
const BATCH: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_piece_that_yaml_writes_as_typed_is_searched() {
        let p = Prefilter::new("can't  \"export\" PDF");
        assert!(p.may_mention(b"subject: Cannot EXPORT to pdf"));
        assert!(!p.may_mention(b"subject: Cannot print"));
        // A backslash may be an escape: such a file is always a candidate.
        assert!(p.may_mention(b"body: \"\\x65xport\""));
    }

    #[test]
    fn a_needle_of_separators_only_makes_every_file_a_candidate() {
        let p = Prefilter::new("' \"");
        assert!(p.may_mention(b"anything"));
    }
}
