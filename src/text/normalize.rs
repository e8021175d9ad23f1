//! Normalisation for matching: Unicode NFKC, full case folding, and one form
//! for typographic quotes, apostrophes and dashes.
//!
//! Normalisation is applied per token, never to the stored text, so that every
//! token keeps its offsets into the original; the normalised form is only what
//! tokens are compared and hashed by.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

/// Appends the normalised form of `word` to `out` (a `String`, or a token's
/// inline [`CompactString`](compact_str::CompactString)).
pub fn normalize_into(word: &str, out: &mut impl Extend<char>) {
    if word.is_ascii() {
        // NFKC and case folding of ASCII is ASCII lowercasing.
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        return;
    }
    // One pass of iterators straight into `out` (what
    // `default_case_fold_str` of the collected NFKC form gives, without
    // its two intermediate strings: non-ASCII text pays this per word).
    out.extend(word.nfkc().map(unify_punctuation).default_case_fold());
}

/// The normalised form of `word`.
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// Maps typographic variants of quotes, apostrophes and dashes to ASCII.
pub fn unify_punctuation(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_compatibility_forms() {
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("ＡＢＣ"), "abc");
        assert_eq!(normalize("ﬁnance"), "finance");
        assert_eq!(normalize("Iran’s"), "iran's");
        assert_eq!(normalize("ΣΟΦΊΑ"), "σοφία");
        assert_eq!(normalize("Hello"), "hello");
    }

    #[test]
    fn unifies_dashes_and_quotes() {
        assert_eq!(normalize("U.S.–Iran"), "u.s.-iran");
        assert_eq!(normalize("“x”"), "\"x\"");
    }
}
