//! Korean words (eojeol) into stems by suffix rules: particles (josa), the copula, the endings of the
//! 하다/되다/받다/당하다/시키다 verbs made from nouns, and the plural 들.
//!
//! No crate does this: Korean stemmers on crates.io are morphological analyzers with a dictionary (lindera,
//! behind the `ko-dic` feature). Rules are fast, need no dictionary and get most nominal words right when they
//! respect Korean phonology: a particle that only follows a consonant (이, 은, 을, 과, 으로) is never cut after a
//! vowel, one that only follows a vowel (가, 는, 를, 와, 로) never after a consonant, so 국가 and 전문가 keep
//! their 가 and 차이 keeps its 이. Nouns that end in what looks like a particle (회의, 한반도, 결과, 북한) are
//! protected by a list.

use std::collections::HashSet;

use super::{FastMap, FastSet};

use serde::Deserialize;

/// The suffix and protected-noun lists, `data/builtin/korean.toml`.
const BUILTIN_RULES: &str = include_str!("../../data/builtin/korean.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    /// Particles that end a noun phrase; compound particles (에서는, 으로부터, 과의…) are built from them.
    case_particles: Vec<String>,
    /// Case particles that take a second particle after them (에서 + 는); the others never do.
    combining_particles: Vec<String>,
    /// What may follow a combining particle.
    trailing_particles: Vec<String>,
    /// The copula after a noun (문제이다, 핵심이었다).
    copula: Vec<String>,
    /// Endings of 하다 (강화했다, 협력하는, 발표한); the passive 당하다 is made from them.
    hada: Vec<String>,
    doeda: Vec<String>,
    batda: Vec<String>,
    sikida: Vec<String>,
    /// Nouns whose last syllables look like a suffix; no cut may split one of them.
    protected: Vec<String>,
}

/// Which final sound the syllable before a suffix must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    Any,
    /// A syllable with a final consonant (받침): 이, 은, 을, 과, 으로…
    Consonant,
    /// A syllable without one: 가, 는, 를, 와, 나…
    Vowel,
    /// A vowel or a final ㄹ: 로, 로서…
    VowelOrRieul,
    /// The syllable 적: the copula 인 is cut only in 적인 (전략적인), never from 원인 or 한국인.
    Jeok,
}

#[derive(Debug, Clone, Copy)]
struct Suffix {
    after: After,
    /// Syllables that must remain before the suffix.
    min_stem: usize,
}

/// Counted in syllables (Hangul syllables are 3 bytes in UTF-8, but stems are compared in chars).
fn syllables(s: &str) -> usize {
    s.chars().count()
}

/// Whether a Hangul syllable has a final consonant, and whether that consonant is ㄹ.
fn final_consonant(c: char) -> Option<(bool, bool)> {
    let code = c as u32;
    if !(0xAC00..=0xD7A3).contains(&code) {
        return None;
    }
    let jong = (code - 0xAC00) % 28;
    Some((jong != 0, jong == 8))
}

/// A set of characters that answers "no" for a Hangul syllable in one bit read, "maybe" for anything else:
/// asked before a hash lookup, it spares most of them (a word is tried for a suffix at every syllable, and
/// for a protected noun at every pair of syllables around a cut).
#[derive(Debug)]
struct SyllableFilter(Vec<u64>);

impl SyllableFilter {
    const SYLLABLES: u32 = 0xD7A4 - 0xAC00;

    fn of(chars: impl Iterator<Item = char>) -> SyllableFilter {
        let mut bits = vec![0u64; Self::SYLLABLES.div_ceil(64) as usize];
        for c in chars {
            if let Some(k) = Self::index(c) {
                bits[k / 64] |= 1 << (k % 64);
            }
        }
        SyllableFilter(bits)
    }

    fn index(c: char) -> Option<usize> {
        (c as u32).checked_sub(0xAC00).filter(|&k| k < Self::SYLLABLES).map(|k| k as usize)
    }

    /// False only where no string of the set can have `c` there.
    fn may_contain(&self, c: char) -> bool {
        Self::index(c).is_none_or(|k| self.0[k / 64] >> (k % 64) & 1 == 1)
    }
}

/// The suffix rules, built once: every suffix with the conditions under which it may be cut.
#[derive(Debug)]
pub struct KoreanStemmer {
    suffixes: FastMap<String, Suffix>,
    longest: usize,
    /// The first characters of the suffixes.
    suffix_starts: SyllableFilter,
    protected: FastSet<String>,
    longest_protected: usize,
    /// The first and the last characters of the protected nouns.
    protected_starts: SyllableFilter,
    protected_ends: SyllableFilter,
    stopwords: FastSet<String>,
    drop_stopwords: bool,
}

impl KoreanStemmer {
    pub fn new(stopwords: HashSet<String>, drop_stopwords: bool, strip_jeok: bool) -> anyhow::Result<KoreanStemmer> {
        use anyhow::Context;
        let rules: Rules = toml::from_str(BUILTIN_RULES).context("data/builtin/korean.toml")?;
        let mut suffixes = FastMap::default();
        let mut add = |s: String, after: After, min_stem: usize| {
            suffixes.entry(s).or_insert(Suffix { after, min_stem });
        };
        for p in &rules.case_particles {
            let (after, min_stem) = particle_condition(p);
            add(p.clone(), after, min_stem);
            if !rules.combining_particles.contains(p) {
                continue;
            }
            for t in &rules.trailing_particles {
                let combined = format!("{p}{t}");
                if !rules.case_particles.contains(&combined) {
                    add(combined, after, min_stem);
                }
            }
        }
        for c in &rules.copula {
            let after = if c == "였다" || c == "였던" { After::Vowel } else { After::Any };
            add(c.clone(), after, 1);
        }
        add("인".to_string(), After::Jeok, 2);
        for forms in [&rules.hada, &rules.doeda, &rules.batda, &rules.sikida] {
            for f in forms {
                // A lone 한/할/함/된/해 is cut only after two syllables (북한 stays, 강화한 goes).
                let min_stem = if syllables(f) == 1 || f == "키로" { 2 } else { 1 };
                add(f.clone(), After::Any, min_stem);
            }
        }
        // The passive 당하다 (공격당했다): only its longer forms, and only after two syllables, so that
        // 정당한, 상당한, 담당하는 lose just their 하다 ending.
        for f in rules.hada.iter().filter(|f| f.starts_with(['하', '한', '할', '함', '했', '해'])) {
            add(format!("당{f}"), After::Any, 2);
        }
        // The plural 들, alone or before a particle: 국가들은 → 국가.
        let plural: Vec<(String, Suffix)> = suffixes
            .iter()
            .filter(|(s, _)| syllables(s) <= 3)
            .map(|(s, _)| (format!("들{s}"), Suffix { after: After::Any, min_stem: 1 }))
            .collect();
        suffixes.extend(plural);
        suffixes.insert("들".to_string(), Suffix { after: After::Any, min_stem: 2 });
        if strip_jeok {
            for s in ["적", "적인", "적으로", "적이", "적의", "적이다", "적이고", "적이며", "적인지"]
            {
                suffixes.insert(s.to_string(), Suffix { after: After::Any, min_stem: 2 });
            }
        }
        let longest = suffixes.keys().map(|s| syllables(s)).max().unwrap_or(0);
        let first = |s: &String| s.chars().next();
        Ok(KoreanStemmer {
            suffix_starts: SyllableFilter::of(suffixes.keys().filter_map(first)),
            protected_starts: SyllableFilter::of(rules.protected.iter().filter_map(first)),
            protected_ends: SyllableFilter::of(rules.protected.iter().filter_map(|p| p.chars().next_back())),
            suffixes,
            longest,
            longest_protected: rules.protected.iter().map(|p| syllables(p)).max().unwrap_or(1),
            protected: rules.protected.into_iter().collect(),
            stopwords: stopwords.into_iter().collect(),
            drop_stopwords,
        })
    }

    /// The stem of a run of Hangul, or `None` when it is a stop word or nothing is left.
    pub fn stem<'w>(&self, word: &'w str) -> Option<&'w str> {
        if self.is_stopword(word) {
            return None;
        }
        let stem = self.strip(word);
        if stem.is_empty() || self.is_stopword(stem) {
            return None;
        }
        Some(stem)
    }

    pub fn is_stopword(&self, word: &str) -> bool {
        self.drop_stopwords && self.stopwords.contains(word)
    }

    /// Cuts the longest suffix whose conditions hold and that does not fall inside a protected noun
    /// (한반도의 → 한반도, never 한반).
    fn strip<'w>(&self, word: &'w str) -> &'w str {
        let n = syllables(word);
        if word.len() == 3 * n {
            // Hangul runs are all three-byte characters: char k starts at byte 3k, no table needed.
            self.strip_at(word, n, |k| 3 * k)
        } else {
            let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
            self.strip_at(word, n, |k| starts[k])
        }
    }

    /// `strip` over a word of `n` characters where character `k` starts at byte `at(k)` (`at(n)` is the end).
    fn strip_at<'w>(&self, word: &'w str, n: usize, at: impl Fn(usize) -> usize) -> &'w str {
        let char_at = |k: usize| word[at(k)..].chars().next().expect("k < n");
        let is_protected = |s: usize, e: usize| {
            let piece = &word[at(s)..at(e)];
            // -ism (민주주의, 다자주의) but not a place + 의 (광주의, 호주의).
            (piece == "주의" && s >= 2)
                || (self.protected_starts.may_contain(char_at(s))
                    && self.protected_ends.may_contain(char_at(e - 1))
                    && self.protected.contains(piece))
        };
        // The suffix rule for what follows character `k`, if any.
        let suffix_at = |k: usize| {
            if self.suffix_starts.may_contain(char_at(k)) {
                self.suffixes.get(&word[at(k)..])
            } else {
                None
            }
        };
        // A cut before syllable `cut` is refused when it splits a protected noun that the word could end with
        // (nothing, or a suffix, after it: 한반도|의), unless a longer protected noun ends right at the cut
        // (고속도로|의 is not split by 속도). 자동차이고 stays cuttable: 차이 is followed by 고, not a suffix.
        let inside_protected = |cut: usize| {
            let lo = cut.saturating_sub(self.longest_protected);
            // The longest protected noun ending at the cut, and the longest one the cut would split.
            let ending = (lo..cut).filter(|&s| is_protected(s, cut)).map(|s| cut - s).max().unwrap_or(0);
            let split = (lo..cut)
                .flat_map(|s| (cut + 1..=(s + self.longest_protected).min(n)).map(move |e| (s, e)))
                .filter(|&(s, e)| is_protected(s, e) && (e == n || suffix_at(e).is_some()))
                .map(|(s, e)| e - s)
                .max()
                .unwrap_or(0);
            split > ending
        };
        for len in (1..=self.longest.min(n.saturating_sub(1))).rev() {
            let cut = n - len;
            let byte = at(cut);
            let Some(rule) = suffix_at(cut) else { continue };
            if cut < rule.min_stem || inside_protected(cut) {
                continue;
            }
            let Some(before) = word[at(cut - 1)..byte].chars().next() else { continue };
            let ok = match (rule.after, final_consonant(before)) {
                (After::Any, _) => true,
                (After::Jeok, _) => before == '적',
                (_, None) => false,
                (After::Consonant, Some((has, _))) => has,
                (After::Vowel, Some((has, _))) => !has,
                (After::VowelOrRieul, Some((has, rieul))) => !has || rieul,
            };
            if ok {
                return &word[..byte];
            }
        }
        word
    }
}

/// The phonological condition and the shortest stem for a case particle.
fn particle_condition(p: &str) -> (After, usize) {
    let after = if p.starts_with('으') || ["이", "은", "을", "과", "아"].iter().any(|c| p.starts_with(c)) {
        After::Consonant
    } else if p.starts_with('로') {
        After::VowelOrRieul
    } else if ["가", "는", "를", "와", "나", "란", "라", "랑", "며", "야", "면"].iter().any(|c| p.starts_with(c))
    {
        After::Vowel
    } else {
        After::Any
    };
    // Short particles that also end many nouns are cut only after two syllables (대가, 추가 keep their 가).
    let min_stem = if ["도", "만", "나", "뿐", "가", "와", "과", "란", "서", "아", "야", "든", "면", "라", "대로"]
        .contains(&p)
    {
        2
    } else {
        1
    };
    (after, min_stem)
}

/// Hangul syllable bigrams of a stem, as Lucene's CJK bigram filter makes them; a one-syllable stem stays whole.
pub fn bigrams(stem: &str) -> impl Iterator<Item = &str> {
    let idx: Vec<usize> = stem.char_indices().map(|(i, _)| i).chain(std::iter::once(stem.len())).collect();
    let n = idx.len() - 1;
    let count = if n <= 1 { 1 } else { n - 1 };
    (0..count).map(move |i| &stem[idx[i]..idx[(i + 2).min(n)]])
}
