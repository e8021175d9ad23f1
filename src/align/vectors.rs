//! tf-idf vectors of units, weighted for one pair of documents, and the
//! similarities between them.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use crate::terms::{Term, Unit};

/// A sparse tf-idf vector, sorted by term.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vector {
    /// `(term, weight)`, sorted by term, weights positive.
    pub entries: Vec<(Term, f32)>,
    /// Euclidean norm.
    pub norm: f32,
}

impl Vector {
    fn new(entries: Vec<(Term, f32)>) -> Vector {
        let norm = entries.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        Vector { entries, norm }
    }

    /// Cosine similarity with `other`.
    pub fn cosine(&self, other: &Vector) -> f32 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        let mut dot = 0.0;
        merge_join(&self.entries, &other.entries, |a, b| dot += a * b);
        (dot / (self.norm * other.norm)).min(1.0)
    }

    /// Share of this vector's weight on terms `other` also has: how much of a
    /// (short) passage a (longer) passage accounts for.
    pub fn coverage(&self, other: &Vector) -> f32 {
        let total: f32 = self.entries.iter().map(|(_, w)| w).sum();
        if total == 0.0 {
            return 0.0;
        }
        let mut shared = 0.0;
        merge_join(&self.entries, &other.entries, |a, _| shared += a);
        shared / total
    }

    /// Dice coefficient of the two term sets.
    pub fn dice(&self, other: &Vector) -> f32 {
        let total = self.entries.len() + other.entries.len();
        if total == 0 {
            return 0.0;
        }
        let mut shared = 0;
        merge_join(&self.entries, &other.entries, |_, _| shared += 1);
        2.0 * shared as f32 / total as f32
    }

    /// The sum of several vectors (summed in a fixed order, so results do
    /// not depend on hashing).
    pub fn sum<'v>(vectors: impl IntoIterator<Item = &'v Vector>) -> Vector {
        let mut all: Vec<(Term, f32)> = vectors
            .into_iter()
            .flat_map(|v| v.entries.iter().copied())
            .collect();
        all.sort_unstable_by_key(|&(t, _)| t);
        let mut entries: Vec<(Term, f32)> = Vec::with_capacity(all.len());
        for (t, w) in all {
            match entries.last_mut() {
                Some((last, acc)) if *last == t => *acc += w,
                _ => entries.push((t, w)),
            }
        }
        Vector::new(entries)
    }
}

/// Which units of a document each term occurs in, to measure how much of a
/// passage a range of units accounts for without summing the range: a summary
/// candidate may span most of a long source, and summing it per candidate made
/// many-to-many reuse in megabyte documents quadratic.
#[derive(Debug, Default)]
pub struct TermUnits(HashMap<Term, Vec<u32>>);

impl TermUnits {
    /// Indexes the units' vectors.
    pub fn new(vectors: &[Vector]) -> TermUnits {
        let mut units: HashMap<Term, Vec<u32>> = HashMap::new();
        for (i, v) in vectors.iter().enumerate() {
            for &(t, _) in &v.entries {
                units.entry(t).or_default().push(i as u32);
            }
        }
        TermUnits(units)
    }

    fn occurs_in(&self, term: Term, range: &RangeInclusive<usize>) -> bool {
        self.0.get(&term).is_some_and(|list| {
            let first = list.partition_point(|&u| (u as usize) < *range.start());
            list.get(first).is_some_and(|&u| u as usize <= *range.end())
        })
    }

    /// `passage.coverage(&Vector::sum(&vectors[range]))`, in time
    /// proportional to the passage's terms, not to the range.
    pub fn coverage(&self, passage: &Vector, range: &RangeInclusive<usize>) -> f32 {
        let total: f32 = passage.entries.iter().map(|(_, w)| w).sum();
        if total == 0.0 {
            return 0.0;
        }
        let shared: f32 = passage
            .entries
            .iter()
            .filter(|&&(t, _)| self.occurs_in(t, range))
            .map(|(_, w)| w)
            .sum();
        shared / total
    }
}

/// Calls `f` with the weights of each term two sorted entry lists share.
pub(super) fn merge_join(a: &[(Term, f32)], b: &[(Term, f32)], mut f: impl FnMut(f32, f32)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(a[i].1, b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
}

/// How inverse document frequency is computed over the units of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idf {
    /// `ln(N / df)`, as Sanchez-Perez et al.: a term in every unit weighs 0.
    Plain,
    /// `ln(1 + N / df)`: the same ranking, but a term frequent in a short pair
    /// (a name repeated in most sentences of two short news items) keeps some
    /// weight.
    Damped,
}

/// tf-idf vectors for the units of both documents of a pair, idf computed over
/// the units of the two documents (a term frequent in both is topic, not
/// evidence of reuse).
pub fn pair_vectors(source: &[Unit], derived: &[Unit], idf: Idf) -> (Vec<Vector>, Vec<Vector>) {
    let mut df: HashMap<Term, u32> = HashMap::new();
    for unit in source.iter().chain(derived) {
        for &(t, _) in &unit.terms {
            *df.entry(t).or_default() += 1;
        }
    }
    let n = (source.len() + derived.len()) as f32;
    let weigh = |units: &[Unit]| -> Vec<Vector> {
        units
            .iter()
            .map(|u| {
                let entries = u
                    .terms
                    .iter()
                    .map(|&(t, tf)| {
                        let d = df[&t] as f32;
                        let weight = match idf {
                            Idf::Plain => (n / d).ln(),
                            Idf::Damped => (1.0 + n / d).ln(),
                        };
                        (t, tf as f32 * weight)
                    })
                    .filter(|&(_, w)| w > 0.0)
                    .collect();
                Vector::new(entries)
            })
            .collect()
    };
    (weigh(source), weigh(derived))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(entries: &[(Term, f32)]) -> Vector {
        Vector::new(entries.to_vec())
    }

    #[test]
    fn cosine_and_dice_by_hand() {
        let a = v(&[(1, 1.0), (2, 1.0)]);
        let b = v(&[(2, 1.0), (3, 1.0)]);
        assert!((a.cosine(&b) - 0.5).abs() < 1e-6);
        assert!((a.dice(&b) - 0.5).abs() < 1e-6);
        assert_eq!(a.cosine(&Vector::default()), 0.0);
    }

    #[test]
    fn term_units_coverage_equals_coverage_of_the_sum() {
        let units = [
            v(&[(1, 1.0), (2, 0.5)]),
            v(&[(3, 2.0)]),
            v(&[(2, 1.0), (4, 1.0)]),
        ];
        let passage = v(&[(1, 1.0), (3, 1.0), (4, 2.0), (9, 1.0)]);
        let index = TermUnits::new(&units);
        for range in [0..=0, 0..=2, 1..=2, 2..=2, 1..=1] {
            let summed = passage.coverage(&Vector::sum(&units[range.clone()]));
            assert_eq!(index.coverage(&passage, &range), summed, "{range:?}");
        }
        assert_eq!(index.coverage(&passage, &(1..=2)), 3.0 / 5.0);
    }

    #[test]
    fn sums_add_weights() {
        let s = Vector::sum([&v(&[(1, 1.0)]), &v(&[(1, 2.0), (5, 1.0)])]);
        assert_eq!(s.entries, vec![(1, 3.0), (5, 1.0)]);
    }
}
