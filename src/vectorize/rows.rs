//! Filling a CSR matrix's arrays in parallel, straight into place.

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
}
