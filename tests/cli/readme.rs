//! Every `console` block in README.md is run, in order, in one shell, and its output compared line by
//! line: the README never lies to a new user.

use std::process::Command;

struct Step {
    command: String,
    expected: Vec<String>,
}

/// The `$ command` lines of every ```console block, each with the output lines that follow it.
fn steps(readme: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut inside = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            inside = line == "```console";
            continue;
        }
        if !inside {
            continue;
        }
        match line.strip_prefix("$ ") {
            Some(command) => steps.push(Step {
                command: command.to_string(),
                expected: Vec::new(),
            }),
            None => steps
                .last_mut()
                .expect("a console block starts with a $ command")
                .expected
                .push(line.trim_end().to_string()),
        }
    }
    steps
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != ".tkt" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn every_console_example_in_the_readme_prints_what_it_shows() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let steps = steps(&readme);
    assert!(steps.len() >= 10, "the README shows examples");
    let dir = tempfile::tempdir().unwrap();
    if root.join("tickets.example").is_dir() {
        copy_dir(
            &root.join("tickets.example"),
            &dir.path().join("tickets.example"),
        );
    }
    // The README walks a trainer through one of the exercises, run from the repository's root.
    copy_dir(
        &root.join("examples/exercises"),
        &dir.path().join("examples/exercises"),
    );
    // The Email section feeds the example messages to `tkt mail receive`.
    copy_dir(
        &root.join("examples/mail"),
        &dir.path().join("examples/mail"),
    );
    let mut script = String::new();
    for (i, step) in steps.iter().enumerate() {
        script.push_str(&format!("printf '@@step {i}@@\\n'\n{}\n", step.command));
    }
    let bin = assert_cmd::cargo::cargo_bin("tkt");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(&script)
        .current_dir(dir.path())
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
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut actual: Vec<Vec<String>> = Vec::new();
    for line in stdout.lines() {
        if line.starts_with("@@step ") {
            actual.push(Vec::new());
        } else if let Some(last) = actual.last_mut() {
            last.push(line.trim_end().to_string());
        }
    }
    assert_eq!(
        actual.len(),
        steps.len(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (step, got) in steps.iter().zip(&actual) {
        assert_eq!(
            &step.expected,
            got,
            "README example `{}` printed something else (stderr: {})",
            step.command,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
