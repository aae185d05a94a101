//! The command line as a user meets it: help with examples, `hanmi run` with no flags.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{hanmi, repo_file};

#[test]
fn help_shows_examples_for_every_subcommand() {
    let top = hanmi(&["--help"]);
    assert!(top.status.success());
    assert!(String::from_utf8_lossy(&top.stdout).contains("Examples:"));
    for sub in ["run", "tokens", "vectorize", "eval", "stance"] {
        let out = hanmi(&[sub, "--help"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("Example"), "hanmi {sub} --help:\n{text}");
        assert!(text.contains(&format!("hanmi {sub}")), "the example uses the subcommand {sub}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `hanmi run` with no flags reads `data/` and writes `reports/` in the working folder.
#[test]
fn run_without_flags_reads_data_and_writes_reports() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_file("data"), &dir.path().join("data"));
    let out = Command::new(env!("CARGO_BIN_EXE_hanmi")).arg("run").current_dir(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut reader = csv::Reader::from_path(dir.path().join("reports/documents.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let seed = rows.iter().find(|r| &r[col("id")] == "000_afddf31a8481b1f2").expect("the first seed page");
    assert_eq!(&seed[col("authors")], "정성윤");
    assert_eq!(&seed[col("affiliation")], "통일연구원");
    assert_eq!(&seed[col("venue")], "국제관계연구");
    assert_eq!(&seed[col("volume")], "26(2)");
    assert_eq!(&seed[col("pages")], "99-129");
    assert_eq!(&seed[col("year")], "2021");
    assert_eq!(seed[col("keywords")].split("; ").count(), 6);
    let grudging = rows.iter().find(|r| &r[col("id")] == "001_324070740f088e89").expect("the second seed page");
    assert_eq!(&grudging[col("title")], "Grudging Partner: South Korea's Response to U.S. Security Policies");
    assert_eq!(&grudging[col("subjects")], "Government and Political Science; Defense Systems");
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("reports/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["records"].as_u64().unwrap() as usize, rows.len());
    assert!(manifest["inputs"].as_array().unwrap().iter().all(|i| i["sha256"].as_str().unwrap().len() == 64));
}
