//! Writing an index: `build`, `add` and `remove` stream documents into a
//! temporary file beside the target (texts straight to the file, band keys
//! spilled to one temporary file per band), then fsync and rename it over
//! the target.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::format::{SectionKind, SectionWriter};
use super::keys;
use super::lock::{self, WriteLock};
use super::records::{DocRecord, KeyRecord};
use super::{Index, IndexParams};
use crate::corpus::{BadRecord, Batch, Corpus, Id, IdTable, Record};
use crate::error::{Error, Result};
use crate::events::Events;
use crate::fingerprint::{DocPrint, Granularity};
use crate::lsh::BandKey;

/// What a build or add did.
#[derive(Clone, Debug, Default)]
pub struct BuildReport {
    /// Documents in the index now.
    pub documents: usize,
    /// Documents added by this run.
    pub added: usize,
    /// Bad records skipped.
    pub skipped: usize,
    /// Documents without words (indexed, but never matched).
    pub empty: usize,
    /// Size of the written file.
    pub file_bytes: u64,
    /// Documents replaced by a new version ([`Index::add_replacing`]).
    pub replaced: usize,
    /// Inputs named in the corpus that yielded no document.
    pub unproductive_inputs: Vec<PathBuf>,
}

/// What a removal did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoveReport {
    /// Documents in the index now.
    pub documents: usize,
    /// Documents removed.
    pub removed: usize,
    /// Ids asked for that the index does not hold.
    pub missing: Vec<String>,
    /// Size of the written file.
    pub file_bytes: u64,
}

impl Index {
    /// Builds a new index of `corpus` at `out` (replacing any file there
    /// atomically).
    pub fn build(
        corpus: &Corpus,
        params: IndexParams,
        out: &Path,
        events: &mut dyn Events,
    ) -> Result<BuildReport> {
        let _lock = lock_for_writing(out, events)?;
        let params = IndexParams {
            root: root_for(corpus, out),
            ..params
        };
        let mut w = Writer::new(out, params)?;
        let before = w.pending.texts.len();
        let (skipped, empty, unproductive_inputs) = w.add_corpus(corpus, events)?;
        events.stage("writing");
        let (documents, file_bytes) = w.finish()?;
        Ok(BuildReport {
            documents,
            added: documents - before,
            skipped,
            empty,
            file_bytes,
            replaced: 0,
            unproductive_inputs,
        })
    }

    /// Adds the documents of `corpus` to the index at `path`, replacing the
    /// indexed documents that have the same ids, in one atomic rewrite
    /// (new documents first, then the old ones not replaced).
    pub fn add_replacing(
        path: &Path,
        corpus: &Corpus,
        events: &mut dyn Events,
    ) -> Result<BuildReport> {
        let _lock = lock_for_writing(path, events)?;
        let old = Index::open_verified(path)?;
        let mut w = Writer::new(path, old.params.clone())?;
        let (skipped, empty, unproductive_inputs) = w.add_corpus(corpus, events)?;
        let added = w.pending.texts.len();
        let mut replaced = HashSet::new();
        for doc in 0..old.len() as u32 {
            let id = old.id(doc)?;
            if w.pending.ids.find(id.as_str()).is_some() {
                replaced.insert(id.as_str().to_string());
            }
        }
        w.copy(&old, |id| !replaced.contains(id.as_str()))?;
        drop(old);
        events.stage("writing");
        let (documents, file_bytes) = w.finish()?;
        Ok(BuildReport {
            documents,
            added: added - replaced.len(),
            skipped,
            empty,
            file_bytes,
            replaced: replaced.len(),
            unproductive_inputs,
        })
    }

    /// Adds the documents of `corpus` to the index at `path` (rewritten
    /// atomically). Ids already in the index are an error.
    pub fn add(path: &Path, corpus: &Corpus, events: &mut dyn Events) -> Result<BuildReport> {
        let _lock = lock_for_writing(path, events)?;
        let old = Index::open_verified(path)?;
        let mut w = Writer::new(path, old.params.clone())?;
        w.copy(&old, |_| true)?;
        drop(old);
        let before = w.pending.texts.len();
        let (skipped, empty, unproductive_inputs) = w.add_corpus(corpus, events)?;
        events.stage("writing");
        let (documents, file_bytes) = w.finish()?;
        Ok(BuildReport {
            documents,
            added: documents - before,
            skipped,
            empty,
            file_bytes,
            replaced: 0,
            unproductive_inputs,
        })
    }

    /// Removes the documents with the given ids from the index at `path`
    /// (rewritten atomically; nothing is written when none of them is
    /// there). Ids the index does not hold are listed in the report.
    pub fn remove(path: &Path, ids: &[&str]) -> Result<RemoveReport> {
        let _lock = lock_for_writing(path, &mut crate::events::Quiet)?;
        let old = Index::open_verified(path)?;
        let wanted: HashSet<&str> = ids.iter().copied().collect();
        let mut found = HashSet::new();
        for doc in 0..old.len() as u32 {
            let id = old.id(doc)?;
            if wanted.contains(id.as_str()) {
                found.insert(id.as_str().to_string());
            }
        }
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !found.contains(**id))
            .map(|id| id.to_string())
            .collect();
        if found.is_empty() {
            return Ok(RemoveReport {
                documents: old.len(),
                removed: 0,
                missing,
                file_bytes: old.map.len() as u64,
            });
        }
        let mut w = Writer::new(path, old.params.clone())?;
        w.copy(&old, |id| !found.contains(id.as_str()))?;
        let before = old.len();
        drop(old);
        let (documents, file_bytes) = w.finish()?;
        Ok(RemoveReport {
            documents,
            removed: before - documents,
            missing,
            file_bytes,
        })
    }
}

/// Takes the write lock of the index at `path` (an error at once if another
/// writer has it), then removes the temporary files a killed writer left.
fn lock_for_writing(path: &Path, events: &mut dyn Events) -> Result<WriteLock> {
    let held = WriteLock::try_acquire(path)?;
    let stale = lock::remove_stale(&dir_of(path), &name_of(path))?;
    if stale > 0 {
        events.warning(&format!(
            "{}: removed {stale} temporary file(s) left by an interrupted writer",
            path.display()
        ));
    }
    Ok(held)
}

/// The directory of the index at `path`.
fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file name of the index at `path`.
fn name_of(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// An index being written to a temporary file beside its target.
struct Writer {
    out: PathBuf,
    dir: PathBuf,
    temp: tempfile::NamedTempFile,
    w: SectionWriter<BufWriter<File>>,
    params: IndexParams,
    pending: Pending,
}

/// Everything of an index under construction except its texts, which go
/// straight to the file.
struct Pending {
    ids: IdTable,
    /// (text offset, text length, text checksum) per document.
    texts: Vec<(u64, u64, u64)>,
    doc_keys: BandSpill,
    paragraph_keys: BandSpill,
}

impl Writer {
    fn new(out: &Path, params: IndexParams) -> Result<Writer> {
        let dir = dir_of(out);
        let temp = lock::temp_file(&dir, &name_of(out)).map_err(|e| Error::io(&dir, e))?;
        let io = |e| Error::io(out, e);
        let file = temp.as_file().try_clone().map_err(io)?;
        let mut w = SectionWriter::new(BufWriter::with_capacity(1 << 20, file)).map_err(io)?;
        w.begin(SectionKind::Texts);
        let pending = Pending {
            ids: IdTable::new(),
            texts: Vec::new(),
            doc_keys: BandSpill::new(params.doc_bands).map_err(io)?,
            paragraph_keys: BandSpill::new(params.paragraph_bands).map_err(io)?,
        };
        Ok(Writer {
            out: out.to_path_buf(),
            dir,
            temp,
            w,
            params,
            pending,
        })
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::io(&self.out, e)
    }

    /// Appends one document's text; its number, or the number of the
    /// document that already has its id.
    fn push_text(&mut self, id: Id, text: &[u8]) -> Result<std::result::Result<u32, u32>> {
        let doc = match self.pending.ids.insert(id) {
            Ok(doc) => doc,
            Err(first) => return Ok(Err(first)),
        };
        let offset = self.w.section_len();
        self.w.write(text).map_err(|e| self.io(e))?;
        let checksum = xxhash_rust::xxh3::xxh3_64(text);
        self.pending
            .texts
            .push((offset, text.len() as u64, checksum));
        Ok(Ok(doc))
    }

    /// Spills the band keys of document `doc`'s two fingerprints.
    fn push_keys(&mut self, doc: u32, document: &DocPrint, paragraphs: &DocPrint) -> Result<()> {
        let io = |e| Error::io(&self.out, e);
        for key in keys_of(doc, document) {
            self.pending.doc_keys.push(key).map_err(io)?;
        }
        for key in keys_of(doc, paragraphs) {
            self.pending.paragraph_keys.push(key).map_err(io)?;
        }
        Ok(())
    }

    /// Copies the documents of `old` whose id `keep` accepts, renumbered in
    /// order, with their keys.
    fn copy(&mut self, old: &Index, keep: impl Fn(&Id) -> bool) -> Result<()> {
        // New number of each old document (u32::MAX: removed).
        let mut renumber = vec![u32::MAX; old.len()];
        for doc in 0..old.len() as u32 {
            let id = old.id(doc)?;
            if !keep(&id) {
                continue;
            }
            let text = old.text(doc)?;
            renumber[doc as usize] = self
                .push_text(id, text.as_bytes())?
                .map_err(|_| old.corrupt(format!("duplicate id in document {doc}")))?;
        }
        let io = |e| Error::io(&old.path, e);
        for (granularity, spill) in [
            (Granularity::Document, &mut self.pending.doc_keys),
            (Granularity::Paragraph, &mut self.pending.paragraph_keys),
        ] {
            for key in old.band_keys(granularity) {
                let key = key?;
                let doc = *renumber
                    .get(key.doc as usize)
                    .ok_or_else(|| old.corrupt(format!("a key points to document {}", key.doc)))?;
                if doc != u32::MAX {
                    spill.push(BandKey { doc, ..key }).map_err(io)?;
                }
            }
        }
        Ok(())
    }

    /// Fingerprints and appends every record of `corpus`; returns the bad
    /// records skipped, the documents without words and the inputs that
    /// yielded no document.
    fn add_corpus(
        &mut self,
        corpus: &Corpus,
        events: &mut dyn Events,
    ) -> Result<(usize, usize, Vec<PathBuf>)> {
        let mut origins = Vec::new();
        let (fp_doc, fp_para) = self.params.fingerprinters()?;
        let (mut skipped, mut empty) = (0, 0);
        let mut reader = corpus.reader();
        let mut batch = Batch::default();
        while reader.next_batch(&mut batch)? {
            let printed: Vec<std::result::Result<(Record<'_>, DocPrint, DocPrint), BadRecord>> =
                batch
                    .items
                    .par_iter()
                    .map_init(
                        || (fp_doc.scratch(), fp_para.scratch()),
                        |(sd, sp), item| {
                            let record = batch.parse(corpus, item)?;
                            let d = fp_doc.fingerprint(&record.text, sd);
                            let para = fp_para.fingerprint(&record.text, sp);
                            Ok((record, d, para))
                        },
                    )
                    .collect();
            events.progress(batch.bytes(corpus));
            for r in printed {
                let (record, d, para) = match r {
                    Ok(x) => x,
                    Err(bad) if bad.always_skip => {
                        events.warning(&bad.to_string());
                        continue;
                    }
                    Err(bad) if events.bad_record(&bad) => {
                        skipped += 1;
                        continue;
                    }
                    Err(bad) => return Err(bad.into()),
                };
                if let Some(w) = &record.warning {
                    events.decoding_warning(w);
                }
                let inserted = self.push_text(record.id.clone(), record.text.as_bytes())?;
                let doc = match inserted {
                    Ok(doc) => doc,
                    Err(first) => {
                        let shown = self.pending.ids.get(first).to_string();
                        let (path, line) = corpus.place(record.origin);
                        return Err(Error::parse(
                            path,
                            line as usize,
                            format!(
                                "duplicate id {shown:?} (already in the index or earlier in the input)"
                            ),
                        ));
                    }
                };
                self.push_keys(doc, &d, &para)?;
                empty += usize::from(d.tokens == 0);
                origins.push(record.origin);
            }
        }
        Ok((skipped, empty, corpus.unproductive_inputs(origins)))
    }

    /// Writes the tables and the header, fsyncs and renames the file over
    /// the target; returns the number of documents and the file's size.
    fn finish(mut self) -> Result<(usize, u64)> {
        let documents = self.pending.texts.len();
        write_tables(&mut self.w, &mut self.pending, &self.params).map_err(|e| self.io(e))?;
        let out = self.out.clone();
        let io = |e| Error::io(&out, e);
        let buffered = self.w.finish().map_err(io)?;
        let file = buffered.into_inner().map_err(|e| io(e.into_error()))?;
        // Temporary files are private (0600); an index is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(io)?;
        }
        file.sync_all().map_err(io)?;
        let file_bytes = file.metadata().map_err(io)?.len();
        self.temp
            .persist(&out)
            .map_err(|e| Error::io(&out, e.error))?;
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all(); // make the rename durable where the platform allows
        }
        Ok((documents, file_bytes))
    }
}

/// Where the ids of `corpus`'s text files are relative to, as a path from
/// the directory of the index at `out` (so that the index and the files can
/// move together, e.g. in a repository checked out elsewhere).
fn root_for(corpus: &Corpus, out: &Path) -> Option<String> {
    let base = corpus.base_directory()?;
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let dir = dir.canonicalize().ok()?;
    Some(relative_path(&dir, base))
}

/// The path from directory `from` to `to` (both absolute), `/`-separated.
fn relative_path(from: &Path, to: &Path) -> String {
    let (a, b): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// The band keys of one document's fingerprint, numbered `doc`.
fn keys_of(doc: u32, print: &DocPrint) -> impl Iterator<Item = BandKey> + '_ {
    print
        .units
        .iter()
        .enumerate()
        .flat_map(move |(u, &paragraph)| {
            print
                .unit_bands(u)
                .iter()
                .enumerate()
                .map(move |(band, &hash)| BandKey {
                    doc,
                    paragraph,
                    band: band as u16,
                    hash,
                })
        })
}

/// Band keys on their way to the index, spilled to one anonymous temporary
/// file per band as they come, then sorted one band at a time: building
/// holds one band's keys in memory, not all of them (at a million documents
/// the paragraph keys alone are about 1.7 GB).
struct BandSpill {
    files: Vec<BufWriter<File>>,
}

impl BandSpill {
    fn new(bands: usize) -> std::io::Result<BandSpill> {
        let files = (0..bands)
            .map(|_| tempfile::tempfile().map(|f| BufWriter::with_capacity(1 << 16, f)))
            .collect::<std::io::Result<_>>()?;
        Ok(BandSpill { files })
    }

    fn push(&mut self, key: BandKey) -> std::io::Result<()> {
        let record = KeyRecord {
            hash: key.hash,
            doc: key.doc,
            paragraph: key.paragraph,
        };
        self.files[key.band as usize].write_all(&record.encode())
    }

    /// The keys of `band`, sorted.
    fn sorted(&mut self, band: usize) -> std::io::Result<Vec<KeyRecord>> {
        let file = self.files[band].get_mut();
        file.flush()?;
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0))?;
        file.read_to_end(&mut bytes)?;
        let mut keys: Vec<KeyRecord> = bytes
            .chunks_exact(KeyRecord::SIZE)
            .map(KeyRecord::decode)
            .collect();
        drop(bytes);
        keys.par_sort_unstable();
        Ok(keys)
    }
}

fn write_tables(
    w: &mut SectionWriter<BufWriter<File>>,
    p: &mut Pending,
    params: &IndexParams,
) -> std::io::Result<()> {
    w.begin(SectionKind::Ids);
    let mut id_places = Vec::with_capacity(p.ids.len());
    for id in p.ids.iter() {
        id_places.push((
            w.section_len(),
            id.as_str().len() as u32,
            matches!(id, Id::Number(_)),
        ));
        w.write(id.as_str().as_bytes())?;
    }
    w.begin(SectionKind::Docs);
    for (&(id_offset, id_len, id_is_number), &(text_offset, text_len, text_checksum)) in
        id_places.iter().zip(&p.texts)
    {
        let record = DocRecord {
            id_offset,
            id_len,
            id_is_number,
            text_offset,
            text_len,
            text_checksum,
        };
        w.write(&record.encode())?;
    }
    w.begin(SectionKind::Params);
    w.write(&serde_json::to_vec(params).expect("parameters serialise"))?;
    w.begin(SectionKind::DocKeys);
    write_keys(w, &mut p.doc_keys)?;
    w.begin(SectionKind::ParagraphKeys);
    write_keys(w, &mut p.paragraph_keys)?;
    Ok(())
}

fn write_keys(
    w: &mut SectionWriter<BufWriter<File>>,
    spill: &mut BandSpill,
) -> std::io::Result<()> {
    // Band sizes first (the band table precedes the records).
    let mut sizes = Vec::with_capacity(spill.files.len());
    for f in &mut spill.files {
        f.flush()?;
        sizes.push(f.get_ref().metadata()?.len() / KeyRecord::SIZE as u64);
    }
    keys::write(&mut |bytes| w.write(bytes), &sizes, |band| {
        spill.sorted(band)
    })
}
