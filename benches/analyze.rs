//! Analyzer throughput (MB/s) on English (KCNA stories) and Korean (YNAT headlines) text.
//! `cargo bench --bench analyze`; skipped with a message where ../shared/data is absent.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hanmi::corpus::{Corpus, ReadOptions};
use hanmi::text::{for_each_run, Analyzer, AnalyzerConfig, TokenSession, Tokenize};

const CORPORA: [(&str, &str); 2] = [
    ("en_kcna_stories", "../shared/data/kcna/kcna_stories_en_2011_2012.csv"),
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

fn analyze(c: &mut Criterion) {
    let analyzer = Analyzer::new(&AnalyzerConfig::default()).expect("analyzer builds");
    let mut group = c.benchmark_group("analyze");
    group.sample_size(10);
    for (name, path) in CORPORA {
        let Some(texts) = texts(path) else { continue };
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{name}/segment"), |b| {
            b.iter(|| {
                let mut n = 0usize;
                for t in &texts {
                    for_each_run(t, |w, _| n += w.len());
                }
                n
            })
        });
        group.bench_function(format!("{name}/full_chain_one_core"), |b| {
            b.iter(|| {
                let mut session = analyzer.session();
                let mut ids = Vec::new();
                for t in &texts {
                    ids.clear();
                    session.tokens(t, &mut ids);
                }
                ids.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
