//! The trainers' exercises in examples/exercises/ are run as they are shipped, so they never rot: each
//! ends by showing its ticket as two participants and with `tkt audience`, and each troubleshooting
//! row shows its mistake and its fix.

use std::path::Path;
use std::process::Command;

/// Runs one exercise with the tkt under test first on the PATH; returns its stdout.
fn run(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = assert_cmd::cargo::cargo_bin("tkt");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg(root.join("examples/exercises").join(name))
        .arg(dir.path().join("desk"))
        .env("PATH", path);
    for var in [
        "TKT_STORE",
        "TKT_AS",
        "TKT_NOW",
        "NO_COLOR",
        "EDITOR",
        "VISUAL",
    ] {
        cmd.env_remove(var);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Two participants' views and the audience, every time.
    assert!(
        stdout.matches("#1  ").count() >= 2,
        "{name}: two views of the ticket\n{stdout}"
    );
    assert!(
        stdout.contains("\nentry\t"),
        "{name}: ends with tkt audience\n{stdout}"
    );
    stdout
}

/// What each exercise must show, beyond the views and the audience.
const EXPECTED: [(&str, &[&str]); 11] = [
    (
        "01-agency-cc.sh",
        &["bob@agency.example (cc)", "The shop log shows HTTP 401"],
    ),
    (
        "02-mentor-follower.sh",
        &["mette (follower)", "[2] internal note · jonas"],
    ),
    (
        "03-specialist-side.sh",
        &["Side conversation 1", "anders (side participant)"],
    ),
    (
        "04-escalation.sh",
        &["escalated", "Escalation: credit for Customer A/S"],
    ),
    (
        "05-cross-department.sh",
        &["sanne (side participant)", "600 requests per minute"],
    ),
    (
        "06-product-feedback.sh",
        &["lise (side participant)", "feedback"],
    ),
    ("07-too-many-notifications.sh", &["many-participants"]),
    ("08-unclear-ownership.sh", &["no-assignee"]),
    (
        "09-customer-answers-a-note.sh",
        &["customer-answered-note", "told, hidden now"],
    ),
    ("10-follower-cannot-see-side.sh", &["agent-cc"]),
    (
        "11-cc-asks-an-internal-question.sh",
        &[
            "Admin access for the agency?",
            "we will discuss it internally",
        ],
    ),
];

#[test]
fn every_exercise_runs_and_shows_what_it_teaches() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/exercises");
    let mut shipped: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".sh") && n != "desk.sh")
        .collect();
    shipped.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|(n, _)| *n).collect();
    assert_eq!(shipped, listed, "every shipped exercise is run here");
    for (name, wanted) in EXPECTED {
        let out = run(name);
        for w in wanted {
            assert!(out.contains(w), "{name} does not show {w:?}:\n{out}");
        }
    }
}

#[test]
fn a_customer_view_in_an_exercise_never_holds_the_internal_debate() {
    let out = run("04-escalation.sh");
    let ana = out
        .split("== Ana reads one considered answer ==")
        .nth(1)
        .and_then(|rest| rest.split("== ").next())
        .unwrap();
    assert!(ana.contains("We will waive this month's"), "{ana}");
    assert!(!ana.contains("no cash credit"), "{ana}");
    assert!(!ana.contains("Escalation"), "{ana}");
}
