//! Vectorize: analyzed records into a vocabulary and a sparse TF-IDF matrix with scikit-learn's numbers.
//!
//! PLACEHOLDER (issue 4 replaces it with the fast, parallel, saved-model version; the types stay).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sprs::{CsMat, TriMat};

use crate::text::Tokenize;

/// A document-frequency bound as scikit-learn reads it: a whole number is a count, a fraction a share.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DfBound {
    Count(usize),
    Share(f64),
}

impl DfBound {
    /// The bound as a number of documents out of `n`.
    pub fn documents(self, n: usize) -> f64 {
        match self {
            DfBound::Count(c) => c as f64,
            DfBound::Share(s) => s * n as f64,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    L1,
    L2,
    None,
}

/// TF-IDF options with scikit-learn's meanings; the `[vectorize]` table of `hanmi.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TfidfParams {
    pub min_df: DfBound,
    pub max_df: DfBound,
    pub max_features: Option<usize>,
    pub sublinear_tf: bool,
    pub norm: Norm,
    pub smooth_idf: bool,
    pub use_idf: bool,
}

impl Default for TfidfParams {
    /// scikit-learn's defaults.
    fn default() -> Self {
        TfidfParams {
            min_df: DfBound::Count(1),
            max_df: DfBound::Share(1.0),
            max_features: None,
            sublinear_tf: false,
            norm: Norm::L2,
            smooth_idf: true,
            use_idf: true,
        }
    }
}

/// The kept terms, in sorted order (their index is the column of the matrix).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    pub terms: Vec<String>,
    /// The most frequent surface word behind each term, for people to read.
    pub display: Vec<String>,
    pub df: Vec<u32>,
    pub idf: Vec<f64>,
}

impl Vocabulary {
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// A fitted model: the options and the vocabulary with its IDF, fixed at fit time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfModel {
    pub params: TfidfParams,
    pub vocab: Vocabulary,
}

/// The result of fitting on a corpus: the model, the TF-IDF rows, and the raw counts behind them
/// (the counts feed class-based TF-IDF and keyness).
#[derive(Debug, Clone)]
pub struct Vectorized {
    pub model: TfidfModel,
    pub tfidf: CsMat<f64>,
    pub counts: CsMat<f64>,
}

impl TfidfModel {
    /// TF-IDF rows of new texts with this model's vocabulary and IDF; unknown terms are ignored.
    pub fn transform<S: AsRef<str> + Sync>(&self, tokenizer: &(impl Tokenize + ?Sized), texts: &[S]) -> CsMat<f64> {
        let index: HashMap<&str, usize> = self.vocab.terms.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
        let mut m = TriMat::new((texts.len(), self.vocab.len()));
        for (row, text) in texts.iter().enumerate() {
            let mut counts: HashMap<usize, f64> = HashMap::new();
            tokenizer.for_each_token(text.as_ref(), &mut |t| {
                if let Some(&j) = index.get(t.term) {
                    *counts.entry(j).or_insert(0.0) += 1.0;
                }
            });
            let mut entries: Vec<(usize, f64)> = counts.into_iter().collect();
            entries.sort_unstable_by_key(|e| e.0);
            for (j, w) in weigh(&self.params, &self.vocab.idf, &entries) {
                m.add_triplet(row, j, w);
            }
        }
        m.to_csr()
    }
}

/// Weighted, normalized values of one row of (column, count) entries.
fn weigh(params: &TfidfParams, idf: &[f64], entries: &[(usize, f64)]) -> Vec<(usize, f64)> {
    let weights: Vec<f64> =
        entries.iter().map(|&(j, c)| if params.sublinear_tf { c.ln() + 1.0 } else { c } * idf[j]).collect();
    let norm = match params.norm {
        Norm::L2 => weights.iter().map(|w| w * w).sum::<f64>().sqrt(),
        Norm::L1 => weights.iter().map(|w| w.abs()).sum::<f64>(),
        Norm::None => 1.0,
    };
    entries.iter().zip(weights).map(|(&(j, _), w)| (j, if norm > 0.0 { w / norm } else { w })).collect()
}

/// Fits the vocabulary and IDF on `texts` and returns their TF-IDF rows.
pub fn fit_transform<S: AsRef<str> + Sync>(
    tokenizer: &(impl Tokenize + ?Sized),
    texts: &[S],
    params: &TfidfParams,
) -> Vectorized {
    let mut docs: Vec<HashMap<String, u32>> = Vec::new();
    let mut surfaces: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for text in texts {
        let mut counts = HashMap::new();
        tokenizer.for_each_token(text.as_ref(), &mut |t| {
            *counts.entry(t.term.to_string()).or_insert(0) += 1;
            *surfaces.entry(t.term.to_string()).or_default().entry(t.surface.to_string()).or_insert(0) += 1;
        });
        docs.push(counts);
    }
    let n = docs.len();
    let mut df: HashMap<&str, u32> = HashMap::new();
    for d in &docs {
        for t in d.keys() {
            *df.entry(t.as_str()).or_insert(0) += 1;
        }
    }
    let (lo, hi) = (params.min_df.documents(n), params.max_df.documents(n));
    let mut terms: Vec<&str> = df.iter().filter(|(_, &c)| c as f64 >= lo && c as f64 <= hi).map(|(t, _)| *t).collect();
    terms.sort_unstable();
    let index: HashMap<&str, usize> = terms.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let idf: Vec<f64> = terms
        .iter()
        .map(|t| {
            let d = df[t] as f64;
            let s = if params.smooth_idf { 1.0 } else { 0.0 };
            if params.use_idf {
                ((n as f64 + s) / (d + s)).ln() + 1.0
            } else {
                1.0
            }
        })
        .collect();
    let mut tf = TriMat::new((n, terms.len()));
    let mut raw = TriMat::new((n, terms.len()));
    for (row, d) in docs.iter().enumerate() {
        let mut entries: Vec<(usize, f64)> =
            d.iter().filter_map(|(t, &c)| index.get(t.as_str()).map(|&j| (j, c as f64))).collect();
        entries.sort_unstable_by_key(|e| e.0);
        let weights: Vec<f64> =
            entries.iter().map(|&(j, c)| if params.sublinear_tf { c.ln() + 1.0 } else { c } * idf[j]).collect();
        let norm = match params.norm {
            Norm::L2 => weights.iter().map(|w| w * w).sum::<f64>().sqrt(),
            Norm::L1 => weights.iter().map(|w| w.abs()).sum::<f64>(),
            Norm::None => 1.0,
        };
        for (&(j, c), w) in entries.iter().zip(weights) {
            tf.add_triplet(row, j, if norm > 0.0 { w / norm } else { w });
            raw.add_triplet(row, j, c);
        }
    }
    let display = terms
        .iter()
        .map(|t| {
            let forms = &surfaces[*t];
            let best = forms.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
            best.map_or_else(|| t.to_string(), |(s, _)| s.clone())
        })
        .collect();
    let vocab = Vocabulary {
        df: terms.iter().map(|t| df[t]).collect(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
        display,
        idf,
    };
    Vectorized { model: TfidfModel { params: params.clone(), vocab }, tfidf: tf.to_csr(), counts: raw.to_csr() }
}
