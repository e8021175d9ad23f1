//! The hashing core: tokenise + shingle + hash, and MinHash signatures
//! (one-permutation hashing with densification against classic k-hash
//! MinHash), per text size, with throughput in bytes per second.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use neardup::sketch::shingles::{shingle_hashes, text_token_hashes};
use neardup::sketch::{MinHasher, Scheme};
use neardup::text::Segmented;
use std::hint::black_box;

/// Deterministic news-like text of about `bytes` bytes: Zipf-ish words from a
/// made-up vocabulary, sentences and paragraphs.
fn text(bytes: usize) -> String {
    let vocab: Vec<String> = (0..5000)
        .map(|i| {
            let syll = [
                "ka", "lo", "ri", "men", "tor", "sa", "vel", "an", "dre", "po",
            ];
            (0..1 + i % 4)
                .map(|j| syll[(i * 7 + j * 3) % syll.len()])
                .collect()
        })
        .collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut out = String::with_capacity(bytes + 64);
    let mut words = 0;
    while out.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // Squaring a uniform number skews choices toward frequent words.
        let u = (state % 10_000) as f64 / 10_000.0;
        out.push_str(&vocab[(u * u * vocab.len() as f64) as usize]);
        words += 1;
        out.push_str(match words % 97 {
            0 => ".\n\n",
            n if n % 13 == 0 => ". ",
            _ => " ",
        });
    }
    out
}

fn tokenize_shingle_hash(c: &mut Criterion) {
    let mut group = c.benchmark_group("tokenise+shingle+hash");
    for size in [1_000, 10_000, 100_000] {
        let t = text(size);
        group.throughput(Throughput::Bytes(t.len() as u64));
        group.bench_with_input(BenchmarkId::new("fast path", size), &t, |b, t| {
            let mut hashes = Vec::new();
            b.iter(|| {
                hashes.clear();
                text_token_hashes(black_box(t), &mut hashes);
                let shingles = shingle_hashes(&hashes, 5, 1);
                assert_eq!(shingles.len(), hashes.len().saturating_sub(4).max(1));
                shingles
            })
        });
        group.bench_with_input(BenchmarkId::new("full segmentation", size), &t, |b, t| {
            b.iter(|| {
                let seg = Segmented::new(black_box(t));
                assert!(!seg.sentences.is_empty());
                seg
            })
        });
    }
    group.finish();
}

fn signatures(c: &mut Criterion) {
    let mut group = c.benchmark_group("minhash signature (128 slots)");
    for size in [1_000, 10_000, 100_000] {
        let t = text(size);
        let mut hashes = Vec::new();
        text_token_hashes(&t, &mut hashes);
        let shingles = shingle_hashes(&hashes, 5, 1);
        group.throughput(Throughput::Bytes(t.len() as u64));
        for (name, scheme) in [
            ("one-permutation", Scheme::OnePermutation),
            ("classic", Scheme::Classic),
        ] {
            let hasher = MinHasher::new(128, scheme, 7).unwrap();
            group.bench_with_input(BenchmarkId::new(name, size), &shingles, |b, s| {
                b.iter(|| {
                    let sig = hasher.sign(black_box(s));
                    assert_eq!(sig.values.len(), 128);
                    sig
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, tokenize_shingle_hash, signatures);
criterion_main!(benches);
