//! Exclusive locks on lock files that are never renamed or deleted, so they keep excluding writers while
//! ticket files are replaced by rename. The kernel drops a lock when its process dies, so a killed run
//! never blocks the next one. A lock file is opened without following a link, so a link planted in
//! `.tkt/locks/` never makes tkt create or open a file elsewhere.

use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::exit;

/// How long a writer waits for a lock before giving up (`TKT_LOCK_TIMEOUT` seconds, default 10, at most
/// a day: a wait without end is a hang, and a huge value must not overflow the clock).
fn timeout() -> Duration {
    std::env::var("TKT_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .map_or(Duration::from_secs(10), |d| {
            d.min(Duration::from_secs(86_400))
        })
}

/// Opens (creating if needed) the lock file, never through a link; a link or anything but a regular
/// file there is refused (exit 5). Its directory must exist (see `local::locks_dir`).
fn open(path: &Path) -> anyhow::Result<File> {
    let opened = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(super::local::NO_FOLLOW)
        .open(path);
    let file = match opened {
        Ok(file) => file,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(refused(path, "a symbolic link"));
        }
        // A FIFO with no reader (O_NONBLOCK makes that an error instead of a wait), or a directory.
        Err(e) if matches!(e.raw_os_error(), Some(libc::ENXIO | libc::EISDIR)) => {
            return Err(refused(path, "not a regular file"));
        }
        Err(e) => {
            return Err(e).with_context(|| format!("cannot open lock file {}", path.display()));
        }
    };
    let meta = file
        .metadata()
        .with_context(|| format!("cannot open lock file {}", path.display()))?;
    if !meta.is_file() {
        return Err(refused(path, "not a regular file"));
    }
    Ok(file)
}

fn refused(path: &Path, what: &str) -> anyhow::Error {
    exit::invalid(format!(
        "{}: is {what}; tkt opens only its own lock files: remove it",
        path.display()
    ))
}

/// Takes the lock; it is released when the returned file is dropped.
pub fn acquire(path: &Path) -> anyhow::Result<File> {
    let file = open(path)?;
    let deadline = Instant::now() + timeout();
    let mut pause = Duration::from_millis(1);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(exit::other(format!(
                    "{}: still locked by another tkt after {:.0?}; try again",
                    path.display(),
                    timeout()
                )));
            }
            Err(TryLockError::Error(e)) => {
                return Err(
                    anyhow::Error::new(e).context(format!("cannot lock {}", path.display()))
                );
            }
        }
    }
}

/// Takes the lock only if it is free right now; for work that may simply be skipped.
pub fn try_acquire(path: &Path) -> Option<File> {
    let file = open(path).ok()?;
    file.try_lock().ok()?;
    Some(file)
}
