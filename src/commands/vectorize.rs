//! `hanmi vectorize`: TF-IDF with scikit-learn's options, written as Matrix Market with its vocabulary.
//!
//! PLACEHOLDER (issue 4 builds it).

use std::path::PathBuf;

use anyhow::{bail, Result};

use super::CommonOptions;
use crate::vectorize::TfidfParams;

#[derive(Debug, Clone)]
pub struct VectorizeOptions {
    pub common: CommonOptions,
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub params: TfidfParams,
}

pub fn vectorize(_opts: &VectorizeOptions) -> Result<()> {
    bail!("hanmi vectorize is not built yet")
}
