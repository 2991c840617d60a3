//! The store's `mail/` directory: every message `tkt mail receive` took, whole, as it arrived, under a
//! name made from its key (`model::mail::kept_name`), so a bad cut of the new text can be undone, its
//! attachments are never lost, and a redelivered message is known by one lookup.

use std::path::PathBuf;

use crate::exit;
use crate::model::commit_message::Change;
use crate::model::mail::kept_name;
use crate::store::{Store, journal, read_limited, real_dir, regular_file, write_new};

/// The directory of kept messages in a store.
pub const MAIL_DIR: &str = "mail";

/// Where a message's key stands in `mail/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// A message with this key is kept under this name: it was received before.
    Already(String),
    /// Nothing with this key is kept; this name is free for it.
    Free(String),
}

impl Store {
    pub fn mail_dir(&self) -> PathBuf {
        self.root.join(MAIL_DIR)
    }

    /// Whether a message with `key` is kept, and the name it has or would get. `key_of` gives the key of
    /// a kept file's bytes: a name two keys hash to is told apart by reading the file (rare).
    pub fn kept(
        &self,
        key: &str,
        key_of: impl Fn(&[u8]) -> Option<String>,
    ) -> anyhow::Result<Kept> {
        if !self.has_mail_dir()? {
            return Ok(Kept::Free(kept_name(key, 0)));
        }
        for attempt in 0.. {
            let name = kept_name(key, attempt);
            let path = self.mail_dir().join(&name);
            if !regular_file(&path, "kept message")? {
                return Ok(Kept::Free(name));
            }
            let bytes = read_limited(&path, crate::mail::MAX_MESSAGE)?;
            if key_of(&bytes).as_deref() == Some(key) {
                return Ok(Kept::Already(name));
            }
        }
        unreachable!("the attempts are unbounded")
    }

    /// Keeps `bytes` as `mail/NAME`, failing if that file exists (another delivery of the same message
    /// got there first). Returns the path relative to the store, as events name it.
    pub fn keep_mail(&self, name: &str, bytes: &[u8]) -> anyhow::Result<String> {
        let dir = self.mail_dir();
        if !self.has_mail_dir()? {
            match std::fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    self.has_mail_dir()?;
                }
                Err(e) => {
                    return Err(exit::other(format!("cannot create {}: {e}", dir.display())));
                }
            }
        }
        write_new(&dir, &dir.join(name), bytes)?;
        let file = format!("{MAIL_DIR}/{name}");
        self.journal.wrote(journal::Written {
            root: self.root.clone(),
            file: file.clone(),
            change: Change::Kept,
            auto_commit: self.settings.auto_commit,
        });
        Ok(file)
    }

    /// Takes back a message kept by a change that then failed (so a later delivery is not taken for a
    /// redelivery of something the store never recorded).
    pub fn unkeep_mail(&self, name: &str) {
        let _ = std::fs::remove_file(self.mail_dir().join(name));
        self.journal.forget(&format!("{MAIL_DIR}/{name}"));
    }

    /// Whether `mail/` is there. It must be a real directory: nothing is written or read through a link
    /// inside the store (a git commit controls every file, links too; exit 5 otherwise).
    fn has_mail_dir(&self) -> anyhow::Result<bool> {
        real_dir(&self.mail_dir(), "directory of kept mail")
    }
}
