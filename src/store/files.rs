//! Whole-file writes that a crash cannot leave half done: a temporary file in the same directory,
//! fsync, rename over the target, fsync the directory.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

fn temp_in(dir: &Path, contents: &[u8]) -> anyhow::Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(".yaml")
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
    let tmp = temp_in(dir, contents)?;
    tmp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    sync_dir(dir)
}

/// Creates `path` (in `dir`) with `contents` atomically, failing if it already exists.
pub fn write_new(dir: &Path, path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let tmp = temp_in(dir, contents)?;
    tmp.persist_noclobber(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    sync_dir(dir)
}
