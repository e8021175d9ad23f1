//! A persistent index of a corpus for incremental checks: texts, ids and the
//! band keys `(doc, paragraph, band, hash)` of every document and paragraph,
//! in one versioned, checksummed file (layout in `FORMAT.md`).
//!
//! - [`build`] writes a new index; [`add`] writes the old index plus new
//!   documents. Both write a temporary file beside the target, fsync it and
//!   rename it over the target, so an interrupted run leaves the previous
//!   index as it was.
//! - [`Index::open`] maps the file (memmap2) and checks magic, version, every
//!   section's bounds and checksum before anything is used.
//! - [`Index::query`] finds the indexed documents a new text near-duplicates
//!   or reuses paragraphs of, verified exactly on the stored texts.

mod build;
pub mod format;

pub use build::{BuildReport, add, build};

use std::fs::File;
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::Id;
use crate::dedup::{DocPrint, Fingerprinter, Granularity, ParagraphRule, jaccard};
use crate::error::{Error, Result};
use crate::lsh::{BandKey, Banding, WHOLE_DOCUMENT, Weights};
use crate::sketch::SketchConfig;
use crate::sketch::similarity::intersection_size;
use format::{Section, SectionKind, u32_at, u64_at};

/// Bytes of one document record.
const DOC_RECORD: usize = 40;
/// Bytes of one band-key record: hash u64, doc u32, paragraph u32.
const KEY_RECORD: usize = 16;

/// Parameters stored in an index; queries use the same.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexParams {
    /// Words per shingle.
    pub shingle_size: usize,
    /// MinHash permutations.
    pub num_perm: usize,
    /// Seed of hashes.
    pub seed: u64,
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
}

impl IndexParams {
    /// Parameters for thresholds `threshold` (documents) and
    /// `paragraph_threshold`, with bands chosen as in dedup.
    pub fn new(threshold: f64, paragraph_threshold: f64) -> Result<IndexParams> {
        let sketch = SketchConfig::default();
        let doc = Banding::optimal(threshold, sketch.num_perm, Weights::default())?;
        let para = Banding::optimal(paragraph_threshold, sketch.num_perm, Weights::default())?;
        Ok(IndexParams {
            shingle_size: sketch.shingle_size,
            num_perm: sketch.num_perm,
            seed: sketch.seed,
            threshold,
            paragraph_threshold,
            doc_bands: doc.bands,
            doc_rows: doc.rows,
            paragraph_bands: para.bands,
            paragraph_rows: para.rows,
            paragraph_rule: ParagraphRule::Layout,
        })
    }

    fn sketch(&self) -> SketchConfig {
        SketchConfig {
            shingle_size: self.shingle_size,
            num_perm: self.num_perm,
            seed: self.seed,
            ..SketchConfig::default()
        }
    }

    fn fingerprinters(&self) -> Result<(Fingerprinter, Fingerprinter)> {
        let doc = Fingerprinter::new(
            self.sketch(),
            Banding::new(self.doc_bands, self.doc_rows, self.num_perm)?,
            Granularity::Document,
        )?;
        let para = Fingerprinter::new(
            self.sketch(),
            Banding::new(self.paragraph_bands, self.paragraph_rows, self.num_perm)?,
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

/// A band-key section: per band, a range of records sorted by hash.
#[derive(Clone, Debug)]
struct Keys {
    /// Byte offset of the first record.
    records: usize,
    /// Record index where each band starts (bands + 1 entries).
    band_starts: Vec<usize>,
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
    /// Paragraph of the new text (0-based, blank-line blocks).
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

impl Index {
    /// Opens the index at `path` for queries: checks the header, the bounds
    /// of every section and the checksums of the parameters, document table
    /// and ids; each text's own checksum is checked when it is read. Key
    /// sections are not checksummed here (that would read the whole file):
    /// a damaged key can only change which candidates are tried, and every
    /// answer is verified on checksummed texts.
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
        let fingerprinters = params
            .fingerprinters()
            .map_err(|e| corrupt(format!("bad parameters: {e}")))?;
        let docs = get(SectionKind::Docs);
        if !docs.len.is_multiple_of(DOC_RECORD as u64) {
            return Err(corrupt("document table has a partial record".into()));
        }
        let doc_keys = read_keys(path, &map, get(SectionKind::DocKeys), params.doc_bands)?;
        let paragraph_keys = read_keys(
            path,
            &map,
            get(SectionKind::ParagraphKeys),
            params.paragraph_bands,
        )?;
        Ok(Index {
            path: path.to_path_buf(),
            params,
            docs,
            ids: get(SectionKind::Ids),
            texts: get(SectionKind::Texts),
            doc_keys,
            paragraph_keys,
            fingerprinters,
            map,
        })
    }

    /// The parameters.
    pub fn params(&self) -> &IndexParams {
        &self.params
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        (self.docs.len / DOC_RECORD as u64) as usize
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

    fn doc_record(&self, doc: u32) -> (u64, u64, u32, u64, u64, u64) {
        let at = self.docs.offset as usize + doc as usize * DOC_RECORD;
        (
            u64_at(&self.map, at),
            u32_at(&self.map, at + 8) as u64,
            u32_at(&self.map, at + 12),
            u64_at(&self.map, at + 16),
            u64_at(&self.map, at + 24),
            u64_at(&self.map, at + 32),
        )
    }

    fn slice(&self, section: Section, offset: u64, len: u64, what: &str) -> Result<&[u8]> {
        if offset.checked_add(len).is_none_or(|end| end > section.len) {
            return Err(self.corrupt(format!("{what} points outside its section")));
        }
        let start = (section.offset + offset) as usize;
        Ok(&self.map[start..start + len as usize])
    }

    /// The id of document `doc`.
    pub fn id(&self, doc: u32) -> Result<Id> {
        let (id_off, id_len, kind, _, _, _) = self.doc_record(doc);
        let bytes = self.slice(self.ids, id_off, id_len, "an id")?;
        let text = std::str::from_utf8(bytes)
            .map_err(|_| self.corrupt(format!("id of document {doc} is not UTF-8")))?
            .to_string();
        Ok(if kind == 1 {
            Id::Number(text)
        } else {
            Id::Text(text)
        })
    }

    /// The text of document `doc` (its checksum checked).
    pub fn text(&self, doc: u32) -> Result<&str> {
        let (_, _, _, off, len, checksum) = self.doc_record(doc);
        let bytes = self.slice(self.texts, off, len, "a text")?;
        if xxhash_rust::xxh3::xxh3_64(bytes) != checksum {
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
            document_keys: self.doc_keys.band_starts.last().copied().unwrap_or(0),
            paragraph_keys: self.paragraph_keys.band_starts.last().copied().unwrap_or(0),
            file_bytes: self.map.len() as u64,
            params: self.params,
        }
    }

    fn keys(&self, granularity: Granularity) -> &Keys {
        match granularity {
            Granularity::Document => &self.doc_keys,
            Granularity::Paragraph => &self.paragraph_keys,
        }
    }

    fn record(&self, keys: &Keys, i: usize) -> (u64, u32, u32) {
        let at = keys.records + i * KEY_RECORD;
        (
            u64_at(&self.map, at),
            u32_at(&self.map, at + 8),
            u32_at(&self.map, at + 12),
        )
    }

    /// Every stored band key of one level.
    pub fn band_keys(&self, granularity: Granularity) -> impl Iterator<Item = BandKey> + '_ {
        let keys = self.keys(granularity);
        keys.band_starts
            .windows(2)
            .enumerate()
            .flat_map(move |(band, w)| {
                (w[0]..w[1]).map(move |i| {
                    let (hash, doc, paragraph) = self.record(keys, i);
                    BandKey {
                        doc,
                        paragraph,
                        band: band as u16,
                        hash,
                    }
                })
            })
    }

    /// The `(doc, paragraph)` of every stored key equal to `(band, hash)`.
    pub fn lookup(&self, granularity: Granularity, band: usize, hash: u64) -> Vec<(u32, u32)> {
        let keys = self.keys(granularity);
        let (lo, hi) = (keys.band_starts[band], keys.band_starts[band + 1]);
        // First record with a hash >= `hash` (records are sorted by hash).
        let (mut a, mut b) = (lo, hi);
        while a < b {
            let mid = (a + b) / 2;
            if self.record(keys, mid).0 < hash {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        let mut out = Vec::new();
        while a < hi {
            let (h, doc, paragraph) = self.record(keys, a);
            if h != hash {
                break;
            }
            out.push((doc, paragraph));
            a += 1;
        }
        out
    }

    /// The indexed documents that `text` near-duplicates (document Jaccard at
    /// least the threshold) or reuses paragraphs of (paragraph Jaccard, or
    /// containment of the new paragraph, at least the paragraph threshold),
    /// verified exactly against the stored texts. `exclude` is left out (the
    /// text's own document when it is indexed).
    pub fn query(&self, text: &str, exclude: Option<u32>) -> Result<Vec<Match>> {
        let (fp_doc, fp_para) = &self.fingerprinters;
        let mut candidates: Vec<(u32, u32, u32)> = Vec::new(); // (doc, new paragraph, indexed paragraph)
        let doc_print = fp_doc.fingerprint(text, &mut fp_doc.scratch());
        self.collect(
            Granularity::Document,
            &doc_print,
            fp_doc.banding(),
            &mut candidates,
        );
        let para_print = fp_para.fingerprint(text, &mut fp_para.scratch());
        self.collect(
            Granularity::Paragraph,
            &para_print,
            fp_para.banding(),
            &mut candidates,
        );
        candidates.retain(|c| Some(c.0) != exclude);
        candidates.sort_unstable();
        candidates.dedup();
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let own = fp_doc.shingle_set(text, WHOLE_DOCUMENT, &mut fp_doc.scratch());
        let new_paragraphs: Vec<u32> = {
            let mut p: Vec<u32> = candidates
                .iter()
                .filter(|c| c.1 != WHOLE_DOCUMENT)
                .map(|c| c.1)
                .collect();
            p.sort_unstable();
            p.dedup();
            p
        };
        let own_paragraphs = fp_para.shingle_sets(text, &new_paragraphs, &mut fp_para.scratch());
        let by_doc: Vec<&[(u32, u32, u32)]> = candidates.chunk_by(|a, b| a.0 == b.0).collect();
        let matches: Vec<Option<Match>> = by_doc
            .par_iter()
            .map(|group| {
                self.verify(
                    group,
                    &own,
                    &new_paragraphs,
                    &own_paragraphs,
                    fp_doc,
                    fp_para,
                )
            })
            .collect::<Result<_>>()?;
        Ok(matches.into_iter().flatten().collect())
    }

    fn collect(
        &self,
        granularity: Granularity,
        print: &DocPrint,
        banding: Banding,
        out: &mut Vec<(u32, u32, u32)>,
    ) {
        for (u, &unit) in print.units.iter().enumerate() {
            for band in 0..banding.bands {
                let hash = print.bands[u * banding.bands + band];
                for (doc, paragraph) in self.lookup(granularity, band, hash) {
                    out.push((doc, unit, paragraph));
                }
            }
        }
    }

    fn verify(
        &self,
        group: &[(u32, u32, u32)],
        own: &[u64],
        new_paragraphs: &[u32],
        own_paragraphs: &[Vec<u64>],
        fp_doc: &Fingerprinter,
        fp_para: &Fingerprinter,
    ) -> Result<Option<Match>> {
        let doc = group[0].0;
        let text = self.text(doc)?;
        let set = fp_doc.shingle_set(text, WHOLE_DOCUMENT, &mut fp_doc.scratch());
        let similarity = jaccard(own, &set);
        let near_duplicate = similarity >= self.params.threshold;
        let pairs: Vec<(u32, u32)> = group
            .iter()
            .filter(|c| c.1 != WHOLE_DOCUMENT)
            .map(|c| (c.1, c.2))
            .collect();
        let mut indexed: Vec<u32> = pairs.iter().map(|p| p.1).collect();
        indexed.sort_unstable();
        indexed.dedup();
        let indexed_sets = fp_para.shingle_sets(text, &indexed, &mut fp_para.scratch());
        let mut paragraphs = Vec::new();
        for (new, old) in pairs {
            let a = &own_paragraphs[new_paragraphs.binary_search(&new).expect("collected")];
            let b = &indexed_sets[indexed.binary_search(&old).expect("collected")];
            let inter = intersection_size(a, b);
            let j = jaccard(a, b);
            let containment = if a.is_empty() {
                0.0
            } else {
                inter as f64 / a.len() as f64
            };
            let t = self.params.paragraph_threshold;
            if j >= t || containment >= t {
                paragraphs.push(ParagraphMatch {
                    paragraph: new,
                    indexed_paragraph: old,
                    similarity: j,
                    containment,
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

fn read_keys(path: &Path, map: &[u8], s: Section, bands: usize) -> Result<Keys> {
    let corrupt = |message: String| Error::CorruptIndex {
        path: path.to_path_buf(),
        message,
    };
    let head = 8 + 8 * (bands + 1);
    if (s.len as usize) < head || u32_at(map, s.offset as usize) as usize != bands {
        return Err(corrupt(format!(
            "{} section does not match the parameters",
            s.kind.name()
        )));
    }
    let base = s.offset as usize;
    let band_starts: Vec<usize> = (0..=bands)
        .map(|i| u64_at(map, base + 8 + 8 * i) as usize)
        .collect();
    let records = (s.len as usize - head) / KEY_RECORD;
    if !(s.len as usize - head).is_multiple_of(KEY_RECORD)
        || band_starts.windows(2).any(|w| w[0] > w[1])
        || band_starts[0] != 0
        || band_starts[bands] != records
    {
        return Err(corrupt(format!(
            "{} section is inconsistent",
            s.kind.name()
        )));
    }
    Ok(Keys {
        records: base + head,
        band_starts,
    })
}
