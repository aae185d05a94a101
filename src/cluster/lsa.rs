//! LSA: a randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4 with QR between power
//! iterations) computed straight from the sparse TF-IDF rows, never densifying the records × vocabulary matrix.
//!
//! linfa has no sparse truncated SVD (linfa-reduction's PCA is dense), so it is written here; the dense
//! factorizations of the small sketch matrices come from linfa-linalg.

use anyhow::{Context, Result};
use linfa_linalg::eigh::Eigh;
use linfa_linalg::qr::QR;
use ndarray::{Array1, Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use sprs::CsMat;

/// The projection of the records onto the leading singular vectors.
#[derive(Debug, Clone)]
pub struct Lsa {
    /// Records × components: U·Σ, rows then L2-normalized (cosine geometry for k-means).
    pub embedding: Array2<f64>,
    /// Singular values, largest first.
    pub singular_values: Array1<f64>,
}

/// Oversampling and power iterations as scikit-learn's `randomized_svd` defaults.
const OVERSAMPLES: usize = 10;
const POWER_ITERATIONS: usize = 7;

/// A·M for CSR A (n × d) and dense M (d × l).
fn sparse_times(a: &CsMat<f64>, m: &Array2<f64>) -> Array2<f64> {
    let l = m.ncols();
    let rows: Vec<Vec<f64>> = (0..a.rows())
        .into_par_iter()
        .map(|i| {
            let mut out = vec![0.0; l];
            if let Some(row) = a.outer_view(i) {
                for (j, &x) in row.iter() {
                    for (o, &v) in out.iter_mut().zip(m.row(j)) {
                        *o += x * v;
                    }
                }
            }
            out
        })
        .collect();
    Array2::from_shape_vec((a.rows(), l), rows.concat()).expect("shape matches")
}

/// Aᵀ·M for CSR A (n × d) and dense M (n × l), summed over rows in a fixed order (deterministic).
fn sparse_t_times(a: &CsMat<f64>, m: &Array2<f64>) -> Array2<f64> {
    let (d, l) = (a.cols(), m.ncols());
    let mut out = Array2::<f64>::zeros((d, l));
    for (i, row) in a.outer_iterator().enumerate() {
        let mi = m.row(i);
        for (j, &x) in row.iter() {
            let mut oj = out.row_mut(j);
            oj.scaled_add(x, &mi);
        }
    }
    out
}

fn orthonormal(y: &Array2<f64>) -> Result<Array2<f64>> {
    Ok(y.qr().context("QR of the sketch failed")?.generate_q())
}

/// The rank-`k` LSA of `a` (records × terms, CSR). `k` is cut to what the matrix allows.
pub fn lsa(a: &CsMat<f64>, k: usize, seed: u64) -> Result<Lsa> {
    let (n, d) = (a.rows(), a.cols());
    let k = k.min(n.saturating_sub(1)).min(d.saturating_sub(1)).max(1);
    let l = (k + OVERSAMPLES).min(n).min(d);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    // Gaussian test matrix by Box–Muller (rand_distr is not a dependency for two lines).
    let omega = Array2::from_shape_fn((d, l), |_| {
        let (u1, u2): (f64, f64) = (rng.gen::<f64>().max(f64::MIN_POSITIVE), rng.gen());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    });
    let mut q = orthonormal(&sparse_times(a, &omega))?;
    for _ in 0..POWER_ITERATIONS {
        let z = orthonormal(&sparse_t_times(a, &q))?;
        q = orthonormal(&sparse_times(a, &z))?;
    }
    // B = Qᵀ A (l × d); its SVD from the eigendecomposition of B Bᵀ (l × l).
    let bt = sparse_t_times(a, &q); // Aᵀ Q = Bᵀ (d × l)
    let bbt = bt.t().dot(&bt);
    let (values, vectors) = bbt.eigh().context("eigendecomposition of the sketch failed")?;
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&x, &y| values[y].total_cmp(&values[x]));
    order.truncate(k);
    let singular_values: Array1<f64> = order.iter().map(|&i| values[i].max(0.0).sqrt()).collect();
    let ub = vectors.select(Axis(1), &order);
    // U Σ = Q U_B Σ.
    let mut embedding = q.dot(&ub) * &singular_values;
    fix_signs(&mut embedding);
    for mut row in embedding.rows_mut() {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row /= norm;
        }
    }
    Ok(Lsa { embedding, singular_values })
}

/// Singular vectors are defined up to sign; make each column's largest entry positive so results do not
/// depend on the eigen-solver's choice.
fn fix_signs(m: &mut Array2<f64>) {
    for mut col in m.columns_mut() {
        let big = col.iter().copied().fold(0.0f64, |a, x| if x.abs() > a.abs() { x } else { a });
        if big < 0.0 {
            col.mapv_inplace(|x| -x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::TriMat;

    /// A small matrix with a clear spectrum, its exact singular values computed from AᵀA.
    #[test]
    fn randomized_svd_matches_the_exact_singular_values() {
        let mut t = TriMat::new((8, 6));
        let dense = [
            [3.0, 1.0, 0.0, 0.0, 0.5, 0.0],
            [2.0, 1.0, 0.0, 0.0, 0.0, 0.1],
            [0.0, 0.0, 4.0, 1.0, 0.0, 0.0],
            [0.0, 0.2, 3.0, 2.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 5.0, 1.0],
            [1.0, 0.0, 0.0, 0.0, 4.0, 2.0],
            [0.0, 0.0, 1.0, 0.0, 0.0, 3.0],
            [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
        ];
        for (i, row) in dense.iter().enumerate() {
            for (j, &x) in row.iter().enumerate() {
                if x != 0.0 {
                    t.add_triplet(i, j, x);
                }
            }
        }
        let a: CsMat<f64> = t.to_csr();
        let full = Array2::from_shape_fn((8, 6), |(i, j)| dense[i][j]);
        let (vals, _) = full.t().dot(&full).eigh().unwrap();
        let mut exact: Vec<f64> = vals.iter().map(|v| v.max(0.0).sqrt()).collect();
        exact.sort_by(|a, b| b.total_cmp(a));
        let got = lsa(&a, 3, 7).unwrap();
        assert_eq!(got.singular_values.len(), 3);
        for (i, (value, exact)) in got.singular_values.iter().zip(&exact).enumerate() {
            assert!((value - exact).abs() < 1e-8, "{i}: {value} vs {exact}");
        }
        // Rows are unit length (or zero).
        for row in got.embedding.rows() {
            assert!((row.dot(&row) - 1.0).abs() < 1e-12);
        }
        // Same seed, same result.
        assert_eq!(lsa(&a, 3, 7).unwrap().embedding, got.embedding);
    }
}
