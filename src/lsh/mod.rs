//! Locality-sensitive hashing over MinHash signatures: the choice of bands
//! and rows from a threshold ([`params`]), band keys ([`bands`]) and
//! candidate pairs ([`candidates`]). Candidates are only candidates: callers
//! verify each with exact Jaccard before reporting it.

pub mod bands;
pub mod candidates;
pub mod params;

pub use bands::{BandKey, WHOLE_DOCUMENT, band_hashes};
pub use candidates::{BandTable, Buckets, PackedPair, unpack};
pub use params::{Banding, Weights};
