//! The English stemmer against rust-stemmers, the reference it is held to.

use rust_stemmers::{Algorithm, Stemmer};

use super::*;

/// Where this stemmer and rust-stemmers differ on `words`: (word, ours, theirs).
fn differences<'w>(words: impl IntoIterator<Item = &'w str>) -> Vec<(String, String, String)> {
    let snowball = Stemmer::create(Algorithm::English);
    let mut buf = [0u8; BUFFER_LEN];
    words
        .into_iter()
        .filter_map(|w| {
            let ours = stem(w, &mut buf)?.to_string();
            let theirs = snowball.stem(w);
            (ours != theirs).then(|| (w.to_string(), ours, theirs.into_owned()))
        })
        .collect()
}

#[test]
fn stems_are_snowballs_on_every_short_string_of_a_telling_alphabet() {
    // Vowels and `y`, the letters of the conditions (`l`, `s`, `t`, `c`), of doubling (`b`, `d`) and of short
    // syllables (`w`, `x`), and of the suffixes (`n`, `g`, `z`): every string of up to five of them.
    let alphabet = b"aeiouylstcbdwxngz";
    let mut words: Vec<String> = vec![String::new()];
    let mut all = Vec::new();
    for _ in 0..5 {
        words = words.iter().flat_map(|w| alphabet.iter().map(move |&c| format!("{w}{}", c as char))).collect();
        all.extend(words.iter().cloned());
    }
    assert_eq!(differences(all.iter().map(String::as_str)), []);
}

#[test]
fn stems_are_snowballs_on_every_suffix_after_many_stems() {
    // Stems of every shape for the regions and short syllables; the first is the empty one.
    let stems = "a b y ab ay ya by ey sky ski gener commun arsen generat communit arsenal hop hope tap fil fill bow box say play cr tr ti ord rat relat nation condit format sens digit hyster anal log ecolog bio geo catalog fulfil agre fe pr proc succ exc inn out cann herr earr luxuri troubl siz hopp fall hiss fizz fail fil kiwi gas bus pass alliance integr denuclear peninsula korea unit secur militar econom cooper allianc sanction negoti provoc abl bl iz at eas emphas mov lov giv tax sew snow yea yay buy guy toy enjoy deploy anyon";
    let stems: Vec<&str> = std::iter::once("").chain(stems.split(' ')).collect();
    let suffixes: Vec<&[u8]> = STEP_2
        .rules
        .iter()
        .chain(&STEP_3.rules)
        .chain(&STEP_4.rules)
        .flat_map(|r| [r.suffix.text, r.with])
        .chain(EXCEPTIONS.iter().map(|e| e.0.text))
        .chain(INVARIANT_AFTER_1A.iter().map(|w| w.text))
        .chain([
            &b""[..],
            b"s",
            b"es",
            b"ss",
            b"us",
            b"sses",
            b"ies",
            b"ied",
            b"ed",
            b"eed",
            b"ing",
            b"edly",
            b"eedly",
            b"ingly",
            b"y",
            b"ly",
            b"e",
            b"l",
            b"ll",
            b"ement",
            b"ements",
            b"ations",
            b"ically",
            b"fully",
            b"lessly",
            b"ousness",
            b"ities",
            b"izations",
            b"ingness",
            b"edness",
            b"yed",
            b"ying",
            b"yes",
        ])
        .collect();
    let words: Vec<String> = stems
        .iter()
        .flat_map(|s| suffixes.iter().map(move |x| format!("{s}{}", std::str::from_utf8(x).unwrap())))
        .collect();
    assert!(words.len() > 15_000, "{}", words.len());
    assert_eq!(differences(words.iter().map(String::as_str)), []);
}

#[test]
fn stems_are_snowballs_on_every_word_of_the_shared_corpora() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let files = [
        "kcna/kcna_stories_en_2011_2012.csv",
        "kcna/kcna_headlines_en_1997_2014.csv",
        "ungd/ungdc_6countries_1946_2024.csv",
        "20ng/20ng_sklearn_kmeans_example_4cat.csv",
        "stance/ibm_claim_stance.csv",
    ];
    let mut words = std::collections::HashSet::new();
    for file in files.map(|f| dir.join(f)) {
        let Ok(bytes) = std::fs::read(&file) else {
            eprintln!("skipping {}: absent (the shared corpora are not on this machine)", file.display());
            continue;
        };
        // Runs of ASCII letters, lowercased: every word the analyzer could hand to the stemmer, and more.
        for run in bytes.split(|b| !b.is_ascii_alphabetic()).filter(|r| !r.is_empty()) {
            words.insert(run.to_ascii_lowercase());
        }
    }
    let words: Vec<&str> = words.iter().map(|w| std::str::from_utf8(w).unwrap()).collect();
    eprintln!("{} distinct words compared", words.len());
    assert_eq!(differences(words.iter().copied()), []);
}

#[test]
fn words_it_does_not_take_go_to_rust_stemmers() {
    let mut buf = [0u8; BUFFER_LEN];
    for word in ["naïve", "café", "Alliance", "f35", "u.s.", "korea's", &"a".repeat(LONGEST + 1)] {
        assert_eq!(stem(word, &mut buf), None, "{word}");
    }
    assert_eq!(stem(&"a".repeat(LONGEST), &mut buf).map(str::len), Some(LONGEST));
    assert_eq!(stem("", &mut buf), Some(""));
}
