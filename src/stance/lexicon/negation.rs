//! Negation: which words of a text are cues, and whether a match is negated.

use anyhow::{bail, Result};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::{analyze, nfc, Document, LexiconStance, BUILTIN_ORIGIN};
use crate::text::{Script, Session, TokenSession, Tokenize};

/// Korean cues that negate only as a word of their own (안 했다): as the start of a word, 안 begins 안보, 안정, 안전.
const WHOLE_WORD_KOREAN_CUES: &[&str] = &["안"];
/// 못지않다 ("no less than") praises; its 못 and 않 negate nothing.
const NOT_A_KOREAN_CUE: &str = "못지";
/// Idioms whose 않 negates nothing: 만만치 않다 (formidable), 적지 않다 (considerable), 아랑곳 않고 (regardless),
/// 바라마지 않다 (earnestly), 못지 않다 (no less).
const KOREAN_IDIOMS_BEFORE_A_CUE: &[&str] = &["만만치", "만만찮", "적지", "작지", "아랑곳", "마지", "못지"];
/// "not only X but also Y", "not merely", "no doubt", "no less": an English cue followed by one of these
/// negates nothing.
const PSEUDO_NEGATIONS: &[(&str, &str)] = &[
    ("not", "only"),
    ("not", "just"),
    ("not", "merely"),
    ("not", "least"),
    ("no", "doubt"),
    ("no", "less"),
    ("no", "sooner"),
];
/// A Korean cue negates the predicate just before it, so a term is negated by a cue word after it only when
/// what stands between is that predicate in its negated form (강화하지 않았다), 수 (할 수 없다) or an adverb
/// of negation (전혀, 결코): in 도발에 아무 관심 없다 the cue negates 관심, not 도발.
const KOREAN_NEGATED_VERB_ENDINGS: &[&str] = &["지", "지도", "지는", "지만", "지를", "지조차"];
const KOREAN_WORDS_BEFORE_A_CUE: &[&str] = &[
    "수",
    "수도",
    "수가",
    "수는",
    "전혀",
    "결코",
    "절대",
    "절대로",
    "아직",
    "아직도",
    "더이상",
    "더는",
    "별로",
    "그다지",
    "좀처럼",
    "쉽게",
    "잘",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NegationCues {
    en: Vec<String>,
    ko: Vec<String>,
    pub(super) window: usize,
}

/// An English cue as a term and as the word it is written (`fail`), so that a word counts as the cue only when
/// it has the cue's term and starts with the cue: Snowball stems "hardly" to "hard", which is no negation.
#[derive(Debug)]
pub(super) struct EnglishCue {
    term: String,
    word: String,
}

/// How a match was negated, for the evidence.
pub(super) enum Negated<'t> {
    /// An English cue before the term.
    Before(&'t str),
    /// A Korean cue word after the term, or a cue morpheme in the ending of its own word.
    After(&'t str),
}

/// Which words of a document are negation cues.
pub(super) struct Cues {
    english: Vec<bool>,
    korean: Vec<bool>,
}

impl LexiconStance {
    pub(super) fn compile_cues(&mut self, cues: &NegationCues) -> Result<()> {
        let mut session = self.analyzer.session();
        for cue in &cues.en {
            let cue_text = nfc(cue);
            let Document { words, tokens, .. } = analyze(&mut session, &cue_text);
            match (&words[..], &tokens[..]) {
                ([_], [token]) => self
                    .english_cues
                    .push(EnglishCue { term: session.term(token.term).to_string(), word: cue.to_lowercase() }),
                _ => bail!("{BUILTIN_ORIGIN}: the English negation cue {cue:?} must be one word"),
            }
        }
        for cue in &cues.ko {
            let cue = nfc(cue).into_owned();
            if cue.is_empty() || !cue.chars().all(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
                bail!("{BUILTIN_ORIGIN}: the Korean negation cue {cue:?} must be Hangul syllables");
            }
            if WHOLE_WORD_KOREAN_CUES.contains(&cue.as_str()) {
                self.whole_word_korean_cues.push(cue);
            } else {
                self.korean_cue_initials.extend(cue.chars().next());
                self.korean_cues.push((cue.nfd().collect(), cue));
            }
        }
        Ok(())
    }

    /// Which words of the document are English and which Korean negation cues.
    pub(super) fn cues(&self, session: &Session<'_>, doc: &Document<'_>) -> Cues {
        Cues {
            english: (0..doc.words.len()).map(|w| self.is_english_cue(session, doc, w)).collect(),
            korean: (0..doc.words.len()).map(|w| self.is_korean_cue(doc, w)).collect(),
        }
    }

    fn is_english_cue(&self, session: &Session<'_>, doc: &Document<'_>, w: usize) -> bool {
        let word = &doc.words[w];
        if word.script != Script::Latin || word.first_token == word.end_token {
            return false;
        }
        let term = session.term(doc.tokens[word.first_token].term);
        if !self.english_cues.iter().any(|c| c.term == term) {
            return false;
        }
        let written = doc.word(w).to_lowercase();
        let Some(cue) = self.english_cues.iter().find(|c| c.term == term && written.starts_with(&c.word)) else {
            return false;
        };
        let next = doc.words.get(w + 1).filter(|n| n.sentence == word.sentence).map(|_| doc.word(w + 1));
        !PSEUDO_NEGATIONS
            .iter()
            .any(|&(c, follower)| cue.word == c && next.is_some_and(|n| n.eq_ignore_ascii_case(follower)))
    }

    fn is_korean_cue(&self, doc: &Document<'_>, w: usize) -> bool {
        let word = &doc.words[w];
        if word.script != Script::Hangul {
            return false;
        }
        let run = doc.word(w);
        if self.whole_word_korean_cues.iter().any(|c| c == run) {
            return doc.words.get(w + 1).is_some_and(|n| n.sentence == word.sentence);
        }
        let Some(first) = run.chars().next() else { return false };
        if !self.korean_cue_initials.contains(&first) || run.starts_with(NOT_A_KOREAN_CUE) {
            return false;
        }
        let idiom = w > 0
            && doc.words[w - 1].sentence == word.sentence
            && KOREAN_IDIOMS_BEFORE_A_CUE.contains(&doc.word(w - 1));
        if idiom {
            return false;
        }
        let jamo: String = run.chars().take(3).nfd().collect();
        self.korean_cues.iter().any(|(cue, _)| jamo.starts_with(cue.as_str()))
    }

    /// Whether the match from word `first` to word `last` is negated, and by what: English cues within the window
    /// before it, a cue morpheme in the ending of its last word, Korean cue words within the window after it. An
    /// odd number of cues negates; an even number cancels out (never fails to, 협력하지 않을 수 없다).
    pub(super) fn negation<'t>(
        &'t self,
        doc: &Document<'t>,
        cues: &Cues,
        first: usize,
        last: usize,
        stem_end: Option<usize>,
    ) -> Option<Negated<'t>> {
        let (words, window) = (&doc.words, self.window);
        let before = (first.saturating_sub(window)..first)
            .filter(|&c| cues.english[c] && words[c].sentence == words[first].sentence);
        let (english, nearest_english) = before.fold((0, None), |(n, _), c| (n + 1, Some(c)));
        let own_word = self.own_word_cue(doc, last, stem_end);
        let mut after = (last + 1..words.len())
            .take(window)
            .take_while(|&c| words[c].sentence == words[last].sentence)
            .take_while(|&c| cues.korean[c] || self.leads_to_a_korean_cue(doc.word(c)))
            .filter(|&c| cues.korean[c]);
        let first_korean = after.next();
        let korean = first_korean.map_or(0, |_| 1 + after.count());
        if (english + korean + usize::from(own_word.is_some())) % 2 == 0 {
            return None;
        }
        match (nearest_english, own_word, first_korean) {
            (Some(c), _, _) => Some(Negated::Before(doc.word(c))),
            (None, Some(cue), _) => Some(Negated::After(cue)),
            (None, None, c) => c.map(|c| Negated::After(doc.word(c))),
        }
    }

    /// Whether a word between a term and a Korean cue lets the cue reach the term.
    fn leads_to_a_korean_cue(&self, word: &str) -> bool {
        KOREAN_WORDS_BEFORE_A_CUE.contains(&word)
            || (KOREAN_NEGATED_VERB_ENDINGS.iter().any(|e| word.ends_with(e)) && !word.ends_with("까지"))
    }

    /// A cue morpheme in the ending of a Korean word (대화없이, 협력하지않았다).
    fn own_word_cue(&self, doc: &Document<'_>, w: usize, stem_end: Option<usize>) -> Option<&str> {
        let word = &doc.words[w];
        if word.script != Script::Hangul {
            return None;
        }
        let run = doc.word(w);
        // Where the stem ends: known for a match by the word's start, else after the longest pole term
        // beginning the word, else after its first syllable (the stem of an analyzed word is never shorter).
        let stem_len = match stem_end {
            Some(end) => end - word.start,
            None => self.korean_prefix(run).map_or_else(|| run.chars().next().map_or(0, char::len_utf8), |p| p.0.len()),
        };
        let ending = &run[stem_len..];
        if ending.is_empty() || ending.contains(NOT_A_KOREAN_CUE) {
            return None;
        }
        let jamo: String = ending.nfd().collect();
        self.korean_cues.iter().find(|(cue_jamo, _)| jamo.contains(cue_jamo.as_str())).map(|(_, cue)| cue.as_str())
    }
}
