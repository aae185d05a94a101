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

use super::segment::three_byte_char;
use super::{FastMap, FastSet};

use anyhow::Context;
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
    min_stem: u8,
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
    /// The suffixes, and the stop words where they are dropped, read from a word's end.
    ends: Ends,
    protected: FastSet<String>,
    longest_protected: usize,
    /// The first and the last characters of the protected nouns.
    protected_starts: SyllableFilter,
    protected_ends: SyllableFilter,
    /// Every syllable of the protected nouns (and of 주의, protected by rule).
    protected_syllables: SyllableFilter,
    stopwords: FastSet<String>,
    drop_stopwords: bool,
}

impl KoreanStemmer {
    pub fn new(stopwords: HashSet<String>, drop_stopwords: bool, strip_jeok: bool) -> anyhow::Result<KoreanStemmer> {
        let rules: Rules = toml::from_str(BUILTIN_RULES).context("data/builtin/korean.toml")?;
        let mut suffixes = FastMap::default();
        let mut add = |s: String, after: After, min_stem: u8| {
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
        let first = |s: &String| s.chars().next();
        let dropped = if drop_stopwords { stopwords.iter().map(String::as_str).collect() } else { Vec::new() };
        Ok(KoreanStemmer {
            ends: Ends::new(&suffixes, &dropped)?,
            protected_starts: SyllableFilter::of(rules.protected.iter().filter_map(first)),
            protected_ends: SyllableFilter::of(rules.protected.iter().filter_map(|p| p.chars().next_back())),
            protected_syllables: SyllableFilter::of(rules.protected.iter().flat_map(|p| p.chars()).chain(['주', '의'])),
            longest_protected: rules.protected.iter().map(|p| syllables(p)).max().unwrap_or(1),
            protected: rules.protected.into_iter().collect(),
            stopwords: stopwords.into_iter().collect(),
            drop_stopwords,
        })
    }

    /// The stem of a run of Hangul, or `None` when it is a stop word or nothing is left.
    pub fn stem<'w>(&self, word: &'w str) -> Option<&'w str> {
        // Most words end in a syllable no suffix or stop word ends in (54% of YNAT's tokens do): they are their
        // own stem, told by one bit.
        if !self.ends.last.may_contain(word.chars().next_back()?) {
            return Some(word);
        }
        let bytes = word.as_bytes();
        let n = bytes.len() / 3;
        // Valid UTF-8 whose every third byte, from the first, starts a three-byte character is all three-byte
        // characters (as every Hangul one is): character k starts at byte 3k, and is decoded from its three bytes.
        if bytes.len() % 3 == 0 && n <= WORD_ON_STACK && bytes.iter().step_by(3).all(|&b| b & 0xF0 == 0xE0) {
            let mut chars = ['\0'; WORD_ON_STACK];
            for (c, b) in chars.iter_mut().zip(bytes.chunks_exact(3)) {
                *c = three_byte_char(b);
            }
            return self.stem_of(word, &chars[..n], |k| 3 * k);
        }
        let chars: Vec<char> = word.chars().collect();
        let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
        self.stem_of(word, &chars, |k| starts[k])
    }

    pub fn is_stopword(&self, word: &str) -> bool {
        self.drop_stopwords && self.stopwords.contains(word)
    }

    /// `stem` of `word`, whose characters are `chars`, character `k` starting at byte `at(k)` (`at(n)`: the end).
    fn stem_of<'w>(&self, word: &'w str, chars: &[char], at: impl Fn(usize) -> usize) -> Option<&'w str> {
        let ends = self.ends.read(chars);
        if ends.stopword {
            return None;
        }
        let cut = self.cut(word, chars, &at, &ends);
        if cut == 0 {
            return None;
        }
        let stem = &word[..at(cut)];
        // A word left whole was not a stop word; a stem may be one.
        if cut < chars.len() && self.is_stopword(stem) {
            return None;
        }
        Some(stem)
    }

    /// Where the stem ends, in characters: before the longest suffix whose conditions hold and that does not fall
    /// inside a protected noun (한반도의 → 한반도, never 한반); the word's length where none does.
    fn cut(&self, word: &str, chars: &[char], at: impl Fn(usize) -> usize, ends: &WordEnds) -> usize {
        let n = chars.len();
        // -ism (민주주의, 다자주의) but not a place + 의 (광주의, 호주의).
        let ism = |s: usize| chars[s] == '주' && s >= 2;
        let may_start = |s: usize| ism(s) || self.protected_starts.may_contain(chars[s]);
        let is_protected = |s: usize, e: usize| {
            (e == s + 2 && ism(s) && chars[s + 1] == '의')
                || (self.protected_starts.may_contain(chars[s])
                    && self.protected_ends.may_contain(chars[e - 1])
                    && self.protected.contains(&word[at(s)..at(e)]))
        };
        // A cut before syllable `cut` is refused when it splits a protected noun that the word could end with
        // (nothing, or a suffix, after it: 한반도|의), unless a longer protected noun ends right at the cut
        // (고속도로|의 is not split by 속도). 자동차이고 stays cuttable: 차이 is followed by 고, not a suffix.
        let inside_protected = |cut: usize| {
            // Only a protected noun with both syllables around the cut can be split by it: where either is in no
            // protected noun, the loops below are skipped (YNAT's slow path 63 -> 55 ns a word).
            if !(self.protected_syllables.may_contain(chars[cut - 1])
                && self.protected_syllables.may_contain(chars[cut]))
            {
                return false;
            }
            // The longest protected noun ending at the cut, and the longest one the cut would split.
            let (mut ending, mut split) = (0, 0);
            for s in (cut.saturating_sub(self.longest_protected)..cut).filter(|&s| may_start(s)) {
                if is_protected(s, cut) {
                    ending = ending.max(cut - s);
                }
                for e in cut + 1..=(s + self.longest_protected).min(n) {
                    if (e == n || ends.suffix_from(n, e)) && is_protected(s, e) {
                        split = split.max(e - s);
                    }
                }
            }
            split > ending
        };
        // The longest suffix first; the syllable before it is checked before the protected nouns around the cut,
        // which take a loop and hash lookups (the slow path of YNAT's stemming 77 -> 74 ns a word).
        for (cut, rule) in ends.suffixes(n) {
            if cut < usize::from(rule.min_stem) {
                continue;
            }
            let before = chars[cut - 1];
            let fits = match (rule.after, final_consonant(before)) {
                (After::Any, _) => true,
                (After::Jeok, _) => before == '적',
                (_, None) => false,
                (After::Consonant, Some((has, _))) => has,
                (After::Vowel, Some((has, _))) => !has,
                (After::VowelOrRieul, Some((has, rieul))) => !has || rieul,
            };
            if fits && !inside_protected(cut) {
                return cut;
            }
        }
        n
    }
}

/// Words of up to this many characters (every Korean word but a run of text without spaces) are stemmed without
/// an allocation.
const WORD_ON_STACK: usize = 32;

/// The suffixes and the stop words, each reversed, in one trie: reading a word from its last character back, one
/// step per character finds every suffix the word ends with and whether the whole word is a stop word. Since Korean
/// runs skip the word cache, this runs on every Korean token: with a hash lookup of each ending of the word, tried
/// longest first, and two of the stop words, stemming took 316 instructions a token on YNAT, with this walk (and
/// the one-bit test in [`KoreanStemmer::stem`]) 186.
#[derive(Debug)]
struct Ends {
    /// The characters a suffix or a stop word ends with.
    last: SyllableFilter,
    /// The root's child for each Hangul syllable (0: none), found in one read.
    root: Vec<u16>,
    /// Node `k`'s children, sorted by character: `children[first[k]..first[k + 1]]`; the root is node 0.
    first: Vec<u32>,
    children: Vec<(char, u16)>,
    /// The suffix that ends at each node, if any.
    suffix: Vec<Option<Suffix>>,
    /// Whether the characters that lead to each node, read backwards, are a whole stop word.
    stopword: Vec<bool>,
}

/// The longest suffix is at most this many characters.
const LONGEST_SUFFIX: usize = 16;

/// What [`Ends::read`] found at the end of a word.
#[derive(Debug)]
struct WordEnds {
    /// Bit `len - 1` for each suffix of `len` characters the word ends with and that leaves a stem.
    found: u32,
    /// The rules of those suffixes, by `len - 1`.
    rules: [Suffix; LONGEST_SUFFIX],
    stopword: bool,
}

impl WordEnds {
    /// The suffix rules that apply, with their cuts, longest suffix first, in a word of `n` characters.
    fn suffixes(&self, n: usize) -> impl Iterator<Item = (usize, Suffix)> + '_ {
        let mut left = self.found;
        std::iter::from_fn(move || {
            let i = 31usize.checked_sub(left.leading_zeros() as usize)?;
            left &= !(1 << i);
            Some((n - i - 1, self.rules[i]))
        })
    }

    /// Whether a suffix begins at character `k` of a word of `n` characters.
    fn suffix_from(&self, n: usize, k: usize) -> bool {
        self.found.checked_shr((n - k - 1) as u32).is_some_and(|bits| bits & 1 == 1)
    }
}

impl Ends {
    fn new(suffixes: &FastMap<String, Suffix>, stopwords: &[&str]) -> anyhow::Result<Ends> {
        // Built as (node, character) → child, then laid out flat.
        let mut edges: FastMap<(u16, char), u16> = FastMap::default();
        let (mut suffix, mut stopword) = (vec![None], vec![false]);
        let words =
            suffixes.iter().map(|(s, &rule)| (s.as_str(), Some(rule))).chain(stopwords.iter().map(|&s| (s, None)));
        for (s, rule) in words {
            anyhow::ensure!(
                rule.is_none() || syllables(s) <= LONGEST_SUFFIX,
                "the Korean suffix {s} is longer than {LONGEST_SUFFIX}"
            );
            let mut node = 0;
            for c in s.chars().rev() {
                let next = u16::try_from(suffix.len()).context("too many Korean suffixes and stop words")?;
                node = *edges.entry((node, c)).or_insert(next);
                if node == next {
                    suffix.push(None);
                    stopword.push(false);
                }
            }
            match rule {
                Some(rule) => suffix[node as usize] = Some(rule),
                None => stopword[node as usize] = true,
            }
        }
        let mut edges: Vec<((u16, char), u16)> = edges.into_iter().collect();
        edges.sort_unstable();
        let mut first = vec![0u32; suffix.len() + 1];
        edges.iter().for_each(|&((node, _), _)| first[node as usize + 1] += 1);
        for k in 0..suffix.len() {
            first[k + 1] += first[k];
        }
        let mut root = vec![0u16; SyllableFilter::SYLLABLES as usize];
        for &((node, c), child) in &edges {
            if let (0, Some(k)) = (node, SyllableFilter::index(c)) {
                root[k] = child;
            }
        }
        let endings = suffixes.keys().map(String::as_str).chain(stopwords.iter().copied());
        Ok(Ends {
            last: SyllableFilter::of(endings.filter_map(|s| s.chars().next_back())),
            root,
            first,
            children: edges.into_iter().map(|((_, c), child)| (c, child)).collect(),
            suffix,
            stopword,
        })
    }

    /// The child of `node` by character `c`, if any.
    fn child(&self, node: u16, c: char) -> Option<u16> {
        if node == 0 {
            if let Some(k) = SyllableFilter::index(c) {
                return Some(self.root[k]).filter(|&child| child != 0);
            }
        }
        let children = &self.children[self.first[node as usize] as usize..self.first[node as usize + 1] as usize];
        children.binary_search_by_key(&c, |&(c, _)| c).ok().map(|i| children[i].1)
    }

    fn read(&self, chars: &[char]) -> WordEnds {
        let none = Suffix { after: After::Any, min_stem: 0 };
        let mut ends = WordEnds { found: 0, rules: [none; LONGEST_SUFFIX], stopword: false };
        let mut node = 0;
        for (len, &c) in chars.iter().rev().enumerate() {
            let Some(next) = self.child(node, c) else { break };
            node = next;
            if len + 1 < chars.len() {
                // A suffix that leaves a stem of at least one character; at most LONGEST_SUFFIX deep.
                if let Some(rule) = self.suffix[node as usize] {
                    ends.found |= 1 << len;
                    ends.rules[len] = rule;
                }
            } else {
                ends.stopword = self.stopword[node as usize];
            }
        }
        ends
    }
}

/// The phonological condition and the shortest stem for a case particle.
fn particle_condition(p: &str) -> (After, u8) {
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
    let min_stem: u8 = if ["도", "만", "나", "뿐", "가", "와", "과", "란", "서", "아", "야", "든", "면", "라", "대로"]
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
