//! Records in: CSV, JSONL, plain `.txt`, the scraped catalogue pages, and folders of them.
//!
//! Every reader turns its rows into [`Record`]s. A problem with one row is a [`RecordError`] naming the
//! file and line; it stops the read unless `skip_bad_records` is set, in which case the row goes to
//! [`Corpus::rejected`] and the count to the manifest. A problem with a whole file (unreadable, a column
//! asked for that is not there) always stops the read.

mod date;
mod lang;
mod page;
mod record;
mod table;

use std::collections::HashSet;
use std::fs;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

pub use date::{days_in_month, PartialDate};
pub use lang::{detect as detect_lang, is_hangul};
pub use record::{Lang, Origin, Record};

/// The ids kept so far: each an index into [`Corpus::records`], hashed and compared by that record's id, so no id
/// is copied (a copy of each id and of its record's origin was a third of the duplicate check on the YNAT headlines).
/// Hashed with foldhash, not SipHash (SipHash was a fifteenth of reading them). Only looked up, never iterated.
#[derive(Default)]
struct SeenIds {
    table: hashbrown::HashTable<usize>,
    hasher: foldhash::fast::FixedState,
}

impl SeenIds {
    /// The index of the record already kept with this id, if any.
    fn find(&self, records: &[Record], id: &str) -> Option<usize> {
        self.table.find(self.hasher.hash_one(id), |&k| records[k].id == id).copied()
    }

    /// Remembers the id of `records[k]`, known not to be there yet.
    fn insert(&mut self, records: &[Record], k: usize) {
        let hasher = &self.hasher;
        self.table.insert_unique(hasher.hash_one(&records[k].id), k, |&j| hasher.hash_one(&records[j].id));
    }
}

/// How to read the inputs: which columns hold what, and what to do with bad rows.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Columns whose values are joined (with a blank line) into the text. Detected by name when empty.
    pub text_cols: Vec<String>,
    pub id_col: Option<String>,
    pub title_col: Option<String>,
    pub date_col: Option<String>,
    pub label_col: Option<String>,
    /// Force the language of every record instead of detecting it.
    pub lang: Option<Lang>,
    /// Turn record errors into warnings and rejected rows instead of stopping.
    pub skip_bad_records: bool,
}

/// A record that could not be read, kept for `rejected.csv`.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub file: PathBuf,
    pub line: u64,
    pub error: String,
    pub raw: String,
}

/// A problem with one row: the place and what is wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct RecordError {
    pub origin: Origin,
    pub message: String,
    /// The row as it was read, for `rejected.csv`.
    pub raw: String,
}

/// What was read from one input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputSummary {
    pub path: String,
    pub format: &'static str,
    pub records: usize,
    pub rejected: usize,
    pub bytes: u64,
    pub sha256: String,
}

/// The records of a run and the account of how they were read.
#[derive(Debug, Default)]
pub struct Corpus {
    pub records: Vec<Record>,
    pub inputs: Vec<InputSummary>,
    pub rejected: Vec<Rejected>,
    /// Files in input folders that are not records (`.toml`, `.md`…), listed so nothing goes unmentioned.
    pub skipped_files: Vec<String>,
    pub warnings: Vec<String>,
}

/// The formats a file can be read as, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Tsv,
    Jsonl,
    Text,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "jsonl" | "ndjson" => Format::Jsonl,
            "txt" => Format::Text,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Jsonl => "jsonl",
            Format::Text => "text",
        }
    }
}

/// A warning that `records` (ids or places), if there are any, `have` something: how many, and the first five.
fn warn_about(warnings: &mut Vec<String>, records: &[impl AsRef<str>], have: &str) {
    if records.is_empty() {
        return;
    }
    let shown: Vec<&str> = records.iter().take(5).map(AsRef::as_ref).collect();
    warnings.push(format!("{} record(s) {have} (e.g. {})", records.len(), shown.join(", ")));
}

impl Corpus {
    /// Reads every input: files by their extension, folders recursively in sorted path order.
    pub fn read(paths: &[PathBuf], opts: &ReadOptions) -> Result<Corpus> {
        let mut corpus = Corpus::default();
        let mut files = Vec::new();
        for path in paths {
            let meta = fs::metadata(path).with_context(|| format!("cannot read input {}", path.display()))?;
            if meta.is_dir() {
                collect_folder(path, &mut files, &mut corpus.skipped_files)?;
            } else if let Some(format) = Format::of(path) {
                files.push((path.clone(), format));
            } else {
                bail!("{}: not a supported input (use .csv, .tsv, .jsonl, .ndjson, .txt or a folder)", path.display());
            }
        }
        if files.is_empty() {
            bail!("no record files (.csv, .tsv, .jsonl, .txt) found in {}", display_paths(paths));
        }
        let mut seen = SeenIds::default();
        let mut odd_dates = Vec::new();
        for (path, format) in files {
            corpus.read_file(&path, format, opts, &mut seen, &mut odd_dates)?;
        }
        // A row set aside after its date was read (a duplicate id, a bad field after the date) is named in
        // rejected.csv, not here: the warning is about the records the run uses.
        let rejected: HashSet<(&Path, u64)> = corpus.rejected.iter().map(|r| (r.file.as_path(), r.line)).collect();
        let odd_dates: Vec<String> = odd_dates
            .iter()
            .filter(|(origin, _)| !rejected.contains(&(&*origin.file, origin.line)))
            .map(|(origin, date)| format!("{origin} {date:?}"))
            .collect();
        let warnings = &mut corpus.warnings;
        warn_about(warnings, &odd_dates, "have a date whose month or day no calendar has; only its year is used");
        let empty: Vec<&str> = corpus.records.iter().filter(|r| r.is_empty_text()).map(|r| r.id.as_str()).collect();
        warn_about(warnings, &empty, "have empty text and are kept without features");
        Ok(corpus)
    }

    fn read_file(
        &mut self,
        path: &Path,
        format: Format,
        opts: &ReadOptions,
        seen: &mut SeenIds,
        odd_dates: &mut Vec<(Origin, String)>,
    ) -> Result<()> {
        let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let first = self.records.len();
        // Records go straight into `records` (collected apart and moved over, each was moved twice more, through two
        // growing vectors); a bad row waits in `failed` with the number of records read before it, so that every
        // problem is still reported in file order.
        let mut failed: Vec<(usize, RecordError)> = Vec::new();
        let records = &mut self.records;
        // The file's digest (for the manifest) on one core while the records are parsed on another.
        let (sha256, parsed) = rayon::join(
            || format!("{:x}", Sha256::digest(&bytes)),
            || -> Result<()> {
                let mut sink = |row: Result<Record, RecordError>| match row {
                    Ok(record) => records.push(record),
                    Err(e) => failed.push((records.len() - first, e)),
                };
                match format {
                    Format::Csv => table::read_delimited(path, &bytes, b',', opts, &mut sink, odd_dates),
                    Format::Tsv => table::read_delimited(path, &bytes, b'\t', opts, &mut sink, odd_dates),
                    Format::Jsonl => table::read_jsonl(path, &bytes, opts, &mut sink, odd_dates),
                    Format::Text => {
                        sink(page::read_text_file(path, &bytes));
                        Ok(())
                    }
                }
            },
        );
        parsed?;
        drop(bytes);
        self.records[first..].par_iter_mut().for_each(|record| {
            record.lang = opts.lang.or(record.lang).or_else(|| Some(lang::detect(&record.text)));
        });
        // Duplicate ids, in file order among the failed rows; each record kept moves down over those rejected.
        let mut failed = failed.into_iter().peekable();
        // Every record rejected here is a row of `rejected` (without --skip-bad-records the first one stops the run).
        let rejected_before = self.rejected.len();
        let mut kept = first;
        for k in first..self.records.len() {
            while let Some((_, e)) = failed.next_if(|&(before, _)| before <= k - first) {
                self.reject(e, opts.skip_bad_records)?;
            }
            let record = &self.records[k];
            match seen.find(&self.records, &record.id) {
                Some(earlier) => {
                    let e = RecordError {
                        origin: record.origin.clone(),
                        message: format!(
                            "duplicate id {:?}: already used by the record at {}",
                            record.id, self.records[earlier].origin
                        ),
                        raw: record.id.clone(),
                    };
                    self.reject(e, opts.skip_bad_records)?;
                }
                None => {
                    self.records.swap(kept, k);
                    seen.insert(&self.records, kept);
                    kept += 1;
                }
            }
        }
        for (_, e) in failed {
            self.reject(e, opts.skip_bad_records)?;
        }
        self.records.truncate(kept);
        self.inputs.push(InputSummary {
            path: path.display().to_string(),
            format: format.name(),
            records: kept - first,
            rejected: self.rejected.len() - rejected_before,
            bytes: fs::metadata(path).map(|m| m.len()).unwrap_or(0),
            sha256,
        });
        Ok(())
    }

    /// A bad record stops the run, or with `skip` (`--skip-bad-records`) becomes a warning and a row of
    /// `rejected.csv`.
    pub fn reject(&mut self, e: RecordError, skip: bool) -> Result<()> {
        if !skip {
            bail!("{e} (use --skip-bad-records to skip such records)");
        }
        self.warnings.push(format!("skipped bad record: {e}"));
        self.rejected.push(Rejected {
            file: e.origin.file.to_path_buf(),
            line: e.origin.line,
            error: e.message,
            raw: e.raw,
        });
        Ok(())
    }
}

/// Every record file under `dir`, recursively, in sorted path order; other files are listed in `skipped`.
fn collect_folder(dir: &Path, files: &mut Vec<(PathBuf, Format)>, skipped: &mut Vec<String>) -> Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot read folder {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot list folder {}", dir.display()))?;
    entries.sort();
    for path in entries {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect_folder(&path, files, skipped)?;
        } else if let Some(format) = Format::of(&path) {
            files.push((path, format));
        } else {
            skipped.push(path.display().to_string());
        }
    }
    Ok(())
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
