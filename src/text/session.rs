//! A worker of the analyzer: caches each distinct word's terms, interns terms as small integers, matches
//! glossary phrases and builds n-grams. One per thread or chunk of records; nothing in it is shared.

mod nfc;
mod start;
mod table;

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::StringList;
use super::{for_each_run, Analyzer, KoreanMode, Script};
use nfc::is_plainly_nfc_text;
pub(super) use start::GlossaryStart;
use start::{Candidate, SessionPhrase, ONE_WORD};
use table::{Interner, Probe};

/// What the vectorizer needs from any tokenizer session: term ids per text, their strings, and the surface
/// forms seen behind each term (for display).
pub trait TokenSession: Send + Sync {
    /// Appends the feature ids of `text`, in text order, to `out`.
    fn tokens(&mut self, text: &str, out: &mut Vec<u32>);
    /// The term behind an id this session gave.
    fn term(&self, id: u32) -> &str;
    /// How many distinct terms this session has given ids to.
    fn term_count(&self) -> usize;
    /// Calls `f(term id, surface, count)` for every surface form seen behind a term, with how often; the surface
    /// is `None` where it is the term's own string (every Korean stem, an English word Snowball leaves as it is),
    /// given once per term with its total, so that the merge need not read and compare the string.
    fn for_each_surface<'s>(&'s self, f: &mut dyn FnMut(u32, Option<&'s str>, u64));
    /// The ids of the terms that are glossary concepts (features of both languages), sorted.
    fn concepts(&self) -> &[u32] {
        &[]
    }
    /// The features of `text` as owned strings, in text order. Opening a session costs far more than using
    /// one, so callers with many texts keep one session (per thread) and call this on it.
    fn terms(&mut self, text: &str) -> Vec<String> {
        let mut ids = Vec::new();
        self.tokens(text, &mut ids);
        ids.iter().map(|&id| self.term(id).to_string()).collect()
    }
}

/// A cached word's terms: a range of `Session::word_terms`.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: u32,
    len: u32,
}

/// What the hot loop needs of a word, kept in its slot of the word table (one cache line read per token).
#[derive(Debug, Clone, Copy, Default)]
struct WordSlot {
    /// How often the word was seen (saturating: 32 bits keep the slot at 32 bytes, two to a cache line).
    count: u32,
    /// Its one term id, or [`NO_TERM`] (a stop word), or [`MANY_TERMS`] (look in `word_info`); with
    /// [`STARTS_PHRASE`] set where that one term may begin a phrase.
    term: u32,
}

/// The surface id of a word term whose surface is the term's own string.
const OWN_SURFACE: u32 = u32::MAX;

/// The top bit of [`WordSlot::term`]: the word's one term may begin a glossary phrase of several words, so
/// its place in the text is noted for [`Session::apply_glossary`] (which then reads only those places).
const STARTS_PHRASE: u32 = 1 << 31;
const NO_TERM: u32 = STARTS_PHRASE - 1;
const MANY_TERMS: u32 = STARTS_PHRASE - 2;

/// A script run found in a text, waiting in a batch for its lookup.
#[derive(Debug, Clone, Copy)]
struct PendingRun {
    start: usize,
    len: usize,
    script: Script,
    probe: Probe,
}

/// Runs looked up together; enough to overlap their cache misses, few enough to stay in L1.
const BATCH: usize = 32;
const _: () = assert!(BATCH.is_power_of_two(), "resolve masks its indices with BATCH - 1");

pub struct Session<'a> {
    analyzer: &'a Analyzer,
    /// Every distinct script run seen; its id indexes `word_info`.
    words: Interner<WordSlot>,
    word_info: Vec<Word>,
    /// (term id, surface id or [`OWN_SURFACE`]) of every cached word, in runs.
    word_terms: Vec<(u32, u32)>,
    terms: Interner,
    /// Whether Korean runs skip the word cache: stemmed at every occurrence, their stems looked up among the terms.
    /// Caching them cost more than it saved: a third of them are new (47,488 distinct in YNAT's 137,252), and
    /// each new one took a slot in the word table as well as its term's.
    stems_directly: bool,
    /// How often each term was met as such a stem (by term id; shorter where the last terms never were).
    stem_counts: Vec<u32>,
    /// The glossary forms, then the surface form behind each word term (not interned: only read at the end).
    surfaces: StringList,
    /// The glossary's phrases and their index, as in [`GlossaryStart`].
    starts: Vec<u32>,
    starting: Vec<Candidate>,
    single: Vec<u32>,
    phrases: Vec<SessionPhrase>,
    /// Where, in the text's terms, a term that may begin a phrase stands (filled by `resolve`).
    phrase_at: Vec<usize>,
    /// Term ids of the glossary concepts, sorted.
    concepts: Vec<u32>,
    batch: Vec<PendingRun>,
    ngram: String,
    nfc: String,
}

impl<'a> Session<'a> {
    pub fn new(analyzer: &'a Analyzer) -> Session<'a> {
        let GlossaryStart { terms, surfaces, starts, starting, single, phrases, concepts } =
            analyzer.session_start.clone();
        Session {
            analyzer,
            words: Interner::default(),
            word_info: Vec::new(),
            word_terms: Vec::new(),
            terms,
            stems_directly: analyzer.config.korean == KoreanMode::Rules && !analyzer.config.korean_bigrams,
            stem_counts: Vec::new(),
            surfaces,
            starts,
            starting,
            single,
            phrases,
            phrase_at: Vec::new(),
            concepts,
            batch: Vec::new(),
            ngram: String::new(),
            nfc: String::new(),
        }
    }

    /// A session that caches Korean words as it does the others, to check that stemming every occurrence gives
    /// the same.
    #[cfg(test)]
    pub(super) fn with_every_word_cached(analyzer: &'a Analyzer) -> Session<'a> {
        Session { stems_directly: false, ..Session::new(analyzer) }
    }

    /// Analyzes a word seen for the first time and caches its terms.
    #[cold]
    fn new_word(&mut self, run: &str, script: Script, probe: Probe) -> (u32, &mut WordSlot) {
        let start = self.word_terms.len() as u32;
        let mut buf = [0u8; 48];
        if let Some(twin) = self.analyzer.lowercase_twin(run, script, &mut buf) {
            if let Some((w, &mut twin_slot)) = self.words.find_mut(twin.as_bytes(), Probe::new(twin.as_bytes())) {
                // The twin's terms, glossary concepts already applied: no second Snowball pass.
                let Word { start: from, len } = self.word_info[w as usize];
                self.word_terms.extend_from_within(from as usize..(from + len) as usize);
                self.word_info.push(Word { start, len });
                return self.words.insert(run, probe, WordSlot { count: 0, term: twin_slot.term });
            }
        }
        let (terms, surfaces, word_terms) = (&mut self.terms, &mut self.surfaces, &mut self.word_terms);
        self.analyzer.run_terms(run, script, &mut |term, surface| {
            // A surface that is the term itself (a Korean stem, a word the stemmer leaves as it is) is not copied.
            let surface = if std::ptr::eq(term, surface) { OWN_SURFACE } else { surfaces.push(surface) as u32 };
            word_terms.push((terms.id(term), surface));
        });
        let len = self.word_terms.len() as u32 - start;
        for i in start as usize..self.word_terms.len() {
            if let Some(phrase) = self.single_phrase(self.word_terms[i].0) {
                // Counted, and shown, as the phrase's concept and form (the word's own term never occurs).
                self.word_terms[i] = (phrase.concept, phrase.form);
            }
        }
        self.word_info.push(Word { start, len });
        let term = match len {
            0 => NO_TERM,
            1 => {
                let term = self.word_terms[start as usize].0;
                assert!(term < MANY_TERMS, "a session gives fewer than 2^31 - 2 term ids");
                term | if self.starts_phrase(term) { STARTS_PHRASE } else { 0 }
            }
            _ => MANY_TERMS,
        };
        self.words.insert(run, probe, WordSlot { count: 0, term })
    }

    /// Whether a run of `script` is looked up by its stem rather than through the word cache.
    fn looks_up_stem(&self, script: Script) -> bool {
        script == Script::Hangul && self.stems_directly
    }

    /// The one-word glossary phrase that replaces term `t` wherever it stands, if any.
    fn single_phrase(&self, t: u32) -> Option<&SessionPhrase> {
        self.single.get(t as usize).filter(|&&p| p != u32::MAX).map(|&p| &self.phrases[p as usize])
    }

    /// What is counted for term `t` met as a Korean stem, with [`STARTS_PHRASE`] where it may begin a phrase:
    /// the concept of its one-word glossary phrase, if it has one, or itself.
    fn stem_term(&self, t: u32) -> u32 {
        let term = self.single_phrase(t).map_or(t, |phrase| phrase.concept);
        term | if self.starts_phrase(term) { STARTS_PHRASE } else { 0 }
    }

    /// Counts term `t` met as a Korean stem.
    fn count_stem(&mut self, t: u32) {
        match self.stem_counts.get_mut(t as usize) {
            Some(count) => *count = count.saturating_add(1),
            None => {
                self.stem_counts.resize(self.terms.len(), 0);
                self.stem_counts[t as usize] = 1;
            }
        }
    }

    /// Whether term `t` begins a glossary phrase of several words (only terms interned when the session opened
    /// can).
    fn starts_phrase(&self, t: u32) -> bool {
        let t = t as usize;
        t + 1 < self.starts.len() && self.starts[t] < self.starts[t + 1]
    }

    /// Looks up (or analyzes) each run of a batch and appends its terms to `sink`, and to `self.phrase_at` the
    /// places in `sink` of those that may begin a glossary phrase. Out of line: the segmenter's callback, which
    /// calls it once per batch, then stays small enough to be inlined where it is called once per token.
    #[inline(never)]
    fn resolve(&mut self, text: &str, batch: &[PendingRun], sink: &mut Vec<u32>) {
        debug_assert!(batch.len() <= BATCH);
        // A word's one term, and its place, are written whatever they are, and kept by adding 0 or 1: no branch on
        // stop words or phrase starts, which come and go at random (stop words are about half of English runs).
        let mut terms = [0u32; BATCH];
        let mut n = 0;
        let mut places = [0usize; BATCH];
        let mut m = 0;
        for r in batch {
            // Bytes, not a str: slicing a str checks both ends for character boundaries, on every token.
            let run = &text.as_bytes()[r.start..r.start + r.len];
            // The run's one term, with STARTS_PHRASE where it may begin a phrase.
            let flagged = if self.looks_up_stem(r.script) {
                // A Korean stem (the batch holds the stem, not the word).
                let t = match self.terms.find(run, r.probe) {
                    Some(t) => t,
                    None => self.terms.insert(&text[r.start..r.start + r.len], r.probe, ()).0,
                };
                self.count_stem(t);
                self.stem_term(t)
            } else {
                let (w, slot) = match self.words.find_mut(run, r.probe) {
                    Some((w, slot)) => (w, slot),
                    None => self.new_word(&text[r.start..r.start + r.len], r.script, r.probe),
                };
                slot.count = slot.count.saturating_add(1);
                if slot.term & !STARTS_PHRASE == MANY_TERMS {
                    sink.extend_from_slice(&terms[..n]);
                    self.phrase_at.extend_from_slice(&places[..m]);
                    (n, m) = (0, 0);
                    let info = self.word_info[w as usize];
                    for &(t, _) in &self.word_terms[info.start as usize..(info.start + info.len) as usize] {
                        if self.starts_phrase(t) {
                            self.phrase_at.push(sink.len());
                        }
                        sink.push(t);
                    }
                    continue;
                }
                slot.term
            };
            let (term, starts_phrase) = (flagged & !STARTS_PHRASE, flagged >> 31);
            // `n` and `m` count at most the runs of the batch, so are below BATCH: masked, not bounds-checked.
            places[m & (BATCH - 1)] = sink.len() + n;
            m += starts_phrase as usize;
            terms[n & (BATCH - 1)] = term;
            n += usize::from(term != NO_TERM);
        }
        sink.extend_from_slice(&terms[..n]);
        self.phrase_at.extend_from_slice(&places[..m]);
    }

    /// Replaces glossary phrases in `out[from..]` by their concepts, longest match first, in place (a phrase
    /// becomes one concept, so the terms are only ever moved forward). Only the places in `self.phrase_at` can
    /// begin one: the terms between them are moved, if at all, a stretch at a time.
    fn apply_glossary(&mut self, out: &mut Vec<u32>, from: usize) {
        // `out[from..read]` is done, its result in `out[from..write]`.
        let (mut read, mut write) = (from, from);
        for &at in &self.phrase_at {
            if at < read {
                continue; // inside the phrase matched before it
            }
            let t = out[at] as usize;
            let candidates = &self.starting[self.starts[t] as usize..self.starts[t + 1] as usize];
            let next = out.get(at + 1).copied();
            let matched = candidates.iter().find(|c| {
                c.second == ONE_WORD
                    || (Some(c.second) == next && {
                        let terms = &self.phrases[c.phrase as usize].terms;
                        out.len() - at >= terms.len() && terms[2..].iter().zip(&out[at + 2..]).all(|(a, b)| a == b)
                    })
            });
            if let Some(c) = matched {
                let phrase = &mut self.phrases[c.phrase as usize];
                phrase.hits += 1;
                out.copy_within(read..at, write);
                write += at - read;
                out[write] = phrase.concept;
                write += 1;
                read = at + phrase.terms.len();
            }
        }
        if write < read {
            out.copy_within(read.., write);
            out.truncate(write + out.len() - read);
        }
    }

    /// Adds the word n-grams of the unigrams `out[from..]` (n from the config's range) and drops the
    /// unigrams when the range starts above 1.
    fn add_ngrams(&mut self, out: &mut Vec<u32>, from: usize) {
        let (lo, hi) = self.analyzer.config.ngram_range;
        if hi == 1 {
            return;
        }
        let unigrams: Vec<u32> = out.drain(from..).collect();
        if lo == 1 {
            out.extend_from_slice(&unigrams);
        }
        // Written out a batch at a time, their slots prefetched as they are written, then looked up: as with words,
        // the lookups overlap their cache misses (the table of n-grams is megabytes).
        let (terms, written) = (&mut self.terms, &mut self.ngram);
        let mut bounds = [0usize; BATCH + 1];
        let mut probes = [Probe::new(b""); BATCH];
        for n in lo.max(2)..=hi {
            // The n-gram starting at word `k` is `unigrams[k..k + n]`.
            let count = unigrams.len().saturating_sub(n - 1);
            for first in (0..count).step_by(BATCH) {
                let batch = first..count.min(first + BATCH);
                written.clear();
                for (b, k) in batch.clone().enumerate() {
                    for (i, &id) in unigrams[k..k + n].iter().enumerate() {
                        if i > 0 {
                            written.push(' ');
                        }
                        written.push_str(terms.get(id));
                    }
                    bounds[b + 1] = written.len();
                    probes[b] = Probe::new(&written.as_bytes()[bounds[b]..]);
                    terms.prefetch(probes[b]);
                }
                for b in 0..batch.len() {
                    out.push(terms.id_probed(&written[bounds[b]..bounds[b + 1]], probes[b]));
                }
            }
        }
    }
}

impl TokenSession for Session<'_> {
    fn tokens(&mut self, text: &str, out: &mut Vec<u32>) {
        let text: Cow<str> = if is_plainly_nfc_text(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
            Cow::Borrowed(text)
        } else {
            let mut nfc = std::mem::take(&mut self.nfc);
            nfc.clear();
            nfc.extend(text.nfc());
            Cow::Owned(nfc)
        };
        let from = out.len();
        self.phrase_at.clear();
        // Runs are looked up in batches, their slots prefetched as they are found: the lookups of a batch then
        // overlap their cache misses instead of waiting for each in turn.
        let mut batch = std::mem::take(&mut self.batch);
        batch.clear();
        let base = text.as_ptr() as usize;
        let bytes = text.as_bytes();
        for_each_run(
            &text,
            #[inline(always)]
            |run, script| {
                let start = run.as_ptr() as usize - base;
                if self.looks_up_stem(script) {
                    // A stem is the start of its word.
                    let Some(stem) = self.analyzer.korean.stem(run) else { return };
                    let probe = Probe::within(bytes, start, stem.len());
                    self.terms.prefetch(probe);
                    batch.push(PendingRun { start, len: stem.len(), script, probe });
                } else {
                    let probe = Probe::within(bytes, start, run.len());
                    self.words.prefetch(probe);
                    batch.push(PendingRun { start, len: run.len(), script, probe });
                }
                if batch.len() == BATCH {
                    self.resolve(&text, &batch, out);
                    batch.clear();
                }
            },
        );
        self.resolve(&text, &batch, out);
        self.batch = batch;
        if !self.phrase_at.is_empty() {
            self.apply_glossary(out, from);
        }
        self.add_ngrams(out, from);
        if let Cow::Owned(s) = text {
            self.nfc = s;
        }
    }

    fn term(&self, id: u32) -> &str {
        self.terms.get(id)
    }

    fn term_count(&self) -> usize {
        self.terms.len()
    }

    fn for_each_surface<'s>(&'s self, f: &mut dyn FnMut(u32, Option<&'s str>, u64)) {
        // The counts gathered by word id first, so that the words' terms and surfaces, stored in id order, are read
        // in order too (read in slot order, each word cost three cache misses).
        let mut counts = vec![0u32; self.word_info.len()];
        self.words.values().for_each(|(id, slot)| counts[id as usize] = slot.count);
        // Words whose surface is their term's own string are summed by term and given once.
        let mut own = vec![0u64; self.terms.len()];
        for (w, count) in self.word_info.iter().zip(counts) {
            for &(term, surface) in &self.word_terms[w.start as usize..(w.start + w.len) as usize] {
                if surface == OWN_SURFACE {
                    own[term as usize] += u64::from(count);
                } else {
                    f(term, Some(self.surfaces.get(surface as usize)), count.into());
                }
            }
        }
        for (t, &count) in self.stem_counts.iter().enumerate().filter(|(_, &c)| c > 0) {
            match self.single_phrase(t as u32) {
                Some(phrase) => f(phrase.concept, Some(self.surfaces.get(phrase.form as usize)), count.into()),
                None => own[t] += u64::from(count),
            }
        }
        for (term, &count) in own.iter().enumerate().filter(|(_, &c)| c > 0) {
            f(term as u32, None, count);
        }
        for p in self.phrases.iter().filter(|p| p.hits > 0) {
            f(p.concept, Some(self.surfaces.get(p.form as usize)), p.hits);
        }
    }

    fn concepts(&self) -> &[u32] {
        &self.concepts
    }
}
