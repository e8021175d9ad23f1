//! Telling verbatim, edited and paraphrased passages apart, by the normalised
//! edit similarity of their aligned sentences.

use crate::text::Token;

/// Largest number of Levenshtein cells computed; beyond it (a "sentence" of
/// thousands of words in text without punctuation) the bag-of-words Dice
/// coefficient stands in, which the edit similarity never exceeds.
const MAX_CELLS: usize = 250_000;

/// Normalised word-level edit similarity, 1 − Levenshtein distance / longer
/// length, over normalised tokens (strsim's generic Levenshtein).
pub fn edit_similarity(a: &[Token], b: &[Token]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    let a: Vec<&str> = a.iter().map(|t| t.norm.as_str()).collect();
    let b: Vec<&str> = b.iter().map(|t| t.norm.as_str()).collect();
    if a.len() * b.len() > MAX_CELLS {
        return bag_dice(&a, &b);
    }
    1.0 - strsim::generic_levenshtein(&a, &b) as f64 / longer as f64
}

/// Dice coefficient of two word multisets.
fn bag_dice(a: &[&str], b: &[&str]) -> f64 {
    let mut counts: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    for w in a {
        *counts.entry(w).or_default() += 1;
    }
    let mut shared = 0;
    for w in b {
        if let Some(n) = counts.get_mut(w)
            && *n > 0
        {
            *n -= 1;
            shared += 1;
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
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
        // Too long for the edit distance: word bags instead.
        let long_a = "w ".repeat(600);
        let long_b = format!("{}x", "w ".repeat(599));
        assert!(
            (edit_similarity(&toks(&long_a), &toks(&long_b)) - 599.0 * 2.0 / 1200.0).abs() < 1e-9
        );
    }
}
