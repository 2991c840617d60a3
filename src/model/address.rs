//! Email addresses, handles and the globs of `cc_blocklist`: the one place tkt says what an address is
//! and when two are the same.

use std::sync::OnceLock;

use email_address::{EmailAddress, Options};
use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};

/// What the crate may accept, on top of its own rules: no display text (`Name <a@b.example>` is not an
/// address here), no domain literal (`a@[192.0.2.1]`), a domain of at least two labels (`a@localhost` is not
/// an address a customer writes from), a local part of at most 64 bytes.
const OPTIONS: Options = Options {
    minimum_sub_domains: 2,
    allow_domain_literal: false,
    allow_display_text: false,
    allow_long_local_parts: false,
};

/// An email address as tkt takes it, on the command line, in `people.yaml`, tickets and `tkt.yaml`. The
/// `email_address` crate decides the shape (RFC 5321/5322: a dot-atom local part, so no empty, leading or
/// trailing dot; labels that start and end with a letter or digit and are at most 63 bytes; the lengths of
/// the parts), with `OPTIONS`.
///
/// Before it, a byte check refuses what the RFCs allow but tkt does not, because addresses are stored in
/// YAML, printed in tables and written into mail headers, and compared by ASCII case only
/// ([`normalize_email`]):
/// - anything but printable ASCII: no whitespace or control character, even where the RFC allows it
///   inside quotes, and no Unicode (RFC 6531) address, whose case and normal forms tkt could not compare;
/// - a quoted local part (`"q"@c.example`) or a backslash: a quoted `"q"` is the same mailbox as `q`, so it
///   would be a second spelling of one address, and quotes and escapes would need escaping again wherever
///   the address is shown;
/// - a domain of anything but letters, digits, `-` and `.` (a host name, RFC 1034 and RFC 5321; the RFC 5322
///   atom allows `_`, `+` or `/` there, which no mail host has).
///
/// The byte check also answers the common case of non-addresses (no `@`) without calling the crate. The
/// crate's check costs about four times the old hand-written one (some 200 ns an address, optimised), and
/// a cold `list` checks every address of every ticket, where the same few (the requester, a CC) come back
/// as author of entry after entry: so each thread remembers the last few addresses it accepted
/// (`RECENT`) and takes them again without asking the crate, which halves the cost on such tickets.
pub fn is_valid_email(text: &str) -> bool {
    RECENT.with_borrow_mut(|recent| {
        // An empty slot is no address: the empty text is never accepted.
        if recent.addresses.iter().any(|a| !a.is_empty() && a == text) {
            return true;
        }
        let valid = shape_is_valid(text);
        if valid {
            let slot = &mut recent.addresses[recent.next];
            slot.clear();
            slot.push_str(text);
            recent.next = (recent.next + 1) % recent.addresses.len();
        }
        valid
    })
}

/// The last addresses a thread accepted, oldest overwritten first (empty: a slot not used yet). Only ever
/// accepted ones: a text is
/// taken from here only if it was accepted before, and the check is a pure function of the text.
struct Recent {
    addresses: [String; 4],
    next: usize,
}

thread_local! {
    static RECENT: std::cell::RefCell<Recent> = const {
        std::cell::RefCell::new(Recent {
            addresses: [const { String::new() }; 4],
            next: 0,
        })
    };
}

/// [`is_valid_email`] without the memory of recent addresses: tkt's byte check, then the crate.
fn shape_is_valid(text: &str) -> bool {
    let Some(at) = text.bytes().rposition(|b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&text.as_bytes()[..at], &text.as_bytes()[at + 1..]);
    local
        .iter()
        .all(|&b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        && domain
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && EmailAddress::parse_with_options(text, OPTIONS).is_ok()
}

/// The domain of the desk's `address` (its `from_address`): the right-hand side of the Message-IDs of
/// tkt's letters (`<tkt.42.KEY@domain>`), by which replies to them are known.
pub fn mail_domain(address: &str) -> &str {
    address.rsplit_once('@').map_or("tkt.invalid", |(_, d)| d)
}

/// Addresses are compared case-insensitively, so tkt stores them in lower case: ASCII lower case, which is
/// all there is to fold, since `is_valid_email` takes printable ASCII only.
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

/// A glob of `cc_blocklist` as globset compiles it: `*` any run of characters and `?` any one, `[abc]` or
/// `[a-z]` one of a class, `{a,b}` either, `\` before a special character for the character itself; letters
/// in either case. An address is no path, so `*` and `?` cross a `/` as any other character. A pattern
/// globset refuses (an unclosed `[` or `{`, a trailing `\`) is an error naming why.
fn compile_glob(pattern: &str) -> Result<GlobSet, String> {
    let glob = glob_builder(pattern)
        .build()
        .map_err(|e| e.kind().to_string())?;
    // A set, not `compile_matcher`, which panics on a pattern too large for the regex engine.
    GlobSetBuilder::new()
        .add(glob)
        .build()
        .map_err(|e| e.kind().to_string())
}

/// Why `pattern` is no glob, if it is not (`Settings::validate` refuses such a `cc_blocklist`). Only
/// parsed, not compiled: every command opens the settings, and building the matcher (a regular
/// expression) is left to the first address matched against it. A pattern longer than any address could
/// need is refused here, so that the matcher it makes is never too large to build.
pub fn glob_error(pattern: &str) -> Option<String> {
    if pattern.len() > MAX_GLOB {
        return Some(format!("longer than {MAX_GLOB} bytes"));
    }
    glob_builder(pattern)
        .build()
        .err()
        .map(|e| e.kind().to_string())
}

/// The longest `cc_blocklist` pattern: an address has at most 254 bytes.
const MAX_GLOB: usize = 512;

fn glob_builder(pattern: &str) -> GlobBuilder<'_> {
    let mut builder = GlobBuilder::new(pattern);
    builder
        .case_insensitive(true)
        .literal_separator(false)
        // globset's default only off Windows: the same patterns mean the same on every platform.
        .backslash_escape(true);
    builder
}

/// Whether `text` matches the glob `pattern` (`compile_glob`), as `*@support.example` matches
/// `Help@Support.Example`. A pattern that is no glob matches nothing.
#[cfg(test)]
fn glob_matches(pattern: &str, text: &str) -> bool {
    compile_glob(pattern).is_ok_and(|glob| glob.is_match(text))
}

/// A list of globs compiled once, at the first match asked of it: `Settings` keeps its `cc_blocklist` in
/// one, since every CC added and, in `tkt check`, every CC of every ticket is matched against it. Not data:
/// any two are equal, so that two settings are equal when their keys are.
#[derive(Debug, Clone, Default)]
pub struct GlobCache(OnceLock<CompiledGlobs>);

#[derive(Debug, Clone)]
struct CompiledGlobs {
    patterns: Vec<String>,
    /// Each pattern compiled; `None` for one that is no glob, which matches nothing.
    globs: Vec<Option<GlobSet>>,
}

impl CompiledGlobs {
    fn new(patterns: &[String]) -> CompiledGlobs {
        CompiledGlobs {
            patterns: patterns.to_vec(),
            globs: patterns.iter().map(|p| compile_glob(p).ok()).collect(),
        }
    }

    fn first_match(&self, text: &str) -> Option<usize> {
        let candidate = Candidate::new(text);
        self.globs.iter().position(|glob| {
            glob.as_ref()
                .is_some_and(|glob| glob.is_match_candidate(&candidate))
        })
    }
}

impl PartialEq for GlobCache {
    fn eq(&self, _: &GlobCache) -> bool {
        true
    }
}

impl GlobCache {
    /// The index of the first of `patterns` that `text` matches (`glob_matches`). The patterns are
    /// compiled at the first call; a later call with other patterns (the list changed) compiles those
    /// afresh rather than answer for the old ones.
    pub fn first_match(&self, patterns: &[String], text: &str) -> Option<usize> {
        let compiled = self.0.get_or_init(|| CompiledGlobs::new(patterns));
        if compiled.patterns == patterns {
            compiled.first_match(text)
        } else {
            CompiledGlobs::new(patterns).first_match(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepted and refused, with the reason for the ones that are tkt's decision rather than the RFC's.
    #[test]
    fn emails() {
        for good in [
            "ana@customer.example",
            "a@b.example",
            "a.b+tag@sub.customer.example",
            "A.B+tag@Sub.Example.COM",
            "o'brien@x.example",
            "x!#$%&*+/=?^_`{|}~-y@x.example",
            "ana@1x.example",
            "ana@x-y.example",
        ] {
            assert!(is_valid_email(good), "{good:?} should be valid");
        }
        for bad in [
            "",
            "ana",
            "no-at",
            "@x.example",
            "ana@",
            // One label: not a domain anyone writes from.
            "ana@localhost",
            "a@b",
            "a b@c.example",
            "ana@x.example\n",
            "ana@x.example ",
            "\tana@x.example",
            "ana@x..example",
            "ana@x.example.",
            "ana@-x.example",
            "a@-x.example",
            "ana@x-.example",
            "a@b@c.example",
            // The local part is a dot-atom: no empty, leading or trailing dot (the old check took these).
            "a..b@x.example",
            ".a@x.example",
            "a.@x.example",
            // A quoted local part is a second spelling of an unquoted one; tkt takes neither quotes nor escapes.
            "\"q\"@c.example",
            "\"a b\"@c.example",
            "\"a@b\"@c.example",
            "a\\b@c.example",
            // No display text, no angle brackets, no domain literal.
            "<a@b.example>",
            "Name <a@b.example>",
            "a@[192.0.2.1]",
            "a(comment)@b.example",
            "a,b@c.example",
            // A host name: letters, digits, `-` and dots only.
            "a@x_y.example",
            "a@x+y.example",
            // Printable ASCII only: no Unicode local part or domain (tkt compares by ASCII case).
            "jos\u{e9}@x.example",
            "ana@b\u{fc}cher.example",
            "ana\u{a0}@x.example",
            "ana\u{2028}@x.example",
            "ana\u{202e}@x.example",
            "ana\u{7f}@x.example",
        ] {
            assert!(!is_valid_email(bad), "{bad:?} should be invalid");
        }
        // Lengths are the crate's: a local part of 64 bytes, labels of 63.
        assert!(is_valid_email(&("a".repeat(64) + "@x.example")));
        assert!(!is_valid_email(&("a".repeat(65) + "@x.example")));
        assert!(is_valid_email(&format!("a@{}.example", "x".repeat(63))));
        assert!(!is_valid_email(&format!("a@{}.example", "x".repeat(64))));
    }

    #[test]
    fn handles() {
        assert!(is_valid_handle("mette"));
        assert!(is_valid_handle("anders.t-2"));
        for bad in ["", "Mette", "a b", "-x", ".x", "x/y", "x@y"] {
            assert!(!is_valid_handle(bad), "{bad:?} should be invalid");
        }
    }

    /// tkt's own rule on top of the crate's, character by character as the doc of `is_valid_email` says it:
    /// printable ASCII without quotes or backslashes, a host name after the last `@`.
    fn policy_by_chars(text: &str) -> bool {
        let Some((local, domain)) = text.rsplit_once('@') else {
            return false;
        };
        local
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\')
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    }

    fn handle_by_chars(text: &str) -> bool {
        let mut chars = text.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
            && text.len() <= 64
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    }

    /// The byte checks say what the character checks say: handles entirely, and for addresses tkt's rule
    /// (after which the crate alone decides); and whatever is accepted is printable ASCII.
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
            "\"q\"",
            "~",
            "+",
            "x.example",
            "..",
            "<a",
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
        let mut accepted = 0;
        for text in &texts {
            let by_the_crate = EmailAddress::parse_with_options(text, OPTIONS).is_ok();
            assert_eq!(
                is_valid_email(text),
                policy_by_chars(text) && by_the_crate,
                "{text:?}"
            );
            if is_valid_email(text) {
                accepted += 1;
                assert!(text.bytes().all(|b| b.is_ascii_graphic()), "{text:?}");
            }
            assert_eq!(is_valid_handle(text), handle_by_chars(text), "{text:?}");
        }
        assert!(
            accepted > 1000,
            "the pieces make addresses too ({accepted})"
        );
    }

    proptest::proptest! {
        /// Whatever is accepted is printable ASCII (nothing to escape in YAML, a table or a header) and
        /// round-trips: its stored, lower-case form is accepted too and is its own stored form. The text is
        /// drawn from the characters that matter: letters of both cases, dots, `@`, quotes, brackets, spaces,
        /// controls and a few non-ASCII characters.
        #[test]
        fn an_accepted_address_is_plain_and_round_trips(
            text in "[a-zA-Z0-9.+_\\-]{0,6}[ \t\n\x00\x7f\"\\\\<>()\\[\\],;:@a.\u{e9}\u{a0}\u{2028}\u{202e}]{0,1}[a-zA-Z0-9.]{0,4}@[a-zA-Z0-9\\-]{0,6}[.\\- _\u{fc}\\[\\]]{0,1}[a-zA-Z0-9\\-]{0,6}\\.[a-zA-Z]{0,4}"
        ) {
            if is_valid_email(&text) {
                proptest::prop_assert!(text.bytes().all(|b| b.is_ascii_graphic()), "{:?}", text);
                let stored = normalize_email(&text);
                proptest::prop_assert!(is_valid_email(&stored), "{:?}", stored);
                proptest::prop_assert_eq!(normalize_email(&stored), stored.clone());
                proptest::prop_assert!(stored.eq_ignore_ascii_case(&text));
            }
        }
    }

    #[test]
    fn globs() {
        assert!(glob_matches("*@support.example", "Help@Support.Example"));
        assert!(glob_matches("*@SUPPORT.example", "help@support.example"));
        assert!(glob_matches("no-reply@*", "no-reply@x.example"));
        assert!(glob_matches("noreply-*@*", "noreply-billing@shop.example"));
        assert!(!glob_matches("noreply-*@*", "noreply@shop.example"));
        assert!(glob_matches("a?c@x.example", "abc@x.example"));
        assert!(glob_matches("x?y@blocked.example", "X.Y@blocked.example"));
        assert!(!glob_matches("*@support.example", "ana@customer.example"));
        assert!(!glob_matches(
            "*@support.example",
            "ana@support.example.org"
        ));
        assert!(!glob_matches("a?c@x.example", "ac@x.example"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("*", "ana@x.example"));
        // `.` is no wildcard, and `*` and `?` cross `/` (an address is no path) and `.` alike.
        assert!(!glob_matches("*@x.example", "ana@xyexample"));
        assert!(glob_matches("*@x.example", "a/b@x.example"));
        assert!(glob_matches("a?b@x.example", "a/b@x.example"));
        assert!(glob_matches("**@x.example", "a.b@x.example"));
        assert!(glob_matches("*@*.example", "ana@sub.x.example"));
        // globset's classes, alternatives and escapes.
        assert!(glob_matches("[ab]*@x.example", "Bob@x.example"));
        assert!(!glob_matches("[ab]*@x.example", "carl@x.example"));
        assert!(glob_matches(
            "*@{rival,secret}.example",
            "ana@Secret.example"
        ));
        assert!(!glob_matches(
            "*@{rival,secret}.example",
            "ana@other.example"
        ));
        assert!(glob_matches("\\*@x.example", "*@x.example"));
        assert!(!glob_matches("\\*@x.example", "ana@x.example"));
        // What globset cannot compile is an error, and matches nothing.
        for bad in [
            "*@[x.example",
            "*@{a,b.example",
            "ana@x.example\\",
            "[z-a]@x.example",
        ] {
            assert!(glob_error(bad).is_some(), "{bad:?}");
            assert!(!glob_matches(bad, "ana@x.example"), "{bad:?}");
        }
        assert_eq!(glob_error("*@support.example"), None);
    }

    #[test]
    fn a_glob_cache_answers_for_the_list_it_is_given() {
        let cache = GlobCache::default();
        let list = vec!["[broken".to_string(), "*@b.example".into(), "a@*".into()];
        assert_eq!(cache.first_match(&list, "a@b.example"), Some(1));
        assert_eq!(cache.first_match(&list, "a@c.example"), Some(2));
        assert_eq!(cache.first_match(&list, "c@c.example"), None);
        let other = vec!["c@*".to_string()];
        assert_eq!(cache.first_match(&other, "c@c.example"), Some(0));
        assert_eq!(cache.first_match(&[], "c@c.example"), None);
        assert_eq!(cache.first_match(&list, "a@b.example"), Some(1));
        assert!(cache == GlobCache::default());
    }
}
