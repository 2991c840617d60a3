//! The one adapter between tkt and email: model letters (`model::inbox`) out as RFC 5322 messages in an
//! mboxrd file, built by the standard builder (mail-builder), which encodes, folds and dates headers.
//! It holds no rules of who gets what.

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;

use crate::model::inbox::{Letter, Mailbox};

/// Header text as a single line: a name or subject with a line break in it must not start a header
/// of its own (the builder encodes what it is given; this is the one place that flattens it).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn address(m: &Mailbox) -> Address<'static> {
    let email = one_line(&m.email);
    match &m.name {
        Some(name) => Address::new_address(Some(one_line(name)), email),
        None => Address::new_address(None::<String>, email),
    }
}

fn list(mailboxes: &[Mailbox]) -> Address<'static> {
    Address::new_list(mailboxes.iter().map(address).collect())
}

/// One letter as an RFC 5322 message, with LF line ends (as an mbox holds them).
pub fn message(letter: &Letter) -> anyhow::Result<Vec<u8>> {
    let mut builder = MessageBuilder::new()
        .message_id(letter.message_id.clone())
        .in_reply_to(letter.in_reply_to.clone())
        .references(letter.in_reply_to.clone())
        .date(letter.date.timestamp())
        .from(address(&letter.from))
        .subject(one_line(&letter.subject))
        .text_body(letter.body.clone());
    if !letter.to.is_empty() {
        builder = builder.to(list(&letter.to));
    }
    if !letter.cc.is_empty() {
        builder = builder.cc(list(&letter.cc));
    }
    let bytes = builder.write_to_vec()?;
    Ok(String::from_utf8_lossy(&bytes)
        .replace("\r\n", "\n")
        .into_bytes())
}

/// Letters as an mboxrd file: each message after a `From ` line, and every body line that starts with
/// any number of `>` and then `From ` gets one more `>` (so readers can undo it exactly).
pub fn mbox(letters: &[Letter]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    for letter in letters {
        let when = letter.date.format("%a %b %e %H:%M:%S %Y");
        out.extend_from_slice(format!("From {} {when}\n", one_line(&letter.from.email)).as_bytes());
        let text = message(letter)?;
        for line in text.split_inclusive(|b| *b == b'\n') {
            if line
                .iter()
                .skip_while(|b| **b == b'>')
                .take(5)
                .eq(b"From ".iter())
            {
                out.push(b'>');
            }
            out.extend_from_slice(line);
        }
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    Ok(out)
}
