//! Spans: ranges of a text in Unicode code points and in bytes at once.

use serde::Serialize;

/// A range of a text, given both in Unicode code points (`start..end`) and
/// in UTF-8 bytes (`byte_start..byte_end`), end exclusive.
///
/// Invariant, kept by construction: both ranges describe the same characters
/// of the same text, `start <= end`, and the byte offsets are `char`
/// boundaries of it. Spans are made by [`CharIndex::span`] from byte offsets
/// (checked), and changed only by operations that keep the invariant
/// ([`union`](Span::union), [`join`](Span::join), [`widen`](Span::widen),
/// [`within`](Span::within)); their fields cannot be set by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
}

impl Span {
    /// First code point.
    pub fn start(&self) -> usize {
        self.start
    }

    /// One past the last code point.
    pub fn end(&self) -> usize {
        self.end
    }

    /// First byte.
    pub fn byte_start(&self) -> usize {
        self.byte_start
    }

    /// One past the last byte.
    pub fn byte_end(&self) -> usize {
        self.byte_end
    }

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

    /// The code-point range.
    pub fn chars(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// The text this span covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.bytes()]
    }

    /// The smallest span covering both (spans of the same text).
    pub fn union(&self, other: &Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
            byte_start: self.byte_start.min(other.byte_start),
            byte_end: self.byte_end.max(other.byte_end),
        }
    }

    /// From the start of `first` to the end of `last` (spans of the same
    /// text); `None` when `last` ends before `first` starts.
    pub fn join(first: &Span, last: &Span) -> Option<Span> {
        (first.start <= last.end).then_some(Span {
            start: first.start,
            end: last.end,
            byte_start: first.byte_start,
            byte_end: last.byte_end,
        })
    }

    /// Number of code points both spans cover.
    pub fn overlap(&self, other: &Span) -> usize {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }

    /// True if `other` lies inside this span.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// This span extended, on both ends, over the characters of `text` (the
    /// span's own text) for which `attached` holds.
    pub fn widen(&self, text: &str, attached: impl Fn(char) -> bool) -> Span {
        let mut span = *self;
        for c in text[..span.byte_start]
            .chars()
            .rev()
            .take_while(|&c| attached(c))
        {
            span.byte_start -= c.len_utf8();
            span.start -= 1;
        }
        for c in text[span.byte_end..].chars().take_while(|&c| attached(c)) {
            span.byte_end += c.len_utf8();
            span.end += 1;
        }
        span
    }

    /// `inner`, a span of this span's text ([`slice`](Span::slice)), as a
    /// span of the whole text.
    pub fn within(&self, inner: &Span) -> Span {
        debug_assert!(inner.byte_end <= self.byte_end - self.byte_start);
        Span {
            start: self.start + inner.start,
            end: self.start + inner.end,
            byte_start: self.byte_start + inner.byte_start,
            byte_end: self.byte_start + inner.byte_end,
        }
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

    /// True if `byte` is a char boundary of the text (or its end).
    pub fn is_boundary(&self, byte: usize) -> bool {
        byte <= self.len_bytes
            && (self.checkpoints.is_empty()
                || byte == self.len_bytes
                || !is_continuation(self.bytes[byte]))
    }

    /// Code points before byte offset `byte` (which must be a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        debug_assert!(self.is_boundary(byte));
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

    /// The span of bytes `byte_start..byte_end`, or `None` unless
    /// `byte_start <= byte_end` and both are char boundaries of the text.
    pub fn try_span(&self, byte_start: usize, byte_end: usize) -> Option<Span> {
        (byte_start <= byte_end && self.is_boundary(byte_start) && self.is_boundary(byte_end)).then(
            || Span {
                start: self.char_offset(byte_start),
                end: self.char_offset(byte_end),
                byte_start,
                byte_end,
            },
        )
    }

    /// The span of bytes `byte_start..byte_end`.
    ///
    /// # Panics
    ///
    /// If the offsets are inverted or not char boundaries of the text: a bug
    /// in the caller, never a property of the input (use
    /// [`try_span`](Self::try_span) for offsets from outside).
    pub fn span(&self, byte_start: usize, byte_end: usize) -> Span {
        self.try_span(byte_start, byte_end)
            .unwrap_or_else(|| panic!("{byte_start}..{byte_end} is not a span of this text"))
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
        let span = CharIndex::new("plain ascii").span(2, 7);
        assert_eq!((span.chars(), span.bytes()), (2..7, 2..7));
    }

    #[test]
    fn spans_are_checked_when_made() {
        let index = CharIndex::new("aé b");
        assert!(index.try_span(2, 3).is_none(), "inside é");
        assert!(index.try_span(3, 1).is_none(), "inverted");
        assert!(index.try_span(0, 6).is_none(), "past the end");
        assert_eq!(index.try_span(1, 3).map(|s| s.chars()), Some(1..2));
    }

    #[test]
    fn operations_keep_both_ranges_in_step() {
        let text = "«Ça», dit-il.";
        let index = CharIndex::new(text);
        let word = index.span(2, 5); // "Ça"
        assert_eq!(word.slice(text), "Ça");
        let wide = word.widen(text, |c| !c.is_whitespace() && !c.is_alphanumeric());
        assert_eq!(wide.slice(text), "«Ça»,");
        assert_eq!(wide.chars(), 0..5);
        let last = index.span(text.len() - 1, text.len());
        let joined = Span::join(&word, &last).unwrap();
        assert_eq!(joined.slice(text), "Ça», dit-il.");
        assert_eq!(joined.len(), joined.slice(text).chars().count());
        assert!(Span::join(&last, &word).is_none());
        let inner = CharIndex::new(word.slice(text)).span(2, 3); // "a"
        assert_eq!(word.within(&inner).slice(text), "a");
        assert_eq!(word.within(&inner).chars(), 2..3);
    }
}
