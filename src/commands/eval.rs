//! `hanmi eval`: cluster a labelled corpus and score the clusters against the labels (`metrics.csv`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{bail, Result};

use super::{analyze_and_vectorize, CommonOptions};
use crate::cluster::{self, metrics, KChoice};
use crate::report::{self, fmt_f64, Manifest, ReportDir, Timings};

#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub common: CommonOptions,
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub k: Option<KChoice>,
}

pub fn eval(opts: &EvalOptions) -> Result<()> {
    opts.common.init_threads()?;
    let (mut config, _) = opts.common.config()?;
    if let Some(k) = opts.k {
        config.cluster.k = k;
    }
    let mut timings = Timings::default();
    let corpus = timings.time("read", || opts.common.read(&opts.inputs))?;
    let missing: Vec<&str> = corpus.records.iter().filter(|r| r.label.is_none()).map(|r| r.id.as_str()).collect();
    if let Some(first) = missing.first() {
        bail!("{} records have no gold label (first: {first}); name the label column with --label-col", missing.len());
    }
    let mut warnings = Vec::new();
    let (analyzer, vectorized) = analyze_and_vectorize(&corpus, &config, &mut timings, &mut warnings)?;
    let langs: Vec<_> = corpus.records.iter().map(|r| r.lang()).collect();
    let clustering =
        timings.time("cluster", || cluster::cluster(&vectorized, &langs, &analyzer, &config.cluster, config.seed))?;
    // Gold classes and predicted clusters as numbers; unclustered records form one class of their own.
    let mut classes: BTreeMap<&str, usize> = BTreeMap::new();
    let gold: Vec<usize> = corpus
        .records
        .iter()
        .map(|r| {
            let next = classes.len();
            *classes.entry(r.label.as_deref().unwrap_or_default()).or_insert(next)
        })
        .collect();
    let none = clustering.clusters.len();
    let pred: Vec<usize> = clustering.labels.iter().map(|l| l.unwrap_or(none)).collect();
    let scores = metrics::external_scores(&gold, &pred)?;
    let mut out = ReportDir::create(&opts.out)?;
    report::write_csv(&out.file("metrics.csv"), &["metric", "value"], |w| {
        for (name, value) in [
            ("homogeneity", scores.homogeneity),
            ("completeness", scores.completeness),
            ("v_measure", scores.v_measure),
            ("adjusted_rand", scores.adjusted_rand),
            ("nmi", scores.nmi),
            ("k", clustering.clusters.len() as f64),
            ("classes", classes.len() as f64),
        ] {
            w.write_record([name, &fmt_f64(value, 6)])?;
        }
        Ok(())
    })?;
    super::write_cluster_reports(&mut out, &corpus.records, &vectorized, &clustering)?;
    report::write_rejected(&mut out, &corpus.rejected)?;
    let mut manifest = Manifest::new("eval", &config, &corpus);
    manifest.warnings.extend(warnings);
    manifest.warnings.extend(clustering.notes.iter().cloned());
    manifest.outputs = out.written.clone();
    manifest.timings_s = timings;
    manifest.write(&out.file("manifest.json"))?;
    eprintln!(
        "hanmi eval: k={} v_measure={:.3} adjusted_rand={:.3} nmi={:.3} → {}",
        clustering.clusters.len(),
        scores.v_measure,
        scores.adjusted_rand,
        scores.nmi,
        opts.out.display()
    );
    Ok(())
}
