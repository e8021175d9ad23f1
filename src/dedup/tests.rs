//! Tests of corpus deduplication on small JSON Lines corpora written to a
//! temporary directory: every reported pair is verified exactly, paragraphs
//! are paired across documents only, ids and empty documents are handled,
//! clusters are ordered, and verification in chunks gives what one chunk
//! gives.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::*;
use crate::corpus::Input;
use crate::error::ErrorKind;
use crate::events::Quiet;
use crate::sketch::shingles::shingle_set;
use crate::text::paragraphs::blank_line_blocks;
use crate::text::sample::words;

/// `text` with every `step`-th word (from the first) replaced by a new one.
fn edited(text: &str, step: usize) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i % step == 0 {
                format!("edit{i}")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A JSON Lines file `corpus.jsonl` in a new temporary directory.
fn write_corpus(contents: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.jsonl");
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}

/// The corpus of one JSON Lines file, opened anew: a [`Corpus`] is read
/// once (see [`a_corpus_can_be_deduplicated_twice`]).
fn open(path: &std::path::Path) -> Corpus {
    Corpus::open(&[Input::JsonLines(path.to_path_buf())]).unwrap()
}

fn jsonl(records: &[(Value, String)]) -> String {
    records
        .iter()
        .map(|(id, text)| json!({"id": id, "text": text}).to_string() + "\n")
        .collect()
}

fn config(granularity: Granularity) -> DedupConfig {
    DedupConfig {
        granularity,
        ..DedupConfig::default()
    }
}

/// Every pair of units sharing a single signature slot is a candidate:
/// verification alone decides.
fn all_candidates(granularity: Granularity) -> DedupConfig {
    DedupConfig {
        banding: Some(Banding {
            bands: 128,
            rows: 1,
        }),
        ..config(granularity)
    }
}

/// Exact Jaccard of two texts' shingle sets, as the benchmark computes it.
fn exact(a: &str, b: &str) -> f64 {
    let k = SketchConfig::default();
    jaccard(
        shingle_set(a, k.shingle_size, k.seed).as_slice(),
        shingle_set(b, k.shingle_size, k.seed).as_slice(),
    )
}

/// The text of a unit: the document, or its blank-line block.
fn unit_text(texts: &[(Value, String)], unit: Unit) -> &str {
    let text = &texts[unit.doc as usize].1;
    if unit.paragraph == WHOLE_DOCUMENT {
        text
    } else {
        &text[blank_line_blocks(text)[unit.paragraph as usize].clone()]
    }
}

/// Checks that every pair is ordered, at or over the threshold and equal to
/// the exact Jaccard of its texts; returns the pairs by unit name.
fn verified(
    texts: &[(Value, String)],
    result: &Dedup,
    threshold: f64,
) -> BTreeSet<(String, String)> {
    let mut names = BTreeSet::new();
    for p in &result.pairs {
        assert!(p.a < p.b);
        let (ua, ub) = result.units_of(p);
        let expected = exact(unit_text(texts, ua), unit_text(texts, ub));
        assert_eq!(p.similarity, expected, "{p:?}");
        assert!(p.similarity >= threshold, "{p:?}");
        names.insert((result.unit_name(ua), result.unit_name(ub)));
    }
    names
}

fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn document_pairs_are_those_at_or_over_the_threshold_by_exact_jaccard() {
    let a = words(1, 200);
    let texts = vec![
        (json!("a"), a.clone()),
        // The first word changed: one shingle of 196 lost, Jaccard 0.99.
        (json!("b"), edited(&a, 200)),
        (json!(7), a.clone()),
        // One word in 20 changed: about 0.6, below the threshold.
        (json!("c"), edited(&a, 20)),
        (json!("d"), words(2, 200)),
    ];
    let (_dir, path) = write_corpus(&jsonl(&texts));
    for config in [
        config(Granularity::Document),
        all_candidates(Granularity::Document),
    ] {
        let result = dedup(&open(&path), &config, &mut Quiet).unwrap();
        assert!(!result.is_paragraph_level());
        assert_eq!(result.units.len(), 5);
        let found = verified(&texts, &result, config.threshold);
        assert_eq!(found, pairs(&[("a", "b"), ("a", "7"), ("b", "7")]));
        // 7 is a copy of a: it pairs through a, and inherits a's pair
        // with b.
        assert_eq!(result.copies, 1);
        let copy = 2;
        let of_representatives = result
            .pairs
            .iter()
            .filter(|p| p.a != copy && p.b != copy)
            .count();
        assert!(result.candidates >= of_representatives);
        assert_eq!(result.banding, Some(config.banding().unwrap()));
    }
    // With a candidate for every shared signature slot, the pairs among a,
    // b and c (Jaccard at least 0.5; 7 stands behind a) are all candidates:
    // verification is what rejected those with c.
    assert!((0.5..0.8).contains(&exact(&a, &texts[3].1)));
    let result = dedup(
        &open(&path),
        &all_candidates(Granularity::Document),
        &mut Quiet,
    )
    .unwrap();
    assert!(result.candidates >= 3, "{}", result.candidates);
}

#[test]
fn paragraphs_pair_across_documents_only() {
    let (p1, p2, p3, p4) = (words(11, 60), words(12, 40), words(13, 50), words(14, 45));
    let texts = vec![
        // p2 twice in one document: never a pair.
        (json!("x"), format!("{p1}\n\n{p2}\n\n{p2}")),
        // Paragraph 2 is too short to be a unit but keeps its number.
        (
            json!("y"),
            format!("{p3}\n\n{}\n\nShort one.\n\n{p4}", edited(&p1, 60)),
        ),
        (json!("z"), format!("{p2}\n \n{}", words(15, 30))),
    ];
    let (_dir, path) = write_corpus(&jsonl(&texts));
    for config in [
        config(Granularity::Paragraph),
        all_candidates(Granularity::Paragraph),
    ] {
        let result = dedup(&open(&path), &config, &mut Quiet).unwrap();
        assert!(result.is_paragraph_level());
        let numbered: Vec<String> = result.units.iter().map(|&u| result.unit_name(u)).collect();
        assert_eq!(
            numbered,
            ["x#0", "x#1", "x#2", "y#0", "y#1", "y#3", "z#0", "z#1"]
        );
        let found = verified(&texts, &result, config.threshold);
        assert_eq!(
            found,
            pairs(&[("x#0", "y#1"), ("x#1", "z#0"), ("x#2", "z#0")])
        );
        for p in &result.pairs {
            let (ua, ub) = result.units_of(p);
            assert_ne!(ua.doc, ub.doc);
        }
    }
}

#[test]
fn a_duplicate_id_is_an_error_naming_both_lines() {
    let text = words(3, 20);
    let rows: [(&[Value], usize, usize); 3] = [
        (&[json!("a"), json!(1), json!("a")], 3, 1),
        // A number and a string with the same text are the same id.
        (&[json!("a"), json!(1), json!("b"), json!("1")], 4, 2),
        (&[json!(5), json!(5)], 2, 1),
    ];
    for (ids, line, first) in rows {
        let records: Vec<(Value, String)> =
            ids.iter().map(|id| (id.clone(), text.clone())).collect();
        let (_dir, path) = write_corpus(&jsonl(&records));
        let err = dedup(&open(&path), &config(Granularity::Document), &mut Quiet).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Parse);
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("{}:{line}: duplicate id", path.display())),
            "{message}"
        );
        assert!(
            message.ends_with(&format!("(first at {}:{first})", path.display())),
            "{message}"
        );
    }
}

#[test]
fn documents_without_words_are_listed_as_empty_and_have_no_units() {
    let a = words(4, 40);
    let texts = vec![
        (json!("e1"), String::new()),
        (json!("a"), a.clone()),
        (json!("e2"), "  ... !! — ".to_string()),
        (json!("b"), a),
    ];
    let (_dir, path) = write_corpus(&jsonl(&texts));
    for granularity in [Granularity::Document, Granularity::Paragraph] {
        let result = dedup(&open(&path), &config(granularity), &mut Quiet).unwrap();
        assert_eq!(result.empty, [0, 2]);
        assert_eq!(result.ids.len(), 4);
        assert!(result.units.iter().all(|u| u.doc == 1 || u.doc == 3));
        assert_eq!(verified(&texts, &result, 0.8).len(), 1);
    }
}

#[test]
fn clusters_list_members_by_id_numbers_first_and_are_named_by_the_smallest() {
    let (t, u) = (words(5, 50), words(6, 50));
    let texts = vec![
        (json!("b"), t.clone()),
        (json!(10), t.clone()),
        (json!("q"), u.clone()),
        (json!("a"), t.clone()),
        (json!("solo"), words(7, 50)),
        (json!(9), t),
        (json!(2), u),
    ];
    let (_dir, path) = write_corpus(&jsonl(&texts));
    let result = dedup(&open(&path), &config(Granularity::Document), &mut Quiet).unwrap();
    let clusters: Vec<Vec<String>> = result
        .clusters()
        .iter()
        .map(|c| c.iter().map(|&u| result.unit_name(u)).collect())
        .collect();
    // 9 before 10 (by value, not as text), numbers before strings; the
    // cluster of 2 comes before the cluster of 9.
    assert_eq!(clusters, [vec!["2", "q"], vec!["9", "10", "a", "b"]]);
    assert_eq!(result.pairs.len(), 6 + 1);
}

#[test]
fn verification_in_chunks_gives_the_pairs_of_one_chunk() {
    let (p1, p2) = (words(21, 40), words(22, 40));
    let texts: Vec<(Value, String)> = (0..8)
        .map(|i| {
            let own = words(100 + i, 30);
            let text = match i % 3 {
                0 => format!("{p1}\n\n{own}"),
                1 => format!("{own}\n\n{}\n\n{p2}", edited(&p1, 40)),
                _ => format!("{}\n\n{own}", edited(&p2, 13)),
            };
            (json!(format!("doc{i}")), text)
        })
        .collect();
    let (_dir, path) = write_corpus(&jsonl(&texts));
    let corpus = open(&path);
    let config = all_candidates(Granularity::Paragraph);
    let fp = config.fingerprinter().unwrap();
    let collected = collect(&corpus, &fp, &mut Quiet).unwrap();
    let units = &collected.units;
    let candidates = collected
        .table
        .pairs(|a, b| units[a as usize].doc == units[b as usize].doc);
    assert!(candidates.len() > 20, "{}", candidates.len());
    let sorted = |mut pairs: Vec<Pair>| {
        pairs.sort_by_key(|p| (p.a, p.b));
        pairs
    };
    let verify_in = |chunk: &[PackedPair]| {
        verify_chunk(
            &corpus,
            &fp,
            &collected.origins,
            units,
            chunk,
            config.threshold,
        )
        .unwrap()
    };
    let whole = sorted(verify_in(&candidates));
    assert!(!whole.is_empty());
    assert!(whole.len() < candidates.len());
    for size in [1, 2, 3, 7] {
        let chunked = sorted(candidates.chunks(size).flat_map(verify_in).collect());
        assert_eq!(chunked, whole, "chunks of {size}");
    }
    let all = sorted(
        verify(
            &corpus,
            &fp,
            &collected.origins,
            units,
            &candidates,
            config.threshold,
        )
        .unwrap(),
    );
    assert_eq!(all, whole);
}

#[test]
fn a_corpus_needing_several_verification_chunks_loses_no_pair() {
    // Pairs of identical short documents, more units than one chunk holds.
    let groups = VERIFY_UNITS / 2 + 100;
    let mut contents = String::new();
    for g in 0..groups {
        let text = words(1_000 + g as u64, 12);
        for copy in 0..2 {
            contents += &json!({"id": 2 * g + copy, "text": text}).to_string();
            contents.push('\n');
        }
    }
    let (_dir, path) = write_corpus(&contents);
    let result = dedup(&open(&path), &config(Granularity::Document), &mut Quiet).unwrap();
    let mut in_pairs = BTreeSet::new();
    for p in &result.pairs {
        in_pairs.insert(p.a);
        in_pairs.insert(p.b);
    }
    assert!(in_pairs.len() > VERIFY_UNITS);
    let expected: Vec<(u32, u32, f64)> = (0..groups as u32)
        .map(|g| (2 * g, 2 * g + 1, 1.0))
        .collect();
    let mut found: Vec<(u32, u32, f64)> = result
        .pairs
        .iter()
        .map(|p| (p.a, p.b, p.similarity))
        .collect();
    found.sort_by_key(|p| (p.0, p.1));
    assert_eq!(found, expected);
}

/// Every reader of a corpus starts at the beginning: a JSON Lines source is
/// read at positions, not through the file's shared cursor (which made a
/// second run silently find nothing).
#[test]
fn a_corpus_can_be_deduplicated_twice() {
    let text = words(8, 30);
    let (_dir, path) = write_corpus(&jsonl(&[(json!("a"), text.clone()), (json!("b"), text)]));
    let corpus = open(&path);
    let config = config(Granularity::Document);
    let first = dedup(&corpus, &config, &mut Quiet).unwrap();
    assert_eq!((first.ids.len(), first.pairs.len()), (2, 1));
    let second = dedup(&corpus, &config, &mut Quiet).unwrap();
    // Currently 0 documents and 0 pairs.
    assert_eq!((second.ids.len(), second.pairs.len()), (2, 1));
}

/// Pairs a bucket of `n` units gives when each is paired with the next
/// `cap` only.
fn capped_pairs(n: usize, cap: usize) -> usize {
    (0..n).map(|i| cap.min(n - 1 - i)).sum()
}

#[test]
fn identical_documents_beyond_the_bucket_cap_all_pair_up() {
    let copies = DEFAULT_BUCKET_CAP + 50;
    let text = words(31, 80);
    let mut texts: Vec<(Value, String)> = (0..copies)
        .map(|i| (json!(format!("copy{i:03}")), text.clone()))
        .collect();
    // A near-duplicate among the copies, and an unrelated document.
    texts.insert(copies / 2, (json!("near"), edited(&text, 80)));
    texts.push((json!("other"), words(32, 80)));
    let (_dir, path) = write_corpus(&jsonl(&texts));
    let result = dedup(&open(&path), &config(Granularity::Document), &mut Quiet).unwrap();
    let near = exact(&text, &texts[copies / 2].1);
    assert!((0.8..1.0).contains(&near), "{near}");
    let names = verified(&texts, &result, 0.8);
    let ones = result.pairs.iter().filter(|p| p.similarity == 1.0).count();
    assert_eq!(ones, copies * (copies - 1) / 2);
    assert_eq!(names.len(), copies * (copies - 1) / 2 + copies);
    assert_eq!(result.pairs.len(), names.len(), "a pair came twice");
    assert!(names.iter().all(|(a, b)| a != "other" && b != "other"));
    assert_eq!(
        names
            .iter()
            .filter(|(a, b)| a == "near" || b == "near")
            .count(),
        copies
    );
    assert!(result.pairs.is_sorted_by_key(|p| (p.a, p.b)));
    // The copies stand behind their first: nothing was capped.
    assert_eq!((result.copies, result.capped_buckets()), (copies - 1, 0));
    assert_eq!(result.pair_count, result.pairs.len());
    let clusters = result.clusters();
    assert_eq!((clusters.len(), clusters[0].len()), (1, copies + 1));
    // Counting without handing pairs out gives the same count and clusters.
    let counted = dedup_clusters(&open(&path), &config(Granularity::Document), &mut Quiet).unwrap();
    assert_eq!(counted.pair_count, result.pair_count);
    assert_eq!(counted.clusters(), clusters);
    assert_eq!(counted.removals(Keep::First), result.removals(Keep::First));
}

#[test]
fn identical_paragraphs_are_not_collapsed_and_their_bucket_is_capped() {
    // As on Spark: paragraphs with identical texts are units of their own.
    let copies = DEFAULT_BUCKET_CAP + 50;
    let shared = words(41, 40);
    let texts: Vec<(Value, String)> = (0..copies)
        .map(|i| {
            (
                json!(i),
                format!("{shared}\n\n{}", words(1000 + i as u64, 40)),
            )
        })
        .collect();
    let (_dir, path) = write_corpus(&jsonl(&texts));
    let result = dedup(&open(&path), &config(Granularity::Paragraph), &mut Quiet).unwrap();
    let names = verified(&texts, &result, 0.8);
    assert!(
        names
            .iter()
            .all(|(a, b)| a.ends_with("#0") && b.ends_with("#0"))
    );
    assert_eq!(names.len(), capped_pairs(copies, DEFAULT_BUCKET_CAP));
    assert!(names.len() < copies * (copies - 1) / 2);
    assert_eq!(result.copies, 0);
    assert!(result.capped_buckets() > 0);
    // Their cluster still connects.
    assert_eq!(result.clusters().len(), 1);
}
