//! Trust, links in the store: a hostile commit can track `.tkt/` and put symbolic links, files, FIFOs
//! and directories where tkt keeps its machine-local files or its tickets. tkt never writes (or reads)
//! through them: a file outside the store is never changed and none appears there; writes that would go
//! through are refused with exit 5; reads skip the cache; a ticket that is not a regular file is exit 5.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use tempfile::TempDir;

use crate::desk::{ANA, Desk};

const BASHRC: &str = "export PATH=\"$HOME/bin:$PATH\"\nalias ll='ls -l'\n";

/// A directory outside the store standing for the user's home: a `bashrc` tkt must never change and
/// an empty `elsewhere/` where no file may appear.
struct Home {
    dir: TempDir,
    before: BTreeMap<PathBuf, Vec<u8>>,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().expect("home");
        fs::write(dir.path().join("bashrc"), BASHRC).expect("bashrc");
        fs::create_dir(dir.path().join("elsewhere")).expect("elsewhere");
        let before = snapshot(dir.path());
        Home { dir, before }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Adds a file before the run; it is part of what must stay unchanged.
    fn add(&mut self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, contents).expect("home file");
        self.before = snapshot(self.dir.path());
        path
    }

    /// Every file is byte for byte what it was, and no file or directory appeared.
    fn unchanged(&self, case: &str) {
        assert_eq!(
            snapshot(self.dir.path()),
            self.before,
            "{case}: the files outside the store are untouched"
        );
    }
}

/// Every path under `dir` (not following links) with the bytes of each file.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        let meta = fs::symlink_metadata(&path).expect("lstat");
        if meta.is_dir() {
            all.insert(path.clone(), Vec::new());
            all.extend(snapshot(&path));
        } else {
            all.insert(path.clone(), fs::read(&path).unwrap_or_default());
        }
    }
    all
}

/// Runs tkt with a hang guard: a run that blocks (on a FIFO, say) is killed and fails the test.
fn run(desk: &Desk, args: &[&str]) -> Output {
    desk.tkt()
        .args(args)
        .timeout(Duration::from_secs(30))
        .output()
        .expect("run tkt")
}

fn ok(desk: &Desk, args: &[&str]) -> Output {
    let out = run(desk, args);
    assert!(
        out.status.success(),
        "tkt {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Exit `code`, one line on stderr, nothing on stdout; returns stderr.
fn fails(desk: &Desk, args: &[&str], code: i32) -> String {
    let out = run(desk, args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(code),
        "tkt {args:?}: expected exit {code}, stderr {stderr:?}"
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The changes every kind of write makes, each taking a lock; `id` is an existing ticket.
fn writes(id: &str) -> Vec<Vec<String>> {
    let as_jonas = |rest: &[&str]| {
        ["--as", "jonas"]
            .iter()
            .chain(rest)
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    };
    vec![
        as_jonas(&["new", "--subject", "Again", "--requester", ANA, "-m", "Hi"]),
        as_jonas(&["comment", id, "-m", "A note"]),
        as_jonas(&["cc", "add", id, "new@partner.example"]),
        as_jonas(&["status", id, "pending"]),
        as_jonas(&[
            "side",
            "open",
            id,
            "--subject",
            "Q",
            "--with",
            "mette",
            "-m",
            "?",
        ]),
        vec![
            "person".into(),
            "add".into(),
            "kim".into(),
            "--name".into(),
            "Kim Lund".into(),
            "--email".into(),
            "kim@acme.example".into(),
        ],
    ]
}

/// Every write is refused with exit 5 naming `fragment` and saying to remove it; the ticket files and
/// the people file are left as they were.
fn writes_refused(desk: &Desk, id: u64, fragment: &str) {
    let ticket = desk.file(id);
    let people = fs::read(desk.path("people.yaml")).expect("people");
    for args in writes(&id.to_string()) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let stderr = fails(desk, &args, 5);
        assert!(
            stderr.contains(fragment) && stderr.contains("remove it"),
            "{args:?} names {fragment} and says to remove it: {stderr}"
        );
    }
    assert_eq!(desk.file(id), ticket, "no ticket changed");
    assert!(
        !desk.path(&format!("{}.yaml", id + 1)).exists(),
        "no ticket created"
    );
    assert_eq!(fs::read(desk.path("people.yaml")).expect("people"), people);
}

/// `list` and `show` work (for staff and for the customer) from the ticket files alone.
fn reads_work(desk: &Desk, id: u64) {
    let id = id.to_string();
    for viewer in [&[][..], &["--as", ANA][..]] {
        let list = ok(desk, &[viewer, &["list"]].concat());
        assert!(
            stdout(&list).contains("PDF export fails"),
            "{viewer:?} lists"
        );
        let show = ok(desk, &[viewer, &["show", &id]].concat());
        assert!(
            stdout(&show).contains("PDF export fails"),
            "{viewer:?} shows"
        );
    }
}

fn replace_with_link(path: &Path, target: &Path) {
    if fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        fs::remove_dir_all(path).expect("remove dir");
    } else if fs::symlink_metadata(path).is_ok() {
        fs::remove_file(path).expect("remove file");
    }
    symlink(target, path).expect("symlink");
}

fn is_regular(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success(), "mkfifo");
}

#[test]
fn a_linked_id_hint_is_never_written_through() {
    let home = Home::new();
    let desk = Desk::new();
    let id = desk.ticket();
    replace_with_link(&desk.path(".tkt/last-id"), &home.path("bashrc"));

    // Rewrites re-stamp a valid hint; a linked one is left alone.
    ok(
        &desk,
        &["--as", "jonas", "comment", "1", "-m", "Looking into it"],
    );
    ok(
        &desk,
        &["--as", "jonas", "cc", "add", "1", "new@partner.example"],
    );
    home.unchanged("comment and cc add");
    assert!(desk.file(id).contains("Looking into it"));

    let new = ok(
        &desk,
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "Two",
            "--requester",
            ANA,
            "-m",
            "x",
        ],
    );
    assert_eq!(stdout(&new).trim(), "2", "the next id comes from the files");
    home.unchanged("new");
    assert!(
        is_regular(&desk.path(".tkt/last-id")),
        "new replaces the link with its own hint"
    );
    let third = ok(
        &desk,
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "Three",
            "--requester",
            ANA,
            "-m",
            "x",
        ],
    );
    assert_eq!(stdout(&third).trim(), "3");
}

#[test]
fn a_hint_link_to_nowhere_creates_nothing_outside() {
    let home = Home::new();
    let desk = Desk::new();
    desk.ticket();
    replace_with_link(&desk.path(".tkt/last-id"), &home.path("elsewhere/last-id"));
    ok(
        &desk,
        &["--as", "jonas", "comment", "1", "-m", "Looking into it"],
    );
    let new = ok(
        &desk,
        &[
            "--as",
            "jonas",
            "new",
            "--subject",
            "Two",
            "--requester",
            ANA,
            "-m",
            "x",
        ],
    );
    assert_eq!(stdout(&new).trim(), "2");
    home.unchanged("new with a dangling hint link");
}

#[test]
fn a_linked_list_cache_is_never_read_or_written_through() {
    let mut home = Home::new();
    let desk = Desk::new();
    desk.ticket();
    let cache = desk.path(".tkt/list-cache");
    std::thread::sleep(Duration::from_millis(30));
    ok(&desk, &["list"]);
    assert!(is_regular(&cache), "list writes its cache");

    // The store's own valid cache, moved out and linked back: reading through the link would use it
    // and leave the link in place.
    let outside = home.add("cache", fs::read(&cache).expect("cache"));
    let garbage = home.add("garbage", b"tktlist\n\xff\xfe not a cache at all");
    for target in [outside, garbage, home.path("bashrc")] {
        replace_with_link(&cache, &target);
        for _ in 0..2 {
            let list = ok(&desk, &["list"]);
            assert!(stdout(&list).contains("PDF export fails"), "{target:?}");
            home.unchanged(&format!("list with the cache linked to {target:?}"));
        }
        assert!(
            is_regular(&cache),
            "the link is replaced by a cache of its own"
        );
    }
}

#[test]
fn a_linked_local_dir_refuses_writes_and_lists_without_it() {
    let home = Home::new();
    let desk = Desk::new();
    let id = desk.ticket();
    replace_with_link(&desk.path(".tkt"), &home.path("elsewhere"));
    writes_refused(&desk, id, ".tkt");
    reads_work(&desk, id);
    home.unchanged(".tkt linked to a directory outside");

    // Linked to a file, or to nothing: the same.
    replace_with_link(&desk.path(".tkt"), &home.path("bashrc"));
    writes_refused(&desk, id, ".tkt");
    reads_work(&desk, id);
    replace_with_link(&desk.path(".tkt"), &home.path("nothing"));
    writes_refused(&desk, id, ".tkt");
    reads_work(&desk, id);
    home.unchanged(".tkt linked to a file or to nothing");
}

#[test]
fn a_local_dir_that_is_a_file_refuses_writes() {
    let desk = Desk::new();
    let id = desk.ticket();
    fs::remove_dir_all(desk.path(".tkt")).expect("remove .tkt");
    desk.write(".tkt", "not a directory\n");
    writes_refused(&desk, id, ".tkt");
    reads_work(&desk, id);
    assert_eq!(
        fs::read(desk.path(".tkt")).expect(".tkt"),
        b"not a directory\n"
    );
}

#[test]
fn a_linked_or_file_locks_dir_refuses_writes() {
    let home = Home::new();
    let desk = Desk::new();
    let id = desk.ticket();
    replace_with_link(&desk.path(".tkt/locks"), &home.path("elsewhere"));
    writes_refused(&desk, id, ".tkt/locks");
    reads_work(&desk, id);
    home.unchanged(".tkt/locks linked outside");

    fs::remove_file(desk.path(".tkt/locks")).expect("remove link");
    desk.write(".tkt/locks", "");
    writes_refused(&desk, id, ".tkt/locks");
}

#[test]
fn a_linked_lock_file_is_refused() {
    let home = Home::new();
    let desk = Desk::new();
    let id = desk.ticket();
    let other = desk.another_ticket("Other", "x");
    replace_with_link(
        &desk.path(&format!(".tkt/locks/{id}.lock")),
        &home.path("bashrc"),
    );
    let before = desk.file(id);
    for args in [
        vec!["--as", "jonas", "comment", "1", "-m", "A note"],
        vec!["--as", "jonas", "cc", "add", "1", "new@partner.example"],
    ] {
        let stderr = fails(&desk, &args, 5);
        assert!(
            stderr.contains("1.lock") && stderr.contains("symbolic link"),
            "{stderr}"
        );
    }
    assert_eq!(desk.file(id), before);
    ok(
        &desk,
        &["--as", "jonas", "comment", &other.to_string(), "-m", "Fine"],
    );
    home.unchanged("1.lock linked to bashrc");
}

#[test]
fn a_lock_link_to_nowhere_creates_nothing_outside() {
    let home = Home::new();
    let desk = Desk::new();
    let id = desk.ticket();
    for (lock, args) in [
        (
            "new.lock",
            vec![
                "--as",
                "jonas",
                "new",
                "--subject",
                "S",
                "--requester",
                ANA,
                "-m",
                "x",
            ],
        ),
        (
            "people.lock",
            vec![
                "person",
                "add",
                "kim",
                "--name",
                "Kim",
                "--email",
                "kim@acme.example",
            ],
        ),
        ("1.lock", vec!["--as", "jonas", "tag", "1", "--add", "x"]),
    ] {
        replace_with_link(
            &desk.path(&format!(".tkt/locks/{lock}")),
            &home.path(&format!("elsewhere/{lock}")),
        );
        let stderr = fails(&desk, &args, 5);
        assert!(stderr.contains(lock), "{stderr}");
        home.unchanged(lock);
    }
    assert!(!desk.path(&format!("{}.yaml", id + 1)).exists());
}

#[test]
fn a_fifo_lock_file_never_hangs() {
    let desk = Desk::new();
    desk.ticket();
    let lock = desk.path(".tkt/locks/1.lock");
    fs::remove_file(&lock).expect("remove lock");
    mkfifo(&lock);
    let stderr = fails(&desk, &["--as", "jonas", "comment", "1", "-m", "x"], 5);
    assert!(stderr.contains("1.lock"), "{stderr}");
}

/// Ticket #7 whose file is `target` behind a link (or whatever `plant` puts there); #1 is a good ticket.
fn desk_with_ticket_7(plant: impl FnOnce(&Desk, &str)) -> Desk {
    let desk = Desk::new();
    desk.ticket();
    plant(&desk, &desk.file(1).replacen("id: 1\n", "id: 7\n", 1));
    desk
}

/// Every command on #`id` says `what` with exit 5 (an outsider gets the exit 4 of a missing ticket);
/// `list` warns about it, lists #1, and tells the customer nothing.
fn one_answer_everywhere(desk: &Desk, id: &str, what: &str) {
    let file = format!("{id}.yaml");
    for args in [
        vec!["show", id],
        vec!["show", id, "--format", "json"],
        vec!["--as", "jonas", "comment", id, "-m", "Hello"],
        vec!["--as", "jonas", "cc", "add", id, "new@partner.example"],
        vec!["--as", "jonas", "status", id, "pending"],
        vec!["--as", "jonas", "side", "list", id],
    ] {
        let stderr = fails(desk, &args, 5);
        assert!(
            stderr.contains(&file) && stderr.contains(what),
            "{args:?} says {file}: {what}: {stderr}"
        );
    }
    let outsider = fails(desk, &["show", id, "--as", ANA], 4);
    assert_eq!(
        outsider,
        fails(desk, &["show", "99", "--as", ANA], 4).replace("99", id)
    );
    fails(desk, &["--as", ANA, "comment", id, "-m", "Hi"], 4);

    let list = ok(desk, &["list"]);
    let warning = String::from_utf8_lossy(&list.stderr);
    assert!(
        warning.contains(&file) && warning.contains(what),
        "list warns: {warning}"
    );
    assert!(
        stdout(&list).contains("PDF export fails"),
        "list lists the rest"
    );
    let list = ok(desk, &["list", "--as", ANA]);
    assert!(list.stderr.is_empty() && stdout(&list).contains("PDF export fails"));
}

#[test]
fn a_ticket_file_linked_outside_is_refused_everywhere() {
    let mut home = Home::new();
    let mut target = PathBuf::new();
    let desk = desk_with_ticket_7(|desk, text| {
        target = home.add("7.yaml", text);
        symlink(&target, desk.path("7.yaml")).expect("symlink");
    });
    one_answer_everywhere(&desk, "7", "is a symbolic link");
    home.unchanged("7.yaml linked outside");
    assert!(fs::symlink_metadata(desk.path("7.yaml")).is_ok_and(|m| m.is_symlink()));
}

#[test]
fn a_ticket_file_linked_inside_the_store_is_refused_too() {
    let desk = desk_with_ticket_7(|desk, text| {
        desk.write("seven.txt", text);
        symlink("seven.txt", desk.path("7.yaml")).expect("symlink");
    });
    one_answer_everywhere(&desk, "7", "is a symbolic link");
}

#[test]
fn a_dangling_ticket_link_gets_the_same_answer_everywhere() {
    let home = Home::new();
    let desk = desk_with_ticket_7(|desk, _| {
        symlink(home.path("elsewhere/7.yaml"), desk.path("7.yaml")).expect("symlink");
    });
    one_answer_everywhere(&desk, "7", "is a symbolic link");
    // The link's name still takes its id.
    let new = ok(
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
            "x",
        ],
    );
    assert_eq!(stdout(&new).trim(), "8");
    home.unchanged("dangling 7.yaml");
}

#[test]
fn a_directory_named_like_a_ticket_is_invalid_data() {
    let desk = desk_with_ticket_7(|desk, _| fs::create_dir(desk.path("51.yaml")).expect("mkdir"));
    one_answer_everywhere(&desk, "51", "is a directory");
}

#[test]
fn a_fifo_named_like_a_ticket_never_hangs() {
    let desk = desk_with_ticket_7(|desk, _| mkfifo(&desk.path("52.yaml")));
    one_answer_everywhere(&desk, "52", "is a FIFO");
}

#[test]
fn a_linked_people_file_is_refused_and_never_rewritten() {
    let mut home = Home::new();
    let desk = Desk::new();
    let id = desk.ticket();
    let people = home.add(
        "people.yaml",
        fs::read(desk.path("people.yaml")).expect("people"),
    );
    replace_with_link(&desk.path("people.yaml"), &people);
    for args in [
        vec!["list"],
        vec!["show", "1"],
        vec!["--as", "jonas", "comment", "1", "-m", "x"],
        vec![
            "person",
            "add",
            "kim",
            "--name",
            "Kim",
            "--email",
            "kim@acme.example",
        ],
    ] {
        let stderr = fails(&desk, &args, 5);
        // Acting --as, the reason is given only to someone the people file shows to be staff, and a
        // linked file is not read to find out.
        let expected = if args.contains(&"--as") {
            "settings cannot be read"
        } else {
            "people.yaml: is a symbolic link"
        };
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    home.unchanged("people.yaml linked outside");
    assert!(desk.file(id).contains("PDF export fails"));
}

#[test]
fn a_people_file_that_is_a_fifo_never_hangs() {
    let desk = Desk::new();
    desk.ticket();
    fs::remove_file(desk.path("people.yaml")).expect("remove people");
    mkfifo(&desk.path("people.yaml"));
    let stderr = fails(&desk, &["list"], 5);
    assert!(stderr.contains("people.yaml: is a FIFO"), "{stderr}");
    // Someone acting --as is told why only if the people file shows them to be staff; looking must
    // not open the FIFO either.
    for who in ["ana@customer.example", "jonas"] {
        let stderr = fails(&desk, &["--as", who, "list"], 5);
        assert!(stderr.contains("settings cannot be read"), "{stderr}");
    }
}

#[test]
fn a_linked_settings_file_is_refused() {
    let mut home = Home::new();
    let desk = Desk::new();
    desk.ticket();
    let settings = home.add(
        "tkt.yaml",
        fs::read(desk.path("tkt.yaml")).expect("settings"),
    );
    replace_with_link(&desk.path("tkt.yaml"), &settings);
    for args in [
        vec!["list"],
        vec!["--as", "jonas", "comment", "1", "-m", "x"],
    ] {
        let stderr = fails(&desk, &args, 5);
        assert!(stderr.contains("tkt.yaml: is a symbolic link"), "{stderr}");
    }
    home.unchanged("tkt.yaml linked outside");
}
