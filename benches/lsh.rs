//! Corpus-scale stages: choosing the banding, band keys, candidate pairs by
//! sorting band tables, fingerprinting a document in one streaming pass, and
//! exact verification (shingle sets and their Jaccard similarity).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use neardup::dedup::DedupConfig;
use neardup::fingerprint::Granularity;
use neardup::lsh::{BandTable, Banding, Weights, band_hashes};
use neardup::sketch::shingles::shingle_set;
use neardup::sketch::similarity::jaccard;
use std::hint::black_box;

mod common;
use common::text;

fn banding(c: &mut Criterion) {
    let mut group = c.benchmark_group("lsh banding");
    group.bench_function("choose (b, r) for 128 permutations", |b| {
        b.iter(|| Banding::optimal(black_box(0.8), 128, Weights::default()).unwrap())
    });
    let sig: Vec<u32> = (0..128u32).map(|i| i.wrapping_mul(2_654_435_761)).collect();
    group.bench_function("16 band keys of a signature", |b| {
        let mut out = Vec::with_capacity(16);
        b.iter(|| {
            out.clear();
            band_hashes(black_box(&sig), Banding { bands: 16, rows: 8 }, &mut out);
            out.len()
        })
    });
    for units in [20_000u32, 200_000] {
        group.throughput(Throughput::Elements(units as u64));
        group.bench_with_input(
            BenchmarkId::new("candidate pairs", units),
            &units,
            |b, &n| {
                // One near-duplicate pair per 50 units, sharing every band.
                let hashes: Vec<[u64; 16]> = (0..n)
                    .map(|u| {
                        let family = if u % 50 == 1 { u - 1 } else { u } as u64;
                        std::array::from_fn(|band| {
                            (family * 16 + band as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                        })
                    })
                    .collect();
                b.iter(|| {
                    let mut table = BandTable::new(16);
                    for (u, h) in hashes.iter().enumerate() {
                        table.push(u as u32, h);
                    }
                    table.pairs(|_, _| false).len()
                })
            },
        );
    }
    group.finish();
}

fn fingerprint_and_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("corpus fingerprint + verification");
    for size in [2_500, 25_000] {
        let a = text(size, 1);
        let b = text(size, 1).replacen("ka", "zz", 3);
        group.throughput(Throughput::Bytes(a.len() as u64));
        for granularity in [Granularity::Document, Granularity::Paragraph] {
            let fp = DedupConfig {
                granularity,
                ..DedupConfig::default()
            }
            .fingerprinter()
            .unwrap();
            let mut scratch = fp.scratch();
            group.bench_with_input(
                BenchmarkId::new(format!("fingerprint {granularity:?}"), size),
                &a,
                |bch, t| bch.iter(|| fp.fingerprint(black_box(t), &mut scratch).bands.len()),
            );
        }
        group.bench_with_input(
            BenchmarkId::new("shingle set (sorted)", size),
            &a,
            |bch, t| bch.iter(|| shingle_set(black_box(t), 5, 1).len()),
        );
        let (sa, sb) = (shingle_set(&a, 5, 1), shingle_set(&b, 5, 1));
        group.bench_with_input(
            BenchmarkId::new("exact jaccard", size),
            &(sa, sb),
            |bch, (x, y)| bch.iter(|| jaccard(black_box(x.as_slice()), black_box(y.as_slice()))),
        );
    }
    group.finish();
}

criterion_group!(benches, banding, fingerprint_and_verify);
criterion_main!(benches);
