//! Bytes to text: BOM removal, binary sniffing, lossy UTF-8.
//!
//! Offsets everywhere in neardup count from the first character after a
//! UTF-8 byte order mark, in the decoded text. For a valid UTF-8 file that is
//! exactly the file as stored minus the BOM's three bytes; in a file with
//! invalid UTF-8 every invalid sequence becomes one U+FFFD (three bytes), so
//! byte offsets after the first invalid sequence refer to the decoded text.

use std::borrow::Cow;

/// How many leading bytes are inspected for a NUL byte.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Text decoded from bytes, with what had to be done to get it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// A UTF-8 BOM was removed from the start.
    pub had_bom: bool,
    /// How many invalid UTF-8 sequences were replaced by U+FFFD.
    pub replaced: usize,
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

/// Decodes `bytes` as UTF-8 text: strips a BOM, refuses binary data, replaces
/// invalid sequences with U+FFFD and counts them.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    let sniffed = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    if let Some(offset) = sniffed.iter().position(|&b| b == 0) {
        return Err(NotText::Binary { offset });
    }
    Ok(decode_any(bytes))
}

/// Decodes `bytes` like [`decode`] but without refusing binary-looking data:
/// for corpora known to be text that contain stray control bytes.
pub fn decode_any(bytes: &[u8]) -> Decoded {
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
    fn nul_byte_after_sniff_window_is_text() {
        let mut bytes = vec![b'a'; BINARY_SNIFF_LEN];
        bytes.push(0);
        assert!(decode(&bytes).is_ok());
    }
}
