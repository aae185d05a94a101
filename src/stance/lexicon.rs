//! Lexicon stance: where a text stands on named axes (the alliance: cooperation ↔ strain; North Korea policy:
//! engagement ↔ pressure), from the pole terms of `data/builtin/stance.toml` found in it, with negation.
//!
//! Pole terms and texts go through the same analyzer, word by word, so inflected and stemmed forms match
//! (strengthened → strengthen, 강화했다 → 강화) and a term of several words matches as a sequence of terms,
//! longest first. Stop words are kept, because the negation cues (not, no, never) are stop words. A Korean word
//! the analyzer leaves whole (흔들리고, 철통같은, 협력하지않았다) matches a one-word Korean pole term that begins
//! it: the suffix rules only strip the endings they know, and Korean glues endings and nouns to a stem.
//!
//! Negation flips a term's polarity. English cues come before what they negate ("did not strengthen"), within
//! `window` words; Korean cues come after, because Korean negation follows the verb (협력하지 않았다, 대화 없이):
//! a word within `window` words after the term that begins with a cue morpheme, with nothing between but the
//! negated verb (강화하지), 수 or an adverb of negation, or the cue inside the term's own word after its stem
//! (대화없이). Neither reaches across a sentence end; an even number of cues cancels out.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::StanceConfig;
use crate::text::{for_each_run, Analyzer, AnalyzerConfig, Script, Session, TokenSession, Tokenize};
use negation::{EnglishCue, Negated, NegationCues};

/// The built-in axes and negation cues.
const BUILTIN_LEXICON: &str = include_str!("../../data/builtin/stance.toml");
const BUILTIN_ORIGIN: &str = "data/builtin/stance.toml";
/// Evidence lists at most this many matches, then `…`.
const EVIDENCE_ITEMS: usize = 12;
/// What may follow a Korean pole term inside a word for the word to count as the term: particles, the endings
/// of verbs and adjectives (하다, 되다, 흔들리다), adverbs (-히) and derived nouns (-적, -력, -책). A word that
/// goes on otherwise is another word that begins the same way (강경화, a name; 이탈리아, Italy).
const KOREAN_CONTINUATIONS: &[&str] = &[
    "하", "한", "할", "함", "합", "해", "했", "되", "된", "될", "됨", "됐", "돼", "됩", "시", "당", "받", "히", "적",
    "스", "롭", "같", "감", "력", "책", "론", "파", "국", "성", "어", "었", "고", "며", "면", "지", "는", "던", "게",
    "이", "가", "을", "를", "은", "의", "에", "와", "과", "도", "로", "으", "만", "리고", "리는", "리지", "리며",
    "리면", "리게", "리던", "린", "렸", "려", "릴",
];
/// One stance axis as written in the lexicon or in `hanmi.toml`: two named poles and the terms of each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    pub id: String,
    /// The name of the positive pole (`cooperation`).
    pub positive: String,
    /// The name of the negative pole (`strain`).
    pub negative: String,
    #[serde(default)]
    pub positive_terms: Vec<String>,
    #[serde(default)]
    pub negative_terms: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    negation: NegationCues,
    axis: Vec<Axis>,
}

/// An axis and the names of its poles, for report headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxisInfo {
    pub id: String,
    pub positive: String,
    pub negative: String,
}

/// A text's stance on one axis.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisScore {
    pub axis: String,
    /// (P − N) / (P + N) over the matched terms after negation, in [−1, 1]; `None` when no term matched.
    pub score: Option<f64>,
    /// `positive`, `negative`, `neutral` (|score| below the neutral band) or `none` (no term matched).
    pub label: &'static str,
    /// The label in the axis's own words: the pole's name (`cooperation`, `strain`), `neutral` or `none`.
    pub pole_label: String,
    /// How many pole terms matched.
    pub matches: usize,
    /// The matched words in text order with the sign they counted with, negated ones marked with their cue:
    /// `+strengthen; -(not) dialogue; -강화하지 (않았다)`.
    pub evidence: String,
}

/// A pole of an axis: +1 positive, −1 negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pole {
    axis: usize,
    sign: i8,
}

/// Scores texts on the lexicon's axes; cheap to share across threads.
#[derive(Debug)]
pub struct LexiconStance {
    analyzer: Analyzer,
    axes: Vec<Axis>,
    neutral_band: f64,
    window: usize,
    /// Pole terms by their first term: the terms that must follow and the pole, longest first.
    sequences: HashMap<String, Vec<(Vec<String>, Pole)>>,
    /// One-word Korean pole terms as written (two syllables or more), matched as the start of a Korean word.
    korean_forms: HashMap<String, Pole>,
    korean_form_chars: usize,
    english_cues: Vec<EnglishCue>,
    /// Korean cue morphemes decomposed into jamo, so that 아니 also begins 아닌 and 아님.
    korean_cues: Vec<(String, String)>,
    /// The first syllables of the Korean cues, to test most words with one comparison.
    korean_cue_initials: Vec<char>,
    whole_word_korean_cues: Vec<String>,
}

/// A worker that scores texts one after another and keeps the analyzer's caches between them; open one per
/// thread (opening one builds the analyzer's glossary tables, which costs about as much as scoring a page).
pub struct LexiconScorer<'a> {
    lexicon: &'a LexiconStance,
    session: Session<'a>,
}

/// A text cut into words (script runs) and their terms.
struct Document<'t> {
    text: &'t str,
    words: Vec<Word>,
    tokens: Vec<Token>,
}

/// A word: where it is, its script, its sentence, and its terms (`tokens[first_token..end_token]`).
#[derive(Debug)]
struct Word {
    start: usize,
    end: usize,
    script: Script,
    sentence: u32,
    first_token: usize,
    end_token: usize,
}

/// A term of a text and the word it came from.
#[derive(Debug, Clone, Copy)]
struct Token {
    word: usize,
    term: u32,
}

/// A match of a pole term: its last token, its pole, and for a Korean word matched by its start, where that
/// start ends (the rest of the word is its ending).
struct Match {
    last: usize,
    pole: Pole,
    stem_end: Option<usize>,
}

impl LexiconStance {
    /// Builds the built-in lexicon extended by `config`, with an analyzer of `analyzer_config` that keeps stop
    /// words (negation cues are stop words) and makes no n-grams.
    pub fn new(analyzer_config: &AnalyzerConfig, config: &StanceConfig) -> Result<LexiconStance> {
        if !config.neutral_band.is_finite() || !(0.0..1.0).contains(&config.neutral_band) {
            bail!("[stance] neutral_band = {}: it must be at least 0 and below 1", config.neutral_band);
        }
        let file: LexiconFile =
            toml::from_str(BUILTIN_LEXICON).with_context(|| format!("{BUILTIN_ORIGIN}: not a valid stance lexicon"))?;
        let axes = merge_axes(file.axis, &config.extra_axes)?;
        let analyzer =
            Analyzer::new(&AnalyzerConfig { stopwords: false, ngram_range: (1, 1), ..analyzer_config.clone() })?;
        let mut stance = LexiconStance {
            axes: Vec::new(),
            neutral_band: config.neutral_band,
            window: file.negation.window,
            sequences: HashMap::new(),
            korean_forms: HashMap::new(),
            korean_form_chars: 0,
            english_cues: Vec::new(),
            korean_cues: Vec::new(),
            korean_cue_initials: Vec::new(),
            whole_word_korean_cues: Vec::new(),
            analyzer,
        };
        stance.compile_terms(&axes)?;
        stance.compile_cues(&file.negation)?;
        stance.axes = axes;
        Ok(stance)
    }

    /// The axes in scoring order.
    pub fn axes(&self) -> Vec<AxisInfo> {
        self.axes
            .iter()
            .map(|a| AxisInfo { id: a.id.clone(), positive: a.positive.clone(), negative: a.negative.clone() })
            .collect()
    }

    fn compile_terms(&mut self, axes: &[Axis]) -> Result<()> {
        let mut session = self.analyzer.session();
        let mut places: HashMap<Vec<String>, (Pole, &str)> = HashMap::new();
        for (index, axis) in axes.iter().enumerate() {
            let poles = [(1, &axis.positive_terms), (-1, &axis.negative_terms)];
            for (sign, terms) in poles {
                for written in terms {
                    let pole = Pole { axis: index, sign };
                    let form = nfc(written);
                    let Document { words, tokens, .. } = analyze(&mut session, &form);
                    let seq: Vec<String> = tokens.iter().map(|t| session.term(t.term).to_string()).collect();
                    if seq.is_empty() {
                        bail!("stance axis {}: the term {form:?} has no words left after analysis", axis.id);
                    }
                    // A one-word Korean noun whose last syllable the suffix rules take for a particle (청구서 →
                    // 청구, a claim) would match other words: it matches as written only. Cutting a longer
                    // ending (협력하다 → 협력) is what the rules are for.
                    let cut = matches!(&words[..], [w] if w.script == Script::Hangul)
                        && matches!(&seq[..], [t] if form.strip_prefix(t.as_str()).is_some_and(|tail| tail.chars().count() == 1));
                    match places.get(&seq) {
                        // Two spellings of one term (sanctions, 제재) on the same pole.
                        Some(&(other, _)) if other == pole => {}
                        Some(&(other, other_form)) => bail!(
                            "stance lexicon: the term {form:?} ({}) and {other_form:?} ({}) are the same terms {seq:?}; \
                             a term belongs to one pole of one axis",
                            describe(axes, pole),
                            describe(axes, other)
                        ),
                        None if cut => {}
                        None => {
                            places.insert(seq, (pole, written.as_str()));
                        }
                    }
                    if let [word] = &words[..] {
                        let chars = form.chars().count();
                        if word.script == Script::Hangul && word.end - word.start == form.len() && chars >= 2 {
                            if self.korean_forms.insert(form.to_string(), pole).is_some_and(|other| other != pole) {
                                bail!("stance lexicon: the term {form:?} is on two poles ({})", describe(axes, pole));
                            }
                            self.korean_form_chars = self.korean_form_chars.max(chars);
                        }
                    }
                }
            }
        }
        for (seq, (pole, _)) in places {
            let mut seq = seq.into_iter();
            let first = seq.next().unwrap_or_default();
            self.sequences.entry(first).or_default().push((seq.collect(), pole));
        }
        for candidates in self.sequences.values_mut() {
            candidates.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        Ok(())
    }

    /// A scorer to score many texts with (one per thread).
    pub fn scorer(&self) -> LexiconScorer<'_> {
        LexiconScorer { lexicon: self, session: self.analyzer.session() }
    }

    /// The text's score on every axis, in axis order. For many texts, reuse a [`LexiconStance::scorer`].
    pub fn score(&self, text: &str) -> Vec<AxisScore> {
        self.scorer().score(text)
    }

    /// The pole term that starts at token `i`, longest first; for the first token of a Korean word that matched
    /// no term whole, the longest one-word Korean term that begins the word.
    fn match_at(&self, session: &Session<'_>, doc: &Document<'_>, i: usize) -> Option<Match> {
        let (tokens, words) = (&doc.tokens, &doc.words);
        let sentence = words[tokens[i].word].sentence;
        let candidates = self.sequences.get(session.term(tokens[i].term));
        let sequence = candidates.into_iter().flatten().find(|(rest, _)| {
            tokens.len() - i > rest.len()
                && rest
                    .iter()
                    .zip(&tokens[i + 1..])
                    .all(|(term, t)| words[t.word].sentence == sentence && session.term(t.term) == term.as_str())
        });
        if let Some((rest, pole)) = sequence {
            return Some(Match { last: i + rest.len(), pole: *pole, stem_end: None });
        }
        let word = &words[tokens[i].word];
        if word.script != Script::Hangul || word.first_token != i {
            return None;
        }
        let (stem, pole) = self.korean_prefix(doc.word(tokens[i].word))?;
        Some(Match { last: word.end_token - 1, pole, stem_end: Some(word.start + stem.len()) })
    }

    /// The longest one-word Korean pole term that begins `run` and is followed by an ending, or nothing.
    fn korean_prefix<'r>(&self, run: &'r str) -> Option<(&'r str, Pole)> {
        let mut longest = None;
        for (i, c) in run.char_indices().skip(1).take(self.korean_form_chars.saturating_sub(1)) {
            let (prefix, rest) = run.split_at(i + c.len_utf8());
            let continues = rest.is_empty() || KOREAN_CONTINUATIONS.iter().any(|c| rest.starts_with(c));
            if let Some(&pole) = self.korean_forms.get(prefix).filter(|_| continues) {
                longest = Some((prefix, pole));
            }
        }
        longest
    }

    fn axis_score(&self, axis: &Axis, tally: Tally) -> AxisScore {
        let matches = tally.positive + tally.negative;
        let score = (matches > 0).then(|| (tally.positive as f64 - tally.negative as f64) / matches as f64);
        let (label, pole_label) = match score {
            None => ("none", "none".to_string()),
            Some(s) if s.abs() < self.neutral_band => ("neutral", "neutral".to_string()),
            Some(s) if s > 0.0 => ("positive", axis.positive.clone()),
            Some(_) => ("negative", axis.negative.clone()),
        };
        let mut evidence = tally.evidence.join("; ");
        if matches > EVIDENCE_ITEMS {
            evidence.push_str("; …");
        }
        AxisScore { axis: axis.id.clone(), score, label, pole_label, matches, evidence }
    }
}

impl LexiconScorer<'_> {
    /// The text's score on every axis, in axis order.
    pub fn score(&mut self, text: &str) -> Vec<AxisScore> {
        let lexicon = self.lexicon;
        let text = nfc(text);
        let doc = analyze(&mut self.session, &text);
        let session = &self.session;
        let cues = lexicon.cues(session, &doc);
        let mut tally = vec![Tally::default(); lexicon.axes.len()];
        let mut i = 0;
        while i < doc.tokens.len() {
            let Some(Match { last, pole, stem_end }) = lexicon.match_at(session, &doc, i) else {
                i += 1;
                continue;
            };
            let (first_word, last_word) = (doc.tokens[i].word, doc.tokens[last].word);
            let negated = lexicon.negation(&doc, &cues, first_word, last_word, stem_end);
            let written = &doc.text[doc.words[first_word].start..doc.words[last_word].end];
            let surface: Vec<&str> = written.split_whitespace().collect();
            tally[pole.axis].add(pole.sign, &surface.join(" "), negated);
            i = last + 1;
        }
        lexicon.axes.iter().zip(tally).map(|(axis, t)| lexicon.axis_score(axis, t)).collect()
    }
}

impl<'t> Document<'t> {
    fn word(&self, w: usize) -> &'t str {
        &self.text[self.words[w].start..self.words[w].end]
    }
}

/// Matches on one axis so far.
#[derive(Debug, Clone, Default)]
struct Tally {
    positive: usize,
    negative: usize,
    evidence: Vec<String>,
}

impl Tally {
    fn add(&mut self, sign: i8, surface: &str, negated: Option<Negated<'_>>) {
        let sign = if negated.is_some() { -sign } else { sign };
        if sign > 0 {
            self.positive += 1;
        } else {
            self.negative += 1;
        }
        if self.evidence.len() < EVIDENCE_ITEMS {
            let mark = if sign > 0 { '+' } else { '-' };
            self.evidence.push(match negated {
                None => format!("{mark}{surface}"),
                Some(Negated::Before(cue)) => format!("{mark}({cue}) {surface}"),
                Some(Negated::After(cue)) => format!("{mark}{surface} ({cue})"),
            });
        }
    }
}

/// The built-in axes with the config's: an extra axis with a built-in id replaces it, the others follow.
fn merge_axes(mut axes: Vec<Axis>, extra: &[Axis]) -> Result<Vec<Axis>> {
    let mut seen = HashSet::new();
    for axis in extra {
        if !seen.insert(axis.id.as_str()) {
            bail!("[stance] extra_axes: the axis {:?} is given twice", axis.id);
        }
        match axes.iter_mut().find(|a| a.id == axis.id) {
            Some(builtin) => *builtin = axis.clone(),
            None => axes.push(axis.clone()),
        }
    }
    for axis in &axes {
        if axis.id.trim().is_empty() || axis.positive.trim().is_empty() || axis.negative.trim().is_empty() {
            bail!("stance axis {:?}: the id and the names of both poles must not be empty", axis.id);
        }
        if axis.positive_terms.is_empty() && axis.negative_terms.is_empty() {
            bail!("stance axis {}: it has no terms", axis.id);
        }
    }
    Ok(axes)
}

fn describe(axes: &[Axis], pole: Pole) -> String {
    let axis = &axes[pole.axis];
    format!("{}, {}", axis.id, if pole.sign > 0 { &axis.positive } else { &axis.negative })
}

fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// The words of an NFC text, each analyzed on its own, and their terms in text order. A word's sentence number
/// grows at `!`, `?`, `;`, `。`, a blank line, or a `.` that does not follow a dotted word (`U.S.`, `e.g.`); a
/// single line break may be the wrapping of a sentence.
fn analyze<'t>(session: &mut Session<'_>, text: &'t str) -> Document<'t> {
    let mut words: Vec<Word> = Vec::new();
    let mut tokens = Vec::new();
    let mut ids = Vec::new();
    let mut sentence = 0;
    for_each_run(text, |run, script| {
        // Runs are slices of `text`.
        let start = run.as_ptr() as usize - text.as_ptr() as usize;
        if let Some(prev) = words.last() {
            let gap = &text[prev.end..start];
            let dotted = text[prev.start..prev.end].contains('.');
            let blank_line = gap.matches('\n').count() > 1;
            if blank_line || gap.contains(['!', '?', ';', '。']) || (gap.contains('.') && !dotted) {
                sentence += 1;
            }
        }
        ids.clear();
        session.tokens(run, &mut ids);
        let first_token = tokens.len();
        tokens.extend(ids.iter().map(|&term| Token { word: words.len(), term }));
        let end_token = tokens.len();
        words.push(Word { start, end: start + run.len(), script, sentence, first_token, end_token });
    });
    Document { text, words, tokens }
}

mod negation;

#[cfg(test)]
mod tests;
