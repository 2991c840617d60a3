//! Which characters text may hold where a person reads it: the one definition of an unsafe character
//! (by Unicode general category, from a maintained table, never a hand-kept list), and the rules for the
//! short fields people choose themselves (names, tags), which must read the same for everyone.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Characters that must never reach a terminal as themselves: controls (Cc), format characters (Cf, which
/// holds every bidirectional control, zero-width spaces and joiners, and the byte-order mark), and the
/// line and paragraph separators (Zl, Zp).
pub fn is_unsafe(c: char) -> bool {
    // Most text is ASCII, where the table's answer is just "a control": asking the table for every
    // character was a third of a warm `list`.
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    unsafe_category(c)
}

fn unsafe_category(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

/// Whether `text` shows nothing at all: every character is invisible (spaces, marks, format characters,
/// fillers such as U+3164).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| is_invisible(c) || is_unsafe(c))
}

/// Characters that take no visible room on their own: spaces, combining marks, format characters, and
/// the letters Unicode defines as fillers (they are default-ignorable).
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c.general_category(),
            GeneralCategory::NonspacingMark
                | GeneralCategory::EnclosingMark
                | GeneralCategory::Format
                | GeneralCategory::SpaceSeparator
        )
        || matches!(
            c,
            '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' | '\u{2800}'
        )
}

/// A one-line field (the subject of a ticket or side conversation, a group, a name): no line breaks and
/// no other control characters. A subject with a line break would read as two lines, or as the start
/// of the thread, in every view.
pub fn check_single_line(text: &str) -> Result<(), String> {
    let breaks = |c: char| {
        c.is_control()
            || matches!(
                c.general_category(),
                GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator
            )
    };
    if let Some(c) = text.chars().find(|&c| breaks(c)) {
        return Err(format!(
            "one line of text only, and U+{:04X} is a line break or control character",
            c as u32
        ));
    }
    Ok(())
}

/// A subject (of a ticket or a side conversation): one line that says something.
pub fn check_subject(subject: &str) -> Result<(), String> {
    check_single_line(subject)?;
    if subject.trim().is_empty() {
        return Err("a subject must say something".to_string());
    }
    Ok(())
}

/// A display name: one line of visible text, with no control, format or bidirectional characters.
pub fn check_name(name: &str) -> Result<(), String> {
    check_single_line(name)?;
    if let Some(c) = name.chars().find(|&c| is_unsafe(c)) {
        return Err(format!(
            "a name may not hold the character U+{:04X} (controls, format and bidirectional characters, line breaks)",
            c as u32
        ));
    }
    if name.chars().all(is_invisible) {
        return Err("a name must hold visible text".to_string());
    }
    if name.chars().count() > 200 {
        return Err("a name is at most 200 characters".to_string());
    }
    Ok(())
}

/// A group as typed: blank clears it (None), anything else is one line, trimmed.
pub fn group(text: &str) -> Result<Option<String>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    check_single_line(text)?;
    Ok(Some(text.trim().to_string()))
}

/// A tag: one word of visible characters, no spaces, no control, format or bidirectional characters.
pub fn check_tag(tag: &str) -> Result<(), String> {
    if tag.is_empty() || tag.len() > 80 {
        return Err("a tag is one word of 1 to 80 bytes".to_string());
    }
    if let Some(c) = tag.chars().find(|&c| is_unsafe(c) || c.is_whitespace()) {
        return Err(format!(
            "a tag may not hold U+{:04X} (spaces, controls, format and bidirectional characters)",
            c as u32
        ));
    }
    if tag.chars().all(is_invisible) {
        return Err("a tag must hold visible text".to_string());
    }
    Ok(())
}

/// A name folded for comparison: compatibility forms (fullwidth letters, ligatures) become plain ones,
/// case and invisible characters are dropped, and runs of spaces become one.
pub fn folded(name: &str) -> String {
    let plain: String = name
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|&c| c == ' ' || !is_invisible(c))
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_found_by_category() {
        for c in [
            '\x1b',
            '\u{9b}',
            '\u{202e}',
            '\u{2066}',
            '\u{061c}',
            '\u{2028}',
            '\u{2029}',
            '\u{200b}',
            '\u{feff}',
            '\u{200d}',
            '\u{e0041}',
        ] {
            assert!(is_unsafe(c), "U+{:04X}", c as u32);
        }
        for c in ['a', 'é', 'ß', '漢', '😀', ' ', 'ا'] {
            assert!(!is_unsafe(c), "{c}");
        }
    }

    #[test]
    fn the_ascii_shortcut_agrees_with_the_unicode_table() {
        for c in '\0'..='\x7f' {
            assert_eq!(is_unsafe(c), unsafe_category(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn names_must_be_visible_single_lines() {
        assert!(check_name("Bob Field").is_ok());
        assert!(check_name("Zoë Ångström-Ødegaard").is_ok());
        for bad in [
            "",
            "   ",
            "a\nb",
            "Bob\u{202e}",
            "\u{200b}\u{200b}",
            "\u{3164}",
            "\u{0301}",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn one_line_fields_refuse_every_line_break() {
        assert!(check_single_line("Invoice 12345 is wrong").is_ok());
        for bad in [
            "a\nb",
            "a\r\nb",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{85}b",
            "a\tb",
        ] {
            assert!(check_single_line(bad).is_err(), "{bad:?}");
            assert!(check_subject(bad).is_err(), "{bad:?}");
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_subject("  ").is_err());
    }

    #[test]
    fn tags_are_single_visible_words() {
        assert!(check_tag("pdf-export").is_ok());
        for bad in ["", "two words", "T\u{202e}x", "a\u{200b}", "\u{3164}"] {
            assert!(check_tag(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn folding_sees_through_width_case_and_spacing() {
        assert_eq!(folded("Ｊｏｎａｓ  BERG"), "jonas berg");
        assert_eq!(folded("Jo\u{200b}nas Berg"), "jonas berg");
        assert_eq!(folded("（Support）"), "(support)");
    }
}
