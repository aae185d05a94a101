//! Analyze: text into features, by an analyzer chain of small steps (segmentation, English and Korean
//! normalization, stop words, stemming, glossary concepts, n-grams).
//!
//! PLACEHOLDER CHAIN (issue 3 replaces it): unicode words, lowercased.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

/// The analyzer's options; the `[text]` table of `hanmi.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyzerConfig {
    /// Map Korean and English forms of one concept to one feature.
    pub glossary: bool,
    /// Drop English and Korean stop words.
    pub stopwords: bool,
    /// Word n-grams from `ngram_range[0]` to `ngram_range[1]` words.
    pub ngram_range: (usize, usize),
    /// How Korean words are cut into stems.
    pub korean: KoreanMode,
}

/// Korean analysis: suffix rules (default, fast, no dictionary) or a morphological analyzer (`ko-dic` feature).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum KoreanMode {
    #[default]
    Rules,
    Morph,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig { glossary: true, stopwords: true, ngram_range: (1, 1), korean: KoreanMode::Rules }
    }
}

/// One feature of a text: the `term` it counts as, and the `surface` word it was read from (for display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub term: &'a str,
    pub surface: &'a str,
}

/// Anything that turns a text into features: the word analyzer, or character n-grams for classifiers.
/// The vectorizer counts whatever a `Tokenize` emits.
pub trait Tokenize: Sync {
    /// Calls `emit` with each feature of `text`, in text order.
    fn for_each_token(&self, text: &str, emit: &mut dyn FnMut(Token<'_>));
}

impl Tokenize for Analyzer {
    fn for_each_token(&self, text: &str, emit: &mut dyn FnMut(Token<'_>)) {
        Analyzer::for_each_token(self, text, emit)
    }
}

/// A built analyzer chain; cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Analyzer {
    config: AnalyzerConfig,
}

impl Analyzer {
    pub fn new(config: &AnalyzerConfig) -> anyhow::Result<Analyzer> {
        Ok(Analyzer { config: config.clone() })
    }

    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// Calls `emit` with each feature of `text`, in text order.
    pub fn for_each_token(&self, text: &str, mut emit: impl FnMut(Token<'_>)) {
        for word in text.unicode_words() {
            let term = word.to_lowercase();
            emit(Token { term: &term, surface: word });
        }
    }

    /// The features of `text` as owned strings.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_token(text, |t| out.push(t.term.to_string()));
        out
    }
}
