//! tkt: a help desk on the command line. Every ticket is a YAML file; every view is computed for one
//! participant.

pub mod cli;
pub mod commands;
pub mod context;
pub mod exit;
pub mod git;
pub mod mail;
pub mod model;
pub mod pager;
pub mod render;
pub mod store;
pub mod yaml;
