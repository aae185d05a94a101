//! The era comparison on real speeches: South Korea's addresses to the UN General Assembly, by ROK presidency.
//! The assertions are facts of Korean history a reader can check in the tables.

mod common;

use std::collections::BTreeMap;

use common::{hanmi, shared_data, stderr};

fn read(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("report readable");
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

#[test]
fn korean_un_speeches_by_presidency() {
    let Some(csv) = shared_data("ungd/ungdc_6countries_1946_2024.csv") else { return };
    let out = tempfile::tempdir().unwrap();
    let run = hanmi(&[
        "run",
        "--input",
        csv.to_str().unwrap(),
        "--eras",
        "rok-presidents",
        "--filter",
        "country_iso=KOR",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let keyness = read(&out.path().join("era_keyness.csv"));
    let leading = |era: &str| -> Vec<String> {
        keyness
            .iter()
            .filter(|r| r["era"] == era && r["z"].parse::<f64>().unwrap() > 0.0)
            .take(10)
            .map(|r| r["display"].to_lowercase())
            .collect()
    };
    // Roh Moo-hyun (2003-08): the Six-Party Talks and the Iraq war.
    let roh = leading("Roh Moo-hyun");
    assert!(roh.iter().any(|t| t.contains("six-party")) && roh.contains(&"iraq".to_string()), "{roh:?}");
    // Lee Myung-bak (2008-13): "green growth" and the Millennium Development Goals.
    let lee = leading("Lee Myung-bak");
    assert!(lee.contains(&"green".to_string()), "{lee:?}");
    // Moon Jae-in (2017-22): the PyeongChang Olympics and COVID-19.
    let moon = leading("Moon Jae-in");
    assert!(moon.contains(&"olympic".to_string()) && moon.contains(&"covid".to_string()), "{moon:?}");
    // Yoon Suk Yeol (2022-24): freedom, Ukraine.
    let yoon = leading("Yoon Suk Yeol");
    assert!(yoon.contains(&"freedom".to_string()) && yoon.contains(&"ukraine".to_string()), "{yoon:?}");

    // Engagement with the North peaks under Kim Dae-jung's Sunshine Policy, above Lee Myung-bak and Park Geun-hye.
    let stance = read(&out.path().join("era_stance.csv"));
    let mean = |era: &str| -> f64 {
        stance.iter().find(|r| r["era"] == era && r["axis"] == "north_korea_policy").unwrap()["mean"].parse().unwrap()
    };
    assert!(mean("Kim Dae-jung") > mean("Lee Myung-bak") && mean("Kim Dae-jung") > mean("Park Geun-hye"));

    // Every era row carries a Wilson interval around its share.
    for r in read(&out.path().join("eras.csv")) {
        let (lo, share, hi): (f64, f64, f64) =
            (r["ci_low"].parse().unwrap(), r["share"].parse().unwrap(), r["ci_high"].parse().unwrap());
        assert!(lo <= share && share <= hi, "{r:?}");
    }
}

#[test]
fn the_demo_run_writes_charts_and_a_page_that_parse() {
    let out = tempfile::tempdir().unwrap();
    let data = common::repo_file("data");
    let run = hanmi(&["run", "--input", data.to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    for svg in ["themes_by_era.svg", "stance_by_era.svg", "k_selection.svg"] {
        let text = std::fs::read_to_string(out.path().join(svg)).unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{svg}: {e}"));
    }
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    for part in ["themes_by_era", "clusters.csv", "era_keyness.csv", "<svg"] {
        assert!(html.contains(part), "index.html lacks {part}");
    }
    // Nothing is fetched: no external sources or stylesheets (the SVG namespace URI is a name, not a fetch).
    for fetch in ["src=\"http", "href=\"http", "<link", "<script src", "url(http"] {
        assert!(!html.contains(fetch), "index.html fetches {fetch}");
    }
}
