//! Writing an index: `build` and `add` stream a corpus into a temporary
//! file beside the target (texts straight to the file, band keys spilled to
//! one temporary file per band), then fsync and rename it over the target.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::format::{SectionKind, SectionWriter, u32_at, u64_at};
use super::{DOC_RECORD, Index, IndexParams, KEY_RECORD};
use crate::corpus::{Batch, Corpus, Id, IdTable};
use crate::dedup::{DocPrint, Events, Granularity};
use crate::error::{Error, Result};
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
}

/// Builds a new index of `corpus` at `out`.
pub fn build(
    corpus: &Corpus,
    params: IndexParams,
    out: &Path,
    events: &mut dyn Events,
) -> Result<BuildReport> {
    write(None, corpus, params, out, events)
}

/// Adds the documents of `corpus` to the index at `path` (rewritten
/// atomically). Ids already in the index are an error.
pub fn add(path: &Path, corpus: &Corpus, events: &mut dyn Events) -> Result<BuildReport> {
    let old = Index::open_verified(path)?;
    let params = old.params;
    write(Some(&old), corpus, params, path, events)
}

/// Everything of an index under construction except its texts, which go
/// straight to the file.
struct Pending {
    ids: IdTable,
    /// (text offset, text length, text checksum) per document.
    texts: Vec<(u64, u64, u64)>,
    doc_keys: BandSpill,
    paragraph_keys: BandSpill,
    skipped: usize,
    empty: usize,
}

fn write(
    old: Option<&Index>,
    corpus: &Corpus,
    params: IndexParams,
    out: &Path,
    events: &mut dyn Events,
) -> Result<BuildReport> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
    let io = |e| Error::io(out, e);
    let file = temp.as_file().try_clone().map_err(io)?;
    let mut w = SectionWriter::new(BufWriter::with_capacity(1 << 20, file)).map_err(io)?;
    let (fp_doc, fp_para) = params.fingerprinters()?;
    let mut p = Pending {
        ids: IdTable::new(),
        texts: Vec::new(),
        doc_keys: BandSpill::new(params.doc_bands).map_err(io)?,
        paragraph_keys: BandSpill::new(params.paragraph_bands).map_err(io)?,
        skipped: 0,
        empty: 0,
    };
    w.begin(SectionKind::Texts);
    if let Some(old) = old {
        copy_old(old, &mut p, &mut w)?;
    }
    let before = p.texts.len();
    let mut reader = corpus.reader();
    let mut batch = Batch::default();
    while reader.next_batch(&mut batch)? {
        let printed: Vec<_> = batch
            .items
            .par_iter()
            .map_init(
                || (fp_doc.scratch(), fp_para.scratch()),
                |(sd, sp), item| {
                    let record = batch.parse(corpus, item)?;
                    let d = fp_doc.fingerprint(&record.text, sd);
                    let para = fp_para.fingerprint(&record.text, sp);
                    Ok::<_, crate::corpus::BadRecord>((record, d, para))
                },
            )
            .collect();
        events.progress(batch.bytes(corpus));
        for r in printed {
            let (record, d, para) = match r {
                Ok(x) => x,
                Err(bad) if bad.always_skip || events.bad_record(&bad) => {
                    p.skipped += usize::from(!bad.always_skip);
                    continue;
                }
                Err(bad) => return Err(bad.into()),
            };
            let doc = p.ids.insert(record.id).map_err(|first| {
                let shown = p.ids.get(first).to_string();
                let (path, line) = crate::dedup::place(corpus, record.origin);
                Error::parse(
                    path,
                    line as usize,
                    format!(
                        "duplicate id {shown:?} (already in the index or earlier in the input)"
                    ),
                )
            })?;
            let offset = w.section_len();
            w.write(record.text.as_bytes()).map_err(io)?;
            if let Some(w) = &record.warning {
                events.warning(w);
            }
            let checksum = xxhash_rust::xxh3::xxh3_64(record.text.as_bytes());
            p.texts.push((offset, record.text.len() as u64, checksum));
            p.empty += usize::from(d.tokens == 0);
            p.doc_keys.push_print(doc, &d).map_err(io)?;
            p.paragraph_keys.push_print(doc, &para).map_err(io)?;
        }
    }
    events.stage("writing");
    write_tables(&mut w, &mut p, &params).map_err(io)?;
    let buffered = w.finish().map_err(io)?;
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
    temp.persist(out).map_err(|e| Error::io(out, e.error))?;
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all(); // make the rename durable where the platform allows
    }
    Ok(BuildReport {
        documents: p.texts.len(),
        added: p.texts.len() - before,
        skipped: p.skipped,
        empty: p.empty,
        file_bytes,
    })
}

fn copy_old(old: &Index, p: &mut Pending, w: &mut SectionWriter<BufWriter<File>>) -> Result<()> {
    let io = |e| Error::io(&old.path, e);
    let texts = &old.map[old.texts.offset as usize..(old.texts.offset + old.texts.len) as usize];
    w.write(texts).map_err(io)?;
    for doc in 0..old.len() as u32 {
        let (_, _, _, off, len, checksum) = old.doc_record(doc);
        p.ids
            .insert(old.id(doc)?)
            .map_err(|_| old.corrupt(format!("duplicate id in document {doc}")))?;
        p.texts.push((off, len, checksum));
    }
    let io = |e| Error::io(&old.path, e);
    for key in old.band_keys(Granularity::Document) {
        p.doc_keys.push(key).map_err(io)?;
    }
    for key in old.band_keys(Granularity::Paragraph) {
        p.paragraph_keys.push(key).map_err(io)?;
    }
    Ok(())
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
        let mut rec = [0u8; KEY_RECORD];
        rec[..8].copy_from_slice(&key.hash.to_le_bytes());
        rec[8..12].copy_from_slice(&key.doc.to_le_bytes());
        rec[12..].copy_from_slice(&key.paragraph.to_le_bytes());
        self.files[key.band as usize].write_all(&rec)
    }

    fn push_print(&mut self, doc: u32, print: &DocPrint) -> std::io::Result<()> {
        let bands = self.files.len();
        for (u, &paragraph) in print.units.iter().enumerate() {
            for band in 0..bands {
                self.push(BandKey {
                    doc,
                    paragraph,
                    band: band as u16,
                    hash: print.bands[u * bands + band],
                })?;
            }
        }
        Ok(())
    }

    /// The keys of `band`, sorted.
    fn sorted(&mut self, band: usize) -> std::io::Result<Vec<(u64, u32, u32)>> {
        let file = self.files[band].get_mut();
        file.flush()?;
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0))?;
        file.read_to_end(&mut bytes)?;
        let mut keys: Vec<(u64, u32, u32)> = bytes
            .chunks_exact(KEY_RECORD)
            .map(|r| (u64_at(r, 0), u32_at(r, 8), u32_at(r, 12)))
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
    let mut id_offsets = Vec::with_capacity(p.ids.len());
    for id in p.ids.iter() {
        id_offsets.push((
            w.section_len(),
            id.as_str().len() as u32,
            matches!(id, Id::Number(_)),
        ));
        w.write(id.as_str().as_bytes())?;
    }
    w.begin(SectionKind::Docs);
    for ((id_off, id_len, number), &(text_off, text_len, checksum)) in
        id_offsets.iter().zip(&p.texts)
    {
        let mut rec = [0u8; DOC_RECORD];
        rec[..8].copy_from_slice(&id_off.to_le_bytes());
        rec[8..12].copy_from_slice(&id_len.to_le_bytes());
        rec[12..16].copy_from_slice(&u32::from(*number).to_le_bytes());
        rec[16..24].copy_from_slice(&text_off.to_le_bytes());
        rec[24..32].copy_from_slice(&text_len.to_le_bytes());
        rec[32..40].copy_from_slice(&checksum.to_le_bytes());
        w.write(&rec)?;
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
    // Band sizes first (the offsets table precedes the records).
    let mut sizes = Vec::with_capacity(spill.files.len());
    for f in &mut spill.files {
        f.flush()?;
        sizes.push(f.get_ref().metadata()?.len() / KEY_RECORD as u64);
    }
    w.write(&(sizes.len() as u32).to_le_bytes())?;
    w.write(&0u32.to_le_bytes())?;
    let mut start = 0u64;
    w.write(&start.to_le_bytes())?;
    for n in &sizes {
        start += n;
        w.write(&start.to_le_bytes())?;
    }
    let mut buf = Vec::with_capacity(KEY_RECORD * 4096);
    for band in 0..sizes.len() {
        let sorted = spill.sorted(band)?;
        for chunk in sorted.chunks(4096) {
            buf.clear();
            for &(hash, doc, paragraph) in chunk {
                buf.extend_from_slice(&hash.to_le_bytes());
                buf.extend_from_slice(&doc.to_le_bytes());
                buf.extend_from_slice(&paragraph.to_le_bytes());
            }
            w.write(&buf)?;
        }
    }
    Ok(())
}
