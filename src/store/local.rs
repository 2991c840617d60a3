//! The store's machine-local directory `.tkt/` (locks, the list cache, the id hint), which a hostile
//! commit can fill with symbolic links: tkt never writes or reads through a link there.
//!
//! `.tkt` and `.tkt/locks` must be real directories: a link or a file in their place refuses every write
//! (exit 5) and makes reads skip the cache. Files inside are opened without following links and
//! replaced by rename, which replaces a link instead of writing to its target.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::LOCAL_DIR;
use crate::exit;

/// Opening flags for every file under `.tkt`: a link is an error (ELOOP), and a FIFO does not block.
pub const NO_FOLLOW: i32 = libc::O_NOFOLLOW | libc::O_NONBLOCK;

/// `.tkt`, created if missing; refused (exit 5) if a link or anything but a directory is there.
pub fn local_dir(root: &Path) -> anyhow::Result<PathBuf> {
    real_dir(root.join(LOCAL_DIR))
}

/// `.tkt/locks`, created if missing, with the same checks as `local_dir`.
pub fn locks_dir(root: &Path) -> anyhow::Result<PathBuf> {
    real_dir(local_dir(root)?.join("locks"))
}

fn real_dir(dir: PathBuf) -> anyhow::Result<PathBuf> {
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if meta.is_dir() => return Ok(dir),
        Ok(meta) => return Err(not_a_dir(&dir, meta.is_symlink())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    }
    match std::fs::create_dir(&dir) {
        Ok(()) => Ok(dir),
        // Another tkt created it first: check what is there now.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match dir.symlink_metadata() {
            Ok(meta) if meta.is_dir() => Ok(dir),
            Ok(meta) => Err(not_a_dir(&dir, meta.is_symlink())),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", dir.display())),
        },
        Err(e) => Err(e).with_context(|| format!("cannot create {}", dir.display())),
    }
}

fn not_a_dir(dir: &Path, link: bool) -> anyhow::Error {
    let what = if link {
        "is a symbolic link"
    } else {
        "is not a directory"
    };
    exit::invalid(format!(
        "{}: {what}; tkt keeps its machine-local files there and writes nothing through it: remove it",
        dir.display()
    ))
}

/// Opens a regular file under `.tkt` for reading; None for a link, a FIFO, anything else or nothing.
pub fn open(path: &Path) -> Option<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(NO_FOLLOW)
        .open(path)
        .ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

/// The text of a regular file under `.tkt`, or None (see `open`).
pub fn read(path: &Path) -> Option<String> {
    let mut text = String::new();
    open(path)?.read_to_string(&mut text).ok()?;
    Some(text)
}

/// Replaces a small file under `.tkt` by rename, without fsync: these files only save time, and a
/// link in their place is replaced, not followed.
pub fn replace(dir: &Path, path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
