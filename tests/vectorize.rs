//! `hanmi vectorize`: scikit-learn parity, the same bytes with any number of threads, saved models.

mod common;

use std::path::Path;
use std::process::Command;

use common::{hanmi, repo_file, shared_data, stderr};

fn sklearn_available() -> bool {
    let ok = Command::new("python3").args(["-c", "import sklearn, scipy"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: python3 with scikit-learn and scipy is not installed (pip install scikit-learn scipy)");
    }
    ok
}

fn vectorize(input: &Path, out: &Path, extra: &[&str]) {
    let args = [&["vectorize", "--input", input.to_str().unwrap(), "--out", out.to_str().unwrap()][..], extra].concat();
    let run = hanmi(&args);
    assert!(run.status.success(), "{}", stderr(&run));
}

/// `../shared/tools/sklearn_parity.py` on hanmi's own tokens: vocabulary, idf and every value within 1e-9.
#[test]
fn values_are_scikit_learns_on_three_corpora_with_default_and_other_options() {
    if !sklearn_available() {
        return;
    }
    let tool = repo_file("../shared/tools/sklearn_parity.py");
    for (rel, col) in [
        ("20ng/20ng_sklearn_kmeans_example_4cat.csv", "text"),
        ("ungd/ungdc_6countries_1946_2024.csv", "text"),
        ("ynat/klue_ynat_20k.csv", "text"),
    ] {
        let Some(csv) = shared_data(rel) else { continue };
        let dir = tempfile::tempdir().unwrap();
        let tokens = dir.path().join("tokens.jsonl");
        let run =
            hanmi(&["tokens", "--input", csv.to_str().unwrap(), "--text-col", col, "--out", tokens.to_str().unwrap()]);
        assert!(run.status.success(), "{}", stderr(&run));
        let other = ["--min-df", "5", "--max-df", "0.5", "--sublinear-tf", "--norm", "l1", "--no-smooth-idf"];
        for options in [&[][..], &other[..]] {
            let out = dir.path().join(format!("v{}", options.len()));
            vectorize(&csv, &out, &[&["--text-col", col][..], options].concat());
            let check =
                Command::new("python3").arg(&tool).arg(&tokens).arg(&out).args(options).output().expect("python3 runs");
            let report = String::from_utf8_lossy(&check.stdout);
            assert!(check.status.success(), "{rel} {options:?}: {report}{}", String::from_utf8_lossy(&check.stderr));
            eprintln!("{rel} {options:?}: {}", report.trim());
        }
    }
}

#[test]
fn the_matrix_is_byte_identical_with_one_thread_or_two() {
    let input = shared_data("20ng/20ng_sklearn_kmeans_example_4cat.csv").unwrap_or_else(|| repo_file("data"));
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    vectorize(&input, a.path(), &["--threads", "1"]);
    vectorize(&input, b.path(), &["--threads", "2"]);
    for file in ["vocab.csv", "tfidf.mtx", "documents.csv"] {
        assert!(std::fs::read(a.path().join(file)).unwrap() == std::fs::read(b.path().join(file)).unwrap(), "{file}");
    }
}

/// The manifest counts the records without text as the reader found them, though the texts are let go once
/// counted.
#[test]
fn the_manifest_counts_the_records_without_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("three.csv");
    std::fs::write(&input, "id,text\na,The alliance held.\nb,\nc,한미동맹은 굳건하다.\n").unwrap();
    vectorize(&input, &dir.path().join("out"), &[]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap()).unwrap();
    assert_eq!((manifest["records"].as_u64(), manifest["records_empty_text"].as_u64()), (Some(3), Some(1)));
}

/// `--max-df 1` and `--min-df 1.0` keep scikit-learn's meanings (one record; every record), which leave few terms or
/// none: each is said on standard error and in the manifest, `1.0` and `1` are not.
#[test]
fn df_bounds_read_the_other_way_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("three.csv");
    std::fs::write(&input, "id,text\na,The alliance held firm.\nb,The alliance was tested.\nc,Sanctions held.\n")
        .unwrap();
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let args = [&["vectorize", "--input", input.to_str().unwrap(), "--out", out.to_str().unwrap()][..], extra];
        hanmi(&args.concat())
    };
    let one = run(&["--max-df", "1"]);
    assert!(one.status.success(), "{}", stderr(&one));
    assert!(stderr(&one).contains("warning: max_df 1 is a count"), "{}", stderr(&one));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert!(manifest["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().starts_with("max_df 1 is")));
    let terms = || -> Vec<String> {
        let vocab = std::fs::read_to_string(out.join("vocab.csv")).unwrap();
        vocab.lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect()
    };
    // `alliance` and `held` are in two records each: dropped.
    assert_eq!(terms(), ["firm", "sanctions", "test"]);
    let all = run(&["--max-df", "1.0", "--min-df", "1"]);
    assert!(all.status.success() && !stderr(&all).contains("warning"), "{}", stderr(&all));
    assert_eq!(terms(), ["alliance", "firm", "held", "sanctions", "test"]);
    // No term is in all three records: the error follows the warning that explains it.
    let every = run(&["--min-df", "1.0"]);
    let said = stderr(&every);
    assert!(!every.status.success(), "{said}");
    assert!(said.contains("warning: min_df 1.0 is a share") && said.contains("no terms remain"), "{said}");
}

/// A model fitted on the whole demo corpus and applied to its English half gives the same rows.
#[test]
fn a_saved_model_applied_to_records_gives_the_fitted_rows() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    vectorize(&repo_file("data/demo"), &dir.path().join("all"), &["--save-model", model.to_str().unwrap()]);
    let english = repo_file("data/demo/alliance_records_en.csv");
    vectorize(&english, &dir.path().join("en"), &["--model", model.to_str().unwrap()]);
    let rows = |p: &Path| -> Vec<String> {
        std::fs::read_to_string(p.join("tfidf.mtx")).unwrap().lines().skip(3).map(String::from).collect()
    };
    // documents.csv is written while the records still hold their text: none of the demo records is empty.
    let documents = std::fs::read_to_string(dir.path().join("all/documents.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(documents.as_bytes());
    let empty = reader.headers().unwrap().iter().position(|h| h == "empty_text").unwrap();
    assert!(reader.records().all(|r| &r.unwrap()[empty] == "false"), "records flagged empty");
    let (all, en) = (rows(&dir.path().join("all")), rows(&dir.path().join("en")));
    // The English file comes first in the folder, so its rows are the first rows of the whole.
    let n_en = en.iter().map(|l| l.split(' ').next().unwrap().parse::<usize>().unwrap()).max().unwrap();
    let first: Vec<&String> =
        all.iter().filter(|l| l.split(' ').next().unwrap().parse::<usize>().unwrap() <= n_en).collect();
    assert_eq!(first.len(), en.len());
    if let Some((a, b)) = first.iter().zip(&en).find(|(a, b)| **a != *b) {
        panic!("the applied model gives {b}, the fit gave {a}");
    }
    // Changing the options of a saved model is refused.
    let run = hanmi(&[
        "vectorize",
        "--input",
        english.to_str().unwrap(),
        "--out",
        dir.path().join("x").to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--min-df",
        "3",
    ]);
    assert!(!run.status.success() && stderr(&run).contains("cannot be changed"), "{}", stderr(&run));
}
