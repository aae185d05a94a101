//! Analyzer throughput (MB/s) on English (KCNA stories, UN speeches) and Korean (YNAT headlines) text.
//! `cargo bench --bench analyze`; skipped with a message where ../shared/data is absent.

mod common;

use common::{texts, KCNA_STORIES, UN_SPEECHES, YNAT_HEADLINES};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hanmi::text::{for_each_run, Analyzer, AnalyzerConfig, TokenSession, Tokenize};

const CORPORA: [(&str, &str); 3] = [KCNA_STORIES, UN_SPEECHES, YNAT_HEADLINES];

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
