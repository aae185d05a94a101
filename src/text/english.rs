//! English words into terms: acronyms, possessives, stop words, years, Snowball stems.

mod porter2;

use std::collections::HashSet;

use rust_stemmers::{Algorithm, Stemmer};

use super::FastSet;

/// The English steps of the chain, in order: acronym detection, lowercasing, possessive stripping, stop words,
/// Snowball stemming (`porter2` for words of a–z, rust-stemmers for the others).
pub struct EnglishFilter {
    stopwords: FastSet<String>,
    drop_stopwords: bool,
    /// For the words `porter2` does not take (accented letters, very long words).
    stemmer: Stemmer,
}

impl std::fmt::Debug for EnglishFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnglishFilter").field("stopwords", &self.stopwords.len()).finish()
    }
}

impl EnglishFilter {
    pub fn new(stopwords: HashSet<String>, drop_stopwords: bool) -> EnglishFilter {
        EnglishFilter {
            stopwords: stopwords.into_iter().collect(),
            drop_stopwords,
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// A Latin word (`U.S`, `alliance's`, `THAAD`, `Strengthened`) into its term: `emit(term, surface)`, or
    /// nothing for a stop word, a number that is not a year, a single letter. Returns whether it emitted.
    /// Runs once per distinct word of a session; the lowercase form of a short ASCII word stays on the stack.
    pub fn word(&self, word: &str, emit: &mut dyn FnMut(&str, &str)) -> bool {
        if let Some(acronym) = self.acronym(word) {
            emit(&acronym, word.trim_end_matches('.'));
            return true;
        }
        let mut stack = [0u8; 48];
        let owned;
        let lower: &str = if word.is_ascii() && word.len() <= stack.len() {
            ascii_lowercase_into(word.as_bytes(), &mut stack)
        } else {
            owned = word.to_lowercase();
            &owned
        };
        let lower = strip_possessive(lower);
        if lower.chars().count() < 2 || (self.drop_stopwords && self.stopwords.contains(lower)) {
            return false;
        }
        if lower.contains(['.', '\'', '’']) {
            // Dotted lowercase forms (`e.g`, `www.mofa.go`) are not words; their parts are counted by
            // the caller splitting them, here they are simply dropped as noise.
            return false;
        }
        if lower.bytes().any(|b| b.is_ascii_digit()) {
            emit(lower, lower); // `f35`, `g7`: codes, not words to stem
        } else {
            let mut buf = [0u8; porter2::BUFFER_LEN];
            match porter2::stem(lower, &mut buf) {
                // The word itself where the stem is the word: a session then keeps no copy of it as a surface.
                Some(stem) if stem == lower => emit(lower, lower),
                Some(stem) => emit(stem, lower),
                None => emit(&self.stemmer.stem(lower), lower),
            }
        }
        true
    }

    /// The lowercase form of a capitalised word that gives exactly what that form gives (`Alliance`, `THE`), written
    /// into `buf`; `None` for a word without capitals, an acronym, or one whose `.` or `'` may change its analysis.
    /// A session reuses the lowercase word's analysis where it has one: a sentence's first word is mostly a word seen
    /// before in lowercase.
    pub fn lowercase_twin<'b>(&self, word: &str, buf: &'b mut [u8; 48]) -> Option<&'b str> {
        let bytes = word.as_bytes();
        let plain = bytes.len() <= buf.len()
            && bytes.iter().any(u8::is_ascii_uppercase)
            && bytes.iter().all(|b| b.is_ascii_alphanumeric());
        if !plain || self.acronym(word).is_some() {
            return None;
        }
        Some(ascii_lowercase_into(bytes, buf))
    }

    /// `U.S`, `U.N` (dotted capitals) and all-capital words of 2–6 letters (`ROK`, `DPRK`, `THAAD`) are
    /// acronyms: kept whole, never stemmed, never stop words. `US` and `U.S.` are the United States, written
    /// `u.s.` so they can never meet the pronoun `us`; other capitalised stop words (`THE`, `AND` in an all-caps
    /// headline) are ordinary words.
    fn acronym(&self, word: &str) -> Option<String> {
        let bytes = word.as_bytes();
        let dotted = bytes.len() >= 3
            && bytes.iter().enumerate().all(|(i, b)| if i % 2 == 0 { b.is_ascii_uppercase() } else { *b == b'.' });
        if dotted {
            return Some(format!("{}.", word.to_ascii_lowercase()));
        }
        let caps = (2..=6).contains(&bytes.len())
            && bytes.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && bytes[0].is_ascii_uppercase();
        if !caps {
            return None;
        }
        if word == "US" {
            return Some("u.s.".to_string());
        }
        let lower = word.to_ascii_lowercase();
        if self.stopwords.contains(&lower) {
            return None;
        }
        Some(lower)
    }
}

/// The ASCII word `word` (of at most 48 bytes) lowercased into `buf`. Lowercased as it is copied: copied first,
/// then lowercased in place, its bytes were reloaded with wider loads than the copy's stores, which the CPU cannot
/// forward (7% of [`EnglishFilter::word`]'s samples on new words).
fn ascii_lowercase_into<'b>(word: &[u8], buf: &'b mut [u8; 48]) -> &'b str {
    for (lower, &b) in buf.iter_mut().zip(word) {
        *lower = b.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..word.len()]).expect("ASCII is UTF-8")
}

fn strip_possessive(word: &str) -> &str {
    for suffix in ["'s", "’s", "'", "’"] {
        if word.len() > suffix.len() && word.ends_with(suffix) {
            return &word[..word.len() - suffix.len()];
        }
    }
    word
}

/// A run of digits counts only when it is a year (1900–2099): `1994`, `2018`.
pub fn year(digits: &str) -> Option<&str> {
    let b = digits.as_bytes();
    (b.len() == 4 && (digits.starts_with("19") || digits.starts_with("20"))).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> EnglishFilter {
        let stop = ["us", "the", "and", "it", "of", "is"].iter().map(|s| s.to_string()).collect();
        EnglishFilter::new(stop, true)
    }

    /// The term and surface of `word`, if it has one.
    fn analysed(word: &str) -> Option<(String, String)> {
        let mut out = None;
        let emitted = filter().word(word, &mut |term, surface| out = Some((term.to_string(), surface.to_string())));
        assert_eq!(emitted, out.is_some());
        out
    }

    fn term(word: &str) -> Option<String> {
        analysed(word).map(|(term, _)| term)
    }

    #[test]
    fn acronyms_are_kept_and_never_the_pronoun() {
        assert_eq!(term("U.S").as_deref(), Some("u.s."));
        assert_eq!(term("US").as_deref(), Some("u.s."));
        assert_eq!(term("us"), None);
        assert_eq!(term("Us"), None);
        assert_eq!(term("ROK").as_deref(), Some("rok"));
        assert_eq!(term("USFK").as_deref(), Some("usfk"));
        assert_eq!(term("THAAD").as_deref(), Some("thaad"));
        assert_eq!(term("NATO").as_deref(), Some("nato"));
        assert_eq!(term("DPRK").as_deref(), Some("dprk"));
        // An all-caps stop word is a stop word.
        assert_eq!(term("THE"), None);
        assert_eq!(term("IT"), None);
    }

    #[test]
    fn possessives_stems_and_numbers() {
        assert_eq!(term("alliance's").as_deref(), Some("allianc"));
        assert_eq!(term("Korea’s").as_deref(), Some("korea"));
        assert_eq!(term("integration").as_deref(), Some("integr"));
        assert_eq!(term("Integrated").as_deref(), Some("integr"));
        assert_eq!(term("denuclearization").as_deref(), Some("denuclear"));
        assert_eq!(term("F35").as_deref(), Some("f35"));
        assert_eq!(term("e.g"), None);
        assert_eq!(term("a"), None);
        assert_eq!(year("1994"), Some("1994"));
        assert_eq!(year("2018"), Some("2018"));
        assert_eq!(year("35"), None);
        assert_eq!(year("1000"), None);
    }

    #[test]
    fn a_lowercase_twin_is_analysed_as_the_word() {
        let f = filter();
        let mut buf = [0u8; 48];
        for word in ["Alliance", "Integrated", "THE", "Us", "SANCTIONS", "Peace", "F", "Ab", "KoreaF35"] {
            let twin = f.lowercase_twin(word, &mut buf).map(str::to_string);
            let twin = twin.unwrap_or_else(|| panic!("{word} has a twin"));
            assert_eq!(twin, word.to_ascii_lowercase());
            assert_eq!(analysed(word), analysed(&twin), "{word}");
        }
        for word in ["alliance", "ROK", "US", "U.S", "F35", "Korea's", "Korea’s", "Ünited", &"A".repeat(49)] {
            assert_eq!(f.lowercase_twin(word, &mut buf), None, "{word}");
        }
    }

    #[test]
    fn surface_is_the_readable_word() {
        assert_eq!(analysed("Integration").map(|(_, s)| s).as_deref(), Some("integration"));
        assert_eq!(analysed("U.S").map(|(_, s)| s).as_deref(), Some("U.S"));
        // A word too long for the stack buffer, and a non-ASCII one, take the allocating path alike.
        let long = "Internationalization".repeat(3);
        assert_eq!(analysed(&long).map(|(_, s)| s), Some(long.to_lowercase()));
        assert_eq!(analysed("Korea’s"), Some(("korea".into(), "korea".into())));
    }
}
