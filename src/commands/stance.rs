//! `hanmi stance`: supervised stance (`--train`) or Wordscores (`--reference`).
//!
//! PLACEHOLDER (issue 6 builds it).

use std::path::PathBuf;

use anyhow::{bail, Result};

use super::CommonOptions;

#[derive(Debug, Clone)]
pub struct StanceOptions {
    pub common: CommonOptions,
    /// Labelled records to learn from (`--train`).
    pub train: Option<PathBuf>,
    pub target_col: Option<String>,
    /// Reference texts with known positions (`--reference`, Wordscores).
    pub reference: Option<PathBuf>,
    pub position_col: Option<String>,
    /// Records to score.
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
}

pub fn stance(_opts: &StanceOptions) -> Result<()> {
    bail!("hanmi stance is not built yet")
}
