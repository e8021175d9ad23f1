//! Which unit pairs become seeds: the pairs similar enough on their own, the
//! weaker ones that order evidence supports, and the wider set summaries draw
//! on.

use std::collections::{HashMap, HashSet};

use super::bounded;
use super::config::AlignConfig;
use super::vectors::Vector;
use super::{chain, seeds};
use crate::comparison::Capped;

/// Seeds for passages, and the wider set a summary may draw on.
pub(super) struct SeedSets {
    /// Pairs that pass the bars on their own, or lie on an ordered chain.
    pub(super) seeds: Vec<seeds::Seed>,
    /// All candidates that are each other's best match: a summary condenses
    /// sentences from all over its source, which no chain follows.
    pub(super) summary: Vec<seeds::Seed>,
    /// `(source, derived)` unit pairs on an ordered chain, strong or weak.
    pub(super) on_chain: HashSet<(usize, usize)>,
    /// What the candidate search left out on repetitive text.
    pub(super) capped: Option<Capped>,
}

pub(super) fn seeds_with_order_evidence(
    src: &[Vector],
    der: &[Vector],
    config: &AlignConfig,
) -> SeedSets {
    let (bars, order) = (&config.seeds, &config.order);
    let (loose, capped) = bounded::candidates(
        src,
        der,
        bars.min_cosine.min(order.candidate_cosine),
        bars.min_dice.min(order.candidate_dice),
        &config.limits,
    );
    let strong = |s: &seeds::Seed| s.cosine > bars.min_cosine && s.dice > bars.min_dice;
    let mut out: Vec<seeds::Seed> = loose.iter().filter(|s| strong(s)).copied().collect();
    if order.chain.max_chains == 0 {
        return SeedSets {
            summary: out.clone(),
            seeds: out,
            on_chain: Default::default(),
            capped,
        };
    }
    let candidates: Vec<&seeds::Seed> = loose
        .iter()
        .filter(|s| s.cosine > order.candidate_cosine && s.dice > order.candidate_dice)
        .collect();
    let best = mutual_best(&candidates, order.mutual);
    let mut summary = out.clone();
    summary.extend(best.iter().filter(|s| !strong(s)).map(|s| seeds::Seed {
        chained: true,
        ..**s
    }));
    let points = best
        .into_iter()
        .map(|s| chain::Point {
            source: s.source,
            derived: s.derived,
            sim: s.cosine,
        })
        .collect();
    // A short text cannot hold a long chain: ask for a share of its units.
    let scaled = (order.min_share * der.len() as f32).round() as usize;
    let params = chain::ChainParams {
        min_points: scaled.clamp(2, order.chain.min_points.max(2)),
        ..order.chain
    };
    let chains = chain::chains(points, &params);
    // Pairs close to a chain join it: rewrites reorder clauses and sentences
    // locally, which a strictly monotone chain cannot follow.
    let on_chain: HashSet<(usize, usize)> = chains
        .iter()
        .flatten()
        .map(|p| (p.source, p.derived))
        .collect();
    let near_chain = |s: &seeds::Seed| near(&on_chain, s, order.corridor);
    for s in candidates {
        if !strong(s) && near_chain(s) {
            out.push(seeds::Seed {
                chained: true,
                ..*s
            });
        }
    }
    SeedSets {
        seeds: out,
        summary,
        on_chain,
        capped,
    }
}

/// Whether some pair of `on_chain` lies within `corridor` units of `s` on
/// both sides (looked up around `s`, not by scanning the chains).
fn near(on_chain: &HashSet<(usize, usize)>, s: &seeds::Seed, corridor: usize) -> bool {
    let around = |x: usize| x.saturating_sub(corridor)..=x + corridor;
    around(s.source).any(|i| around(s.derived).any(|j| on_chain.contains(&(i, j))))
}

/// The candidates that are the best match of their derived unit and of their
/// source unit (all of them when `required` is false): a sentence rewritten
/// from another is closer to it than to anything else.
fn mutual_best<'s>(candidates: &[&'s seeds::Seed], required: bool) -> Vec<&'s seeds::Seed> {
    if !required {
        return candidates.to_vec();
    }
    let mut best_src: HashMap<usize, f32> = HashMap::new();
    let mut best_der: HashMap<usize, f32> = HashMap::new();
    for s in candidates {
        let e = best_src.entry(s.source).or_insert(0.0);
        *e = e.max(s.cosine);
        let e = best_der.entry(s.derived).or_insert(0.0);
        *e = e.max(s.cosine);
    }
    candidates
        .iter()
        .filter(|s| s.cosine >= best_src[&s.source] && s.cosine >= best_der[&s.derived])
        .copied()
        .collect()
}
