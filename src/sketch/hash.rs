//! The one hash family of tokens: every token hash in neardup — the corpus
//! fingerprints of dedup and the index, a profile's shingles, exact-run
//! lookup in the aligner — comes from [`token_hash`] (or from
//! [`for_each_token_hash`], which computes the same values straight from a
//! text). Band keys stored in an index depend on these values: a change here
//! must change the version in [`HashScheme`](crate::fingerprint::HashScheme),
//! as the golden test of the fingerprint module reminds.
//!
//! A word of at most 8 bytes (after normalisation) is hashed by one
//! bijective mix of its bytes read as an integer, so two such words never
//! collide; 9 to 16 bytes take two mixes; longer words take xxh3.

use std::ops::Range;

use xxhash_rust::xxh3::{Xxh3, xxh3_64_with_seed};

use super::minhash::fmix64;
use crate::text::normalize::normalize_into;
use crate::text::tokens::{WordSink, visit_words};

/// Seed of token hashes.
pub const TOKEN_SEED: u64 = 0x6e65_6172_6475_7030; // "neardup0"

/// Odd multiplier of the mixes (a 64-bit golden-ratio constant).
pub(crate) const M: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hash of one normalised token (its bytes: [`Token::norm`](crate::text::Token::norm)).
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
#[inline(always)]
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

/// Calls `f` with the hash of each token of `text`, in order: the tokens of
/// [`for_each_word`] normalised as [`normalize_into`] does, so the values
/// equal [`token_hash`] of each [`Token::norm`](crate::text::Token::norm).
/// ASCII words are lowercased on the fly, in registers; other words are
/// normalised into one reused buffer. Nothing is allocated per token.
#[inline]
pub fn for_each_token_hash(text: &str, f: impl FnMut(u64)) {
    visit_words(
        text,
        &mut TokenHashes {
            text,
            norm: String::new(),
            f,
        },
    );
}

/// The word sink of [`for_each_token_hash`].
struct TokenHashes<'t, F> {
    text: &'t str,
    /// The normalised form of the last non-ASCII word (reused).
    norm: String,
    f: F,
}

impl<F: FnMut(u64)> WordSink for TokenHashes<'_, F> {
    #[inline(always)]
    fn ascii(&mut self, word: Range<usize>) {
        (self.f)(ascii_word_hash(self.text.as_bytes(), word));
    }

    #[inline]
    fn unicode(&mut self, word: Range<usize>) {
        let all = self.text.as_bytes();
        if all[word.clone()].is_ascii() {
            return self.ascii(word);
        }
        self.norm.clear();
        normalize_into(&self.text[word], &mut self.norm);
        (self.f)(token_hash(self.norm.as_bytes()));
    }
}

/// [`token_hash`] of the lowercase form of the ASCII word `all[word]`.
#[inline(always)]
fn ascii_word_hash(all: &[u8], word: Range<usize>) -> u64 {
    let (start, n) = (word.start, word.len());
    if n <= 16 && start + 16 <= all.len() {
        // Unaligned loads from the text, masked to the word and lowercased
        // in registers: no byte copies (whose narrow stores would stall the
        // wide loads that follow). A branch on the length (most words take
        // one load and one mix) measured faster than computing both mixes
        // and selecting one.
        let load = |at: usize| u64::from_le_bytes(all[at..at + 8].try_into().expect("8 bytes"));
        let (lo, hi) = if n <= 8 {
            (load(start) & low_bytes(n), 0)
        } else {
            (load(start), load(start + 8) & low_bytes(n - 8))
        };
        hash_words(lower8(lo), lower8(hi), n)
    } else if n <= 16 {
        let mut buf = [0u8; 16];
        buf[..n].copy_from_slice(&all[word]);
        buf.make_ascii_lowercase();
        hash16(&buf, n)
    } else {
        long_ascii_hash(&all[word])
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

/// [`token_hash`] of the lowercase form of an ASCII word of more than 16
/// bytes, lowercased through a stack buffer into xxh3's streaming form
/// (which gives the one-shot hash).
#[cold]
fn long_ascii_hash(word: &[u8]) -> u64 {
    let mut hasher = Xxh3::with_seed(TOKEN_SEED);
    let mut buf = [0u8; 256];
    for chunk in word.chunks(buf.len()) {
        let lower = &mut buf[..chunk.len()];
        lower.copy_from_slice(chunk);
        lower.make_ascii_lowercase();
        hasher.update(lower);
    }
    hasher.digest()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::normalize;
    use crate::text::tokens::words;

    fn hashes(text: &str) -> Vec<u64> {
        let mut v = Vec::new();
        for_each_token_hash(text, |h| v.push(h));
        v
    }

    #[test]
    fn straight_from_text_equals_hashing_the_tokens() {
        for text in [
            "Don't STOP the U.S. 3.67 talks, rock'n'roll_x; a:b. Word averyveryverylongwordindeed",
            "Iran’s talks, in 2025 — ＡＢＣ café.",
            "",
            &format!("{} end {}", "LongWord".repeat(40), "x".repeat(16)),
            &format!("café {} Zürich 中文 ABCDEFGHIJKLMNOPQ", "WÖRTER".repeat(60)),
        ] {
            let tokens: Vec<u64> = words(text)
                .map(|(_, w)| token_hash(normalize(w).as_bytes()))
                .collect();
            assert_eq!(hashes(text), tokens, "{text}");
        }
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
    fn short_words_never_collide() {
        let words = ["a", "b", "ab", "ba", "abcdefgh", "abcdefgi"];
        let set: std::collections::HashSet<u64> =
            words.iter().map(|w| token_hash(w.as_bytes())).collect();
        assert_eq!(set.len(), words.len());
    }
}
