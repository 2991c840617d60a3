//! Integration tests: the real `tkt` binary on temporary stores, the way scripts and people run it.

mod desk;

mod foundation;
mod readme;
mod trust_concurrency;
