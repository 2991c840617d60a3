//! The leak guard through the binary: a public reply that repeats internal text or @mentions staff is
//! refused (exit 4) naming the entry, nothing is written, and `--force` lets a deliberate copy through.

use crate::desk::{ANA, Desk};

const ANSWER: &str = "Known limitation on 10.14; update to 10.15 or use the web export for now.";

fn desk() -> Desk {
    let desk = Desk::new();
    desk.ticket();
    desk.side(
        "1",
        "Is 10.14 supported?",
        "anders",
        "Anders, is 10.14 supported?",
    );
    desk.ok(&["--as", "anders", "side", "reply", "1", "1", "-m", ANSWER]);
    desk
}

#[test]
fn a_public_reply_that_copies_a_side_message_is_refused_and_nothing_is_written() {
    let desk = desk();
    let before = desk.file(1);
    let reply = format!(
        "Hi Ana,\n\n> {}\n\nRegards",
        ANSWER.to_uppercase().replace(' ', "  ")
    );
    let said = desk.fails(
        &["--as", "jonas", "comment", "1", "--public", "-m", &reply],
        4,
    );
    assert!(
        said.contains("it repeats side conversation 1, message 2 word for word"),
        "{said}"
    );
    assert!(said.contains("--force"), "{said}");
    assert_eq!(desk.file(1), before, "nothing written");
    // Said as an internal note, it is fine.
    desk.ok(&["--as", "jonas", "comment", "1", "-m", &reply]);
}

#[test]
fn a_deliberate_copy_goes_through_with_force() {
    let desk = desk();
    desk.ok(&[
        "--as", "jonas", "comment", "1", "--public", "--force", "-m", ANSWER,
    ]);
    let customer = desk.ok(&["show", "1", "--as", ANA]);
    assert!(
        customer.contains("update to 10.15 or use the web export"),
        "{customer}"
    );
}

#[test]
fn a_reply_in_its_own_words_and_a_customers_words_are_never_held() {
    let desk = desk();
    desk.ok(&[
        "--as",
        "jonas",
        "comment",
        "1",
        "--public",
        "-m",
        "This is a known limitation on macOS 10.14: please update to 10.15 or use our web export.",
    ]);
    // A customer cannot know internal text; what they write is theirs.
    desk.ok(&["--as", ANA, "comment", "1", "-m", ANSWER]);
}
