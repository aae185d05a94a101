//! Language of a text from the share of Hangul and Latin letters.

use super::record::Lang;

/// Share of letters above which a text counts as written in one script alone.
const DOMINANT_SHARE: f64 = 0.8;

/// A Hangul syllable spells two to three sounds where a Latin letter spells about one, so it weighs as two
/// letters; otherwise a Korean headline with one brand name (`LG전자 신제품 공개`) would count as mixed.
const HANGUL_SYLLABLE_WEIGHT: usize = 2;

/// `ko` when Hangul makes up at least 80% of the (weighted) Hangul and Latin letters, `en` when Latin does,
/// `mixed` otherwise, `none` when there are no letters of either script.
pub fn detect(text: &str) -> Lang {
    // ASCII is counted a block at a time, in a loop the compiler vectorizes; only other characters are decoded
    // (decoding every character was a tenth of reading the KCNA stories).
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    let (mut hangul, mut latin) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let block = &bytes[i..(i + BLOCK).min(bytes.len())];
        if block.is_ascii() {
            latin += block.iter().filter(|b| b.is_ascii_alphabetic()).count();
            i += block.len();
            continue;
        }
        // `i` is always a character boundary: blocks end where ASCII does or after a whole character.
        let c = text[i..].chars().next().expect("i is inside the text");
        if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
            hangul += HANGUL_SYLLABLE_WEIGHT;
        } else if is_hangul(c) {
            hangul += 1;
        } else if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
            latin += 1;
        }
        i += c.len_utf8();
    }
    let total = hangul + latin;
    if total == 0 {
        Lang::None
    } else if hangul as f64 >= DOMINANT_SHARE * total as f64 {
        Lang::Ko
    } else if latin as f64 >= DOMINANT_SHARE * total as f64 {
        Lang::En
    } else {
        Lang::Mixed
    }
}

/// Hangul syllables and jamo (conjoining and compatibility).
pub fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        assert_eq!(detect("한미동맹의 전략적 통합"), Lang::Ko);
        assert_eq!(detect("Strategic integration of the ROK-U.S. alliance"), Lang::En);
        assert_eq!(detect("한미동맹의 전략적 통합(strategic integration)은 Biden 행정부에서"), Lang::Mixed);
        assert_eq!(detect("5억원 무이자 융자는 되고 7천만원 이사비는 안된다"), Lang::Ko);
        assert_eq!(detect("SKT·KT MWC 상하이 참가… IoT·5G 리더십 경쟁"), Lang::Mixed);
        assert_eq!(detect("사드(THAAD) 배치 논란이 계속되고 있다"), Lang::Ko);
        assert_eq!(detect("  1994 "), Lang::None);
        assert_eq!(detect(""), Lang::None);
        // Long texts, ASCII blocks around the other characters wherever they fall.
        for at in 0..140 {
            let english = format!("{}é{}", "alliance ".repeat(at / 9 + 1), "b".repeat(at));
            assert_eq!(detect(&english), Lang::En, "{at}");
            let korean = format!("{}{}", "a".repeat(at % 70), "한미동맹의 전략적 통합 ".repeat(at + 20));
            assert_eq!(detect(&korean), Lang::Ko, "{at}");
        }
    }
}
