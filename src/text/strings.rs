//! A list of strings kept one after the other in a few buffers: the analyzer's interned words and terms, and a
//! vocabulary's terms and display forms.

use std::borrow::Cow;
use std::fmt;
use std::ops::Index;

use rayon::prelude::*;
use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Strings by index, kept one after the other in blocks of [`BLOCK`] strings. No allocation per string: a vocabulary
/// of tens of thousands of `String`s took an allocation each and a megabyte of scattered fresh memory (YNAT's 39,214
/// terms and their display forms were a sixth of the vectorize stage). Blocks let a list be built in parallel, a block
/// per task, straight into place.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StringList {
    blocks: Vec<Block>,
    len: usize,
}

/// Strings per block. Every block but the last is full, so equal lists have equal blocks.
const BLOCK: usize = 4096;

#[derive(Clone, Default, PartialEq, Eq)]
struct Block {
    text: String,
    /// `ends[k]`: where string `k` of the block ends in `text` (it starts where the one before ends).
    ends: Vec<u32>,
}

impl Block {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.end_string();
    }

    /// Ends the string written last, at the end of `text`.
    fn end_string(&mut self) {
        // A block of 4,096 strings past 4 GiB of text would be terms of a megabyte each, from a corpus far larger
        // than the memory that holds it while it is analyzed.
        self.ends.push(u32::try_from(self.text.len()).expect("a block of strings holds under 4 GiB"));
    }
}

impl StringList {
    pub fn new() -> StringList {
        StringList::default()
    }

    /// The list of `f(0)`, `f(1)` … `f(n - 1)`, made in parallel, a block per task.
    pub fn par_from_fn<S: AsRef<str>>(n: usize, f: impl Fn(usize) -> S + Sync) -> StringList {
        StringList::par_from_writes(n, |i, text| text.push_str(f(i).as_ref()))
    }

    /// The list of the `n` strings that `write(i, text)` appends to `text`, each written straight into its block (no
    /// string of its own to make, copy and free), in parallel, a block per task.
    pub fn par_from_writes(n: usize, write: impl Fn(usize, &mut String) + Sync) -> StringList {
        let blocks = (0..n.div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| {
                let count = BLOCK.min(n - b * BLOCK);
                // Room for strings of up to sixteen bytes on average, more than terms take: reserved space costs nothing
                // until it is written, growing by copies would.
                let mut block = Block { text: String::with_capacity(16 * count), ends: Vec::with_capacity(count) };
                for i in b * BLOCK..n.min((b + 1) * BLOCK) {
                    write(i, &mut block.text);
                    block.end_string();
                }
                block
            })
            .collect();
        StringList { blocks, len: n }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `s`; returns its index.
    pub fn push(&mut self, s: &str) -> usize {
        if self.len % BLOCK == 0 {
            self.blocks.push(Block::default());
        }
        self.blocks.last_mut().expect("a block was just made").push(s);
        self.len += 1;
        self.len - 1
    }

    /// The string at `i` (panics past the end, as a slice does).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let (block, k) = (&self.blocks[i / BLOCK], i % BLOCK);
        let (start, end) = (if k == 0 { 0 } else { block.ends[k - 1] as usize }, block.ends[k] as usize);
        assert!(start <= end && end <= block.text.len());
        // SAFETY: `ends` only holds the ends of whole strings pushed, so both are character boundaries. Unchecked, a
        // string's place is found without reading its bytes: the check read the bytes at both ends, a cache miss
        // where the caller only keeps the `&str`, as the vocabulary merge does for every term.
        unsafe { block.text.get_unchecked(start..end) }
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len).map(|i| self.get(i))
    }

    /// Where `s` is in a list sorted in byte order (as `slice::binary_search`).
    pub fn binary_search(&self, s: &str) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(s) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    /// Whether the strings are in strictly increasing byte order.
    pub fn is_strictly_sorted(&self) -> bool {
        (1..self.len).all(|i| self.get(i - 1) < self.get(i))
    }
}

impl Index<usize> for StringList {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i)
    }
}

impl<S: AsRef<str>> FromIterator<S> for StringList {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> StringList {
        let mut list = StringList::new();
        iter.into_iter().for_each(|s| {
            list.push(s.as_ref());
        });
        list
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for StringList {
    fn eq(&self, other: &[S; N]) -> bool {
        self.iter().eq(other.iter().map(AsRef::as_ref))
    }
}

impl fmt::Debug for StringList {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Written as a list of strings, as a `Vec<String>` is.
impl Serialize for StringList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StringList, D::Error> {
        struct Strings;
        impl<'de> Visitor<'de> for Strings {
            type Value = StringList;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of strings")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
                let mut list = StringList::new();
                while let Some(s) = seq.next_element::<Cow<'de, str>>()? {
                    list.push(&s);
                }
                Ok(list)
            }
        }
        deserializer.deserialize_seq(Strings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize) -> Vec<String> {
        (0..n).map(|i| if i % 7 == 0 { String::new() } else { format!("동맹{i}") }).collect()
    }

    #[test]
    fn pushed_and_parallel_lists_hold_the_same_strings_across_blocks() {
        let words = words(3 * BLOCK + 5);
        let pushed: StringList = words.iter().collect();
        let built = StringList::par_from_fn(words.len(), |i| words[i].as_str());
        assert_eq!(pushed, built);
        assert_eq!(pushed.len(), words.len());
        assert!(pushed.iter().eq(words.iter().map(String::as_str)));
        assert_eq!(&built[BLOCK], words[BLOCK]);
        assert!(StringList::par_from_fn(0, |_| "").is_empty());
        // Written in two pieces straight into the blocks (every seventh word is empty): the same strings, each ending
        // where it should.
        let written = StringList::par_from_writes(words.len(), |i, text| {
            let (a, b) = words[i].split_at(words[i].len().min(3)); // after 동, a character of three bytes
            text.push_str(a);
            text.push_str(b);
        });
        assert_eq!(written, pushed);
        let empties = StringList::par_from_writes(BLOCK + 1, |_, _| {});
        assert_eq!((empties.len(), &empties[BLOCK], &empties[0]), (BLOCK + 1, "", ""));
    }

    #[test]
    fn sorted_lists_are_searched_as_slices_are() {
        let mut words = words(BLOCK + 100);
        words.sort();
        words.dedup();
        let list: StringList = words.iter().collect();
        assert!(list.is_strictly_sorted());
        for probe in ["", "동맹1", "동맹4095", "동맹9", "a", "힣"] {
            assert_eq!(list.binary_search(probe), words.binary_search(&probe.to_string()), "{probe}");
        }
        let unsorted: StringList = ["b", "a"].into_iter().collect();
        assert!(!unsorted.is_strictly_sorted());
    }

    #[test]
    fn serialized_as_a_list_of_strings() {
        let list: StringList = ["allianc", "동맹", "a \"quoted\" term"].into_iter().collect();
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(json, serde_json::to_string(&["allianc", "동맹", "a \"quoted\" term"]).unwrap());
        assert_eq!(serde_json::from_str::<StringList>(&json).unwrap(), list);
        assert!(serde_json::from_str::<StringList>("[1]").is_err());
    }
}
