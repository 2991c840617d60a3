//! Replies by email (the email bridge): which ticket a message answers, what of it is new text, and
//! whether it becomes a public reply or an internal note — Zendesk's published rules, in order; the
//! first rule that matches decides. Plain functions over plain data: the mail adapter (`crate::mail`)
//! parses the message, the command applies the ruling.

use crate::model::leak::{self, Leak};
use crate::model::notify::Entry;
use crate::model::settings::AgentCc;
use crate::model::ticket::fnv64;
use crate::model::visibility;
use crate::model::{People, Role, Settings, Ticket, Visibility, Who};

/// What the rules decided for one message, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ruling {
    pub visibility: Visibility,
    /// The rule that decided (1–6, in the order of the README); None when no rule was asked: a message
    /// in a side conversation (`side`), or a new ticket.
    pub rule: Option<u8>,
    /// The side conversation the message is a message of (a reply to that side conversation's letter).
    pub side: Option<u32>,
    /// The rule in words, for the event and for `--dry-run`.
    pub reason: String,
    /// Addresses on the Cc line that become CCs.
    pub new_ccs: Vec<String>,
    /// Addresses on the Cc line that may not become CCs, and why (the blocklist, the limit).
    pub refused_ccs: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// The ids of tkt's own letters a message answers, nearest first (In-Reply-To, then References from
/// the last): `(ticket, key)` of each `<tkt.42.KEY@domain>` on this desk's `domain`. Anyone can write
/// such an id into a message, so each is only a claim: the command takes the first whose key names a
/// letter tkt really wrote on that ticket (`model::inbox::letter_about`).
pub fn letter_ids(
    in_reply_to: &[String],
    references: &[String],
    domain: &str,
) -> Vec<(u64, String)> {
    let mut found: Vec<(u64, String)> = Vec::new();
    for id in in_reply_to.iter().chain(references.iter().rev()) {
        if let Some(claim) = letter_id(id, domain)
            && !found.contains(&claim)
        {
            found.push(claim);
        }
        // A real reply names its letter first; a long chain of made-up ids is not read to its end.
        if found.len() == 8 {
            break;
        }
    }
    found
}

fn letter_id(id: &str, domain: &str) -> Option<(u64, String)> {
    let (local, host) = id.trim().trim_matches(['<', '>']).rsplit_once('@')?;
    if !host.eq_ignore_ascii_case(domain) {
        return None;
    }
    let (number, key) = local.strip_prefix("tkt.")?.split_once('.')?;
    let number: u64 = number
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| number.parse().ok())??;
    let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    (!key.is_empty() && key.len() <= 64 && key.bytes().all(plain))
        .then(|| (number, key.to_string()))
}

/// The ticket a `[#42]` tag in the subject names.
pub fn subject_ticket(subject: &str) -> Option<u64> {
    let start = subject.find("[#")? + 2;
    let digits: String = subject[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    subject[start + digits.len()..]
        .starts_with(']')
        .then(|| digits.parse().ok())?
}

/// The new text of a reply: what stands above tkt's reply line (quoted or not), else above the quoted
/// message's start (an attribution line such as `On … wrote:` in the languages of the desk's customers,
/// also wrapped over two lines; an Outlook `-----Original Message-----` line or `From:`/`Sent:` block),
/// without a `-- ` signature. A customer's own lines, `>` quotes and `From:` lines included, are kept.
pub fn new_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let all: Vec<&str> = text.lines().collect();
    let end = (0..all.len())
        .find(|&i| all[i] == "-- " || quote_starts(&all, i))
        .unwrap_or(all.len());
    let lines = &all[..end];
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(first, |i| i + 1);
    lines[first..last.max(first)].join("\n")
}

/// The verb of an attribution line (`Jonas wrote:`, Danish Gmail's `Den … skrev Jonas <…>:`), in the
/// languages a desk's customers write.
const ATTRIBUTION_VERBS: [&str; 9] = [
    "wrote",
    "skrev",
    "schrieb",
    "a écrit",
    "escribió",
    "schreef",
    "scrisse",
    "kirjoitti",
    "napisał",
];

/// How an attribution line starts (`On Tue, 3 Mar…`), or an address in it.
const ATTRIBUTION_STARTS: [&str; 8] = ["On ", "Den ", "Am ", "Le ", "El ", "Op ", "Il ", "På "];

/// The header lines of a quoted message in Outlook and its translations: `From:` then `Sent:`/`Date:`.
const FROM_LINES: [&str; 4] = ["From:", "Fra:", "Von:", "De :"];
const SENT_LINES: [&str; 6] = ["Sent:", "Date:", "Sendt:", "Gesendet:", "Envoyé :", "Dato:"];
const TO_LINES: [&str; 8] = [
    "To:", "Subject:", "Til:", "Emne:", "An:", "Betreff:", "À :", "Objet :",
];

/// Whether the quoted message starts at line `i`.
fn quote_starts(lines: &[&str], i: usize) -> bool {
    let t = lines[i].trim();
    if t.contains(crate::model::inbox::REPLY_ABOVE) || t.contains("-----Original Message-----") {
        return true;
    }
    let starts = |text: &str| ATTRIBUTION_STARTS.iter().any(|s| text.starts_with(s));
    let attribution = |text: &str| {
        text.len() <= 300
            && text.ends_with(':')
            && ATTRIBUTION_VERBS.iter().any(|verb| has_word(text, verb))
            && (starts(text) || text.contains('@'))
    };
    // Wrapped over two lines, the header's first line starts as one (`On Tue, … <`): a line of the
    // customer's own just above a header is theirs.
    let next = lines.get(i + 1).map_or("", |l| l.trim());
    if attribution(t) || (starts(t) && !next.is_empty() && attribution(&format!("{t} {next}"))) {
        return true;
    }
    // Outlook's block: `From:`, then `Sent:`/`Date:` and `To:`/`Subject:` lines (a pasted log line
    // starting `From:` is not one).
    let block = |names: &[&str]| {
        lines[i + 1..]
            .iter()
            .take(4)
            .any(|l| names.iter().any(|n| l.trim().starts_with(n)))
    };
    FROM_LINES.iter().any(|f| t.starts_with(f)) && block(&SENT_LINES) && block(&TO_LINES)
}

/// Whether `word` stands in `text` as a word of its own (`skrev`, not `beskrev`).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// One message as the rules read it: who sent it to whom, its new text, and the entry whose letter it
/// answers (if it answers one of tkt's letters).
#[derive(Debug, Clone, Copy)]
pub struct Reply<'a> {
    pub sender: &'a Who,
    pub to: &'a [String],
    pub cc: &'a [String],
    pub text: &'a str,
    pub answered: Option<&'a Entry>,
}

/// Decides whether `reply` becomes a public reply or an internal note on `ticket` (or a message of a
/// side conversation), and which addresses on its Cc line become CCs.
pub fn rule(ticket: &Ticket, reply: Reply<'_>, people: &People, settings: &Settings) -> Ruling {
    let Reply {
        sender,
        to,
        cc,
        text,
        answered,
    } = reply;
    // Before the rules: staff answering a side conversation's letter write in that side conversation,
    // where they may see it (the domain's side conversations reply by mail into their own thread).
    if let (Who::Staff { .. }, Some(Entry::SideMessage { side, .. })) = (sender, answered)
        && let Some(s) = ticket.side(*side)
        && visibility::can_see_side(
            visibility::access(ticket, sender),
            &s.participants,
            Some(sender),
        )
    {
        return Ruling {
            side: Some(*side),
            ..ruling_of(
                Visibility::Internal,
                None,
                &format!("a reply to side conversation {side}'s letter: a message in it"),
            )
        };
    }
    // Staff who may not see the side conversation whose letter they answer (a letter forwarded to
    // them) write an internal note, as for an internal note's letter; they learn nothing of it.
    if let (Who::Staff { .. }, Some(Entry::SideMessage { .. })) = (sender, answered) {
        return ruling(
            Visibility::Internal,
            5,
            "staff answering a side-conversation letter",
        );
    }
    let mut ruling = match sender {
        Who::Staff { .. } => staff_rule(ticket, sender, text, answered, people, settings),
        Who::External { email } => external_rule(ticket, email, to, cc, settings),
    };
    // Only a public reply copies people in: the requester and CCs would read of a private one in the
    // history of the CCs it added (and a third party, a follower or a light agent copies nobody).
    let copies_people = ruling.visibility == Visibility::Public
        && match sender {
            Who::External { .. } => true,
            Who::Staff { role, .. } => *role != Role::LightAgent,
        };
    if copies_people {
        ruling.new_ccs = new_ccs(
            ticket,
            sender.email(),
            cc,
            people,
            settings,
            &mut ruling.refused_ccs,
        );
    }
    // As `cc add` warns staff who copy a colleague (never a customer, who would learn who is staff).
    if sender.is_staff() && settings.agent_cc == AgentCc::Warn {
        for email in &ruling.new_ccs {
            if let Some(p) = people.by_email(email).filter(|p| p.role.is_internal()) {
                ruling.warnings.push(format!(
                    "{} is internal: as a CC their address {email} is visible to the customer; a follower is not",
                    p.handle
                ));
            }
        }
    }
    ruling
}

fn ruling(visibility: Visibility, rule: u8, reason: &str) -> Ruling {
    ruling_of(visibility, Some(rule), &format!("rule {rule}: {reason}"))
}

fn ruling_of(visibility: Visibility, rule: Option<u8>, reason: &str) -> Ruling {
    Ruling {
        visibility,
        rule,
        side: None,
        reason: reason.to_string(),
        new_ccs: Vec::new(),
        refused_ccs: Vec::new(),
        warnings: Vec::new(),
    }
}

/// Rules 1, 4, 5 and 6 for a staff sender.
fn staff_rule(
    ticket: &Ticket,
    sender: &Who,
    text: &str,
    answered: Option<&Entry>,
    people: &People,
    settings: &Settings,
) -> Ruling {
    let Who::Staff {
        handle,
        role,
        email,
    } = sender
    else {
        unreachable!("staff_rule is called for staff")
    };
    let on_ticket = ticket.is_assignee(handle) || ticket.is_follower(handle) || ticket.is_cc(email);
    if !on_ticket {
        return ruling(
            Visibility::Internal,
            1,
            "an agent who is neither assignee, follower nor CC",
        );
    }
    if *role == Role::LightAgent || ticket.is_follower(handle) {
        return ruling(Visibility::Internal, 4, "a light agent or a follower");
    }
    // Answering an internal note's letter is answering the note: the domain's "a reply to a private
    // comment is private". The letter quoted it, so this is rule 5 too.
    if let Some(Entry::Comment(n)) = answered
        && ticket
            .comments
            .iter()
            .any(|c| c.n == *n && c.visibility == Visibility::Internal)
    {
        return ruling(
            Visibility::Internal,
            5,
            &format!("staff answering internal note {n}'s letter"),
        );
    }
    let access = visibility::access(ticket, sender);
    if let Some(Leak::Repeats { entry, .. }) =
        leak::public_reply_by(ticket, access, sender, text, people)
    {
        let mut r = ruling(
            Visibility::Internal,
            5,
            &format!("staff whose message repeats {entry}"),
        );
        r.warnings.push(format!(
            "the message repeats {entry} word for word, so it is an internal note on #{id}; if passing it on \
             is deliberate, post it with `tkt comment {id} --public --force`",
            id = ticket.id
        ));
        return r;
    }
    if settings.agent_email_public {
        ruling(Visibility::Public, 6, "an agent")
    } else {
        ruling(
            Visibility::Internal,
            6,
            "an agent (agent_email_public: false)",
        )
    }
}

/// Rules 1, 2 and 3 for an external sender.
fn external_rule(
    ticket: &Ticket,
    email: &str,
    to: &[String],
    cc: &[String],
    settings: &Settings,
) -> Ruling {
    let requester = ticket.is_requester(email);
    if !requester && !ticket.is_cc(email) {
        let mut r = ruling(
            Visibility::Internal,
            1,
            "an external sender who is neither requester nor CC",
        );
        r.warnings.push(format!(
            "{email} is not on #{} (a notification forwarded to a third party?): their message is an \
             internal note and they were not added as a CC; add them with `tkt cc add {} {email}` if they \
             belong on the thread",
            ticket.id, ticket.id
        ));
        return r;
    }
    let recipients = || to.iter().chain(cc);
    if requester || recipients().any(|r| ticket.is_requester(r)) {
        return ruling(Visibility::Public, 3, "the requester or a CC");
    }
    if settings.cc_email_public && recipients().all(|r| settings.is_support_address(r)) {
        return ruling(
            Visibility::Public,
            2,
            "a CC who wrote to the desk alone (cc_email_public: true)",
        );
    }
    ruling(
        Visibility::Internal,
        2,
        "a CC whose message did not go to the requester",
    )
}

/// The addresses on a message's Cc line that become CCs: never the desk's own, a blocklisted one, the
/// sender or someone already on the thread; staff only as `agent_cc` allows (as `cc add`); no more than
/// the limit. What is left out for the blocklist or the limit goes to `refused`, with why.
pub fn new_ccs(
    ticket: &Ticket,
    sender: &str,
    cc: &[String],
    people: &People,
    settings: &Settings,
    refused: &mut Vec<(String, String)>,
) -> Vec<String> {
    let mut added: Vec<String> = Vec::new();
    for address in cc {
        let known = ticket.is_requester(address)
            || ticket.is_cc(address)
            || address.eq_ignore_ascii_case(sender)
            || added.iter().any(|a| a.eq_ignore_ascii_case(address));
        if known {
            continue;
        }
        // Staff on the Cc line are copied as `cc add` copies them: as `agent_cc` says.
        let staff = people
            .by_email(address)
            .is_some_and(|p| p.role.is_internal());
        if staff && settings.agent_cc == AgentCc::Reject {
            refused.push((
                address.clone(),
                "they are staff and agent_cc is reject; add them as a follower instead".into(),
            ));
            continue;
        }
        if let Some(why) = settings.refusal(address) {
            refused.push((address.clone(), why));
            continue;
        }
        if ticket.cc.len() + added.len() >= settings.cc_limit {
            let why = format!(
                "#{} has the most CCs allowed ({})",
                ticket.id, settings.cc_limit
            );
            refused.push((address.clone(), why));
            continue;
        }
        added.push(address.clone());
    }
    added
}

/// What a kept message is known by: its sender and Message-ID, else (a message without one) its bytes.
/// Two deliveries of one message have the same key; the sender is part of it so that nobody can use up
/// the Message-ID of someone else's coming message (a clash of ids between senders is two messages).
pub fn kept_key(from: &str, message_id: Option<&str>, bytes: &[u8]) -> String {
    match message_id.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => format!("id:{}:{id}", from.to_ascii_lowercase()),
        None => format!("bytes:{:016x}", fnv64(bytes.iter().copied())),
    }
}

/// The file name a message with `key` is kept under (`attempt` > 0 only when another message's key
/// hashed to the same name): 16 hex digits, never a character of the message itself.
pub fn kept_name(key: &str, attempt: u32) -> String {
    match attempt {
        0 => format!("{:016x}.eml", fnv64(key.bytes())),
        n => format!("{:016x}-{n}.eml", fnv64(key.bytes())),
    }
}

/// The most text of one message that goes on the ticket (a help desk's comment limit): 64 KB.
pub const MAX_TEXT: usize = 64 * 1024;

/// The most attachments an entry names.
const MAX_NAMED: usize = 20;

/// The body of the entry a message becomes: its text, then the names and sizes of its attachments
/// (kept with the whole message; the staff history says where).
/// At most `MAX_TEXT` bytes of it: a longer text is cut at a line (the whole is in the kept message).
pub fn entry_body(text: &str, attachments: &[(String, usize)]) -> String {
    let text = text.trim_end();
    let mut body = match text.len() > MAX_TEXT {
        false => text.to_string(),
        true => {
            let mut end = MAX_TEXT;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let cut = text[..end].rfind('\n').unwrap_or(end);
            format!(
                "{}\n\n[… {} more of this message are in the message the desk keeps]",
                text[..cut].trim_end(),
                size_in_words(text.len() - cut)
            )
        }
    };
    if !attachments.is_empty() {
        // Named, not listed without end: a message may carry thousands, all in the kept message.
        let mut names: Vec<String> = attachments
            .iter()
            .take(MAX_NAMED)
            .map(|(name, size)| {
                let name: String = name.chars().take(100).collect();
                format!("{name} ({})", size_in_words(*size))
            })
            .collect();
        if attachments.len() > MAX_NAMED {
            names.push(format!("and {} more", attachments.len() - MAX_NAMED));
        }
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(&format!("[Attached: {}]", names.join(", ")));
    }
    body
}

fn size_in_words(bytes: usize) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// The most characters of a subject from mail.
const MAX_SUBJECT: usize = 200;

/// The subject a new ticket takes from a message: its own, without reply and forward prefixes; a message
/// without one says so.
pub fn new_subject(subject: &str) -> String {
    // One line of visible text, as `tkt new` takes a subject: no line or paragraph separator, no format
    // character (a zero-width space alone says nothing).
    let visible: String = subject
        .chars()
        .map(|c| {
            if crate::model::text::is_unsafe(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut s = visible.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        let Some(prefix) = ["re:", "fwd:", "fw:", "aw:", "sv:", "vs:"]
            .into_iter()
            .find(|p| lower.starts_with(p))
        else {
            break;
        };
        s = s[prefix.len()..].trim_start();
    }
    if crate::model::text::is_blank(s) {
        return "(no subject)".to_string();
    }
    // A subject is a line in every list and letter: as long as a mail client shows, not as long as a
    // message may be.
    match s.char_indices().nth(MAX_SUBJECT) {
        Some((end, _)) => format!("{}…", s[..end].trim_end()),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ids_of_tkts_own_letters_on_this_desk_are_claims_nearest_first() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let found = letter_ids(
            &ids(&["<tkt.42.9f3a61c2@acme.example>"]),
            &ids(&[
                "<tkt.42@acme.example>",
                "<x@y>",
                "<tkt.7.cc.0a1b@ACME.example>",
            ]),
            "acme.example",
        );
        assert_eq!(
            found,
            [(42, "9f3a61c2".to_string()), (7, "cc.0a1b".to_string())]
        );
        // Another desk's ids, a thread root without a letter, and made-up shapes are no claims.
        let none = ids(&[
            "<tkt.42.9f3a61c2@other.example>",
            "<tkt.42@acme.example>",
            "<tkt.4x.ab@acme.example>",
            "<tkt..ab@acme.example>",
            "<tkt.1.a b@acme.example>",
        ]);
        assert!(letter_ids(&none, &[], "acme.example").is_empty());
        assert_eq!(subject_ticket("Re: [#42] PDF export"), Some(42));
        assert_eq!(subject_ticket("[#4x] no"), None);
        assert_eq!(subject_ticket("no tag"), None);
    }

    #[test]
    fn a_long_text_is_cut_at_a_line_and_says_how_much_more_there_is() {
        let line = "é".repeat(99) + "\n";
        let text = line.repeat(1000);
        let body = entry_body(&text, &[("a.pdf".into(), 2048)]);
        assert!(body.len() < MAX_TEXT + 200, "{}", body.len());
        let kept = body.split("\n\n[…").next().unwrap();
        assert!(kept.lines().all(|l| l == line.trim_end()), "cut at a line");
        assert!(body.contains("KB more of this message are in the message the desk keeps]"));
        assert!(body.ends_with("[Attached: a.pdf (2 KB)]"));
        assert_eq!(entry_body("short\n\n", &[]), "short");
    }

    #[test]
    fn the_new_text_is_what_stands_above_the_quote() {
        let reply =
            "Thanks, that works!\n\n##- Please type your reply above this line -##\n\nJonas wrote…";
        assert_eq!(new_text(reply), "Thanks, that works!");
        assert_eq!(
            new_text("Great.\n\nOn Mon, 2 Mar 2026 at 10:05, Support wrote:\n> old\n"),
            "Great."
        );
        assert_eq!(new_text("Yes.\n-- \nAna Silva\nCustomer A/S"), "Yes.");
        assert_eq!(
            new_text("See below.\r\n\r\n-----Original Message-----\r\nFrom: Support\r\n"),
            "See below."
        );
        assert_eq!(
            new_text("Fine\n\n> ##- Please type your reply above this line -##\n> old\n"),
            "Fine"
        );
        assert_eq!(
            new_text("> a quote first\nthen my answer"),
            "> a quote first\nthen my answer"
        );
        // A customer's own quote and From: line are theirs.
        assert_eq!(
            new_text("Our config:\n\n> proxy: on\n\nFrom: the log\n401"),
            "Our config:\n\n> proxy: on\n\nFrom: the log\n401"
        );
        // Other languages, a wrapped attribution, Outlook's block.
        assert_eq!(
            new_text(
                "Tak.\n\nDen tir. 3. mar. 2026 kl. 10.10 skrev Support <support@acme.example>:\n> x"
            ),
            "Tak."
        );
        assert_eq!(
            new_text(
                "Yes.\n\nOn Tue, 3 Mar 2026 at 10:10, Jonas Berg (Support) <\nsupport@acme.example> wrote:\n> x"
            ),
            "Yes."
        );
        assert_eq!(
            new_text(
                "OK.\n\nFrom: Jonas Berg (Support) <support@acme.example>\nSent: Tuesday\nTo: Ana\n"
            ),
            "OK."
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::model::fixtures::{at, directory, person};
    use crate::model::{Cc, Role};
    use proptest::prelude::*;

    fn people() -> People {
        directory(vec![
            person("jonas", "Jonas Berg", Role::Agent),
            person("mette", "Mette Hansen", Role::Agent),
            person("lise", "Lise Produkt", Role::LightAgent),
        ])
    }

    /// Addresses a message may name: the ticket's people, staff, the desk, a blocklisted one, strangers.
    const ADDRESSES: [&str; 9] = [
        "ana@customer.example",
        "bob@agency.example",
        "eve@elsewhere.example",
        "carl@customer.example",
        "jonas@acme.example",
        "lise@acme.example",
        "support@acme.example",
        "noreply@robots.example",
        "dan@elsewhere.example",
    ];

    fn settings(limit: usize, cc_public: bool, agent_public: bool) -> Settings {
        Settings {
            cc_limit: limit,
            cc_blocklist: vec!["noreply@*".into()],
            support_addresses: vec!["support@acme.example".into()],
            cc_email_public: cc_public,
            agent_email_public: agent_public,
            ..Settings::default()
        }
    }

    fn ticket(ccs: &[usize], follower: bool) -> Ticket {
        let mut t = Ticket::new(7, "Sync".into(), ADDRESSES[0].into(), at(0));
        t.assignee = Some("jonas".into());
        for &i in ccs {
            let email = ADDRESSES[i % 4].to_string();
            if !t.is_requester(&email) && !t.is_cc(&email) {
                t.cc.push(Cc {
                    email,
                    name: None,
                    extra: Default::default(),
                });
            }
        }
        if follower {
            t.followers.push("mette".into());
        }
        t.add_comment(
            at(1),
            "jonas",
            Visibility::Internal,
            "alpha beta gamma delta epsilon zeta eta theta iota".into(),
        );
        t
    }

    fn pick(indexes: &[usize]) -> Vec<String> {
        indexes
            .iter()
            .map(|&i| ADDRESSES[i % ADDRESSES.len()].to_string())
            .collect()
    }

    proptest! {
        /// Whoever writes to whomever: a third party's or a follower's or a light agent's mail is never
        /// public; a private reply copies nobody; new CCs are never the desk, blocklisted, staff against
        /// `agent_cc: reject`, already on the thread, twice, or over the limit.
        #[test]
        fn the_rules_never_publish_what_they_must_not_and_copy_only_who_they_may(
            sender in 0usize..ADDRESSES.len() + 2,
            ccs in proptest::collection::vec(0usize..4, 0..3),
            follower in any::<bool>(),
            to in proptest::collection::vec(0usize..9, 0..4),
            cc in proptest::collection::vec(0usize..9, 0..6),
            limit in 0usize..4,
            cc_public in any::<bool>(),
            agent_public in any::<bool>(),
            repeat in any::<bool>(),
            reject in any::<bool>(),
        ) {
            let people = people();
            let settings = settings(limit, cc_public, agent_public);
            let t = ticket(&ccs, follower);
            let who = match sender {
                s if s < ADDRESSES.len() => people.resolve(ADDRESSES[s], "From").unwrap(),
                s if s == ADDRESSES.len() => people.resolve("mette", "From").unwrap(),
                _ => people.resolve("lise", "From").unwrap(),
            };
            let text = if repeat { "so: alpha beta gamma delta epsilon zeta eta theta" } else { "Thanks" };
            let (to, cc) = (pick(&to), pick(&cc));
            let mut settings = settings;
            if reject {
                settings.agent_cc = AgentCc::Reject;
            }
            let reply = Reply { sender: &who, to: &to, cc: &cc, text, answered: None };
            let r = rule(&t, reply, &people, &settings);
            let on_thread = t.is_requester(who.email()) || t.is_cc(who.email());
            if !who.is_staff() && !on_thread {
                prop_assert_eq!(r.visibility, Visibility::Internal);
                prop_assert_eq!(r.rule, Some(1));
                prop_assert!(r.new_ccs.is_empty());
            }
            if let Who::Staff { handle, role, .. } = &who {
                if *role == Role::LightAgent || t.is_follower(handle) {
                    prop_assert_eq!(r.visibility, Visibility::Internal);
                }
                if repeat {
                    prop_assert_eq!(r.visibility, Visibility::Internal);
                }
            }
            if r.visibility == Visibility::Internal {
                prop_assert!(r.new_ccs.is_empty(), "a private reply copies nobody");
            }
            prop_assert!(t.cc.len() + r.new_ccs.len() <= limit.max(t.cc.len()));
            for (i, a) in r.new_ccs.iter().enumerate() {
                let staff = people.by_email(a).is_some_and(|p| p.role.is_internal());
                prop_assert!(!(staff && reject), "{a} is staff and agent_cc is reject");
                prop_assert!(!settings.is_support_address(a));
                prop_assert!(settings.refusal(a).is_none());
                prop_assert!(!t.is_requester(a) && !t.is_cc(a) && a != who.email());
                prop_assert!(!r.new_ccs[..i].contains(a));
                prop_assert!(cc.contains(a), "{a} was on the Cc line");
            }
        }
    }
}
