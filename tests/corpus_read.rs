//! Records in: the seed pages, every shared CSV, and the column options.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{repo_file, shared_data};
use hanmi::corpus::{Corpus, Lang, PartialDate, ReadOptions};

fn read(paths: &[PathBuf], opts: &ReadOptions) -> Corpus {
    Corpus::read(paths, opts).unwrap_or_else(|e| panic!("reading {paths:?}: {e:#}"))
}

#[test]
fn korean_archive_page_fields() {
    let c = read(&[repo_file("data/seeds/000_afddf31a8481b1f2.txt")], &ReadOptions::default());
    assert_eq!(c.records.len(), 1);
    let r = &c.records[0];
    assert_eq!(r.id, "000_afddf31a8481b1f2");
    assert_eq!(r.title, "Conditions for Achieving Strategic Integration between the U.S. and South Korea");
    assert_eq!(r.authors, ["정성윤"]);
    assert_eq!(r.affiliation, "통일연구원");
    assert_eq!(r.publisher, "일민국제관계연구원");
    assert_eq!(r.venue, "국제관계연구");
    assert_eq!(r.volume, "26(2)");
    assert_eq!(r.pages, "99-129");
    assert_eq!(r.date, Some(PartialDate::year(2021)));
    assert_eq!(
        r.keywords,
        [
            "Biden administration",
            "ROK-U.S. alliance",
            "strategic integration",
            "North Korea",
            "denuclearization",
            "정성윤"
        ]
    );
    // The analyzed text is the title, the keywords, then the abstract.
    let lines: Vec<&str> = r.text.lines().collect();
    assert_eq!(lines[0], r.title);
    assert!(!lines[1].contains('#') && lines[1].contains("정성윤"), "{}", lines[1]);
    assert!(lines[2].starts_with("This article explores ways to strengthen the ROK-U.S. alliance"));
    assert!(r.text.ends_with("needs to consider."));
    // Navigation noise belongs to no field.
    for noise in ["HOME", "논문", "학술", "통일과나눔"] {
        assert!(!r.text.contains(noise) && !r.title.contains(noise), "{noise} leaked into the record");
    }
    assert_eq!(r.lang(), Lang::En);
}

#[test]
fn citation_page_fields() {
    let c = read(&[repo_file("data/seeds/001_324070740f088e89.txt")], &ReadOptions::default());
    let r = &c.records[0];
    assert_eq!(r.title, "Grudging Partner: South Korea's Response to U.S. Security Policies");
    assert_eq!(r.extra["Descriptive Note"], "Special assessment rept.");
    assert_eq!(r.subjects, ["Government and Political Science", "Defense Systems"]);
    // Empty on the page, so empty here: nothing invented.
    assert_eq!(r.extra["Accession Number"], "");
    assert_eq!(r.extra["Distribution Statement"], "");
    assert!(r.authors.is_empty() && r.publisher.is_empty() && r.pages.is_empty());
    assert_eq!(r.date, None);
    assert!(r.text.starts_with("As one of the U.S strongest allies in the Asia-Pacific region"));
    assert!(r.text.contains("anti-American sentiment"));
    assert!(!r.text.contains("Subject Categories"));
}

#[test]
fn seed_folder_reads_both_pages_in_path_order() {
    let c = read(&[repo_file("data/seeds")], &ReadOptions::default());
    let ids: Vec<&str> = c.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["000_afddf31a8481b1f2", "001_324070740f088e89"]);
    assert_eq!(c.inputs.len(), 2);
    assert!(c.inputs.iter().all(|i| i.sha256.len() == 64));
}

/// Every CSV under the shared data folder reads with its columns detected by name.
#[test]
fn every_shared_csv_reads() {
    let cases = [
        ("20ng/20ng_sklearn_kmeans_example_4cat.csv", 3387),
        ("ungd/ungdc_6countries_1946_2024.csv", 371),
        ("ynat/klue_ynat_20k.csv", 20_000),
        ("stance/ibm_claim_stance.csv", 2394),
        ("press/korean_newspaper_tweets_2017.csv", 2748),
        ("kcna/kcna_headlines_en_1997_2014.csv", 99_841),
        ("kcna/kcna_stories_en_2011_2012.csv", 20_216),
    ];
    for (rel, rows) in cases {
        let Some(path) = shared_data(rel) else { continue };
        let c = read(&[path], &ReadOptions::default());
        assert_eq!(c.records.len(), rows, "{rel}");
        assert!(c.rejected.is_empty(), "{rel}");
        let dated = c.records.iter().filter(|r| r.year().is_some()).count();
        let nonempty = c.records.iter().filter(|r| !r.is_empty_text()).count();
        assert!(nonempty > rows * 9 / 10, "{rel}: only {nonempty} records have text");
        match rel {
            "20ng/20ng_sklearn_kmeans_example_4cat.csv" => {
                // 92 posts are empty after stripping headers, footers and quotes: kept and flagged.
                assert_eq!(rows - nonempty, 92);
                assert_eq!(c.records[0].label.as_deref(), Some("alt.atheism"));
                assert!(c.warnings.iter().any(|w| w.contains("92 record(s) have empty text")));
            }
            "ungd/ungdc_6countries_1946_2024.csv" => {
                assert_eq!(dated, rows);
                assert!(c.records.iter().any(|r| r.extra.get("country_iso").map(String::as_str) == Some("KOR")));
            }
            "ynat/klue_ynat_20k.csv" => {
                assert!(c.records.iter().filter(|r| r.lang() == Lang::Ko).count() > rows * 9 / 10);
            }
            "press/korean_newspaper_tweets_2017.csv" => {
                assert_eq!(c.records[0].date, Some(PartialDate::ymd(2017, 7, 27)));
            }
            "kcna/kcna_headlines_en_1997_2014.csv" => {
                // No text column: the headline (title) is the text.
                assert_eq!(dated, rows);
                assert!(c.records[0].text.starts_with("New Year editorial"));
            }
            _ => {}
        }
    }
}

#[test]
fn column_options_choose_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.csv");
    fs::write(
        &path,
        "doc,when,headline,summary,body,outlet,stance\n\
         a1,2021년 3월 5일,동맹 강화,한미동맹의 전략적 통합(strategic integration),Biden 행정부에서 강조되었다,연합뉴스,pro\n\
         a2,March 2003,Rift,Differences over North Korea,strained the alliance,,con\n",
    )
    .unwrap();
    let opts = ReadOptions {
        text_cols: vec!["summary".into(), "body".into()],
        id_col: Some("doc".into()),
        title_col: Some("headline".into()),
        date_col: Some("when".into()),
        label_col: Some("stance".into()),
        ..ReadOptions::default()
    };
    let c = read(&[path], &opts);
    let r = &c.records[0];
    assert_eq!(r.id, "a1");
    assert_eq!(r.title, "동맹 강화");
    assert_eq!(r.text, "한미동맹의 전략적 통합(strategic integration)\n\nBiden 행정부에서 강조되었다");
    assert_eq!(r.date, Some(PartialDate::ymd(2021, 3, 5)));
    assert_eq!(r.label.as_deref(), Some("pro"));
    assert_eq!(r.extra["outlet"], "연합뉴스");
    assert_eq!(r.lang(), Lang::Mixed);
    assert_eq!(c.records[1].date, Some(PartialDate { year: 2003, month: Some(3), day: None }));
    assert_eq!(c.records[1].lang(), Lang::En);
}

#[test]
fn ids_from_file_and_row_without_id_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("speeches.csv");
    fs::write(&path, "year,text\n1994,Agreed Framework\n2018,Singapore summit\n").unwrap();
    let c = read(&[path], &ReadOptions::default());
    let ids: Vec<&str> = c.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["speeches:1", "speeches:2"]);
    assert_eq!(c.records[1].year(), Some(2018));
}

#[test]
fn jsonl_and_folders() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("b")).unwrap();
    fs::write(
        dir.path().join("b/news.jsonl"),
        "{\"id\": \"n1\", \"text\": \"사드 배치 논란\", \"date\": \"2017-03-07\", \"keywords\": [\"THAAD\", \"사드\"]}\n\n\
         {\"id\": \"n2\", \"text\": \"Cost sharing talks\", \"date\": 2019, \"views\": 12}\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.csv"), "id,text\nc1,Alliance\n").unwrap();
    fs::write(dir.path().join("notes.md"), "not a record").unwrap();
    let c = read(&[dir.path().to_path_buf()], &ReadOptions::default());
    let ids: Vec<&str> = c.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["c1", "n1", "n2"], "sorted path order: a.csv before b/news.jsonl");
    assert_eq!(c.records[1].keywords, ["THAAD", "사드"]);
    assert_eq!(c.records[2].year(), Some(2019));
    assert_eq!(c.records[2].extra["views"], "12");
    assert!(
        c.skipped_files.iter().any(|f| f.ends_with("notes.md")),
        "non-record files are listed, not dropped silently"
    );
}
