//! A list that reads well: a table that fits the terminal, tab-separated values when piped, a pager on
//! a terminal only, completions and a manual page.

use std::process::{Command, Stdio};

use unicode_width::UnicodeWidthStr;

use crate::desk::{ANA, Desk, NOW};

/// Runs `tkt -C <store> ARGS` in a pseudo-terminal `cols` columns wide (through script(1)) with extra
/// environment; returns what the terminal showed, without carriage returns.
fn in_terminal(desk: &Desk, cols: usize, args: &str, env: &[(&str, &str)]) -> String {
    let tkt = assert_cmd::cargo::cargo_bin("tkt");
    let line = format!(
        "stty cols {cols} rows 50; {} -C {} {args}",
        tkt.display(),
        desk.root().display()
    );
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .stdin(Stdio::null())
        .env("TKT_NOW", NOW)
        .env_remove("TKT_AS")
        .env_remove("PAGER")
        .env_remove("NO_COLOR");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd
        .output()
        .expect("script(1) runs tkt in a pseudo-terminal");
    assert!(
        out.status.success(),
        "{args}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).replace('\r', "")
}

/// A desk with tickets whose subjects and requester addresses are long.
fn busy_desk() -> Desk {
    let desk = Desk::new();
    desk.ticket();
    desk.ok(&[
        "--as",
        "jonas",
        "new",
        "--subject",
        "Our accounting export to the external auditors has been failing since the upgrade last week",
        "--requester",
        "very.long.name.of.a.customer@a-rather-long-domain-name.example",
        "--assignee",
        "mette",
        "--priority",
        "urgent",
        "-m",
        "x",
    ]);
    desk.side("2", "Auditors", "anders", "Anders?");
    desk
}

#[test]
fn the_table_stays_one_line_per_ticket_at_40_80_and_200_columns() {
    let desk = busy_desk();
    for cols in [40, 80, 200] {
        let screen = in_terminal(&desk, cols, "list --no-pager", &[]);
        let lines: Vec<&str> = screen.lines().collect();
        assert_eq!(
            lines.len(),
            3,
            "{cols} columns: a header and two tickets:\n{screen}"
        );
        for line in &lines {
            assert!(line.width() <= cols, "{cols} columns: too wide:\n{screen}");
        }
        assert!(lines[0].starts_with("ID"), "{screen}");
        assert!(lines[1].starts_with("1 "), "{screen}");
        assert!(lines[2].starts_with("2 "), "{screen}");
        assert!(
            lines[2].contains("new"),
            "the status is always there:\n{screen}"
        );
        if cols < 200 {
            assert!(
                lines[2].contains('…'),
                "{cols} columns: the subject is cut:\n{screen}"
            );
        } else {
            // The subject is still cut: the address is never.
            assert!(
                screen.contains("a-rather-long-domain-name.example"),
                "{screen}"
            );
            assert!(
                screen.contains("2026-03-02 09:00 UTC"),
                "times say their zone:\n{screen}"
            );
            assert!(screen.contains("◆ 1"), "{screen}");
        }
    }
}

#[test]
fn an_address_is_left_out_rather_than_cut() {
    let desk = busy_desk();
    let screen = in_terminal(&desk, 80, "list --no-pager", &[]);
    assert!(!screen.contains("very.long"), "{screen}");
    assert!(!screen.contains("REQUESTER"), "{screen}");
}

#[test]
fn a_customers_table_fits_too() {
    let desk = busy_desk();
    let screen = in_terminal(&desk, 40, &format!("list --no-pager --as {ANA}"), &[]);
    assert_eq!(screen.lines().count(), 2, "{screen}");
    assert!(screen.lines().all(|l| l.width() <= 40), "{screen}");
}

#[test]
fn piped_the_list_is_tab_separated_without_padding_or_header() {
    let desk = busy_desk();
    let out = desk.ok(&["list"]);
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(
        lines[0],
        [
            "1",
            "new",
            "normal",
            "PDF export fails on macOS 10.14",
            ANA,
            "jonas",
            "2026-03-02T09:00:00Z",
            "0"
        ]
    );
    assert_eq!(lines[1][2], "urgent");
    assert_eq!(lines[1][7], "1", "one open side conversation");
    assert!(!out.contains("  "), "no padding:\n{out}");
    let external = desk.ok(&["list", "--as", ANA]);
    assert_eq!(
        external
            .lines()
            .next()
            .unwrap()
            .split('\t')
            .collect::<Vec<_>>(),
        [
            "1",
            "new",
            "PDF export fails on macOS 10.14",
            "2026-03-02T09:00:00Z"
        ]
    );
}

/// A pager that notes it ran, then shows its input.
fn recording_pager(desk: &Desk) -> (String, std::path::PathBuf) {
    let marker = desk.path("pager-ran");
    let script = desk.path("pager.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho ran > '{}'\ncat\n", marker.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    (script.display().to_string(), marker)
}

#[test]
fn long_output_on_a_terminal_goes_through_the_pager() {
    let desk = busy_desk();
    let (pager, marker) = recording_pager(&desk);
    let screen = in_terminal(&desk, 80, "list", &[("PAGER", &pager)]);
    assert!(marker.exists(), "the pager ran");
    assert!(screen.contains("PDF export fails"), "{screen}");
    std::fs::remove_file(&marker).unwrap();
    let screen = in_terminal(&desk, 80, "show 1", &[("PAGER", &pager)]);
    assert!(marker.exists(), "show pages too");
    assert!(screen.contains("Mon 2 Mar 2026 09:00 UTC"), "{screen}");
}

#[test]
fn no_pager_when_piped_or_asked_not_to() {
    let desk = busy_desk();
    let (pager, marker) = recording_pager(&desk);
    in_terminal(&desk, 80, "list --no-pager", &[("PAGER", &pager)]);
    assert!(!marker.exists(), "--no-pager");
    in_terminal(&desk, 80, "list | cat", &[("PAGER", &pager)]);
    assert!(!marker.exists(), "stdout not a terminal");
    let out = desk
        .tkt()
        .env("PAGER", &pager)
        .arg("list")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!marker.exists(), "piped");
    let screen = in_terminal(&desk, 80, "list", &[("PAGER", "")]);
    assert!(
        screen.contains("PDF export fails"),
        "an empty PAGER means none:\n{screen}"
    );
}

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    let desk = Desk::empty();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = desk.ok(&["completions", shell]);
        for sub in ["list", "show", "comment", "side", "completions"] {
            assert!(script.contains(sub), "{shell} completions lack {sub}");
        }
    }
    desk.fails(&["completions", "tcsh"], 2);
}

#[test]
fn the_manual_page_names_every_subcommand_with_examples() {
    let desk = Desk::empty();
    let page = desk.ok(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH tkt"),
        "a roff page"
    );
    assert!(page.contains(".SH EXAMPLES"), "examples");
    for sub in [
        "init",
        "person add",
        "person list",
        "new",
        "list",
        "show",
        "comment",
        "make\\-private",
        "cc add",
        "cc remove",
        "cc list",
        "follower add",
        "follower remove",
        "follower list",
        "side open",
        "side reply",
        "side invite",
        "side resolve",
        "side reopen",
        "side list",
        "status",
        "assign",
        "tag",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!(".SS \"tkt {sub}\"")),
            "no examples for tkt {sub}"
        );
    }
}

#[test]
fn a_pager_that_cannot_run_is_named_and_the_output_still_shown() {
    let desk = busy_desk();
    let screen = in_terminal(&desk, 80, "list", &[("PAGER", "no-such-pager-tkt")]);
    assert!(screen.contains("PDF export fails"), "{screen}");
    assert!(
        screen.contains("no-such-pager-tkt") && screen.contains("could not run"),
        "{screen}"
    );
}
