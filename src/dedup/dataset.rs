//! The deduplicated dataset: what [`Dedup::removals`] keeps, written out.
//!
//! - **Kept records** ([`write_dataset`]'s `kept`): for JSON Lines input,
//!   the kept lines exactly as they were (every field kept; a Parquet row
//!   or an in-memory document as `{"id", "text"}`); when every document is
//!   a text file (directories, files), the list of kept paths, one a line.
//!   At paragraph level every document is kept, its duplicate paragraphs
//!   cut out ([`without_paragraphs`]): a JSON line gets its new text in
//!   place of the old (every other byte as it was), text files become
//!   `{"id", "text"}` lines.
//! - **Removed records** (`removed`): JSON Lines
//!   `{"id": …, "duplicate_of": …}`, at paragraph level
//!   `{"id", "paragraph", "duplicate_of", "duplicate_of_paragraph"}`, ids as
//!   given.
//!
//! Records are read again by their origins, in input order, a chunk at a
//! time in parallel; memory is the removals and one chunk of records.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

use super::{Dedup, Keep, Removal, Unit, without_paragraphs};
use crate::corpus::{Corpus, Origin};
use crate::error::{Error, Result};
use crate::lsh::WHOLE_DOCUMENT;

/// Documents read again at a time.
const CHUNK: usize = 4096;

/// What was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DatasetReport {
    /// Documents written to the kept output.
    pub kept: usize,
    /// Documents (document level) or paragraphs (paragraph level) removed.
    pub removed: usize,
    /// True if the kept output is a list of paths rather than JSON Lines.
    pub paths: bool,
}

/// A removed document or paragraph as a JSON line.
#[derive(Serialize)]
struct RemovedLine<'a> {
    id: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<u32>,
    duplicate_of: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of_paragraph: Option<u32>,
}

/// A document that is not a JSON line, as one.
#[derive(Serialize)]
struct DocumentLine<'a> {
    id: &'a RawValue,
    text: &'a str,
}

/// Writes the deduplicated dataset of `result` (read again from `corpus`,
/// which it was computed from): the records kept with `keep` to `kept`,
/// and the removed ones with what they duplicate to `removed`.
pub fn write_dataset(
    corpus: &Corpus,
    result: &Dedup,
    keep: Keep,
    kept: &mut dyn Write,
    removed: Option<&mut dyn Write>,
) -> Result<DatasetReport> {
    let removals = result.removals(keep);
    let paragraph = result.is_paragraph_level();
    let io = |e| Error::io("<output>", e);
    if let Some(out) = removed {
        for r in &removals {
            write_removed(out, result, r).map_err(io)?;
        }
    }
    // Removed paragraphs by document (document level: the whole document).
    let mut cut: Vec<Vec<u32>> = vec![Vec::new(); result.ids.len()];
    for r in &removals {
        cut[r.unit.doc as usize].push(r.unit.paragraph);
    }
    let paths = !paragraph
        && !result.origins.is_empty()
        && result
            .origins
            .iter()
            .all(|o| matches!(o, Origin::File { .. }));
    let mut report = DatasetReport {
        removed: removals.len(),
        paths,
        ..DatasetReport::default()
    };
    if !paragraph && !paths {
        report.kept = copy_kept_runs(corpus, result, &cut, kept)?;
        kept.flush().map_err(io)?;
        return Ok(report);
    }
    let docs: Vec<u32> = (0..result.ids.len() as u32).collect();
    for chunk in docs.chunks(CHUNK) {
        let written: Vec<Option<Vec<u8>>> = chunk
            .par_iter()
            .map(|&doc| kept_bytes(corpus, result, doc, &cut[doc as usize], paragraph, paths))
            .collect::<Result<_>>()?;
        for bytes in written.into_iter().flatten() {
            kept.write_all(&bytes).map_err(io)?;
            report.kept += 1;
        }
    }
    kept.flush().map_err(io)?;
    Ok(report)
}

/// Document level: the kept JSON lines copied as runs of consecutive
/// lines, byte for byte (what lies between them too: line breaks, blank
/// lines), other records written one by one; the number of documents kept.
fn copy_kept_runs(
    corpus: &Corpus,
    result: &Dedup,
    cut: &[Vec<u32>],
    kept: &mut dyn Write,
) -> Result<usize> {
    let io = |e| Error::io("<output>", e);
    let mut count = 0;
    // The run being gathered: source, start offset, end offset, last line
    // (a run only grows by the next line, so a skipped bad line or a blank
    // line in between ends it).
    let mut run: Option<(u32, u64, u64, u64)> = None;
    let flush = |run: &mut Option<(u32, u64, u64, u64)>, kept: &mut dyn Write| -> Result<()> {
        if let Some((source, start, end, _)) = run.take() {
            corpus.copy_source_range(source, start..end, kept)?;
            kept.write_all(b"\n").map_err(io)?;
        }
        Ok(())
    };
    for doc in 0..result.ids.len() as u32 {
        if !cut[doc as usize].is_empty() {
            flush(&mut run, kept)?;
            continue;
        }
        count += 1;
        match result.origins[doc as usize] {
            Origin::Line {
                source,
                line,
                offset,
                len,
            } => match &mut run {
                Some((s, _, end, last)) if *s == source && *last + 1 == line => {
                    *end = offset + len;
                    *last = line;
                }
                _ => {
                    flush(&mut run, kept)?;
                    run = Some((source, offset, offset + len, line));
                }
            },
            _ => {
                flush(&mut run, kept)?;
                if let Some(bytes) =
                    kept_bytes(corpus, result, doc, &cut[doc as usize], false, false)?
                {
                    kept.write_all(&bytes).map_err(io)?;
                }
            }
        }
    }
    flush(&mut run, kept)?;
    Ok(count)
}

/// The kept output's bytes for document `doc` (`None`: removed), with
/// `cut` its removed paragraphs (or [`WHOLE_DOCUMENT`]).
fn kept_bytes(
    corpus: &Corpus,
    result: &Dedup,
    doc: u32,
    cut: &[u32],
    paragraph: bool,
    paths: bool,
) -> Result<Option<Vec<u8>>> {
    if cut.contains(&WHOLE_DOCUMENT) {
        return Ok(None);
    }
    let origin = result.origins[doc as usize];
    let mut out = if paths {
        let (path, _) = corpus.place(origin);
        path.display().to_string().into_bytes()
    } else if cut.is_empty() {
        let mut buffer = Vec::new();
        match corpus.raw_line(origin, &mut buffer)? {
            Some(line) => line.to_vec(),
            None => {
                let record = corpus.reread(origin, &mut buffer).map_err(Error::from)?;
                document_line(result, doc, &record.text)
            }
        }
    } else {
        debug_assert!(paragraph);
        let mut buffer = Vec::new();
        let text = corpus
            .reread(origin, &mut buffer)
            .map_err(Error::from)?
            .text;
        let shorter = without_paragraphs(&text, cut);
        match corpus.line_with_text(origin, &shorter)? {
            Some(line) => line,
            None => document_line(result, doc, &shorter),
        }
    };
    out.push(b'\n');
    Ok(Some(out))
}

fn document_line(result: &Dedup, doc: u32, text: &str) -> Vec<u8> {
    let id = result.ids.get(doc).to_json();
    serde_json::to_vec(&DocumentLine { id: &id, text }).expect("serialises")
}

fn write_removed(out: &mut dyn Write, result: &Dedup, r: &Removal) -> std::io::Result<()> {
    let paragraph = |u: Unit| (u.paragraph != WHOLE_DOCUMENT).then_some(u.paragraph);
    let (id, kept) = (result.id(r.unit).to_json(), result.id(r.kept).to_json());
    let line = RemovedLine {
        id: &id,
        paragraph: paragraph(r.unit),
        duplicate_of: &kept,
        duplicate_of_paragraph: paragraph(r.kept),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

/// [`write_dataset`] to files, each written to a temporary file beside it
/// and renamed into place only when complete: a failed run leaves no
/// partial output (and the previous files, if any, as they were).
pub fn write_dataset_files(
    corpus: &Corpus,
    result: &Dedup,
    keep: Keep,
    kept: &Path,
    removed: Option<&Path>,
) -> Result<DatasetReport> {
    let kept_file = Staged::new(kept)?;
    let removed_file = removed.map(Staged::new).transpose()?;
    let mut kept_out = BufWriter::with_capacity(1 << 20, kept_file.file()?);
    let mut removed_out = match &removed_file {
        Some(s) => Some(BufWriter::with_capacity(1 << 16, s.file()?)),
        None => None,
    };
    let report = write_dataset(
        corpus,
        result,
        keep,
        &mut kept_out,
        removed_out.as_mut().map(|w| w as &mut dyn Write),
    )?;
    kept_out.flush().map_err(|e| Error::io(kept, e))?;
    drop(kept_out);
    if let (Some(out), Some(path)) = (removed_out.as_mut(), removed) {
        out.flush().map_err(|e| Error::io(path, e))?;
    }
    drop(removed_out);
    kept_file.commit()?;
    if let Some(s) = removed_file {
        s.commit()?;
    }
    Ok(report)
}

/// A file being written beside its final path.
struct Staged {
    path: std::path::PathBuf,
    temp: tempfile::NamedTempFile,
}

impl Staged {
    fn new(path: &Path) -> Result<Staged> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".neardup-")
            .tempfile_in(dir)
            .map_err(|e| Error::io(path, e))?;
        Ok(Staged {
            path: path.to_path_buf(),
            temp,
        })
    }

    fn file(&self) -> Result<File> {
        self.temp
            .as_file()
            .try_clone()
            .map_err(|e| Error::io(&self.path, e))
    }

    fn commit(self) -> Result<()> {
        let io = |e| Error::io(&self.path, e);
        self.temp.as_file().sync_all().map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            self.temp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(io)?;
        }
        self.temp
            .persist(&self.path)
            .map_err(|e| Error::io(&self.path, e.error))?;
        Ok(())
    }
}
