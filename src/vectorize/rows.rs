//! CSR rows: filling a matrix's arrays in parallel, straight into place, and gathering some rows of one.

use std::ops::Range;

use rayon::prelude::*;

/// The `indices` and `values` arrays of a CSR matrix with the row layout `indptr`, filled in parallel:
/// `fill(rows, indices, values)` gets a range of rows with their slices of both arrays. Blocks hold about the
/// same number of entries, so a few long documents (UN speeches) are spread over the threads as well as many
/// short ones. The arrays start zeroed (fresh pages from the allocator, touched first by the thread that fills
/// them).
pub(super) fn fill_rows<I, V>(
    indptr: &[usize],
    fill: impl Fn(Range<usize>, &mut [I], &mut [V]) + Sync,
) -> (Vec<I>, Vec<V>)
where
    I: Copy + Default + Send,
    V: Copy + Default + Send,
{
    let rows = indptr.len() - 1;
    let nnz = indptr[rows] - indptr[0];
    let (mut indices, mut values) = (vec![I::default(); nnz], vec![V::default(); nnz]);
    let per_task = (nnz / (4 * rayon::current_num_threads())).max(1 << 14);
    let mut tasks = Vec::new();
    let (mut rest_indices, mut rest_values) = (indices.as_mut_slice(), values.as_mut_slice());
    let mut first = 0;
    while first < rows {
        let mut last = first + 1;
        while last < rows && indptr[last] - indptr[first] < per_task {
            last += 1;
        }
        let len = indptr[last] - indptr[first];
        let (block_indices, tail_indices) = std::mem::take(&mut rest_indices).split_at_mut(len);
        let (block_values, tail_values) = std::mem::take(&mut rest_values).split_at_mut(len);
        tasks.push((first..last, block_indices, block_values));
        (rest_indices, rest_values) = (tail_indices, tail_values);
        first = last;
    }
    tasks.into_par_iter().for_each(|(rows, indices, values)| fill(rows, indices, values));
    (indices, values)
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
        let (rows, cols) = fill_rows(&indptr, |rows, rows_of, cols| {
            let mut k = 0;
            for r in rows {
                for c in 0..lengths[r] {
                    (rows_of[k], cols[k]) = (r, c);
                    k += 1;
                }
            }
            assert_eq!(k, rows_of.len());
        });
        let expected: Vec<(usize, usize)> = (0..3000).flat_map(|r| (0..lengths[r]).map(move |c| (r, c))).collect();
        assert_eq!(rows.into_iter().zip(cols).collect::<Vec<_>>(), expected);
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
