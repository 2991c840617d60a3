//! Integration tests: the real `tkt` binary on temporary stores, the way scripts and people run it.

mod desk;

mod foundation;
mod readme;
mod visibility;
mod trust_concurrency;
mod permissions;
mod example_store;
mod domain;
mod trust_files;
mod leaks;
mod cache;
mod trust_args;
mod trust_terminal;
mod trust_fuzz;
