//! `hanmi run`: the whole pipeline, from the inputs to every report.

use std::path::PathBuf;

use anyhow::Result;

use super::{CommonOptions, Filter};
use crate::cluster::KChoice;
use crate::report::{self, Manifest, ReportDir, Timings};

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub common: CommonOptions,
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub k: Option<KChoice>,
    pub eras: Option<String>,
    pub filters: Vec<String>,
}

pub fn run(opts: &RunOptions) -> Result<()> {
    opts.common.init_threads()?;
    let (mut config, config_source) = opts.common.config()?;
    if let Some(k) = opts.k {
        config.cluster.k = k;
    }
    if let Some(eras) = &opts.eras {
        config.eras.table = eras.clone();
    }
    let filter = Filter::parse(&opts.filters)?;
    let mut timings = Timings::default();
    let mut corpus = timings.time("read", || opts.common.read(&opts.inputs))?;
    filter.apply(&mut corpus)?;

    let mut out = ReportDir::create(&opts.out)?;
    report::write_documents(&out.file("documents.csv"), &corpus.records, &[])?;
    if !corpus.rejected.is_empty() {
        report::write_rejected(&out.file("rejected.csv"), &corpus.rejected)?;
    }
    let mut manifest = Manifest::new("run", &config, &corpus);
    if let Some(src) = config_source {
        manifest.notes.insert("config_file".into(), src.display().to_string());
    }
    manifest.outputs = out.written.clone();
    manifest.timings_s = timings;
    manifest.write(&out.file("manifest.json"))?;
    eprintln!("hanmi run: {} records → {}", corpus.records.len(), opts.out.display());
    Ok(())
}
