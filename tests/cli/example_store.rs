//! The example store `tickets.example/`: it works as shipped, it hides what it must, and the script that builds
//! it gives the same bytes again ("same commands, same clock, same bytes").

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};

use assert_cmd::Command;

/// The ticket README.md shows through four pairs of eyes.
const README_TICKET: u64 = 1;
/// Its requester.
const README_REQUESTER: &str = "ana@customer.example";
/// Its external CC.
const README_CC: &str = "bob@agency.example";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example_dir() -> PathBuf {
    repo().join("tickets.example")
}

/// The store's files as git holds them: every regular file at the top level (the machine-local `.tkt/` is a
/// directory and is left out), by name.
fn store_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let entry = entry.expect("dir entry");
        if entry.file_type().expect("file type").is_file() {
            let name = entry.file_name().into_string().expect("utf-8 file name");
            if name.starts_with(".tmp-") {
                continue;
            }
            files.insert(name, fs::read(entry.path()).expect("read store file"));
        }
    }
    files
}

/// A private copy of the example store, so that no test run writes into the repository.
fn copy_of_example() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in store_files(&example_dir()) {
        fs::write(tmp.path().join(name), bytes).expect("copy store file");
    }
    tmp
}

/// The ids of the tickets in a store, ascending.
fn ticket_ids(dir: &Path) -> Vec<u64> {
    let mut ids: Vec<u64> = store_files(dir)
        .keys()
        .filter_map(|name| name.strip_suffix(".yaml")?.parse().ok())
        .collect();
    ids.sort_unstable();
    ids
}

/// `tkt -C <store> ARGS` with no TKT_* variables and no colour.
fn tkt(store: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::cargo_bin("tkt").expect("tkt binary");
    for var in [
        "TKT_STORE",
        "TKT_AS",
        "TKT_NOW",
        "EDITOR",
        "VISUAL",
        "TKT_LOCK_TIMEOUT",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1").arg("-C").arg(store).args(args);
    cmd.output().expect("run tkt")
}

/// Runs tkt and insists on success with nothing at all on stderr; returns stdout.
fn quiet_ok(store: &Path, args: &[&str]) -> String {
    let out = tkt(store, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "tkt {args:?} failed ({}): {stderr}",
        out.status
    );
    assert!(stderr.is_empty(), "tkt {args:?} warned: {stderr}");
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

#[test]
fn example_store_has_a_dozen_tickets() {
    let ids = ticket_ids(&example_dir());
    assert!(ids.len() >= 10, "tickets.example holds only {ids:?}");
    assert_eq!(
        ids,
        (1..=ids.len() as u64).collect::<Vec<_>>(),
        "ticket ids have gaps"
    );
    assert!(ids.contains(&README_TICKET));
}

#[test]
fn example_store_lists_without_warnings() {
    let store = copy_of_example();
    let ids = ticket_ids(store.path());

    let table = quiet_ok(store.path(), &["list", "--all"]);
    for id in &ids {
        assert!(
            table
                .lines()
                .any(|line| line.split_whitespace().next() == Some(&id.to_string())),
            "ticket {id} missing from `tkt list`:\n{table}"
        );
    }

    let json: serde_json::Value = serde_json::from_str(&quiet_ok(
        store.path(),
        &["list", "--all", "--format", "json"],
    ))
    .expect("list json");
    let listed = json
        .as_array()
        .or_else(|| json.get("tickets").and_then(|t| t.as_array()))
        .unwrap_or_else(|| panic!("unexpected list json: {json}"));
    assert_eq!(listed.len(), ids.len(), "list --format json: {json}");

    // Every status of the lifecycle is represented somewhere.
    for status in ["new", "open", "pending", "on-hold", "solved", "closed"] {
        let found = quiet_ok(store.path(), &["list", "--status", status]);
        assert!(
            found.lines().count() >= 1,
            "no {status} ticket in the example store:\n{found}"
        );
    }

    // The copy is untouched by reading it.
    assert_eq!(store_files(store.path()), store_files(&example_dir()));
}

#[test]
fn every_example_ticket_shows_for_staff() {
    let store = copy_of_example();
    for id in ticket_ids(store.path()) {
        let id = id.to_string();
        let full = quiet_ok(store.path(), &["show", &id]);
        assert!(full.starts_with(&format!("#{id} ")), "show {id}:\n{full}");
        let admin = quiet_ok(store.path(), &["show", &id, "--as", "ada"]);
        assert_eq!(admin, full, "the admin sees the full staff view of #{id}");
        quiet_ok(store.path(), &["show", &id, "--format", "json"]);
        quiet_ok(store.path(), &["side", "list", &id]);
    }
}

/// Every text of ticket `id` that only staff may see: internal note bodies, side-conversation subjects and
/// messages, follower handles and names.
fn staff_only_texts(store: &Path, id: u64) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&quiet_ok(
        store,
        &["show", &id.to_string(), "--format", "json"],
    ))
    .expect("show json");
    let mut texts = Vec::new();
    let mut push_lines = |text: &str| {
        texts.extend(
            text.lines()
                .map(str::trim)
                .filter(|line| line.len() >= 12)
                .map(String::from),
        );
    };
    for comment in json["comments"].as_array().expect("comments") {
        if comment["visibility"] == "internal" {
            push_lines(comment["body"].as_str().expect("comment body"));
        }
    }
    for side in json["side_conversations"]
        .as_array()
        .expect("side conversations")
    {
        push_lines(side["subject"].as_str().expect("side subject"));
        for message in side["messages"].as_array().expect("side messages") {
            push_lines(message["body"].as_str().expect("side message body"));
        }
    }
    let people: serde_json::Value =
        serde_json::from_str(&quiet_ok(store, &["person", "list", "--format", "json"]))
            .expect("people json");
    let followers = json["followers"].as_array().expect("followers");
    assert!(!followers.is_empty(), "#{id} should have a follower");
    for follower in followers {
        let handle = follower["handle"].as_str().expect("follower handle");
        texts.push(handle.to_string());
        let person = people
            .as_array()
            .expect("people")
            .iter()
            .find(|p| p["handle"] == handle);
        let person =
            person.unwrap_or_else(|| panic!("follower {handle} is not in the people directory"));
        texts.push(person["name"].as_str().expect("name").to_string());
        texts.push(person["email"].as_str().expect("email").to_string());
    }
    texts
}

#[test]
fn readme_ticket_hides_staff_text_from_the_customer_and_the_cc() {
    let store = copy_of_example();
    let secrets = staff_only_texts(store.path(), README_TICKET);
    assert!(
        secrets.len() >= 5,
        "the README ticket should have internal notes and side conversations"
    );
    let id = README_TICKET.to_string();
    for viewer in [README_REQUESTER, README_CC] {
        for format in ["text", "json", "yaml"] {
            let view = quiet_ok(
                store.path(),
                &["show", &id, "--as", viewer, "--format", format],
            );
            for marker in [
                "INTERNAL",
                "internal",
                "Side conversation",
                "side_conversations",
                "Followers",
                "followers",
            ] {
                assert!(
                    !view.contains(marker),
                    "{viewer} ({format}) sees {marker:?}:\n{view}"
                );
            }
            for secret in &secrets {
                assert!(
                    !view.contains(secret.as_str()),
                    "{viewer} ({format}) sees {secret:?}:\n{view}"
                );
            }
        }
    }
}

#[test]
fn build_script_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("store");
    let run = StdCommand::new("bash")
        .arg(repo().join("examples/build-tickets-example.sh"))
        .arg(&out)
        .current_dir(repo())
        .env("TKT", assert_cmd::cargo::cargo_bin("tkt"))
        .env_remove("TKT_STORE")
        .env_remove("TKT_AS")
        .env_remove("TKT_NOW")
        .env_remove("TKT_LOCK_TIMEOUT")
        .output()
        .expect("run build script");
    assert!(
        run.status.success(),
        "build-tickets-example.sh failed ({}):\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );

    let rebuilt = store_files(&out);
    let committed = store_files(&example_dir());
    assert_eq!(
        rebuilt.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "the script builds a different set of files than tickets.example holds"
    );
    for (name, bytes) in &committed {
        assert!(
            rebuilt[name] == *bytes,
            "tickets.example/{name} differs from a fresh build: run examples/build-tickets-example.sh and commit"
        );
    }
    // The templates `tkt init` wrote, as the script adapted them.
    let templates = |dir: &Path| store_files(&dir.join("templates"));
    assert!(
        templates(&out) == templates(&example_dir()),
        "tickets.example/templates/ differs from a fresh build: run examples/build-tickets-example.sh and commit"
    );
}
