//! The summaries `tkt list` needs, one per ticket, kept in a machine-local cache so that listing a big
//! store does not parse every ticket every time.
//!
//! The cache (`.tkt/list-cache`, ignored by git) must never be wrong, whoever changed the files and
//! however: tkt, an editor, `git checkout`, a crash. So:
//!
//! - An entry is keyed by what the file system says of the file: size, inode, and mtime and ctime with
//!   nanoseconds. Any write, rename over, or `touch` changes at least one of them (ctime cannot be set by
//!   hand), so an entry is used only while all of them are unchanged; any other file is parsed again.
//! - Time stamps are coarse (a clock tick, often milliseconds), so a file changed twice within one tick
//!   can keep its key. As in git's "racy clean" rule, an entry is stored only if the file's mtime and
//!   ctime are strictly older than a stamp taken on the file system's own clock (a fresh temporary file)
//!   before any file is read; a file changed later gets a newer time and so a new key. Entries that are
//!   not strictly older are left out and parsed again next time, and on reading, an entry not strictly
//!   older than the cache file's own mtime is not trusted either.
//! - The cache (serde's `postcard` format) is written to a temporary file and renamed into place, ends
//!   with a CRC-32, and starts with a format number and tkt's version: a torn, corrupt or foreign cache
//!   is ignored and rebuilt.
//! - Files that fail to parse are not cached: they are read again every time, so every run reports them.
//! - Only regular files are tickets: a link, directory or FIFO named `7.yaml` is skipped with a message.
//! - The cache is read and written only inside a real `.tkt` directory, opened without following a link
//!   and replaced by rename; a `.tkt` that is a link or a file means no cache at all, and a link in the
//!   cache's place is ignored and replaced by the next cache written.
//!
//! Parsing is what costs (YAML parsing is nearly all the time of an uncached `list`), so files to parse
//! are spread over all cores.

use std::fs::Metadata;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::summary::Summary;
use crate::store::{Store, id_of_file_name, local, regular_file, summary_of_file};

/// The cache file, inside the store's machine-local directory.
pub const CACHE_FILE: &str = "list-cache";
const MAGIC: [u8; 8] = *b"tktlist\n";
/// Bump when the layout or the meaning of a summary changes; other formats are ignored and rebuilt.
const FORMAT: u32 = 4;

/// What the file system says of a ticket file; a cached summary is used only while it is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FileKey {
    size: u64,
    ino: u64,
    mtime: (i64, u32),
    ctime: (i64, u32),
}

impl FileKey {
    fn of(meta: &Metadata) -> Option<FileKey> {
        use std::os::unix::fs::MetadataExt;
        Some(FileKey {
            size: meta.size(),
            ino: meta.ino(),
            mtime: (meta.mtime(), u32::try_from(meta.mtime_nsec()).ok()?),
            ctime: (meta.ctime(), u32::try_from(meta.ctime_nsec()).ok()?),
        })
    }

    /// Whether the file was last changed strictly before `stamp`, so any later change gives a new key.
    fn settled_before(&self, stamp: (i64, u32)) -> bool {
        self.mtime < stamp && self.ctime < stamp
    }
}

/// Where a ticket's summary comes from.
enum Source {
    /// A range of the old cache's bytes.
    Cached(Range<usize>),
    /// Freshly encoded from the file.
    Fresh(Vec<u8>),
    /// Still to be parsed; or, after parsing, the file could not be read.
    Missing,
}

/// One ticket file: its id, its key as seen before it was read, and its summary.
struct Entry {
    id: u64,
    key: Option<FileKey>,
    source: Source,
}

/// The store's tickets as `list` sees them: summaries in id order and the files that were skipped.
/// Summaries are decoded one at a time, so a big store never holds them all at once.
pub struct Listing {
    old: Vec<u8>,
    entries: Vec<Entry>,
    skipped: Vec<String>,
    root: PathBuf,
}

impl Listing {
    /// One message per ticket file that could not be read, naming the file.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Every readable ticket's summary, in id order.
    pub fn summaries(&self) -> impl Iterator<Item = Summary> + '_ {
        self.entries.iter().filter_map(|e| {
            let bytes = match &e.source {
                Source::Cached(range) => &self.old[range.clone()],
                Source::Fresh(bytes) => bytes.as_slice(),
                Source::Missing => return None,
            };
            // The checksum makes a bad entry all but impossible; if one slips through, the file decides.
            decode_summary(e.id, bytes).or_else(|| {
                let path = self.root.join(format!("{}.yaml", e.id));
                summary_of(&path, e.id).ok()
            })
        })
    }
}

/// Lists the store, from the cache where it can and by parsing where it must, and brings the cache up
/// to date if anything was parsed. A cache that cannot be written only costs speed.
pub fn listing(store: &Store) -> anyhow::Result<Listing> {
    // A hostile `.tkt` (a link, a file) means no cache: never read or written elsewhere.
    let local = local::local_dir(&store.root).ok();
    let cache_path = local.as_ref().map(|dir| dir.join(CACHE_FILE));
    let old = cache_path
        .as_deref()
        .and_then(read_cache)
        .unwrap_or_default();
    let files = ticket_files(&store.root)?;

    // Walk the files and the old entries together; both are in id order.
    let mut entries = Vec::with_capacity(files.len());
    let mut to_parse = Vec::new();
    let mut reused = 0;
    let mut cached = old.entries.iter().peekable();
    for (id, key) in files {
        while cached.next_if(|e| e.id < id).is_some() {}
        let hit = cached
            .next_if(|e| e.id == id)
            .filter(|e| Some(e.key) == key && e.key.settled_before(old.written));
        let source = match hit {
            Some(e) => {
                reused += 1;
                Source::Cached(e.range.clone())
            }
            None => {
                to_parse.push(entries.len());
                Source::Missing
            }
        };
        entries.push(Entry { id, key, source });
    }
    // Entries of deleted or changed files, or an unreadable cache, mean the cache must be written.
    let mut changed = reused != old.entries.len() || !old.valid;
    if to_parse.is_empty() && !changed {
        return Ok(Listing {
            old: old.bytes,
            entries,
            skipped: Vec::new(),
            root: store.root.clone(),
        });
    }

    // The stamp comes before any file is read: a file changed after we read it gets a newer time.
    let pending = local.as_deref().and_then(PendingCache::create);
    let ids: Vec<u64> = to_parse.iter().map(|&i| entries[i].id).collect();
    let mut skipped = Vec::new();
    for (&i, result) in to_parse.iter().zip(parse_all(&store.root, &ids)) {
        match result {
            Ok(bytes) => {
                entries[i].source = Source::Fresh(bytes);
                changed = true;
            }
            Err(message) => skipped.push(message),
        }
    }
    if changed
        && let Some(pending) = pending
        && let Some(cache_path) = &cache_path
    {
        // Losing the cache only costs speed next time.
        let _ = pending.finish(cache_path, &old.bytes, &entries);
    }
    Ok(Listing {
        old: old.bytes,
        entries,
        skipped,
        root: store.root.clone(),
    })
}

/// The ticket files of the store, in id order, with their keys (None where the file system gives no
/// safe key, and for anything but a regular file: those are never cached, and reported every time).
fn ticket_files(root: &Path) -> anyhow::Result<Vec<(u64, Option<FileKey>)>> {
    use anyhow::Context;
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(root).with_context(|| format!("cannot read {}", root.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", root.display()))?;
        let Some(id) = entry.file_name().to_str().and_then(id_of_file_name) else {
            continue;
        };
        // Not followed: `DirEntry::metadata` describes a link itself.
        let meta = entry.metadata().ok().filter(Metadata::is_file);
        files.push((id, meta.as_ref().and_then(FileKey::of)));
    }
    files.sort_unstable_by_key(|f| f.0);
    Ok(files)
}

/// An encoded summary, or why the file was skipped.
type Parsed = Result<Vec<u8>, String>;

/// Parses the given tickets on all cores; the results are in the order of `ids`.
fn parse_all(root: &Path, ids: &[u64]) -> Vec<Parsed> {
    super::parallel::map(ids, |&id| {
        let path = root.join(format!("{id}.yaml"));
        summary_of(&path, id)
            .map(|summary| encode_summary(&summary))
            .map_err(|e| format!("{e:#}"))
    })
}

/// Reads a ticket file's summary after checking, before opening it, that it is a regular file (a FIFO
/// would block).
fn summary_of(path: &Path, id: u64) -> anyhow::Result<Summary> {
    if !regular_file(path, "ticket file")? {
        return Err(crate::exit::not_found(format!(
            "{}: no longer there",
            path.display()
        )));
    }
    summary_of_file(path, id)
}

/// The cache file: the `postcard` encoding of this, then the CRC-32 of those bytes (little-endian).
#[derive(Serialize, Deserialize)]
struct CacheFile<'a> {
    magic: [u8; 8],
    format: u32,
    version: &'a str,
    #[serde(borrow)]
    entries: Vec<CachedEntry<'a>>,
}

/// One cached ticket: its summary is a `postcard` byte string of its own, decoded only when listed.
#[derive(Serialize, Deserialize)]
struct CachedEntry<'a> {
    id: u64,
    key: FileKey,
    #[serde(borrow, serialize_with = "as_bytes")]
    summary: &'a [u8],
}

/// Serde writes a `&[u8]` as a sequence of numbers; as bytes, postcard copies it in one go.
fn as_bytes<S: serde::Serializer>(bytes: &&[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(bytes)
}

/// The old cache as read: its bytes, its entries, and the time it was written.
#[derive(Default)]
struct OldCache {
    bytes: Vec<u8>,
    entries: Vec<OldEntry>,
    /// The cache file's mtime: entries not strictly older than this are not trusted.
    written: (i64, u32),
    valid: bool,
}

/// A cached entry, with where its summary lies in the old cache's bytes.
struct OldEntry {
    id: u64,
    key: FileKey,
    range: Range<usize>,
}

/// The cache file as written before, or None if it is missing, torn, corrupt or of another format.
fn read_cache(path: &Path) -> Option<OldCache> {
    use std::io::Read;
    let mut file = local::open(path)?;
    let meta = file.metadata().ok()?;
    let written = FileKey::of(&meta)?.mtime;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()? + 1);
    file.read_to_end(&mut bytes).ok()?;
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(4)?)?;
    if u32::from_le_bytes(sum.try_into().ok()?) != crc32fast::hash(body) {
        return None;
    }
    let (cache, rest) = postcard::take_from_bytes::<CacheFile>(body).ok()?;
    let ordered = cache.entries.windows(2).all(|w| w[0].id < w[1].id);
    if cache.magic != MAGIC
        || cache.format != FORMAT
        || cache.version != env!("CARGO_PKG_VERSION")
        || !rest.is_empty()
        || !ordered
    {
        return None;
    }
    let base = bytes.as_ptr().addr();
    let entries = cache
        .entries
        .iter()
        .map(|e| {
            let start = e.summary.as_ptr().addr() - base;
            OldEntry {
                id: e.id,
                key: e.key,
                range: start..start + e.summary.len(),
            }
        })
        .collect();
    Some(OldCache {
        bytes,
        entries,
        written,
        valid: true,
    })
}

/// A new cache being written: a temporary file whose creation time is the stamp.
struct PendingCache {
    file: tempfile::NamedTempFile,
    stamp: (i64, u32),
}

impl PendingCache {
    fn create(local: &Path) -> Option<PendingCache> {
        let file = tempfile::Builder::new()
            .prefix(".tmp-list-cache-")
            .tempfile_in(local)
            .ok()?;
        let stamp = FileKey::of(&file.as_file().metadata().ok()?)?.mtime;
        Some(PendingCache { file, stamp })
    }

    /// Writes the entries whose files were settled before the stamp, then renames over the cache.
    fn finish(mut self, path: &Path, old: &[u8], entries: &[Entry]) -> std::io::Result<()> {
        use std::io::Write;
        let entries = entries
            .iter()
            .filter_map(|entry| {
                let key = entry.key.filter(|k| k.settled_before(self.stamp))?;
                let summary = match &entry.source {
                    Source::Cached(range) => &old[range.clone()],
                    Source::Fresh(bytes) if !bytes.is_empty() => bytes.as_slice(),
                    Source::Fresh(_) | Source::Missing => return None,
                };
                Some(CachedEntry {
                    id: entry.id,
                    key,
                    summary,
                })
            })
            .collect();
        let cache = CacheFile {
            magic: MAGIC,
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION"),
            entries,
        };
        let mut out = postcard::to_allocvec(&cache).map_err(std::io::Error::other)?;
        out.extend_from_slice(&crc32fast::hash(&out).to_le_bytes());
        // No fsync: a cache torn by a crash fails its checksum and is rebuilt.
        self.file.write_all(&out)?;
        self.file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// A summary as cached; empty (never cached: the file is read again) if it cannot be encoded.
fn encode_summary(s: &Summary) -> Vec<u8> {
    postcard::to_allocvec(s).unwrap_or_default()
}

/// A cached summary, or None unless the bytes are exactly one summary of ticket `id`.
fn decode_summary(id: u64, bytes: &[u8]) -> Option<Summary> {
    let (summary, rest) = postcard::take_from_bytes::<Summary>(bytes).ok()?;
    (rest.is_empty() && summary.id == id).then_some(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Priority, Status};
    use chrono::TimeZone;

    fn summary() -> Summary {
        let t = chrono::Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        Summary {
            id: 7,
            subject: "PDF export fails ✓".into(),
            status: Status::OnHold,
            priority: Priority::Urgent,
            requester: "ana@customer.example".into(),
            assignee: Some("jonas".into()),
            group: Some("Tier 2".into()),
            tags: vec!["pdf".into(), "macos".into()],
            cc: vec!["bob@agency.example".into()],
            followers: vec!["mette".into()],
            created: t - chrono::Duration::days(1),
            updated: t + chrono::Duration::nanoseconds(5),
            last_public: t,
            open_sides: vec![vec!["jonas".into(), "anders".into()], vec![]],
            sides: vec![
                crate::model::summary::SideSummary {
                    participants: vec!["jonas".into(), "anders".into()],
                    open: true,
                    last_activity: t + chrono::Duration::minutes(3),
                },
                crate::model::summary::SideSummary {
                    participants: vec!["mette".into()],
                    open: false,
                    last_activity: t,
                },
            ],
            comments: crate::model::summary::CommentCounts {
                internal_notes: 2,
                public_replies: 1,
                customer_messages: 3,
            },
        }
    }

    #[test]
    fn a_summary_survives_the_cache_unchanged() {
        let s = summary();
        assert_eq!(decode_summary(7, &encode_summary(&s)), Some(s));
    }

    #[test]
    fn a_truncated_or_padded_entry_is_refused() {
        let bytes = encode_summary(&summary());
        for cut in 0..bytes.len() {
            assert_eq!(decode_summary(7, &bytes[..cut]), None, "cut at {cut}");
        }
        let mut padded = bytes.clone();
        padded.push(0);
        assert_eq!(decode_summary(7, &padded), None);
    }

    #[test]
    fn a_truncated_or_padded_cache_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let key = FileKey {
            size: 1,
            ino: 1,
            mtime: (100, 5),
            ctime: (100, 5),
        };
        let entries = [Entry {
            id: 7,
            key: Some(key),
            source: Source::Fresh(encode_summary(&summary())),
        }];
        let pending = PendingCache::create(dir.path()).unwrap();
        pending.finish(&path, &[], &entries).unwrap();
        let old = read_cache(&path).unwrap();
        let [entry] = &old.entries[..] else {
            panic!("one entry");
        };
        assert_eq!((entry.id, entry.key), (7, key));
        let cached = decode_summary(7, &old.bytes[entry.range.clone()]);
        assert_eq!(cached, Some(summary()));
        assert_eq!(decode_summary(8, &old.bytes[entry.range.clone()]), None);

        let bytes = old.bytes;
        for cut in 0..bytes.len() {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            assert!(read_cache(&path).is_none(), "cut at {cut}");
        }
        // Padded, even with a checksum that matches: the entries must end where the file does.
        let mut body = bytes[..bytes.len() - 4].to_vec();
        body.push(0);
        let sum = crc32fast::hash(&body);
        body.extend_from_slice(&sum.to_le_bytes());
        std::fs::write(&path, &body).unwrap();
        assert!(read_cache(&path).is_none());
        std::fs::write(&path, &bytes).unwrap();
        assert!(read_cache(&path).is_some());
    }

    #[test]
    fn a_file_changed_in_the_stamps_tick_is_not_settled() {
        let key = FileKey {
            size: 1,
            ino: 1,
            mtime: (100, 5),
            ctime: (100, 5),
        };
        assert!(key.settled_before((100, 6)));
        assert!(!key.settled_before((100, 5)));
        let touched = FileKey {
            ctime: (200, 0),
            ..key
        };
        assert!(!touched.settled_before((150, 0)));
    }
}
