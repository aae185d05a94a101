//! Document-frequency bounds, IDF and weighting, as scikit-learn's TfidfVectorizer computes them.

use std::borrow::Cow;

use anyhow::{bail, Result};
use rayon::prelude::*;
use sprs::{CsMat, CsMatI, SpIndex};

use super::rows::fill_rows;
use super::{count, Counted, Counts, Norm, TermLang, TfidfModel, TfidfParams, TfidfRows, Vectorized, Vocabulary};
use crate::text::{StringList, TokenSession, Tokenize};

/// Fits the vocabulary and IDF on `texts` and returns their TF-IDF rows.
pub fn fit_transform<T: AsRef<str> + Sync>(
    tokenizer: &(impl Tokenize + ?Sized),
    texts: &[T],
    params: &TfidfParams,
) -> Result<Vectorized> {
    fit(&count(tokenizer, texts), params)
}

/// Fits the model on counted documents: keeps the terms within the df bounds (and the `max_features` most
/// frequent), fixes the IDF, and weighs the rows; the raw counts of the kept terms come along.
pub fn fit(counts: &Counts, params: &TfidfParams) -> Result<Vectorized> {
    let (df, cf) = frequencies(counts);
    let (mut model, keep) = fit_model(Frequencies { n_docs: counts.n_docs(), df, cf }, params)?;
    // Tens of thousands of small strings: copied in parallel.
    ((model.vocab.terms, model.vocab.lang), model.vocab.display) = rayon::join(
        || kept_terms(&keep, Cow::Borrowed(&counts.terms), &counts.concept),
        || kept_strings(Cow::Borrowed(&counts.display), &keep),
    );
    let column = columns(&keep, counts.terms.len());
    let (raw, tfidf) = rayon::join(
        || select(counts, &column, model.vocab.len(), None),
        || select(counts, &column, model.vocab.len(), Some(&model)),
    );
    Ok(Vectorized { model, tfidf, counts: raw })
}

impl<S: TokenSession + Sync> Counted<S> {
    /// The fitted model and the TF-IDF rows only, weighed straight from what the threads counted: no count matrix
    /// is built, and only the kept terms' strings are made (what `hanmi vectorize` writes). The same model and rows
    /// as [`fit`] on the merged counts.
    pub fn fit_tfidf(&self, params: &TfidfParams) -> Result<(TfidfModel, TfidfRows)> {
        let merged = self.merged();
        let concept = self.concepts(&merged);
        // The display forms, only read at the end, are found while the model is fitted and the rows weighed.
        let (display, fitted) = rayon::join(
            || self.display_forms(&merged),
            || -> Result<_> {
                let (df, cf) = self.frequencies(&merged);
                let (model, keep) = fit_model(Frequencies { n_docs: self.n_docs(), df, cf }, params)?;
                // Every term kept (scikit-learn's default bounds): the global ids are the columns.
                let every_term = keep.len() == merged.terms.len();
                // A share's local ids straight to columns.
                let renumbered: Vec<Vec<u32>>;
                let share_columns = if every_term {
                    &merged.maps
                } else {
                    let column = columns(&keep, merged.terms.len());
                    let to_column = |&g: &u32| if g == u32::MAX { u32::MAX } else { column[g as usize] };
                    renumbered = merged.maps.iter().map(|map| map.iter().map(to_column).collect()).collect();
                    &renumbered
                };
                let entry = |col: u32, c: u32| (col, c as f64);
                let rows = self.rows(share_columns, keep.len(), entry, |cols, weights| model.weigh_row(cols, weights));
                Ok((model, keep, rows))
            },
        );
        let (mut model, keep, (indptr, indices, data)) = fitted?;
        (model.vocab.terms, model.vocab.lang) = kept_terms(&keep, Cow::Owned(merged.terms), &concept);
        model.vocab.display = kept_strings(Cow::Owned(display), &keep);
        // Not checked again (a pass over every entry, a millisecond on the KCNA stories): each row was written in
        // column order, with distinct columns (a share's terms map to distinct kept columns) below `keep.len()`,
        // into rows laid out by `indptr`; the tests check the structure of what this returns.
        // SAFETY: the properties `check_compressed_structure` tests hold, as said above.
        let tfidf = unsafe {
            CsMatI::new_unchecked(sprs::CompressedStorage::CSR, (self.n_docs(), keep.len()), indptr, indices, data)
        };
        Ok((model, tfidf))
    }
}

/// `ln(count) + 1` for the whole counts below 256, nearly every entry, made once by the same `ln`, so with the same
/// bits: a logarithm per entry made the KCNA stories' vectorize stage a sixth to a third longer.
static SUBLINEAR_TF: std::sync::LazyLock<[f64; 256]> =
    std::sync::LazyLock::new(|| std::array::from_fn(|k| (k as f64).ln() + 1.0));

/// `ln(count) + 1`, scikit-learn's sublinear tf, from `table` ([`SUBLINEAR_TF`]) where it holds the count.
#[inline]
fn sublinear_tf(count: f64, table: &[f64; 256]) -> f64 {
    let k = count as usize;
    if k < 256 && k as f64 == count {
        table[k]
    } else {
        count.ln() + 1.0
    }
}

/// What the fit needs to know of a counted corpus, by term.
struct Frequencies {
    n_docs: usize,
    /// Documents containing each term, and its occurrences in the corpus.
    df: Vec<u32>,
    cf: Vec<u64>,
}

/// The model (its vocabulary without the terms' strings and languages, which the caller reads with
/// [`kept_terms`]) and the kept terms.
fn fit_model(corpus: Frequencies, params: &TfidfParams) -> Result<(TfidfModel, Vec<usize>)> {
    let Frequencies { n_docs: n, df, cf } = corpus;
    if n == 0 {
        // Otherwise the bounds of an empty corpus read as max_df below min_df, which is not what went wrong.
        bail!("no documents to fit a vocabulary on");
    }
    let (lo, hi) = (params.min_df.documents(n), params.max_df.documents(n));
    if hi < lo {
        bail!("max_df corresponds to fewer documents ({hi}) than min_df ({lo})");
    }
    // Sized for every term at once: growing by copies cost a page of fresh memory at each doubling.
    let mut keep: Vec<usize> = Vec::with_capacity(df.len());
    keep.extend((0..df.len()).filter(|&j| df[j] as f64 >= lo && df[j] as f64 <= hi));
    if let Some(max) = params.max_features {
        // The most frequent terms over the corpus; ties go to the term that sorts first.
        keep.sort_by(|&a, &b| cf[b].cmp(&cf[a]).then(a.cmp(&b)));
        keep.truncate(max);
        keep.sort_unstable();
    }
    if keep.is_empty() {
        bail!("no terms remain after min_df/max_df/max_features: lower min_df or raise max_df");
    }
    // Every term kept (scikit-learn's default bounds): the frequencies are the vocabulary's as they are.
    let (df, cf) = if keep.len() == df.len() {
        (df, cf)
    } else {
        (keep.iter().map(|&j| df[j]).collect(), keep.iter().map(|&j| cf[j]).collect())
    };
    let idf = idfs(params, n, df.iter().copied());
    let vocab = Vocabulary { terms: StringList::new(), display: StringList::new(), lang: Vec::new(), df, cf, idf };
    Ok((TfidfModel { params: params.clone(), vocab }, keep))
}

/// The kept terms of `terms` (all of them, as they are, where every term is kept) and their languages.
fn kept_terms(keep: &[usize], terms: Cow<StringList>, concept: &[bool]) -> (StringList, Vec<TermLang>) {
    let kept = kept_strings(terms, keep);
    let lang = (0..keep.len()).into_par_iter().map(|k| TermLang::of(&kept[k], concept[keep[k]])).collect();
    (kept, lang)
}

/// The kept terms' strings of `list` (one a term): the list as it is where every term is kept, else those kept,
/// copied in parallel.
fn kept_strings(list: Cow<StringList>, keep: &[usize]) -> StringList {
    if keep.len() == list.len() {
        list.into_owned()
    } else {
        StringList::par_from_fn(keep.len(), |k| &list[keep[k]])
    }
}

/// The column of each of `n` counted terms (`u32::MAX`: dropped), from the kept ones in order.
fn columns(keep: &[usize], n: usize) -> Vec<u32> {
    let mut column = vec![u32::MAX; n];
    for (new, &old) in keep.iter().enumerate() {
        column[old] = new as u32;
    }
    column
}

/// Document and corpus frequency of every counted term, summed over blocks of entries in parallel.
fn frequencies(counts: &Counts) -> (Vec<u32>, Vec<u64>) {
    const ENTRIES_PER_TASK: usize = 1 << 18;
    let width = counts.terms.len();
    counts
        .indices
        .par_chunks(ENTRIES_PER_TASK)
        .zip(counts.values.par_chunks(ENTRIES_PER_TASK))
        .fold(
            || (vec![0u32; width], vec![0u64; width]),
            |(mut df, mut cf), (indices, values)| {
                add_frequencies(indices, values, &mut df, &mut cf);
                (df, cf)
            },
        )
        .reduce_with(|(mut df, mut cf), (df2, cf2)| {
            df.iter_mut().zip(df2).for_each(|(a, b)| *a += b);
            cf.iter_mut().zip(cf2).for_each(|(a, b)| *a += b);
            (df, cf)
        })
        .unwrap_or_else(|| (vec![0; width], vec![0; width]))
}

/// Adds count entries (term ids `indices`, each at most once per row, with their `values`) to the terms' document
/// frequencies `df` and corpus frequencies `cf`.
fn add_frequencies(indices: &[u32], values: &[u32], df: &mut [u32], cf: &mut [u64]) {
    for (&j, &c) in indices.iter().zip(values) {
        df[j as usize] += 1;
        cf[j as usize] += u64::from(c);
    }
}

/// The IDF of each of `dfs`, computed once per document frequency below a bound rather than once per term: most
/// terms share a small df (a logarithm for each of the tens of thousands of terms was a millisecond on one core).
fn idfs(params: &TfidfParams, n: usize, dfs: impl Iterator<Item = u32>) -> Vec<f64> {
    const MEMO: usize = 1 << 12;
    let mut memo = vec![None; MEMO];
    dfs.map(|df| match memo.get_mut(df as usize) {
        Some(known) => *known.get_or_insert_with(|| idf_of(params, n, df)),
        None => idf_of(params, n, df),
    })
    .collect()
}

fn idf_of(params: &TfidfParams, n: usize, df: u32) -> f64 {
    if !params.use_idf {
        return 1.0;
    }
    let s = if params.smooth_idf { 1.0 } else { 0.0 };
    ((n as f64 + s) / (df as f64 + s)).ln() + 1.0
}

/// The counts over the kept columns (`column[old]`, `u32::MAX` when dropped) as a CSR matrix: raw counts, or
/// weighed by `model` when given. Rows are filled in parallel, straight into the matrix's arrays.
fn select(counts: &Counts, column: &[u32], width: usize, model: Option<&TfidfModel>) -> CsMat<f64> {
    let n = counts.n_docs();
    let kept = |d: usize| &counts.indices[counts.indptr[d]..counts.indptr[d + 1]];
    let indptr = if column.iter().all(|&k| k != u32::MAX) {
        counts.indptr.clone()
    } else {
        let lengths: Vec<usize> = (0..n)
            .into_par_iter()
            .map(|d| kept(d).iter().filter(|&&j| column[j as usize] != u32::MAX).count())
            .collect();
        let mut indptr = Vec::with_capacity(n + 1);
        indptr.push(0);
        for len in lengths {
            indptr.push(indptr[indptr.len() - 1] + len);
        }
        indptr
    };
    let (indices, data) = fill_rows(&indptr, |rows, writer| {
        for d in rows {
            let start = writer.len();
            let (a, b) = (counts.indptr[d], counts.indptr[d + 1]);
            for (&j, &c) in counts.indices[a..b].iter().zip(&counts.values[a..b]) {
                let col = column[j as usize];
                if col != u32::MAX {
                    writer.push(col as usize, c as f64);
                }
            }
            if let Some(model) = model {
                let (cols, weights) = writer.written_from(start);
                model.weigh_row(cols, weights);
            }
        }
    });
    // Columns stay sorted: `column` keeps the order of the sorted vocabulary.
    CsMat::new((n, width), indptr, indices, data)
}

impl TfidfModel {
    /// TF-IDF rows of raw count rows over this model's vocabulary.
    pub fn weigh(&self, raw: &CsMat<f64>) -> CsMat<f64> {
        let ptr = raw.indptr().raw_storage().to_vec();
        let base = ptr[0];
        let (indices, data) = fill_rows(&ptr, |rows, writer| {
            for r in rows {
                let (a, b) = (ptr[r] - base, ptr[r + 1] - base);
                let start = writer.len();
                writer.extend_from_slices(&raw.indices()[a..b], &raw.data()[a..b]);
                let (cols, weights) = writer.written_from(start);
                self.weigh_row(cols, weights);
            }
        });
        let indptr = ptr.iter().map(|p| p - base).collect();
        CsMat::new(raw.shape(), indptr, indices, data)
    }

    /// Weighs one row in place: `w` holds the counts of the columns `cols`.
    fn weigh_row<I: SpIndex>(&self, cols: &[I], w: &mut [f64]) {
        let p = &self.params;
        let idf = &self.vocab.idf;
        if p.sublinear_tf {
            let table = &*SUBLINEAR_TF;
            for (x, &j) in w.iter_mut().zip(cols) {
                *x = sublinear_tf(*x, table) * idf[j.index()];
            }
        } else {
            for (x, &j) in w.iter_mut().zip(cols) {
                *x *= idf[j.index()];
            }
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
        select(counted, &column, self.vocab.len(), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Analyzer, AnalyzerConfig};
    use crate::vectorize::{count_shares, DfBound};

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
        // Terms every thread meets and terms only one does; long terms that share their first fifteen bytes (their
        // order keys tie); Korean stems; and, with the glossary on, concepts every session knows but few texts hold.
        let long = ["counterproliferation", "counterproliferations", "counterproliferationist", "한미동맹국가들의"];
        let docs: Vec<String> = (0..400)
            .map(|i| {
                let (a, b) = (DOCS[i % 4], DOCS[(i * 7) % 4]);
                format!("{a} alliance {b} doc{} {} only{i} 한미동맹은 extended deterrence", i % 13, long[i % 4])
            })
            .collect();
        let glossary = Analyzer::new(&AnalyzerConfig { stopwords: false, ..AnalyzerConfig::default() }).unwrap();
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let plain = pool.install(|| fit_transform(&analyzer(), &docs, &TfidfParams::default()).unwrap());
            (plain, pool.install(|| fit_transform(&glossary, &docs, &TfidfParams::default()).unwrap()))
        };
        let one = run(1);
        assert!(one.0.model.vocab.terms.iter().any(|t| t.starts_with("counterproliferation") && t.len() > 20));
        for threads in [2, 3, 4] {
            let many = run(threads);
            for (one, many) in [(&one.0, &many.0), (&one.1, &many.1)] {
                assert_eq!(one.model, many.model, "{threads} threads");
                assert_eq!(one.tfidf, many.tfidf, "{threads} threads");
            }
        }
    }

    #[test]
    fn the_three_ways_to_weigh_agree_across_many_blocks() {
        // Enough entries for several parallel blocks, terms dropped by min_df inside rows, and some rows long enough to
        // be put in order by a `RowOrder` rather than sorted.
        let docs: Vec<String> = (0..6000)
            .map(|i| {
                let words = if i % 50 == 0 { 90 } else { 12 };
                (0..words).map(|k| format!("w{} ", (i * 31 + k * 17) % (50 + i % 900))).collect::<String>()
            })
            .collect();
        let params = TfidfParams { min_df: DfBound::Count(3), sublinear_tf: true, ..TfidfParams::default() };
        let counts = count(&analyzer(), &docs);
        let v = fit(&counts, &params).unwrap();
        assert!(v.model.vocab.len() < counts.terms.len() && v.tfidf.nnz() > 3 << 14);
        let analyzer = analyzer();
        let counted = count_shares(&analyzer, &docs);
        let (model, tfidf) = counted.fit_tfidf(&params).unwrap();
        tfidf.check_compressed_structure().expect("rows by column, within the vocabulary");
        let tfidf: CsMat<f64> = tfidf.to_other_types();
        assert_eq!((&model, &tfidf), (&v.model, &v.tfidf));
        assert_eq!(model.weigh(&v.counts), tfidf);
        // Straight from the threads' counts also where every term is kept, or the most frequent few.
        for params in [TfidfParams::default(), TfidfParams { max_features: Some(40), ..TfidfParams::default() }] {
            let v = fit(&counts, &params).unwrap();
            let (model, tfidf) = counted.fit_tfidf(&params).unwrap();
            tfidf.check_compressed_structure().expect("rows by column, within the vocabulary");
            assert_eq!((model, tfidf.to_other_types()), (v.model, v.tfidf));
        }
        let raw = model.counts_of(&counts);
        assert_eq!(raw, v.counts);
        // Each row's weights by hand: sublinear tf times idf, l2-normalized.
        for (row, weights) in raw.outer_iterator().zip(tfidf.outer_iterator()) {
            let w: Vec<f64> = row.iter().map(|(j, &c)| (c.ln() + 1.0) * model.vocab.idf[j]).collect();
            let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
            let expected: Vec<f64> = w.iter().map(|x| x / norm).collect();
            assert_eq!(weights.data(), expected.as_slice());
        }
    }

    #[test]
    fn sublinear_tf_is_the_logarithm_to_the_last_bit() {
        for count in (0..300).map(f64::from).chain([0.5, 2.5, 255.5, 1e6, f64::INFINITY]) {
            assert_eq!(sublinear_tf(count, &SUBLINEAR_TF).to_bits(), (count.ln() + 1.0).to_bits(), "{count}");
        }
    }

    #[test]
    fn no_texts_are_an_error_saying_so_both_ways() {
        let none: [&str; 0] = [];
        let analyzer = analyzer();
        let straight = count_shares(&analyzer, &none).fit_tfidf(&TfidfParams::default()).unwrap_err();
        let merged = fit(&count(&analyzer, &none), &TfidfParams::default()).unwrap_err();
        assert_eq!(straight.to_string(), "no documents to fit a vocabulary on");
        assert_eq!(merged.to_string(), straight.to_string());
    }

    #[test]
    fn impossible_bounds_are_an_error() {
        let params = TfidfParams { min_df: DfBound::Count(3), max_df: DfBound::Count(2), ..TfidfParams::default() };
        assert!(fit_transform(&analyzer(), &DOCS, &params).is_err());
    }
}
