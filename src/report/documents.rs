//! `documents.csv`: one row per record, its fields and what each stage found for it.

use std::collections::BTreeSet;
use std::fmt::Display;
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
    super::write_csv_blocks(path, &header, records.len(), |rows, w| {
        // Fields written as they are, not copied into a row first; the few that are formatted share one buffer.
        let mut text = String::new();
        let mut formatted = |w: &mut csv::Writer<Vec<u8>>, value: Option<&dyn Display>| {
            match value {
                Some(value) => super::write_display(&mut text, value),
                None => text.clear(),
            }
            w.write_field(&text)
        };
        for i in rows {
            let r = &records[i];
            w.write_field(&r.id)?;
            w.write_field(&r.title)?;
            let year = r.year();
            formatted(w, r.date.as_ref().map(|d| d as &dyn Display))?;
            formatted(w, year.as_ref().map(|y| y as &dyn Display))?;
            formatted(w, Some(&r.lang()))?;
            for c in stage_columns {
                w.write_field(&c.values[i])?;
            }
            w.write_field(r.authors.join("; "))?;
            for field in [&r.affiliation, &r.publisher, &r.venue, &r.volume, &r.pages] {
                w.write_field(field)?;
            }
            w.write_field(r.keywords.join("; "))?;
            w.write_field(r.subjects.join("; "))?;
            w.write_field(r.label.as_deref().unwrap_or_default())?;
            w.write_field(if r.is_empty_text() { "true" } else { "false" })?;
            for k in &extra {
                w.write_field(r.extra.get(*k).map_or("", String::as_str))?;
            }
            w.write_record(None::<&[u8]>)?;
        }
        Ok(())
    })
}
