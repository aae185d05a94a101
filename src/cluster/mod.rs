//! Reduce + cluster: LSA (randomized truncated SVD of the sparse TF-IDF matrix), k-means (linfa-clustering),
//! the choice of k, cluster descriptions (class-based TF-IDF) and theme names from a bilingual lexicon.

pub mod describe;
pub mod kmeans;
pub mod lsa;
pub mod metrics;

use anyhow::Result;
use serde::{Deserialize, Serialize};

pub use describe::{class_idf, class_tfidf, Theme, ThemeLexicon};
pub use kmeans::KScore;

use crate::corpus::Lang;
use crate::text::{Analyzer, StringList};
use crate::vectorize::Vectorized;

/// How many clusters: a fixed number, or chosen from a range by the documented rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum KChoice {
    #[default]
    Auto,
    #[serde(untagged)]
    Fixed(usize),
}

impl std::str::FromStr for KChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("auto") {
            return Ok(KChoice::Auto);
        }
        match s.parse::<usize>() {
            Ok(k) if k >= 1 => Ok(KChoice::Fixed(k)),
            _ => Err(format!("k must be `auto` or a whole number of at least 1, not {s:?}")),
        }
    }
}

/// The `[cluster]` table of `hanmi.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    pub k: KChoice,
    /// The largest k `auto` tries (it also stays at most one fifth of the records).
    pub max_k: usize,
    /// LSA components (fewer when the corpus is small).
    pub components: usize,
    /// k-means++ restarts; the best inertia wins.
    pub runs: usize,
    /// Top terms listed per cluster.
    pub top_terms: usize,
    /// Themes added to the built-in lexicon (same id: replaces it).
    pub extra_themes: Vec<Theme>,
    /// Word n-grams of the features clustered on (the analyzer's `[text]` options hold for everything else).
    pub ngram_range: (usize, usize),
    /// Cluster on Korean stems as syllable bigrams, so compounds (한미동맹, 방위비분담금) share features with their
    /// parts.
    pub korean_bigrams: bool,
}

impl Default for ClusterConfig {
    /// Word bigrams and Korean syllable bigrams: measured in the README, they lift V-measure on the 20 Newsgroups
    /// sample (0.427 → 0.432) and on the YNAT headlines (0.247 → 0.270), the same defaults for both.
    fn default() -> Self {
        ClusterConfig {
            k: KChoice::Auto,
            max_k: 20,
            components: 100,
            runs: 10,
            top_terms: 10,
            extra_themes: Vec::new(),
            ngram_range: (1, 2),
            korean_bigrams: true,
        }
    }
}

/// A described cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub size: usize,
    /// Index into the theme lexicon, or `None` for `other`.
    pub theme: Option<usize>,
    pub theme_score: f64,
    /// (vocabulary column, c-TF-IDF weight), highest first.
    pub top_terms: Vec<(usize, f64)>,
    /// Records nearest the centroid.
    pub representatives: Vec<usize>,
}

/// The clustering of a corpus.
#[derive(Debug, Clone)]
pub struct Clustering {
    /// Each record's cluster; `None` for a record with no terms.
    pub labels: Vec<Option<usize>>,
    pub clusters: Vec<Cluster>,
    pub k_scores: Vec<KScore>,
    pub lexicon: ThemeLexicon,
    /// What a reader should know (small corpus, records left out…), for the manifest.
    pub notes: Vec<String>,
}

impl Clustering {
    /// Each record's theme id (`other` below the threshold, `none` when not clustered).
    pub fn record_themes(&self) -> Vec<String> {
        self.labels
            .iter()
            .map(|l| match l {
                Some(c) => self.theme_id(*c).to_string(),
                None => "none".to_string(),
            })
            .collect()
    }

    pub fn theme_id(&self, cluster: usize) -> &str {
        self.clusters[cluster].theme.map_or("other", |t| self.lexicon.themes[t].id.as_str())
    }
}

/// A language group must hold this share of the records (and at least 5) for a corpus to count as bilingual.
const BILINGUAL_MIN_SHARE: f64 = 0.1;

/// In a bilingual corpus, words used in only one language mostly say which language a record is in, and
/// k-means on them splits the corpus by language, not by theme (measured on the demo corpus: k = 2, one
/// cluster per language). Clustering then uses only the features seen in both languages' records — glossary
/// concepts, acronyms, names, years — rows re-normalized; the descriptions still use every term.
fn cross_lingual(v: &Vectorized, langs: &[Lang], notes: &mut Vec<String>) -> Option<sprs::CsMat<f64>> {
    let n = langs.len();
    let count = |l: Lang| langs.iter().filter(|&&x| x == l).count();
    let (ko, en) = (count(Lang::Ko), count(Lang::En));
    let enough = |c: usize| c >= 5 && c as f64 >= BILINGUAL_MIN_SHARE * n as f64;
    if !(enough(ko) && enough(en)) {
        return None;
    }
    let mut seen = vec![[false; 2]; v.tfidf.cols()];
    for (row, &lang) in v.counts.outer_iterator().zip(langs) {
        for (j, _) in row.iter() {
            match lang {
                Lang::Ko => seen[j][0] = true,
                Lang::En => seen[j][1] = true,
                Lang::Mixed => seen[j] = [true, true],
                Lang::None => {}
            }
        }
    }
    let shared = seen.iter().filter(|s| s[0] && s[1]).count();
    notes.push(format!(
        "bilingual corpus ({ko} Korean, {en} English records): clustered on the {shared} of {} terms used in both \
         languages' records (glossary concepts, acronyms, names, years); descriptions use every term",
        v.tfidf.cols()
    ));
    let (mut indptr, mut indices, mut data) = (vec![0], Vec::new(), Vec::new());
    for row in v.tfidf.outer_iterator() {
        let kept: Vec<(usize, f64)> =
            row.iter().filter(|(j, _)| seen[*j] == [true, true]).map(|(j, &x)| (j, x)).collect();
        let norm = kept.iter().map(|e| e.1 * e.1).sum::<f64>().sqrt();
        indices.extend(kept.iter().map(|e| e.0));
        data.extend(kept.iter().map(|e| if norm > 0.0 { e.1 / norm } else { e.1 }));
        indptr.push(indices.len());
    }
    Some(sprs::CsMat::new(v.tfidf.shape(), indptr, indices, data))
}

/// LSA, k-means with k fixed or chosen, and the descriptions of the clusters. `langs` (one per record) lets
/// a bilingual corpus be clustered on the features its languages share.
pub fn cluster(
    v: &Vectorized,
    langs: &[Lang],
    analyzer: &Analyzer,
    config: &ClusterConfig,
    seed: u64,
) -> Result<Clustering> {
    let lexicon = ThemeLexicon::new(analyzer, &config.extra_themes)?;
    let n = v.tfidf.rows();
    let mut notes = lexicon.skipped.clone();
    let shared = cross_lingual(v, langs, &mut notes);
    let features = shared.as_ref().unwrap_or(&v.tfidf);
    // Records with no kept terms have no direction to cluster by; they are listed, not guessed.
    let live: Vec<usize> = (0..n).filter(|&i| features.outer_view(i).is_some_and(|r| r.nnz() > 0)).collect();
    if live.len() < n {
        notes.push(format!(
            "{} records have no terms left after analysis and min_df/max_df: cluster `none`",
            n - live.len()
        ));
    }
    let mut labels = vec![None; n];
    if live.len() <= 2 {
        notes.push(format!("{} records with terms: too few to cluster; each is its own cluster", live.len()));
        for (c, &i) in live.iter().enumerate() {
            labels[i] = Some(c);
        }
        let clusters = describe(v, &lexicon, &labels, live.len(), None, config.top_terms);
        return Ok(Clustering { labels, clusters, k_scores: Vec::new(), lexicon, notes });
    }
    let rows = select_rows(features, &live);
    let embedding = lsa::lsa(&rows, config.components, seed)?.embedding;
    let (k_scores, partition) = match config.k {
        KChoice::Fixed(k) => {
            let k_used = k.min(live.len());
            if k_used < k {
                notes.push(format!("k = {k} is more than the {} records with terms: k = {k_used}", live.len()));
            }
            (Vec::new(), kmeans::kmeans(embedding.view(), k_used, config.runs, seed)?)
        }
        KChoice::Auto => {
            let ks = kmeans::candidate_ks(live.len(), config.max_k);
            kmeans::choose_k(embedding.view(), &ks, config.runs, seed)?
        }
    };
    if partition.k < k_scores.iter().find(|s| s.chosen).map_or(partition.k, |s| s.k) {
        notes.push("k-means left some clusters empty; they are dropped".into());
    }
    for (&i, &l) in live.iter().zip(&partition.labels) {
        labels[i] = Some(l);
    }
    let full_labels: Vec<Option<usize>> = partition.labels.iter().map(|&l| Some(l)).collect();
    let reps = describe::representatives(embedding.view(), &full_labels, &partition.centroids, 3);
    let reps: Vec<Vec<usize>> = reps.into_iter().map(|r| r.into_iter().map(|j| live[j]).collect()).collect();
    let clusters = describe(v, &lexicon, &labels, partition.k, Some(reps), config.top_terms);
    Ok(Clustering { labels, clusters, k_scores, lexicon, notes })
}

/// The given rows of a CSR matrix, in the order given.
pub fn select_rows(m: &sprs::CsMat<f64>, rows: &[usize]) -> sprs::CsMat<f64> {
    let (indptr, indices, data) = crate::vectorize::gather_rows(rows, |i| {
        let range = m.indptr().outer_inds_sz(i);
        (&m.indices()[range.clone()], &m.data()[range])
    });
    sprs::CsMat::new((rows.len(), m.cols()), indptr, indices, data)
}

fn describe(
    v: &Vectorized,
    lexicon: &ThemeLexicon,
    labels: &[Option<usize>],
    k: usize,
    reps: Option<Vec<Vec<usize>>>,
    top: usize,
) -> Vec<Cluster> {
    let weights = class_tfidf(&v.counts, labels, k);
    let terms = &v.model.vocab.terms;
    (0..k)
        .map(|c| {
            let w = &weights[c];
            let for_theme: Vec<(&str, f64)> =
                w.iter().take(describe::THEME_TERMS).map(|&(j, x)| (&terms[j], x)).collect();
            let (theme, theme_score) = lexicon.best(&for_theme);
            Cluster {
                size: labels.iter().filter(|l| **l == Some(c)).count(),
                theme,
                theme_score,
                top_terms: w.iter().take(top).copied().collect(),
                representatives: reps.as_ref().map_or_else(
                    || labels.iter().enumerate().filter(|(_, l)| **l == Some(c)).map(|(i, _)| i).take(3).collect(),
                    |r| r[c].clone(),
                ),
            }
        })
        .collect()
}

/// Each record's `n` highest TF-IDF terms (display forms), for `documents.csv`.
pub fn record_top_terms(v: &Vectorized, n: usize) -> Vec<String> {
    v.tfidf
        .outer_iterator()
        .map(|row| {
            let mut w: Vec<(usize, f64)> = row.iter().map(|(j, &x)| (j, x)).collect();
            w.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            distinct_displays(w.iter().map(|&(j, _)| j), &v.model.vocab.display, n).join("; ")
        })
        .collect()
}

/// The first `n` distinct display forms of the given columns (two Korean syllable bigrams of one stem read the
/// same).
pub fn distinct_displays(columns: impl Iterator<Item = usize>, display: &StringList, n: usize) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for j in columns {
        if out.len() == n {
            break;
        }
        if !out.contains(&&display[j]) {
            out.push(&display[j]);
        }
    }
    out
}
