//! Spans: ranges of a text in Unicode code points and in bytes at once.

use serde::Serialize;

/// A non-empty range of a text, given both in Unicode code points
/// (`start..end`) and in UTF-8 bytes (`byte_start..byte_end`), end exclusive.
///
/// Invariant: both ranges describe the same characters of the same text, and
/// the byte offsets are `char` boundaries of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// First byte.
    pub byte_start: usize,
    /// One past the last byte.
    pub byte_end: usize,
}

impl Span {
    /// Length in code points.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True if the span covers no character.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The bytes range, for slicing the text.
    pub fn bytes(&self) -> std::ops::Range<usize> {
        self.byte_start..self.byte_end
    }

    /// The text this span covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.bytes()]
    }

    /// The smallest span covering both.
    pub fn union(&self, other: &Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
            byte_start: self.byte_start.min(other.byte_start),
            byte_end: self.byte_end.max(other.byte_end),
        }
    }

    /// Number of code points both spans cover.
    pub fn overlap(&self, other: &Span) -> usize {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }
}

/// Converts byte offsets of one text into code-point offsets in O(1) amortised
/// time, so that every token, sentence and paragraph can carry both.
#[derive(Clone, Debug)]
pub struct CharIndex {
    len_bytes: usize,
    /// Code points before byte `i * STRIDE`; empty when the text is ASCII.
    checkpoints: Vec<usize>,
    bytes: Box<[u8]>,
}

const STRIDE: usize = 64;

impl CharIndex {
    /// Builds the index of `text`.
    pub fn new(text: &str) -> CharIndex {
        let bytes = text.as_bytes();
        if text.is_ascii() {
            return CharIndex {
                len_bytes: bytes.len(),
                checkpoints: Vec::new(),
                bytes: Box::default(),
            };
        }
        let mut checkpoints = Vec::with_capacity(bytes.len() / STRIDE + 1);
        let mut count = 0;
        for chunk in bytes.chunks(STRIDE) {
            checkpoints.push(count);
            count += chunk.iter().filter(|&&b| !is_continuation(b)).count();
        }
        checkpoints.push(count);
        CharIndex {
            len_bytes: bytes.len(),
            checkpoints,
            bytes: bytes.into(),
        }
    }

    /// Code points before byte offset `byte` (which must be a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        debug_assert!(byte <= self.len_bytes);
        if self.checkpoints.is_empty() {
            return byte;
        }
        let block = byte / STRIDE;
        let base = self.checkpoints[block];
        let from = block * STRIDE;
        base + self.bytes[from..byte]
            .iter()
            .filter(|&&b| !is_continuation(b))
            .count()
    }

    /// The span of bytes `byte_start..byte_end`.
    pub fn span(&self, byte_start: usize, byte_end: usize) -> Span {
        Span {
            start: self.char_offset(byte_start),
            end: self.char_offset(byte_end),
            byte_start,
            byte_end,
        }
    }

    /// Length of the text in code points.
    pub fn len_chars(&self) -> usize {
        self.char_offset(self.len_bytes)
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0b1100_0000 == 0b1000_0000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_char_indices() {
        let text = "Ça va? 日本語のテキスト — “quoted” ".repeat(20);
        let index = CharIndex::new(&text);
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(index.char_offset(byte), chars);
        }
        assert_eq!(index.len_chars(), text.chars().count());
    }

    #[test]
    fn ascii_text_has_identical_offsets() {
        let index = CharIndex::new("plain ascii");
        assert_eq!(
            index.span(2, 7),
            Span {
                start: 2,
                end: 7,
                byte_start: 2,
                byte_end: 7
            }
        );
    }
}
