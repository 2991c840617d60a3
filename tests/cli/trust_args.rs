//! Trust, hostile arguments (SPEC §5): ticket ids that look like paths or overflow are usage errors (exit 2)
//! naming the argument; malformed people, addresses and tags are invalid data (exit 5); and a refused
//! command writes nothing, inside the store or outside it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::desk::{ANA, BOB, Desk};

/// Every file under `dir` with its bytes, leaving out machine-local state (`.tkt/`: locks, caches).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if rel.starts_with(".tkt") {
                continue;
            }
            if path.is_dir() {
                into.insert(rel, Vec::new());
                walk(root, &path, into);
            } else {
                into.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// Runs `tkt args…` from an empty working directory (so a relative path would land there) and insists
/// on exit `code` with one stderr line; returns it.
fn refused(desk: &Desk, cwd: &Path, args: &[&str], code: i32) -> String {
    let out = desk.tkt().current_dir(cwd).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "tkt {args:?}: {stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "tkt {args:?}: one line: {stderr:?}"
    );
    assert!(
        out.stdout.is_empty(),
        "tkt {args:?}: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{stderr:?}"
    );
    stderr
}

/// Commands taking a ticket id, with `ID` where the id goes.
const WITH_ID: &[&[&str]] = &[
    &["show", "ID"],
    &["--as", "jonas", "comment", "ID", "-m", "Hello"],
    &["--as", "jonas", "make-private", "ID", "1"],
    &["--as", "jonas", "cc", "add", "ID", "carl@partner.example"],
    &["cc", "list", "ID"],
    &["--as", "jonas", "follower", "add", "ID", "mette"],
    &["--as", "jonas", "side", "reply", "ID", "1", "-m", "Hi"],
    &["--as", "jonas", "status", "ID", "open"],
    &["--as", "jonas", "assign", "ID", "mette"],
    &["--as", "jonas", "tag", "ID", "--add", "x"],
];

fn with(template: &[&str], id: &str) -> Vec<String> {
    template
        .iter()
        .map(|a| {
            if *a == "ID" {
                id.to_string()
            } else {
                a.to_string()
            }
        })
        .collect()
}

struct Setup {
    desk: Desk,
    cwd: tempfile::TempDir,
    outside: Vec<PathBuf>,
}

/// A store with one ticket that has a side conversation, an empty working directory, and the paths
/// outside the store a path-like id could reach.
fn setup() -> Setup {
    let desk = Desk::new();
    let id = desk.ticket();
    assert_eq!(id, 1);
    desk.side("1", "Tier 3", "anders", "Look?");
    let cwd = tempfile::tempdir().unwrap();
    let parent = desk.root().parent().unwrap();
    let outside = vec![
        parent.join("x"),
        parent.join("x.yaml"),
        parent.join("2.yaml"),
        cwd.path().join("x.yaml"),
        PathBuf::from("/etc/x.yaml"),
        PathBuf::from("/2.yaml"),
    ];
    for path in &outside {
        assert!(!path.exists(), "{} exists before the test", path.display());
    }
    Setup { desk, cwd, outside }
}

fn nothing_written(s: &Setup, store_before: &BTreeMap<PathBuf, Vec<u8>>, passwd: &Option<Vec<u8>>) {
    assert_eq!(
        &snapshot(s.desk.root()),
        store_before,
        "the store is unchanged"
    );
    assert!(
        snapshot(s.cwd.path()).is_empty(),
        "nothing in the working directory"
    );
    for path in &s.outside {
        assert!(!path.exists(), "{} was written", path.display());
    }
    assert_eq!(&std::fs::read("/etc/passwd").ok(), passwd);
}

#[test]
fn ids_that_look_like_paths_or_overflow_are_usage_errors_naming_the_argument() {
    let s = setup();
    let before = snapshot(s.desk.root());
    let passwd = std::fs::read("/etc/passwd").ok();
    let ids = [
        "../x",
        "/etc/passwd",
        "1/../../2",
        "-1",
        "99999999999999999999",
        "0",
        "",
        "1.yaml",
        "#",
        "##1",
        " 1",
        "1 ",
        "+1",
        "0x1",
        "1e3",
        "\u{ff11}",
        "1\n",
        "../../../../etc/x",
        "./1",
        "#0",
        "00",
    ];
    let mut refusals = 0;
    for template in WITH_ID {
        for id in ids {
            let args = with(template, id);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let stderr = refused(&s.desk, s.cwd.path(), &args, 2);
            let shown = id.trim_end_matches('\n');
            assert!(
                stderr.contains(&format!("'{shown}")) || stderr.contains("<ID>"),
                "{args:?} names the argument: {stderr}"
            );
            refusals += 1;
        }
    }
    // Comment and side-conversation numbers too.
    for n in ["0", "-1", "4294967296", "1.5", "", "../1", "#1"] {
        let stderr = refused(
            &s.desk,
            s.cwd.path(),
            &["--as", "jonas", "make-private", "1", n],
            2,
        );
        assert!(
            stderr.contains("COMMENT") || stderr.contains(&format!("'{n}'")),
            "{stderr}"
        );
        let stderr = refused(
            &s.desk,
            s.cwd.path(),
            &["--as", "jonas", "side", "reply", "1", n, "-m", "x"],
            2,
        );
        assert!(
            stderr.contains("SIDE") || stderr.contains(&format!("'{n}'")),
            "{stderr}"
        );
        refusals += 2;
    }
    nothing_written(&s, &before, &passwd);
    assert!(refusals > 200, "{refusals}");
    // The forms the spec accepts still work.
    s.desk.ok(&["show", "#1"]);
    s.desk.ok(&["show", "1"]);
}

#[test]
fn malformed_people_and_addresses_are_invalid_data_and_write_nothing() {
    let s = setup();
    let before = snapshot(s.desk.root());
    let passwd = std::fs::read("/etc/passwd").ok();
    let bad_people = [
        "",
        " ",
        "jonas ",
        " jonas",
        "a b",
        "jonas\n",
        "jo\u{1b}[2Jnas",
        "../jonas",
        "x@y",
        "x@y.example\n",
        "x\ny@z.example",
        "x@y.example\r",
        "x\u{7}@y.example",
        "x@y\u{202e}.example",
        "<x@y.example>",
        "x y@z.example",
        "x@-y.example",
        "a@b@c.example",
        "@y.example",
        "x@",
        "x@y..example",
    ];
    let mut refusals = 0;
    for who in bad_people {
        for args in [
            &["--as", who, "show", "1"][..],
            &["--as", who, "comment", "1", "-m", "Hi"],
            &["--as", "jonas", "cc", "add", "1", who],
            &["--as", "jonas", "cc", "remove", "1", who],
            &["--as", "jonas", "follower", "add", "1", who],
            &["--as", "jonas", "assign", "1", who],
            &["--as", "jonas", "side", "invite", "1", "1", who],
            &[
                "--as",
                "jonas",
                "new",
                "--subject",
                "S",
                "--requester",
                who,
                "-m",
                "Hi",
            ],
            &["list", "--assignee", who],
        ] {
            let stderr = refused(&s.desk, s.cwd.path(), args, 5);
            assert!(
                stderr.contains("--as") || stderr.contains("WHO") || stderr.contains("--"),
                "{args:?}: {stderr}"
            );
            refusals += 1;
        }
    }
    for (handle, name, email) in [
        ("a b", "Name", "ab@acme.example"),
        ("", "Name", "e@acme.example"),
        ("Ole", "Name", "ole@acme.example"),
        ("ole", "Name", "ole@acme.example\n"),
        ("ole", "Name", "not an address"),
        ("ole", "Two\nLines", "ole@acme.example"),
        ("ole", "Es\u{1b}[2Jcape", "ole@acme.example"),
        ("ole", "", "ole@acme.example"),
    ] {
        refused(
            &s.desk,
            s.cwd.path(),
            &["person", "add", handle, "--name", name, "--email", email],
            5,
        );
        refusals += 1;
    }
    for tag in ["", "a b", "a\nb", "\u{1b}[2J"] {
        refused(
            &s.desk,
            s.cwd.path(),
            &["--as", "jonas", "tag", "1", "--add", tag],
            5,
        );
        refusals += 1;
    }
    nothing_written(&s, &before, &passwd);
    assert!(refusals > 200, "{refusals}");
}

#[test]
fn no_refused_command_writes_anything() {
    let s = setup();
    s.desk.ok(&[
        "--as",
        "jonas",
        "new",
        "--subject",
        "Closed one",
        "--requester",
        ANA,
        "-m",
        "Hi",
    ]);
    s.desk.ok(&["--as", "jonas", "status", "2", "solved"]);
    s.desk.ok(&["--as", "jonas", "status", "2", "closed"]);
    s.desk.ok(&["--as", "jonas", "status", "1", "open"]);
    let before = snapshot(s.desk.root());
    let passwd = std::fs::read("/etc/passwd").ok();
    for (args, code) in [
        (&["--as", "jonas", "comment", "99", "-m", "Hi"][..], 3),
        (
            &[
                "--as",
                "jonas",
                "cc",
                "remove",
                "1",
                "nobody@partner.example",
            ],
            3,
        ),
        (&["--as", "jonas", "make-private", "1", "9"], 3),
        (&["--as", "jonas", "side", "reply", "1", "9", "-m", "x"], 3),
        (&["--as", "nobody", "comment", "1", "-m", "Hi"], 3),
        (&["--as", ANA, "comment", "1", "--internal", "-m", "Hi"], 4),
        (
            &["--as", "eve@elsewhere.example", "comment", "1", "-m", "Hi"],
            4,
        ),
        (&["--as", ANA, "status", "1", "solved"], 4),
        (&["--as", "lise", "comment", "1", "--public", "-m", "Hi"], 4),
        (&["--as", "lise", "assign", "1", "mette"], 4),
        (&["--as", "jonas", "assign", "1", "lise"], 5),
        (&["--as", "jonas", "comment", "2", "-m", "Too late"], 5),
        (&["--as", "jonas", "status", "1", "new"], 5),
        (&["--as", "jonas", "follower", "add", "1", BOB], 5),
        (&["--as", "jonas", "comment", "1", "-m", "   "], 2),
        (
            &[
                "--as",
                "jonas",
                "comment",
                "1",
                "-F",
                "/nonexistent/body.txt",
            ],
            2,
        ),
        (&["--as", "jonas", "comment", "1"], 2),
        (
            &[
                "--as",
                "jonas",
                "comment",
                "1",
                "--public",
                "--internal",
                "-m",
                "x",
            ],
            2,
        ),
        (
            &[
                "--as",
                "jonas",
                "--now",
                "yesterday",
                "comment",
                "1",
                "-m",
                "x",
            ],
            2,
        ),
        (
            &[
                "--as", "jonas", "--format", "xml", "comment", "1", "-m", "x",
            ],
            2,
        ),
        (&["--as", "jonas", "status", "1", "resolved"], 2),
        (&["--as", "jonas", "bogus"], 2),
        (&["comment", "1", "-m", "Who am I?"], 2),
    ] {
        refused(&s.desk, s.cwd.path(), args, code);
    }
    nothing_written(&s, &before, &passwd);
}
