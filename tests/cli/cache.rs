//! The list cache is never wrong: whatever changes a ticket file behind tkt's back (an editor that keeps
//! the size and the mtime, `git checkout` renaming a file into place, a deletion, a damaged cache, a
//! ticket that stops parsing), `tkt list` shows what the files say. And listing never touches a ticket.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::desk::{ANA, Desk};

const CACHE: &str = ".tkt/list-cache";

/// Lists twice, a clock tick after the last change, so the cache holds every ticket (a file changed in
/// the same tick as the listing is left out of the cache on purpose, and parsed again next time).
fn list_cached(desk: &Desk) -> String {
    std::thread::sleep(Duration::from_millis(30));
    desk.ok(&["list"]);
    let out = desk.ok(&["list"]);
    assert!(desk.path(CACHE).is_file(), "list writes its cache");
    out
}

fn cache_holds(desk: &Desk, text: &str) -> bool {
    let bytes = fs::read(desk.path(CACHE)).expect("cache file");
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

fn set_mtime(path: &Path, time: SystemTime) {
    let file = fs::OpenOptions::new().write(true).open(path).expect("open");
    file.set_modified(time).expect("set mtime");
}

/// Replaces `from` by `to` (of the same length) in ticket `id`'s text.
fn same_size_edit(desk: &Desk, id: u64, from: &str, to: &str) -> String {
    assert_eq!(from.len(), to.len());
    let text = desk.file(id);
    assert!(text.contains(from), "{from:?} in {text}");
    text.replacen(from, to, 1)
}

#[test]
fn a_hand_edit_that_keeps_the_size_and_the_mtime_is_seen() {
    let desk = Desk::new();
    let id = desk.ticket();
    let path = desk.path(&format!("{id}.yaml"));
    assert!(list_cached(&desk).contains("PDF export fails"));
    assert!(
        cache_holds(&desk, "PDF export fails"),
        "the ticket is cached"
    );

    let before = mtime(&path);
    let edited = same_size_edit(&desk, id, "PDF export fails", "XLS import fails");
    fs::write(&path, edited).expect("edit in place");
    set_mtime(&path, before);

    let out = desk.ok(&["list"]);
    assert!(out.contains("XLS import fails"), "{out}");
    assert!(!out.contains("PDF export fails"), "{out}");
}

#[test]
fn a_file_renamed_into_place_like_git_checkout_is_seen() {
    let desk = Desk::new();
    let id = desk.ticket();
    let path = desk.path(&format!("{id}.yaml"));
    list_cached(&desk);
    assert!(cache_holds(&desk, "PDF export fails"));

    let before = mtime(&path);
    let edited = same_size_edit(&desk, id, "priority: normal", "priority: urgent");
    let tmp = desk.path(".checkout.tmp");
    fs::write(&tmp, edited).expect("write");
    set_mtime(&tmp, before);
    fs::rename(&tmp, &path).expect("rename over the ticket");

    let out = desk.ok(&["list"]);
    assert!(out.contains("urgent"), "{out}");
    assert!(!out.contains("normal"), "{out}");
}

#[test]
fn a_deleted_ticket_is_gone_from_the_list() {
    let desk = Desk::new();
    let first = desk.ticket();
    let second = desk.ok(&[
        "--as",
        "jonas",
        "new",
        "--subject",
        "Invoice shows the wrong total",
        "--requester",
        ANA,
        "-m",
        "The total is off by one cent.",
    ]);
    let out = list_cached(&desk);
    assert!(out.contains("Invoice shows the wrong total"), "{out}");

    fs::remove_file(desk.path(&format!("{}.yaml", second.trim()))).expect("delete");
    let out = desk.run(&["list"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        !stdout.contains("Invoice shows the wrong total"),
        "{stdout}"
    );
    assert!(stdout.contains("PDF export fails"), "{stdout}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(desk.file(first).contains("PDF export fails"));
}

#[test]
fn a_damaged_cache_is_ignored_and_rebuilt() {
    let desk = Desk::new();
    desk.ticket();
    let good = list_cached(&desk);
    let cache = fs::read(desk.path(CACHE)).expect("cache");
    let at = cache
        .windows(3)
        .position(|w| w == b"PDF")
        .expect("subject in cache");

    let mut flipped = cache.clone();
    flipped[at] = b'X';
    let damaged: [(&str, Vec<u8>); 5] = [
        ("one byte changed", flipped),
        ("torn in half", cache[..cache.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("garbage", b"not a cache at all\n".repeat(50)),
        ("another format", {
            let mut other = cache.clone();
            other[8] = other[8].wrapping_add(1);
            other
        }),
    ];
    for (what, bytes) in damaged {
        fs::write(desk.path(CACHE), &bytes).expect("damage the cache");
        let out = desk.run(&["list"]);
        assert!(out.status.success(), "{what}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), good, "{what}");
        assert!(
            out.stderr.is_empty(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(list_cached(&desk), good, "{what}: rebuilt");
        assert!(cache_holds(&desk, "PDF export fails"), "{what}: rebuilt");
    }
}

#[test]
fn a_ticket_that_stops_parsing_is_reported_every_time() {
    let desk = Desk::new();
    let id = desk.ticket();
    desk.another_ticket(
        "Invoice shows the wrong total",
        "The total is off by one cent.",
    );
    list_cached(&desk);
    let path = desk.path(&format!("{id}.yaml"));
    let before = mtime(&path);
    let broken = same_size_edit(&desk, id, "status: new", "status: [ne");
    fs::write(&path, broken).expect("break the ticket");
    set_mtime(&path, before);

    for run in 0..3 {
        let out = desk.run(&["list"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "run {run}: {stderr}");
        assert!(stderr.contains("skipped"), "run {run}: {stderr}");
        assert!(
            stderr.contains(&format!("{id}.yaml")),
            "run {run}: {stderr}"
        );
        assert!(!stdout.contains("PDF export fails"), "run {run}: {stdout}");
        assert!(
            stdout.contains("Invoice shows the wrong total"),
            "run {run}: {stdout}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }

    // Mended, it is back.
    let mended = desk.file(id).replacen("status: [ne", "status: new", 1);
    fs::write(&path, mended).expect("mend the ticket");
    let out = desk.run(&["list"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("PDF export fails"));
}

/// Every file outside `.tkt/` with its bytes and times.
fn snapshot(root: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(root).expect("read store") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().to_string();
        if name == ".tkt" {
            continue;
        }
        let meta = entry.metadata().expect("metadata");
        let bytes = if meta.is_file() {
            fs::read(entry.path()).expect("read")
        } else {
            Vec::new()
        };
        files.insert(name, (bytes, meta.modified().expect("mtime")));
    }
    files
}

#[test]
fn listing_never_changes_a_ticket_settings_or_people_file() {
    let desk = Desk::new();
    desk.ticket();
    desk.another_ticket(
        "Invoice shows the wrong total",
        "The total is off by one cent.",
    );
    let before = snapshot(desk.root());
    let _ = fs::remove_file(desk.path(CACHE));
    for args in [
        &["list"][..],
        &["list"],
        &["list", "--as", ANA],
        &["list", "--status", "new", "--format", "json"],
        &["list", "--as", "mette", "--format", "yaml"],
    ] {
        desk.ok(args);
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(snapshot(desk.root()), before);
}

#[test]
fn a_cached_list_says_exactly_what_an_uncached_one_says() {
    let desk = Desk::new();
    let id = desk.ticket().to_string();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        &id,
        "-m",
        "@mette please review",
    ]);
    desk.side(&id, "Ask", "anders", "Known?");
    desk.ok(&["--as", "jonas", "status", &id, "on-hold"]);
    desk.ok(&["--as", "jonas", "tag", &id, "--add", "pdf"]);
    desk.ok(&[
        "--as",
        ANA,
        "new",
        "--subject",
        "Second question",
        "--requester",
        ANA,
        "-m",
        "Hi",
    ]);
    for view in [
        &["list"][..],
        &["list", "--as", ANA],
        &["list", "--as", "anders", "--format", "json"],
        &["list", "--as", "lise", "--format", "yaml"],
        &["list", "--tag", "pdf", "--follower", "mette"],
    ] {
        let _ = fs::remove_file(desk.path(CACHE));
        let uncached = desk.ok(view);
        list_cached(&desk);
        assert_eq!(desk.ok(view), uncached, "{view:?}");
    }
}
