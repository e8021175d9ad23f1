//! Streaming reader of corpus sources, batch by batch.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{BadRecord, Id, Input, Origin, Record};
use crate::error::{Error, Result};
use crate::text::decode::{self, NotText};

/// Bytes of input a batch holds (more only when one line is longer).
pub const BATCH_BYTES: usize = 8 << 20;
/// Files a batch holds at most.
const BATCH_FILES: usize = 512;
/// Extensions of the files taken from a directory.
const TEXT_EXTENSIONS: [&str; 3] = ["txt", "md", "html"];

/// One readable source: a JSON Lines file or a text file.
#[derive(Debug)]
struct Source {
    /// The name shown in messages (`<stdin>` for standard input).
    display: PathBuf,
    /// The file on disk (a spooled copy for standard input).
    file: File,
    /// For a text file, the document id.
    id: Option<String>,
    /// Byte size when opened.
    size: u64,
    json_lines: bool,
    /// Keeps the spooled copy of standard input alive.
    _spool: Option<tempfile::NamedTempFile>,
}

/// The sources of a corpus, open for reading (and re-reading).
#[derive(Debug)]
pub struct Corpus {
    sources: Vec<Source>,
    /// Documents given in memory, read after the sources.
    documents: Vec<(Id, String)>,
}

/// The name of in-memory documents in messages.
const DOCUMENTS: &str = "<documents>";
/// The name of records spooled from an iterator in messages.
const RECORDS: &str = "<records>";

impl Corpus {
    /// Opens every input: walks directories (sorted, so ids come in a stable
    /// order) and copies standard input to a temporary file, so that every
    /// record can be read again by its [`Origin`].
    pub fn open(inputs: &[Input]) -> Result<Corpus> {
        let mut sources = Vec::new();
        for input in inputs {
            match input {
                Input::JsonLines(path) => sources.push(open_source(path, None, true)?),
                Input::File(path) => {
                    let id = path.display().to_string();
                    sources.push(open_source(path, Some(id), false)?)
                }
                Input::Directory(dir) => {
                    for path in walk(dir)? {
                        let rel = path.strip_prefix(dir).unwrap_or(&path);
                        let id = rel
                            .components()
                            .map(|c| c.as_os_str().to_string_lossy())
                            .collect::<Vec<_>>()
                            .join("/");
                        sources.push(open_source(&path, Some(id), false)?);
                    }
                }
                Input::Stdin => sources.push(spool_stdin()?),
            }
        }
        Ok(Corpus {
            sources,
            documents: Vec::new(),
        })
    }

    /// A corpus of documents held in memory (read in the given order,
    /// texts borrowed, never copied to disk). Messages name a document
    /// `<documents>:N`, N counting from 1.
    pub fn from_documents(documents: Vec<(Id, String)>) -> Corpus {
        Corpus {
            sources: Vec::new(),
            documents,
        }
    }

    /// A corpus of records streamed from an iterator: they are written to a
    /// temporary JSON Lines file as they come (memory stays bounded however
    /// many there are) and read from it like any JSON Lines input. Messages
    /// name a record `<records>:N`, N counting from 1.
    pub fn from_records(records: impl IntoIterator<Item = (Id, String)>) -> Result<Corpus> {
        let name = Path::new(RECORDS);
        let io = |e| Error::io(name, e);
        let spool = tempfile::NamedTempFile::new().map_err(io)?;
        let mut out = io::BufWriter::new(spool.as_file());
        for (id, text) in records {
            let id = match &id {
                Id::Number(n) if serde_json::from_str::<serde_json::Number>(n).is_ok() => n.clone(),
                other => serde_json::to_string(other.as_str()).expect("strings serialise"),
            };
            let text = serde_json::to_string(&text).expect("strings serialise");
            writeln!(out, "{{\"id\":{id},\"text\":{text}}}").map_err(io)?;
        }
        out.flush().map_err(io)?;
        drop(out);
        let file = spool.reopen().map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        Ok(Corpus {
            sources: vec![Source {
                display: name.to_path_buf(),
                file,
                id: None,
                size,
                json_lines: true,
                _spool: Some(spool),
            }],
            documents: Vec::new(),
        })
    }

    /// Total bytes of all sources (for progress).
    pub fn total_bytes(&self) -> u64 {
        let documents: usize = self.documents.iter().map(|(_, t)| t.len()).sum();
        self.sources.iter().map(|s| s.size).sum::<u64>() + documents as u64
    }

    /// The name of source `source` as shown in messages.
    pub fn source_name(&self, source: u32) -> &Path {
        &self.sources[source as usize].display
    }

    /// The file and 1-based line of a record (line 0 for a whole file).
    pub fn place(&self, origin: Origin) -> (&Path, u64) {
        match origin {
            Origin::Line { source, line, .. } => (self.source_name(source), line),
            Origin::File { source } => (self.source_name(source), 0),
            Origin::Memory { doc } => (Path::new(DOCUMENTS), u64::from(doc) + 1),
        }
    }

    /// A reader from the first source.
    pub fn reader(&self) -> Reader<'_> {
        Reader {
            corpus: self,
            next_source: 0,
            next_document: 0,
            open: None,
        }
    }

    /// Reads the record at `origin` again. The bytes are the caller's buffer,
    /// so that the returned record can borrow from it.
    pub fn reread<'b>(
        &self,
        origin: Origin,
        buffer: &'b mut Vec<u8>,
    ) -> Result<Record<'b>, BadRecord> {
        let (source, range) = match origin {
            Origin::Line {
                source,
                offset,
                len,
                ..
            } => (source, offset..offset + len),
            Origin::File { source } => (source, 0..self.sources[source as usize].size),
            Origin::Memory { doc } => {
                let (id, text) = &self.documents[doc as usize];
                return Ok(Record {
                    id: id.clone(),
                    text: Cow::Owned(text.clone()),
                    origin,
                    warning: None,
                });
            }
        };
        let s = &self.sources[source as usize];
        buffer.clear();
        buffer.resize((range.end - range.start) as usize, 0);
        s.file
            .read_exact_at(buffer, range.start)
            .map_err(|e| BadRecord {
                path: s.display.clone(),
                line: 0,
                message: format!("cannot read again (changed while running?): {e}"),
                always_skip: false,
            })?;
        match origin {
            Origin::Line { source, line, .. } => {
                let range = 0..buffer.len();
                parse_line(
                    &s.display,
                    buffer,
                    range,
                    source,
                    line,
                    origin_offset(origin),
                )
            }
            Origin::File { source } => self.parse_file_bytes(source, buffer.as_slice()),
            Origin::Memory { .. } => unreachable!("read above"),
        }
    }

    fn parse_file_bytes<'b>(&self, source: u32, bytes: &[u8]) -> Result<Record<'b>, BadRecord> {
        let s = &self.sources[source as usize];
        let decoded = decode::decode(bytes).map_err(|NotText::Binary { offset }| BadRecord {
            path: s.display.clone(),
            line: 0,
            message: format!("binary file (NUL byte at offset {offset}), skipped"),
            always_skip: true,
        })?;
        let warning = (decoded.replaced > 0).then(|| {
            format!(
                "{}: invalid UTF-8, {} byte sequence(s) replaced with U+FFFD",
                s.display.display(),
                decoded.replaced
            )
        });
        Ok(Record {
            id: Id::Text(s.id.clone().unwrap_or_default()),
            text: Cow::Owned(decoded.text),
            origin: Origin::File { source },
            warning,
        })
    }
}

fn origin_offset(origin: Origin) -> u64 {
    match origin {
        Origin::Line { offset, .. } => offset,
        Origin::File { .. } | Origin::Memory { .. } => 0,
    }
}

fn open_source(path: &Path, id: Option<String>, json_lines: bool) -> Result<Source> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    Ok(Source {
        display: path.to_path_buf(),
        file,
        id,
        size,
        json_lines,
        _spool: None,
    })
}

fn spool_stdin() -> Result<Source> {
    let name = Path::new("<stdin>");
    let mut spool = tempfile::NamedTempFile::new().map_err(|e| Error::io(name, e))?;
    io::copy(&mut io::stdin().lock(), &mut spool).map_err(|e| Error::io(name, e))?;
    let file = spool.reopen().map_err(|e| Error::io(name, e))?;
    let size = file.metadata().map_err(|e| Error::io(name, e))?.len();
    Ok(Source {
        display: name.to_path_buf(),
        file,
        id: None,
        size,
        json_lines: true,
        _spool: Some(spool),
    })
}

/// Text files under `dir`, recursively, in sorted order.
fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&d)
            .map_err(|e| Error::io(&d, e))?
            .map(|e| e.map(|e| e.path()).map_err(|err| Error::io(&d, err)))
            .collect::<Result<_>>()?;
        entries.sort();
        let mut subdirs = Vec::new();
        for path in entries {
            if path.is_dir() {
                subdirs.push(path);
            } else if has_text_extension(&path) {
                out.push(path);
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
    out.sort();
    Ok(out)
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEXT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// One raw item of a batch.
#[derive(Clone, Debug)]
pub enum Item {
    /// A JSON line: its bytes are `range` of the batch buffer.
    Line {
        /// Source index.
        source: u32,
        /// 1-based line number.
        line: u64,
        /// Byte offset of the line in its source.
        offset: u64,
        /// Range of the line in the batch buffer.
        range: std::ops::Range<usize>,
    },
    /// A text file, read when parsed.
    File {
        /// Source index.
        source: u32,
    },
    /// A document held in memory.
    Memory {
        /// Its number among the in-memory documents.
        doc: u32,
    },
}

/// A batch of raw items and the bytes they refer to.
#[derive(Debug, Default)]
pub struct Batch {
    buffer: Vec<u8>,
    /// The items, in input order.
    pub items: Vec<Item>,
}

impl Batch {
    /// Input bytes in this batch (for progress).
    pub fn bytes(&self, corpus: &Corpus) -> u64 {
        self.items
            .iter()
            .map(|it| match it {
                Item::Line { range, .. } => range.len() as u64 + 1,
                Item::File { source } => corpus.sources[*source as usize].size,
                Item::Memory { doc } => corpus.documents[*doc as usize].1.len() as u64,
            })
            .sum()
    }

    /// Parses one item (reading the file for a file item).
    pub fn parse<'b>(&'b self, corpus: &'b Corpus, item: &Item) -> Result<Record<'b>, BadRecord> {
        match item {
            Item::Memory { doc } => {
                let (id, text) = &corpus.documents[*doc as usize];
                Ok(Record {
                    id: id.clone(),
                    text: Cow::Borrowed(text),
                    origin: Origin::Memory { doc: *doc },
                    warning: None,
                })
            }
            Item::Line {
                source,
                line,
                offset,
                range,
            } => {
                let s = &corpus.sources[*source as usize];
                parse_line(
                    &s.display,
                    &self.buffer,
                    range.clone(),
                    *source,
                    *line,
                    *offset,
                )
            }
            Item::File { source } => {
                let s = &corpus.sources[*source as usize];
                let mut bytes = vec![0; s.size as usize];
                let n = read_full(&s.file, &mut bytes, 0).map_err(|e| BadRecord {
                    path: s.display.clone(),
                    line: 0,
                    message: e.to_string(),
                    always_skip: false,
                })?;
                bytes.truncate(n);
                corpus.parse_file_bytes(*source, &bytes)
            }
        }
    }
}

/// The fields of a JSON line that are used; others are ignored.
#[derive(Deserialize)]
struct LineFields<'a> {
    #[serde(borrow)]
    id: &'a RawValue,
    #[serde(borrow)]
    text: Cow<'a, str>,
}

fn parse_line<'b>(
    path: &Path,
    buffer: &'b [u8],
    range: std::ops::Range<usize>,
    source: u32,
    line: u64,
    offset: u64,
) -> Result<Record<'b>, BadRecord> {
    let bad = |message: String| BadRecord {
        path: path.to_path_buf(),
        line,
        message,
        always_skip: false,
    };
    let bytes = &buffer[range];
    let fields: LineFields<'b> = serde_json::from_slice(bytes).map_err(|e| {
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or(&what).to_string();
        bad(format!("bad JSON line (column {}): {what}", e.column()))
    })?;
    let raw = fields.id.get().trim();
    let id = if raw.starts_with('"') {
        Id::Text(serde_json::from_str(raw).map_err(|e| bad(format!("bad id: {e}")))?)
    } else if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Id::Number(raw.to_string())
    } else {
        return Err(bad(format!("id must be a string or a number, not {raw}")));
    };
    Ok(Record {
        id,
        text: fields.text,
        origin: Origin::Line {
            source,
            line,
            offset,
            len: bytes.len() as u64,
        },
        warning: None,
    })
}

/// Reads sources in order, one batch at a time.
#[derive(Debug)]
pub struct Reader<'c> {
    corpus: &'c Corpus,
    next_source: usize,
    next_document: usize,
    open: Option<OpenLines>,
}

/// Reading state of a JSON Lines source.
#[derive(Debug)]
struct OpenLines {
    source: u32,
    /// Bytes read but not yet handed out (the start of a partial line).
    pending: Vec<u8>,
    /// Offset in the file of `pending[0]`.
    offset: u64,
    /// Line number of the first line in `pending`.
    line: u64,
    eof: bool,
}

impl<'c> Reader<'c> {
    /// Fills `batch` with the next items; false when the corpus is exhausted.
    pub fn next_batch(&mut self, batch: &mut Batch) -> Result<bool> {
        batch.items.clear();
        batch.buffer.clear();
        loop {
            if let Some(open) = &mut self.open {
                let more = fill_lines(&self.corpus.sources[open.source as usize], open, batch)?;
                if !more {
                    self.open = None;
                }
                if !batch.items.is_empty() {
                    return Ok(true);
                }
                continue;
            }
            let Some(source) = self.corpus.sources.get(self.next_source) else {
                return Ok(self.fill_documents(batch));
            };
            if source.json_lines {
                self.open = Some(OpenLines {
                    source: self.next_source as u32,
                    pending: Vec::new(),
                    offset: 0,
                    line: 1,
                    eof: false,
                });
                self.next_source += 1;
                continue;
            }
            self.fill_files(batch);
            return Ok(true);
        }
    }

    /// Takes in-memory documents into the batch, about [`BATCH_BYTES`] of
    /// text; false when there are none left.
    fn fill_documents(&mut self, batch: &mut Batch) -> bool {
        let mut bytes = 0;
        while let Some((_, text)) = self.corpus.documents.get(self.next_document) {
            if bytes >= BATCH_BYTES && !batch.items.is_empty() {
                break;
            }
            bytes += text.len();
            batch.items.push(Item::Memory {
                doc: self.next_document as u32,
            });
            self.next_document += 1;
        }
        !batch.items.is_empty()
    }

    /// Takes consecutive text-file sources into the batch.
    fn fill_files(&mut self, batch: &mut Batch) {
        let mut bytes = 0u64;
        while let Some(s) = self.corpus.sources.get(self.next_source) {
            if s.json_lines
                || batch.items.len() >= BATCH_FILES
                || (bytes >= BATCH_BYTES as u64 && !batch.items.is_empty())
            {
                break;
            }
            bytes += s.size;
            batch.items.push(Item::File {
                source: self.next_source as u32,
            });
            self.next_source += 1;
        }
    }
}

/// Reads at least [`BATCH_BYTES`] (or to the end of the file, or to the end of
/// one long line) and hands out the complete lines; false at end of source.
/// The batch buffer keeps its capacity from batch to batch.
fn fill_lines(source: &Source, open: &mut OpenLines, batch: &mut Batch) -> Result<bool> {
    batch.buffer.clear();
    batch.buffer.extend_from_slice(&open.pending);
    open.pending.clear();
    let start_offset = open.offset;
    let mut scanned = 0;
    loop {
        let have_line = memchr::memchr(b'\n', &batch.buffer[scanned..]).is_some();
        scanned = batch.buffer.len();
        if open.eof || (have_line && batch.buffer.len() >= BATCH_BYTES) {
            break;
        }
        let want = BATCH_BYTES.max(batch.buffer.len() / 4);
        // Positional reads: every reader of a corpus reads it from the start,
        // however many readers came before (the file's cursor is shared).
        let old = batch.buffer.len();
        batch.buffer.resize(old + want, 0);
        let n = read_full(&source.file, &mut batch.buffer[old..], start_offset + old as u64)
            .map_err(|e| Error::io(&source.display, e))?;
        batch.buffer.truncate(old + n);
        if n < want {
            open.eof = true;
        }
    }
    let cut = if open.eof {
        batch.buffer.len()
    } else {
        memchr::memrchr(b'\n', &batch.buffer).map_or(0, |i| i + 1)
    };
    open.pending.extend_from_slice(&batch.buffer[cut..]);
    batch.buffer.truncate(cut);
    open.offset = start_offset + cut as u64;
    let mut pos = 0;
    while pos < batch.buffer.len() {
        let end =
            memchr::memchr(b'\n', &batch.buffer[pos..]).map_or(batch.buffer.len(), |i| pos + i);
        let mut content_end = end;
        if content_end > pos && batch.buffer[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        if !batch.buffer[pos..content_end]
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            batch.items.push(Item::Line {
                source: open.source,
                line: open.line,
                offset: start_offset + pos as u64,
                range: pos..content_end,
            });
        }
        open.line += 1;
        pos = end + 1;
    }
    Ok(!(open.eof && open.pending.is_empty()))
}

/// Reads into `buf` at `offset` until it is full or the file ends.
fn read_full(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match file.read_at(&mut buf[done..], offset + done as u64) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus_of(contents: &str) -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        std::fs::write(&path, contents).unwrap();
        let corpus = Corpus::open(&[Input::JsonLines(path)]).unwrap();
        (dir, corpus)
    }

    #[test]
    fn lines_keep_numbers_offsets_and_survive_crlf_blank_lines_and_no_final_newline() {
        let text = "{\"id\": 1, \"text\": \"a\"}\r\n\n  \n{\"id\": \"x\", \"text\": \"b\\nc\"}\n{\"id\": 2, \"text\": \"d\"}";
        let (_dir, corpus) = corpus_of(text);
        let mut reader = corpus.reader();
        let mut batch = Batch::default();
        let mut seen = Vec::new();
        while reader.next_batch(&mut batch).unwrap() {
            for item in &batch.items {
                let r = batch.parse(&corpus, item).unwrap();
                let Origin::Line { line, .. } = r.origin else {
                    panic!()
                };
                seen.push((r.id.to_string(), r.text.to_string(), line));
                // Reading again by origin gives the same record.
                let mut buf = Vec::new();
                let again = corpus.reread(r.origin, &mut buf).unwrap();
                assert_eq!(
                    (again.id, again.text.as_ref()),
                    (r.id.clone(), r.text.as_ref())
                );
            }
        }
        assert_eq!(
            seen,
            [
                ("1".to_string(), "a".to_string(), 1),
                ("x".into(), "b\nc".into(), 4),
                ("2".into(), "d".into(), 5)
            ]
        );
    }

    #[test]
    fn ids_must_be_strings_or_numbers() {
        let (_dir, corpus) = corpus_of("{\"id\": [1], \"text\": \"a\"}\n");
        let mut reader = corpus.reader();
        let mut batch = Batch::default();
        assert!(reader.next_batch(&mut batch).unwrap());
        let bad = batch.parse(&corpus, &batch.items[0]).unwrap_err();
        assert_eq!(bad.line, 1);
        assert!(
            bad.message.contains("string or a number"),
            "{}",
            bad.message
        );
    }

    fn read_all(corpus: &Corpus) -> Vec<(String, String, (PathBuf, u64))> {
        let mut reader = corpus.reader();
        let mut batch = Batch::default();
        let mut out = Vec::new();
        while reader.next_batch(&mut batch).unwrap() {
            for item in &batch.items {
                let r = batch.parse(corpus, item).unwrap();
                let mut buffer = Vec::new();
                let again = corpus.reread(r.origin, &mut buffer).unwrap();
                assert_eq!((&again.id, again.text.as_ref()), (&r.id, r.text.as_ref()));
                let (path, line) = corpus.place(r.origin);
                out.push((
                    r.id.to_string(),
                    r.text.to_string(),
                    (path.to_path_buf(), line),
                ));
            }
        }
        out
    }

    #[test]
    fn documents_in_memory_and_streamed_records_read_like_files() {
        let docs = vec![
            (Id::Number("7".into()), "seven \"quoted\"\nline".to_string()),
            (Id::Text("b".into()), "bee".to_string()),
            (Id::Number("not a number".into()), "odd id".to_string()),
        ];
        let memory = read_all(&Corpus::from_documents(docs.clone()));
        let streamed = read_all(&Corpus::from_records(docs.clone()).unwrap());
        let texts = |v: &[(String, String, (PathBuf, u64))]| -> Vec<(String, String)> {
            v.iter().map(|(i, t, _)| (i.clone(), t.clone())).collect()
        };
        assert_eq!(texts(&memory), texts(&streamed));
        assert_eq!(memory[0].1, "seven \"quoted\"\nline");
        assert_eq!(memory[2].2, (PathBuf::from("<documents>"), 3));
        assert_eq!(streamed[2].2, (PathBuf::from("<records>"), 3));
        assert_eq!(Corpus::from_documents(docs).total_bytes(), 19 + 3 + 6);
    }
}
