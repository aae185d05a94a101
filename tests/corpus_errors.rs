//! Bad input: each problem gets an error naming the file and the line, and `--skip-bad-records` sets the
//! bad rows aside in rejected.csv, counted in the manifest.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{hanmi, stderr};
use hanmi::corpus::{Corpus, ReadOptions};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

/// The corpus of one file `name` holding `bytes`, read with `opts` from a temporary folder.
fn read_one(name: &str, bytes: &[u8], opts: &ReadOptions) -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    Corpus::read(&[write(dir.path(), name, bytes)], opts).unwrap()
}

fn error_of(path: &Path, opts: &ReadOptions) -> String {
    match Corpus::read(&[path.to_path_buf()], opts) {
        Ok(c) => panic!("{} read without error: {} records", path.display(), c.records.len()),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn invalid_utf8_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "bad.csv", b"id,text\na,fine\nb,caf\xe9 au lait\n");
    let e = error_of(&p, &ReadOptions::default());
    assert!(e.contains("bad.csv:3") && e.contains("\"text\"") && e.contains("not valid UTF-8"), "{e}");
}

#[test]
fn wrong_number_of_fields() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "short.csv", b"id,date,text\na,2020,ok\nb,2021\nc,2022,ok\n");
    let e = error_of(&p, &ReadOptions::default());
    assert!(e.contains("short.csv:3") && e.contains("2 fields") && e.contains("header has 3"), "{e}");
}

#[test]
fn bad_json_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "news.jsonl", b"{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": \"b\", \"text\": \n");
    let e = error_of(&p, &ReadOptions::default());
    assert!(e.contains("news.jsonl:2") && e.contains("not valid JSON"), "{e}");
    let p = write(dir.path(), "list.jsonl", b"[1, 2]\n");
    assert!(error_of(&p, &ReadOptions::default()).contains("list.jsonl:1: the line is JSON but not an object"));
    // An object as the text would have its keys read as words; a list of strings is paragraphs.
    let p = write(
        dir.path(),
        "obj.jsonl",
        b"{\"id\": \"a\", \"text\": [\"one\", \"two\"]}\n{\"id\": \"b\", \"text\": {\"en\": \"x\"}}\n",
    );
    let e = error_of(&p, &ReadOptions::default());
    assert!(e.contains("obj.jsonl:2") && e.contains("the text field \"text\" holds a JSON object"), "{e}");
}

#[test]
fn missing_column_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.csv", b"id,body\na,text here\n");
    let opts = ReadOptions { text_cols: vec!["abstract".into()], ..ReadOptions::default() };
    let e = error_of(&p, &opts);
    assert!(e.contains("a.csv") && e.contains("\"abstract\"") && e.contains("the columns are: id, body"), "{e}");
    let opts = ReadOptions { label_col: Some("stance".into()), ..ReadOptions::default() };
    assert!(error_of(&p, &opts).contains("the label column \"stance\" is not there"));
    // No text column at all, and none named: say which names were tried.
    let p = write(dir.path(), "b.csv", b"id,notes\na,x\n");
    assert!(error_of(&p, &ReadOptions::default()).contains("no text column found"));
}

#[test]
fn unreadable_path() {
    let e = error_of(Path::new("/nonexistent/hanmi/archive.csv"), &ReadOptions::default());
    assert!(e.contains("/nonexistent/hanmi/archive.csv"), "{e}");
}

#[test]
fn duplicate_ids_name_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "dup.csv", b"id,text\nx1,first\nx2,second\nx1,third\n");
    let e = error_of(&p, &ReadOptions::default());
    assert!(e.contains("dup.csv:4") && e.contains("duplicate id \"x1\"") && e.contains("dup.csv:2"), "{e}");
}

#[test]
fn problems_come_in_file_order_and_kept_records_keep_theirs_across_files() {
    let dir = tempfile::tempdir().unwrap();
    // A duplicate before a short row, another after it, and one of a record in the first file.
    let a = write(dir.path(), "a.csv", b"id,date,text\nx1,2020,one\nx2,2021,two\n");
    let b =
        write(dir.path(), "b.csv", b"id,date,text\nx3,2022,three\nx1,2023,again\nx4\nx3,2024,again\nx5,2025,five\n");
    let inputs = [a.clone(), b.clone()];
    let first = match Corpus::read(&inputs, &ReadOptions::default()) {
        Ok(_) => panic!("read without error"),
        Err(e) => format!("{e:#}"),
    };
    assert!(first.contains("b.csv:3") && first.contains("duplicate id \"x1\"") && first.contains("a.csv:2"), "{first}");
    let c = Corpus::read(&inputs, &ReadOptions { skip_bad_records: true, ..ReadOptions::default() }).unwrap();
    let ids: Vec<&str> = c.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["x1", "x2", "x3", "x5"]);
    let texts: Vec<&str> = c.records.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["one", "two", "three", "five"]);
    let rejected: Vec<(u64, bool)> = c.rejected.iter().map(|r| (r.line, r.error.contains("duplicate id"))).collect();
    assert_eq!(rejected, [(3, true), (4, false), (5, true)]);
    assert!(c.rejected.iter().all(|r| r.file == b));
    assert_eq!((c.inputs[0].records, c.inputs[0].rejected), (2, 0));
    assert_eq!((c.inputs[1].records, c.inputs[1].rejected), (2, 3));
}

#[test]
fn date_without_a_year_is_a_record_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "d.csv", b"id,date,text\na,sometime,x\n");
    let e = error_of(&p, &ReadOptions::default());
    assert!(e.contains("d.csv:2") && e.contains("\"sometime\""), "{e}");
}

#[test]
fn a_header_row_that_is_missing_or_names_a_column_twice_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "twice.csv", b"id,text,note,text\na,alliance,x,treaty\n");
    let e = error_of(&p, &ReadOptions::default());
    assert!(e.contains("twice.csv:1") && e.contains("\"text\" is given twice (columns 2 and 4)"), "{e}");
    for (name, bytes) in [("zero.csv", &b""[..]), ("blank.tsv", b"\n\r\n")] {
        let e = error_of(&write(dir.path(), name, bytes), &ReadOptions::default());
        assert!(e.contains(name) && e.contains("the file is empty"), "{e}");
    }
}

/// An unclosed quote would make the csv crate read every row after it into one field, up to the end of the file:
/// an error at the row where it opens, never rows silently merged.
#[test]
fn an_unclosed_quote_is_an_error_at_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "q.csv", b"id,text\na,fine\nb,\"opens here\nc,swallowed\nd,swallowed too\n");
    let e = error_of(&p, &ReadOptions::default());
    assert!(e.contains("q.csv:3") && e.contains("the file ends inside it"), "{e}");
    assert!(e.contains("the 2 line(s) after this row"), "{e}");
    let tsv = write(dir.path(), "q.tsv", b"id\ttext\na\t\"opens and ends the file");
    assert!(error_of(&tsv, &ReadOptions::default()).contains("q.tsv:2"));
    // Set aside with --skip-bad-records: the rows before it are read.
    let opts = ReadOptions { skip_bad_records: true, ..ReadOptions::default() };
    let c = Corpus::read(&[p], &opts).unwrap();
    assert_eq!((c.records.len(), c.rejected.len()), (1, 1));
    // Closed quotes are fine at the end of a file, with or without a line end, across lines, with doubled quotes
    // inside; so is a quote inside an unquoted field.
    for (name, bytes) in [
        ("multi.csv", &b"id,text\na,\"line one\nline two\"\n"[..]),
        ("eof.csv", b"id,text\na,\"closed at the end\""),
        ("doubled.csv", b"id,text\r\na,\"a \"\"quoted\"\" word\"\r\n"),
        ("inch.csv", b"id,text\na,a 5\" screen"),
    ] {
        let c = read_one(name, bytes, &ReadOptions::default());
        assert_eq!(c.records.len(), 1, "{name}");
    }
}

/// A month or day that no calendar has keeps the record and its year, and the reader names it: its era may be
/// off by the months the year spans. A zero month or day is the archives' "unknown", not an error.
#[test]
fn a_date_no_calendar_has_keeps_its_year_and_is_named() {
    let c = read_one(
        "dates.csv",
        b"id,date,text\na,2019-02-30,x\nb,2019-13,x\nc,2019-00-00,x\nd,2019-03-00,x\ne,2019-03-05,x\n",
        &ReadOptions::default(),
    );
    let dates: Vec<String> = c.records.iter().map(|r| r.date.unwrap().to_string()).collect();
    assert_eq!(dates, ["2019", "2019", "2019", "2019-03", "2019-03-05"]);
    let warning = c.warnings.iter().find(|w| w.contains("no calendar has")).expect("a warning");
    assert!(warning.starts_with("2 record(s)"), "{warning}");
    assert!(warning.contains("dates.csv:2 \"2019-02-30\"") && warning.contains("dates.csv:3 \"2019-13\""), "{warning}");
}

/// A row set aside after its date was read (here a duplicate id) is in rejected.csv; the odd-date warning names only
/// the records the run keeps.
#[test]
fn a_rejected_row_is_not_named_for_its_date() {
    let opts = ReadOptions { skip_bad_records: true, ..ReadOptions::default() };
    let c = read_one("dup.csv", b"id,date,text\na,2019-02-30,x\na,2019-04-31,y\nb,2020-01-01,z\n", &opts);
    assert_eq!((c.records.len(), c.rejected.len()), (2, 1));
    assert_eq!(c.rejected[0].line, 3);
    let warning = c.warnings.iter().find(|w| w.contains("no calendar has")).expect("a warning");
    assert!(warning.starts_with("1 record(s)") && warning.contains("dup.csv:2 \"2019-02-30\""), "{warning}");
    assert!(!warning.contains("2019-04-31"), "{warning}");
}

#[test]
fn empty_text_is_kept_and_flagged() {
    let c = read_one("e.csv", b"id,text\na,\nb,Alliance\n", &ReadOptions::default());
    assert_eq!(c.records.len(), 2);
    assert!(c.records[0].is_empty_text());
    assert!(c.warnings.iter().any(|w| w.contains("1 record(s) have empty text") && w.contains('a')));
}

#[test]
fn skip_bad_records_sets_rows_aside() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "mixed.csv",
        b"id,date,text\na,2020,good one\nb,2021\nc,2022,caf\xe9\na,2023,duplicate\nd,2024,good two\n",
    );
    let out = dir.path().join("reports");
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--input", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--k", "1"];
        args.extend_from_slice(extra);
        hanmi(&args)
    };
    let failed = run(&[]);
    assert!(!failed.status.success());
    let msg = stderr(&failed);
    assert!(msg.contains("mixed.csv:3") && msg.contains("--skip-bad-records"), "{msg}");
    assert!(!out.join("documents.csv").exists(), "a failed run writes no report");

    let ok = run(&["--skip-bad-records"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let rejected = fs::read_to_string(out.join("rejected.csv")).unwrap();
    let lines: Vec<&str> = rejected.lines().collect();
    assert_eq!(lines[0], "file,line,error,raw");
    assert_eq!(lines.len(), 4, "{rejected}");
    assert!(lines[1].contains(",3,") && lines[1].contains("2 fields"));
    assert!(lines[2].contains(",4,") && lines[2].contains("UTF-8"));
    assert!(lines[3].contains(",5,") && lines[3].contains("duplicate id"));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["records"], 2);
    assert_eq!(manifest["records_rejected"], 3);
    assert_eq!(manifest["inputs"][0]["rejected"], 3);
    let documents = fs::read_to_string(out.join("documents.csv")).unwrap();
    assert_eq!(documents.lines().count(), 3);
}

/// Whatever the command, a record set aside is named on standard error; a command that writes a folder also lists
/// it in rejected.csv.
#[test]
fn every_command_names_the_records_it_sets_aside() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "dates.csv",
        b"id,date,label,text\na,2019,x,alliance treaty\nb,sometime,y,treaty\nc,2020,y,missile launch\nd,2021,x,alliance\n",
    );
    let input = input.to_str().unwrap();
    let (out, evaluated) = (dir.path().join("v"), dir.path().join("e"));
    let tokens = dir.path().join("tokens.jsonl");
    for args in [
        vec!["vectorize", "--input", input, "--out", out.to_str().unwrap()],
        vec!["eval", "--input", input, "--out", evaluated.to_str().unwrap(), "--k", "2"],
        vec!["tokens", "--input", input, "--out", tokens.to_str().unwrap()],
    ] {
        let run = hanmi(&[&args[..], &["--skip-bad-records"]].concat());
        assert!(run.status.success(), "{}", stderr(&run));
        let msg = stderr(&run);
        assert!(msg.contains("1 bad record(s) set aside") && msg.contains("dates.csv:3"), "{args:?}: {msg}");
    }
    for folder in [out, evaluated] {
        let rejected = fs::read_to_string(folder.join("rejected.csv")).unwrap();
        assert!(rejected.lines().nth(1).is_some_and(|l| l.contains(",3,") && l.contains("sometime")), "{rejected}");
    }
    assert_eq!(fs::read_to_string(&tokens).unwrap().lines().count(), 3);
}
