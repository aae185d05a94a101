//! Keyness of terms per era: the log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi
//! and Quinn (2008, "Fightin' Words"), each era against all other records.

use anyhow::{ensure, Result};
use sprs::CsMat;

use crate::text::StringList;

use super::{column_sums, group_by_era, row_major, EraTable};

/// α0, the total weight of the prior: the number of pseudo-counts spread over the vocabulary in
/// proportion to each term's corpus frequency. 1000 shrinks the estimates of rare terms strongly enough
/// that a word seen a few times in a small era does not top the list, while a corpus of some hundred
/// thousand tokens still speaks for itself; a smaller value trusts the era's own counts more.
pub const DEFAULT_PRIOR_STRENGTH: f64 = 1000.0;

/// One row of `era_keyness.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct KeynessRow {
    pub era: String,
    pub term: String,
    pub display: String,
    /// Occurrences of the term in the era's records.
    pub count_era: f64,
    /// Occurrences in all other records.
    pub count_rest: f64,
    /// δ, the difference of the two smoothed log-odds (natural logs); positive = more typical of the era.
    pub log_odds: f64,
    /// δ divided by its standard deviation.
    pub z: f64,
}

/// Keyness of every term for each era against all other records.
///
/// `counts` holds raw term counts (records × terms). With `y` the counts and `n` the totals of the era
/// (`i`) and of the rest (`j`), and the prior `α_w = α0 · (corpus count of w / corpus total)`:
/// `δ_w = ln((y_iw+α_w)/(n_i+α0−y_iw−α_w)) − ln((y_jw+α_w)/(n_j+α0−y_jw−α_w))`,
/// `σ²_w = 1/(y_iw+α_w) + 1/(y_jw+α_w)`, `z_w = δ_w/σ_w`.
///
/// For each era with records, terms, and other records to compare with, the rows are its `top` terms of
/// highest z (descending) and then its `top` terms of lowest z (most negative first, terms already listed
/// left out); ties go to the term that sorts first. Terms absent from the whole corpus are skipped.
pub fn era_keyness(
    table: &EraTable,
    eras: &[String],
    counts: &CsMat<f64>,
    terms: &StringList,
    display: &StringList,
    top: usize,
    prior_strength: f64,
) -> Result<Vec<KeynessRow>> {
    super::check_counts(eras, counts, terms, display)?;
    ensure!(prior_strength > 0.0 && prior_strength.is_finite(), "the prior strength must be positive");
    let counts = row_major(counts);
    let counts = counts.as_ref();
    let corpus = column_sums(counts, 0..counts.rows());
    let corpus_total: f64 = corpus.iter().sum();
    let mut rows = Vec::new();
    if corpus_total <= 0.0 {
        return Ok(rows);
    }
    let prior: Vec<f64> = corpus.iter().map(|&c| prior_strength * c / corpus_total).collect();
    for group in group_by_era(table, eras)? {
        if group.records.len() == eras.len() {
            continue; // no other records to compare with
        }
        let era = column_sums(counts, group.records.iter().copied());
        let era_total: f64 = era.iter().sum();
        if era_total <= 0.0 {
            continue;
        }
        let rest_total = corpus_total - era_total;
        let mut scored: Vec<KeynessRow> = (0..terms.len())
            .filter(|&w| corpus[w] > 0.0)
            .filter_map(|w| {
                let (y_i, y_j, a) = (era[w], corpus[w] - era[w], prior[w]);
                let log_odds = ((y_i + a) / (era_total + prior_strength - y_i - a)).ln()
                    - ((y_j + a) / (rest_total + prior_strength - y_j - a)).ln();
                let z = log_odds / (1.0 / (y_i + a) + 1.0 / (y_j + a)).sqrt();
                (log_odds.is_finite() && z.is_finite()).then(|| KeynessRow {
                    era: group.label.to_string(),
                    term: terms[w].to_string(),
                    display: display[w].to_string(),
                    count_era: y_i,
                    count_rest: y_j,
                    log_odds,
                    z,
                })
            })
            .collect();
        scored.sort_by(|a, b| b.z.total_cmp(&a.z).then_with(|| a.term.cmp(&b.term)));
        let highest = top.min(scored.len());
        let rest = scored.split_off(highest);
        rows.extend(scored);
        let mut lowest = rest;
        lowest.sort_by(|a, b| a.z.total_cmp(&b.z).then_with(|| a.term.cmp(&b.term)));
        lowest.truncate(top);
        rows.extend(lowest);
    }
    Ok(rows)
}
