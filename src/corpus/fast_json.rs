//! The fast path of JSON Lines records: a flat object whose text and id are
//! top-level fields, read by one scan over the line without a deserializer.
//!
//! serde_json stays the reference. This scanner accepts only lines it can
//! read with certainty — a flat object of strings (escapes other than
//! `\u`), numbers, `true`, `false` and `null`, its strings valid UTF-8
//! without control characters — and gives up (`None`) on anything else, a
//! nested value, a `\u` escape, an escaped key or an error. The caller then
//! parses the line with serde_json, so every error, and every unusual line,
//! is serde_json's. A property test checks both agree.

use std::borrow::Cow;

use serde_json::value::RawValue;

use super::fields::{Found, Text};

/// The text field `text` and the id field `id` (top-level names) of the
/// JSON object `bytes`, or `None` if the line needs the full parser.
pub(super) fn extract<'de>(bytes: &'de [u8], text: &str, id: &str) -> Option<Found<'de>> {
    if text == id {
        return None;
    }
    let mut s = Scan { bytes, at: 0 };
    s.skip_ws();
    s.expect(b'{')?;
    let mut found = Found::default();
    s.skip_ws();
    if s.peek()? == b'}' {
        s.at += 1;
    } else {
        loop {
            s.expect(b'"')?;
            let key = s.plain_string()?;
            s.skip_ws();
            s.expect(b':')?;
            s.skip_ws();
            if key == text {
                s.expect(b'"')?;
                found.text = Some(Text::Str(s.string()?));
            } else if key == id {
                found.id = Some(s.raw_id()?);
            } else {
                s.skip_scalar()?;
            }
            s.skip_ws();
            match s.peek()? {
                b',' => {
                    s.at += 1;
                    s.skip_ws();
                }
                b'}' => {
                    s.at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    s.skip_ws();
    (s.at == bytes.len()).then_some(found)
}

/// A position in a line.
struct Scan<'de> {
    bytes: &'de [u8],
    at: usize,
}

impl<'de> Scan<'de> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Skips JSON whitespace (as serde_json: space, tab, LF, CR).
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// The rest of a string without escapes (the opening quote read).
    fn plain_string(&mut self) -> Option<&'de str> {
        let bytes = self.bytes;
        let start = self.at;
        let end = start + find_special(&bytes[start..])?;
        if bytes[end] != b'"' {
            return None;
        }
        self.at = end + 1;
        std::str::from_utf8(&bytes[start..end]).ok()
    }

    /// The rest of a string (the opening quote read): borrowed when it has
    /// no escape, unescaped otherwise.
    fn string(&mut self) -> Option<Cow<'de, str>> {
        let bytes = self.bytes;
        let start = self.at;
        let mut end = start + find_special(&bytes[start..])?;
        if bytes[end] == b'"' {
            self.at = end + 1;
            return std::str::from_utf8(&bytes[start..end])
                .ok()
                .map(Cow::Borrowed);
        }
        // Escapes: unescape into bytes, then check the whole as UTF-8 (the
        // escapes handled here only produce ASCII).
        let mut out = Vec::with_capacity(self.bytes.len() - start);
        let mut from = start;
        loop {
            match self.bytes[end] {
                b'"' => {
                    out.extend_from_slice(&self.bytes[from..end]);
                    self.at = end + 1;
                    return String::from_utf8(out).ok().map(Cow::Owned);
                }
                b'\\' => {
                    out.extend_from_slice(&self.bytes[from..end]);
                    out.push(unescape(*self.bytes.get(end + 1)?)?);
                    from = end + 2;
                }
                _ => return None, // a control character
            }
            end = from + find_special(&self.bytes[from..])?;
        }
    }

    /// An id: a string without escapes or a number, as raw JSON.
    fn raw_id(&mut self) -> Option<&'de RawValue> {
        let start = self.at;
        match self.peek()? {
            b'"' => {
                self.at += 1;
                self.plain_string()?;
            }
            _ => self.number()?,
        }
        let bytes = self.bytes;
        let raw = std::str::from_utf8(&bytes[start..self.at]).ok()?;
        serde_json::from_str(raw).ok()
    }

    /// Skips a string, number or literal; `None` on a nested value.
    fn skip_scalar(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                self.string().map(drop)
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// Skips a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.some_digits()?;
        }
        // A digit right after (`01`) is serde_json's error to report.
        (!self.peek().is_some_and(|b| b.is_ascii_digit())).then_some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }
}

/// The byte an escape `\c` stands for (`\u` escapes are left to serde_json).
fn unescape(c: u8) -> Option<u8> {
    Some(match c {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        _ => return None,
    })
}

/// Position of the first `"`, `\` or control character (< 0x20) of
/// `bytes`, eight bytes at a time.
#[inline]
fn find_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The lowest flagged byte of each test is exact (carries only move
    // upwards, past it).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let v = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let hits = zero(v ^ (ONES * u64::from(b'"')))
            | zero(v ^ (ONES * u64::from(b'\\')))
            | (v.wrapping_sub(ONES * 0x20) & !v & HIGHS);
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_special_byte_anywhere() {
        for len in 0..40 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut bytes = vec![b'a'; len];
                    // Bytes that are close to the specials but not them.
                    for (i, b) in bytes.iter_mut().enumerate() {
                        *b = [b'a', 0x20, 0x80, 0xff, b'#', b']'][i % 6];
                    }
                    bytes[at] = special;
                    if at + 1 < len {
                        bytes[at + 1] = b'"';
                    }
                    assert_eq!(find_special(&bytes), Some(at), "{bytes:?}");
                }
            }
            let plain: Vec<u8> = (0..len).map(|i| [b'a', 0x20, 0xc3, 0xa9][i % 4]).collect();
            assert_eq!(find_special(&plain), None);
        }
    }
}
