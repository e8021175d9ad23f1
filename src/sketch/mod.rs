//! Sketches of token sequences: the token hash family ([`hash`]), word
//! shingles ([`shingles`]), MinHash signatures ([`minhash`]) and exact
//! similarity of shingle sets ([`similarity`]). [`Sketcher`] makes the
//! fingerprint of one document for pairwise comparison; corpus-scale
//! fingerprints (band keys) are in [`fingerprint`](crate::fingerprint).

pub mod hash;
pub mod minhash;
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

impl SketchConfig {
    /// Checks the parameters: at least one word per shingle, 1 to 65,536
    /// signature slots.
    pub fn check(&self) -> Result<()> {
        if self.shingle_size == 0 {
            return Err(Error::Config("shingle size must be at least 1".into()));
        }
        if self.num_perm == 0 || self.num_perm > 1 << 16 {
            return Err(Error::Config(format!(
                "number of permutations must be between 1 and 65536, not {}",
                self.num_perm
            )));
        }
        Ok(())
    }
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
        config.check()?;
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

    /// The fingerprint of a token-hash sequence: the same shingles (and, for
    /// the same configuration, the same signature) as the corpus
    /// fingerprints of dedup and the index.
    pub fn fingerprint(&self, token_hashes: &[u64]) -> Fingerprint {
        let set = shingles::shingle_set_of_hashes(
            token_hashes,
            self.config.shingle_size,
            self.config.seed,
        );
        let signature = self.hasher.sign(set.as_slice());
        Fingerprint {
            shingles: set,
            signature,
        }
    }
}
