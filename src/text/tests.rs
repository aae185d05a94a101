use super::*;

fn analyzer(config: AnalyzerConfig) -> Analyzer {
    Analyzer::new(&config).expect("analyzer builds")
}

fn bare() -> Analyzer {
    analyzer(AnalyzerConfig { glossary: false, ..AnalyzerConfig::default() })
}

fn stem(word: &str) -> Vec<String> {
    analyzer(AnalyzerConfig { glossary: false, stopwords: false, ..AnalyzerConfig::default() }).analyze(word)
}

#[test]
fn korean_particles_and_endings_are_cut() {
    let cases = [
        ("동맹의", "동맹"),
        ("북한은", "북한"),
        ("비핵화를", "비핵화"),
        ("통일부는", "통일부"),
        ("협력이", "협력"),
        ("미국과의", "미국"),
        ("북한에서는", "북한"),
        ("일본으로부터", "일본"),
        ("한반도의", "한반도"),
        ("국가들은", "국가"),
        ("강화했다", "강화"),
        ("협력하는", "협력"),
        ("발표한", "발표"),
        ("배치되었다", "배치"),
        ("지원받은", "지원"),
        ("공격당했다", "공격"),
        ("발전시켰다", "발전"),
        ("전략적인", "전략적"),
        ("전략적으로", "전략적"),
        ("문제이다", "문제"),
        ("정당한", "정당"),
        ("담당하는", "담당"),
        ("결과를", "결과"),
        ("주한미군의", "주한미군"),
    ];
    for (word, expected) in cases {
        assert_eq!(stem(word), [expected], "{word}");
    }
}

#[test]
fn korean_words_longer_than_the_stack_buffer_are_cut_alike() {
    let long = "한미동맹".repeat(10);
    assert_eq!(stem(&format!("{long}에서는")), [long.as_str()]);
    assert_eq!(stem(&format!("{long}의 {long}")), [long.clone(), long]);
}

#[test]
fn korean_nouns_that_look_inflected_stay_whole() {
    for word in
        ["미국", "한국", "거리", "국가", "전문가", "차이", "회의", "한반도", "결과", "북한", "남북한", "대만", "통일"]
    {
        assert_eq!(stem(word), [word], "{word}");
    }
}

#[test]
fn jeok_is_cut_only_when_asked() {
    let a = analyzer(AnalyzerConfig { glossary: false, korean_strip_jeok: true, ..AnalyzerConfig::default() });
    assert_eq!(a.analyze("전략적인 협력"), ["전략", "협력"]);
}

#[test]
fn decomposed_hangul_gives_the_same_tokens() {
    use unicode_normalization::UnicodeNormalization;
    let text = "한미동맹의 전략적 통합은 비핵화를 위한 것이다";
    let nfd: String = text.nfd().collect();
    assert_ne!(nfd, text);
    assert_eq!(bare().analyze(&nfd), bare().analyze(text));
}

#[test]
fn scripts_are_split_inside_words() {
    assert_eq!(bare().analyze("ROK-US동맹"), ["rok", "u.s.", "동맹"]);
    assert_eq!(bare().analyze("2021년 3월"), ["2021"]);
}

#[test]
fn korean_stop_words_are_dropped() {
    assert_eq!(bare().analyze("이번 회담을 통해 협력 등 것으로 있다"), ["회담", "협력"]);
    // Whole words (있었다 ends like a copula, 대해서 like a particle) and the stems left by a cut (등의, 우리의).
    assert_eq!(bare().analyze("있었다 대해서 등의 우리의 동맹"), ["동맹"]);
}

#[test]
fn english_chain_on_the_seed_abstract() {
    // From the first seed page's English abstract.
    let text = "This study examines the strategic integration of the ROK-U.S. alliance under the Biden \
                administration and North Korea's denuclearization.";
    let tokens = bare().analyze(text);
    for t in ["studi", "examin", "strateg", "integr", "rok", "u.s.", "allianc", "biden", "administr", "north"] {
        assert!(tokens.contains(&t.to_string()), "{t} in {tokens:?}");
    }
    assert!(tokens.contains(&"denuclear".to_string()));
    assert!(!tokens.contains(&"us".to_string()) && !tokens.contains(&"the".to_string()));
}

#[test]
fn glossary_joins_korean_and_english() {
    let a = analyzer(AnalyzerConfig::default());
    let ko = a.analyze("북한의 비핵화와 주한미군");
    let en = a.analyze("North Korea's denuclearization and USFK");
    assert_eq!(ko, en, "{ko:?} vs {en:?}");
    assert!(ko.contains(&"north_korea".to_string()));
    // The longest phrase wins: "North Korea" is one concept, not "north" + korea.
    assert!(!en.contains(&"north".to_string()));
}

#[test]
fn builtin_glossary_is_large_and_every_form_analyzes() {
    let concepts = glossary::parse(glossary::BUILTIN_GLOSSARY, "builtin").unwrap();
    assert!(concepts.len() >= 60, "{} concepts", concepts.len());
    assert!(concepts.iter().all(|c| !c.en.is_empty() && !c.ko.is_empty()), "every concept has both languages");
    let a = analyzer(AnalyzerConfig::default());
    assert!(a.warnings().is_empty(), "{:?}", a.warnings());
}

#[test]
fn word_ngrams_follow_scikit_learn() {
    let a = analyzer(AnalyzerConfig { glossary: false, ngram_range: (1, 2), ..AnalyzerConfig::default() });
    assert_eq!(
        a.analyze("strategic integration deepens"),
        ["strateg", "integr", "deepen", "strateg integr", "integr deepen"]
    );
    let b = analyzer(AnalyzerConfig { glossary: false, ngram_range: (2, 2), ..AnalyzerConfig::default() });
    assert_eq!(b.analyze("strategic integration deepens"), ["strateg integr", "integr deepen"]);
}

#[test]
fn korean_bigrams_as_lucene() {
    let a = analyzer(AnalyzerConfig { glossary: false, korean_bigrams: true, ..AnalyzerConfig::default() });
    assert_eq!(a.analyze("비핵화를 미"), ["비핵", "핵화", "미"]);
}

#[test]
fn sessions_reuse_cached_words() {
    let a = bare();
    let mut s = a.session();
    let (mut x, mut y) = (Vec::new(), Vec::new());
    s.tokens("alliance alliances Alliance", &mut x);
    s.tokens("the alliance", &mut y);
    assert_eq!(x, [x[0], x[0], x[0]]);
    assert_eq!(y, [x[0]]);
    let mut seen = 0;
    s.for_each_surface(&mut |id, surface, n| {
        if id == x[0] && surface == Some("alliance") {
            seen += n;
        }
    });
    assert_eq!(seen, 3, "alliance, Alliance and alliance again");
}

#[cfg(feature = "ko-dic")]
#[test]
fn morphological_korean_keeps_nouns_and_stems_and_drops_particles() {
    let a = analyzer(AnalyzerConfig { glossary: false, korean: KoreanMode::Morph, ..AnalyzerConfig::default() });
    let tokens = a.analyze("한미동맹의 전략적 통합은 비핵화를 위한 ROK-US 공조를 강화했다");
    for t in ["통합", "비핵화", "rok", "u.s.", "공조"] {
        assert!(tokens.contains(&t.to_string()), "{t} in {tokens:?}");
    }
    assert!(tokens.iter().all(|t| !["의", "은", "를", "했다"].contains(&t.as_str())), "{tokens:?}");
    assert!(tokens.iter().any(|t| t.starts_with("한미")), "{tokens:?}");
}

#[test]
fn surfaces_that_are_their_terms_come_once_with_their_total() {
    let a = bare();
    let mut s = a.session();
    let mut ids = Vec::new();
    s.tokens("동맹을 동맹의 동맹 동맹의 korea Korea koreas", &mut ids);
    let (alliance, korea) = (ids[0], ids[4]);
    assert_eq!(ids, [alliance, alliance, alliance, alliance, korea, korea, korea]);
    let mut calls = Vec::new();
    s.for_each_surface(&mut |id, surface, n| {
        if id == alliance || id == korea {
            calls.push((id == alliance, surface.unwrap_or(s.term(id)).to_string(), surface.is_none(), n));
        }
    });
    calls.sort();
    // The stem 동맹 and the unstemmed korea are their words' own surfaces: one call each, with the total.
    assert_eq!(
        calls,
        [(false, "korea".into(), true, 2), (false, "koreas".into(), false, 1), (true, "동맹".into(), true, 4)]
    );
}

/// Korean words are stemmed at every occurrence instead of cached; the terms, their surfaces and their counts
/// must be those of the cached analysis, glossary phrases of one and several words included.
#[test]
fn korean_stemmed_at_every_occurrence_gives_what_the_word_cache_gives() {
    let mut texts: Vec<String> = read_texts(concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo/alliance_records_ko.csv"));
    texts.push("한미 동맹의 한미동맹 동맹국 주한 미군 철수를 주한미군 감축 전시작전통제권 韓美".to_string());
    let ynat = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/ynat/klue_ynat_20k.csv");
    if std::path::Path::new(ynat).exists() {
        texts.extend(read_texts(ynat).into_iter().take(5000));
    } else {
        eprintln!("skipping the YNAT headlines: {ynat} is absent");
    }
    for config in [AnalyzerConfig::default(), AnalyzerConfig { stopwords: false, ..AnalyzerConfig::default() }] {
        let a = analyzer(config);
        let (mut direct, mut cached) = (a.session(), Session::with_every_word_cached(&a));
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for text in &texts {
            x.clear();
            y.clear();
            direct.tokens(text, &mut x);
            cached.tokens(text, &mut y);
            let terms = |s: &Session, ids: &[u32]| ids.iter().map(|&id| s.term(id).to_string()).collect::<Vec<_>>();
            assert_eq!(terms(&direct, &x), terms(&cached, &y), "{text}");
        }
        let surfaces = |s: &Session| {
            let mut all = std::collections::BTreeMap::new();
            s.for_each_surface(&mut |id, surface, n| {
                *all.entry((s.term(id).to_string(), surface.unwrap_or(s.term(id)).to_string())).or_insert(0) += n;
            });
            all
        };
        assert_eq!(surfaces(&direct), surfaces(&cached));
    }
}

/// The `text` column of a CSV file.
fn read_texts(path: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).expect(path);
    let column = reader.headers().expect(path).iter().position(|h| h == "text").expect("a text column");
    reader.records().map(|r| r.expect(path)[column].to_string()).collect()
}

#[test]
fn a_capitalised_word_after_its_lowercase_form_is_analysed_alike() {
    // Glossary on: a capitalised word takes its lowercase twin's terms with the concepts already applied.
    let a = analyzer(AnalyzerConfig::default());
    for word in ["Alliance", "Sanctions", "Denuclearization", "THE", "Integrated", "KoreaF35", "Peninsula"] {
        let lower = word.to_ascii_lowercase();
        let mut s = a.session();
        let together = s.terms(&format!("{lower} {word} {lower}"));
        let (alone_lower, alone) = (a.session().terms(&lower), a.session().terms(word));
        assert_eq!(together, [alone_lower.clone(), alone, alone_lower].concat(), "{word}");
    }
}

#[test]
fn glossary_phrases_are_found_wherever_their_words_stand() {
    let a = analyzer(AnalyzerConfig::default());
    let mut s = a.session();
    let mut terms = |text: &str| -> Vec<String> {
        let mut ids = vec![7]; // what the caller already holds is left alone
        s.tokens(text, &mut ids);
        assert_eq!(ids[0], 7);
        ids[1..].iter().map(|&id| s.term(id).to_string()).collect()
    };
    // At the start and the end, back to back, the longest first, and not across another word.
    assert_eq!(terms("North Korea policy"), ["nk_policy"]);
    assert_eq!(terms("farmers in North Korea"), ["farmer", "north_korea"]);
    assert_eq!(terms("United States North Korea United States"), ["united_states", "north_korea", "united_states"]);
    assert_eq!(terms("north coast korea"), ["north", "coast", "korea"]);
    // A word of several terms (its dotted parts) that holds a phrase, and a phrase that begins in one.
    assert_eq!(terms("visits united.states farmers"), ["visit", "united_states", "farmer"]);
    assert_eq!(terms("cities of north.korea policy"), ["citi", "nk_policy"]);
    // Beyond one batch of runs: a phrase across the 32nd and 33rd words, and many phrases in one text.
    let long = format!("{} North Korea", "farmers ".repeat(31));
    let expected: Vec<&str> = std::iter::repeat_n("farmer", 31).chain(["north_korea"]).collect();
    assert_eq!(terms(&long), expected);
    let many = "North Korea and the United States ".repeat(40);
    assert_eq!(terms(&many), ["north_korea", "united_states"].repeat(40));
}
