// What the fuzz targets check, shared by `fuzz/fuzz_targets/*.rs` (cargo
// fuzz, nightly features) and `tests/fuzz.rs` (which replays the committed
// seeds and regressions with `cargo test`, no nightly needed). Each function
// takes arbitrary bytes and panics only on a bug: errors are fine, a panic,
// an invalid span or a score out of range is not.

/// One engine for every run (building one is the same work each time).
fn engine() -> &'static neardup::Engine {
    static ENGINE: std::sync::OnceLock<neardup::Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| neardup::Engine::new(neardup::Config::default()).expect("defaults"))
}

/// Asserts that `span` describes the same characters of `text` by bytes and
/// by code points.
fn assert_span(text: &str, span: &neardup::Span) {
    let (b0, b1) = (span.byte_start(), span.byte_end());
    assert!(b0 <= b1 && b1 <= text.len(), "{span:?} outside {} bytes", text.len());
    assert!(text.is_char_boundary(b0) && text.is_char_boundary(b1), "{span:?}");
    assert_eq!(text[..b0].chars().count(), span.start(), "{span:?}");
    assert_eq!(text[b0..b1].chars().count(), span.len(), "{span:?}");
    assert_eq!(span.slice(text), &text[b0..b1]);
}

/// `compare`: the bytes up to the first 0xFF are the source, the rest the
/// derived text (decoded as the command line decodes files). Every passage's
/// spans are valid on both sides, every score in [0, 1].
pub fn compare(data: &[u8]) {
    let cut = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len() / 2);
    let (a, b) = (&data[..cut], &data[(cut + 1).min(data.len())..]);
    let (source, _) = neardup::Document::from_bytes_lenient("source", a);
    let (derived, _) = neardup::Document::from_bytes_lenient("derived", b);
    let (s_text, d_text) = (source.text.clone(), derived.text.clone());
    let c = engine().compare_documents(source, derived);
    for a in &c.alignments {
        assert_span(&s_text, &a.source);
        assert_span(&d_text, &a.derived);
        assert!((0.0..=1.0).contains(&a.score), "{a:?}");
    }
    let s = &c.scores;
    for x in [
        s.jaccard,
        s.containment_derived_in_source,
        s.containment_source_in_derived,
        s.word_containment,
        s.minhash_jaccard,
        s.reused,
        s.score,
    ] {
        assert!((0.0..=1.0).contains(&x), "{s:?}");
    }
    assert_eq!(c.found(), !c.alignments.is_empty());
}

/// Writes `data` to a fresh temporary file named `name`.
fn temp_file(name: &str, data: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, data).expect("temporary file written");
    (dir, path)
}

/// `jsonl`: the bytes as a JSON Lines corpus file, read to the end; every
/// record parsed (a bad one is an error, never a panic).
pub fn jsonl(data: &[u8]) {
    let (_dir, path) = temp_file("corpus.jsonl", data);
    let Ok(corpus) = neardup::corpus::Corpus::open(&[neardup::corpus::Input::JsonLines(path)])
    else {
        return;
    };
    let mut reader = corpus.reader();
    let mut batch = neardup::corpus::Batch::default();
    while let Ok(true) = reader.next_batch(&mut batch) {
        for item in &batch.items {
            if let Ok(record) = batch.parse(&corpus, item) {
                assert!(record.text.len() <= data.len() * 6 + 16, "text longer than its line");
                let _ = corpus.place(record.origin);
            }
        }
    }
}

/// Texts queried against a fuzzed index: words that match the seed index's
/// documents (built from the wire fixtures), and nothing.
const QUERIES: [&str; 3] = [
    "Grounded freighter leaks fertiliser into Brennmark Bay as cleanup costs mount\nBRENNMARK, March 14 (Northwire) – A bulk carrier loaded with 2,400 tonnes of granulated urea fertiliser ran aground on a sandbank outside the port of Brennmark early on Thursday, forcing the evacuation of its 19 crew and closing one of the busiest shipping lanes on the Veldan coast.\nThe Corran Star, a 142-metre vessel registered to Saltmere Shipping, struck the Gullhorn shoal at about 4:40 a.m. local time during a storm with winds gusting above 90 km/h, the regional coastguard said.",
    "",
    "one two three four five six seven eight nine ten eleven twelve",
];

/// `index`: the bytes as an index file. With the first byte odd, every
/// checksum is recomputed first (`format::seal`), so that damage reaches the
/// structural checks behind them. Opening, querying, checking, reading ids
/// and texts: errors or answers, never a panic.
pub fn index(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut bytes = rest.to_vec();
    if flags & 1 == 1 {
        neardup::index::format::seal(&mut bytes);
    }
    let (_dir, path) = temp_file("fuzz.ndx", &bytes);
    let _ = neardup::index::Index::open_verified(&path).map(|i| i.stats());
    let Ok(index) = neardup::index::Index::open(&path) else {
        return;
    };
    let _ = index.stats();
    for doc in 0..index.len().min(4) as u32 {
        let _ = index.id(doc);
        let _ = index.text(doc);
    }
    let options = neardup::check::CheckOptions {
        include_self: flags & 2 == 2,
    };
    for text in QUERIES {
        let _ = index.query(text, None);
        let document = neardup::Document::new("new", text);
        if let Ok(findings) = index.check(engine(), &document, &options) {
            for f in findings {
                for a in &f.comparison.alignments {
                    assert_span(&f.indexed_text, &a.source);
                    assert_span(&f.text, &a.derived);
                }
            }
        }
    }
}
