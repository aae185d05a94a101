//! Themes over time: each cluster's top terms within each era, by class-based TF-IDF restricted to the
//! era, as BERTopic's `topics_over_time` does.

use anyhow::{ensure, Result};
use sprs::CsMat;

use crate::text::StringList;

use super::{column_sums, group_by_era, row_major, EraTable};

/// One row of `era_cluster_terms.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct EraClusterTermRow {
    pub era: String,
    pub cluster: usize,
    /// 1 for the term of highest weight.
    pub rank: usize,
    pub term: String,
    pub display: String,
    pub weight: f64,
}

/// The `top` terms of each cluster within each era.
///
/// The weight of term `t` for cluster `c` in era `e` is `(count of t in c's records of e / records of e) ·
/// ln(1 + A / f_t)`: the class-based TF-IDF of Grootendorst (BERTopic), whose idf is computed once over the
/// whole corpus (`A` the mean number of term occurrences per cluster, `f_t` the corpus count of `t`), with
/// the term counts divided by the era's record count so that weights compare across eras of different
/// sizes. Rows: era report order, then cluster number, then rank (ties go to the term that sorts first);
/// terms absent from a cluster's records in the era are not listed.
pub fn era_cluster_terms(
    table: &EraTable,
    eras: &[String],
    clusters: &[usize],
    counts: &CsMat<f64>,
    terms: &StringList,
    display: &StringList,
    top: usize,
) -> Result<Vec<EraClusterTermRow>> {
    ensure!(eras.len() == clusters.len(), "{} era labels but {} cluster labels", eras.len(), clusters.len());
    super::check_counts(eras, counts, terms, display)?;
    let counts = row_major(counts);
    let counts = counts.as_ref();
    let cluster_count = clusters.iter().max().map_or(0, |&c| c + 1);
    let corpus = column_sums(counts, 0..counts.rows());
    let corpus_total: f64 = corpus.iter().sum();
    let mut rows = Vec::new();
    if corpus_total <= 0.0 {
        return Ok(rows);
    }
    let distinct_clusters = {
        let mut seen = vec![false; cluster_count];
        clusters.iter().for_each(|&c| seen[c] = true);
        seen.iter().filter(|&&s| s).count()
    };
    let idf = crate::cluster::class_idf(&corpus, distinct_clusters);
    for group in group_by_era(table, eras)? {
        let docs = group.records.len() as f64;
        for cluster in 0..cluster_count {
            let members = group.records.iter().copied().filter(|&r| clusters[r] == cluster);
            let sums = column_sums(counts, members);
            let mut weighted: Vec<(usize, f64)> =
                sums.iter().enumerate().filter(|&(_, &n)| n > 0.0).map(|(t, &n)| (t, n / docs * idf[t])).collect();
            weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| terms[a.0].cmp(&terms[b.0])));
            rows.extend(weighted.into_iter().take(top).enumerate().map(|(i, (t, weight))| EraClusterTermRow {
                era: group.label.to_string(),
                cluster,
                rank: i + 1,
                term: terms[t].to_string(),
                display: display[t].to_string(),
                weight,
            }));
        }
    }
    Ok(rows)
}
