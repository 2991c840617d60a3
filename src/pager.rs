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
    // Written to memory first: a pager that cannot run must not take the output with it.
    let mut text = Vec::new();
    write(&mut text)?;
    let Some(mut child) = start(command) else {
        return to_stdout(&text);
    };
    let result = match child.stdin.take() {
        Some(mut stdin) => stdin.write_all(&text),
        // `stdin` is dropped here, closing the pipe, so the pager sees the end of the text.
        None => Ok(()),
    };
    // The shell's "cannot run" and "not found" (126, 127): say so, and show the text after all.
    if let Ok(status) = child.wait()
        && matches!(status.code(), Some(126 | 127))
    {
        crate::context::say(&format!(
            "warning: the pager {command:?} could not run (PAGER); printing without it"
        ));
        return to_stdout(&text);
    }
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn to_stdout(text: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text)?;
    out.flush()
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
