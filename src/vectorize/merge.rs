//! The vocabulary merge: the threads' terms into one sorted vocabulary, with each term's document and corpus
//! frequency, whether it is a glossary concept, and the surface form shown for it.

use std::cmp::Ordering;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::count::{Counted, Share, Tally};
use crate::text::{FastMap, StringList, TokenSession};

/// The shares' terms merged: the sorted terms that occur, and for each share the global id of each local one.
pub(super) struct Merged {
    pub(super) terms: StringList,
    /// `maps[s][local]`: the global id (`u32::MAX`: the term occurs in no share).
    pub(super) maps: Vec<Vec<u32>>,
}

impl<S: TokenSession + Sync> Counted<S> {
    pub(super) fn merged(&self) -> Merged {
        let (terms, maps) = merge_terms(&self.shares);
        Merged { terms, maps }
    }

    /// Whether each global term is a glossary concept in some share (each share's few concepts looked up, not
    /// each of its terms tested).
    pub(super) fn concepts(&self, merged: &Merged) -> Vec<bool> {
        let mut concept = vec![false; merged.terms.len()];
        for (share, map) in self.shares.iter().zip(&merged.maps) {
            for &local in share.session.concepts() {
                if let Some(&g) = map.get(local as usize).filter(|&&g| g != u32::MAX) {
                    concept[g as usize] = true;
                }
            }
        }
        concept
    }

    /// Document and corpus frequency of every global term: the shares' own, by local id, added up.
    pub(super) fn frequencies(&self, merged: &Merged) -> (Vec<u32>, Vec<u64>) {
        let (mut df, mut cf) = (vec![0u32; merged.terms.len()], vec![0u64; merged.terms.len()]);
        for (share, map) in self.shares.iter().zip(&merged.maps) {
            for (l, &g) in map.iter().enumerate().filter(|(_, &g)| g != u32::MAX) {
                df[g as usize] += share.tally[l].df;
                cf[g as usize] += share.tally[l].cf;
            }
        }
        (df, cf)
    }

    /// Each term's most frequent surface form over all shares; ties go to the smaller string so the choice is
    /// stable. An n-gram, which has none, shows its words' forms.
    pub(super) fn display_forms(&self, merged: &Merged) -> StringList {
        let (shares, maps, all) = (&self.shares, &merged.maps, &merged.terms);
        // The other forms by global term, and how often each term was its own surface. Most terms (every Korean stem)
        // have no other form: their own string is shown without being bucketed or compared. The shares are read one
        // after the other, straight into these: read in parallel into lists of their own, which were then added up,
        // they took a megabyte more of fresh memory on YNAT, and no less time.
        let mut own = vec![0u64; all.len()];
        let mut forms: Vec<(u32, &str, u64)> = Vec::new();
        for (share, map) in shares.iter().zip(maps) {
            share.session.for_each_surface(&mut |id, surface, c| {
                let g = map[id as usize];
                if g != u32::MAX {
                    match surface {
                        Some(surface) => forms.push((g, surface, c)),
                        None => own[g as usize] += c,
                    }
                }
            });
        }
        // The other forms bucketed by global term (a counting sort: no string is compared but within a term), each
        // bucket with the term's own string as one more candidate where it was seen. Bucket `g` is
        // `bucketed[ends[g - 1]..ends[g]]` (from 0 for the first): the cursors that fill the buckets end where their
        // buckets end, so no second table of starts is made (two tables of a word a term were 0.6 MB on YNAT).
        let mut ends = vec![0u32; all.len()];
        forms.iter().for_each(|f| ends[f.0 as usize] += 1);
        let mut total = 0u32;
        for (g, end) in ends.iter_mut().enumerate() {
            let size = *end + u32::from(*end > 0 && own[g] > 0);
            *end = total;
            // As many candidates as distinct (term, surface) pairs, which a corpus held in memory keeps far below 2³².
            total = total.checked_add(size).expect("fewer than 2^32 surface forms");
        }
        let mut bucketed: Vec<(&str, u64)> = vec![("", 0); total as usize];
        for (g, surface, c) in forms {
            bucketed[ends[g as usize] as usize] = (surface, c);
            ends[g as usize] += 1;
        }
        let mut start = 0;
        for g in 0..all.len() {
            if ends[g] > start && own[g] > 0 {
                bucketed[ends[g] as usize] = (&all[g], own[g]);
                ends[g] += 1;
            }
            start = ends[g];
        }
        let start = |g: usize| if g == 0 { 0 } else { ends[g - 1] as usize };
        // Each term's most frequent form, if it was seen at all; found where it is shown (kept for every term, these
        // were a megabyte of fresh memory on YNAT).
        let best = |g: usize| match &bucketed[start(g)..ends[g] as usize] {
            [] => (own[g] > 0).then(|| (&all[g], own[g])),
            candidates => most_frequent(candidates),
        };
        // Only n-grams have no form of their own: they show their words' forms, found once for every word when the
        // first n-gram is met (found again for each n-gram, they were most of the stage with n-grams on).
        let words = OnceLock::new();
        let words = || words.get_or_init(|| word_forms(all, best));
        StringList::par_from_writes(all.len(), |g, out| match best(g) {
            Some((form, _)) => out.push_str(form),
            None => write_ngram_display(&all[g], words(), out),
        })
    }
}

/// A term's order key: its first fifteen bytes, zero-padded, big-endian, then its length up to 16. As numbers, keys
/// order terms as their bytes do; equal keys of up to fifteen bytes are equal terms, so only longer terms that share
/// their first fifteen bytes need their strings compared ([`OrderKey::is_whole`]). Without the length, every term
/// two threads both saw tied with itself and was compared as strings in the merge, a cache miss each.
fn order_key(term: &str) -> OrderKey {
    let mut head = [0u8; 16];
    let n = term.len().min(15);
    head[..n].copy_from_slice(&term.as_bytes()[..n]);
    head[15] = term.len().min(16) as u8;
    let (high, low) = head.split_at(8);
    OrderKey(
        u64::from_be_bytes(high.try_into().expect("eight bytes")),
        u64::from_be_bytes(low.try_into().expect("eight bytes")),
    )
}

/// See [`order_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct OrderKey(u64, u64);

impl OrderKey {
    fn as_number(self) -> u128 {
        u128::from(self.0) << 64 | u128::from(self.1)
    }

    /// Whether the key holds its whole term (fifteen bytes or fewer), so that equal keys are equal terms.
    fn is_whole(self) -> bool {
        self.1 & 0xFF < 16
    }
}

/// A session's term ids sorted by term, with the terms' order keys, each tagged with whether it occurs in the
/// share's rows (its document frequency in `tally`, by id, above 0). Sorted as numbers first, the strings compared
/// only where the keys tie: comparing strings throughout cost a cache miss per comparison (the terms lie all over the
/// session's arena).
pub(super) fn sorted_ids<S: TokenSession>(session: &S, tally: &[Tally]) -> Vec<SortedId> {
    let mut sorted: Vec<SortedId> = (0..session.term_count() as u32)
        .map(|t| {
            assert!(t < OCCURS, "a session gives fewer than 2^31 term ids");
            let occurs = if tally[t as usize].df > 0 { OCCURS } else { 0 };
            SortedId { key: order_key(session.term(t)), tagged: t | occurs }
        })
        .collect();
    // As one 128-bit number: compared without a branch, where the derived order compared the key's halves and the
    // tagged id in turn (YNAT, one thread's 28,054 terms: 1.84 -> 1.59 ms, medians of 20 runs).
    sorted.sort_unstable_by_key(|id| id.key.as_number());
    // A session's terms are distinct, so only keys that do not hold their whole term can tie.
    for tie in sorted.chunk_by_mut(|a, b| a.key == b.key).filter(|tie| tie.len() > 1) {
        tie.sort_unstable_by(|a, b| session.term(a.local()).cmp(session.term(b.local())));
    }
    sorted
}

/// A share's term in the sorted order: its order key, its local id, and whether it occurs in the share's rows, all
/// read in the order of the list (the merge read each term's document frequency where its thread had left it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SortedId {
    key: OrderKey,
    /// The local id, with [`OCCURS`] set where the term occurs.
    tagged: u32,
}

const OCCURS: u32 = 1 << 31;

impl SortedId {
    fn local(self) -> u32 {
        self.tagged & !OCCURS
    }

    fn occurs(self) -> bool {
        self.tagged & OCCURS != 0
    }
}

/// The sorted union of the terms that occur in some share, and for each share the global id of each of its
/// local ids (`u32::MAX`: the term occurs in no share). A term gets its global id in every share that knows it,
/// also where it does not occur there itself, so that its surface forms there count.
fn merge_terms<S: TokenSession>(shares: &[Share<S>]) -> (StringList, Vec<Vec<u32>>) {
    // Merged in parallel parts, cut at terms evenly spaced in the longest list (a term equal to a cut starts its
    // part in every list).
    let parts = 2 * rayon::current_num_threads();
    let longest = shares.iter().max_by_key(|s| s.sorted.len());
    let cuts: Vec<Vec<usize>> = (0..=parts)
        .map(|p| match longest.and_then(|l| Some((l, *l.sorted.get(p * l.sorted.len() / parts)?))) {
            Some(cut) if p > 0 && p < parts => {
                shares.iter().map(|s| s.sorted.partition_point(|&id| compare((s, id), cut).is_lt())).collect()
            }
            _ => shares.iter().map(|s| if p == 0 { 0 } else { s.sorted.len() }).collect(),
        })
        .collect();
    let merged: Vec<(Vec<&str>, Vec<Vec<u32>>)> =
        (0..parts).into_par_iter().map(|p| merge_part(shares, &cuts[p], &cuts[p + 1])).collect();
    // Each part's ids, by position in the sorted lists, become global ids by local id.
    let mut offsets = vec![0u32; parts];
    for p in 1..parts {
        offsets[p] = offsets[p - 1] + merged[p - 1].0.len() as u32;
    }
    let maps = (0..shares.len())
        .into_par_iter()
        .map(|s| {
            let mut map = vec![u32::MAX; shares[s].sorted.len()];
            for (p, (_, by_position)) in merged.iter().enumerate() {
                let sorted = &shares[s].sorted[cuts[p][s]..cuts[p + 1][s]];
                for (id, &g) in sorted.iter().zip(&by_position[s]) {
                    if g != u32::MAX {
                        map[id.local() as usize] = g + offsets[p];
                    }
                }
            }
            map
        })
        .collect();
    // The terms copied together, in parallel: read from there, not from the threads' arenas, by everything after.
    let total = offsets[parts - 1] as usize + merged[parts - 1].0.len();
    let terms = StringList::par_from_fn(total, |g| {
        let p = offsets.partition_point(|&o| o as usize <= g) - 1;
        merged[p].0[g - offsets[p] as usize]
    });
    (terms, maps)
}

/// How two shares' terms are ordered: by their order keys, the strings read only where the keys tie (read
/// throughout, or copied beside the keys first, they cost a cache miss, or a page of fresh memory, per term).
fn compare<S: TokenSession>((a, x): (&Share<S>, SortedId), (b, y): (&Share<S>, SortedId)) -> Ordering {
    match x.key.cmp(&y.key) {
        Ordering::Equal if !x.key.is_whole() => a.session.term(x.local()).cmp(b.session.term(y.local())),
        order => order,
    }
}

/// Merges the shares' sorted terms from `from[s]` to `to[s]`: the terms that occur in some share, sorted, and for
/// each share the id (among those) of each of its terms there, by position (`u32::MAX`: it occurs in no share).
fn merge_part<'s, S: TokenSession>(
    shares: &'s [Share<S>],
    from: &[usize],
    to: &[usize],
) -> (Vec<&'s str>, Vec<Vec<u32>>) {
    let mut by_position: Vec<Vec<u32>> = (0..shares.len()).map(|s| vec![u32::MAX; to[s] - from[s]]).collect();
    // Room for every term of the part: reserved address space costs nothing until written, growing by copies would.
    let mut all = Vec::with_capacity((0..shares.len()).map(|s| to[s] - from[s]).sum());
    let mut next = from.to_vec();
    let mut holds = Vec::with_capacity(shares.len());
    let head = |s: usize, next: &[usize]| shares[s].sorted[..to[s]].get(next[s]).map(|&id| (&shares[s], id));
    loop {
        // The least head, and every share whose head is that term, in one pass.
        let mut least = None;
        holds.clear();
        for s in 0..shares.len() {
            let Some(h) = head(s, &next) else { continue };
            match least.map(|l| compare(h, l)) {
                None | Some(Ordering::Less) => {
                    holds.clear();
                    holds.push(s);
                    least = Some(h);
                }
                Some(Ordering::Equal) => holds.push(s),
                Some(Ordering::Greater) => {}
            }
        }
        let Some(least) = least else { break };
        let occurs = holds.iter().any(|&s| shares[s].sorted[next[s]].occurs());
        for &s in &holds {
            if occurs {
                by_position[s][next[s] - from[s]] = all.len() as u32;
            }
            next[s] += 1;
        }
        if occurs {
            all.push(least.0.session.term(least.1.local()));
        }
    }
    (all, by_position)
}

/// The surface with the largest total count (the smaller string on a tie) among `(surface, count)` pairs.
fn most_frequent<'s>(candidates: &[(&'s str, u64)]) -> Option<(&'s str, u64)> {
    if let [only] = candidates {
        return Some(*only);
    }
    let mut sorted = candidates.to_vec();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut best: Option<(&str, u64)> = None;
    for group in sorted.chunk_by(|a, b| a.0 == b.0) {
        let total = group.iter().map(|c| c.1).sum();
        if best.is_none_or(|(_, c)| total > c) {
            best = Some((group[0].0, total));
        }
    }
    best
}

/// The form shown for every term of one word (no term of one word holds a space), by the term: the words of the
/// n-grams are looked up here.
fn word_forms<'s>(all: &'s StringList, best: impl Fn(usize) -> Option<(&'s str, u64)>) -> FastMap<&'s str, &'s str> {
    let words = all.iter().enumerate().filter(|(_, term)| !term.contains(' '));
    words.map(|(g, term)| (term, best(g).map_or(term, |(form, _)| form))).collect()
}

/// Writes an n-gram's display to `out`. An n-gram has no surface of its own: its words' forms (`words`; a word that
/// is no term of its own is shown as it is), joined. Neighbours that read the same (two syllable bigrams of one
/// Korean stem, 사거 거리 → 사거리) are shown once. Written straight into the list: a vector of the parts and a
/// joined string for each n-gram, then copied into the list, took a tenth of the fit with bigrams (KCNA).
fn write_ngram_display<'s>(term: &'s str, words: &FastMap<&'s str, &'s str>, out: &mut String) {
    let mut previous: Option<&str> = None;
    for word in term.split(' ') {
        let form = words.get(word).copied().unwrap_or(word);
        if previous == Some(form) {
            continue;
        }
        if previous.is_some() {
            out.push(' ');
        }
        out.push_str(form);
        previous = Some(form);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Analyzer, AnalyzerConfig};
    use crate::vectorize::{count, count_shares};

    #[test]
    fn shares_merge_into_the_sorted_terms_that_occur_in_any() {
        // Terms in every part and in one only; long terms whose first fifteen bytes are the same (their order keys
        // tie); Korean stems; and glossary concepts that every session knows but that occur in one part or none.
        let parts = [
            "alliance deterrence counterproliferationist 한미동맹국가와 한미동맹은 국가들 only0 extended deterrence",
            "alliance sanctions counterproliferationist 한미동맹국민은 한미동맹국가들 only1 nuclear umbrella",
            "dialogue counterproliferation 한미동맹국민의 한미동맹 국가 only2 alliance sanctions",
        ];
        let merged = merged_parts(&AnalyzerConfig::default(), &parts);
        assert!(["한미동맹국가", "한미동맹국민", "only1"].iter().all(|t| merged.iter().any(|m| m == t)));
        // Bigrams only: each share also knows its words, which occur in no row, also past the other shares' last
        // terms.
        let config = AnalyzerConfig { glossary: false, ngram_range: (2, 2), ..AnalyzerConfig::default() };
        let merged = merged_parts(&config, &["zulu yankee", "alpha bravo", "mike november"]);
        assert!(["alpha bravo", "mike novemb", "zulu yanke"].iter().all(|t| merged.iter().any(|m| m == t)));
        assert!(!merged.iter().any(|m| m == "zulu"));
    }

    /// The terms of `parts`, each counted as one thread's share, merged as two shares and as three, checked against
    /// the sorted union of the terms that occur, and each share's map checked against it. Returns the three shares'
    /// merged terms.
    fn merged_parts(config: &AnalyzerConfig, parts: &[&str; 3]) -> Vec<String> {
        let analyzer = Analyzer::new(config).unwrap();
        let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let share = |text: &str| {
            let texts = [format!("{text}. {text}"), text.to_string()];
            one_thread.install(|| count_shares(&analyzer, &texts)).shares.pop().expect("one share")
        };
        let mut all = Vec::new();
        for n in [2, 3] {
            let counted = Counted { shares: parts[..n].iter().map(|p| share(p)).collect(), bounds: vec![0, 0] };
            let merged = counted.merged();
            let mut expected: Vec<&str> = counted
                .shares
                .iter()
                .flat_map(|s| (0..s.tally.len()).filter(|&l| s.tally[l].df > 0).map(|l| s.session.term(l as u32)))
                .collect();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(merged.terms.iter().collect::<Vec<_>>(), expected, "{n} shares");
            for (share, map) in counted.shares.iter().zip(&merged.maps) {
                for (local, &g) in map.iter().enumerate() {
                    let term = share.session.term(local as u32);
                    match expected.binary_search(&term) {
                        Ok(k) => assert_eq!(g as usize, k, "{term} in {n} shares"),
                        Err(_) => assert_eq!(g, u32::MAX, "{term} occurs nowhere"),
                    }
                }
            }
            if n == parts.len() {
                all = expected.iter().map(|t| t.to_string()).collect();
            }
        }
        all
    }

    #[test]
    fn ngrams_show_their_words_forms() {
        let display = |ngram_range, korean_bigrams| {
            let config = AnalyzerConfig { glossary: false, ngram_range, korean_bigrams, ..AnalyzerConfig::default() };
            let docs =
                ["strategic integration deepens", "Strategic integration", "strategic ties", "사거리 사거리에서"];
            let counts = count(&Analyzer::new(&config).unwrap(), &docs);
            let shown = |term: &str| counts.terms.binary_search(term).map(|g| counts.display[g].to_string()).ok();
            (shown("strateg integr"), shown("integr deepen"), shown("사거 거리"))
        };
        // Each word's most frequent form; a word that is no term of its own (unigrams left out) as it is.
        let both = display((1, 2), false);
        assert_eq!(
            (both.0.as_deref(), both.1.as_deref()),
            (Some("strategic integration"), Some("integration deepens"))
        );
        let bigrams_only = display((2, 2), false);
        assert_eq!(
            (bigrams_only.0.as_deref(), bigrams_only.1.as_deref()),
            (Some("strateg integr"), Some("integr deepen"))
        );
        // Two syllable bigrams of one Korean word both show the word: shown once.
        assert_eq!(display((1, 2), true).2.as_deref(), Some("사거리"));
    }

    #[test]
    fn order_keys_order_terms_as_their_bytes() {
        let terms = [
            "",
            "a",
            "a\0",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgha",
            "abcdefghijkl",
            "abcdefghijkl\0",
            "abcdefghijkm",
            "abcdefghijklm",
            "abcdefghijklmn",
            "abcdefghijklmno",
            "abcdefghijklmno\0",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "abcdefghijklmnopq",
            "abcdefghijklmnoz",
            "b",
            "동맹",
            "동맹국",
            "동맹국가",
            "동맹국가들",
            "동맹국들",
            "북한",
        ];
        for a in &terms {
            for b in &terms {
                let (ka, kb) = (order_key(a), order_key(b));
                assert!(ka == kb || ka.cmp(&kb) == a.cmp(b), "{a:?} {b:?}");
                // Equal whole keys are equal terms; a key that is not whole is a term of sixteen bytes or more.
                assert!(ka != kb || !ka.is_whole() || a == b, "{a:?} {b:?}");
                assert_eq!(ka.is_whole(), a.len() < 16, "{a:?}");
            }
        }
    }
}
