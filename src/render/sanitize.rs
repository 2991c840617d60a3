//! Ticket text is written by strangers: before it reaches a terminal, control characters, escape
//! sequences and invisible formatting become visible and harmless. JSON and YAML output carry the exact
//! text instead. Which characters are unsafe is decided once, by Unicode category (`model::text`).

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

/// One line of text (a subject, a name, a message on stderr): newlines and tabs become spaces, other
/// unsafe characters are escaped.
pub fn line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c => push_safe(&mut out, c),
        }
    }
    out
}

/// A body: kept as lines (each made safe), tabs kept as spaces.
pub fn block(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| {
            let mut out = String::with_capacity(l.len());
            for c in l.trim_end_matches('\r').chars() {
                match c {
                    '\t' => out.push_str("    "),
                    c => push_safe(&mut out, c),
                }
            }
            out
        })
        .collect()
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
    fn bodies_keep_their_lines() {
        assert_eq!(
            block("a\r\nb\tc"),
            vec!["a".to_string(), "b    c".to_string()]
        );
    }
}
