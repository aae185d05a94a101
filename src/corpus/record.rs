//! The `Record` type: one text and what is known about it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::date::PartialDate;

/// The language of a record's text, from the share of Hangul and Latin letters in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ko,
    En,
    Mixed,
    /// No letters at all (empty text, numbers only).
    None,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
            Lang::Mixed => "mixed",
            Lang::None => "none",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a record came from: the file and the 1-based line its row starts on (0 for a whole-file record).
/// The file's path is shared by its records (a copy of it for every record was one more allocation per row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: Arc<Path>,
    pub line: u64,
}

impl Default for Origin {
    fn default() -> Origin {
        Origin { file: Arc::from(Path::new("")), line: 0 }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file.display())
        } else {
            write!(f, "{}:{}", self.file.display(), self.line)
        }
    }
}

/// One record: a research abstract, a report citation, a speech, a news story or headline.
///
/// Fields a source does not have stay empty; nothing is invented. Columns and page fields that have no
/// field of their own land in `extra`, under their original name.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub affiliation: String,
    pub publisher: String,
    pub venue: String,
    pub volume: String,
    pub pages: String,
    pub date: Option<PartialDate>,
    pub keywords: Vec<String>,
    pub subjects: Vec<String>,
    pub lang: Option<Lang>,
    pub text: String,
    pub label: Option<String>,
    pub extra: BTreeMap<String, String>,
    pub origin: Origin,
}

impl Record {
    pub fn year(&self) -> Option<i32> {
        self.date.map(|d| d.year)
    }

    /// The language, detected from the text when the reader did not set it.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_else(|| super::lang::detect(&self.text))
    }

    /// True when there is no text to analyze; such records are kept and flagged, never dropped.
    pub fn is_empty_text(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The value of a field by its column name, for `--filter COL=VALUE`: named fields first, then `extra`.
    pub fn field(&self, name: &str) -> Option<String> {
        Some(match name {
            "id" => self.id.clone(),
            "title" => self.title.clone(),
            "authors" | "author" => self.authors.join("; "),
            "affiliation" => self.affiliation.clone(),
            "publisher" => self.publisher.clone(),
            "venue" | "journal" => self.venue.clone(),
            "volume" => self.volume.clone(),
            "pages" => self.pages.clone(),
            "date" => self.date.map(|d| d.to_string()).unwrap_or_default(),
            "year" => self.year().map(|y| y.to_string()).unwrap_or_default(),
            "keywords" => self.keywords.join("; "),
            "subjects" => self.subjects.join("; "),
            "lang" => self.lang().to_string(),
            "text" => self.text.clone(),
            "label" => self.label.clone().unwrap_or_default(),
            other => return self.extra.get(other).cloned(),
        })
    }
}
