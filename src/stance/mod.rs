//! Stance on named axes: bilingual lexicon scoring with negation, Wordscores, a supervised classifier.
//!
//! PLACEHOLDER (issue 6 builds it).

pub mod classifier;
pub mod cv;
pub mod features;
pub mod wordscores;

use serde::{Deserialize, Serialize};

/// The `[stance]` table of `hanmi.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StanceConfig {}
