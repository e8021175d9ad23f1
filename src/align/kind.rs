//! Telling verbatim, edited and paraphrased passages apart, by the normalised
//! edit similarity of their aligned sentences.

use crate::text::Token;

/// Normalised word-level edit similarity, 1 − Levenshtein distance / longer
/// length, over normalised tokens (strsim's generic Levenshtein).
pub fn edit_similarity(a: &[Token], b: &[Token]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    let a: Vec<&str> = a.iter().map(|t| t.norm.as_str()).collect();
    let b: Vec<&str> = b.iter().map(|t| t.norm.as_str()).collect();
    1.0 - strsim::generic_levenshtein(&a, &b) as f64 / longer as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{CharIndex, tokens::tokenize};

    fn toks(s: &str) -> Vec<Token> {
        tokenize(s, &CharIndex::new(s))
    }

    #[test]
    fn by_hand() {
        assert_eq!(edit_similarity(&toks("a b c d"), &toks("A b, c d.")), 1.0);
        assert_eq!(edit_similarity(&toks("a b c d"), &toks("a x c d")), 0.75);
        assert_eq!(edit_similarity(&toks("a b"), &toks("c d e f")), 0.0);
    }
}
