//! Charts and the HTML page: written, well-formed XML, showing the eras, escaping what must be escaped.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use hanmi::eras::{era_stance, theme_prevalence, EraTable, UNDATED};
use hanmi::report::charts::{k_selection_svg, stance_by_era_svg, themes_by_era_svg};
use hanmi::report::html::{write_index_html, PREVIEW_ROWS};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Parses `path` as XML (panicking with the parser's message if it is not well-formed) and returns its
/// text and the name of its root element.
fn well_formed(path: &Path) -> (String, String) {
    let text = fs::read_to_string(path).unwrap();
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(&text, options)
        .unwrap_or_else(|e| panic!("{} is not well-formed: {e}", path.display()));
    let root = doc.root_element().tag_name().name().to_string();
    (text.clone(), root)
}

/// The text of every `<text>` element of an SVG, joined by newlines.
fn svg_texts(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect::<Vec<_>>().join("\n")
}

fn rok() -> EraTable {
    EraTable::resolve("rok-presidents").unwrap()
}

/// Records in four ROK eras (one with a long name) and undated, in three themes.
fn corpus() -> (Vec<String>, Vec<String>) {
    let eras = strings(&[
        "Kim Dae-jung",
        "Kim Dae-jung",
        "Roh Moo-hyun",
        "Roh Moo-hyun",
        "Roh Moo-hyun",
        "Hwang Kyo-ahn (acting)",
        "Moon Jae-in",
        "Moon Jae-in",
        UNDATED,
    ]);
    let themes =
        strings(&["engagement", "trade", "engagement", "costs", "trade", "costs", "engagement", "costs", "trade"]);
    (eras, themes)
}

fn theme_names() -> BTreeMap<String, String> {
    [("engagement", "Engagement / 대북 포용"), ("trade", "Trade & <FTA>"), ("costs", "Cost sharing / 방위비 분담")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn themes_chart_is_well_formed_and_names_eras_and_themes() {
    let dir = tempfile::tempdir().unwrap();
    let (eras, themes) = corpus();
    let rows = theme_prevalence(&rok(), &eras, &themes).unwrap();
    let path = dir.path().join("themes_by_era.svg");
    themes_by_era_svg(&path, &rows, &theme_names()).unwrap();
    let (svg, root) = well_formed(&path);
    assert_eq!(root, "svg");
    let texts = svg_texts(&svg);
    for label in
        ["Kim Dae-jung (2)", "Roh Moo-hyun (3)", "Hwang Kyo-ahn (acting) (1)", "Moon Jae-in (2)", "undated (1)"]
    {
        assert!(texts.contains(label), "{label} missing from\n{texts}");
    }
    // Legend with readable theme names; `<` and `&` escaped in the file, intact in the text.
    assert!(texts.contains("Trade & <FTA>") && texts.contains("대북 포용"), "{texts}");
    assert!(svg.contains("Trade &amp; &lt;FTA&gt;"));
    // Five eras do not fit side by side at this width: the labels are turned.
    assert!(svg.contains("rotate(90"), "long labels are rotated");
    // One bar segment per nonzero (era, theme) share: 2 + 3 + 1 + 2 + 1.
    assert_eq!(svg.matches("<rect").count() - 1 - 3, 9, "bars besides the background and legend squares");
    // Same rows, same bytes.
    let again = dir.path().join("again.svg");
    themes_by_era_svg(&again, &rows, &theme_names()).unwrap();
    assert_eq!(fs::read(&path).unwrap(), fs::read(&again).unwrap());
}

#[test]
fn very_long_era_names_are_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("long.csv");
    fs::write(
        &csv,
        "name,start,end\nThe long period of détente and rapprochement,1970-01-01,1979-12-31\nLater,1980-01-01,\n",
    )
    .unwrap();
    let table = EraTable::load(&csv).unwrap();
    let eras = strings(&["The long period of détente and rapprochement", "Later"]);
    let rows = theme_prevalence(&table, &eras, &strings(&["a", "b"])).unwrap();
    let path = dir.path().join("themes.svg");
    themes_by_era_svg(&path, &rows, &BTreeMap::new()).unwrap();
    let texts = svg_texts(&well_formed(&path).0);
    assert!(texts.contains("The long period of déte…"), "{texts}");
    assert!(!texts.contains("rapprochement"), "{texts}");
}

#[test]
fn stance_chart_is_well_formed_with_whiskers_per_axis() {
    let dir = tempfile::tempdir().unwrap();
    let (eras, _) = corpus();
    let axes = strings(&["pro_alliance", "engagement"]);
    let scores = vec![
        vec![Some(0.5), Some(0.1), Some(-0.2), Some(-0.4), None, Some(0.9), Some(0.3), Some(0.6), None],
        vec![Some(0.8), None, Some(0.7), Some(0.2), Some(0.1), None, None, None, None],
    ];
    let rows = era_stance(&rok(), &eras, &axes, &scores, 42).unwrap();
    let path = dir.path().join("stance_by_era.svg");
    stance_by_era_svg(&path, &rows).unwrap();
    let (svg, root) = well_formed(&path);
    assert_eq!(root, "svg");
    let texts = svg_texts(&svg);
    for label in ["Kim Dae-jung", "Roh Moo-hyun", "Hwang Kyo-ahn (acting)", "Moon Jae-in", "pro_alliance", "engagement"]
    {
        assert!(texts.contains(label), "{label} missing from\n{texts}");
    }
    // The y axis runs from -1 to 1.
    assert!(texts.contains("-1.0") && texts.contains("1.0"), "{texts}");
    // One point per (era, axis) with a scored record: pro_alliance in 4 eras, engagement in 2.
    assert_eq!(svg.matches("<circle").count(), 6);
    assert!(!svg.contains("NaN"));
}

#[test]
fn k_selection_chart_marks_the_chosen_k() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [(2, 0.21, 310.0, false), (3, 0.28, 290.5, false), (4, 0.35, 301.0, true), (5, 0.30, f64::NAN, false)];
    let path = dir.path().join("k_selection.svg");
    k_selection_svg(&path, &rows).unwrap();
    let (svg, root) = well_formed(&path);
    assert_eq!(root, "svg");
    let texts = svg_texts(&svg);
    assert!(texts.contains("chosen k = 4"), "{texts}");
    assert!(texts.contains("silhouette") && texts.contains("Calinski–Harabasz"), "{texts}");
    assert!(!svg.contains("NaN"));
}

#[test]
fn empty_inputs_give_a_no_data_chart() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes.svg");
    let stance = dir.path().join("stance.svg");
    let k = dir.path().join("k.svg");
    themes_by_era_svg(&themes, &[], &BTreeMap::new()).unwrap();
    stance_by_era_svg(&stance, &[]).unwrap();
    k_selection_svg(&k, &[]).unwrap();
    for path in [&themes, &stance, &k] {
        let (svg, root) = well_formed(path);
        assert_eq!(root, "svg");
        assert!(svg_texts(&svg).contains("no data"), "{}", path.display());
    }
    // Rows without any scored record are no data too.
    let rows = era_stance(&rok(), &strings(&["Moon Jae-in"]), &strings(&["a"]), &[vec![None]], 1).unwrap();
    stance_by_era_svg(&stance, &rows).unwrap();
    assert!(svg_texts(&well_formed(&stance).0).contains("no data"));
    k_selection_svg(&k, &[(3, f64::NAN, f64::NAN, true)]).unwrap();
    assert!(svg_texts(&well_formed(&k).0).contains("no data"));
}

#[test]
fn index_page_inlines_charts_and_previews_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (eras, themes) = corpus();
    let rows = theme_prevalence(&rok(), &eras, &themes).unwrap();
    themes_by_era_svg(&dir.path().join("themes_by_era.svg"), &rows, &theme_names()).unwrap();
    k_selection_svg(&dir.path().join("k_selection.svg"), &[(2, 0.2, 10.0, true)]).unwrap();
    let mut clusters = String::from("cluster,size,theme,top_terms\n");
    for i in 0..20 {
        clusters.push_str(&format!("{i},{},theme_{i},\"alliance, <b>bold</b> & more\"\n", 100 - i));
    }
    fs::write(dir.path().join("clusters.csv"), clusters).unwrap();
    fs::write(
        dir.path().join("era_keyness.csv"),
        "era,term,display,count_era,count_rest,log_odds,z\nMoon Jae-in,평화,평화,12,3,1.2,3.4\n",
    )
    .unwrap();
    fs::write(dir.path().join("manifest.json"), "{}").unwrap();
    let files = strings(&["themes_by_era.svg", "k_selection.svg", "clusters.csv", "era_keyness.csv", "manifest.json"]);
    write_index_html(dir.path(), "hanmi report: <ROK> & US", &files).unwrap();

    let (html, root) = well_formed(&dir.path().join("index.html"));
    assert_eq!(root, "html");
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(&html, options).unwrap();
    // Both charts inlined, nothing loaded from elsewhere.
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("svg")).count(), 2);
    assert!(html.contains("Kim Dae-jung (2)"));
    for tag in ["script", "link", "img", "iframe"] {
        assert!(!doc.descendants().any(|n| n.has_tag_name(tag)), "no <{tag}>");
    }
    assert!(!doc.descendants().any(|n| n.attribute("src").is_some()), "nothing fetched");
    // Tables: headers, the first rows only, cells escaped, links to the files.
    let headers: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("th")).filter_map(|n| n.text()).collect();
    for h in ["cluster", "size", "theme", "top_terms", "era", "term", "display", "count_era", "log_odds", "z"] {
        assert!(headers.contains(&h), "header {h} missing: {headers:?}");
    }
    let tables: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("table")).collect();
    assert_eq!(tables.len(), 2);
    let body_rows = |t: &roxmltree::Node| t.descendants().filter(|n| n.has_tag_name("tr")).count() - 1;
    assert_eq!(body_rows(&tables[0]), PREVIEW_ROWS);
    assert_eq!(body_rows(&tables[1]), 1);
    assert!(html.contains("15 of 20 rows shown"));
    assert!(html.contains("alliance, &lt;b&gt;bold&lt;/b&gt; &amp; more"));
    assert!(!html.contains("<b>bold"));
    assert!(html.contains("hanmi report: &lt;ROK&gt; &amp; US"));
    assert!(html.contains("평화"));
    let links: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("href")).collect();
    for file in &files {
        assert!(links.contains(&file.as_str()), "link to {file}");
    }
}

#[test]
fn index_page_names_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = write_index_html(dir.path(), "t", &strings(&["themes_by_era.svg"])).unwrap_err();
    assert!(format!("{err:#}").contains("themes_by_era.svg"), "{err:#}");
    let err = write_index_html(dir.path(), "t", &strings(&["eras.csv"])).unwrap_err();
    assert!(format!("{err:#}").contains("eras.csv"), "{err:#}");
    assert!(!dir.path().join("index.html").exists());
}

#[test]
fn many_themes_get_a_taller_chart_with_every_legend_line() {
    let dir = tempfile::tempdir().unwrap();
    let themes: Vec<String> = (0..40).map(|i| format!("theme_{i:02}")).collect();
    let eras = vec!["Moon Jae-in".to_string(); themes.len()];
    let rows = theme_prevalence(&rok(), &eras, &themes).unwrap();
    let path = dir.path().join("themes.svg");
    themes_by_era_svg(&path, &rows, &BTreeMap::new()).unwrap();
    let (svg, _) = well_formed(&path);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let height: u32 = doc.root_element().attribute("height").unwrap().parse().unwrap();
    assert!(height >= 75 + 22 * 40, "height {height}");
    assert!(svg_texts(&svg).contains("theme_39"));
}
