//! A linear classifier on sparse rows: L2-regularized, L2-loss support vector machine trained by dual coordinate
//! descent (Hsieh, Chang, Lin, Keerthi & Sundararajan 2008, "A dual coordinate descent method for large-scale
//! linear SVM" — LIBLINEAR's default solver, the one behind scikit-learn's `LinearSVC`), one-vs-rest for more
//! than two classes.
//!
//! Written here rather than taken from a crate: linfa-logistic and linfa-svm train on dense ndarray matrices,
//! and a stance feature matrix (thousands of records × tens of thousands of n-grams) is far too big dense; no
//! maintained Rust crate trains a linear model on sparse CSR rows.

use anyhow::{bail, Result};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use sprs::{CsMat, CsVecView};

use super::features::{CountedTexts, FeatureModel};
use crate::vectorize::TfidfParams;

/// Training options, with scikit-learn's `LinearSVC` defaults apart from `c`.
#[derive(Debug, Clone, PartialEq)]
pub struct SvmParams {
    /// Inverse regularization strength: larger fits the training data more closely.
    pub c: f64,
    /// Stop when the spread of the projected gradient falls below this.
    pub tol: f64,
    /// Passes over the data at most.
    pub max_iter: usize,
}

impl Default for SvmParams {
    /// C = 0.5, fixed in advance from the usual range (0.5–1): a little more regularization than scikit-learn's
    /// 1.0 for many correlated n-gram features. Not tuned on any evaluation folds.
    fn default() -> Self {
        SvmParams { c: 0.5, tol: 1e-4, max_iter: 1000 }
    }
}

/// One binary problem's solution: `w · x + bias`, positive for the class it separates out.
#[derive(Debug, Clone, PartialEq)]
struct Hyperplane {
    weights: Vec<f64>,
    bias: f64,
    converged: bool,
}

/// A fitted linear classifier over `classes` (sorted). Two classes: one hyperplane, positive for `classes[1]`
/// (as scikit-learn). More: one hyperplane per class against the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub classes: Vec<String>,
    planes: Vec<Hyperplane>,
}

/// A predicted class with its decision value (larger = more confident).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    pub class: usize,
    pub score: f64,
}

impl LinearModel {
    /// Fits on CSR rows `x` with class indices `y` (into `classes`). Deterministic for a given `seed`.
    pub fn fit(x: &CsMat<f64>, y: &[usize], classes: &[String], params: &SvmParams, seed: u64) -> Result<LinearModel> {
        if !x.is_csr() {
            bail!("the classifier needs CSR rows");
        }
        if x.rows() != y.len() {
            bail!("{} feature rows for {} labels", x.rows(), y.len());
        }
        if classes.len() < 2 {
            bail!("a classifier needs at least two classes, got {}: {:?}", classes.len(), classes);
        }
        if let Some(&bad) = y.iter().find(|&&c| c >= classes.len()) {
            bail!("label index {bad} is not one of the {} classes", classes.len());
        }
        if !(params.c > 0.0 && params.c.is_finite()) {
            bail!("C must be a positive number, not {}", params.c);
        }
        let problems: Vec<usize> = if classes.len() == 2 { vec![1] } else { (0..classes.len()).collect() };
        let planes = problems
            .par_iter()
            .map(|&positive| {
                let signs: Vec<f64> = y.iter().map(|&c| if c == positive { 1.0 } else { -1.0 }).collect();
                let stream = seed ^ (positive as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                dual_coordinate_descent(x, &signs, params, stream)
            })
            .collect();
        Ok(LinearModel { classes: classes.to_vec(), planes })
    }

    /// Whether every binary problem met the tolerance within `max_iter` passes.
    pub fn converged(&self) -> bool {
        self.planes.iter().all(|p| p.converged)
    }

    /// Each class's decision value for one row.
    pub fn decision(&self, row: CsVecView<'_, f64>) -> Vec<f64> {
        let values: Vec<f64> = self.planes.iter().map(|p| p.value(row)).collect();
        if self.classes.len() == 2 {
            vec![-values[0], values[0]]
        } else {
            values
        }
    }

    /// The class with the largest decision value (the first on a tie) for every row.
    pub fn predict(&self, x: &CsMat<f64>) -> Vec<Prediction> {
        x.outer_iterator()
            .map(|row| {
                let values = self.decision(row);
                let mut best = Prediction { class: 0, score: values[0] };
                for (class, &score) in values.iter().enumerate().skip(1) {
                    if score > best.score {
                        best = Prediction { class, score };
                    }
                }
                best
            })
            .collect()
    }

    /// The weight of each feature towards `class` (negated hyperplane for the first of two classes).
    pub fn class_weights(&self, class: usize) -> impl Iterator<Item = f64> + '_ {
        let (plane, sign) = if self.classes.len() == 2 {
            (&self.planes[0], class as f64 * 2.0 - 1.0)
        } else {
            (&self.planes[class], 1.0)
        };
        plane.weights.iter().map(move |w| sign * w)
    }
}

impl Hyperplane {
    fn value(&self, row: CsVecView<'_, f64>) -> f64 {
        self.bias + row.iter().filter(|(j, _)| *j < self.weights.len()).map(|(j, &v)| v * self.weights[j]).sum::<f64>()
    }
}

/// LIBLINEAR's dual coordinate descent for min_w ½‖w‖² + C Σ max(0, 1 − y_i w·x_i)², with the bias as one more
/// feature of constant value 1 (regularized, as LIBLINEAR and scikit-learn do) and shrinking of the variables
/// that stay at their bound.
fn dual_coordinate_descent(x: &CsMat<f64>, y: &[f64], params: &SvmParams, seed: u64) -> Hyperplane {
    let n = y.len();
    // The L2 loss puts 1/(2C) on the diagonal of the dual Hessian and leaves α without an upper bound.
    let diag = 0.5 / params.c;
    let mut w = vec![0.0; x.cols()];
    let mut bias = 0.0;
    let mut alpha = vec![0.0; n];
    let qd: Vec<f64> =
        x.outer_iterator().map(|row| diag + 1.0 + row.data().iter().map(|v| v * v).sum::<f64>()).collect();
    let mut order: Vec<usize> = (0..n).collect();
    let mut active = n;
    // The shrinking threshold; with no upper bound on α, only the lower bound shrinks.
    let mut pg_max_old = f64::INFINITY;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut converged = false;
    for _ in 0..params.max_iter {
        let (mut pg_max, mut pg_min) = (f64::NEG_INFINITY, f64::INFINITY);
        order[..active].shuffle(&mut rng);
        let mut s = 0;
        while s < active {
            let i = order[s];
            let row = x.outer_view(i).expect("row index within the matrix");
            let margin = bias + row.iter().map(|(j, &v)| v * w[j]).sum::<f64>();
            let g = y[i] * margin - 1.0 + alpha[i] * diag;
            let mut pg = g;
            if alpha[i] == 0.0 {
                if g > pg_max_old {
                    // At its bound and pushing outwards: leave it out until the final check.
                    active -= 1;
                    order.swap(s, active);
                    continue;
                }
                pg = g.min(0.0);
            }
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (old - g / qd[i]).max(0.0);
                let d = (alpha[i] - old) * y[i];
                for (j, &v) in row.iter() {
                    w[j] += d * v;
                }
                bias += d;
            }
            s += 1;
        }
        if pg_max - pg_min <= params.tol {
            if active == n {
                converged = true;
                break;
            }
            // Check once more over every variable before stopping.
            active = n;
            pg_max_old = f64::INFINITY;
            continue;
        }
        pg_max_old = if pg_max <= 0.0 { f64::INFINITY } else { pg_max };
    }
    Hyperplane { weights: w, bias, converged }
}

/// Features and classifier fitted together on one set of labelled records.
#[derive(Debug, Clone)]
pub struct StanceModel {
    pub features: FeatureModel,
    pub linear: LinearModel,
}

/// A labelled record: the class, its decision value, and the features present that pushed most towards it.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub class: usize,
    pub score: f64,
    /// (feature name, value × weight), largest first.
    pub evidence: Vec<(String, f64)>,
}

impl StanceModel {
    /// Fits the TF-IDF blocks and then the classifier on `train` with classes `y`.
    pub fn fit(
        train: &CountedTexts,
        y: &[usize],
        classes: &[String],
        tfidf: &TfidfParams,
        svm: &SvmParams,
        seed: u64,
    ) -> Result<StanceModel> {
        let (features, x) = FeatureModel::fit(train, tfidf)?;
        let linear = LinearModel::fit(&x, y, classes, svm, seed)?;
        Ok(StanceModel { features, linear })
    }

    pub fn converged(&self) -> bool {
        self.linear.converged()
    }

    /// The class of every counted record, with the `evidence` features that contributed most to it.
    pub fn label(&self, counted: &CountedTexts, evidence: usize) -> Vec<Labelled> {
        let x = self.features.transform(counted);
        let predictions = self.linear.predict(&x);
        let weights: Vec<Vec<f64>> = if evidence == 0 {
            Vec::new()
        } else {
            (0..self.linear.classes.len()).map(|c| self.linear.class_weights(c).collect()).collect()
        };
        predictions
            .into_iter()
            .zip(x.outer_iterator())
            .map(|(p, row)| {
                let mut pushes: Vec<(usize, f64)> = Vec::new();
                if evidence > 0 {
                    let w = &weights[p.class];
                    pushes = row.iter().map(|(j, &v)| (j, v * w[j])).filter(|&(_, c)| c > 0.0).collect();
                    // Largest contribution first; ties to the lower column, so the order is stable.
                    pushes.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    pushes.truncate(evidence);
                }
                let evidence = pushes.into_iter().map(|(j, c)| (self.features.feature_name(j), c)).collect();
                Labelled { class: p.class, score: p.score, evidence }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::TriMat;

    fn csr(rows: &[&[f64]]) -> CsMat<f64> {
        let cols = rows[0].len();
        let mut t = TriMat::new((rows.len(), cols));
        for (i, row) in rows.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    t.add_triplet(i, j, v);
                }
            }
        }
        t.to_csr()
    }

    #[test]
    fn matches_scikit_learn_linear_svc() {
        // LinearSVC(C=1.0, tol=1e-10) on the same rows: coef_ [[0.78899083, -0.58715596]], intercept_ [-0.05504588],
        // i.e. 86/109, -64/109 and -6/109, the exact solution of the L2-loss problem with a regularized bias.
        let x = csr(&[&[1.0, 0.0], &[0.0, 1.0], &[2.0, 1.0], &[0.0, 2.0]]);
        let classes = ["a".to_string(), "b".to_string()];
        let params = SvmParams { c: 1.0, tol: 1e-10, max_iter: 10_000 };
        let model = LinearModel::fit(&x, &[1, 0, 1, 0], &classes, &params, 7).unwrap();
        assert!(model.converged());
        let w: Vec<f64> = model.class_weights(1).collect();
        let expected = [86.0 / 109.0, -64.0 / 109.0];
        for (got, e) in w.iter().zip(expected) {
            assert!((got - e).abs() < 1e-6, "{w:?}");
        }
        assert!((model.planes[0].bias + 6.0 / 109.0).abs() < 1e-6);
        let predicted: Vec<usize> = model.predict(&x).iter().map(|p| p.class).collect();
        assert_eq!(predicted, [1, 0, 1, 0]);
    }

    #[test]
    fn one_vs_rest_separates_three_classes() {
        let x = csr(&[
            &[1.0, 0.0, 0.0],
            &[0.9, 0.1, 0.0],
            &[0.0, 1.0, 0.0],
            &[0.1, 0.8, 0.0],
            &[0.0, 0.0, 1.0],
            &[0.0, 0.2, 0.9],
        ]);
        let classes: Vec<String> = ["x", "y", "z"].iter().map(|s| s.to_string()).collect();
        let model = LinearModel::fit(&x, &[0, 0, 1, 1, 2, 2], &classes, &SvmParams::default(), 1).unwrap();
        let predicted: Vec<usize> = model.predict(&x).iter().map(|p| p.class).collect();
        assert_eq!(predicted, [0, 0, 1, 1, 2, 2]);
        assert_eq!(model.decision(x.outer_view(0).unwrap()).len(), 3);
    }

    #[test]
    fn bad_training_data_is_an_error() {
        let x = csr(&[&[1.0], &[2.0]]);
        let one = ["only".to_string()];
        assert!(LinearModel::fit(&x, &[0, 0], &one, &SvmParams::default(), 0).is_err());
        let two = ["a".to_string(), "b".to_string()];
        assert!(LinearModel::fit(&x, &[0], &two, &SvmParams::default(), 0).is_err());
        assert!(LinearModel::fit(&x, &[0, 1], &two, &SvmParams { c: 0.0, ..SvmParams::default() }, 0).is_err());
    }
}
