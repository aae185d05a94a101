//! `hanmi.toml`: every option of every stage, each with a default. Command-line flags override it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::cluster::ClusterConfig;
use crate::eras::EraConfig;
use crate::stance::StanceConfig;
use crate::text::AnalyzerConfig;
use crate::vectorize::TfidfParams;

/// The file read when `--config` is not given and it exists in the working folder.
pub const DEFAULT_CONFIG_FILE: &str = "hanmi.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Seed for every random step (SVD, k-means, sampling, bootstrap).
    pub seed: u64,
    pub text: AnalyzerConfig,
    /// TF-IDF options for `hanmi run` (chosen for clustering; `hanmi vectorize` starts from scikit-learn's).
    pub vectorize: TfidfParams,
    pub cluster: ClusterConfig,
    pub stance: StanceConfig,
    pub eras: EraConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 42,
            text: AnalyzerConfig::default(),
            vectorize: TfidfParams::for_clustering(),
            cluster: ClusterConfig::default(),
            stance: StanceConfig::default(),
            eras: EraConfig::default(),
        }
    }
}

impl Config {
    /// Reads `path`, or `hanmi.toml` in the working folder when it exists, or the defaults.
    /// Returns the config and the file it came from.
    pub fn load(path: Option<&Path>) -> Result<(Config, Option<PathBuf>)> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new(DEFAULT_CONFIG_FILE).is_file() => PathBuf::from(DEFAULT_CONFIG_FILE),
            None => return Ok((Config::default(), None)),
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the config file {}", path.display()))?;
        let config = toml::from_str(&text).with_context(|| format!("{}: not a valid hanmi config", path.display()))?;
        Ok((config, Some(path)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectorize::DfBound;

    #[test]
    fn empty_file_gives_defaults_and_unknown_keys_are_errors() {
        assert_eq!(toml::from_str::<Config>("").unwrap(), Config::default());
        let c: Config = toml::from_str("seed = 7\n[vectorize]\nmin_df = 0.01\n").unwrap();
        assert_eq!(c.seed, 7);
        assert_eq!(c.vectorize.min_df, DfBound::Share(0.01));
        // Keys not given keep the run's defaults, not scikit-learn's.
        assert_eq!(c.vectorize.max_df, TfidfParams::for_clustering().max_df);
        assert_eq!(c.vectorize.min_df, DfBound::Share(0.01));
        assert!(toml::from_str::<Config>("[vectorize]\nmin_dff = 2\n").is_err());
    }
}
