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
