//! CSV, TSV and JSONL rows into records, through one mapping of column names to record fields.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Result};

use super::date::PartialDate;
use super::record::{Origin, Record};
use super::{ReadOptions, RecordError};

/// Column names tried, in order, when the user did not name the text column.
const TEXT_COLUMNS: [&str; 7] = ["text", "abstract", "body", "content", "full_text", "headline", "title"];

/// Which column feeds which field of a record. Built once per file from its header (CSV) or per row (JSONL).
#[derive(Debug)]
struct ColumnMap {
    text: Vec<usize>,
    id: Option<usize>,
    title: Option<usize>,
    date: Option<usize>,
    label: Option<usize>,
    /// Every other column, by index, with the field it feeds: a named one (authors, keywords…) or `extra`.
    others: Vec<(usize, Field)>,
}

/// Resolves `wanted` (asked for by the user) or else the first of `candidates` present in `names`.
/// A column asked for that is not there is an error naming the file and the columns it has.
fn pick(names: &[String], wanted: Option<&str>, candidates: &[&str], what: &str, file: &Path) -> Result<Option<usize>> {
    if let Some(w) = wanted {
        return match names.iter().position(|n| n == w) {
            Some(i) => Ok(Some(i)),
            None => {
                bail!("{}: the {what} column {w:?} is not there; the columns are: {}", file.display(), names.join(", "))
            }
        };
    }
    Ok(candidates.iter().find_map(|c| names.iter().position(|n| n.eq_ignore_ascii_case(c))))
}

impl ColumnMap {
    fn new(names: &[String], opts: &ReadOptions, file: &Path) -> Result<ColumnMap> {
        let text = if opts.text_cols.is_empty() {
            match pick(names, None, &TEXT_COLUMNS, "text", file)? {
                Some(i) => vec![i],
                None => bail!(
                    "{}: no text column found (tried {}); name it with --text-col; the columns are: {}",
                    file.display(),
                    TEXT_COLUMNS.join(", "),
                    names.join(", ")
                ),
            }
        } else {
            let mut cols = Vec::new();
            for c in &opts.text_cols {
                cols.push(pick(names, Some(c), &[], "text", file)?.expect("a named column is found or an error"));
            }
            cols
        };
        let id = pick(names, opts.id_col.as_deref(), &["id", "doc_id", "record_id"], "id", file)?;
        let title = pick(names, opts.title_col.as_deref(), &["title", "headline"], "title", file)?;
        let date = pick(names, opts.date_col.as_deref(), &["date", "year", "published", "report_date"], "date", file)?;
        let label = pick(names, opts.label_col.as_deref(), &["label"], "label", file)?;
        let taken = [id, title, date, label];
        let others = (0..names.len())
            .filter(|i| !text.contains(i) && !taken.contains(&Some(*i)))
            .map(|i| (i, Field::of(&names[i])))
            .collect();
        Ok(ColumnMap { text, id, title, date, label, others })
    }

    /// Builds the record of one row; `get(i)` is the value of column `i` (None when a JSONL row lacks it). A date
    /// with a month or day that no calendar has is kept as its year, and noted in `odd_dates` with its place.
    fn record<'a>(
        &self,
        names: &[String],
        get: impl Fn(usize) -> Option<&'a str>,
        origin: Origin,
        fallback_id: impl FnOnce() -> String,
        odd_dates: &mut Vec<(Origin, String)>,
    ) -> Result<Record, RecordError> {
        let fail = |message: String| RecordError { origin: origin.clone(), message, raw: String::new() };
        let mut parts = Vec::with_capacity(self.text.len());
        for &i in &self.text {
            match get(i) {
                Some(v) => parts.push(v),
                None => return Err(fail(format!("the text field {:?} is missing", names[i]))),
            }
        }
        let text = if parts.len() == 1 { parts[0].to_string() } else { join_nonempty(&parts, "\n\n") };
        let id = match self.id.and_then(&get).map(str::trim) {
            Some("") => return Err(fail(format!("the id field {:?} is empty", names[self.id.unwrap_or(0)]))),
            Some(v) => v.to_string(),
            None => fallback_id(),
        };
        let date = match self.date.and_then(&get).map(str::trim) {
            None | Some("") => None,
            Some(v) => match PartialDate::parse_noting(v) {
                Some((d, odd)) => {
                    if odd {
                        odd_dates.push((origin.clone(), v.to_string()));
                    }
                    Some(d)
                }
                None => {
                    return Err(fail(format!(
                        "the date {:?} in column {:?} holds no year",
                        v,
                        names[self.date.unwrap_or(0)]
                    )))
                }
            },
        };
        let mut record = Record {
            id,
            title: self.title.and_then(&get).unwrap_or("").trim().to_string(),
            date,
            label: self.label.and_then(&get).map(|v| v.trim().to_string()).filter(|v| !v.is_empty()),
            text,
            origin,
            ..Record::default()
        };
        for &(i, field) in &self.others {
            let Some(value) = get(i) else { continue };
            field.set(&mut record, &names[i], value);
        }
        Ok(record)
    }
}

/// The field of a record that a column feeds, told from its name once per file, not once per row.
#[derive(Debug, Clone, Copy)]
enum Field {
    Authors,
    Affiliation,
    Publisher,
    Venue,
    Volume,
    Pages,
    Keywords,
    Subjects,
    /// Any other column: `extra`, under the column's name.
    Extra,
}

impl Field {
    /// Known bibliographic columns go to their field, whatever their case; the rest to `extra`.
    fn of(name: &str) -> Field {
        match name.to_ascii_lowercase().as_str() {
            "author" | "authors" => Field::Authors,
            "affiliation" => Field::Affiliation,
            "publisher" => Field::Publisher,
            "venue" | "journal" => Field::Venue,
            "volume" => Field::Volume,
            "pages" => Field::Pages,
            "keywords" => Field::Keywords,
            "subjects" => Field::Subjects,
            _ => Field::Extra,
        }
    }

    /// Sets this field of `record` to the trimmed `value` of column `name`.
    fn set(self, record: &mut Record, name: &str, value: &str) {
        let v = value.trim();
        match self {
            Field::Authors => record.authors = split_list(v),
            Field::Affiliation => record.affiliation = v.to_string(),
            Field::Publisher => record.publisher = v.to_string(),
            Field::Venue => record.venue = v.to_string(),
            Field::Volume => record.volume = v.to_string(),
            Field::Pages => record.pages = v.to_string(),
            Field::Keywords => record.keywords = split_list(v),
            Field::Subjects => record.subjects = split_list(v),
            Field::Extra => {
                record.extra.insert(name.to_string(), v.to_string());
            }
        }
    }
}

/// `a; b; c` or `#a #b` into items.
pub(super) fn split_list(value: &str) -> Vec<String> {
    let sep: &[char] = if value.contains(';') {
        &[';']
    } else if value.contains('#') {
        &['#']
    } else {
        &[',']
    };
    value.split(sep).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn join_nonempty(parts: &[&str], sep: &str) -> String {
    parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(sep)
}

fn file_stem(path: &Path) -> String {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("record").to_string()
}

/// Reads a delimited file (CSV, TSV) with a header row. Rows are handed to `sink` one by one so that a bad
/// row is reported with its line and the rest are still read.
pub(super) fn read_delimited(
    path: &Path,
    bytes: &[u8],
    delimiter: u8,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Record, RecordError>),
    odd_dates: &mut Vec<(Origin, String)>,
) -> Result<()> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(bytes);
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => bail!("{}: cannot read the header row: {e}", path.display()),
    };
    if header.is_empty() {
        bail!("{}: the file is empty: no header row, no records", path.display());
    }
    let mut names = Vec::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        match std::str::from_utf8(name) {
            Ok(n) => names.push(n.trim().to_string()),
            Err(e) => bail!("{}:1: column {} of the header is not valid UTF-8 ({e})", path.display(), i + 1),
        }
    }
    // A name given twice would leave one of its columns unread (the text) or overwritten (an extra field).
    for (i, name) in names.iter().enumerate() {
        if let Some(j) = names[..i].iter().position(|n| n == name) {
            bail!("{}:1: the column name {name:?} is given twice (columns {} and {})", path.display(), j + 1, i + 1);
        }
    }
    let map = ColumnMap::new(&names, opts, path)?;
    let stem = file_stem(path);
    let file: Arc<Path> = Arc::from(path);
    let mut row = csv::ByteRecord::new();
    let mut row_number = 0u64;
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                row_number += 1;
                let line = row.position().map_or(line, |p| p.line());
                let origin = Origin { file: file.clone(), line };
                let raw = || row.iter().map(String::from_utf8_lossy).collect::<Vec<_>>().join(",");
                let mut fields = Vec::with_capacity(row.len());
                let mut bad = None;
                for (i, f) in row.iter().enumerate() {
                    match std::str::from_utf8(f) {
                        Ok(s) => fields.push(s),
                        Err(e) => {
                            bad = Some(format!("column {:?} is not valid UTF-8 ({e})", names[i]));
                            break;
                        }
                    }
                }
                // Only the row that the file ends in can hold an unclosed quote: it runs to the end.
                let tail = &bytes[row.position().map_or(0, |p| p.byte() as usize)..];
                let unclosed = (reader.position().byte() as usize == bytes.len()
                    && ends_in_open_quote(tail, delimiter))
                .then(|| unclosed_quote_message(tail));
                let result = match bad.or(unclosed) {
                    Some(message) => Err(RecordError { origin, message, raw: raw() }),
                    None => map
                        .record(
                            &names,
                            |i| fields.get(i).copied(),
                            origin,
                            || format!("{stem}:{row_number}"),
                            odd_dates,
                        )
                        .map_err(|e| RecordError { raw: raw(), ..e }),
                };
                sink(result);
            }
            Err(e) => {
                row_number += 1;
                let line = e.position().map_or(line, |p| p.line());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("the row has {len} fields, the header has {expected_len}")
                    }
                    _ => e.to_string(),
                };
                let origin = Origin { file: file.clone(), line };
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    bail!("{origin}: {message}");
                }
                sink(Err(RecordError { origin, message, raw: String::new() }));
            }
        }
    }
    Ok(())
}

/// Whether `row`, a file's last row, ends inside a quoted field. The csv crate ends such a field, and its row, at
/// the end of the file, so one unclosed quote would quietly make every row after it part of one field. Told by
/// the crate's own parser: given the row and a line end, but never the end of the input, a closed row ends there
/// and a row inside a quote does not.
fn ends_in_open_quote(row: &[u8], delimiter: u8) -> bool {
    let mut parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let input = [row, b"\n"].concat();
    let (mut rest, mut field) = (&input[..], [0u8; 4096]);
    // An empty input means the end of the input to the parser: it is never given one.
    while !rest.is_empty() {
        let (result, read, _) = parser.read_field(rest, &mut field);
        rest = &rest[read..];
        match result {
            csv_core::ReadFieldResult::Field { record_end: true } | csv_core::ReadFieldResult::End => return false,
            csv_core::ReadFieldResult::InputEmpty => return true,
            csv_core::ReadFieldResult::Field { record_end: false } | csv_core::ReadFieldResult::OutputFull => {}
        }
    }
    true
}

/// What to say of a last row `row` whose quote is never closed: how many lines it would swallow.
fn unclosed_quote_message(row: &[u8]) -> String {
    let swallowed = match row.trim_ascii_end().iter().filter(|&&b| b == b'\n').count() {
        0 => String::new(),
        n => format!(", with the {n} line(s) after this row"),
    };
    format!(
        "a quoted field opens on this row and the file ends inside it{swallowed}; close the quote (a quote inside a \
         quoted field is written twice: \"\")"
    )
}

/// Reads JSON Lines: one object per line; blank lines are allowed. Values may be strings, numbers,
/// booleans, null, or arrays (joined with `; `, e.g. keywords).
pub(super) fn read_jsonl(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Record, RecordError>),
    odd_dates: &mut Vec<(Origin, String)>,
) -> Result<()> {
    let stem = file_stem(path);
    let file: Arc<Path> = Arc::from(path);
    let mut row_number = 0u64;
    for (index, raw_line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_number = index as u64 + 1;
        let origin = Origin { file: file.clone(), line: line_number };
        let raw_line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        let raw_line = if index == 0 { raw_line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw_line) } else { raw_line };
        if raw_line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        row_number += 1;
        let raw = String::from_utf8_lossy(raw_line).into_owned();
        let fail = |message: String| RecordError { origin: origin.clone(), message, raw: raw.clone() };
        let line = match std::str::from_utf8(raw_line) {
            Ok(l) => l,
            Err(e) => {
                sink(Err(fail(format!("the line is not valid UTF-8 ({e})"))));
                continue;
            }
        };
        let object = match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => {
                sink(Err(fail("the line is JSON but not an object".to_string())));
                continue;
            }
            Err(e) => {
                sink(Err(fail(format!("the line is not valid JSON: {e}"))));
                continue;
            }
        };
        let names: Vec<String> = object.keys().cloned().collect();
        let values: Vec<String> = object.values().map(json_text).collect();
        // A text column asked for but missing from this line is this record's error, not the file's.
        let mut wanted_text = opts.text_cols.clone();
        wanted_text.retain(|c| !names.contains(c));
        if let Some(missing) = wanted_text.first() {
            sink(Err(fail(format!("the text field {missing:?} is missing"))));
            continue;
        }
        let result = ColumnMap::new(&names, opts, path)
            .map_err(|e| fail(e.to_string().replace(&format!("{}: ", path.display()), "")))
            .and_then(|map| {
                // An object is no text: its keys would be read as words.
                if let Some(&i) = map.text.iter().find(|&&i| object.values().nth(i).is_some_and(|v| v.is_object())) {
                    return Err(fail(format!("the text field {:?} holds a JSON object, not text", names[i])));
                }
                map.record(
                    &names,
                    |i| values.get(i).map(String::as_str),
                    origin.clone(),
                    || format!("{stem}:{row_number}"),
                    odd_dates,
                )
            })
            .map_err(|e| RecordError { raw: raw.clone(), ..e });
        sink(result);
    }
    Ok(())
}

fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(json_text).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}
