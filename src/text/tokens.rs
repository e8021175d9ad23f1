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
/// as `(byte offset, segment)`.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
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
