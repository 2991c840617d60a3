//! Whole-file writes that a crash cannot leave half done: a temporary file in the same directory,
//! fsync, rename over the target, fsync the directory.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// The mode a written file gets: the mode of the file it replaces, else rw-r--r-- (ticket files are
/// shared, not secret; temporary files would otherwise be private to their writer).
fn mode_for(path: &Path) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map_or_else(
        |_| std::fs::Permissions::from_mode(0o644),
        |m| m.permissions(),
    )
}

fn temp_in(dir: &Path, target: &Path, contents: &[u8]) -> anyhow::Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(".yaml")
        .permissions(mode_for(target))
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    Ok(tmp)
}

fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync {}", dir.display()))
}

/// Replaces `path` (in `dir`) with `contents` atomically.
pub fn write_atomically(dir: &Path, path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let tmp = temp_in(dir, path, contents)?;
    tmp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    sync_dir(dir)
}

/// Creates `path` (in `dir`) with `contents` atomically, failing if it already exists.
pub fn write_new(dir: &Path, path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let tmp = temp_in(dir, path, contents)?;
    tmp.persist_noclobber(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    sync_dir(dir)
}

/// Whether a regular file is at `path` (false if nothing is), without following a symbolic link and
/// before anything opens it (opening a FIFO for reading blocks). A link, a directory or any other kind
/// of file there is invalid data (exit 5), whether it points into the store, out of it or nowhere:
/// tkt reads only regular files. `what` names the expected file in the message ("ticket file").
pub fn regular_file(path: &Path, what: &str) -> anyhow::Result<bool> {
    let kind = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.file_type(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let problem = if kind.is_file() {
        return Ok(true);
    } else if kind.is_symlink() {
        "is a symbolic link; tkt reads only regular files".to_string()
    } else if kind.is_dir() {
        format!("is a directory, not a {what}")
    } else {
        format!("is a {}, not a {what}", special_kind(kind))
    };
    Err(crate::exit::invalid(format!(
        "{}: {problem}",
        path.display()
    )))
}

fn special_kind(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "FIFO"
    } else if kind.is_socket() {
        "socket"
    } else {
        "device"
    }
}

/// Reads at most `limit` + 1 bytes of `reader`: enough to tell that something is larger than `limit`
/// without holding all of it.
pub fn read_limited_from(reader: impl std::io::Read, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    reader
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `read_limited_from` on a file of the store.
pub fn read_limited(path: &Path, limit: usize) -> anyhow::Result<Vec<u8>> {
    std::fs::File::open(path)
        .and_then(|f| read_limited_from(f, limit))
        .with_context(|| format!("cannot read {}", path.display()))
}

/// Whether the directory `path` is there (false if nothing is). It must be a real directory: nothing in a
/// store is read or written through a link (a git commit controls every file, links too): a link or any
/// other kind of file there is invalid data (exit 5). `what` names it in the message ("directory of
/// templates").
pub fn real_dir(path: &Path, what: &str) -> anyhow::Result<bool> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(true),
        Ok(meta) if meta.file_type().is_symlink() => Err(crate::exit::invalid(format!(
            "{}: is a symbolic link; tkt reads and writes only regular files and directories",
            path.display()
        ))),
        Ok(_) => Err(crate::exit::invalid(format!(
            "{}: is not a {what}",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}
