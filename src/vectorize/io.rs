//! The vectorizer's files: the vocabulary as CSV, the matrix as Matrix Market, the fitted model as JSON.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::{CsMatI, SpIndex};

use super::{TfidfModel, Vocabulary};
use crate::report::{write_atomic, write_csv};
use crate::text::AnalyzerConfig;

/// `vocab.csv` / `terms.csv`: one row per term, in column order; `total_weight` is the column sum of the
/// TF-IDF matrix (how much the term weighs in the corpus).
pub fn write_vocabulary<I: SpIndex, Iptr: SpIndex>(
    path: &Path,
    vocab: &Vocabulary,
    tfidf: &CsMatI<f64, I, Iptr>,
) -> Result<()> {
    let mut total = vec![0.0; vocab.len()];
    for row in tfidf.outer_iterator() {
        for (j, &x) in row.iter() {
            total[j] += x;
        }
    }
    write_csv(path, &["term", "display", "lang", "df", "cf", "idf", "total_weight"], |w| {
        for (j, total) in total.iter().enumerate() {
            w.write_record([
                vocab.terms[j].as_str(),
                &vocab.display[j],
                vocab.lang[j].as_str(),
                &vocab.df[j].to_string(),
                &vocab.cf[j].to_string(),
                &vocab.idf[j].to_string(),
                &crate::report::fmt_f64(*total, 6),
            ])?;
        }
        Ok(())
    })
}

/// The matrix in Matrix Market coordinate form (1-based), readable by `scipy.io.mmread`; values are written
/// in their shortest round-trip form (ryu), so nothing is lost. Blocks of rows are formatted in parallel
/// (itoa, ryu: number formatting was most of the time of writing) and written in order.
pub fn write_matrix_market<I: SpIndex + Sync, Iptr: SpIndex + Sync>(
    path: &Path,
    m: &CsMatI<f64, I, Iptr>,
) -> Result<()> {
    const ROWS_PER_BLOCK: usize = 2048;
    let blocks: Vec<usize> = (0..m.rows()).step_by(ROWS_PER_BLOCK).collect();
    write_atomic(path, |w| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, w);
        writeln!(w, "%%MatrixMarket matrix coordinate real general")?;
        writeln!(
            w,
            "% written by hanmi {}: rows are records in input order, columns are vocab.csv rows",
            env!("CARGO_PKG_VERSION")
        )?;
        writeln!(w, "{} {} {}", m.rows(), m.cols(), m.nnz())?;
        // A few blocks per thread at a time: the formatted text of the whole matrix is never held at once.
        for wave in blocks.chunks(4 * rayon::current_num_threads()) {
            let texts: Vec<Vec<u8>> =
                wave.par_iter().map(|&first| format_rows(m, first..(first + ROWS_PER_BLOCK).min(m.rows()))).collect();
            for text in texts {
                w.write_all(&text)?;
            }
        }
        w.flush()?;
        Ok(())
    })
}

/// The Matrix Market lines of rows `rows`.
fn format_rows<I: SpIndex, Iptr: SpIndex>(m: &CsMatI<f64, I, Iptr>, rows: std::ops::Range<usize>) -> Vec<u8> {
    let (mut out, mut ints, mut floats) = (Vec::new(), itoa::Buffer::new(), ryu::Buffer::new());
    for i in rows {
        let row = m.outer_view(i).expect("the row is inside the matrix");
        for (j, &x) in row.iter() {
            out.extend_from_slice(ints.format(i + 1).as_bytes());
            out.push(b' ');
            out.extend_from_slice(ints.format(j + 1).as_bytes());
            out.push(b' ');
            out.extend_from_slice(floats.format(x).as_bytes());
            out.push(b'\n');
        }
    }
    out
}

/// A saved model: the analyzer options it was fitted with, the TF-IDF options and the vocabulary with IDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedModel {
    pub hanmi_version: String,
    pub analyzer: AnalyzerConfig,
    pub model: TfidfModel,
}

impl SavedModel {
    pub fn save(&self, path: &Path) -> Result<()> {
        write_atomic(path, |w| {
            serde_json::to_writer(std::io::BufWriter::new(w), self)?;
            Ok(())
        })
        .with_context(|| format!("cannot write the model {}", path.display()))
    }

    pub fn load(path: &Path) -> Result<SavedModel> {
        let file = std::fs::File::open(path).with_context(|| format!("cannot open the model {}", path.display()))?;
        let saved: SavedModel = serde_json::from_reader(std::io::BufReader::new(file))
            .with_context(|| format!("{}: not a hanmi model file", path.display()))?;
        let v = &saved.model.vocab;
        let n = v.terms.len();
        if [v.display.len(), v.lang.len(), v.df.len(), v.cf.len(), v.idf.len()].iter().any(|&l| l != n)
            || !v.terms.windows(2).all(|w| w[0] < w[1])
        {
            bail!("{}: the vocabulary is damaged (columns of unequal length or unsorted terms)", path.display());
        }
        Ok(saved)
    }
}
