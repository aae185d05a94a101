//! `hanmi run`: the whole pipeline, from the inputs to every report.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;

use super::{analyze_and_vectorize, eras_reports, write_cluster_reports, CommonOptions, Filter};
use crate::cluster::{self, KChoice};
use crate::eras::EraTable;
use crate::report::{self, Column, Manifest, ReportDir, Timings};
use crate::vectorize::write_vocabulary;

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
    let table = EraTable::resolve(&config.eras.table)?;
    let mut timings = Timings::default();
    let mut corpus = timings.time("read", || opts.common.read(&opts.inputs))?;
    filter.apply(&mut corpus)?;
    let progress = super::Progress::new(4);

    progress.step("analyze and vectorize");
    let mut warnings = Vec::new();
    let (analyzer, vectorized) = analyze_and_vectorize(&corpus, &config, &mut timings, &mut warnings)?;
    let langs: Vec<_> = corpus.records.iter().map(|r| r.lang()).collect();
    progress.step("cluster");
    let clustering =
        timings.time("cluster", || cluster::cluster(&vectorized, &langs, &analyzer, &config.cluster, config.seed))?;
    progress.step("stance");
    let stance = timings.time("stance", || super::lexicon_stance(&corpus.records, &config))?;
    progress.step("eras and reports");
    let dates: Vec<_> = corpus.records.iter().map(|r| r.date).collect();
    let (eras, era_note) = table.assign_all(&dates);

    let mut out = ReportDir::create(&opts.out)?;
    let started = std::time::Instant::now();
    let themes = clustering.record_themes();
    let theme_scores: Vec<String> = clustering
        .labels
        .iter()
        .map(|l| l.map_or(String::new(), |c| report::fmt_f64(clustering.clusters[c].theme_score, 3)))
        .collect();
    let mut columns = vec![
        Column::new("era", eras.clone()),
        Column::new("cluster", clustering.labels.iter().map(|l| l.map_or(String::new(), |c| c.to_string())).collect()),
        Column::new("theme", themes.clone()),
        Column::new("theme_score", theme_scores),
    ];
    columns.extend(stance.document_columns());
    columns.push(Column::new("top_terms", cluster::record_top_terms(&vectorized, 5)));
    report::write_documents(&out.file("documents.csv"), &corpus.records, &columns)?;
    write_vocabulary(&out.file("terms.csv"), &vectorized.model.vocab, &vectorized.tfidf)?;
    write_cluster_reports(&mut out, &corpus.records, &vectorized, &clustering)?;
    stance.write(&out.file("stance.csv"), &corpus.records)?;
    let theme_names: BTreeMap<String, String> = clustering
        .lexicon
        .themes
        .iter()
        .map(|t| (t.id.clone(), t.name.clone()))
        .chain([("other".to_string(), "Other".to_string()), ("none".to_string(), "No terms".to_string())])
        .collect();
    eras_reports::write(
        &mut out,
        &eras_reports::EraInputs {
            table: &table,
            eras: &eras,
            themes: &themes,
            theme_names: &theme_names,
            clusters: &clustering.labels,
            stance: &stance,
            vectorized: &vectorized,
            seed: config.seed,
        },
    )?;
    report::write_rejected(&mut out, &corpus.rejected)?;
    let mut files = out.written.clone();
    files.retain(|f| f != "documents.csv" && f != "terms.csv");
    files.extend(["documents.csv".to_string(), "terms.csv".to_string()]);
    report::html::write_index_html(&out.dir, "hanmi report", &files)?;
    out.written.push("index.html".into());
    timings.add("write", started.elapsed().as_secs_f64());

    let mut manifest = Manifest::new("run", &config, &corpus);
    if let Some(src) = config_source {
        manifest.notes.insert("config_file".into(), src.display().to_string());
    }
    manifest.notes.insert("eras".into(), era_note.message());
    manifest.warnings.extend(warnings);
    manifest.warnings.extend(clustering.notes.iter().cloned());
    manifest.outputs = out.written.clone();
    manifest.timings_s = timings;
    manifest.write(&out.file("manifest.json"))?;
    progress.finish();
    eprintln!(
        "hanmi run: {} records, {} terms, {} clusters, eras {} → {}",
        corpus.records.len(),
        vectorized.model.vocab.len(),
        clustering.clusters.len(),
        table.name,
        opts.out.display()
    );
    Ok(())
}
