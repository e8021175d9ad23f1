//! Candidate pairs from band keys, by sorting: every band keeps
//! `(hash, unit)` entries packed in a `u64`, sorting a band groups equal
//! hashes, and every two units in a group are a candidate pair. Sorting
//! flat arrays is cache-friendly, parallel and needs no hash table.
//!
//! Only the top 32 bits of a band hash are kept: 8 bytes an entry instead of
//! 16. A spurious group costs one exact verification; at a million units a
//! band gets about a hundred of them, against millions of entries.

use rayon::prelude::*;

/// Band entries of many units, one array per band.
#[derive(Clone, Debug, Default)]
pub struct BandTable {
    bands: Vec<Vec<u64>>,
}

/// A candidate pair `(a, b)` with `a < b`, packed as `a << 32 | b`.
pub type PackedPair = u64;

/// Unpacks a [`PackedPair`].
pub fn unpack(pair: PackedPair) -> (u32, u32) {
    ((pair >> 32) as u32, pair as u32)
}

impl BandTable {
    /// A table for `bands` bands.
    pub fn new(bands: usize) -> BandTable {
        BandTable {
            bands: vec![Vec::new(); bands],
        }
    }

    /// Adds `unit` with one hash per band.
    pub fn push(&mut self, unit: u32, hashes: &[u64]) {
        debug_assert_eq!(hashes.len(), self.bands.len());
        for (entries, &h) in self.bands.iter_mut().zip(hashes) {
            entries.push((h >> 32) << 32 | unit as u64);
        }
    }

    /// Entries held (units × bands).
    pub fn len(&self) -> usize {
        self.bands.iter().map(Vec::len).sum()
    }

    /// True if no unit was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every pair of units sharing a band hash, sorted and without repeats,
    /// except pairs for which `skip(a, b)` is true (e.g. two paragraphs of one
    /// document). Consumes the table (its arrays are sorted in place).
    pub fn pairs(self, skip: impl Fn(u32, u32) -> bool + Sync) -> Vec<PackedPair> {
        let per_band: Vec<Vec<PackedPair>> = self
            .bands
            .into_par_iter()
            .map(|mut entries| {
                entries.sort_unstable();
                let mut pairs = Vec::new();
                for group in entries.chunk_by(|x, y| x >> 32 == y >> 32) {
                    // Units were pushed in increasing order, so within a group
                    // (sorted by the low bits) a < b.
                    for (i, &x) in group.iter().enumerate() {
                        let a = x as u32;
                        for &y in &group[i + 1..] {
                            let b = y as u32;
                            if a != b && !skip(a, b) {
                                pairs.push((a as u64) << 32 | b as u64);
                            }
                        }
                    }
                }
                pairs
            })
            .collect();
        let mut all: Vec<PackedPair> = per_band.into_iter().flatten().collect();
        all.par_sort_unstable();
        all.dedup();
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
}
