//! `hanmi vectorize`: TF-IDF with scikit-learn's options, written as Matrix Market with its vocabulary.

use std::path::PathBuf;

use anyhow::{bail, Result};

use super::CommonOptions;
use crate::report::{self, Manifest, ReportDir, Timings};
use crate::text::Analyzer;
use crate::vectorize::{self, SavedModel, TfidfParams};

#[derive(Debug, Clone)]
pub struct VectorizeOptions {
    pub common: CommonOptions,
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub params: TfidfParams,
    /// Word n-grams, as scikit-learn's `ngram_range`.
    pub ngram_range: Option<(usize, usize)>,
    /// Save the fitted model (analyzer options, TF-IDF options, vocabulary, IDF) here.
    pub save_model: Option<PathBuf>,
    /// Apply this saved model instead of fitting one.
    pub model: Option<PathBuf>,
}

pub fn vectorize(opts: &VectorizeOptions) -> Result<()> {
    opts.common.init_threads()?;
    let (mut config, _) = opts.common.config()?;
    if let Some(range) = opts.ngram_range {
        config.text.ngram_range = range;
    }
    let saved = opts.model.as_deref().map(SavedModel::load).transpose()?;
    if let Some(saved) = &saved {
        if opts.ngram_range.is_some() || opts.params != TfidfParams::default() {
            bail!("--model applies a fitted model as it is: its analyzer and TF-IDF options cannot be changed");
        }
        config.text = saved.analyzer.clone();
    }
    let mut timings = Timings::default();
    let mut corpus = timings.time("read", || opts.common.read(&opts.inputs))?;
    let analyzer = Analyzer::new(&config.text)?;
    let mut out = ReportDir::create(&opts.out)?;
    // The manifest's counts taken and documents.csv written first, while the records still hold their text (both
    // say which records have none).
    let params = saved.as_ref().map_or(&opts.params, |saved| &saved.model.params);
    let mut manifest =
        Manifest::new("vectorize", &serde_json::json!({ "text": config.text, "vectorize": params }), &corpus);
    super::warn_now(&mut manifest.warnings, params.warnings());
    // Written just before the analysis: its blocks are formatted on the pool's threads, which are still awake when
    // the analysis starts. Written before, on one thread, it left the second worker asleep for 15 ms, and on this
    // kind of machine (virtual cores) that worker then started 1.7 ms late at the median, up to 4.7 ms (YNAT).
    let started = std::time::Instant::now();
    report::write_rejected(&mut out, &corpus.rejected)?;
    report::write_documents(&out.file("documents.csv"), &corpus.records, &[])?;
    let mut write_seconds = started.elapsed().as_secs_f64();
    // The raw text is not kept once it is counted: only the counts go on.
    let texts: Vec<String> = corpus.records.iter_mut().map(|r| std::mem::take(&mut r.text)).collect();
    let counted = timings.time("analyze", || vectorize::count_shares(&analyzer, &texts));
    drop(texts);
    let (model, tfidf) = timings.time("vectorize", || -> Result<_> {
        Ok(match saved {
            Some(saved) => {
                let raw = saved.model.counts_of(&counted.into_counts());
                let tfidf = saved.model.weigh(&raw).to_other_types();
                (saved.model, tfidf)
            }
            None => counted.fit_tfidf(&opts.params)?,
        })
    })?;
    let started = std::time::Instant::now();
    vectorize::write_vocabulary(&out.file("vocab.csv"), &model.vocab, &tfidf)?;
    vectorize::write_matrix_market(&out.file("tfidf.mtx"), &tfidf)?;
    if let Some(path) = &opts.save_model {
        SavedModel {
            hanmi_version: env!("CARGO_PKG_VERSION").into(),
            analyzer: config.text.clone(),
            model: model.clone(),
        }
        .save(path)?;
    }
    write_seconds += started.elapsed().as_secs_f64();
    timings.add("write", write_seconds);
    manifest.notes.insert(
        "timings".into(),
        "analyze = reading every text through the analyzer and counting its terms (in parallel, each thread over \
         its own terms); vectorize = the threads' terms merged into one sorted vocabulary, document frequencies, \
         IDF and the weighted, normalized rows"
            .into(),
    );
    manifest.outputs = out.written.clone();
    manifest.timings_s = timings;
    manifest.write(&out.file("manifest.json"))?;
    eprintln!(
        "hanmi vectorize: {} records × {} terms, {} non-zero → {}",
        tfidf.rows(),
        tfidf.cols(),
        tfidf.nnz(),
        opts.out.display()
    );
    Ok(())
}
