//! `Desk`: a temporary store with a team and a customer, and helpers to run `tkt` on it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// The fixed clock every test run starts from, so files are reproducible.
pub const NOW: &str = "2026-03-02T09:00:00Z";

/// The customer who asks in `Desk::ticket`.
pub const ANA: &str = "ana@customer.example";
/// An external CC on `Desk::ticket` (the agency).
pub const BOB: &str = "bob@agency.example";
/// An external person on no ticket.
pub const EVE: &str = "eve@elsewhere.example";

pub struct Desk {
    dir: TempDir,
}

impl Desk {
    /// A store with no people.
    pub fn empty() -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let desk = Desk { dir };
        desk.ok(&["init"]);
        desk
    }

    /// A store with a team: `ada` (admin), `jonas`, `mette`, `anders` (agents), `lise` (light agent),
    /// and `ana` (end-user, ana@customer.example).
    pub fn new() -> Desk {
        let desk = Desk::empty();
        for (handle, name, role) in [
            ("ada", "Ada Admin", "admin"),
            ("jonas", "Jonas Berg", "agent"),
            ("mette", "Mette Hansen", "agent"),
            ("anders", "Anders Teknik", "agent"),
            ("lise", "Lise Produkt", "light-agent"),
        ] {
            let email = format!("{handle}@acme.example");
            desk.ok(&[
                "person", "add", handle, "--name", name, "--email", &email, "--role", role,
            ]);
        }
        desk.ok(&[
            "person",
            "add",
            "ana",
            "--name",
            "Ana Silva",
            "--email",
            ANA,
            "--role",
            "end-user",
        ]);
        desk
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The text of ticket `id`'s file.
    pub fn file(&self, id: u64) -> String {
        std::fs::read_to_string(self.path(&format!("{id}.yaml"))).expect("ticket file")
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        std::fs::write(self.path(name), contents).expect("write file");
    }

    /// `tkt -C <store>` with a scrubbed environment and the fixed clock.
    pub fn tkt(&self) -> Command {
        let mut cmd = Command::cargo_bin("tkt").expect("tkt binary");
        for var in [
            "TKT_STORE",
            "TKT_AS",
            "TKT_NOW",
            "NO_COLOR",
            "EDITOR",
            "VISUAL",
            "TKT_LOCK_TIMEOUT",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("TKT_NOW", NOW).arg("-C").arg(self.root());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.tkt().args(args).output().expect("run tkt")
    }

    /// Runs `tkt args…`, insists on success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "tkt {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs `tkt args…`, insists on exit `code` with one line on stderr and nothing on stdout; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.code(),
            Some(code),
            "tkt {args:?}: expected exit {code}, stdout {:?}, stderr {stderr:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "one line on stderr, got {stderr:?}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    /// Opens the standard ticket: Ana asks, Jonas owns it, Bob from the agency is CC'd. Returns its id.
    pub fn ticket(&self) -> u64 {
        let id = self.ok(&[
            "--as",
            "jonas",
            "new",
            "--subject",
            "PDF export fails on macOS 10.14",
            "--requester",
            ANA,
            "--assignee",
            "jonas",
            "-m",
            "The PDF export crashes as soon as I press Export.",
        ]);
        let id: u64 = id.trim().parse().expect("id on stdout");
        self.ok(&[
            "--as",
            "jonas",
            "cc",
            "add",
            &id.to_string(),
            BOB,
            "--name",
            "Bob Field",
        ]);
        id
    }

    /// Jonas opens another ticket for Ana. Returns its id.
    pub fn another_ticket(&self, subject: &str, body: &str) -> u64 {
        let id = self.ok(&[
            "--as",
            "jonas",
            "new",
            "--subject",
            subject,
            "--requester",
            ANA,
            "-m",
            body,
        ]);
        id.trim().parse().expect("id on stdout")
    }

    /// Jonas opens a side conversation on ticket `id` with `with`. Returns its number.
    pub fn side(&self, id: &str, subject: &str, with: &str, body: &str) -> u32 {
        let n = self.ok(&[
            "--as",
            "jonas",
            "side",
            "open",
            id,
            "--subject",
            subject,
            "--with",
            with,
            "-m",
            body,
        ]);
        n.trim().parse().expect("side number on stdout")
    }

    /// `show ID --as WHO --format FORMAT`.
    pub fn show_as(&self, id: u64, who: &str, format: &str) -> String {
        self.ok(&["show", &id.to_string(), "--as", who, "--format", format])
    }
}

/// A JSON document with every person object (`{handle, email, name, staff}`) replaced by the identity a
/// ticket file holds for them: the handle for staff, else the address. For tests about who is where,
/// not how they are named.
pub fn identities(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) if is_person(&map) => match (&map["handle"], &map["email"]) {
            (Value::String(h), _) => Value::String(h.clone()),
            (_, Value::String(e)) => Value::String(e.clone()),
            _ => map["name"].clone(),
        },
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, identities(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(identities).collect()),
        other => other,
    }
}

fn is_person(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    map.len() == 4
        && ["handle", "email", "name", "staff"]
            .iter()
            .all(|k| map.contains_key(*k))
}

/// Each message of an mbox as Python's standard `mailbox` module reads it (python3 is on the machine and
/// installed by CI): `id`, `in_reply_to`, `references`, `from`, `to`, `cc`, `subject` (null when the
/// header is missing) and the decoded `body`.
pub fn python_mbox(mbox: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("inbox.mbox");
    std::fs::write(&path, mbox).expect("write the mbox");
    let script = r#"
import json, mailbox, sys
out = []
for m in mailbox.mbox(sys.argv[1]):
    out.append({"id": m["Message-ID"], "in_reply_to": m["In-Reply-To"], "references": m["References"],
                "from": m["From"], "to": m["To"], "cc": m["Cc"], "subject": m["Subject"],
                "body": m.get_payload(decode=True).decode("utf-8")})
print(json.dumps(out))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .expect("python3 runs (it is on the machine and installed by CI)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("python's JSON");
    doc.as_array().expect("a list of messages").clone()
}
