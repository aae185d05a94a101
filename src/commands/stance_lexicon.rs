//! The lexicon stance of `hanmi run`: every record scored on every axis, in parallel, and written out.

use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;

use crate::corpus::Record;
use crate::report::{fmt_f64, write_csv, Column};
use crate::stance::lexicon::{AxisScore, LexiconStance};
use crate::Config;

/// Every record's score on every lexicon axis.
#[derive(Debug, Clone)]
pub struct RecordStance {
    pub axes: Vec<String>,
    /// `scores[record][axis]`.
    pub scores: Vec<Vec<AxisScore>>,
}

/// Scores every record on the built-in (and configured) axes.
pub fn lexicon_stance(records: &[Record], config: &Config) -> Result<RecordStance> {
    let lexicon = LexiconStance::new(&config.text, &config.stance)?;
    let axes = lexicon.axes().into_iter().map(|a| a.id).collect();
    // One scorer (an analyzer session) per worker: opening one costs far more than scoring a record.
    let scores = records.par_iter().map_init(|| lexicon.scorer(), |s, r| s.score(&r.text)).collect();
    Ok(RecordStance { axes, scores })
}

impl RecordStance {
    /// Scores by axis, `None` where nothing matched: what the era comparison takes.
    pub fn by_axis(&self) -> Vec<Vec<Option<f64>>> {
        (0..self.axes.len()).map(|a| self.scores.iter().map(|s| s[a].score).collect()).collect()
    }

    /// `stance_<axis>` and `stance_<axis>_label` columns for `documents.csv`.
    pub fn document_columns(&self) -> Vec<Column> {
        let mut columns = Vec::new();
        for (a, axis) in self.axes.iter().enumerate() {
            let scores = self.scores.iter().map(|s| s[a].score.map_or(String::new(), |x| fmt_f64(x, 3))).collect();
            let labels = self.scores.iter().map(|s| s[a].pole_label.clone()).collect();
            columns.push(Column::new(format!("stance_{axis}"), scores));
            columns.push(Column::new(format!("stance_{axis}_label"), labels));
        }
        columns
    }

    /// `stance.csv`: one row per record and axis, with the evidence behind each score.
    pub fn write(&self, path: &Path, records: &[Record]) -> Result<()> {
        write_csv(path, &["id", "axis", "score", "label", "pole", "matches", "evidence"], |w| {
            for (r, scores) in records.iter().zip(&self.scores) {
                for s in scores {
                    w.write_record([
                        r.id.as_str(),
                        &s.axis,
                        &s.score.map_or(String::new(), |x| fmt_f64(x, 3)),
                        s.label,
                        &s.pole_label,
                        &s.matches.to_string(),
                        &s.evidence,
                    ])?;
                }
            }
            Ok(())
        })
    }
}
