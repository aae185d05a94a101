//! Strings ↔ dense ids, for the analyzer's hot loop: an open-addressing table whose slots hold a word's first
//! sixteen bytes, its length and hash bits, so a lookup of a word of up to sixteen bytes (nearly every English
//! word, Hangul words of up to five syllables) is one slot compare, with no read of the key elsewhere; longer
//! words compare the rest of their bytes once the hash bits agree. Keys live in a [`StringList`]: no allocation per
//! string, and dropping a session frees a few vectors.
//! (std's `HashMap<Box<str>, u32>` spent a third of the analyzer's time in SipHash/memcmp and in malloc/free.)

use crate::text::StringList;

/// A slot: `id == EMPTY` when free. `V` is what the caller keeps with each key, read in the same cache line.
#[derive(Debug, Clone, Copy)]
struct Slot<V> {
    /// The key's first sixteen bytes, zero-padded, as two little-endian numbers.
    head: [u64; 2],
    /// High hash bits in the top 24 bits, the key length (saturated at 255) in the low 8.
    meta: u32,
    id: u32,
    value: V,
}

const EMPTY: u32 = u32::MAX;

/// A string interner: ids are given in insertion order, from 0, and each key carries a value `V`.
#[derive(Debug, Clone)]
pub struct Interner<V: Copy + Default = ()> {
    slots: Vec<Slot<V>>,
    /// Every key, one after the other, by id.
    keys: StringList,
}

impl<V: Copy + Default> Default for Interner<V> {
    fn default() -> Self {
        Interner { slots: vec![Self::free(); 64], keys: StringList::new() }
    }
}

/// A key looked up: its prefix and hash, computed once for the lookup and the insertion after it.
///
/// The slot metadata is derived from the hash and the key's length where it is compared, not kept here: the
/// analyzer copies each probe into its batch, and a probe of 28 bytes was copied with a 16-byte load over the
/// hash's and the metadata's separate stores, which the CPU cannot forward (a stall on every token: 39% of the
/// segmenter's samples in a cached pass over the UN speeches, `perf annotate`).
#[derive(Debug, Clone, Copy)]
pub struct Probe {
    head: [u64; 2],
    hash: u64,
}

impl Probe {
    #[inline]
    pub fn new(key: &[u8]) -> Probe {
        let head = [prefix(key), if key.len() > 8 { prefix(&key[8..key.len().min(16)]) } else { 0 }];
        Probe::of(head, key)
    }

    /// The probe of `text[start..start + len]`, from two unaligned eight-byte loads masked to the key's length
    /// where the text goes on for sixteen bytes from `start`: no branch on the length, which is as random as
    /// the words (`new`'s cases by length were a mispredicted branch per word). The same probe as `new`.
    #[inline(always)]
    pub fn within(text: &[u8], start: usize, len: usize) -> Probe {
        let Some(window) = text.get(start..start + 16) else {
            return Probe::new(&text[start..start + len]);
        };
        let load = |at: usize| u64::from_le_bytes(window[at..at + 8].try_into().expect("eight bytes"));
        let [lo, hi] = HEAD_MASKS[len.min(16)];
        Probe::of([load(0) & lo, load(8) & hi], &text[start..start + len])
    }

    #[inline]
    fn of(head: [u64; 2], key: &[u8]) -> Probe {
        let hash = hash(head, key.len(), key.get(16..).unwrap_or_default());
        Probe { head, hash }
    }

    /// The slot metadata of a key of `len` bytes with this probe.
    #[inline(always)]
    fn meta(self, len: usize) -> u32 {
        ((self.hash >> 32) as u32 & !0xFF) | len.min(255) as u32
    }
}

/// `HEAD_MASKS[n]`: the bits of a key's first `n` bytes in the two little-endian numbers of its head.
const HEAD_MASKS: [[u64; 2]; 17] = {
    let mut masks = [[0u64; 2]; 17];
    let mut n = 0;
    while n <= 16 {
        masks[n] = [low_bytes(n), low_bytes(n.saturating_sub(8))];
        n += 1;
    }
    masks
};

/// The bits of the low `bytes` bytes of a number (all of them from eight bytes on).
const fn low_bytes(bytes: usize) -> u64 {
    if bytes >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * bytes)) - 1
    }
}

impl<V: Copy + Default> Interner<V> {
    fn free() -> Slot<V> {
        Slot { head: [0; 2], meta: 0, id: EMPTY, value: V::default() }
    }

    /// How many strings have ids.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The string with this id.
    #[inline]
    pub fn get(&self, id: u32) -> &str {
        self.keys.get(id as usize)
    }

    /// Asks the CPU to start loading the slot where a lookup of `probe` starts.
    #[inline]
    pub fn prefetch(&self, probe: Probe) {
        // A pointer, not a reference: nothing is read, so no bounds check (the slot count is a power of two).
        super::super::prefetch(self.slots.as_ptr().wrapping_add(probe.hash as usize & (self.slots.len() - 1)));
    }

    #[inline(always)]
    fn position(&self, key: &[u8], probe: Probe) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = probe.hash as usize & mask;
        let meta = probe.meta(key.len());
        loop {
            let slot = &self.slots[i];
            if slot.id == EMPTY {
                return Err(i);
            }
            if slot.head == probe.head
                && slot.meta == meta
                && (key.len() <= 16 || same_tail(self.get(slot.id).as_bytes(), key))
            {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The id of `key`, if it has one.
    #[inline]
    pub fn find(&self, key: &[u8], probe: Probe) -> Option<u32> {
        self.position(key, probe).ok().map(|i| self.slots[i].id)
    }

    /// The id of `key` and its value, if it has one. Always inlined: called once per token, its call and return
    /// were a tenth of the instructions of a cached lookup.
    #[inline(always)]
    pub fn find_mut(&mut self, key: &[u8], probe: Probe) -> Option<(u32, &mut V)> {
        let i = self.position(key, probe).ok()?;
        let slot = &mut self.slots[i];
        Some((slot.id, &mut slot.value))
    }

    /// The id of `key`, giving it the next one if it has none.
    pub fn id(&mut self, key: &str) -> u32 {
        self.id_probed(key, Probe::new(key.as_bytes()))
    }

    /// [`Interner::id`] with the probe of `key` already made (and its slot perhaps prefetched).
    #[inline]
    pub fn id_probed(&mut self, key: &str, probe: Probe) -> u32 {
        match self.find(key.as_bytes(), probe) {
            Some(id) => id,
            None => self.insert(key, probe, V::default()).0,
        }
    }

    /// Gives `key`, known to have no id yet, the next one, with its value.
    pub fn insert(&mut self, key: &str, probe: Probe, value: V) -> (u32, &mut V) {
        if (self.keys.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let id = self.keys.push(key) as u32;
        let i = self.place(Slot { head: probe.head, meta: probe.meta(key.len()), id, value }, probe.hash);
        (id, &mut self.slots[i].value)
    }

    /// Every id with its value, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = (u32, &V)> {
        self.slots.iter().filter(|s| s.id != EMPTY).map(|s| (s.id, &s.value))
    }

    /// Puts `slot` in the first free slot from its hash on; returns where.
    fn place(&mut self, slot: Slot<V>, hash: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i].id != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
        i
    }

    /// Quadruples the slots (the table stays at most half full, so probe runs stay short). Each growth is a pass over
    /// every key into fresh memory; growing fourfold rather than twofold, half as many of them, shortened the analysis
    /// of YNAT's words (17.8 -> 15.9 ms) and, by a tenth, of bigrams (KCNA 338 -> 299, YNAT 54.7 -> 42.7); the KCNA
    /// stories' and the UN speeches' words took as long.
    fn grow(&mut self) {
        let grown = vec![Self::free(); self.slots.len() * 4];
        let old = std::mem::replace(&mut self.slots, grown);
        for slot in old.into_iter().filter(|s| s.id != EMPTY) {
            // A key of up to sixteen bytes is whole in its slot: no read of the arena (a cache miss per key).
            let len = (slot.meta & 0xFF) as usize;
            let hash = if len <= 16 {
                hash(slot.head, len, &[])
            } else {
                let key = self.get(slot.id).as_bytes();
                hash(slot.head, key.len(), &key[16..])
            };
            self.place(slot, hash);
        }
    }
}

/// The first eight bytes of `key`, zero-padded, as a little-endian number.
#[inline]
fn prefix(key: &[u8]) -> u64 {
    match key.len() {
        8.. => u64::from_le_bytes(key[..8].try_into().expect("eight bytes")),
        4..=7 => {
            // Two overlapping four-byte loads; the bytes they share are equal, so `|` joins them.
            let lo = u32::from_le_bytes(key[..4].try_into().expect("four bytes")) as u64;
            let hi = u32::from_le_bytes(key[key.len() - 4..].try_into().expect("four bytes")) as u64;
            lo | hi << ((key.len() - 4) * 8)
        }
        1..=3 => key.iter().rev().fold(0, |acc, &b| acc << 8 | b as u64),
        0 => 0,
    }
}

/// Whether two keys longer than sixteen bytes, whose first sixteen bytes are equal, are equal: compared eight
/// bytes at a time inline (a call to memcmp cost more than the comparison for words this short).
#[inline]
fn same_tail(stored: &[u8], key: &[u8]) -> bool {
    if stored.len() != key.len() {
        return false;
    }
    let (mut a, mut b) = (stored[16..].chunks_exact(8), key[16..].chunks_exact(8));
    if !a.by_ref().zip(b.by_ref()).all(|(x, y)| x == y) {
        return false;
    }
    prefix(a.remainder()) == prefix(b.remainder())
}

/// Folded multiply: the high and low halves of the 128-bit product, xored (as in foldhash and wyhash).
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = a as u128 * b as u128;
    p as u64 ^ (p >> 64) as u64
}

const K0: u64 = 0x243f_6a88_85a3_08d3;
const K1: u64 = 0x1319_8a2e_0370_7344;

/// A fast, well-mixed hash of short keys from their first sixteen bytes (`head`), their length and the bytes
/// after the sixteenth (`rest`); the input is an analyzer's own words, not an adversary's.
#[inline]
fn hash(head: [u64; 2], len: usize, rest: &[u8]) -> u64 {
    // Both halves always (the second is zero for keys of up to eight bytes): a branch on the length would be
    // mispredicted about as often as words change length. Keys longer than sixteen bytes are rare enough for
    // their branch to be predicted.
    let mut h = fold_mul(head[0] ^ K0, K1 ^ len as u64);
    h = fold_mul(h ^ head[1], K0);
    if !rest.is_empty() {
        let mut chunks = rest.chunks_exact(8);
        for chunk in &mut chunks {
            h = fold_mul(h ^ u64::from_le_bytes(chunk.try_into().expect("eight bytes")), K0);
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            h = fold_mul(h ^ prefix(tail), K1);
        }
    }
    fold_mul(h, K0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dense_and_stable_across_growth() {
        let mut t: Interner = Interner::default();
        // Lengths from 2 to over 255 bytes: keys whole in their slot and keys read back from the arena on growth.
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}{}", "x".repeat(i * 7 % 300))).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.id(w), i as u32);
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.id(w), i as u32);
            assert_eq!(t.get(i as u32), w);
        }
        assert_eq!(t.len(), 5000);
    }

    #[test]
    fn keys_that_share_a_prefix_or_differ_by_padding_are_distinct() {
        let mut t: Interner = Interner::default();
        let keys = [
            "ab",
            "ab\0",
            "abcdefgh",
            "abcdefghi",
            "abcdefghj",
            "abcdefgh12345678",
            "abcdefgh12345679",
            "abcdefgh12345678x",
            "abcdefgh12345678y",
            "abcdefgh12345678x12345678z",
            "동맹",
            "동맹의",
            "한미동맹강화의",
            "",
            "a",
        ];
        let ids: Vec<u32> = keys.iter().map(|k| t.id(k)).collect();
        assert_eq!(ids, (0..keys.len() as u32).collect::<Vec<_>>());
        assert_eq!(t.find(b"abcdefghi", Probe::new(b"abcdefghi")), Some(3));
        assert_eq!(t.find(b"abcdefghk", Probe::new(b"abcdefghk")), None);
        assert_eq!(t.find(b"abcdefgh12345678x12345678z", Probe::new(b"abcdefgh12345678x12345678z")), Some(9));
        assert_eq!(t.find(b"abcdefgh12345678x12345678w", Probe::new(b"abcdefgh12345678x12345678w")), None);
        assert!(same_tail(b"abcdefgh12345678x", b"abcdefgh12345678x"));
        assert!(!same_tail(b"abcdefgh12345678x", b"abcdefgh12345678y"));
        assert!(!same_tail(b"abcdefgh12345678x12345678a", b"abcdefgh12345678x12345678b"));
        assert!(!same_tail(b"abcdefgh12345678x", b"abcdefgh12345678xy"));
    }

    #[test]
    fn probes_within_a_text_are_the_probes_of_the_key() {
        let text = "alliance's U.S.-ROK 2021 F35 동맹의 한미동맹강화의 abcdefgh12345678x12345678z end";
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            for len in 0..=bytes.len() - start {
                let (a, b) = (Probe::within(bytes, start, len), Probe::new(&bytes[start..start + len]));
                assert_eq!((a.head, a.hash), (b.head, b.hash), "{start} {len}");
            }
        }
    }

    #[test]
    fn prefix_is_the_zero_padded_bytes() {
        for len in 0..=9 {
            let key: Vec<u8> = (1..=len as u8).collect();
            let mut padded = [0u8; 8];
            let n = len.min(8);
            padded[..n].copy_from_slice(&key[..n]);
            assert_eq!(prefix(&key), u64::from_le_bytes(padded), "{len}");
        }
    }
}
