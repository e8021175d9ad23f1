//! Each stage of the corpus and pair pipelines on its own, one core, at
//! 1 KB, 10 KB and 100 KB, on English-like ASCII text and on German, Urdu
//! and Chinese: the word classifier, the fused fingerprint (tokens →
//! shingles → MinHash slots → band keys), JSON Lines extraction (parsing a
//! batch of records), and full segmentation (tokens, sentences and
//! paragraphs with offsets). Throughput is in bytes of text per second.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use neardup::corpus::{Batch, Corpus, Input};
use neardup::fingerprint::{Fingerprinter, Granularity};
use neardup::lsh::Banding;
use neardup::sketch::SketchConfig;
use neardup::text::Segmented;
use neardup::text::tokens::for_each_word;

mod common;
#[path = "common/languages.rs"]
mod languages;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const LANGUAGES: [&str; 4] = ["ascii", "german", "urdu", "chinese"];

/// The sample text of `language` at about `size` bytes.
fn sample(language: &str, size: usize) -> String {
    match language {
        "ascii" => common::text(size, 0),
        other => languages::text(other, size),
    }
}

/// Runs `bench` on every language and size, with bytes of text as
/// throughput.
fn each_sample(c: &mut Criterion, group: &str, mut bench: impl FnMut(&str) -> usize) {
    let mut group = c.benchmark_group(group);
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    for language in LANGUAGES {
        for size in SIZES {
            let text = sample(language, size);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(BenchmarkId::new(language, size), &text, |b, t| {
                b.iter(|| bench(black_box(t)))
            });
        }
    }
    group.finish();
}

fn classifier(c: &mut Criterion) {
    each_sample(c, "classify words", |text| {
        let mut n = 0;
        for_each_word(text, |r, _| n += r.len());
        n
    });
}

fn fingerprint(c: &mut Criterion) {
    let fp = Fingerprinter::new(
        SketchConfig::default(),
        Banding { bands: 16, rows: 8 },
        Granularity::Document,
    )
    .unwrap();
    let mut scratch = fp.scratch();
    each_sample(c, "fingerprint", |text| {
        let print = fp.fingerprint(text, &mut scratch);
        assert_eq!(print.bands.len(), 16);
        print.tokens
    });
}

fn segmentation(c: &mut Criterion) {
    each_sample(c, "full segmentation", |text| {
        let seg = Segmented::new(text);
        assert!(!seg.sentences.is_empty());
        seg.tokens.len()
    });
}

/// JSON Lines records of about `size` bytes of text each (about 1 MB of
/// lines): ids, the text (with its `\n` escapes) and another field.
fn json_lines(language: &str, size: usize) -> String {
    let count = (1_000_000 / size).max(4);
    (0..count)
        .map(|i| {
            let text = match language {
                "ascii" => common::text(size, i as u64),
                other => languages::text(other, size),
            };
            serde_json::json!({"id": format!("d{i:07}"), "text": text, "source": "bench"})
                .to_string()
                + "\n"
        })
        .collect()
}

fn json_extraction(c: &mut Criterion) {
    let mut group = c.benchmark_group("json extraction");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    let dir = tempfile::tempdir().unwrap();
    for language in LANGUAGES {
        for size in SIZES {
            let path = dir.path().join(format!("{language}-{size}.jsonl"));
            std::fs::write(&path, json_lines(language, size)).unwrap();
            let corpus = Corpus::open(&[Input::JsonLines(path.clone())]).unwrap();
            let mut batch = Batch::default();
            assert!(corpus.reader().next_batch(&mut batch).unwrap());
            group.throughput(Throughput::Bytes(std::fs::metadata(&path).unwrap().len()));
            group.bench_function(BenchmarkId::new(language, size), |b| {
                b.iter(|| {
                    let mut n = 0;
                    for item in &batch.items {
                        n += batch.parse(&corpus, item).unwrap().text.len();
                    }
                    n
                })
            });
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    classifier,
    fingerprint,
    json_extraction,
    segmentation
);
criterion_main!(benches);
