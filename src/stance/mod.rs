//! Stance on named axes: bilingual lexicon scoring with negation, Wordscores, a supervised classifier.

pub mod classifier;
pub mod cv;
pub mod features;
pub mod lexicon;
pub mod wordscores;

use serde::{Deserialize, Serialize};

pub use lexicon::{Axis, AxisInfo, AxisScore, LexiconScorer, LexiconStance};

/// The `[stance]` table of `hanmi.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StanceConfig {
    /// Axes added to the built-in lexicon (`[[stance.extra_axes]]`, the shape of `data/builtin/stance.toml`'s
    /// `[[axis]]`); one with the id of a built-in axis replaces it.
    pub extra_axes: Vec<Axis>,
    /// A score whose magnitude is below this is labelled `neutral`.
    pub neutral_band: f64,
}

impl Default for StanceConfig {
    fn default() -> Self {
        StanceConfig { extra_axes: Vec::new(), neutral_band: 0.1 }
    }
}
