//! `tkt completions SHELL`: a completion script generated from the same clap definitions as --help.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::context::Context;

pub fn run(ctx: &Context, shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tkt", &mut script);
    ctx.out(&String::from_utf8_lossy(&script))
}
