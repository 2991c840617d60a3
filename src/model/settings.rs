//! The store's settings file, `tkt.yaml` (SPEC §6), with the defaults of SPEC §2–§4.

use serde::{Deserialize, Serialize};

use crate::model::address::{glob_matches, is_valid_email};
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
    #[serde(default)]
    pub agent_cc: AgentCc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_as: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
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
            agent_cc: AgentCc::Warn,
            default_as: None,
            extra: Extra::new(),
        }
    }
}

impl Settings {
    pub fn validate(&self) -> Result<(), String> {
        for (i, a) in self.support_addresses.iter().enumerate() {
            if !is_valid_email(a) {
                return Err(format!("support_addresses[{i}]: invalid address {a:?}"));
            }
        }
        Ok(())
    }

    /// Whether `email` is one of the desk's own addresses.
    pub fn is_support_address(&self, email: &str) -> bool {
        self.support_addresses
            .iter()
            .any(|a| a.eq_ignore_ascii_case(email))
    }

    /// Why an address may never be copied or follow, if it may not: a support address or a blocklist match.
    pub fn refusal(&self, email: &str) -> Option<String> {
        if self.is_support_address(email) {
            return Some(format!("{email} is one of the store's support_addresses"));
        }
        self.cc_blocklist
            .iter()
            .find(|glob| glob_matches(glob, email))
            .map(|glob| format!("{email} matches {glob:?} in cc_blocklist"))
    }
}
