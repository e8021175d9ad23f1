//! Candidate pairs from band keys, by sorting: for each band in turn, the
//! units' `(hash, unit)` entries are packed in `u64`s and sorted, which
//! groups equal hashes (a bucket); every two units in a bucket are a
//! candidate pair. Sorting flat arrays is cache-friendly, parallel and
//! needs no hash table.
//!
//! Pairs are handed out as they are found, never collected: a pair is
//! reported in the first band where its units share a bucket (earlier bands
//! are compared for it), so no pair comes twice and nothing remembers which
//! pairs were seen. A bucket with more units than a cap (near-identical
//! documents by the thousand) pairs each unit with the next `cap` units of
//! the bucket only: work stays at most `units × cap` per band, and the
//! pairs inside such a bucket are no longer all reported (their clusters
//! still connect, through the overlapping windows).
//!
//! Only the top 32 bits of a band hash are kept: 4 bytes a unit and band.
//! A spurious bucket costs one exact verification; at a million units a
//! band gets about a hundred of them, against millions of entries.

use rayon::prelude::*;

/// Band hashes of many units (top 32 bits), unit by unit.
#[derive(Clone, Debug, Default)]
pub struct BandTable {
    bands: usize,
    hashes: Vec<u32>,
}

/// A candidate pair `(a, b)` with `a < b`, packed as `a << 32 | b`.
pub type PackedPair = u64;

/// Unpacks a [`PackedPair`].
pub fn unpack(pair: PackedPair) -> (u32, u32) {
    ((pair >> 32) as u32, pair as u32)
}

/// What the search for candidates met.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Buckets {
    /// Candidate pairs handed out.
    pub pairs: usize,
    /// Buckets larger than the cap (pairs inside them were limited).
    pub capped: usize,
    /// Units in the largest bucket.
    pub largest: usize,
}

impl BandTable {
    /// A table for `bands` bands.
    pub fn new(bands: usize) -> BandTable {
        BandTable {
            bands,
            hashes: Vec::new(),
        }
    }

    /// Adds the next unit (units are numbered in the order they are added)
    /// with one hash per band.
    pub fn push(&mut self, unit: u32, hashes: &[u64]) {
        debug_assert_eq!(hashes.len(), self.bands);
        debug_assert_eq!(self.hashes.len(), unit as usize * self.bands);
        self.hashes.extend(hashes.iter().map(|&h| (h >> 32) as u32));
    }

    /// Entries held (units × bands).
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// True if no unit was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn units(&self) -> usize {
        self.hashes.len().checked_div(self.bands).unwrap_or(0)
    }

    fn hash(&self, unit: u32, band: usize) -> u32 {
        self.hashes[unit as usize * self.bands + band]
    }

    /// True if `a` and `b` share a bucket in a band before `band`.
    fn met_before(&self, a: u32, b: u32, band: usize) -> bool {
        let (ra, rb) = (a as usize * self.bands, b as usize * self.bands);
        (0..band).any(|k| self.hashes[ra + k] == self.hashes[rb + k])
    }

    /// Hands every pair of units sharing a bucket in some band to `emit`,
    /// once, `a < b`, except pairs for which `skip(a, b)` is true (e.g. two
    /// paragraphs of one document); in a bucket of more than `cap` units,
    /// each unit is paired with the next `cap` only. Stops at the first
    /// error of `emit`.
    pub fn for_each_pair<E>(
        &self,
        cap: usize,
        skip: impl Fn(u32, u32) -> bool,
        mut emit: impl FnMut(u32, u32) -> Result<(), E>,
    ) -> Result<Buckets, E> {
        let cap = cap.max(1);
        let mut stats = Buckets::default();
        let mut entries: Vec<u64> = Vec::with_capacity(self.units());
        for band in 0..self.bands {
            entries.clear();
            entries.extend(
                (0..self.units() as u32)
                    .map(|u| u64::from(self.hash(u, band)) << 32 | u64::from(u)),
            );
            entries.par_sort_unstable();
            for group in entries.chunk_by(|x, y| x >> 32 == y >> 32) {
                stats.largest = stats.largest.max(group.len());
                if group.len() > cap.saturating_add(1) {
                    stats.capped += 1;
                }
                // Units were numbered in order, so within a group (sorted by
                // the low bits) a < b.
                for (i, &x) in group.iter().enumerate() {
                    let a = x as u32;
                    let end = group.len().min((i + 1).saturating_add(cap));
                    for &y in &group[i + 1..end] {
                        let b = y as u32;
                        if band > 0 && self.met_before(a, b, band) {
                            continue;
                        }
                        if !skip(a, b) {
                            stats.pairs += 1;
                            emit(a, b)?;
                        }
                    }
                }
            }
        }
        Ok(stats)
    }

    /// Every pair of units sharing a band hash, sorted and without repeats,
    /// except pairs for which `skip(a, b)` is true. Holds them all: for
    /// large corpora use [`BandTable::for_each_pair`].
    pub fn pairs(self, skip: impl Fn(u32, u32) -> bool + Sync) -> Vec<PackedPair> {
        let mut all = Vec::new();
        let _ = self.for_each_pair(usize::MAX, skip, |a, b| {
            all.push(u64::from(a) << 32 | u64::from(b));
            Ok::<(), ()>(())
        });
        all.par_sort_unstable();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_sharing_any_band_pair_up_once() {
        let mut t = BandTable::new(2);
        t.push(0, &[1 << 40, 5 << 40]);
        t.push(1, &[1 << 40, 6 << 40]);
        t.push(2, &[2 << 40, 5 << 40]);
        t.push(3, &[1 << 40, 5 << 40]);
        let pairs: Vec<(u32, u32)> = t.pairs(|_, _| false).into_iter().map(unpack).collect();
        assert_eq!(pairs, [(0, 1), (0, 2), (0, 3), (1, 3), (2, 3)]);
    }

    #[test]
    fn skipped_pairs_are_left_out() {
        let mut t = BandTable::new(1);
        for u in 0..3 {
            t.push(u, &[7 << 32]);
        }
        let pairs: Vec<(u32, u32)> = t
            .pairs(|a, b| a / 2 == b / 2)
            .into_iter()
            .map(unpack)
            .collect();
        assert_eq!(pairs, [(0, 2), (1, 2)]);
    }

    #[test]
    fn giant_buckets_pair_each_unit_with_the_next_cap_units() {
        let mut t = BandTable::new(2);
        for u in 0..10 {
            t.push(u, &[7 << 32, 9 << 32]);
        }
        let mut pairs = Vec::new();
        let stats = t
            .for_each_pair(
                3,
                |_, _| false,
                |a, b| {
                    pairs.push((a, b));
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
        // 7 units with 3 successors, then 2, 1, 0; the second band repeats
        // no pair.
        assert_eq!(pairs.len(), 7 * 3 + 2 + 1);
        assert!(pairs.iter().all(|&(a, b)| a < b && b - a <= 3));
        assert_eq!((stats.capped, stats.largest, stats.pairs), (2, 10, 24));
    }
}
