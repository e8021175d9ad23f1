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
        Profile {
            document,
            segmented,
            token_hashes,
            fingerprint,
            units,
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.document.text
    }
}
