//! Clustering quality metrics.
//!
//! External metrics compare a clustering with gold classes (`hanmi eval`); internal metrics score a clustering on
//! its own and drive the choice of k. Every definition follows scikit-learn 1.x, including its edge cases, so the
//! numbers can be checked against a Python run on the same labels.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use ndarray::ArrayView2;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Agreement between predicted clusters and gold classes, as scikit-learn computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExternalScores {
    pub homogeneity: f64,
    pub completeness: f64,
    /// Harmonic mean of homogeneity and completeness (beta = 1).
    pub v_measure: f64,
    pub adjusted_rand: f64,
    /// Normalised mutual information with the arithmetic mean of the two entropies (scikit-learn's default).
    pub nmi: f64,
}

/// Cross-tabulation of two labelings: class and cluster sizes and the non-zero cells, in a fixed order so that
/// sums come out the same on every run.
struct Contingency {
    n_samples: u64,
    class_sizes: Vec<u64>,
    cluster_sizes: Vec<u64>,
    /// ((class, cluster), count) for every non-empty cell, sorted.
    cells: Vec<((usize, usize), u64)>,
}

impl Contingency {
    fn new(gold: &[usize], pred: &[usize]) -> Contingency {
        let gold_ids = dense_ids(gold);
        let pred_ids = dense_ids(pred);
        let mut class_sizes = vec![0u64; gold_ids.iter().max().map_or(0, |&m| m + 1)];
        let mut cluster_sizes = vec![0u64; pred_ids.iter().max().map_or(0, |&m| m + 1)];
        let mut cells: BTreeMap<(usize, usize), u64> = BTreeMap::new();
        for (&c, &k) in gold_ids.iter().zip(&pred_ids) {
            class_sizes[c] += 1;
            cluster_sizes[k] += 1;
            *cells.entry((c, k)).or_insert(0) += 1;
        }
        Contingency { n_samples: gold.len() as u64, class_sizes, cluster_sizes, cells: cells.into_iter().collect() }
    }

    /// Mutual information in nats, term by term as `sklearn.metrics.mutual_info_score` (terms below machine
    /// epsilon count as 0, the total is clipped at 0, a labeling with one group gives 0).
    fn mutual_information(&self) -> f64 {
        if self.class_sizes.len() == 1 || self.cluster_sizes.len() == 1 {
            return 0.0;
        }
        let total = self.n_samples as f64;
        let log_total = total.ln();
        let mut mi = 0.0;
        for &((c, k), count) in &self.cells {
            let count = count as f64;
            let share = count / total;
            let outer = (self.class_sizes[c] * self.cluster_sizes[k]) as f64;
            let log_outer = -outer.ln() + log_total + log_total;
            let term = share * (count.ln() - log_total) + share * log_outer;
            if term.abs() >= f64::EPSILON {
                mi += term;
            }
        }
        mi.max(0.0)
    }
}

/// Maps arbitrary label values to 0..m in order of their value.
fn dense_ids(labels: &[usize]) -> Vec<usize> {
    let mut ids: BTreeMap<usize, usize> = labels.iter().map(|&l| (l, 0)).collect();
    for (next, id) in ids.values_mut().enumerate() {
        *id = next;
    }
    labels.iter().map(|l| ids[l]).collect()
}

/// Shannon entropy (nats) of a labeling given its group sizes; 1.0 for an empty labeling, as scikit-learn.
fn entropy(sizes: &[u64]) -> f64 {
    let total: u64 = sizes.iter().sum();
    if total == 0 {
        return 1.0;
    }
    let log_total = (total as f64).ln();
    -sizes.iter().filter(|&&s| s > 0).map(|&s| (s as f64 / total as f64) * ((s as f64).ln() - log_total)).sum::<f64>()
}

/// Adjusted Rand index from the pair confusion matrix, as `sklearn.metrics.adjusted_rand_score`: 1.0 when no
/// pair is split differently (identical partitions, both one cluster, both all singletons, or no samples).
fn adjusted_rand(table: &Contingency) -> f64 {
    let n = i128::from(table.n_samples);
    let sum_squares: i128 = table.cells.iter().map(|&(_, c)| i128::from(c) * i128::from(c)).sum();
    // Σ_cells count · (size of its cluster), and the same with the class size.
    let with_cluster: i128 =
        table.cells.iter().map(|&((_, k), c)| i128::from(c) * i128::from(table.cluster_sizes[k])).sum();
    let with_class: i128 =
        table.cells.iter().map(|&((c, _), count)| i128::from(count) * i128::from(table.class_sizes[c])).sum();
    let tp = sum_squares - n;
    let fp = with_cluster - sum_squares;
    let fn_ = with_class - sum_squares;
    let tn = n * n - fp - fn_ - sum_squares;
    if fn_ == 0 && fp == 0 {
        return 1.0;
    }
    let numerator = 2.0 * (tp * tn - fn_ * fp) as f64;
    let denominator = ((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn)) as f64;
    numerator / denominator
}

/// Homogeneity, completeness, V-measure, adjusted Rand index and NMI of `pred` against `gold` (one label per
/// sample in each; label values are arbitrary ids). Errors when the two have different lengths.
pub fn external_scores(gold: &[usize], pred: &[usize]) -> Result<ExternalScores> {
    if gold.len() != pred.len() {
        bail!("cannot compare labelings of different lengths: {} gold labels, {} predicted", gold.len(), pred.len());
    }
    let table = Contingency::new(gold, pred);
    if gold.is_empty() {
        // scikit-learn scores two empty labelings as a perfect match.
        return Ok(ExternalScores {
            homogeneity: 1.0,
            completeness: 1.0,
            v_measure: 1.0,
            adjusted_rand: 1.0,
            nmi: 1.0,
        });
    }
    let mi = table.mutual_information();
    let class_entropy = entropy(&table.class_sizes);
    let cluster_entropy = entropy(&table.cluster_sizes);
    let homogeneity = if class_entropy == 0.0 { 1.0 } else { mi / class_entropy };
    let completeness = if cluster_entropy == 0.0 { 1.0 } else { mi / cluster_entropy };
    let v_measure = if homogeneity + completeness == 0.0 {
        0.0
    } else {
        2.0 * homogeneity * completeness / (homogeneity + completeness)
    };
    // Both labelings one group: a perfect (if trivial) match. Otherwise zero information means no agreement.
    let nmi = if table.class_sizes.len() == 1 && table.cluster_sizes.len() == 1 {
        1.0
    } else if mi == 0.0 {
        0.0
    } else {
        mi / ((class_entropy + cluster_entropy) / 2.0)
    };
    Ok(ExternalScores { homogeneity, completeness, v_measure, adjusted_rand: adjusted_rand(&table), nmi })
}

/// Checks that there is one label per row and that the number of distinct labels is in 2..=n−1 (scikit-learn's
/// condition for silhouette and Calinski–Harabasz); returns the labels as dense ids and their count.
fn internal_labels(rows: usize, labels: &[usize]) -> Result<Option<(Vec<usize>, usize)>> {
    if labels.len() != rows {
        bail!("{} cluster labels for {} rows", labels.len(), rows);
    }
    let ids = dense_ids(labels);
    let n_clusters = ids.iter().max().map_or(0, |&m| m + 1);
    if n_clusters < 2 || n_clusters >= rows {
        return Ok(None);
    }
    Ok(Some((ids, n_clusters)))
}

/// Mean silhouette coefficient with cosine distance (1 − cos, clipped to [0, 2]).
///
/// With `sample`, both the rows and their labels are restricted to the sampled rows and the silhouette is computed
/// on that subset alone — exactly what `sklearn.metrics.silhouette_score(X, labels, metric="cosine",
/// sample_size=s)` does after drawing its sample. A row in a singleton cluster scores 0, as in scikit-learn. A zero
/// row has cosine similarity 0 with every other row (scikit-learn's convention) and distance 0 to itself.
///
/// `Ok(None)` when the (sampled) rows form fewer than 2 clusters or every row is its own cluster; an error when
/// `labels` does not match the rows or a sample index is out of range. O(s²·d) over the s sampled rows.
pub fn silhouette_cosine(x: ArrayView2<f64>, labels: &[usize], sample: Option<&[usize]>) -> Result<Option<f64>> {
    if labels.len() != x.nrows() {
        bail!("{} cluster labels for {} rows", labels.len(), x.nrows());
    }
    let rows: Vec<usize> = match sample {
        Some(indices) => {
            if let Some(&bad) = indices.iter().find(|&&i| i >= x.nrows()) {
                bail!("silhouette sample index {bad} is out of range for {} rows", x.nrows());
            }
            indices.to_vec()
        }
        None => (0..x.nrows()).collect(),
    };
    let sample_labels: Vec<usize> = rows.iter().map(|&i| labels[i]).collect();
    let Some((cluster_of, n_clusters)) = internal_labels(rows.len(), &sample_labels)? else {
        return Ok(None);
    };
    let mut cluster_sizes = vec![0usize; n_clusters];
    for &c in &cluster_of {
        cluster_sizes[c] += 1;
    }
    let norms: Vec<f64> = rows.iter().map(|&i| x.row(i).dot(&x.row(i)).sqrt()).collect();

    let coefficients: Vec<f64> = (0..rows.len())
        .into_par_iter()
        .map(|a| {
            let own = cluster_of[a];
            if cluster_sizes[own] == 1 {
                return 0.0;
            }
            let mut distance_sums = vec![0.0f64; n_clusters];
            for b in 0..rows.len() {
                if a == b {
                    continue;
                }
                let similarity = if norms[a] == 0.0 || norms[b] == 0.0 {
                    0.0
                } else {
                    x.row(rows[a]).dot(&x.row(rows[b])) / (norms[a] * norms[b])
                };
                distance_sums[cluster_of[b]] += (1.0 - similarity).clamp(0.0, 2.0);
            }
            let intra = distance_sums[own] / (cluster_sizes[own] - 1) as f64;
            let nearest_other = (0..n_clusters)
                .filter(|&c| c != own)
                .map(|c| distance_sums[c] / cluster_sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            let spread = intra.max(nearest_other);
            if spread == 0.0 {
                0.0
            } else {
                (nearest_other - intra) / spread
            }
        })
        .collect();
    Ok(Some(coefficients.iter().sum::<f64>() / coefficients.len() as f64))
}

/// Calinski–Harabasz index (between-cluster over within-cluster dispersion, each per degree of freedom), as
/// `sklearn.metrics.calinski_harabasz_score`: 1.0 when every cluster is a single point repeated. `Ok(None)` when
/// there are fewer than 2 clusters or every row is its own cluster; an error when `labels` does not match the rows.
pub fn calinski_harabasz(x: ArrayView2<f64>, labels: &[usize]) -> Result<Option<f64>> {
    let n_rows = x.nrows();
    let Some((cluster_of, n_clusters)) = internal_labels(n_rows, labels)? else {
        return Ok(None);
    };
    let dims = x.ncols();
    let overall_mean = x.sum_axis(ndarray::Axis(0)) / n_rows as f64;
    let mut cluster_sums = vec![vec![0.0f64; dims]; n_clusters];
    let mut cluster_sizes = vec![0usize; n_clusters];
    for (row, &c) in x.rows().into_iter().zip(&cluster_of) {
        cluster_sizes[c] += 1;
        for (sum, value) in cluster_sums[c].iter_mut().zip(row) {
            *sum += value;
        }
    }
    let cluster_means: Vec<Vec<f64>> = cluster_sums
        .iter()
        .zip(&cluster_sizes)
        .map(|(sums, &size)| sums.iter().map(|s| s / size as f64).collect())
        .collect();
    let between: f64 = cluster_means
        .iter()
        .zip(&cluster_sizes)
        .map(|(mean, &size)| size as f64 * mean.iter().zip(&overall_mean).map(|(m, o)| (m - o).powi(2)).sum::<f64>())
        .sum();
    let within: f64 = x
        .rows()
        .into_iter()
        .zip(&cluster_of)
        .map(|(row, &c)| row.iter().zip(&cluster_means[c]).map(|(v, m)| (v - m).powi(2)).sum::<f64>())
        .sum();
    if within == 0.0 {
        return Ok(Some(1.0));
    }
    Ok(Some(between * (n_rows - n_clusters) as f64 / (within * (n_clusters - 1) as f64)))
}

/// Up to `max` distinct row indices out of `0..n`, drawn without replacement with a seeded Xoshiro256++ and
/// returned sorted; all rows when `n <= max`. The same arguments always give the same sample.
pub fn sample_indices(n: usize, max: usize, seed: u64) -> Vec<usize> {
    if n <= max {
        return (0..n).collect();
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut indices = rand::seq::index::sample(&mut rng, n, max).into_vec();
    indices.sort_unstable();
    indices
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    const TOL: f64 = 1e-12;

    /// Asserts every score against the values scikit-learn 1.9.1 printed for the same labels
    /// (homogeneity_completeness_v_measure, adjusted_rand_score, normalized_mutual_info_score).
    fn assert_external(gold: &[usize], pred: &[usize], expected: [f64; 5]) {
        let s = external_scores(gold, pred).unwrap();
        let got = [s.homogeneity, s.completeness, s.v_measure, s.adjusted_rand, s.nmi];
        for (name, (g, e)) in
            ["homogeneity", "completeness", "v_measure", "adjusted_rand", "nmi"].iter().zip(got.iter().zip(expected))
        {
            assert!((g - e).abs() < TOL, "{name}: got {g}, scikit-learn {e} for gold {gold:?} pred {pred:?}");
        }
    }

    #[test]
    fn external_perfect_match_is_one() {
        assert_external(&[0, 0, 1, 1, 2, 2], &[0, 0, 1, 1, 2, 2], [1.0; 5]);
    }

    #[test]
    fn external_permuted_labels_are_a_perfect_match() {
        assert_external(&[0, 0, 1, 1, 2, 2], &[2, 2, 0, 0, 1, 1], [1.0; 5]);
    }

    #[test]
    fn external_one_predicted_cluster() {
        assert_external(&[0, 0, 1, 1, 2, 2], &[0; 6], [0.0, 1.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn external_all_singleton_clusters() {
        assert_external(
            &[0, 0, 1, 1, 2, 2],
            &[0, 1, 2, 3, 4, 5],
            [1.0000000000000002, 0.6131471927654586, 0.7601875334318687, 0.0, 0.7601875334318686],
        );
    }

    #[test]
    fn external_sklearn_special_cases() {
        // Both labelings one cluster, or both all singletons: ARI and NMI are 1 by convention.
        assert_external(&[0; 5], &[0; 5], [1.0; 5]);
        assert_external(&[0, 1, 2, 3, 4], &[0, 1, 2, 3, 4], [1.0; 5]);
        // One gold class split in two: homogeneous but not complete.
        assert_external(&[0, 0, 0, 0], &[0, 0, 1, 1], [1.0, 0.0, 0.0, 0.0, 0.0]);
        assert_external(&[], &[], [1.0; 5]);
    }

    #[test]
    fn external_partial_agreement() {
        // The example of scikit-learn's documentation, with non-contiguous predicted ids.
        assert_external(
            &[0, 0, 0, 1, 1, 1],
            &[0, 0, 7, 7, 9, 9],
            [0.6666666666666669, 0.420619835714305, 0.5158037429793889, 0.24242424242424243, 0.5158037429793889],
        );
    }

    #[test]
    fn external_random_thirty_samples() {
        // numpy RandomState(7): gold = randint(0, 3, 30), pred = randint(0, 4, 30).
        let gold = [0, 1, 2, 0, 1, 2, 0, 1, 2, 2, 2, 0, 2, 0, 0, 0, 0, 2, 2, 0, 0, 1, 0, 0, 1, 0, 1, 0, 2, 0];
        let pred = [1, 2, 2, 0, 2, 1, 3, 3, 3, 0, 3, 0, 1, 0, 0, 2, 3, 1, 0, 0, 0, 3, 3, 2, 1, 3, 0, 1, 3, 3];
        assert_external(
            &gold,
            &pred,
            [
                0.052181456975038704,
                0.039860814548315505,
                0.045196524269072565,
                -0.021656901283097232,
                0.04519652426907256,
            ],
        );
    }

    #[test]
    fn external_rejects_length_mismatch() {
        let err = external_scores(&[0, 1], &[0]).unwrap_err();
        assert!(err.to_string().contains("different lengths"), "{err}");
    }

    /// 12 rows in 4 dimensions, deliberately not L2-normalised.
    fn fixture() -> Array2<f64> {
        array![
            [1.0, 0.2, 0.0, 0.1],
            [0.9, 0.1, 0.1, 0.0],
            [1.2, 0.3, 0.0, 0.2],
            [0.8, 0.0, 0.2, 0.1],
            [0.1, 1.0, 0.2, 0.0],
            [0.0, 0.8, 0.1, 0.3],
            [0.2, 1.1, 0.0, 0.1],
            [0.1, 0.1, 1.0, 0.9],
            [0.0, 0.2, 0.8, 1.0],
            [0.3, 0.0, 0.9, 0.7],
            [0.5, 0.5, 0.5, 0.5],
            [0.4, 0.6, 0.1, 0.0],
        ]
    }

    const FOUR_CLUSTERS: [usize; 12] = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 1];

    fn assert_close(got: Option<f64>, expected: f64, tol: f64) {
        let got = got.expect("a score");
        assert!((got - expected).abs() < tol, "got {got}, scikit-learn {expected}");
    }

    #[test]
    fn silhouette_matches_sklearn_with_a_singleton_cluster() {
        let x = fixture();
        // silhouette_score(X, labels, metric="cosine"); row 10 is a singleton cluster and counts as 0.
        assert_close(silhouette_cosine(x.view(), &FOUR_CLUSTERS, None).unwrap(), 0.7355548448857067, 1e-10);
        let two = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
        assert_close(silhouette_cosine(x.view(), &two, None).unwrap(), 0.5256141739554278, 1e-10);
        let non_contiguous = [5, 5, 5, 5, 9, 9, 9, 2, 2, 2, 2, 9];
        assert_close(silhouette_cosine(x.view(), &non_contiguous, None).unwrap(), 0.8244623882572929, 1e-10);
    }

    #[test]
    fn silhouette_on_a_sample_uses_only_the_sampled_rows() {
        let x = fixture();
        // silhouette_score(X[idx], labels[idx], metric="cosine") with this idx.
        let sample = [0, 2, 3, 5, 7, 8, 10, 11];
        assert_close(silhouette_cosine(x.view(), &FOUR_CLUSTERS, Some(&sample)).unwrap(), 0.6123110312493654, 1e-10);
    }

    #[test]
    fn silhouette_undefined_cases_are_none_or_errors() {
        let x = fixture();
        assert_eq!(silhouette_cosine(x.view(), &[3; 12], None).unwrap(), None);
        let singletons: Vec<usize> = (0..12).collect();
        assert_eq!(silhouette_cosine(x.view(), &singletons, None).unwrap(), None);
        // A sample that falls inside one cluster.
        assert_eq!(silhouette_cosine(x.view(), &FOUR_CLUSTERS, Some(&[0, 1, 2])).unwrap(), None);
        assert!(silhouette_cosine(x.view(), &FOUR_CLUSTERS[..5], None).is_err());
        assert!(silhouette_cosine(x.view(), &FOUR_CLUSTERS, Some(&[0, 12])).is_err());
    }

    #[test]
    fn silhouette_handles_zero_rows_without_nan() {
        let x = array![[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 0.1]];
        let score = silhouette_cosine(x.view(), &[0, 0, 1, 1], None).unwrap().unwrap();
        assert!(score.is_finite(), "{score}");
    }

    #[test]
    fn calinski_harabasz_matches_sklearn() {
        let x = fixture();
        assert_close(calinski_harabasz(x.view(), &FOUR_CLUSTERS).unwrap(), 24.968421052631573, 1e-10);
        let two = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
        assert_close(calinski_harabasz(x.view(), &two).unwrap(), 6.904915217857907, 1e-10);
        let non_contiguous = [5, 5, 5, 5, 9, 9, 9, 2, 2, 2, 2, 9];
        assert_close(calinski_harabasz(x.view(), &non_contiguous).unwrap(), 22.974418604651152, 1e-10);
    }

    #[test]
    fn calinski_harabasz_edge_cases() {
        let x = fixture();
        assert_eq!(calinski_harabasz(x.view(), &[0; 12]).unwrap(), None);
        // Each cluster a repeated point: no within-cluster dispersion, 1.0 as scikit-learn.
        let repeated = array![[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]];
        assert_eq!(calinski_harabasz(repeated.view(), &[0, 0, 1, 1]).unwrap(), Some(1.0));
        assert!(calinski_harabasz(x.view(), &[0, 1]).is_err());
    }

    #[test]
    fn sample_indices_are_sorted_distinct_and_deterministic() {
        let first = sample_indices(10_000, 2_000, 42);
        assert_eq!(first.len(), 2_000);
        assert!(first.windows(2).all(|w| w[0] < w[1]));
        assert!(first.iter().all(|&i| i < 10_000));
        assert_eq!(first, sample_indices(10_000, 2_000, 42));
        assert_ne!(first, sample_indices(10_000, 2_000, 43));
        assert_eq!(sample_indices(5, 2_000, 42), vec![0, 1, 2, 3, 4]);
    }
}
