//! Email addresses, handles and the globs of `cc_blocklist`.

/// A plausible email address: one `@`, a local part without spaces or controls, a dotted domain.
/// Checked byte by byte: every character allowed is ASCII, so any byte of any other character fails.
pub fn is_valid_email(text: &str) -> bool {
    let Some(at) = text.bytes().position(|b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.bytes().all(|b| {
            b.is_ascii_graphic()
                && !matches!(
                    b,
                    b'@' | b'<'
                        | b'>'
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b','
                        | b';'
                        | b':'
                        | b'\\'
                        | b'"'
                )
        });
    let domain_ok = domain.len() <= 253
        && domain.bytes().any(|b| b == b'.')
        && domain.as_bytes().split(|&b| b == b'.').all(|bytes| {
            bytes.first().is_some_and(|&b| b != b'-')
                && bytes.last().is_some_and(|&b| b != b'-')
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        });
    local_ok && domain_ok
}

/// Addresses are compared case-insensitively, so tkt stores them in lower case.
pub fn normalize_email(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// A handle: lower-case letters, digits, `.`, `_` or `-`, starting with a letter or digit. Checked byte
/// by byte: every character allowed is ASCII.
pub fn is_valid_handle(text: &str) -> bool {
    let bytes = text.as_bytes();
    matches!(bytes.first(), Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.len() <= 64
        && bytes[1..].iter().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

/// Case-insensitive glob with `*` (any run) and `?` (one character), as in `*@support.example`.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_valid_email("ana@customer.example"));
        assert!(is_valid_email("a.b+tag@sub.customer.example"));
        for bad in [
            "",
            "ana",
            "@x.example",
            "ana@",
            "ana@localhost",
            "a b@x.example",
            "ana@x..example",
            "ana@x.example\n",
            "ana@-x.example",
            "a@b@c.example",
        ] {
            assert!(!is_valid_email(bad), "{bad:?} should be invalid");
        }
    }

    #[test]
    fn handles() {
        assert!(is_valid_handle("mette"));
        assert!(is_valid_handle("anders.t-2"));
        for bad in ["", "Mette", "a b", "-x", ".x", "x/y", "x@y"] {
            assert!(!is_valid_handle(bad), "{bad:?} should be invalid");
        }
    }

    /// The checks as they were written character by character, before they went byte by byte.
    fn email_by_chars(text: &str) -> bool {
        let Some((local, domain)) = text.split_once('@') else {
            return false;
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local
                .chars()
                .all(|c| c.is_ascii_graphic() && !"@<>()[],;:\\\"".contains(c));
        let domain_ok = domain.len() <= 253
            && domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        local_ok && domain_ok
    }

    fn handle_by_chars(text: &str) -> bool {
        let mut chars = text.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
            && text.len() <= 64
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    }

    #[test]
    fn byte_checks_agree_with_the_character_checks() {
        let pieces = [
            "",
            "a",
            "Z",
            "0",
            ".",
            "-",
            "_",
            "@",
            "é",
            "ß",
            "\u{0}",
            " ",
            "\t",
            "\n",
            "<",
            ">",
            "(",
            ")",
            "[",
            "]",
            ",",
            ";",
            ":",
            "\\",
            "\"",
            "~",
            "+",
            "x.example",
            "-x",
            "x-",
            "\u{7f}",
            "\u{80}",
            "\u{ff}",
            "\u{2028}",
            "😀",
        ];
        let mut texts = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                    texts.push(format!("{a}{b}@{c}.example"));
                    texts.push(format!("ana@{a}{b}.{c}"));
                    texts.push(format!("{a}ana{b}@x{c}y.example"));
                }
            }
        }
        texts.push("a".repeat(64) + "@x.example");
        texts.push("a".repeat(65) + "@x.example");
        texts.push(format!("a@{}.example", "x".repeat(245)));
        texts.push(format!("a@{}.example", "x".repeat(246)));
        texts.push("a".repeat(64));
        texts.push("a".repeat(65));
        for text in &texts {
            assert_eq!(is_valid_email(text), email_by_chars(text), "{text:?}");
            assert_eq!(is_valid_handle(text), handle_by_chars(text), "{text:?}");
        }
    }

    #[test]
    fn globs() {
        assert!(glob_matches("*@support.example", "Help@Support.Example"));
        assert!(glob_matches("no-reply@*", "no-reply@x.example"));
        assert!(glob_matches("a?c@x.example", "abc@x.example"));
        assert!(!glob_matches("*@support.example", "ana@customer.example"));
        assert!(!glob_matches("a?c@x.example", "ac@x.example"));
        assert!(glob_matches("*", ""));
    }
}
