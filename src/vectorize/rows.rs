//! CSR rows: filling a matrix's arrays in parallel, straight into place, and gathering some rows of one.

use std::mem::MaybeUninit;
use std::ops::Range;

use rayon::prelude::*;

/// The `indices` and `values` arrays of a CSR matrix with the row layout `indptr`, filled in parallel:
/// `fill(rows, writer)` gets a range of rows and a [`RowWriter`] over their part of both arrays, which it must fill.
/// Blocks hold about the same number of entries, so a few long documents (UN speeches) are spread over the threads
/// as well as many short ones.
///
/// The arrays are not zeroed first: zeroing them (24 MB of TF-IDF on KCNA stories) took every fresh page's fault
/// on one thread before the threads wrote it; written only once, by the thread that fills it, each page faults in
/// on that thread (KCNA fit, first run: 15.4 → 10.9 ms). Panics if a block is left short.
pub(super) fn fill_rows<I, V>(
    indptr: &[usize],
    fill: impl Fn(Range<usize>, &mut RowWriter<I, V>) + Sync,
) -> (Vec<I>, Vec<V>)
where
    I: Copy + Send,
    V: Copy + Send,
{
    let rows = indptr.len() - 1;
    let nnz = indptr[rows] - indptr[0];
    let (mut indices, mut values) = (Vec::with_capacity(nnz), Vec::with_capacity(nnz));
    let per_task = (nnz / (4 * rayon::current_num_threads())).max(1 << 14);
    let mut blocks = Vec::new();
    let mut first = 0;
    while first < rows {
        let mut last = first + 1;
        while last < rows && indptr[last] - indptr[first] < per_task {
            last += 1;
        }
        blocks.push(first..last);
        first = last;
    }
    let lengths = || blocks.iter().map(|b| indptr[b.end] - indptr[b.start]);
    let block_indices = split_by_lengths(&mut indices.spare_capacity_mut()[..nnz], lengths());
    let block_values = split_by_lengths(&mut values.spare_capacity_mut()[..nnz], lengths());
    let tasks = blocks.iter().cloned().zip(block_indices.into_iter().zip(block_values));
    let tasks: Vec<_> = tasks.map(|(rows, (indices, values))| (rows, RowWriter { indices, values, len: 0 })).collect();
    tasks.into_par_iter().for_each(|(rows, mut writer)| {
        let range = rows.clone();
        fill(rows, &mut writer);
        assert_eq!(writer.len, writer.indices.len(), "rows {range:?} were left short");
    });
    // SAFETY: the blocks tile the first `nnz` slots of both arrays, and every block was checked full; a writer only
    // counts slots it wrote, in order.
    unsafe {
        indices.set_len(nnz);
        values.set_len(nnz);
    }
    (indices, values)
}

/// `slice` cut into consecutive pieces of the given `lengths`, from its start (panics if they add up to more).
pub(super) fn split_by_lengths<T>(mut slice: &mut [T], lengths: impl IntoIterator<Item = usize>) -> Vec<&mut [T]> {
    lengths
        .into_iter()
        .map(|len| {
            let (piece, rest) = std::mem::take(&mut slice).split_at_mut(len);
            slice = rest;
            piece
        })
        .collect()
}

/// A block of a matrix's `indices` and `values` arrays, not yet initialized, written front to back.
pub(super) struct RowWriter<'a, I, V> {
    indices: &'a mut [MaybeUninit<I>],
    values: &'a mut [MaybeUninit<V>],
    /// The slots written: `..len` of both arrays.
    len: usize,
}

impl<I: Copy, V: Copy> RowWriter<'_, I, V> {
    /// How many entries are written.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Writes the next entry (panics past the block's end).
    #[inline]
    pub(super) fn push(&mut self, index: I, value: V) {
        self.indices[self.len].write(index);
        self.values[self.len].write(value);
        self.len += 1;
    }

    /// Writes the next entries, copied.
    pub(super) fn extend_from_slices(&mut self, indices: &[I], values: &[V]) {
        assert_eq!(indices.len(), values.len());
        let (a, b) = (self.len, self.len + indices.len());
        // SAFETY: `MaybeUninit<T>` has the layout of `T`; the slots are only written.
        self.indices[a..b].copy_from_slice(unsafe { &*(indices as *const [I] as *const [MaybeUninit<I>]) });
        self.values[a..b].copy_from_slice(unsafe { &*(values as *const [V] as *const [MaybeUninit<V>]) });
        self.len = b;
    }

    /// The entries written from `start` on (a row just written, to weigh in place).
    #[inline]
    pub(super) fn written_from(&mut self, start: usize) -> (&[I], &mut [V]) {
        let (indices, values) = (&self.indices[start..self.len], &mut self.values[start..self.len]);
        // SAFETY: slots `..len` are written, and `MaybeUninit<T>` has the layout of `T`.
        unsafe {
            (&*(indices as *const [MaybeUninit<I>] as *const [I]), &mut *(values as *mut [MaybeUninit<V>] as *mut [V]))
        }
    }
}

/// Rows of up to this many entries are ordered by ranking, longer ones sorted.
const RANKED_ROW: usize = 32;

/// Calls `f` with the values of `row`, which are distinct, in increasing order. A short row is ranked: each value
/// goes to the place given by how many values are below it, with no branch on the data. Sorted, a headline's few
/// entries (YNAT: seven) took an insertion sort that mispredicted a branch at nearly every step; ranked, YNAT's fit
/// took 2.49–2.87 ms instead of 2.83–3.30 (eight processes of 30 fits each, warm).
#[inline]
pub(super) fn for_each_sorted(row: &mut [u64], mut f: impl FnMut(u64)) {
    if row.len() > RANKED_ROW {
        row.sort_unstable();
        row.iter().for_each(|&x| f(x));
        return;
    }
    let mut ranked = [0u64; RANKED_ROW];
    for &x in row.iter() {
        let below = row.iter().map(|&y| usize::from(y < x)).sum::<usize>();
        // Below RANKED_ROW already (the values are distinct); masked, not bounds-checked.
        ranked[below % RANKED_ROW] = x;
    }
    ranked[..row.len()].iter().for_each(|&x| f(x));
}

/// Puts a row's entries in column order: a bit per column and a bit per 64 columns, walked in order. Linear in
/// the row's length (plus one word per 4096 columns), where sorting each row took n log n comparisons, most of
/// the merge's time on long documents. Sized to the vocabulary once, reused for every row.
pub(super) struct RowOrder {
    /// Bit `w % 64` of `top[w / 64]`: whether `bits[w]` has a bit set.
    top: Vec<u64>,
    bits: Vec<u64>,
    values: Vec<u32>,
}

impl RowOrder {
    pub(super) fn new(width: usize) -> RowOrder {
        let words = width.div_ceil(64);
        RowOrder { top: vec![0; words.div_ceil(64)], bits: vec![0; words], values: vec![0; width] }
    }

    /// Adds the entry of column `col` (each column at most once per row).
    #[inline]
    pub(super) fn insert(&mut self, col: u32, value: u32) {
        let (c, w) = (col as usize, col as usize / 64);
        self.values[c] = value;
        self.bits[w] |= 1 << (c % 64);
        self.top[w / 64] |= 1 << (w % 64);
    }

    /// Calls `emit(col, value)` for every entry, by column, and empties the row.
    #[inline]
    pub(super) fn drain(&mut self, mut emit: impl FnMut(u32, u32)) {
        for (t, top) in self.top.iter_mut().enumerate() {
            let mut words = std::mem::take(top);
            while words != 0 {
                let w = t * 64 + words.trailing_zeros() as usize;
                words &= words - 1;
                let mut bits = std::mem::take(&mut self.bits[w]);
                while bits != 0 {
                    let c = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    emit(c as u32, self.values[c]);
                }
            }
        }
    }
}

/// The rows `rows` of a CSR matrix, in that order, as `(indptr, indices, values)`: `row(i)` gives row `i`'s
/// indices and values. One gatherer for count rows (`Counts`) and matrix rows (`CsMat`).
pub fn gather_rows<'a, I: Copy + 'a, V: Copy + 'a>(
    rows: &[usize],
    row: impl Fn(usize) -> (&'a [I], &'a [V]),
) -> (Vec<usize>, Vec<I>, Vec<V>) {
    let (mut indptr, mut indices, mut values) = (vec![0], Vec::new(), Vec::new());
    for &r in rows {
        let (i, v) = row(r);
        indices.extend_from_slice(i);
        values.extend_from_slice(v);
        indptr.push(indices.len());
    }
    (indptr, indices, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_filled_once_in_its_place() {
        // Rows of very different lengths, some empty, more entries than one block holds.
        let lengths: Vec<usize> = (0..3000).map(|r| (r * 7919) % 61).collect();
        let mut indptr = vec![5];
        lengths.iter().for_each(|l| indptr.push(indptr[indptr.len() - 1] + l));
        let (rows, cols) = fill_rows(&indptr, |rows, writer| {
            for r in rows {
                let start = writer.len();
                (0..lengths[r]).for_each(|c| writer.push(r, c));
                // Rows are read back, and changed, where they were written.
                let (written, cols) = writer.written_from(start);
                assert!(written.iter().all(|&w| w == r));
                cols.iter_mut().for_each(|c| *c += 1);
            }
        });
        let expected: Vec<(usize, usize)> = (0..3000).flat_map(|r| (1..=lengths[r]).map(move |c| (r, c))).collect();
        assert_eq!(rows.into_iter().zip(cols).collect::<Vec<_>>(), expected);
    }

    #[test]
    #[should_panic(expected = "left short")]
    fn a_block_left_short_is_a_panic_not_uninitialized_memory() {
        let indptr = [0, 2, 4];
        fill_rows(&indptr, |rows, writer| {
            for r in rows {
                writer.extend_from_slices(&[r], &[0u32]);
            }
        });
    }

    #[test]
    fn rows_of_every_length_come_out_sorted() {
        for len in 0..80u64 {
            // Distinct values in a scrambled order, some equal in their high half: a row never holds one column
            // twice, but the ranking compares whole values and must not depend on that.
            let mut row: Vec<u64> = (0..len).map(|k| (k * 7919 % 97) << 32 | (k * 31 % 5)).collect();
            row.sort_unstable();
            row.dedup();
            let expected = row.clone();
            row.reverse();
            let third = row.len() / 3;
            row.rotate_left(third);
            let mut got = Vec::new();
            for_each_sorted(&mut row, |x| got.push(x));
            assert_eq!(got, expected, "{len}");
        }
    }

    #[test]
    fn row_order_gives_the_entries_by_column_and_starts_empty_again() {
        let width = 3 * 4096 + 70;
        let mut order = RowOrder::new(width);
        for row in
            [vec![(5u32, 1u32), (0, 2), (4096 * 3 + 69, 3), (64, 4), (63, 5), (4095, 6), (4096, 7)], vec![(7, 8)]]
        {
            row.iter().for_each(|&(c, v)| order.insert(c, v));
            let mut drained = Vec::new();
            order.drain(|c, v| drained.push((c, v)));
            let mut sorted = row.clone();
            sorted.sort_unstable();
            assert_eq!(drained, sorted);
        }
        assert!(order.top.iter().chain(&order.bits).all(|&w| w == 0));
    }

    #[test]
    fn gathered_rows_come_in_the_order_asked() {
        // Rows 0: [1, 2], 1: [], 2: [3]; asked for 2, 0, 2, 1.
        let (indptr, indices, values) = ([0, 2, 2, 3], [10u32, 20, 30], [1.0, 2.0, 3.0]);
        let row = |r: usize| (&indices[indptr[r]..indptr[r + 1]], &values[indptr[r]..indptr[r + 1]]);
        let (p, i, v) = gather_rows(&[2, 0, 2, 1], row);
        assert_eq!((p, i, v), (vec![0, 1, 3, 4, 4], vec![30, 10, 20, 30], vec![3.0, 1.0, 2.0, 3.0]));
    }
}
