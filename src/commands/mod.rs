//! The subcommands of the binary, each stringing the stages together. `main.rs` parses the command line
//! into these option structs and calls one function here.

mod eras_reports;
mod eval;
mod run;
mod stance;
mod stance_lexicon;
mod tokens;
mod vectorize;

use std::path::PathBuf;

use anyhow::{bail, Result};

pub use eval::{eval, EvalOptions};
pub use run::{run, RunOptions};
pub use stance::{stance, StanceOptions};
pub use stance_lexicon::{lexicon_stance, RecordStance};
pub use tokens::{tokens, TokensOptions};
pub use vectorize::{vectorize, VectorizeOptions};

use crate::corpus::{Corpus, ReadOptions, Record};
use crate::text::KoreanMode;
use crate::Config;

/// Options every subcommand takes: how to read the inputs, the config file, seed, threads.
#[derive(Debug, Clone, Default)]
pub struct CommonOptions {
    pub read: ReadOptions,
    pub config: Option<PathBuf>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub korean: Option<KoreanMode>,
}

impl CommonOptions {
    /// The config file (or defaults) with the command-line overrides applied, and where it came from.
    pub fn config(&self) -> Result<(Config, Option<PathBuf>)> {
        let (mut config, source) = Config::load(self.config.as_deref())?;
        if let Some(seed) = self.seed {
            config.seed = seed;
        }
        if let Some(k) = self.korean {
            config.text.korean = k;
        }
        Ok((config, source))
    }

    /// Sets the size of the thread pool every parallel stage uses. Results do not depend on it.
    pub fn init_threads(&self) -> Result<()> {
        if let Some(n) = self.threads {
            if n == 0 {
                bail!("--threads must be at least 1");
            }
            // Fails only when the pool was already built (tests calling twice); the first size holds.
            let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
        }
        Ok(())
    }

    /// Reads the inputs. Records set aside by `--skip-bad-records` are named on standard error, whatever the
    /// command writes (`hanmi tokens` has no manifest or `rejected.csv` to list them in).
    pub fn read(&self, inputs: &[PathBuf]) -> Result<Corpus> {
        let corpus = Corpus::read(inputs, &self.read)?;
        if let Some(first) = corpus.rejected.first() {
            eprintln!(
                "hanmi: {} bad record(s) set aside (--skip-bad-records), the first {}:{}: {}",
                corpus.rejected.len(),
                first.file.display(),
                first.line,
                first.error
            );
        }
        Ok(corpus)
    }
}

/// `--filter COL=VALUE`: values given for one column are alternatives; different columns must all hold.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    conditions: Vec<(String, Vec<String>)>,
}

impl Filter {
    /// Parses `COL=VALUE` items.
    pub fn parse(items: &[String]) -> Result<Filter> {
        let mut conditions: Vec<(String, Vec<String>)> = Vec::new();
        for item in items {
            let Some((col, value)) = item.split_once('=') else {
                bail!("--filter {item:?}: expected COL=VALUE");
            };
            let col = col.trim();
            if col.is_empty() {
                bail!("--filter {item:?}: the column name is empty");
            }
            match conditions.iter_mut().find(|(c, _)| c == col) {
                Some((_, values)) => values.push(value.to_string()),
                None => conditions.push((col.to_string(), vec![value.to_string()])),
            }
        }
        Ok(Filter { conditions })
    }

    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    pub fn matches(&self, record: &Record) -> bool {
        self.conditions.iter().all(|(col, values)| record.field(col).is_some_and(|v| values.contains(&v)))
    }

    /// Keeps the matching records; an unknown column (in no record) is an error, not an empty result.
    pub fn apply(&self, corpus: &mut Corpus) -> Result<()> {
        for (col, _) in &self.conditions {
            if !corpus.records.iter().any(|r| r.field(col).is_some()) {
                bail!("--filter: no record has a column {col:?}");
            }
        }
        let before = corpus.records.len();
        corpus.records.retain(|r| self.matches(r));
        if corpus.records.is_empty() {
            bail!("--filter: none of the {before} records match");
        }
        Ok(())
    }
}

/// Warnings about the options themselves: said on standard error before the work starts, where the user is looking,
/// and kept for the manifest.
pub fn warn_now(warnings: &mut Vec<String>, new: Vec<String>) {
    for w in new {
        eprintln!("hanmi: warning: {w}");
        warnings.push(w);
    }
}

/// Reads every record's text through the analyzer (with the cluster stage's feature options) and fits the TF-IDF
/// model with the run's options; returns the plain analyzer too, for theme names. A corpus
/// too small for the document-frequency bounds (two records cannot hold a term in 2 records and in at most
/// half of them) is vectorized without them, and `warnings` says so.
pub fn analyze_and_vectorize(
    corpus: &Corpus,
    config: &Config,
    timings: &mut crate::report::Timings,
    warnings: &mut Vec<String>,
) -> Result<(crate::text::Analyzer, crate::vectorize::Vectorized)> {
    use crate::vectorize::{DfBound, TfidfParams};
    let analyzer = crate::text::Analyzer::new(&config.text)?;
    warnings.extend(analyzer.warnings().iter().cloned());
    // The features clustered on: the analyzer's, with the cluster stage's n-grams and Korean bigrams.
    let features = crate::text::Analyzer::new(&crate::text::AnalyzerConfig {
        ngram_range: config.cluster.ngram_range,
        korean_bigrams: config.cluster.korean_bigrams,
        ..config.text.clone()
    })?;
    warn_now(warnings, config.vectorize.warnings());
    let texts: Vec<&str> = corpus.records.iter().map(|r| r.text.as_str()).collect();
    let counts = timings.time("analyze", || crate::vectorize::count(&features, &texts));
    let vectorized = timings.time("vectorize", || match crate::vectorize::fit(&counts, &config.vectorize) {
        Ok(v) => Ok(v),
        Err(e) if counts.n_docs() < 20 => {
            warnings
                .push(format!("{} records are too few for min_df/max_df ({e}): every term is kept", counts.n_docs()));
            let loose =
                TfidfParams { min_df: DfBound::Count(1), max_df: DfBound::Share(1.0), ..config.vectorize.clone() };
            crate::vectorize::fit(&counts, &loose)
        }
        Err(e) => Err(e),
    })?;
    Ok((analyzer, vectorized))
}

/// `clusters.csv`, `cluster_terms.csv` and (when k was chosen) `k_selection.csv` with its chart.
pub fn write_cluster_reports(
    out: &mut crate::report::ReportDir,
    records: &[Record],
    v: &crate::vectorize::Vectorized,
    c: &crate::cluster::Clustering,
) -> Result<()> {
    use crate::report::{fmt_f64, write_csv};
    let vocab = &v.model.vocab;
    write_csv(
        &out.file("clusters.csv"),
        &[
            "cluster",
            "size",
            "theme",
            "theme_name",
            "theme_score",
            "top_terms",
            "representative_ids",
            "representative_titles",
        ],
        |w| {
            for (i, cl) in c.clusters.iter().enumerate() {
                let top =
                    crate::cluster::distinct_displays(cl.top_terms.iter().map(|&(j, _)| j), &vocab.display, usize::MAX);
                let ids: Vec<&str> = cl.representatives.iter().map(|&r| records[r].id.as_str()).collect();
                let titles: Vec<String> = cl
                    .representatives
                    .iter()
                    .map(|&r| match records[r].title.as_str() {
                        "" => {
                            records[r].text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(80).collect()
                        }
                        title => title.to_string(),
                    })
                    .collect();
                let name = cl.theme.map_or("other", |t| c.lexicon.themes[t].name.as_str());
                w.write_record([
                    i.to_string().as_str(),
                    &cl.size.to_string(),
                    c.theme_id(i),
                    name,
                    &fmt_f64(cl.theme_score, 3),
                    &top.join("; "),
                    &ids.join("; "),
                    &titles.join(" | "),
                ])?;
            }
            Ok(())
        },
    )?;
    write_csv(&out.file("cluster_terms.csv"), &["cluster", "rank", "term", "display", "weight"], |w| {
        for (i, cl) in c.clusters.iter().enumerate() {
            for (rank, &(j, x)) in cl.top_terms.iter().enumerate() {
                w.write_record([
                    i.to_string().as_str(),
                    &(rank + 1).to_string(),
                    &vocab.terms[j],
                    &vocab.display[j],
                    &fmt_f64(x, 6),
                ])?;
            }
        }
        Ok(())
    })?;
    if !c.k_scores.is_empty() {
        let opt = |x: Option<f64>| x.map_or(String::new(), |x| fmt_f64(x, 6));
        write_csv(&out.file("k_selection.csv"), &["k", "silhouette", "calinski_harabasz", "inertia", "chosen"], |w| {
            for s in &c.k_scores {
                w.write_record([
                    s.k.to_string().as_str(),
                    &opt(s.silhouette),
                    &opt(s.calinski_harabasz),
                    &fmt_f64(s.inertia, 6),
                    if s.chosen { "true" } else { "false" },
                ])?;
            }
            Ok(())
        })?;
        let points: Vec<(usize, f64, f64, bool)> = c
            .k_scores
            .iter()
            .map(|s| (s.k, s.silhouette.unwrap_or(0.0), s.calinski_harabasz.unwrap_or(0.0), s.chosen))
            .collect();
        crate::report::charts::k_selection_svg(&out.file("k_selection.svg"), &points)?;
    }
    Ok(())
}

/// The stages of a run on stderr, drawn only when stderr is a terminal (indicatif stays quiet otherwise).
pub struct Progress(indicatif::ProgressBar);

impl Progress {
    pub fn new(steps: u64) -> Progress {
        let bar = indicatif::ProgressBar::new(steps);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:20} {pos}/{len} {msg} ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Progress(bar)
    }

    /// Starts the next stage.
    pub fn step(&self, name: &'static str) {
        if self.0.position() > 0 || !self.0.message().is_empty() {
            self.0.inc(1);
        }
        self.0.set_message(name);
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
