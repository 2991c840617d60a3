//! Everyday use: finding the store, the editor, and usage errors that say what was meant.

use std::process::Output;

use assert_cmd::Command;

use crate::desk::{Desk, NOW};

/// `tkt` with a scrubbed environment and no `-C`, run in `dir`.
fn tkt_in(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("tkt").expect("tkt binary");
    for var in [
        "TKT_STORE",
        "TKT_AS",
        "NO_COLOR",
        "EDITOR",
        "VISUAL",
        "PAGER",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("TKT_NOW", NOW).current_dir(dir);
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn an_empty_tkt_store_counts_as_unset() {
    let desk = Desk::new();
    desk.ticket();
    let out = tkt_in(desk.root())
        .env("TKT_STORE", "")
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("PDF export fails"));
}

#[test]
fn an_empty_visual_counts_as_unset_and_editor_opens() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let editor = desk.path("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\necho 'Written in the editor.' > \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let tkt = assert_cmd::cargo::cargo_bin("tkt");
    let line = format!(
        "{} -C {} --as jonas comment {id}",
        tkt.display(),
        desk.root().display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("VISUAL", "")
        .env("EDITOR", &editor)
        .env("TKT_NOW", NOW)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script(1) runs tkt in a pseudo-terminal");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        desk.file(1).contains("Written in the editor."),
        "{}",
        desk.file(1)
    );
}

#[test]
fn store_option_finds_a_store_nested_as_tickets() {
    let desk = Desk::new();
    desk.ticket();
    let parent = desk.root().parent().unwrap();
    let project = tempfile::tempdir_in(parent).unwrap();
    let nested = project.path().join("tickets");
    std::fs::rename(desk.root(), &nested).unwrap();
    let out = tkt_in(parent)
        .arg("-C")
        .arg(project.path())
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    std::fs::rename(&nested, desk.root()).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("PDF export fails"));
}

#[test]
fn store_option_inside_a_store_names_that_store_instead_of_advising_init() {
    let desk = Desk::new();
    std::fs::create_dir(desk.path("notes")).unwrap();
    let out = tkt_in(desk.root())
        .args(["-C", "notes", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("inside the store"), "{err}");
    assert!(!err.contains("tkt init"), "{err}");
}

#[test]
fn store_option_on_an_empty_directory_advises_init() {
    let dir = tempfile::tempdir().unwrap();
    let out = tkt_in(dir.path())
        .args(["-C", "nowhere", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("run `tkt init nowhere`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_mistyped_subcommand_keeps_the_suggestion_and_points_at_help() {
    let desk = Desk::new();
    let err = desk.fails(&["lsit"], 2);
    assert!(err.contains("'list'"), "{err}");
    assert!(err.contains("(see tkt --help)"), "{err}");
}

#[test]
fn a_mistyped_flag_keeps_the_suggestion_and_points_at_the_subcommands_help() {
    let desk = Desk::new();
    let err = desk.fails(&["list", "--stauts", "open"], 2);
    assert!(err.contains("'--status'"), "{err}");
    assert!(err.contains("(see tkt list --help)"), "{err}");
    let err = desk.fails(&["cc", "add", "1", "x@y.example", "--nmae", "X"], 2);
    assert!(err.contains("'--name'"), "{err}");
    assert!(err.contains("(see tkt cc add --help)"), "{err}");
}
