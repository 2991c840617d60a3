//! Parse, run, print the error once, map it to the exit code: nothing else.

use clap::Parser;

fn main() {
    let cli = match tkt::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => std::process::exit(tkt::commands::report_usage(&err)),
    };
    if let Err(err) = tkt::commands::run(cli) {
        if tkt::context::is_broken_pipe(&err) {
            std::process::exit(0);
        }
        // One line (`say` sanitizes it: nothing from a hostile file or argument may drive the terminal).
        tkt::context::say(&format!("error: {err:#}"));
        std::process::exit(tkt::exit::code_of(&err));
    }
}
