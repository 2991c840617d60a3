//! What one run of tkt wrote: each file of the store it replaced or created, what the write did to it
//! and who acted. Auto-commit (`--commit`, `auto_commit`) commits exactly these files, after the command,
//! with a message worded from these changes. Machine-local files under `.tkt/` are never in it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use crate::model::Who;
use crate::model::commit_message::Change;

/// One file a write replaced or created.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The store's directory.
    pub root: PathBuf,
    /// The file's name in the store (`42.yaml`, `people.yaml`).
    pub file: String,
    pub change: Change,
    /// Whether the store's settings ask for every write to be committed (`auto_commit`).
    pub auto_commit: bool,
}

#[derive(Debug, Default)]
struct Record {
    written: Vec<Written>,
    actor: Option<Who>,
}

/// The run's record of its writes, shared by the context and every store it opens (cloning shares it).
#[derive(Debug, Clone, Default)]
pub struct Journal(Arc<Mutex<Record>>);

impl Journal {
    fn with<R>(&self, f: impl FnOnce(&mut Record) -> R) -> R {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn wrote(&self, written: Written) {
        self.with(|r| r.written.push(written));
    }

    /// Forgets a file recorded as written (it was taken back: nothing of it is left to commit).
    pub fn forget(&self, file: &str) {
        self.with(|r| r.written.retain(|w| w.file != file));
    }

    /// Remembers who is acting in this run.
    pub fn acted_by(&self, who: &Who) {
        self.with(|r| r.actor = Some(who.clone()));
    }

    /// Everything written so far, and who acted, leaving the journal empty.
    pub fn take(&self) -> (Vec<Written>, Option<Who>) {
        self.with(|r| (std::mem::take(&mut r.written), r.actor.take()))
    }
}
