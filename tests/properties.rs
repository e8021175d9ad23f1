//! Property tests of the offset invariants: every token, sentence, paragraph
//! and reported span is a non-empty range whose byte offsets are char
//! boundaries of the text and whose code-point offsets count the same
//! characters.

use neardup::text::{Segmented, Span};
use neardup::{Config, Document, Engine, Verdict};
use proptest::prelude::*;

/// Text made of words from several scripts, numbers, punctuation, quotes,
/// line breaks (single, blank, CRLF) and odd spaces.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z]{1,9}",
        1 => "[0-9]{1,4}([.,][0-9]{1,3})?",
        1 => prop::sample::select(vec![
            "Zürich", "naïve", "Straße", "日本語", "中国", "پاکستان", "Iran’s", "U.S.", "J.", "—", "“quoted”",
            "ﬁne", "ＡＢＣ", "e\u{301}", "👍🏽", "\u{FFFD}", "Mr.", "...", "(x)",
        ]).prop_map(String::from),
    ];
    let sep = prop::sample::select(vec![
        " ",
        " ",
        " ",
        ", ",
        ". ",
        "! ",
        "? ",
        "\n",
        "\n\n",
        "\r\n",
        " \u{00A0}",
        "\t",
    ]);
    prop::collection::vec((piece, sep), 0..80)
        .prop_map(|parts| parts.into_iter().map(|(p, s)| p + s).collect())
}

fn assert_span(text: &str, span: &Span) {
    assert!(span.start() < span.end(), "empty span {span:?}");
    assert!(span.byte_end() <= text.len(), "span past the end {span:?}");
    assert!(
        text.is_char_boundary(span.byte_start()) && text.is_char_boundary(span.byte_end()),
        "not char boundaries {span:?}"
    );
    assert_eq!(
        text[..span.byte_start()].chars().count(),
        span.start(),
        "code-point start of {span:?}"
    );
    assert_eq!(
        text[span.bytes()].chars().count(),
        span.len(),
        "code-point length of {span:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn segments_carry_valid_ordered_offsets(text in text()) {
        let seg = Segmented::new(&text);
        for t in &seg.tokens {
            assert_span(&text, &t.span);
        }
        for w in seg.tokens.windows(2) {
            prop_assert!(w[0].span.byte_end() <= w[1].span.byte_start());
        }
        for (i, s) in seg.sentences.iter().enumerate() {
            assert_span(&text, &s.span);
            for t in &seg.tokens[s.tokens.clone()] {
                prop_assert!(s.span.byte_start() <= t.span.byte_start() && t.span.byte_end() <= s.span.byte_end());
            }
            if i > 0 {
                prop_assert!(seg.sentences[i - 1].span.byte_end() <= s.span.byte_start());
            }
        }
        for p in &seg.paragraphs {
            assert_span(&text, &p.span);
            for s in &seg.sentences[p.sentences.clone()] {
                prop_assert!(p.span.byte_start() <= s.span.byte_start() && s.span.byte_end() <= p.span.byte_end());
            }
        }
        // Every token is in a sentence.
        let in_sentences: usize = seg.sentences.iter().map(|s| s.tokens.len()).sum();
        prop_assert_eq!(in_sentences, seg.tokens.len());
    }

    #[test]
    fn reported_spans_are_valid_and_ordered(a in text(), b in text(), shared in text()) {
        let engine = Engine::new(Config::default()).unwrap();
        let source = format!("{a}\n\n{shared}");
        let derived = format!("{shared}\n\n{b}");
        let c = engine.compare_documents(Document::new("s", source.clone()), Document::new("d", derived.clone()));
        for al in &c.alignments {
            assert_span(&source, &al.source);
            assert_span(&derived, &al.derived);
            prop_assert!((0.0..=1.0).contains(&al.score));
        }
        for w in c.alignments.windows(2) {
            prop_assert!(w[0].derived.start() <= w[1].derived.start());
        }
        prop_assert!((0.0..=1.0).contains(&c.scores.reused));
        // Passages make a pair derived; without any, the document figures
        // may still do.
        prop_assert!(!c.found() || c.verdict != Verdict::NotDerived);
        prop_assert!((0.0..=1.0).contains(&c.scores.derivation));
    }

    #[test]
    fn a_document_is_wholly_derived_from_itself(a in text()) {
        let engine = Engine::new(Config::default()).unwrap();
        let c = engine.compare_documents(Document::new("a", a.clone()), Document::new("a", a.clone()));
        let profile = engine.profile(Document::new("a", a.clone()));
        if profile.segmented.tokens.is_empty() {
            prop_assert_eq!(c.verdict, Verdict::NotDerived);
        } else {
            prop_assert_eq!(c.verdict, Verdict::Derived);
            // Every token of the text lies in a reported span.
            for t in &profile.segmented.tokens {
                prop_assert!(c.alignments.iter().any(|al| al.derived.byte_start() <= t.span.byte_start() && t.span.byte_end() <= al.derived.byte_end()));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The ASCII fast path of word segmentation gives exactly UAX #29's words.
    #[test]
    fn ascii_words_match_unicode_segmentation(text in "[a-c0-2_.,;:' \n\t!-]{0,40}") {
        use unicode_segmentation::UnicodeSegmentation;
        let fast: Vec<(usize, &str)> = neardup::text::tokens::words(&text).collect();
        let slow: Vec<(usize, &str)> = text
            .split_word_bound_indices()
            .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
            .collect();
        prop_assert_eq!(fast, slow);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// On any text — ASCII, mixed scripts, random characters — with words
    /// pushed across the 64-byte block edges by a filler of `pad` bytes, the
    /// fast paths give UAX #29's words, and each token hash is the hash of
    /// the reference word's normalised form.
    #[test]
    fn fast_words_and_hashes_match_the_unicode_path(
        body in prop_oneof![text(), "[a-c0-2_.,;:' \n\t!-]{0,200}", any::<String>()],
        pad in 0usize..130,
        filler in prop::sample::select(vec![" ", "a", "_", ".", "1", "é"]),
    ) {
        use neardup::sketch::hash::{for_each_token_hash, token_hash};
        use neardup::text::normalize::normalize;
        use neardup::text::tokens::{unicode_words, words};
        let text = filler.repeat(pad / filler.len()) + &body;
        let fast: Vec<(usize, &str)> = words(&text).collect();
        let reference: Vec<(usize, &str)> = unicode_words(&text).collect();
        prop_assert_eq!(&fast, &reference);
        let mut hashes = Vec::new();
        for_each_token_hash(&text, |h| hashes.push(h));
        let expected: Vec<u64> = reference
            .iter()
            .map(|(_, w)| token_hash(normalize(w).as_bytes()))
            .collect();
        prop_assert_eq!(hashes, expected);
    }
}

/// Sentence-heavy ASCII: words, capitals, numbers, terminators, closing
/// marks, abbreviations and line breaks, the classes the sentence rules
/// look at.
fn sentence_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "word", "Word", "U.S.", "Mr.", "e.g.", "3.5", "1,000", "etc.", "J.", "x", "A", "...", "?!",
        ".)", "!\"", "'", "(", "]", ":", ";", "-", ",", " ", " ", "  ", "\n", "\n\n", "\r\n", "\t",
        ".", ". ", "! ", "? ", "#", "é", "É", "。", "\u{301}", "\u{A0}",
    ]);
    prop::collection::vec(piece, 0..120).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// Full segmentation by the fast paths — tokens with their normalised
    /// forms and classes, sentences, paragraphs, every byte and code-point
    /// offset — is the reference segmentation, on ASCII, mixed and random
    /// text, with words pushed across the 64-byte block edges.
    #[test]
    fn fast_segmentation_is_the_reference(
        body in prop_oneof![text(), sentence_text(), "[a-cA-C0-2_.,;:'\"()!? \n\t-]{0,200}", any::<String>()],
        pad in 0usize..130,
        filler in prop::sample::select(vec![" ", "a", "_", ".", "1", "é"]),
    ) {
        let text = filler.repeat(pad / filler.len()) + &body;
        prop_assert_eq!(Segmented::new(&text), Segmented::reference(&text));
    }
}

/// A small corpus: texts built from a few shared pieces, so that documents
/// and paragraphs overlap a lot (near-duplicates at every similarity).
fn corpus() -> impl Strategy<Value = Vec<String>> {
    let pieces = prop::collection::vec(text(), 3..6);
    (
        pieces,
        prop::collection::vec(prop::collection::vec(0usize..6, 1..5), 2..8),
    )
        .prop_map(|(pieces, docs)| {
            docs.into_iter()
                .map(|choice| {
                    choice
                        .into_iter()
                        .map(|i| pieces[i % pieces.len()].clone())
                        .collect::<Vec<_>>()
                        .join("\n\n")
                })
                .collect()
        })
}

fn run_dedup(
    texts: &[String],
    granularity: neardup::fingerprint::Granularity,
    threshold: f64,
) -> (neardup::dedup::Dedup, tempfile::TempDir) {
    use neardup::corpus::{Corpus, Input};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.jsonl");
    let lines: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": i, "text": t}).to_string() + "\n")
        .collect();
    std::fs::write(&path, lines).unwrap();
    let corpus = Corpus::open(&[Input::JsonLines(path)]).unwrap();
    let config = neardup::dedup::DedupConfig {
        threshold,
        granularity,
        ..Default::default()
    };
    let result = neardup::dedup::dedup(&corpus, &config, &mut neardup::events::Quiet).unwrap();
    (result, dir)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every reported pair is exact: its similarity is the Jaccard of the two
    /// shingle sets computed from scratch, at least the threshold, once, and
    /// never within one document; every pair of identical non-empty units is
    /// reported (identical signatures always share every band).
    #[test]
    fn dedup_reports_only_exact_pairs(texts in corpus(), threshold in 0.3f64..1.0, paragraph in any::<bool>()) {
        use neardup::fingerprint::Granularity;
        use neardup::sketch::similarity::jaccard;
        use neardup::lsh::WHOLE_DOCUMENT;
        use neardup::sketch::shingles::shingle_set;
        use neardup::text::paragraphs::blank_line_blocks;
        let granularity = if paragraph { Granularity::Paragraph } else { Granularity::Document };
        let (result, _dir) = run_dedup(&texts, granularity, threshold);
        let unit_text = |u: neardup::dedup::Unit| -> String {
            let t = &texts[u.doc as usize];
            if u.paragraph == WHOLE_DOCUMENT {
                t.clone()
            } else {
                t[blank_line_blocks(t)[u.paragraph as usize].clone()].to_string()
            }
        };
        let mut seen = std::collections::HashSet::new();
        for p in &result.pairs {
            let (a, b) = (result.units[p.a as usize], result.units[p.b as usize]);
            prop_assert!(seen.insert((p.a, p.b)), "pair reported twice");
            prop_assert!(a.doc != b.doc || !paragraph, "pair within one document");
            let exact = jaccard(shingle_set(&unit_text(a), 5, 0x5EED).as_slice(), shingle_set(&unit_text(b), 5, 0x5EED).as_slice());
            prop_assert_eq!(exact, p.similarity);
            prop_assert!(p.similarity >= threshold);
        }
        for (i, a) in result.units.iter().enumerate() {
            for (j, b) in result.units.iter().enumerate().skip(i + 1) {
                if a.doc != b.doc && unit_text(*a) == unit_text(*b) {
                    prop_assert!(seen.contains(&(i as u32, j as u32)), "identical units not paired");
                }
            }
        }
    }
}
