//! Era tables: named, dated, non-overlapping periods (US administrations, ROK presidencies, decades or the
//! user's own), read from TOML or CSV, and the rule that puts a record's date into one of them.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::corpus::PartialDate;

/// The label of records whose date falls in no era of the table (a gap, or before the first era).
pub const NO_ERA: &str = "none";
/// The label of records without a date.
pub const UNDATED: &str = "undated";

/// How a record dated only by year or by month is placed; quoted in the run manifest.
pub const PARTIAL_DATE_RULE: &str = "a record dated only by year is placed on 1 July of that year, and one dated \
only by month on the 15th of that month (the middle of its span); it belongs to the era holding that day";

/// A calendar day. Ordered by year, then month, then day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Day {
    pub fn new(year: i32, month: u8, day: u8) -> Day {
        Day { year, month, day }
    }

    /// Parses a full calendar date (`1993-01-20`, `1993.01.20`, `1993년 1월 20일`, `20 January 1993`);
    /// `None` for anything that is not one existing day.
    pub fn parse(text: &str) -> Option<Day> {
        match PartialDate::parse(text)? {
            PartialDate { year, month: Some(month), day: Some(day) } => Some(Day { year, month, day }),
            _ => None,
        }
    }

    /// The day that stands for a possibly partial date: the date itself when it is full, else the middle
    /// of its span (see [`PARTIAL_DATE_RULE`]).
    pub fn middle_of(date: &PartialDate) -> Day {
        match (date.month, date.day) {
            (Some(month), Some(day)) => Day::new(date.year, month, day),
            (Some(month), None) => Day::new(date.year, month, 15),
            _ => Day::new(date.year, 7, 1),
        }
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One period: from `start` to `end`, both inclusive; `end` is `None` for an open-ended last era.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Era {
    pub name: String,
    pub name_ko: Option<String>,
    pub start: Day,
    pub end: Option<Day>,
}

impl Era {
    fn holds(&self, day: Day) -> bool {
        self.start <= day && self.end.is_none_or(|end| day <= end)
    }
}

/// An ordered list of eras that do not overlap; gaps between them are allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EraTable {
    pub name: String,
    pub description: String,
    pub eras: Vec<Era>,
}

/// Where a record's date puts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EraLabel {
    /// The era at this index of the table.
    Era(usize),
    /// Dated, but in no era (a gap, or outside the table).
    NoEra,
    /// No date.
    Undated,
}

/// How many records went where, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentNote {
    pub table: String,
    pub in_eras: usize,
    /// Records dated only by year or month, placed by [`PARTIAL_DATE_RULE`].
    pub partial_dates: usize,
    pub no_era: usize,
    pub undated: usize,
}

impl AssignmentNote {
    /// One sentence for the manifest.
    pub fn message(&self) -> String {
        format!(
            "era table {}: {} records in an era, {} in no era (label `{NO_ERA}`), {} undated (label `{UNDATED}`); \
             {} records had only a year or month: {PARTIAL_DATE_RULE}",
            self.table, self.in_eras, self.no_era, self.undated, self.partial_dates
        )
    }
}

/// The era tables built into the binary, by name; the first is the default.
const BUILTIN: &[(&str, &str)] = &[
    ("us-presidents", include_str!("../../data/builtin/eras/us-presidents.toml")),
    ("rok-presidents", include_str!("../../data/builtin/eras/rok-presidents.toml")),
    ("dprk-leaders", include_str!("../../data/builtin/eras/dprk-leaders.toml")),
    ("decades", include_str!("../../data/builtin/eras/decades.toml")),
];

/// One era as written in a TOML table; dates may be strings or TOML dates.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EraEntry {
    name: String,
    name_ko: Option<String>,
    start: DateField,
    end: Option<DateField>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum DateField {
    Text(String),
    Date(toml::value::Datetime),
}

impl DateField {
    fn text(&self) -> String {
        match self {
            DateField::Text(s) => s.clone(),
            DateField::Date(d) => d.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default, rename = "era")]
    eras: Vec<EraEntry>,
}

impl EraTable {
    /// The names of the built-in tables.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(name, _)| *name).collect()
    }

    /// A built-in table by name.
    pub fn builtin(name: &str) -> Option<EraTable> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        // The built-in tables are checked by the tests, so a parse error here is a build defect.
        EraTable::from_toml(text, &format!("built-in era table {name}")).ok()
    }

    /// A built-in table name, or the path of a TOML or CSV file.
    pub fn resolve(name_or_path: &str) -> Result<EraTable> {
        if let Some(table) = EraTable::builtin(name_or_path) {
            return Ok(table);
        }
        let path = Path::new(name_or_path);
        if path.is_file() {
            return EraTable::load(path);
        }
        bail!("`{name_or_path}` is neither a built-in era table ({}) nor a file", EraTable::builtin_names().join(", "))
    }

    /// Reads a user's era table: CSV (`name,start,end`, optionally `name_ko`) when the file ends in `.csv`,
    /// TOML otherwise.
    pub fn load(path: &Path) -> Result<EraTable> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read era table {}", path.display()))?;
        let origin = format!("era table {}", path.display());
        let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let mut table = if is_csv { EraTable::from_csv(&text, &origin)? } else { EraTable::from_toml(&text, &origin)? };
        if table.name.is_empty() {
            table.name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        }
        Ok(table)
    }

    /// Parses a TOML era table; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<EraTable> {
        let file: TableFile = toml::from_str(text).with_context(|| format!("{origin} is not a valid era table"))?;
        let mut eras = Vec::with_capacity(file.eras.len());
        for (i, entry) in file.eras.iter().enumerate() {
            let place = format!("{origin}, era {} (`{}`)", i + 1, entry.name);
            let end = entry.end.as_ref().map(DateField::text);
            eras.push(era_from_parts(
                &entry.name,
                entry.name_ko.as_deref(),
                &entry.start.text(),
                end.as_deref(),
                &place,
            )?);
        }
        EraTable::checked(file.name.unwrap_or_default(), file.description, eras, origin)
    }

    /// Parses a CSV era table with header `name,start,end` (`end` empty for an open-ended last era) and an
    /// optional `name_ko` column; `origin` names it in errors.
    pub fn from_csv(text: &str, origin: &str) -> Result<EraTable> {
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
        let header = reader.headers().with_context(|| format!("{origin}: cannot read the header"))?.clone();
        let column = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let (Some(name_col), Some(start_col)) = (column("name"), column("start")) else {
            bail!(
                "{origin}: the header must have the columns name,start,end (found: {})",
                header.iter().collect::<Vec<_>>().join(",")
            );
        };
        let end_col = column("end");
        let name_ko_col = column("name_ko");
        let mut eras = Vec::new();
        for row in reader.records() {
            let row = row.with_context(|| format!("{origin}: cannot read a row"))?;
            let line = row.position().map_or(0, |p| p.line());
            let field = |col: Option<usize>| col.and_then(|c| row.get(c)).filter(|s| !s.is_empty());
            let name = field(Some(name_col)).unwrap_or_default();
            let place = format!("{origin}, line {line} (`{name}`)");
            let start = field(Some(start_col)).unwrap_or_default();
            eras.push(era_from_parts(name, field(name_ko_col), start, field(end_col), &place)?);
        }
        EraTable::checked(String::new(), String::new(), eras, origin)
    }

    /// Checks that the eras are named, uniquely, and follow each other in date order without overlapping.
    fn checked(name: String, description: String, eras: Vec<Era>, origin: &str) -> Result<EraTable> {
        if eras.is_empty() {
            bail!("{origin} has no eras");
        }
        let mut seen = HashSet::new();
        for era in &eras {
            if !seen.insert(era.name.as_str()) {
                bail!("{origin}: the era name `{}` is used twice", era.name);
            }
        }
        for pair in eras.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            if after.start < before.start {
                bail!(
                    "{origin}: eras are not in date order: `{}` (from {}) comes after `{}` (from {})",
                    after.name,
                    after.start,
                    before.name,
                    before.start
                );
            }
            match before.end {
                None => bail!(
                    "{origin}: eras overlap: `{}` has no end date but is followed by `{}` (from {})",
                    before.name,
                    after.name,
                    after.start
                ),
                Some(end) if after.start <= end => bail!(
                    "{origin}: eras overlap: `{}` starts on {}, on or before the last day of `{}` ({end})",
                    after.name,
                    after.start,
                    before.name
                ),
                Some(_) => {}
            }
        }
        Ok(EraTable { name, description, eras })
    }

    /// The era of a record with this date. A full date belongs to the era holding it (an inauguration day
    /// belongs to the new era, whose first day it is); a year or month to the era holding the middle of its
    /// span ([`PARTIAL_DATE_RULE`]).
    pub fn assign(&self, date: Option<&PartialDate>) -> EraLabel {
        let Some(date) = date else { return EraLabel::Undated };
        let day = Day::middle_of(date);
        // The last era starting on or before `day` is the only one that can hold it.
        let candidates = self.eras.partition_point(|era| era.start <= day);
        match candidates.checked_sub(1) {
            Some(i) if self.eras[i].holds(day) => EraLabel::Era(i),
            _ => EraLabel::NoEra,
        }
    }

    /// The label written in reports for `label`.
    pub fn label_name(&self, label: EraLabel) -> &str {
        match label {
            EraLabel::Era(i) => self.eras.get(i).map_or(NO_ERA, |era| era.name.as_str()),
            EraLabel::NoEra => NO_ERA,
            EraLabel::Undated => UNDATED,
        }
    }

    /// The era label of every record, as written in reports, and the counts for the manifest.
    pub fn assign_all(&self, dates: &[Option<PartialDate>]) -> (Vec<String>, AssignmentNote) {
        let mut note = AssignmentNote { table: self.name.clone(), in_eras: 0, partial_dates: 0, no_era: 0, undated: 0 };
        let labels = dates
            .iter()
            .map(|date| {
                let label = self.assign(date.as_ref());
                match label {
                    EraLabel::Era(_) => note.in_eras += 1,
                    EraLabel::NoEra => note.no_era += 1,
                    EraLabel::Undated => note.undated += 1,
                }
                if date.is_some_and(|d| d.day.is_none()) {
                    note.partial_dates += 1;
                }
                self.label_name(label).to_string()
            })
            .collect();
        (labels, note)
    }

    /// Every label in report order: the eras in table order, then [`NO_ERA`], then [`UNDATED`].
    pub fn label_order(&self) -> Vec<&str> {
        self.eras.iter().map(|era| era.name.as_str()).chain([NO_ERA, UNDATED]).collect()
    }

    /// The era named `label`, if it is one of the table's.
    pub fn era(&self, label: &str) -> Option<&Era> {
        self.eras.iter().find(|era| era.name == label)
    }
}

fn era_from_parts(name: &str, name_ko: Option<&str>, start: &str, end: Option<&str>, place: &str) -> Result<Era> {
    let name = name.trim();
    if name.is_empty() {
        bail!("{place}: the era has no name");
    }
    if name == NO_ERA || name == UNDATED {
        bail!("{place}: `{name}` is reserved for records outside every era or without a date");
    }
    let parse = |text: &str, what: &str| {
        Day::parse(text)
            .with_context(|| format!("{place}: the {what} date `{text}` is not a full date like 1993-01-20"))
    };
    let start = parse(start, "start")?;
    let end = end.map(|text| parse(text, "end")).transpose()?;
    if let Some(end) = end {
        if end < start {
            bail!("{place}: the era ends ({end}) before it starts ({start})");
        }
    }
    let name_ko = name_ko.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    Ok(Era { name: name.to_string(), name_ko, start, end })
}
