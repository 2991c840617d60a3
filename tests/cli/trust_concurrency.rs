//! Trust, concurrency and crashes (SPEC §6): many tkt processes at once never lose an update, a writer
//! killed at any moment never leaves half a file, and a held or abandoned lock never hangs a run.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::desk::{ANA, BOB, Desk, NOW};

/// `tkt -C <store>` as a plain child process, so that many can run at once. The lock timeout is generous:
/// on a loaded CI machine dozens of writers queue for one ticket.
fn tkt(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tkt"));
    for var in ["TKT_STORE", "TKT_AS", "NO_COLOR", "EDITOR", "VISUAL"] {
        cmd.env_remove(var);
    }
    cmd.env("TKT_NOW", NOW)
        .env("TKT_LOCK_TIMEOUT", "120")
        .arg("-C")
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn spawn(root: &Path, args: &[String]) -> Child {
    tkt(root).args(args).spawn().expect("start tkt")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Waits for a child, but never forever: a hang is a failure, reported as one.
fn finish(mut child: Child, what: &str) -> Output {
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("poll tkt").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what}: still running after two minutes (a hang)");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait_with_output().expect("collect tkt output")
}

fn show_json(desk: &Desk, id: u64) -> Value {
    serde_json::from_str(&desk.ok(&["show", &id.to_string(), "--format", "json"])).expect("json")
}

fn list_of<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list"))
}

/// How many entries of `list` have `field` equal to `text`.
fn count(list: &[Value], field: &str, text: &str) -> usize {
    list.iter().filter(|e| e[field] == text).count()
}

/// All ticket ids of a store, from its file names.
fn ticket_files(root: &Path) -> Vec<u64> {
    let mut ids: Vec<u64> = std::fs::read_dir(root)
        .expect("read store")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            tkt::store::id_of_file_name(&name)
        })
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn concurrent_changes_to_one_ticket_are_all_kept_exactly_once() {
    let desk = Desk::new();
    let id = desk.ticket();
    let ids = id.to_string();
    desk.side(&ids, "Tier 3", "anders", "Can you look at this?");
    let before = show_json(&desk, id);
    let events_before = list_of(&before, "events").len();
    let followers_before = list_of(&before, "followers").len();

    // Every job is started before any is waited for.
    let mut jobs: Vec<(String, Vec<String>)> = Vec::new();
    let authors = ["jonas", "mette", "anders", "lise", "ada"];
    for i in 0..20 {
        let body = format!("comment-marker-{i:02}");
        jobs.push((
            body.clone(),
            args(&["--as", authors[i % 5], "comment", &ids, "-m", &body]),
        ));
    }
    for i in 0..5 {
        let address = format!("cc{i}@partner.example");
        jobs.push((
            address.clone(),
            args(&["--as", "jonas", "cc", "add", &ids, &address]),
        ));
    }
    jobs.push((
        "cc remove".into(),
        args(&["--as", "mette", "cc", "remove", &ids, BOB]),
    ));
    for who in ["mette", "anders", "lise"] {
        jobs.push((
            format!("follow {who}"),
            args(&["--as", who, "follower", "add", &ids, who]),
        ));
    }
    for i in 0..5 {
        let body = format!("side-marker-{i}");
        let who = if i % 2 == 0 { "jonas" } else { "anders" };
        jobs.push((
            body.clone(),
            args(&["--as", who, "side", "reply", &ids, "1", "-m", &body]),
        ));
    }
    for i in 0..3 {
        let tag = format!("tag{i}");
        jobs.push((
            tag.clone(),
            args(&["--as", "ada", "tag", &ids, "--add", &tag]),
        ));
    }
    let mut news = Vec::new();
    for i in 0..12 {
        let subject = format!("new-marker-{i:02}");
        news.push((
            subject.clone(),
            args(&[
                "--as",
                authors[i % 5],
                "new",
                "--subject",
                &subject,
                "--requester",
                ANA,
                "-m",
                "Opening message",
            ]),
        ));
    }
    let writers = jobs.len() + news.len();
    let changes: Vec<_> = jobs
        .iter()
        .map(|(what, a)| (what.clone(), spawn(desk.root(), a)))
        .collect();
    let creations: Vec<_> = news
        .iter()
        .map(|(subject, a)| (subject.clone(), spawn(desk.root(), a)))
        .collect();
    assert!(writers >= 45, "{writers} writers");

    for (what, child) in changes {
        let out = finish(child, &what);
        assert!(
            out.status.success(),
            "{what}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut created = BTreeMap::new();
    for (subject, child) in creations {
        let out = finish(child, &subject);
        assert!(
            out.status.success(),
            "{subject}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let new_id: u64 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("the new id on stdout");
        assert!(
            created.insert(new_id, subject).is_none(),
            "id {new_id} handed out twice"
        );
    }

    // Every change is there, exactly once.
    let after = show_json(&desk, id);
    let comments = list_of(&after, "comments");
    for i in 0..20 {
        let body = format!("comment-marker-{i:02}");
        assert_eq!(count(comments, "body", &body), 1, "{body} in {comments:#?}");
    }
    assert_eq!(comments.len(), 21, "the opening message and 20 comments");
    let numbers: BTreeSet<u64> = comments.iter().map(|c| c["n"].as_u64().unwrap()).collect();
    assert_eq!(
        numbers,
        (1..=21).collect(),
        "comment numbers are 1..=21 without gaps or twins"
    );
    let entry_ids: BTreeSet<&str> = comments.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(entry_ids.len(), 21, "comment ids are distinct");

    let cc: BTreeSet<&str> = list_of(&after, "cc")
        .iter()
        .map(|c| c["email"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<String> = (0..5).map(|i| format!("cc{i}@partner.example")).collect();
    assert_eq!(cc, expected.iter().map(String::as_str).collect(), "CCs");

    let followers: Vec<&str> = list_of(&after, "followers")
        .iter()
        .map(|f| f["handle"].as_str().unwrap())
        .collect();
    for who in ["mette", "anders", "lise", "ada"] {
        assert_eq!(
            followers.iter().filter(|f| **f == who).count(),
            1,
            "{who} follows once: {followers:?}"
        );
    }

    let side = &list_of(&after, "side_conversations")[0];
    let messages = list_of(side, "messages");
    for i in 0..5 {
        let body = format!("side-marker-{i}");
        assert_eq!(count(messages, "body", &body), 1, "{body}");
    }
    assert_eq!(messages.len(), 6);

    let tags: BTreeSet<&str> = list_of(&after, "tags")
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(tags, ["tag0", "tag1", "tag2"].into_iter().collect());

    // One event per change: comments, CCs added and removed, side replies, tags, and one follower.add per
    // person who came to follow (by commenting or being added, whichever came first).
    let events = list_of(&after, "events");
    assert_eq!(count(events, "action", "comment"), 20, "{events:#?}");
    assert_eq!(
        count(events, "action", "cc.add"),
        5 + 1,
        "Bob's and five more"
    );
    assert_eq!(count(events, "action", "cc.remove"), 1);
    assert_eq!(count(events, "action", "side.message"), 1 + 5);
    let new_followers = followers.len() - followers_before;
    assert_eq!(
        new_followers, 4,
        "mette, anders, lise and ada came to follow"
    );
    assert_eq!(
        events.len(),
        events_before + 20 + 5 + 1 + 5 + 3 + new_followers,
        "no event lost or doubled: {events:#?}"
    );

    // Twelve new tickets, twelve ids, each file holding the subject of the run that printed its id.
    assert_eq!(created.len(), 12);
    for (new_id, subject) in &created {
        assert_ne!(*new_id, id);
        assert_eq!(show_json(&desk, *new_id)["subject"], subject.as_str());
    }
    let mut all: Vec<u64> = created.keys().copied().collect();
    all.push(id);
    all.sort_unstable();
    assert_eq!(
        ticket_files(desk.root()),
        all,
        "no other ticket file appeared"
    );
    let listed: Value = serde_json::from_str(&desk.ok(&["list", "--format", "json"])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 13);
}

fn lock_file(desk: &Desk, name: &str) -> PathBuf {
    let dir = desk.path(".tkt/locks");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{name}.lock"))
}

fn hold_lock(path: &Path) -> std::fs::File {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .expect("open lock file");
    file.lock().expect("take the lock");
    file
}

/// Runs `tkt args…` with a short lock timeout; it must end (not hang) with exit 1 and one line naming the lock.
fn times_out(desk: &Desk, args: &[&str], lock: &str) {
    let mut cmd = tkt(desk.root());
    cmd.env("TKT_LOCK_TIMEOUT", "0.5").args(args);
    let out = finish(cmd.spawn().unwrap(), &format!("{args:?}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.contains(lock) && stderr.contains("locked"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_held_lock_gives_exit_1_and_one_line_not_a_hang() {
    let desk = Desk::new();
    let id = desk.ticket();
    let ids = id.to_string();
    let file_before = desk.file(id);

    let held = hold_lock(&lock_file(&desk, &ids));
    times_out(
        &desk,
        &["--as", "jonas", "comment", &ids, "-m", "waiting"],
        &format!("{id}.lock"),
    );
    times_out(
        &desk,
        &["--as", "jonas", "status", &ids, "open"],
        &format!("{id}.lock"),
    );
    assert_eq!(desk.file(id), file_before, "nothing was written");
    // Readers never wait for writers: the file is only ever replaced whole.
    desk.ok(&["show", &ids]);
    desk.ok(&["list"]);
    drop(held);
    desk.ok(&["--as", "jonas", "comment", &ids, "-m", "now it works"]);

    let held = hold_lock(&lock_file(&desk, "new"));
    times_out(
        &desk,
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "S",
            "--requester",
            ANA,
            "-m",
            "Hi",
        ],
        "new.lock",
    );
    drop(held);
    assert_eq!(ticket_files(desk.root()), vec![id]);

    let held = hold_lock(&lock_file(&desk, "people"));
    times_out(
        &desk,
        &[
            "person",
            "add",
            "ole",
            "--name",
            "Ole",
            "--email",
            "ole@acme.example",
        ],
        "people.lock",
    );
    drop(held);
    desk.ok(&[
        "person",
        "add",
        "ole",
        "--name",
        "Ole",
        "--email",
        "ole@acme.example",
    ]);
}

/// Not a test: the process that holds a lock until it is killed, started by
/// `a_lock_left_by_a_killed_process_never_blocks_the_next_run` (this test binary runs itself).
#[test]
#[ignore = "helper process, started by another test"]
fn helper_hold_lock_until_killed() {
    let Some(path) = std::env::var_os("TKT_TEST_HOLD_LOCK") else {
        return;
    };
    let _held = hold_lock(Path::new(&path));
    println!("LOCKED");
    std::thread::sleep(Duration::from_secs(600));
}

#[test]
fn a_lock_left_by_a_killed_process_never_blocks_the_next_run() {
    let desk = Desk::new();
    let id = desk.ticket();
    let ids = id.to_string();
    let lock = lock_file(&desk, &ids);

    let mut holder = Command::new(std::env::current_exe().unwrap())
        .args([
            "trust_concurrency::helper_hold_lock_until_killed",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TKT_TEST_HOLD_LOCK", &lock)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the lock holder");
    let stdout = BufReader::new(holder.stdout.take().unwrap());
    let locked = stdout
        .lines()
        .map_while(Result::ok)
        .any(|l| l.contains("LOCKED"));
    assert!(locked, "the helper took the lock");
    times_out(
        &desk,
        &["--as", "jonas", "comment", &ids, "-m", "blocked"],
        &format!("{id}.lock"),
    );

    holder.kill().expect("SIGKILL the holder");
    holder.wait().unwrap();
    assert!(lock.exists(), "the lock file stays (it is never deleted)");
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &ids,
        "-m",
        "after the holder died",
    ]);
    assert!(desk.file(id).contains("after the holder died"));
}

/// A small deterministic generator (xorshift), seeded per run; the seed is in every failure message.
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        Rng(nanos | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What one killed writer was doing, and the marker its change would leave.
struct Writer {
    kind: &'static str,
    marker: String,
    child: Child,
    kill_after: Duration,
}

#[test]
fn writers_killed_at_random_moments_leave_whole_files() {
    const TRIALS: usize = 400;
    const AT_ONCE: usize = 4;
    let desk = Desk::new();
    let id = desk.ticket();
    let ids = id.to_string();
    desk.side(&ids, "Tier 3", "anders", "Look?");
    let mut rng = Rng::seeded();
    let seed = rng.0;
    // marker -> (kind, whether its writer finished successfully)
    let mut outcomes: Vec<(&'static str, String, bool)> = Vec::new();
    let mut killed = 0;

    for batch in 0..TRIALS / AT_ONCE {
        let mut writers = Vec::new();
        for k in 0..AT_ONCE {
            let n = batch * AT_ONCE + k;
            let (kind, marker, a) = match rng.below(4) {
                0 => {
                    let m = format!("kill-comment-{n}");
                    (
                        "comment",
                        m.clone(),
                        args(&["--as", "mette", "comment", &ids, "-m", &m]),
                    )
                }
                1 => {
                    let m = format!("kill-cc-{n}@partner.example");
                    (
                        "cc",
                        m.clone(),
                        args(&["--as", "jonas", "cc", "add", &ids, &m]),
                    )
                }
                2 => {
                    let m = format!("kill-side-{n}");
                    (
                        "side",
                        m.clone(),
                        args(&["--as", "anders", "side", "reply", &ids, "1", "-m", &m]),
                    )
                }
                _ => {
                    let m = format!("kill-new-{n}");
                    let a = args(&[
                        "--as",
                        "jonas",
                        "new",
                        "--subject",
                        &m,
                        "--requester",
                        ANA,
                        "-m",
                        "x",
                    ]);
                    ("new", m, a)
                }
            };
            let kill_after = Duration::from_micros(rng.below(12_000));
            writers.push(Writer {
                kind,
                marker,
                child: spawn(desk.root(), &a),
                kill_after,
            });
        }
        let started = Instant::now();
        writers.sort_by_key(|w| w.kill_after);
        for w in &mut writers {
            if let Some(rest) = w.kill_after.checked_sub(started.elapsed()) {
                std::thread::sleep(rest);
            }
            // Child::kill is SIGKILL on Unix; a writer that already finished is left as it is.
            let _ = w.child.kill();
        }
        for w in writers {
            let out = finish(w.child, &w.marker);
            let succeeded = out.status.success();
            if !succeeded {
                assert_eq!(
                    out.status.code(),
                    None,
                    "seed {seed}: {} failed by itself: {}",
                    w.marker,
                    String::from_utf8_lossy(&out.stderr)
                );
                killed += 1;
            }
            outcomes.push((w.kind, w.marker, succeeded));
        }
        // The ticket everyone writes to is whole after every batch.
        tkt::store::load_file(&desk.path(&format!("{id}.yaml")), id)
            .unwrap_or_else(|e| panic!("seed {seed}, batch {batch}: {e:#}"));
    }
    assert!(
        killed > 0,
        "seed {seed}: no writer was killed, so nothing was tested"
    );

    // Every ticket file parses, through the binary too.
    let files = ticket_files(desk.root());
    let mut subjects = Vec::new();
    for file_id in &files {
        let ticket = show_json(&desk, *file_id);
        subjects.push(ticket["subject"].as_str().unwrap().to_string());
    }
    let ticket = show_json(&desk, id);
    let comments = list_of(&ticket, "comments");
    let messages = list_of(&list_of(&ticket, "side_conversations")[0], "messages");
    let cc = list_of(&ticket, "cc");
    let mut killed_after_writing = 0;
    for (kind, marker, succeeded) in &outcomes {
        let times = match *kind {
            "comment" => count(comments, "body", marker),
            "side" => count(messages, "body", marker),
            "cc" => count(cc, "email", marker),
            _ => subjects.iter().filter(|s| *s == marker).count(),
        };
        if *succeeded {
            assert_eq!(
                times, 1,
                "seed {seed}: {marker} finished but is there {times} times"
            );
        } else {
            assert!(times <= 1, "seed {seed}: {marker} is there {times} times");
            killed_after_writing += times;
        }
    }
    println!(
        "{TRIALS} writers, {killed} killed ({killed_after_writing} of them after their change was written), seed {seed}"
    );
    // A change and its event are written together or not at all.
    let events = list_of(&ticket, "events");
    assert_eq!(
        count(events, "action", "comment"),
        comments.len() - 1,
        "seed {seed}"
    );
    assert_eq!(
        count(events, "action", "side.message"),
        messages.len(),
        "seed {seed}"
    );
    assert_eq!(count(events, "action", "cc.add"), cc.len(), "seed {seed}");

    // Leftover temporary files of killed writers are not tickets: list neither shows nor warns about them.
    let out = desk.run(&["list", "--format", "json"]);
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), files.len());
    // And no lock was left behind.
    desk.ok(&["--as", "jonas", "comment", &ids, "-m", "still writable"]);
    desk.another_ticket("after", "x");
}

#[test]
fn any_lock_timeout_setting_is_safe() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    for value in ["1e300", "inf", "NaN", "-1", "abc", "", " 2 ", "1e18", "0"] {
        let out = desk
            .tkt()
            .env("TKT_LOCK_TIMEOUT", value)
            .args([
                "--as",
                "jonas",
                "comment",
                &id,
                "-m",
                &format!("timeout {value:?}"),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "TKT_LOCK_TIMEOUT={value:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
