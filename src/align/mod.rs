//! Alignment: which passages of a derived document come from which passages of
//! a source, by seed → extend → filter.
//!
//! 1. **Seeds** ([`seeds`]) are pairs of units (sentences)
//!    whose tf-idf cosine and Dice coefficient both pass a bar, plus weaker
//!    best-match pairs that form a dense chain in the same order in both
//!    texts ([`chain`]); exact runs of shared tokens are found alongside.
//! 2. **Extension** ([`extend`]) clusters seeds that lie close together on
//!    both sides into cases and keeps the cases whose passages are similar
//!    as wholes; once a pair has confident rewritten passages, best-match
//!    pairs in the same order join as seeds and the cases are made again.
//! 3. **Filtering** ([`filter`]) resolves cases that overlap in the derived
//!    document and drops fragments too short or too weak to mean anything.
//! 4. **Passages**: a case made of copied text is reported as its exact
//!    chains; any other keeps its sentence boundaries, snapped to copied text
//!    at its edges; each gets a score and a kind ([`kind`]).
//! 5. **Summaries**: cases found with a wide gap whose source is much longer
//!    than their derived text replace the passages they contain.

mod bounded;
pub mod chain;
pub mod config;
mod evidence;
pub mod extend;
pub mod filter;
pub mod kind;
mod pair;
mod passage;
pub mod seeds;
mod side;
pub mod vectors;

pub use config::{
    AlignConfig, CopyConfig, ExtensionConfig, FilterConfig, KindConfig, LimitConfig, OrderConfig,
    SeedConfig, SummaryConfig,
};
pub use side::Side;

use crate::comparison::{Alignment, Capped};
use crate::profile::Profile;
use evidence::seeds_with_order_evidence;
use pair::Pair;

/// The passages of a derived document that come from a source.
#[derive(Clone, Debug, PartialEq)]
pub struct Aligned {
    /// The passages, in derived-document order.
    pub alignments: Vec<Alignment>,
    /// Set when repetitive text made the candidate search leave pairs out
    /// (see [`LimitConfig`]): passages may then be missing.
    pub capped: Option<Capped>,
}

/// Aligns the passages of `derived` that come from `source` (see
/// [`Aligned::new`] for whether a work bound was hit).
pub fn align(source: &Profile, derived: &Profile, config: &AlignConfig) -> Vec<Alignment> {
    Aligned::new(source, derived, config).alignments
}

impl Aligned {
    /// Aligns the passages of `derived` that come from `source`, and says
    /// whether repetitive text made the search leave candidates out.
    pub fn new(source: &Profile, derived: &Profile, config: &AlignConfig) -> Aligned {
        aligned(source, derived, config)
    }
}

fn aligned(source: &Profile, derived: &Profile, config: &AlignConfig) -> Aligned {
    let (src_vecs, der_vecs) =
        vectors::pair_vectors(&source.units, &derived.units, config.seeds.idf);
    // Two headlines on one event look alike whether or not one article
    // derives from the other: titles seed nothing (copied ones are still
    // found as exact runs).
    let not_title =
        |s: &seeds::Seed| !source.units[s.source].title && !derived.units[s.derived].title;
    let sets = seeds_with_order_evidence(&src_vecs, &der_vecs, config);
    let capped = sets.capped;
    let sets_on_chain = sets.on_chain;
    let seeds: Vec<seeds::Seed> = sets.seeds.into_iter().filter(not_title).collect();
    let summary_seeds: Vec<seeds::Seed> = sets.summary.into_iter().filter(not_title).collect();
    let pair = Pair {
        source,
        derived,
        src_vecs: &src_vecs,
        der_vecs: &der_vecs,
    };
    let runs = seeds::chain_runs(
        seeds::common_runs(
            &source.token_hashes,
            &derived.token_hashes,
            // A derived text shorter than a run can still be a copy as a whole.
            config
                .copies
                .exact_min_tokens
                .min(derived.token_hashes.len()),
        ),
        config.copies.exact_max_gap,
    );
    let mut normal = pair.passage_cases(seeds.clone(), config.extension.max_gap, config);
    if let Some(more) = pair.anchored(&normal, &seeds, &summary_seeds, &runs, config) {
        normal = pair.passage_cases(more, config.extension.max_gap, config);
    }
    // Two or three similar sentences on their own are what independent
    // reports of one event share; a rewritten passage also has order
    // evidence, a sentence taken nearly whole, or copied text.
    normal.retain(|case| pair.is_supported(case, &sets_on_chain, &runs, config));
    let mut alignments: Vec<Alignment> = normal
        .iter()
        .flat_map(|case| pair.passages(case, &runs, config))
        .collect();
    pair.add_summaries(&mut alignments, summary_seeds, &runs, config);
    alignments.extend(pair.uncovered_runs(&runs, &alignments, config));
    alignments.sort_by_key(|a| (a.derived.start(), a.source.start()));
    alignments.dedup();
    Aligned { alignments, capped }
}

#[cfg(test)]
mod tests;
