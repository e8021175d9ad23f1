//! Word tokens by Unicode word boundaries (UAX #29), each with its offsets and
//! its normalised form.
//!
//! Scripts written without spaces between words get one token per ideograph
//! (Han) or syllable character, so shingles over them are character n-grams.

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
/// as `(byte offset, segment)`. ASCII text takes a fast path that applies the
/// same UAX #29 rules.
pub fn words(text: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    if text.is_ascii() {
        Box::new(AsciiWords { text, pos: 0 })
    } else {
        Box::new(
            text.split_word_bound_indices()
                .filter(|(_, w)| w.chars().any(char::is_alphanumeric)),
        )
    }
}

/// The word segments of ASCII `text` (see [`words`]), without dynamic
/// dispatch: the fingerprinting hot loop.
#[inline]
pub(crate) fn ascii_words(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    debug_assert!(text.is_ascii());
    AsciiWords { text, pos: 0 }
}

/// UAX #29 word segmentation restricted to ASCII: letters, digits and `_`
/// join; `.`, `'` and `:` join two letters; `.`, `'`, `,` and `;` join two
/// digits (rules WB5–WB13b). Segments without a letter or digit are skipped.
struct AsciiWords<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Iterator for AsciiWords<'t> {
    type Item = (usize, &'t str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'t str)> {
        let b = self.text.as_bytes();
        loop {
            while self.pos < b.len() && !is_word_byte(b[self.pos]) {
                self.pos += 1;
            }
            if self.pos >= b.len() {
                return None;
            }
            let start = self.pos;
            let mut i = start + 1;
            loop {
                while i < b.len() && is_word_byte(b[i]) {
                    i += 1;
                }
                // A single joiner between two letters or two digits keeps the word going.
                if i + 1 < b.len() && joins(b[i - 1], b[i], b[i + 1]) {
                    i += 2;
                    continue;
                }
                break;
            }
            self.pos = i;
            let word = &self.text[start..i];
            // Only a run of underscores has no letter or digit.
            if b[start] != b'_' || word.bytes().any(|c| c.is_ascii_alphanumeric()) {
                return Some((start, word));
            }
        }
    }
}

/// Letters, digits and `_`: the bytes that make up ASCII words.
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_';
        c += 1;
    }
    t
};

#[inline(always)]
fn is_word_byte(c: u8) -> bool {
    WORD_BYTE[c as usize]
}

fn joins(before: u8, mid: u8, after: u8) -> bool {
    let letters = before.is_ascii_alphabetic() && after.is_ascii_alphabetic();
    let digits = before.is_ascii_digit() && after.is_ascii_digit();
    (letters && matches!(mid, b'.' | b'\'' | b':'))
        || (digits && matches!(mid, b'.' | b'\'' | b',' | b';'))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text, &CharIndex::new(text))
            .into_iter()
            .map(|t| t.norm)
            .collect()
    }

    #[test]
    fn ascii_fast_path_agrees_with_uax29() {
        let samples = [
            "U.S. talks: a:b, 3.67, 1,000; 12;34 don't 'quoted' __x__ a_1 x.y.z. 9.a a.9 ...end",
            "Hello,world! e-mail foo@bar.com 3:30 p.m. rock'n'roll 1'000 A.B.C: ok",
            "trailing. joiner' 5, 5,, 6.. a..b a''b _ __ 42_ _42",
        ];
        for text in samples {
            let fast: Vec<(usize, &str)> = words(text).collect();
            let slow: Vec<(usize, &str)> = text
                .split_word_bound_indices()
                .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
                .collect();
            assert_eq!(fast, slow, "{text}");
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
        assert_eq!(tokens[1].span.start, 1);
        assert_eq!(tokens[1].span.byte_start, 3);
    }

    #[test]
    fn offsets_point_at_the_original_characters() {
        let text = "ＡＢＣ café";
        let tokens = tokenize(text, &CharIndex::new(text));
        assert_eq!(tokens[0].span.slice(text), "ＡＢＣ");
        assert_eq!(tokens[0].norm, "abc");
        assert_eq!(tokens[1].span.start, 4);
    }
}

/// Calls `f(start, end)` with the byte range of every word of ASCII `text`,
/// exactly the words of [`words`] (tested against it), without a branch per
/// byte: each 64-byte block is classified into bit masks (letters, digits,
/// `_`, joiners) with SIMD where available, joiners between two letters or
/// two digits are resolved with shifted masks, and words are the runs of set
/// bits, found with trailing-zero counts. This is the fingerprinting hot loop.
#[inline]
pub(crate) fn for_each_ascii_word(text: &str, mut f: impl FnMut(usize, usize)) {
    debug_assert!(text.is_ascii());
    let bytes = text.as_bytes();
    let blocks = bytes.len().div_ceil(64);
    let mut current = masks_at(bytes, 0);
    let mut prev = Masks::default(); // the block before (for the carry bits)
    let mut start = 0usize;
    let mut in_word = false;
    for block in 0..blocks {
        let base = block * 64;
        let next = if block + 1 < blocks {
            masks_at(bytes, base + 64)
        } else {
            Masks::default()
        };
        let word = current.words(&prev, &next);
        let mut bit = 0u32;
        loop {
            if in_word {
                let ends = !word & (u64::MAX << bit);
                if ends == 0 {
                    break;
                }
                let e = ends.trailing_zeros();
                emit(bytes, start, base + e as usize, &mut f);
                in_word = false;
                bit = e;
            } else {
                let starts = word & (u64::MAX << bit);
                if starts == 0 {
                    break;
                }
                let s = starts.trailing_zeros();
                start = base + s as usize;
                in_word = true;
                bit = s;
            }
        }
        prev = current;
        current = next;
    }
    if in_word {
        emit(bytes, start, bytes.len(), &mut f);
    }
}

/// Passes on a word unless it has no letter or digit (a run of `_`).
#[inline(always)]
fn emit(bytes: &[u8], start: usize, end: usize, f: &mut impl FnMut(usize, usize)) {
    if bytes[start] != b'_' || bytes[start..end].iter().any(u8::is_ascii_alphanumeric) {
        f(start, end);
    }
}

/// Bit masks of one 64-byte block (bit i is byte i).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Masks {
    letter: u64,
    digit: u64,
    underscore: u64,
    /// `.`, `'`, `:` (join letters).
    letter_joiner: u64,
    /// `.`, `'`, `,`, `;` (join digits).
    digit_joiner: u64,
}

impl Masks {
    /// Word bytes, with joiners that sit between two letters or two digits.
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

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn classify64(block: &[u8; 64]) -> Masks {
    let mut m = Masks::default();
    for (i, &b) in block.iter().enumerate() {
        let bit = 1u64 << i;
        if b.is_ascii_alphabetic() {
            m.letter |= bit;
        } else if b.is_ascii_digit() {
            m.digit |= bit;
        }
        match b {
            b'_' => m.underscore |= bit,
            b'.' | b'\'' => {
                m.letter_joiner |= bit;
                m.digit_joiner |= bit;
            }
            b':' => m.letter_joiner |= bit,
            b',' | b';' => m.digit_joiner |= bit,
            _ => {}
        }
    }
    m
}

#[cfg(test)]
mod mask_tests {
    use super::*;

    fn by_masks(text: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        for_each_ascii_word(text, |s, e| out.push((s, &text[s..e])));
        out
    }

    #[test]
    fn masks_find_the_same_words_as_the_byte_loop() {
        let mut samples: Vec<String> = vec![
            "U.S. talks: a:b, 3.67, 1,000; 12;34 don't 'quoted' __x__ a_1 x.y.z. 9.a a.9 ...end"
                .into(),
            "Hello,world! e-mail foo@bar.com 3:30 p.m. rock'n'roll 1'000 A.B.C: ok".into(),
            "trailing. joiner' 5, 5,, 6.. a..b a''b _ __ 42_ _42".into(),
            String::new(),
            "x".into(),
            "@[`{/:".into(),
        ];
        // Words and joiners straddling 64-byte block boundaries.
        let mut state = 12345u64;
        let alphabet = b"aZ09_.':,; \n!";
        for len in [63, 64, 65, 127, 128, 129, 300] {
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
        for text in &samples {
            let slow: Vec<(usize, &str)> = AsciiWords { text, pos: 0 }.collect();
            assert_eq!(by_masks(text), slow, "{text:?}");
        }
    }
}
