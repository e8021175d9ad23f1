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

/// Turns a stream of token hashes into the stream of their k-shingle hashes
/// (the same hashes as [`shingle_hashes`]) while holding only the last k
/// tokens: how a document of any length is fingerprinted in bounded memory.
#[derive(Clone, Debug)]
pub struct Shingler {
    k: usize,
    seed: u64,
    /// The little-endian bytes of the last k tokens, each written twice (at
    /// ring position p and p + k) so that the current window is always one
    /// contiguous slice: no shifting, no copying per token.
    ring: Vec<u8>,
    pos: usize,
    tokens: usize,
}

impl Shingler {
    /// A shingler of `k`-token shingles hashed with `seed`.
    pub fn new(k: usize, seed: u64) -> Shingler {
        assert!(k > 0, "shingle size must be positive");
        Shingler {
            k,
            seed,
            ring: vec![0; 16 * k],
            pos: 0,
            tokens: 0,
        }
    }

    /// Starts a new text.
    pub fn reset(&mut self) {
        self.pos = 0;
        self.tokens = 0;
    }

    /// Tokens pushed since the last reset.
    pub fn tokens(&self) -> usize {
        self.tokens
    }

    /// Adds a token; returns the hash of the shingle it completes, if any.
    #[inline]
    pub fn push(&mut self, token: u64) -> Option<u64> {
        let k = self.k;
        let bytes = token.to_le_bytes();
        self.ring[8 * self.pos..8 * self.pos + 8].copy_from_slice(&bytes);
        self.ring[8 * (self.pos + k)..8 * (self.pos + k) + 8].copy_from_slice(&bytes);
        self.pos = if self.pos + 1 == k { 0 } else { self.pos + 1 };
        self.tokens += 1;
        // The window of the last k tokens starts at the oldest, now at `pos`.
        (self.tokens >= k)
            .then(|| xxh3_64_with_seed(&self.ring[8 * self.pos..8 * (self.pos + k)], self.seed))
    }

    /// At the end of a text: the one shingle of a text shorter than k tokens
    /// (but not empty), else nothing.
    pub fn finish(&self) -> Option<u64> {
        // Fewer than k tokens were pushed: they sit at ring positions 0..n.
        (self.tokens > 0 && self.tokens < self.k)
            .then(|| xxh3_64_with_seed(&self.ring[..8 * self.tokens], self.seed))
    }
}

/// The sorted, deduplicated shingle hashes of `text` (what exact verification
/// compares), using `tokens` and `shingles` as scratch space.
pub fn text_shingle_set(text: &str, k: usize, seed: u64, tokens: &mut Vec<u64>) -> Vec<u64> {
    tokens.clear();
    text_token_hashes(text, tokens);
    let mut set = shingle_hashes(tokens, k, seed);
    set.sort_unstable();
    set.dedup();
    set
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
    fn the_streaming_shingler_matches_shingle_hashes() {
        for words in ["", "a", "a b c", "a b c d e", "a b c d e f g h i"] {
            let h: Vec<u64> = if words.is_empty() {
                vec![]
            } else {
                hashes(words)
            };
            for k in [1, 3, 5] {
                let mut sh = Shingler::new(k, 9);
                let mut out: Vec<u64> = h.iter().filter_map(|&t| sh.push(t)).collect();
                out.extend(sh.finish());
                assert_eq!(out, shingle_hashes(&h, k, 9), "{words:?} k={k}");
            }
        }
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
