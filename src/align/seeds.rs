//! Seeds: pairs of units (one in each document) similar enough to start an
//! alignment, and exact runs of shared tokens.

use std::collections::HashMap;
use std::ops::Range;

use super::side::Side;
use super::vectors::Vector;
use crate::sketch::shingles::for_each_shingle;

/// A pair of similar units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seed {
    /// Unit index in the source.
    pub source: usize,
    /// Unit index in the derived document.
    pub derived: usize,
    /// tf-idf cosine of the two units.
    pub cosine: f32,
    /// Dice coefficient of their term sets.
    pub dice: f32,
    /// Admitted for being part of an ordered chain, not on its own.
    pub chained: bool,
}

impl Seed {
    /// The seed's unit on `side`.
    pub fn unit(&self, side: Side) -> usize {
        match side {
            Side::Source => self.source,
            Side::Derived => self.derived,
        }
    }
}

/// Every pair of units with cosine above `min_cosine` and Dice above
/// `min_dice`, found through an inverted index of the derived units' terms.
pub fn unit_seeds(
    source: &[Vector],
    derived: &[Vector],
    min_cosine: f32,
    min_dice: f32,
) -> Vec<Seed> {
    unit_seeds_at_most(source, derived, min_cosine, min_dice, usize::MAX)
        .expect("no limit on the number of seeds")
}

/// [`unit_seeds`], or `None` as soon as there are more than `max_seeds`
/// (repetitive text: see [`bounded`](super::bounded)).
pub fn unit_seeds_at_most(
    source: &[Vector],
    derived: &[Vector],
    min_cosine: f32,
    min_dice: f32,
    max_seeds: usize,
) -> Option<Vec<Seed>> {
    let mut postings: HashMap<u64, Vec<(u32, f32)>> = HashMap::new();
    for (j, v) in derived.iter().enumerate() {
        for &(t, w) in &v.entries {
            postings.entry(t).or_default().push((j as u32, w));
        }
    }
    let mut dots = vec![0f32; derived.len()];
    let mut shared = vec![0u32; derived.len()];
    let mut touched = Vec::new();
    let mut seeds = Vec::new();
    for (i, sv) in source.iter().enumerate() {
        for &(t, w) in &sv.entries {
            let Some(list) = postings.get(&t) else {
                continue;
            };
            for &(j, dw) in list {
                let j = j as usize;
                if shared[j] == 0 {
                    touched.push(j);
                }
                shared[j] += 1;
                dots[j] += w * dw;
            }
        }
        for &j in &touched {
            let dv = &derived[j];
            let cosine = (dots[j] / (sv.norm * dv.norm)).min(1.0);
            let dice = 2.0 * shared[j] as f32 / (sv.entries.len() + dv.entries.len()) as f32;
            if cosine > min_cosine && dice > min_dice {
                seeds.push(Seed {
                    source: i,
                    derived: j,
                    cosine,
                    dice,
                    chained: false,
                });
            }
            dots[j] = 0.0;
            shared[j] = 0;
        }
        touched.clear();
        if seeds.len() > max_seeds {
            return None;
        }
    }
    Some(seeds)
}

/// A maximal run of identical tokens in both documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Token indices in the source.
    pub source: Range<usize>,
    /// Token indices in the derived document.
    pub derived: Range<usize>,
    /// How many tokens of it are identical on both sides (all of a run; the
    /// sum of its runs for a chain).
    pub matched: usize,
}

impl Run {
    /// Tokens of the run on its shorter side.
    fn len_both(&self) -> usize {
        self.source.len().min(self.derived.len())
    }

    /// Share of the chain's tokens that are identical on both sides:
    /// 2·matched / (source tokens + derived tokens), the word-level
    /// similarity of a chain computed without a quadratic edit distance.
    pub fn similarity(&self) -> f64 {
        let total = self.source.len() + self.derived.len();
        if total == 0 {
            0.0
        } else {
            (2 * self.matched) as f64 / total as f64
        }
    }
}

/// Windows occurring more often than this in the source are boilerplate and
/// do not start runs (keeps the search linear on repetitive text).
const MAX_WINDOW_REPEATS: usize = 32;

/// Maximal runs of at least `min_tokens` identical tokens (compared by hash).
pub fn common_runs(source: &[u64], derived: &[u64], min_tokens: usize) -> Vec<Run> {
    if source.len() < min_tokens || derived.len() < min_tokens || min_tokens == 0 {
        return Vec::new();
    }
    let mut windows: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut pos = 0u32;
    for_each_shingle(source, min_tokens, 0, |h| {
        windows.entry(h).or_default().push(pos);
        pos += 1;
    });
    let mut runs = Vec::new();
    let mut j = 0usize;
    for_each_shingle(derived, min_tokens, 0, |h| {
        if let Some(starts) = windows.get(&h).filter(|s| s.len() <= MAX_WINDOW_REPEATS) {
            for &i in starts {
                let i = i as usize;
                // Only the start of a run; later windows of it are inside it.
                if i > 0 && j > 0 && source[i - 1] == derived[j - 1] {
                    continue;
                }
                let len = source[i..]
                    .iter()
                    .zip(&derived[j..])
                    .take_while(|(a, b)| a == b)
                    .count();
                if len >= min_tokens {
                    runs.push(Run {
                        source: i..i + len,
                        derived: j..j + len,
                        matched: len,
                    });
                }
            }
        }
        j += 1;
    });
    runs
}

/// Chains runs that follow each other on both sides with at most `max_gap`
/// differing tokens between them on each side: a lightly edited passage is a
/// chain of exact runs.
pub fn chain_runs(runs: Vec<Run>, max_gap: usize) -> Vec<Run> {
    chain_runs_where(runs, max_gap, |_, _| true)
}

/// [`chain_runs`], joining a run to a chain only where `joinable(chain, run)`
/// also holds.
pub fn chain_runs_where(
    mut runs: Vec<Run>,
    max_gap: usize,
    joinable: impl Fn(&Run, &Run) -> bool,
) -> Vec<Run> {
    runs.sort_by_key(|r| (r.derived.start, r.source.start));
    let mut chains: Vec<Run> = Vec::new();
    for run in runs {
        let extends = chains.iter_mut().rev().take(8).find(|c| {
            run.derived.start >= c.derived.start
                && run.derived.start <= c.derived.end + max_gap
                && run.source.start >= c.source.start
                && run.source.start <= c.source.end + max_gap
                && run.source.end > c.source.end.saturating_sub(max_gap)
                && joinable(c, &run)
        });
        match extends {
            Some(chain) => {
                // Overlapping runs (repeated text) count their new part
                // only, on the side they overlap most, so that `matched`
                // never exceeds either side's length.
                let overlap = chain
                    .derived
                    .end
                    .saturating_sub(run.derived.start)
                    .max(chain.source.end.saturating_sub(run.source.start))
                    .min(run.len_both());
                chain.matched += run.len_both() - overlap;
                chain.derived.end = chain.derived.end.max(run.derived.end);
                chain.source.end = chain.source.end.max(run.source.end);
            }
            None => chains.push(run),
        }
    }
    chains
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_similarity_stays_within_one_when_source_runs_overlap() {
        let run = |s: Range<usize>, d: Range<usize>| Run {
            matched: s.len().min(d.len()),
            source: s,
            derived: d,
        };
        // The derived text repeats part of the source passage.
        let chains = chain_runs(vec![run(0..10, 0..10), run(5..15, 12..22)], 3);
        assert_eq!(chains.len(), 1);
        assert_eq!(chains[0].matched, 15);
        assert!(chains[0].similarity() <= 1.0);
    }

    fn toks(s: &str) -> Vec<u64> {
        s.split(' ')
            .map(|w| crate::sketch::hash::token_hash(w.as_bytes()))
            .collect()
    }

    #[test]
    fn finds_maximal_runs_once() {
        let a = toks("x y a b c d e f z");
        let b = toks("q a b c d e f r");
        let runs = common_runs(&a, &b, 3);
        assert_eq!(
            runs,
            vec![Run {
                source: 2..8,
                derived: 1..7,
                matched: 6
            }]
        );
    }

    #[test]
    fn chains_runs_across_small_edits() {
        let a = toks("a b c d e f g h i j k l");
        let b = toks("a b c d X f g h i j k l");
        let runs = common_runs(&a, &b, 3);
        assert_eq!(runs.len(), 2);
        let chains = chain_runs(runs, 2);
        assert_eq!(
            chains,
            vec![Run {
                source: 0..12,
                derived: 0..12,
                matched: 11
            }]
        );
    }
}
