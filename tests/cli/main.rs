//! Integration tests: the real `tkt` binary on temporary stores, the way scripts and people run it.

mod desk;

mod audience;
mod cache;
mod contract;
mod domain;
mod editing;
mod everyday;
mod everyday_bugs;
mod example_store;
mod exercises;
mod foundation;
mod git_commit;
mod git_merge;
mod hygiene;
mod inbox;
mod layout;
mod leak_guard;
mod leaks;
mod list_table;
mod permissions;
mod querying;
mod readme;
mod trust_answers;
mod trust_args;
mod trust_concurrency;
mod trust_customers;
mod trust_files;
mod trust_fuzz;
mod trust_links;
mod trust_parse;
mod trust_terminal;
mod visibility;
