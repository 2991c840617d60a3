//! The store's settings file, `tkt.yaml` (SPEC §6), with the defaults of SPEC §2–§4.

use serde::{Deserialize, Serialize};

use crate::model::address::{GlobCache, glob_error, is_valid_email};
use crate::yaml::Extra;

/// What happens when an internal person is added as a CC (SPEC §4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgentCc {
    #[default]
    Warn,
    Follow,
    Reject,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default = "default_cc_limit")]
    pub cc_limit: usize,
    #[serde(default)]
    pub cc_blocklist: Vec<String>,
    #[serde(default)]
    pub support_addresses: Vec<String>,
    /// The From of notifications (`tkt inbox`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_address: Option<String>,
    /// A CC's reply by mail that went to the desk alone stays public (`tkt mail receive`, rule 2).
    #[serde(default)]
    pub cc_email_public: bool,
    /// An agent's reply by mail is public (rule 6); false makes it an internal note.
    #[serde(default = "yes")]
    pub agent_email_public: bool,
    #[serde(default)]
    pub agent_cc: AgentCc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_as: Option<String>,
    /// Every write is also a git commit of exactly the files it changed, as with `--commit`.
    #[serde(default)]
    pub auto_commit: bool,
    /// With no `--as` or `TKT_AS`, the actor is the person whose email is `git config user.email`.
    #[serde(default)]
    pub identity_from_git: bool,
    #[serde(flatten)]
    pub extra: Extra,
    /// `cc_blocklist` compiled at its first use (no key of `tkt.yaml`).
    #[serde(skip)]
    pub blocklist_globs: GlobCache,
}

/// The From of notifications when the settings name no address of the desk's.
pub const DEFAULT_FROM: &str = "support@tkt.invalid";

/// The keys of `tkt.yaml`.
const KEYS: [&str; 10] = [
    "cc_limit",
    "cc_blocklist",
    "support_addresses",
    "support_address",
    "cc_email_public",
    "agent_email_public",
    "agent_cc",
    "default_as",
    "auto_commit",
    "identity_from_git",
];

/// The known word closest to `word` by edit distance, if it is close enough to be a typo of it.
pub fn nearest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn yes() -> bool {
    true
}

fn default_cc_limit() -> usize {
    48
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cc_limit: default_cc_limit(),
            cc_blocklist: Vec::new(),
            support_addresses: Vec::new(),
            support_address: None,
            cc_email_public: false,
            agent_email_public: true,
            agent_cc: AgentCc::Warn,
            default_as: None,
            auto_commit: false,
            identity_from_git: false,
            extra: Extra::new(),
            blocklist_globs: GlobCache::default(),
        }
    }
}

impl Settings {
    pub fn validate(&self) -> Result<(), String> {
        if let Some(a) = &self.support_address
            && !is_valid_email(a)
        {
            return Err(format!("support_address: invalid address {a:?}"));
        }
        for (i, a) in self.support_addresses.iter().enumerate() {
            if !is_valid_email(a) {
                return Err(format!("support_addresses[{i}]: invalid address {a:?}"));
            }
        }
        for (i, glob) in self.cc_blocklist.iter().enumerate() {
            if let Some(why) = glob_error(glob) {
                return Err(format!("cc_blocklist[{i}]: invalid glob {glob:?}: {why}"));
            }
        }
        Ok(())
    }

    /// The address notifications come from (`support_address`), else the first of `support_addresses`,
    /// else `support@tkt.invalid` (a domain that can never be anyone's).
    pub fn from_address(&self) -> String {
        self.support_address
            .clone()
            .or_else(|| self.support_addresses.first().cloned())
            .unwrap_or_else(|| DEFAULT_FROM.to_string())
    }

    /// Whether `email` is one of the desk's own addresses: `support_addresses`, and the From of its
    /// notifications (`support_address`, or the default `support@tkt.invalid` when neither is set), so
    /// that mail to the desk never makes the desk a CC or a requester (a loop).
    pub fn is_support_address(&self, email: &str) -> bool {
        self.support_addresses
            .iter()
            .chain(&self.support_address)
            .any(|a| a.eq_ignore_ascii_case(email))
            || (self.support_addresses.is_empty()
                && self.support_address.is_none()
                && email.eq_ignore_ascii_case(DEFAULT_FROM))
    }

    /// A line for each key of `tkt.yaml` that tkt does not know (a typo like `ccc_limit` would otherwise
    /// be ignored without a word), naming the nearest key it knows.
    pub fn unknown_keys(&self) -> Vec<String> {
        self.extra
            .keys()
            .map(|key| {
                let key = key
                    .as_str()
                    .map_or_else(|| format!("{key:?}"), str::to_string);
                match nearest(&key, &KEYS) {
                    Some(known) => format!(
                        "tkt.yaml: unknown key {key:?} is ignored (did you mean {known:?}?)"
                    ),
                    None => format!("tkt.yaml: unknown key {key:?} is ignored"),
                }
            })
            .collect()
    }

    /// Why an address may never be copied or follow, if it may not: a support address or a blocklist match.
    pub fn refusal(&self, email: &str) -> Option<String> {
        if self.is_support_address(email) {
            return Some(format!(
                "{email} is one of the desk's own addresses (support_addresses, support_address)"
            ));
        }
        self.blocklist_globs
            .first_match(&self.cc_blocklist, email)
            .map(|i| format!("{email} matches {:?} in cc_blocklist", self.cc_blocklist[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_names_the_key_it_was_meant_to_be() {
        assert_eq!(nearest("ccc_limit", &KEYS), Some("cc_limit"));
        assert_eq!(nearest("agentcc", &KEYS), Some("agent_cc"));
        assert_eq!(nearest("colour", &KEYS), None);
        assert_eq!(nearest("autocommit", &KEYS), Some("auto_commit"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
