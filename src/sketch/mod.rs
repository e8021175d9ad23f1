//! Fingerprints: shingle sets and MinHash signatures of token sequences
//! (documents or paragraphs), and exact similarity of shingle sets.

pub mod minhash;
pub mod rolling;
pub mod shingles;
pub mod similarity;

use crate::error::{Error, Result};
pub use minhash::{MinHasher, Scheme, Signature};
pub use shingles::ShingleSet;

/// Parameters of fingerprints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SketchConfig {
    /// Tokens per shingle (default 5).
    pub shingle_size: usize,
    /// Slots of a MinHash signature, a.k.a. number of permutations (default 128).
    pub num_perm: usize,
    /// Signature scheme (default one-permutation hashing).
    pub scheme: Scheme,
    /// Seed of shingle hashes and signatures; fingerprints are comparable only
    /// when made with the same seed.
    pub seed: u64,
}

impl Default for SketchConfig {
    fn default() -> Self {
        SketchConfig {
            shingle_size: 5,
            num_perm: 128,
            scheme: Scheme::OnePermutation,
            seed: 0x5EED,
        }
    }
}

/// The fingerprint of a token sequence: its exact shingle set and its MinHash
/// signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// Exact shingle set (for verification and reported scores).
    pub shingles: ShingleSet,
    /// MinHash signature (for candidate search and estimates only).
    pub signature: Signature,
}

/// Makes fingerprints with one configuration.
#[derive(Clone, Debug)]
pub struct Sketcher {
    config: SketchConfig,
    hasher: MinHasher,
}

impl Sketcher {
    /// A sketcher for `config`.
    pub fn new(config: SketchConfig) -> Result<Sketcher> {
        if config.shingle_size == 0 {
            return Err(Error::Config("shingle size must be at least 1".into()));
        }
        Ok(Sketcher {
            hasher: MinHasher::new(config.num_perm, config.scheme, config.seed)?,
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &SketchConfig {
        &self.config
    }

    /// The MinHash hasher.
    pub fn hasher(&self) -> &MinHasher {
        &self.hasher
    }

    /// Shingle hashes of a token-hash sequence, in order.
    pub fn shingles(&self, token_hashes: &[u64]) -> Vec<u64> {
        shingles::shingle_hashes(token_hashes, self.config.shingle_size, self.config.seed)
    }

    /// The fingerprint of a token-hash sequence.
    pub fn fingerprint(&self, token_hashes: &[u64]) -> Fingerprint {
        let set = ShingleSet::new(self.shingles(token_hashes));
        let signature = self.hasher.sign(set.as_slice());
        Fingerprint {
            shingles: set,
            signature,
        }
    }
}
