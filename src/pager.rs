//! Long output on a terminal goes through a pager, as git does: `$PAGER`, else `less -FRX` (which quits
//! at once when everything fits on one screen). An adapter with no rules of its own.

use std::io::{self, Write};
use std::process::{Child, Command, Stdio};

/// The pager to run for output on a terminal, from the value of `PAGER`: None when it is empty or
/// `cat` (no pager), the default when it is unset and `less` is installed.
pub fn choose(pager: Option<&str>) -> Option<String> {
    match pager.map(str::trim) {
        Some("" | "cat") => None,
        Some(command) => Some(command.to_string()),
        None => on_path("less").then(|| "less -FRX".to_string()),
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Runs `write` with its output going through the pager `command` (by `sh -c`, as git does). If the
/// pager cannot be started, the output goes straight to stdout. Quitting the pager early is not an
/// error.
pub fn page(command: &str, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let Some(mut child) = start(command) else {
        let mut out = io::BufWriter::new(io::stdout().lock());
        write(&mut out)?;
        return out.flush();
    };
    let result = match child.stdin.take() {
        Some(stdin) => {
            let mut out = io::BufWriter::new(stdin);
            write(&mut out).and_then(|()| out.flush())
            // `out` is dropped here, closing the pipe, so the pager sees the end of the text.
        }
        None => Ok(()),
    };
    let _ = child.wait();
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn start(command: &str) -> Option<Child> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command).stdin(Stdio::piped());
    // As git does: less quits on one screen, keeps colours and leaves the text on the screen.
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    if std::env::var_os("LV").is_none() {
        cmd.env("LV", "-c");
    }
    cmd.spawn().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_pager_or_cat_means_none() {
        assert_eq!(choose(Some("")), None);
        assert_eq!(choose(Some(" cat ")), None);
        assert_eq!(choose(Some("most -s")), Some("most -s".to_string()));
    }
}
