//! Word tokens by Unicode word boundaries (UAX #29), each with its offsets and
//! its normalised form.
//!
//! Scripts written without spaces between words get one token per ideograph
//! (Han) or syllable character, so shingles over them are character n-grams.
//!
//! There is one word rule with two implementations: UAX #29 (the
//! `unicode-segmentation` crate) is the reference and reads any text; ASCII
//! text takes [`AsciiWords`], which applies the same rules to 64-byte blocks
//! at a time (tested against the reference here and by property tests). The
//! rule's ASCII part is the byte table [`CLASS`] and the joining logic of
//! `Masks::words`; nothing else restates it.

use unicode_segmentation::UnicodeSegmentation;

use super::normalize::normalize_into;
use super::span::{CharIndex, Span};

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenClass {
    /// Letters (possibly with digits, apostrophes, inner periods).
    Word,
    /// Digits only, possibly with inner separators (`3.67`, `1,000`).
    Number,
    /// A single character of a script written without spaces (CJK).
    Ideograph,
}

/// One word of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where it is in the original text.
    pub span: Span,
    /// Its normalised form (NFKC, case-folded, unified punctuation).
    pub norm: String,
    /// What it is made of.
    pub class: TokenClass,
}

/// Iterates over the word segments of `text` that contain a letter or digit,
/// as `(byte offset, segment)`: UAX #29 words, by [`AsciiWords`] when the text
/// is ASCII.
pub fn words(text: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    if text.is_ascii() {
        Box::new(AsciiWords::new(text).map(move |r| (r.start, &text[r])))
    } else {
        Box::new(unicode_words(text))
    }
}

/// The reference: UAX #29 word segments holding a letter or digit.
pub fn unicode_words(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    text.split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
}

/// Tokenises `text`; `index` must be the [`CharIndex`] of the same text.
pub fn tokenize(text: &str, index: &CharIndex) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    for (offset, word) in words(text) {
        let mut norm = String::with_capacity(word.len());
        normalize_into(word, &mut norm);
        tokens.push(Token {
            span: index.span(offset, offset + word.len()),
            class: classify(word),
            norm,
        });
    }
    tokens
}

fn classify(word: &str) -> TokenClass {
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    if chars.next().is_none() && is_spaceless_script(first) {
        TokenClass::Ideograph
    } else if word.chars().all(|c| !c.is_alphabetic()) {
        TokenClass::Number
    } else {
        TokenClass::Word
    }
}

/// Han, Hiragana, Katakana and Hangul-syllable blocks: scripts whose words are
/// not separated by spaces (Hangul is, but its syllables work as n-gram units).
fn is_spaceless_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF        // Hiragana, Katakana
        | 0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF      // CJK Unified Ideographs
        | 0xF900..=0xFAFF      // CJK Compatibility Ideographs
        | 0x20000..=0x3134F) // CJK Extensions B–G
}

/// Bits of [`CLASS`]: what an ASCII byte can be in a word.
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const UNDERSCORE: u8 = 4;
/// `.`, `'`, `:` between two letters join them (UAX #29 WB6/WB7).
const LETTER_JOINER: u8 = 8;
/// `.`, `'`, `,`, `;` between two digits join them (WB11/WB12).
const DIGIT_JOINER: u8 = 16;

/// UAX #29 word rules restricted to ASCII, as data: letters, digits and `_`
/// make words (WB5, WB8–WB10, WB13a/b: `_` is ExtendNumLet); a letter joiner
/// between two letters or a digit joiner between two digits keeps a word
/// going. Bytes ≥ 0x80 never reach it.
pub const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphabetic() {
            LETTER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if b == b'_' {
            UNDERSCORE
        } else if b == b'.' || b == b'\'' {
            LETTER_JOINER | DIGIT_JOINER
        } else if b == b':' {
            LETTER_JOINER
        } else if b == b',' || b == b';' {
            DIGIT_JOINER
        } else {
            0
        };
        c += 1;
    }
    t
};

/// The words of ASCII `text` as byte ranges — exactly those of
/// [`unicode_words`] — found without a branch per byte: each 64-byte block is
/// classified into bit masks ([`Masks`]), joiners between two letters or two
/// digits are resolved with shifted masks, and words are the runs of set
/// bits, found with trailing-zero counts. The fingerprinting hot loop.
#[derive(Clone, Debug)]
pub struct AsciiWords<'t> {
    bytes: &'t [u8],
    /// Start of the current block.
    base: usize,
    prev: Masks,
    current: Masks,
    next: Masks,
    /// Word bits of the current block.
    word: u64,
    /// Next bit of the current block to look at.
    bit: u32,
    /// Start of a word that began in an earlier block or bit.
    start: Option<usize>,
    done: bool,
}

impl<'t> AsciiWords<'t> {
    /// The words of `text`, which must be ASCII (checked in debug builds).
    pub fn new(text: &'t str) -> AsciiWords<'t> {
        debug_assert!(text.is_ascii());
        let bytes = text.as_bytes();
        let current = masks_at(bytes, 0);
        let next = masks_at(bytes, 64);
        let prev = Masks::default();
        AsciiWords {
            bytes,
            base: 0,
            word: current.words(&prev, &next),
            prev,
            current,
            next,
            bit: 0,
            start: None,
            done: bytes.is_empty(),
        }
    }

    /// Moves to the next block; false past the end.
    #[inline(always)]
    fn advance(&mut self) -> bool {
        self.base += 64;
        if self.base >= self.bytes.len() {
            return false;
        }
        self.prev = self.current;
        self.current = self.next;
        self.next = masks_at(self.bytes, self.base + 64);
        self.word = self.current.words(&self.prev, &self.next);
        self.bit = 0;
        true
    }

    /// A word unless it has no letter or digit (a run of `_`).
    #[inline(always)]
    fn keep(&self, start: usize, end: usize) -> bool {
        self.bytes[start] != b'_' || self.bytes[start..end].iter().any(u8::is_ascii_alphanumeric)
    }
}

impl Iterator for AsciiWords<'_> {
    type Item = std::ops::Range<usize>;

    #[inline]
    fn next(&mut self) -> Option<std::ops::Range<usize>> {
        while !self.done {
            let from = if self.bit >= 64 {
                0
            } else {
                u64::MAX << self.bit
            };
            match self.start {
                Some(start) => {
                    let ends = !self.word & from;
                    if ends == 0 {
                        if !self.advance() {
                            self.done = true;
                            self.start = None;
                            if self.keep(start, self.bytes.len()) {
                                return Some(start..self.bytes.len());
                            }
                        }
                        continue;
                    }
                    let e = ends.trailing_zeros();
                    self.bit = e;
                    self.start = None;
                    let end = self.base + e as usize;
                    if self.keep(start, end) {
                        return Some(start..end);
                    }
                }
                None => {
                    let starts = self.word & from;
                    if starts == 0 {
                        if !self.advance() {
                            self.done = true;
                        }
                        continue;
                    }
                    let s = starts.trailing_zeros();
                    self.bit = s;
                    self.start = Some(self.base + s as usize);
                }
            }
        }
        None
    }
}

/// Bit masks of one 64-byte block (bit i is byte i), one per [`CLASS`] bit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Masks {
    letter: u64,
    digit: u64,
    underscore: u64,
    letter_joiner: u64,
    digit_joiner: u64,
}

impl Masks {
    /// Word bytes, with joiners that sit between two letters or two digits
    /// (`prev` and `next` are the neighbouring blocks, for joiners at the
    /// block's edges).
    #[inline(always)]
    fn words(&self, prev: &Masks, next: &Masks) -> u64 {
        let letter_before = self.letter << 1 | prev.letter >> 63;
        let letter_after = self.letter >> 1 | next.letter << 63;
        let digit_before = self.digit << 1 | prev.digit >> 63;
        let digit_after = self.digit >> 1 | next.digit << 63;
        let joined = (self.letter_joiner & letter_before & letter_after)
            | (self.digit_joiner & digit_before & digit_after);
        self.letter | self.digit | self.underscore | joined
    }
}

/// The masks of the 64 bytes at `at` (zero-padded past the end).
#[inline(always)]
fn masks_at(bytes: &[u8], at: usize) -> Masks {
    if at + 64 <= bytes.len() {
        classify64(bytes[at..at + 64].try_into().expect("64 bytes"))
    } else {
        let mut block = [0u8; 64];
        let rest = &bytes[at.min(bytes.len())..];
        block[..rest.len()].copy_from_slice(rest);
        classify64(&block)
    }
}

/// The masks of a block, by table lookup: the portable implementation, and
/// the reference for the SIMD one.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn classify64_table(block: &[u8; 64]) -> Masks {
    let mut m = Masks::default();
    for (i, &b) in block.iter().enumerate() {
        let class = CLASS[b as usize];
        let bit = |flag: u8| u64::from(class & flag != 0) << i;
        m.letter |= bit(LETTER);
        m.digit |= bit(DIGIT);
        m.underscore |= bit(UNDERSCORE);
        m.letter_joiner |= bit(LETTER_JOINER);
        m.digit_joiner |= bit(DIGIT_JOINER);
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn classify64(block: &[u8; 64]) -> Masks {
    classify64_table(block)
}

/// [`classify64_table`] with SSE2 compares, 16 bytes at a time.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn classify64(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    let mut m = Masks::default();
    for chunk in 0..4 {
        // SAFETY: SSE2 is part of the x86_64 baseline; the load is unaligned
        // and reads 16 bytes inside `block`.
        unsafe {
            let x = _mm_loadu_si128(block.as_ptr().add(16 * chunk) as *const __m128i);
            let set = |c: u8| _mm_set1_epi8(c as i8);
            let eq = |c: u8| _mm_cmpeq_epi8(x, set(c));
            // ASCII bytes are non-negative as i8, so signed compares work.
            let folded = _mm_or_si128(x, set(0x20));
            let letter = _mm_and_si128(
                _mm_cmpgt_epi8(folded, set(b'a' - 1)),
                _mm_cmplt_epi8(folded, set(b'z' + 1)),
            );
            let digit = _mm_and_si128(
                _mm_cmpgt_epi8(x, set(b'0' - 1)),
                _mm_cmplt_epi8(x, set(b'9' + 1)),
            );
            let both = _mm_or_si128(eq(b'.'), eq(b'\''));
            let letter_joiner = _mm_or_si128(both, eq(b':'));
            let digit_joiner = _mm_or_si128(both, _mm_or_si128(eq(b','), eq(b';')));
            let bits = |v: __m128i| (_mm_movemask_epi8(v) as u32 as u64) << (16 * chunk);
            m.letter |= bits(letter);
            m.digit |= bits(digit);
            m.underscore |= bits(eq(b'_'));
            m.letter_joiner |= bits(letter_joiner);
            m.digit_joiner |= bits(digit_joiner);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text, &CharIndex::new(text))
            .into_iter()
            .map(|t| t.norm)
            .collect()
    }

    /// Deterministic pseudo-random ASCII texts over the bytes that matter
    /// to the rule, of lengths around the 64-byte block edges.
    fn samples() -> Vec<String> {
        let mut samples: Vec<String> = vec![
            "U.S. talks: a:b, 3.67, 1,000; 12;34 don't 'quoted' __x__ a_1 x.y.z. 9.a a.9 ...end"
                .into(),
            "Hello,world! e-mail foo@bar.com 3:30 p.m. rock'n'roll 1'000 A.B.C: ok".into(),
            "trailing. joiner' 5, 5,, 6.. a..b a''b _ __ 42_ _42".into(),
            String::new(),
            "x".into(),
            "@[`{/:".into(),
        ];
        let mut state = 12345u64;
        let alphabet = b"aZ09_.':,; \n!";
        for len in [1, 2, 63, 64, 65, 127, 128, 129, 300] {
            for _ in 0..20 {
                let s: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize] as char
                    })
                    .collect();
                samples.push(s);
            }
        }
        samples
    }

    #[test]
    fn ascii_words_are_the_uax29_words() {
        for text in &samples() {
            let fast: Vec<(usize, &str)> = words(text).collect();
            let reference: Vec<(usize, &str)> = unicode_words(text).collect();
            assert_eq!(fast, reference, "{text:?}");
        }
    }

    #[test]
    fn simd_classification_equals_the_table() {
        for b in 0..=255u8 {
            for at in [0, 15, 16, 31, 32, 63] {
                let mut block = [b' '; 64];
                block[at] = b;
                assert_eq!(
                    classify64(&block),
                    classify64_table(&block),
                    "byte {b} at {at}"
                );
            }
        }
    }

    #[test]
    fn english_words_numbers_and_apostrophes() {
        assert_eq!(
            norms("Iran’s talks, in 2025, cost $3.67 billion (U.S. say)."),
            [
                "iran's", "talks", "in", "2025", "cost", "3.67", "billion", "u.s", "say"
            ]
        );
    }

    #[test]
    fn german_compound_and_umlaut() {
        assert_eq!(
            norms("Die Außenminister trafen sich."),
            ["die", "aussenminister", "trafen", "sich"]
        );
    }

    #[test]
    fn urdu_words_split_on_spaces() {
        assert_eq!(norms("پاکستان کی حکومت").len(), 3);
    }

    #[test]
    fn chinese_is_one_token_per_ideograph() {
        let text = "中国政府今天宣布";
        let tokens = tokenize(text, &CharIndex::new(text));
        assert_eq!(tokens.len(), 8);
        assert!(tokens.iter().all(|t| t.class == TokenClass::Ideograph));
        assert_eq!(tokens[1].span.start(), 1);
        assert_eq!(tokens[1].span.byte_start(), 3);
    }

    #[test]
    fn offsets_point_at_the_original_characters() {
        let text = "ＡＢＣ café";
        let tokens = tokenize(text, &CharIndex::new(text));
        assert_eq!(tokens[0].span.slice(text), "ＡＢＣ");
        assert_eq!(tokens[0].norm, "abc");
        assert_eq!(tokens[1].span.start(), 4);
    }
}
