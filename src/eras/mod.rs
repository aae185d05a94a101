//! Eras: era tables, theme prevalence and stance per era with intervals, keyness of terms per era.
//!
//! PLACEHOLDER (issue 7 builds it).

use serde::{Deserialize, Serialize};

/// The `[eras]` table of `hanmi.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EraConfig {
    /// A built-in table (`us-presidents`, `rok-presidents`, `dprk-leaders`, `decades`) or a file.
    pub table: String,
}

impl Default for EraConfig {
    fn default() -> Self {
        EraConfig { table: "us-presidents".to_string() }
    }
}
