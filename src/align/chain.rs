//! Order evidence: chains of weakly similar unit pairs that run in the same
//! order in both documents.
//!
//! A rewrite keeps the source's facts in the source's order, so a monotone
//! chain of moderately similar sentence pairs is far stronger evidence than
//! the same pairs scattered: two articles on the same event share names and
//! numbers, but not a long sequence of sentences in the same order. Chains are
//! found by dynamic programming over the sparse similarity matrix (local
//! alignment, as in Smith–Waterman): each pair scores its similarity minus a
//! bias, each unit skipped costs a gap penalty, and chains whose total score
//! clears a bar are kept; their pairs become seeds.

/// A candidate pair of units with its similarity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Source unit.
    pub source: usize,
    /// Derived unit.
    pub derived: usize,
    /// Similarity of the two units.
    pub sim: f32,
}

/// Parameters of chaining.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChainParams {
    /// Subtracted from each pair's similarity: pairs below it weaken a chain.
    pub bias: f32,
    /// A pair's similarity counts at most this much: a chain must rest on
    /// several pairs, not on one very similar pair (a shared quote).
    pub cap: f32,
    /// Cost of each unit skipped between consecutive pairs (on the side where
    /// more are skipped).
    pub gap_cost: f32,
    /// Cost of each unit by which consecutive pairs leave the diagonal (units
    /// skipped on one side but not the other): a rewrite advances through
    /// both texts together.
    pub skew_cost: f32,
    /// Largest number of units between consecutive pairs of a chain.
    pub max_gap: usize,
    /// A chain is kept when its total score reaches this.
    pub min_score: f32,
    /// A chain is kept only with at least this many pairs.
    pub min_points: usize,
    /// …and only if its pairs cover at least this share of the derived units
    /// it spans: a rewrite follows its source sentence after sentence, while
    /// independent reports of one event share facts scattered among their
    /// own material.
    pub min_density: f32,
    /// At most this many chains are extracted per document pair.
    pub max_chains: usize,
}

/// The kept chains, each in order, best first.
pub fn chains(mut points: Vec<Point>, params: &ChainParams) -> Vec<Vec<Point>> {
    points.sort_by_key(|p| (p.derived, p.source));
    let mut alive = vec![true; points.len()];
    let mut out = Vec::new();
    while out.len() < params.max_chains {
        let Some(chain) = best_chain(&points, &alive, params) else {
            break;
        };
        for &i in &chain {
            alive[i] = false;
        }
        let span = points[chain[chain.len() - 1]].derived - points[chain[0]].derived + 1;
        let dense = chain.len() as f32 >= params.min_density * span as f32;
        // Each derived unit belongs to one chain: drop the other pairs of the
        // derived units this chain took.
        for &i in &chain {
            let derived = points[i].derived;
            let start = points.partition_point(|p| p.derived < derived);
            let end = points.partition_point(|p| p.derived <= derived);
            alive[start..end].fill(false);
        }
        if dense {
            out.push(chain.iter().map(|&i| points[i]).collect());
        }
    }
    out
}

/// The highest-scoring chain among live points, if it passes the bars.
fn best_chain(points: &[Point], alive: &[bool], params: &ChainParams) -> Option<Vec<usize>> {
    let n = points.len();
    let mut score = vec![f32::NEG_INFINITY; n];
    let mut prev: Vec<Option<usize>> = vec![None; n];
    let mut length = vec![0usize; n];
    // Where each derived unit's points start (points are sorted by derived
    // unit, then source unit).
    let groups: Vec<usize> = (0..n)
        .filter(|&i| i == 0 || points[i - 1].derived != points[i].derived)
        .collect();
    let mut group = 0;
    for i in 0..n {
        while group + 1 < groups.len() && groups[group + 1] <= i {
            group += 1;
        }
        if !alive[i] {
            continue;
        }
        let p = points[i];
        let mut best = (0.0f32, None, 0usize);
        // Predecessors within `max_gap + 1` units on both sides, in the
        // order of the points: a binary search per derived unit instead of
        // a scan of every point in reach (repetitive text has many).
        let reach = params.max_gap + 1;
        let mut first_group = group;
        while first_group > 0 && points[groups[first_group - 1]].derived + reach >= p.derived {
            first_group -= 1;
        }
        let predecessors = (first_group..=group).flat_map(|g| {
            let end = groups.get(g + 1).copied().unwrap_or(n).min(i);
            let start = groups[g];
            let here = &points[start..end];
            let from = start + here.partition_point(|q| q.source + reach < p.source);
            let to = start + here.partition_point(|q| q.source <= p.source);
            from..to
        });
        for j in predecessors {
            let q = points[j];
            if !alive[j] || q.source > p.source || (q.source == p.source && q.derived == p.derived)
            {
                continue;
            }
            let (dd, ds) = (p.derived - q.derived, p.source - q.source);
            let gap = dd.max(ds);
            if gap > params.max_gap + 1 {
                continue;
            }
            let skew = dd.abs_diff(ds);
            let s = score[j]
                - params.gap_cost * gap.saturating_sub(1) as f32
                - params.skew_cost * skew as f32;
            if s > best.0 {
                best = (s, Some(j), length[j]);
            }
        }
        score[i] = p.sim.min(params.cap) - params.bias + best.0;
        prev[i] = best.1;
        length[i] = best.2 + 1;
    }
    let end = (0..n)
        .filter(|&i| alive[i] && length[i] >= params.min_points)
        .max_by(|&a, &b| score[a].total_cmp(&score[b]))?;
    if score[end] < params.min_score {
        return None;
    }
    // A chain starts where its running score would drop to zero (local
    // alignment), which the recurrence already encodes as "no predecessor".
    let mut chain = vec![end];
    let mut at = end;
    while let Some(p) = prev[at] {
        chain.push(p);
        at = p;
    }
    chain.reverse();
    Some(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> ChainParams {
        ChainParams {
            bias: 0.15,
            cap: 1.0,
            gap_cost: 0.01,
            skew_cost: 0.0,
            max_gap: 10,
            min_score: 0.2,
            min_points: 2,
            min_density: 0.0,
            max_chains: 8,
        }
    }

    fn p(source: usize, derived: usize, sim: f32) -> Point {
        Point {
            source,
            derived,
            sim,
        }
    }

    #[test]
    fn ordered_weak_pairs_form_a_chain() {
        let points = vec![p(1, 1, 0.3), p(2, 3, 0.25), p(4, 5, 0.3), p(9, 2, 0.3)];
        let chains = chains(points, &params());
        assert_eq!(chains.len(), 1);
        let c: Vec<(usize, usize)> = chains[0].iter().map(|p| (p.source, p.derived)).collect();
        assert_eq!(c, vec![(1, 1), (2, 3), (4, 5)]);
    }

    #[test]
    fn scattered_pairs_do_not() {
        // Same similarities, but out of order: no two in a chain.
        let points = vec![p(8, 1, 0.3), p(2, 3, 0.25), p(1, 5, 0.3), p(0, 7, 0.3)];
        assert!(chains(points, &params()).is_empty());
    }

    #[test]
    fn reordered_blocks_are_separate_chains() {
        let points = vec![p(10, 0, 0.4), p(11, 1, 0.4), p(0, 5, 0.4), p(1, 6, 0.4)];
        let chains = chains(points, &params());
        assert_eq!(chains.len(), 2);
    }
}
