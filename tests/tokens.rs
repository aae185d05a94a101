//! `hanmi tokens` on the first seed page: the analyzer's features as a user sees them.

mod common;

use common::{hanmi, repo_file, stderr};

fn tokens(extra: &[&str]) -> Vec<String> {
    let seed = repo_file("data/seeds/000_afddf31a8481b1f2.txt");
    let run = hanmi(&[&["tokens", "--input", seed.to_str().unwrap()][..], extra].concat());
    assert!(run.status.success(), "{}", stderr(&run));
    let line: serde_json::Value = serde_json::from_slice(&run.stdout).expect("one JSON line");
    assert_eq!(line["id"], "000_afddf31a8481b1f2");
    line["tokens"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect()
}

#[test]
fn seed_page_tokens_carry_concepts_stems_and_the_korean_keyword() {
    let t = tokens(&[]);
    for concept in ["rok_us_alliance", "north_korea", "united_states", "denuclearization", "integration"] {
        assert!(t.contains(&concept.to_string()), "{concept} in {t:?}");
    }
    assert!(t.contains(&"정성윤".to_string()), "the Korean keyword");
    assert!(!t.contains(&"us".to_string()), "U.S. is never the pronoun us");
    // Without the glossary and stop-word removal: the analyzer's own stems.
    let bare = tokens(&["--no-glossary", "--keep-stopwords"]);
    for stem in ["allianc", "integr", "denuclear", "north", "korea", "u.s.", "the"] {
        assert!(bare.contains(&stem.to_string()), "{stem} in {bare:?}");
    }
    assert!(!bare.contains(&"us".to_string()));
}
