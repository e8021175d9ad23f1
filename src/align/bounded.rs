//! The candidate search with bounded work. On ordinary text every pair of
//! similar units is a candidate ([`seeds::unit_seeds`]); on repetitive text
//! (one sentence repeated, a few sentences cycled, boilerplate) that is
//! quadratic in the number of units, and everything after it grew faster
//! still. So:
//!
//! - when the term postings would cost more than
//!   [`LimitConfig::max_work`] multiply-adds, or more than
//!   [`LimitConfig::max_pairs`] candidates come out, the search starts over
//!   on *distinct* units (identical sentences collapsed into one), skipping
//!   the terms with the longest postings if distinct units still cost too
//!   much (candidates found through the other terms are scored on all
//!   their terms);
//! - each unit then keeps at most `K` partners, the most similar first and,
//!   among equally similar ones, those nearest the diagonal (the same
//!   relative position in both texts), where `K` is
//!   `max(min_per_unit, max_pairs / units)`: at most
//!   `max(max_pairs, min_per_unit × units)` candidates reach the aligner;
//! - the comparison says so ([`Capped`]).
//!
//! Below both limits the exact search runs unchanged, so results on
//! ordinary text do not depend on this module.

use std::collections::{HashMap, HashSet};

use super::config::LimitConfig;
use super::seeds::{self, Seed};
use super::vectors::{Vector, merge_join};
use crate::comparison::Capped;
use crate::terms::Term;

/// Candidate unit pairs with cosine above `min_cosine` and Dice above
/// `min_dice`: all of them (as [`seeds::unit_seeds`]) within the limits,
/// else a bounded subset and what was left out.
pub fn candidates(
    source: &[Vector],
    derived: &[Vector],
    min_cosine: f32,
    min_dice: f32,
    limits: &LimitConfig,
) -> (Vec<Seed>, Option<Capped>) {
    if posting_work(source, derived) <= limits.max_work {
        let max_pairs = limits.max_pairs.max(limits.min_per_unit);
        if let Some(all) =
            seeds::unit_seeds_at_most(source, derived, min_cosine, min_dice, max_pairs)
        {
            return (all, None);
        }
    }
    let (seeds, capped) = collapsed(source, derived, min_cosine, min_dice, limits);
    (seeds, Some(capped))
}

/// Multiply-adds of the exact search: per term, its units on one side times
/// its units on the other.
fn posting_work(source: &[Vector], derived: &[Vector]) -> u64 {
    let mut counts: HashMap<Term, (u64, u64)> = HashMap::new();
    for v in source {
        for &(t, _) in &v.entries {
            counts.entry(t).or_default().0 += 1;
        }
    }
    for v in derived {
        for &(t, _) in &v.entries {
            counts.entry(t).or_default().1 += 1;
        }
    }
    counts.values().map(|&(s, d)| s * d).sum()
}

/// Identical units, collapsed: each group's units in text order.
struct Groups {
    /// Units of each group, ascending.
    members: Vec<Vec<u32>>,
}

impl Groups {
    /// Groups units whose vectors are identical (terms and weights).
    fn of(vectors: &[Vector]) -> Groups {
        let mut order: Vec<u32> = (0..vectors.len() as u32).collect();
        let key = |i: &u32| {
            vectors[*i as usize]
                .entries
                .iter()
                .map(|&(t, w)| (t, w.to_bits()))
                .collect::<Vec<_>>()
        };
        order.sort_by_cached_key(key);
        let mut members: Vec<Vec<u32>> = Vec::new();
        for i in order {
            match members.last_mut() {
                Some(g) if vectors[g[0] as usize].entries == vectors[i as usize].entries => {
                    g.push(i)
                }
                _ => members.push(vec![i]),
            }
        }
        for g in &mut members {
            g.sort_unstable();
        }
        Groups { members }
    }

    /// The vector every member of group `g` has.
    fn vector<'v>(&self, vectors: &'v [Vector], g: usize) -> &'v Vector {
        &vectors[self.members[g][0] as usize]
    }
}

/// A candidate before capping: units, similarities, distance from the
/// diagonal.
#[derive(Clone, Copy)]
struct Scored {
    seed: Seed,
    off_diagonal: u64,
}

/// Best first: higher cosine, then nearer the diagonal, then text order.
fn better(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    b.seed
        .cosine
        .total_cmp(&a.seed.cosine)
        .then(a.off_diagonal.cmp(&b.off_diagonal))
        .then((a.seed.source, a.seed.derived).cmp(&(b.seed.source, b.seed.derived)))
}

/// The bounded search on distinct units, then capped per unit.
fn collapsed(
    source: &[Vector],
    derived: &[Vector],
    min_cosine: f32,
    min_dice: f32,
    limits: &LimitConfig,
) -> (Vec<Seed>, Capped) {
    let (ns, nd) = (source.len(), derived.len());
    let per_unit = limits
        .min_per_unit
        .max(limits.max_pairs / (ns + nd).max(1))
        .max(1);
    let src = Groups::of(source);
    let der = Groups::of(derived);
    let search = Search::new(&src, source, &der, derived, limits.max_work);
    let diagonal = |i: u32, j: u32| (i as u64 * nd as u64).abs_diff(j as u64 * ns as u64);
    let mut rows: Vec<Scored> = Vec::new();
    let mut sentences_capped = 0;
    let mut scratch = Scratch::new(der.members.len());
    for a in 0..src.members.len() {
        let mut partners = search.partners(src.vector(source, a), &mut scratch, |c, d| {
            c > min_cosine && d > min_dice
        });
        // A unit keeps `per_unit` partners: more groups than that cannot
        // all contribute; the most similar ones can.
        let by_similarity = |x: &Partner, y: &Partner| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        let available: usize = partners
            .iter()
            .map(|p| der.members[p.0 as usize].len())
            .sum();
        if partners.len() > per_unit {
            partners.select_nth_unstable_by(per_unit, by_similarity);
            partners.truncate(per_unit);
        }
        for &i in &src.members[a] {
            let mut row: Vec<Scored> = Vec::new();
            for &(b, cosine, dice) in &partners {
                let members = &der.members[b as usize];
                for j in nearest(members, i as u64 * nd as u64, ns as u64, per_unit) {
                    row.push(Scored {
                        seed: Seed {
                            source: i as usize,
                            derived: j as usize,
                            cosine,
                            dice,
                            chained: false,
                        },
                        off_diagonal: diagonal(i, j),
                    });
                }
            }
            keep_best(&mut row, per_unit);
            sentences_capped += usize::from(available > per_unit);
            rows.extend(row);
        }
    }
    // The same cap on the derived side.
    rows.sort_by(|x, y| x.seed.derived.cmp(&y.seed.derived).then(better(x, y)));
    let mut seeds: Vec<Seed> = Vec::with_capacity(rows.len());
    for column in rows.chunk_by(|x, y| x.seed.derived == y.seed.derived) {
        sentences_capped += usize::from(column.len() > per_unit);
        seeds.extend(column.iter().take(per_unit).map(|s| s.seed));
    }
    seeds.sort_by_key(|s| (s.source, s.derived));
    let capped = Capped {
        candidates_per_sentence: per_unit,
        sentences_capped,
        frequent_terms_skipped: search.skipped,
    };
    (seeds, capped)
}

/// A derived group with the cosine and Dice of a source group with it.
type Partner = (u32, f32, f32);

/// Per-search buffers, indexed by derived group.
struct Scratch {
    dots: Vec<f32>,
    shared: Vec<u32>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(groups: usize) -> Scratch {
        Scratch {
            dots: vec![0.0; groups],
            shared: vec![0; groups],
            touched: Vec::new(),
        }
    }
}

/// The inverted index of the derived groups, without the terms whose
/// postings cost most.
struct Search {
    /// Norm and number of terms of each derived group's vector.
    shape: Vec<(f32, usize)>,
    /// Term → (derived group, weight), for the terms kept.
    postings: HashMap<Term, Vec<(u32, f32)>>,
    /// The skipped terms.
    skipped_terms: HashSet<Term>,
    /// Each derived group's entries on skipped terms.
    skipped_entries: Vec<Vec<(Term, f32)>>,
    /// How many terms were skipped.
    skipped: usize,
}

impl Search {
    /// Skips the terms whose postings cost most until the rest costs at
    /// most `max_work` (distinct source groups times distinct derived
    /// groups per term).
    fn new(
        src: &Groups,
        source: &[Vector],
        groups: &Groups,
        derived: &[Vector],
        max_work: u64,
    ) -> Search {
        let mut postings: HashMap<Term, Vec<(u32, f32)>> = HashMap::new();
        for b in 0..groups.members.len() {
            for &(t, w) in &groups.vector(derived, b).entries {
                postings.entry(t).or_default().push((b as u32, w));
            }
        }
        let mut src_counts: HashMap<Term, u64> = HashMap::new();
        for a in 0..src.members.len() {
            for &(t, _) in &src.vector(source, a).entries {
                *src_counts.entry(t).or_default() += 1;
            }
        }
        let mut costs: Vec<(u64, Term)> = postings
            .iter()
            .map(|(t, p)| (p.len() as u64 * src_counts.get(t).copied().unwrap_or(0), *t))
            .collect();
        let mut work: u64 = costs.iter().map(|c| c.0).sum();
        // Most expensive first; ties by term, so the choice is deterministic.
        costs.sort_unstable_by(|x, y| y.cmp(x));
        let mut skipped_terms = HashSet::new();
        for (cost, term) in costs {
            if work <= max_work {
                break;
            }
            postings.remove(&term);
            skipped_terms.insert(term);
            work -= cost;
        }
        let skipped_entries = (0..groups.members.len())
            .map(|b| {
                let v = groups.vector(derived, b);
                v.entries
                    .iter()
                    .filter(|(t, _)| skipped_terms.contains(t))
                    .copied()
                    .collect()
            })
            .collect();
        let shape = (0..groups.members.len())
            .map(|b| {
                let v = groups.vector(derived, b);
                (v.norm, v.entries.len())
            })
            .collect();
        Search {
            shape,
            postings,
            skipped: skipped_terms.len(),
            skipped_terms,
            skipped_entries,
        }
    }

    /// The derived groups `sv` shares a kept term with whose cosine and
    /// Dice with it pass `keep`; scored on all terms, the skipped ones
    /// included. Without skipped terms the sums run in the exact search's
    /// order, so the scores are the same to the bit.
    fn partners(
        &self,
        sv: &Vector,
        s: &mut Scratch,
        keep: impl Fn(f32, f32) -> bool,
    ) -> Vec<Partner> {
        let mut own_skipped: Vec<(Term, f32)> = Vec::new();
        for &(t, w) in &sv.entries {
            let Some(list) = self.postings.get(&t) else {
                if self.skipped_terms.contains(&t) {
                    own_skipped.push((t, w));
                }
                continue;
            };
            for &(b, dw) in list {
                let b = b as usize;
                if s.shared[b] == 0 {
                    s.touched.push(b as u32);
                }
                s.shared[b] += 1;
                s.dots[b] += w * dw;
            }
        }
        let mut out = Vec::new();
        for &b in &s.touched {
            let b = b as usize;
            let (mut dot, mut shared) = (s.dots[b], s.shared[b]);
            merge_join(&own_skipped, &self.skipped_entries[b], |x, y| {
                dot += x * y;
                shared += 1;
            });
            let (norm, len) = self.shape[b];
            let cosine = (dot / (sv.norm * norm)).min(1.0);
            let dice = 2.0 * shared as f32 / (sv.entries.len() + len) as f32;
            if keep(cosine, dice) {
                out.push((b as u32, cosine, dice));
            }
            s.dots[b] = 0.0;
            s.shared[b] = 0;
        }
        s.touched.clear();
        out
    }
}

/// Keeps the best `n` of `row`.
fn keep_best(row: &mut Vec<Scored>, n: usize) {
    if row.len() > n {
        row.sort_by(better);
        row.truncate(n);
    }
}

/// Up to `n` of the sorted `members` nearest to `target / scale` (ties:
/// the earlier one), found from a binary search outwards.
fn nearest(members: &[u32], target: u64, scale: u64, n: usize) -> impl Iterator<Item = u32> + '_ {
    let distance = move |j: u32| (j as u64 * scale).abs_diff(target);
    let mid = members.partition_point(|&j| (j as u64 * scale) < target);
    let (mut lo, mut hi) = (mid, mid);
    std::iter::from_fn(move || {
        let left = (lo > 0).then(|| members[lo - 1]);
        let right = (hi < members.len()).then(|| members[hi]);
        match (left, right) {
            (Some(l), Some(r)) if distance(l) <= distance(r) => {
                lo -= 1;
                Some(l)
            }
            (Some(l), None) => {
                lo -= 1;
                Some(l)
            }
            (_, Some(r)) => {
                hi += 1;
                Some(r)
            }
            (None, None) => None,
        }
    })
    .take(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(terms: &[u64]) -> Vector {
        let entries: Vec<(Term, f32)> = terms.iter().map(|&t| (t, 1.0)).collect();
        let norm = (entries.len() as f32).sqrt();
        Vector { entries, norm }
    }

    fn limits(max_pairs: usize, min_per_unit: usize, max_work: u64) -> LimitConfig {
        LimitConfig {
            max_pairs,
            min_per_unit,
            max_work,
        }
    }

    #[test]
    fn within_the_limits_the_search_is_exact() {
        let source = [v(&[1, 2, 3]), v(&[4, 5, 6]), v(&[1, 2, 7])];
        let derived = [v(&[1, 2, 3]), v(&[4, 5, 9]), v(&[1, 2, 3])];
        let (found, capped) = candidates(&source, &derived, 0.3, 0.3, &LimitConfig::default());
        assert_eq!(capped, None);
        assert_eq!(found, seeds::unit_seeds(&source, &derived, 0.3, 0.3));
    }

    #[test]
    fn one_repeated_sentence_keeps_a_band_around_the_diagonal() {
        let n = 200;
        let source = vec![v(&[1, 2, 3, 4]); n];
        let derived = vec![v(&[1, 2, 3, 4]); n];
        let (found, capped) = candidates(&source, &derived, 0.3, 0.3, &limits(1000, 4, 1 << 30));
        let capped = capped.expect("the cap is hit");
        let k = capped.candidates_per_sentence;
        assert_eq!(k, 4);
        assert!(found.len() <= k * n);
        // Every unit keeps its own position, and partners near it.
        for i in 0..n {
            assert!(found.iter().any(|s| s.source == i && s.derived == i));
        }
        assert!(found.iter().all(|s| s.source.abs_diff(s.derived) <= k));
        let mut per_derived = vec![0; n];
        for s in &found {
            per_derived[s.derived] += 1;
        }
        assert!(per_derived.iter().all(|&c| c <= k));
    }

    #[test]
    fn expensive_terms_are_skipped_but_candidates_keep_their_exact_scores() {
        // Term 1 is in every unit; each pair i, i also shares a rare term.
        let source: Vec<Vector> = (0..50).map(|i| v(&[1, 100 + i])).collect();
        let derived: Vec<Vector> = (0..50).map(|i| v(&[1, 100 + i])).collect();
        let (found, capped) = candidates(&source, &derived, 0.3, 0.3, &limits(10, 2, 100));
        let capped = capped.expect("work bound hit");
        assert_eq!(capped.frequent_terms_skipped, 1);
        assert_eq!(found.len(), 50);
        for s in &found {
            assert_eq!(s.source, s.derived);
            let exact = source[s.source].cosine(&derived[s.derived]);
            assert!((s.cosine - exact).abs() < 1e-6, "{} vs {exact}", s.cosine);
        }
    }

    #[test]
    fn nearest_members_come_out_closest_first() {
        let members = [0, 10, 20, 30, 40];
        let got: Vec<u32> = nearest(&members, 22, 1, 3).collect();
        assert_eq!(got, vec![20, 30, 10]);
        let got: Vec<u32> = nearest(&members, 100, 1, 2).collect();
        assert_eq!(got, vec![40, 30]);
    }
}
