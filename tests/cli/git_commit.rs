//! Auto-commit (`--commit`, `auto_commit`) and identity from git (`identity_from_git`), with the real
//! `git`: a change is one commit of exactly the files it changed, worded from what it did, and nothing
//! else anyone had staged goes with it.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

use crate::desk::{ANA, Desk};

/// A desk whose store is a git repository, and a home of its own so that no one's git configuration
/// leaks in: git runs with an empty global configuration, no system one, and the repository's own
/// identity.
struct Repo {
    desk: Desk,
    home: TempDir,
}

/// The variables through which a developer's own git setup could reach the tests.
const GIT_VARIABLES: [&str; 9] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "EMAIL",
    "GIT_CONFIG_PARAMETERS",
];

impl Repo {
    /// The standard desk with its ticket #1, committed as the repository's first commit.
    fn new() -> Repo {
        let repo = Repo::without_git(Desk::new());
        repo.desk.ticket();
        repo.git(&["init", "-q", "-b", "main", "."]);
        repo.git(&["config", "user.name", "Desk Test"]);
        repo.git(&["config", "user.email", "desk@test.example"]);
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "the desk"]);
        repo
    }

    /// A desk that is not (yet) in any git repository.
    fn without_git(desk: Desk) -> Repo {
        Repo {
            desk,
            home: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn isolate(&self, cmd: &mut Command) {
        for var in GIT_VARIABLES {
            cmd.env_remove(var);
        }
        let global = self.home.path().join("gitconfig");
        if !global.exists() {
            std::fs::write(&global, "").expect("empty global git config");
        }
        cmd.env("HOME", self.home.path())
            .env("GIT_CONFIG_GLOBAL", &global)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            // git never looks above the temporary directory for a repository.
            .env("GIT_CEILING_DIRECTORIES", self.root().parent().unwrap());
    }

    fn root(&self) -> &Path {
        self.desk.root()
    }

    /// Runs git in the store and insists on success; returns its stdout.
    fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    fn git_output(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new("git");
        self.isolate(&mut cmd);
        cmd.args(args)
            .current_dir(self.root())
            .output()
            .expect("git is installed")
    }

    /// `tkt -C <store>` as `Desk::tkt` runs it, with git isolated.
    fn tkt(&self) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("tkt"));
        for var in [
            "TKT_STORE",
            "TKT_AS",
            "NO_COLOR",
            "EDITOR",
            "VISUAL",
            "TKT_LOCK_TIMEOUT",
        ] {
            cmd.env_remove(var);
        }
        self.isolate(&mut cmd);
        cmd.env("TKT_NOW", crate::desk::NOW)
            .arg("-C")
            .arg(self.root());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = self.tkt();
        cmd.args(args).output().expect("run tkt")
    }

    /// Runs tkt, insists on success; returns stderr (stdout is rarely the point here).
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            out.status.success(),
            "tkt {args:?} failed ({:?}): {stderr}",
            out.status.code()
        );
        stderr
    }

    /// Runs tkt, insists on exit `code` and one line on stderr; returns that line.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "tkt {args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
        stderr
    }

    fn commits(&self) -> usize {
        self.git(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap()
    }

    /// The last commit's subject line.
    fn subject(&self) -> String {
        self.git(&["log", "-1", "--format=%s"]).trim().to_string()
    }

    /// The files the last commit changed.
    fn files(&self) -> Vec<String> {
        self.git(&["show", "--name-only", "--format=", "HEAD"])
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// `git status --porcelain`, one entry a line.
    fn status(&self) -> Vec<String> {
        self.git(&["status", "--porcelain"])
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Sets one key of tkt.yaml (`auto_commit: true`).
    fn set(&self, setting: &str) {
        let path = self.root().join("tkt.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let key = setting.split(':').next().unwrap();
        // `tkt init` writes the key with its default; a key written twice is an error.
        let mut lines: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with(&format!("{key}:")))
            .map(str::to_string)
            .collect();
        lines.push(setting.to_string());
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }
}

#[test]
fn commit_makes_a_cc_added_one_commit_of_that_ticket_file() {
    let repo = Repo::new();
    let before = repo.commits();
    let stderr = repo.ok(&[
        "--commit",
        "--as",
        "mette",
        "cc",
        "add",
        "1",
        "carl@agency.example",
    ]);
    assert_eq!(repo.commits(), before + 1);
    assert_eq!(repo.subject(), "#1: cc add carl@agency.example (mette)");
    assert_eq!(repo.files(), ["1.yaml"]);
    assert!(repo.desk.file(1).contains("carl@agency.example"));
    assert_eq!(repo.status(), Vec::<String>::new(), "nothing left over");
    assert!(
        stderr.contains("Committed: #1: cc add carl@agency.example (mette)"),
        "{stderr}"
    );
    // The commit carries the user's own git identity.
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an <%ae>"]).trim(),
        "Desk Test <desk@test.example>"
    );
}

#[test]
fn mail_received_with_commit_is_one_commit_of_the_ticket_and_the_kept_message() {
    let repo = Repo::new();
    let before = repo.commits();
    let dir = tempfile::tempdir().expect("temp dir");
    let message = dir.path().join("reply.eml");
    std::fs::write(
        &message,
        "From: Ana Silva <ana@customer.example>\r\nTo: support@tkt.invalid\r\n\
         Subject: Re: [#1] PDF export\r\nMessage-ID: <a1@customer.example>\r\n\r\nStill broken.\r\n",
    )
    .expect("write the message");
    repo.ok(&["--commit", "mail", "receive", message.to_str().unwrap()]);
    assert_eq!(repo.commits(), before + 1);
    assert_eq!(
        repo.subject(),
        "#1: comment, by mail (ana@customer.example)"
    );
    let files = repo.files();
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(files[0], "1.yaml");
    assert!(
        files[1].starts_with("mail/") && files[1].ends_with(".eml"),
        "{files:?}"
    );
    assert_eq!(repo.status(), Vec::<String>::new(), "nothing left over");
}

#[test]
fn a_new_ticket_is_committed_as_its_new_file() {
    let repo = Repo::new();
    let out = repo.run(&[
        "--commit",
        "--as",
        "jonas",
        "new",
        "--subject",
        "PDF export fails",
        "--requester",
        ANA,
        "-m",
        "It crashes.",
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2\n", "only the id");
    assert_eq!(repo.subject(), r#"#2: new "PDF export fails" (jonas)"#);
    assert_eq!(repo.files(), ["2.yaml"]);
    assert_eq!(
        repo.git(&["show", "HEAD:2.yaml"]),
        repo.desk.file(2),
        "the commit holds the file as written"
    );
}

#[test]
fn a_person_added_is_a_commit_of_people_yaml() {
    let repo = Repo::new();
    repo.ok(&[
        "--commit",
        "--as",
        "ada",
        "person",
        "add",
        "bea",
        "--name",
        "Bea Kunde",
        "--email",
        "bea@customer.example",
        "--role",
        "end-user",
    ]);
    assert_eq!(repo.subject(), "people: add bea (ada)");
    assert_eq!(repo.files(), ["people.yaml"]);
}

#[test]
fn what_someone_else_staged_stays_staged_and_out_of_the_commit() {
    let repo = Repo::new();
    std::fs::write(repo.root().join("notes.txt"), "my draft\n").unwrap();
    repo.git(&["add", "notes.txt"]);
    // A staged hand edit of another ticket's file, too.
    let id = repo.desk.another_ticket("Invoice", "Where is it?");
    repo.git(&["add", &format!("{id}.yaml")]);
    let before = repo.commits();
    repo.ok(&[
        "--commit",
        "--as",
        "jonas",
        "comment",
        "1",
        "-m",
        "The secret workaround is in the wiki.",
    ]);
    assert_eq!(repo.commits(), before + 1);
    assert_eq!(repo.files(), ["1.yaml"]);
    assert_eq!(repo.subject(), "#1: comment (jonas)");
    let staged = repo.git(&["diff", "--cached", "--name-only"]);
    assert_eq!(staged.lines().collect::<Vec<_>>(), ["2.yaml", "notes.txt"]);
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(!message.contains("secret"), "no body in {message:?}");
}

#[test]
fn commit_outside_a_git_repository_is_refused_before_anything_is_written() {
    let repo = Repo::without_git(Desk::new());
    let id = repo.desk.ticket();
    let before = repo.desk.file(id);
    let stderr = repo.fails(
        &[
            "--commit",
            "--as",
            "jonas",
            "tag",
            &id.to_string(),
            "--add",
            "vip",
        ],
        2,
    );
    assert!(
        stderr.starts_with("error: --commit: ")
            && stderr.contains("is not in a git repository; run `git init` or drop --commit"),
        "{stderr}"
    );
    assert_eq!(repo.desk.file(id), before, "nothing was written");
    // A command that only reads ignores --commit.
    repo.ok(&["--commit", "show", &id.to_string()]);
    repo.ok(&["--commit", "list"]);
}

#[test]
fn init_with_commit_commits_the_new_store() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repo::without_git(Desk::empty());
    let mut git = Command::new("git");
    repo.isolate(&mut git);
    let ok = git
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(ok.success());
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("tkt"));
    repo.isolate(&mut cmd);
    let out = cmd
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .env("GIT_AUTHOR_NAME", "Init Test")
        .env("GIT_AUTHOR_EMAIL", "init@test.example")
        .env("GIT_COMMITTER_NAME", "Init Test")
        .env("GIT_COMMITTER_EMAIL", "init@test.example")
        .args(["--commit", "init", "tickets"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut show = Command::new("git");
    repo.isolate(&mut show);
    let shown = show
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["show", "--name-only", "--format=%s", "HEAD"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&shown.stdout),
        "store: init\n\ntickets/.gitignore\ntickets/people.yaml\ntickets/templates/ask-billing.yaml\n\
         tickets/templates/escalate.yaml\ntickets/templates/product-feedback.yaml\ntickets/tkt.yaml\n"
    );
}

#[test]
fn during_a_merge_the_change_is_written_and_not_committed() {
    let repo = Repo::new();
    std::fs::write(repo.root().join("notes.txt"), "base\n").unwrap();
    repo.git(&["add", "notes.txt"]);
    repo.git(&["commit", "-q", "-m", "notes"]);
    repo.git(&["checkout", "-q", "-b", "other"]);
    std::fs::write(repo.root().join("notes.txt"), "theirs\n").unwrap();
    repo.git(&["commit", "-q", "-am", "theirs"]);
    repo.git(&["checkout", "-q", "main"]);
    std::fs::write(repo.root().join("notes.txt"), "ours\n").unwrap();
    repo.git(&["commit", "-q", "-am", "ours"]);
    let merge = repo.git_output(&["merge", "other"]);
    assert!(!merge.status.success(), "the merge stops on a conflict");
    let head = repo.git(&["rev-parse", "HEAD"]);
    let stderr = repo.ok(&["--commit", "--as", "jonas", "tag", "1", "--add", "vip"]);
    assert!(
        stderr.contains(
            "warning: a merge is in progress in this repository: 1.yaml written but not committed"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("Committed"), "{stderr}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "no commit");
    assert!(repo.desk.file(1).contains("vip"), "the write happened");
}

#[test]
fn during_a_rebase_cherry_pick_or_revert_the_change_is_not_committed_either() {
    // What git leaves in its directory while each operation waits for conflicts to be resolved.
    for (state, what) in [
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
        ("rebase-merge/", "a rebase"),
        ("rebase-apply/", "a rebase"),
    ] {
        let repo = Repo::new();
        let head = repo.git(&["rev-parse", "HEAD"]);
        let git_dir = repo.git(&["rev-parse", "--absolute-git-dir"]);
        let path = Path::new(git_dir.trim()).join(state.trim_end_matches('/'));
        if state.ends_with('/') {
            std::fs::create_dir(&path).unwrap();
        } else {
            std::fs::write(&path, &head).unwrap();
        }
        let stderr = repo.ok(&["--commit", "--as", "jonas", "tag", "1", "--add", "vip"]);
        assert!(
            stderr.contains(&format!(
                "warning: {what} is in progress in this repository"
            )),
            "{state}: {stderr}"
        );
        assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "{state}");
        assert!(repo.desk.file(1).contains("vip"), "{state}");
    }
}

#[test]
fn with_auto_commit_every_write_is_a_commit() {
    let repo = Repo::new();
    repo.set("auto_commit: true");
    repo.git(&["commit", "-q", "-am", "auto_commit on"]);
    let before = repo.commits();
    repo.ok(&["--as", "jonas", "status", "1", "pending"]);
    assert_eq!(repo.subject(), "#1: status pending (jonas)");
    repo.ok(&["--as", "jonas", "assign", "1", "mette"]);
    assert_eq!(repo.subject(), "#1: assign mette (jonas)");
    repo.ok(&[
        "--as",
        "ada",
        "person",
        "add",
        "bea",
        "--name",
        "Bea",
        "--email",
        "bea@acme.example",
    ]);
    assert_eq!(repo.subject(), "people: add bea (ada)");
    assert_eq!(repo.commits(), before + 3);
    // Reads and changes that change nothing commit nothing.
    repo.ok(&["show", "1"]);
    repo.ok(&["--as", "jonas", "cc", "add", "1", "bob@agency.example"]);
    assert_eq!(repo.commits(), before + 3);
    assert_eq!(repo.status(), Vec::<String>::new());
}

#[test]
fn a_customer_replying_in_an_auto_commit_store_hears_nothing_of_git() {
    let repo = Repo::new();
    repo.set("auto_commit: true");
    repo.git(&["commit", "-q", "-am", "auto_commit on"]);
    let stderr = repo.ok(&["--as", ANA, "comment", "1", "-m", "Any news?"]);
    assert_eq!(stderr, "Added your reply to #1\n");
    assert_eq!(
        repo.subject(),
        format!("#1: comment (ana@customer.example)")
    );
    // A commit that fails is one line that names no file and quotes nothing of git.
    repo.git(&["config", "--unset", "user.email"]);
    repo.git(&["config", "user.useConfigOnly", "true"]);
    let stderr = repo.fails(&["-q", "--as", ANA, "comment", "1", "-m", "Hello?"], 1);
    assert_eq!(
        stderr,
        "error: the change was made but could not be recorded in git (ask the desk's staff)\n"
    );
}

#[test]
fn auto_commit_in_a_copy_outside_git_warns_and_still_writes() {
    let repo = Repo::without_git(Desk::new());
    let id = repo.desk.ticket();
    repo.set("auto_commit: true");
    let stderr = repo.ok(&["--as", "jonas", "tag", &id.to_string(), "--add", "vip"]);
    assert!(
        stderr.contains("warning: auto_commit is on in tkt.yaml, but ")
            && stderr.contains("is not in a git repository: 1.yaml not committed"),
        "{stderr}"
    );
    assert!(repo.desk.file(id).contains("vip"));
}

#[test]
fn a_commit_git_refuses_keeps_the_write_and_exits_1_with_gits_line() {
    let repo = Repo::new();
    // No identity, and git told not to guess one.
    repo.git(&["config", "--unset", "user.email"]);
    repo.git(&["config", "user.useConfigOnly", "true"]);
    let before = repo.commits();
    let stderr = repo.fails(
        &[
            "-q", "--commit", "--as", "jonas", "tag", "1", "--add", "vip",
        ],
        1,
    );
    assert!(
        stderr.starts_with("error: the change was made but not committed: git commit: fatal: "),
        "{stderr}"
    );
    assert!(repo.desk.file(1).contains("vip"), "the write stays");
    assert_eq!(repo.commits(), before);
}

#[test]
fn concurrent_commits_each_commit_their_own_file() {
    let repo = Repo::new();
    let ids: Vec<u64> = (0..6)
        .map(|i| repo.desk.another_ticket(&format!("Ticket {i}"), "Hello."))
        .collect();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "more tickets"]);
    let before = repo.commits();
    let children: Vec<_> = ids
        .iter()
        .map(|id| {
            let mut cmd = repo.tkt();
            cmd.args([
                "--commit",
                "--as",
                "jonas",
                "tag",
                &id.to_string(),
                "--add",
                "vip",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(repo.commits(), before + ids.len());
    let log = repo.git(&[
        "log",
        &format!("-{}", ids.len()),
        "--format=%s",
        "--name-only",
    ]);
    for id in &ids {
        assert!(
            log.contains(&format!("#{id}: tag add vip (jonas)\n\n{id}.yaml\n")),
            "{log}"
        );
    }
    assert_eq!(repo.status(), Vec::<String>::new());
    repo.git(&["fsck", "--no-progress"]);
}

#[test]
fn concurrent_commits_to_one_ticket_lose_nothing() {
    let repo = Repo::new();
    let before = repo.commits();
    let tags: Vec<String> = (0..6).map(|i| format!("t{i}")).collect();
    let children: Vec<_> = tags
        .iter()
        .map(|tag| {
            let mut cmd = repo.tkt();
            cmd.args(["--commit", "--as", "jonas", "tag", "1", "--add", tag])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("Committed: #1: tag add t")
                || stderr.contains("Nothing to commit: 1.yaml already committed as written"),
            "{stderr}"
        );
    }
    // Two writers may share a commit, never lose a change or leave one uncommitted.
    let commits = repo.commits() - before;
    assert!((1..=tags.len()).contains(&commits), "{commits} commits");
    assert_eq!(repo.git(&["show", "HEAD:1.yaml"]), repo.desk.file(1));
    for tag in &tags {
        assert!(repo.desk.file(1).contains(&format!("- {tag}\n")), "{tag}");
    }
    assert_eq!(repo.status(), Vec::<String>::new());
}

/// The person who changed ticket #1 last, as its file records it.
fn last_by(repo: &Repo) -> String {
    let file = repo.desk.file(1);
    let line = file
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("by: ") || l.trim_start().starts_with("- by: "))
        .expect("an event");
    line.split("by: ").nth(1).unwrap().trim().to_string()
}

#[test]
fn identity_from_git_acts_as_the_person_with_gits_email() {
    let repo = Repo::new();
    repo.set("identity_from_git: true");
    repo.git(&["config", "user.email", "Mette@ACME.example"]);
    let stderr = repo.ok(&["--commit", "tag", "1", "--add", "vip"]);
    assert_eq!(last_by(&repo), "mette", "{stderr}");
    assert_eq!(repo.subject(), "#1: tag add vip (mette)");
    // --as and TKT_AS still win.
    repo.ok(&["--as", "jonas", "tag", "1", "--add", "urgent"]);
    assert_eq!(last_by(&repo), "jonas");
    let out = {
        let mut cmd = repo.tkt();
        cmd.env("TKT_AS", "anders")
            .args(["tag", "1", "--add", "billing"])
            .output()
            .unwrap()
    };
    assert!(out.status.success());
    assert_eq!(last_by(&repo), "anders");
}

#[test]
fn identity_from_git_that_matches_nobody_falls_back_to_default_as_or_says_so() {
    let repo = Repo::new();
    repo.set("identity_from_git: true");
    repo.git(&["config", "user.email", "stranger@elsewhere.example"]);
    let stderr = repo.fails(&["tag", "1", "--add", "vip"], 2);
    assert!(
        stderr.starts_with("error: no actor: ")
            && stderr.contains(
                "git config user.email stranger@elsewhere.example is nobody's in people.yaml"
            ),
        "{stderr}"
    );
    repo.set("default_as: anders");
    repo.ok(&["tag", "1", "--add", "vip"]);
    assert_eq!(last_by(&repo), "anders");
}

#[test]
fn without_the_setting_gits_email_is_ignored() {
    let repo = Repo::new();
    repo.git(&["config", "user.email", "mette@acme.example"]);
    let stderr = repo.fails(&["tag", "1", "--add", "vip"], 2);
    assert!(stderr.starts_with("error: no actor: "), "{stderr}");
    assert!(!stderr.contains("git"), "{stderr}");
    assert!(!repo.desk.file(1).contains("vip"));
}

#[test]
fn identity_from_git_does_not_change_who_reads() {
    let repo = Repo::new();
    repo.set("identity_from_git: true");
    // Ana's address is git's: reads stay the full staff view, as with no --as.
    repo.git(&["config", "user.email", ANA]);
    repo.desk
        .side("1", "Known issue?", "anders", "Is this known?");
    let out = repo.run(&["show", "1"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Known issue?"),
        "the staff view shows side conversations"
    );
}
