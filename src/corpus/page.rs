//! `.txt` files: the scraped catalogue pages of the kind in `shared/data/seeds/` (a Korean archive page
//! with labelled fields, a defence-report citation page), or else plain text, one record per file.
//!
//! No crate reads these pages: they are text dumps of two particular sites, so the layout is written here.

use std::path::Path;
use std::sync::Arc;

use super::date::PartialDate;
use super::record::{Origin, Record};
use super::table::split_list;
use super::RecordError;

/// Field labels of the Korean archive page, longest first so `소속 및 직함` wins over a shorter prefix.
const ARCHIVE_LABELS: [&str; 8] =
    ["수록페이지 범위 및 쪽수", "소속 및 직함", "발행 시기", "발행기관", "권호사항", "학술지", "키워드", "저자"];

/// Field labels of the citation page, each on a line of its own and ending in a colon.
const CITATION_LABELS: [&str; 9] = [
    "Accession Number",
    "Title",
    "Descriptive Note",
    "Corporate Author",
    "Personal Author(s)",
    "Report Date",
    "Pagination or Media Count",
    "Subject Categories",
    "Distribution Statement",
];

pub(super) fn read_text_file(path: &Path, bytes: &[u8]) -> Result<Record, RecordError> {
    let origin = Origin { file: Arc::from(path), line: 0 };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        RecordError {
            origin: Origin { line, ..origin.clone() },
            message: format!("the file is not valid UTF-8 ({e})"),
            raw: String::new(),
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or("record").to_string();
    let mut record = if let Some(r) = archive_page(text) {
        r
    } else if let Some(r) = citation_page(text) {
        r
    } else {
        Record { text: text.trim().to_string(), ..Record::default() }
    };
    record.id = id;
    record.origin = origin;
    Ok(record)
}

/// A line that is only site navigation: a bullet item of the menu (`• HOME`, `• 논문`).
fn is_bullet(line: &str) -> bool {
    line.starts_with('•') || line.starts_with("* ") || line.starts_with("- ")
}

fn bullet_item(line: &str) -> &str {
    line.trim_start_matches(['•', '*', '-']).trim()
}

fn archive_label(line: &str) -> Option<(&'static str, &str)> {
    ARCHIVE_LABELS.iter().find_map(|&label| {
        let rest = line.strip_prefix(label)?;
        (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| (label, rest.trim()))
    })
}

/// The Korean archive page: banner, menu bullets, the title (shown twice), `label value` lines, then the
/// abstract. Recognised by at least three of its labels at line starts.
fn archive_page(text: &str) -> Option<Record> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let labelled: Vec<usize> = (0..lines.len()).filter(|&i| archive_label(lines[i]).is_some()).collect();
    if labelled.len() < 3 {
        return None;
    }
    let (first, last) = (labelled[0], *labelled.last()?);
    // The title is the first line after the menu that is not navigation; the banner precedes the menu.
    let menu_end = lines[..first].iter().rposition(|l| is_bullet(l)).map_or(0, |i| i + 1);
    let title = lines[menu_end..first].iter().find(|l| !l.is_empty()).map_or("", |l| *l).to_string();
    let mut record = Record { title, ..Record::default() };
    for line in &lines[first..=last] {
        let Some((label, value)) = archive_label(line) else { continue };
        match label {
            "저자" => record.authors = split_list(value),
            "소속 및 직함" => record.affiliation = value.to_string(),
            "발행기관" => record.publisher = value.to_string(),
            "학술지" => record.venue = value.to_string(),
            "권호사항" => record.volume = value.to_string(),
            "수록페이지 범위 및 쪽수" => record.pages = value.to_string(),
            "발행 시기" => record.date = PartialDate::parse(value),
            "키워드" => {
                record.keywords =
                    value.split('#').map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect()
            }
            _ => unreachable!("every archive label has a field"),
        }
    }
    // What is analyzed: the title, the keywords the authors chose (in either language) and the abstract.
    let abstract_lines = lines[last + 1..].iter().filter(|l| !l.is_empty()).copied();
    let head = [record.title.clone(), record.keywords.join(" ; ")];
    record.text = head
        .into_iter()
        .filter(|l| !l.is_empty())
        .chain(abstract_lines.map(str::to_string))
        .collect::<Vec<_>>()
        .join("\n");
    Some(record)
}

fn citation_label(line: &str) -> Option<&'static str> {
    let name = line.strip_suffix(':')?.trim();
    CITATION_LABELS.iter().copied().find(|&l| l == name)
}

/// Does `value` look like what `label` holds? Scraped pages often lose a value and leave the title or
/// the abstract in its place; this keeps those from being taken as an accession number or a page count.
fn fits(label: &str, value: &str) -> bool {
    let short = value.chars().count() <= 200;
    match label {
        "Accession Number" => {
            value.len() <= 20
                && value.chars().all(|c| c.is_ascii_alphanumeric())
                && value.chars().any(|c| c.is_ascii_digit())
        }
        "Report Date" => short && PartialDate::parse(value).is_some(),
        "Pagination or Media Count" => short && value.starts_with(|c: char| c.is_ascii_digit()),
        "Title" | "Descriptive Note" | "Corporate Author" | "Personal Author(s)" | "Distribution Statement" => short,
        _ => false,
    }
}

/// The defence-report citation page: `Label:` lines, each followed by its value (often empty), with the
/// title after the accession number and the abstract after the page count. Recognised by three labels.
fn citation_page(text: &str) -> Option<Record> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    if lines.iter().filter(|l| citation_label(l).is_some()).count() < 3 {
        return None;
    }
    let mut record = Record::default();
    let mut free: Vec<(usize, &str)> = Vec::new();
    let mut current: Option<&'static str> = None;
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        if let Some(label) = citation_label(line) {
            current = Some(label);
            record.extra.entry(label.to_string()).or_default();
            continue;
        }
        match current {
            Some("Subject Categories") if is_bullet(line) => record.subjects.push(bullet_item(line).to_string()),
            Some(label) if record.extra.get(label).is_some_and(String::is_empty) && fits(label, line) => {
                record.extra.insert(label.to_string(), line.to_string());
                current = None;
            }
            _ => free.push((i, line)),
        }
    }
    // Free lines: a short one before the abstract is the title, the rest is the abstract.
    let (title, body): (Vec<_>, Vec<_>) =
        free.iter().enumerate().partition(|&(k, &(_, l))| k == 0 && l.chars().count() <= 300 && free.len() > 1);
    let explicit_title = record.extra.remove("Title").filter(|t| !t.is_empty());
    record.title = explicit_title.unwrap_or_else(|| title.first().map_or(String::new(), |(_, (_, l))| l.to_string()));
    record.text = body.iter().map(|(_, (_, l))| *l).collect::<Vec<_>>().join("\n");
    // Fields with a home in `Record` move there; the rest stay in `extra` under their label.
    let mut take = |k: &str| record.extra.remove(k).unwrap_or_default();
    let authors = split_list(&take("Personal Author(s)"));
    let publisher = take("Corporate Author");
    let pages = take("Pagination or Media Count");
    let date = PartialDate::parse(&take("Report Date"));
    take("Subject Categories");
    Some(Record { authors, publisher, pages, date, ..record })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CITATION: &str = "Accession Number:\n\n\n\nA Title: With a Colon\n\nDescriptive Note:\n\nFinal rept.\n\n\
Corporate Author:\n\nNAVAL POSTGRADUATE SCHOOL\n\nPersonal Author(s):\n\nKim, A ; Lee, B\n\nReport Date:\n\n2003-03-01\n\n\
Pagination or Media Count:\n\n42.0\n\nThe abstract is here.\n\nSubject Categories:\n\n  • Defense Systems\n\nDistribution Statement:\n\nAPPROVED";

    #[test]
    fn citation_fields_with_values() {
        let r = citation_page(CITATION).unwrap();
        assert_eq!(r.title, "A Title: With a Colon");
        assert_eq!(r.extra["Descriptive Note"], "Final rept.");
        assert_eq!(r.publisher, "NAVAL POSTGRADUATE SCHOOL");
        assert_eq!(r.authors, ["Kim, A", "Lee, B"]);
        assert_eq!(r.date, Some(PartialDate::ymd(2003, 3, 1)));
        assert_eq!(r.pages, "42.0");
        assert_eq!(r.text, "The abstract is here.");
        assert_eq!(r.subjects, ["Defense Systems"]);
        assert_eq!(r.extra["Distribution Statement"], "APPROVED");
        assert!(!r.extra.contains_key("Report Date"), "named fields are not repeated in extra");
        assert_eq!(r.extra["Accession Number"], "");
    }

    #[test]
    fn plain_text_is_not_a_page() {
        assert!(archive_page("Just a speech.\nWith two lines.").is_none());
        assert!(citation_page("Just a speech.\nNote: nothing").is_none());
    }
}
