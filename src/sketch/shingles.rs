//! Word k-gram shingles, hashed with seeded xxh3.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Seed of token hashes; shingle hashes use their own seed (see [`shingle_hashes`]).
pub const TOKEN_SEED: u64 = 0x6e65_6172_6475_7030; // "neardup0"

/// The hash of one normalised token.
#[inline]
pub fn token_hash(norm: &str) -> u64 {
    xxh3_64_with_seed(norm.as_bytes(), TOKEN_SEED)
}

/// Token hashes of a text straight from its words, without building tokens:
/// the fast path of fingerprinting (same hashes as hashing
/// [`Token::norm`](crate::text::Token::norm)).
pub fn text_token_hashes(text: &str, out: &mut Vec<u64>) {
    for_each_token_hash(text, |h| out.push(h));
}

/// Calls `f` with the hash of each token of `text`, in order, allocating
/// nothing for ASCII text: words are lowercased into a stack buffer and
/// hashed (ASCII NFKC and case folding are lowercasing). Same hashes as
/// [`text_token_hashes`].
#[inline]
pub fn for_each_token_hash(text: &str, mut f: impl FnMut(u64)) {
    if text.is_ascii() {
        let mut buf = [0u8; 64];
        for (_, word) in crate::text::tokens::ascii_words(text) {
            let bytes = word.as_bytes();
            if bytes.len() <= buf.len() {
                let lower = &mut buf[..bytes.len()];
                for (d, &c) in lower.iter_mut().zip(bytes) {
                    *d = c.to_ascii_lowercase();
                }
                f(xxh3_64_with_seed(lower, TOKEN_SEED));
            } else {
                f(token_hash(&word.to_ascii_lowercase()));
            }
        }
        return;
    }
    let mut norm = String::new();
    for (_, word) in crate::text::tokens::words(text) {
        norm.clear();
        crate::text::normalize::normalize_into(word, &mut norm);
        f(token_hash(&norm));
    }
}

/// Hashes of every run of `k` consecutive tokens, in order (with repeats).
/// A text with fewer than `k` tokens (but at least one) gets one shingle of all
/// its tokens, so short texts are not all equal to the empty set.
pub fn shingle_hashes(token_hashes: &[u64], k: usize, seed: u64) -> Vec<u64> {
    let mut out = Vec::with_capacity(token_hashes.len().saturating_sub(k) + 1);
    for_each_shingle(token_hashes, k, seed, |h| out.push(h));
    out
}

/// Calls `f` with the hash of every shingle (see [`shingle_hashes`]) without
/// allocating.
#[inline]
pub fn for_each_shingle(token_hashes: &[u64], k: usize, seed: u64, mut f: impl FnMut(u64)) {
    assert!(k > 0, "shingle size must be positive");
    if token_hashes.is_empty() {
        return;
    }
    let k = k.min(token_hashes.len());
    let mut buf = [0u8; 8 * 16];
    if k <= 16 {
        for window in token_hashes.windows(k) {
            for (slot, h) in buf.chunks_exact_mut(8).zip(window) {
                slot.copy_from_slice(&h.to_le_bytes());
            }
            f(xxh3_64_with_seed(&buf[..8 * k], seed));
        }
    } else {
        let mut bytes = Vec::with_capacity(8 * k);
        for window in token_hashes.windows(k) {
            bytes.clear();
            window
                .iter()
                .for_each(|h| bytes.extend_from_slice(&h.to_le_bytes()));
            f(xxh3_64_with_seed(&bytes, seed));
        }
    }
}

/// A set of shingle hashes: sorted, without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShingleSet(Vec<u64>);

impl ShingleSet {
    /// The set of `hashes`.
    pub fn new(mut hashes: Vec<u64>) -> ShingleSet {
        hashes.sort_unstable();
        hashes.dedup();
        ShingleSet(hashes)
    }

    /// The sorted hashes.
    pub fn as_slice(&self) -> &[u64] {
        &self.0
    }

    /// Number of distinct shingles.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True if there is no shingle.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `hash` is in the set.
    pub fn contains(&self, hash: u64) -> bool {
        self.0.binary_search(&hash).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(words: &str) -> Vec<u64> {
        words.split(' ').map(token_hash).collect()
    }

    #[test]
    fn fast_path_hashes_like_tokens() {
        let text = "Iran’s talks, in 2025 — ＡＢＣ café.";
        let seg = crate::text::Segmented::new(text);
        let mut fast = Vec::new();
        text_token_hashes(text, &mut fast);
        let slow: Vec<u64> = seg.tokens.iter().map(|t| token_hash(&t.norm)).collect();
        assert_eq!(fast, slow);
    }

    #[test]
    fn ascii_fast_path_hashes_like_the_general_path() {
        let text = "Don't STOP the U.S. 3.67 talks, rock'n'roll_x; a:b. Word";
        let mut fast = Vec::new();
        text_token_hashes(text, &mut fast);
        let slow: Vec<u64> = crate::text::tokens::words(text)
            .map(|(_, w)| token_hash(&crate::text::normalize::normalize(w)))
            .collect();
        assert_eq!(fast, slow);
        let long = "x".repeat(100);
        let mut fast = Vec::new();
        text_token_hashes(&long, &mut fast);
        assert_eq!(fast, [token_hash(&long)]);
    }

    #[test]
    fn one_shingle_per_window() {
        let s = shingle_hashes(&hashes("a b c d e f g"), 5, 1);
        assert_eq!(s.len(), 3);
        assert_ne!(s[0], s[1]);
    }

    #[test]
    fn short_texts_get_one_shingle_of_all_tokens() {
        let short = shingle_hashes(&hashes("a b"), 5, 1);
        assert_eq!(short.len(), 1);
        assert_ne!(short, shingle_hashes(&hashes("a c"), 5, 1));
        assert!(shingle_hashes(&[], 5, 1).is_empty());
    }

    #[test]
    fn seed_changes_hashes_and_order_matters() {
        let h = hashes("a b c");
        assert_ne!(shingle_hashes(&h, 3, 1), shingle_hashes(&h, 3, 2));
        assert_ne!(
            shingle_hashes(&h, 3, 1),
            shingle_hashes(&hashes("c b a"), 3, 1)
        );
    }

    #[test]
    fn long_shingles_work() {
        let h = hashes("a b c d e f g h i j k l m n o p q r s t");
        assert_eq!(shingle_hashes(&h, 18, 1).len(), 3);
    }

    #[test]
    fn sets_are_sorted_and_deduplicated() {
        let set = ShingleSet::new(vec![3, 1, 3, 2]);
        assert_eq!(set.as_slice(), &[1, 2, 3]);
        assert!(set.contains(2));
    }
}
