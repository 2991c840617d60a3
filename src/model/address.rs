//! Email addresses, handles and the globs of `cc_blocklist`.

/// A plausible email address: one `@`, a local part without spaces or controls, a dotted domain.
pub fn is_valid_email(text: &str) -> bool {
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

/// Addresses are compared case-insensitively, so tkt stores them in lower case.
pub fn normalize_email(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// A handle: lower-case letters, digits, `.`, `_` or `-`, starting with a letter or digit.
pub fn is_valid_handle(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && text.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
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
