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
/// `range`, each ended by `write_record`. Blocks of rows are formatted in parallel by [`write_blocks`], each by a
/// writer of its own, so the bytes are those one writer would give. Formatting fields is most of the time of writing
/// a big table (documents.csv on the YNAT headlines: 77 M instructions on one thread).
pub fn write_csv_blocks(
    path: &Path,
    header: &[&str],
    rows: usize,
    fill: impl Fn(std::ops::Range<usize>, &mut csv::Writer<Vec<u8>>) -> Result<()> + Sync,
) -> Result<()> {
    // Enough rows that a block's writer costs nothing beside them, few enough for a block per thread.
    const ROWS_PER_BLOCK: usize = 2048;
    let blocks: Vec<_> =
        (0..rows).step_by(ROWS_PER_BLOCK).map(|first| first..rows.min(first + ROWS_PER_BLOCK)).collect();
    let csv_text = |text: &mut Vec<u8>, fill: &dyn Fn(&mut csv::Writer<Vec<u8>>) -> Result<()>| -> Result<()> {
        let mut w = csv::Writer::from_writer(std::mem::take(text));
        fill(&mut w)?;
        *text = w.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))?;
        Ok(())
    };
    write_atomic(path, |out| {
        let mut head = Vec::new();
        csv_text(&mut head, &|w| Ok(w.write_record(header)?))?;
        out.write_all(&head)?;
        write_blocks(out, &blocks, |rows, text| csv_text(text, &|w| fill(rows.clone(), w)))
    })
}

/// Writes the text of each of `blocks` to `out`, in order, `format(block, buffer)` writing it into an empty buffer.
/// The blocks are formatted in parallel a wave at a time, each wave while the one before it is written, and the
/// waves' buffers are reused, so only two waves' text is ever held or faulted in (holding all of `tfidf.mtx`'s took
/// 25 MB more at the peak on the KCNA stories).
pub fn write_blocks<B: Sync>(
    out: &mut dyn Write,
    blocks: &[B],
    format: impl Fn(&B, &mut Vec<u8>) -> Result<()> + Sync,
) -> Result<()> {
    use rayon::prelude::*;
    let format = &format;
    let (mut written, mut spare): (Vec<Vec<u8>>, Vec<Vec<u8>>) = (Vec::new(), Vec::new());
    std::thread::scope(|scope| -> Result<()> {
        for wave in blocks.chunks(2 * rayon::current_num_threads()) {
            let mut texts: Vec<Vec<u8>> = wave.iter().map(|_| spare.pop().unwrap_or_default()).collect();
            let formatting = scope.spawn(move || -> Result<Vec<Vec<u8>>> {
                texts.par_iter_mut().zip(wave).try_for_each(|(text, block)| {
                    text.clear();
                    format(block, text)
                })?;
                Ok(texts)
            });
            written.iter().try_for_each(|text| out.write_all(text))?;
            spare.append(&mut written);
            written = formatting.join().expect("formatting a block does not panic")?;
        }
        Ok(())
    })?;
    written.iter().try_for_each(|text| out.write_all(text))?;
    Ok(())
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
