//! A persistent index of a corpus for incremental checks: texts, ids and the
//! band keys `(doc, paragraph, band, hash)` of every document and paragraph,
//! in one versioned, checksummed file (layout in `FORMAT.md`).
//!
//! - [`Index::build`] writes a new index; [`Index::add`] writes the old
//!   index plus new documents; [`Index::remove`] writes it without some.
//!   All three take the index's write lock ([`lock`]: a second writer gets
//!   a `Locked` error instead of losing an update), write a temporary file
//!   beside the target, fsync it and rename it over the target, so an
//!   interrupted run leaves the previous index as it was; the next writer
//!   removes the temporary file a killed one left.
//! - [`Index::open`] maps the file (memmap2) and checks magic, version, hash
//!   scheme, every section's bounds and checksum before anything is used.
//! - [`Index::query`] finds the indexed documents a new text near-duplicates
//!   or reuses paragraphs of, verified exactly on the stored texts.
//! - `Index::check` (in [`check`](crate::check)) adds the aligner: which
//!   passages of a new document come from each match.

mod build;
pub mod format;
mod keys;
pub mod lock;
pub mod records;

pub use build::{BuildReport, RemoveReport};

use std::fs::File;
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::Id;
use crate::error::{Error, Result};
use crate::fingerprint::{DocPrint, Fingerprinter, Granularity, HashScheme, ParagraphRule};
use crate::lsh::{BandKey, Banding, WHOLE_DOCUMENT, Weights};
use crate::sketch::SketchConfig;
use crate::sketch::shingles::ShingleSet;
use crate::sketch::similarity::{containment, jaccard};
use format::{Section, SectionKind};
use keys::Keys;
use records::DocRecord;

/// Parameters stored in an index; queries use the same.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexParams {
    /// How texts were hashed: tokenizer, normaliser, hashes, shingle size,
    /// signature size and seed. A neardup whose scheme differs cannot query
    /// the index.
    pub scheme: HashScheme,
    /// Document-level Jaccard threshold.
    pub threshold: f64,
    /// Paragraph-level threshold (Jaccard, or containment of the new
    /// paragraph in the indexed one).
    pub paragraph_threshold: f64,
    /// Document-level bands.
    pub doc_bands: usize,
    /// Document-level rows per band.
    pub doc_rows: usize,
    /// Paragraph-level bands.
    pub paragraph_bands: usize,
    /// Paragraph-level rows per band.
    pub paragraph_rows: usize,
    /// How texts are cut into paragraphs (the layout rule: blank lines, or
    /// lines in texts with one paragraph a line).
    pub paragraph_rule: ParagraphRule,
    /// The directory the ids of indexed text files are relative to, as a
    /// path from the index's own directory (absent for JSON Lines): `check`
    /// names checked files the same way, so that a file is never matched
    /// against its own indexed copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
}

impl IndexParams {
    /// Parameters for thresholds `threshold` (documents) and
    /// `paragraph_threshold`, with bands chosen as in dedup.
    pub fn new(threshold: f64, paragraph_threshold: f64) -> Result<IndexParams> {
        let sketch = SketchConfig::default();
        let doc = Banding::optimal(threshold, sketch.num_perm, Weights::default())?;
        let para = Banding::optimal(paragraph_threshold, sketch.num_perm, Weights::default())?;
        Ok(IndexParams {
            scheme: HashScheme::of(&sketch),
            threshold,
            paragraph_threshold,
            doc_bands: doc.bands,
            doc_rows: doc.rows,
            paragraph_bands: para.bands,
            paragraph_rows: para.rows,
            paragraph_rule: ParagraphRule::Layout,
            root: None,
        })
    }

    /// The document-level and paragraph-level fingerprinters; an error
    /// unless this library hashes as the parameters say.
    fn fingerprinters(&self) -> Result<(Fingerprinter, Fingerprinter)> {
        let sketch = self.scheme.sketch().ok_or_else(|| {
            Error::Config(format!(
                "unknown signature scheme {}",
                self.scheme.signature
            ))
        })?;
        let doc = Fingerprinter::new(
            sketch,
            Banding::new(self.doc_bands, self.doc_rows, sketch.num_perm)?,
            Granularity::Document,
        )?;
        let para = Fingerprinter::new(
            sketch,
            Banding::new(self.paragraph_bands, self.paragraph_rows, sketch.num_perm)?,
            Granularity::Paragraph,
        )?
        .with_paragraph_rule(self.paragraph_rule);
        Ok((doc, para))
    }
}

/// An open index.
#[derive(Debug)]
pub struct Index {
    path: PathBuf,
    map: Mmap,
    params: IndexParams,
    docs: Section,
    ids: Section,
    texts: Section,
    doc_keys: Keys,
    paragraph_keys: Keys,
    fingerprinters: (Fingerprinter, Fingerprinter),
}

/// Figures about an index.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Documents.
    pub documents: usize,
    /// Bytes of text.
    pub text_bytes: u64,
    /// Document-level band keys.
    pub document_keys: usize,
    /// Paragraph-level band keys.
    pub paragraph_keys: usize,
    /// Size of the file.
    pub file_bytes: u64,
    /// The parameters.
    pub params: IndexParams,
}

/// A paragraph of a new text that matches a paragraph of an indexed document.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ParagraphMatch {
    /// Paragraph of the new text (0-based, by the index's paragraph rule).
    pub paragraph: u32,
    /// Paragraph of the indexed document.
    pub indexed_paragraph: u32,
    /// Exact Jaccard similarity of the two paragraphs.
    pub similarity: f64,
    /// Share of the new paragraph's shingles found in the indexed one.
    pub containment: f64,
}

/// An indexed document that a new text near-duplicates or reuses.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// Document number in the index.
    pub doc: u32,
    /// Exact Jaccard similarity of the whole documents.
    pub similarity: f64,
    /// True if `similarity` reaches the document threshold.
    pub near_duplicate: bool,
    /// Reused paragraphs, by new paragraph.
    pub paragraphs: Vec<ParagraphMatch>,
}

/// A candidate: (indexed document, new unit, indexed unit).
type Candidate = (u32, u32, u32);

impl Index {
    /// Opens the index at `path` for queries: checks the header and its
    /// checksum, the version, the hash scheme, the place of every section,
    /// the checksums of the parameters, document table and ids, every
    /// document record's bounds, and the band tables of the key sections.
    /// Each text's own checksum is checked when it is read, each block of
    /// key records when a record of it is read (reading whole sections
    /// would cost gigabytes to answer a few queries).
    pub fn open(path: &Path) -> Result<Index> {
        Index::open_with(path, |k| {
            matches!(
                k,
                SectionKind::Params | SectionKind::Docs | SectionKind::Ids
            )
        })
    }

    /// Opens the index at `path` and checks every section's checksum (what
    /// `index stats` and `index add` do).
    pub fn open_verified(path: &Path) -> Result<Index> {
        Index::open_with(path, |_| true)
    }

    fn open_with(path: &Path, verify: impl Fn(SectionKind) -> bool) -> Result<Index> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        if file.metadata().map_err(|e| Error::io(path, e))?.is_dir() {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "is a directory, not an index file",
                ),
            ));
        }
        // SAFETY: the file is only read; an index is replaced by rename, never
        // rewritten in place, so the mapped bytes do not change under us
        // unless someone else truncates the file (then reads may fault).
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        let sections = format::read_sections(path, &map, verify)?;
        let get = |kind| {
            *sections
                .iter()
                .find(|s| s.kind == kind)
                .expect("checked by read_sections")
        };
        let corrupt = |message: String| Error::CorruptIndex {
            path: path.to_path_buf(),
            message,
        };
        let p = get(SectionKind::Params);
        let params: IndexParams =
            serde_json::from_slice(&map[p.offset as usize..(p.offset + p.len) as usize])
                .map_err(|e| corrupt(format!("bad parameters: {e}")))?;
        check_scheme(path, &params.scheme)?;
        let fingerprinters = params
            .fingerprinters()
            .map_err(|e| corrupt(format!("bad parameters: {e}")))?;
        let docs = get(SectionKind::Docs);
        if !docs.len.is_multiple_of(DocRecord::SIZE as u64) {
            return Err(corrupt("docs section has a partial record".into()));
        }
        if docs.len / DocRecord::SIZE as u64 > u64::from(u32::MAX) {
            return Err(corrupt(
                "docs section: more documents than u32 numbers".into(),
            ));
        }
        let (ids, texts) = (get(SectionKind::Ids), get(SectionKind::Texts));
        check_doc_records(&map, docs, ids, texts).map_err(corrupt)?;
        let doc_keys = Keys::open(path, &map, get(SectionKind::DocKeys), params.doc_bands)?;
        let paragraph_keys = Keys::open(
            path,
            &map,
            get(SectionKind::ParagraphKeys),
            params.paragraph_bands,
        )?;
        Ok(Index {
            path: path.to_path_buf(),
            params,
            docs,
            ids,
            texts,
            doc_keys,
            paragraph_keys,
            fingerprinters,
            map,
        })
    }

    /// The file the index was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory the ids of the indexed text files are relative to
    /// (see [`IndexParams::root`]), if the index records one.
    pub fn root(&self) -> Option<PathBuf> {
        let root = self.params.root.as_ref()?;
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some(dir.join(root))
    }

    /// The parameters.
    pub fn params(&self) -> &IndexParams {
        &self.params
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        (self.docs.len / DocRecord::SIZE as u64) as usize
    }

    /// True if the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn corrupt(&self, message: String) -> Error {
        Error::CorruptIndex {
            path: self.path.clone(),
            message,
        }
    }

    /// The record of document `doc`; an error naming the index if there is
    /// no such document (a damaged key can point anywhere).
    fn doc_record(&self, doc: u32) -> Result<DocRecord> {
        if doc as usize >= self.len() {
            return Err(self.corrupt(format!(
                "a key points to document {doc}, the index has {}",
                self.len()
            )));
        }
        let at = self.docs.offset as usize + doc as usize * DocRecord::SIZE;
        Ok(DocRecord::decode(&self.map[at..at + DocRecord::SIZE]))
    }

    /// Bytes `offset..offset + len` of `section` (bounds checked at open,
    /// and again here).
    fn slice(&self, section: Section, offset: u64, len: u64, what: &str) -> Result<&[u8]> {
        if offset.checked_add(len).is_none_or(|end| end > section.len) {
            return Err(self.corrupt(format!(
                "{what} lies outside section {}",
                section.kind.name()
            )));
        }
        let start = (section.offset + offset) as usize;
        Ok(&self.map[start..start + len as usize])
    }

    /// The id of document `doc`.
    pub fn id(&self, doc: u32) -> Result<Id> {
        let record = self.doc_record(doc)?;
        let bytes = self.slice(
            self.ids,
            record.id_offset,
            u64::from(record.id_len),
            "an id",
        )?;
        let text = std::str::from_utf8(bytes)
            .map_err(|_| self.corrupt(format!("id of document {doc} is not UTF-8")))?;
        Ok(record.id(text.to_string()))
    }

    /// The text of document `doc` (its checksum checked).
    pub fn text(&self, doc: u32) -> Result<&str> {
        let record = self.doc_record(doc)?;
        let bytes = self.slice(self.texts, record.text_offset, record.text_len, "a text")?;
        if xxhash_rust::xxh3::xxh3_64(bytes) != record.text_checksum {
            return Err(self.corrupt(format!("checksum mismatch in the text of document {doc}")));
        }
        std::str::from_utf8(bytes)
            .map_err(|_| self.corrupt(format!("text of document {doc} is not UTF-8")))
    }

    /// Figures for `index stats`.
    pub fn stats(&self) -> Stats {
        Stats {
            documents: self.len(),
            text_bytes: self.texts.len,
            document_keys: self.doc_keys.len(),
            paragraph_keys: self.paragraph_keys.len(),
            file_bytes: self.map.len() as u64,
            params: self.params.clone(),
        }
    }

    fn keys(&self, granularity: Granularity) -> &Keys {
        match granularity {
            Granularity::Document => &self.doc_keys,
            Granularity::Paragraph => &self.paragraph_keys,
        }
    }

    /// Every stored band key of one level, each block of records verified
    /// as it is read.
    pub fn band_keys(
        &self,
        granularity: Granularity,
    ) -> impl Iterator<Item = Result<BandKey>> + '_ {
        let keys = self.keys(granularity);
        (0..keys.bands()).flat_map(move |band| {
            keys.band(band).map(move |i| {
                let r = keys.record(&self.path, &self.map, i)?;
                Ok(BandKey {
                    doc: r.doc,
                    paragraph: r.paragraph,
                    band: band as u16,
                    hash: r.hash,
                })
            })
        })
    }

    /// The `(doc, paragraph)` of every stored key equal to `(band, hash)`;
    /// an error if a key record read on the way is damaged.
    pub fn lookup(
        &self,
        granularity: Granularity,
        band: usize,
        hash: u64,
    ) -> Result<Vec<(u32, u32)>> {
        let keys = self.keys(granularity);
        if band >= keys.bands() {
            return Err(Error::Config(format!(
                "band {band} asked of section {}, which has {}",
                keys.section_name(),
                keys.bands()
            )));
        }
        keys.lookup(&self.path, &self.map, band, hash)
    }

    /// The indexed documents that `text` near-duplicates (document Jaccard at
    /// least the threshold) or reuses paragraphs of (paragraph Jaccard, or
    /// containment of the new paragraph, at least the paragraph threshold),
    /// verified exactly against the stored texts, in document order.
    /// `exclude` is left out (the text's own document when it is indexed).
    pub fn query(&self, text: &str, exclude: Option<u32>) -> Result<Vec<Match>> {
        let (fp_doc, fp_para) = &self.fingerprinters;
        let mut candidates: Vec<Candidate> = Vec::new();
        let doc_print = fp_doc.fingerprint(text, &mut fp_doc.scratch());
        self.collect(Granularity::Document, &doc_print, &mut candidates)?;
        let para_print = fp_para.fingerprint(text, &mut fp_para.scratch());
        self.collect(Granularity::Paragraph, &para_print, &mut candidates)?;
        candidates.retain(|c| Some(c.0) != exclude);
        candidates.sort_unstable();
        candidates.dedup();
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let own = fp_doc.shingle_set(text, WHOLE_DOCUMENT);
        let new_paragraphs = units_of(candidates.iter().map(|c| c.1));
        let own_paragraphs = fp_para.shingle_sets(text, &new_paragraphs);
        let query = Query {
            own: &own,
            paragraphs: &new_paragraphs,
            paragraph_sets: &own_paragraphs,
        };
        let by_doc: Vec<&[Candidate]> = candidates.chunk_by(|a, b| a.0 == b.0).collect();
        let matches: Vec<Option<Match>> = by_doc
            .par_iter()
            .map(|group| self.verify(group, &query))
            .collect::<Result<_>>()?;
        Ok(matches.into_iter().flatten().collect())
    }

    fn collect(
        &self,
        granularity: Granularity,
        print: &DocPrint,
        out: &mut Vec<Candidate>,
    ) -> Result<()> {
        for (u, &unit) in print.units.iter().enumerate() {
            for (band, &hash) in print.unit_bands(u).iter().enumerate() {
                for (doc, paragraph) in self.lookup(granularity, band, hash)? {
                    if doc as usize >= self.len() {
                        return Err(self.corrupt(format!(
                            "a key of section {} points to document {doc}, the index has {}",
                            self.keys(granularity).section_name(),
                            self.len()
                        )));
                    }
                    let whole = paragraph == WHOLE_DOCUMENT;
                    if whole != (granularity == Granularity::Document) {
                        return Err(self.corrupt(format!(
                            "a key of section {} has paragraph {paragraph}",
                            self.keys(granularity).section_name()
                        )));
                    }
                    out.push((doc, unit, paragraph));
                }
            }
        }
        Ok(())
    }

    /// Exact verification of the candidates of one indexed document.
    fn verify(&self, group: &[Candidate], query: &Query<'_>) -> Result<Option<Match>> {
        let (fp_doc, fp_para) = &self.fingerprinters;
        let doc = group[0].0;
        let text = self.text(doc)?;
        let set = fp_doc.shingle_set(text, WHOLE_DOCUMENT);
        let similarity = jaccard(query.own.as_slice(), set.as_slice());
        let near_duplicate = similarity >= self.params.threshold;
        let pairs: Vec<(u32, u32)> = group
            .iter()
            .filter(|c| c.1 != WHOLE_DOCUMENT)
            .map(|c| (c.1, c.2))
            .collect();
        let indexed = units_of(pairs.iter().map(|p| p.1));
        if let Some(&last) = indexed.last() {
            let count = fp_para.paragraph_rule().split(text).len();
            if last as usize >= count {
                return Err(self.corrupt(format!(
                    "a key of section paragraph keys points to paragraph {last} of document {doc}, which has {count}"
                )));
            }
        }
        let indexed_sets = fp_para.shingle_sets(text, &indexed);
        let mut paragraphs = Vec::new();
        for (new, old) in pairs {
            // Both were collected above (and the paragraph checked).
            let a = &query.paragraph_sets[query.paragraphs.binary_search(&new).expect("collected")];
            let b = &indexed_sets[indexed.binary_search(&old).expect("collected")];
            let (a, b) = (a.as_slice(), b.as_slice());
            let (j, c) = (jaccard(a, b), containment(a, b));
            let t = self.params.paragraph_threshold;
            if j >= t || c >= t {
                paragraphs.push(ParagraphMatch {
                    paragraph: new,
                    indexed_paragraph: old,
                    similarity: j,
                    containment: c,
                });
            }
        }
        Ok((near_duplicate || !paragraphs.is_empty()).then_some(Match {
            doc,
            similarity,
            near_duplicate,
            paragraphs,
        }))
    }
}

/// The new text's side of a query.
struct Query<'q> {
    own: &'q ShingleSet,
    paragraphs: &'q [u32],
    paragraph_sets: &'q [ShingleSet],
}

/// The distinct paragraph units among `units`, sorted.
fn units_of(units: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut p: Vec<u32> = units.filter(|&u| u != WHOLE_DOCUMENT).collect();
    p.sort_unstable();
    p.dedup();
    p
}

/// An error unless the index was hashed as this library hashes.
fn check_scheme(path: &Path, stored: &HashScheme) -> Result<()> {
    let Some(sketch) = stored.sketch() else {
        return Err(Error::Scheme {
            path: path.to_path_buf(),
            message: format!("unknown signature scheme {}", stored.signature),
        });
    };
    match HashScheme::of(&sketch).difference(stored) {
        None => Ok(()),
        Some(difference) => Err(Error::Scheme {
            path: path.to_path_buf(),
            message: format!("{difference} (this neardup vs the index)"),
        }),
    }
}

/// Checks that every document record's id and text lie inside their
/// sections and its id kind is known; the message says which is wrong.
fn check_doc_records(
    map: &[u8],
    docs: Section,
    ids: Section,
    texts: Section,
) -> std::result::Result<(), String> {
    let table = &map[docs.offset as usize..(docs.offset + docs.len) as usize];
    for (doc, bytes) in table.chunks_exact(DocRecord::SIZE).enumerate() {
        let r = DocRecord::decode(bytes);
        let inside = |offset: u64, len: u64, s: Section| {
            offset.checked_add(len).is_some_and(|end| end <= s.len)
        };
        if !inside(r.id_offset, u64::from(r.id_len), ids) {
            return Err(format!(
                "docs section: the id of document {doc} lies outside section ids"
            ));
        }
        if !inside(r.text_offset, r.text_len, texts) {
            return Err(format!(
                "docs section: the text of document {doc} lies outside section texts"
            ));
        }
        if DocRecord::id_kind(bytes) > 1 {
            return Err(format!(
                "docs section: document {doc} has an unknown id kind"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
