//! The library's corpus use cases, as a program using neardup would call
//! them: reading compressed JSON Lines with named fields, deduplicating
//! with pairs streamed, and writing the deduplicated dataset.

use std::io::Write;

use neardup::corpus::{Corpus, Fields, Id, Input, OpenOptions};
use neardup::dedup::{self, DedupConfig, Keep};
use neardup::events::Quiet;
use neardup::fingerprint::Granularity;

/// A text of `words` words drawn from a small vocabulary, different for
/// each seed.
fn text(seed: u64, words: usize) -> String {
    let vocab = [
        "port", "grain", "minister", "cargo", "talks", "harbour", "council", "river", "budget",
        "vessel", "strike", "union", "tariff", "export", "storm", "bridge",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..words)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("{}{}", vocab[(state % 16) as usize], (state >> 40) % 9)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// 300 documents: 100 originals, each followed by up to two edited copies
/// (every 60th word changed; every 7th for a tenth of them, which puts
/// those copies below the threshold).
fn corpus() -> Vec<(Id, String)> {
    let mut docs = Vec::new();
    for i in 0..100u64 {
        let original = text(i, 200);
        docs.push((Id::Text(format!("o{i}")), original.clone()));
        for copy in 0..(i % 3) {
            let step = if i % 10 == 0 { 7 } else { 60 };
            let edited: Vec<String> = original
                .split(' ')
                .enumerate()
                .map(|(n, w)| {
                    if n % step == (copy as usize) {
                        format!("new{n}")
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            docs.push((Id::Text(format!("o{i}c{copy}")), edited.join(" ")));
        }
    }
    docs
}

#[test]
fn the_kept_set_has_no_pair_left_and_loses_no_unique_document() {
    let docs = corpus();
    let config = DedupConfig::default();
    let result = dedup::dedup(&Corpus::from_documents(docs.clone()), &config, &mut Quiet).unwrap();
    assert!(result.pair_count > 50, "{} pairs", result.pair_count);
    for keep in [Keep::First, Keep::Longest] {
        let mut kept = Vec::new();
        let mut removed = Vec::new();
        let source = Corpus::from_documents(docs.clone());
        let report =
            dedup::write_dataset(&source, &result, keep, &mut kept, Some(&mut removed)).unwrap();
        let kept: Vec<serde_json::Value> = String::from_utf8(kept)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(report.kept, kept.len());
        assert_eq!(report.kept + report.removed, docs.len());
        let kept_docs: Vec<(Id, String)> = kept
            .iter()
            .map(|v| {
                (
                    Id::Text(v["id"].as_str().unwrap().to_string()),
                    v["text"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        // Nothing at or above the threshold is left among the kept.
        let again = dedup::dedup(
            &Corpus::from_documents(kept_docs.clone()),
            &config,
            &mut Quiet,
        )
        .unwrap();
        assert_eq!(again.pair_count, 0, "{keep:?}");
        // Every document without a near-duplicate is kept.
        let mut paired = std::collections::HashSet::new();
        for p in &result.pairs {
            let (a, b) = result.units_of(p);
            paired.insert(result.id(a).to_string());
            paired.insert(result.id(b).to_string());
        }
        let kept_ids: std::collections::HashSet<String> =
            kept_docs.iter().map(|(id, _)| id.to_string()).collect();
        for (id, _) in &docs {
            assert!(
                paired.contains(id.as_str()) || kept_ids.contains(id.as_str()),
                "{id} lost"
            );
        }
        // Each removed document names one that was kept.
        for line in String::from_utf8(removed.clone()).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(
                kept_ids.contains(v["duplicate_of"].as_str().unwrap()),
                "{line}"
            );
        }
    }
}

#[test]
fn pairs_streamed_are_the_pairs_collected() {
    let docs = corpus();
    let config = DedupConfig::default();
    let collected =
        dedup::dedup(&Corpus::from_documents(docs.clone()), &config, &mut Quiet).unwrap();
    let mut streamed = Vec::new();
    let result = dedup::dedup_each(
        &Corpus::from_documents(docs),
        &config,
        &mut Quiet,
        &mut |_, p| {
            streamed.push(*p);
            Ok(())
        },
    )
    .unwrap();
    assert!(!streamed.is_empty());
    assert_eq!(streamed, collected.pairs);
    assert!(result.pairs.is_empty());
    assert_eq!(result.clusters(), collected.clusters());
}

#[test]
fn compressed_json_lines_with_nested_fields_and_paragraph_level_output() {
    let shared = text(1, 60);
    let records = [
        serde_json::json!({"meta": {"key": 10}, "body": {"content": format!("{}\n\n{shared}", text(2, 50))}, "lang": "en"}),
        serde_json::json!({"meta": {"key": 11}, "body": {"content": format!("{shared}\n\n{}", text(3, 50))}, "lang": "fr"}),
    ];
    let plain: String = records.iter().map(|r| r.to_string() + "\n").collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(plain.as_bytes()).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let options = OpenOptions {
        fields: Fields::new("body.content", Some("meta.key")).unwrap(),
        ..OpenOptions::default()
    };
    let corpus = Corpus::open_with(&[Input::from_arg(&path)], &options).unwrap();
    let config = DedupConfig {
        granularity: Granularity::Paragraph,
        ..DedupConfig::default()
    };
    let result = dedup::dedup(&corpus, &config, &mut Quiet).unwrap();
    assert_eq!(result.pair_count, 1);
    let mut kept = Vec::new();
    dedup::write_dataset(&corpus, &result, Keep::First, &mut kept, None).unwrap();
    let kept = String::from_utf8(kept).unwrap();
    let lines: Vec<&str> = kept.lines().collect();
    // The first record is unchanged; the second lost its first paragraph,
    // every other field as it was.
    assert_eq!(lines[0], records[0].to_string());
    let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(second["body"]["content"], text(3, 50));
    assert_eq!(
        (second["meta"]["key"].as_u64(), second["lang"].as_str()),
        (Some(11), Some("fr"))
    );
}
