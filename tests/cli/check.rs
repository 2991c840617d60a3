//! `tkt check`: a store validator for pre-commit hooks and CI. Each finding is `FILE:LINE: level:
//! message [code]` on stdout; errors exit 5, warnings alone exit 0.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::desk::{BOB, Desk};

/// `tkt check ARGS…` run inside the store, so files are named as the user would type them. Git sees
/// no global or system configuration.
fn check(desk: &Desk, args: &[&str]) -> (i32, String, String) {
    let out = desk
        .tkt()
        .arg("check")
        .args(args)
        .current_dir(desk.root())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run tkt check");
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).expect("utf-8");
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().expect("exit code"),
        text(&out.stdout),
        stderr,
    )
}

/// The line (from 1) of the first line of `text` that is exactly `line`.
fn line_no(text: &str, line: &str) -> usize {
    1 + text
        .lines()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("{line:?} in {text}"))
}

/// The standard ticket with Mette following it: returns its id.
fn followed_ticket(desk: &Desk) -> u64 {
    let id = desk.ticket();
    desk.ok(&["--as", "jonas", "follower", "add", &id.to_string(), "mette"]);
    id
}

/// Runs git in `dir` with a fixed identity and no global configuration; insists on success.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_output(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn git_output(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@acme.example")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@acme.example")
        .output()
        .expect("git is installed")
}

/// The desk as a git repository with everything committed.
fn in_git(desk: &Desk) {
    git(desk.root(), &["init", "-q", "-b", "main"]);
    git(desk.root(), &["add", "-A"]);
    git(desk.root(), &["commit", "-q", "-m", "the store"]);
}

/// The ticket file with a conflict left by a line merge of two branches, around its status (line 3).
fn with_conflict(text: &str) -> String {
    let (before, rest) = text.split_once("\nstatus: ").expect("a status line");
    let (status, after) = rest.split_once('\n').expect("a line");
    format!(
        "{before}\n<<<<<<< HEAD\nstatus: {status}\n=======\nstatus: pending\n>>>>>>> theirs\n{after}"
    )
}

#[test]
fn a_clean_store_passes_with_no_findings() {
    let desk = Desk::new();
    let id = followed_ticket(&desk);
    desk.side(&id.to_string(), "Export", "anders", "Is 10.14 supported?");
    let other = desk.another_ticket("Invoice", "Wrong seats");
    // Owned, so that the hygiene check (an unsolved ticket with no assignee) has nothing to say.
    desk.ok(&["--as", "jonas", "assign", &other.to_string(), "jonas"]);
    let (code, stdout, stderr) = check(&desk, &[]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(stderr, "checked 4 files: 0 errors, 0 warnings\n");
    let (code, _, stderr) = check(&desk, &["-q"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn the_example_store_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tickets.example");
    let out = assert_cmd::Command::cargo_bin("tkt")
        .unwrap()
        .env_remove("TKT_AS")
        .env_remove("TKT_STORE")
        .args(["check", "--format", "json"])
        .arg(&root)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{doc}");
    // No error; what it finds are the domain's hygiene warnings, which the example shows on purpose.
    let hygiene = [
        "participants-left",
        "side-unanswered",
        "agent-cc",
        "no-assignee",
    ];
    for f in doc["findings"].as_array().unwrap() {
        assert_eq!(f["level"], "warning", "{f}");
        assert!(hygiene.contains(&f["code"].as_str().unwrap()), "{f}");
    }
}

#[test]
fn conflict_markers_are_an_error_at_their_line() {
    let desk = Desk::new();
    let id = desk.ticket();
    desk.ok(&["--as", "jonas", "status", &id.to_string(), "open"]);
    let text = with_conflict(&desk.file(id));
    desk.write("1.yaml", &text);
    let line = line_no(&text, "<<<<<<< HEAD");
    let (code, stdout, stderr) = check(&desk, &[]);
    assert_eq!(code, 5, "{stdout}{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with(&format!(
            "1.yaml:{line}: error: unresolved git merge conflict: "
        )),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("[conflict-markers]"),
        "{stdout}"
    );
    assert_eq!(stderr, "error: checked 3 files: 1 error, 0 warnings\n");
}

#[test]
fn two_files_claiming_one_id_are_an_error() {
    let desk = Desk::new();
    let id = desk.ticket();
    let forty_three = desk.file(id).replacen("id: 1\n", "id: 43\n", 1);
    desk.write("43.yaml", &forty_three);
    desk.write("44.yaml", &forty_three);
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 5, "{stdout}");
    assert_eq!(
        stdout,
        "44.yaml:1: error: duplicate id: the file says id 43 but is named 44.yaml, and 43.yaml exists too: two files claim ticket #43; give this one its own id [duplicate-id]\n"
    );
    // Without 43.yaml it is one ticket under the wrong name.
    std::fs::remove_file(desk.path("43.yaml")).unwrap();
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 5);
    assert!(
        stdout
            .starts_with("44.yaml:1: error: id mismatch: the file says id 43 but its name says 44"),
        "{stdout}"
    );
}

#[test]
fn an_unregistered_merge_driver_is_a_warning() {
    let desk = Desk::new();
    desk.ticket();
    // Outside git there is nothing to say about git.
    desk.write(
        ".gitattributes",
        "# tickets merge with tkt\n*.yaml merge=tkt\n",
    );
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!((code, stdout.as_str()), (0, ""));

    in_git(&desk);
    let (code, stdout, stderr) = check(&desk, &[]);
    assert_eq!(code, 0, "a warning does not fail the check: {stderr}");
    assert_eq!(
        stdout,
        ".gitattributes:2: warning: the attributes name the tkt merge driver but this clone has not registered it; run `tkt git setup` (git falls back to a line merge silently) [driver-unregistered]\n"
    );
    assert_eq!(stderr, "checked 3 files: 0 errors, 1 warning\n");

    git(
        desk.root(),
        &[
            "config",
            "merge.tkt.driver",
            "tkt git merge-driver %O %A %B",
        ],
    );
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn attributes_that_name_no_driver_need_none() {
    let desk = Desk::new();
    desk.ticket();
    desk.write(".gitattributes", "*.yaml text eol=lf\n");
    in_git(&desk);
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn a_typo_in_a_key_is_a_warning_that_names_the_key_it_meant() {
    let desk = Desk::new();
    let id = followed_ticket(&desk);
    let text = desk.file(id).replacen("\nfollowers:\n", "\nfolowers:\n", 1);
    desk.write("1.yaml", &text);
    let line = line_no(&text, "folowers:");
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(
        stdout,
        format!(
            "1.yaml:{line}: warning: unknown key \"folowers\" (did you mean followers?); tkt keeps it but does not use it [unknown-key]\n"
        )
    );
}

#[test]
fn an_unknown_key_deeper_in_a_ticket_or_in_people_is_named_by_its_path() {
    let desk = Desk::new();
    let id = desk.ticket();
    let text = desk.file(id).replacen(
        "  visibility: public\n",
        "  visibility: public\n  bdy: x\n",
        1,
    );
    desk.write("1.yaml", &text);
    let people = std::fs::read_to_string(desk.path("people.yaml"))
        .unwrap()
        .replacen("  role: admin\n", "  role: admin\n  team: billing\n", 1);
    desk.write("people.yaml", &people);
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 0, "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        lines[0],
        format!(
            "people.yaml:{}: warning: unknown key \"people[0].team\"; tkt keeps it but does not use it [unknown-key]",
            line_no(&people, "  team: billing")
        )
    );
    assert_eq!(
        lines[1],
        format!(
            "1.yaml:{}: warning: unknown key \"comments[0].bdy\" (did you mean body?); tkt keeps it but does not use it [unknown-key]",
            line_no(&text, "  bdy: x")
        )
    );
}

#[test]
fn an_unknown_settings_key_is_a_warning_with_the_nearest_key() {
    let desk = Desk::new();
    let mut settings = std::fs::read_to_string(desk.path("tkt.yaml")).unwrap();
    settings.push_str("\ncc_limt: 3\n");
    desk.write("tkt.yaml", &settings);
    let line = line_no(&settings, "cc_limt: 3");
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        format!(
            "tkt.yaml:{line}: warning: unknown key \"cc_limt\" (did you mean cc_limit?); tkt keeps it but does not use it [settings-key]\n"
        )
    );
}

#[test]
fn a_default_actor_nobody_is_is_an_error() {
    let desk = Desk::new();
    let settings = std::fs::read_to_string(desk.path("tkt.yaml"))
        .unwrap()
        .replacen("# default_as: HANDLE", "default_as: jonass", 1);
    desk.write("tkt.yaml", &settings);
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 5);
    assert_eq!(
        stdout,
        format!(
            "tkt.yaml:{}: error: default_as: no person with handle \"jonass\" in people.yaml [unknown-person]\n",
            settings
                .lines()
                .position(|l| l.starts_with("default_as: jonass"))
                .unwrap()
                + 1
        )
    );
}

#[test]
fn a_follower_who_is_not_in_the_directory_is_an_error() {
    let desk = Desk::new();
    let id = followed_ticket(&desk);
    let text = desk
        .file(id)
        .replacen("followers:\n- mette\n", "followers:\n- mete\n", 1);
    desk.write("1.yaml", &text);
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 5);
    assert_eq!(
        stdout,
        format!(
            "1.yaml:{}: error: followers[0]: no person with handle \"mete\" in people.yaml (add them with `tkt person add`, or correct the handle) [unknown-person]\n",
            line_no(&text, "- mete")
        )
    );
    // On a solved ticket, someone who has left the directory is history, not a mistake (only the
    // clean-up warning of a solved ticket with people left on it remains).
    desk.write(
        "1.yaml",
        text.replacen("status: new\n", "status: solved\n", 1),
    );
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("error"), "{stdout}");
    assert!(stdout.contains("[participants-left]"), "{stdout}");
}

#[test]
fn an_end_user_as_a_follower_is_an_error() {
    let desk = Desk::new();
    let id = followed_ticket(&desk);
    let text = desk
        .file(id)
        .replacen("followers:\n- mette\n", "followers:\n- mette\n- ana\n", 1);
    desk.write("1.yaml", &text);
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 5);
    assert_eq!(
        stdout,
        format!(
            "1.yaml:{}: error: followers[1]: ana is an end-user, who cannot be a follower (staff only); copy them as a CC instead [not-internal]\n",
            line_no(&text, "- ana")
        )
    );
}

#[test]
fn ccs_over_the_limit_or_blocked_are_errors() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "cc", "add", &id, "carl@agency.example"]);
    let text = desk.file(1);
    let settings = std::fs::read_to_string(desk.path("tkt.yaml")).unwrap();
    desk.write(
        "tkt.yaml",
        settings
            .replacen("cc_limit: 48", "cc_limit: 1", 1)
            .replacen("cc_blocklist: []", "cc_blocklist: ['*@agency.example']", 1),
    );
    let (code, stdout, stderr) = check(&desk, &[]);
    assert_eq!(code, 5, "{stderr}");
    // A field's line is where its value starts, as in every error of tkt: the list of CCs starts
    // with Bob.
    let bob = line_no(&text, &format!("- email: {BOB}"));
    let carl = line_no(&text, "- email: carl@agency.example");
    assert_eq!(
        stdout,
        format!(
            "1.yaml:{bob}: error: cc: 2 CCs, more than the store's cc_limit of 1 [cc-limit]\n\
             1.yaml:{bob}: error: cc[0].email: bob@agency.example matches \"*@agency.example\" in cc_blocklist, and may never be a CC [blocklisted]\n\
             1.yaml:{carl}: error: cc[1].email: carl@agency.example matches \"*@agency.example\" in cc_blocklist, and may never be a CC [blocklisted]\n"
        )
    );
    assert_eq!(stderr, "error: checked 3 files: 3 errors, 0 warnings\n");
}

#[test]
fn a_cc_named_like_staff_is_an_error() {
    let desk = Desk::new();
    desk.ticket();
    let text = desk
        .file(1)
        .replacen("name: Bob Field", "name: Jonas Berg", 1);
    desk.write("1.yaml", &text);
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 5);
    assert_eq!(
        stdout,
        format!(
            "1.yaml:{}: error: cc[0].name: \"Jonas Berg\": the name belongs to a member of the support team [cc-name]\n",
            line_no(&text, "  name: Jonas Berg")
        )
    );
}

#[test]
fn a_file_that_does_not_parse_gives_the_line_show_gives() {
    let desk = Desk::new();
    desk.ticket();
    desk.write(
        "1.yaml",
        desk.file(1).replacen("status: new", "status: nw", 1),
    );
    let shown = desk.fails(&["show", "1"], 5);
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 5);
    // `show`: "error: <path>: line 3: status: unknown variant …"; check: "1.yaml:3: error: status: …".
    let (_, message) = shown.trim_end().split_once(": line 3: ").expect(&shown);
    assert_eq!(stdout, format!("1.yaml:3: error: {message} [parse]\n"));
}

#[test]
fn an_invalid_value_is_an_error_at_its_line() {
    let desk = Desk::new();
    desk.ticket();
    let text = desk
        .file(1)
        .replacen("requester: ana@customer.example", "requester: Ana Silva", 1);
    desk.write("1.yaml", &text);
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 5);
    assert_eq!(
        stdout,
        format!(
            "1.yaml:{}: error: requester: invalid address \"Ana Silva\" [invalid]\n",
            line_no(&text, "requester: Ana Silva")
        )
    );
}

#[test]
fn file_names_tkt_would_not_read_are_warnings_and_links_errors() {
    let desk = Desk::new();
    desk.ticket();
    let text = desk.file(1);
    desk.write("042.yaml", &text);
    desk.write("7.yml", &text);
    desk.write("notes.yaml", "x: 1\n");
    desk.write("README.md", "not the store's business\n");
    std::fs::create_dir(desk.path("templates")).unwrap();
    desk.write("templates/reply.yaml", "not a ticket\n");
    std::os::unix::fs::symlink(desk.path("1.yaml"), desk.path("2.yaml")).unwrap();
    let (code, stdout, _) = check(&desk, &[]);
    assert_eq!(code, 5, "{stdout}");
    assert_eq!(
        stdout,
        "042.yaml: warning: tkt reads a ticket only from a file named <id>.yaml, without leading zeros: it does not read this file; rename it to 42.yaml [file-name]\n\
         7.yml: warning: tkt reads a ticket only from a file named <id>.yaml, not .yml: it does not read this file; rename it to 7.yaml [file-name]\n\
         notes.yaml: warning: not a file tkt reads: a store holds tkt.yaml, people.yaml and one <id>.yaml per ticket (42.yaml) [file-name]\n\
         2.yaml: error: a symbolic link where a file should be: tkt reads only regular files [file-type]\n"
    );
}

#[test]
fn paths_choose_what_is_checked() {
    let desk = Desk::new();
    desk.ticket();
    desk.another_ticket("Second", "Body");
    desk.write("2.yaml", with_conflict(&desk.file(2)));
    desk.write(
        "1.yaml",
        desk.file(1).replacen("requester:", "requestr:", 1),
    );
    let (code, stdout, stderr) = check(&desk, &["1.yaml"]);
    assert_eq!(code, 5, "{stdout}{stderr}");
    assert!(stdout.starts_with("1.yaml:"), "only 1.yaml: {stdout}");
    assert!(!stdout.contains("2.yaml"), "{stdout}");
    assert_eq!(stderr, "error: checked 1 file: 1 error, 0 warnings\n");
    // A directory is a whole store; a path that is not there is exit 3, one line.
    let (code, stdout, _) = check(&desk, &["."]);
    assert_eq!(code, 5);
    assert!(stdout.contains("2.yaml:"), "{stdout}");
    let (code, stdout, stderr) = check(&desk, &["nope.yaml"]);
    assert_eq!((code, stdout.as_str()), (3, ""));
    assert_eq!(
        stderr,
        "error: PATH: nope.yaml: no such file or directory\n"
    );
}

#[test]
fn json_findings_have_one_shape_and_match_the_schema() {
    let desk = Desk::new();
    let id = followed_ticket(&desk);
    let text = desk.file(id);
    desk.write(
        "1.yaml",
        text.replacen("\nfollowers:\n", "\nfolowers:\n", 1),
    );
    desk.write(
        "2.yaml",
        with_conflict(&text.replacen("id: 1\n", "id: 2\n", 1)),
    );
    desk.write("notes.yaml", "x: 1\n");
    let (code, stdout, stderr) = check(&desk, &["--format", "json"]);
    assert_eq!(code, 5, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&doc), ["errors", "files", "findings", "warnings"]);
    assert_eq!(
        (&doc["errors"], &doc["warnings"], &doc["files"]),
        (&Value::from(1), &Value::from(2), &Value::from(5))
    );
    let findings = doc["findings"].as_array().unwrap();
    let summary: Vec<(String, Value, String, String)> = findings
        .iter()
        .map(|f| {
            assert_eq!(keys(f), ["code", "file", "level", "line", "message"]);
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].clone(),
                f["level"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let folowers = line_no(
        &text.replacen("\nfollowers:\n", "\nfolowers:\n", 1),
        "folowers:",
    );
    assert_eq!(
        summary,
        [
            (
                "notes.yaml".into(),
                Value::Null,
                "warning".into(),
                "file-name".into()
            ),
            (
                "1.yaml".into(),
                Value::from(folowers),
                "warning".into(),
                "unknown-key".into()
            ),
            (
                "2.yaml".into(),
                Value::from(3),
                "error".into(),
                "conflict-markers".into()
            ),
        ]
    );
    let schema: Value = serde_json::from_str(&desk.ok(&["schema", "check"])).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    if let Err(e) = validator.validate(&doc) {
        panic!("check --format json does not match its schema: {e}\n{doc}");
    }
}

#[test]
fn a_customer_may_not_check_the_store() {
    let desk = Desk::new();
    desk.ticket();
    let (code, stdout, stderr) = check(&desk, &["--as", "ana@customer.example"]);
    assert_eq!((code, stdout.as_str()), (4, ""));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let (code, _, _) = check(&desk, &["--as", "jonas"]);
    assert_eq!(code, 0);
}

#[test]
fn staged_checks_what_is_staged_not_the_work_tree() {
    let desk = Desk::new();
    let id = desk.ticket();
    desk.ok(&["--as", "jonas", "status", &id.to_string(), "open"]);
    in_git(&desk);
    let good = desk.file(id);
    let (code, stdout, stderr) = check(&desk, &["--staged"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(stderr, "checked 0 files: 0 errors, 0 warnings\n");

    // A bad file staged, then mended in the work tree only: what would be committed is still bad.
    desk.write("1.yaml", with_conflict(&good));
    git(desk.root(), &["add", "1.yaml"]);
    desk.write("1.yaml", &good);
    let (code, stdout, stderr) = check(&desk, &["--staged"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stdout.starts_with("1.yaml:"), "{stdout}");
    assert!(stdout.contains("[conflict-markers]"), "{stdout}");
    assert_eq!(stderr, "error: checked 1 file: 1 error, 0 warnings\n");
    // The whole store on disk is fine.
    assert_eq!(check(&desk, &[]).0, 0);

    // And the other way round: a good file staged, broken afterwards in the work tree only.
    git(desk.root(), &["add", "1.yaml"]);
    desk.write("1.yaml", with_conflict(&good));
    let (code, stdout, _) = check(&desk, &["--staged"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, ""),
        "the staged blob is the committed one"
    );
    assert_eq!(check(&desk, &[]).0, 5);
}

#[test]
fn staged_reads_only_the_staged_tickets_with_the_staged_directory() {
    let desk = Desk::new();
    desk.ticket();
    desk.another_ticket("Second", "Body");
    in_git(&desk);
    // A broken ticket that is not staged is not this commit's business.
    desk.write("2.yaml", with_conflict(&desk.file(2)));
    // A follower whose person is staged in people.yaml at the same time passes.
    let text = desk
        .file(1)
        .replacen("followers: []\n", "followers:\n- maria\n", 1);
    assert!(text.contains("- maria"), "{text}");
    desk.write("1.yaml", &text);
    git(desk.root(), &["add", "1.yaml"]);
    let (code, stdout, _) = check(&desk, &["--staged"]);
    assert_eq!(code, 5);
    assert!(stdout.contains("[unknown-person]"), "{stdout}");
    assert!(!stdout.contains("2.yaml"), "{stdout}");
    desk.ok(&[
        "person",
        "add",
        "maria",
        "--name",
        "Maria",
        "--email",
        "maria@acme.example",
    ]);
    // Added in the work tree, not staged: the commit would still lack her.
    assert_eq!(check(&desk, &["--staged"]).0, 5);
    git(desk.root(), &["add", "people.yaml"]);
    let (code, stdout, stderr) = check(&desk, &["--staged"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(stderr, "checked 2 files: 0 errors, 0 warnings\n");
}

#[test]
fn staged_outside_git_is_a_usage_error() {
    let desk = Desk::new();
    let (code, stdout, stderr) = check(&desk, &["--staged"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.starts_with("error: --staged: "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn the_pre_commit_hook_blocks_a_bad_commit_and_lets_a_good_one_through() {
    let desk = Desk::new();
    let id = desk.ticket();
    desk.ok(&["--as", "jonas", "status", &id.to_string(), "open"]);
    in_git(&desk);
    std::fs::create_dir_all(desk.root().join(".git/hooks")).unwrap();
    let hook = desk.root().join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nexec '{}' check --staged\n",
            env!("CARGO_BIN_EXE_tkt")
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let head = git(desk.root(), &["rev-parse", "HEAD"]);

    let good = desk.file(id);
    desk.write("1.yaml", with_conflict(&good));
    git(desk.root(), &["add", "1.yaml"]);
    let out = git_output(desk.root(), &["commit", "-q", "-m", "a bad merge"]);
    // git shows what the hook printed on its stderr.
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "the hook lets a conflict through: {said}"
    );
    assert!(
        said.contains("1.yaml:3: error: unresolved git merge conflict")
            && said.contains("[conflict-markers]"),
        "{said}"
    );
    assert_eq!(
        git(desk.root(), &["rev-parse", "HEAD"]),
        head,
        "nothing committed"
    );

    desk.write(
        "1.yaml",
        good.replacen("subject: PDF", "subject: The PDF", 1),
    );
    git(desk.root(), &["add", "1.yaml"]);
    let out = git_output(desk.root(), &["commit", "-q", "-m", "a good change"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(git(desk.root(), &["rev-parse", "HEAD"]), head);
}

#[test]
fn the_pre_commit_framework_hook_is_shipped() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .expect(".pre-commit-hooks.yaml at the repository root");
    let hooks: Value = serde_yaml::from_str(&text).expect("YAML");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "tkt-check");
    assert_eq!(hook["entry"], "tkt check --staged");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
}
