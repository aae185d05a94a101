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

/// foldhash, not SipHash: every distinct Korean word looks up several suffixes and protected nouns.
type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

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

/// Particles that end a noun phrase. Compound particles (에서는, 으로부터, 과의…) are built from these.
const CASE_PARTICLES: &[&str] = &[
    "에",
    "에서",
    "에게",
    "에게서",
    "께",
    "께서",
    "한테",
    "으로",
    "로",
    "으로서",
    "로서",
    "으로써",
    "로써",
    "으로부터",
    "로부터",
    "에서부터",
    "와",
    "과",
    "하고",
    "이랑",
    "랑",
    "보다",
    "처럼",
    "까지",
    "부터",
    "만큼",
    "마다",
    "대로",
    "밖에",
    "조차",
    "마저",
    "이나",
    "나",
    "이라도",
    "라도",
    "이란",
    "란",
    "만",
    "뿐",
    "이며",
    "며",
    "에의",
    "이",
    "가",
    "은",
    "는",
    "을",
    "를",
    "의",
    "도",
    "으로는",
    "이라는",
    "라는",
    "이라고",
    "라고",
    "서",
    "서도",
    "서는",
    "엔",
    "에선",
    "로선",
    "으로선",
    "이든",
    "든",
    "이든지",
    "든지",
    "아",
    "야",
];
/// Case particles that take a second particle after them (에서 + 는); the others never do (랑 + 은 is not Korean).
const COMBINING_PARTICLES: &[&str] = &[
    "에",
    "에서",
    "에게",
    "에게서",
    "께",
    "께서",
    "한테",
    "으로",
    "로",
    "으로서",
    "로서",
    "으로써",
    "로써",
    "으로부터",
    "로부터",
    "에서부터",
    "와",
    "과",
    "하고",
    "보다",
    "처럼",
    "까지",
    "부터",
    "만큼",
    "마다",
    "대로",
    "만",
    "뿐",
];
/// What may follow a case particle: 에서 + 는 = 에서는, 과 + 의 = 과의.
const TRAILING_PARTICLES: &[&str] = &["는", "은", "도", "의", "만", "을", "를", "이", "가", "까지", "조차", "마저"];
/// The copula after a noun (문제이다, 전략적인, 핵심이었다).
const COPULA: &[&str] = &[
    "이다",
    "이며",
    "이고",
    "이었다",
    "였다",
    "이었던",
    "였던",
    "입니다",
    "이지만",
    "이라며",
    "이라면",
    "이어서",
    "이자",
    "이던",
    "이어야",
    "이기",
    "이기도",
    "이라서",
];
/// Endings of 하다 (강화했다, 협력하는, 발표한); 되다, 당하다 forms are made from them.
const HADA: &[&str] = &[
    "하다",
    "하는",
    "하고",
    "하며",
    "하면",
    "하지",
    "하게",
    "하자",
    "하던",
    "하도록",
    "하면서",
    "하므로",
    "하여",
    "하여야",
    "하였다",
    "하였으며",
    "하였고",
    "하겠다",
    "하겠다는",
    "하거나",
    "하는데",
    "하니",
    "한",
    "한다",
    "한다는",
    "한다고",
    "할",
    "함",
    "합니다",
    "했다",
    "했고",
    "했으며",
    "했던",
    "했는데",
    "했지만",
    "했다는",
    "했다고",
    "했으나",
    "했을",
    "해야",
    "해서",
    "해도",
    "해온",
    "해왔다",
    "해왔으며",
    "하기로",
    "하기도",
    "하기에",
    "하기는",
    "하려",
    "하려고",
    "하려는",
    "하자는",
    "하라",
    "하라는",
    "하는지",
    "하지만",
    "하고자",
    "해야한다",
    "해야할",
    "하기위해",
    "하게된",
    "하였던",
    "하면서도",
    "할수",
    "할지",
    "한데",
    "해",
    "해라",
    "해요",
    "해야죠",
    "하세요",
    "했네요",
    "하러",
    "하려다",
    "해지면",
    "해지세요",
    "해달라",
    "한가",
    "하자",
    "했다던",
    "해진",
    "해졌다",
    "해지는",
    "하니까",
    "했을까",
    "할까",
    "하라고",
    "키로",
    "없이",
    "없는",
    "없다",
    "없어",
    "없고",
    "없었다",
    "있는",
    "있다",
    "있어",
    "있고",
    "있었다",
    "않으면",
    "않는",
    "않은",
    "않고",
    "않아",
    "않았다",
    "스러운",
    "스럽다",
    "스럽게",
    "스런",
    "로운",
    "롭다",
    "롭게",
    "로워",
];
const DOEDA: &[&str] = &[
    "되다",
    "되는",
    "되고",
    "되며",
    "되면",
    "되기",
    "되지",
    "되게",
    "되던",
    "되도록",
    "되면서",
    "되므로",
    "되어",
    "되어야",
    "되었다",
    "되었으며",
    "되었고",
    "되겠다",
    "되거나",
    "되는데",
    "된",
    "된다",
    "된다는",
    "된다고",
    "될",
    "됨",
    "됩니다",
    "됐다",
    "됐고",
    "됐으며",
    "됐던",
    "됐다는",
    "됐다고",
    "됐지만",
    "됐으나",
    "돼",
    "돼야",
    "돼서",
    "되어서",
    "되기도",
    "되기로",
    "되었던",
    "되자",
    "되지만",
    "될지",
    "되었지만",
];
const BATDA: &[&str] = &[
    "받다",
    "받는",
    "받고",
    "받으며",
    "받으면",
    "받기",
    "받지",
    "받게",
    "받던",
    "받은",
    "받을",
    "받음",
    "받았다",
    "받았고",
    "받았으며",
    "받았던",
    "받아",
    "받아야",
    "받습니다",
    "받아온",
    "받아왔다",
];
const SIKIDA: &[&str] = &[
    "시키다",
    "시키는",
    "시키고",
    "시키며",
    "시키기",
    "시킨",
    "시킬",
    "시킴",
    "시켰다",
    "시켰고",
    "시켰으며",
    "시켜",
    "시켜야",
    "시켰던",
    "시키려는",
    "시키지",
];

/// Nouns whose last syllables look like a suffix; a suffix is never cut inside one of these endings.
const PROTECTED_ENDINGS: &[&str] = &[
    "회의",
    "합의",
    "협의",
    "논의",
    "결의",
    "동의",
    "정의",
    "토의",
    "항의",
    "강의",
    "건의",
    "심의",
    "의의",
    "반도",
    "제도",
    "정도",
    "태도",
    "한도",
    "속도",
    "의도",
    "시도",
    "지도",
    "주도",
    "인도",
    "용도",
    "각도",
    "온도",
    "고도",
    "압도",
    "보도",
    "전도",
    "유도",
    "적도",
    "결과",
    "효과",
    "성과",
    "통과",
    "부과",
    "사과",
    "경과",
    "초과",
    "간과",
    "대만",
    "불만",
    "오만",
    "북한",
    "남한",
    "방한",
    "주한",
    "재한",
    "제한",
    "권한",
    "무한",
    "매도",
    "철도",
    "도로",
    "북도",
    "남도",
    "허가",
    "저가",
    "고가",
    "주가",
    "유가",
    "시가",
    "교란",
    "내란",
    "결함",
    "문서",
    "보고서",
    "질서",
    "순서",
    "정서",
    "각서",
    "비서",
    "경찰서",
    "소방서",
    "세무서",
    "부서",
    "증서",
    "백서",
    "계약서",
    "의정서",
    "성명서",
    "합의서",
    "교과서",
    "설명서",
    "계획서",
    "신청서",
    "청서",
    "정당",
    "상당",
    "담당",
    "해당",
    "대가",
    "추가",
    "휴가",
    "강도",
    "부도",
    "국인",
    "변인",
    "최대한",
    "최소한",
    "잠수함",
    "군함",
    "구축함",
    "역할",
    "분할",
    "관할",
    "평가",
    "국가",
    "차이",
    "사이",
    "원인",
    "개인",
    "군인",
    "요인",
    "확인",
    "승인",
    "용인",
    "부인",
    "노인",
    "거리",
    "다리",
    "이상",
    "피해",
    "이해",
    "방해",
    "침해",
    "손해",
    "재해",
    "견해",
    "동해",
    "서해",
    "남해",
    "황해",
    "상해",
    "살해",
    "오해",
    "과도",
    "미만",
    "여야",
    "연고",
    "경고",
    "보고",
    "최고",
    "재고",
    "참고",
    "광고",
    "신고",
    "공고",
    "경로",
    "통로",
    "진로",
    "항로",
    "활로",
    "원로",
    "기로",
    "시기",
    "위기",
    "무기",
    "계기",
    "시인",
    "가도",
    "나라",
    "기회",
    "의회",
    "이라크",
    "이란",
    "가나",
    "캐나다",
    "바다",
    "러시아",
    "아시아",
    "인도네시아",
    "말레이시아",
    "이스라엘",
    "세로",
    "가로",
];

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

/// The suffix rules, built once: every suffix with the conditions under which it may be cut.
#[derive(Debug)]
pub struct KoreanStemmer {
    suffixes: FastMap<String, Suffix>,
    longest: usize,
    protected: FastSet<&'static str>,
    longest_protected: usize,
    stopwords: FastSet<String>,
    drop_stopwords: bool,
}

impl KoreanStemmer {
    pub fn new(stopwords: HashSet<String>, drop_stopwords: bool, strip_jeok: bool) -> KoreanStemmer {
        let mut suffixes = FastMap::default();
        let mut add = |s: String, after: After, min_stem: usize| {
            suffixes.entry(s).or_insert(Suffix { after, min_stem });
        };
        for p in CASE_PARTICLES {
            let (after, min_stem) = particle_condition(p);
            add(p.to_string(), after, min_stem);
            if !COMBINING_PARTICLES.contains(p) {
                continue;
            }
            for t in TRAILING_PARTICLES {
                let combined = format!("{p}{t}");
                if !CASE_PARTICLES.contains(&combined.as_str()) {
                    add(combined, after, min_stem);
                }
            }
        }
        for c in COPULA {
            let after = if *c == "였다" || *c == "였던" { After::Vowel } else { After::Any };
            add(c.to_string(), after, if *c == "인" || *c == "일" || *c == "임" { 2 } else { 1 });
        }
        add("인".to_string(), After::Jeok, 2);
        for forms in [HADA, DOEDA, BATDA, SIKIDA] {
            for f in forms {
                // A lone 한/할/함/된/해 is cut only after two syllables (북한 stays, 강화한 goes).
                let min_stem = if syllables(f) == 1 || *f == "키로" { 2 } else { 1 };
                add(f.to_string(), After::Any, min_stem);
            }
        }
        // The passive 당하다 (공격당했다): only its longer forms, and only after two syllables, so that
        // 정당한, 상당한, 담당하는 lose just their 하다 ending.
        for f in HADA.iter().filter(|f| f.starts_with(['하', '한', '할', '함', '했', '해'])) {
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
        KoreanStemmer {
            suffixes,
            longest,
            protected: PROTECTED_ENDINGS.iter().copied().collect(),
            longest_protected: PROTECTED_ENDINGS.iter().map(|p| syllables(p)).max().unwrap_or(1),
            stopwords: stopwords.into_iter().collect(),
            drop_stopwords,
        }
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
        // Whether a protected noun spans the cut before syllable `cut`.
        let inside_protected = |cut: usize| {
            (cut.saturating_sub(self.longest_protected - 1)..cut).any(|s| {
                (cut + 1..=(s + self.longest_protected).min(n)).any(|e| {
                    let piece = &word[at(s)..at(e)];
                    // -ism (민주주의, 다자주의) but not a place + 의 (광주의, 호주의).
                    self.protected.contains(piece) || (piece == "주의" && s >= 2)
                })
            })
        };
        for len in (1..=self.longest.min(n.saturating_sub(1))).rev() {
            let cut = n - len;
            let byte = at(cut);
            let Some(rule) = self.suffixes.get(&word[byte..]) else { continue };
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
    let after = if p.starts_with('으') || ["이", "은", "을", "과"].iter().any(|c| p.starts_with(c)) {
        After::Consonant
    } else if p.starts_with('로') {
        After::VowelOrRieul
    } else if ["가", "는", "를", "와", "나", "란", "라", "랑", "며"].iter().any(|c| p.starts_with(c)) {
        After::Vowel
    } else {
        After::Any
    };
    // Short particles that also end many nouns are cut only after two syllables (대가, 추가 keep their 가).
    let min_stem = if ["도", "만", "나", "의", "뿐", "가", "와", "과", "란", "서", "아", "야", "든"].contains(&p)
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
