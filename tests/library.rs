//! The library's use cases through its public API, one call each: compare
//! documents, profile files, deduplicate a corpus, build and change an
//! index, check documents against it, and write the reports.
//!
//! The texts are a made-up wire story and texts written from it.

use std::path::{Path, PathBuf};

use neardup::check::{self, CheckOptions, Finding, Rule};
use neardup::corpus::{Corpus, Input};
use neardup::dedup::{self, DedupConfig};
use neardup::document::Warning;
use neardup::events::Quiet;
use neardup::fingerprint::Granularity;
use neardup::index::{Index, IndexParams, Match, ParagraphMatch};
use neardup::report;
use neardup::sketch::SketchConfig;
use neardup::sketch::shingles::shingle_set;
use neardup::sketch::similarity::jaccard;
use neardup::{Config, Document, Engine, ErrorKind, Kind, Verdict};
use serde_json::{Value, json};

const HEADLINE: &str = "Valdera rail operator orders 40 new trains in fleet overhaul";

const STORY: [&str; 9] = [
    "VALDERA, May 2 (Northwire) – The regional rail operator Valtrak has ordered 40 electric trains from the manufacturer Corwen Mobility in a deal worth 610 million euros, the largest investment in the network since the line to the coast was electrified in 1998. The first units are due to enter service in the autumn of 2027, replacing diesel trains that are on average 34 years old.",
    "Valtrak's chief executive, Miriam Oduya, said the new trains would cut journey times between Valdera and the port city of Saltbrook by up to twelve minutes, because they accelerate faster and can run at 160 kilometres an hour on the upgraded sections of track. Each train will have 280 seats, a third more than the carriages it replaces, as well as space for bicycles and wheelchairs.",
    "“Our passengers have waited far too long for trains that are reliable, warm in winter and cool in summer,” Oduya told reporters at the depot in Harrow Junction. “This order means that by the end of the decade nobody on our network will travel in a carriage built before they were born.”",
    "The contract was approved on Tuesday by the regional transport council after months of debate over its cost. Opposition members had argued that the money would be better spent on repairing stations and level crossings, several of which have been closed for safety reasons since the floods of last winter.",
    "Corwen Mobility will build the trains at its plant in Eastmoor, where the company said the order would secure about 900 jobs for at least five years. The plant's works council welcomed the decision but warned that a shortage of qualified welders could delay production unless the company trained more apprentices.",
    "Passenger groups gave the announcement a cautious welcome. The Valdera Rail Users' Association said new trains alone would not solve the problems of overcrowding and cancellations, which it blamed on a lack of drivers and on signalling equipment that dates from the 1970s. Its chairman, Tobias Lindqvist, called on the operator to publish a timetable showing when each line would receive the new units.",
    "Valtrak plans to retire its oldest diesel trains first, starting with the branch line to Millbrook and the mountain route to Kestrel Pass. The operator said the retired trains would be offered for sale to heritage railways and to operators abroad, and that any that could not be sold would be recycled at a scrapyard near Saltbrook.",
    "The regional government will pay 60 percent of the cost of the order, with the remainder financed by a loan from the national infrastructure bank. Transport minister Helena Barros said the investment was part of a plan to double the number of rail passengers in the region by 2035 and to cut carbon emissions from transport by a third.",
    "Ticket prices will not rise as a result of the purchase, Oduya said. The operator expects to save about 14 million euros a year on fuel and maintenance once the whole fleet has been replaced, money she said would be used to run more trains in the evenings and at weekends.",
];

fn story() -> String {
    let mut parts = vec![HEADLINE];
    parts.extend(STORY);
    parts.join("\n\n")
}

/// The story lightly edited: a word here and there, numbers written
/// differently, the quotes cut, a new last paragraph.
fn edited_story() -> String {
    let mut parts: Vec<String> = STORY
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, p)| {
            p.replace("has ordered", "has signed an order for")
                .replace("twelve minutes", "12 minutes")
                .replace("on Tuesday", "on Wednesday")
                .replace("cautious welcome", "guarded welcome")
                .replace("Valtrak plans", "Valtrak intends")
        })
        .collect();
    parts.insert(0, "Valtrak buys 40 electric trains".to_string());
    parts.push(
        "Readers can send their questions about the new trains to our transport desk, which will answer a selection of them in next Sunday's edition."
            .to_string(),
    );
    parts.join("\n\n")
}

/// The story with one word changed: a near-duplicate (Jaccard about 0.99).
fn near_copy() -> String {
    story().replacen("Valtrak plans", "Valtrak intends", 1)
}

/// A new text reusing two consecutive paragraphs of the story (STORY[4]
/// and STORY[5]), on lines 5 and 7.
fn draft() -> String {
    format!(
        "Rail news\n\nThe rail pages this week look at what a new fleet means for factories, for passengers and for the towns along the line.\n\n{}\n\n{}\n\nReaders can send their questions about the new trains to our transport desk.",
        STORY[4], STORY[5]
    )
}

/// Another story, about something else.
const UNRELATED: &str = "Heavy snow closed schools across the northern hills on Thursday, and farmers said they were struggling to reach livestock on upland pastures. The weather service expects the cold to last until the middle of next week, with temperatures falling to minus fifteen degrees at night in the highest villages.";

fn engine() -> Engine {
    Engine::new(Config::default()).unwrap()
}

fn exact_jaccard(a: &str, b: &str) -> f64 {
    let k = SketchConfig::default();
    jaccard(
        shingle_set(a, k.shingle_size, k.seed).as_slice(),
        shingle_set(b, k.shingle_size, k.seed).as_slice(),
    )
}

/// The code-point offset of `needle` in `text`.
fn char_offset(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].chars().count()
}

fn jsonl(records: &[(Value, String)]) -> String {
    records
        .iter()
        .map(|(id, text)| json!({"id": id, "text": text}).to_string() + "\n")
        .collect()
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    std::str::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

// Comparing documents.

#[test]
fn compare_documents_finds_an_edited_copy_and_nothing_in_an_unrelated_text() {
    let engine = engine();
    let (source, derived) = (story(), edited_story());
    let c = engine.compare_documents(
        Document::new("wire", source.clone()),
        Document::new("copy", derived.clone()),
    );
    assert_eq!(
        (c.source_id.as_str(), c.derived_id.as_str()),
        ("wire", "copy")
    );
    assert_eq!(c.verdict, Verdict::Derived);
    assert!(c.scores.reused >= engine.config().verdict.derived_share);
    assert!(c.scores.score <= c.scores.reused);
    assert_eq!(c.scores.jaccard, exact_jaccard(&source, &derived));
    for a in &c.alignments {
        assert!(matches!(a.kind, Kind::Verbatim | Kind::Edited), "{a:?}");
        // The new last paragraph comes from nowhere.
        assert!(!a.derived.slice(&derived).contains("Readers can send"));
    }
    // The dropped quotes are in no passage.
    assert!(
        !c.alignments
            .iter()
            .any(|a| a.source.slice(&source).contains("Our passengers"))
    );
    // Every copied paragraph is covered.
    for (i, p) in STORY.iter().enumerate().filter(|(i, _)| *i != 2) {
        let last_words = &p[p.len() - 30..];
        assert!(
            c.alignments
                .iter()
                .any(|a| a.source.slice(&source).contains(last_words)),
            "paragraph {i}"
        );
    }

    let c = engine.compare_documents(
        Document::new("wire", source),
        Document::new("snow", UNRELATED),
    );
    assert_eq!(c.verdict, Verdict::NotDerived);
    assert!(!c.found());
    assert_eq!((c.scores.reused, c.scores.score), (0.0, 0.0));
}

#[test]
fn rewritten_passages_the_document_model_doubts_are_dropped_copies_are_kept() {
    let fixture = |name: &str| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/news/paraphrase");
        Document::new(name, std::fs::read_to_string(dir.join(name)).unwrap())
    };
    let with_bar = |bar: &str| {
        let mut config = Config::default();
        config
            .set("verdict.overturn_rewrites_probability", bar)
            .unwrap();
        Engine::new(config).unwrap()
    };
    let paraphrase =
        |engine: &Engine| engine.compare_documents(fixture("source.txt"), fixture("derived.txt"));
    // The paraphrase has only rewritten passages, and the model is
    // confident enough in it to keep them under the default bar.
    let kept = paraphrase(&engine());
    assert!(kept.found());
    assert!(kept.alignments.iter().all(|a| a.kind == Kind::Paraphrase));
    assert!(kept.scores.derivation >= engine().config().verdict.overturn_rewrites_probability);
    assert_eq!(kept.alignments, paraphrase(&with_bar("0")).alignments);
    // Under a bar no pair reaches, rewritten passages go, and the verdict
    // rests on the document model alone…
    let doubted = paraphrase(&with_bar("1"));
    assert!(!doubted.found());
    assert_eq!((doubted.scores.reused, doubted.scores.score), (0.0, 0.0));
    assert_ne!(doubted.verdict, Verdict::Derived);
    // …while copied text is kept whatever the bar.
    let copy = with_bar("1").compare_documents(
        Document::new("wire", story()),
        Document::new("copy", edited_story()),
    );
    assert!(copy.found());
    assert_eq!(copy.verdict, Verdict::Derived);
}

/// The story's first `n` sentences (the headline is the first).
fn sentences(n: usize) -> Vec<String> {
    let headline = format!("{HEADLINE}.");
    let all: Vec<String> = std::iter::once(headline.as_str())
        .chain(STORY.iter().flat_map(|p| p.split_inclusive(". ")))
        .map(|s| s.trim().to_string())
        .collect();
    assert!(all.len() >= n, "the story has {} sentences", all.len());
    all.into_iter().take(n).collect()
}

#[test]
fn repetitive_text_is_aligned_within_a_work_bound_that_the_result_reports() {
    let engine = engine();
    let limits = engine.config().align.limits;
    // (what, text): 200-450 KB, far more sentence pairs than the bound.
    let cases = [
        (
            "one sentence repeated",
            (sentences(1).join(" ") + " ").repeat(3_000),
        ),
        (
            "20 sentences cycled",
            (sentences(20).join(" ") + " ").repeat(120),
        ),
    ];
    for (what, text) in cases {
        let c = engine.compare_documents(
            Document::new("a", text.clone()),
            Document::new("b", text.clone()),
        );
        let capped = c.capped.unwrap_or_else(|| panic!("{what}: not capped"));
        assert!(
            capped.candidates_per_sentence >= limits.min_per_unit
                && capped.candidates_per_sentence <= limits.max_pairs,
            "{what}: {capped:?}"
        );
        assert!(capped.sentences_capped > 0, "{what}: {capped:?}");
        // A text compared with itself is still found whole.
        assert_eq!(c.verdict, Verdict::Derived, "{what}");
        assert!(c.scores.reused > 0.99, "{what}: {}", c.scores.reused);
        assert!(
            c.alignments.iter().all(|a| a.kind == Kind::Verbatim),
            "{what}"
        );
    }
    // Ordinary text never reaches the bound.
    let c = engine.compare_documents(
        Document::new("wire", story()),
        Document::new("copy", edited_story()),
    );
    assert_eq!(c.capped, None);
}

#[test]
fn compare_many_returns_one_comparison_per_pair_in_the_order_given() {
    let engine = engine();
    let wire = engine.profile(Document::new("wire", story()));
    let copy = engine.profile(Document::new("copy", edited_story()));
    let snow = engine.profile(Document::new("snow", UNRELATED));
    let pairs = [
        (&wire, &copy),
        (&wire, &snow),
        (&copy, &wire),
        (&snow, &snow),
    ];
    let results = engine.compare_many(&pairs);
    assert_eq!(results.len(), pairs.len());
    for ((source, derived), c) in pairs.iter().zip(&results) {
        assert_eq!(c.source_id, source.document.id);
        assert_eq!(c.derived_id, derived.document.id);
        assert_eq!(c, &engine.compare(source, derived));
    }
    let verdicts: Vec<Verdict> = results.iter().map(|c| c.verdict).collect();
    assert_eq!(
        verdicts,
        [
            Verdict::Derived,
            Verdict::NotDerived,
            Verdict::Derived,
            Verdict::Derived
        ]
    );
}

#[test]
fn profile_files_reads_each_file_once_and_says_why_one_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(dir.path(), "story.txt", story());
    let binary = write(dir.path(), "image.bin", b"GIF89a\x00\x01\x02 not text");
    let latin1 = write(
        dir.path(),
        "latin1.txt",
        b"caf\xe9 au lait, cr\xe8me br\xfbl\xe9e",
    );
    // A stray NUL byte in text (a few PAN documents hold some): a space.
    let stray = write(dir.path(), "stray.txt", story().replacen(' ', "\0", 3));
    let missing = dir.path().join("missing.txt");
    let paths = [&text, &binary, &latin1, &text, &missing, &stray];
    let profiles = engine().profile_files(paths.iter().map(|p| p.as_path()));
    assert_eq!(profiles.len(), 5);

    let (profile, warning) = profiles[&stray].as_ref().unwrap();
    assert_eq!(profile.text(), story());
    assert_eq!(
        warning,
        &Some(Warning::StrayNul {
            id: stray.display().to_string(),
            nuls: 3,
            replaced: 0
        })
    );

    let (profile, warning) = profiles[&text].as_ref().unwrap();
    assert_eq!(profile.document.id, text.display().to_string());
    assert_eq!(profile.text(), story());
    assert!(warning.is_none());

    let err = profiles[&binary].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Binary);
    assert!(err.to_string().contains("image.bin"), "{err}");
    assert!(err.to_string().contains("offset 6"), "{err}");

    let (profile, warning) = profiles[&latin1].as_ref().unwrap();
    assert_eq!(
        profile.text(),
        "caf\u{FFFD} au lait, cr\u{FFFD}me br\u{FFFD}l\u{FFFD}e"
    );
    assert_eq!(
        warning,
        &Some(Warning::InvalidUtf8 {
            id: latin1.display().to_string(),
            replaced: 4
        })
    );

    assert_eq!(
        profiles[&missing].as_ref().unwrap_err().kind(),
        ErrorKind::Io
    );
}

// Deduplicating a corpus.

fn dedup_corpus(dir: &Path) -> (PathBuf, Vec<(Value, String)>) {
    let records = vec![
        (json!("wire"), story()),
        (json!("snow"), UNRELATED.to_string()),
        (json!(7), near_copy()),
        (json!("draft"), draft()),
    ];
    (write(dir, "corpus.jsonl", jsonl(&records)), records)
}

#[test]
fn dedup_reports_near_duplicate_documents_and_reused_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let (path, records) = dedup_corpus(dir.path());
    let open = || Corpus::open(&[Input::from_arg(&path)]).unwrap();
    let config = DedupConfig::default();

    let result = dedup::dedup(&open(), &config, &mut Quiet).unwrap();
    assert_eq!(result.pairs.len(), 1);
    let similarity = exact_jaccard(&records[0].1, &records[2].1);
    assert!(similarity > 0.95);
    let mut out = Vec::new();
    report::dedup::write_pairs(&mut out, &result, false).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("wire\t7\t{similarity:.3}\n")
    );
    let mut out = Vec::new();
    report::dedup::write_pairs(&mut out, &result, true).unwrap();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (&lines[0]["a"], &lines[0]["b"]),
        (&json!("wire"), &json!(7))
    );
    assert!((lines[0]["similarity"].as_f64().unwrap() - similarity).abs() < 1e-6);
    // A cluster is named by its smallest member: numbers first.
    let mut out = Vec::new();
    report::dedup::write_clusters(&mut out, &result, false).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "cluster 7 (2): 7 wire\n");
    let mut out = Vec::new();
    report::dedup::write_clusters(&mut out, &result, true).unwrap();
    assert_eq!(
        json_lines(&out),
        [json!({"cluster": 7, "size": 2, "members": [7, "wire"]})]
    );

    // Paragraphs: the draft's paragraphs 2 and 3 are the story's 5 and 6
    // (the headline is paragraph 0), as are the near copy's.
    let config = DedupConfig {
        granularity: Granularity::Paragraph,
        ..config
    };
    let result = dedup::dedup(&open(), &config, &mut Quiet).unwrap();
    let mut out = Vec::new();
    report::dedup::write_pairs(&mut out, &result, false).unwrap();
    let text = String::from_utf8(out).unwrap();
    for pair in [
        "wire#5\tdraft#2\t1.000",
        "wire#6\tdraft#3\t1.000",
        "7#5\tdraft#2\t1.000",
    ] {
        assert!(text.lines().any(|l| l == pair), "{pair} in\n{text}");
    }
    let mut out = Vec::new();
    report::dedup::write_pairs(&mut out, &result, true).unwrap();
    let lines = json_lines(&out);
    assert!(lines.contains(
        &json!({"a": "wire", "a_paragraph": 5, "b": "draft", "b_paragraph": 2, "similarity": 1.0})
    ));
    let mut out = Vec::new();
    report::dedup::write_clusters(&mut out, &result, true).unwrap();
    let clusters = json_lines(&out);
    let reused = json!({"cluster": 7, "cluster_paragraph": 5, "size": 3,
        "members": [{"id": 7, "paragraph": 5}, {"id": "draft", "paragraph": 2}, {"id": "wire", "paragraph": 5}]});
    assert!(clusters.contains(&reused), "{clusters:?}");
}

// The index and checks against it.

/// An index of the story (`wire-001`) and the unrelated text (`snow`).
fn indexed(dir: &Path) -> PathBuf {
    let corpus_path = write(
        dir,
        "indexed.jsonl",
        jsonl(&[
            (json!("wire-001"), story()),
            (json!("snow"), UNRELATED.to_string()),
        ]),
    );
    let corpus = Corpus::open(&[Input::from_arg(&corpus_path)]).unwrap();
    let path = dir.join("corpus.ndx");
    let report = Index::build(
        &corpus,
        IndexParams::new(0.8, 0.8).unwrap(),
        &path,
        &mut Quiet,
    )
    .unwrap();
    assert_eq!((report.documents, report.added, report.empty), (2, 2, 0));
    path
}

#[test]
fn an_index_is_built_changed_and_queried() {
    let dir = tempfile::tempdir().unwrap();
    let path = indexed(dir.path());
    let index = Index::open(&path).unwrap();
    assert_eq!(index.len(), 2);
    let found = index.query(&near_copy(), None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].doc, 0);
    assert!(found[0].near_duplicate);
    assert_eq!(found[0].similarity, exact_jaccard(&near_copy(), &story()));
    let found = index.query(&draft(), None).unwrap();
    assert_eq!(found.len(), 1);
    assert!(!found[0].near_duplicate);
    let pairs: Vec<(u32, u32)> = found[0]
        .paragraphs
        .iter()
        .map(|p| (p.paragraph, p.indexed_paragraph))
        .collect();
    assert_eq!(pairs, [(2, 5), (3, 6)]);
    assert!(index.query(&story(), Some(0)).unwrap().is_empty());
    drop(index);

    let more = write(dir.path(), "more.jsonl", jsonl(&[(json!(99), draft())]));
    let report = Index::add(
        &path,
        &Corpus::open(&[Input::from_arg(&more)]).unwrap(),
        &mut Quiet,
    )
    .unwrap();
    assert_eq!((report.documents, report.added), (3, 1));
    let index = Index::open(&path).unwrap();
    assert_eq!(index.id(2).unwrap().to_json().get(), "99");
    let docs: Vec<u32> = index
        .query(&draft(), None)
        .unwrap()
        .iter()
        .map(|m| m.doc)
        .collect();
    assert_eq!(docs, [0, 2]);
    drop(index);

    let report = Index::remove(&path, &["wire-001", "absent"]).unwrap();
    assert_eq!((report.documents, report.removed), (2, 1));
    assert_eq!(report.missing, ["absent"]);
    let index = Index::open(&path).unwrap();
    let found = index.query(&draft(), None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(index.id(found[0].doc).unwrap().as_str(), "99");
    assert_eq!(index.text(found[0].doc).unwrap(), draft());
}

#[test]
fn index_check_aligns_each_match_and_skips_the_document_itself() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&indexed(dir.path())).unwrap();
    let engine = engine();
    let options = CheckOptions::default();

    let draft_doc = Document::new("draft.txt", draft());
    let findings = index.check(&engine, &draft_doc, &options).unwrap();
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(
        (f.id.as_str(), f.indexed_id.as_str()),
        ("draft.txt", "wire-001")
    );
    assert_eq!(f.rule(), Rule::ParagraphReuse);
    assert_eq!(f.indexed_text, story());
    assert!(
        f.message()
            .starts_with("draft.txt: reuses 2 paragraph(s) of wire-001; "),
        "{}",
        f.message()
    );
    assert!(
        f.message().contains("% of the text reused, score "),
        "{}",
        f.message()
    );
    // The two copied paragraphs are one verbatim passage, lines 5 to 7.
    assert_eq!(f.comparison.alignments.len(), 1);
    let a = &f.comparison.alignments[0];
    assert_eq!(a.kind, Kind::Verbatim);
    let copied = format!("{}\n\n{}", STORY[4], STORY[5]);
    assert_eq!(a.derived.slice(&f.text), copied);
    let region = f.region();
    assert_eq!((region.start_line, region.end_line), (5, 7));
    assert_eq!(
        region.chars,
        Some((char_offset(&draft(), STORY[4]), copied.chars().count()))
    );
    assert_eq!(f.path(), Path::new("draft.txt"));
    // Fails at its score, not above it.
    assert!(f.fails(f.score()) && !f.fails(f.score() + 0.01));

    // The indexed story checked under its own id: skipped, unless asked.
    let own = Document::new("wire-001", story());
    assert!(index.check(&engine, &own, &options).unwrap().is_empty());
    let with_self = CheckOptions { include_self: true };
    let findings = index.check(&engine, &own, &with_self).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule(), Rule::NearDuplicate);
    assert_eq!(findings[0].matched.similarity, 1.0);
    assert!(findings[0].message().starts_with(
        "wire-001: near-duplicate of wire-001 (Jaccard 1.000); 100.0% of the text reused"
    ));
    // The same text under another id is a finding without asking.
    let renamed = Document::new("copy", story());
    assert_eq!(index.check(&engine, &renamed, &options).unwrap().len(), 1);
    assert!(
        index
            .check(&engine, &Document::new("snowy", "Snow fell."), &options)
            .unwrap()
            .is_empty()
    );
}

/// The documents a check corpus holds, by line.
fn checked_records() -> Vec<(Value, String)> {
    vec![
        (json!("n1"), near_copy()),
        (
            json!("u"),
            "Nothing in this line was ever indexed, nor is it like anything there.".into(),
        ),
        (json!("d3"), draft()),
        (json!("wire-001"), story()),
    ]
}

fn check_findings(dir: &Path, options: &CheckOptions) -> (Vec<Finding>, usize, PathBuf) {
    let index = Index::open(&indexed(dir)).unwrap();
    let path = write(dir, "new.jsonl", jsonl(&checked_records()));
    let corpus = Corpus::open(&[Input::from_arg(&path)]).unwrap();
    let report = check::check_corpus(&index, &engine(), &corpus, options, &mut Quiet).unwrap();
    (report.findings, report.checked, path)
}

#[test]
fn check_corpus_reports_findings_by_score_at_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (findings, checked, path) = check_findings(dir.path(), &CheckOptions::default());
    assert_eq!(checked, 4);
    let summary: Vec<(&str, Rule, u64)> = findings
        .iter()
        .map(|f| (f.id.as_str(), f.rule(), f.region().start_line))
        .collect();
    assert_eq!(
        summary,
        [
            ("n1", Rule::NearDuplicate, 1),
            ("d3", Rule::ParagraphReuse, 3)
        ]
    );
    for f in &findings {
        let place = f.place.as_ref().unwrap();
        assert_eq!(place.path, path);
        assert_eq!(f.path(), path);
        let region = f.region();
        // A JSON Lines record is one line, whatever its passages.
        assert_eq!(
            (region.start_line, region.end_line, region.chars),
            (place.line, place.line, None)
        );
        assert!(f.comparison.found());
    }

    // With the document itself: its exact copy scores highest, so it
    // comes first (findings are sorted by score, ties in input order).
    let (findings, checked, _) = check_findings(dir.path(), &CheckOptions { include_self: true });
    assert_eq!(checked, 4);
    let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["wire-001", "n1", "d3"]);
    assert_eq!(findings[0].region().start_line, 4);
    assert!(findings.windows(2).all(|w| w[0].score() >= w[1].score()));
}

#[test]
fn check_corpus_of_a_text_file_points_at_the_lines_of_the_first_passage() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&indexed(dir.path())).unwrap();
    let file = write(dir.path(), "draft.txt", draft());
    let corpus = Corpus::open(&[Input::from_arg(&file)]).unwrap();
    let report = check::check_corpus(
        &index,
        &engine(),
        &corpus,
        &CheckOptions::default(),
        &mut Quiet,
    )
    .unwrap();
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];
    assert_eq!(f.place.as_ref().unwrap().line, 0);
    assert_eq!(f.id, file.display().to_string());
    let region = f.region();
    assert_eq!((region.start_line, region.end_line), (5, 7));
    assert!(region.chars.is_some());
}

// Reports of findings.

#[test]
fn sarif_has_one_result_per_finding_with_its_rule_and_level() {
    let dir = tempfile::tempdir().unwrap();
    let (findings, _, path) = check_findings(dir.path(), &CheckOptions::default());
    let scores: Vec<f64> = findings.iter().map(|f| f.score()).collect();
    // Between the two scores: the near copy fails, the draft does not.
    assert!(scores[1] < scores[0], "{scores:?}");
    let fail_on = (scores[0] + scores[1]) / 2.0;
    let params = IndexParams::new(0.8, 0.8).unwrap();
    let sarif = report::sarif::to_value(&findings, fail_on, &params);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "neardup");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["near-duplicate", "paragraph-reuse"]);
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(&findings) {
        assert_eq!(r["ruleId"], f.rule().as_str());
        assert_eq!(
            r["level"],
            if f.fails(fail_on) { "error" } else { "warning" }
        );
        assert_eq!(r["message"]["text"], f.message());
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            path.display().to_string().replace(' ', "%20")
        );
        assert_eq!(location["region"]["startLine"], f.region().start_line);
        assert_eq!(r["properties"]["indexedId"], "wire-001");
    }
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "warning"]);
}

#[test]
fn github_annotations_are_one_escaped_command_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    let (findings, _, path) = check_findings(dir.path(), &CheckOptions::default());
    let mut out = Vec::new();
    let fail_on = 0.5;
    report::github::write(&mut out, &findings, fail_on).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, f) in lines.iter().zip(&findings) {
        let region = f.region();
        // A failing finding is an error, as in SARIF; the others warnings.
        let level = if f.fails(fail_on) { "error" } else { "warning" };
        let head = format!(
            "::{level} file={},line={},endLine={},title=neardup {}::",
            path.display(),
            region.start_line,
            region.end_line,
            f.rule().as_str()
        );
        assert!(line.starts_with(&head), "{line}\n{head}");
        // The message's percent sign is escaped, as workflow commands want.
        assert_eq!(line[head.len()..], f.message().replace('%', "%25"));
        assert!(line.contains("%25 of the text reused"));
    }
}

#[test]
fn findings_as_json_lines_carry_the_finding_and_its_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let (findings, _, path) = check_findings(dir.path(), &CheckOptions::default());
    let fail_on = findings[1].score();
    let mut out = Vec::new();
    report::findings::write_json(&mut out, &findings, fail_on).unwrap();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), findings.len());
    for (v, f) in lines.iter().zip(&findings) {
        assert_eq!(v["file"], path.display().to_string());
        assert_eq!(v["line"], f.region().start_line);
        assert_eq!(v["end_line"], f.region().end_line);
        assert_eq!(v["id"], f.id);
        assert_eq!(v["indexed_id"], "wire-001");
        assert_eq!(v["rule"], f.rule().as_str());
        assert!((v["score"].as_f64().unwrap() - f.score()).abs() < 1e-6);
        assert_eq!(v["fails"], true);
        assert_eq!(v["comparison"]["source"], "wire-001");
        assert_eq!(v["comparison"]["derived"], f.id);
        assert_eq!(
            v["comparison"]["spans"].as_array().unwrap().len(),
            f.comparison.alignments.len()
        );
    }
    assert_eq!(
        (&lines[0]["line"], &lines[1]["line"]),
        (&json!(1), &json!(3))
    );
    assert_eq!(lines[0]["near_duplicate"], true);
    assert_eq!(lines[1]["paragraphs"].as_array().unwrap().len(), 2);
}

// The engine's own rules.

#[test]
fn an_engine_refuses_parameters_out_of_range() {
    let mut config = Config::default();
    config.verdict.derived_share = 1.5;
    let err = Engine::new(config).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("1.5"), "{err}");
    let mut config = Config::default();
    config.sketch.num_perm = 0;
    assert_eq!(Engine::new(config).unwrap_err().kind(), ErrorKind::Config);
}

#[test]
fn reuse_counts_the_characters_of_words_and_sets_the_verdict() {
    // No apostrophes or hyphens: a word's characters are its letters and digits.
    let copied = STORY[3];
    // As many letters of new words, and punctuation that weighs nothing.
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
    let fresh = "Snow closed the northern schools on Thursday and farmers struggled to reach their flocks on the upland pastures while the weather service warned of more cold";
    let derived = format!("{copied}\n\n{fresh}\n\n— … !!! ?? —");
    let engine = engine();
    let c = engine.compare_documents(
        Document::new("wire", story()),
        Document::new("d", derived.clone()),
    );
    assert_eq!(c.alignments.len(), 1);
    assert_eq!(c.alignments[0].derived.slice(&derived), copied);
    let expected = letters(copied) as f64 / (letters(copied) + letters(fresh)) as f64;
    assert!(
        (c.scores.reused - expected).abs() < 1e-12,
        "{} vs {expected}",
        c.scores.reused
    );
    assert_eq!(c.scores.score, c.scores.reused * c.alignments[0].score);
    // Derived from the share on: below it, partially derived.
    assert!(c.scores.reused < 0.7);
    for (share, verdict) in [
        (c.scores.reused, Verdict::Derived),
        (c.scores.reused + 1e-9, Verdict::PartiallyDerived),
        (0.0, Verdict::Derived),
    ] {
        let mut config = Config::default();
        config.verdict.derived_share = share;
        let c = Engine::new(config).unwrap().compare_documents(
            Document::new("wire", story()),
            Document::new("d", derived.clone()),
        );
        assert_eq!(c.verdict, verdict, "derived share {share}");
    }
}

#[test]
fn word_containment_is_the_share_of_derived_words_found_in_the_source() {
    let c = engine().compare_documents(
        Document::new("s", "Alpha beta gamma delta."),
        Document::new("d", "alpha BETA epsilon zeta, alpha."),
    );
    // alpha, beta, alpha of five words.
    assert_eq!(c.scores.word_containment, 3.0 / 5.0);
    assert!(!c.found());
}

// Findings made by hand: where they point and what they say.

fn finding(place: Option<check::Place>, text: &str, passage: Option<&str>, near: bool) -> Finding {
    let engine = engine();
    let source = engine.profile(Document::new("wire-001", story()));
    let mut comparison = engine.compare(&source, &engine.profile(Document::new("new", text)));
    comparison
        .alignments
        .retain(|a| passage.is_some_and(|p| a.derived.slice(text) == p));
    Finding {
        place,
        id: "new".into(),
        indexed_id: "wire-001".into(),
        matched: Match {
            doc: 0,
            similarity: 0.25,
            near_duplicate: near,
            paragraphs: vec![ParagraphMatch {
                paragraph: 0,
                indexed_paragraph: 4,
                similarity: 1.0,
                containment: 1.0,
            }],
        },
        comparison,
        text: text.into(),
        indexed_text: story(),
    }
}

#[test]
fn a_finding_points_at_its_record_its_first_passage_or_the_first_line() {
    let text = format!("Title\n\n{}\n\n{}\nlast line", STORY[3], STORY[4]);
    let passage = format!("{}\n\n{}", STORY[3], STORY[4]);
    let in_file = |line| {
        Some(check::Place {
            path: "dir/new.txt".into(),
            line,
        })
    };
    let rows = [
        // (place, passage kept, start line, end line, offsets)
        (in_file(12), Some(passage.as_str()), 12, 12, None),
        (
            in_file(0),
            Some(passage.as_str()),
            3,
            5,
            Some((7, passage.chars().count())),
        ),
        (
            None,
            Some(passage.as_str()),
            3,
            5,
            Some((7, passage.chars().count())),
        ),
        (None, None, 1, 1, None),
    ];
    for (place, kept, start, end, chars) in rows {
        let f = finding(place.clone(), &text, kept, false);
        assert_eq!(f.comparison.alignments.len(), usize::from(kept.is_some()));
        let region = f.region();
        assert_eq!(
            (region.start_line, region.end_line, region.chars),
            (start, end, chars),
            "{place:?}"
        );
        let path = place.map_or_else(|| PathBuf::from("new"), |p| p.path);
        assert_eq!(f.path(), path);
    }
    assert_eq!(check::line_of("a\nb\n\nc", 0), 1);
    assert_eq!(check::line_of("a\nb\n\nc", 2), 2);
    assert_eq!(check::line_of("a\nb\n\nc", 5), 4);
    assert_eq!(check::line_of("a\nb\n\nc", 99), 4);
}

#[test]
fn a_finding_says_which_rule_it_breaks() {
    let text = STORY[3];
    let near = finding(None, text, Some(text), true);
    assert_eq!(near.rule(), Rule::NearDuplicate);
    assert_eq!(near.rule().as_str(), "near-duplicate");
    assert!(
        near.message().starts_with(
            "new: near-duplicate of wire-001 (Jaccard 0.250); 100.0% of the text reused, score "
        ),
        "{}",
        near.message()
    );
    let reuse = finding(None, text, Some(text), false);
    assert_eq!(reuse.rule(), Rule::ParagraphReuse);
    assert_eq!(reuse.rule().as_str(), "paragraph-reuse");
    assert!(
        reuse
            .message()
            .starts_with("new: reuses 1 paragraph(s) of wire-001; "),
        "{}",
        reuse.message()
    );
}

/// Deduplicated datasets and streamed pairs: reading compressed JSON Lines
/// with named fields, deduplicating with pairs streamed, and writing the
/// deduplicated dataset.
mod dataset {
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
        let result =
            dedup::dedup(&Corpus::from_documents(docs.clone()), &config, &mut Quiet).unwrap();
        assert!(result.pair_count > 50, "{} pairs", result.pair_count);
        for keep in [Keep::First, Keep::Longest] {
            let mut kept = Vec::new();
            let mut removed = Vec::new();
            let source = Corpus::from_documents(docs.clone());
            let report =
                dedup::write_dataset(&source, &result, keep, &mut kept, Some(&mut removed))
                    .unwrap();
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
}

// A damaged index: every damage an error or the same answer.

/// Pseudo-random text: `n` words from a vocabulary of 400, a full stop every
/// eleven, paragraphs of 40 words; texts of different seeds share no 5-word
/// shingle in practice.
fn pseudo_text(seed: u64, n: usize) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = String::new();
    for i in 0..n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push_str(match i {
            0 => "",
            i if i % 40 == 0 => "\n\n",
            _ => " ",
        });
        out.push_str(&format!("w{}", state % 400));
        if i % 11 == 10 {
            out.push('.');
        }
    }
    out
}

/// How an index file was damaged, and what became of it.
#[derive(Debug, Default)]
struct Damage {
    tried: usize,
    refused_on_open: usize,
    refused_by_a_query: usize,
    same_answers: usize,
}

impl Damage {
    /// Opens `bytes` as an index and asks `queries`: an error, or every
    /// answer as in `expected` (unless `sealed`: every checksum was
    /// recomputed, so the file is another valid index and only a panic is
    /// wrong). A verified open must refuse any damage that is not sealed.
    fn try_bytes(
        &mut self,
        dir: &Path,
        bytes: &[u8],
        queries: &[String],
        expected: &[Vec<Match>],
        sealed: bool,
    ) {
        self.tried += 1;
        let path = dir.join("damaged.ndx");
        std::fs::write(&path, bytes).unwrap();
        if !sealed {
            assert!(Index::open_verified(&path).is_err(), "case {}", self.tried);
        }
        let Ok(index) = Index::open(&path) else {
            self.refused_on_open += 1;
            return;
        };
        let engine = engine();
        let mut refused = false;
        for (text, expected) in queries.iter().zip(expected) {
            match index.query(text, None) {
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::CorruptIndex, "{e}");
                    refused = true;
                }
                Ok(found) => assert!(sealed || &found == expected, "case {}", self.tried),
            }
            let document = Document::new("q", text.as_str());
            let _ = index.check(&engine, &document, &CheckOptions::default());
        }
        if refused {
            self.refused_by_a_query += 1;
        } else {
            self.same_answers += 1;
        }
    }
}

#[test]
fn a_damaged_index_gives_an_error_or_the_same_answer_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let records: Vec<(Value, String)> = (0..60)
        .map(|i| {
            (
                json!(format!("doc-{i}")),
                pseudo_text(i, 120 + 10 * (i as usize % 5)),
            )
        })
        .collect();
    let corpus = Corpus::open(&[Input::from_arg(&write(
        dir.path(),
        "c.jsonl",
        jsonl(&records),
    ))])
    .unwrap();
    let path = dir.path().join("good.ndx");
    Index::build(
        &corpus,
        IndexParams::new(0.8, 0.8).unwrap(),
        &path,
        &mut Quiet,
    )
    .unwrap();
    let good = std::fs::read(&path).unwrap();
    // A near-duplicate, a reused paragraph in new text, an edited copy,
    // nothing.
    let queries = vec![
        records[3].1.clone(),
        format!(
            "{}\n\n{}",
            pseudo_text(999, 40),
            records[10].1.split("\n\n").nth(1).unwrap()
        ),
        records[20].1.replacen("w", "v", 3),
        pseudo_text(1234, 200),
    ];
    let index = Index::open(&path).unwrap();
    let expected: Vec<Vec<Match>> = queries
        .iter()
        .map(|q| index.query(q, None).unwrap())
        .collect();
    assert_eq!(expected.iter().filter(|m| !m.is_empty()).count(), 3);
    drop(index);
    let sections = neardup::index::format::read_sections(&path, &good, |_| false).unwrap();
    let header = neardup::index::format::HEADER_BYTES;
    let mut damage = Damage::default();
    let mut sealed = Damage::default();

    // Truncated at many lengths: around the header and every section
    // boundary, and evenly over the file.
    let mut lengths: Vec<usize> = (0..header + 16).step_by(3).collect();
    for s in &sections {
        for edge in [s.offset as usize, (s.offset + s.len) as usize] {
            lengths.extend([
                edge.saturating_sub(1),
                edge,
                edge + 1,
                edge.saturating_sub(8),
            ]);
        }
    }
    lengths.extend((1..200).map(|k| good.len() * k / 200));
    lengths.retain(|&n| n < good.len());
    lengths.sort_unstable();
    lengths.dedup();
    for n in &lengths {
        let before = damage.refused_on_open;
        damage.try_bytes(dir.path(), &good[..*n], &queries, &expected, false);
        assert_eq!(
            damage.refused_on_open,
            before + 1,
            "truncated to {n} bytes opens"
        );
    }
    let truncations = lengths.len();

    // Bytes flipped: every header byte, and 60 places in each section, each
    // with three masks; then the same with every checksum recomputed.
    let mut places: Vec<usize> = (0..header).collect();
    for s in &sections {
        let (start, len) = (s.offset as usize, s.len as usize);
        places.extend(
            (0..60)
                .map(|k| start + len * k / 60)
                .filter(|&p| p < start + len),
        );
        places.push(start + len - 1);
    }
    places.sort_unstable();
    places.dedup();
    for &at in &places {
        for mask in [0x01u8, 0x80, 0xFF] {
            let mut b = good.clone();
            b[at] ^= mask;
            damage.try_bytes(dir.path(), &b, &queries, &expected, false);
            neardup::index::format::seal(&mut b);
            sealed.try_bytes(dir.path(), &b, &queries, &expected, true);
        }
    }

    // Header fields swapped between two section-table entries.
    for i in 0..sections.len() {
        for j in i + 1..sections.len() {
            for field in [0..4, 8..16, 16..24, 24..32] {
                let mut b = good.clone();
                let (a, c) = (16 + 32 * i, 16 + 32 * j);
                let first = b[a + field.start..a + field.end].to_vec();
                b.copy_within(c + field.start..c + field.end, a + field.start);
                b[c + field.start..c + field.end].copy_from_slice(&first);
                let before = damage.refused_on_open;
                damage.try_bytes(dir.path(), &b, &queries, &expected, false);
                assert_eq!(damage.refused_on_open, before + 1, "swap {i} {j} {field:?}");
                neardup::index::format::seal(&mut b);
                sealed.try_bytes(dir.path(), &b, &queries, &expected, true);
            }
        }
    }

    // Structurally valid damage: the paragraph of every paragraph key set
    // to 0xFFFFFFFE, as it is and sealed.
    let keys = sections
        .iter()
        .find(|s| s.kind == neardup::index::format::SectionKind::ParagraphKeys)
        .unwrap();
    let bands = IndexParams::new(0.8, 0.8).unwrap().paragraph_bands;
    let start = keys.offset as usize;
    let total = u64::from_le_bytes(good[start + 8 + 8 * bands..][..8].try_into().unwrap()) as usize;
    let mut b = good.clone();
    for r in 0..total {
        let at = start + 8 + 8 * (bands + 1) + 16 * r + 12;
        b[at..at + 4].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    }
    let before = damage.refused_by_a_query;
    damage.try_bytes(dir.path(), &b, &queries, &expected, false);
    assert_eq!(
        damage.refused_by_a_query,
        before + 1,
        "every paragraph key damaged"
    );
    neardup::index::format::seal(&mut b);
    let before = sealed.refused_by_a_query;
    sealed.try_bytes(dir.path(), &b, &queries, &expected, true);
    assert_eq!(
        sealed.refused_by_a_query,
        before + 1,
        "sealed: caught by the bounds checks"
    );

    assert_eq!(
        damage.tried,
        damage.refused_on_open + damage.refused_by_a_query + damage.same_answers
    );
    println!(
        "damaged index ({} bytes): {} cases ({truncations} truncations), {} refused on open, \
         {} refused by a query, {} same answers, 0 panics, 0 changed answers; \
         with checksums recomputed: {} cases, {} refused on open, {} by a query, 0 panics",
        good.len(),
        damage.tried,
        damage.refused_on_open,
        damage.refused_by_a_query,
        damage.same_answers,
        sealed.tried,
        sealed.refused_on_open,
        sealed.refused_by_a_query
    );
}

/// `eval pan` measures exactly what `compare` outputs: on the PAN pairs
/// whose documents hold stray NUL bytes (which `compare` once skipped as
/// binary), the files read as `compare` reads them give the detections the
/// evaluation scores.
#[test]
#[cfg_attr(not(neardup_pan), ignore = "needs ../shared/data/pan13-text-alignment")]
fn eval_pan_scores_what_compare_finds_on_documents_with_stray_nul_bytes() {
    use neardup::eval::pan::{self, PanCorpus};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/pan13-text-alignment");
    let corpus = PanCorpus::open(&root).unwrap();
    let has_nul = |path: PathBuf| std::fs::read(path).unwrap().contains(&0);
    let wanted: Vec<usize> = (0..corpus.pairs.len())
        .filter(|&i| {
            let p = &corpus.pairs[i];
            has_nul(corpus.src_path(&p.src)) || has_nul(corpus.susp_path(&p.susp))
        })
        .collect();
    assert!(!wanted.is_empty(), "PAN has documents with NUL bytes");
    let engine = engine();
    let evaluated = pan::run(&corpus, &engine, |i| wanted.contains(&i)).unwrap();
    let paths: Vec<(PathBuf, PathBuf)> = wanted
        .iter()
        .map(|&i| {
            let p = &corpus.pairs[i];
            (corpus.src_path(&p.src), corpus.susp_path(&p.susp))
        })
        .collect();
    let profiles = engine.profile_files(paths.iter().flat_map(|(s, d)| [s.as_path(), d.as_path()]));
    let mut found = 0;
    for (&i, (s, d)) in wanted.iter().zip(&paths) {
        let (source, _) = profiles[s].as_ref().expect("read as text");
        let (derived, _) = profiles[d].as_ref().expect("read as text");
        let spans: Vec<(usize, usize, usize, usize)> = engine
            .compare(source, derived)
            .alignments
            .iter()
            .map(|a| {
                (
                    a.derived.start(),
                    a.derived.len(),
                    a.source.start(),
                    a.source.len(),
                )
            })
            .collect();
        let scored: Vec<(usize, usize, usize, usize)> = evaluated.detections[i]
            .iter()
            .map(|a| (a.susp_offset, a.susp_len, a.src_offset, a.src_len))
            .collect();
        assert_eq!(spans, scored, "{:?}", corpus.pairs[i]);
        found += spans.len();
    }
    assert!(found > 0, "some of these pairs hold reuse");
}
