//! Bytes to text: BOM removal, binary sniffing, lossy UTF-8, other
//! encodings.
//!
//! Offsets everywhere in neardup count from the first character after a
//! byte order mark, in the decoded text. For a valid UTF-8 file that is
//! exactly the file as stored minus the BOM's three bytes; in a file with
//! invalid UTF-8 every invalid sequence becomes one U+FFFD (three bytes), so
//! byte offsets after the first invalid sequence refer to the decoded text.
//! Text in another encoding (UTF-16 with a BOM, or one given by name) is
//! decoded to UTF-8 first, and byte offsets refer to that UTF-8 text.

use std::borrow::Cow;

pub use encoding_rs::Encoding;

/// How many leading bytes are inspected for a NUL byte.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Text decoded from bytes, with what had to be done to get it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// A byte order mark was removed from the start.
    pub had_bom: bool,
    /// How many invalid sequences were replaced by U+FFFD.
    pub replaced: usize,
    /// The encoding the bytes were read in (`UTF-8` unless a UTF-16 BOM or
    /// a given encoding said otherwise).
    pub encoding: &'static str,
}

/// Why bytes could not be decoded as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotText {
    /// A NUL byte at this offset, within the first [`BINARY_SNIFF_LEN`] bytes.
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
}

/// The encoding named `label` (WHATWG labels: `utf-8`, `utf-16le`,
/// `windows-1252`, `latin1`, `shift_jis`, …), or `None` if unknown.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// The encoding announced by a UTF-16 byte order mark at the start of
/// `bytes`, if any.
fn utf16_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    match Encoding::for_bom(bytes) {
        Some((e, _)) if e != encoding_rs::UTF_8 => Some(e),
        _ => None,
    }
}

/// True if the first block of `bytes` says "binary": a NUL byte, unless the
/// text announces UTF-16 (by BOM, or by `encoding`), where NUL bytes are
/// ordinary. Looks at no more than [`BINARY_SNIFF_LEN`] bytes, so callers
/// can decide before reading further.
pub fn sniff_binary(first_block: &[u8], encoding: Option<&'static Encoding>) -> Option<usize> {
    let utf16 = utf16_bom(first_block).is_some()
        || encoding.is_some_and(|e| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE);
    if utf16 {
        return None;
    }
    let sniffed = &first_block[..first_block.len().min(BINARY_SNIFF_LEN)];
    memchr::memchr(0, sniffed)
}

/// [`sniff_binary`] for a file named explicitly, which is text unless it is
/// clearly not: the offset of the first NUL byte when the first block is
/// binary, `None` when it is text, perhaps with stray NUL bytes (some
/// corpora hold a few, each on its own, in otherwise valid text). Clearly
/// binary: two NUL bytes side by side, more than one byte in 64 a NUL, or
/// (when the text is meant to be UTF-8) more than one byte in 32 starting
/// an invalid UTF-8 sequence — what images, archives, executables and
/// compressed data all show in their first kilobytes.
pub fn sniff_clearly_binary(
    first_block: &[u8],
    encoding: Option<&'static Encoding>,
) -> Option<usize> {
    let offset = sniff_binary(first_block, encoding)?;
    let block = &first_block[..first_block.len().min(BINARY_SNIFF_LEN)];
    let nuls = memchr::memchr_iter(0, block).count();
    let paired = memchr::memmem::find(block, b"\0\0").is_some();
    let utf8 = encoding.is_none_or(|e| e == encoding_rs::UTF_8);
    let invalid = if utf8 {
        count_invalid_sequences(block)
    } else {
        0
    };
    (paired || nuls * 64 > block.len() || invalid * 32 > block.len()).then_some(offset)
}

/// Decodes `bytes` as UTF-8 text: strips a BOM, refuses binary data, replaces
/// invalid sequences with U+FFFD and counts them. Text starting with a
/// UTF-16 byte order mark is decoded as UTF-16.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    decode_as(bytes, None)
}

/// Decodes `bytes` in `encoding` (`None`: UTF-8, or UTF-16 when a BOM says
/// so; a BOM always wins over `encoding`, as in browsers), refusing binary
/// data (see [`sniff_binary`]).
pub fn decode_as(bytes: &[u8], encoding: Option<&'static Encoding>) -> Result<Decoded, NotText> {
    if let Some(offset) = sniff_binary(bytes, encoding) {
        return Err(NotText::Binary { offset });
    }
    Ok(decode_any_as(bytes, encoding))
}

/// Decodes `bytes` like [`decode`] but without refusing binary-looking data:
/// for corpora known to be text that contain stray control bytes.
pub fn decode_any(bytes: &[u8]) -> Decoded {
    decode_any_as(bytes, None)
}

/// [`decode_as`] without the binary check.
pub fn decode_any_as(bytes: &[u8], encoding: Option<&'static Encoding>) -> Decoded {
    let other = utf16_bom(bytes).or(encoding.filter(|&e| e != encoding_rs::UTF_8));
    match other {
        Some(e) => decode_other(bytes, e),
        None => decode_utf8(bytes),
    }
}

fn decode_utf8(bytes: &[u8]) -> Decoded {
    let had_bom = bytes.starts_with(UTF8_BOM);
    let body = if had_bom {
        &bytes[UTF8_BOM.len()..]
    } else {
        bytes
    };
    let (text, replaced) = match String::from_utf8_lossy(body) {
        Cow::Borrowed(s) => (s.to_owned(), 0),
        Cow::Owned(s) => {
            let replaced = count_invalid_sequences(body);
            (s, replaced)
        }
    };
    Decoded {
        text,
        had_bom,
        replaced,
        encoding: encoding_rs::UTF_8.name(),
    }
}

/// Any other encoding, through encoding_rs (a BOM decides over `encoding`).
fn decode_other(bytes: &[u8], encoding: &'static Encoding) -> Decoded {
    let had_bom = Encoding::for_bom(bytes).is_some();
    let (text, used, had_errors) = encoding.decode(bytes);
    // encoding_rs only says whether something was replaced; count the
    // replacement characters it produced beyond those the input spelt out.
    let replaced = if had_errors {
        text.matches('\u{FFFD}').count().max(1)
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        had_bom,
        replaced,
        encoding: used.name(),
    }
}

/// Counts the maximal invalid subsequences, the same units `from_utf8_lossy`
/// replaces.
fn count_invalid_sequences(mut bytes: &[u8]) -> usize {
    let mut count = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(_) => return count,
            Err(e) => {
                count += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
                bytes = &bytes[skip..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_keeps_text() {
        let d = decode(b"\xEF\xBB\xBFhello").unwrap();
        assert_eq!(d.text, "hello");
        assert!(d.had_bom);
        assert_eq!(d.replaced, 0);
    }

    #[test]
    fn replaces_invalid_sequences_and_counts_them() {
        let d = decode(b"caf\xE9 and na\xEFve \xFF\xFE").unwrap();
        assert_eq!(d.text, "caf\u{FFFD} and na\u{FFFD}ve \u{FFFD}\u{FFFD}");
        assert_eq!(d.replaced, 4);
    }

    #[test]
    fn nul_byte_means_binary() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x01"),
            Err(NotText::Binary { offset: 4 })
        );
    }

    #[test]
    fn named_files_are_binary_only_when_clearly_so() {
        let text = |nul_every: usize| {
            let mut bytes = b"A harbour story, told plainly. ".repeat(100);
            for k in (nul_every..bytes.len()).step_by(nul_every) {
                bytes[k] = 0;
            }
            bytes
        };
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        let mut packed = text(0x7fff_ffff);
        for (k, b) in packed.iter_mut().enumerate() {
            *b = (k * 37 % 251) as u8 | 0x80;
        }
        packed[100] = 0;
        let rows: [(&[u8], Option<usize>); 6] = [
            // Stray NULs, one byte in 100: text for a named file.
            (&text(100), None),
            // One in 40: binary.
            (&text(40), Some(40)),
            (png, Some(8)),
            (b"PK\x03\x04\x00\x01binary", Some(4)),
            // Compressed-looking bytes with a single NUL.
            (&packed, Some(100)),
            (b"no NUL at all", None),
        ];
        for (bytes, expected) in rows {
            assert_eq!(sniff_clearly_binary(bytes, None), expected, "{bytes:?}");
            // The strict sniff refuses any NUL.
            assert_eq!(sniff_binary(bytes, None), memchr::memchr(0, bytes));
        }
    }

    #[test]
    fn nul_byte_after_sniff_window_is_text() {
        let mut bytes = vec![b'a'; BINARY_SNIFF_LEN];
        bytes.push(0);
        assert!(decode(&bytes).is_ok());
    }

    #[test]
    fn utf16_with_a_bom_is_text_and_other_encodings_by_name() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Grüße, world".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.had_bom),
            ("Grüße, world", "UTF-16LE", true)
        );
        let cp1252 = encoding_for_label("windows-1252");
        let d = decode_as(b"caf\xE9 \x93quoted\x94", cp1252).unwrap();
        assert_eq!((d.text.as_str(), d.replaced), ("café “quoted”", 0));
        assert!(encoding_for_label("no-such-encoding").is_none());
        // Without the BOM, UTF-16 is binary-looking unless it is named.
        assert!(decode(&le[2..]).is_err());
        assert_eq!(
            decode_as(&le[2..], encoding_for_label("utf-16le"))
                .unwrap()
                .text,
            "Grüße, world"
        );
    }
}
