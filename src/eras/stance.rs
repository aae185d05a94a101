//! Mean stance per era and axis, with a percentile bootstrap interval.

use anyhow::{ensure, Result};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::{group_by_era, EraTable};

/// Bootstrap resamples per (era, axis).
pub const BOOTSTRAP_RESAMPLES: usize = 2000;

/// One row of `era_stance.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct EraStanceRow {
    pub era: String,
    pub axis: String,
    /// Records of the era with a score on this axis (records without evidence are not counted).
    pub docs: usize,
    /// `None` when no record of the era has a score.
    pub mean: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// Mean stance per era and axis with a 95% percentile bootstrap interval ([`BOOTSTRAP_RESAMPLES`]
/// resamples of the era's scored records, quantiles interpolated linearly between order statistics).
/// `scores[axis][record]` is `None` where the record has no evidence on the axis. Each (era, axis) draws
/// from its own generator, seeded from `seed`, the era's position in the table's label order and the
/// axis index, so its interval does not depend on which other eras hold records.
/// Rows: era report order, then axis order; eras without records left out.
pub fn era_stance(
    table: &EraTable,
    eras: &[String],
    axes: &[String],
    scores: &[Vec<Option<f64>>],
    seed: u64,
) -> Result<Vec<EraStanceRow>> {
    ensure!(axes.len() == scores.len(), "{} stance axes but scores for {}", axes.len(), scores.len());
    for (axis, axis_scores) in axes.iter().zip(scores) {
        ensure!(
            axis_scores.len() == eras.len(),
            "stance axis {axis} has {} scores for {} records",
            axis_scores.len(),
            eras.len()
        );
    }
    let mut rows = Vec::new();
    for group in group_by_era(table, eras)? {
        for (axis_index, (axis, axis_scores)) in axes.iter().zip(scores).enumerate() {
            let values: Vec<f64> =
                group.records.iter().filter_map(|&r| axis_scores[r]).filter(|v| v.is_finite()).collect();
            let mean = mean(&values);
            let interval = mean.map(|_| {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(stream_seed(seed, group.order, axis_index));
                bootstrap_interval(&values, &mut rng)
            });
            rows.push(EraStanceRow {
                era: group.label.to_string(),
                axis: axis.clone(),
                docs: values.len(),
                mean,
                ci_low: interval.map(|i| i.0),
                ci_high: interval.map(|i| i.1),
            });
        }
    }
    Ok(rows)
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Mixes the run's seed with the era and axis positions (odd multipliers from SplitMix64 and Murmur3 keep
/// the streams apart; `seed_from_u64` scrambles the result further).
fn stream_seed(seed: u64, era: usize, axis: usize) -> u64 {
    seed ^ (era as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (axis as u64 + 1).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
}

/// The 2.5% and 97.5% quantiles of the means of resamples of `values` (non-empty).
fn bootstrap_interval(values: &[f64], rng: &mut Xoshiro256PlusPlus) -> (f64, f64) {
    let n = values.len();
    let mut means: Vec<f64> =
        (0..BOOTSTRAP_RESAMPLES).map(|_| (0..n).map(|_| values[rng.gen_range(0..n)]).sum::<f64>() / n as f64).collect();
    means.sort_by(f64::total_cmp);
    (quantile(&means, 0.025), quantile(&means, 0.975))
}

/// The `q` quantile of sorted `values`, interpolating linearly between order statistics (numpy's default).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    let fraction = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * fraction
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_matches_numpy() {
        // numpy.quantile([1, 2, 3, 4], [0.025, 0.5, 0.975]) = [1.075, 2.5, 3.925]
        let v = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile(&v, 0.025) - 1.075).abs() < 1e-12);
        assert!((quantile(&v, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile(&v, 0.975) - 3.925).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.975), 7.0);
    }

    #[test]
    fn streams_differ_by_era_and_axis() {
        assert_ne!(stream_seed(1, 0, 0), stream_seed(1, 1, 0));
        assert_ne!(stream_seed(1, 0, 0), stream_seed(1, 0, 1));
        assert_ne!(stream_seed(1, 0, 1), stream_seed(1, 1, 0));
    }
}
