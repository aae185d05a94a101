//! Vectorizer throughput (MB/s of text): the analyze + vectorize stages of `hanmi vectorize` (parallel counting,
//! then vocabulary, IDF and weighted rows as the command computes them, with scikit-learn's defaults) on English
//! (KCNA stories, UN speeches) and Korean (YNAT headlines). `cargo bench --bench vectorize`; skipped with a message
//! where ../shared/data is absent.

mod common;

use common::{texts, KCNA_STORIES, UN_SPEECHES, YNAT_HEADLINES};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hanmi::text::{Analyzer, AnalyzerConfig};
use hanmi::vectorize::{count_shares, TfidfParams};

const CORPORA: [(&str, &str); 3] = [KCNA_STORIES, UN_SPEECHES, YNAT_HEADLINES];

fn vectorize(c: &mut Criterion) {
    let analyzer = Analyzer::new(&AnalyzerConfig::default()).expect("analyzer builds");
    let params = TfidfParams::default();
    let mut group = c.benchmark_group("vectorize");
    group.sample_size(10);
    for (name, path) in CORPORA {
        let Some(texts) = texts(path) else { continue };
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{name}/count"), |b| b.iter(|| count_shares(&analyzer, &texts).n_docs()));
        let counted = count_shares(&analyzer, &texts);
        group.bench_function(format!("{name}/fit"), |b| b.iter(|| counted.fit_tfidf(&params).expect("fits").1.nnz()));
        group.bench_function(format!("{name}/count_and_fit"), |b| {
            b.iter(|| count_shares(&analyzer, &texts).fit_tfidf(&params).expect("fits").1.nnz())
        });
    }
    group.finish();
}

criterion_group!(benches, vectorize);
criterion_main!(benches);
