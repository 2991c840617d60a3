//! Ticket text is written by strangers: before it reaches a terminal, control characters and escape
//! sequences become visible and harmless. JSON and YAML output carry the exact text instead.

/// Makes one character safe to print: C0/C1 controls, DEL and bidirectional overrides become visible
/// escapes such as `\x1b` or `\u{202e}`.
fn push_safe(out: &mut String, c: char) {
    let code = c as u32;
    let is_control = code < 0x20 || (0x7f..=0x9f).contains(&code);
    let is_bidi = matches!(code, 0x200e | 0x200f | 0x202a..=0x202e | 0x2066..=0x2069);
    if is_control {
        out.push_str(&format!("\\x{code:02x}"));
    } else if is_bidi {
        out.push_str(&format!("\\u{{{code:x}}}"));
    } else {
        out.push(c);
    }
}

/// One line of text (a subject, a name): newlines and tabs become spaces, other controls are escaped.
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
    fn bodies_keep_their_lines() {
        assert_eq!(
            block("a\r\nb\tc"),
            vec!["a".to_string(), "b    c".to_string()]
        );
    }
}
