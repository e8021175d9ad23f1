//! Identical texts at document level: units with equal text hashes stand
//! for one representative, the first in input order, as in the Spark job.
//! Only representatives go into the band buckets (identical texts share
//! every band key, so a bucket of a thousand copies is one unit there and
//! the bucket cap applies to distinct texts); each copy is paired with its
//! representative at similarity 1 and inherits the representative's
//! verified pairs.

use rayon::prelude::*;

/// The copies of a corpus: `(representative, copy)` links, sorted, one per
/// unit that is not the first of its text (4 bytes a unit are needed only
/// while they are found).
#[derive(Clone, Debug, Default)]
pub(crate) struct Copies {
    links: Vec<(u32, u32)>,
}

impl Copies {
    /// The copies among units with these text hashes (unit `u` has
    /// `hashes[u]`).
    pub(crate) fn find(hashes: &[u128]) -> Copies {
        if hashes.len() < 2 {
            return Copies::default();
        }
        let mut order: Vec<u32> = (0..hashes.len() as u32).collect();
        order.par_sort_unstable_by_key(|&u| (hashes[u as usize], u));
        let mut links = Vec::new();
        for same in order.chunk_by(|&x, &y| hashes[x as usize] == hashes[y as usize]) {
            links.extend(same[1..].iter().map(|&copy| (same[0], copy)));
        }
        links.par_sort_unstable();
        Copies { links }
    }

    /// Every `(representative, copy)` link, in order.
    pub(crate) fn links(&self) -> &[(u32, u32)] {
        &self.links
    }

    /// True if no unit is a copy.
    pub(crate) fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// The copies of `rep` (none if it is not a representative), ascending.
    fn copies_of(&self, rep: u32) -> impl Iterator<Item = u32> + '_ {
        let start = self.links.partition_point(|l| l.0 < rep);
        self.links[start..]
            .iter()
            .take_while(move |l| l.0 == rep)
            .map(|l| l.1)
    }

    /// `unit` and its copies, ascending.
    pub(crate) fn members(&self, unit: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(unit).chain(self.copies_of(unit))
    }

    /// Number of units `unit` stands for (1 if it has no copy).
    pub(crate) fn count(&self, unit: u32) -> usize {
        if self.is_empty() {
            1
        } else {
            1 + self.copies_of(unit).count()
        }
    }

    /// The groups of identical units, each ascending (representative
    /// first), in order of their representatives.
    pub(crate) fn groups(&self) -> impl Iterator<Item = Vec<u32>> + '_ {
        self.links.chunk_by(|x, y| x.0 == y.0).map(|g| {
            std::iter::once(g[0].0)
                .chain(g.iter().map(|l| l.1))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_is_represented_by_its_first_unit() {
        let hashes = [5, 7, 5, 9, 7, 5];
        let copies = Copies::find(&hashes);
        assert_eq!(copies.links(), [(0, 2), (0, 5), (1, 4)]);
        assert_eq!(copies.members(0).collect::<Vec<_>>(), [0, 2, 5]);
        assert_eq!(copies.members(3).collect::<Vec<_>>(), [3]);
        assert_eq!((copies.count(1), copies.count(3)), (2, 1));
        assert_eq!(
            copies.groups().collect::<Vec<_>>(),
            [vec![0, 2, 5], vec![1, 4]]
        );
    }
}
