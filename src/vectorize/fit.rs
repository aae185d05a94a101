//! Document-frequency bounds, IDF and weighting, as scikit-learn's TfidfVectorizer computes them.

use anyhow::{bail, Result};
use rayon::prelude::*;
use sprs::CsMat;

use super::{count, Counts, Norm, TfidfModel, TfidfParams, Vectorized, Vocabulary};
use crate::text::Tokenize;

/// Fits the vocabulary and IDF on `texts` and returns their TF-IDF rows.
pub fn fit_transform<T: AsRef<str> + Sync>(
    tokenizer: &(impl Tokenize + ?Sized),
    texts: &[T],
    params: &TfidfParams,
) -> Result<Vectorized> {
    fit(&count(tokenizer, texts), params)
}

/// The language of a term, from its script (or `concept` for a glossary concept).
fn term_lang(term: &str, concept: bool) -> &'static str {
    if concept {
        "concept"
    } else if term.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
        "ko"
    } else if term.bytes().any(|b| b.is_ascii_alphabetic()) {
        "en"
    } else {
        "other"
    }
}

/// Fits the model on counted documents: keeps the terms within the df bounds (and the `max_features` most
/// frequent), fixes the IDF, and weighs the rows.
pub fn fit(counts: &Counts, params: &TfidfParams) -> Result<Vectorized> {
    let n = counts.n_docs();
    let mut df = vec![0u32; counts.terms.len()];
    let mut cf = vec![0u64; counts.terms.len()];
    for (&j, &c) in counts.indices.iter().zip(&counts.values) {
        df[j as usize] += 1;
        cf[j as usize] += c as u64;
    }
    let (lo, hi) = (params.min_df.documents(n), params.max_df.documents(n));
    if hi < lo {
        bail!("max_df corresponds to fewer documents ({hi}) than min_df ({lo})");
    }
    let mut keep: Vec<usize> = (0..df.len()).filter(|&j| df[j] as f64 >= lo && df[j] as f64 <= hi).collect();
    if let Some(max) = params.max_features {
        // The most frequent terms over the corpus; ties go to the term that sorts first.
        keep.sort_by(|&a, &b| cf[b].cmp(&cf[a]).then(a.cmp(&b)));
        keep.truncate(max);
        keep.sort_unstable();
    }
    if keep.is_empty() && n > 0 {
        bail!("no terms remain after min_df/max_df/max_features: lower min_df or raise max_df");
    }
    let idf: Vec<f64> = keep.iter().map(|&j| idf_of(params, n, df[j])).collect();
    let vocab = Vocabulary {
        terms: keep.iter().map(|&j| counts.terms[j].clone()).collect(),
        display: keep.iter().map(|&j| counts.display[j].clone()).collect(),
        lang: keep.iter().map(|&j| term_lang(&counts.terms[j], counts.concept[j]).to_string()).collect(),
        df: keep.iter().map(|&j| df[j]).collect(),
        cf: keep.iter().map(|&j| cf[j]).collect(),
        idf,
    };
    let mut column = vec![u32::MAX; counts.terms.len()];
    for (new, &old) in keep.iter().enumerate() {
        column[old] = new as u32;
    }
    let model = TfidfModel { params: params.clone(), vocab };
    let raw = remap(counts, &column, model.vocab.len());
    let tfidf = model.weigh(&raw);
    Ok(Vectorized { model, tfidf, counts: raw })
}

fn idf_of(params: &TfidfParams, n: usize, df: u32) -> f64 {
    if !params.use_idf {
        return 1.0;
    }
    let s = if params.smooth_idf { 1.0 } else { 0.0 };
    ((n as f64 + s) / (df as f64 + s)).ln() + 1.0
}

/// The counts over the kept columns (`column[old]`, `u32::MAX` when dropped), as a CSR matrix of f64.
fn remap(counts: &Counts, column: &[u32], width: usize) -> CsMat<f64> {
    let mut indptr = Vec::with_capacity(counts.n_docs() + 1);
    indptr.push(0);
    let (mut indices, mut values) = (Vec::with_capacity(counts.indices.len()), Vec::with_capacity(counts.values.len()));
    for d in 0..counts.n_docs() {
        let (a, b) = (counts.indptr[d], counts.indptr[d + 1]);
        for (&j, &c) in counts.indices[a..b].iter().zip(&counts.values[a..b]) {
            let k = column[j as usize];
            if k != u32::MAX {
                indices.push(k as usize);
                values.push(c as f64);
            }
        }
        indptr.push(indices.len());
    }
    // Columns stay sorted: `column` keeps the order of the sorted vocabulary.
    CsMat::new((counts.n_docs(), width), indptr, indices, values)
}

/// Rows per parallel task when weighing: enough work to pay for the task.
const ROWS_PER_TASK: usize = 512;

impl TfidfModel {
    /// TF-IDF rows of raw count rows over this model's vocabulary.
    pub fn weigh(&self, raw: &CsMat<f64>) -> CsMat<f64> {
        let p = &self.params;
        let idf = &self.vocab.idf;
        let indptr = raw.indptr();
        let ptr = indptr.raw_storage();
        let (indices, counts) = (raw.indices(), raw.data());
        let mut data = vec![0.0; counts.len()];
        // The rows' slices of `data`, in groups weighed in parallel (no copy: each task writes its own rows).
        let mut tasks = Vec::new();
        let mut rest = data.as_mut_slice();
        for first in (0..raw.rows()).step_by(ROWS_PER_TASK) {
            let last = (first + ROWS_PER_TASK).min(raw.rows());
            let (head, tail) = rest.split_at_mut(ptr[last] - ptr[first]);
            tasks.push((first, last, head));
            rest = tail;
        }
        tasks.into_par_iter().for_each(|(first, last, out)| {
            let base = ptr[first];
            for r in first..last {
                let (a, b) = (ptr[r], ptr[r + 1]);
                let w = &mut out[a - base..b - base];
                for ((x, &j), &c) in w.iter_mut().zip(&indices[a..b]).zip(&counts[a..b]) {
                    *x = if p.sublinear_tf { c.ln() + 1.0 } else { c } * idf[j];
                }
                let norm = match p.norm {
                    Norm::L2 => w.iter().map(|x| x * x).sum::<f64>().sqrt(),
                    Norm::L1 => w.iter().map(|x| x.abs()).sum::<f64>(),
                    Norm::None => 1.0,
                };
                if norm > 0.0 && p.norm != Norm::None {
                    w.iter_mut().for_each(|x| *x /= norm);
                }
            }
        });
        CsMat::new(raw.shape(), ptr.to_vec(), indices.to_vec(), data)
    }

    /// TF-IDF rows of new texts with this model's vocabulary and IDF (fixed at fit time); unknown terms are
    /// ignored.
    pub fn transform<T: AsRef<str> + Sync>(&self, tokenizer: &(impl Tokenize + ?Sized), texts: &[T]) -> CsMat<f64> {
        self.weigh(&self.counts(tokenizer, texts))
    }

    /// Raw counts of new texts over this model's vocabulary.
    pub fn counts<T: AsRef<str> + Sync>(&self, tokenizer: &(impl Tokenize + ?Sized), texts: &[T]) -> CsMat<f64> {
        self.counts_of(&count(tokenizer, texts))
    }

    /// Counted documents over this model's vocabulary; terms it does not know are dropped.
    pub fn counts_of(&self, counted: &Counts) -> CsMat<f64> {
        let column: Vec<u32> =
            counted.terms.iter().map(|t| self.vocab.terms.binary_search(t).map_or(u32::MAX, |k| k as u32)).collect();
        remap(counted, &column, self.vocab.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Analyzer, AnalyzerConfig};
    use crate::vectorize::DfBound;

    fn analyzer() -> Analyzer {
        Analyzer::new(&AnalyzerConfig { glossary: false, stopwords: false, ..AnalyzerConfig::default() }).unwrap()
    }

    const DOCS: [&str; 4] = [
        "alliance cooperation alliance",
        "sanctions pressure sanctions sanctions",
        "alliance sanctions dialogue",
        "dialogue summit dialogue cooperation",
    ];

    #[test]
    fn idf_and_weights_match_scikit_learn() {
        // TfidfVectorizer(analyzer=lambda d: d).fit_transform on the same stems gives these numbers.
        let v = fit_transform(&analyzer(), &DOCS, &TfidfParams::default()).unwrap();
        assert_eq!(v.model.vocab.terms, ["allianc", "cooper", "dialogu", "pressur", "sanction", "summit"]);
        let idf = &v.model.vocab.idf;
        assert!((idf[0] - (5.0f64 / 3.0).ln() - 1.0).abs() < 1e-15);
        assert!((idf[3] - (5.0f64 / 2.0).ln() - 1.0).abs() < 1e-15);
        let row0: Vec<(usize, f64)> = v.tfidf.outer_view(0).unwrap().iter().map(|(j, &x)| (j, x)).collect();
        let (a, c) = (2.0 * idf[0], idf[1]);
        let norm = (a * a + c * c).sqrt();
        assert_eq!(row0.len(), 2);
        assert!((row0[0].1 - a / norm).abs() < 1e-15 && (row0[1].1 - c / norm).abs() < 1e-15);
    }

    #[test]
    fn df_bounds_and_max_features() {
        let params = TfidfParams { min_df: DfBound::Count(2), max_df: DfBound::Share(0.5), ..TfidfParams::default() };
        let v = fit_transform(&analyzer(), &DOCS, &params).unwrap();
        assert_eq!(v.model.vocab.terms, ["allianc", "cooper", "dialogu", "sanction"]);
        let params = TfidfParams { max_features: Some(2), ..TfidfParams::default() };
        let v = fit_transform(&analyzer(), &DOCS, &params).unwrap();
        // sanctions 4, alliance 3, dialogue 3: the tie goes to the term that sorts first.
        assert_eq!(v.model.vocab.terms, ["allianc", "sanction"]);
    }

    #[test]
    fn transform_with_the_fitted_model_gives_the_fitted_rows() {
        let v = fit_transform(&analyzer(), &DOCS, &TfidfParams::default()).unwrap();
        let again = v.model.transform(&analyzer(), &DOCS[2..]);
        for (k, row) in again.outer_iterator().enumerate() {
            let fitted = v.tfidf.outer_view(k + 2).unwrap();
            assert_eq!(row.indices(), fitted.indices());
            assert_eq!(row.data(), fitted.data());
        }
    }

    #[test]
    fn the_matrix_is_the_same_with_any_number_of_threads() {
        let docs: Vec<String> =
            (0..200).map(|i| format!("{} alliance {} doc{}", DOCS[i % 4], DOCS[(i * 7) % 4], i % 13)).collect();
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| fit_transform(&analyzer(), &docs, &TfidfParams::default()).unwrap())
        };
        let (one, many) = (run(1), run(4));
        assert_eq!(one.model, many.model);
        assert_eq!(one.tfidf, many.tfidf);
    }

    #[test]
    fn impossible_bounds_are_an_error() {
        let params = TfidfParams { min_df: DfBound::Count(3), max_df: DfBound::Count(2), ..TfidfParams::default() };
        assert!(fit_transform(&analyzer(), &DOCS, &params).is_err());
    }
}
