//! `hanmi eval`: cluster a labelled corpus and score the clusters against the labels.
//!
//! PLACEHOLDER (issue 5 builds it).

use std::path::PathBuf;

use anyhow::{bail, Result};

use super::CommonOptions;
use crate::cluster::KChoice;

#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub common: CommonOptions,
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub k: Option<KChoice>,
}

pub fn eval(_opts: &EvalOptions) -> Result<()> {
    bail!("hanmi eval is not built yet")
}
