//! k-means on the LSA rows (linfa-clustering: k-means++ init, several runs, seeded), and the choice of k.

use anyhow::{Context, Result};
use linfa::prelude::*;
use linfa_clustering::KMeans;
use linfa_nn::distance::Distance;
use ndarray::{Array2, ArrayView, ArrayView2, Dimension};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use super::metrics::{calinski_harabasz, sample_indices, silhouette_cosine};

/// Records scored by silhouette when choosing k (the sample is seeded).
pub const SILHOUETTE_SAMPLE: usize = 2000;

/// One k-means result.
#[derive(Debug, Clone)]
pub struct Partition {
    pub k: usize,
    pub labels: Vec<usize>,
    pub centroids: Array2<f64>,
    pub inertia: f64,
}

/// One tried k, as `k_selection.csv` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct KScore {
    pub k: usize,
    pub silhouette: Option<f64>,
    pub calinski_harabasz: Option<f64>,
    pub inertia: f64,
    pub chosen: bool,
}

/// k-means with `runs` k-means++ restarts; the same seed gives the same labels.
pub fn kmeans(x: ArrayView2<f64>, k: usize, runs: usize, seed: u64) -> Result<Partition> {
    // A view: each k of a sweep, run in parallel, reads the same rows.
    let data = DatasetBase::from(x);
    let model = KMeans::params_with(k, Xoshiro256Plus::seed_from_u64(seed), SquaredL2)
        .n_runs(runs)
        .max_n_iterations(300)
        .tolerance(1e-4)
        .fit(&data)
        .with_context(|| format!("k-means with k={k} failed"))?;
    let labels = model.predict(&data).to_vec();
    // Renumber clusters by first appearance so labels do not depend on the solver's internal order.
    let mut map = vec![usize::MAX; k];
    let mut next = 0;
    for &l in &labels {
        if map[l] == usize::MAX {
            map[l] = next;
            next += 1;
        }
    }
    let labels: Vec<usize> = labels.iter().map(|&l| map[l]).collect();
    let mut centroids = Array2::zeros((next, x.ncols()));
    for (old, &new) in map.iter().enumerate() {
        if new != usize::MAX {
            centroids.row_mut(new).assign(&model.centroids().row(old));
        }
    }
    Ok(Partition { k: next, labels, centroids, inertia: model.inertia() })
}

/// Euclidean distance for linfa's k-means, as its own `L2Dist` measures it, but over contiguous rows in lanes the
/// compiler vectorizes. `L2Dist` goes through ndarray-stats' generic `sq_l2_dist` (a shape check and an
/// element-by-element zip, not vectorized), which was 57% of `hanmi run` on the KCNA stories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SquaredL2;

impl Distance<f64> for SquaredL2 {
    fn distance<D: Dimension>(&self, a: ArrayView<f64, D>, b: ArrayView<f64, D>) -> f64 {
        self.rdistance(a, b).sqrt()
    }

    #[inline]
    fn rdistance<D: Dimension>(&self, a: ArrayView<f64, D>, b: ArrayView<f64, D>) -> f64 {
        assert_eq!(a.shape(), b.shape(), "points of different dimensions");
        match (a.as_slice(), b.as_slice()) {
            (Some(a), Some(b)) => squared_distance(a, b),
            _ => a.iter().zip(b.iter()).map(|(x, y)| (x - y) * (x - y)).sum(),
        }
    }

    fn rdist_to_dist(&self, rdist: f64) -> f64 {
        rdist.sqrt()
    }

    fn dist_to_rdist(&self, dist: f64) -> f64 {
        dist * dist
    }
}

/// The squared Euclidean distance of two points of the same length, with AVX where the CPU has it: the same
/// sums, lane by lane, as without, so the same bits on any x86_64 machine.
#[inline]
fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU has AVX, checked just above.
        return unsafe { squared_distance_avx(a, b) };
    }
    squared_distance_in_lanes(a, b)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn squared_distance_avx(a: &[f64], b: &[f64]) -> f64 {
    squared_distance_in_lanes(a, b)
}

/// Summed in eight lanes (the compiler vectorizes them), then the lanes in order, then what is left.
#[inline(always)]
fn squared_distance_in_lanes(a: &[f64], b: &[f64]) -> f64 {
    const LANES: usize = 8;
    let mut sums = [0.0; LANES];
    let (whole_a, whole_b) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f64 = whole_a.remainder().iter().zip(whole_b.remainder()).map(|(x, y)| (x - y) * (x - y)).sum();
    for (x, y) in whole_a.zip(whole_b) {
        for k in 0..LANES {
            let d = x[k] - y[k];
            sums[k] += d * d;
        }
    }
    sums.iter().sum::<f64>() + tail
}

/// The k values `--k auto` tries for `n` records: 2 ..= min(20, n / 5), at least 2..=2 when n ≥ 3.
pub fn candidate_ks(n: usize, max_k: usize) -> Vec<usize> {
    let hi = max_k.min(n / 5).max(2).min(n.saturating_sub(1));
    (2..=hi).collect()
}

/// Tries every k, scores each by cosine silhouette (on a seeded sample of up to 2,000 records) and
/// Calinski–Harabasz, and chooses the k of highest silhouette (the smaller k on a tie); CH is reported so a
/// reader can weigh it. Returns the scores and the chosen partition.
///
/// The ks run in parallel. Each k's k-means starts its own generator from `seed`, as `kmeans` alone does, so the
/// scores do not depend on the threads. linfa spreads only the assignment step of a k-means over the cores; its
/// update step runs on one, which left the two cores here 162% busy over a sweep on the KCNA stories (185% now;
/// `hanmi run` 67.6 → 47.7 s).
pub fn choose_k(x: ArrayView2<f64>, ks: &[usize], runs: usize, seed: u64) -> Result<(Vec<KScore>, Partition)> {
    let sample = sample_indices(x.nrows(), SILHOUETTE_SAMPLE, seed);
    let tried: Vec<Result<(KScore, Partition)>> = ks
        .par_iter()
        .map(|&k| {
            let p = kmeans(x, k, runs, seed)?;
            let silhouette = silhouette_cosine(x, &p.labels, Some(&sample))?;
            let calinski_harabasz = calinski_harabasz(x, &p.labels)?;
            Ok((KScore { k, silhouette, calinski_harabasz, inertia: p.inertia, chosen: false }, p))
        })
        .collect();
    let mut scores = Vec::new();
    let mut best: Option<(f64, Partition)> = None;
    // In the order of the ks: the first failure is the smallest k's, whichever thread met it first.
    for tried in tried {
        let (score, p) = tried?;
        let s = score.silhouette.unwrap_or(f64::NEG_INFINITY);
        scores.push(score);
        if best.as_ref().is_none_or(|(b, _)| s > *b) {
            best = Some((s, p));
        }
    }
    let (_, chosen) = best.context("no k to try")?;
    for s in &mut scores {
        s.chosen = s.k == chosen.k && s.inertia == chosen.inertia;
    }
    Ok((scores, chosen))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs() -> Array2<f64> {
        // Three well separated directions on the unit circle, five points each.
        let mut rows = Vec::new();
        for (c, angle) in [0.0f64, 2.1, 4.2].iter().enumerate() {
            for i in 0..5 {
                let a = angle + 0.02 * i as f64 - 0.04 + 0.001 * c as f64;
                rows.extend([a.cos(), a.sin()]);
            }
        }
        Array2::from_shape_vec((15, 2), rows).unwrap()
    }

    #[test]
    fn finds_three_blobs_and_is_deterministic() {
        let x = blobs();
        let (scores, p) = choose_k(x.view(), &candidate_ks(15, 20), 5, 3).unwrap();
        assert_eq!(p.k, 3, "{scores:?}");
        assert_eq!(p.labels, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
        assert_eq!(scores.iter().filter(|s| s.chosen).count(), 1);
        assert_eq!(kmeans(x.view(), 3, 5, 3).unwrap().labels, kmeans(x.view(), 3, 5, 3).unwrap().labels);
    }

    #[test]
    fn a_sweep_in_parallel_is_each_k_on_its_own_whatever_the_threads() {
        use rand::Rng;
        // Four loose groups in five dimensions, so that the ks differ and k-means takes several iterations.
        let mut rng = Xoshiro256Plus::seed_from_u64(11);
        let x = Array2::from_shape_fn((240, 5), |(i, j)| ((i % 4 == j % 4) as u8 as f64) + rng.gen_range(-0.6..0.6));
        let ks = candidate_ks(x.nrows(), 8);
        let sweep = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| choose_k(x.view(), &ks, 3, 5).unwrap())
        };
        let (one, chosen_one) = sweep(1);
        for threads in [2, 4] {
            let (many, chosen) = sweep(threads);
            assert_eq!(many, one, "{threads} threads");
            assert_eq!(
                (chosen.k, &chosen.labels, &chosen.centroids),
                (chosen_one.k, &chosen_one.labels, &chosen_one.centroids)
            );
        }
        // Each score is that k's own k-means, as a run of it alone gives.
        for score in &one {
            assert_eq!(
                score.inertia.to_bits(),
                kmeans(x.view(), score.k, 3, 5).unwrap().inertia.to_bits(),
                "k={}",
                score.k
            );
        }
        assert_eq!(one.iter().filter(|s| s.chosen).count(), 1);
    }

    #[test]
    fn squared_distance_is_linfas_on_any_layout_and_the_same_bits_with_avx() {
        use linfa_nn::distance::L2Dist;
        use rand::Rng;
        let mut rng = Xoshiro256Plus::seed_from_u64(9);
        // Lengths around the lanes' width, and LSA's 100 components.
        for len in [1, 7, 8, 9, 16, 23, 100] {
            let points = Array2::from_shape_fn((2, len), |_| rng.gen_range(-1.0..1.0));
            let (a, b) = (points.row(0), points.row(1));
            let ours = SquaredL2.rdistance(a, b);
            let linfas: f64 = L2Dist.rdistance(a, b);
            assert!((ours - linfas).abs() <= 1e-12 * linfas.max(1.0), "{len}: {ours} {linfas}");
            assert_eq!(SquaredL2.distance(a, b), ours.sqrt());
            // Columns of the transposed matrix are not contiguous: summed in order instead.
            let t = points.t();
            assert!((SquaredL2.rdistance(t.column(0), t.column(1)) - ours).abs() <= 1e-12 * ours.max(1.0));
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx") {
                let (a, b) = (a.as_slice().unwrap(), b.as_slice().unwrap());
                // SAFETY: the CPU has AVX.
                let avx = unsafe { squared_distance_avx(a, b) };
                assert_eq!(avx.to_bits(), squared_distance_in_lanes(a, b).to_bits(), "{len}");
            }
        }
    }

    #[test]
    fn candidate_ks_for_small_corpora() {
        assert_eq!(candidate_ks(3, 20), [2]);
        assert_eq!(candidate_ks(12, 20), [2]);
        assert_eq!(candidate_ks(50, 20), (2..=10).collect::<Vec<_>>());
        assert_eq!(candidate_ks(5000, 20), (2..=20).collect::<Vec<_>>());
    }
}
