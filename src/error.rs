//! Typed errors of the library. Every error that concerns a file names it.

use std::io;
use std::path::{Path, PathBuf};

/// What went wrong, without the details; lets callers branch on the kind.
/// More kinds may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io,
    /// The file looks binary (a NUL byte near its start).
    Binary,
    /// An input file is malformed (bad pairs line, bad JSON line, bad XML).
    Parse,
    /// A parameter is out of range or inconsistent.
    Config,
    /// An index file is truncated or corrupted.
    CorruptIndex,
    /// An index file has a format version this library does not read.
    Version,
    /// An index file was hashed differently from how this library hashes
    /// (tokenizer, normaliser, hash functions, shingle size, seed).
    Scheme,
    /// Another writer holds the index's lock.
    Locked,
    /// An input is larger than the limit on one document.
    TooLarge,
}

/// The library's error type. More variants may be added.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing `path` failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// `path` contains a NUL byte at `offset` (within the first 8 KiB).
    #[error("{}: binary file (NUL byte at offset {offset})", path.display())]
    Binary {
        /// The file concerned.
        path: PathBuf,
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// Line `line` (1-based) of `path` is malformed (line 0: the file as a
    /// whole).
    #[error("{}{}: {message}", path.display(), if *line > 0 { format!(":{line}") } else { String::new() })]
    Parse {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line number (0 when the problem is not tied to a line).
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A parameter is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The index at `path` cannot be used.
    #[error("{}: corrupt index: {message}", path.display())]
    CorruptIndex {
        /// The index file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The index at `path` has format version `found`.
    #[error(
        "{}: index format version {found}, this neardup reads version {supported}: rebuild the index with `neardup index build`",
        path.display()
    )]
    Version {
        /// The index file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The version this library reads and writes.
        supported: u32,
    },
    /// Another process is writing the index at `path` (it holds `lock`).
    #[error(
        "{}: another neardup is writing this index (it holds {}); try again when it is done, or wait for it (`--wait`)",
        path.display(),
        lock.display()
    )]
    Locked {
        /// The index file.
        path: PathBuf,
        /// Its lock file.
        lock: PathBuf,
    },
    /// The index at `path` was hashed differently.
    #[error(
        "{}: the index was hashed differently from this neardup ({message}): rebuild the index with `neardup index build`",
        path.display()
    )]
    Scheme {
        /// The index file.
        path: PathBuf,
        /// The first difference.
        message: String,
    },
    /// `path` holds more bytes than one document may have.
    #[error(
        "{}: more than {limit} bytes (the limit on one document; raise it with --max-bytes)",
        path.display()
    )]
    TooLarge {
        /// The file concerned.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Binary { .. } => ErrorKind::Binary,
            Error::Parse { .. } => ErrorKind::Parse,
            Error::Config(_) => ErrorKind::Config,
            Error::CorruptIndex { .. } => ErrorKind::CorruptIndex,
            Error::Version { .. } => ErrorKind::Version,
            Error::Scheme { .. } => ErrorKind::Scheme,
            Error::Locked { .. } => ErrorKind::Locked,
            Error::TooLarge { .. } => ErrorKind::TooLarge,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: io::Error) -> Error {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// A parse error at `line` (1-based) of `path`.
    pub fn parse(path: impl AsRef<Path>, line: usize, message: impl Into<String>) -> Error {
        Error::Parse {
            path: path.as_ref().to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

/// Result alias of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
