//! Word k-gram shingles over token hashes ([`hash`](super::hash)): a
//! shingle's hash is a polynomial in its k token hashes,
//! `Σ tᵢ·M^(k−1−i) mod 2⁶⁴`, updated in O(1) per token as the window rolls
//! (Karp–Rabin). Token hashes are random 64-bit values, so two different
//! windows collide with probability about 2⁻⁶⁴.
//!
//! A text of 1 to k−1 tokens gets one shingle of all its tokens (tagged with
//! its length), so short texts are not all equal to the empty set.

use super::hash::{M, for_each_token_hash};
use super::minhash::fmix64;

/// Rolls k-token windows over a stream of token hashes and yields each
/// window's shingle hash; a text of 1 to k−1 tokens yields one shingle of
/// all its tokens at [`finish`](Self::finish).
#[derive(Clone, Debug)]
pub struct RollingShingler {
    k: usize,
    seed: u64,
    /// M^(k−1): the weight of the token leaving the window.
    top: u64,
    /// The last tokens, token i at `i & mask`; a power of two of at least k, so
    /// that the token leaving the window (i − k) is never overwritten
    /// before it is read, and reads before the k-th token find the zeros
    /// [`reset`](Self::reset) left (no branch on the window filling up).
    ring: Vec<u64>,
    mask: usize,
    hash: u64,
    tokens: usize,
}

impl RollingShingler {
    /// A shingler of `k`-token shingles; `seed` varies the hash values.
    ///
    /// # Panics
    ///
    /// If `k` is 0 (configurations are checked before shinglers are made).
    pub fn new(k: usize, seed: u64) -> RollingShingler {
        assert!(k > 0, "shingle size must be positive");
        let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(M));
        let size = k.next_power_of_two();
        RollingShingler {
            k,
            seed,
            top,
            ring: vec![0; size],
            mask: size - 1,
            hash: 0,
            tokens: 0,
        }
    }

    /// Starts a new text.
    pub fn reset(&mut self) {
        self.ring.fill(0);
        self.hash = 0;
        self.tokens = 0;
    }

    /// Tokens pushed since the last reset.
    pub fn tokens(&self) -> usize {
        self.tokens
    }

    /// Adds a token; returns the hash of the shingle it completes, if any.
    #[inline(always)]
    pub fn push(&mut self, token: u64) -> Option<u64> {
        let i = self.tokens;
        let out = self.ring[i.wrapping_sub(self.k) & self.mask];
        self.hash = self
            .hash
            .wrapping_sub(out.wrapping_mul(self.top))
            .wrapping_mul(M)
            .wrapping_add(token);
        self.ring[i & self.mask] = token;
        self.tokens = i + 1;
        (self.tokens >= self.k).then_some(self.hash ^ self.seed)
    }

    /// At the end of a text: the one shingle of a text shorter than k tokens
    /// (but not empty), tagged with its length; else nothing.
    pub fn finish(&self) -> Option<u64> {
        (self.tokens > 0 && self.tokens < self.k)
            .then(|| fmix64(self.hash ^ self.seed ^ (self.tokens as u64).wrapping_mul(M)))
    }
}

/// Calls `f` with every shingle hash of a token-hash sequence, in order and
/// with repeats (the short-text shingle last).
pub fn for_each_shingle(token_hashes: &[u64], k: usize, seed: u64, mut f: impl FnMut(u64)) {
    let mut shingler = RollingShingler::new(k, seed);
    for &t in token_hashes {
        if let Some(s) = shingler.push(t) {
            f(s);
        }
    }
    if let Some(s) = shingler.finish() {
        f(s);
    }
}

/// The sorted, deduplicated shingle hashes of `text` (what exact verification
/// compares).
pub fn shingle_set(text: &str, k: usize, seed: u64) -> ShingleSet {
    let mut shingler = RollingShingler::new(k, seed);
    let mut set = Vec::with_capacity(text.len() / 6);
    for_each_token_hash(text, |t| {
        if let Some(s) = shingler.push(t) {
            set.push(s);
        }
    });
    set.extend(shingler.finish());
    ShingleSet::new(set)
}

/// The shingle set of a token-hash sequence (equal to [`shingle_set`] of the
/// text the hashes came from).
pub fn shingle_set_of_hashes(token_hashes: &[u64], k: usize, seed: u64) -> ShingleSet {
    let mut set = Vec::with_capacity(token_hashes.len());
    for_each_shingle(token_hashes, k, seed, |s| set.push(s));
    ShingleSet::new(set)
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

    fn hashes(text: &str) -> Vec<u64> {
        let mut v = Vec::new();
        for_each_token_hash(text, |h| v.push(h));
        v
    }

    #[test]
    fn rolling_windows_equal_windows_hashed_from_scratch() {
        let t = hashes("a b c d e f g h a b c d e");
        let mut r = RollingShingler::new(5, 3);
        let rolled: Vec<u64> = t.iter().filter_map(|&x| r.push(x)).collect();
        assert_eq!(rolled.len(), t.len() - 4);
        for (i, &h) in rolled.iter().enumerate() {
            let mut fresh = RollingShingler::new(5, 3);
            let last = t[i..i + 5].iter().filter_map(|&x| fresh.push(x)).last();
            assert_eq!(Some(h), last);
        }
        // "a b c d e" occurs twice.
        assert_eq!(rolled[0], rolled[8]);
        assert_eq!(shingle_set("a b c d e f g h a b c d e", 5, 3).len(), 8);
    }

    #[test]
    fn text_and_token_hashes_give_the_same_set() {
        let text = "Iran’s talks, in 2025 — ＡＢＣ café. The talks went on, and on and on.";
        assert_eq!(
            shingle_set(text, 5, 9),
            shingle_set_of_hashes(&hashes(text), 5, 9)
        );
        assert_eq!(
            shingle_set("a b", 5, 9),
            shingle_set_of_hashes(&hashes("a b"), 5, 9)
        );
    }

    #[test]
    fn short_texts_get_one_shingle_and_empty_ones_none() {
        assert_eq!(shingle_set("a b", 5, 1).len(), 1);
        assert_ne!(shingle_set("a b", 5, 1), shingle_set("b a", 5, 1));
        assert_ne!(shingle_set("a", 5, 1), shingle_set("a a", 5, 1));
        assert!(shingle_set("  ", 5, 1).is_empty());
    }

    #[test]
    fn order_and_seed_matter() {
        assert_ne!(shingle_set("a b c", 3, 1), shingle_set("c b a", 3, 1));
        assert_ne!(shingle_set("a b c", 3, 1), shingle_set("a b c", 3, 2));
    }

    #[test]
    fn sets_are_sorted_and_deduplicated() {
        let set = ShingleSet::new(vec![3, 1, 3, 2]);
        assert_eq!(set.as_slice(), &[1, 2, 3]);
        assert!(set.contains(2));
    }
}
