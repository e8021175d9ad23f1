//! Documents: an id and the original text, which everything else refers to by
//! offsets.

use std::fmt;
use std::path::Path;

use crate::error::Result;
use crate::text::decode::{self, NotText};
use crate::text::read::{self, ReadOptions};

/// A document: its id (a path, or an id from a JSON Lines corpus) and its text
/// as decoded (UTF-8, without BOM).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// How the document is named in reports.
    pub id: String,
    /// The text; all offsets refer to it.
    pub text: String,
}

/// Something worth telling the user about a document that was still read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// Invalid UTF-8 sequences were replaced by U+FFFD.
    InvalidUtf8 {
        /// The document's id.
        id: String,
        /// How many sequences were replaced.
        replaced: usize,
    },
    /// Stray NUL bytes in a file named explicitly were read as spaces (see
    /// [`decode::sniff_clearly_binary`]).
    StrayNul {
        /// The document's id.
        id: String,
        /// How many NUL bytes became spaces.
        nuls: usize,
        /// How many invalid UTF-8 sequences were replaced by U+FFFD as well.
        replaced: usize,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::InvalidUtf8 { id, replaced } => write!(
                f,
                "{id}: invalid UTF-8, {replaced} byte sequence(s) replaced with U+FFFD"
            ),
            Warning::StrayNul { id, nuls, replaced } => {
                write!(f, "{id}: {nuls} stray NUL byte(s) read as space(s)")?;
                if *replaced > 0 {
                    write!(
                        f,
                        "; invalid UTF-8, {replaced} byte sequence(s) replaced with U+FFFD"
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl Document {
    /// A document from text already in memory.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            id: id.into(),
            text: text.into(),
        }
    }

    /// Decodes `bytes` (see [`crate::text::decode`]); `None` as the
    /// warning when the bytes were valid UTF-8.
    pub fn from_bytes(
        id: impl Into<String>,
        bytes: &[u8],
    ) -> std::result::Result<(Document, Option<Warning>), NotText> {
        Ok(Document::from_decoded(id.into(), decode::decode(bytes)?))
    }

    /// Decodes `bytes` in `encoding` (see [`decode::decode_as`]).
    pub fn from_bytes_as(
        id: impl Into<String>,
        bytes: &[u8],
        encoding: Option<&'static decode::Encoding>,
    ) -> std::result::Result<(Document, Option<Warning>), NotText> {
        Ok(Document::from_decoded(
            id.into(),
            decode::decode_as(bytes, encoding)?,
        ))
    }

    /// Decodes `bytes` without refusing binary-looking data (NUL bytes), for
    /// corpora known to be text.
    pub fn from_bytes_lenient(id: impl Into<String>, bytes: &[u8]) -> (Document, Option<Warning>) {
        Document::from_decoded(id.into(), decode::decode_any(bytes))
    }

    fn from_decoded(id: String, decoded: decode::Decoded) -> (Document, Option<Warning>) {
        let warning = (decoded.replaced > 0).then(|| Warning::InvalidUtf8 {
            id: id.clone(),
            replaced: decoded.replaced,
        });
        (Document::new(id, decoded.text), warning)
    }

    /// Reads the file at `path` with the default [`ReadOptions`]; its id is
    /// the path as given.
    pub fn read(path: &Path) -> Result<(Document, Option<Warning>)> {
        Document::read_with(path, &ReadOptions::default())
    }

    /// Reads the file at `path` (`-`: standard input; a pipe or FIFO is
    /// read to its end; gzip and zstd are decompressed), refusing clearly
    /// binary data (see [`decode::sniff_clearly_binary`]) and more than
    /// `options.max_bytes`; its id is the path as given. The file is named
    /// explicitly, so it is text unless clearly not: stray NUL bytes are read
    /// as spaces (offsets unchanged), with a warning.
    pub fn read_with(path: &Path, options: &ReadOptions) -> Result<(Document, Option<Warning>)> {
        let bytes = read::read_named_path(path, options).map_err(|e| e.at(path))?;
        let mut decoded = decode::decode_any_as(&bytes, options.encoding);
        let id = path.display().to_string();
        let nuls = decoded.text.bytes().filter(|&b| b == 0).count();
        if nuls == 0 {
            return Ok(Document::from_decoded(id, decoded));
        }
        decoded.text = decoded.text.replace('\0', " ");
        let warning = Warning::StrayNul {
            id: id.clone(),
            nuls,
            replaced: decoded.replaced,
        };
        Ok((Document::new(id, decoded.text), Some(warning)))
    }
}
