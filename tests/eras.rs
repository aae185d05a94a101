//! Era tables, era assignment, theme prevalence, stance and keyness per era.

use hanmi::eras::{
    era_cluster_terms, era_keyness, era_stance, theme_prevalence, wilson_interval, Day, EraLabel, EraTable, NO_ERA,
    UNDATED, Z_95,
};
use hanmi::text::StringList;
use hanmi::PartialDate;
use sprs::TriMat;

const TOY: &str = r#"
name = "toy"
description = "three US administrations"
[[era]]
name = "Clinton"
name_ko = "클린턴"
start = "1993-01-20"
end = "2001-01-19"
[[era]]
name = "G.W. Bush"
start = "2001-01-20"
end = "2009-01-19"
[[era]]
name = "Obama"
start = 2009-01-20
"#;

fn toy() -> EraTable {
    EraTable::from_toml(TOY, "toy table").unwrap()
}

fn era_of(table: &EraTable, date: &str) -> String {
    let date = PartialDate::parse(date).unwrap();
    table.label_name(table.assign(Some(&date))).to_string()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn error_of(toml: &str) -> String {
    format!("{:#}", EraTable::from_toml(toml, "my-eras.toml").unwrap_err())
}

#[test]
fn toml_table_reads_names_dates_and_open_end() {
    let t = toy();
    assert_eq!(t.name, "toy");
    assert_eq!(t.description, "three US administrations");
    assert_eq!(t.eras.len(), 3);
    assert_eq!(t.eras[0].name_ko.as_deref(), Some("클린턴"));
    assert_eq!(t.eras[1].start, Day::new(2001, 1, 20));
    assert_eq!(t.eras[1].end, Some(Day::new(2009, 1, 19)));
    // An unquoted TOML date is read like a quoted one.
    assert_eq!(t.eras[2].start, Day::new(2009, 1, 20));
    assert_eq!(t.eras[2].end, None);
    assert_eq!(t.label_order(), vec!["Clinton", "G.W. Bush", "Obama", NO_ERA, UNDATED]);
}

#[test]
fn inauguration_day_belongs_to_the_new_era() {
    let t = toy();
    assert_eq!(era_of(&t, "2001-01-19"), "Clinton");
    assert_eq!(era_of(&t, "2001-01-20"), "G.W. Bush");
    assert_eq!(era_of(&t, "1993-01-20"), "Clinton");
    assert_eq!(era_of(&t, "2009-01-19"), "G.W. Bush");
    assert_eq!(era_of(&t, "2009-01-20"), "Obama");
    // The open-ended last era holds every later day.
    assert_eq!(era_of(&t, "2031-12-31"), "Obama");
}

#[test]
fn year_only_and_month_only_dates_use_the_middle_of_their_span() {
    let t = toy();
    // 2001 spans Clinton's last days and Bush's first year: 1 July 2001 is Bush's.
    assert_eq!(era_of(&t, "2001"), "G.W. Bush");
    assert_eq!(era_of(&t, "1993"), "Clinton");
    // January 2001 → 15 January 2001, still Clinton; January 2009 → 15 January, still Bush.
    assert_eq!(era_of(&t, "2001-01"), "Clinton");
    assert_eq!(era_of(&t, "2009-01"), "G.W. Bush");
    assert_eq!(era_of(&t, "February 2009"), "Obama");
    assert!(hanmi::eras::PARTIAL_DATE_RULE.contains("1 July"));
}

#[test]
fn undated_and_out_of_table_records_get_their_own_labels() {
    let t = toy();
    assert_eq!(t.assign(None), EraLabel::Undated);
    assert_eq!(era_of(&t, "1992-12-31"), NO_ERA);
    assert_eq!(era_of(&t, "1993-01-19"), NO_ERA);
    let dates = [PartialDate::parse("2005-03-01"), None, PartialDate::parse("1980"), PartialDate::parse("2010")];
    let (labels, note) = t.assign_all(&dates);
    assert_eq!(labels, strings(&["G.W. Bush", UNDATED, NO_ERA, "Obama"]));
    assert_eq!((note.in_eras, note.no_era, note.undated, note.partial_dates), (2, 1, 1, 2));
    assert!(note.message().contains("1 undated"), "{}", note.message());
    assert!(note.message().contains("1 July"), "{}", note.message());
}

#[test]
fn user_csv_table_with_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("periods.csv");
    std::fs::write(&path, "name,start,end\nCold War,1947-03-12,1991-12-26\nAfter 9/11,2001-09-11,\n").unwrap();
    let t = EraTable::resolve(path.to_str().unwrap()).unwrap();
    assert_eq!(t.name, "periods");
    assert_eq!(t.eras.len(), 2);
    assert_eq!(t.eras[1].end, None);
    assert_eq!(era_of(&t, "1991-12-26"), "Cold War");
    assert_eq!(era_of(&t, "1995-06-01"), NO_ERA, "a date in the gap is in no era");
    assert_eq!(era_of(&t, "2001-09-11"), "After 9/11");
}

#[test]
fn user_csv_table_errors_name_the_line() {
    let err = EraTable::from_csv("name,start,end\nA,2000-01-01,2000-12-31\nB,2000-13-01,\n", "eras.csv").unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("eras.csv, line 3 (`B`)") && msg.contains("2000-13-01"), "{msg}");
    let err = EraTable::from_csv("era,from\nA,2000-01-01\n", "eras.csv").unwrap_err();
    assert!(format!("{err:#}").contains("name,start,end"), "{err:#}");
}

#[test]
fn overlapping_eras_are_an_error() {
    let msg = error_of(
        "[[era]]\nname = \"A\"\nstart = \"2000-01-01\"\nend = \"2005-01-20\"\n\
         [[era]]\nname = \"B\"\nstart = \"2005-01-20\"\n",
    );
    assert!(msg.contains("my-eras.toml") && msg.contains("overlap") && msg.contains("`B`"), "{msg}");
    // An open-ended era that is not the last overlaps the next one.
    let msg =
        error_of("[[era]]\nname = \"A\"\nstart = \"2000-01-01\"\n[[era]]\nname = \"B\"\nstart = \"2005-01-20\"\n");
    assert!(msg.contains("overlap") && msg.contains("`A` has no end date"), "{msg}");
}

#[test]
fn unordered_eras_are_an_error() {
    let msg = error_of(
        "[[era]]\nname = \"Late\"\nstart = \"2010-01-01\"\nend = \"2010-12-31\"\n\
         [[era]]\nname = \"Early\"\nstart = \"2000-01-01\"\nend = \"2000-12-31\"\n",
    );
    assert!(msg.contains("not in date order") && msg.contains("`Early`"), "{msg}");
}

#[test]
fn bad_dates_are_an_error_naming_the_era() {
    let msg = error_of("[[era]]\nname = \"A\"\nstart = \"sometime in 2000\"\n");
    assert!(msg.contains("era 1 (`A`)") && msg.contains("sometime in 2000"), "{msg}");
    let msg = error_of("[[era]]\nname = \"A\"\nstart = \"2000-02-30\"\n");
    assert!(msg.contains("`2000-02-30` is not a full date"), "{msg}");
    let msg = error_of("[[era]]\nname = \"A\"\nstart = \"2000\"\n");
    assert!(msg.contains("start date `2000`"), "{msg}");
    let msg = error_of("[[era]]\nname = \"A\"\nstart = \"2000-05-01\"\nend = \"2000-04-30\"\n");
    assert!(msg.contains("ends (2000-04-30) before it starts (2000-05-01)"), "{msg}");
}

#[test]
fn empty_duplicate_and_reserved_names_are_errors() {
    assert!(error_of("name = \"x\"\n").contains("has no eras"));
    let dup = "[[era]]\nname = \"A\"\nstart = \"2000-01-01\"\nend = \"2000-12-31\"\n\
               [[era]]\nname = \"A\"\nstart = \"2001-01-01\"\n";
    assert!(error_of(dup).contains("`A` is used twice"));
    assert!(error_of("[[era]]\nname = \"undated\"\nstart = \"2000-01-01\"\n").contains("reserved"));
    assert!(error_of("[[era]]\nname = \" \"\nstart = \"2000-01-01\"\n").contains("no name"));
}

#[test]
fn resolve_names_builtins_or_says_what_exists() {
    let err = format!("{:#}", EraTable::resolve("us-presidentz").unwrap_err());
    assert!(err.contains("us-presidents") && err.contains("decades"), "{err}");
    let missing = format!("{:#}", EraTable::load(std::path::Path::new("/nonexistent/eras.toml")).unwrap_err());
    assert!(missing.contains("/nonexistent/eras.toml"), "{missing}");
}

#[test]
fn builtin_tables_parse_and_know_their_boundaries() {
    assert_eq!(EraTable::builtin_names(), vec!["us-presidents", "rok-presidents", "dprk-leaders", "decades"]);
    for name in EraTable::builtin_names() {
        let table = EraTable::from_toml(
            match name {
                "us-presidents" => include_str!("../data/builtin/eras/us-presidents.toml"),
                "rok-presidents" => include_str!("../data/builtin/eras/rok-presidents.toml"),
                "dprk-leaders" => include_str!("../data/builtin/eras/dprk-leaders.toml"),
                _ => include_str!("../data/builtin/eras/decades.toml"),
            },
            name,
        )
        .unwrap();
        assert_eq!(EraTable::builtin(name), Some(table.clone()));
        assert_eq!(table.name, name);
        assert!(table.eras.last().unwrap().end.is_none() || name == "decades", "{name} runs to today");
    }
    let us = EraTable::resolve("us-presidents").unwrap();
    assert_eq!(era_of(&us, "2017-01-19"), "Obama");
    assert_eq!(era_of(&us, "2017-01-20"), "Trump");
    assert_eq!(era_of(&us, "2021-01-20"), "Biden");
    assert_eq!(era_of(&us, "2025-01-20"), "Trump II");
    let rok = EraTable::resolve("rok-presidents").unwrap();
    assert_eq!(era_of(&rok, "2022-05-09"), "Moon Jae-in");
    assert_eq!(era_of(&rok, "2022-05-10"), "Yoon Suk Yeol");
    assert_eq!(era_of(&rok, "1998-02-25"), "Kim Dae-jung");
    assert_eq!(era_of(&rok, "2025-06-04"), "Lee Jae-myung");
    let dprk = EraTable::resolve("dprk-leaders").unwrap();
    assert_eq!(era_of(&dprk, "2011-12-17"), "Kim Jong-il");
    assert_eq!(era_of(&dprk, "2012"), "Kim Jong-un");
    let decades = EraTable::resolve("decades").unwrap();
    assert_eq!(era_of(&decades, "1999-12-31"), "1990s");
    assert_eq!(era_of(&decades, "2000-01-01"), "2000s");
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() < tol
}

#[test]
fn wilson_interval_matches_hand_computation() {
    // centre = (p + z²/2n) / (1 + z²/n), half = z/(1 + z²/n) · sqrt(p(1−p)/n + z²/4n²)
    let (lo, hi) = wilson_interval(3, 10, Z_95);
    assert!(close(lo, 0.1077913, 1e-6) && close(hi, 0.6032219, 1e-6), "{lo} {hi}");
    // 0 of 5: the lower bound is exactly 0, the upper 2·centre = z²/n / (1 + z²/n).
    let (lo, hi) = wilson_interval(0, 5, Z_95);
    assert!(lo == 0.0 && close(hi, 0.4344825, 1e-6), "{lo} {hi}");
    let (lo, hi) = wilson_interval(5, 5, Z_95);
    assert!(close(lo, 0.5655175, 1e-6) && hi == 1.0, "{lo} {hi}");
    assert_eq!(wilson_interval(0, 0, Z_95), (0.0, 1.0));
}

#[test]
fn prevalence_rows_cover_every_era_and_theme_in_order() {
    let t = toy();
    let eras = strings(&[UNDATED, "Obama", "Clinton", "Obama", "Obama", NO_ERA]);
    let themes = strings(&["trade", "trade", "north_korea", "north_korea", "trade", "trade"]);
    let rows = theme_prevalence(&t, &eras, &themes).unwrap();
    let keys: Vec<(&str, &str, usize, usize)> =
        rows.iter().map(|r| (r.era.as_str(), r.theme.as_str(), r.docs, r.theme_docs)).collect();
    assert_eq!(
        keys,
        vec![
            ("Clinton", "north_korea", 1, 1),
            ("Clinton", "trade", 1, 0),
            ("Obama", "north_korea", 3, 1),
            ("Obama", "trade", 3, 2),
            (NO_ERA, "north_korea", 1, 0),
            (NO_ERA, "trade", 1, 1),
            (UNDATED, "north_korea", 1, 0),
            (UNDATED, "trade", 1, 1),
        ]
    );
    assert_eq!((rows[0].start.as_str(), rows[0].end.as_str()), ("1993-01-20", "2001-01-19"));
    assert_eq!((rows[2].start.as_str(), rows[2].end.as_str()), ("2009-01-20", ""));
    assert_eq!((rows[4].start.as_str(), rows[4].end.as_str()), ("", ""));
    assert!(close(rows[3].share, 2.0 / 3.0, 1e-12));
    assert_eq!((rows[3].ci_low, rows[3].ci_high), wilson_interval(2, 3, Z_95));
    assert!(theme_prevalence(&t, &strings(&["Nixon"]), &strings(&["trade"])).is_err());
    assert!(theme_prevalence(&t, &strings(&["Obama"]), &[]).is_err());
}

#[test]
fn stance_means_and_bootstrap_intervals_are_deterministic() {
    let t = toy();
    let eras = strings(&["Clinton", "Clinton", "Clinton", "Obama", "Obama", UNDATED]);
    let axes = strings(&["pro_alliance", "engagement"]);
    let scores = vec![
        vec![Some(0.5), Some(-0.5), Some(1.0), Some(0.2), None, None],
        vec![None, None, None, Some(0.4), Some(0.4), None],
    ];
    let rows = era_stance(&t, &eras, &axes, &scores, 42).unwrap();
    let keys: Vec<(&str, &str, usize)> = rows.iter().map(|r| (r.era.as_str(), r.axis.as_str(), r.docs)).collect();
    assert_eq!(
        keys,
        vec![
            ("Clinton", "pro_alliance", 3),
            ("Clinton", "engagement", 0),
            ("Obama", "pro_alliance", 1),
            ("Obama", "engagement", 2),
            (UNDATED, "pro_alliance", 0),
            (UNDATED, "engagement", 0),
        ]
    );
    let clinton = &rows[0];
    assert!(close(clinton.mean.unwrap(), 1.0 / 3.0, 1e-12));
    let (lo, hi) = (clinton.ci_low.unwrap(), clinton.ci_high.unwrap());
    // Resampled means of three values lie between the smallest and largest value.
    assert!((-0.5..=clinton.mean.unwrap()).contains(&lo) && (clinton.mean.unwrap()..=1.0).contains(&hi), "{lo} {hi}");
    assert!(hi - lo > 0.3, "three spread values give a wide interval: {lo} {hi}");
    assert_eq!((rows[1].mean, rows[1].ci_low, rows[1].ci_high), (None, None, None));
    // One value, or equal values: the interval is that value.
    assert_eq!((rows[2].ci_low, rows[2].ci_high), (Some(0.2), Some(0.2)));
    assert_eq!((rows[3].mean, rows[3].ci_low), (Some(0.4), Some(0.4)));

    assert_eq!(era_stance(&t, &eras, &axes, &scores, 42).unwrap(), rows, "same seed, same rows");
    // Clinton's interval does not depend on whether other eras have records.
    let alone = era_stance(&t, &eras[..3], &axes[..1], &[scores[0][..3].to_vec()], 42).unwrap();
    assert_eq!(alone[0], rows[0]);
}

#[test]
fn bootstrap_interval_is_close_to_the_normal_one_on_a_large_era() {
    // 40 scores spread evenly over [0, 1] (i/39): mean 0.5, standard deviation 11.543/39 = 0.2960, standard
    // error 0.0468, so the 95% interval is about 0.5 ± 0.0917 = [0.408, 0.592].
    let t = toy();
    let eras = vec!["Obama".to_string(); 40];
    let scores = vec![(0..40).map(|i| Some(i as f64 / 39.0)).collect::<Vec<_>>()];
    let axes = strings(&["pro_alliance"]);
    let row = &era_stance(&t, &eras, &axes, &scores, 42).unwrap()[0];
    let (lo, hi) = (row.ci_low.unwrap(), row.ci_high.unwrap());
    assert!(close(lo, 0.408, 0.012) && close(hi, 0.592, 0.012), "{lo} {hi}");
    let other_seed = &era_stance(&t, &eras, &axes, &scores, 7).unwrap()[0];
    assert!(close(other_seed.ci_low.unwrap(), 0.408, 0.012));
    let intervals: Vec<_> =
        (0..5).map(|seed| era_stance(&t, &eras, &axes, &scores, seed).unwrap()[0].ci_low.unwrap()).collect();
    assert!(intervals.iter().any(|&x| x != intervals[0]), "the seed is used: {intervals:?}");
}

#[test]
fn keyness_matches_hand_computation() {
    // Two eras, three terms. Clinton's records count (a, b, c) = (3, 1, 0) and (1, 0, 2); Obama's (0, 3, 1).
    // Corpus counts (4, 4, 3), total 11; with α0 = 11 the prior is α = (4, 4, 3).
    // Clinton, term a: y_i = 4, n_i = 7, y_j = 0, n_j = 4:
    //   δ = ln((4+4)/(7+11−4−4)) − ln((0+4)/(4+11−0−4)) = ln(0.8) − ln(4/11) = ln 2.2 = 0.7884574
    //   σ² = 1/8 + 1/4 = 0.375, z = 0.7884574 / 0.6123724 = 1.2875455
    // Clinton, term b: δ = ln(5/13) − ln(7/8) = −0.8219801, z = δ / sqrt(1/5 + 1/7) = −1.4037982
    // Clinton, term c: δ = ln((2+3)/(7+11−2−3)) − ln((1+3)/(4+11−1−3)) = ln(5/13) − ln(4/11) = 0.0560895,
    //   z = δ / sqrt(1/5 + 1/4) = 0.0836132
    let t = toy();
    let mut tri = TriMat::new((3, 3));
    for (r, c, v) in [(0, 0, 3.0), (0, 1, 1.0), (1, 0, 1.0), (1, 2, 2.0), (2, 1, 3.0), (2, 2, 1.0)] {
        tri.add_triplet(r, c, v);
    }
    let counts = tri.to_csr();
    let eras = strings(&["Clinton", "Clinton", "Obama"]);
    let terms: StringList = ["a", "b", "c"].into_iter().collect();
    let display: StringList = ["Alpha", "Beta", "Gamma"].into_iter().collect();
    let rows = era_keyness(&t, &eras, &counts, &terms, &display, 1, 11.0).unwrap();
    let got: Vec<(&str, &str, &str, f64, f64)> =
        rows.iter().map(|r| (r.era.as_str(), r.term.as_str(), r.display.as_str(), r.count_era, r.count_rest)).collect();
    // top 1 by z, then bottom 1 by z, per era
    assert_eq!(
        got,
        vec![
            ("Clinton", "a", "Alpha", 4.0, 0.0),
            ("Clinton", "b", "Beta", 1.0, 3.0),
            ("Obama", "b", "Beta", 3.0, 1.0),
            ("Obama", "a", "Alpha", 0.0, 4.0),
        ]
    );
    assert!(close(rows[0].log_odds, 0.7884574, 1e-6) && close(rows[0].z, 1.2875455, 1e-6), "{:?}", rows[0]);
    assert!(close(rows[1].log_odds, -0.8219801, 1e-6) && close(rows[1].z, -1.4037982, 1e-6), "{:?}", rows[1]);
    // With two groups, one era's keyness is the other's with the sign flipped.
    assert!(close(rows[2].z, 1.4037982, 1e-6) && close(rows[3].z, -1.2875455, 1e-6));

    let all = era_keyness(&t, &eras, &counts, &terms, &display, 5, 11.0).unwrap();
    let clinton_c = all.iter().find(|r| r.era == "Clinton" && r.term == "c").unwrap();
    assert!(close(clinton_c.log_odds, 0.0560895, 1e-6) && close(clinton_c.z, 0.0836132, 1e-6), "{clinton_c:?}");
    assert_eq!(all.len(), 6, "with few terms, each term is listed once per era");

    // The default prior (α0 = 1000) shrinks the same difference: z = 0.1690478 (computed the same way).
    let shrunk = era_keyness(&t, &eras, &counts, &terms, &display, 1, 1000.0).unwrap();
    assert!(close(shrunk[0].z, 0.1690478, 1e-6), "{:?}", shrunk[0]);
}

#[test]
fn keyness_skips_eras_without_comparison_and_empty_corpora() {
    let t = toy();
    let mut tri = TriMat::new((2, 2));
    tri.add_triplet(0, 0, 2.0);
    tri.add_triplet(1, 1, 1.0);
    let counts = tri.to_csr();
    let terms: StringList = ["a", "b"].into_iter().collect();
    let one_era = strings(&["Obama", "Obama"]);
    assert!(era_keyness(&t, &one_era, &counts, &terms, &terms, 10, 1000.0).unwrap().is_empty());
    let zero = TriMat::<f64>::new((2, 2)).to_csr();
    let two_eras = strings(&["Obama", "Clinton"]);
    assert!(era_keyness(&t, &two_eras, &zero, &terms, &terms, 10, 1000.0).unwrap().is_empty());
    assert!(era_keyness(&t, &two_eras, &counts, &terms, &["a"].into_iter().collect(), 10, 1000.0).is_err());
    // A column-major matrix gives the same rows as a row-major one.
    let csc = counts.to_csc();
    assert_eq!(
        era_keyness(&t, &two_eras, &csc, &terms, &terms, 10, 1000.0).unwrap(),
        era_keyness(&t, &two_eras, &counts, &terms, &terms, 10, 1000.0).unwrap()
    );
}

#[test]
fn era_cluster_terms_match_hand_computation() {
    // Records (terms a, b, c): Clinton/cluster 0 (2, 0, 1); Clinton/cluster 1 (0, 3, 0);
    // Obama/cluster 0 (1, 1, 0) and (0, 0, 2). Corpus counts (3, 4, 3), total 10, 2 clusters → A = 5.
    // idf: a, c: ln(1 + 5/3) = 0.9808293; b: ln(1 + 5/4) = 0.8109302. Each era has 2 records.
    // Clinton/0: a 2/2 · 0.9808293 = 0.9808293, c 1/2 · 0.9808293 = 0.4904146. Clinton/1: b 3/2 · 0.8109302 = 1.2163953.
    // Obama/0 counts (1, 1, 2): c 2/2 · 0.9808293 = 0.9808293, a 0.4904146, b 0.4054651 (cut by top = 2).
    let t = toy();
    let mut tri = TriMat::new((4, 3));
    for (r, c, v) in [(0, 0, 2.0), (0, 2, 1.0), (1, 1, 3.0), (2, 0, 1.0), (2, 1, 1.0), (3, 2, 2.0)] {
        tri.add_triplet(r, c, v);
    }
    let eras = strings(&["Clinton", "Clinton", "Obama", "Obama"]);
    let terms: StringList = ["a", "b", "c"].into_iter().collect();
    let display: StringList = ["A", "B", "C"].into_iter().collect();
    let rows = era_cluster_terms(&t, &eras, &[0, 1, 0, 0], &tri.to_csr(), &terms, &display, 2).unwrap();
    let got: Vec<(&str, usize, usize, &str, &str)> =
        rows.iter().map(|r| (r.era.as_str(), r.cluster, r.rank, r.term.as_str(), r.display.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("Clinton", 0, 1, "a", "A"),
            ("Clinton", 0, 2, "c", "C"),
            ("Clinton", 1, 1, "b", "B"),
            ("Obama", 0, 1, "c", "C"),
            ("Obama", 0, 2, "a", "A"),
        ]
    );
    let weights: Vec<f64> = rows.iter().map(|r| r.weight).collect();
    for (got, want) in weights.iter().zip([0.9808293, 0.4904146, 1.2163953, 0.9808293, 0.4904146]) {
        assert!(close(*got, want, 1e-6), "{weights:?}");
    }
    assert!(era_cluster_terms(&t, &eras, &[0, 1], &tri.to_csr(), &terms, &display, 2).is_err());
}
