//! `index.html`: one self-contained page with the run's charts and the first rows of every table.
//!
//! The charts are inlined, the style is an inline `<style>` block, and nothing is fetched from the
//! network, so the page opens from a copied folder or a mail attachment. The page is also well-formed
//! XML (every tag closed, every text escaped) so tests and tools can parse it.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use super::write_atomic;

/// Rows of each CSV shown on the page.
pub const PREVIEW_ROWS: usize = 15;

const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222;max-width:1600px}\
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;font-size:0.85em}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;\
vertical-align:top;max-width:40em}th{background:#f2f2f2}tr:nth-child(even) td{background:#fafafa}\
.chart{overflow-x:auto}.note{color:#666;font-size:0.9em}nav a{margin-right:1em}";

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Writes `dir/index.html`: a header, links to every file, each `*.svg` of `files` inlined, and for each
/// `*.csv` a table of its header and first [`PREVIEW_ROWS`] rows with a link to the whole file. Other
/// files are listed with a link. `files` are names inside `dir`, shown in the given order (charts first).
pub fn write_index_html(dir: &Path, title: &str, files: &[String]) -> Result<()> {
    let mut page = String::new();
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    let _ = writeln!(page, "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>", escape(title));
    let _ = writeln!(page, "<h1>{}</h1>", escape(title));
    page.push_str("<nav>");
    for file in files {
        let _ = write!(page, "<a href=\"{0}\">{0}</a>", escape(file));
    }
    page.push_str("</nav>\n");
    let charts = files.iter().filter(|f| has_extension(f, "svg"));
    let tables = files.iter().filter(|f| has_extension(f, "csv"));
    let others: Vec<&String> = files.iter().filter(|f| !has_extension(f, "svg") && !has_extension(f, "csv")).collect();
    for file in charts {
        let path = dir.join(file);
        let svg = fs::read_to_string(&path).with_context(|| format!("cannot read chart {}", path.display()))?;
        let _ = writeln!(page, "<h2 id=\"{0}\">{0}</h2>\n<div class=\"chart\">", escape(file));
        page.push_str(strip_xml_prolog(&svg).trim());
        page.push_str("\n</div>\n");
    }
    for file in tables {
        let path = dir.join(file);
        let _ = writeln!(page, "<h2 id=\"{0}\"><a href=\"{0}\">{0}</a></h2>", escape(file));
        page.push_str(&csv_preview(&path)?);
    }
    if !others.is_empty() {
        page.push_str("<h2>Other files</h2>\n<ul>\n");
        for file in others {
            let _ = writeln!(page, "<li><a href=\"{0}\">{0}</a></li>", escape(file));
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</body>\n</html>\n");
    write_atomic(&dir.join("index.html"), |out| Ok(out.write_all(page.as_bytes())?))
}

fn has_extension(file: &str, extension: &str) -> bool {
    Path::new(file).extension().is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// An SVG without its `<?xml …?>` declaration, which is not allowed inside a page.
fn strip_xml_prolog(svg: &str) -> &str {
    let trimmed = svg.trim_start();
    match trimmed.strip_prefix("<?xml").and_then(|rest| rest.find("?>").map(|end| &rest[end + 2..])) {
        Some(rest) => rest,
        None => trimmed,
    }
}

/// An HTML table of the header and first rows of the CSV file at `path`, with how many rows it has.
fn csv_preview(path: &Path) -> Result<String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let header = reader.headers().with_context(|| format!("cannot read the header of {}", path.display()))?.clone();
    let mut html = String::from("<table>\n<thead><tr>");
    for name in &header {
        let _ = write!(html, "<th>{}</th>", escape(name));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    let mut total = 0usize;
    for row in reader.records() {
        let row = row.with_context(|| format!("cannot read {}", path.display()))?;
        total += 1;
        if total > PREVIEW_ROWS {
            continue;
        }
        html.push_str("<tr>");
        for cell in &row {
            let _ = write!(html, "<td>{}</td>", escape(cell));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
    let shown = total.min(PREVIEW_ROWS);
    let _ = writeln!(html, "<p class=\"note\">{shown} of {total} rows shown.</p>");
    Ok(html)
}
