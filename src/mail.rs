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

/// A mail message as the rules of `model::mail` need it: addresses lower-cased, the text body (an HTML
/// only message as text), and what is attached (name and size; the bytes stay in the kept message).
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    pub message_id: Option<String>,
    pub from: String,
    pub from_name: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// The display names the To and Cc lines give their addresses (one line each).
    pub names: Vec<(String, String)>,
    /// The Message-IDs of `In-Reply-To`.
    pub in_reply_to: Vec<String>,
    /// The Message-IDs of `References`, oldest first.
    pub references: Vec<String>,
    pub subject: String,
    pub text: String,
    pub attachments: Vec<(String, usize)>,
}

/// The largest message tkt takes: a mailbox's attachment limit; anything larger is refused whole.
pub const MAX_MESSAGE: usize = 10 * 1024 * 1024;

/// Reads one RFC 5322 message with the maintained parser; an error says, in one line, what is wrong.
pub fn read(bytes: &[u8]) -> Result<Incoming, String> {
    if bytes.len() > MAX_MESSAGE {
        return Err(format!(
            "the message is larger than the {} MB tkt takes",
            MAX_MESSAGE / (1024 * 1024)
        ));
    }
    let message = mail_parser::MessageParser::default()
        .parse(bytes)
        .ok_or("not a mail message (no headers could be read)")?;
    let sender = message
        .from()
        .and_then(|a| a.first())
        .ok_or("the message has no From address")?;
    let from = sender
        .address()
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| crate::model::address::is_valid_email(a))
        .ok_or("the message's From is not a valid address")?;
    let mut names: Vec<(String, String)> = Vec::new();
    let mut addresses = |a: Option<&mail_parser::Address<'_>>| -> Vec<String> {
        let mut found = Vec::new();
        for x in a.into_iter().flat_map(|a| a.iter()) {
            let Some(email) = x
                .address()
                .map(|e| e.trim().to_ascii_lowercase())
                .filter(|e| crate::model::address::is_valid_email(e))
            else {
                continue;
            };
            if let Some(name) = x.name().map(one_line).filter(|n| !n.trim().is_empty()) {
                names.push((email.clone(), name.trim().to_string()));
            }
            found.push(email);
        }
        found
    };
    let to = addresses(message.to());
    let cc = addresses(message.cc());
    let ids = |header: &mail_parser::HeaderValue<'_>| -> Vec<String> {
        header
            .as_text_list()
            .map(|ids| ids.iter().map(|id| id.to_string()).collect())
            .unwrap_or_default()
    };
    let attachments = message
        .attachments()
        .map(|part| {
            use mail_parser::MimeHeaders;
            let name = part.attachment_name().unwrap_or("(unnamed)");
            (one_line(name), part.len())
        })
        .collect();
    Ok(Incoming {
        message_id: message.message_id().map(str::to_string),
        from,
        from_name: sender.name().map(one_line),
        to,
        cc,
        names,
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        subject: message.subject().map(one_line).unwrap_or_default(),
        text: message
            .body_text(0)
            .map(|t| t.replace("\r\n", "\n"))
            .unwrap_or_default(),
        attachments,
    })
}
