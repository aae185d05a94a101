//! Reports out: CSV tables, SVG charts, the HTML index and the run manifest.
//!
//! Every file is written to a temporary file beside its target and renamed over it when complete, so a
//! failed run never leaves a half-written report over a good one.

pub mod charts;
mod documents;
pub mod html;
mod manifest;
mod number;

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use documents::{write_documents, Column};
pub use manifest::{Manifest, Timings};
pub use number::{fmt_f64, write_f64, write_shortest};

/// Writes `path` atomically: `fill` writes into a temporary file in the same folder, which is renamed
/// over `path` only when `fill` succeeded.
pub fn write_atomic(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).with_context(|| format!("cannot create folder {}", dir.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".hanmi-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    {
        let mut out = BufWriter::new(tmp.as_file());
        fill(&mut out).with_context(|| format!("cannot write {}", path.display()))?;
        out.flush().with_context(|| format!("cannot write {}", path.display()))?;
    }
    tmp.persist(path).with_context(|| format!("cannot move the finished file to {}", path.display()))?;
    Ok(())
}

/// Writes a CSV file atomically: a header, then the rows `fill` writes.
pub fn write_csv(
    path: &Path,
    header: &[&str],
    fill: impl FnOnce(&mut csv::Writer<&mut dyn Write>) -> Result<()>,
) -> Result<()> {
    write_atomic(path, |out| {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(header)?;
        fill(&mut w)?;
        w.flush()?;
        Ok(())
    })
}

/// Writes a CSV file atomically, like [`write_csv`], for a table of `rows` rows: `fill(range, w)` writes the rows of
/// `range`, each ended by `write_record`. Blocks of rows are formatted in parallel, each by a writer of its own into
/// a buffer, and the buffers written in order, so the bytes are those one writer would give. Formatting fields is
/// most of the time of writing a big table (documents.csv on the YNAT headlines: 77 M instructions on one thread).
pub fn write_csv_blocks(
    path: &Path,
    header: &[&str],
    rows: usize,
    fill: impl Fn(std::ops::Range<usize>, &mut csv::Writer<Vec<u8>>) -> Result<()> + Sync,
) -> Result<()> {
    use rayon::prelude::*;
    // Enough rows that a block's writer and buffer cost nothing beside them, few enough for a block per thread.
    const ROWS_PER_BLOCK: usize = 2048;
    // Blocks formatted before they are written: only a wave's text is held at once (a documents.csv of a million
    // records would be a few hundred megabytes).
    const BLOCKS_PER_WAVE: usize = 32;
    let text = |fill: &dyn Fn(&mut csv::Writer<Vec<u8>>) -> Result<()>| -> Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        fill(&mut w)?;
        w.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))
    };
    let blocks = rows.div_ceil(ROWS_PER_BLOCK);
    write_atomic(path, |out| {
        out.write_all(&text(&|w| Ok(w.write_record(header)?))?)?;
        for wave in (0..blocks).step_by(BLOCKS_PER_WAVE) {
            let texts: Vec<Vec<u8>> = (wave..blocks.min(wave + BLOCKS_PER_WAVE))
                .into_par_iter()
                .map(|b| text(&|w| fill(b * ROWS_PER_BLOCK..rows.min((b + 1) * ROWS_PER_BLOCK), w)))
                .collect::<Result<_>>()?;
            texts.iter().try_for_each(|t| out.write_all(t))?;
        }
        Ok(())
    })
}

/// A report folder: knows its path and records which files were written, for the manifest.
#[derive(Debug)]
pub struct ReportDir {
    pub dir: PathBuf,
    pub written: Vec<String>,
}

impl ReportDir {
    pub fn create(dir: &Path) -> Result<ReportDir> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create the report folder {}", dir.display()))?;
        Ok(ReportDir { dir: dir.to_path_buf(), written: Vec::new() })
    }

    /// The path of report `name`, noted as written.
    pub fn file(&mut self, name: &str) -> PathBuf {
        self.written.push(name.to_string());
        self.dir.join(name)
    }
}

/// `value` as text in `out`, in place of what it held: a field formatted into one buffer reused for every row.
pub fn write_display(out: &mut String, value: impl std::fmt::Display) {
    use std::fmt::Write as _;
    out.clear();
    write!(out, "{value}").expect("formatting into a String does not fail");
}

/// Writes `rejected.csv` into `out` when `--skip-bad-records` set rows aside: each with where and why.
pub fn write_rejected(out: &mut ReportDir, rejected: &[crate::corpus::Rejected]) -> Result<()> {
    if rejected.is_empty() {
        return Ok(());
    }
    write_csv(&out.file("rejected.csv"), &["file", "line", "error", "raw"], |w| {
        for r in rejected {
            w.write_record([r.file.display().to_string(), r.line.to_string(), r.error.clone(), r.raw.clone()])?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_written_in_parallel_are_the_bytes_of_one_writer() {
        // Fields that need quoting, across blocks, waves and a last, partial block.
        let field = |i: usize| match i % 4 {
            0 => format!("동맹 {i}"),
            1 => format!("a,\"quoted\" {i}"),
            2 => format!("two\nlines {i}"),
            _ => String::new(),
        };
        // More rows than a wave of blocks holds.
        let rows = 33 * 2048 + 77;
        let mut one = csv::Writer::from_writer(Vec::new());
        one.write_record(["n", "text"]).unwrap();
        (0..rows).for_each(|i| one.write_record([i.to_string(), field(i)]).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        write_csv_blocks(&path, &["n", "text"], rows, |range, w| {
            for i in range {
                w.write_record([i.to_string(), field(i)])?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(fs::read(&path).unwrap(), one.into_inner().unwrap());
        // A block that fails leaves no file, and the error names it.
        let failed = dir.path().join("failed.csv");
        let err = write_csv_blocks(&failed, &["n"], rows, |range, _| {
            anyhow::ensure!(!range.contains(&3000), "row 3000 is bad");
            Ok(())
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("failed.csv") && format!("{err:#}").contains("row 3000"), "{err:#}");
        assert!(!failed.exists());
    }

    #[test]
    fn atomic_write_keeps_old_file_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        write_atomic(&path, |w| Ok(w.write_all(b"good")?)).unwrap();
        let err = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            anyhow::bail!("stage failed")
        });
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "good");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the temporary file is removed");
    }
}
