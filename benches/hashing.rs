//! The hashing core: tokenise + shingle + hash, and MinHash signatures
//! (one-permutation hashing with densification against classic k-hash
//! MinHash), per text size, with throughput in bytes per second.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use neardup::sketch::hash::for_each_token_hash;
use neardup::sketch::shingles::for_each_shingle;
use neardup::sketch::{MinHasher, Scheme};
use neardup::text::Segmented;
use std::hint::black_box;

mod common;

fn tokenize_shingle_hash(c: &mut Criterion) {
    let mut group = c.benchmark_group("tokenise+shingle+hash");
    for size in [1_000, 10_000, 100_000] {
        let t = common::text(size, 0);
        group.throughput(Throughput::Bytes(t.len() as u64));
        group.bench_with_input(BenchmarkId::new("fast path", size), &t, |b, t| {
            let (mut hashes, mut shingles) = (Vec::new(), Vec::new());
            b.iter(|| {
                hashes.clear();
                shingles.clear();
                for_each_token_hash(black_box(t), |h| hashes.push(h));
                for_each_shingle(&hashes, 5, 1, |s| shingles.push(s));
                assert_eq!(shingles.len(), hashes.len().saturating_sub(4).max(1));
                shingles.len()
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
        let t = common::text(size, 0);
        let (mut hashes, mut shingles) = (Vec::new(), Vec::new());
        for_each_token_hash(&t, |h| hashes.push(h));
        for_each_shingle(&hashes, 5, 1, |s| shingles.push(s));
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
