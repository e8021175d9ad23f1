//! `neardup._neardup`: the Rust side of the Python package. Every function
//! calls one use case of the `neardup` library with the interpreter detached
//! (the library runs on all cores through rayon), and hands back plain
//! values: indices into the caller's records, JSON text of the CLI's own
//! output contracts, or little-endian buffers that the Python side wraps as
//! Arrow arrays without copying. The Python package (`neardup/__init__.py`)
//! turns these into the public API.

use std::path::PathBuf;

use neardup::check::CheckOptions;
use neardup::corpus::{Corpus, Fields, Id, Input, read_record};
use neardup::dedup::{self, Dedup, DedupConfig, Keep};
use neardup::events::Quiet;
use neardup::fingerprint::{Fingerprinter, Granularity, unit_text_hash};
use neardup::index::IndexParams;
use neardup::lsh::{Banding, WHOLE_DOCUMENT, Weights};
use neardup::report::{findings, json as comparison_json};
use neardup::sketch::similarity::jaccard;
use neardup::{Config, Document, Engine};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rayon::prelude::*;

create_exception!(
    _neardup,
    NeardupError,
    PyException,
    "An error of the neardup library; `kind` says which (Io, Parse, Config, CorruptIndex, …)."
);

/// An error with the library's message and a `kind` attribute.
fn raise(message: String, kind: &str) -> PyErr {
    Python::attach(|py| {
        let err = NeardupError::new_err(message);
        // Setting an attribute on a fresh exception object cannot fail in
        // practice; if it did, the message alone still says what happened.
        let _ = err.value(py).setattr("kind", kind);
        err
    })
}

/// A library error as a Python exception with the same message.
fn error(e: neardup::Error) -> PyErr {
    raise(e.to_string(), &format!("{:?}", e.kind()))
}

fn config_error(message: String) -> PyErr {
    raise(message, "Config")
}

/// `(text, is_number)` ids from Python, as the library's ids.
fn ids_of(ids: Vec<(String, bool)>) -> Vec<Id> {
    ids.into_iter()
        .map(|(text, number)| {
            if number {
                Id::Number(text)
            } else {
                Id::Text(text)
            }
        })
        .collect()
}

fn documents(ids: Vec<(String, bool)>, texts: Vec<String>) -> PyResult<Vec<(Id, String)>> {
    if ids.len() != texts.len() {
        return Err(config_error(format!(
            "{} ids for {} texts",
            ids.len(),
            texts.len()
        )));
    }
    Ok(ids_of(ids).into_iter().zip(texts).collect())
}

/// An engine with `config` (`(path, value)` settings, see `Config::set`).
fn engine(config: Vec<(String, String)>) -> PyResult<Engine> {
    let mut c = Config::default();
    for (key, value) in config {
        c.set(&key, &value).map_err(error)?;
    }
    Engine::new(c).map_err(error)
}

/// Compares `derived` with `source`; the comparison's JSON object (the
/// CLI's `compare --json` line) as text.
#[pyfunction]
#[pyo3(signature = (source, derived, source_id, derived_id, config))]
fn compare(
    py: Python<'_>,
    source: String,
    derived: String,
    source_id: String,
    derived_id: String,
    config: Vec<(String, String)>,
) -> PyResult<String> {
    let engine = engine(config)?;
    Ok(py.detach(move || {
        let c = engine.compare_documents(
            Document::new(source_id, source),
            Document::new(derived_id, derived),
        );
        comparison_json::to_line(&c)
    }))
}

/// Compares many `(source_id, source, derived_id, derived)` pairs in
/// parallel; JSON objects in order.
#[pyfunction]
fn compare_many(
    py: Python<'_>,
    pairs: Vec<(String, String, String, String)>,
    config: Vec<(String, String)>,
) -> PyResult<Vec<String>> {
    let engine = engine(config)?;
    Ok(py.detach(move || {
        pairs
            .into_par_iter()
            .map(|(sid, s, did, d)| {
                comparison_json::to_line(
                    &engine.compare_documents(Document::new(sid, s), Document::new(did, d)),
                )
            })
            .collect()
    }))
}

fn granularity(name: &str) -> PyResult<Granularity> {
    match name {
        "document" => Ok(Granularity::Document),
        "paragraph" => Ok(Granularity::Paragraph),
        other => Err(config_error(format!(
            "granularity must be \"document\" or \"paragraph\", not {other:?}"
        ))),
    }
}

fn dedup_config(
    threshold: f64,
    granularity_name: &str,
    num_perm: usize,
    banding: Option<(usize, usize)>,
    fn_weight: Option<f64>,
) -> PyResult<DedupConfig> {
    let mut config = DedupConfig {
        threshold,
        granularity: granularity(granularity_name)?,
        ..DedupConfig::default()
    };
    config.sketch.num_perm = num_perm;
    if let Some((bands, rows)) = banding {
        config.banding = Some(Banding { bands, rows });
    }
    if let Some(w) = fn_weight {
        if !(w > 0.0 && w < 1.0) {
            return Err(config_error(format!(
                "fn_weight must be in (0, 1), not {w}"
            )));
        }
        config.weights = Weights {
            false_positive: 1.0 - w,
            false_negative: w,
        };
    }
    config.banding().map_err(error)?;
    Ok(config)
}

/// A unit as `(document number, paragraph or None)`.
type UnitKey = (u32, Option<u32>);

/// A verified pair: `(a, a_paragraph, b, b_paragraph, similarity)`.
type PairRow = (u32, Option<u32>, u32, Option<u32>, f64);

/// Candidate pairs as four column buffers, and the number of giant buckets.
type CandidateColumns = (
    Py<PyBytes>,
    Py<PyBytes>,
    Py<PyBytes>,
    Py<PyBytes>,
    Py<PyBytes>,
    usize,
);

fn unit_key(u: dedup::Unit) -> UnitKey {
    (
        u.doc,
        (u.paragraph != WHOLE_DOCUMENT).then_some(u.paragraph),
    )
}

/// The result of a deduplication run, kept on the Rust side.
#[pyclass(module = "neardup._neardup", frozen)]
struct DedupResult {
    inner: Dedup,
}

#[pymethods]
impl DedupResult {
    /// Verified pairs as `(a, a_paragraph, b, b_paragraph, similarity)`,
    /// documents by number in input order, paragraphs None at document level,
    /// similarity rounded to 6 decimals as the CLI's JSON does.
    fn pairs(&self) -> Vec<PairRow> {
        self.inner
            .pairs
            .iter()
            .map(|p| {
                let (a, b) = self.inner.units_of(p);
                let ((ad, ap), (bd, bp)) = (unit_key(a), unit_key(b));
                (ad, ap, bd, bp, (p.similarity * 1e6).round() / 1e6)
            })
            .collect()
    }

    /// Clusters of units, each sorted by id, named by its first member.
    fn clusters(&self) -> Vec<Vec<UnitKey>> {
        self.inner
            .clusters()
            .into_iter()
            .map(|c| c.into_iter().map(unit_key).collect())
            .collect()
    }

    /// Units to drop, each with the unit kept in its place: `keep` is
    /// "first" or "longest".
    fn removals(&self, keep: &str) -> PyResult<Vec<(UnitKey, UnitKey)>> {
        let keep = match keep {
            "first" => Keep::First,
            "longest" => Keep::Longest,
            other => {
                return Err(config_error(format!(
                    "keep must be \"first\" or \"longest\", not {other:?}"
                )));
            }
        };
        Ok(self
            .inner
            .removals(keep)
            .into_iter()
            .map(|r| (unit_key(r.unit), unit_key(r.kept)))
            .collect())
    }

    /// The documents' ids as read: `(text, is_number)`.
    fn ids(&self) -> Vec<(String, bool)> {
        self.inner
            .ids
            .iter()
            .map(|id| (id.as_str().to_string(), matches!(id, Id::Number(_))))
            .collect()
    }

    /// Numbers of the documents without a word.
    fn empty(&self) -> Vec<u32> {
        self.inner.empty.clone()
    }

    /// Candidate pairs before verification.
    #[getter]
    fn candidates(&self) -> usize {
        self.inner.candidates
    }
}

/// Deduplicates documents given in memory.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (ids, texts, threshold, granularity, num_perm, banding, fn_weight))]
fn dedup_documents(
    py: Python<'_>,
    ids: Vec<(String, bool)>,
    texts: Vec<String>,
    threshold: f64,
    granularity: &str,
    num_perm: usize,
    banding: Option<(usize, usize)>,
    fn_weight: Option<f64>,
) -> PyResult<DedupResult> {
    let config = dedup_config(threshold, granularity, num_perm, banding, fn_weight)?;
    let corpus = Corpus::from_documents(documents(ids, texts)?);
    let inner = py
        .detach(move || dedup::dedup(&corpus, &config, &mut Quiet))
        .map_err(error)?;
    Ok(DedupResult { inner })
}

/// Deduplicates files: JSON Lines, directories or text files, as the CLI
/// reads them.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (paths, threshold, granularity, num_perm, banding, fn_weight))]
fn dedup_files(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    threshold: f64,
    granularity: &str,
    num_perm: usize,
    banding: Option<(usize, usize)>,
    fn_weight: Option<f64>,
) -> PyResult<DedupResult> {
    let config = dedup_config(threshold, granularity, num_perm, banding, fn_weight)?;
    let inner = py
        .detach(move || {
            let inputs: Vec<Input> = paths.iter().map(|p| Input::from_arg(p)).collect();
            dedup::dedup(&Corpus::open(&inputs)?, &config, &mut Quiet)
        })
        .map_err(error)?;
    Ok(DedupResult { inner })
}

/// Bytes of paragraph `paragraph` of `text` (blank-line blocks, as
/// paragraph-level dedup numbers them); 0 if there is no such paragraph.
#[pyfunction]
fn paragraph_bytes(text: &str, paragraph: u32) -> usize {
    neardup::text::paragraphs::blank_line_blocks(text)
        .get(paragraph as usize)
        .map_or(0, |r| r.len())
}

/// `text` without the paragraphs numbered in `removed` (blank-line blocks).
#[pyfunction]
fn without_paragraphs(text: &str, removed: Vec<u32>) -> String {
    dedup::without_paragraphs(text, &removed)
}

/// An index file, open.
#[pyclass(module = "neardup._neardup")]
struct Index {
    inner: neardup::index::Index,
    engine: Engine,
}

fn open_index(path: &std::path::Path) -> PyResult<Index> {
    Ok(Index {
        inner: neardup::index::Index::open(path).map_err(error)?,
        engine: Engine::new(Config::default()).map_err(error)?,
    })
}

#[pymethods]
impl Index {
    /// Builds an index of documents at `path` and opens it.
    #[staticmethod]
    fn build(
        py: Python<'_>,
        path: PathBuf,
        ids: Vec<(String, bool)>,
        texts: Vec<String>,
        threshold: f64,
        paragraph_threshold: f64,
    ) -> PyResult<Index> {
        let params = IndexParams::new(threshold, paragraph_threshold).map_err(error)?;
        let corpus = Corpus::from_documents(documents(ids, texts)?);
        py.detach(|| neardup::index::Index::build(&corpus, params, &path, &mut Quiet))
            .map_err(error)?;
        open_index(&path)
    }

    /// Builds an index of files (as the CLI reads them) and opens it.
    #[staticmethod]
    fn build_files(
        py: Python<'_>,
        path: PathBuf,
        inputs: Vec<PathBuf>,
        threshold: f64,
        paragraph_threshold: f64,
    ) -> PyResult<Index> {
        let params = IndexParams::new(threshold, paragraph_threshold).map_err(error)?;
        py.detach(|| {
            let inputs: Vec<Input> = inputs.iter().map(|p| Input::from_arg(p)).collect();
            neardup::index::Index::build(&Corpus::open(&inputs)?, params, &path, &mut Quiet)
        })
        .map_err(error)?;
        open_index(&path)
    }

    /// Opens the index at `path`.
    #[staticmethod]
    fn open(path: PathBuf) -> PyResult<Index> {
        open_index(&path)
    }

    /// Adds documents (the file is rewritten atomically, then reopened);
    /// returns the number of documents now.
    fn add(
        &mut self,
        py: Python<'_>,
        ids: Vec<(String, bool)>,
        texts: Vec<String>,
    ) -> PyResult<usize> {
        let corpus = Corpus::from_documents(documents(ids, texts)?);
        let path = self.inner.path().to_path_buf();
        let report = py
            .detach(|| neardup::index::Index::add(&path, &corpus, &mut Quiet))
            .map_err(error)?;
        self.inner = neardup::index::Index::open(&path).map_err(error)?;
        Ok(report.documents)
    }

    /// Removes documents by id; returns (removed, ids not found).
    fn remove(&mut self, py: Python<'_>, ids: Vec<String>) -> PyResult<(usize, Vec<String>)> {
        let path = self.inner.path().to_path_buf();
        let report = py
            .detach(|| {
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                neardup::index::Index::remove(&path, &ids)
            })
            .map_err(error)?;
        self.inner = neardup::index::Index::open(&path).map_err(error)?;
        Ok((report.removed, report.missing))
    }

    /// Checks documents, in parallel; the findings of each as JSON objects
    /// (the CLI's `check --format json` lines).
    fn check(
        &self,
        py: Python<'_>,
        ids: Vec<(String, bool)>,
        texts: Vec<String>,
        fail_on: f64,
        include_self: bool,
    ) -> PyResult<Vec<Vec<String>>> {
        let docs = documents(ids, texts)?;
        let options = CheckOptions { include_self };
        py.detach(|| {
            docs.into_par_iter()
                .map(|(id, text)| {
                    let found = self.inner.check(
                        &self.engine,
                        &Document::new(id.to_string(), text),
                        &options,
                    )?;
                    Ok(found
                        .iter()
                        .map(|f| findings::to_value(f, fail_on).to_string())
                        .collect())
                })
                .collect::<neardup::Result<_>>()
        })
        .map_err(error)
    }

    /// The index's figures as JSON (as `index stats --json`).
    fn stats(&self) -> String {
        serde_json::to_string(&self.inner.stats()).expect("stats serialise")
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Fingerprints for a distributed run: band keys of texts, and exact
/// verification of candidate pairs — the same as `dedup` computes locally.
#[pyclass(module = "neardup._neardup", frozen)]
struct Sketcher {
    fp: Fingerprinter,
}

/// Values of an Arrow string or binary array (`large`: 64-bit offsets),
/// read from its buffers without copying. Nulls read as empty.
fn arrow_binaries<'a>(
    offsets: &'a [u8],
    data: &'a [u8],
    validity: Option<&'a [u8]>,
    offset: usize,
    length: usize,
    large: bool,
) -> PyResult<Vec<&'a [u8]>> {
    let width = if large { 8 } else { 4 };
    if offsets.len() < (offset + length + 1) * width {
        return Err(config_error("offsets buffer too short".into()));
    }
    let at = |i: usize| -> usize {
        let b = &offsets[i * width..(i + 1) * width];
        if large {
            u64::from_le_bytes(b.try_into().expect("8 bytes")) as usize
        } else {
            u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize
        }
    };
    (offset..offset + length)
        .map(|i| {
            let valid =
                validity.is_none_or(|v| v.get(i / 8).is_some_and(|b| b >> (i % 8) & 1 == 1));
            let (start, end) = (at(i), at(i + 1));
            if !valid || start == end {
                return Ok(&[][..]);
            }
            data.get(start..end)
                .ok_or_else(|| config_error("value offsets past the data buffer".into()))
        })
        .collect()
}

/// An Arrow string or binary array passed as its buffers:
/// `(offsets, data, validity, offset, length, large)`, each buffer as
/// `(address, size)`.
type ArrowVarArray = (
    (usize, usize),
    (usize, usize),
    Option<(usize, usize)>,
    usize,
    usize,
    bool,
);

/// The values of an [`ArrowVarArray`].
///
/// # Safety
///
/// As [`region`]: the buffers must be live and unchanged for `'a`.
unsafe fn var_array<'a>(array: ArrowVarArray) -> PyResult<Vec<&'a [u8]>> {
    let (offsets, data, validity, offset, length, large) = array;
    // SAFETY: as documented above.
    let (offsets, data, validity) = unsafe {
        (
            region(offsets.0, offsets.1),
            region(data.0, data.1),
            validity.map(|(a, n)| region(a, n)),
        )
    };
    arrow_binaries(offsets, data, validity, offset, length, large)
}

/// The strings of an [`ArrowVarArray`].
///
/// # Safety
///
/// As [`var_array`].
unsafe fn utf8<'a>(texts: ArrowVarArray) -> PyResult<Vec<&'a str>> {
    // SAFETY: as documented above.
    unsafe { var_array(texts)? }
        .into_iter()
        .map(|b| std::str::from_utf8(b).map_err(|e| config_error(format!("not UTF-8: {e}"))))
        .collect()
}

/// A memory region given by address and size: a pyarrow `Buffer`'s
/// `address` and `size`, read without copying.
///
/// # Safety
///
/// The region must be readable and unchanged for `'a`: the Python wrapper
/// passes the buffers of an Arrow array it holds for the whole call, and
/// Arrow buffers are immutable.
unsafe fn region<'a>(address: usize, size: usize) -> &'a [u8] {
    if size == 0 {
        return &[];
    }
    // SAFETY: as documented above.
    unsafe { std::slice::from_raw_parts(address as *const u8, size) }
}

fn le_bytes<T: Copy, const N: usize>(
    py: Python<'_>,
    values: &[T],
    to: fn(T) -> [u8; N],
) -> Py<PyBytes> {
    let mut out = Vec::with_capacity(values.len() * N);
    for &v in values {
        out.extend_from_slice(&to(v));
    }
    PyBytes::new(py, &out).unbind()
}

/// Band keys of many texts as columns: row, paragraph (-1 for a whole
/// document), band, key (the full 64-bit band hash as i64), and the 128-bit
/// xxh3 of the unit's text as two i64 ([`unit_text_hash`], the local
/// run's: for collapsing identical units).
#[derive(Default)]
struct Keys {
    rows: Vec<u32>,
    paragraphs: Vec<i32>,
    bands: Vec<i16>,
    keys: Vec<i64>,
    unit_hashes: Vec<i64>,
    unit_hashes_high: Vec<i64>,
}

type KeyColumns = (
    Py<PyBytes>,
    Py<PyBytes>,
    Py<PyBytes>,
    Py<PyBytes>,
    Py<PyBytes>,
    Py<PyBytes>,
);

impl Sketcher {
    fn keys(&self, texts: &[&str]) -> Keys {
        let fp = &self.fp;
        let per_text: Vec<Keys> = texts
            .par_iter()
            .enumerate()
            .map_init(
                || fp.scratch(),
                |scratch, (row, text)| {
                    let print = fp.fingerprint(text, scratch);
                    let paragraphs = match fp.granularity() {
                        Granularity::Document => Vec::new(),
                        Granularity::Paragraph => fp.paragraph_rule().split(text),
                    };
                    let mut k = Keys::default();
                    for (u, &unit) in print.units.iter().enumerate() {
                        let unit_text = if unit == WHOLE_DOCUMENT {
                            *text
                        } else {
                            &text[paragraphs[unit as usize].clone()]
                        };
                        let hash = unit_text_hash(unit_text);
                        for (band, &key) in print.unit_bands(u).iter().enumerate() {
                            k.rows.push(row as u32);
                            k.paragraphs.push(if unit == WHOLE_DOCUMENT {
                                -1
                            } else {
                                unit as i32
                            });
                            k.bands.push(band as i16);
                            k.keys.push(key as i64);
                            k.unit_hashes.push(hash as u64 as i64);
                            k.unit_hashes_high.push((hash >> 64) as u64 as i64);
                        }
                    }
                    k
                },
            )
            .collect();
        let n = per_text.iter().map(|k| k.rows.len()).sum();
        let mut all = Keys::default();
        all.rows.reserve(n);
        for k in per_text {
            all.rows.extend(k.rows);
            all.paragraphs.extend(k.paragraphs);
            all.bands.extend(k.bands);
            all.keys.extend(k.keys);
            all.unit_hashes.extend(k.unit_hashes);
            all.unit_hashes_high.extend(k.unit_hashes_high);
        }
        all
    }

    fn columns(py: Python<'_>, k: &Keys) -> KeyColumns {
        (
            le_bytes(py, &k.rows, u32::to_le_bytes),
            le_bytes(py, &k.paragraphs, i32::to_le_bytes),
            le_bytes(py, &k.bands, i16::to_le_bytes),
            le_bytes(py, &k.keys, i64::to_le_bytes),
            le_bytes(py, &k.unit_hashes, i64::to_le_bytes),
            le_bytes(py, &k.unit_hashes_high, i64::to_le_bytes),
        )
    }
}

#[pymethods]
impl Sketcher {
    #[new]
    #[pyo3(signature = (threshold, granularity, num_perm, banding, fn_weight))]
    fn new(
        threshold: f64,
        granularity: &str,
        num_perm: usize,
        banding: Option<(usize, usize)>,
        fn_weight: Option<f64>,
    ) -> PyResult<Sketcher> {
        let config = dedup_config(threshold, granularity, num_perm, banding, fn_weight)?;
        Ok(Sketcher {
            fp: config.fingerprinter().map_err(error)?,
        })
    }

    /// (bands, rows) in use.
    #[getter]
    fn banding(&self) -> (usize, usize) {
        let b = self.fp.banding();
        (b.bands, b.rows)
    }

    /// Band keys of a list of texts: little-endian column buffers (row u32,
    /// paragraph i32, band i16, key i64, unit text hash as two i64).
    fn band_keys_list(&self, py: Python<'_>, texts: Vec<String>) -> KeyColumns {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let k = py.detach(|| self.keys(&refs));
        Sketcher::columns(py, &k)
    }

    /// Band keys of an Arrow string array given by its buffers; for the
    /// wrapper in `neardup/__init__.py`, which holds the array during the
    /// call.
    fn band_keys_arrow(&self, py: Python<'_>, texts: ArrowVarArray) -> PyResult<KeyColumns> {
        // SAFETY: the wrapper passes the live buffers of an array it holds.
        let texts = unsafe { utf8(texts)? };
        let k = py.detach(|| self.keys(&texts));
        Ok(Sketcher::columns(py, &k))
    }

    /// Band keys of an Arrow string array of texts whose documents are
    /// numbered by an Arrow int64 array (`documents`: values buffer and
    /// offset), as `parts` blocks of [`KEY_RECORD`]-byte records, a
    /// bucket's records always in the same block (see [`block_of`]):
    /// `(block, bytes)` for every block with records. A distributed run
    /// moves these few large values instead of a row per key.
    ///
    /// With `json` (the text field and, if named, the id field), `texts`
    /// are JSON Lines records, read as [`read_record`] reads them: a line
    /// that is not a record gives no keys and is counted; the count and the
    /// first such line (its position in `texts` and what is wrong) come
    /// back beside the blocks. Blank lines are no records and no error.
    #[pyo3(signature = (texts, documents, documents_offset, parts, json=None))]
    fn band_key_blocks(
        &self,
        py: Python<'_>,
        texts: ArrowVarArray,
        documents: (usize, usize),
        documents_offset: usize,
        parts: usize,
        json: Option<(String, Option<String>)>,
    ) -> PyResult<KeyBlocks> {
        let parts = parts.max(1);
        // SAFETY: the caller passes the live buffers of an array it holds.
        let lines = unsafe { utf8(texts)? };
        let docs: Vec<i64> = column::<8>(documents, documents_offset, lines.len())?
            .map(i64::from_le_bytes)
            .collect();
        let (texts, bad) = match &json {
            Some((text, id)) => json_texts(&lines, &json_fields(text, id.as_deref())?),
            None => (
                lines
                    .iter()
                    .map(|&t| std::borrow::Cow::Borrowed(t))
                    .collect(),
                Vec::new(),
            ),
        };
        let blocks = py.detach(|| {
            let texts: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
            let k = self.keys(&texts);
            let mut blocks = vec![Vec::new(); parts];
            for i in 0..k.rows.len() {
                let row: KeyRow = (
                    k.bands[i],
                    k.keys[i],
                    docs[k.rows[i] as usize],
                    k.paragraphs[i],
                    (k.unit_hashes[i], k.unit_hashes_high[i]),
                );
                push_record(&mut blocks[block_of(row.0, row.1, parts)], &row);
            }
            blocks
        });
        let blocks = blocks
            .into_iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
            .map(|(i, b)| (i, PyBytes::new(py, &b).unbind()))
            .collect();
        Ok((blocks, bad.len(), bad.into_iter().next()))
    }

    /// Exact Jaccard similarity of each pair of units: `a_texts[i]`'s unit
    /// `a_units[i]` (-1: the whole text) with `b_texts[i]`'s `b_units[i]`.
    fn verify(
        &self,
        py: Python<'_>,
        a_texts: Vec<String>,
        a_units: Vec<i64>,
        b_texts: Vec<String>,
        b_units: Vec<i64>,
    ) -> PyResult<Vec<f64>> {
        let n = a_texts.len();
        if [a_units.len(), b_texts.len(), b_units.len()] != [n, n, n] {
            return Err(config_error(
                "verify needs four lists of the same length".into(),
            ));
        }
        let unit = |u: i64| u32::try_from(u).unwrap_or(WHOLE_DOCUMENT);
        Ok(py.detach(|| {
            (0..n)
                .into_par_iter()
                .map(|i| {
                    let a = self.fp.shingle_set(&a_texts[i], unit(a_units[i]));
                    let b = self.fp.shingle_set(&b_texts[i], unit(b_units[i]));
                    jaccard(a.as_slice(), b.as_slice())
                })
                .collect()
        }))
    }
}

/// A primitive Arrow column given by `(address, size)` of its values
/// buffer, its offset and length, as values of `N` bytes.
fn column<'a, const N: usize>(
    buffer: (usize, usize),
    offset: usize,
    length: usize,
) -> PyResult<impl Iterator<Item = [u8; N]> + 'a> {
    if buffer.1 < (offset + length) * N {
        return Err(config_error("column buffer too short".into()));
    }
    // SAFETY: the wrapper passes the live, immutable values buffer of an
    // Arrow array it holds for the whole call.
    let bytes = unsafe { region(buffer.0, buffer.1) };
    Ok(bytes[offset * N..(offset + length) * N]
        .chunks_exact(N)
        .map(|c| c.try_into().expect("N bytes")))
}

/// One band-key row in a candidate stage: `(band, key, document,
/// paragraph, unit text hash)`.
type KeyRow = (i16, i64, i64, i32, (i64, i64));

/// A candidate pair `(a, a_paragraph, b, b_paragraph)`, `a < b`.
type UnitPair = (i64, i32, i64, i32);

/// Pairs of the units sharing a `(band, key)` bucket, as the local band
/// table forms them (`BandTable::for_each_pair`): each unit with the next
/// `cap` units of its bucket in (document, paragraph) order, two paragraphs
/// of one document never (`across_documents`). With `collapse`, units with
/// identical texts (equal unit hashes) stand for one representative — the
/// first — as the local run's document level leaves the copies out of the
/// band buckets: only representatives pair up, and each other unit is
/// returned once as a duplicate of its representative (from band 0, which
/// every unit has).
/// Returns the candidate pairs (sorted, distinct), the duplicate pairs and
/// the number of buckets capped.
fn bucket_pairs(
    mut rows: Vec<KeyRow>,
    cap: usize,
    across_documents: bool,
    collapse: bool,
) -> (Vec<UnitPair>, Vec<UnitPair>, usize) {
    let cap = cap.max(1);
    rows.sort_unstable();
    let (mut pairs, mut duplicates, mut giant) = (Vec::new(), Vec::new(), 0);
    let mut reps: Vec<(i64, i32)> = Vec::new();
    for group in rows.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
        reps.clear();
        if collapse && group.len() > 1 {
            collapse_identical(group, &mut reps, &mut duplicates);
        } else {
            reps.extend(group.iter().map(|r| (r.2, r.3)));
        }
        giant += usize::from(reps.len() > cap.saturating_add(1));
        for (i, &ua) in reps.iter().enumerate() {
            let end = reps.len().min((i + 1).saturating_add(cap));
            for &ub in &reps[i + 1..end] {
                if ua != ub && !(across_documents && ua.0 == ub.0) {
                    let (x, y) = if ua < ub { (ua, ub) } else { (ub, ua) };
                    pairs.push((x.0, x.1, y.0, y.1));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    (pairs, duplicates, giant)
}

/// The representatives of one bucket (its rows in (document, paragraph)
/// order) into `reps`, in that order; in band 0, `(representative, unit)`
/// for every other unit with the same text into `duplicates`.
fn collapse_identical(
    group: &[KeyRow],
    reps: &mut Vec<(i64, i32)>,
    duplicates: &mut Vec<UnitPair>,
) {
    let mut by_text: Vec<((i64, i64), (i64, i32))> =
        group.iter().map(|r| (r.4, (r.2, r.3))).collect();
    by_text.sort_unstable();
    for same in by_text.chunk_by(|x, y| x.0 == y.0) {
        let rep = same[0].1;
        reps.push(rep);
        if group[0].0 == 0 {
            duplicates.extend(same[1..].iter().map(|&(_, u)| (rep.0, rep.1, u.0, u.1)));
        }
    }
    reps.sort_unstable();
}

/// Key blocks of a batch (`(block, bytes)`), with the number of lines that
/// were no records and the first of them (position, message).
type KeyBlocks = (Vec<(usize, Py<PyBytes>)>, usize, Option<(usize, String)>);

fn json_fields(text: &str, id: Option<&str>) -> PyResult<Fields> {
    Fields::new(text, id).map_err(error)
}

/// The texts of JSON Lines records (empty for blank lines and for lines
/// that are no records) and, for the latter, their positions and messages.
fn json_texts<'a>(
    lines: &[&'a str],
    fields: &Fields,
) -> (Vec<std::borrow::Cow<'a, str>>, Vec<(usize, String)>) {
    let mut bad = Vec::new();
    let texts = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            if line.trim().is_empty() {
                return std::borrow::Cow::Borrowed("");
            }
            read_record(line.as_bytes(), fields).map_or_else(
                |message| {
                    bad.push((i, message));
                    std::borrow::Cow::Borrowed("")
                },
                |(text, _)| text,
            )
        })
        .collect();
    (texts, bad)
}

/// Ids and texts of JSON Lines records (an Arrow string array of lines),
/// read as [`read_record`] reads them: `None` for the id of a record
/// without one, and for both of a line that is no record.
#[pyfunction]
#[pyo3(signature = (lines, text_field, id_field=None))]
fn json_records(
    lines: ArrowVarArray,
    text_field: &str,
    id_field: Option<&str>,
) -> PyResult<Vec<(Option<String>, Option<String>)>> {
    let fields = json_fields(text_field, id_field)?;
    // SAFETY: the caller passes the live buffers of an array it holds.
    let lines = unsafe { utf8(lines)? };
    Ok(lines
        .iter()
        .map(|line| match read_record(line.as_bytes(), &fields) {
            Ok((text, id)) => (id.map(|i| i.as_str().to_string()), Some(text.into_owned())),
            Err(_) => (None, None),
        })
        .collect())
}

/// Bytes of one band-key record in a block: document (i64), paragraph
/// (i32), band (i16), key (i64) and the unit's text hash (two i64), all
/// little-endian.
const KEY_RECORD: usize = 38;

fn push_record(block: &mut Vec<u8>, row: &KeyRow) {
    let (band, key, doc, paragraph, (low, high)) = *row;
    block.extend_from_slice(&doc.to_le_bytes());
    block.extend_from_slice(&paragraph.to_le_bytes());
    block.extend_from_slice(&band.to_le_bytes());
    block.extend_from_slice(&key.to_le_bytes());
    block.extend_from_slice(&low.to_le_bytes());
    block.extend_from_slice(&high.to_le_bytes());
}

fn decode_record(r: &[u8]) -> KeyRow {
    let at = |i: usize, n: usize| &r[i..i + n];
    let i64_at = |i| i64::from_le_bytes(at(i, 8).try_into().expect("8 bytes"));
    (
        i16::from_le_bytes(at(12, 2).try_into().expect("2 bytes")),
        i64_at(14),
        i64_at(0),
        i32::from_le_bytes(at(8, 4).try_into().expect("4 bytes")),
        (i64_at(22), i64_at(30)),
    )
}

/// The block of a `(band, key)` bucket among `parts`: every record of a
/// bucket goes to the same block, whichever batch it comes from.
fn block_of(band: i16, key: i64, parts: usize) -> usize {
    let mixed = (key as u64) ^ (band as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed % parts as u64) as usize
}

/// Candidate pairs of the records in `blocks` ([`bucket_pairs`]): the
/// blocks of one partition of a distributed run, all records of a bucket
/// among them. With `collapse`, identical units pair through their first
/// copy. Returns the pairs' four columns (little-endian i64, i32, i64,
/// i32), a fifth column (i8) that is 1 for a duplicate pair, and the number
/// of buckets capped.
#[pyfunction]
#[pyo3(signature = (blocks, across_documents, cap, collapse))]
fn candidate_pairs(
    py: Python<'_>,
    blocks: ArrowVarArray,
    across_documents: bool,
    cap: usize,
    collapse: bool,
) -> PyResult<CandidateColumns> {
    // SAFETY: the caller passes the live, immutable buffers of an Arrow
    // binary array it holds for the whole call.
    let blocks = unsafe { var_array(blocks)? };
    if let Some(bad) = blocks.iter().find(|b| b.len() % KEY_RECORD != 0) {
        return Err(config_error(format!(
            "a key block of {} bytes is not made of {KEY_RECORD}-byte records",
            bad.len()
        )));
    }
    let rows: Vec<KeyRow> = blocks
        .iter()
        .flat_map(|b| b.chunks_exact(KEY_RECORD).map(decode_record))
        .collect();
    let (pairs, duplicates, giant) =
        py.detach(move || bucket_pairs(rows, cap, across_documents, collapse));
    let all = || pairs.iter().chain(&duplicates);
    let a: Vec<i64> = all().map(|p| p.0).collect();
    let ap: Vec<i32> = all().map(|p| p.1).collect();
    let b: Vec<i64> = all().map(|p| p.2).collect();
    let bp: Vec<i32> = all().map(|p| p.3).collect();
    let mut dup = vec![0u8; pairs.len()];
    dup.resize(pairs.len() + duplicates.len(), 1);
    Ok((
        le_bytes(py, &a, i64::to_le_bytes),
        le_bytes(py, &ap, i32::to_le_bytes),
        le_bytes(py, &b, i64::to_le_bytes),
        le_bytes(py, &bp, i32::to_le_bytes),
        PyBytes::new(py, &dup).unbind(),
        giant,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(band: i16, key: i64, doc: i64, text: i64) -> KeyRow {
        (band, key, doc, -1, (text, 0))
    }

    #[test]
    fn identical_texts_pair_through_their_first_copy_only() {
        // Documents 0 and 2 are identical; 1 shares the bucket.
        let rows = vec![
            row(0, 7, 2, 5),
            row(0, 7, 0, 5),
            row(0, 7, 1, 6),
            row(1, 9, 0, 5),
            row(1, 9, 2, 5),
        ];
        let (pairs, duplicates, giant) = bucket_pairs(rows, 10, true, true);
        assert_eq!(pairs, vec![(0, -1, 1, -1)]);
        assert_eq!(duplicates, vec![(0, -1, 2, -1)]);
        assert_eq!(giant, 0);
    }

    #[test]
    fn without_collapsing_every_unit_of_a_bucket_pairs_up() {
        let rows = vec![row(0, 7, 2, 5), row(0, 7, 0, 5), row(0, 7, 1, 6)];
        let (pairs, duplicates, _) = bucket_pairs(rows, 10, true, false);
        assert_eq!(pairs, vec![(0, -1, 1, -1), (0, -1, 2, -1), (1, -1, 2, -1)]);
        assert!(duplicates.is_empty());
    }

    #[test]
    fn a_capped_bucket_pairs_each_representative_with_the_next_ones_only() {
        let rows: Vec<KeyRow> = (0..5).map(|d| row(3, 1, d, d)).collect();
        let (pairs, _, giant) = bucket_pairs(rows, 2, true, true);
        assert_eq!(giant, 1);
        assert_eq!(pairs.len(), 2 + 2 + 2 + 1);
        assert!(!pairs.contains(&(0, -1, 3, -1)));
    }

    #[test]
    fn a_record_reads_back_as_written_and_a_bucket_keeps_to_one_block() {
        let row: KeyRow = (15, -3, 1 << 40, 7, (i64::MIN, 42));
        let mut block = Vec::new();
        push_record(&mut block, &row);
        assert_eq!(block.len(), KEY_RECORD);
        assert_eq!(decode_record(&block), row);
        assert_eq!(block_of(15, -3, 8), block_of(15, -3, 8));
        let spread: std::collections::HashSet<usize> =
            (0..64).map(|k| block_of(0, k * 7919, 8)).collect();
        assert_eq!(spread.len(), 8);
    }

    #[test]
    fn paragraphs_of_one_document_never_pair_across_documents_only() {
        let rows = vec![
            (0, 4, 1, 0, (1, 0)),
            (0, 4, 1, 2, (2, 0)),
            (0, 4, 3, 1, (3, 0)),
        ];
        let (pairs, _, _) = bucket_pairs(rows, 10, true, false);
        assert_eq!(pairs, vec![(1, 0, 3, 1), (1, 2, 3, 1)]);
    }
}

/// The extension module.
#[pymodule]
fn _neardup(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NeardupError", m.py().get_type::<NeardupError>())?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(compare_many, m)?)?;
    m.add_function(wrap_pyfunction!(dedup_documents, m)?)?;
    m.add_function(wrap_pyfunction!(dedup_files, m)?)?;
    m.add_function(wrap_pyfunction!(without_paragraphs, m)?)?;
    m.add_function(wrap_pyfunction!(paragraph_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(candidate_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(json_records, m)?)?;
    m.add_class::<DedupResult>()?;
    m.add_class::<Index>()?;
    m.add_class::<Sketcher>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_BUCKET_CAP", dedup::DEFAULT_BUCKET_CAP)?;
    Ok(())
}
