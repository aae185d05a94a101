//! The vectorizer's files: the vocabulary as CSV, the matrix as Matrix Market, the fitted model as JSON.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use sprs::{CsMatI, SpIndex};

use super::{TfidfModel, Vocabulary};
use crate::report::{write_atomic, write_blocks, write_csv_blocks, write_f64, write_shortest};
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
    write_csv_blocks(path, &["term", "display", "lang", "df", "cf", "idf", "total_weight"], vocab.len(), |terms, w| {
        // Fields written as they are; the numbers formatted into reused buffers, not a String each.
        let (mut ints, mut idf, mut weight) = (itoa::Buffer::new(), String::new(), String::new());
        for j in terms {
            w.write_field(&vocab.terms[j])?;
            w.write_field(&vocab.display[j])?;
            w.write_field(vocab.lang[j].as_str())?;
            w.write_field(ints.format(vocab.df[j]))?;
            w.write_field(ints.format(vocab.cf[j]))?;
            write_shortest(&mut idf, vocab.idf[j]);
            w.write_field(&idf)?;
            write_f64(&mut weight, total[j], 6);
            w.write_field(&weight)?;
            w.write_record(None::<&[u8]>)?;
        }
        Ok(())
    })
}

/// The matrix in Matrix Market coordinate form (1-based), readable by `scipy.io.mmread`; values are written
/// in their shortest round-trip form (ryu), so nothing is lost. Blocks of rows are formatted in parallel by
/// [`write_blocks`] (itoa, ryu: number formatting is most of the time of writing).
pub fn write_matrix_market<I: SpIndex + Sync, Iptr: SpIndex + Sync>(
    path: &Path,
    m: &CsMatI<f64, I, Iptr>,
) -> Result<()> {
    // Blocks of about this many entries (a megabyte of text), cut between rows.
    const ENTRIES_PER_BLOCK: usize = 1 << 15;
    let indptr = m.indptr();
    let ends = indptr.raw_storage();
    let mut blocks = Vec::new();
    let mut first = 0;
    for i in 0..m.rows() {
        if ends[i + 1].index() - ends[first].index() >= ENTRIES_PER_BLOCK || i + 1 == m.rows() {
            blocks.push(first..i + 1);
            first = i + 1;
        }
    }
    write_atomic(path, |w| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, w);
        writeln!(w, "%%MatrixMarket matrix coordinate real general")?;
        writeln!(
            w,
            "% written by hanmi {}: rows are records in input order, columns are vocab.csv rows",
            env!("CARGO_PKG_VERSION")
        )?;
        writeln!(w, "{} {} {}", m.rows(), m.cols(), m.nnz())?;
        write_blocks(&mut w, &blocks, |rows, text| {
            format_rows(m, rows.clone(), text);
            Ok(())
        })?;
        w.flush()?;
        Ok(())
    })
}

/// The Matrix Market lines of rows `rows`, appended to `out`.
fn format_rows<I: SpIndex, Iptr: SpIndex>(m: &CsMatI<f64, I, Iptr>, rows: std::ops::Range<usize>, out: &mut Vec<u8>) {
    let (mut ints, mut floats) = (itoa::Buffer::new(), ryu::Buffer::new());
    for i in rows {
        let row = m.outer_view(i).expect("the row is inside the matrix");
        // The row number and its space, formatted once for all the row's entries.
        let mut head = [b' '; 21];
        let number = ints.format(i + 1).as_bytes();
        head[..number.len()].copy_from_slice(number);
        let head = &head[..number.len() + 1];
        for (j, &x) in row.iter() {
            out.extend_from_slice(head);
            out.extend_from_slice(ints.format(j + 1).as_bytes());
            out.push(b' ');
            out.extend_from_slice(floats.format(x).as_bytes());
            out.push(b'\n');
        }
    }
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
            || !v.terms.is_strictly_sorted()
        {
            bail!("{}: the vocabulary is damaged (columns of unequal length or unsorted terms)", path.display());
        }
        Ok(saved)
    }
}
