//! Corpus input, streamed: JSON Lines files (`{"id": …, "text": …}`, one
//! document a line, other field names by [`Fields`]; plain, gzip or zstd;
//! `-` for standard input), Parquet files (feature `parquet`), directories
//! (walked like ripgrep does: `.gitignore` respected, hidden files and
//! symbolic links skipped unless asked for; files ending in `.txt`, `.md` or
//! `.html`, ids are paths relative to the directory) and single files (id =
//! the path as given).
//!
//! A [`Reader`] hands out [`Batch`]es of raw items (JSON lines as bytes, or
//! file paths) of a few megabytes; callers parse and fingerprint the items of
//! a batch in parallel with [`Batch::parse`] and drop the texts afterwards.
//! Every record keeps its [`Origin`], from which it can be read again later
//! ([`Corpus::reread`]) — how verification gets texts back without holding
//! them all.

mod fast_json;
mod fields;
mod id;
mod pairs;
#[cfg(feature = "parquet")]
mod parquet;
mod reader;
mod walk;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

pub use fields::Fields;
pub use id::{Id, IdTable, is_json_number};
pub use pairs::read_pairs;
pub use reader::{Batch, Corpus, Item, Reader, read_record};
pub use walk::Walk;

use crate::text::read::{Compression, ReadOptions};

/// How a corpus is read: fields of JSON Lines, decoding and limits, the
/// directory walk, and the directory ids are relative to.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// Text and id fields of JSON Lines (and columns of Parquet files).
    pub fields: Fields,
    /// Size limit and encoding of text files.
    pub read: ReadOptions,
    /// How directories are walked.
    pub walk: Walk,
    /// When set, the id of a text file (named or found in a directory) is
    /// its path relative to this directory when it lies below it — how
    /// `check` names files the way the index named them.
    pub root: Option<PathBuf>,
}

/// Something left out while opening a corpus (a file in a walked
/// directory that is not a regular file, a symbolic-link loop, an
/// unreadable entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The entry.
    pub path: PathBuf,
    /// Why it was left out.
    pub message: String,
    /// True if something could not be read (rather than left out by rule).
    pub error: bool,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// One kind of input named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A JSON Lines file.
    JsonLines(PathBuf),
    /// JSON Lines on standard input.
    Stdin,
    /// A directory, read recursively.
    Directory(PathBuf),
    /// One text file.
    File(PathBuf),
    /// A Parquet file (one document a row).
    Parquet(PathBuf),
}

impl Input {
    /// What `arg` names: `-` is standard input (JSON Lines), a directory is a
    /// directory, a file ending in `.jsonl`, `.ndjson` or `.jsonlines`
    /// (possibly followed by `.gz`, `.zst`) is JSON Lines, one ending in
    /// `.parquet` is Parquet, any other file is one text document.
    /// Compression is recognised by magic bytes when the file is read.
    pub fn from_arg(arg: &Path) -> Input {
        if arg == Path::new("-") {
            Input::Stdin
        } else if arg.is_dir() {
            Input::Directory(arg.to_path_buf())
        } else if is_json_lines(arg) {
            Input::JsonLines(arg.to_path_buf())
        } else if has_extension(arg, &["parquet", "pq"]) {
            Input::Parquet(arg.to_path_buf())
        } else {
            Input::File(arg.to_path_buf())
        }
    }

    /// The path named (`-` for standard input).
    pub fn path(&self) -> &Path {
        match self {
            Input::Stdin => Path::new("-"),
            Input::JsonLines(p) | Input::Directory(p) | Input::File(p) | Input::Parquet(p) => p,
        }
    }
}

/// True if `path`'s extension, after a compression extension, is one of
/// `extensions` (lowercase).
fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    let inner = if Compression::of_name(path).is_some() {
        Path::new(path.file_stem().unwrap_or_default())
    } else {
        path
    };
    inner
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
}

fn is_json_lines(path: &Path) -> bool {
    has_extension(path, &["jsonl", "ndjson", "jsonlines"])
}

/// Where a record came from, enough to read it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A line of a JSON Lines source.
    Line {
        /// Index of the source (input order; see [`Corpus::source_name`]).
        source: u32,
        /// 1-based line number.
        line: u64,
        /// Byte offset of the line in the source.
        offset: u64,
        /// Length of the line in bytes (without the newline).
        len: u64,
    },
    /// A whole file.
    File {
        /// Index of the source (input order; see [`Corpus::source_name`]).
        source: u32,
    },
    /// A document given in memory ([`Corpus::from_documents`]).
    Memory {
        /// Its number among the in-memory documents.
        doc: u32,
    },
}

/// A document read from a corpus.
#[derive(Clone, Debug)]
pub struct Record<'a> {
    /// Its id.
    pub id: Id,
    /// Its text (borrowed from the batch when the JSON string had no escapes).
    pub text: Cow<'a, str>,
    /// Where it came from.
    pub origin: Origin,
    /// Something to tell the user about it (invalid UTF-8 replaced).
    pub warning: Option<String>,
}

/// Something wrong with one record that the caller may skip (`--skip-bad`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRecord {
    /// The file (or `<stdin>`).
    pub path: PathBuf,
    /// 1-based line number; 0 for a whole file.
    pub line: u64,
    /// What is wrong.
    pub message: String,
    /// True if the record can be skipped without harm (a binary file found
    /// while walking a directory is skipped with a warning in any mode).
    pub always_skip: bool,
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
        } else {
            write!(f, "{}: {}", self.path.display(), self.message)
        }
    }
}

impl From<BadRecord> for crate::Error {
    fn from(b: BadRecord) -> crate::Error {
        crate::Error::parse(b.path, b.line as usize, b.message)
    }
}
