//! The foundation: the store, people, tickets, comments, and the global options of SPEC §5.

use crate::desk::{ANA, BOB, Desk, NOW};

fn json(text: &str) -> serde_json::Value {
    crate::desk::identities(
        serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")),
    )
}

#[test]
fn init_creates_settings_people_and_a_gitignore_and_is_safe_to_repeat() {
    let desk = Desk::empty();
    for name in ["tkt.yaml", "people.yaml", ".gitignore"] {
        assert!(desk.path(name).is_file(), "{name} missing");
    }
    assert!(
        std::fs::read_to_string(desk.path(".gitignore"))
            .unwrap()
            .contains(".tkt/")
    );
    desk.write("tkt.yaml", "cc_limit: 3\n");
    desk.ok(&["init"]);
    assert_eq!(
        std::fs::read_to_string(desk.path("tkt.yaml")).unwrap(),
        "cc_limit: 3\n"
    );
}

#[test]
fn people_are_added_listed_and_checked() {
    let desk = Desk::new();
    let list = json(&desk.ok(&["person", "list", "--format", "json"]));
    let handles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["handle"].as_str().unwrap())
        .collect();
    assert_eq!(handles, ["ada", "jonas", "mette", "anders", "lise", "ana"]);
    assert_eq!(list[4]["role"], "light-agent");
    let text = desk.ok(&["person", "list"]);
    assert!(
        text.contains("Mette Hansen") && text.contains("mette@acme.example"),
        "{text}"
    );
    let err = desk.fails(
        &[
            "person",
            "add",
            "mette",
            "--name",
            "M",
            "--email",
            "m2@acme.example",
        ],
        5,
    );
    assert!(err.contains("mette"), "{err}");
    let err = desk.fails(
        &[
            "person",
            "add",
            "x",
            "--name",
            "X",
            "--email",
            "not-an-address",
        ],
        5,
    );
    assert!(err.contains("--email"), "{err}");
    desk.fails(
        &[
            "person",
            "add",
            "bad handle",
            "--name",
            "X",
            "--email",
            "x@acme.example",
        ],
        5,
    );
}

#[test]
fn new_prints_only_the_id_and_the_opening_message_is_the_requesters() {
    let desk = Desk::new();
    let out = desk.ok(&[
        "--as",
        "jonas",
        "new",
        "--subject",
        "Hello",
        "--requester",
        ANA,
        "-m",
        "Hi there",
    ]);
    assert_eq!(out, "1\n");
    let out = desk.ok(&[
        "--as",
        "jonas",
        "new",
        "--subject",
        "Again",
        "--requester",
        ANA,
        "-m",
        "x",
        "--format",
        "json",
    ]);
    assert_eq!(json(&out)["ticket"], 2);
    let t = json(&desk.ok(&["show", "1", "--format", "json"]));
    assert_eq!(t["status"], "new");
    assert_eq!(t["comments"][0]["author"], ANA);
    assert_eq!(t["comments"][0]["visibility"], "public");
    assert_eq!(t["comments"][0]["body"], "Hi there");
    assert_eq!(t["events"][0]["action"], "create");
    assert_eq!(t["events"][0]["by"], "jonas");
}

#[test]
fn the_requester_must_be_a_customer_and_the_assignee_an_agent() {
    let desk = Desk::new();
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "s",
            "--requester",
            "mette",
            "-m",
            "x",
        ],
        5,
    );
    assert!(err.contains("--requester"), "{err}");
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "s",
            "--requester",
            ANA,
            "--assignee",
            "lise",
            "-m",
            "x",
        ],
        5,
    );
    assert!(err.contains("light agent"), "{err}");
    desk.fails(
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "s",
            "--requester",
            "ghost",
            "-m",
            "x",
        ],
        3,
    );
}

#[test]
fn the_staff_view_shows_the_thread_in_order_with_names_and_labels() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "-m",
        "Mette, can you review my draft?",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "--public",
        "-m",
        "Please update to 10.15.",
    ]);
    let text = desk.ok(&["show", &id]);
    let first = text.find("The PDF export crashes").unwrap();
    let note = text.find("Mette, can you review").unwrap();
    let reply = text.find("Please update to 10.15.").unwrap();
    assert!(first < note && note < reply, "{text}");
    assert!(
        text.contains("[2] Jonas Berg · Mon 2 Mar 2026 09:00 UTC · INTERNAL NOTE"),
        "{text}"
    );
    assert!(
        text.contains("[3] Jonas Berg · Mon 2 Mar 2026 09:00 UTC · public reply"),
        "{text}"
    );
    assert!(
        text.contains("Requester  Ana Silva <ana@customer.example>"),
        "{text}"
    );
    assert!(text.contains("Bob Field <bob@agency.example>"), "{text}");
    assert!(
        text.starts_with(&format!("#{id}  PDF export fails on macOS 10.14")),
        "{text}"
    );
}

#[test]
fn staff_comments_are_internal_unless_public_is_given() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let out = desk.ok(&[
        "--as", "jonas", "comment", &id, "-m", "a note", "--format", "json",
    ]);
    assert_eq!(json(&out)["visibility"], "internal");
    let out = desk.ok(&[
        "--as", "jonas", "comment", &id, "-m", "a reply", "--public", "--format", "json",
    ]);
    assert_eq!(json(&out)["visibility"], "public");
    let out = desk.ok(&[
        "--as", ANA, "comment", &id, "-m", "from ana", "--format", "json",
    ]);
    assert_eq!(json(&out)["visibility"], "public");
    assert_eq!(
        desk.ok(&["--as", "jonas", "comment", &id, "-m", "quiet"]),
        "",
        "text mode prints nothing on stdout"
    );
}

#[test]
fn a_body_comes_from_m_a_file_or_stdin_and_never_from_nowhere() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.write("body.txt", "from a file\nsecond line\n");
    let file = desk.path("body.txt");
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "-F",
        file.to_str().unwrap(),
    ]);
    let out = desk
        .tkt()
        .args(["--as", "jonas", "comment", &id, "-m", "-"])
        .write_stdin("from stdin\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = json(&desk.ok(&["show", &id, "--format", "json"]));
    assert_eq!(t["comments"][1]["body"], "from a file\nsecond line");
    assert_eq!(t["comments"][2]["body"], "from stdin");
    let err = desk.fails(&["--as", "jonas", "comment", &id], 2);
    assert!(err.contains("-m"), "{err}");
    desk.fails(&["--as", "jonas", "comment", &id, "-m", "   "], 2);
    desk.fails(&["--as", "jonas", "comment", &id, "-F", "/no/such/file"], 2);
    desk.fails(&["--as", "jonas", "comment", &id, "-F", "/tmp"], 2);
}

#[test]
fn multi_line_bodies_are_block_scalars_in_the_file() {
    let desk = Desk::new();
    let id = desk.ticket();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id.to_string(),
        "-m",
        "line one\nline two",
    ]);
    assert!(
        desk.file(id)
            .contains("body: |-\n    line one\n    line two\n"),
        "{}",
        desk.file(id)
    );
}

#[test]
fn the_fixed_clock_gives_byte_identical_files() {
    let run = || {
        let desk = Desk::new();
        let id = desk.ticket().to_string();
        desk.ok(&["--as", "jonas", "comment", &id, "-m", "note @mette"]);
        desk.side(&id, "q", "anders", "hi");
        desk.ok(&["--as", "jonas", "status", &id, "pending"]);
        (
            desk.file(1),
            std::fs::read(desk.path("people.yaml")).unwrap(),
        )
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert!(
        a.0.contains(&format!("created: {NOW}").replace("+00:00", "Z")),
        "{}",
        a.0
    );
}

#[test]
fn every_timestamp_comes_from_now() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "--now",
        "2030-01-02T03:04:05+02:00",
        "comment",
        &id,
        "-m",
        "later",
    ]);
    let t = json(&desk.ok(&["show", &id, "--format", "json"]));
    assert_eq!(t["comments"][1]["at"], "2030-01-02T01:04:05Z");
    assert_eq!(t["updated"], "2030-01-02T01:04:05Z");
    assert_eq!(t["created"], "2026-03-02T09:00:00Z");
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "--now",
            "yesterday",
            "comment",
            &id,
            "-m",
            "x",
        ],
        2,
    );
    assert!(err.contains("--now"), "{err}");
}

#[test]
fn a_write_with_no_actor_is_refused_and_default_as_is_for_writes_only() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    let err = desk.fails(&["comment", &id, "-m", "who am I"], 2);
    assert!(err.contains("--as"), "{err}");
    assert_eq!(desk.file(1), before);
    let settings = std::fs::read_to_string(desk.path("tkt.yaml")).unwrap();
    desk.write("tkt.yaml", format!("{settings}default_as: ana\n"));
    desk.ok(&["comment", &id, "-m", "by default"]);
    let t = json(&desk.ok(&["show", &id, "--format", "json"]));
    assert_eq!(t["comments"][1]["author"], ANA, "default_as acts");
    assert!(
        t.get("events").is_some(),
        "reading ignores default_as: the full staff view"
    );
}

#[test]
fn the_store_is_found_by_flag_env_or_from_below() {
    let desk = Desk::new();
    desk.ticket();
    let root = desk.root();
    let sub = root.join("deep/er");
    std::fs::create_dir_all(&sub).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("tkt");
    let run = |cwd: &std::path::Path, env: Option<&std::path::Path>| {
        let mut cmd = std::process::Command::new(&bin);
        cmd.current_dir(cwd)
            .args(["show", "1", "--format", "json"])
            .env_remove("TKT_AS")
            .env_remove("TKT_STORE");
        if let Some(store) = env {
            cmd.env("TKT_STORE", store);
        }
        cmd.output().unwrap()
    };
    assert!(run(&sub, None).status.success(), "found upward");
    let other = tempfile::tempdir().unwrap();
    assert!(
        run(other.path(), Some(root)).status.success(),
        "found by TKT_STORE"
    );
    let out = run(other.path(), None);
    assert_eq!(
        out.status.code(),
        Some(3),
        "no store: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A project with its store in tickets/.
    let project = tempfile::tempdir().unwrap();
    let store = project.path().join("tickets");
    let init = std::process::Command::new(&bin)
        .arg("init")
        .arg(&store)
        .output()
        .unwrap();
    assert!(init.status.success());
    let out = std::process::Command::new(&bin)
        .current_dir(project.path())
        .args(["list", "--format", "json"])
        .env_remove("TKT_STORE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        json(&String::from_utf8_lossy(&out.stdout)),
        serde_json::json!([])
    );
}

#[test]
fn global_options_work_before_or_after_the_subcommand_and_ids_take_a_hash() {
    let desk = Desk::new();
    desk.ticket();
    let a = desk.ok(&["--format", "json", "show", "#1"]);
    let b = desk.ok(&["show", "1", "--format", "json"]);
    assert_eq!(a, b);
    json(&a);
}

#[test]
fn yaml_output_is_one_document_that_parses() {
    let desk = Desk::new();
    desk.ticket();
    let out = desk.ok(&["show", "1", "--format", "yaml"]);
    let doc: serde_yaml::Value = serde_yaml::from_str(&out).unwrap();
    assert_eq!(doc["id"].as_u64(), Some(1));
    let out = desk.ok(&["list", "--format", "yaml"]);
    let doc: serde_yaml::Value = serde_yaml::from_str(&out).unwrap();
    assert_eq!(doc.as_sequence().map(Vec::len), Some(1));
}

#[test]
fn list_filters_by_status_assignee_requester_cc_follower_and_tag() {
    let desk = Desk::new();
    desk.ticket(); // 1: ana, jonas, cc bob
    desk.ok(&[
        "--as",
        "mette",
        "new",
        "--subject",
        "Invoice",
        "--requester",
        "carl@client.example",
        "--assignee",
        "mette",
        "--tag",
        "billing",
        "-m",
        "x",
    ]);
    desk.ok(&["--as", "jonas", "follower", "add", "2", "anders"]);
    desk.ok(&["--as", "mette", "status", "2", "pending"]);
    let ids = |args: &[&str]| -> Vec<u64> {
        let mut all = vec!["list", "--format", "json"];
        all.extend_from_slice(args);
        json(&desk.ok(&all))
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(ids(&[]), [1, 2]);
    assert_eq!(ids(&["--status", "pending"]), [2]);
    assert_eq!(ids(&["--status", "new", "--status", "pending"]), [1, 2]);
    assert_eq!(ids(&["--assignee", "jonas"]), [1]);
    assert_eq!(ids(&["--assignee", "jonas@acme.example"]), [1]);
    assert_eq!(ids(&["--requester", "Carl@Client.example"]), [2]);
    assert_eq!(ids(&["--cc", BOB]), [1]);
    assert_eq!(ids(&["--follower", "anders"]), [2]);
    assert_eq!(ids(&["--tag", "billing"]), [2]);
    assert_eq!(ids(&["--status", "open"]), Vec::<u64>::new());
    // Piped, the table is tab-separated with no header: id, status, priority, subject, requester,
    // assignee, updated, open side conversations.
    let table = desk.ok(&["list"]);
    let first: Vec<&str> = table.lines().next().unwrap().split('\t').collect();
    assert_eq!(first[0], "1", "{table}");
    assert_eq!(first[1], "new", "{table}");
    assert_eq!(first[4], ANA, "{table}");
    assert_eq!(first.len(), 8, "{table}");
}

#[test]
fn status_assign_and_tag_change_the_ticket_and_log_events() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "jonas", "status", &id, "open"]);
    desk.ok(&["--as", "jonas", "assign", &id, "mette"]);
    desk.ok(&[
        "--as", "jonas", "tag", &id, "--add", "macos", "--add", "export",
    ]);
    desk.ok(&["--as", "jonas", "tag", &id, "--remove", "export"]);
    let t = json(&desk.ok(&["show", &id, "--format", "json"]));
    assert_eq!(t["status"], "open");
    assert_eq!(t["assignee"], "mette");
    assert_eq!(t["tags"], serde_json::json!(["macos"]));
    let actions: Vec<&str> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create",
            "cc.add",
            "status",
            "assign",
            "tag.add",
            "tag.add",
            "tag.remove"
        ]
    );
    desk.fails(&["--as", "jonas", "tag", &id, "--remove", "nope"], 3);
    desk.fails(&["--as", "jonas", "tag", &id, "--add", "two words"], 5);
    desk.ok(&["--as", "jonas", "assign", &id, "--none"]);
    assert!(json(&desk.ok(&["show", &id, "--format", "json"]))["assignee"].is_null());
}

#[test]
fn a_change_that_changes_nothing_records_nothing() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let before = desk.file(1);
    let no_ops: [&[&str]; 3] = [
        &["status", &id, "new"],
        &["assign", &id, "jonas"],
        &["cc", "add", &id, "BOB@agency.example"],
    ];
    for no_op in no_ops {
        desk.ok(&[&["--as", "mette"][..], no_op].concat());
        assert_eq!(desk.file(1), before, "{no_op:?}");
    }
    desk.ok(&["--as", "mette", "follower", "add", &id, "anders"]);
    let followed = desk.file(1);
    desk.ok(&["--as", "mette", "follower", "add", &id, "anders"]);
    assert_eq!(desk.file(1), followed, "adding a follower twice");
    desk.ok(&["--as", "jonas", "tag", &id, "--add", "x"]);
    let with_tag = desk.file(1);
    desk.ok(&["--as", "jonas", "tag", &id, "--add", "x"]);
    assert_eq!(desk.file(1), with_tag);
    assert_ne!(before, with_tag);
}

#[test]
fn quiet_silences_confirmations_and_color_is_opt_in() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let out = desk.run(&["--as", "jonas", "-q", "comment", &id, "-m", "note"]);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = desk.run(&["--as", "jonas", "comment", &id, "-m", "note"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("internal note"));
    assert!(
        !desk.ok(&["show", &id]).contains('\x1b'),
        "piped output has no colour"
    );
    assert!(
        desk.ok(&["show", &id, "--color", "always"])
            .contains("\x1b["),
        "--color always colours"
    );
}

#[test]
fn a_missing_ticket_is_exit_3_and_bad_arguments_exit_2() {
    let desk = Desk::new();
    let err = desk.fails(&["show", "42"], 3);
    assert!(err.contains("#42"), "{err}");
    desk.fails(&["show", "x"], 2);
    desk.fails(&["frobnicate"], 2);
    desk.fails(&["--as", "jonas", "status", "1", "bogus"], 2);
}

#[test]
fn a_corrupt_ticket_breaks_only_itself() {
    let desk = Desk::new();
    desk.ticket();
    desk.ticket();
    desk.write("2.yaml", "id: 2\nsubject: [unclosed\n");
    let err = desk.fails(&["show", "2"], 5);
    assert!(err.contains("2.yaml") && err.contains("line"), "{err}");
    desk.ok(&["show", "1"]);
    let out = desk.run(&["list", "--format", "json"]);
    assert!(out.status.success());
    let rows = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2.yaml"),
        "says which file it skipped"
    );
}

#[test]
fn unknown_keys_survive_a_rewrite() {
    let desk = Desk::new();
    let id = desk.ticket();
    let text = desk
        .file(id)
        .replace("subject:", "x-crm-ref: CRM-991\nsubject:");
    desk.write(&format!("{id}.yaml"), text);
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id.to_string(),
        "-m",
        "rewrite it",
    ]);
    assert!(
        desk.file(id).contains("x-crm-ref: CRM-991"),
        "{}",
        desk.file(id)
    );
}

#[test]
fn a_read_never_writes() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let snapshot = || {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(desk.root())
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot();
    for args in [
        vec!["show", id.as_str()],
        vec!["show", id.as_str(), "--as", ANA],
        vec!["list"],
        vec!["cc", "list", id.as_str()],
        vec!["side", "list", id.as_str()],
        vec!["person", "list"],
    ] {
        desk.ok(&args);
    }
    assert_eq!(before, snapshot());
}

#[test]
fn written_files_are_readable_by_the_team() {
    use std::os::unix::fs::PermissionsExt;
    let desk = Desk::new();
    let id = desk.ticket();
    desk.ok(&["--as", "jonas", "comment", &id.to_string(), "-m", "rewrite"]);
    for name in ["1.yaml", "people.yaml"] {
        let mode = std::fs::metadata(desk.path(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o644, "{name}");
    }
}

#[test]
fn a_usage_error_names_what_is_missing_on_one_line() {
    let desk = Desk::new();
    let err = desk.fails(&["show"], 2);
    assert!(err.contains("<ID>"), "{err}");
}

#[test]
fn with_no_body_on_a_terminal_the_editor_opens() {
    let desk = Desk::new();
    let id = desk.ticket();
    let editor = desk.path("editor.sh");
    desk.write(
        "editor.sh",
        "#!/bin/sh\nprintf 'written in the editor\\n' > \"$1\"\n",
    );
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("tkt");
    let line = format!(
        "{} -C {} --as jonas comment {id}",
        bin.display(),
        desk.root().display()
    );
    // `script` gives tkt a terminal, as a person typing the command would have.
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("EDITOR", &editor)
        .env("TKT_NOW", NOW)
        .env_remove("VISUAL")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script(1) from util-linux");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let t = json(&desk.ok(&["show", &id.to_string(), "--format", "json"]));
    assert_eq!(t["comments"][1]["body"], "written in the editor");
}

#[test]
fn a_stale_id_hint_never_makes_ids_jump_or_collide() {
    let desk = Desk::new();
    desk.ticket();
    desk.write(".tkt/last-id", "99999999999\n");
    assert_eq!(
        desk.ok(&[
            "--as",
            "jonas",
            "new",
            "--subject",
            "s",
            "--requester",
            ANA,
            "-m",
            "x"
        ]),
        "2\n"
    );
    std::fs::remove_file(desk.path("2.yaml")).unwrap();
    desk.write("7.yaml", desk.file(1).replace("id: 1", "id: 7"));
    assert_eq!(
        desk.ok(&[
            "--as",
            "jonas",
            "new",
            "--subject",
            "s",
            "--requester",
            ANA,
            "-m",
            "x"
        ]),
        "8\n"
    );
}

#[test]
fn a_customer_may_not_change_the_people_directory() {
    let desk = Desk::new();
    desk.fails(
        &[
            "--as",
            ANA,
            "person",
            "add",
            "eve",
            "--name",
            "Eve",
            "--email",
            "eve@e.example",
        ],
        4,
    );
    assert!(
        !std::fs::read_to_string(desk.path("people.yaml"))
            .unwrap()
            .contains("eve")
    );
}

#[test]
fn handles_are_matched_whatever_their_case() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&["--as", "Jonas", "comment", &id, "-m", "capital J"]);
    assert_eq!(
        json(&desk.ok(&["show", &id, "--format", "json"]))["comments"][1]["author"],
        "jonas"
    );
}

#[test]
fn a_comment_written_by_hand_without_an_id_is_read_and_given_one() {
    let desk = Desk::new();
    let id = desk.ticket();
    let by_hand = "- n: 2\n  at: 2026-03-02T10:00:00Z\n  author: jonas\n  visibility: internal\n  body: typed in an editor\n";
    let text = desk.file(id).replace(
        "side_conversations:",
        &format!("{by_hand}side_conversations:"),
    );
    desk.write(&format!("{id}.yaml"), &text);
    let t = json(&desk.ok(&["show", &id.to_string(), "--format", "json"]));
    assert_eq!(t["comments"][1]["body"], "typed in an editor");
    assert_eq!(t["comments"][1]["id"].as_str().map(str::len), Some(8));
    assert_eq!(
        desk.file(id),
        text,
        "reading gives the id without writing it"
    );
    desk.ok(&["--as", "jonas", "comment", &id.to_string(), "-m", "next"]);
    assert!(desk.file(id).contains("body: typed in an editor"));
}

#[test]
fn an_address_among_followers_is_invalid_data() {
    let desk = Desk::new();
    let id = desk.ticket();
    let text = desk
        .file(id)
        .replace("followers: []", "followers:\n- bob@agency.example");
    desk.write(&format!("{id}.yaml"), text);
    let err = desk.fails(&["show", &id.to_string()], 5);
    assert!(err.contains("followers[0]"), "{err}");
}

#[test]
fn every_command_that_reads_mentions_warns_about_unknown_ones() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let open = [
        "side",
        "open",
        &id,
        "--subject",
        "q",
        "--with",
        "anders",
        "-m",
        "@ghost hi",
    ];
    for args in [
        &open[..],
        &["side", "reply", &id, "1", "-m", "@ghost again"],
        &["comment", &id, "-m", "@ghost note"],
    ] {
        let out = desk.run(&[&["--as", "jonas"][..], args].concat());
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("@ghost"),
            "{args:?}"
        );
    }
}

#[test]
fn a_refused_actor_is_told_before_being_asked_for_a_body() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    // No body and no terminal would be a usage error; the refusal comes first.
    desk.fails(&["--as", "lise", "comment", &id, "--public"], 4);
    desk.fails(&["--as", ANA, "side", "reply", &id, "1"], 4);
}

#[test]
fn the_next_id_follows_the_highest_file_even_after_a_pull() {
    let desk = Desk::new();
    desk.ticket();
    desk.ticket();
    // A `git pull` brings ticket 7; the hint from the last `new` must not hide it.
    desk.write("7.yaml", desk.file(1).replace("id: 1", "id: 7"));
    let id = desk.ok(&[
        "--as",
        "jonas",
        "new",
        "--subject",
        "s",
        "--requester",
        ANA,
        "-m",
        "x",
    ]);
    assert_eq!(id, "8\n");
}

#[test]
fn a_closed_stderr_does_not_turn_success_into_a_crash() {
    let desk = Desk::new();
    let id = desk.ticket();
    let bin = assert_cmd::cargo::cargo_bin("tkt");
    let line = format!(
        "{} -C {} --as jonas comment {id} -m note --format json 2>&-",
        bin.display(),
        desk.root().display()
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &line])
        .env("TKT_NOW", NOW)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&String::from_utf8_lossy(&out.stdout))["comment"], 2);
}

#[test]
fn a_change_that_would_leave_an_unreadable_file_is_refused() {
    let desk = Desk::new();
    let id = desk.ticket();
    let text = desk.file(id).replace("- n: 1\n", "- n: 4294967294\n");
    desk.write(&format!("{id}.yaml"), &text);
    desk.ok(&["show", &id.to_string()]);
    desk.fails(
        &[
            "--as",
            "jonas",
            "comment",
            &id.to_string(),
            "-m",
            "one too many",
        ],
        5,
    );
    assert_eq!(desk.file(id), text);
}

#[test]
fn an_empty_viewer_is_an_error_never_the_staff_view() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    let out = desk
        .tkt()
        .env("TKT_AS", "")
        .args(["show", &id])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_bad_default_as_is_named_as_such() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.write("tkt.yaml", "default_as: ghost\n");
    let err = desk.fails(&["comment", &id, "-m", "x"], 3);
    assert!(err.contains("default_as"), "{err}");
}
