//! Trust, round two: what an external actor can learn from the answers to their own commands, and how
//! people are named. A customer's answers are built from their own view (SPEC §3): no number, count,
//! time or name that depends on what they may not see; only directory staff ever read as staff; a broken
//! settings or people file is one line that quotes nothing; and every line on a terminal is sanitized.

use serde_json::Value as Json;

use crate::desk::{ANA, BOB, Desk};

const CARL: &str = "carl@rival.example";

/// The standard desk with Carl, a listed end user whose directory name the desk keeps to itself.
fn desk() -> (Desk, String) {
    let desk = Desk::new();
    desk.ok(&[
        "person",
        "add",
        "carl",
        "--name",
        "Carl Rival CEO",
        "--email",
        CARL,
        "--role",
        "end-user",
    ]);
    let id = desk.ticket().to_string();
    (desk, id)
}

/// Everything a run printed, stdout and stderr.
fn everything(desk: &Desk, args: &[&str]) -> (Option<i32>, String) {
    let out = desk.run(args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

fn notes(desk: &Desk, id: &str, count: usize) {
    for i in 0..count {
        desk.ok(&["--as", "mette", "comment", id, "-m", &format!("note {i}")]);
    }
}

#[test]
fn a_customers_reply_is_confirmed_the_same_however_many_internal_notes_there_are() {
    // Two tickets alike in everything a customer sees; one has five internal notes and a side
    // conversation. Every answer the requester and the CC get is the same on both but for the id.
    let (desk, quiet) = desk();
    let busy = desk.ticket().to_string();
    notes(&desk, &busy, 5);
    desk.side(&busy, "Internal", "anders", "Is this known?");
    for who in [ANA, BOB] {
        for format in ["text", "json", "yaml"] {
            let answer = |id: &str| {
                let (code, text) = everything(
                    &desk,
                    &[
                        "--as",
                        who,
                        "--format",
                        format,
                        "comment",
                        id,
                        "-m",
                        "Any news?",
                    ],
                );
                assert_eq!(code, Some(0), "{text}");
                text.replace(&format!("#{id}"), "#ID")
                    .replace(&format!("\"ticket\": {id}"), "\"ticket\": ID")
                    .replace(&format!("ticket: {id}"), "ticket: ID")
            };
            let (a, b) = (answer(&quiet), answer(&busy));
            assert_eq!(a, b, "as {who} in {format}");
            assert!(!b.contains('7') && !b.contains('8'), "{b}");
        }
    }
    let (_, text) = everything(&desk, &["--as", ANA, "comment", &busy, "-m", "Hello?"]);
    assert_eq!(text.trim(), format!("Added your reply to #{busy}"));
    let json: Json = serde_json::from_str(
        &desk.ok(&["--as", ANA, "--format", "json", "comment", &busy, "-m", "x"]),
    )
    .unwrap();
    assert_eq!(json["comment"], Json::Null, "{json}");
    // Staff still get the number they type in `make-private`.
    let (_, text) = everything(&desk, &["--as", "jonas", "comment", &busy, "-m", "n"]);
    assert!(text.contains("Added internal note"), "{text}");
}

#[test]
fn a_refused_copy_names_the_address_a_customer_gave_and_no_setting() {
    let (desk, id) = desk();
    desk.write(
        "tkt.yaml",
        "cc_limit: 2\ncc_blocklist: [\"*@rival-secret.example\"]\nsupport_addresses: [desk@acme.example]\nagent_cc: reject\n",
    );
    let before = desk.file(1);
    for who in [
        "x@rival-secret.example",
        "desk@acme.example",
        "mette@acme.example",
    ] {
        for actor in [ANA, BOB] {
            let err = desk.fails(&["--as", actor, "cc", "add", &id, who], 5);
            assert_eq!(
                err.trim(),
                format!("error: WHO: {who} cannot be copied on this ticket"),
                "{actor} copying {who}"
            );
        }
    }
    // The limit: the customer sees the CC list, not the setting, so neither number is named.
    desk.ok(&["--as", ANA, "cc", "add", &id, "one@partner.example"]);
    let err = desk.fails(&["--as", ANA, "cc", "add", &id, "two@partner.example"], 5);
    assert!(
        err.contains("two@partner.example") && !err.chars().any(|c| c.is_ascii_digit() && c != '1'),
        "{err}"
    );
    // Staff hear the numbers: 2 CCs, this would make 3, cc_limit 2.
    let err = desk.fails(
        &["--as", "jonas", "cc", "add", &id, "two@partner.example"],
        5,
    );
    assert!(
        err.contains("has 2 CCs") && err.contains("make 3") && err.contains("cc_limit is 2"),
        "{err}"
    );
    assert_ne!(desk.file(1), before, "one@ was added");
}

#[test]
fn the_cc_limit_counts_only_people_not_yet_on_the_thread() {
    let desk = Desk::new();
    desk.write("tkt.yaml", "cc_limit: 1\n");
    let id = desk.another_ticket("S", "Hi").to_string();
    let err = desk.fails(
        &[
            "--as",
            "jonas",
            "cc",
            "add",
            &id,
            "a@x.example",
            "b@x.example",
        ],
        5,
    );
    assert!(err.contains("has 0 CCs, this would make 2"), "{err}");
    assert!(!desk.file(1).contains("a@x.example"), "all or nothing");
    // The requester and a repeated address are not new people.
    desk.ok(&[
        "--as",
        "jonas",
        "cc",
        "add",
        &id,
        "a@x.example",
        "A@X.example",
        ANA,
    ]);
}

#[test]
fn a_customer_never_learns_a_directory_name_they_did_not_type() {
    let (desk, id) = desk();
    desk.ok(&["--as", ANA, "cc", "add", &id, CARL, "mette@acme.example"]);
    desk.ok(&["--as", CARL, "comment", &id, "-m", "Carl here"]);
    for who in [ANA, BOB, CARL] {
        for format in ["text", "json", "yaml"] {
            for args in [vec!["show", &id], vec!["cc", "list", &id]] {
                let mut all = args.clone();
                all.extend(["--as", who, "--format", format]);
                let out = desk.ok(&all);
                for secret in ["Carl Rival", "Mette Hansen", "Mette"] {
                    assert!(!out.contains(secret), "{who} {format} {args:?}: {out}");
                }
                assert!(out.contains(CARL), "{out}");
            }
        }
    }
    // Staff see the directory's names.
    let staff = desk.ok(&["cc", "list", &id]);
    assert!(
        staff.contains("Carl Rival CEO <carl@rival.example>"),
        "{staff}"
    );
    // A name the customer gives is the name they see, beside the address.
    desk.ok(&[
        "--as",
        ANA,
        "cc",
        "add",
        &id,
        "dora@partner.example",
        "--name",
        "Dora",
    ]);
    let seen = desk.ok(&["cc", "list", &id, "--as", ANA]);
    assert!(seen.contains("Dora <dora@partner.example>"), "{seen}");
    // When staff copy a listed person, the desk chooses to show the directory's name.
    let other = desk.another_ticket("Other", "Hi").to_string();
    desk.ok(&["--as", "jonas", "cc", "add", &other, CARL]);
    let seen = desk.ok(&["cc", "list", &other, "--as", ANA]);
    assert!(
        seen.contains("Carl Rival CEO <carl@rival.example>"),
        "{seen}"
    );
}

/// Names a phisher would try for a CC: each is refused, for customers and staff alike, and writes nothing.
#[test]
fn a_cc_name_that_could_pass_for_the_desk_is_refused() {
    let (desk, id) = desk();
    let before = desk.file(1);
    for name in [
        "Jonas Berg (Support)",
        "Jonas Berg",
        "mette hansen",
        "ＪＯＮＡＳ  BERG",
        "Jo\u{200b}nas Berg",
        "Ana Help (support)",
        "Acme Support",
        "Bob [Support]",
        "Bob （Support）",
        "Jonas <jonas@acme.example>",
        "jonas",
        "\u{200b}\u{200b}",
        "\u{3164}",
        "Bob\u{202e}",
        "Bob\nJonas Berg (Support)",
        "",
    ] {
        for actor in [ANA, "jonas"] {
            let err = desk.fails(
                &[
                    "--as",
                    actor,
                    "cc",
                    "add",
                    &id,
                    "evil@attacker.example",
                    "--name",
                    name,
                ],
                5,
            );
            assert!(err.contains("--name"), "{name:?} by {actor}: {err}");
        }
    }
    assert_eq!(desk.file(1), before);
    // Names that merely resemble are fine, and are shown beside the address.
    desk.ok(&[
        "--as",
        ANA,
        "cc",
        "add",
        &id,
        "sam@partner.example",
        "--name",
        "Supportive Sam",
    ]);
    // An end user in the directory may not be named as staff either.
    let err = desk.fails(
        &[
            "person",
            "add",
            "evil",
            "--name",
            "Mette Hansen",
            "--email",
            "evil@x.example",
            "--role",
            "end-user",
        ],
        5,
    );
    assert!(err.contains("--name"), "{err}");
}

/// Where `marker` (a comment body) appears in a text view, the line above it names the author.
fn author_line(view: &str, marker: &str) -> String {
    let lines: Vec<&str> = view.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == marker)
        .unwrap_or_else(|| panic!("{marker} not in\n{view}"));
    lines[at - 1].to_string()
}

#[test]
fn a_strangers_words_never_read_as_the_desks() {
    let (desk, id) = desk();
    desk.ok(&[
        "--as",
        ANA,
        "cc",
        "add",
        &id,
        "jonas.berg.support@attacker.example",
        "--name",
        "Jonas B.",
    ]);
    desk.ok(&[
        "--as",
        "jonas.berg.support@attacker.example",
        "comment",
        &id,
        "-m",
        "phish-1",
    ]);
    desk.ok(&["--as", "jonas", "comment", &id, "--public", "-m", "real-1"]);
    for who in [ANA, BOB] {
        let view = desk.show_as(id.parse().unwrap(), who, "text");
        let phish = author_line(&view, "phish-1");
        assert!(
            phish.starts_with("Jonas B. <jonas.berg.support@attacker.example> · ")
                && !phish.contains("(Support)"),
            "{phish}"
        );
        assert!(author_line(&view, "real-1").starts_with("Jonas Berg (Support) · "));
        let json: Json =
            serde_json::from_str(&desk.show_as(id.parse().unwrap(), who, "json")).unwrap();
        let by_body = |body: &str| {
            json["comments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["body"] == body)
                .cloned()
                .unwrap()
        };
        assert_eq!(by_body("phish-1")["author"]["staff"], false);
        assert_eq!(
            by_body("phish-1")["author"]["email"],
            "jonas.berg.support@attacker.example"
        );
        assert_eq!(by_body("real-1")["author"]["staff"], true);
    }
    let staff = desk.ok(&["show", &id]);
    assert!(author_line(&staff, "phish-1").contains("<jonas.berg.support@attacker.example>"));
    assert!(
        author_line(&staff, "The PDF export crashes as soon as I press Export.")
            .contains("<ana@customer.example>")
    );
}

/// A people file broken in a way that quotes a secret: the customer's line names neither file nor secret.
#[test]
fn a_broken_settings_or_people_file_is_one_generic_line_for_customers() {
    let (desk, id) = desk();
    let people = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    let broken_people = format!(
        "{people}- handle: secret-agent\n  name: Secret\n  email: MENTTE-SECRET@acme.example\n  role: agent\n- handle: secret2\n  name: S2\n  email: mentte-secret@acme.example\n  role: agent\n"
    );
    let settings = std::fs::read_to_string(desk.path("tkt.yaml")).unwrap();
    for (file, broken) in [
        ("people.yaml", broken_people.as_str()),
        (
            "tkt.yaml",
            "cc_blocklist: [\"*@secret-glob.example\"]\ncc_limit: lots\n",
        ),
    ] {
        desk.write(file, broken);
        let before = desk.file(1);
        for who in [ANA, BOB, "eve@elsewhere.example", CARL, "carl"] {
            for args in [
                vec!["show", id.as_str()],
                vec!["list"],
                vec!["cc", "list", &id],
                vec!["comment", &id, "-m", "hi"],
                vec!["cc", "add", &id, "x@y.example"],
                vec!["new", "--subject", "S", "--requester", ANA, "-m", "Hi"],
            ] {
                for format in ["text", "json"] {
                    let mut all = vec!["--as", who, "--format", format];
                    all.extend(&args);
                    let err = desk.fails(&all, 5);
                    assert_eq!(
                        err.trim(),
                        "error: this desk's settings cannot be read; nothing was changed (ask the desk's staff)",
                        "{file} {who} {args:?}"
                    );
                }
            }
        }
        assert_eq!(desk.file(1), before);
        // Staff, and the operator with no --as, hear what is wrong.
        for args in [vec!["--as", "jonas", "show", &id], vec!["show", &id]] {
            let err = desk.fails(&args, 5);
            assert!(err.contains(file), "{args:?}: {err}");
        }
        desk.write(
            file,
            if file == "tkt.yaml" {
                &settings
            } else {
                &people
            },
        );
    }
}

#[test]
fn tags_with_format_characters_are_refused_and_hand_edited_ones_are_never_echoed_raw() {
    let (desk, id) = desk();
    for tag in [
        "T\u{202e}x",
        "a\u{200b}b",
        "\u{feff}",
        "x\u{2028}y",
        "\u{61c}",
    ] {
        desk.fails(&["--as", "jonas", "tag", &id, "--add", tag], 5);
    }
    // A hand edit can hold anything; the confirmation that echoes the tags must not pass it through.
    let file = desk.file(1).replacen(
        "tags: []",
        "tags:\n- \"\\e]0;pwned\\a\\e[2J\"\n- \"r\\u202Eev\"",
        1,
    );
    assert!(file.contains("pwned"), "the fixture has no tags: {file}");
    desk.write("1.yaml", file);
    let out = desk.run(&["--as", "jonas", "tag", &id, "--add", "ok"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains('\x1b') && !stderr.contains('\x07') && !stderr.contains('\u{202e}'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\x1b]0;pwned"), "{stderr:?}");
}

#[test]
fn warnings_and_errors_escape_what_strangers_wrote() {
    let (desk, id) = desk();
    for (args, code) in [
        (
            vec!["--as", ANA, "cc", "add", &id, "e\u{202e}vil@x.example"],
            5,
        ),
        (
            vec![
                "--as",
                "jonas",
                "cc",
                "add",
                &id,
                "a@b.example",
                "--name",
                "x\u{2028}y",
            ],
            5,
        ),
        (vec!["--as", "jonas\u{200b}", "show", &id], 5),
        (
            vec!["--as", "jonas", "tag", &id, "--remove", "gone\u{feff}"],
            5,
        ),
    ] {
        let out = desk.run(&args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for c in ['\u{202e}', '\u{2028}', '\u{200b}', '\u{feff}'] {
            assert!(!stderr.contains(c), "{args:?}: {stderr:?}");
        }
    }
}

/// Names a phisher builds from the desk's own words and Unicode's look-alikes.
fn phishing_names() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let part = prop_oneof![
        Just("Jonas".to_string()),
        Just("Berg".to_string()),
        Just("Mette Hansen".to_string()),
        Just("(Support)".to_string()),
        Just("Support".to_string()),
        Just("（Ｓｕｐｐｏｒｔ）".to_string()),
        Just("[support]".to_string()),
        Just("·".to_string()),
        Just("<jonas@acme.example>".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2028}".to_string()),
        Just("  ".to_string()),
        Just("Mon 2 Mar 2026 09:00".to_string()),
        "[A-Za-z]{1,8}",
    ];
    proptest::collection::vec(part, 1..5).prop_map(|parts| parts.join(" "))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Whatever name and address a customer gives a CC, the CC's words never read as the desk's.
    #[test]
    fn no_name_a_customer_chooses_makes_a_cc_read_as_staff(
        name in phishing_names(),
        local in "[a-z][a-z.+-]{0,10}",
    ) {
        let desk = Desk::new();
        let id = desk.ticket().to_string();
        let email = format!("{local}@partner.example");
        let added = desk.run(&["--as", ANA, "cc", "add", &id, &email, "--name", &name]);
        if !added.status.success() {
            proptest::prop_assert_eq!(added.status.code(), Some(5));
            return Ok(());
        }
        desk.ok(&["--as", &email, "comment", &id, "-m", "phish-body"]);
        for who in [ANA, BOB, email.as_str()] {
            let view = desk.show_as(id.parse().unwrap(), who, "text");
            let line = author_line(&view, "phish-body");
            proptest::prop_assert!(!line.contains("(Support)"), "{line}");
            proptest::prop_assert!(line.contains(&format!("<{email}>")) || line.starts_with(&format!("{email} ")), "{line}");
            let json: Json = serde_json::from_str(&desk.show_as(id.parse().unwrap(), who, "json")).unwrap();
            let mine: Vec<&Json> = json["comments"].as_array().unwrap().iter().filter(|c| c["body"] == "phish-body").collect();
            proptest::prop_assert_eq!(mine.len(), 1);
            proptest::prop_assert_eq!(&mine[0]["author"]["staff"], &Json::Bool(false));
            proptest::prop_assert_eq!(&mine[0]["author"]["email"], &Json::String(email.clone()));
        }
        let staff = desk.ok(&["show", &id]);
        let line = author_line(&staff, "phish-body");
        proptest::prop_assert!(line.contains(&format!("<{email}>")) || line.contains(&format!("] {email} ")), "{line}");
    }
}

/// A body padded with spaces so that a terminal would wrap its text to the start of a row, where the
/// view puts its headers: tkt wraps bodies itself, so every row of a body stays indented.
#[test]
fn a_body_cannot_wrap_into_a_fake_header() {
    let (desk, id) = desk();
    let pad = " ".repeat(76);
    let body = format!(
        "Thanks, I will wait.\n{pad}Jonas Berg (Support) · Mon 2 Mar 2026 10:31\nPlease re-enter your card.\n{pad}[3] Mette Hansen · Mon 2 Mar 2026 10:32 · INTERNAL NOTE"
    );
    desk.ok(&["--as", BOB, "comment", &id, "-m", &body]);
    for view in [
        desk.show_as(id.parse().unwrap(), ANA, "text"),
        desk.ok(&["show", &id]),
    ] {
        for row in view.lines() {
            assert!(
                row.chars().count() <= 78,
                "a row wider than the view: {row:?}"
            );
            let starts_a_header =
                row.starts_with("Jonas Berg (Support)") || row.starts_with("[3] Mette");
            assert!(!starts_a_header, "body text at the start of a row:\n{view}");
        }
    }
}

/// A write refused by the store itself (here: a hand edit holds a value tkt would change) tells a
/// customer only that nothing was changed: not the store's path, the file, the line or the key.
#[test]
fn a_store_refusal_quotes_nothing_to_a_customer() {
    let (desk, id) = desk();
    let file = desk.file(1) + "secret_internal_flag: 0o17\n";
    desk.write("1.yaml", &file);
    for args in [
        vec!["--as", ANA, "comment", &id, "-m", "hi"],
        vec!["--as", ANA, "cc", "add", &id, "zed@partner.example"],
        vec!["--as", BOB, "cc", "remove", &id, BOB],
    ] {
        let err = desk.fails(&args, 5);
        assert_eq!(
            err.trim(),
            format!(
                "error: #{id} cannot be changed right now; nothing was changed (ask the desk's staff)"
            ),
            "{args:?}"
        );
    }
    assert_eq!(desk.file(1), file);
    let err = desk.fails(&["--as", "jonas", "comment", &id, "-m", "hi"], 5);
    assert!(
        err.contains("secret_internal_flag"),
        "staff hear why: {err}"
    );
    // A lock directory that is a link: the same line for the customer, the path for staff.
    std::fs::remove_dir_all(desk.path(".tkt")).ok();
    std::os::unix::fs::symlink("/nonexistent-tkt-target", desk.path(".tkt")).unwrap();
    desk.write("1.yaml", file.replace("secret_internal_flag: 0o17\n", ""));
    let err = desk.fails(&["--as", ANA, "comment", &id, "-m", "hi"], 5);
    assert!(!err.contains(".tkt") && !err.contains('/'), "{err}");
    let err = desk.fails(
        &[
            "--as",
            ANA,
            "new",
            "--subject",
            "S",
            "--requester",
            ANA,
            "-m",
            "x",
        ],
        5,
    );
    assert!(!err.contains(".tkt") && !err.contains('/'), "{err}");
}

/// Only directory staff read as staff, whatever a hand edit or a commit writes as an author: an end
/// user's handle, a handle the directory does not list, or free text.
#[test]
fn an_author_who_is_not_directory_staff_never_reads_as_staff() {
    let (desk, id) = desk();
    let file = desk.file(1);
    for (author, shown) in [("carl", CARL), ("ghost", "ghost")] {
        let edited = file.replacen(
            "author: ana@customer.example",
            &format!("author: {author}"),
            1,
        );
        assert_ne!(edited, file, "the fixture's opening message is Ana's");
        desk.write("1.yaml", &edited);
        for view in [desk.show_as(1, ANA, "text"), desk.ok(&["show", &id])] {
            assert!(!view.contains("(Support)"), "{author}: {view}");
            assert!(view.contains(shown), "{author}: {view}");
        }
        for who in [ANA, "jonas"] {
            let json: Json = serde_json::from_str(&desk.show_as(1, who, "json")).unwrap();
            assert_eq!(
                json["comments"][0]["author"]["staff"], false,
                "{author} as {who}"
            );
        }
    }
    desk.write(
        "1.yaml",
        file.replacen("author: ana@customer.example", "author: Jonas Berg", 1),
    );
    let err = desk.fails(&["show", &id], 5);
    assert!(err.contains("author") && err.contains("line"), "{err}");
    desk.write("1.yaml", &file);
}

/// A broken people file that lists a customer's address twice, once with a staff role, cannot vouch for
/// them as staff: they get the one line, not the file's contents.
#[test]
fn an_address_listed_twice_is_not_vouched_for_as_staff() {
    let (desk, id) = desk();
    let people = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    desk.write(
        "people.yaml",
        format!("{people}- handle: fake\n  name: Fake\n  email: {ANA}\n  role: agent\n"),
    );
    let err = desk.fails(&["--as", ANA, "show", &id], 5);
    assert!(err.contains("settings cannot be read"), "{err}");
    let err = desk.fails(&["--as", "jonas", "show", &id], 5);
    assert!(err.contains("people.yaml"), "staff still hear why: {err}");
}

/// A customer's history holds the CCs of the thread as it is now: an address copied by mistake and
/// removed again is not in it, as it is not in their `show`.
#[test]
fn a_customers_log_keeps_no_address_their_show_does_not() {
    let (desk, id) = desk();
    desk.ok(&[
        "--as",
        "jonas",
        "cc",
        "add",
        &id,
        "wrong.person@other.example",
    ]);
    desk.ok(&[
        "--as",
        "jonas",
        "cc",
        "remove",
        &id,
        "wrong.person@other.example",
    ]);
    for format in ["text", "json"] {
        let log = desk.ok(&["log", &id, "--as", ANA, "--format", format]);
        assert!(!log.contains("wrong.person"), "{log}");
        assert!(log.contains(BOB), "the CC still on the thread: {log}");
    }
    assert!(
        desk.ok(&["log", &id]).contains("wrong.person"),
        "staff see it all"
    );
}

#[test]
fn a_span_longer_than_the_calendar_is_since_the_beginning_never_a_panic() {
    let (desk, _) = desk();
    for args in [
        vec!["list", "--since", "100000000d", "--as", ANA],
        vec!["list", "--until", "15000000w"],
        vec!["list", "--since", "1000000000000m"],
    ] {
        let out = desk.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            out.status.code().is_some_and(|c| c == 0 || c == 2),
            "{args:?}: {stderr}"
        );
    }
}

/// Who added a CC is named in a customer's history only while they are on the thread themselves, and
/// a CC removed and added again is one addition, as their `show` knows it.
#[test]
fn a_customers_log_names_nobody_who_has_left_the_thread() {
    let (desk, id) = desk();
    desk.ok(&["--as", BOB, "cc", "add", &id, "carol@partner.example"]);
    desk.ok(&["--as", "jonas", "cc", "remove", &id, BOB]);
    desk.ok(&[
        "--as",
        "jonas",
        "cc",
        "remove",
        &id,
        "carol@partner.example",
    ]);
    desk.ok(&["--as", "jonas", "cc", "add", &id, "carol@partner.example"]);
    let log = desk.ok(&["log", &id, "--as", ANA, "--format", "json"]);
    assert!(!log.contains(BOB), "{log}");
    let log: Json = serde_json::from_str(&log).unwrap();
    let adds = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "cc.add" && e["to"] == "carol@partner.example")
        .count();
    assert_eq!(adds, 1, "{log}");
}

/// The lenient staff check reads the people file as the store does: a byte-order mark does not hide
/// the staff in a broken file from themselves.
#[test]
fn a_broken_people_file_with_a_byte_order_mark_still_vouches_for_staff() {
    let (desk, id) = desk();
    let people = std::fs::read_to_string(desk.path("people.yaml")).unwrap();
    desk.write(
        "people.yaml",
        format!("\u{feff}{people}- handle: jonas\n  name: Twice\n  email: twice@acme.example\n  role: agent\n"),
    );
    let err = desk.fails(&["--as", "mette", "show", &id], 5);
    assert!(err.contains("people.yaml"), "{err}");
}
