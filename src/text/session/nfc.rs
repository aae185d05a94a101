//! Whether a text is already in Unicode NFC, told quickly for the characters most texts are made of, so that
//! only other texts take unicode-normalization's general check.

/// Text of the characters below only is already NFC (none of them decomposes or combines): most texts, checked
/// faster than by the general quick check. Blocks of such characters (see [`plain_block`]) are passed 32 bytes at a time
/// without a branch per character (ASCII and syllables alternate at random in Korean text: deciding each in turn
/// was a tenth of a cached pass over the YNAT headlines); other blocks are decoded character by character.
pub(super) fn is_plainly_nfc_text(text: &str) -> bool {
    if text.is_ascii() {
        return true;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end = (i + BLOCK).min(bytes.len());
        // The block and the two bytes after it (a character starting in the block is told from its first three); at
        // the text's end, zeros after it, which make no character plain.
        let mut padded = [0u8; WINDOW];
        let window: &[u8; WINDOW] = match bytes.get(i..i + WINDOW) {
            Some(window) => window.try_into().expect("WINDOW bytes"),
            None => {
                padded[..bytes.len() - i].copy_from_slice(&bytes[i..]);
                &padded
            }
        };
        // An ASCII block (most of English text with a few curly quotes) is told by std's word-at-a-time check.
        if bytes[i..end].is_ascii() || plain_block(window) {
            i = end;
            continue;
        }
        // A block may start inside a character (the one before ended in it): back to its first byte.
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        // The last character may reach beyond the block.
        while i < end {
            let c = text[i..].chars().next().expect("i is inside the text");
            if !is_plainly_nfc(c) {
                return false;
            }
            i += c.len_utf8();
        }
    }
    true
}

/// Bytes [`is_plainly_nfc_text`] passes at a time.
const BLOCK: usize = 32;
/// A block and the two bytes after it.
const WINDOW: usize = BLOCK + 2;

/// Whether the characters starting in the first [`BLOCK`] bytes of `window` of UTF-8 text are all among ASCII,
/// U+0080..U+02FF (lead bytes C2..CB), U+2010..U+2027 (dashes, quotes, `…`: E2 80 90 to E2 80 A7), CJK ideographs
/// U+4E00..U+9FFF (E4 B8 to E9) and Hangul syllables U+AC00..U+D7A3 (EA B0 to ED 9E A3): [`is_plainly_nfc`]
/// characters, told from their first three bytes. Computed for every byte and combined, not decided byte by byte
/// (`…`, in a sixth of YNAT's blocks, sent them all to the decoding path when only the first two bytes were read).
#[inline]
fn plain_block(window: &[u8; WINDOW]) -> bool {
    let (block, next, third) = (&window[..BLOCK], &window[1..=BLOCK], &window[2..]);
    let mut bad = 0u8;
    for ((&b, &n), &t) in block.iter().zip(next).zip(third) {
        let punctuation = (b == 0xE2) & (n == 0x80) & (t.wrapping_sub(0x90) < 0x18);
        let known_lead =
            (b.wrapping_sub(0xC2) < 10) | (b.wrapping_sub(0xE4) < 6) | (b.wrapping_sub(0xEA) < 4) | punctuation;
        let other_lead = (b >= 0xC0) & !known_lead;
        let last_syllables = (n == 0x9E) & (t <= 0xA3);
        let outside =
            ((b == 0xE4) & (n < 0xB8)) | ((b == 0xEA) & (n < 0xB0)) | ((b == 0xED) & (n > 0x9D) & !last_syllables);
        bad |= u8::from(other_lead | outside);
    }
    bad == 0
}

/// Characters that are NFC and never combine with a neighbour (quick check Yes, combining class 0): Latin before
/// the combining marks, dashes, quotes and ellipsis, CJK punctuation, CJK ideographs, Hangul syllables, fullwidth
/// forms. Pinned by a test against unicode-normalization.
fn is_plainly_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{2FF}' | '\u{2010}'..='\u{2027}' | '\u{3000}'..='\u{3029}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7A3}' | '\u{FF01}'..='\u{FF5E}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::{is_nfc_quick, IsNormalized};

    #[test]
    fn ascii_and_syllables_are_nfc() {
        let all: String = ('\u{AC00}'..='\u{D7A3}').chain((0u8..0x80).map(char::from)).collect();
        assert!(is_plainly_nfc_text(&all));
        assert_eq!(is_nfc_quick(all.chars()), IsNormalized::Yes);
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| is_plainly_nfc(c)) {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0, "{c:?}");
        }
        // Conjoining jamo (NFD Hangul) are not, and take the general path.
        assert!(!is_plainly_nfc_text("\u{1100}\u{1161}"));
        // The blocks passed whole and the characters decoded give the answer of a plain scan, wherever a character
        // falls (across a block's end too, and in texts shorter than a block), among ASCII and among Korean.
        for at in 0..70 {
            let chars = [
                'é', 'ʿ', '’', '…', '‐', '‧', '\u{2028}', '\u{200F}', '₩', '美', '\u{4DFF}', '동', '퀴', '힣', '힤',
                '\u{D780}', '\u{D7B0}', '\u{A000}', '\u{301}', '\u{1161}',
            ];
            for c in chars {
                for filler in ["a", "가 ", "한미"] {
                    let text = format!("{}{c}{}", filler.repeat(at), "b".repeat(40));
                    assert_eq!(is_plainly_nfc_text(&text), text.chars().all(is_plainly_nfc), "{at} {c:?} {filler}");
                    let text = format!("{}{c}{}", "b".repeat(at), filler.repeat(40));
                    assert_eq!(is_plainly_nfc_text(&text), text.chars().all(is_plainly_nfc), "{at} {c:?} {filler}");
                    let text = format!("{}{c}", filler.repeat(at % 20));
                    assert_eq!(is_plainly_nfc_text(&text), text.chars().all(is_plainly_nfc), "{at} {c:?} {filler}");
                }
            }
        }
    }
}
