//! Ticket text is written by strangers: before it reaches a terminal, control characters, escape
//! sequences and invisible formatting become visible and harmless. JSON and YAML output carry the exact
//! text instead. Which characters are unsafe is decided once, by Unicode category (`model::text`).

use std::borrow::Cow;

use crate::model::text::is_unsafe;

/// Makes one character safe to print: controls (C0, C1, DEL), format characters (bidirectional
/// controls, zero-width characters, the byte-order mark) and line or paragraph separators become
/// visible escapes such as `\x1b` or `\u{202e}`.
fn push_safe(out: &mut String, c: char) {
    let code = c as u32;
    if !is_unsafe(c) {
        out.push(c);
    } else if code < 0x100 {
        out.push_str(&format!("\\x{code:02x}"));
    } else {
        out.push_str(&format!("\\u{{{code:x}}}"));
    }
}

/// `text.split('\n')`, with the breaks found by the vector search of `memchr` (a body's lines are long
/// enough for it to pay).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(Some)
        .chain(std::iter::once(None))
        .map(move |end| {
            let from = start;
            let to = end.unwrap_or(text.len());
            start = to + 1;
            &text[from..to]
        })
}

/// Whether every byte of `text` is printable ASCII (a space to `~`), looked at a block at a time without
/// branches, so that it runs at the speed of memory.
fn printable_ascii(text: &str) -> bool {
    let odd = |b: &u8| u8::from(!(0x20..0x7f).contains(b));
    text.as_bytes()
        .chunks(32)
        .all(|block| block.iter().map(odd).fold(0, |a, b| a | b) == 0)
}

/// Text with nothing to escape or replace: newlines, carriage returns and tabs are controls, so safe
/// text holds none of them either.
fn is_safe(text: &str) -> bool {
    // Printable ASCII, most of any text, is known safe a block at a time.
    printable_ascii(text) || !text.chars().any(is_unsafe)
}

/// One line of text (a subject, a name, a message on stderr): newlines and tabs become spaces, other
/// unsafe characters are escaped. Text that is safe already (nearly all of it) is borrowed, not copied.
pub fn line(text: &str) -> Cow<'_, str> {
    if is_safe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c => push_safe(&mut out, c),
        }
    }
    Cow::Owned(out)
}

/// A body: kept as lines (each made safe), tabs kept as spaces.
pub fn block(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| safe_line(l).into_owned())
        .collect()
}

/// One line of a body made safe: borrowed when it is already.
fn safe_line(l: &str) -> Cow<'_, str> {
    if is_safe(l) {
        return Cow::Borrowed(l);
    }
    let mut out = String::with_capacity(l.len());
    for c in l.trim_end_matches('\r').chars() {
        match c {
            '\t' => out.push_str("    "),
            c => push_safe(&mut out, c),
        }
    }
    Cow::Owned(out)
}

/// A body as rows of at most `width` columns, each line made safe first: text a stranger wrote is laid
/// out by tkt, never by the terminal, so none of it can land at the start of a row where the view puts
/// its own headers (a line padded with spaces to wrap there would pass for a header). Words move to the
/// next row whole where they fit; longer runs are cut.
pub fn rows(text: &str, width: usize) -> Vec<String> {
    let mut rows = Vec::new();
    each_row(text, width, |row| rows.push(row.to_string()));
    rows
}

/// `rows`, handed to `row` one at a time: a safe ASCII line (most of any body) is cut into pieces of
/// itself, with nothing copied.
pub fn each_row(text: &str, width: usize, mut row: impl FnMut(&str)) {
    let width = width.max(8);
    for line in lines(text) {
        // Printable ASCII (most lines of most bodies) is safe as it is: checked a block at a time.
        if printable_ascii(line) {
            wrap_ascii(line, width, &mut row);
            continue;
        }
        let line = safe_line(line);
        if line.is_ascii() {
            wrap_ascii(&line, width, &mut row);
        } else {
            wrap_chars(&line, width).iter().for_each(|r| row(r));
        }
    }
}

fn wrap_chars(line: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            let (done, carried) = split_at_space(&row);
            rows.push(done);
            row = carried;
            used = unicode_width::UnicodeWidthStr::width(row.as_str());
        }
        row.push(c);
        used += w;
    }
    rows.push(row);
    rows
}

/// The rows of `wrap_chars` for a line of ASCII, where every character of a safe line is one column and
/// one byte: found by position instead of character by character, and handed out as slices.
fn wrap_ascii<'a>(line: &'a str, width: usize, row: &mut impl FnMut(&'a str)) {
    let mut start = 0;
    // While a character follows a full row, the row is cut.
    while line.len() - start > width {
        let end = start + width;
        let full = &line[start..end];
        let leading = full.len() - full.trim_start().len();
        match full.trim_start().rfind(' ') {
            Some(at) => {
                row(full[..leading + at].trim_end());
                start += leading + at + 1;
            }
            None => {
                row(full);
                start = end;
            }
        }
    }
    row(&line[start..]);
}

/// A full row split at its last space, so the word being written moves on whole; a row with no space
/// (or only leading ones) is cut where it is.
fn split_at_space(row: &str) -> (String, String) {
    match row.trim_start().rfind(' ') {
        Some(at) => {
            let at = at + (row.len() - row.trim_start().len());
            (row[..at].trim_end().to_string(), row[at + 1..].to_string())
        }
        None => (row.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cannot_reach_the_terminal() {
        let evil = "hi\x1b[2J\x1b]0;pwned\x07\u{9b}31m\u{202e}gnp.exe";
        let safe = line(evil);
        assert!(!safe.chars().any(|c| c.is_control()), "{safe:?}");
        assert!(!safe.contains('\u{202e}'));
        assert!(safe.contains("\\x1b[2J"));
    }

    #[test]
    fn invisible_formatting_becomes_visible() {
        for (c, shown) in [
            ('\u{061c}', "\\u{61c}"),
            ('\u{2028}', "\\u{2028}"),
            ('\u{200b}', "\\u{200b}"),
            ('\u{feff}', "\\u{feff}"),
            ('\u{2066}', "\\u{2066}"),
        ] {
            let text = format!("a{c}b");
            assert_eq!(line(&text), format!("a{shown}b"));
            assert_eq!(block(&text), vec![format!("a{shown}b")]);
        }
    }

    #[test]
    fn rows_wrap_words_and_cut_long_runs() {
        assert_eq!(rows("aaa bbb ccc", 8), vec!["aaa bbb", "ccc"]);
        assert_eq!(rows("abcdefghijkl", 8), vec!["abcdefgh", "ijkl"]);
        let padded = format!("{}Jonas Berg (Support)", " ".repeat(76));
        for row in rows(&padded, 74) {
            assert!(row.chars().count() <= 74, "{row:?}");
        }
    }

    #[test]
    fn ascii_lines_wrap_as_any_other() {
        let texts = [
            "aaa bbb ccc",
            "abcdefghijkl",
            "   leading spaces then words that go on and on",
            "a  b  c  d  e  f  g  h  i  j  k  l  m",
            "        ",
            "             x",
            "word averyveryverylongwordthatiscut and more",
            "",
        ];
        for text in texts {
            for width in 8..20 {
                let mut ascii = Vec::new();
                wrap_ascii(text, width, &mut |row| ascii.push(row.to_string()));
                assert_eq!(ascii, wrap_chars(text, width), "{text:?} at {width}");
            }
        }
    }

    #[test]
    fn lines_are_those_of_split() {
        for text in ["", "\n", "a", "a\n", "\na", "a\nb", "a\n\nb\n", "é\nü\n\n"] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn bodies_keep_their_lines() {
        assert_eq!(
            block("a\r\nb\tc"),
            vec!["a".to_string(), "b    c".to_string()]
        );
    }
}
