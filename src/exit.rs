//! The exit codes of SPEC §5 and the one typed error that carries them to `main`.

use std::fmt;

/// What kind of failure ended the run; each maps to one exit code scripts can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Other = 1,
    Usage = 2,
    NotFound = 3,
    NotAllowed = 4,
    Invalid = 5,
}

/// An error whose exit code matters; anything else that reaches `main` exits 1.
#[derive(Debug)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

fn failure(kind: Kind, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Failure {
        kind,
        message: message.into(),
    })
}

pub fn usage(message: impl Into<String>) -> anyhow::Error {
    failure(Kind::Usage, message)
}

pub fn not_found(message: impl Into<String>) -> anyhow::Error {
    failure(Kind::NotFound, message)
}

pub fn not_allowed(message: impl Into<String>) -> anyhow::Error {
    failure(Kind::NotAllowed, message)
}

pub fn invalid(message: impl Into<String>) -> anyhow::Error {
    failure(Kind::Invalid, message)
}

pub fn other(message: impl Into<String>) -> anyhow::Error {
    failure(Kind::Other, message)
}

/// The exit code for an error: the first `Failure` in its chain decides, else 1.
pub fn code_of(err: &anyhow::Error) -> i32 {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Failure>())
        .map_or(Kind::Other as i32, |f| f.kind as i32)
}
