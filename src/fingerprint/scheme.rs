//! The hash scheme: everything band keys depend on besides the text, named
//! so that an index can record it and a query can check it.

use serde::{Deserialize, Serialize};

use crate::sketch::{Scheme, SketchConfig};

/// Versions of the hashing code. Bump one when its output changes for some
/// input (the golden test in [`fingerprint`](super) pins the values).
const TOKENIZER: &str = "uax29-words/1";
const NORMALIZER: &str = "nfkc-casefold-quotes/1";
const TOKEN_HASH: &str = "fmix64-xxh3/1";
const SHINGLE_HASH: &str = "karp-rabin-64/1";
const BAND_HASH: &str = "xxh3-u32le/1";

/// Everything the band keys of a text depend on: the tokenizer and the
/// Unicode data it uses, the normaliser, the token, shingle, signature and
/// band hashing, the shingle size, the signature size and the seed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashScheme {
    /// Word segmentation rule and the Unicode version of its tables.
    pub tokenizer: String,
    /// Normalisation and the Unicode versions of its tables.
    pub normalizer: String,
    /// Token hash family ([`hash`](crate::sketch::hash)).
    pub token_hash: String,
    /// Shingle hashing ([`shingles`](crate::sketch::shingles)).
    pub shingle_hash: String,
    /// Signature scheme ([`minhash`](crate::sketch::minhash)).
    pub signature: String,
    /// Band hashing ([`band_hashes`](crate::lsh::band_hashes)).
    pub band_hash: String,
    /// Words per shingle.
    pub shingle_size: usize,
    /// Signature slots.
    pub num_perm: usize,
    /// Seed of shingle hashes and signatures.
    pub seed: u64,
}

impl HashScheme {
    /// The scheme this library uses for `sketch`.
    pub fn of(sketch: &SketchConfig) -> HashScheme {
        let (a, b, c) = unicode_segmentation::UNICODE_VERSION;
        let (d, e, f) = unicode_normalization::UNICODE_VERSION;
        let (g, h, i) = caseless::UNICODE_VERSION;
        HashScheme {
            tokenizer: format!("{TOKENIZER} unicode-{a}.{b}.{c}"),
            normalizer: format!("{NORMALIZER} unicode-{d}.{e}.{f} casefold-{g}.{h}.{i}"),
            token_hash: TOKEN_HASH.into(),
            shingle_hash: SHINGLE_HASH.into(),
            signature: match sketch.scheme {
                Scheme::OnePermutation => "one-permutation-densified/1",
                Scheme::Classic => "classic-multiply-shift/1",
            }
            .into(),
            band_hash: BAND_HASH.into(),
            shingle_size: sketch.shingle_size,
            num_perm: sketch.num_perm,
            seed: sketch.seed,
        }
    }

    /// The sketch parameters this scheme was made with, if this library
    /// knows its signature scheme.
    pub fn sketch(&self) -> Option<SketchConfig> {
        let scheme = [Scheme::OnePermutation, Scheme::Classic]
            .into_iter()
            .find(|s| {
                HashScheme::of(&SketchConfig {
                    scheme: *s,
                    ..SketchConfig::default()
                })
                .signature
                    == self.signature
            })?;
        Some(SketchConfig {
            shingle_size: self.shingle_size,
            num_perm: self.num_perm,
            scheme,
            seed: self.seed,
        })
    }

    /// One line naming the scheme (for messages and the golden test).
    pub fn id(&self) -> String {
        format!(
            "{}; {}; {}; {}; {}; {}; k={} m={} seed={:#x}",
            self.tokenizer,
            self.normalizer,
            self.token_hash,
            self.shingle_hash,
            self.signature,
            self.band_hash,
            self.shingle_size,
            self.num_perm,
            self.seed
        )
    }

    /// The first part in which `other` differs from this scheme, as
    /// `"name: ours vs theirs"`.
    pub fn difference(&self, other: &HashScheme) -> Option<String> {
        let parts = |s: &HashScheme| {
            [
                ("tokenizer", s.tokenizer.clone()),
                ("normalizer", s.normalizer.clone()),
                ("token hash", s.token_hash.clone()),
                ("shingle hash", s.shingle_hash.clone()),
                ("signature", s.signature.clone()),
                ("band hash", s.band_hash.clone()),
                ("shingle size", s.shingle_size.to_string()),
                ("permutations", s.num_perm.to_string()),
                ("seed", s.seed.to_string()),
            ]
        };
        parts(self)
            .into_iter()
            .zip(parts(other))
            .find(|(a, b)| a.1 != b.1)
            .map(|((name, a), (_, b))| format!("{name}: {a} vs {b}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_gives_back_its_sketch_and_names_differences() {
        let sketch = SketchConfig {
            shingle_size: 3,
            seed: 7,
            ..SketchConfig::default()
        };
        let scheme = HashScheme::of(&sketch);
        assert_eq!(scheme.sketch(), Some(sketch));
        let other = HashScheme {
            token_hash: "something-else/2".into(),
            ..scheme.clone()
        };
        assert_eq!(
            scheme.difference(&other).as_deref(),
            Some("token hash: fmix64-xxh3/1 vs something-else/2")
        );
        assert_eq!(scheme.difference(&scheme), None);
        let unknown = HashScheme {
            signature: "bbit/9".into(),
            ..scheme
        };
        assert_eq!(unknown.sketch(), None);
    }
}
