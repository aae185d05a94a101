//! Reduce + cluster: LSA (randomized truncated SVD of the sparse TF-IDF matrix), k-means (linfa-clustering),
//! the choice of k, cluster descriptions (class-based TF-IDF) and theme names from a bilingual lexicon.
//!
//! PLACEHOLDER (issue 5 builds it).

pub mod metrics;

use serde::{Deserialize, Serialize};

/// How many clusters: a fixed number, or chosen from a range by the documented rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum KChoice {
    #[default]
    Auto,
    #[serde(untagged)]
    Fixed(usize),
}

impl std::str::FromStr for KChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("auto") {
            return Ok(KChoice::Auto);
        }
        match s.parse::<usize>() {
            Ok(k) if k >= 1 => Ok(KChoice::Fixed(k)),
            _ => Err(format!("k must be `auto` or a whole number of at least 1, not {s:?}")),
        }
    }
}

/// The `[cluster]` table of `hanmi.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    pub k: KChoice,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig { k: KChoice::Auto }
    }
}
