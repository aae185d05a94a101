//! Vectorize: analyzed records into a vocabulary and a sparse TF-IDF matrix with scikit-learn's numbers.
//!
//! Counting runs in parallel, one analyzer session per thread over a contiguous share of the records; the
//! vocabulary is the sorted union of what the threads saw, so the matrix is the same byte for byte whatever
//! the number of threads. Weighting then follows scikit-learn's TfidfVectorizer exactly: document-frequency
//! bounds, `max_features`, smoothed or plain IDF fixed at fit time, raw or sublinear tf, l2/l1/no norm.

mod count;
mod fit;
mod io;
mod merge;
mod rows;

use serde::{Deserialize, Serialize};
use sprs::CsMat;

use crate::text::StringList;

pub use count::{count, count_shares, Counted, Counts};
pub use fit::{fit, fit_transform};
pub use io::{write_matrix_market, write_vocabulary, SavedModel};
pub use rows::gather_rows;

/// The TF-IDF rows `hanmi vectorize` fits and writes, with 32-bit column indices: a third less fresh memory to fault
/// in than `CsMat<f64>`'s machine words (1,450 pages on the KCNA stories), and no vocabulary comes near 2³² terms.
pub type TfidfRows = sprs::CsMatI<f64, u32, usize>;

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

/// TF-IDF options with scikit-learn's meanings; the `[vectorize]` table of `hanmi.toml`, whose missing keys
/// take the run's defaults ([`TfidfParams::for_clustering`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default = "TfidfParams::for_clustering", deny_unknown_fields)]
pub struct TfidfParams {
    pub min_df: DfBound,
    pub max_df: DfBound,
    pub max_features: Option<usize>,
    pub sublinear_tf: bool,
    pub norm: Norm,
    pub smooth_idf: bool,
    pub use_idf: bool,
}

impl TfidfParams {
    /// The defaults of `hanmi run`, chosen for clustering (see the README for the measurements).
    pub fn for_clustering() -> TfidfParams {
        TfidfParams { min_df: DfBound::Count(2), max_df: DfBound::Share(0.5), ..TfidfParams::default() }
    }

    /// The bounds that keep scikit-learn's meaning but were probably meant the other way: `max_df 1` is one
    /// record, not all of them, and `min_df 1.0` every record, not one. Each leaves few terms, or none, without
    /// an error.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.max_df == DfBound::Count(1) {
            warnings.push(
                "max_df 1 is a count: only terms found in a single record are kept (scikit-learn's meaning); \
                 1.0 sets no upper bound"
                    .to_string(),
            );
        }
        if self.min_df == DfBound::Share(1.0) {
            warnings.push(
                "min_df 1.0 is a share: only terms found in every record are kept (scikit-learn's meaning); \
                 1 sets no lower bound"
                    .to_string(),
            );
        }
        warnings
    }
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

/// The language of a term, from its script: `en`, `ko`, `concept` (a glossary concept, both languages) or
/// `other`, as written in vocab.csv and saved models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermLang {
    En,
    Ko,
    Concept,
    Other,
}

impl TermLang {
    /// The language of `term` (`concept` for a glossary concept).
    pub fn of(term: &str, concept: bool) -> TermLang {
        if concept {
            TermLang::Concept
        } else if term.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
            TermLang::Ko
        } else if term.bytes().any(|b| b.is_ascii_alphabetic()) {
            TermLang::En
        } else {
            TermLang::Other
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TermLang::En => "en",
            TermLang::Ko => "ko",
            TermLang::Concept => "concept",
            TermLang::Other => "other",
        }
    }
}

/// The kept terms, in sorted order (their index is the column of the matrix).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    pub terms: StringList,
    /// The most frequent surface word behind each term, for people to read.
    pub display: StringList,
    pub lang: Vec<TermLang>,
    /// Documents containing the term.
    pub df: Vec<u32>,
    /// Occurrences of the term in the whole corpus.
    pub cf: Vec<u64>,
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
