//! A fast reader for the layout tkt itself writes, in front of serde_yaml.
//!
//! serde_yaml (libyaml underneath) reads about 35 MB per CPU-second, and it reads every byte of every
//! body: a cold `list` needs a few header fields of each ticket and no body at all, and `show` of a long
//! ticket is mostly bodies. This reader knows exactly the subset of YAML that tkt's writer produces:
//! block mappings and sequences at fixed indentation, one-line plain and quoted scalars, `[]`, and
//! literal block scalars, which it steps over by their indentation without decoding them when the
//! caller needs no bodies.
//!
//! It may only ever answer "the ticket serde_yaml would read" or "don't know" (`None`). Anything outside
//! the subset — a comment, a blank line, a flow collection, an anchor, an alias, a tag, a key it does not
//! know, a key twice, a plain value that YAML could read as a number, a boolean or null, a tab, a
//! character libyaml treats specially — is "don't know", and the caller reads the file with serde_yaml
//! as before, which decides (or refuses, with its line) exactly as it always did. Validation
//! (`Ticket::validate`) runs on its result as on serde_yaml's. Tests hold it to that on every corpus and
//! on random tickets (`tests/cli/layout.rs`).

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, Utc};

use crate::model::event::Event;
use crate::model::ticket::{
    Cc, Comment, Message, Priority, SideConversation, SideState, Status, Ticket, Time, Visibility,
    is_valid_actor,
};
use crate::model::{People, Person, Role};
use crate::yaml::Extra;

/// Whether the caller needs the bodies of comments and messages (`show`) or not (`list`'s summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    Read,
    /// Bodies and the words of events are checked as serde_yaml and validation would, but left
    /// empty: `list`'s summary needs none of them.
    Skip,
}

/// No ticket tkt writes nests deeper than this (ticket, side conversation, message, value).
const MAX_DEPTH: usize = 6;

/// The ticket in `text` if it is written in tkt's own layout, exactly as serde_yaml would read it;
/// `None` if the file is anything else, whether valid YAML or not.
pub fn ticket(text: &str, bodies: Bodies) -> Option<Ticket> {
    document(text, |lines, root| Typed { bodies }.ticket(lines, root))
}

/// What `read` makes of `text` as one top-level mapping, if every line of it is in tkt's layout. The
/// lines are read once, straight into the caller's types: no tree of the document is built.
fn document<'a, T>(
    text: &'a str,
    read: impl FnOnce(&mut Lines<'a>, Value<'a>) -> Option<T>,
) -> Option<T> {
    if !plain_characters(text) {
        return None;
    }
    let mut lines = Lines::new(text);
    let root = Value::Map {
        indent: 0,
        first: None,
        depth: 0,
    };
    let read = read(&mut lines, root)?;
    lines.current.is_none().then_some(read)
}

/// Only characters that libyaml reads as themselves everywhere: printable, no tab, no carriage return,
/// and none of the Unicode line breaks (NEL, LS, PS) or the byte-order mark it treats specially.
fn plain_characters(text: &str) -> bool {
    // Printable ASCII and line feeds, checked a block at a time without branches so that it runs at
    // the speed of memory; only a file with anything else is looked at character by character.
    let odd = |b: &u8| u8::from(*b < 0x20 && *b != b'\n') | u8::from(*b >= 0x7f);
    let mut blocks = text.as_bytes().chunks(64);
    if blocks.all(|block| block.iter().map(odd).fold(0, |a, b| a | b) == 0) {
        return true;
    }
    text.chars().all(|c| {
        matches!(c, ' '..='~' | '\n')
            || (c >= '\u{a0}'
                && !matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ))
    })
}

/// The directory in `people.yaml` if it is written in tkt's own layout, exactly as serde_yaml would
/// read it; `None` otherwise.
pub fn people(text: &str) -> Option<People> {
    document(text, |lines, root| {
        let mut people = None;
        lines.entries(root, |lines, key, value| match key {
            "people" => set(&mut people, each(lines, value, person)?),
            _ => None,
        })?;
        Some(People {
            people: people?,
            merge_conflicts: Vec::new(),
            extra: Extra::new(),
        })
    })
}

fn person<'a>(lines: &mut Lines<'a>, value: Value<'a>) -> Option<Person> {
    let (mut handle, mut name, mut email, mut role) = (None, None, None, None);
    lines.entries(value, |_, key, value| {
        match key {
            "handle" => set(&mut handle, text(&value)?)?,
            "name" => set(&mut name, text(&value)?)?,
            "email" => set(&mut email, text(&value)?)?,
            "role" => set(
                &mut role,
                variant(
                    &value,
                    &[
                        ("admin", Role::Admin),
                        ("agent", Role::Agent),
                        ("light-agent", Role::LightAgent),
                        ("end-user", Role::EndUser),
                    ],
                )?,
            )?,
            _ => return None,
        }
        Some(())
    })?;
    Some(Person {
        handle: handle?,
        name: name?,
        email: email?,
        role: role?,
        extra: Extra::new(),
    })
}

/// A value as written, decoded only when asked. A collection is only where it starts: its reader
/// (`Lines::entries`, `Lines::items`) takes its lines.
#[derive(Debug)]
enum Value<'a> {
    Scalar(Scalar<'a>),
    /// `[]`.
    Empty,
    /// A block sequence whose `- ` sit at `indent`, at nesting `depth`.
    Seq {
        indent: usize,
        depth: usize,
    },
    /// A block mapping whose keys sit at `indent`, at nesting `depth`; `first` is the rest of a
    /// `- key: value` line already taken.
    Map {
        indent: usize,
        first: Option<&'a str>,
        depth: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

#[derive(Debug)]
enum Scalar<'a> {
    Plain(&'a str),
    /// Between the quotes; `''` stands for `'`.
    Single(&'a str),
    /// Between the quotes; its escapes were checked when it was read.
    Double(&'a str),
    /// The block's lines (after the `|` line, up to the first line that ends it).
    Literal {
        block: &'a str,
        indent: usize,
        chomp: Chomp,
    },
}

/// One line: its indentation in spaces and the rest, without the line break.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    content: &'a str,
}

/// The text as lines, with the current one looked at before it is taken.
struct Lines<'a> {
    text: &'a str,
    /// Where `current` starts, and where the line after it starts.
    start: usize,
    next: usize,
    current: Option<Line<'a>>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut lines = Lines {
            text,
            start: 0,
            next: 0,
            current: None,
        };
        lines.advance();
        lines
    }

    /// Takes the current line and looks at the next.
    fn advance(&mut self) {
        self.start = self.next;
        self.current = self.raw_line().map(|raw| {
            let indent = indentation(raw);
            Line {
                indent,
                content: &raw[indent..],
            }
        });
    }

    /// The next line as it is, moving past it.
    fn raw_line(&mut self) -> Option<&'a str> {
        if self.next >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.next..];
        let end = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        self.next += (end + 1).min(rest.len());
        Some(&rest[..end])
    }

    /// Reads a block mapping (`value` must be one), handing each entry to `entry`, which must read the
    /// entry's value whole (or answer `None`).
    fn entries(
        &mut self,
        value: Value<'a>,
        mut entry: impl FnMut(&mut Self, &'a str, Value<'a>) -> Option<()>,
    ) -> Option<()> {
        let Value::Map {
            indent,
            first,
            depth,
        } = value
        else {
            return None;
        };
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(first) = first {
            let (key, value) = self.entry(indent, first, depth)?;
            entry(self, key, value)?;
        }
        while let Some(line) = self.current {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_item(line.content) {
                return None;
            }
            self.advance();
            let (key, value) = self.entry(indent, line.content, depth)?;
            entry(self, key, value)?;
        }
        Some(())
    }

    /// `key: value` or `key:` with the value on the lines below.
    fn entry(
        &mut self,
        indent: usize,
        content: &'a str,
        depth: usize,
    ) -> Option<(&'a str, Value<'a>)> {
        let (key, rest) = split_key(content)?;
        let value = if rest.is_empty() {
            self.block_value(indent, depth)?
        } else {
            self.inline_value(indent, rest)?
        };
        Some((key, value))
    }

    /// The value of a `key:` line: a sequence at the key's own indentation (as tkt writes it) or a
    /// collection indented below it. Nothing there would be null: not tkt's layout.
    fn block_value(&self, indent: usize, depth: usize) -> Option<Value<'a>> {
        let line = self.current?;
        if line.indent == indent && is_item(line.content) {
            return Some(Value::Seq {
                indent,
                depth: depth + 1,
            });
        }
        if line.indent <= indent {
            return None;
        }
        Some(if is_item(line.content) {
            Value::Seq {
                indent: line.indent,
                depth: depth + 1,
            }
        } else {
            Value::Map {
                indent: line.indent,
                first: None,
                depth: depth + 1,
            }
        })
    }

    /// A value on the key's own line: `[]`, a literal block, a quoted or a plain scalar.
    fn inline_value(&mut self, indent: usize, rest: &'a str) -> Option<Value<'a>> {
        if rest == "[]" {
            return Some(Value::Empty);
        }
        if let Some(header) = rest.strip_prefix('|') {
            return self.literal(indent, header).map(Value::Scalar);
        }
        scalar(rest).map(Value::Scalar)
    }

    /// Reads a sequence (`value` must be one: `[]` or a block sequence), handing each item to `item`,
    /// which must read the item whole (or answer `None`).
    fn items(
        &mut self,
        value: Value<'a>,
        mut item: impl FnMut(&mut Self, Value<'a>) -> Option<()>,
    ) -> Option<()> {
        let (indent, depth) = match value {
            Value::Empty => return Some(()),
            Value::Seq { indent, depth } => (indent, depth),
            _ => return None,
        };
        if depth > MAX_DEPTH {
            return None;
        }
        while let Some(line) = self.current {
            if line.indent > indent {
                return None;
            }
            if line.indent < indent || !is_item(line.content) {
                break;
            }
            self.advance();
            let rest = line.content.strip_prefix("- ")?;
            let value = if split_key(rest).is_some() {
                Value::Map {
                    indent: indent + 2,
                    first: Some(rest),
                    depth: depth + 1,
                }
            } else if let Some(header) = rest.strip_prefix('|') {
                // A block in a list belongs to the list's own indentation, as in libyaml.
                Value::Scalar(self.literal(indent, header)?)
            } else {
                Value::Scalar(scalar(rest)?)
            };
            item(self, value)?;
        }
        Some(())
    }

    /// A literal block scalar after its `|`: chomping (`-`, `+`) and an indentation digit in either
    /// order, then lines indented deeper than the mapping whose key it belongs to (`parent`).
    fn literal(&mut self, parent: usize, header: &str) -> Option<Scalar<'a>> {
        let mut chomp = Chomp::Clip;
        let mut explicit = None;
        for c in header.chars() {
            match c {
                '-' | '+' if chomp == Chomp::Clip => {
                    chomp = if c == '-' { Chomp::Strip } else { Chomp::Keep }
                }
                '1'..='9' if explicit.is_none() => {
                    explicit = Some(parent + (c as usize - '0' as usize))
                }
                _ => return None,
            }
        }
        // The block starts at the current line, which is read again raw.
        let start = self.start;
        self.next = start;
        let indent = match explicit {
            Some(indent) => indent,
            // Found from the first line, which must hold text (blank leading lines would make libyaml
            // measure them too) and sit deeper than the key (else the value is empty).
            None => {
                let first = self.current?;
                if first.content.is_empty() || first.indent <= parent {
                    return None;
                }
                first.indent
            }
        };
        let mut end = start;
        loop {
            let before = self.next;
            let Some(raw) = self.raw_line() else { break };
            let spaces = indentation(raw);
            if spaces < indent && spaces < raw.len() {
                // The first line less indented that holds text ends the block; it is read again as
                // the next line.
                self.next = before;
                break;
            }
            end = self.next;
        }
        self.advance();
        Some(Scalar::Literal {
            block: &self.text[start..end],
            indent,
            chomp,
        })
    }
}

/// The spaces a line starts with (tabs never reach here).
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// `key: rest` or `key:`, for a key of letters, digits and `_` (every key tkt knows); `rest` is what
/// follows `: `, which must not start with a second space.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let bytes = content.as_bytes();
    if !bytes
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
    {
        return None;
    }
    let colon = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .filter(|&at| bytes[at] == b':')?;
    let key = &content[..colon];
    let after = &content[colon + 1..];
    if after.is_empty() {
        return Some((key, after));
    }
    let rest = after.strip_prefix(' ')?;
    if rest.is_empty() || rest.starts_with(' ') {
        return None;
    }
    Some((key, rest))
}

/// A one-line scalar that is all of `rest`: quoted, or plain with nothing YAML would read otherwise.
fn scalar(rest: &str) -> Option<Scalar<'_>> {
    if let Some(inner) = rest.strip_prefix('\'') {
        return single_quoted(inner).map(Scalar::Single);
    }
    if let Some(inner) = rest.strip_prefix('"') {
        return double_quoted(inner).map(Scalar::Double);
    }
    // `-`, `?` and `:` start a plain scalar when text follows them at once (`:!`, `-5`).
    let indicator = match rest.as_bytes() {
        [b'-' | b'?' | b':', next, ..] => *next == b' ',
        [first, ..] => matches!(
            first,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        ),
        [] => true,
    };
    let plain = !indicator && !rest.ends_with([' ', ':']) && !ends_early(rest);
    plain.then_some(Scalar::Plain(rest))
}

/// Whether a plain scalar would end before the end of `rest`: at `: ` (a key) or ` #` (a comment).
fn ends_early(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    // A short value (a number, a time, a handle) is looked at pair by pair, without branches: cheaper
    // than setting up the vector search for it.
    if bytes.len() < 64 {
        let next = bytes.get(1..).unwrap_or_default();
        return bytes.iter().zip(next).fold(false, |found, (&a, &b)| {
            found | ((a == b':') & (b == b' ')) | ((a == b' ') & (b == b'#'))
        });
    }
    memchr::memchr2_iter(b':', b'#', bytes).any(|at| match bytes[at] {
        b':' => bytes.get(at + 1) == Some(&b' '),
        _ => at > 0 && bytes[at - 1] == b' ',
    })
}

/// The inside of `'…'` that ends the line.
fn single_quoted(inner: &str) -> Option<&str> {
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return (i + 1 == bytes.len()).then(|| &inner[..i]);
        }
        i += 1;
    }
    None
}

/// The inside of `"…"` that ends the line, if every escape in it is one libyaml knows.
fn double_quoted(inner: &str) -> Option<&str> {
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return (i + 1 == bytes.len()).then(|| &inner[..i]),
            b'\\' => i += 1 + escape(&inner[i + 1..])?.1,
            _ => i += 1,
        }
    }
    None
}

/// The character an escape stands for (after its `\`) and how many bytes it takes.
fn escape(after: &str) -> Option<(char, usize)> {
    let hex = |digits: usize| -> Option<(char, usize)> {
        let code = after.get(1..1 + digits)?;
        if !code.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let c = char::from_u32(u32::from_str_radix(code, 16).ok()?)?;
        Some((c, 1 + digits))
    };
    let c = match after.as_bytes().first()? {
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\u{b}',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex(2),
        b'u' => return hex(4),
        b'U' => return hex(8),
        _ => return None,
    };
    Some((c, 1))
}

impl Scalar<'_> {
    /// The text the scalar stands for, as libyaml reads it.
    fn text(&self) -> Cow<'_, str> {
        match *self {
            Scalar::Plain(text) => Cow::Borrowed(text),
            Scalar::Single(inner) if !inner.contains('\'') => Cow::Borrowed(inner),
            Scalar::Single(inner) => Cow::Owned(inner.replace("''", "'")),
            Scalar::Double(inner) if !inner.contains('\\') => Cow::Borrowed(inner),
            Scalar::Double(inner) => Cow::Owned(unescape(inner)),
            Scalar::Literal {
                block,
                indent,
                chomp,
            } => Cow::Owned(literal_text(block, indent, chomp)),
        }
    }

    /// Whether serde_yaml reads it as text wherever text is expected: any scalar is, for a `String`,
    /// but a plain null (`~`, `null`) is no value for an `Option<String>`, so it is not taken here.
    fn is_text(&self) -> bool {
        !matches!(*self, Scalar::Plain("~" | "null" | "Null" | "NULL"))
    }
}

/// A double-quoted scalar's inside with its escapes (already checked) replaced.
fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let Some((c, len)) = escape(&rest[at + 1..]) else {
            break;
        };
        out.push(c);
        rest = &rest[at + 1 + len..];
    }
    out.push_str(rest);
    out
}

/// A literal block's text as libyaml builds it: each line less its indentation, line breaks kept,
/// blank lines as breaks, and the final breaks chomped.
fn literal_text(block: &str, indent: usize, chomp: Chomp) -> String {
    let mut out = String::with_capacity(block.len());
    let mut leading_break = false;
    let mut trailing = 0;
    // `block.split_inclusive('\n')`, with the breaks found by `memchr`.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', block.as_bytes()).map(|at| at + 1);
    let ends = ends.chain((!block.is_empty() && !block.ends_with('\n')).then_some(block.len()));
    for end in ends {
        let line = &block[start..end];
        start = end;
        let has_break = line.ends_with('\n');
        let body = line.strip_suffix('\n').unwrap_or(line);
        let spaces = indentation(body);
        if spaces == body.len() && spaces <= indent {
            trailing += usize::from(has_break);
            continue;
        }
        if leading_break {
            out.push('\n');
        }
        out.extend(std::iter::repeat_n('\n', trailing));
        out.push_str(&body[indent..]);
        leading_break = has_break;
        trailing = 0;
    }
    if chomp != Chomp::Strip && leading_break {
        out.push('\n');
    }
    if chomp == Chomp::Keep {
        out.extend(std::iter::repeat_n('\n', trailing));
    }
    out
}

/// Fills a field once; a key twice is not tkt's layout (serde_yaml refuses it).
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// Every item of a sequence, each read by `one`.
fn each<'a, T>(
    lines: &mut Lines<'a>,
    value: Value<'a>,
    mut one: impl FnMut(&mut Lines<'a>, Value<'a>) -> Option<T>,
) -> Option<Vec<T>> {
    let mut all = Vec::new();
    lines.items(value, |lines, item| {
        all.push(one(lines, item)?);
        Some(())
    })?;
    Some(all)
}

fn text(value: &Value<'_>) -> Option<String> {
    match value {
        Value::Scalar(s) if s.is_text() => Some(s.text().into_owned()),
        _ => None,
    }
}

fn texts<'a>(lines: &mut Lines<'a>, value: Value<'a>) -> Option<Vec<String>> {
    each(lines, value, |_, item| text(&item))
}

/// A plain decimal number, as serde_yaml reads an integer (no sign, no leading zero, no `0x`).
fn number<T: std::str::FromStr>(value: &Value<'_>) -> Option<T> {
    match value {
        Value::Scalar(Scalar::Plain(digits))
            if digits.bytes().all(|b| b.is_ascii_digit())
                && (digits.len() == 1 || !digits.starts_with('0')) =>
        {
            digits.parse().ok()
        }
        _ => None,
    }
}

/// A time as chrono's serde reads it: RFC 3339 text, in any offset, kept in UTC.
fn time(value: &Value<'_>) -> Option<Time> {
    let Value::Scalar(s) = value else {
        return None;
    };
    if let Scalar::Plain(text) = s
        && let Some(time) = utc_seconds(text)
    {
        return Some(time);
    }
    let parsed: DateTime<FixedOffset> = s.text().parse().ok()?;
    Some(parsed.with_timezone(&Utc))
}

/// The form tkt writes, `2026-03-02T09:00:00Z`, read without chrono's general parser (a third of the
/// cost of a long ticket); `None` for anything else, which chrono then reads (or refuses) itself.
fn utc_seconds(text: &str) -> Option<Time> {
    let b = text.as_bytes();
    let shape = b.len() == 20
        && [4, 7].iter().all(|&i| b[i] == b'-')
        && b[10] == b'T'
        && [13, 16].iter().all(|&i| b[i] == b':')
        && b[19] == b'Z';
    if !shape {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        let digits = &b[from..to];
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let date =
        chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(5, 7)?, num(8, 10)?)?;
    // A leap second (`:60`) is left to chrono.
    let second = num(17, 19).filter(|&s| s < 60)?;
    let time = chrono::NaiveTime::from_hms_opt(num(11, 13)?, num(14, 16)?, second)?;
    Some(date.and_time(time).and_utc())
}

/// A unit variant of one of the model's enums, written plain as tkt writes it.
fn variant<T: Copy>(value: &Value<'_>, names: &[(&str, T)]) -> Option<T> {
    let Value::Scalar(Scalar::Plain(word)) = value else {
        return None;
    };
    names.iter().find(|(name, _)| name == word).map(|&(_, v)| v)
}

fn status(value: &Value<'_>) -> Option<Status> {
    use Status::*;
    let all = [New, Open, Pending, OnHold, Solved, Closed];
    variant(value, &all.map(|s| (s.as_str(), s)))
}

fn priority(value: &Value<'_>) -> Option<Priority> {
    use Priority::*;
    let all = [Low, Normal, High, Urgent];
    variant(value, &all.map(|p| (p.as_str(), p)))
}

fn visibility(value: &Value<'_>) -> Option<Visibility> {
    variant(
        value,
        &[
            ("public", Visibility::Public),
            ("internal", Visibility::Internal),
        ],
    )
}

fn side_state(value: &Value<'_>) -> Option<SideState> {
    variant(
        value,
        &[("open", SideState::Open), ("resolved", SideState::Resolved)],
    )
}

/// The fields comments and messages share, as read.
struct Entry {
    n: u32,
    id: String,
    at: Time,
    author: String,
    body: String,
}

/// From the lines to the model's types, field by field as serde's derive would, refusing any key the
/// type does not name (those are kept in `extra` by serde_yaml, which the caller falls back to).
struct Typed {
    bodies: Bodies,
}

impl Typed {
    /// Text no summary needs (a body, an event's words): checked as text always, kept only when
    /// reading everything.
    fn unkept(&self, value: &Value<'_>) -> Option<String> {
        match self.bodies {
            Bodies::Read => text(value),
            Bodies::Skip => match value {
                Value::Scalar(s) if s.is_text() => Some(String::new()),
                _ => None,
            },
        }
    }

    /// Who made a change: checked here as `Ticket::validate` would when it is not kept.
    fn actor(&self, value: &Value<'_>) -> Option<String> {
        let Value::Scalar(s) = value else {
            return None;
        };
        match self.bodies {
            Bodies::Read => text(value),
            Bodies::Skip => {
                let who = s.is_text().then(|| s.text())?;
                (who.is_empty() || is_valid_actor(&who)).then(String::new)
            }
        }
    }

    fn ticket<'a>(&self, lines: &mut Lines<'a>, root: Value<'a>) -> Option<Ticket> {
        let (mut id, mut subject, mut status_, mut priority_) = (None, None, None, None);
        let (mut requester, mut assignee, mut group, mut tags) = (None, None, None, None);
        let (mut created, mut updated, mut cc, mut followers) = (None, None, None, None);
        let (mut comments, mut sides, mut events) = (None, None, None);
        lines.entries(root, |lines, key, value| match key {
            "id" => set(&mut id, number(&value)?),
            "subject" => set(&mut subject, text(&value)?),
            "status" => set(&mut status_, status(&value)?),
            "priority" => set(&mut priority_, priority(&value)?),
            "requester" => set(&mut requester, text(&value)?),
            "assignee" => set(&mut assignee, text(&value)?),
            "group" => set(&mut group, text(&value)?),
            "tags" => set(&mut tags, texts(lines, value)?),
            "created" => set(&mut created, time(&value)?),
            "updated" => set(&mut updated, time(&value)?),
            "cc" => set(&mut cc, each(lines, value, |l, v| self.cc(l, v))?),
            "followers" => set(&mut followers, texts(lines, value)?),
            "comments" => set(
                &mut comments,
                each(lines, value, |l, v| self.comment(l, v))?,
            ),
            "side_conversations" => set(&mut sides, each(lines, value, |l, v| self.side(l, v))?),
            "events" => set(&mut events, each(lines, value, |l, v| self.event(l, v))?),
            _ => None,
        })?;
        Some(Ticket {
            id: id?,
            subject: subject?,
            status: status_?,
            priority: priority_.unwrap_or_default(),
            requester: requester?,
            assignee,
            group,
            tags: tags.unwrap_or_default(),
            created: created?,
            updated: updated?,
            cc: cc.unwrap_or_default(),
            followers: followers.unwrap_or_default(),
            comments: comments.unwrap_or_default(),
            side_conversations: sides.unwrap_or_default(),
            events: events.unwrap_or_default(),
            merge_conflicts: Vec::new(),
            extra: Extra::new(),
        })
    }

    fn cc<'a>(&self, lines: &mut Lines<'a>, value: Value<'a>) -> Option<Cc> {
        let (mut email, mut name) = (None, None);
        lines.entries(value, |_, key, value| match key {
            "email" => set(&mut email, text(&value)?),
            "name" => set(&mut name, text(&value)?),
            _ => None,
        })?;
        Some(Cc {
            email: email?,
            name,
            extra: Extra::new(),
        })
    }

    /// What a comment and a side-conversation message both are: a numbered entry by an author, at a
    /// time, with a body. A comment also has its `visibility`, which a message must not.
    fn entry<'a>(
        &self,
        lines: &mut Lines<'a>,
        value: Value<'a>,
        comment: bool,
    ) -> Option<(Entry, Option<Visibility>)> {
        let (mut n, mut id, mut at, mut author, mut vis, mut body) =
            (None, None, None, None, None, None);
        lines.entries(value, |_, key, value| match key {
            "n" => set(&mut n, number(&value)?),
            "id" => set(&mut id, text(&value)?),
            "at" => set(&mut at, time(&value)?),
            "author" => set(&mut author, text(&value)?),
            "visibility" if comment => set(&mut vis, visibility(&value)?),
            "body" => set(&mut body, self.unkept(&value)?),
            _ => None,
        })?;
        let entry = Entry {
            n: n?,
            id: id.unwrap_or_default(),
            at: at?,
            author: author?,
            body: body?,
        };
        Some((entry, vis))
    }

    fn comment<'a>(&self, lines: &mut Lines<'a>, value: Value<'a>) -> Option<Comment> {
        let (e, visibility) = self.entry(lines, value, true)?;
        Some(Comment {
            n: e.n,
            id: e.id,
            at: e.at,
            author: e.author,
            visibility: visibility?,
            body: e.body,
            extra: Extra::new(),
        })
    }

    fn message<'a>(&self, lines: &mut Lines<'a>, value: Value<'a>) -> Option<Message> {
        let (e, _) = self.entry(lines, value, false)?;
        Some(Message {
            n: e.n,
            id: e.id,
            at: e.at,
            author: e.author,
            body: e.body,
            extra: Extra::new(),
        })
    }

    fn side<'a>(&self, lines: &mut Lines<'a>, value: Value<'a>) -> Option<SideConversation> {
        let (mut n, mut subject, mut state, mut participants) = (None, None, None, None);
        let (mut opened_by, mut opened_at, mut resolved_by, mut resolved_at, mut messages) =
            (None, None, None, None, None);
        lines.entries(value, |lines, key, value| match key {
            "n" => set(&mut n, number(&value)?),
            "subject" => set(&mut subject, text(&value)?),
            "state" => set(&mut state, side_state(&value)?),
            "participants" => set(&mut participants, texts(lines, value)?),
            "opened_by" => set(&mut opened_by, text(&value)?),
            "opened_at" => set(&mut opened_at, time(&value)?),
            "resolved_by" => set(&mut resolved_by, text(&value)?),
            "resolved_at" => set(&mut resolved_at, time(&value)?),
            "messages" => set(
                &mut messages,
                each(lines, value, |l, v| self.message(l, v))?,
            ),
            _ => None,
        })?;
        Some(SideConversation {
            n: n?,
            subject: subject?,
            state: state?,
            participants: participants?,
            opened_by: opened_by?,
            opened_at: opened_at?,
            resolved_by,
            resolved_at,
            messages: messages.unwrap_or_default(),
            extra: Extra::new(),
        })
    }

    fn event<'a>(&self, lines: &mut Lines<'a>, value: Value<'a>) -> Option<Event> {
        let (mut at, mut by, mut action) = (None, None, None);
        let (mut field, mut from, mut to, mut reason) = (None, None, None, None);
        let (mut comment, mut vis, mut side, mut message, mut detail) =
            (None, None, None, None, None);
        lines.entries(value, |_, key, value| match key {
            "at" => set(&mut at, time(&value)?),
            "by" => set(&mut by, self.actor(&value)?),
            "action" => set(&mut action, self.unkept(&value)?),
            "field" => set(&mut field, self.unkept(&value)?),
            "from" => set(&mut from, self.unkept(&value)?),
            "to" => set(&mut to, self.unkept(&value)?),
            "reason" => set(&mut reason, self.unkept(&value)?),
            "comment" => set(&mut comment, number(&value)?),
            "visibility" => set(&mut vis, visibility(&value)?),
            "side" => set(&mut side, number(&value)?),
            "message" => set(&mut message, number(&value)?),
            "detail" => set(&mut detail, self.unkept(&value)?),
            _ => None,
        })?;
        Some(Event {
            at: at?,
            by: by?,
            action: action?,
            field,
            from,
            to,
            reason,
            comment,
            visibility: vis,
            side,
            message,
            detail,
            extra: Extra::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literal block that starts on the second line of `text`, for a key at column `parent`.
    fn literal(text: &str, parent: usize) -> Option<String> {
        let mut lines = Lines::new(text);
        lines.advance();
        lines.literal(parent, "").map(|s| s.text().into_owned())
    }

    #[test]
    fn literal_blocks_end_at_the_first_line_less_indented() {
        assert_eq!(literal("x\n  a\n  b\nc: d\n", 0).as_deref(), Some("a\nb\n"));
        assert_eq!(literal("x\n  a\n\n  b\n", 0).as_deref(), Some("a\n\nb\n"));
        assert_eq!(literal("x\n  a\n   b\n", 0).as_deref(), Some("a\n b\n"));
        assert_eq!(literal("x\na\n", 0), None);
    }

    #[test]
    fn plain_scalars_that_yaml_would_read_otherwise_are_refused() {
        for bad in [
            "- a", "-", ":", "a: b", "a #b", "a ", "&a", "*a", "!a", "[a]", "{a}", "|", ">", "'a",
            "\"a",
        ] {
            assert!(scalar(bad).is_none(), "{bad}");
        }
        for text in [
            "a b", "1", "1 b", "a:b", "a#b", "x-y", "true", "0x1f", ":!", "-5", "?x",
        ] {
            assert!(scalar(text).is_some_and(|s| s.is_text()), "{text}");
        }
        for null in ["~", "null", "Null", "NULL"] {
            assert!(!scalar(null).is_some_and(|s| s.is_text()), "{null}");
        }
    }

    #[test]
    fn times_in_tkts_form_read_as_chrono_reads_them() {
        let texts = [
            "2026-03-02T09:00:00Z",
            "1970-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2024-02-29T12:30:45Z",
            "2026-02-29T12:30:45Z",
            "2026-13-01T00:00:00Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02T23:59:60Z",
            "2026-03-02T09:00:00z",
            "2026-03-02t09:00:00Z",
            "2026-03-02 09:00:00Z",
            "2026-03-02T09:00:00+01:00",
            "+2026-03-02T09:00:00Z",
            "2026-3-02T09:00:00Z",
            "0000-01-01T00:00:00Z",
        ];
        for text in texts {
            let chrono = text
                .parse::<DateTime<FixedOffset>>()
                .ok()
                .map(|t| t.with_timezone(&Utc));
            assert_eq!(time(&Value::Scalar(Scalar::Plain(text))), chrono, "{text}");
            if let Some(fast) = utc_seconds(text) {
                assert_eq!(Some(fast), chrono, "{text}");
            }
        }
    }

    #[test]
    fn escapes_are_those_of_libyaml() {
        assert_eq!(unescape(r#"a\tb\u00e9\U0001F600\x41\\\""#), "a\tbé😀A\\\"");
        assert!(double_quoted(r#"a\qb""#).is_none());
        assert!(double_quoted(r#"a\ud800""#).is_none());
        assert!(double_quoted(r#"a\"#).is_none());
        assert!(double_quoted(r#"a"b""#).is_none());
    }
}
