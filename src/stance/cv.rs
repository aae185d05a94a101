//! Evaluation of the stance classifier: stratified k-fold cross-validation (features and model fitted on the
//! training folds only) and the scores SemEval-2016 Task 6 reports: per-class precision, recall and F1,
//! accuracy, macro-F1 and F_avg, the mean F1 of the two polar classes.

use anyhow::{bail, Result};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::classifier::{StanceModel, SvmParams};
use super::features::CountedTexts;
use crate::vectorize::TfidfParams;

/// The fold (0..k) of every record: each class's records are shuffled and dealt round the folds in turn,
/// continuing where the previous class stopped, so every fold gets each class's share to within one record.
pub fn stratified_folds(y: &[usize], n_classes: usize, k: usize, seed: u64) -> Result<Vec<usize>> {
    if k < 2 {
        bail!("cross-validation needs at least 2 folds, not {k}");
    }
    if k > y.len() {
        bail!("{k} folds for {} records: every fold needs at least one record", y.len());
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut fold = vec![0; y.len()];
    let mut next = 0;
    for class in 0..n_classes {
        let mut members: Vec<usize> = (0..y.len()).filter(|&i| y[i] == class).collect();
        members.shuffle(&mut rng);
        for i in members {
            fold[i] = next % k;
            next += 1;
        }
    }
    Ok(fold)
}

/// What cross-validation gives: each record's class as predicted by the model that did not see it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidated {
    pub predicted: Vec<usize>,
    /// Things a reader should know (a class smaller than the number of folds, a solver that hit its limit).
    pub warnings: Vec<String>,
}

/// Stratified `k`-fold cross-validation: for each fold, fits the features and the classifier on the other
/// folds and predicts this one. Folds run in parallel; each has its own seed, so the result does not depend on
/// the number of threads.
pub fn cross_validate(
    counted: &CountedTexts,
    y: &[usize],
    classes: &[String],
    k: usize,
    tfidf: &TfidfParams,
    svm: &SvmParams,
    seed: u64,
) -> Result<CrossValidated> {
    let folds = stratified_folds(y, classes.len(), k, seed)?;
    let mut warnings = Vec::new();
    for (c, name) in classes.iter().enumerate() {
        let size = y.iter().filter(|&&l| l == c).count();
        if size < k {
            warnings.push(format!("class {name:?} has {size} records, fewer than the {k} folds"));
        }
    }
    let per_fold: Vec<(Vec<usize>, Vec<usize>, bool)> = (0..k)
        .into_par_iter()
        .map(|f| -> Result<_> {
            let train: Vec<usize> = (0..y.len()).filter(|&i| folds[i] != f).collect();
            let test: Vec<usize> = (0..y.len()).filter(|&i| folds[i] == f).collect();
            let train_y: Vec<usize> = train.iter().map(|&i| y[i]).collect();
            let model =
                StanceModel::fit(&counted.rows(&train), &train_y, classes, tfidf, svm, seed.wrapping_add(f as u64))
                    .map_err(|e| e.context(format!("fold {} of {k}", f + 1)))?;
            let predicted = model.label(&counted.rows(&test), 0).into_iter().map(|l| l.class).collect();
            Ok((test, predicted, model.converged()))
        })
        .collect::<Result<_>>()?;
    let mut predicted = vec![0; y.len()];
    for (f, (test, labels, converged)) in per_fold.into_iter().enumerate() {
        for (i, class) in test.into_iter().zip(labels) {
            predicted[i] = class;
        }
        if !converged {
            warnings.push(format!("fold {}: the solver stopped at its iteration limit before the tolerance", f + 1));
        }
    }
    Ok(CrossValidated { predicted, warnings })
}

/// Precision, recall and F1 of one class; 0 where a ratio has nothing to divide by (as scikit-learn).
#[derive(Debug, Clone, PartialEq)]
pub struct ClassScores {
    pub class: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Records whose true class this is.
    pub support: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub classes: Vec<ClassScores>,
    pub accuracy: f64,
    pub macro_f1: f64,
    /// Mean F1 of the two polar classes; `None` when the classes have no recognizable poles.
    pub f_avg: Option<f64>,
    pub records: usize,
}

/// Scores predictions against the truth (class indices into `classes`).
pub fn evaluate(truth: &[usize], predicted: &[usize], classes: &[String]) -> Evaluation {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let scores: Vec<ClassScores> = classes
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let pairs = truth.iter().zip(predicted);
            let tp = pairs.clone().filter(|&(&t, &p)| t == c && p == c).count();
            let predicted_c = predicted.iter().filter(|&&p| p == c).count();
            let support = truth.iter().filter(|&&t| t == c).count();
            let (precision, recall) = (ratio(tp, predicted_c), ratio(tp, support));
            let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
            ClassScores { class: name.clone(), precision, recall, f1, support }
        })
        .collect();
    let correct = truth.iter().zip(predicted).filter(|(t, p)| t == p).count();
    let macro_f1 = scores.iter().map(|s| s.f1).sum::<f64>() / scores.len().max(1) as f64;
    let f_avg = polar_pair(classes).map(|(a, b)| (scores[a].f1 + scores[b].f1) / 2.0);
    Evaluation { classes: scores, accuracy: ratio(correct, truth.len()), macro_f1, f_avg, records: truth.len() }
}

/// The two polar classes: FAVOR/AGAINST (SemEval), PRO/CON, positive/negative (any case), or both classes
/// when there are only two.
pub fn polar_pair(classes: &[String]) -> Option<(usize, usize)> {
    const POLES: [(&str, &str); 3] = [("favor", "against"), ("pro", "con"), ("positive", "negative")];
    let find = |name: &str| classes.iter().position(|c| c.eq_ignore_ascii_case(name));
    POLES.iter().find_map(|(a, b)| Some((find(a)?, find(b)?))).or((classes.len() == 2).then_some((0, 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn folds_are_stratified_and_seeded() {
        let y: Vec<usize> = (0..23).map(|i| usize::from(i % 3 == 0)).collect();
        let folds = stratified_folds(&y, 2, 5, 3).unwrap();
        for f in 0..5 {
            let in_fold: Vec<usize> = (0..y.len()).filter(|&i| folds[i] == f).collect();
            let ones = in_fold.iter().filter(|&&i| y[i] == 1).count();
            assert!((4..=5).contains(&in_fold.len()), "fold {f}: {} records", in_fold.len());
            assert!((1..=2).contains(&ones), "fold {f}: {ones} of class 1");
        }
        assert_eq!(folds, stratified_folds(&y, 2, 5, 3).unwrap());
        assert_ne!(folds, stratified_folds(&y, 2, 5, 4).unwrap());
        assert!(stratified_folds(&y, 2, 1, 0).is_err());
        assert!(stratified_folds(&y[..3], 2, 5, 0).is_err());
    }

    #[test]
    fn scores_match_scikit_learn() {
        // precision_recall_fscore_support(t, p) and f1_score(average="macro") on the same labels:
        // AGAINST p 2/3 r 2/3 F1 2/3; FAVOR p 1/3 r 1/2 F1 0.4; NONE p 0 r 0 F1 0; macro-F1 0.35556.
        let classes = names(&["AGAINST", "FAVOR", "NONE"]);
        let truth = [0, 0, 0, 1, 1, 2];
        let predicted = [0, 0, 1, 1, 0, 1];
        let e = evaluate(&truth, &predicted, &classes);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(e.classes[0].precision, 2.0 / 3.0) && close(e.classes[0].recall, 2.0 / 3.0));
        assert!(close(e.classes[1].precision, 1.0 / 3.0) && close(e.classes[1].f1, 0.4) && e.classes[2].f1 == 0.0);
        assert_eq!(e.classes.iter().map(|c| c.support).collect::<Vec<_>>(), [3, 2, 1]);
        assert!(close(e.accuracy, 0.5));
        assert!(close(e.macro_f1, 0.35555555555555557));
        assert!(close(e.f_avg.unwrap(), (2.0 / 3.0 + 0.4) / 2.0));
    }

    #[test]
    fn polar_classes() {
        assert_eq!(polar_pair(&names(&["AGAINST", "FAVOR", "NONE"])), Some((1, 0)));
        assert_eq!(polar_pair(&names(&["CON", "PRO"])), Some((1, 0)));
        assert_eq!(polar_pair(&names(&["left", "right"])), Some((0, 1)));
        assert_eq!(polar_pair(&names(&["a", "b", "c"])), None);
    }
}
