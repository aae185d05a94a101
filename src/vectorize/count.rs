//! Parallel counting: texts into term counts per document, with a vocabulary that does not depend on how
//! the work was split between threads.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::rows::{fill_rows, RowOrder};
use crate::text::{prefetch_text, TokenSession, Tokenize};

/// Term counts of every document over the sorted vocabulary of every term seen.
#[derive(Debug, Clone)]
pub struct Counts {
    /// Every term seen, sorted (byte order, as scikit-learn sorts its vocabulary).
    pub terms: Vec<String>,
    /// The most frequent surface form behind each term.
    pub display: Vec<String>,
    /// Whether each term is a glossary concept.
    pub concept: Vec<bool>,
    /// CSR rows: `indptr[d]..indptr[d+1]` index `indices` (sorted columns) and `values` (counts).
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<u32>,
}

impl Counts {
    pub fn n_docs(&self) -> usize {
        self.indptr.len() - 1
    }
}

/// What one thread counted: rows over its session's own term ids (each row in first-occurrence order), and the
/// session itself, which holds the terms' strings and surface forms.
struct Share<S> {
    session: S,
    /// The chunks of texts this thread took, with the first of its rows that each begins with.
    chunks: Vec<(usize, usize)>,
    /// Whether each term occurs in some row (a session also knows terms of glossary phrases and of words that
    /// only ever occurred inside a phrase).
    occurs: Vec<bool>,
    /// The local ids, sorted by term, with their terms' order keys.
    sorted: Vec<(u64, u32)>,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<u32>,
}

/// Chunks of text a thread takes at a time: small enough that the threads finish together, whatever their
/// speed (a share fixed in advance left one thread idle a fifth of the time), large enough that taking one
/// costs nothing.
const CHUNKS_PER_THREAD: usize = 32;

/// Counts the terms of `texts` with `tokenizer`, in parallel: one analyzer session per thread (its cache of
/// analysed words grows once), each taking the next chunk of texts until none is left.
pub fn count<T: AsRef<str> + Sync>(tokenizer: &(impl Tokenize + ?Sized), texts: &[T]) -> Counts {
    let bounds = split_evenly(texts, CHUNKS_PER_THREAD * rayon::current_num_threads());
    let next = AtomicUsize::new(0);
    let shares = rayon::broadcast(|_| count_share(tokenizer, texts, &bounds, &next));
    merge(&shares, &bounds)
}

/// Cuts `texts` into `parts` contiguous ranges of about the same number of bytes.
fn split_evenly<T: AsRef<str>>(texts: &[T], parts: usize) -> Vec<usize> {
    let total: usize = texts.iter().map(|t| t.as_ref().len() + 1).sum();
    let per = total.div_ceil(parts.max(1)).max(1);
    let mut bounds = vec![0];
    let mut acc = 0;
    for (i, t) in texts.iter().enumerate() {
        acc += t.as_ref().len() + 1;
        if acc >= per * bounds.len() && i + 1 < texts.len() {
            bounds.push(i + 1);
        }
    }
    bounds.push(texts.len());
    bounds.dedup();
    if bounds.len() == 1 {
        bounds.push(0);
    }
    bounds
}

/// One thread's work: chunks `bounds[c]..bounds[c + 1]` of `texts`, taking the next `c` from `next` each time.
fn count_share<'t, T: AsRef<str>, Z: Tokenize + ?Sized>(
    tokenizer: &'t Z,
    texts: &[T],
    bounds: &[usize],
    next: &AtomicUsize,
) -> Share<Z::Session<'t>> {
    let mut session = tokenizer.session();
    let mut ids = Vec::new();
    // Room for an entry per eight bytes of the thread's part of the text, more than English takes (one per
    // sixteen): reserved address space costs nothing until it is written, and growing by copies would.
    let bytes: usize = texts.iter().map(|t| t.as_ref().len()).sum::<usize>() / rayon::current_num_threads();
    let (mut indices, mut values) = (Vec::with_capacity(bytes / 8), Vec::with_capacity(bytes / 8));
    let mut indptr = vec![0];
    let mut chunks = Vec::new();
    // Per-document counts by term id; `indices[row_start..]` lists the ids touched, to reset them after.
    let mut tally: Vec<u32> = Vec::new();
    loop {
        let c = next.fetch_add(1, Ordering::Relaxed);
        if c + 1 >= bounds.len() {
            break;
        }
        chunks.push((c, indptr.len() - 1));
        let chunk = &texts[bounds[c]..bounds[c + 1]];
        for (k, text) in chunk.iter().enumerate() {
            if let Some(next) = chunk.get(k + 1) {
                prefetch_text(next.as_ref());
            }
            ids.clear();
            session.tokens(text.as_ref(), &mut ids);
            if tally.len() < session.term_count() {
                tally.resize(session.term_count(), 0);
            }
            // Every id is written and kept where it is new to the row: no branch on it (as random as the words).
            let row_start = indices.len();
            indices.resize(row_start + ids.len(), 0);
            let mut k = row_start;
            for &id in &ids {
                let n = &mut tally[id as usize];
                indices[k] = id;
                k += usize::from(*n == 0);
                *n += 1;
            }
            indices.truncate(k);
            for &id in &indices[row_start..] {
                values.push(std::mem::take(&mut tally[id as usize]));
            }
            indptr.push(indices.len());
        }
    }
    let n = session.term_count();
    let mut occurs = vec![false; n];
    indices.iter().for_each(|&id| occurs[id as usize] = true);
    let sorted = sorted_ids(&session);
    Share { session, chunks, occurs, sorted, indptr, indices, values }
}

/// A term's first eight bytes, zero-padded, big-endian: a number that orders terms as their bytes do, except
/// that terms sharing eight bytes (or differing only by trailing NULs) tie and need their whole bytes compared.
fn order_key(term: &str) -> u64 {
    let mut head = [0u8; 8];
    let n = term.len().min(8);
    head[..n].copy_from_slice(&term.as_bytes()[..n]);
    u64::from_be_bytes(head)
}

/// A session's term ids sorted by term, with the terms' order keys. Sorted as numbers first, the strings
/// compared only where the keys tie: comparing strings throughout cost a cache miss per comparison (the
/// terms lie all over the session's arena).
fn sorted_ids<S: TokenSession>(session: &S) -> Vec<(u64, u32)> {
    let mut sorted: Vec<(u64, u32)> =
        (0..session.term_count() as u32).map(|t| (order_key(session.term(t)), t)).collect();
    sorted.sort_unstable();
    for tie in sorted.chunk_by_mut(|a, b| a.0 == b.0).filter(|tie| tie.len() > 1) {
        tie.sort_unstable_by(|a, b| session.term(a.1).cmp(session.term(b.1)));
    }
    sorted
}

/// Joins the shares over one sorted vocabulary of the terms that occur, the rows in the order of the texts.
fn merge<S: TokenSession>(shares: &[Share<S>], bounds: &[usize]) -> Counts {
    let (all, maps) = merge_terms(shares);
    let ((concept, display), (indptr, indices, values)) = rayon::join(
        || (concepts(shares, &maps, all.len()), display_forms(shares, &maps, &all)),
        || rows(shares, &maps, all.len(), bounds),
    );
    let terms = all.par_iter().map(|&t| t.to_string()).collect();
    Counts { terms, display, concept, indptr, indices, values }
}

/// Rows from this many entries are put in column order by a [`RowOrder`], shorter ones sorted (its fixed cost, a
/// word per 4096 columns and a table as wide as the vocabulary, is more than sorting a headline's few terms).
const LONG_ROW: usize = 48;

/// The rows of every text over the `width` global ids, each sorted by column, in the order of the texts: filled in
/// parallel, straight into place.
fn rows<S: Sync>(
    shares: &[Share<S>],
    maps: &[Vec<u32>],
    width: usize,
    bounds: &[usize],
) -> (Vec<usize>, Vec<u32>, Vec<u32>) {
    // Where each text's row is: (share, row in it).
    let mut sources = vec![(0, 0); bounds[bounds.len() - 1]];
    for (s, share) in shares.iter().enumerate() {
        for &(c, first) in &share.chunks {
            for (k, d) in (bounds[c]..bounds[c + 1]).enumerate() {
                sources[d] = (s, first + k);
            }
        }
    }
    let mut indptr = Vec::with_capacity(sources.len() + 1);
    indptr.push(0);
    for &(s, local) in &sources {
        let share = &shares[s];
        indptr.push(indptr[indptr.len() - 1] + share.indptr[local + 1] - share.indptr[local]);
    }
    let (indices, values) = fill_rows(&indptr, |rows, writer| {
        let mut order: Option<RowOrder> = None;
        let mut row: Vec<u64> = Vec::new();
        for d in rows {
            let (s, local) = sources[d];
            let (share, map) = (&shares[s], &maps[s]);
            let (a, b) = (share.indptr[local], share.indptr[local + 1]);
            if b - a >= LONG_ROW {
                let order = order.get_or_insert_with(|| RowOrder::new(width));
                for (&id, &c) in share.indices[a..b].iter().zip(&share.values[a..b]) {
                    order.insert(map[id as usize], c);
                }
                order.drain(|col, c| writer.push(col, c));
            } else {
                row.clear();
                row.extend(
                    share.indices[a..b]
                        .iter()
                        .zip(&share.values[a..b])
                        .map(|(&id, &c)| (map[id as usize] as u64) << 32 | c as u64),
                );
                row.sort_unstable();
                row.iter().for_each(|&e| writer.push((e >> 32) as u32, e as u32));
            }
        }
    });
    (indptr, indices, values)
}

/// The sorted union of the terms that occur in some share, and for each share the global id of each of its
/// local ids (`u32::MAX`: the term occurs in no share). A term gets its global id in every share that knows it,
/// also where it does not occur there itself, so that its surface forms there count.
fn merge_terms<S: TokenSession>(shares: &[Share<S>]) -> (Vec<&str>, Vec<Vec<u32>>) {
    // (order key, term): ordered as the terms are, the strings read only where the keys tie.
    let lists: Vec<Vec<(u64, &str)>> =
        shares.par_iter().map(|s| s.sorted.iter().map(|&(key, l)| (key, s.session.term(l))).collect()).collect();
    // Merged in parallel parts, cut at terms evenly spaced in the longest list (a term equal to a cut starts its
    // part in every list).
    let parts = 2 * rayon::current_num_threads();
    let longest = lists.iter().max_by_key(|l| l.len()).map_or(&[][..], |l| &l[..]);
    let cuts: Vec<Vec<usize>> = (0..=parts)
        .map(|p| match longest.get(p * longest.len() / parts) {
            Some(cut) if p > 0 && p < parts => lists.iter().map(|l| l.partition_point(|t| t < cut)).collect(),
            _ => lists.iter().map(|l| if p == 0 { 0 } else { l.len() }).collect(),
        })
        .collect();
    let merged: Vec<(Vec<&str>, Vec<Vec<u32>>)> =
        (0..parts).into_par_iter().map(|p| merge_part(shares, &lists, &cuts[p], &cuts[p + 1])).collect();
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
                for (&(_, local), &g) in sorted.iter().zip(&by_position[s]) {
                    if g != u32::MAX {
                        map[local as usize] = g + offsets[p];
                    }
                }
            }
            map
        })
        .collect();
    let mut all = Vec::with_capacity(merged.iter().map(|(part, _)| part.len()).sum());
    merged.into_iter().for_each(|(part, _)| all.extend(part));
    (all, maps)
}

/// Merges the lists' terms from `from[s]` to `to[s]`: the terms that occur in some share, sorted, and for each
/// share the id (among those) of each of its terms there, by position (`u32::MAX`: it occurs in no share).
fn merge_part<'s, S: TokenSession>(
    shares: &[Share<S>],
    lists: &[Vec<(u64, &'s str)>],
    from: &[usize],
    to: &[usize],
) -> (Vec<&'s str>, Vec<Vec<u32>>) {
    let mut by_position: Vec<Vec<u32>> = (0..shares.len()).map(|s| vec![u32::MAX; to[s] - from[s]]).collect();
    let mut all: Vec<&str> = Vec::new();
    let mut next = from.to_vec();
    let mut holds = Vec::with_capacity(shares.len());
    let head = |s: usize, next: &[usize]| lists[s][..to[s]].get(next[s]).copied();
    while let Some(least) = (0..shares.len()).filter_map(|s| head(s, &next)).min() {
        holds.clear();
        holds.extend((0..shares.len()).filter(|&s| head(s, &next) == Some(least)));
        let occurs = holds.iter().any(|&s| shares[s].occurs[shares[s].sorted[next[s]].1 as usize]);
        for &s in &holds {
            if occurs {
                by_position[s][next[s] - from[s]] = all.len() as u32;
            }
            next[s] += 1;
        }
        if occurs {
            all.push(least.1);
        }
    }
    (all, by_position)
}

/// Whether each global term is a glossary concept in some share.
fn concepts<S: TokenSession>(shares: &[Share<S>], maps: &[Vec<u32>], n: usize) -> Vec<bool> {
    let mut concept = vec![false; n];
    for (share, map) in shares.iter().zip(maps) {
        for (local, &g) in map.iter().enumerate() {
            if g != u32::MAX {
                concept[g as usize] |= share.session.is_concept(local as u32);
            }
        }
    }
    concept
}

/// Each term's most frequent surface form over all shares; ties go to the smaller string so the choice is
/// stable. An n-gram, which has none, shows its words' forms.
fn display_forms<S: TokenSession + Sync>(shares: &[Share<S>], maps: &[Vec<u32>], all: &[&str]) -> Vec<String> {
    // The forms bucketed by global term (a counting sort: no string is compared but within a term).
    let forms: Vec<Vec<(u32, &str, u64)>> = shares
        .par_iter()
        .zip(maps)
        .map(|(share, map)| {
            let mut forms = Vec::new();
            share.session.for_each_surface(&mut |id, surface, c| {
                let g = map[id as usize];
                if g != u32::MAX {
                    forms.push((g, surface, c));
                }
            });
            forms
        })
        .collect();
    let mut starts = vec![0usize; all.len() + 1];
    forms.iter().flatten().for_each(|f| starts[f.0 as usize + 1] += 1);
    (0..all.len()).for_each(|g| starts[g + 1] += starts[g]);
    let mut bucketed: Vec<(&str, u64)> = vec![("", 0); starts[all.len()]];
    let mut next = starts.clone();
    for (g, surface, c) in forms.into_iter().flatten() {
        bucketed[next[g as usize]] = (surface, c);
        next[g as usize] += 1;
    }
    let best: Vec<Option<(&str, u64)>> =
        (0..all.len()).into_par_iter().map(|g| most_frequent(&bucketed[starts[g]..starts[g + 1]])).collect();
    all.par_iter()
        .zip(&best)
        .map(|(term, b)| b.map_or_else(|| ngram_display(term, all, &best), |(s, _)| s.into()))
        .collect()
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

/// An n-gram has no surface of its own: its words' display forms, joined. Neighbours that read the same (two
/// syllable bigrams of one Korean stem, 사거 거리 → 사거리) are shown once.
fn ngram_display(term: &str, all: &[&str], best: &[Option<(&str, u64)>]) -> String {
    let mut parts: Vec<&str> = term
        .split(' ')
        .map(|part| all.binary_search(&part).ok().and_then(|g| best[g]).map_or(part, |(s, _)| s))
        .collect();
    parts.dedup();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_short_rows_come_out_by_column_with_their_counts() {
        use crate::text::{Analyzer, AnalyzerConfig};
        let config = AnalyzerConfig { glossary: false, stopwords: false, ..AnalyzerConfig::default() };
        let analyzer = Analyzer::new(&config).unwrap();
        // Rows on both sides of LONG_ROW, over a vocabulary wider than a RowOrder's 4096-column word.
        let docs: Vec<String> = (0..400)
            .map(|d| (0..(d % 7) * 40).map(|k| format!("w{} ", (d * 131 + k * k * 17) % 9000)).collect())
            .collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let counts = pool.install(|| count(&analyzer, &docs));
        assert!(counts.terms.len() > 4096);
        for (d, doc) in docs.iter().enumerate() {
            let mut expected = std::collections::BTreeMap::new();
            doc.split_whitespace().for_each(|w| *expected.entry(w.to_string()).or_insert(0u32) += 1);
            let (a, b) = (counts.indptr[d], counts.indptr[d + 1]);
            let got: Vec<(String, u32)> =
                (a..b).map(|k| (counts.terms[counts.indices[k] as usize].clone(), counts.values[k])).collect();
            assert_eq!(got, expected.into_iter().collect::<Vec<_>>(), "document {d}");
        }
    }

    #[test]
    fn evenly_split_ranges_cover_everything() {
        let texts = ["a"; 10];
        for parts in 1..12 {
            let b = split_evenly(&texts, parts);
            assert_eq!((b[0], *b.last().unwrap()), (0, 10));
            assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
        }
        let none: [&str; 0] = [];
        assert_eq!(split_evenly(&none, 4), [0, 0]);
    }

    #[test]
    fn order_keys_order_terms_as_their_bytes() {
        let terms =
            ["", "a", "a\0", "ab", "abcdefgh", "abcdefgh\0", "abcdefghi", "abcdefgha", "b", "동맹", "동맹국", "북한"];
        for a in &terms {
            for b in &terms {
                let (ka, kb) = (order_key(a), order_key(b));
                assert!(ka == kb || ka.cmp(&kb) == a.cmp(b), "{a:?} {b:?}");
            }
        }
    }
}
