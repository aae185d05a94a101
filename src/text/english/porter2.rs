//! Snowball's English stemmer (Porter2, the version rust-stemmers 1.2 runs), for words of the letters a–z.
//!
//! Written here, not left to rust-stemmers alone, for speed: rust-stemmers runs the code the Snowball compiler
//! generates, general over any script (a binary search of each suffix table, a character-boundary check at each
//! step, a new `String` at each change), 3,700 instructions a word. Each thread stems each distinct word once, and
//! still that was a fifth of the English analyze stage. These are the same rules on a buffer on the stack, each
//! suffix compared as one number. Every other word (letters outside a–z, longer than [`LONGEST`] bytes) still goes
//! to rust-stemmers, and the tests hold both to the same stems: on every word of the shared corpora, on each rule's
//! suffixes after a set of stems, and on every string of up to five letters from an alphabet chosen to exercise the
//! rules.
//!
//! The rules, from Snowball's `english.sbl`: R1 is the region after the first non-vowel that follows a vowel (after
//! `gener`, `commun` or `arsen` where the word begins so), R2 the same region within R1. Each step replaces the
//! longest of its suffixes that ends the word, if that suffix lies in the step's region and its condition holds; a
//! step does nothing more when its longest suffix fails (no shorter one is tried).

/// The longest word taken, in bytes (no stem is longer than its word).
pub(super) const LONGEST: usize = 48;

/// Zeros before the word in its buffer, so that the last eight bytes of a shorter word can be read as one number.
const PAD: usize = 8;

/// The length of a buffer for [`stem`].
pub(super) const BUFFER_LEN: usize = PAD + LONGEST;
type Buffer = [u8; BUFFER_LEN];

/// The stem of `word`, written into `buf`; `None` where `word` is not all a–z or is longer than [`LONGEST`] bytes.
pub(super) fn stem<'b>(word: &str, buf: &'b mut Buffer) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if bytes.len() > LONGEST || !bytes.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    buf[..PAD].fill(0);
    buf[PAD..PAD + bytes.len()].copy_from_slice(bytes);
    let mut word = Word { b: buf, len: bytes.len(), p1: 0, p2: 0 };
    word.stem();
    let len = word.len;
    Some(std::str::from_utf8(&buf[PAD..PAD + len]).expect("a–z are ASCII"))
}

/// A suffix, or a whole word of up to eight bytes, as a number to compare with a word's [`Word::tail`].
#[derive(Debug, Clone, Copy)]
struct Suffix {
    text: &'static [u8],
    /// The bytes, big-endian, the last one lowest; `mask` covers them.
    key: u64,
    mask: u64,
}

const fn suffix(text: &'static [u8]) -> Suffix {
    assert!(text.len() <= PAD);
    let (mut key, mut i) = (0u64, 0);
    while i < text.len() {
        key = key << 8 | text[i] as u64;
        i += 1;
    }
    let mask = if text.len() == PAD { u64::MAX } else { (1 << (8 * text.len())) - 1 };
    Suffix { text, key, mask }
}

impl Suffix {
    /// Whether a word whose last eight bytes are `tail` ([`Word::tail`]) ends with this suffix.
    fn ends(&self, tail: u64) -> bool {
        tail & self.mask == self.key
    }
}

/// Whole words with a stem of their own, before any rule (Snowball's `exception1`).
const EXCEPTIONS: [(Suffix, &[u8]); 18] = [
    (suffix(b"skis"), b"ski"),
    (suffix(b"skies"), b"sky"),
    (suffix(b"dying"), b"die"),
    (suffix(b"lying"), b"lie"),
    (suffix(b"tying"), b"tie"),
    (suffix(b"idly"), b"idl"),
    (suffix(b"gently"), b"gentl"),
    (suffix(b"ugly"), b"ugli"),
    (suffix(b"early"), b"earli"),
    (suffix(b"only"), b"onli"),
    (suffix(b"singly"), b"singl"),
    (suffix(b"sky"), b"sky"),
    (suffix(b"news"), b"news"),
    (suffix(b"howe"), b"howe"),
    (suffix(b"atlas"), b"atlas"),
    (suffix(b"cosmos"), b"cosmos"),
    (suffix(b"bias"), b"bias"),
    (suffix(b"andes"), b"andes"),
];

/// Words left as step 1a leaves them (Snowball's `exception2`).
const INVARIANT_AFTER_1A: [Suffix; 8] = [
    suffix(b"inning"),
    suffix(b"outing"),
    suffix(b"canning"),
    suffix(b"herring"),
    suffix(b"earring"),
    suffix(b"proceed"),
    suffix(b"exceed"),
    suffix(b"succeed"),
];

/// What must hold, besides the step's region, for a suffix to be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Always,
    /// The suffix follows an `l` (`-logi`).
    AfterL,
    /// The suffix follows one of `cdeghkmnrt` (`-li`).
    AfterValidLi,
    /// The suffix follows `s` or `t` (`-ion`).
    AfterSOrT,
    /// The suffix lies in R2 too (`-ative`).
    InR2,
}

/// A step's rule: `suffix` becomes `with` when `when` holds.
struct Rule {
    suffix: Suffix,
    with: &'static [u8],
    when: When,
}

const fn rule(text: &'static [u8], with: &'static [u8]) -> Rule {
    Rule { suffix: suffix(text), with, when: When::Always }
}

const fn rule_when(text: &'static [u8], with: &'static [u8], when: When) -> Rule {
    Rule { suffix: suffix(text), with, when }
}

/// A rule that deletes its suffix.
const fn delete(text: &'static [u8]) -> Rule {
    rule(text, b"")
}

/// A step's rules, longest suffix first (the first that ends the word is its longest), and which of them end in
/// each letter: a word is compared only with the suffixes that end in its last letter (five in twenty-four, at most).
struct Step<const N: usize> {
    rules: [Rule; N],
    /// Bit `i` of `by_last[c - b'a']`: rule `i`'s suffix ends in `c`.
    by_last: [u32; 26],
}

impl<const N: usize> Step<N> {
    const fn new(rules: [Rule; N]) -> Step<N> {
        assert!(N <= 32, "a rule per bit");
        let mut by_last = [0u32; 26];
        let mut i = 0;
        while i < N {
            // The suffix's last byte is the lowest of its key.
            by_last[(rules[i].suffix.key as u8 - b'a') as usize] |= 1 << i;
            i += 1;
        }
        Step { rules, by_last }
    }
}

const STEP_2: Step<24> = Step::new([
    rule(b"ational", b"ate"),
    rule(b"ization", b"ize"),
    rule(b"fulness", b"ful"),
    rule(b"ousness", b"ous"),
    rule(b"iveness", b"ive"),
    rule(b"tional", b"tion"),
    rule(b"biliti", b"ble"),
    rule(b"lessli", b"less"),
    rule(b"entli", b"ent"),
    rule(b"alism", b"al"),
    rule(b"aliti", b"al"),
    rule(b"ousli", b"ous"),
    rule(b"iviti", b"ive"),
    rule(b"fulli", b"ful"),
    rule(b"ation", b"ate"),
    rule(b"enci", b"ence"),
    rule(b"anci", b"ance"),
    rule(b"abli", b"able"),
    rule(b"izer", b"ize"),
    rule(b"ator", b"ate"),
    rule(b"alli", b"al"),
    rule(b"bli", b"ble"),
    rule_when(b"ogi", b"og", When::AfterL),
    rule_when(b"li", b"", When::AfterValidLi),
]);

const STEP_3: Step<9> = Step::new([
    rule(b"ational", b"ate"),
    rule(b"tional", b"tion"),
    rule(b"alize", b"al"),
    rule(b"icate", b"ic"),
    rule(b"iciti", b"ic"),
    rule_when(b"ative", b"", When::InR2),
    rule(b"ical", b"ic"),
    delete(b"ness"),
    delete(b"ful"),
]);

const STEP_4: Step<18> = Step::new([
    delete(b"ement"),
    delete(b"ance"),
    delete(b"ence"),
    delete(b"able"),
    delete(b"ible"),
    delete(b"ment"),
    delete(b"ant"),
    delete(b"ent"),
    delete(b"ism"),
    delete(b"ate"),
    delete(b"iti"),
    delete(b"ous"),
    delete(b"ive"),
    delete(b"ize"),
    rule_when(b"ion", b"", When::AfterSOrT),
    delete(b"al"),
    delete(b"er"),
    delete(b"ic"),
]);

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// A vowel, `w`, `x`, or a `y` made a consonant (`Y`): what cannot end a short syllable.
fn is_vowel_wxy(c: u8) -> bool {
    is_vowel(c) || matches!(c, b'w' | b'x' | b'Y')
}

/// The word being stemmed: `b[PAD..PAD + len]`, with a `y` that acts as a consonant written `Y` until the end.
struct Word<'b> {
    b: &'b mut Buffer,
    len: usize,
    /// Where R1 and R2 begin.
    p1: usize,
    p2: usize,
}

impl Word<'_> {
    fn stem(&mut self) {
        if let Some(&(_, stem)) = EXCEPTIONS.iter().find(|(word, _)| self.is(word)) {
            self.replace(self.len, stem);
            return;
        }
        if self.len < 3 {
            return;
        }
        let consonant_y = self.mark_consonant_y();
        self.mark_regions();
        self.step_1a();
        if !INVARIANT_AFTER_1A.iter().any(|word| self.is(word)) {
            self.step_1b();
            self.step_1c();
            self.apply(&STEP_2, self.p1);
            self.apply(&STEP_3, self.p1);
            self.apply(&STEP_4, self.p2);
            self.step_5();
        }
        if consonant_y {
            self.word_mut().iter_mut().filter(|c| **c == b'Y').for_each(|c| *c = b'y');
        }
    }

    fn word(&self) -> &[u8] {
        &self.b[PAD..PAD + self.len]
    }

    fn word_mut(&mut self) -> &mut [u8] {
        &mut self.b[PAD..PAD + self.len]
    }

    /// Byte `i` of the word.
    fn at(&self, i: usize) -> u8 {
        self.b[PAD + i]
    }

    /// The word's last eight bytes as a number, the last byte lowest (zeros before a shorter word).
    fn tail(&self) -> u64 {
        u64::from_be_bytes(self.b[self.len..self.len + PAD].try_into().expect("eight bytes"))
    }

    fn ends(&self, suffix: &Suffix) -> bool {
        suffix.ends(self.tail())
    }

    /// Whether the word is `whole` (of at most eight bytes).
    fn is(&self, whole: &Suffix) -> bool {
        self.len == whole.text.len() && self.ends(whole)
    }

    /// Replaces the last `cut` bytes by `with`.
    fn replace(&mut self, cut: usize, with: &[u8]) {
        let start = PAD + self.len - cut;
        self.b[start..start + with.len()].copy_from_slice(with);
        self.len = self.len - cut + with.len();
    }

    /// A `y` at the start or after a vowel is a consonant: written `Y` (not a vowel for the regions and rules).
    /// Returns whether there was one.
    fn mark_consonant_y(&mut self) -> bool {
        let mut found = false;
        let word = self.word_mut();
        for i in 0..word.len() {
            if word[i] == b'y' && (i == 0 || is_vowel(word[i - 1])) {
                word[i] = b'Y';
                found = true;
            }
        }
        found
    }

    fn mark_regions(&mut self) {
        let word = self.word();
        let p1 = match [&b"gener"[..], b"commun", b"arsen"].iter().find(|prefix| word.starts_with(prefix)) {
            Some(prefix) => Some(prefix.len()),
            None => after_vowel_and_non_vowel(word, 0),
        };
        let p2 = p1.and_then(|p1| after_vowel_and_non_vowel(word, p1));
        (self.p1, self.p2) = (p1.unwrap_or(self.len), p2.unwrap_or(self.len));
    }

    /// Snowball's `shortv` on the word's first `end` bytes: they end in a non-vowel (not `w`, `x` or `Y`) after a
    /// vowel after a non-vowel, or they are a vowel and a non-vowel.
    fn ends_short_syllable(&self, end: usize) -> bool {
        (end >= 3 && !is_vowel_wxy(self.at(end - 1)) && is_vowel(self.at(end - 2)) && !is_vowel(self.at(end - 3)))
            || (end == 2 && is_vowel(self.at(0)) && !is_vowel(self.at(1)))
    }

    fn step_1a(&mut self) {
        const SSES: Suffix = suffix(b"sses");
        const IED: Suffix = suffix(b"ied");
        const IES: Suffix = suffix(b"ies");
        const SS: Suffix = suffix(b"ss");
        const US: Suffix = suffix(b"us");
        const S: Suffix = suffix(b"s");
        if self.ends(&SSES) {
            self.replace(4, b"ss");
        } else if self.ends(&IED) || self.ends(&IES) {
            // `cries` → `cri`, `ties` → `tie`: `i` after two letters or more.
            self.replace(3, if self.len > 4 { b"i" } else { b"ie" });
        } else if self.ends(&SS) || self.ends(&US) {
        } else if self.ends(&S) && self.word()[..self.len - 2].iter().any(|&c| is_vowel(c)) {
            self.len -= 1;
        }
    }

    fn step_1b(&mut self) {
        // Longest first.
        const ENDINGS: [Suffix; 6] =
            [suffix(b"eedly"), suffix(b"ingly"), suffix(b"edly"), suffix(b"eed"), suffix(b"ing"), suffix(b"ed")];
        const MADE_WHOLE_BY_E: [Suffix; 3] = [suffix(b"at"), suffix(b"bl"), suffix(b"iz")];
        let Some(found) = ENDINGS.into_iter().find(|s| self.ends(s)) else { return };
        let start = self.len - found.text.len();
        if found.text.starts_with(b"ee") {
            if start >= self.p1 {
                self.replace(found.text.len(), b"ee");
            }
            return;
        }
        if !self.word()[..start].iter().any(|&c| is_vowel(c)) {
            return;
        }
        self.len = start;
        let doubled =
            start >= 2 && self.at(start - 1) == self.at(start - 2) && b"bdfgmnprt".contains(&self.at(start - 1));
        if MADE_WHOLE_BY_E.iter().any(|s| self.ends(s)) {
            self.replace(0, b"e");
        } else if doubled {
            self.len -= 1;
        } else if start == self.p1 && self.ends_short_syllable(start) {
            self.replace(0, b"e");
        }
    }

    fn step_1c(&mut self) {
        let n = self.len;
        if n >= 3 && matches!(self.at(n - 1), b'y' | b'Y') && !is_vowel(self.at(n - 2)) {
            self.b[PAD + n - 1] = b'i';
        }
    }

    /// Steps 2 to 4: the longest of the step's suffixes that ends the word, replaced if it begins at `region` or after
    /// and its condition holds.
    fn apply<const N: usize>(&mut self, step: &Step<N>, region: usize) {
        let Some(&last) = self.word().last() else { return };
        // No suffix ends in `Y` (a `y` made a consonant).
        let Some(&(mut candidates)) = step.by_last.get(last.wrapping_sub(b'a') as usize) else { return };
        let tail = self.tail();
        let rule = loop {
            if candidates == 0 {
                return;
            }
            let rule = &step.rules[candidates.trailing_zeros() as usize];
            if rule.suffix.ends(tail) {
                break rule;
            }
            candidates &= candidates - 1;
        };
        let start = self.len - rule.suffix.text.len();
        let before = start.checked_sub(1).map(|i| self.at(i));
        let holds = start >= region
            && match rule.when {
                When::Always => true,
                When::AfterL => before == Some(b'l'),
                When::AfterValidLi => before.is_some_and(|c| b"cdeghkmnrt".contains(&c)),
                When::AfterSOrT => matches!(before, Some(b's' | b't')),
                When::InR2 => start >= self.p2,
            };
        if holds {
            self.replace(rule.suffix.text.len(), rule.with);
        }
    }

    fn step_5(&mut self) {
        let Some(start) = self.len.checked_sub(1) else { return };
        let drop = match self.at(start) {
            b'e' => start >= self.p2 || (start >= self.p1 && !self.ends_short_syllable(start)),
            b'l' => start >= self.p2 && start >= 1 && self.at(start - 1) == b'l',
            _ => false,
        };
        if drop {
            self.len = start;
        }
    }
}

/// Where a region that starts looking at `from` begins: after the first non-vowel that follows a vowel.
fn after_vowel_and_non_vowel(word: &[u8], from: usize) -> Option<usize> {
    let vowel = from + word[from..].iter().position(|&c| is_vowel(c))?;
    let non_vowel = vowel + 1 + word[vowel + 1..].iter().position(|&c| !is_vowel(c))?;
    Some(non_vowel + 1)
}

#[cfg(test)]
mod tests;
