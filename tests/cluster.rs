//! Clustering: quality against gold labels, small corpora, determinism.

mod common;

use std::collections::BTreeMap;

use common::{hanmi, repo_file, shared_data, stderr};

fn metrics(dir: &std::path::Path) -> BTreeMap<String, f64> {
    let text = std::fs::read_to_string(dir.join("metrics.csv")).expect("metrics.csv written");
    text.lines().skip(1).filter_map(|l| l.split_once(',')).map(|(k, v)| (k.to_string(), v.parse().unwrap())).collect()
}

/// scikit-learn's clustering example reaches V 0.414 / ARI 0.315 (LSA + k-means); its best setting 0.431 / 0.341.
/// hanmi's defaults, mean of 5 seeds, measured 0.432 / 0.388; the issue's target is 0.43 / 0.35.
#[test]
fn twenty_newsgroups_beats_scikit_learns_example() {
    let Some(csv) = shared_data("20ng/20ng_sklearn_kmeans_example_4cat.csv") else { return };
    let (mut v, mut ari) = (0.0, 0.0);
    for seed in 0..5 {
        let out = tempfile::tempdir().unwrap();
        let seed = seed.to_string();
        let args = ["eval", "--input", csv.to_str().unwrap(), "--label-col", "label", "--k", "4", "--seed", &seed];
        let run = hanmi(&[&args[..], &["--out", out.path().to_str().unwrap()]].concat());
        assert!(run.status.success(), "{}", stderr(&run));
        let m = metrics(out.path());
        v += m["v_measure"] / 5.0;
        ari += m["adjusted_rand"] / 5.0;
    }
    eprintln!("20NG k=4, mean of 5 seeds: V-measure {v:.3}, ARI {ari:.3}");
    assert!(v >= 0.43 && ari >= 0.35, "V {v:.3} ARI {ari:.3}");
}

/// Korean headlines, 7 topics: scikit-learn's LSA + k-means reaches V 0.189 (0.245 fed Kiwi's morphemes).
#[test]
fn ynat_headlines_beat_scikit_learn_with_kiwi() {
    let Some(csv) = shared_data("ynat/klue_ynat_20k.csv") else { return };
    let mut v = 0.0;
    for seed in 0..3 {
        let out = tempfile::tempdir().unwrap();
        let seed = seed.to_string();
        let args = ["eval", "--input", csv.to_str().unwrap(), "--label-col", "label", "--k", "7", "--seed", &seed];
        let run = hanmi(&[&args[..], &["--out", out.path().to_str().unwrap()]].concat());
        assert!(run.status.success(), "{}", stderr(&run));
        v += metrics(out.path())["v_measure"] / 3.0;
    }
    eprintln!("YNAT k=7, mean of 3 seeds: V-measure {v:.3}");
    assert!(v >= 0.25, "V {v:.3}");
}

#[test]
fn two_seed_pages_alone_are_handled() {
    let out = tempfile::tempdir().unwrap();
    let run =
        hanmi(&["run", "--input", repo_file("data/seeds").to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let clusters = std::fs::read_to_string(out.path().join("clusters.csv")).unwrap();
    assert!(clusters.lines().count() >= 2, "{clusters}");
    let manifest = std::fs::read_to_string(out.path().join("manifest.json")).unwrap();
    assert!(!manifest.contains("NaN"));
}

#[test]
fn fixed_k_larger_than_the_corpus_is_cut_with_a_warning() {
    let out = tempfile::tempdir().unwrap();
    let input = out.path().join("six.csv");
    let rows = [
        "THAAD battery deployed in Seongju despite protests",
        "China retaliates against THAAD with tourism bans",
        "Cost sharing talks stall over the Special Measures Agreement",
        "USFK cost sharing demand rises fivefold",
        "Singapore summit between Trump and Kim Jong-un",
        "Hanoi summit ends without a deal on denuclearization",
    ];
    let csv: String = std::iter::once("id,text".to_string())
        .chain(rows.iter().enumerate().map(|(i, t)| format!("r{i},{t}")))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&input, csv).unwrap();
    let run = hanmi(&[
        "run",
        "--input",
        input.to_str().unwrap(),
        "--k",
        "9",
        "--out",
        out.path().join("r").to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let manifest = std::fs::read_to_string(out.path().join("r/manifest.json")).unwrap();
    assert!(manifest.contains("k = 9 is more than"), "{manifest}");
}

#[test]
fn the_demo_run_is_deterministic_and_names_its_clusters() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let data = repo_file("data");
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        let run = hanmi(&[
            "run",
            "--input",
            data.to_str().unwrap(),
            "--threads",
            threads,
            "--out",
            dir.path().to_str().unwrap(),
        ]);
        assert!(run.status.success(), "{}", stderr(&run));
    }
    for file in [
        "documents.csv",
        "clusters.csv",
        "cluster_terms.csv",
        "k_selection.csv",
        "terms.csv",
        "eras.csv",
        "era_keyness.csv",
        "stance.csv",
    ] {
        let (x, y) = (std::fs::read(a.path().join(file)).unwrap(), std::fs::read(b.path().join(file)).unwrap());
        assert!(x == y, "{file} differs between 1 and 2 threads");
    }
    // The demo's own `theme` column is kept beside hanmi's, not hidden by it.
    let documents = std::fs::read_to_string(a.path().join("documents.csv")).unwrap();
    let header: Vec<&str> = documents.lines().next().unwrap().split(',').collect();
    assert!(header.contains(&"theme") && header.contains(&"input_theme"), "{header:?}");
    let clusters = std::fs::read_to_string(a.path().join("clusters.csv")).unwrap();
    let named = clusters.lines().skip(1).filter(|l| !l.contains(",other,")).count();
    assert!(named * 2 >= clusters.lines().count() - 1, "most clusters get a theme:\n{clusters}");
}
