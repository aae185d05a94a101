//! Parallel counting: texts into term counts per document, with a vocabulary that does not depend on how
//! the work was split between threads.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::merge::{sorted_ids, SortedId};
use super::rows::{fill_rows, for_each_sorted, split_by_lengths, RowOrder};
use crate::text::{prefetch_text, StringList, TokenSession, Tokenize};

/// Term counts of every document over the sorted vocabulary of every term seen.
#[derive(Debug, Clone)]
pub struct Counts {
    /// Every term seen, sorted (byte order, as scikit-learn sorts its vocabulary).
    pub terms: StringList,
    /// The most frequent surface form behind each term.
    pub display: StringList,
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
pub(super) struct Share<S> {
    pub(super) session: S,
    /// The chunks of texts this thread took, with the first of its rows that each begins with.
    pub(super) chunks: Vec<(usize, usize)>,
    /// Each term's document and corpus frequency in this share, by local id: 0 for a term that occurs in no row
    /// (a session also knows terms of glossary phrases and of words that only ever occurred inside a phrase). Kept
    /// as counted: split into a vector for each, they took 0.13–0.20 ms of fresh memory on each thread (YNAT).
    pub(super) tally: Vec<Tally>,
    /// The local ids, sorted by term, with their terms' order keys and whether they occur in this share's rows.
    pub(super) sorted: Vec<SortedId>,
    pub(super) indptr: Vec<usize>,
    pub(super) indices: Vec<u32>,
    pub(super) values: Vec<u32>,
}

/// Chunks of text a thread takes at a time: small enough that the threads finish together, whatever their
/// speed (a share fixed in advance left one thread idle a fifth of the time), large enough that taking one
/// costs nothing.
const CHUNKS_PER_THREAD: usize = 32;

/// Counts the terms of `texts` with `tokenizer`, in parallel, over one sorted vocabulary.
pub fn count<T: AsRef<str> + Sync>(tokenizer: &(impl Tokenize + ?Sized), texts: &[T]) -> Counts {
    count_shares(tokenizer, texts).into_counts()
}

/// What the threads counted, each over its own term ids: [`Counted::into_counts`] merges it into [`Counts`],
/// [`Counted::fit_tfidf`] straight into a fitted model and its TF-IDF rows.
pub struct Counted<S> {
    pub(super) shares: Vec<Share<S>>,
    pub(super) bounds: Vec<usize>,
}

/// Counts the terms of `texts` with `tokenizer`, in parallel: one analyzer session per thread (its cache of
/// analysed words grows once), each taking the next chunk of texts until none is left.
pub fn count_shares<'t, T: AsRef<str> + Sync, Z: Tokenize + ?Sized>(
    tokenizer: &'t Z,
    texts: &[T],
) -> Counted<Z::Session<'t>> {
    let bounds = split_evenly(texts, CHUNKS_PER_THREAD * rayon::current_num_threads());
    let left = Remaining::new(bounds.len() - 1);
    let shares = rayon::broadcast(|ctx| count_share(tokenizer, texts, &bounds, &left, ctx.index() % 2 == 1));
    Counted { shares, bounds }
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

/// The chunks no thread has taken yet, `front..back`: threads take from both ends, so that with two threads each
/// reads one contiguous part of the corpus. Records near each other share words (an archive is usually in date
/// order), so each thread meets fewer words for the first time, and analyzes fewer, than with the chunks dealt
/// out in turn.
struct Remaining(AtomicU64);

impl Remaining {
    fn new(chunks: usize) -> Remaining {
        Remaining(AtomicU64::new(chunks as u64))
    }

    /// The next chunk from the front (or, `from_back`, the back), if any is left.
    fn take(&self, from_back: bool) -> Option<usize> {
        let mut state = self.0.load(Ordering::Relaxed);
        loop {
            let (front, back) = (state >> 32, state & u64::from(u32::MAX));
            if front >= back {
                return None;
            }
            let (taken, next) =
                if from_back { (back - 1, front << 32 | (back - 1)) } else { (front, (front + 1) << 32 | back) };
            match self.0.compare_exchange_weak(state, next, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return Some(taken as usize),
                Err(now) => state = now,
            }
        }
    }
}

/// One thread's work: chunks `bounds[c]..bounds[c + 1]` of `texts`, each `c` taken from `left`.
fn count_share<'t, T: AsRef<str>, Z: Tokenize + ?Sized>(
    tokenizer: &'t Z,
    texts: &[T],
    bounds: &[usize],
    left: &Remaining,
    from_back: bool,
) -> Share<Z::Session<'t>> {
    let mut session = tokenizer.session();
    let mut ids = Vec::new();
    // Room for an entry per eight bytes of the thread's part of the text, more than English takes (one per
    // sixteen): reserved address space costs nothing until it is written, and growing by copies would.
    let bytes: usize = texts.iter().map(|t| t.as_ref().len()).sum::<usize>() / rayon::current_num_threads();
    let (mut indices, mut values) = (Vec::with_capacity(bytes / 8), Vec::with_capacity(bytes / 8));
    let mut indptr = vec![0];
    let mut chunks = Vec::new();
    // Counts by term id; `indices[row_start..]` lists the ids a row touched, to reset their row counts after.
    // Reserved for a term per sixteen bytes, more than any corpus here has (YNAT one per 23, KCNA one per 370):
    // grown by doubling, each growth copied the counts into fresh memory, a third of the analysis's page faults
    // on YNAT.
    let mut tally: Vec<Tally> = Vec::with_capacity(bytes / 16);
    while let Some(c) = left.take(from_back) {
        chunks.push((c, indptr.len() - 1));
        let chunk = &texts[bounds[c]..bounds[c + 1]];
        for (k, text) in chunk.iter().enumerate() {
            if let Some(next) = chunk.get(k + 1) {
                prefetch_text(next.as_ref());
            }
            ids.clear();
            session.tokens(text.as_ref(), &mut ids);
            if tally.len() < session.term_count() {
                tally.resize(session.term_count(), Tally::default());
            }
            // Every id is written and kept where it is new to the row: no branch on it (as random as the words).
            let row_start = indices.len();
            indices.resize(row_start + ids.len(), 0);
            let mut k = row_start;
            for &id in &ids {
                let n = &mut tally[id as usize].in_row;
                indices[k] = id;
                k += usize::from(*n == 0);
                *n += 1;
            }
            indices.truncate(k);
            for &id in &indices[row_start..] {
                // The frequencies are added here, where each term's counts are in cache, not in a pass of their own.
                let t = &mut tally[id as usize];
                let n = std::mem::take(&mut t.in_row);
                t.df += 1;
                t.cf += u64::from(n);
                values.push(n);
            }
            indptr.push(indices.len());
        }
    }
    tally.resize(session.term_count(), Tally::default());
    let sorted = sorted_ids(&session, &tally);
    Share { session, chunks, tally, sorted, indptr, indices, values }
}

/// A term's counts while a thread counts: in the row being counted, and over the rows so far.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Tally {
    in_row: u32,
    pub(super) df: u32,
    pub(super) cf: u64,
}

impl<S: TokenSession + Sync> Counted<S> {
    pub fn n_docs(&self) -> usize {
        self.bounds[self.bounds.len() - 1]
    }

    /// Joins the shares over one sorted vocabulary of the terms that occur, the rows in the order of the texts.
    pub fn into_counts(self) -> Counts {
        let merged = self.merged();
        let width = merged.terms.len();
        let ((concept, display), (indptr, indices, values)) = rayon::join(
            || (self.concepts(&merged), self.display_forms(&merged)),
            || self.rows(&merged.maps, width, |col, c| (col, c), |_, _| {}),
        );
        Counts { terms: merged.terms, display, concept, indptr, indices, values }
    }

    /// The rows of every text, in the order of the texts, each by column: `columns[s][local]` is the column of a
    /// share's term (`u32::MAX`: left out), of `width`. `entry(column, count)` makes a matrix entry, and
    /// `finish(columns, values)` may change a row's values once it is written. Filled in parallel, straight into
    /// place.
    pub(super) fn rows<I: Copy + Send, V: Copy + Send>(
        &self,
        columns: &[Vec<u32>],
        width: usize,
        entry: impl Fn(u32, u32) -> (I, V) + Sync,
        finish: impl Fn(&[I], &mut [V]) + Sync,
    ) -> (Vec<usize>, Vec<I>, Vec<V>) {
        let (shares, bounds) = (&self.shares, &self.bounds);
        // Where each chunk's rows are: (share, its first row there).
        let mut homes = vec![(0, 0); bounds.len() - 1];
        for (s, share) in shares.iter().enumerate() {
            for &(c, first) in &share.chunks {
                homes[c] = (s, first);
            }
        }
        // The share and row of text `d`, of chunk `c`: found by chunk, where a table by text was a fifth of a megabyte
        // of fresh memory on YNAT.
        let source = |c: usize, d: usize| (homes[c].0, homes[c].1 + d - bounds[c]);
        let span = |s: usize, local: usize| shares[s].indptr[local]..shares[s].indptr[local + 1];
        // Every term that occurs has a column unless some were left out; only then are the rows' entries counted.
        let all_kept = columns
            .iter()
            .zip(shares)
            .all(|(cols, share)| cols.iter().zip(&share.tally).all(|(&col, t)| t.df == 0 || col != u32::MAX));
        // Each row's length, a chunk per task, then their running sums in place.
        let mut indptr = vec![0; self.n_docs() + 1];
        let regions = split_by_lengths(&mut indptr[1..], bounds.windows(2).map(|b| b[1] - b[0]));
        regions.into_par_iter().enumerate().for_each(|(c, lengths)| {
            for (len, d) in lengths.iter_mut().zip(bounds[c]..) {
                let (s, local) = source(c, d);
                let ids = &shares[s].indices[span(s, local)];
                *len = if all_kept {
                    ids.len()
                } else {
                    ids.iter().filter(|&&id| columns[s][id as usize] != u32::MAX).count()
                };
            }
        });
        for d in 1..indptr.len() {
            indptr[d] += indptr[d - 1];
        }
        let (indices, values) = fill_rows(&indptr, |rows, writer| {
            let mut order: Option<RowOrder> = None;
            let mut row: Vec<u64> = Vec::new();
            let mut chunk = bounds.partition_point(|&b| b <= rows.start) - 1;
            for d in rows {
                while d >= bounds[chunk + 1] {
                    chunk += 1;
                }
                let (s, local) = source(chunk, d);
                let (share, cols) = (&shares[s], &columns[s]);
                let span = span(s, local);
                let entries = share.indices[span.clone()].iter().zip(&share.values[span.clone()]);
                let kept = entries.filter_map(|(&id, &c)| Some((cols[id as usize], c)).filter(|e| e.0 != u32::MAX));
                let start = writer.len();
                let mut emit = |col: u32, c: u32| {
                    let (i, v) = entry(col, c);
                    writer.push(i, v);
                };
                if span.len() >= LONG_ROW {
                    let order = order.get_or_insert_with(|| RowOrder::new(width));
                    kept.for_each(|(col, c)| order.insert(col, c));
                    order.drain(emit);
                } else {
                    row.clear();
                    row.extend(kept.map(|(col, c)| (col as u64) << 32 | c as u64));
                    for_each_sorted(&mut row, |e| emit((e >> 32) as u32, e as u32));
                }
                let (cols, values) = writer.written_from(start);
                finish(cols, values);
            }
        });
        (indptr, indices, values)
    }
}

/// Rows from this many entries are put in column order by a [`RowOrder`], shorter ones sorted (its fixed cost, a
/// word per 4096 columns and a table as wide as the vocabulary, is more than sorting a headline's few terms).
const LONG_ROW: usize = 48;

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
                (a..b).map(|k| (counts.terms[counts.indices[k] as usize].to_string(), counts.values[k])).collect();
            assert_eq!(got, expected.into_iter().collect::<Vec<_>>(), "document {d}");
        }
    }

    #[test]
    fn chunks_taken_from_both_ends_are_each_taken_once() {
        let left = Remaining::new(7);
        let taken: Vec<Option<usize>> = [false, true, true, false, true, false, false, true, false]
            .into_iter()
            .map(|from_back| left.take(from_back))
            .collect();
        assert_eq!(taken, [Some(0), Some(6), Some(5), Some(1), Some(4), Some(2), Some(3), None, None]);
        // Taken by threads at once, every chunk exactly once.
        let left = &Remaining::new(10_000);
        let mut all: Vec<usize> = std::thread::scope(|scope| {
            let takers: Vec<_> = [false, true, false, true]
                .map(|back| scope.spawn(move || std::iter::from_fn(|| left.take(back)).collect::<Vec<_>>()))
                .into_iter()
                .collect();
            takers.into_iter().flat_map(|t| t.join().unwrap()).collect()
        });
        all.sort_unstable();
        assert_eq!(all, (0..10_000).collect::<Vec<_>>());
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
}
