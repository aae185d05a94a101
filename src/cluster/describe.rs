//! What each cluster is about: class-based TF-IDF top terms (BERTopic's c-TF-IDF), the records nearest its
//! centroid, and the best-matching theme of the bilingual theme lexicon.

use std::collections::HashMap;

use anyhow::{Context, Result};
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use crate::text::{Analyzer, TokenSession, Tokenize};

/// The built-in theme lexicon, `data/builtin/themes.toml`.
pub const BUILTIN_THEMES: &str = include_str!("../../data/builtin/themes.toml");

/// A cluster's best theme must cover at least this share of its top terms' weight, else it is `other`.
pub const THEME_THRESHOLD: f64 = 0.08;
/// How many of a cluster's top c-TF-IDF terms are compared with the theme lexicon.
pub const THEME_TERMS: usize = 30;

/// One theme of the lexicon, as written in TOML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_ko: String,
    pub terms: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    theme: Vec<Theme>,
}

/// Themes with their terms analyzed like the records (stems, Korean stems, glossary concepts).
#[derive(Debug, Clone)]
pub struct ThemeLexicon {
    pub themes: Vec<Theme>,
    /// Analyzed term → the themes it belongs to.
    index: HashMap<String, Vec<usize>>,
    /// Theme terms that analyzed to nothing (possible with the morphological analyzer), for the manifest.
    pub skipped: Vec<String>,
}

impl ThemeLexicon {
    /// The built-in themes plus `extra` (a theme with a built-in id replaces it).
    pub fn new(analyzer: &Analyzer, extra: &[Theme]) -> Result<ThemeLexicon> {
        let file: ThemeFile = toml::from_str(BUILTIN_THEMES).context("data/builtin/themes.toml")?;
        let mut themes = file.theme;
        for t in extra {
            match themes.iter_mut().find(|b| b.id == t.id) {
                Some(b) => *b = t.clone(),
                None => themes.push(t.clone()),
            }
        }
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        let mut skipped = Vec::new();
        let mut session = analyzer.session();
        for (i, theme) in themes.iter().enumerate() {
            for form in &theme.terms {
                let terms = session.terms(form);
                if terms.is_empty() {
                    skipped.push(format!("theme {}: the term {form:?} has no words left after analysis", theme.id));
                    continue;
                }
                // A phrase the glossary does not merge is matched as its word n-gram.
                let key = terms.join(" ");
                let owners = index.entry(key).or_default();
                if !owners.contains(&i) {
                    owners.push(i);
                }
            }
        }
        Ok(ThemeLexicon { themes, index, skipped })
    }

    /// The best theme for weighted terms (the cluster's top terms) and its share of their weight.
    pub fn best(&self, weighted: &[(&str, f64)]) -> (Option<usize>, f64) {
        let total: f64 = weighted.iter().map(|w| w.1).sum();
        if total <= 0.0 {
            return (None, 0.0);
        }
        let mut score = vec![0.0; self.themes.len()];
        for (term, w) in weighted {
            for &t in self.index.get(*term).map(Vec::as_slice).unwrap_or(&[]) {
                score[t] += w / total;
            }
        }
        // Highest share; ties go to the theme listed first.
        let best = score.iter().enumerate().fold(None, |b: Option<(usize, f64)>, (i, &s)| match b {
            Some((_, bs)) if bs >= s => b,
            _ => Some((i, s)),
        });
        match best {
            Some((i, s)) if s >= THEME_THRESHOLD => (Some(i), s),
            Some((_, s)) => (None, s),
            None => (None, 0.0),
        }
    }
}

/// Class-based TF-IDF (Grootendorst 2022): each cluster's records joined into one document, its term counts
/// divided by its total (L1), times idf = ln(1 + A / f_t), A the mean number of term occurrences per
/// cluster and f_t the term's count over all clusters. Returns, per cluster, (term, weight) by weight
/// descending (ties by term index).
pub fn class_tfidf(counts: &CsMat<f64>, labels: &[Option<usize>], k: usize) -> Vec<Vec<(usize, f64)>> {
    let mut sums = vec![vec![0.0; counts.cols()]; k];
    for (row, label) in counts.outer_iterator().zip(labels) {
        if let Some(c) = label {
            for (j, &x) in row.iter() {
                sums[*c][j] += x;
            }
        }
    }
    let totals: Vec<f64> = sums.iter().map(|s| s.iter().sum()).collect();
    let nonempty = totals.iter().filter(|&&t| t > 0.0).count();
    let mut f = vec![0.0; counts.cols()];
    for s in &sums {
        for (fj, x) in f.iter_mut().zip(s) {
            *fj += x;
        }
    }
    let idf = class_idf(&f, nonempty);
    sums.iter()
        .zip(&totals)
        .map(|(s, &total)| {
            let mut w: Vec<(usize, f64)> =
                s.iter().enumerate().filter(|(_, &x)| x > 0.0).map(|(j, &x)| (j, x / total * idf[j])).collect();
            w.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            w
        })
        .collect()
}

/// The idf of class-based TF-IDF: `ln(1 + A / f_t)`, with `f_t` the term's count over all classes and `A` the
/// mean number of term occurrences per class (`classes` classes hold them); 0 for a term that never occurs.
pub fn class_idf(term_totals: &[f64], classes: usize) -> Vec<f64> {
    let mean = term_totals.iter().sum::<f64>() / classes.max(1) as f64;
    term_totals.iter().map(|&f| if f > 0.0 { (1.0 + mean / f).ln() } else { 0.0 }).collect()
}

/// The `n` records of each cluster nearest its centroid (cosine on the LSA rows), nearest first.
pub fn representatives(
    x: ArrayView2<f64>,
    labels: &[Option<usize>],
    centroids: &Array2<f64>,
    n: usize,
) -> Vec<Vec<usize>> {
    let mut by_cluster: Vec<Vec<(f64, usize)>> = vec![Vec::new(); centroids.nrows()];
    for (i, label) in labels.iter().enumerate() {
        if let Some(c) = label {
            let centroid = centroids.row(*c);
            let norm = centroid.dot(&centroid).sqrt().max(f64::MIN_POSITIVE);
            by_cluster[*c].push((x.row(i).dot(&centroid) / norm, i));
        }
    }
    by_cluster
        .into_iter()
        .map(|mut members| {
            members.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            members.into_iter().take(n).map(|m| m.1).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::TriMat;

    #[test]
    fn class_tfidf_by_hand() {
        // Two clusters over three terms: cluster 0 counts (2, 1, 0), cluster 1 counts (0, 1, 3).
        let mut t = TriMat::new((3, 3));
        for (i, j, x) in [(0, 0, 2.0), (1, 1, 1.0), (2, 1, 1.0), (2, 2, 3.0)] {
            t.add_triplet(i, j, x);
        }
        let w = class_tfidf(&t.to_csr(), &[Some(0), Some(0), Some(1)], 2);
        // A = (3 + 4) / 2 = 3.5; f = (2, 2, 3).
        let idf = |f: f64| (1.0f64 + 3.5 / f).ln();
        assert_eq!(w[0][0].0, 0);
        assert!((w[0][0].1 - 2.0 / 3.0 * idf(2.0)).abs() < 1e-15);
        assert!((w[0][1].1 - 1.0 / 3.0 * idf(2.0)).abs() < 1e-15);
        assert_eq!(w[1][0].0, 2);
        assert!((w[1][0].1 - 3.0 / 4.0 * idf(3.0)).abs() < 1e-15);
    }

    #[test]
    fn themes_name_clusters_in_both_languages() {
        let analyzer = Analyzer::new(&crate::text::AnalyzerConfig::default()).unwrap();
        let lexicon = ThemeLexicon::new(&analyzer, &[]).unwrap();
        assert!(lexicon.themes.len() >= 12);
        assert!(lexicon.skipped.is_empty(), "{:?}", lexicon.skipped);
        let terms_of = |text: &str| analyzer.analyze(text);
        for (text, theme) in [
            ("THAAD battery deployment Seongju missile defense interceptor", "missile_defense"),
            ("사드 배치 성주 미사일 방어 요격", "missile_defense"),
            ("cost sharing Special Measures Agreement troop withdrawal burden", "alliance_strain"),
        ] {
            let terms = terms_of(text);
            let weighted: Vec<(&str, f64)> = terms.iter().map(|t| (t.as_str(), 1.0)).collect();
            let (best, score) = lexicon.best(&weighted);
            assert_eq!(best.map(|i| lexicon.themes[i].id.as_str()), Some(theme), "{text}: {terms:?} {score}");
        }
    }
}
