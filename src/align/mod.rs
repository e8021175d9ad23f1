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
//!    pairs in the same order join as seeds and the cases are made again;
//!    a case then grows by the sentence pairs next to it that are each
//!    other's best match.
//! 3. **Filtering** ([`filter`]) resolves cases that overlap in the derived
//!    document and drops fragments too short or too weak to mean anything;
//!    once passages are made, a source region claimed by two of them goes
//!    to the better one.
//! 4. **Passages**: a case made of copied text is reported as its exact
//!    chains; any other keeps its sentence boundaries (its source narrowed
//!    to the best matches of its derived sentences, short unpunctuated edge
//!    lines left out), snapped to copied text at its edges; each gets a
//!    score and a kind ([`kind`]).
//! 5. **Summaries**: cases found with a wide gap whose source is much longer
//!    than their derived text, and spans a good part of the source
//!    document, replace the passages they contain; so do a pair's
//!    passages when they sit close together in the derived text but are
//!    drawn from across a much longer stretch of the source. A pair holding
//!    a summary is then decided as a whole: one passage, the whole source
//!    against all the derived text the pair's passages cover.

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
    let runs = exact_chains(source, derived, config);
    let mut normal = pair.passage_cases(seeds.clone(), config.extension.max_gap, config);
    if let Some(more) = pair.anchored(&normal, &seeds, &summary_seeds, &runs, config) {
        normal = pair.passage_cases(more, config.extension.max_gap, config);
    }
    // Two or three similar sentences on their own are what independent
    // reports of one event share; a rewritten passage also has order
    // evidence, a sentence taken nearly whole, or copied text.
    normal.retain(|case| pair.is_supported(case, &sets_on_chain, &runs, config));
    let normal = pair.grown(normal, config);
    let mut alignments: Vec<Alignment> = normal
        .iter()
        .flat_map(|case| pair.passages(case, &runs, config))
        .collect();
    pair.add_summaries(&mut alignments, summary_seeds, &runs, config);
    alignments.extend(pair.uncovered_runs(&runs, &alignments, config));
    let mut alignments =
        filter::one_claim_per_source(alignments, config.filters.source_claim_share);
    pair.summary_by_spread(&mut alignments, config);
    pair.summarise_pair(&mut alignments, config);
    alignments.sort_by_key(|a| (a.derived.start(), a.source.start()));
    alignments.dedup();
    Aligned { alignments, capped }
}

/// Maximal runs of identical tokens chained across small edits, cut where
/// they cross a paragraph break by coincidence.
fn exact_chains(source: &Profile, derived: &Profile, config: &AlignConfig) -> Vec<seeds::Run> {
    // A derived text shorter than a run can still be a copy as a whole.
    let min_tokens = config
        .copies
        .exact_min_tokens
        .min(derived.token_hashes.len());
    let runs = seeds::common_runs(&source.token_hashes, &derived.token_hashes, min_tokens);
    seeds::trim_at_paragraphs(
        seeds::chain_runs(runs, config.copies.exact_max_gap),
        &boundaries(source),
        &boundaries(derived),
        min_tokens,
    )
}

/// Where the paragraphs and sentences of a document start, in tokens.
fn boundaries(profile: &Profile) -> seeds::Boundaries {
    let seg = &profile.segmented;
    let first_token = |sentences: &[crate::text::Sentence]| {
        sentences
            .iter()
            .find(|s| !s.tokens.is_empty())
            .map(|s| s.tokens.start)
    };
    seeds::Boundaries {
        paragraphs: seg
            .paragraphs
            .iter()
            .filter_map(|p| first_token(&seg.sentences[p.sentences.clone()]))
            .collect(),
        sentences: seg
            .sentences
            .iter()
            .filter(|s| !s.tokens.is_empty())
            .map(|s| s.tokens.start)
            .collect(),
        tokens: seg.tokens.len(),
    }
}

#[cfg(test)]
mod tests;
