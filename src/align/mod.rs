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

pub mod chain;
mod evidence;
pub mod extend;
pub mod filter;
pub mod kind;
pub mod numbers;
mod pair;
mod passage;
pub mod seeds;
pub mod units;
pub mod vectors;

use crate::comparison::Alignment;
use crate::profile::Profile;
use evidence::seeds_with_order_evidence;
use pair::Pair;
use units::UnitConfig;

/// Parameters of alignment. The defaults are those of Sanchez-Perez et al.
/// (2014) where the method is theirs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlignConfig {
    /// How units and their terms are made.
    pub units: UnitConfig,
    /// How idf is computed.
    pub idf: vectors::Idf,
    /// Seed bar: tf-idf cosine of two units must exceed this.
    pub min_cosine: f32,
    /// Seed bar: Dice coefficient of two units' terms must exceed this.
    pub min_dice: f32,
    /// Case bar: cosine of the two passages as wholes must exceed this.
    pub min_case_similarity: f32,
    /// Chain candidates: unit pairs with a cosine above this…
    pub chain_cosine: f32,
    /// …and a Dice coefficient above this.
    pub chain_dice: f32,
    /// Candidates within this many units of a chain's pairs (on both sides)
    /// join the chain.
    pub chain_corridor: usize,
    /// Only candidates that are each other's best match are chained.
    pub chain_mutual: bool,
    /// How candidates are chained (`max_chains` 0 disables order evidence).
    pub chain: chain::ChainParams,
    /// Best-match candidates at least this similar join once a pair has
    /// confident passages and they keep the passages' order (0: off).
    pub anchored_cosine: f32,
    /// A confident passage: several derived sentences, passage cosine at
    /// least this.
    pub anchor_similarity: f32,
    /// A chain needs at least this share of the derived text's units (at
    /// least 2, at most `chain.min_points`).
    pub chain_min_share: f32,
    /// Case bar for cases supported by a chain.
    pub min_chained_case_similarity: f32,
    /// Split cases at every source paragraph without a seed (otherwise only at
    /// those other seeds use).
    pub split_source: bool,
    /// Split cases at derived paragraphs without a seed.
    pub split_derived: bool,
    /// Largest gap, in units, between seeds of one case.
    pub max_gap: usize,
    /// Smallest gap validation may retry with.
    pub min_gap: usize,
    /// Gap used to look for summaries.
    pub summary_gap: usize,
    /// A summary rests on at least this many seeds that pass the bars on
    /// their own.
    pub summary_min_strong: usize,
    /// A summary draws on at least this many source units.
    pub summary_min_sources: usize,
    /// Summary cases: the source passage must account for at least this
    /// share of the derived passage's tf-idf weight.
    pub min_summary_coverage: f32,
    /// Summary cases are kept when their source passages are this many times
    /// longer than their derived passages in total.
    pub summary_ratio: f64,
    /// A case resting on a single derived unit needs a seed this similar; so
    /// does any case without order evidence or copied text.
    pub lone_min_cosine: f32,
    /// Both passages of a case must have at least this many code points.
    pub min_passage_chars: usize,
    /// Shortest exact run of tokens used to snap boundaries.
    pub exact_min_tokens: usize,
    /// Exact runs separated by at most this many tokens on both sides chain.
    pub exact_max_gap: usize,
    /// A case holding an exact run at least this long (in tokens) is
    /// reported as its copied part plus what remains, however small the
    /// copied share.
    pub copy_min_tokens: usize,
    /// Inside a reused case, exact runs this close (in tokens, on both sides)
    /// form one edited passage.
    pub edited_max_gap: usize,
    /// A case whose derived tokens lie in exact chains at least this much is
    /// copied text, reported as its exact chains.
    pub exact_share: f64,
    /// Edit similarity at or above which a passage is verbatim.
    pub verbatim_similarity: f64,
    /// Edit similarity at or above which a passage is edited, not paraphrased.
    pub edited_similarity: f64,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            units: UnitConfig::default(),
            idf: vectors::Idf::Damped,
            min_cosine: 0.3,
            min_dice: 0.3,
            min_case_similarity: 0.34,
            chain_cosine: 0.15,
            chain_dice: 0.2,
            chain_mutual: true,
            chain_corridor: 0,
            chain: chain::ChainParams {
                bias: 0.15,
                cap: 0.35,
                gap_cost: 0.01,
                skew_cost: 0.01,
                max_gap: 12,
                min_score: 0.2,
                min_points: 4,
                min_density: 0.4,
                max_chains: 16,
            },
            chain_min_share: 0.3,
            anchored_cosine: 0.3,
            anchor_similarity: 0.4,
            min_chained_case_similarity: 0.3,
            split_source: false,
            split_derived: true,
            max_gap: 4,
            min_gap: 0,
            summary_gap: 24,
            summary_ratio: 3.0,
            min_summary_coverage: 0.5,
            summary_min_sources: 3,
            summary_min_strong: 1,
            lone_min_cosine: 0.45,
            min_passage_chars: 150,
            exact_min_tokens: 8,
            exact_max_gap: 3,
            exact_share: 0.5,
            edited_max_gap: 25,
            copy_min_tokens: 60,
            verbatim_similarity: 0.95,
            edited_similarity: 0.5,
        }
    }
}

/// Aligns the passages of `derived` that come from `source`.
pub fn align(source: &Profile, derived: &Profile, config: &AlignConfig) -> Vec<Alignment> {
    let (src_vecs, der_vecs) = vectors::pair_vectors(&source.units, &derived.units, config.idf);
    // Two headlines on one event look alike whether or not one article
    // derives from the other: titles seed nothing (copied ones are still
    // found as exact runs).
    let not_title =
        |s: &seeds::Seed| !source.units[s.source].title && !derived.units[s.derived].title;
    let sets = seeds_with_order_evidence(&src_vecs, &der_vecs, config);
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
            config.exact_min_tokens.min(derived.token_hashes.len()),
        ),
        config.exact_max_gap,
    );
    let mut normal = pair.extended(seeds.clone(), config.max_gap, false, config);
    if let Some(more) = pair.anchored(&normal, &seeds, &summary_seeds, &runs, config) {
        normal = pair.extended(more, config.max_gap, false, config);
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
    alignments.sort_by_key(|a| (a.derived.start, a.source.start));
    alignments.dedup();
    alignments
}
