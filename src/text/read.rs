//! Bytes in, before decoding: files, pipes and standard input read in full
//! but never beyond a size limit, binary data refused from the first block
//! (before reading on, so `/dev/zero` costs 8 KiB), and gzip or zstd
//! streams recognised by their magic bytes and decompressed as they are
//! read.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::decode::{BINARY_SNIFF_LEN, Encoding, sniff_binary, sniff_clearly_binary};

/// The default limit on the bytes of one document (a text file, or one
/// JSON line): 256 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;

/// How input bytes are read and decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Most bytes one document may have (after decompression); more is an
    /// error rather than an unbounded read.
    pub max_bytes: u64,
    /// The encoding of text files (`None`: UTF-8, or UTF-16 with a BOM).
    /// JSON Lines are always UTF-8.
    pub encoding: Option<&'static Encoding>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            encoding: None,
        }
    }
}

/// A compression recognised by its magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// gzip (`1f 8b`).
    Gzip,
    /// Zstandard (`28 b5 2f fd`).
    Zstd,
}

impl Compression {
    /// The compression whose magic bytes start `first`, if any.
    pub fn sniff(first: &[u8]) -> Option<Compression> {
        if first.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if first.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    /// The compression a file name announces (`.gz`, `.zst`, `.zstd`).
    pub fn of_name(path: &Path) -> Option<Compression> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "gz" | "gzip" => Some(Compression::Gzip),
            "zst" | "zstd" => Some(Compression::Zstd),
            _ => None,
        }
    }

    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// A reader of the decompressed bytes of `compressed` (all members of a
    /// multi-member gzip file; all frames of a zstd file).
    pub fn decoder<'r>(
        self,
        compressed: impl Read + Send + 'r,
    ) -> io::Result<Box<dyn Read + Send + 'r>> {
        let buffered = io::BufReader::with_capacity(1 << 16, compressed);
        Ok(match self {
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(buffered)?),
        })
    }
}

/// Why bytes could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The reading failed (a truncated compressed stream is one).
    Io(io::Error),
    /// A NUL byte at this offset of the first block: not text.
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// More than this many bytes.
    TooLarge {
        /// The limit.
        limit: u64,
    },
}

impl ReadError {
    /// The library error of reading `path`.
    pub fn at(self, path: impl AsRef<Path>) -> crate::error::Error {
        let path = path.as_ref().to_path_buf();
        match self {
            ReadError::Io(source) => crate::error::Error::Io { path, source },
            ReadError::Binary { offset } => crate::error::Error::Binary { path, offset },
            ReadError::TooLarge { limit } => crate::error::Error::TooLarge { path, limit },
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

/// Fills `buf` from `reader` until it is full or the input ends; returns
/// the bytes read.
pub fn read_up_to(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match reader.read(&mut buf[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// Reads a whole document from `reader`: decompresses gzip or zstd found by
/// their magic bytes, refuses binary data from the first block, and stops
/// with [`ReadError::TooLarge`] past `options.max_bytes`.
pub fn read_document(
    reader: &mut (dyn Read + Send),
    options: &ReadOptions,
) -> Result<Vec<u8>, ReadError> {
    read_sniffed(reader, options, Sniff::AnyNul)
}

/// Which first blocks are refused as binary.
#[derive(Clone, Copy)]
enum Sniff {
    /// Any NUL byte ([`sniff_binary`]): files found by walking folders.
    AnyNul,
    /// Only clearly binary data ([`sniff_clearly_binary`]): files named
    /// explicitly.
    Clearly,
}

impl Sniff {
    fn binary(self, first_block: &[u8], encoding: Option<&'static Encoding>) -> Option<usize> {
        match self {
            Sniff::AnyNul => sniff_binary(first_block, encoding),
            Sniff::Clearly => sniff_clearly_binary(first_block, encoding),
        }
    }
}

fn read_sniffed(
    reader: &mut (dyn Read + Send),
    options: &ReadOptions,
    sniff: Sniff,
) -> Result<Vec<u8>, ReadError> {
    let first = first_block(reader)?;
    if let Some(compression) = Compression::sniff(&first) {
        let chained = io::Cursor::new(first).chain(reader);
        let mut decoder = compression.decoder(chained)?;
        return read_plain(&mut decoder, options, sniff);
    }
    read_rest(first, reader, options, sniff)
}

/// [`read_sniffed`] without looking for compression.
fn read_plain(
    reader: &mut dyn Read,
    options: &ReadOptions,
    sniff: Sniff,
) -> Result<Vec<u8>, ReadError> {
    let first = first_block(reader)?;
    read_rest(first, reader, options, sniff)
}

/// The first [`BINARY_SNIFF_LEN`] bytes of `reader` (fewer at its end): what
/// compression and binary data are recognised from.
fn first_block(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut first = vec![0; BINARY_SNIFF_LEN];
    let n = read_up_to(reader, &mut first)?;
    first.truncate(n);
    Ok(first)
}

fn read_rest(
    mut bytes: Vec<u8>,
    reader: &mut dyn Read,
    options: &ReadOptions,
    sniff: Sniff,
) -> Result<Vec<u8>, ReadError> {
    if let Some(offset) = sniff.binary(&bytes, options.encoding) {
        return Err(ReadError::Binary { offset });
    }
    if bytes.len() as u64 > options.max_bytes {
        return Err(ReadError::TooLarge {
            limit: options.max_bytes,
        });
    }
    let room = options.max_bytes - bytes.len() as u64;
    reader.take(room + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > options.max_bytes {
        return Err(ReadError::TooLarge {
            limit: options.max_bytes,
        });
    }
    Ok(bytes)
}

/// Reads the document at `path` (`-` is standard input). A regular file
/// larger than the limit is refused before reading; pipes, FIFOs and
/// devices are read until they end or pass the limit.
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<Vec<u8>, ReadError> {
    read_path_sniffed(path, options, Sniff::AnyNul)
}

/// [`read_path`] for a file named explicitly (on the command line, in a
/// pairs file): text unless clearly binary ([`sniff_clearly_binary`]), so
/// a stray NUL byte does not make a text file unreadable.
pub fn read_named_path(path: &Path, options: &ReadOptions) -> Result<Vec<u8>, ReadError> {
    read_path_sniffed(path, options, Sniff::Clearly)
}

fn read_path_sniffed(
    path: &Path,
    options: &ReadOptions,
    sniff: Sniff,
) -> Result<Vec<u8>, ReadError> {
    if path == Path::new("-") {
        return read_sniffed(&mut io::stdin(), options, sniff);
    }
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(ReadError::Io(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        )));
    }
    let compressed = Compression::of_name(path).is_some();
    if meta.is_file() && !compressed && meta.len() > options.max_bytes {
        return Err(ReadError::TooLarge {
            limit: options.max_bytes,
        });
    }
    read_sniffed(&mut file, options, sniff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn options(max_bytes: u64) -> ReadOptions {
        ReadOptions {
            max_bytes,
            encoding: None,
        }
    }

    #[test]
    fn compressed_documents_are_decompressed_by_their_magic_bytes() {
        let text = b"a story about a harbour, told twice. ".repeat(500);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        let zst = zstd::encode_all(&text[..], 1).unwrap();
        for packed in [&gz, &zst] {
            let got = read_document(&mut &packed[..], &options(1 << 20)).unwrap();
            assert_eq!(got, text);
            // Truncated: an error, never a short document taken as whole.
            let cut = &packed[..packed.len() / 2];
            assert!(matches!(
                read_document(&mut &cut[..], &options(1 << 20)),
                Err(ReadError::Io(_))
            ));
        }
    }

    #[test]
    fn limits_and_binary_data_stop_the_read_early() {
        let mut zeros = io::repeat(0).take(1 << 40);
        assert!(matches!(
            read_document(&mut zeros, &options(1 << 30)),
            Err(ReadError::Binary { offset: 0 })
        ));
        let mut endless = io::repeat(b'a');
        assert!(matches!(
            read_document(&mut endless, &options(100_000)),
            Err(ReadError::TooLarge { limit: 100_000 })
        ));
        let exact = vec![b'b'; 100_000];
        assert_eq!(
            read_document(&mut &exact[..], &options(100_000))
                .unwrap()
                .len(),
            100_000
        );
    }
}
