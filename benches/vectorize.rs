//! Vectorizer throughput (MB/s of text): the analyze + vectorize stages of `hanmi vectorize` (parallel counting,
//! then vocabulary, IDF and weighted rows with `hanmi vectorize`'s defaults, scikit-learn's) on English (KCNA stories, UN speeches)
//! and Korean (YNAT headlines). `cargo bench --bench vectorize`; skipped with a message where ../shared/data is
//! absent.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hanmi::corpus::{Corpus, ReadOptions};
use hanmi::text::{Analyzer, AnalyzerConfig};
use hanmi::vectorize::{count, fit, TfidfParams};

const CORPORA: [(&str, &str); 3] = [
    ("en_kcna_stories", "../shared/data/kcna/kcna_stories_en_2011_2012.csv"),
    ("en_ungd_speeches", "../shared/data/ungd/ungdc_6countries_1946_2024.csv"),
    ("ko_ynat_headlines", "../shared/data/ynat/klue_ynat_20k.csv"),
];

fn texts(path: &str) -> Option<Vec<String>> {
    if !Path::new(path).exists() {
        eprintln!("skipping {path}: ../shared/data is absent");
        return None;
    }
    let corpus = Corpus::read(&[path.into()], &ReadOptions::default()).expect("corpus reads");
    Some(corpus.records.into_iter().map(|r| r.text).collect())
}

fn vectorize(c: &mut Criterion) {
    let analyzer = Analyzer::new(&AnalyzerConfig::default()).expect("analyzer builds");
    let params = TfidfParams::default();
    let mut group = c.benchmark_group("vectorize");
    group.sample_size(10);
    for (name, path) in CORPORA {
        let Some(texts) = texts(path) else { continue };
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{name}/count"), |b| b.iter(|| count(&analyzer, &texts).n_docs()));
        let counts = count(&analyzer, &texts);
        group.bench_function(format!("{name}/fit"), |b| b.iter(|| fit(&counts, &params).expect("fits").tfidf.nnz()));
        group.bench_function(format!("{name}/count_and_fit"), |b| {
            b.iter(|| fit(&count(&analyzer, &texts), &params).expect("fits").tfidf.nnz())
        });
    }
    group.finish();
}

criterion_group!(benches, vectorize);
criterion_main!(benches);
