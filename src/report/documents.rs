//! `documents.csv`: one row per record, its fields and what each stage found for it.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{ensure, Result};

use crate::corpus::Record;

/// A column that a stage adds to `documents.csv`, one value per record.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub values: Vec<String>,
}

impl Column {
    pub fn new(name: impl Into<String>, values: Vec<String>) -> Column {
        Column { name: name.into(), values }
    }
}

/// Writes `documents.csv`: id, title, date, year, lang, then the stages' columns in the order given,
/// then the record's own fields (authors … label, empty_text) and its extra fields, in name order.
pub fn write_documents(path: &Path, records: &[Record], stage_columns: &[Column]) -> Result<()> {
    for c in stage_columns {
        ensure!(
            c.values.len() == records.len(),
            "column {} has {} values for {} records",
            c.name,
            c.values.len(),
            records.len()
        );
    }
    let extra: BTreeSet<&str> = records.iter().flat_map(|r| r.extra.keys().map(String::as_str)).collect();
    let fixed = [
        "authors",
        "affiliation",
        "publisher",
        "venue",
        "volume",
        "pages",
        "keywords",
        "subjects",
        "label",
        "empty_text",
    ];
    let mut header: Vec<&str> = vec!["id", "title", "date", "year", "lang"];
    header.extend(stage_columns.iter().map(|c| c.name.as_str()));
    header.extend(fixed);
    // An input field named like a column above (a `theme` or `cluster` column of the user's own) is kept, as
    // `input_<name>`, so neither hides the other.
    let extra: Vec<&str> = extra.into_iter().collect();
    let extra_names: Vec<String> =
        extra.iter().map(|e| if header.contains(e) { format!("input_{e}") } else { e.to_string() }).collect();
    header.extend(extra_names.iter().map(String::as_str));
    super::write_csv(path, &header, |w| {
        for (i, r) in records.iter().enumerate() {
            let mut row: Vec<String> = vec![
                r.id.clone(),
                r.title.clone(),
                r.date.map(|d| d.to_string()).unwrap_or_default(),
                r.year().map(|y| y.to_string()).unwrap_or_default(),
                r.lang().to_string(),
            ];
            row.extend(stage_columns.iter().map(|c| c.values[i].clone()));
            row.extend([
                r.authors.join("; "),
                r.affiliation.clone(),
                r.publisher.clone(),
                r.venue.clone(),
                r.volume.clone(),
                r.pages.clone(),
                r.keywords.join("; "),
                r.subjects.join("; "),
                r.label.clone().unwrap_or_default(),
                r.is_empty_text().to_string(),
            ]);
            row.extend(extra.iter().map(|k| r.extra.get(*k).cloned().unwrap_or_default()));
            w.write_record(&row)?;
        }
        Ok(())
    })
}
