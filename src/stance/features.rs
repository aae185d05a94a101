//! Features for the stance classifier: word n-grams from the hanmi analyzer and character n-grams within word
//! boundaries (scikit-learn's `char_wb`), each block weighted by its own TF-IDF and the two set side by side.
//!
//! Texts are tokenized once ([`Featurizer::count`]); the vocabularies and IDF are fitted on the rows of the
//! training folds only ([`FeatureModel::fit`]), so nothing of a test fold leaks into its features.

use std::borrow::Cow;

use anyhow::{Context, Result};
use sprs::CsMat;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::text::{Analyzer, AnalyzerConfig, TokenSession, Tokenize};
use crate::vectorize::{self, gather_rows, Counts, DfBound, TfidfModel, TfidfParams};

/// foldhash, as the analyzer's session: short string keys.
type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// Character n-grams of `min..=max` characters inside each whitespace-separated word padded with one space on
/// each side, after lowercasing: scikit-learn's `TfidfVectorizer(analyzer="char_wb")` feature for feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharWbNgrams {
    pub min: usize,
    pub max: usize,
}

impl Tokenize for CharWbNgrams {
    type Session<'s> = CharWbSession;
    fn session(&self) -> CharWbSession {
        CharWbSession { ngrams: *self, ..CharWbSession::default() }
    }
}

/// A worker of [`CharWbNgrams`]: interns n-grams and caches each distinct word's n-gram ids.
#[derive(Debug, Default)]
pub struct CharWbSession {
    ngrams: CharWbNgrams,
    /// Word → range of `word_grams`.
    words: FastMap<Box<str>, (u32, u32)>,
    word_grams: Vec<u32>,
    ids: FastMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
    /// Occurrences of each n-gram, for `for_each_surface`.
    seen: Vec<u64>,
    padded: Vec<char>,
    gram: String,
}

impl Default for CharWbNgrams {
    fn default() -> Self {
        CharWbNgrams { min: 2, max: 5 }
    }
}

impl CharWbSession {
    fn intern(&mut self, gram: &str) -> u32 {
        if let Some(&id) = self.ids.get(gram) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(gram.into());
        self.ids.insert(gram.into(), id);
        self.seen.push(0);
        id
    }

    /// The n-gram ids of one word, computed the first time the word is seen.
    fn word(&mut self, word: &str) -> (u32, u32) {
        if let Some(&range) = self.words.get(word) {
            return range;
        }
        let start = self.word_grams.len() as u32;
        let mut padded = std::mem::take(&mut self.padded);
        padded.clear();
        padded.push(' ');
        padded.extend(word.chars());
        padded.push(' ');
        let len = padded.len();
        // As scikit-learn's `_char_wb_ngrams`: every window of n characters; a word shorter than n (with its
        // padding) counts once as a whole, and then no longer n is tried.
        for n in self.ngrams.min..=self.ngrams.max {
            let mut offset = 0;
            loop {
                let end = (offset + n).min(len);
                let mut gram = std::mem::take(&mut self.gram);
                gram.clear();
                gram.extend(&padded[offset..end]);
                let id = self.intern(&gram);
                self.gram = gram;
                self.word_grams.push(id);
                if offset + n >= len {
                    break;
                }
                offset += 1;
            }
            if offset == 0 {
                break;
            }
        }
        self.padded = padded;
        let range = (start, self.word_grams.len() as u32);
        self.words.insert(word.into(), range);
        range
    }
}

impl TokenSession for CharWbSession {
    fn tokens(&mut self, text: &str, out: &mut Vec<u32>) {
        let lower = text.to_lowercase();
        let text: Cow<str> = if lower.is_ascii() || is_nfc_quick(lower.chars()) == IsNormalized::Yes {
            Cow::Borrowed(&lower)
        } else {
            Cow::Owned(lower.nfc().collect())
        };
        for word in text.split_whitespace() {
            let (a, b) = self.word(word);
            for k in a..b {
                let id = self.word_grams[k as usize];
                self.seen[id as usize] += 1;
                out.push(id);
            }
        }
    }

    fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    fn term_count(&self) -> usize {
        self.terms.len()
    }

    fn for_each_surface<'s>(&'s self, f: &mut dyn FnMut(u32, Option<&'s str>, u64)) {
        for (id, &count) in self.seen.iter().enumerate() {
            if count > 0 {
                f(id as u32, None, count);
            }
        }
    }
}

/// How texts become feature rows.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureConfig {
    /// The word analyzer (its `ngram_range` gives the word n-grams).
    pub words: AnalyzerConfig,
    pub chars: CharWbNgrams,
    /// TF-IDF of each block.
    pub tfidf: TfidfParams,
}

impl FeatureConfig {
    /// Word 1–3-grams and character 2–5-grams, sublinear tf, min_df 2, l2 per block. The word analyzer keeps
    /// stop words: "not", "no" and "never" carry stance.
    pub fn standard(text: &AnalyzerConfig) -> FeatureConfig {
        FeatureConfig {
            words: AnalyzerConfig { ngram_range: (1, 3), stopwords: false, ..text.clone() },
            chars: CharWbNgrams { min: 2, max: 5 },
            tfidf: TfidfParams { min_df: DfBound::Count(2), sublinear_tf: true, ..TfidfParams::default() },
        }
    }
}

/// The tokenizers of both blocks.
#[derive(Debug)]
pub struct Featurizer {
    analyzer: Analyzer,
    chars: CharWbNgrams,
    tfidf: TfidfParams,
}

/// Term counts of a set of texts in both blocks, before any vocabulary is fixed.
#[derive(Debug, Clone)]
pub struct CountedTexts {
    pub words: Counts,
    pub chars: Counts,
}

impl Featurizer {
    pub fn new(config: &FeatureConfig) -> Result<Featurizer> {
        let analyzer = Analyzer::new(&config.words)?;
        Ok(Featurizer { analyzer, chars: config.chars, tfidf: config.tfidf.clone() })
    }

    /// Tokenizes and counts `texts` in both blocks (in parallel), web addresses left out.
    pub fn count<T: AsRef<str> + Sync>(&self, texts: &[T]) -> CountedTexts {
        let texts: Vec<Cow<str>> = texts.iter().map(|t| without_urls(t.as_ref())).collect();
        CountedTexts { words: vectorize::count(&self.analyzer, &texts), chars: vectorize::count(&self.chars, &texts) }
    }

    pub fn tfidf(&self) -> &TfidfParams {
        &self.tfidf
    }
}

impl CountedTexts {
    pub fn n_docs(&self) -> usize {
        self.words.n_docs()
    }

    /// The counts of the records `rows`, in that order (the vocabulary stays the whole one; fitting drops the
    /// terms these rows do not use).
    pub fn rows(&self, rows: &[usize]) -> CountedTexts {
        CountedTexts { words: select_rows(&self.words, rows), chars: select_rows(&self.chars, rows) }
    }
}

/// `text` without its web addresses (words starting, after any opening punctuation, with `http://`, `https://`
/// or `www.`). A shortened link such as `https://t.co/2VuwRqtJZf` is a random string: its pieces are noise to
/// n-gram features (on the press tweets, leaving links out raised cross-validated accuracy by about 0.01).
pub fn without_urls(text: &str) -> Cow<'_, str> {
    let is_url = |word: &str| {
        let w = word.trim_start_matches(|c: char| !c.is_alphanumeric()).as_bytes();
        ["http://", "https://", "www."]
            .iter()
            .any(|p| w.len() >= p.len() && w[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
    };
    if !text.split_whitespace().any(is_url) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        out.push_str(if is_url(word) { &piece[word.len()..] } else { piece });
    }
    Cow::Owned(out)
}

fn select_rows(counts: &Counts, rows: &[usize]) -> Counts {
    let (indptr, indices, values) = gather_rows(rows, |r| {
        let range = counts.indptr[r]..counts.indptr[r + 1];
        (&counts.indices[range.clone()], &counts.values[range])
    });
    Counts {
        terms: counts.terms.clone(),
        display: counts.display.clone(),
        concept: counts.concept.clone(),
        indptr,
        indices,
        values,
    }
}

/// The two fitted TF-IDF blocks; feature `j` is word column `j` below `words.vocab.len()`, else a char column.
#[derive(Debug, Clone)]
pub struct FeatureModel {
    pub words: TfidfModel,
    pub chars: TfidfModel,
}

impl FeatureModel {
    /// Fits both blocks on `train` and returns the model with the training rows.
    pub fn fit(train: &CountedTexts, params: &TfidfParams) -> Result<(FeatureModel, CsMat<f64>)> {
        let words = vectorize::fit(&train.words, params).context("word n-gram features")?;
        let chars = vectorize::fit(&train.chars, params).context("character n-gram features")?;
        let x = hstack(&words.tfidf, &chars.tfidf);
        Ok((FeatureModel { words: words.model, chars: chars.model }, x))
    }

    /// Feature rows of other texts with the fitted vocabularies and IDF.
    pub fn transform(&self, counted: &CountedTexts) -> CsMat<f64> {
        let words = self.words.weigh(&self.words.counts_of(&counted.words));
        let chars = self.chars.weigh(&self.chars.counts_of(&counted.chars));
        hstack(&words, &chars)
    }

    pub fn n_features(&self) -> usize {
        self.words.vocab.len() + self.chars.vocab.len()
    }

    /// A feature as a person reads it: the surface words of a word n-gram, or a character n-gram between ‹ and ›
    /// (quotes are often part of the n-gram) with its word-boundary spaces shown as `_`.
    pub fn feature_name(&self, j: usize) -> String {
        let w = self.words.vocab.len();
        if j < w {
            self.words.vocab.display[j].to_string()
        } else {
            format!("‹{}›", self.chars.vocab.terms[j - w].replace(' ', "_"))
        }
    }
}

/// Rows of `left` followed, column-wise, by the rows of `right` (both CSR with the same number of rows).
fn hstack(left: &CsMat<f64>, right: &CsMat<f64>) -> CsMat<f64> {
    let offset = left.cols();
    let (mut indptr, mut indices, mut data) = (vec![0], Vec::new(), Vec::new());
    for (l, r) in left.outer_iterator().zip(right.outer_iterator()) {
        indices.extend(l.indices().iter().copied());
        data.extend_from_slice(l.data());
        indices.extend(r.indices().iter().map(|&j| j + offset));
        data.extend_from_slice(r.data());
        indptr.push(indices.len());
    }
    CsMat::new((left.rows(), offset + right.cols()), indptr, indices, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grams(text: &str, min: usize, max: usize) -> Vec<String> {
        let mut session = CharWbNgrams { min, max }.session();
        let mut ids = Vec::new();
        session.tokens(text, &mut ids);
        ids.iter().map(|&id| session.term(id).to_string()).collect()
    }

    #[test]
    fn char_wb_ngrams_are_scikit_learns() {
        // TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()("Hi 북한이  a")
        let expected = [
            " h",
            "hi",
            "i ",
            " hi",
            "hi ",
            " hi ",
            " 북",
            "북한",
            "한이",
            "이 ",
            " 북한",
            "북한이",
            "한이 ",
            " 북한이",
            "북한이 ",
            " 북한이 ",
            " a",
            "a ",
            " a ",
        ];
        assert_eq!(grams("Hi 북한이  a", 2, 5), expected);
        // A padded word shorter than n counts once, and no longer n follows.
        assert_eq!(grams("x", 4, 6), [" x "]);
        assert_eq!(grams("", 2, 5), Vec::<String>::new());
    }

    #[test]
    fn web_addresses_are_left_out() {
        assert_eq!(without_urls("집값 들썩 https://t.co/2VuwRqtJZf (HTTP://x.kr)\nwww.a.kr end"), "집값 들썩  \n end");
        assert!(matches!(without_urls("no links, http"), Cow::Borrowed(_)));
    }

    #[test]
    fn blocks_are_fitted_on_training_rows_only() {
        let texts = ["alliance talks", "alliance talks resume", "sanctions pressure", "sanctions pressure rise"];
        let config = FeatureConfig::standard(&AnalyzerConfig { glossary: false, ..AnalyzerConfig::default() });
        let featurizer = Featurizer::new(&config).unwrap();
        let counted = featurizer.count(&texts);
        let (model, x) = FeatureModel::fit(&counted.rows(&[0, 1]), featurizer.tfidf()).unwrap();
        // min_df 2 over the two training rows: "allianc", "talk", "allianc talk"; nothing of "sanctions".
        assert_eq!(model.words.vocab.terms, ["allianc", "allianc talk", "talk"]);
        // scikit-learn's char_wb (2, 5) with min_df=2 on the same two texts keeps 47 n-grams, " a" first.
        assert_eq!(model.chars.vocab.len(), 47);
        assert_eq!(x.rows(), 2);
        assert_eq!(x.cols(), model.n_features());
        // Each block is l2-normalized on its own, so a row has norm sqrt(2).
        let norm: f64 = x.outer_view(0).unwrap().data().iter().map(|v| v * v).sum();
        assert!((norm - 2.0).abs() < 1e-12);
        let test = model.transform(&counted.rows(&[2]));
        assert_eq!(test.cols(), x.cols());
        assert_eq!(model.feature_name(1), "alliance talks");
        assert_eq!(model.feature_name(3), "‹_a›");
    }
}
