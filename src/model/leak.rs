//! The leak guard: a public reply that repeats, word for word, a passage of an internal note or a
//! side-conversation message of the same ticket, or that @mentions staff, is refused unless its author
//! says it is deliberate (`--force`): the domain's "copy the expert's answer to the customer" is a step
//! taken on purpose, never by a slip of the clipboard.

use crate::model::mention::mentions;
use crate::model::visibility::{self, Access};
use crate::model::{People, SideConversation, Ticket, Visibility, Who};

/// How many consecutive words make a passage: fewer are common phrases ("please let me know").
pub const PASSAGE_WORDS: usize = 8;
/// An internal text shorter than a passage is caught when the reply holds all of it, if it has at
/// least this many words.
pub const SHORT_TEXT_WORDS: usize = 6;

/// Why a public reply would leak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leak {
    /// It @mentions these staff handles: a note to a colleague, read by the customer.
    Mentions(Vec<String>),
    /// It repeats `passage` of `entry` (`internal note 2`, `side conversation 1, message 3`).
    Repeats { entry: String, passage: String },
}

/// What `body`, by `author` with `access`, would leak if posted publicly on `ticket`: judged on what the
/// author may see (a side conversation they are not in is not theirs to copy from, nor to be told of).
pub fn public_reply_by(
    ticket: &Ticket,
    access: Access,
    author: &Who,
    body: &str,
    people: &People,
) -> Option<Leak> {
    leaks(ticket, body, people, |s| {
        visibility::can_see_side(access, &s.participants, Some(author))
    })
}

/// `public_reply_by` for an author who may see every side conversation.
#[cfg(test)]
fn public_reply(ticket: &Ticket, body: &str, people: &People) -> Option<Leak> {
    leaks(ticket, body, people, |_| true)
}

/// What `body` would leak, of `ticket`'s internal notes and the side conversations `may_see` keeps.
fn leaks(
    ticket: &Ticket,
    body: &str,
    people: &People,
    may_see: impl Fn(&SideConversation) -> bool,
) -> Option<Leak> {
    let staff: Vec<String> = mentions(body)
        .into_iter()
        .filter(|h| people.by_handle(h).is_some_and(|p| p.role.is_internal()))
        .collect();
    if !staff.is_empty() {
        return Some(Leak::Mentions(staff));
    }
    let reply = words(body);
    // What the customers have read already (their own words quoted back, a public reply) is no leak,
    // even where an internal note holds it too.
    let public: Vec<Vec<String>> = ticket
        .comments
        .iter()
        .filter(|c| c.visibility == Visibility::Public)
        .map(|c| words(&c.body))
        .collect();
    let notes = ticket
        .comments
        .iter()
        .filter(|c| c.visibility == Visibility::Internal)
        .map(|c| (format!("internal note {}", c.n), &c.body));
    let messages = ticket
        .side_conversations
        .iter()
        .filter(|s| may_see(s))
        .flat_map(|s| {
            s.messages.iter().map(move |m| {
                (
                    format!("side conversation {}, message {}", s.n, m.n),
                    &m.body,
                )
            })
        });
    notes.chain(messages).find_map(|(entry, text)| {
        repeated(&reply, &words(text), &public).map(|passage| Leak::Repeats { entry, passage })
    })
}

/// The words of `text` as compared: runs of letters and digits, lower case, so that changed spacing,
/// line breaks, quoting (`> `), punctuation between the words (`can-we-credit`) or case do not hide a copy.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The first passage of `source` that `reply` holds word for word and no public comment holds.
fn repeated(reply: &[String], source: &[String], public: &[Vec<String>]) -> Option<String> {
    let k = PASSAGE_WORDS.min(source.len());
    if k < SHORT_TEXT_WORDS || reply.len() < k {
        return None;
    }
    let windows: std::collections::HashSet<&[String]> = reply.windows(k).collect();
    let read: std::collections::HashSet<&[String]> =
        public.iter().flat_map(|p| p.windows(k)).collect();
    source
        .windows(k)
        .find(|w| windows.contains(w) && !read.contains(w))
        .map(|w| w.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::model::fixtures::{directory, person};

    fn ticket(note: &str) -> Ticket {
        let at = chrono::DateTime::UNIX_EPOCH;
        let mut t = Ticket::new(1, "S".into(), "ana@customer.example".into(), at);
        t.add_comment(
            at,
            "ana@customer.example",
            Visibility::Public,
            "Export crashes".into(),
        );
        t.add_comment(at, "jonas", Visibility::Internal, note.into());
        t
    }

    fn people() -> People {
        directory(vec![person("mette", "Mette Hansen", Role::Agent)])
    }

    const NOTE: &str =
        "Known limitation on 10.14; the fix ships in 2.1 but do not promise a date to anyone yet.";

    fn leaks(reply: &str) -> bool {
        public_reply(&ticket(NOTE), reply, &people()).is_some()
    }

    #[test]
    fn a_passage_of_eight_words_or_more_is_caught_however_it_is_spaced_or_cased() {
        assert!(leaks(NOTE));
        assert!(leaks(
            "Hi Ana! the fix ships in 2.1 but do not promise a date. Regards"
        ));
        assert!(leaks("THE FIX   SHIPS IN\n2.1 BUT DO NOT PROMISE"));
        assert!(leaks("> the fix ships in 2.1, but do not promise..."));
        assert!(leaks("the-fix-ships-in-2.1_but_do/not/promise"));
        // Seven words are a coincidence, not a copy.
        assert!(!leaks("the fix ships in 2.1 but"));
        assert!(!leaks(
            "This is a known limitation; please update to 10.15."
        ));
    }

    #[test]
    fn a_short_note_is_caught_whole_and_a_tiny_one_never() {
        let short = ticket("Refund approved by Sanne, order 7");
        assert!(
            public_reply(
                &short,
                "Good news: refund approved by Sanne, order 7.",
                &people()
            )
            .is_some()
        );
        let tiny = ticket("ok thanks");
        assert!(public_reply(&tiny, "ok thanks for waiting", &people()).is_none());
    }

    #[test]
    fn quoting_what_the_customer_already_read_is_no_leak() {
        let mut t = ticket(
            "Customer wrote: the PDF export crashes as soon as I press Export. Repro on 10.14.",
        );
        t.add_comment(
            chrono::DateTime::UNIX_EPOCH,
            "ana@customer.example",
            Visibility::Public,
            "The PDF export crashes as soon as I press Export.".into(),
        );
        let reply = "> The PDF export crashes as soon as I press Export.\nFixed in 2.1.";
        assert!(public_reply(&t, reply, &people()).is_none());
        // Their words, and then the note's own: caught.
        let more = "> The PDF export crashes as soon as I press Export. Repro on 10.14.";
        assert!(public_reply(&t, more, &people()).is_some());
    }

    #[test]
    fn naming_the_entry_and_staff_mentions() {
        match public_reply(&ticket(NOTE), NOTE, &people()) {
            Some(Leak::Repeats { entry, .. }) => assert_eq!(entry, "internal note 2"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            public_reply(&ticket(NOTE), "@mette can you check?", &people()),
            Some(Leak::Mentions(vec!["mette".into()]))
        );
        // An @word that is no one on the staff is not a mention of staff.
        assert!(public_reply(&ticket(NOTE), "follow @acmehelp for news", &people()).is_none());
    }
}
