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

/// Byte classes for the ASCII scanner, one table lookup per byte.
const SPACE: u8 = 1;
const LETTER: u8 = 2;
const DIGIT: u8 = 4;
/// `.` and `'`: kept inside a word between two alphanumerics.
const JOINER: u8 = 8;
/// A byte of a multi-byte character: the piece takes the Unicode path.
const NON_ASCII: u8 = 16;
const ALNUM: u8 = LETTER | DIGIT;

static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_whitespace() {
            SPACE
        } else if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else if c == b'.' || c == b'\'' {
            JOINER
        } else if c >= 0x80 {
            NON_ASCII
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Calls `emit` with each word of `text`, split into runs of one script (`ROK-US동맹` gives
/// `ROK` Latin, `US` Latin, `동맹` Hangul; `2021년` gives `2021` Digits, `년` Hangul).
///
/// The text is read 64 bytes at a time: each block becomes bit masks of its byte classes, cut after its last
/// whitespace so that it holds whole pieces. A block without multi-byte characters has its words found on the
/// masks, with no branch per byte; any other block (and a piece longer than a block) goes through the piece
/// scanner below, with the same result.
pub fn for_each_run(text: &str, mut emit: impl FnMut(&str, Script)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let (masks, len) = match rest.first_chunk::<64>() {
            Some(block) => (Masks::of(block), 64),
            None => {
                let mut block = [b' '; 64];
                block[..rest.len()].copy_from_slice(rest);
                (Masks::of(&block), rest.len())
            }
        };
        let chunk = if len < 64 { len } else { 64 - masks.space.leading_zeros() as usize };
        if chunk == 0 {
            // A piece longer than a block: scanned whole.
            let end = rest.iter().position(|&b| CLASS[b as usize] == SPACE).map_or(bytes.len(), |p| i + p);
            pieces(text, i, end, &mut emit);
            i = end;
            continue;
        }
        let keep = u64::MAX >> (64 - chunk);
        if masks.non_ascii & keep == 0 {
            masked_words(&text[i..i + chunk], &masks, keep, &mut emit);
        } else {
            masked_pieces(&text[i..i + chunk], &masks, keep, &mut emit);
        }
        i += chunk;
    }
}

/// The words of an ASCII chunk (whole pieces, at most 64 bytes) from its masks: alphanumerics, and `.` or `'`
/// between two of them; a word with a letter is Latin, one without is Digits.
#[inline]
fn masked_words(chunk: &str, masks: &Masks, keep: u64, emit: &mut impl FnMut(&str, Script)) {
    let alnum = masks.alnum & keep;
    let word = alnum | (masks.joiner & keep & alnum << 1 & alnum >> 1);
    let mut starts = word & !(word << 1);
    let mut ends = word & !(word >> 1);
    while starts != 0 {
        let (s, e) = (starts.trailing_zeros(), ends.trailing_zeros());
        let span = (u64::MAX >> (63 - e)) & (u64::MAX << s);
        let bytes = &chunk.as_bytes()[s as usize..e as usize + 1];
        // SAFETY: a word's bytes are ASCII (`alnum` and `joiner` mark only ASCII bytes), so valid UTF-8. Slicing the
        // str instead checked both ends for character boundaries, on every token.
        let word = unsafe { std::str::from_utf8_unchecked(bytes) };
        emit(word, if masks.letter & span != 0 { Script::Latin } else { Script::Digits });
        starts &= starts - 1;
        ends &= ends - 1;
    }
}

/// The pieces of a chunk with multi-byte characters (whole pieces, at most 64 bytes), found on its masks: the
/// ASCII ones by `masked_words`, the others by `unicode_piece` (finding them byte by byte, a mispredicted
/// branch at each piece's end, was most of the time spent on Korean text).
#[inline]
fn masked_pieces(chunk: &str, masks: &Masks, keep: u64, emit: &mut impl FnMut(&str, Script)) {
    let solid = !masks.space & keep;
    let (mut starts, mut ends) = (solid & !(solid << 1), solid & !(solid >> 1));
    while starts != 0 {
        let (s, e) = (starts.trailing_zeros(), ends.trailing_zeros());
        let span = (u64::MAX >> (63 - e)) & (u64::MAX << s);
        if masks.non_ascii & span == 0 {
            masked_words(chunk, masks, span, emit);
        } else {
            // Pieces end at ASCII whitespace, so at character boundaries.
            unicode_piece(&chunk[s as usize..e as usize + 1], emit);
        }
        starts &= starts - 1;
        ends &= ends - 1;
    }
}

/// Bit `k` of each mask says what byte `k` of a 64-byte block is.
#[derive(Debug, Default, PartialEq, Eq)]
struct Masks {
    space: u64,
    alnum: u64,
    letter: u64,
    joiner: u64,
    non_ascii: u64,
}

impl Masks {
    #[cfg(not(target_arch = "x86_64"))]
    fn of(block: &[u8; 64]) -> Masks {
        Masks::by_table(block)
    }

    /// From the byte-class table, one byte at a time.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn by_table(block: &[u8; 64]) -> Masks {
        let mut m = Masks::default();
        for (k, &b) in block.iter().enumerate() {
            let class = CLASS[b as usize];
            let bit = |c: u8| ((class & c != 0) as u64) << k;
            m.space |= bit(SPACE);
            m.alnum |= bit(ALNUM);
            m.letter |= bit(LETTER);
            m.joiner |= bit(JOINER);
            m.non_ascii |= bit(NON_ASCII);
        }
        m
    }

    /// Sixteen bytes per instruction with SSE2 (part of every x86_64 target); the same masks as `by_table`.
    /// Always inlined: called, it returned the masks through memory, and the caller's 16-byte loads of its
    /// 8-byte stores could not be forwarded (15% of the analyzer's own samples in a cached pass, `perf annotate`).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn of(block: &[u8; 64]) -> Masks {
        use std::arch::x86_64::*;
        let mut m = Masks::default();
        for k in 0..4 {
            // SAFETY: SSE2 is enabled on every x86_64 target; the unaligned load reads bytes 16k..16k+16 of the
            // 64-byte block, and the other intrinsics only compute on registers.
            let [space, alnum, letter, joiner, non_ascii] = unsafe {
                let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast());
                let is = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
                // `x - low` below `width`, unsigned, as a signed comparison shifted by 128.
                let within = |x: __m128i, low: u8, width: u8| {
                    let shifted = _mm_add_epi8(x, _mm_set1_epi8(0x80u8.wrapping_sub(low) as i8));
                    _mm_cmplt_epi8(shifted, _mm_set1_epi8((0x80u8 + width) as i8))
                };
                let space = _mm_or_si128(
                    _mm_or_si128(is(b' '), is(b'\t')),
                    _mm_or_si128(_mm_or_si128(is(b'\n'), is(b'\r')), is(0x0C)),
                );
                let letter = within(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
                let alnum = _mm_or_si128(letter, within(v, b'0', 10));
                let joiner = _mm_or_si128(is(b'.'), is(b'\''));
                [space, alnum, letter, joiner, v].map(|x| _mm_movemask_epi8(x) as u16 as u64)
            };
            let at = 16 * k;
            m.space |= space << at;
            m.alnum |= alnum << at;
            m.letter |= letter << at;
            m.joiner |= joiner << at;
            m.non_ascii |= non_ascii << at;
        }
        m
    }
}

/// The pieces of `text[start..end]` (split at ASCII whitespace), each through the ASCII scanner when it is
/// ASCII, through unicode-segmentation otherwise.
fn pieces(text: &str, start: usize, end: usize, emit: &mut impl FnMut(&str, Script)) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < end {
        if CLASS[bytes[i] as usize] == SPACE {
            i += 1;
            continue;
        }
        let piece_start = i;
        let mut seen = 0;
        while i < end && CLASS[bytes[i] as usize] != SPACE {
            seen |= CLASS[bytes[i] as usize];
            i += 1;
        }
        if seen & NON_ASCII == 0 {
            ascii_words(text, piece_start, i, emit);
        } else {
            unicode_piece(&text[piece_start..i], emit);
        }
    }
}

/// The words of a piece with multi-byte characters: one Hangul run, the fast path's words, or UAX #29's.
fn unicode_piece(piece: &str, emit: &mut impl FnMut(&str, Script)) {
    if only_syllables(piece.as_bytes()) {
        emit(piece, Script::Hangul);
    } else if !hangul_words(piece, emit) {
        for word in piece.unicode_words() {
            split_scripts(word, emit);
        }
    }
}

/// UAX #29 words of the ASCII piece `text[start..end]`: alphanumeric runs joined by a single `.` or `'` between
/// alphanumerics.
fn ascii_words(text: &str, start: usize, end: usize, emit: &mut impl FnMut(&str, Script)) {
    let b = text.as_bytes();
    let mut i = start;
    while i < end {
        let mut class = CLASS[b[i] as usize];
        if class & ALNUM == 0 {
            i += 1;
            continue;
        }
        let word_start = i;
        let mut seen = 0;
        loop {
            seen |= class;
            i += 1;
            if i == end {
                break;
            }
            class = CLASS[b[i] as usize];
            if class & ALNUM != 0 {
                continue;
            }
            if class == JOINER && i + 1 < end && CLASS[b[i + 1] as usize] & ALNUM != 0 {
                i += 1;
                class = CLASS[b[i] as usize];
                continue;
            }
            break;
        }
        emit(&text[word_start..i], if seen & LETTER != 0 { Script::Latin } else { Script::Digits });
    }
}

/// The words of a piece made only of Hangul syllables, ASCII digits, CJK ideographs, and punctuation that never
/// joins two words (ASCII punctuation but `.` `'` `:` `,` `;` `_`, and `·` `…` `“` `”`): its runs of syllables
/// (Hangul), runs of digits (Digits) and single ideographs (Other). That is what UAX #29 (syllables are ALetter,
/// digits Numeric, ideographs break on both sides) and `split_scripts` make of such a piece; a test pins it.
/// Returns false, having emitted nothing, for any other piece (the general path takes it): most Korean text is
/// such pieces, and the general state machine costs more than the rest of the chain.
fn hangul_words(piece: &str, emit: &mut impl FnMut(&str, Script)) -> bool {
    // One pass that finds the runs and checks the piece at once; the runs wait in `found` until the whole piece
    // is known to be for this path (a piece with more runs than it holds takes the general path).
    const MOST: usize = 16;
    let mut found = [(0usize, 0usize, Script::Other); MOST];
    let mut count = 0;
    let (mut middle_dot, mut ascii_letter) = (false, false);
    let mut run: Option<(usize, Script)> = None;
    let bytes = piece.as_bytes();
    let mut cursor = 0;
    while cursor < bytes.len() {
        let i = cursor;
        let (c, width) = match bytes[i] {
            // A three-byte character (every Hangul syllable), decoded inline.
            0xE0..=0xEF => (three_byte_char(&bytes[i..i + 3]), 3),
            byte @ 0..=0x7F => (byte as char, 1),
            _ => {
                let c = piece[i..].chars().next().expect("i is a character boundary");
                (c, c.len_utf8())
            }
        };
        cursor += width;
        let Some(kind) = fast_kind(c) else { return false };
        middle_dot |= c == '·';
        ascii_letter |= c.is_ascii_alphabetic();
        if let Some((s, script)) = run {
            // As `split_scripts`: digits stay in a Latin run, and a digit run that meets a letter is Latin.
            match (script, kind) {
                (Script::Latin, Some(Script::Digits | Script::Latin)) => continue,
                (Script::Digits, Some(Script::Latin)) => {
                    run = Some((s, Script::Latin));
                    continue;
                }
                (_, Some(next)) if next == script && script != Script::Other => continue,
                _ => {
                    if count == MOST {
                        return false;
                    }
                    found[count] = (s, i, script);
                    count += 1;
                }
            }
        }
        run = kind.map(|k| (i, k));
    }
    // `·` is a separator between syllables but joins two letters (UAX #29 MidLetter): `128GB·G6` is one word.
    if middle_dot && ascii_letter {
        return false;
    }
    if let Some((s, script)) = run {
        if count == MOST {
            return false;
        }
        found[count] = (s, piece.len(), script);
        count += 1;
    }
    for &(s, e, script) in &found[..count] {
        emit(&piece[s..e], script);
    }
    true
}

/// The character of the three UTF-8 bytes `b` of a `str` that start with a three-byte lead (every Hangul character),
/// decoded from them directly rather than through `chars()`.
#[inline]
pub(super) fn three_byte_char(b: &[u8]) -> char {
    let code = u32::from(b[0] & 0x0F) << 12 | u32::from(b[1] & 0x3F) << 6 | u32::from(b[2] & 0x3F);
    char::from_u32(code).expect("a str holds characters")
}

/// Whether `piece` (whole characters) is Hangul syllables only, U+AC00..=U+D7A3: one run, as `hangul_words` finds
/// it. Four pieces in five of Korean news; checked without decoding or a branch per character.
fn only_syllables(piece: &[u8]) -> bool {
    !piece.is_empty()
        && piece.len() % 3 == 0
        && piece.chunks_exact(3).fold(true, |all, c| {
            // Three-byte characters from U+AC00 (EA B0 80) to U+D7A3 (ED 9E A3); a first byte below EA or above ED
            // is no such character (nor the start of one), so the next three bytes start a character again.
            let code = u32::from_be_bytes([0, c[0], c[1], c[2]]);
            all & (0xEA_B0_80..=0xED_9E_A3).contains(&code)
        })
}

/// For the fast path: `Some(Some(script))` for a word character, `Some(None)` for a separator, `None` for a
/// character the fast path does not handle.
fn fast_kind(c: char) -> Option<Option<Script>> {
    match c {
        '\u{AC00}'..='\u{D7A3}' => Some(Some(Script::Hangul)),
        '0'..='9' => Some(Some(Script::Digits)),
        'A'..='Z' | 'a'..='z' => Some(Some(Script::Latin)),
        '\u{4E00}'..='\u{9FFF}' => Some(Some(Script::Other)),
        '.' | '\'' | ':' | ',' | ';' | '_' => None,
        '·' | '…' | '“' | '”' => Some(None),
        c if c.is_ascii_punctuation() => Some(None),
        _ => None,
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
mod tests;
