//! The first step of the chain: text into words, each word into runs of one script.
//!
//! Words follow Unicode word segmentation (UAX #29, unicode-segmentation). Pure-ASCII stretches of text,
//! most of any English corpus, take a hand-written scanner that yields the same words UAX #29 yields on
//! ASCII letters and digits (a run of alphanumerics, with `.` or `'` kept between two of them): the crate's
//! general state machine is the slowest step of the whole pipeline on English text, and this one test per
//! byte is not. Everything else goes through unicode-segmentation.

use unicode_segmentation::UnicodeSegmentation;

/// The script of a run of characters inside a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Hangul syllables (and jamo).
    Hangul,
    /// Latin letters, possibly with digits, `.` and `'` inside (`U.S`, `alliance's`, `F35`).
    Latin,
    /// Only digits.
    Digits,
    /// Any other letters (Han characters, Cyrillic…), kept as they are.
    Other,
}

/// Calls `emit` with each word of `text`, split into runs of one script (`ROK-US동맹` gives
/// `ROK` Latin, `US` Latin, `동맹` Hangul; `2021년` gives `2021` Digits, `년` Hangul).
pub fn for_each_run(text: &str, mut emit: impl FnMut(&str, Script)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        // Split at ASCII whitespace; each piece is scanned fast when it is ASCII.
        let Some(offset) = bytes[start..].iter().position(|b| !b.is_ascii_whitespace()) else { break };
        let piece_start = start + offset;
        let piece_end =
            bytes[piece_start..].iter().position(|b| b.is_ascii_whitespace()).map_or(bytes.len(), |e| piece_start + e);
        let piece = &text[piece_start..piece_end];
        if piece.is_ascii() {
            ascii_words(piece, &mut emit);
        } else {
            for word in piece.unicode_words() {
                split_scripts(word, &mut emit);
            }
        }
        start = piece_end;
    }
}

/// UAX #29 words of an ASCII piece: alphanumeric runs joined by a single `.` or `'` between alphanumerics.
fn ascii_words(piece: &str, emit: &mut impl FnMut(&str, Script)) {
    let b = piece.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut has_letter = false;
        while i < b.len() {
            if b[i].is_ascii_alphanumeric() {
                has_letter |= b[i].is_ascii_alphabetic();
                i += 1;
            } else if (b[i] == b'.' || b[i] == b'\'') && i + 1 < b.len() && b[i + 1].is_ascii_alphanumeric() {
                i += 1;
            } else {
                break;
            }
        }
        emit(&piece[start..i], if has_letter { Script::Latin } else { Script::Digits });
    }
}

fn script_of(c: char) -> Option<Script> {
    match c {
        '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' => Some(Script::Hangul),
        '0'..='9' => Some(Script::Digits),
        c if c.is_ascii_alphabetic() => Some(Script::Latin),
        '.' | '\'' | '’' => None,
        c if c.is_alphabetic() && (c as u32) < 0x0250 => Some(Script::Latin),
        c if c.is_alphanumeric() => Some(Script::Other),
        _ => None,
    }
}

/// Splits one UAX #29 word where the script changes. Digits inside a Latin word stay with it (`F35`, `G7`);
/// `.` and `'` stay inside Latin runs only.
fn split_scripts(word: &str, emit: &mut impl FnMut(&str, Script)) {
    let mut run: Option<(usize, Script)> = None;
    for (i, c) in word.char_indices() {
        let script = script_of(c);
        match (run, script) {
            (Some((_, Script::Latin)), Some(Script::Digits)) | (Some((_, Script::Latin)), None) => {}
            (Some((s, Script::Digits)), Some(Script::Latin)) => run = Some((s, Script::Latin)),
            (Some((_, current)), Some(next)) if current == next => {}
            (Some((s, current)), next) => {
                emit(trim_joiners(&word[s..i]), current);
                run = next.map(|n| (i, n));
            }
            (None, next) => run = next.map(|n| (i, n)),
        }
    }
    if let Some((s, current)) = run {
        emit(trim_joiners(&word[s..]), current);
    }
}

fn trim_joiners(run: &str) -> &str {
    run.trim_end_matches(['.', '\'', '’'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<(String, Script)> {
        let mut out = Vec::new();
        for_each_run(text, |w, s| out.push((w.to_string(), s)));
        out
    }

    #[test]
    fn ascii_words_match_unicode_segmentation() {
        let text = "The U.S.-ROK alliance's 2021 summit (Biden, Moon) in F-35 talks; e.g. it's 3.5% done.";
        let ours: Vec<String> = runs(text).into_iter().map(|r| r.0).collect();
        let uax: Vec<&str> = text.unicode_words().collect();
        assert_eq!(ours, uax);
    }

    #[test]
    fn mixed_scripts_are_split() {
        assert_eq!(
            runs("ROK-US동맹 2021년 한미동맹의(strategic)"),
            vec![
                ("ROK".into(), Script::Latin),
                ("US".into(), Script::Latin),
                ("동맹".into(), Script::Hangul),
                ("2021".into(), Script::Digits),
                ("년".into(), Script::Hangul),
                ("한미동맹의".into(), Script::Hangul),
                ("strategic".into(), Script::Latin),
            ]
        );
    }

    #[test]
    fn dotted_acronyms_and_possessives_stay_whole() {
        let words: Vec<String> = runs("U.S. policy, Korea’s role — the alliance's").into_iter().map(|r| r.0).collect();
        assert_eq!(words, ["U.S", "policy", "Korea’s", "role", "the", "alliance's"]);
    }
}
