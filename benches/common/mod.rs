//! What the benches share: the shared corpora, read once.

use std::path::Path;

use hanmi::corpus::{Corpus, ReadOptions};

/// The allocator of the `hanmi` binary (see main.rs), so that the benches measure what the command does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub const KCNA_STORIES: (&str, &str) = ("en_kcna_stories", "../shared/data/kcna/kcna_stories_en_2011_2012.csv");
pub const UN_SPEECHES: (&str, &str) = ("en_ungd_speeches", "../shared/data/ungd/ungdc_6countries_1946_2024.csv");
pub const YNAT_HEADLINES: (&str, &str) = ("ko_ynat_headlines", "../shared/data/ynat/klue_ynat_20k.csv");

/// The texts of a corpus, or `None` (with a message) where ../shared/data is absent.
pub fn texts(path: &str) -> Option<Vec<String>> {
    if !Path::new(path).exists() {
        eprintln!("skipping {path}: ../shared/data is absent");
        return None;
    }
    let corpus = Corpus::read(&[path.into()], &ReadOptions::default()).expect("corpus reads");
    Some(corpus.records.into_iter().map(|r| r.text).collect())
}
