//! Keeping tickets in git: real repositories in temporary directories, with the merge driver set up by
//! `tkt git setup`, merged, rebased and cherry-picked the way a team would.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// A git repository with a tkt store in `tickets/`, the team of three and one ticket, committed.
struct Repo {
    dir: TempDir,
}

fn git_in(dir: &Path, args: &[&str]) -> Output {
    StdCommand::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@acme.example")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@acme.example")
        .env("GIT_EDITOR", "true")
        .env_remove("TKT_STORE")
        .output()
        .expect("git runs (git must be installed for these tests)")
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        repo.git_ok(&["init", "-q", "-b", "main"]);
        repo.ok("2026-03-02T09:00:00Z", &["init"]);
        for (handle, name) in [
            ("jonas", "Jonas Berg"),
            ("mette", "Mette Hansen"),
            ("anders", "Anders Teknik"),
        ] {
            let email = format!("{handle}@acme.example");
            repo.ok(
                "2026-03-02T09:00:00Z",
                &["person", "add", handle, "--name", name, "--email", &email],
            );
        }
        repo.ok(
            "2026-03-02T09:00:00Z",
            &[
                "--as",
                "jonas",
                "new",
                "--subject",
                "PDF export fails",
                "--requester",
                "ana@customer.example",
                "-m",
                "It crashes.",
            ],
        );
        repo.ok("2026-03-02T09:00:00Z", &["git", "setup"]);
        repo.commit("base");
        repo
    }

    /// A clone of the repository at `origin`, set up as every clone must be.
    fn clone_of(origin: &Path) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let from = origin.to_string_lossy().into_owned();
        repo.git_ok(&["clone", "-q", &from, "."]);
        repo.ok("2026-03-02T09:00:00Z", &["git", "setup"]);
        repo
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn store(&self) -> PathBuf {
        self.root().join("tickets")
    }

    fn tkt(&self, now: &str) -> Command {
        let mut cmd = Command::cargo_bin("tkt").expect("tkt binary");
        for var in ["TKT_STORE", "TKT_AS", "NO_COLOR", "EDITOR", "VISUAL"] {
            cmd.env_remove(var);
        }
        cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("TKT_NOW", now)
            .current_dir(self.root())
            .arg("-C")
            .arg(self.store());
        cmd
    }

    fn run(&self, now: &str, args: &[&str]) -> Output {
        self.tkt(now).args(args).output().expect("run tkt")
    }

    fn ok(&self, now: &str, args: &[&str]) -> String {
        let out = self.run(now, args);
        assert!(
            out.status.success(),
            "tkt {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn git(&self, args: &[&str]) -> Output {
        git_in(self.root(), args)
    }

    fn git_ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn commit(&self, message: &str) {
        self.git_ok(&["add", "-A"]);
        self.git_ok(&["commit", "-q", "-m", message]);
    }

    fn json(&self, id: u64) -> Value {
        let text = self.ok(
            "2026-03-02T09:00:00Z",
            &["show", &id.to_string(), "--format", "json"],
        );
        serde_json::from_str(&text).expect("show --format json is JSON")
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.store().join(name)).expect("read store file")
    }
}

/// Builds the two branches of the main scenario: `ours` (main) and `theirs` (other) each add
/// comments, CCs, followers, side replies, tags and field changes to ticket #1.
fn two_branches() -> Repo {
    let repo = Repo::new();
    repo.ok(
        "2026-03-02T09:05:00Z",
        &[
            "--as",
            "jonas",
            "side",
            "open",
            "1",
            "--subject",
            "Export",
            "--with",
            "anders",
            "-m",
            "Is 10.14 supported?",
        ],
    );
    repo.commit("side conversation");
    repo.git_ok(&["checkout", "-q", "-b", "other"]);
    let theirs = [
        (
            "10:00",
            vec!["--as", "mette", "comment", "1", "-m", "Theirs: a note"],
        ),
        (
            "10:01",
            vec!["--as", "mette", "cc", "add", "1", "bob@agency.example"],
        ),
        (
            "10:02",
            vec!["--as", "mette", "tag", "1", "--add", "billing"],
        ),
        (
            "10:03",
            vec![
                "--as",
                "anders",
                "side",
                "reply",
                "1",
                "1",
                "-m",
                "Theirs: known limit",
            ],
        ),
        (
            "10:04",
            vec!["--as", "mette", "edit", "1", "--priority", "high"],
        ),
        ("10:05", vec!["--as", "mette", "status", "1", "pending"]),
    ];
    for (at, args) in &theirs {
        repo.ok(&format!("2026-03-02T{at}:00Z"), args);
    }
    repo.commit("theirs");
    repo.git_ok(&["checkout", "-q", "main"]);
    let ours = [
        (
            "09:30",
            vec!["--as", "jonas", "comment", "1", "-m", "Ours: a note"],
        ),
        (
            "09:31",
            vec!["--as", "jonas", "follower", "add", "1", "anders"],
        ),
        (
            "09:32",
            vec!["--as", "jonas", "cc", "add", "1", "carl@agency.example"],
        ),
        ("09:33", vec!["--as", "jonas", "tag", "1", "--add", "macos"]),
        (
            "09:34",
            vec![
                "--as",
                "jonas",
                "side",
                "reply",
                "1",
                "1",
                "-m",
                "Ours: any news?",
            ],
        ),
        ("09:35", vec!["--as", "jonas", "assign", "1", "jonas"]),
        ("10:30", vec!["--as", "jonas", "status", "1", "open"]),
    ];
    for (at, args) in &ours {
        repo.ok(&format!("2026-03-02T{at}:00Z"), args);
    }
    repo.commit("ours");
    repo
}

fn bodies(ticket: &Value) -> Vec<String> {
    let mut all: Vec<String> = ticket["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap().to_string())
        .collect();
    for side in ticket["side_conversations"].as_array().unwrap() {
        for m in side["messages"].as_array().unwrap() {
            all.push(m["body"].as_str().unwrap().to_string());
        }
    }
    all.sort();
    all
}

fn strings(value: &Value) -> Vec<String> {
    let mut list: Vec<String> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other["handle"]
                .as_str()
                .or(other["email"].as_str())
                .unwrap_or_default()
                .to_string(),
        })
        .collect();
    list.sort();
    list
}

/// Every change of both branches is in the merged ticket, once.
fn assert_both_sides_kept(repo: &Repo) {
    let t = repo.json(1);
    assert_eq!(
        bodies(&t),
        [
            "Is 10.14 supported?",
            "It crashes.",
            "Ours: a note",
            "Ours: any news?",
            "Theirs: a note",
            "Theirs: known limit",
        ],
        "every comment and side message once: {t:#}"
    );
    assert_eq!(
        strings(&t["cc"]),
        ["bob@agency.example", "carl@agency.example"]
    );
    assert_eq!(strings(&t["tags"]), ["billing", "macos"]);
    let followers = strings(&t["followers"]);
    for handle in ["anders", "jonas", "mette"] {
        assert!(followers.contains(&handle.to_string()), "{followers:?}");
    }
    assert_eq!(t["priority"], "high", "theirs' edit is kept");
    assert_eq!(t["assignee"]["handle"], "jonas", "ours' assignment is kept");
    assert_eq!(t["status"], "open", "the later status change (10:30) wins");
    let numbers: Vec<u64> = t["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["n"].as_u64().unwrap())
        .collect();
    let mut unique = numbers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        numbers.len(),
        "comment numbers unique: {numbers:?}"
    );
    let file = repo.file("1.yaml");
    assert!(!file.contains("<<<<<<<"), "{file}");
    assert!(!file.contains("merge_conflicts"), "{file}");
    let log = repo.ok("2026-03-02T11:00:00Z", &["log", "1"]);
    assert!(
        log.contains("merge kept status open over pending"),
        "the merge records its choice: {log}"
    );
}

#[test]
fn two_branches_merge_cleanly_and_keep_every_change_once() {
    let repo = two_branches();
    repo.git_ok(&["merge", "-q", "--no-edit", "other"]);
    assert_both_sides_kept(&repo);
    // Ours keeps its numbers: comment 2 is still ours' note; theirs' note comes after ours'.
    let t = repo.json(1);
    let by_n = |n: u64| {
        t["comments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["n"] == n)
            .map(|c| c["body"].as_str().unwrap().to_string())
    };
    assert_eq!(by_n(2).as_deref(), Some("Ours: a note"));
    assert_eq!(by_n(3).as_deref(), Some("Theirs: a note"));
}

#[test]
fn the_merge_is_the_same_in_the_other_direction() {
    let repo = two_branches();
    repo.git_ok(&["checkout", "-q", "other"]);
    repo.git_ok(&["merge", "-q", "--no-edit", "main"]);
    assert_both_sides_kept(&repo);
    // Now "ours" is the other branch: its note keeps number 2.
    let t = repo.json(1);
    let second = t["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["n"] == 2);
    assert_eq!(second.unwrap()["body"], "Theirs: a note");
}

#[test]
fn a_rebase_and_a_cherry_pick_use_the_driver_too() {
    let repo = two_branches();
    repo.git_ok(&["checkout", "-q", "-b", "rebased", "other"]);
    repo.git_ok(&["rebase", "-q", "main"]);
    assert_both_sides_kept(&repo);

    let repo = two_branches();
    let theirs = repo.git_ok(&["rev-parse", "other"]);
    repo.git_ok(&["cherry-pick", theirs.trim()]);
    assert_both_sides_kept(&repo);
}

#[test]
fn make_private_by_number_still_means_this_branchs_comment_after_a_merge() {
    let repo = two_branches();
    let before = repo.json(1);
    let id_of_2 = before["comments"][1]["id"].as_str().unwrap().to_string();
    repo.git_ok(&["merge", "-q", "--no-edit", "other"]);
    let after = repo.json(1);
    let same = after["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["n"] == 2);
    assert_eq!(same.unwrap()["id"], id_of_2.as_str());
    // And the stable id names the other branch's comment whatever its number became.
    let theirs = after["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["body"] == "Theirs: a note")
        .unwrap();
    let id = theirs["id"].as_str().unwrap();
    repo.ok(
        "2026-03-02T11:00:00Z",
        &["--as", "jonas", "make-private", "1", id],
    );
    let t = repo.json(1);
    let made = t["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id);
    assert_eq!(made.unwrap()["visibility"], "internal");
}

#[test]
fn a_field_changed_by_hand_on_both_branches_is_left_to_a_person_and_settled_with_one_command() {
    let repo = Repo::new();
    repo.git_ok(&["checkout", "-q", "-b", "other"]);
    let edit = |to: &str| {
        let text = repo.file("1.yaml").replace("subject: PDF export fails", to);
        std::fs::write(repo.store().join("1.yaml"), text).unwrap();
    };
    edit("subject: PDF export fails on macOS");
    repo.commit("theirs: subject by hand");
    repo.git_ok(&["checkout", "-q", "main"]);
    edit("subject: PDF export crashes");
    repo.commit("ours: subject by hand");

    let merge = repo.git(&["merge", "--no-edit", "other"]);
    assert!(!merge.status.success(), "the merge stops for a person");
    let said = String::from_utf8_lossy(&merge.stderr);
    assert!(
        said.contains("subject: ours \"PDF export crashes\", theirs \"PDF export fails on macOS\""),
        "{said}"
    );
    assert!(said.contains("tkt git settle 1"), "{said}");
    // Nothing is lost: the file holds ours and both values, and tkt still reads it.
    let file = repo.file("1.yaml");
    assert!(file.contains("subject: PDF export crashes"), "{file}");
    assert!(file.contains("theirs: PDF export fails on macOS"), "{file}");
    let show = repo.ok("2026-03-02T11:00:00Z", &["show", "1"]);
    assert!(show.contains("Unsettled  subject"), "{show}");
    let status = repo.git_ok(&["status", "--porcelain"]);
    assert!(status.contains("UU tickets/1.yaml"), "{status}");
    let check = repo.run("2026-03-02T11:00:00Z", &["check"]);
    assert_eq!(
        check.status.code(),
        Some(5),
        "an unsettled merge never passes check"
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("[unsettled-merge]"));

    repo.ok(
        "2026-03-02T11:00:00Z",
        &["--as", "jonas", "git", "settle", "1", "--theirs", "subject"],
    );
    let t = repo.json(1);
    assert_eq!(t["subject"], "PDF export fails on macOS");
    assert!(!repo.file("1.yaml").contains("merge_conflicts"));
    let status = repo.git_ok(&["status", "--porcelain"]);
    assert!(
        status.contains("M  tickets/1.yaml"),
        "settled and staged: {status}"
    );
    repo.git_ok(&["commit", "-q", "--no-edit"]);
}

#[test]
fn people_added_on_both_branches_are_all_kept_and_one_changed_twice_is_a_conflict() {
    let repo = Repo::new();
    repo.git_ok(&["checkout", "-q", "-b", "other"]);
    repo.ok(
        "2026-03-02T09:00:00Z",
        &[
            "person",
            "add",
            "lise",
            "--name",
            "Lise",
            "--email",
            "lise@acme.example",
        ],
    );
    repo.commit("theirs: lise");
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.ok(
        "2026-03-02T09:00:00Z",
        &[
            "person",
            "add",
            "maria",
            "--name",
            "Maria",
            "--email",
            "maria@acme.example",
        ],
    );
    repo.commit("ours: maria");
    repo.git_ok(&["merge", "-q", "--no-edit", "other"]);
    let people = repo.ok("2026-03-02T09:00:00Z", &["person", "list"]);
    assert!(
        people.contains("lise") && people.contains("maria"),
        "{people}"
    );

    repo.git_ok(&["checkout", "-q", "-b", "rename"]);
    repo.ok(
        "2026-03-02T09:00:00Z",
        &["person", "edit", "lise", "--name", "Lise Produkt"],
    );
    repo.commit("theirs: rename lise");
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.ok(
        "2026-03-02T09:00:00Z",
        &["person", "edit", "lise", "--name", "Lise P."],
    );
    repo.commit("ours: rename lise");
    let merge = repo.git(&["merge", "--no-edit", "rename"]);
    assert!(!merge.status.success(), "never a silent pick");
    let said = String::from_utf8_lossy(&merge.stderr);
    assert!(
        said.contains("people lise (name: ours \"Lise P.\", theirs \"Lise Produkt\")"),
        "{said}"
    );
    repo.ok(
        "2026-03-02T09:00:00Z",
        &["git", "settle", "people", "--theirs"],
    );
    let people = repo.ok("2026-03-02T09:00:00Z", &["person", "list"]);
    assert!(people.contains("Lise Produkt"), "{people}");
}

#[test]
fn two_clones_creating_tickets_while_apart_keep_both_after_a_pull() {
    let origin = Repo::new();
    let bare = tempfile::tempdir().unwrap();
    let bare_path = bare.path().to_string_lossy().into_owned();
    origin.git_ok(&["clone", "-q", "--bare", ".", &bare_path]);
    let a = Repo::clone_of(bare.path());
    let b = Repo::clone_of(bare.path());
    let new = |repo: &Repo, at: &str, subject: &str| {
        repo.ok(
            at,
            &[
                "--as",
                "jonas",
                "new",
                "--subject",
                subject,
                "--requester",
                "ana@customer.example",
                "-m",
                subject,
            ],
        )
        .trim()
        .to_string()
    };
    assert_eq!(new(&a, "2026-03-02T10:00:00Z", "From clone A"), "2");
    a.commit("A: #2");
    assert_eq!(
        new(&b, "2026-03-02T10:05:00Z", "From clone B"),
        "2",
        "apart, both take #2"
    );
    b.commit("B: #2");
    a.git_ok(&["push", "-q", "origin", "main"]);

    let pull = b.git(&["pull", "--no-rebase", "--no-edit", "origin", "main"]);
    assert!(
        !pull.status.success(),
        "two tickets under one id stop the pull"
    );
    let said = String::from_utf8_lossy(&pull.stderr);
    assert!(said.contains("run `tkt renumber 2`"), "{said}");
    let refused = b.run("2026-03-02T11:00:00Z", &["show", "2"]);
    assert_eq!(refused.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("tkt renumber 2"));

    let found = b.run("2026-03-02T11:00:00Z", &["check"]);
    assert_eq!(found.status.code(), Some(5));
    let findings = String::from_utf8_lossy(&found.stdout);
    assert!(
        findings.contains("[id-clash]") && findings.contains("tkt renumber 2"),
        "{findings}"
    );

    let moved = b.ok("2026-03-02T11:00:00Z", &["--as", "jonas", "renumber", "2"]);
    assert_eq!(moved.trim(), "3", "the newer ticket takes the next free id");
    b.git_ok(&["commit", "-q", "--no-edit"]);
    assert_eq!(
        b.json(2)["subject"],
        "From clone A",
        "the older keeps the id"
    );
    assert_eq!(b.json(3)["subject"], "From clone B");
    let log = b.ok("2026-03-02T11:00:00Z", &["log", "2"]);
    assert!(
        log.contains("another ticket created as #2 is now #3"),
        "{log}"
    );
    let log = b.ok("2026-03-02T11:00:00Z", &["log", "3"]);
    assert!(log.contains("renumbered #2 → #3"), "{log}");
    let show = b.ok("2026-03-02T11:00:00Z", &["show", "2"]);
    assert!(
        show.contains("Renumbered another ticket created as #2 on another branch is now #3"),
        "{show}"
    );
    let show = b.ok("2026-03-02T11:00:00Z", &["show", "3"]);
    assert!(
        show.contains("Renumbered was #2 on another branch"),
        "{show}"
    );
    let list = b.ok("2026-03-02T11:00:00Z", &["list", "--all"]);
    assert_eq!(list.lines().count(), 3, "{list}");
    let clean = b.run("2026-03-02T11:00:00Z", &["check", "--format", "json"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let doc: Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(doc["errors"], 0, "{doc}");

    // The other clone gets both by a plain pull.
    b.git_ok(&["push", "-q", "origin", "main"]);
    a.git_ok(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]);
    assert_eq!(a.json(3)["subject"], "From clone B");
}

#[test]
fn the_same_ticket_created_on_both_branches_merges_into_one() {
    let repo = Repo::new();
    repo.git_ok(&["checkout", "-q", "-b", "other"]);
    repo.ok(
        "2026-03-02T10:00:00Z",
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "Shared",
            "--requester",
            "ana@customer.example",
            "-m",
            "x",
        ],
    );
    repo.commit("theirs: #2");
    let created = repo.git_ok(&["rev-parse", "HEAD"]);
    repo.ok(
        "2026-03-02T10:10:00Z",
        &["--as", "mette", "comment", "2", "-m", "theirs later"],
    );
    repo.commit("theirs: comment");
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.git_ok(&["cherry-pick", created.trim()]);
    repo.ok(
        "2026-03-02T10:05:00Z",
        &["--as", "jonas", "comment", "2", "-m", "ours later"],
    );
    repo.commit("ours: comment");
    repo.git_ok(&["merge", "-q", "--no-edit", "other"]);
    let t = repo.json(2);
    assert_eq!(bodies(&t), ["ours later", "theirs later", "x"]);
}

#[test]
fn a_side_that_cannot_be_read_leaves_both_versions_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let ours = dir.path().join("ours");
    let theirs = dir.path().join("theirs");
    let repo = Repo::new();
    let good = repo.file("1.yaml");
    std::fs::write(&base, &good).unwrap();
    std::fs::write(&ours, good.replace("PDF export fails", "Ours")).unwrap();
    std::fs::write(&theirs, "id: 1\nsubject: [broken\n").unwrap();
    let out = Command::cargo_bin("tkt")
        .unwrap()
        .args(["git", "merge-driver"])
        .args([&base, &ours, &theirs])
        .arg("tickets/1.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a conflict, never a crash code");
    let merged = std::fs::read_to_string(&ours).unwrap();
    assert!(merged.starts_with("<<<<<<< ours"), "{merged}");
    assert!(merged.contains("subject: Ours"), "ours is kept: {merged}");
    assert!(
        merged.contains("subject: [broken"),
        "theirs is kept: {merged}"
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("the other branch's version cannot be read"),
        "{said}"
    );
}

#[test]
fn two_identical_notes_at_one_instant_are_two_entries_with_two_ids() {
    let repo = Repo::new();
    for _ in 0..2 {
        repo.ok(
            "2026-03-02T10:00:00Z",
            &["--as", "jonas", "comment", "1", "-m", "same"],
        );
    }
    let t = repo.json(1);
    let ids: Vec<&str> = t["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids[1] != ids[2], "{ids:?}");
    assert!(
        ids.iter().all(|id| id.len() == 8),
        "short and typeable: {ids:?}"
    );
}

#[test]
fn setup_outside_git_is_refused_and_twice_changes_nothing() {
    let repo = Repo::new();
    let attributes = std::fs::read_to_string(repo.store().join(".gitattributes")).unwrap();
    repo.ok("2026-03-02T09:00:00Z", &["git", "setup"]);
    let again = std::fs::read_to_string(repo.store().join(".gitattributes")).unwrap();
    assert_eq!(attributes, again);
    assert!(
        attributes.contains("/[0-9]*.yaml merge=tkt"),
        "{attributes}"
    );
    // Kept mail is never line-end converted by git.
    assert!(attributes.contains("\n/mail/*.eml -text\n"), "{attributes}");
    // A store set up before that line existed gets it, once, and nothing else twice.
    let old = "# tkt: merge tickets and people.yaml entry by entry (tkt git setup)\n\
               /[0-9]*.yaml merge=tkt\n/people.yaml merge=tkt\n";
    std::fs::write(repo.store().join(".gitattributes"), old).unwrap();
    repo.ok("2026-03-02T09:00:00Z", &["git", "setup"]);
    let upgraded = std::fs::read_to_string(repo.store().join(".gitattributes")).unwrap();
    assert!(upgraded.starts_with(old), "{upgraded}");
    assert_eq!(upgraded.matches("merge=tkt").count(), 2, "{upgraded}");
    assert!(upgraded.ends_with("\n/mail/*.eml -text\n"), "{upgraded}");
    std::fs::write(repo.store().join(".gitattributes"), &attributes).unwrap();
    let driver = repo.git_ok(&["config", "merge.tkt.driver"]);
    assert!(driver.contains("git merge-driver %O %A %B %P"), "{driver}");

    let plain = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("tkt")
        .unwrap()
        .env("GIT_CEILING_DIRECTORIES", plain.path().parent().unwrap())
        .args(["-C"])
        .arg(plain.path())
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = Command::cargo_bin("tkt")
        .unwrap()
        .env("GIT_CEILING_DIRECTORIES", plain.path().parent().unwrap())
        .args(["-C"])
        .arg(plain.path())
        .args(["git", "setup"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in a git repository"));
}

#[test]
fn setup_never_reads_the_attributes_through_a_link() {
    let repo = Repo::new();
    let attributes = repo.store().join(".gitattributes");
    std::fs::remove_file(&attributes).unwrap();
    let secret = repo.root().join("secret.txt");
    std::fs::write(&secret, "password=hunter2\n").unwrap();
    std::os::unix::fs::symlink(&secret, &attributes).unwrap();
    let out = repo.run("2026-03-02T09:00:00Z", &["git", "setup"]);
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "password=hunter2\n"
    );
}

#[test]
fn check_catches_a_stale_driver_and_a_merge_git_still_holds_unmerged() {
    let repo = Repo::new();
    repo.git_ok(&[
        "config",
        "merge.tkt.driver",
        "'/nonexistent/tkt' git merge-driver %O %A %B %P",
    ]);
    repo.git_ok(&["checkout", "-q", "-b", "other"]);
    repo.ok(
        "2026-03-02T10:00:00Z",
        &["--as", "mette", "comment", "1", "-m", "theirs"],
    );
    repo.commit("theirs");
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.ok(
        "2026-03-02T10:01:00Z",
        &["--as", "jonas", "comment", "1", "-m", "ours"],
    );
    repo.commit("ours");
    assert!(!repo.git(&["merge", "--no-edit", "other"]).status.success());
    let out = repo.run("2026-03-02T11:00:00Z", &["check"]);
    assert_eq!(out.status.code(), Some(5));
    let findings = String::from_utf8_lossy(&out.stdout);
    assert!(
        findings.contains("1.yaml: error: git still holds this file unmerged"),
        "{findings}"
    );
    assert!(
        findings.contains("/nonexistent/tkt does not exist"),
        "{findings}"
    );
}
