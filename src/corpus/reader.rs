//! Streaming reader of corpus sources, batch by batch.
//!
//! Sources are read once, in order, by a [`Reader`]; every record keeps its
//! [`Origin`] so that it can be read again ([`Corpus::reread`]). Plain JSON
//! Lines files and text files are read again from disk; what cannot be
//! (standard input, pipes, gzip and zstd streams, Parquet rows) is copied
//! to an anonymous temporary file, the spool, as it is decoded — never held
//! in memory.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use serde_json::value::RawValue;

use super::fields::{self, Fields, Text};
use super::{BadRecord, Id, Input, OpenOptions, Origin, Record, Skipped};
use crate::error::{Error, Result};
use crate::text::decode::{self, BINARY_SNIFF_LEN, NotText};
use crate::text::read::{self, Compression, ReadError};

/// Bytes of input a batch holds (more only when one line is longer).
pub const BATCH_BYTES: usize = 8 << 20;
/// Files a batch holds at most.
const BATCH_FILES: usize = 512;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a source's bytes are had.
#[derive(Debug)]
enum Body {
    /// A text file on disk, opened when read (a walk may find many
    /// thousands: none is held open).
    TextFile { path: PathBuf },
    /// A text document read whole when opened (pipe, FIFO, compressed
    /// file), spooled.
    TextSpool { file: File },
    /// A text document that could not be taken (binary, too large): the
    /// reason, reported when it is read.
    TextRefused { message: String },
    /// JSON Lines in a regular, uncompressed file: read by offset.
    LinesFile { file: File },
    /// JSON Lines decoded from a stream as they are read, and spooled.
    LinesStream(Stream),
}

/// A stream of JSON Lines and its spool.
#[derive(Debug)]
struct Stream {
    opener: Opener,
    spool: File,
    state: Mutex<SpoolState>,
}

/// How far a stream was spooled.
#[derive(Debug, Default)]
struct SpoolState {
    started: bool,
    complete: bool,
    len: u64,
}

/// Where a stream's raw bytes come from.
enum Opener {
    /// A file that can be opened again (compressed, by magic bytes).
    Path(PathBuf),
    /// A stream that can be read once (standard input, a FIFO).
    Once(Mutex<Option<Box<dyn Read + Send>>>),
    /// Rows of a Parquet file, as JSON Lines.
    #[cfg(feature = "parquet")]
    Parquet(PathBuf, Fields),
}

impl std::fmt::Debug for Opener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Opener::Path(p) => write!(f, "Path({})", p.display()),
            Opener::Once(_) => f.write_str("Once"),
            #[cfg(feature = "parquet")]
            Opener::Parquet(p, _) => write!(f, "Parquet({})", p.display()),
        }
    }
}

/// One readable source: a JSON Lines file or stream, or a text file.
#[derive(Debug)]
struct Source {
    /// The name shown in messages (`<stdin>` for standard input).
    display: PathBuf,
    /// The input (command-line argument) it comes from.
    input: Option<u32>,
    /// For a text file, the document id.
    id: Option<String>,
    /// Named on the command line (not found by walking a folder): text
    /// unless clearly not, as `compare` reads it — stray NUL bytes are read
    /// as spaces with a warning ([`decode::sniff_clearly_binary`]).
    named: bool,
    /// Bytes on disk (for progress; 0 when unknown).
    size: u64,
    body: Body,
}

impl Source {
    fn is_lines(&self) -> bool {
        matches!(self.body, Body::LinesFile { .. } | Body::LinesStream(_))
    }
}

/// The sources of a corpus, open for reading (and re-reading).
#[derive(Debug)]
pub struct Corpus {
    sources: Vec<Source>,
    /// Documents given in memory, read after the sources.
    documents: Vec<(Id, String)>,
    options: OpenOptions,
    /// The inputs as named (for "yields no document").
    inputs: Vec<PathBuf>,
    skipped: Vec<Skipped>,
    /// The directory the ids of text files are relative to, when there is
    /// one (see [`Corpus::base_directory`]).
    base: Option<PathBuf>,
    /// JSON Lines sources (ids from line numbers are qualified by the file
    /// when there are several).
    line_sources: usize,
    /// Records of Parquet sources are generated as `{"id", "text"}`.
    generated: Vec<bool>,
}

/// The name of in-memory documents in messages.
const DOCUMENTS: &str = "<documents>";
/// The name of records spooled from an iterator in messages.
const RECORDS: &str = "<records>";
/// The name of standard input in messages.
const STDIN: &str = "<stdin>";

impl Corpus {
    /// Opens every input with the default [`OpenOptions`].
    pub fn open(inputs: &[Input]) -> Result<Corpus> {
        Corpus::open_with(inputs, &OpenOptions::default())
    }

    /// Opens every input: walks directories (sorted, so ids come in a stable
    /// order; see [`super::Walk`]), checks Parquet columns, and prepares
    /// streams (standard input, pipes, compressed files) to be spooled as
    /// they are read, so that every record can be read again by its
    /// [`Origin`].
    pub fn open_with(inputs: &[Input], options: &OpenOptions) -> Result<Corpus> {
        let mut options = options.clone();
        if let Some(root) = &options.root {
            let canonical = root.canonicalize().map_err(|e| Error::io(root, e))?;
            options.root = Some(canonical);
        }
        let mut corpus = Corpus {
            sources: Vec::new(),
            documents: Vec::new(),
            inputs: inputs.iter().map(|i| i.path().to_path_buf()).collect(),
            skipped: Vec::new(),
            base: base_directory(inputs),
            line_sources: 0,
            generated: Vec::new(),
            options,
        };
        for (n, input) in inputs.iter().enumerate() {
            corpus.open_input(n as u32, input)?;
        }
        corpus.line_sources = corpus.sources.iter().filter(|s| s.is_lines()).count();
        Ok(corpus)
    }

    fn open_input(&mut self, n: u32, input: &Input) -> Result<()> {
        let input_no = Some(n);
        match input {
            Input::JsonLines(path) => {
                let source = open_lines(path, input_no)?;
                self.push(source, false);
            }
            Input::Stdin => {
                let source = Source {
                    display: PathBuf::from(STDIN),
                    input: input_no,
                    id: None,
                    named: false,
                    size: 0,
                    body: Body::LinesStream(Stream::new(
                        Opener::Once(Mutex::new(Some(Box::new(io::stdin())))),
                        Path::new(STDIN),
                    )?),
                };
                self.push(source, false);
            }
            Input::File(path) => {
                let id = self.file_id(path, path.display().to_string());
                let source = self.open_text(path, id, input_no)?;
                self.push(source, false);
            }
            Input::Directory(dir) => {
                let (files, skipped) = self.options.walk.files(dir)?;
                self.skipped.extend(skipped);
                for found in files {
                    let rel = found.path.strip_prefix(dir).unwrap_or(&found.path);
                    let id = self.file_id(&found.path, slash_path(rel));
                    let source = Source {
                        display: found.path.clone(),
                        input: input_no,
                        id: Some(id),
                        named: false,
                        size: found.size,
                        body: Body::TextFile { path: found.path },
                    };
                    self.push(source, false);
                }
            }
            Input::Parquet(path) => {
                let source = self.open_parquet(path, input_no)?;
                self.push(source, true);
            }
        }
        Ok(())
    }

    #[cfg(feature = "parquet")]
    fn open_parquet(&self, path: &Path, input: Option<u32>) -> Result<Source> {
        super::parquet::check_columns(path, &self.options.fields)?;
        let size = std::fs::metadata(path)
            .map_err(|e| Error::io(path, e))?
            .len();
        Ok(Source {
            display: path.to_path_buf(),
            input,
            id: None,
            named: false,
            size,
            body: Body::LinesStream(Stream::new(
                Opener::Parquet(path.to_path_buf(), self.options.fields.clone()),
                path,
            )?),
        })
    }

    #[cfg(not(feature = "parquet"))]
    fn open_parquet(&self, path: &Path, _input: Option<u32>) -> Result<Source> {
        Err(Error::Config(format!(
            "{}: this neardup was built without Parquet support (cargo feature `parquet`)",
            path.display()
        )))
    }

    fn push(&mut self, source: Source, generated: bool) {
        self.sources.push(source);
        self.generated.push(generated);
    }

    /// The id of a text file: relative to the root when one is set and the
    /// file lies below it, else `default`.
    fn file_id(&self, path: &Path, default: String) -> String {
        let Some(root) = &self.options.root else {
            return default;
        };
        match path.canonicalize() {
            Ok(full) => match full.strip_prefix(root) {
                Ok(rel) => slash_path(rel),
                Err(_) => default,
            },
            Err(_) => default,
        }
    }

    /// A named text file: regular files are read when parsed; pipes, FIFOs,
    /// devices and compressed files are read now (bounded by the size
    /// limit, clearly binary data refused from the first block) and
    /// spooled.
    fn open_text(&self, path: &Path, id: String, input: Option<u32>) -> Result<Source> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let plain = meta.is_file() && !starts_compressed(path)?;
        let body = if plain {
            Body::TextFile {
                path: path.to_path_buf(),
            }
        } else {
            match read::read_named_path(path, &self.options.read) {
                Ok(bytes) => Body::TextSpool {
                    file: spool_bytes(path, &bytes)?,
                },
                Err(ReadError::Io(e)) => return Err(Error::io(path, e)),
                Err(refused) => Body::TextRefused {
                    message: refusal(refused),
                },
            }
        };
        Ok(Source {
            display: path.to_path_buf(),
            input,
            id: Some(id),
            named: true,
            size: if meta.is_file() { meta.len() } else { 0 },
            body,
        })
    }

    /// A corpus of documents held in memory (read in the given order,
    /// texts borrowed, never copied to disk). Messages name a document
    /// `<documents>:N`, N counting from 1.
    pub fn from_documents(documents: Vec<(Id, String)>) -> Corpus {
        Corpus {
            sources: Vec::new(),
            documents,
            options: OpenOptions::default(),
            inputs: Vec::new(),
            skipped: Vec::new(),
            base: None,
            line_sources: 0,
            generated: Vec::new(),
        }
    }

    /// A corpus of records streamed from an iterator: they are written to a
    /// temporary JSON Lines file as they come (memory stays bounded however
    /// many there are) and read from it like any JSON Lines input. Messages
    /// name a record `<records>:N`, N counting from 1.
    pub fn from_records(records: impl IntoIterator<Item = (Id, String)>) -> Result<Corpus> {
        use std::io::Write;
        let name = Path::new(RECORDS);
        let io = |e| Error::io(name, e);
        let spool = tempfile::tempfile().map_err(io)?;
        let mut out = io::BufWriter::new(&spool);
        for (id, text) in records {
            let id = id.to_json();
            let text = serde_json::to_string(&text).expect("strings serialise");
            writeln!(out, "{{\"id\":{},\"text\":{text}}}", id.get()).map_err(io)?;
        }
        out.flush().map_err(io)?;
        drop(out);
        let size = spool.metadata().map_err(io)?.len();
        let mut corpus = Corpus::from_documents(Vec::new());
        corpus.sources.push(Source {
            display: name.to_path_buf(),
            input: None,
            id: None,
            named: false,
            size,
            body: Body::LinesFile { file: spool },
        });
        corpus.generated.push(true);
        corpus.line_sources = 1;
        Ok(corpus)
    }

    /// Total bytes of all sources (for progress; compressed files count
    /// their compressed size, standard input nothing).
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

    /// The inputs as given to [`Corpus::open_with`].
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }

    /// The input (its number in [`Corpus::inputs`]) a record comes from.
    pub fn input_of(&self, origin: Origin) -> Option<u32> {
        match origin {
            Origin::Line { source, .. } | Origin::File { source } => {
                self.sources[source as usize].input
            }
            Origin::Memory { .. } => None,
        }
    }

    /// The inputs none of `origins` comes from: named inputs that yielded
    /// no document (a binary file, an empty directory, bad lines skipped).
    pub fn unproductive_inputs(&self, origins: impl IntoIterator<Item = Origin>) -> Vec<PathBuf> {
        let mut seen = vec![false; self.inputs.len()];
        for origin in origins {
            if let Some(n) = self.input_of(origin) {
                seen[n as usize] = true;
            }
        }
        self.inputs
            .iter()
            .zip(seen)
            .filter(|(_, seen)| !seen)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// What the directory walks left out.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// The directory that the ids of text files are relative to: the one
    /// directory named, or the current directory when only files were
    /// named; `None` for JSON Lines, Parquet, standard input or a mix.
    pub fn base_directory(&self) -> Option<&Path> {
        self.base.as_deref()
    }

    /// The options the corpus was opened with.
    pub fn options(&self) -> &OpenOptions {
        &self.options
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

    /// The bytes of the JSON line at `origin`, exactly as in the input
    /// (decompressed), without its line break; `None` for other records.
    pub fn raw_line<'b>(
        &self,
        origin: Origin,
        buffer: &'b mut Vec<u8>,
    ) -> Result<Option<&'b [u8]>> {
        let Origin::Line {
            source,
            offset,
            len,
            ..
        } = origin
        else {
            return Ok(None);
        };
        let s = &self.sources[source as usize];
        buffer.clear();
        buffer.resize(len as usize, 0);
        s.read_again(buffer, offset)
            .map_err(|e| Error::io(&s.display, e))?;
        Ok(Some(buffer.as_slice()))
    }

    /// Copies bytes `range` of JSON Lines source `source` (decompressed)
    /// to `out`, exactly as they are, a megabyte at a time: how runs of
    /// consecutive kept lines are written without handling each line.
    pub fn copy_source_range(
        &self,
        source: u32,
        range: std::ops::Range<u64>,
        out: &mut dyn io::Write,
    ) -> Result<()> {
        let s = &self.sources[source as usize];
        let mut buffer = vec![0; (1 << 20).min((range.end - range.start) as usize)];
        let mut at = range.start;
        while at < range.end {
            let n = buffer.len().min((range.end - at) as usize);
            s.read_again(&mut buffer[..n], at)
                .map_err(|e| Error::io(&s.display, e))?;
            out.write_all(&buffer[..n])
                .map_err(|e| Error::io("<output>", e))?;
            at += n as u64;
        }
        Ok(())
    }

    /// Reads the record at `origin` again. The bytes are the caller's buffer,
    /// so that the returned record can borrow from it.
    pub fn reread<'b>(
        &self,
        origin: Origin,
        buffer: &'b mut Vec<u8>,
    ) -> Result<Record<'b>, BadRecord> {
        match origin {
            Origin::Memory { doc } => {
                let (id, text) = &self.documents[doc as usize];
                Ok(Record {
                    id: id.clone(),
                    text: Cow::Owned(text.clone()),
                    origin,
                    warning: None,
                })
            }
            Origin::Line {
                source,
                line,
                offset,
                len,
            } => {
                let s = &self.sources[source as usize];
                buffer.clear();
                buffer.resize(len as usize, 0);
                s.read_again(buffer, offset).map_err(|e| BadRecord {
                    path: s.display.clone(),
                    line: 0,
                    message: format!("cannot read again (changed while running?): {e}"),
                    always_skip: false,
                })?;
                self.parse_line(buffer, 0..buffer.len(), source, line, offset)
            }
            Origin::File { source } => {
                let bytes = self.read_text(source)?;
                *buffer = bytes;
                self.parse_file_bytes(source, buffer)
            }
        }
    }

    /// The bytes of text source `source`: the first block first, so that
    /// binary data is refused before the rest is read.
    fn read_text(&self, source: u32) -> Result<Vec<u8>, BadRecord> {
        let s = &self.sources[source as usize];
        let bad = |message: String, always_skip: bool| BadRecord {
            path: s.display.clone(),
            line: 0,
            message,
            always_skip,
        };
        let file = match &s.body {
            Body::TextFile { path } => File::open(path).map_err(|e| bad(e.to_string(), false))?,
            Body::TextSpool { file } => file.try_clone().map_err(|e| bad(e.to_string(), false))?,
            Body::TextRefused { message } => {
                return Err(bad(message.clone(), message.starts_with("binary")));
            }
            Body::LinesFile { .. } | Body::LinesStream(_) => unreachable!("not a text source"),
        };
        let size = file
            .metadata()
            .map_err(|e| bad(e.to_string(), false))?
            .len();
        let limit = self.options.read.max_bytes;
        if size > limit {
            return Err(bad(refusal(ReadError::TooLarge { limit }), false));
        }
        let mut bytes = vec![0; size as usize];
        let head = read_full(
            &file,
            &mut bytes[..(size as usize).min(BINARY_SNIFF_LEN)],
            0,
        )
        .map_err(|e| bad(e.to_string(), false))?;
        let sniff = if s.named {
            decode::sniff_clearly_binary
        } else {
            decode::sniff_binary
        };
        if let Some(offset) = sniff(&bytes[..head], self.options.read.encoding) {
            return Err(bad(refusal(ReadError::Binary { offset }), true));
        }
        let n = head
            + read_full(&file, &mut bytes[head..], head as u64)
                .map_err(|e| bad(e.to_string(), false))?;
        bytes.truncate(n);
        Ok(bytes)
    }

    fn parse_file_bytes<'b>(&self, source: u32, bytes: &[u8]) -> Result<Record<'b>, BadRecord> {
        let s = &self.sources[source as usize];
        let encoding = self.options.read.encoding;
        // A named file got past the clearly-binary test when it was read.
        let mut decoded = if s.named {
            decode::decode_any_as(bytes, encoding)
        } else {
            decode::decode_as(bytes, encoding).map_err(|NotText::Binary { offset }| BadRecord {
                path: s.display.clone(),
                line: 0,
                message: refusal(ReadError::Binary { offset }),
                always_skip: true,
            })?
        };
        let mut warnings = Vec::new();
        if decoded.replaced > 0 {
            warnings.push(format!(
                "{}: invalid {}, {} byte sequence(s) replaced with U+FFFD",
                s.display.display(),
                decoded.encoding,
                decoded.replaced
            ));
        }
        let nuls = memchr::memchr_iter(0, decoded.text.as_bytes()).count();
        if nuls > 0 {
            decoded.text = decoded.text.replace('\0', " ");
            warnings.push(format!(
                "{}: {nuls} stray NUL byte(s) read as space(s)",
                s.display.display()
            ));
        }
        Ok(Record {
            id: Id::Text(s.id.clone().unwrap_or_default()),
            text: Cow::Owned(decoded.text),
            origin: Origin::File { source },
            warning: (!warnings.is_empty()).then(|| warnings.join("; ")),
        })
    }

    /// Parses the JSON line in `buffer[range]`.
    fn parse_line<'b>(
        &self,
        buffer: &'b [u8],
        range: std::ops::Range<usize>,
        source: u32,
        line: u64,
        offset: u64,
    ) -> Result<Record<'b>, BadRecord> {
        let s = &self.sources[source as usize];
        let bytes = &buffer[range];
        let fields = self.fields_of(source);
        let bad = |message: String| BadRecord {
            path: s.display.clone(),
            line,
            message,
            always_skip: false,
        };
        let (text, id) = read_record(bytes, fields).map_err(bad)?;
        let id = match id {
            Some(id) => id,
            None if self.line_sources == 1 => Id::Number(line.to_string()),
            None => Id::Text(format!("{}:{line}", s.display.display())),
        };
        Ok(Record {
            id,
            text,
            origin: Origin::Line {
                source,
                line,
                offset,
                len: bytes.len() as u64,
            },
            warning: None,
        })
    }

    /// The fields of source `source`'s lines: generated records (Parquet,
    /// iterators) are always `{"id", "text"}`.
    fn fields_of(&self, source: u32) -> &Fields {
        static GENERATED: std::sync::OnceLock<Fields> = std::sync::OnceLock::new();
        if self.generated[source as usize] {
            GENERATED.get_or_init(Fields::default)
        } else {
            &self.options.fields
        }
    }

    /// The JSON line at `origin` with its text replaced by `text` (every
    /// other byte as it was); `None` for records that are not lines.
    pub fn line_with_text(&self, origin: Origin, text: &str) -> Result<Option<Vec<u8>>> {
        let Origin::Line { source, line, .. } = origin else {
            return Ok(None);
        };
        let mut buffer = Vec::new();
        let Some(bytes) = self.raw_line(origin, &mut buffer)? else {
            return Ok(None);
        };
        let s = &self.sources[source as usize];
        let fields = self.fields_of(source);
        let found = parse_fields(&s.display, line, bytes, fields, true).map_err(Error::from)?;
        let Some(Text::Raw(raw)) = found.text else {
            return Err(Error::parse(&s.display, line as usize, "no text field"));
        };
        let start = raw.get().as_ptr() as usize - bytes.as_ptr() as usize;
        let end = start + raw.get().len();
        let mut out = Vec::with_capacity(bytes.len());
        out.extend_from_slice(&bytes[..start]);
        out.extend_from_slice(
            serde_json::to_string(text)
                .expect("strings serialise")
                .as_bytes(),
        );
        out.extend_from_slice(&bytes[end..]);
        Ok(Some(out))
    }
}

/// The base directory of [`Corpus::base_directory`].
fn base_directory(inputs: &[Input]) -> Option<PathBuf> {
    match inputs {
        [Input::Directory(dir)] => dir.canonicalize().ok(),
        _ if !inputs.is_empty() && inputs.iter().all(|i| matches!(i, Input::File(_))) => {
            std::env::current_dir().ok()
        }
        _ => None,
    }
}

/// `path`'s components joined by `/`.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What is said about a refused document.
fn refusal(e: ReadError) -> String {
    match e {
        ReadError::Binary { offset } => {
            format!("binary file (NUL byte at offset {offset}), skipped")
        }
        ReadError::TooLarge { limit } => format!(
            "more than {limit} bytes (the limit on one document; raise it with --max-bytes)"
        ),
        ReadError::Io(e) => e.to_string(),
    }
}

/// True if the file at `path` starts with gzip or zstd magic bytes.
fn starts_compressed(path: &Path) -> Result<bool> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = [0u8; 4];
    let n = read_full(&file, &mut head, 0).map_err(|e| Error::io(path, e))?;
    Ok(Compression::sniff(&head[..n]).is_some())
}

fn spool_bytes(path: &Path, bytes: &[u8]) -> Result<File> {
    let file = tempfile::tempfile().map_err(|e| Error::io(path, e))?;
    file.write_all_at(bytes, 0)
        .map_err(|e| Error::io(path, e))?;
    Ok(file)
}

/// A JSON Lines input: a regular uncompressed file is read in place; a
/// compressed file (by magic bytes) or a pipe is decoded and spooled.
fn open_lines(path: &Path, input: Option<u32>) -> Result<Source> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::io(
            path,
            io::Error::new(io::ErrorKind::IsADirectory, "is a directory"),
        ));
    }
    let body = if meta.is_file() {
        if starts_compressed(path)? {
            Body::LinesStream(Stream::new(Opener::Path(path.to_path_buf()), path)?)
        } else {
            Body::LinesFile { file }
        }
    } else {
        Body::LinesStream(Stream::new(
            Opener::Once(Mutex::new(Some(Box::new(file)))),
            path,
        )?)
    };
    Ok(Source {
        display: path.to_path_buf(),
        input,
        id: None,
        named: false,
        size: if meta.is_file() { meta.len() } else { 0 },
        body,
    })
}

impl Stream {
    fn new(opener: Opener, name: &Path) -> Result<Stream> {
        Ok(Stream {
            opener,
            spool: tempfile::tempfile().map_err(|e| Error::io(name, e))?,
            state: Mutex::new(SpoolState::default()),
        })
    }
}

impl Source {
    /// Reads `buf.len()` bytes at `offset` of the (decoded) source again.
    fn read_again(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let file = match &self.body {
            Body::LinesFile { file } => file,
            Body::LinesStream(stream) => &stream.spool,
            Body::TextSpool { file } => file,
            Body::TextFile { .. } | Body::TextRefused { .. } => {
                unreachable!("text files are read again by path")
            }
        };
        file.read_exact_at(buf, offset)
    }
}

/// Reads the fields of one JSON line, with messages that say what is wrong.
fn parse_fields<'b>(
    path: &Path,
    line: u64,
    bytes: &'b [u8],
    fields: &Fields,
    raw_text: bool,
) -> Result<fields::Found<'b>, BadRecord> {
    field_values(bytes, fields, raw_text).map_err(|message| BadRecord {
        path: path.to_path_buf(),
        line,
        message,
        always_skip: false,
    })
}

/// [`parse_fields`] without the place: the message alone.
fn field_values<'b>(
    bytes: &'b [u8],
    fields: &Fields,
    raw_text: bool,
) -> std::result::Result<fields::Found<'b>, String> {
    let kind = fields::kind_of(bytes);
    if kind != "an object" {
        return Err(format!(
            "expected a JSON object ({{\"{}\": …}}), found {kind}",
            fields.text_name()
        ));
    }
    fields::extract(bytes, fields.text_path(), fields.id_path(), raw_text).map_err(|e| {
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or(&what).to_string();
        let what = if what.contains("hex escape") || what.contains("surrogate") {
            "a \\u escape that is not a character (a lone UTF-16 surrogate \\uD800–\\uDFFF, or a cut escape)".to_string()
        } else {
            what
        };
        format!("bad JSON line (column {}): {what}", e.column())
    })
}

/// The text and id of one JSON Lines record, read exactly as a corpus reads
/// each line of a JSON Lines input (for engines that split the lines
/// themselves, like Spark). The id is `None` when the line has none and
/// `fields` does not require one (a corpus then numbers the record by its
/// line). `Err` says what is wrong with the line.
pub fn read_record<'b>(
    bytes: &'b [u8],
    fields: &Fields,
) -> std::result::Result<(Cow<'b, str>, Option<Id>), String> {
    let found = field_values(bytes, fields, false)?;
    let text = match found.text {
        Some(Text::Str(t)) => t,
        Some(Text::Other(kind)) => {
            return Err(format!(
                "field `{}` is {kind}, not a string",
                fields.text_name()
            ));
        }
        Some(Text::Raw(_)) => unreachable!("not asked for"),
        None => {
            return Err(format!(
                "no field `{}` (name the text field with --text-field)",
                fields.text_name()
            ));
        }
    };
    let id = match found.id {
        Some(raw) => Some(id_of(raw, fields)?),
        None if fields.id_required() => return Err(format!("no field `{}`", fields.id_name())),
        None => None,
    };
    Ok((text, id))
}

/// An id from its raw JSON: a string, or a number as written.
fn id_of(raw: &RawValue, fields: &Fields) -> std::result::Result<Id, String> {
    let raw = raw.get().trim();
    if raw.starts_with('"') {
        serde_json::from_str(raw)
            .map(Id::Text)
            .map_err(|e| format!("bad id: {e}"))
    } else if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Ok(Id::Number(raw.to_string()))
    } else {
        Err(format!(
            "id `{}` must be a string or a number, not {raw}",
            fields.id_name()
        ))
    }
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
    /// Input bytes this batch consumed (compressed bytes for compressed
    /// sources).
    input_bytes: u64,
}

impl Batch {
    /// Input bytes in this batch (for progress).
    pub fn bytes(&self, _corpus: &Corpus) -> u64 {
        self.input_bytes
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
            } => corpus.parse_line(&self.buffer, range.clone(), *source, *line, *offset),
            Item::File { source } => {
                let bytes = corpus.read_text(*source)?;
                corpus.parse_file_bytes(*source, &bytes)
            }
        }
    }
}

/// Reads sources in order, one batch at a time.
pub struct Reader<'c> {
    corpus: &'c Corpus,
    next_source: usize,
    next_document: usize,
    open: Option<OpenLines<'c>>,
}

impl std::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("next_source", &self.next_source)
            .field("next_document", &self.next_document)
            .finish()
    }
}

/// Reading state of a JSON Lines source.
struct OpenLines<'c> {
    source: u32,
    input: LineInput<'c>,
    /// Bytes read but not yet handed out (the start of a partial line).
    pending: Vec<u8>,
    /// Offset in the (decoded) source of `pending[0]`.
    offset: u64,
    /// Line number of the first line in `pending`.
    line: u64,
    eof: bool,
}

/// Where a JSON Lines source's bytes come from while it is read.
enum LineInput<'c> {
    /// A file read by offset (a plain file, or a complete spool).
    Positioned { file: &'c File, pos: u64, end: u64 },
    /// A stream decoded (and copied to its spool) by a thread of its own,
    /// a few chunks ahead, so that decompression runs beside
    /// fingerprinting rather than in turn with it.
    Streaming {
        chunks: mpsc::Receiver<io::Result<Vec<u8>>>,
        /// Where used chunks go back to the decoding thread.
        give_back: mpsc::Sender<Vec<u8>>,
        /// The chunk being handed out, and how far.
        chunk: Vec<u8>,
        at: usize,
        stream: &'c Stream,
        /// Bytes handed out so far.
        handed: u64,
        /// The end was reached.
        ended: bool,
        /// Raw (compressed) bytes consumed so far, and at the last batch.
        consumed: Arc<AtomicU64>,
        reported: u64,
    },
}

/// Decoded bytes a decoding thread hands over at a time.
const DECODED_CHUNK: usize = 4 << 20;

/// Starts two threads: one reads `decoded` to its end in chunks, the
/// other writes each chunk to `spool` and sends it on (an empty chunk at
/// the end), so that decoding and spooling overlap each other and the
/// reader. They stop at the first error (sent on) or when the receiver is
/// gone. Chunks handed back through the returned sender are filled again
/// (no fresh pages to fault in for every chunk).
fn spawn_decoder(
    mut decoded: Box<dyn Read + Send>,
    spool: File,
) -> (mpsc::Receiver<io::Result<Vec<u8>>>, mpsc::Sender<Vec<u8>>) {
    let (to_spool, from_decoder) = mpsc::sync_channel::<io::Result<Vec<u8>>>(2);
    let (to_reader, chunks) = mpsc::sync_channel(2);
    let (give_back, given_back) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        loop {
            let mut chunk = given_back.try_recv().unwrap_or_default();
            chunk.resize(DECODED_CHUNK, 0);
            match read::read_up_to(decoded.as_mut(), &mut chunk) {
                Ok(n) => {
                    chunk.truncate(n);
                    if to_spool.send(Ok(chunk)).is_err() || n == 0 {
                        return;
                    }
                }
                Err(e) => {
                    let _ = to_spool.send(Err(e));
                    return;
                }
            }
        }
    });
    std::thread::spawn(move || {
        let mut written = 0u64;
        for chunk in from_decoder {
            let chunk = chunk.and_then(|c| {
                spool.write_all_at(&c, written)?;
                Ok(c)
            });
            let last = !matches!(&chunk, Ok(c) if !c.is_empty());
            written += chunk.as_ref().map_or(0, |c| c.len() as u64);
            if to_reader.send(chunk).is_err() || last {
                return;
            }
        }
    });
    (chunks, give_back)
}

impl LineInput<'_> {
    /// Appends up to `want` bytes to `buf`; the number appended (0 at the
    /// end).
    fn read_into(&mut self, buf: &mut Vec<u8>, want: usize) -> io::Result<usize> {
        let old = buf.len();
        match self {
            LineInput::Positioned { file, pos, end } => {
                let want = want.min((*end - *pos) as usize);
                buf.resize(old + want, 0);
                let n = read_full(file, &mut buf[old..], *pos)?;
                buf.truncate(old + n);
                *pos += n as u64;
                Ok(n)
            }
            LineInput::Streaming {
                chunks,
                give_back,
                chunk,
                at,
                stream,
                handed,
                ended,
                ..
            } => {
                while buf.len() - old < want && !*ended {
                    if *at == chunk.len() {
                        let next = chunks
                            .recv()
                            .map_err(|_| io::Error::other("the decoding thread stopped"))??;
                        if next.is_empty() {
                            let mut state = stream.state.lock().expect("not poisoned");
                            state.complete = true;
                            state.len = *handed + (buf.len() - old) as u64;
                            *ended = true;
                            break;
                        }
                        let _ = give_back.send(std::mem::replace(chunk, next));
                        *at = 0;
                    }
                    let take = (want - (buf.len() - old)).min(chunk.len() - *at);
                    buf.extend_from_slice(&chunk[*at..*at + take]);
                    *at += take;
                }
                let n = buf.len() - old;
                *handed += n as u64;
                Ok(n)
            }
        }
    }

    /// Input bytes consumed since the last call, given `decoded` bytes
    /// handed out meanwhile.
    fn progress(&mut self, decoded: u64) -> u64 {
        match self {
            LineInput::Positioned { .. } => decoded,
            LineInput::Streaming {
                consumed, reported, ..
            } => {
                let now = consumed.load(Ordering::Relaxed);
                let step = now - *reported;
                *reported = now;
                step
            }
        }
    }
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Starts reading a JSON Lines source.
fn start_lines<'c>(source: &'c Source) -> Result<LineInput<'c>> {
    let io = |e| Error::io(&source.display, e);
    let stream = match &source.body {
        Body::LinesFile { file } => {
            let end = file.metadata().map_err(io)?.len();
            return Ok(LineInput::Positioned { file, pos: 0, end });
        }
        Body::LinesStream(stream) => stream,
        _ => unreachable!("not a JSON Lines source"),
    };
    let mut state = stream.state.lock().expect("not poisoned");
    if state.complete {
        return Ok(LineInput::Positioned {
            file: &stream.spool,
            pos: 0,
            end: state.len,
        });
    }
    let raw: Box<dyn Read + Send> = match &stream.opener {
        Opener::Path(path) => Box::new(File::open(path).map_err(io)?),
        Opener::Once(once) => match once.lock().expect("not poisoned").take() {
            Some(reader) => reader,
            None => {
                return Err(io(io::Error::other(
                    "can be read only once, and a reading was not finished",
                )));
            }
        },
        #[cfg(feature = "parquet")]
        Opener::Parquet(path, fields) => {
            let rows = super::parquet::Rows::open(path, fields)?;
            state.started = true;
            stream.spool.set_len(0).map_err(io)?;
            // Rows are not counted as bytes read: no progress in bytes.
            let consumed = Arc::new(AtomicU64::new(0));
            return streaming(stream, Box::new(rows), consumed).map_err(io);
        }
    };
    state.started = true;
    stream.spool.set_len(0).map_err(io)?;
    let consumed = Arc::new(AtomicU64::new(0));
    let mut counted: Box<dyn Read + Send> = Box::new(Counting {
        inner: raw,
        count: consumed.clone(),
    });
    let mut head = vec![0; 4];
    let n = read::read_up_to(counted.as_mut(), &mut head).map_err(io)?;
    head.truncate(n);
    let compression = Compression::sniff(&head);
    let whole: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(counted));
    let decoded = match compression {
        Some(c) => c.decoder(whole).map_err(io)?,
        None => whole,
    };
    streaming(stream, decoded, consumed).map_err(io)
}

/// Reads `stream` from `decoded` on a thread of its own, spooling what it
/// hands out; `consumed` counts the input bytes behind it.
fn streaming<'c>(
    stream: &'c Stream,
    decoded: Box<dyn Read + Send>,
    consumed: Arc<AtomicU64>,
) -> io::Result<LineInput<'c>> {
    let spool = stream.spool.try_clone()?;
    let (chunks, give_back) = spawn_decoder(decoded, spool);
    Ok(LineInput::Streaming {
        chunks,
        give_back,
        chunk: Vec::new(),
        at: 0,
        stream,
        handed: 0,
        ended: false,
        consumed,
        reported: 0,
    })
}

impl<'c> Reader<'c> {
    /// Fills `batch` with the next items; false when the corpus is exhausted.
    pub fn next_batch(&mut self, batch: &mut Batch) -> Result<bool> {
        batch.items.clear();
        batch.buffer.clear();
        batch.input_bytes = 0;
        loop {
            if let Some(open) = &mut self.open {
                let source = &self.corpus.sources[open.source as usize];
                let limit = self.corpus.options.read.max_bytes;
                let more = fill_lines(source, open, batch, limit)?;
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
            if source.is_lines() {
                self.open = Some(OpenLines {
                    source: self.next_source as u32,
                    input: start_lines(source)?,
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
        batch.input_bytes = bytes as u64;
        !batch.items.is_empty()
    }

    /// Takes consecutive text-file sources into the batch.
    fn fill_files(&mut self, batch: &mut Batch) {
        let mut bytes = 0u64;
        while let Some(s) = self.corpus.sources.get(self.next_source) {
            if s.is_lines()
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
        batch.input_bytes = bytes;
    }
}

/// Reads at least [`BATCH_BYTES`] (or to the end of the source, or to the
/// end of one long line, which may not pass `max_line` bytes) and hands out
/// the complete lines; false at end of source. The batch buffer keeps its
/// capacity from batch to batch. A UTF-8 BOM at the start is skipped.
fn fill_lines(
    source: &Source,
    open: &mut OpenLines<'_>,
    batch: &mut Batch,
    max_line: u64,
) -> Result<bool> {
    batch.buffer.clear();
    batch.buffer.extend_from_slice(&open.pending);
    open.pending.clear();
    let mut start_offset = open.offset;
    let mut scanned = 0;
    loop {
        let have_line = memchr::memchr(b'\n', &batch.buffer[scanned..]).is_some();
        scanned = batch.buffer.len();
        if !have_line && scanned as u64 > max_line.saturating_add(1) {
            return Err(Error::parse(
                &source.display,
                open.line as usize,
                format!(
                    "line longer than {max_line} bytes (the limit on one document; raise it with --max-bytes)"
                ),
            ));
        }
        if open.eof || (have_line && batch.buffer.len() >= BATCH_BYTES) {
            break;
        }
        let want = BATCH_BYTES.max(batch.buffer.len() / 4);
        let n = open
            .input
            .read_into(&mut batch.buffer, want)
            .map_err(|e| Error::io(&source.display, e))?;
        if n == 0 {
            open.eof = true;
        }
    }
    if start_offset == 0 && open.line == 1 && batch.buffer.starts_with(UTF8_BOM) {
        batch.buffer.drain(..UTF8_BOM.len());
        start_offset = UTF8_BOM.len() as u64;
    }
    let cut = if open.eof {
        batch.buffer.len()
    } else {
        memchr::memrchr(b'\n', &batch.buffer).map_or(0, |i| i + 1)
    };
    open.pending.extend_from_slice(&batch.buffer[cut..]);
    batch.buffer.truncate(cut);
    open.offset = start_offset + cut as u64;
    batch.input_bytes += open.input.progress(cut as u64);
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
    fn one_record_reads_as_a_corpus_reads_its_line() {
        let plain = Fields::default();
        let named = Fields::new("body", Some("meta.key")).unwrap();
        type Want = std::result::Result<(&'static str, Option<Id>), &'static str>;
        let table: [(&str, &Fields, Want); 7] = [
            (
                r#"{"id": "a", "text": "x y"}"#,
                &plain,
                Ok(("x y", Some(Id::Text("a".into())))),
            ),
            (
                r#"{"id": 7, "text": "x"}"#,
                &plain,
                Ok(("x", Some(Id::Number("7".into())))),
            ),
            (r#"{"text": "no id"}"#, &plain, Ok(("no id", None))),
            (
                r#"{"body": "b", "meta": {"key": "k"}}"#,
                &named,
                Ok(("b", Some(Id::Text("k".into())))),
            ),
            (r#"{"body": "b"}"#, &named, Err("no field `meta.key`")),
            (
                r#"{"text": 3}"#,
                &plain,
                Err("field `text` is a number, not a string"),
            ),
            ("[1]", &plain, Err("expected a JSON object")),
        ];
        for (line, fields, want) in table {
            match (read_record(line.as_bytes(), fields), want) {
                (Ok((text, id)), Ok((want_text, want_id))) => {
                    assert_eq!((text.as_ref(), id), (want_text, want_id), "{line}")
                }
                (Err(message), Err(want)) => {
                    assert!(message.starts_with(want), "{line}: {message}")
                }
                (got, want) => panic!("{line}: got {got:?}, want {want:?}"),
            }
        }
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
