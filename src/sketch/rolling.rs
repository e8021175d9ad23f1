//! The corpus-scale hashing of words and shingles: the same tokens and the
//! same shingles as [`shingles`](super::shingles), hashed for throughput.
//!
//! - A word of at most 8 bytes (after normalisation) is hashed by one
//!   bijective mix of its bytes read as an integer, so two such words never
//!   collide; 9 to 16 bytes take two mixes; longer words take xxh3.
//! - A shingle's hash is a polynomial in its k token hashes,
//!   `Σ tᵢ·M^(k−1−i) mod 2⁶⁴`, updated in O(1) per token as the window rolls
//!   (Karp–Rabin). Token hashes are random 64-bit values, so two different
//!   windows collide with probability about 2⁻⁶⁴, as with xxh3.
//!
//! Hash values differ from those of [`shingles`](super::shingles) (which
//! pairwise comparison uses), but equality of shingles, and so every Jaccard
//! similarity, is the same. Dedup, the index and `check` use only this module.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::minhash::fmix64;
use super::shingles::TOKEN_SEED;

/// Odd multiplier of the polynomial (a 64-bit golden-ratio constant).
const M: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hash of one normalised token (its bytes).
#[inline]
pub fn token_hash(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if n <= 16 {
        let mut buf = [0u8; 16];
        buf[..n].copy_from_slice(bytes);
        hash16(&buf, n)
    } else {
        xxh3_64_with_seed(bytes, TOKEN_SEED)
    }
}

/// Hash of at most 16 bytes held zero-padded in `buf`. Words contain no NUL
/// byte, so the padded integer determines the word: at most 8 bytes go
/// through one bijective mix (no collisions at all).
#[inline]
fn hash16(buf: &[u8; 16], n: usize) -> u64 {
    let lo = u64::from_le_bytes(buf[..8].try_into().expect("8 bytes"));
    let hi = u64::from_le_bytes(buf[8..].try_into().expect("8 bytes"));
    hash_words(lo, hi, n)
}

#[inline(always)]
fn hash_words(lo: u64, hi: u64, n: usize) -> u64 {
    let first = fmix64(lo ^ TOKEN_SEED);
    if n <= 8 {
        first
    } else {
        fmix64(first ^ hi.wrapping_mul(M))
    }
}

/// A mask of the low `n` bytes (n ≤ 8).
#[inline(always)]
fn low_bytes(n: usize) -> u64 {
    if n >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    }
}

/// ASCII lowercase of 8 bytes at once (all bytes < 0x80): adds 0x20 to the
/// bytes in `A..=Z`.
#[inline(always)]
fn lower8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let at_least_a = x + ONES * (0x80 - b'A' as u64);
    let above_z = x + ONES * (0x80 - b'Z' as u64 - 1);
    let upper = at_least_a & !above_z & HIGH;
    x | (upper >> 2)
}

/// Calls `f` with the hash of each token of `text`, in order: the same
/// tokens and normalisation as [`words`](crate::text::tokens::words) and
/// [`normalize`](crate::text::normalize); ASCII text is lowercased on the fly.
#[inline]
pub fn for_each_token_hash(text: &str, mut f: impl FnMut(u64)) {
    if text.is_ascii() {
        let all = text.as_bytes();
        crate::text::tokens::for_each_ascii_word(text, |start, end| {
            let word = &text[start..end];
            let bytes = word.as_bytes();
            let n = bytes.len();
            if n <= 16 && start + 16 <= all.len() {
                // Two unaligned loads from the text, masked to the word and
                // lowercased in-register: no byte copies (whose narrow stores
                // would stall the wide loads that follow).
                let load =
                    |at: usize| u64::from_le_bytes(all[at..at + 8].try_into().expect("8 bytes"));
                let (lo, hi) = if n <= 8 {
                    (load(start) & low_bytes(n), 0)
                } else {
                    (load(start), load(start + 8) & low_bytes(n - 8))
                };
                f(hash_words(lower8(lo), lower8(hi), n));
            } else if n <= 16 {
                let mut buf = [0u8; 16];
                buf[..n].copy_from_slice(bytes);
                buf.make_ascii_lowercase();
                f(hash16(&buf, n));
            } else {
                f(token_hash(word.to_ascii_lowercase().as_bytes()));
            }
        });
        return;
    }
    let mut norm = String::new();
    for (_, word) in crate::text::tokens::words(text) {
        norm.clear();
        crate::text::normalize::normalize_into(word, &mut norm);
        f(token_hash(norm.as_bytes()));
    }
}

/// Rolls k-token windows over a stream of token hashes and yields each
/// window's shingle hash; a text of 1 to k−1 tokens yields one shingle of
/// all its tokens at [`finish`](Self::finish).
#[derive(Clone, Debug)]
pub struct RollingShingler {
    k: usize,
    seed: u64,
    /// M^(k−1): the weight of the token leaving the window.
    top: u64,
    ring: Vec<u64>,
    pos: usize,
    hash: u64,
    tokens: usize,
}

impl RollingShingler {
    /// A shingler of `k`-token shingles; `seed` varies the hash values.
    pub fn new(k: usize, seed: u64) -> RollingShingler {
        assert!(k > 0, "shingle size must be positive");
        let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(M));
        RollingShingler {
            k,
            seed,
            top,
            ring: vec![0; k],
            pos: 0,
            hash: 0,
            tokens: 0,
        }
    }

    /// Starts a new text.
    pub fn reset(&mut self) {
        self.pos = 0;
        self.hash = 0;
        self.tokens = 0;
    }

    /// Tokens pushed since the last reset.
    pub fn tokens(&self) -> usize {
        self.tokens
    }

    /// Adds a token; returns the hash of the shingle it completes, if any.
    #[inline]
    pub fn push(&mut self, token: u64) -> Option<u64> {
        let out = if self.tokens >= self.k {
            self.ring[self.pos]
        } else {
            0
        };
        self.hash = self
            .hash
            .wrapping_sub(out.wrapping_mul(self.top))
            .wrapping_mul(M)
            .wrapping_add(token);
        self.ring[self.pos] = token;
        self.pos = if self.pos + 1 == self.k {
            0
        } else {
            self.pos + 1
        };
        self.tokens += 1;
        (self.tokens >= self.k).then_some(self.hash ^ self.seed)
    }

    /// At the end of a text: the one shingle of a text shorter than k tokens
    /// (but not empty), tagged with its length; else nothing.
    pub fn finish(&self) -> Option<u64> {
        (self.tokens > 0 && self.tokens < self.k)
            .then(|| fmix64(self.hash ^ self.seed ^ (self.tokens as u64).wrapping_mul(M)))
    }
}

/// The sorted, deduplicated shingle hashes of `text` (what exact verification
/// compares).
pub fn shingle_set(text: &str, k: usize, seed: u64) -> Vec<u64> {
    let mut shingler = RollingShingler::new(k, seed);
    let mut set = Vec::with_capacity(text.len() / 6);
    for_each_token_hash(text, |t| {
        if let Some(s) = shingler.push(t) {
            set.push(s);
        }
    });
    set.extend(shingler.finish());
    set.sort_unstable();
    set.dedup();
    set
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
    fn ascii_path_agrees_with_the_unicode_path() {
        let text =
            "Don't STOP the U.S. 3.67 talks, rock'n'roll_x; a:b. Word averyveryverylongwordindeed";
        let unicode = format!("{text} é");
        let mut a = hashes(text);
        let b = hashes(&unicode);
        a.push(token_hash("é".as_bytes()));
        assert_eq!(a, b);
        assert_eq!(
            hashes("Word word WORD")
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len(),
            1
        );
    }

    #[test]
    fn swar_lowercase_matches_bytewise() {
        let sample = b"AZaz09_.@[`{ Q";
        for w in sample.chunks(8) {
            let mut b = [0u8; 8];
            b[..w.len()].copy_from_slice(w);
            let mut expect = b;
            expect.make_ascii_lowercase();
            assert_eq!(lower8(u64::from_le_bytes(b)), u64::from_le_bytes(expect));
        }
        // Words near the end of a text take the copying path: same hashes.
        let text = "Alpha BETA gamma_delta Epsilonzetaetatheta";
        let padded = format!("{text}                ");
        assert_eq!(hashes(text), hashes(&padded));
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
}
