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
