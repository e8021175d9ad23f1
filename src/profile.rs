//! A document prepared for comparison: segmented, fingerprinted and cut into
//! alignment units, once, however many pairs it takes part in.

use crate::document::Document;
use crate::sketch::hash::token_hash;
use crate::sketch::{Fingerprint, Sketcher};
use crate::terms::{self, Unit, UnitConfig};
use crate::text::Segmented;

/// Everything comparison needs to know about one document.
#[derive(Clone, Debug)]
pub struct Profile {
    /// The document itself.
    pub document: Document,
    /// Its tokens, sentences and paragraphs.
    pub segmented: Segmented,
    /// Hash of each token's normalised form, parallel to the tokens.
    pub token_hashes: Vec<u64>,
    /// Shingle set and MinHash signature of the whole document.
    pub fingerprint: Fingerprint,
    /// Alignment units (sentences as term bags).
    pub units: Vec<Unit>,
    /// Its distinct words, word pairs, character 5-grams and terms: what
    /// the document-level containments are measured on.
    pub vocabulary: Vocabulary,
}

/// Sorted, duplicate-free hash sets of a document's vocabulary, for
/// containments measured by one merge per pair. Hashes are cut to 32 bits:
/// a collision among a document's few thousand entries is rare enough not
/// to move a share, and the sets take half the memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vocabulary {
    /// Word types (normalised tokens).
    pub words: Vec<u32>,
    /// Adjacent word pairs.
    pub bigrams: Vec<u32>,
    /// Runs of three words.
    pub trigrams: Vec<u32>,
    /// Character 5-grams of the normalised words joined by one space (a
    /// fixed sample of them: see [`CHAR_GRAM_SAMPLE`]).
    pub char_5grams: Vec<u32>,
    /// Content terms (stemmed words of three letters or more, numbers): the
    /// alignment units' terms.
    pub terms: Vec<u32>,
}

/// Characters per character n-gram.
const CHAR_GRAM: usize = 5;

impl Vocabulary {
    /// The vocabulary of a segmented text with its token hashes and units.
    pub fn new(segmented: &Segmented, token_hashes: &[u64], units: &[Unit]) -> Vocabulary {
        let words = sorted_set(token_hashes.iter().copied());
        let bigrams = sorted_set(token_hashes.windows(2).map(gram_hash));
        let trigrams = sorted_set(token_hashes.windows(3).map(gram_hash));
        let terms = sorted_set(units.iter().flat_map(|u| u.terms.iter().map(|&(t, _)| t)));
        Vocabulary {
            words,
            bigrams,
            trigrams,
            char_5grams: sorted_set(char_grams(segmented)),
            terms,
        }
    }
}

/// The hash of a run of word hashes (a fold of the splitmix finaliser: no
/// allocation, order matters).
pub fn gram_hash(words: &[u64]) -> u64 {
    words
        .iter()
        .fold(words.len() as u64, |h, &w| mix(h.rotate_left(23) ^ w))
}

/// Hashes of the character 5-grams of the normalised words joined by one
/// space, one in [`CHAR_GRAM_SAMPLE`] kept (those whose hash is a multiple of
/// it: the same grams in every document, so containment is estimated
/// without bias; all of them would cost as much memory as the text's
/// profile does). A rolling polynomial hash over the characters, mixed.
fn char_grams(segmented: &Segmented) -> Vec<u64> {
    const BASE: u64 = 0x100_0000_01B3;
    let out_weight = (0..CHAR_GRAM).fold(1u64, |w, _| w.wrapping_mul(BASE));
    let mut ring = [0u64; CHAR_GRAM];
    let (mut rolling, mut seen) = (0u64, 0usize);
    let mut out = Vec::new();
    let chars = segmented
        .tokens
        .iter()
        .enumerate()
        .flat_map(|(i, t)| (i > 0).then_some(' ').into_iter().chain(t.norm.chars()));
    for c in chars {
        let slot = seen % CHAR_GRAM;
        let code = u64::from(c) + 1;
        rolling = rolling
            .wrapping_mul(BASE)
            .wrapping_add(code)
            .wrapping_sub(ring[slot].wrapping_mul(out_weight));
        ring[slot] = code;
        seen += 1;
        if seen >= CHAR_GRAM {
            let h = mix(rolling);
            if h.is_multiple_of(CHAR_GRAM_SAMPLE) {
                out.push(h);
            }
        }
    }
    out
}

/// One character 5-gram in this many is kept.
pub const CHAR_GRAM_SAMPLE: u64 = 8;

/// A bijective 64-bit finaliser (splitmix64's), so that the kept grams are
/// an unbiased sample.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The distinct 32-bit cuts of `hashes` (their high halves), sorted.
fn sorted_set(hashes: impl IntoIterator<Item = u64>) -> Vec<u32> {
    let mut v: Vec<u32> = hashes.into_iter().map(|h| (h >> 32) as u32).collect();
    v.sort_unstable();
    v.dedup();
    v
}

impl Profile {
    /// Prepares `document`.
    pub fn new(document: Document, sketcher: &Sketcher, unit_config: &UnitConfig) -> Profile {
        let segmented = Segmented::new(&document.text);
        let token_hashes: Vec<u64> = segmented
            .tokens
            .iter()
            .map(|t| token_hash(t.norm.as_bytes()))
            .collect();
        let fingerprint = sketcher.fingerprint(&token_hashes);
        let units = terms::units(&segmented, unit_config);
        let vocabulary = Vocabulary::new(&segmented, &token_hashes, &units);
        Profile {
            document,
            segmented,
            token_hashes,
            fingerprint,
            units,
            vocabulary,
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.document.text
    }
}
