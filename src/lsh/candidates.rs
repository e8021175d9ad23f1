//! Candidate pairs from band keys, by sorting: for each band in turn, the
//! units' `(hash, unit)` entries are packed in `u64`s and sorted, which
//! groups equal hashes (a bucket); every two units in a bucket are a
//! candidate pair. Sorting flat arrays is cache-friendly, parallel and
//! needs no hash table.
//!
//! Pairs are handed out as they are found, never collected: a pair is
//! reported in the first band where it is paired (earlier bands are
//! compared for it), so no pair comes twice and nothing remembers which
//! pairs were seen. A bucket with more units than a cap (near-identical
//! documents by the thousand) pairs each unit with the next `cap` units of
//! the bucket only: work stays at most `units × cap` per band, and the
//! pairs inside such a bucket are no longer all reported (their clusters
//! still connect, through the overlapping windows). A pair that such a
//! bucket left out is still reported from a band where it is paired; for
//! that, the position of each unit of a capped bucket is remembered (capped
//! buckets are rare, and hold few units beside the corpus).
//!
//! Units can be left out of every bucket ([`BandTable::leave_out`]): the
//! copies of an identical text, which document-level dedup pairs through
//! their first copy instead.
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
    /// Units in no bucket, one bit each (empty: none).
    left_out: Vec<u64>,
}

/// Position of each unit in its bucket, per band, for the units of capped
/// buckets (`NOT_CAPPED` for the others); a band without a capped bucket
/// has no array. At most 4 bytes a unit and band, like the table itself.
#[derive(Default)]
struct Capped(Vec<Option<Vec<u32>>>);

const NOT_CAPPED: u32 = u32::MAX;

impl Capped {
    fn position(&self, band: usize, unit: u32) -> Option<u32> {
        let positions = self.0.get(band)?.as_ref()?;
        Some(positions[unit as usize]).filter(|&p| p != NOT_CAPPED)
    }

    fn set(&mut self, band: usize, unit: u32, position: u32, units: usize) {
        if self.0.len() <= band {
            self.0.resize(band + 1, None);
        }
        let positions = self.0[band].get_or_insert_with(|| vec![NOT_CAPPED; units]);
        positions[unit as usize] = position;
    }
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
            left_out: Vec::new(),
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

    /// Leaves `unit` (already added) out of every bucket: it pairs with
    /// nothing, and buckets are capped by the units left in them.
    pub fn leave_out(&mut self, unit: u32) {
        if self.left_out.is_empty() {
            self.left_out = vec![0; self.units().div_ceil(64)];
        }
        self.left_out[unit as usize / 64] |= 1 << (unit % 64);
    }

    fn is_left_out(&self, unit: u32) -> bool {
        self.left_out
            .get(unit as usize / 64)
            .is_some_and(|w| w >> (unit % 64) & 1 == 1)
    }

    fn units(&self) -> usize {
        self.hashes.len().checked_div(self.bands).unwrap_or(0)
    }

    fn hash(&self, unit: u32, band: usize) -> u32 {
        self.hashes[unit as usize * self.bands + band]
    }

    /// True if `a` and `b` were paired in a band before `band`: they share
    /// its bucket, and the bucket was not capped or they sit within `cap`
    /// of each other in it.
    fn paired_before(&self, a: u32, b: u32, band: usize, capped: &Capped, cap: usize) -> bool {
        let (ra, rb) = (a as usize * self.bands, b as usize * self.bands);
        (0..band).any(|k| {
            self.hashes[ra + k] == self.hashes[rb + k]
                && match (capped.position(k, a), capped.position(k, b)) {
                    (Some(pa), Some(pb)) => pa.abs_diff(pb) as usize <= cap,
                    _ => true,
                }
        })
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
        let mut capped = Capped::default();
        let mut entries: Vec<u64> = Vec::new();
        let mut following: Vec<u64> = Vec::new();
        let mut spare: Vec<u64> = Vec::new();
        self.sorted_band(0, &mut entries, &mut spare);
        for band in 0..self.bands {
            // The next band is sorted on another thread while this one's
            // buckets are paired here.
            std::thread::scope(|scope| -> Result<(), E> {
                if band + 1 < self.bands {
                    let (following, spare) = (&mut following, &mut spare);
                    scope.spawn(move || self.sorted_band(band + 1, following, spare));
                }
                self.pair_band(
                    band,
                    &entries,
                    cap,
                    &skip,
                    &mut emit,
                    &mut capped,
                    &mut stats,
                )
            })?;
            std::mem::swap(&mut entries, &mut following);
        }
        Ok(stats)
    }

    /// The entries of `band` (`hash << 32 | unit`), sorted, into `entries`.
    fn sorted_band(&self, band: usize, entries: &mut Vec<u64>, spare: &mut Vec<u64>) {
        entries.clear();
        let entry = |u: u32| u64::from(self.hash(u, band)) << 32 | u64::from(u);
        if self.left_out.is_empty() {
            entries.extend((0..self.units() as u32).map(entry));
        } else {
            entries.extend(
                (0..self.units() as u32)
                    .filter(|&u| !self.is_left_out(u))
                    .map(entry),
            );
        }
        sort_entries(entries, spare);
    }

    /// Pairs the units of each bucket of `band` (its sorted `entries`).
    #[allow(clippy::too_many_arguments)]
    fn pair_band<E>(
        &self,
        band: usize,
        entries: &[u64],
        cap: usize,
        skip: &impl Fn(u32, u32) -> bool,
        emit: &mut impl FnMut(u32, u32) -> Result<(), E>,
        capped: &mut Capped,
        stats: &mut Buckets,
    ) -> Result<(), E> {
        for group in entries.chunk_by(|x, y| x >> 32 == y >> 32) {
            stats.largest = stats.largest.max(group.len());
            let is_capped = group.len() > cap.saturating_add(1);
            if is_capped {
                stats.capped += 1;
            }
            // Units were numbered in order, so within a group (sorted by
            // the low bits) a < b.
            for (i, &x) in group.iter().enumerate() {
                let a = x as u32;
                let end = group.len().min((i + 1).saturating_add(cap));
                for &y in &group[i + 1..end] {
                    let b = y as u32;
                    if band > 0 && self.paired_before(a, b, band, capped, cap) {
                        continue;
                    }
                    if !skip(a, b) {
                        stats.pairs += 1;
                        emit(a, b)?;
                    }
                }
            }
            if is_capped {
                for (position, &x) in group.iter().enumerate() {
                    capped.set(band, x as u32, position as u32, self.units());
                }
            }
        }
        Ok(())
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

/// Entries from which a radix sort pays (below, a comparison sort).
const RADIX_MIN: usize = 1 << 16;

/// Sorts `entries` (`hash << 32 | unit`, made in increasing unit order) as
/// `sort_unstable` would: large arrays by a stable least-significant-digit
/// radix sort of the hash alone (three passes of 11 bits, `spare` the
/// second buffer), which keeps the units of one hash in their (increasing)
/// order. It took a fifth of paragraph-level dedup as a parallel
/// comparison sort.
fn sort_entries(entries: &mut Vec<u64>, spare: &mut Vec<u64>) {
    const BITS: u32 = 11;
    const DIGITS: usize = 3;
    const MASK: u64 = (1 << BITS) - 1;
    if entries.len() < RADIX_MIN {
        entries.par_sort_unstable();
        return;
    }
    debug_assert!(entries.windows(2).all(|w| w[0] as u32 <= w[1] as u32));
    let digit = |e: u64, d: usize| ((e >> (32 + BITS * d as u32)) & MASK) as usize;
    let mut counts = vec![[0usize; 1 << BITS]; DIGITS];
    for &e in entries.iter() {
        for (d, count) in counts.iter_mut().enumerate() {
            count[digit(e, d)] += 1;
        }
    }
    spare.clear();
    spare.resize(entries.len(), 0);
    for (d, count) in counts.iter().enumerate() {
        let mut next = [0usize; 1 << BITS];
        let mut at = 0;
        for (slot, &n) in next.iter_mut().zip(count.iter()) {
            *slot = at;
            at += n;
        }
        for &e in entries.iter() {
            let k = digit(e, d);
            spare[next[k]] = e;
            next[k] += 1;
        }
        std::mem::swap(entries, spare);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_sorted_entries_are_the_comparison_sorted_ones() {
        let mut state = 42u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Full hashes, and hashes from a few values (long runs of equal
        // hashes whose units must stay in order).
        for distinct in [u64::MAX, 7] {
            let n = RADIX_MIN + 1000;
            let entries: Vec<u64> = (0..n as u64)
                .map(|u| (next() % distinct) << 32 | u)
                .collect();
            let mut expected = entries.clone();
            expected.sort_unstable();
            let mut sorted = entries;
            sort_entries(&mut sorted, &mut Vec::new());
            assert_eq!(sorted, expected);
        }
    }

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

    /// Every pair `for_each_pair` hands out under `cap`, in order, and its
    /// bucket figures.
    fn all_pairs(t: &BandTable, cap: usize) -> (Vec<(u32, u32)>, Buckets) {
        let mut pairs = Vec::new();
        let stats = t
            .for_each_pair(
                cap,
                |_, _| false,
                |a, b| {
                    pairs.push((a, b));
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
        (pairs, stats)
    }

    #[test]
    fn giant_buckets_pair_each_unit_with_the_next_cap_units() {
        let mut t = BandTable::new(2);
        for u in 0..10 {
            t.push(u, &[7 << 32, 9 << 32]);
        }
        let (pairs, stats) = all_pairs(&t, 3);
        // 7 units with 3 successors, then 2, 1, 0; the second band repeats
        // no pair.
        assert_eq!(pairs.len(), 7 * 3 + 2 + 1);
        assert!(pairs.iter().all(|&(a, b)| a < b && b - a <= 3));
        assert_eq!((stats.capped, stats.largest, stats.pairs), (2, 10, 24));
    }

    #[test]
    fn units_left_out_are_in_no_bucket_and_do_not_count_towards_the_cap() {
        // Ten units in one bucket, cap 3; all but 0, 4 and 9 left out.
        let mut t = BandTable::new(1);
        for u in 0..10 {
            t.push(u, &[7 << 32]);
        }
        for u in [1, 2, 3, 5, 6, 7, 8] {
            t.leave_out(u);
        }
        let (pairs, stats) = all_pairs(&t, 3);
        assert_eq!(pairs, [(0, 4), (0, 9), (4, 9)]);
        assert_eq!((stats.capped, stats.largest), (0, 3));
    }

    #[test]
    fn a_pair_a_capped_bucket_left_out_is_reported_from_another_band() {
        // Band 0: one bucket of 6, cap 2. Band 1: units 0 and 5 alone together.
        let mut t = BandTable::new(2);
        for u in 0..6u32 {
            let second = if u == 0 || u == 5 { 1 } else { 100 + u as u64 };
            t.push(u, &[7 << 32, second << 32]);
        }
        let (pairs, _) = all_pairs(&t, 2);
        assert!(pairs.contains(&(0, 5)), "{pairs:?}");
        let mut unique = pairs.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), pairs.len(), "a pair came twice");
        // 9 pairs in the capped bucket (each unit with its next two), then (0, 5).
        assert_eq!(pairs.len(), 9 + 1);
    }
}
