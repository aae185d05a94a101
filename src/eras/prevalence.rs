//! Theme prevalence per era: how many of an era's records fall in each theme, with a Wilson interval.

use std::collections::BTreeSet;

use anyhow::{ensure, Result};

use super::{era_bounds, group_by_era, EraTable};

/// The normal quantile for a two-sided 95% interval.
pub const Z_95: f64 = 1.959963984540054;

/// One row of `eras.csv`: one theme within one era.
#[derive(Debug, Clone, PartialEq)]
pub struct EraThemeRow {
    pub era: String,
    /// First day of the era (`YYYY-MM-DD`); empty for `none` and `undated`.
    pub start: String,
    /// Last day of the era; empty for an open-ended era, `none` and `undated`.
    pub end: String,
    /// Records in the era.
    pub docs: usize,
    pub theme: String,
    /// Records of the era in this theme.
    pub theme_docs: usize,
    /// `theme_docs / docs`.
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The Wilson score interval for `successes` out of `trials` at normal quantile `z`, clamped to [0, 1];
/// `(0, 1)` when there are no trials. Unlike the normal approximation it stays inside [0, 1] and is not
/// empty at 0 or n successes, which matters for small eras.
pub fn wilson_interval(successes: usize, trials: usize, z: f64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Theme prevalence per era. `eras` and `themes` hold one label per record. Rows come in era report order
/// (table order, then `none`, then `undated`; eras without records left out), then by theme name, with
/// every theme of the corpus in every era (zero counts included) so that charts line up.
pub fn theme_prevalence(table: &EraTable, eras: &[String], themes: &[String]) -> Result<Vec<EraThemeRow>> {
    ensure!(eras.len() == themes.len(), "{} era labels but {} theme labels", eras.len(), themes.len());
    let theme_names: BTreeSet<&str> = themes.iter().map(String::as_str).collect();
    let mut rows = Vec::new();
    for group in group_by_era(table, eras)? {
        let (start, end) = era_bounds(table, group.label);
        let docs = group.records.len();
        for &theme in &theme_names {
            let theme_docs = group.records.iter().filter(|&&r| themes[r] == theme).count();
            let (ci_low, ci_high) = wilson_interval(theme_docs, docs, Z_95);
            rows.push(EraThemeRow {
                era: group.label.to_string(),
                start: start.clone(),
                end: end.clone(),
                docs,
                theme: theme.to_string(),
                theme_docs,
                share: theme_docs as f64 / docs as f64,
                ci_low,
                ci_high,
            });
        }
    }
    Ok(rows)
}
