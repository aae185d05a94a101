//! Eras: era tables, theme prevalence and stance per era with intervals, keyness of terms per era, and
//! each cluster's top terms per era.
//!
//! Every function takes one era label per record (from [`EraTable::assign_all`]) and returns rows in report
//! order: the table's eras in date order, then `none` (dated, in no era), then `undated`. Eras without
//! records are left out. Everything is deterministic and no row holds a NaN.

mod cluster_terms;
mod keyness;
mod prevalence;
mod stance;
mod table;

pub use cluster_terms::{era_cluster_terms, EraClusterTermRow};
pub use keyness::{era_keyness, KeynessRow, DEFAULT_PRIOR_STRENGTH};
pub use prevalence::{theme_prevalence, wilson_interval, EraThemeRow, Z_95};
pub use stance::{era_stance, EraStanceRow, BOOTSTRAP_RESAMPLES};
pub use table::{AssignmentNote, Day, Era, EraLabel, EraTable, NO_ERA, PARTIAL_DATE_RULE, UNDATED};

use serde::{Deserialize, Serialize};

/// The `[eras]` table of `hanmi.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EraConfig {
    /// A built-in table (`us-presidents`, `rok-presidents`, `dprk-leaders`, `decades`) or a file.
    pub table: String,
}

impl Default for EraConfig {
    fn default() -> Self {
        EraConfig { table: "us-presidents".to_string() }
    }
}

/// The records of one era label, with the label's position in [`EraTable::label_order`].
struct EraGroup<'t> {
    label: &'t str,
    order: usize,
    records: Vec<usize>,
}

/// The records grouped by era label, in report order; labels without records are left out. A label that
/// is not the table's is an error (the labels must come from the same table).
fn group_by_era<'t>(table: &'t EraTable, labels: &[String]) -> anyhow::Result<Vec<EraGroup<'t>>> {
    let order = table.label_order();
    let position: std::collections::HashMap<&str, usize> = order.iter().enumerate().map(|(i, l)| (*l, i)).collect();
    let mut records = vec![Vec::new(); order.len()];
    for (record, label) in labels.iter().enumerate() {
        let Some(&i) = position.get(label.as_str()) else {
            anyhow::bail!("record {} has era `{label}`, which is not in era table {}", record + 1, table.name);
        };
        records[i].push(record);
    }
    Ok(order
        .into_iter()
        .zip(records)
        .enumerate()
        .filter(|(_, (_, records))| !records.is_empty())
        .map(|(order, (label, records))| EraGroup { label, order, records })
        .collect())
}

/// The first and last day of an era label as written in reports; empty for `none`, `undated` and an
/// open end.
fn era_bounds(table: &EraTable, label: &str) -> (String, String) {
    match table.era(label) {
        Some(era) => (era.start.to_string(), era.end.map(|d| d.to_string()).unwrap_or_default()),
        None => (String::new(), String::new()),
    }
}

/// `counts` in row-major (CSR) form, converted only when it is column-major.
fn row_major(counts: &sprs::CsMat<f64>) -> std::borrow::Cow<'_, sprs::CsMat<f64>> {
    if counts.is_csr() {
        std::borrow::Cow::Borrowed(counts)
    } else {
        std::borrow::Cow::Owned(counts.to_csr())
    }
}

/// The counts have one row per era label and one column per term and display form.
fn check_counts(
    eras: &[String],
    counts: &sprs::CsMat<f64>,
    terms: &crate::text::StringList,
    display: &crate::text::StringList,
) -> anyhow::Result<()> {
    anyhow::ensure!(counts.rows() == eras.len(), "{} era labels but {} rows of counts", eras.len(), counts.rows());
    anyhow::ensure!(
        counts.cols() == terms.len() && terms.len() == display.len(),
        "{} count columns, {} terms and {} display forms",
        counts.cols(),
        terms.len(),
        display.len()
    );
    Ok(())
}

/// The sum of the given rows of a CSR matrix, one value per column.
fn column_sums(counts: &sprs::CsMat<f64>, records: impl Iterator<Item = usize>) -> Vec<f64> {
    let mut sums = vec![0.0; counts.cols()];
    for r in records {
        if let Some(row) = counts.outer_view(r) {
            for (c, &v) in row.iter() {
                sums[c] += v;
            }
        }
    }
    sums
}
