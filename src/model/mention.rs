//! `@handle` mentions in message bodies.

/// The handles mentioned as `@handle` in a body, in order, without repeats. An `@` inside a word (as in an
/// email address) is not a mention, and a trailing `.` ends the handle ("thanks @mette."). Handles are
/// lower case and match whatever case they are typed in, as `--as Mette` does: `@Mette` is `mette`.
pub fn mentions(body: &str) -> Vec<String> {
    let chars: Vec<char> = body.chars().collect();
    let mut found: Vec<String> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let starts_word =
            i == 0 || !(chars[i - 1].is_alphanumeric() || "._-+".contains(chars[i - 1]));
        if c != '@' || !starts_word {
            continue;
        }
        let handle: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || "._-".contains(**c))
            .collect::<String>()
            .to_ascii_lowercase();
        let handle = handle.trim_end_matches(['.', '-', '_']).to_string();
        if !handle.is_empty() && !found.contains(&handle) {
            found.push(handle);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn finds_handles_not_addresses() {
        assert_eq!(
            mentions("@mette can you look? cc anders@acme.example, thanks @jonas."),
            vec!["mette", "jonas"]
        );
        assert_eq!(mentions("@mette @mette"), vec!["mette"]);
        assert!(mentions("no mentions @ all").is_empty());
    }

    #[test]
    fn handles_match_whatever_their_case() {
        assert_eq!(
            mentions("@Mette and @ANDERS, see this"),
            vec!["mette", "anders"]
        );
        assert_eq!(mentions("@mette @Mette"), vec!["mette"]);
    }
}
