//! `hanmi stance` end to end: the supervised classifier (cross-validation against scikit-learn's figure on the
//! press tweets, determinism, labelling new records, held-out splits) and Wordscores on a worked example.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{hanmi, shared_data, stderr};

/// `stance_eval.csv` as (target, class) → (precision, recall, f1, support) cells.
fn read_eval(path: &Path) -> BTreeMap<(String, String), Vec<String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    assert_eq!(reader.headers().unwrap(), vec!["target", "class", "precision", "recall", "f1", "support"]);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            ((r[0].to_string(), r[1].to_string()), r.iter().skip(2).map(String::from).collect())
        })
        .collect()
}

fn f1_cell(eval: &BTreeMap<(String, String), Vec<String>>, target: &str, row: &str) -> f64 {
    eval[&(target.to_string(), row.to_string())][2].parse().unwrap()
}

fn run_ok(args: &[&str]) {
    let out = hanmi(args);
    assert!(out.status.success(), "hanmi {}:\n{}", args.join(" "), stderr(&out));
}

#[test]
fn press_tweets_cross_validation_beats_scikit_learn() {
    let Some(tweets) = shared_data("press/korean_newspaper_tweets_2017.csv") else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("press");
    run_ok(&["stance", "--train", tweets.to_str().unwrap(), "--label-col", "label", "--out", out.to_str().unwrap()]);
    let eval = read_eval(&out.join("stance_eval.csv"));
    let (accuracy, macro_f1, f_avg) =
        (f1_cell(&eval, "", "accuracy"), f1_cell(&eval, "", "macro_f1"), f1_cell(&eval, "", "f_avg"));
    eprintln!("press tweets, 5-fold stratified, seed 42: accuracy {accuracy:.3}, macro-F1 {macro_f1:.3}");
    // scikit-learn's LinearSVC on word 1–2 + char_wb 2–4 TF-IDF, same protocol: accuracy 0.680, macro-F1 0.652.
    assert!(accuracy > 0.680, "accuracy {accuracy}");
    assert!(macro_f1 > 0.652, "macro-F1 {macro_f1}");
    // Two classes (left, right): both are the polar classes.
    assert_eq!(f_avg, macro_f1);
    assert_eq!(eval[&(String::new(), "left".to_string())][3], "1497");
    assert_eq!(eval[&(String::new(), "right".to_string())][3], "1251");
}

/// A small labelled corpus: each record mixes words of its class's pole with shared and other-pole words,
/// chosen by a fixed generator so the classes overlap.
fn write_training_csv(path: &Path) {
    let pro = ["cooperation", "strengthen", "ironclad", "integration", "partnership", "협력", "강화"];
    let con = ["friction", "withdrawal", "rift", "grudging", "burden", "갈등", "철수"];
    let shared = ["alliance", "seoul", "washington", "troops", "summit", "동맹", "한미"];
    let mut state: u64 = 12345;
    let mut next = |n: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) % n as u64) as usize
    };
    let mut rows = String::from("id,topic,label,text\n");
    for i in 0..80 {
        let (label, own, other) = if i % 2 == 0 { ("pro", &pro, &con) } else { ("con", &con, &pro) };
        let topic = if i % 4 < 2 { "troops" } else { "trade" };
        let mut words = Vec::new();
        for _ in 0..6 {
            words.push(match next(10) {
                0..=4 => own[next(own.len())],
                5..=7 => shared[next(shared.len())],
                _ => other[next(other.len())],
            });
        }
        rows.push_str(&format!("r{i},{topic},{label},\"{}\"\n", words.join(" ")));
    }
    fs::write(path, rows).unwrap();
}

#[test]
fn same_seed_same_evaluation_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.csv");
    write_training_csv(&train);
    let run = |name: &str, seed: &str, threads: &str| {
        let out = dir.path().join(name);
        run_ok(&[
            "stance",
            "--train",
            train.to_str().unwrap(),
            "--label-col",
            "label",
            "--seed",
            seed,
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        fs::read(out.join("stance_eval.csv")).unwrap()
    };
    let first = run("a", "7", "1");
    assert_eq!(first, run("b", "7", "1"), "same seed, same bytes");
    assert_eq!(first, run("c", "7", "2"), "the thread count does not matter");
    let eval = read_eval(&dir.path().join("a/stance_eval.csv"));
    // The poles are learnable: well above chance even with a third of each record's words misleading.
    assert!(f1_cell(&eval, "", "accuracy") > 0.75, "{eval:?}");
    assert_eq!(eval.len(), 5, "two classes, accuracy, macro_f1, f_avg");
}

#[test]
fn labels_new_records_per_target_with_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.csv");
    write_training_csv(&train);
    let input = dir.path().join("new.csv");
    fs::write(
        &input,
        "id,topic,text\n\
         n1,troops,ironclad cooperation to strengthen the alliance\n\
         n2,trade,friction and a grudging rift over the burden\n\
         n3,trade,한미 동맹 갈등 철수\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let args = ["stance", "--train", train.to_str().unwrap(), "--label-col", "label", "--target-col", "topic"];
    run_ok(
        &[&args[..], &["--input", input.to_str().unwrap(), "--folds", "4", "--out", out.to_str().unwrap()]].concat(),
    );
    let eval = read_eval(&out.join("stance_eval.csv"));
    assert!(eval.contains_key(&("trade".to_string(), "macro_f1".to_string())));
    assert!(eval.contains_key(&("troops".to_string(), "f_avg".to_string())));
    let mut reader = csv::Reader::from_path(out.join("stance.csv")).unwrap();
    assert_eq!(reader.headers().unwrap(), vec!["id", "axis", "score", "label", "evidence"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let by_id: BTreeMap<&str, &csv::StringRecord> = rows.iter().map(|r| (&r[0], r)).collect();
    assert_eq!((&by_id["n1"][1], &by_id["n1"][3]), ("troops", "pro"));
    assert_eq!((&by_id["n2"][1], &by_id["n2"][3]), ("trade", "con"));
    assert_eq!(&by_id["n3"][3], "con");
    // Evidence: at most five features present in the record, each with its push towards the label.
    let evidence = &by_id["n1"][4];
    assert!(evidence.contains("ironclad") || evidence.contains("cooperation"), "{evidence}");
    assert!(evidence.split("; ").count() <= 5, "{evidence}");
    assert!(by_id["n1"][2].parse::<f64>().unwrap() > 0.0);
    // A record whose target has no training records is an error naming it.
    fs::write(&input, "id,topic,text\nn9,climate,cooperation\n").unwrap();
    let failed = hanmi(&[&args[..], &["--input", input.to_str().unwrap(), "--out", out.to_str().unwrap()]].concat());
    assert!(!failed.status.success());
    assert!(stderr(&failed).contains("\"climate\""), "{}", stderr(&failed));
}

#[test]
fn held_out_split_is_scored_and_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.csv");
    write_training_csv(&train);
    // The `topic` column as a split: rows of "trade" become `test`.
    let text = fs::read_to_string(&train).unwrap().replace(",troops,", ",train,").replace(",trade,", ",test,");
    fs::write(&train, text).unwrap();
    let out = dir.path().join("out");
    let args = ["stance", "--train", train.to_str().unwrap(), "--label-col", "label", "--split-col", "topic"];
    run_ok(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    let eval = read_eval(&out.join("stance_eval.csv"));
    assert_eq!(eval[&(String::new(), "accuracy".to_string())][3], "40", "the 40 test rows are scored");
    let labelled = fs::read_to_string(out.join("stance.csv")).unwrap();
    assert_eq!(labelled.lines().count(), 41, "a header and the 40 test rows");
}

#[test]
fn unlabelled_training_rows_stop_the_run_or_are_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.csv");
    write_training_csv(&train);
    // Two rows lose their label.
    let rows: Vec<String> = fs::read_to_string(&train).unwrap().lines().map(String::from).collect();
    let emptied = |row: &str| row.replacen(",pro,", ",,", 1).replacen(",con,", ",,", 1);
    let edited: Vec<String> =
        rows.iter().enumerate().map(|(i, r)| if i == 3 || i == 10 { emptied(r) } else { r.clone() }).collect();
    fs::write(&train, edited.join("\n") + "\n").unwrap();
    let out = dir.path().join("out");
    let args = ["stance", "--train", train.to_str().unwrap(), "--label-col", "label", "--out", out.to_str().unwrap()];
    let failed = hanmi(&args);
    assert!(!failed.status.success());
    let message = stderr(&failed);
    assert!(message.contains("train.csv:4") && message.contains("no label") && message.contains("--skip-bad-records"));
    run_ok(&[&args[..], &["--skip-bad-records"]].concat());
    let rejected = fs::read_to_string(out.join("rejected.csv")).unwrap();
    let lines: Vec<&str> = rejected.lines().collect();
    assert_eq!(lines.len(), 3, "{rejected}");
    assert!(lines[1].contains(",4,") && lines[1].contains("no label in the column"), "{rejected}");
    assert!(lines[2].contains(",11,"), "{rejected}");
    let eval = read_eval(&out.join("stance_eval.csv"));
    assert_eq!(eval[&(String::new(), "accuracy".to_string())][3], "78", "the 78 labelled rows are cross-validated");
}

#[test]
fn missing_label_column_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.csv");
    write_training_csv(&train);
    let out = dir.path().join("out");
    let failed =
        hanmi(&["stance", "--train", train.to_str().unwrap(), "--label-col", "stance", "--out", out.to_str().unwrap()]);
    assert!(!failed.status.success());
    let message = stderr(&failed);
    assert!(message.contains("\"stance\"") && message.contains("train.csv"), "{message}");
    assert!(!out.join("stance_eval.csv").exists());
    // A file with no label column at all, none named: the error says which column it looked for.
    fs::write(&train, "id,text\na,one two\nb,three four\n").unwrap();
    let failed = hanmi(&["stance", "--train", train.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!failed.status.success());
    assert!(stderr(&failed).contains("--label-col"), "{}", stderr(&failed));
}

#[test]
fn wordscores_command_on_the_worked_example() {
    // The worked example of src/stance/wordscores.rs, written as texts: words w0..w6 are fruit names (each its
    // own stem), reference Rk repeats them as often as the example's counts.
    let words = ["apple", "banana", "cherry", "grape", "lemon", "mango", "peach"];
    let text = |counts: [usize; 7]| {
        let mut out = Vec::new();
        for (w, &c) in words.iter().zip(&counts) {
            out.extend(std::iter::repeat_n(*w, c));
        }
        out.join(" ")
    };
    let references = [
        ("R1", "-1.5", [6, 3, 1, 0, 0, 0, 0]),
        ("R2", "-0.75", [2, 4, 2, 2, 0, 0, 0]),
        ("R3", "0", [0, 2, 4, 2, 2, 0, 0]),
        ("R4", "0.75", [0, 0, 2, 4, 2, 2, 0]),
        ("R5", "1.5", [0, 0, 2, 2, 6, 10, 0]),
    ];
    let virgins = [
        ("V1", [4, 4, 2, 0, 0, 0, 5]),
        ("V2", [0, 0, 3, 3, 2, 2, 0]),
        ("V3", [0, 1, 0, 1, 0, 2, 3]),
        ("V4", [0, 0, 0, 0, 0, 0, 4]),
    ];
    let dir = tempfile::tempdir().unwrap();
    let (refs, input, out) = (dir.path().join("refs.csv"), dir.path().join("speeches.csv"), dir.path().join("out"));
    let mut rows = String::from("id,position,text\n");
    for (id, position, counts) in references {
        rows.push_str(&format!("{id},{position},{}\n", text(counts)));
    }
    fs::write(&refs, rows).unwrap();
    let mut rows = String::from("id,text\n");
    for (id, counts) in virgins {
        rows.push_str(&format!("{id},{}\n", text(counts)));
    }
    fs::write(&input, rows).unwrap();
    let (r, i, o) = (refs.to_str().unwrap(), input.to_str().unwrap(), out.to_str().unwrap());
    run_ok(&["stance", "--reference", r, "--position-col", "position", "--input", i, "--out", o]);

    let mut reader = csv::Reader::from_path(out.join("stance.csv")).unwrap();
    assert_eq!(reader.headers().unwrap(), vec!["id", "axis", "score", "se", "ci_low", "ci_high", "label", "evidence"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 4);
    // LBG-rescaled scores of the worked example (computed by hand there, and by an independent Python run).
    assert_eq!((&rows[0][0], &rows[0][1], &rows[0][2]), ("V1", "position", "-1.306577"));
    assert_eq!(&rows[1][2], "0.755301");
    assert_eq!(&rows[2][5], "2.009290");
    // SE* of V2 = sqrt(10209 / 441000) · 1.4866756951632205.
    let se: f64 = rows[1][3].parse().unwrap();
    assert!((se - (10209.0f64 / 441000.0).sqrt() * 1.4866756951632205).abs() < 1e-6);
    assert_eq!((&rows[0][6], &rows[0][7]), ("", "10 scored words"));
    // V4 shares no word with the references: no score, and the manifest says so.
    assert_eq!((&rows[3][2], &rows[3][7]), ("", "0 scored words"));
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("share no word with the reference texts"), "{manifest}");

    // One virgin text only: rescaling is impossible, so raw scores and a warning.
    fs::write(&input, format!("id,text\nV1,{}\n", text(virgins[0].1))).unwrap();
    run_ok(&["stance", "--reference", r, "--position-col", "position", "--input", i, "--out", o]);
    let raw = fs::read_to_string(out.join("stance.csv")).unwrap();
    assert!(raw.contains("V1,position,-0.858333,"), "raw score -103/120:\n{raw}");
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("LBG rescaling is impossible"), "{manifest}");
}
