//! LSA: a randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4, with QR on the smaller side
//! between power iterations) computed straight from the sparse TF-IDF rows, never densifying the records ×
//! vocabulary matrix.
//!
//! linfa has no sparse truncated SVD (linfa-reduction's PCA is dense), so it is written here; the dense
//! factorizations of the small sketch matrices come from linfa-linalg.

use anyhow::{Context, Result};
use linfa_linalg::cholesky::Cholesky;
use linfa_linalg::eigh::Eigh;
use linfa_linalg::qr::QR;
use linfa_linalg::triangular::{SolveTriangularInplace, UPLO};
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

/// An orthonormal basis of the columns of `y` (tall: records or terms × sketch width). By Cholesky QR, twice
/// (CholeskyQR2, Yamamoto et al. 2015), then checked: its work is matrix products, which ndarray does as blocked
/// GEMM, where linfa-linalg's Householder QR reflects a column at a time (on the UN speeches' sketches, the
/// terms-side one 87,825 × 110, Householder QR was 93% of `hanmi run`: 110 s for 371 records). Householder QR
/// remains the fallback for columns too close to dependent for Cholesky to give an orthonormal basis.
fn orthonormal(y: &Array2<f64>) -> Result<Array2<f64>> {
    if let Some(q) = cholesky_qr(y).and_then(|q| cholesky_qr(&q)) {
        if orthonormality_error(&q) < 1e-10 {
            return Ok(q);
        }
    }
    Ok(y.qr().context("QR of the sketch failed")?.generate_q())
}

/// How far the columns of `q` are from orthonormal: the largest entry of `QᵀQ - I`, in absolute value.
fn orthonormality_error(q: &Array2<f64>) -> f64 {
    let gram = q.t().dot(q);
    (&gram - &Array2::<f64>::eye(gram.nrows())).iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

/// `Q` of `Y = Q R`, from the Cholesky factor of `YᵀY = RᵀR = L Lᵀ` (`L = Rᵀ`): `Q = Y L⁻ᵀ`. `None` where the
/// Gram matrix is not numerically positive definite.
fn cholesky_qr(y: &Array2<f64>) -> Option<Array2<f64>> {
    let l = y.t().dot(y).cholesky().ok()?;
    let l_inv = l.solve_triangular_into(Array2::eye(l.nrows()), UPLO::Lower).ok()?;
    let q = y.dot(&l_inv.t());
    q.iter().all(|x| x.is_finite()).then_some(q)
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
        // Orthonormalizing Aᵀ Q as well changes Q only by rounding (the same column space; both QRs unique); it
        // keeps the smaller singular values above rounding error (σ below 1e-8 σ₁), so it is done where the terms
        // side is the smaller one, and skipped where it would cost most (87,825 × 110 on the UN speeches).
        let z = sparse_t_times(a, &q);
        let z = if d < n { orthonormal(&z)? } else { z };
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

    /// Cholesky QR gives what Householder QR gives, up to the columns' signs; columns that depend on each other
    /// still get an orthonormal basis, from the fallback.
    #[test]
    fn orthonormal_bases_match_householder_and_survive_dependent_columns() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let y = Array2::from_shape_fn((500, 12), |_| rng.gen::<f64>() - 0.5);
        let (q, householder) = (orthonormal(&y).unwrap(), y.qr().unwrap().generate_q());
        for (a, b) in q.columns().into_iter().zip(householder.columns()) {
            let sign = a.dot(&b).signum();
            assert!(a.iter().zip(b).all(|(x, y)| (x - sign * y).abs() < 1e-12));
        }
        let mut dependent = y.clone();
        let first = dependent.column(0).to_owned();
        dependent.column_mut(5).assign(&(&first * 2.0));
        let off = orthonormality_error(&orthonormal(&dependent).unwrap());
        assert!(off < 1e-10, "{off}");
    }

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
