//! Analyze: text into features, by a chain of small steps built from the config.
//!
//! ```text
//! text ─► NFC ─► words (UAX #29) ─► script runs ─┬─ Latin  ─► acronyms, lowercase, possessive, stop words, Snowball
//!                                                ├─ Hangul ─► particles and endings stripped (or ko-dic morphemes), stop words, [bigrams]
//!                                                └─ digits ─► years only
//!        ─► glossary concepts (longest phrase first) ─► word n-grams
//! ```
//! Each word's analysis is computed once per [`Session`] and cached, so the chain's cost is paid per distinct
//! word, not per token; the hot loop is a hash lookup and a copy of small integers. Korean words under the suffix
//! rules are the exception: a third of them are new, so they are stemmed at every occurrence (a walk of a trie of
//! reversed suffixes, cheaper than caching them) and their stems looked up among the terms.

mod english;
pub mod glossary;
mod korean;
#[cfg(feature = "ko-dic")]
mod morph;
mod segment;
mod session;
mod strings;

use std::collections::HashSet;

/// foldhash, not SipHash: every distinct word looks up stop words, and every Korean one several suffixes and
/// protected nouns; the keys are the analyzer's own lists, not an adversary's.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

pub use english::year;
use english::EnglishFilter;
pub use glossary::Concept;
use korean::KoreanStemmer;
pub use segment::{for_each_run, Script};
use session::GlossaryStart;
pub use session::{Session, TokenSession};
pub use strings::StringList;

/// Asks the CPU to start loading the first two cache lines of a text that is about to be analyzed. Texts are
/// separate allocations, which the hardware prefetcher does not follow from one to the next: on short texts
/// (headlines) waiting for each one's first bytes was a third of segmenting them.
pub fn prefetch_text(text: &str) {
    prefetch(text.as_ptr());
    if text.len() > 64 {
        prefetch(text.as_bytes()[64..].as_ptr());
    }
}

/// Asks the CPU to start loading the cache line at `at`.
#[inline]
fn prefetch<T>(at: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: SSE is part of every x86_64 target, and a prefetch only hints the cache: it reads nothing and
        // cannot fault, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(at.cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// The built-in stop words, `data/builtin/stopwords.toml`.
const BUILTIN_STOPWORDS: &str = include_str!("../../data/builtin/stopwords.toml");

/// The analyzer's options; the `[text]` table of `hanmi.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyzerConfig {
    /// Map Korean and English forms of one concept to one feature.
    pub glossary: bool,
    /// Concepts added to (or, with the same forms, conflicting with) the built-in glossary.
    pub extra_concepts: Vec<Concept>,
    /// Drop English and Korean stop words.
    pub stopwords: bool,
    /// Words added to the stop-word lists (either language).
    pub extra_stopwords: Vec<String>,
    /// Word n-grams from `ngram_range[0]` to `ngram_range[1]` words, as scikit-learn's `ngram_range`.
    pub ngram_range: (usize, usize),
    /// How Korean words are cut into stems.
    pub korean: KoreanMode,
    /// Also cut the suffix 적 (전략적 → 전략).
    pub korean_strip_jeok: bool,
    /// Count Korean stems as overlapping syllable bigrams (Lucene's CJK bigram filter), not whole.
    pub korean_bigrams: bool,
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
        AnalyzerConfig {
            glossary: true,
            extra_concepts: Vec::new(),
            stopwords: true,
            extra_stopwords: Vec::new(),
            ngram_range: (1, 1),
            korean: KoreanMode::Rules,
            korean_strip_jeok: false,
            korean_bigrams: false,
        }
    }
}

/// Anything that turns texts into features: the word analyzer, or character n-grams for classifiers.
/// The vectorizer counts whatever a session of it emits.
pub trait Tokenize: Sync {
    type Session<'s>: TokenSession
    where
        Self: 's;
    /// A worker with its own caches; open one per thread or per chunk of records.
    fn session(&self) -> Self::Session<'_>;
}

#[derive(Debug, Deserialize)]
struct StopwordFile {
    en: Vec<String>,
    ko: Vec<String>,
}

/// A built analyzer chain; cheap to share across threads (each thread opens its own [`Session`]).
#[derive(Debug)]
pub struct Analyzer {
    config: AnalyzerConfig,
    english: EnglishFilter,
    korean: KoreanStemmer,
    #[cfg(feature = "ko-dic")]
    morph: Option<morph::Morph>,
    /// Glossary forms left out (see [`glossary::compile`]), for the manifest.
    warnings: Vec<String>,
    /// The glossary's forms as term sequences, each with its concept, as every session starts with them; empty
    /// without the glossary.
    session_start: GlossaryStart,
}

impl Analyzer {
    pub fn new(config: &AnalyzerConfig) -> Result<Analyzer> {
        if config.ngram_range.0 == 0 || config.ngram_range.0 > config.ngram_range.1 {
            bail!("ngram_range {:?}: the smallest n must be at least 1 and at most the largest", config.ngram_range);
        }
        let lists: StopwordFile = toml::from_str(BUILTIN_STOPWORDS).context("data/builtin/stopwords.toml")?;
        let extra = config.extra_stopwords.iter().cloned();
        let en: HashSet<String> = lists.en.into_iter().chain(extra.clone()).map(|w| w.to_lowercase()).collect();
        let ko: HashSet<String> = lists.ko.into_iter().chain(extra).collect();
        #[cfg(not(feature = "ko-dic"))]
        if config.korean == KoreanMode::Morph {
            bail!("--korean morph needs hanmi built with the ko-dic feature: cargo build --release --features ko-dic");
        }
        let mut analyzer = Analyzer {
            english: EnglishFilter::new(en, config.stopwords),
            korean: KoreanStemmer::new(ko, config.stopwords, config.korean_strip_jeok)?,
            #[cfg(feature = "ko-dic")]
            morph: if config.korean == KoreanMode::Morph { Some(morph::Morph::load()?) } else { None },
            config: config.clone(),
            warnings: Vec::new(),
            session_start: GlossaryStart::new(&[]),
        };
        if config.glossary {
            let mut concepts = glossary::parse(glossary::BUILTIN_GLOSSARY, "data/builtin/glossary.toml")?;
            concepts.extend(config.extra_concepts.iter().cloned());
            let (phrases, conflicts) = glossary::compile(&concepts, |form| analyzer.word_terms(form));
            analyzer.session_start = GlossaryStart::new(&phrases);
            analyzer.warnings = conflicts;
        }
        Ok(analyzer)
    }

    /// What the analyzer left out of its glossary, and why.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// The features of `text` as owned strings, in text order.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        self.session().terms(text)
    }

    /// The terms of a text by the word steps alone (no glossary, no n-grams).
    fn word_terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_run(text, |run, script| self.run_terms(run, script, &mut |term, _| out.push(term.to_string())));
        out
    }

    /// The terms of one script run, each with the surface form a person reads for it.
    fn run_terms(&self, run: &str, script: Script, emit: &mut dyn FnMut(&str, &str)) {
        match script {
            Script::Latin => {
                if !self.english.word(run, emit) && run.contains('.') {
                    // `www.mofa.go.kr`, `e.g`: the parts are words of their own.
                    for part in run.split('.').filter(|p| !p.is_empty()) {
                        self.english.word(part, emit);
                    }
                }
            }
            Script::Digits => {
                if let Some(y) = year(run) {
                    emit(y, y)
                }
            }
            Script::Hangul => self.korean_terms(run, emit),
            Script::Other => {
                let lower = run.to_lowercase();
                emit(&lower, &lower)
            }
        }
    }

    /// For a run whose terms are those of its lowercase form (`Alliance`), that form, written into `buf`.
    fn lowercase_twin<'b>(&self, run: &str, script: Script, buf: &'b mut [u8; 48]) -> Option<&'b str> {
        match script {
            Script::Latin => self.english.lowercase_twin(run, buf),
            _ => None,
        }
    }

    fn korean_terms(&self, run: &str, emit: &mut dyn FnMut(&str, &str)) {
        #[cfg(feature = "ko-dic")]
        if let Some(morph) = &self.morph {
            for stem in morph.stems(run) {
                if !self.korean.is_stopword(&stem) {
                    self.emit_korean(&stem, emit);
                }
            }
            return;
        }
        if let Some(stem) = self.korean.stem(run) {
            self.emit_korean(stem, emit);
        }
    }

    fn emit_korean(&self, stem: &str, emit: &mut dyn FnMut(&str, &str)) {
        if self.config.korean_bigrams {
            for bigram in korean::bigrams(stem) {
                emit(bigram, stem);
            }
        } else {
            emit(stem, stem);
        }
    }
}

impl Tokenize for Analyzer {
    type Session<'s> = Session<'s>;
    fn session(&self) -> Session<'_> {
        Session::new(self)
    }
}

#[cfg(test)]
mod tests;
