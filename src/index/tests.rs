//! Tests of the index on small corpora in a temporary directory: build, add,
//! remove (renumbering), queries (near-duplicates, reused paragraphs,
//! `exclude`), and damaged files (version, hash scheme, checksums, a key
//! pointing past the last document or at a paragraph its text lacks).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::format::{SectionKind, read_sections, seal};
use super::records::KeyRecord;
use super::*;
use crate::corpus::{Corpus, Input};
use crate::error::ErrorKind;
use crate::events::Quiet;
use crate::sketch::shingles::shingle_set;
use crate::text::sample::words;

/// The indexed documents: string and number ids, one to three paragraphs.
fn documents() -> Vec<(Value, String)> {
    vec![
        (
            json!("alpha"),
            format!("{}\n\n{}\n\n{}", words(1, 80), words(2, 60), words(3, 70)),
        ),
        (json!(42), format!("{}\n\n{}", words(4, 80), words(5, 60))),
        (json!("gamma"), words(6, 100)),
        (
            json!("delta"),
            format!("{}\n\n{}", words(7, 50), words(8, 50)),
        ),
    ]
}

fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A JSON Lines corpus file `name` in `dir`, opened.
fn corpus(dir: &Path, name: &str, records: &[(Value, String)]) -> Corpus {
    let path = dir.join(name);
    let lines: String = records
        .iter()
        .map(|(id, text)| json!({"id": id, "text": text}).to_string() + "\n")
        .collect();
    std::fs::write(&path, lines).unwrap();
    Corpus::open(&[Input::JsonLines(path)]).unwrap()
}

fn default_params() -> IndexParams {
    IndexParams::new(0.8, 0.8).unwrap()
}

/// An index of `records` built with `params` in a new temporary directory.
fn built(records: &[(Value, String)], params: IndexParams) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.ndx");
    let c = corpus(dir.path(), "corpus.jsonl", records);
    let report = Index::build(&c, params, &path, &mut Quiet).unwrap();
    assert_eq!(
        (report.documents, report.added),
        (records.len(), records.len())
    );
    (dir, path)
}

fn exact(a: &str, b: &str) -> (f64, f64) {
    let k = SketchConfig::default();
    let (a, b) = (
        shingle_set(a, k.shingle_size, k.seed),
        shingle_set(b, k.shingle_size, k.seed),
    );
    (
        jaccard(a.as_slice(), b.as_slice()),
        containment(a.as_slice(), b.as_slice()),
    )
}

fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n").collect()
}

/// `text` with its first word replaced.
fn first_word_changed(text: &str) -> String {
    let (_, rest) = text.split_once(' ').unwrap();
    format!("changed {rest}")
}

#[test]
fn a_built_index_holds_every_document_as_given() {
    let docs = documents();
    let (_dir, path) = built(&docs, default_params());
    let index = Index::open(&path).unwrap();
    assert_eq!(index.len(), docs.len());
    assert_eq!(index.id(0).unwrap(), Id::Text("alpha".into()));
    assert_eq!(index.id(1).unwrap(), Id::Number("42".into()));
    for (doc, (_, text)) in docs.iter().enumerate() {
        assert_eq!(index.text(doc as u32).unwrap(), text);
    }
    assert_eq!(index.params(), &default_params());
    let stats = index.stats();
    assert_eq!(stats.documents, 4);
    assert_eq!(stats.document_keys, 4 * index.params().doc_bands);
    // Paragraphs: 3 + 2 + 1 + 2, each with every band.
    assert_eq!(stats.paragraph_keys, 8 * index.params().paragraph_bands);
    assert!(
        index
            .band_keys(Granularity::Document)
            .all(|k| k.unwrap().paragraph == WHOLE_DOCUMENT)
    );
}

#[test]
fn a_near_duplicate_is_found_with_its_paragraphs_verified_exactly() {
    let docs = documents();
    let (_dir, path) = built(&docs, default_params());
    let index = Index::open(&path).unwrap();
    let alpha = &docs[0].1;
    let new = first_word_changed(alpha);
    let matches = index.query(&new, None).unwrap();
    assert_eq!(matches.len(), 1, "{matches:?}");
    let m = &matches[0];
    assert_eq!(m.doc, 0);
    assert!(m.near_duplicate);
    assert_eq!(m.similarity, exact(&new, alpha).0);
    let found: Vec<(u32, u32)> = m
        .paragraphs
        .iter()
        .map(|p| (p.paragraph, p.indexed_paragraph))
        .collect();
    assert_eq!(found, [(0, 0), (1, 1), (2, 2)]);
    let (new_pars, old_pars) = (paragraphs(&new), paragraphs(alpha));
    for p in &m.paragraphs {
        let (j, c) = exact(
            new_pars[p.paragraph as usize],
            old_pars[p.indexed_paragraph as usize],
        );
        assert_eq!((p.similarity, p.containment), (j, c));
    }
    assert!(m.paragraphs[0].similarity < 1.0);
    assert_eq!(m.paragraphs[1].similarity, 1.0);
}

#[test]
fn a_reused_paragraph_is_found_in_an_otherwise_new_text() {
    let docs = documents();
    let (_dir, path) = built(&docs, default_params());
    let index = Index::open(&path).unwrap();
    let reused = paragraphs(&docs[1].1)[1];
    let new = format!("{}\n\n{reused}\n\n{}", words(20, 80), words(21, 70));
    let matches = index.query(&new, None).unwrap();
    assert_eq!(matches.len(), 1, "{matches:?}");
    let m = &matches[0];
    assert_eq!(m.doc, 1);
    assert!(!m.near_duplicate);
    assert_eq!(m.similarity, exact(&new, &docs[1].1).0);
    assert!(m.similarity < 0.8);
    assert_eq!(
        m.paragraphs,
        [ParagraphMatch {
            paragraph: 1,
            indexed_paragraph: 1,
            similarity: 1.0,
            containment: 1.0
        }]
    );
    assert!(index.query(&words(22, 120), None).unwrap().is_empty());
}

#[test]
fn a_paragraph_is_reused_when_it_is_contained_in_an_indexed_one() {
    // Every paragraph sharing one signature slot is a candidate, so that
    // the exact measures alone decide.
    let params = IndexParams {
        paragraph_bands: 128,
        paragraph_rows: 1,
        ..default_params()
    };
    let docs = documents();
    let (_dir, path) = built(&docs, params);
    let index = Index::open(&path).unwrap();
    let indexed = paragraphs(&docs[3].1)[1];
    // The first 30 of the 50 words: all of the new paragraph is in the
    // indexed one (containment 1), Jaccard 26 / 46.
    let part: String = indexed.split(' ').take(30).collect::<Vec<_>>().join(" ");
    // The whole paragraph with as many new words: Jaccard and containment
    // about 0.5, reused by neither measure.
    let more = format!("{indexed} {}", words(23, 50));
    let new = format!("{}\n\n{part}\n\n{more}", words(24, 60));
    let matches = index.query(&new, None).unwrap();
    assert_eq!(matches.len(), 1, "{matches:?}");
    assert_eq!(matches[0].doc, 3);
    let (j, c) = exact(&part, indexed);
    assert!((j - 26.0 / 46.0).abs() < 1e-12 && c == 1.0, "{j} {c}");
    assert_eq!(
        matches[0].paragraphs,
        [ParagraphMatch {
            paragraph: 1,
            indexed_paragraph: 1,
            similarity: j,
            containment: c
        }]
    );
    let (j, c) = exact(&more, indexed);
    assert!(j < 0.8 && c < 0.8);
}

#[test]
fn exclude_leaves_out_one_document() {
    let docs = documents();
    let (_dir, path) = built(&docs, default_params());
    let index = Index::open(&path).unwrap();
    let own = &docs[2].1;
    let found = index.query(own, None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].doc, found[0].similarity), (2, 1.0));
    assert!(index.query(own, Some(2)).unwrap().is_empty());
    // Excluding another document changes nothing.
    assert_eq!(index.query(own, Some(0)).unwrap(), found);
}

#[test]
fn add_appends_documents_and_refuses_ids_already_indexed() {
    let docs = documents();
    let (dir, path) = built(&docs, default_params());
    let new = (json!("epsilon"), words(30, 90));
    let report = Index::add(
        &path,
        &corpus(dir.path(), "more.jsonl", std::slice::from_ref(&new)),
        &mut Quiet,
    )
    .unwrap();
    assert_eq!((report.documents, report.added), (5, 1));
    let index = Index::open(&path).unwrap();
    assert_eq!(index.len(), 5);
    assert_eq!(index.id(4).unwrap(), Id::Text("epsilon".into()));
    let found = index.query(&new.1, None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].doc, found[0].similarity), (4, 1.0));
    // The old documents are still there, under their numbers.
    for (doc, (_, text)) in docs.iter().enumerate() {
        assert_eq!(index.text(doc as u32).unwrap(), text);
        assert_eq!(index.query(text, None).unwrap()[0].doc, doc as u32);
    }
    drop(index);
    // A known id (the number 42, given as a string) is an error; the index
    // is left as it was.
    let before = std::fs::read(&path).unwrap();
    let again = corpus(dir.path(), "again.jsonl", &[(json!("42"), words(31, 40))]);
    let err = Index::add(&path, &again, &mut Quiet).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Parse);
    assert!(err.to_string().contains("duplicate id \"42\""), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[test]
fn remove_renumbers_the_documents_left() {
    let docs = documents();
    let (_dir, path) = built(&docs, default_params());
    let report = Index::remove(&path, &["alpha", "nope"]).unwrap();
    assert_eq!((report.documents, report.removed), (3, 1));
    assert_eq!(report.missing, ["nope"]);
    let index = Index::open(&path).unwrap();
    assert_eq!(index.len(), 3);
    assert!(
        index
            .band_keys(Granularity::Document)
            .all(|k| k.unwrap().doc < 3)
    );
    assert!(
        index
            .band_keys(Granularity::Paragraph)
            .all(|k| k.unwrap().doc < 3)
    );
    for (doc, (id, text)) in docs[1..].iter().enumerate() {
        let doc = doc as u32;
        assert_eq!(index.id(doc).unwrap().as_str(), id_text(id));
        assert_eq!(index.text(doc).unwrap(), text);
        // Found by its keys, under its new number, and only there.
        let found = index.query(text, None).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].doc, found[0].similarity), (doc, 1.0));
        assert!(found[0].near_duplicate);
    }
    assert!(index.query(&docs[0].1, None).unwrap().is_empty());
    // A number id is removed by its text.
    drop(index);
    let report = Index::remove(&path, &["42"]).unwrap();
    assert_eq!((report.documents, report.removed), (2, 1));
    let index = Index::open(&path).unwrap();
    assert_eq!(index.id(0).unwrap().as_str(), "gamma");
    assert_eq!(index.query(&docs[3].1, None).unwrap()[0].doc, 1);
}

#[test]
fn removing_only_unknown_ids_writes_nothing() {
    let (_dir, path) = built(&documents(), default_params());
    let (before, ino) = (std::fs::read(&path).unwrap(), inode(&path));
    let report = Index::remove(&path, &["nope", "zilch"]).unwrap();
    assert_eq!(
        report,
        RemoveReport {
            documents: 4,
            removed: 0,
            missing: vec!["nope".into(), "zilch".into()],
            file_bytes: before.len() as u64,
        }
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(inode(&path), ino, "the file was not replaced");
    // A removal that does happen replaces the file.
    Index::remove(&path, &["gamma"]).unwrap();
    assert_ne!(inode(&path), ino);
}

/// The byte range of the section of `kind` in an index file.
fn section(bytes: &[u8], kind: SectionKind) -> std::ops::Range<usize> {
    let sections = read_sections(Path::new("index"), bytes, |_| false).unwrap();
    let s = sections.iter().find(|s| s.kind == kind).unwrap();
    s.offset as usize..(s.offset + s.len) as usize
}

/// Rewrites the file at `path` through `edit`.
fn damage(path: &Path, edit: impl FnOnce(&mut Vec<u8>)) {
    let mut bytes = std::fs::read(path).unwrap();
    edit(&mut bytes);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn an_index_of_another_format_version_is_refused() {
    for version in [1u32, 2, 4] {
        let (_dir, path) = built(&documents(), default_params());
        damage(&path, |b| b[8..12].copy_from_slice(&version.to_le_bytes()));
        let err = Index::open(&path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Version);
        assert!(
            err.to_string()
                .contains(&format!("index format version {version}")),
            "{err}"
        );
    }
}

#[test]
fn an_index_hashed_differently_is_refused() {
    let mut params = default_params();
    params.scheme.tokenizer = "uax29-words/0 unicode-9.0.0".into();
    let (_dir, path) = built(&documents(), params);
    let err = Index::open(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Scheme);
    assert!(err.to_string().contains("tokenizer"), "{err}");
    assert!(
        err.to_string().contains("uax29-words/0 unicode-9.0.0"),
        "{err}"
    );
    assert_eq!(
        Index::open_verified(&path).unwrap_err().kind(),
        ErrorKind::Scheme
    );
}

#[test]
fn a_flipped_byte_in_a_checksummed_section_is_corruption() {
    // Checked when opened.
    for kind in [SectionKind::Params, SectionKind::Docs, SectionKind::Ids] {
        let (_dir, path) = built(&documents(), default_params());
        damage(&path, |b| {
            let r = section(b, kind);
            b[(r.start + r.end) / 2] ^= 0x01;
        });
        let err = Index::open(&path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CorruptIndex, "{kind:?}");
        assert!(
            err.to_string()
                .contains(&format!("checksum mismatch in section {}", kind.name())),
            "{err}"
        );
    }
    // Texts are checked when read, key sections by a verified open.
    let (_dir, path) = built(&documents(), default_params());
    damage(&path, |b| {
        let r = section(b, SectionKind::Texts);
        b[r.start + 3] ^= 0x01;
    });
    let index = Index::open(&path).unwrap();
    let err = index.text(0).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CorruptIndex);
    assert!(err.to_string().contains("text of document 0"), "{err}");
    assert!(index.text(1).is_ok());
    assert_eq!(
        Index::open_verified(&path).unwrap_err().kind(),
        ErrorKind::CorruptIndex
    );
    // A key section's band table and block checksums are checked on open,
    // its records when a query reads them.
    for kind in [SectionKind::DocKeys, SectionKind::ParagraphKeys] {
        let (_dir, path) = built(&documents(), default_params());
        damage(&path, |b| {
            let r = section(b, kind);
            b[r.end - 1] ^= 0x01;
        });
        let err = Index::open(&path).unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("{} section: checksum mismatch", kind.name())),
            "{err}"
        );
        let docs = documents();
        let (_dir, path) = built(&docs, default_params());
        damage(&path, |b| {
            let r = section(b, kind);
            b[r.start + 8 + 8 * 40] ^= 0x01;
        });
        let index = Index::open(&path).unwrap();
        let err = index.query(&docs[0].1, None).unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("checksum mismatch in section {}", kind.name())),
            "{err}"
        );
        assert_eq!(
            Index::open_verified(&path).unwrap_err().kind(),
            ErrorKind::CorruptIndex
        );
    }
    // A truncated file.
    let (_dir, path) = built(&documents(), default_params());
    damage(&path, |b| b.truncate(b.len() - 10));
    let err = Index::open(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CorruptIndex);
    assert!(err.to_string().contains("truncated"), "{err}");
}

/// Offset in the file of key record `i` of the key section of `kind`
/// (after the band count, a reserved word and bands + 1 band starts).
fn key_record(bytes: &[u8], kind: SectionKind, bands: usize, i: usize) -> usize {
    section(bytes, kind).start + 8 + 8 * (bands + 1) + i * KeyRecord::SIZE
}

/// Changes the first key record of section `kind` with `edit`; with
/// `sealed`, every checksum is recomputed afterwards, so that only the
/// bounds checks can catch the damage.
fn damage_first_key(
    path: &Path,
    kind: SectionKind,
    sealed: bool,
    edit: impl FnOnce(KeyRecord) -> KeyRecord,
) -> usize {
    let params = default_params();
    let bands = match kind {
        SectionKind::DocKeys => params.doc_bands,
        _ => params.paragraph_bands,
    };
    let mut target = 0;
    damage(path, |b| {
        let at = key_record(b, kind, bands, 0);
        let record = KeyRecord::decode(&b[at..]);
        target = record.doc as usize;
        b[at..at + KeyRecord::SIZE].copy_from_slice(&edit(record).encode());
        if sealed {
            seal(b);
        }
    });
    target
}

#[test]
fn a_damaged_key_is_an_error_when_read_never_a_panic_or_another_answer() {
    let docs = documents();
    // (section, damage, message when the checksums were recomputed)
    type Edit = fn(KeyRecord) -> KeyRecord;
    let cases: [(SectionKind, Edit, &str); 3] = [
        (
            SectionKind::DocKeys,
            |r| KeyRecord { doc: 999, ..r },
            "points to document 999",
        ),
        (
            SectionKind::ParagraphKeys,
            |r| KeyRecord { paragraph: 77, ..r },
            "points to paragraph 77",
        ),
        (
            SectionKind::ParagraphKeys,
            |r| KeyRecord {
                paragraph: WHOLE_DOCUMENT,
                ..r
            },
            "has paragraph 4294967295",
        ),
    ];
    for (kind, edit, sealed_message) in cases {
        for sealed in [false, true] {
            let (_dir, path) = built(&docs, default_params());
            let target = damage_first_key(&path, kind, sealed, edit);
            let index = Index::open(&path).unwrap();
            // The text whose key it was meets the damage.
            let err = index.query(&docs[target].1, None).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::CorruptIndex);
            let message = if sealed {
                sealed_message
            } else {
                "checksum mismatch in section"
            };
            assert!(err.to_string().contains(message), "{kind:?} {err}");
            assert!(
                err.to_string().contains(kind.name()) || sealed,
                "the section is named: {err}"
            );
        }
    }
}
