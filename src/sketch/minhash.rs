//! MinHash signatures of shingle sets: one-permutation hashing with optimal
//! densification (the default, O(n + m) for n shingles and m slots) and
//! classic k-hash MinHash (O(n·m)), which it is measured against.
//!
//! References: Li, Owen, Zhang, *One Permutation Hashing*, NIPS 2012;
//! Shrivastava, *Optimal Densification for Fast and Accurate Minwise Hashing*,
//! ICML 2017.

use crate::error::{Error, Result};

/// Slot value of a signature of the empty set.
pub const EMPTY: u32 = u32::MAX;

/// How signatures are computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scheme {
    /// One hash per shingle, split into slots, empty slots densified.
    #[default]
    OnePermutation,
    /// One hash function per slot (the textbook MinHash).
    Classic,
}

/// A MinHash signature: one 32-bit minimum per slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The slot values.
    pub values: Vec<u32>,
}

impl Signature {
    /// True if this is the signature of the empty set.
    pub fn is_empty_set(&self) -> bool {
        self.values.iter().all(|&v| v == EMPTY)
    }

    /// Estimated Jaccard similarity with `other` (the share of equal slots);
    /// 0 if either set is empty.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        assert_eq!(
            self.values.len(),
            other.values.len(),
            "signatures of different sizes"
        );
        if self.values.is_empty() || self.is_empty_set() || other.is_empty_set() {
            return 0.0;
        }
        let equal = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        equal as f64 / self.values.len() as f64
    }
}

/// Computes signatures of a fixed size and scheme.
#[derive(Clone, Debug)]
pub struct MinHasher {
    scheme: Scheme,
    slots: usize,
    /// `fmix64` of the seed, computed once: [`mix`] without its first step.
    seed_mixed: u64,
    /// Multiply-shift coefficients `(a, b)` of each classic hash function.
    coefficients: Vec<(u64, u64)>,
    /// For densification: for each slot, the slots to borrow from, in order.
    borrow_order: Vec<u32>,
}

/// Borrow candidates kept per slot; past them densification falls back to a
/// linear scan, which only sets of a handful of shingles ever reach.
const BORROW_TRIES: usize = 16;

/// Tries of [`BORROW_TRIES`] that densification tests without a branch.
const BRANCHLESS_TRIES: usize = 8;

impl MinHasher {
    /// A hasher of `slots` slots (the number of permutations).
    pub fn new(slots: usize, scheme: Scheme, seed: u64) -> Result<MinHasher> {
        if slots == 0 || slots > 1 << 16 {
            return Err(Error::Config(format!(
                "number of permutations must be between 1 and 65536, not {slots}"
            )));
        }
        let coefficients = match scheme {
            Scheme::Classic => (0..slots as u64)
                .map(|i| (mix(seed, 2 * i) | 1, mix(seed, 2 * i + 1)))
                .collect(),
            Scheme::OnePermutation => Vec::new(),
        };
        let borrow_order = match scheme {
            Scheme::OnePermutation => (0..slots)
                .flat_map(|slot| {
                    (0..BORROW_TRIES).map(move |t| {
                        (mix(
                            seed ^ 0xD1B5_4A32_D192_ED03,
                            (slot * BORROW_TRIES + t) as u64,
                        ) % slots as u64) as u32
                    })
                })
                .collect(),
            Scheme::Classic => Vec::new(),
        };
        Ok(MinHasher {
            scheme,
            slots,
            seed_mixed: fmix64(seed ^ MIX_CONSTANT),
            coefficients,
            borrow_order,
        })
    }

    /// Number of slots.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The signature of the set of `shingles` (repeats are harmless).
    pub fn sign(&self, shingles: &[u64]) -> Signature {
        let mut values = vec![EMPTY; self.slots];
        self.sign_into(shingles, &mut values);
        Signature { values }
    }

    /// Writes the signature of `shingles` into `values` (of length
    /// [`slots`](Self::slots)), reusing the caller's buffer.
    pub fn sign_into(&self, shingles: &[u64], values: &mut [u32]) {
        self.start(values);
        for &s in shingles {
            self.update(values, s);
        }
        self.finish(values);
    }

    /// Starts an incremental signature in `values`: [`update`](Self::update)
    /// with each shingle, then [`finish`](Self::finish). For streams of
    /// shingles that are never held in memory.
    pub fn start(&self, values: &mut [u32]) {
        assert_eq!(values.len(), self.slots);
        values.fill(EMPTY);
    }

    /// Adds one shingle to a signature in progress.
    #[inline(always)]
    pub fn update(&self, values: &mut [u32], shingle: u64) {
        match self.scheme {
            Scheme::OnePermutation => {
                // Re-hash so that slot and value depend on the seed, not only
                // on the shingle hash; high bits choose the slot, low bits are
                // the value.
                let h = fmix64(shingle ^ self.seed_mixed);
                let slot = ((h as u128 * self.slots as u128) >> 64) as usize;
                let value = (h as u32).min(EMPTY - 1);
                // A store every time, without a branch: whether a shingle
                // lowers its slot is a coin toss early in a text, and the
                // mispredicted branch cost more than the store.
                let current = &mut values[slot];
                *current = (*current).min(value);
            }
            Scheme::Classic => self.update_classic(values, shingle),
        }
    }

    /// Completes a signature in progress (densifies empty slots).
    pub fn finish(&self, values: &mut [u32]) {
        if self.scheme == Scheme::OnePermutation {
            self.densify(values);
        }
    }

    /// Fills each empty slot with the value of a non-empty slot chosen by a
    /// slot-specific pseudo-random sequence (the same for every set), so that
    /// two sets agree on a filled slot with probability equal to their Jaccard.
    fn densify(&self, values: &mut [u32]) {
        // Which slots were filled before borrowing, one bit each (on the
        // stack for usual sizes); only the empty slots are visited.
        let words = self.slots.div_ceil(64);
        let mut on_stack = [0u64; 8];
        let mut on_heap = Vec::new();
        let filled: &mut [u64] = if words <= on_stack.len() {
            &mut on_stack[..words]
        } else {
            on_heap.resize(words, 0);
            &mut on_heap
        };
        // A word at a time in a register: or-ing each bit into memory made
        // a chain of dependent stores, one per slot.
        for (word, chunk) in filled.iter_mut().zip(values.chunks(64)) {
            *word = chunk
                .iter()
                .enumerate()
                .fold(0u64, |w, (i, &v)| w | u64::from(v != EMPTY) << i);
        }
        let count: u32 = filled.iter().map(|w| w.count_ones()).sum();
        if count == 0 || count as usize == self.slots {
            return;
        }
        let filled: &[u64] = filled;
        let is_filled = |d: usize| filled[d / 64] >> (d % 64) & 1 == 1;
        for (word, &bits) in filled.iter().enumerate() {
            let valid = if (word + 1) * 64 <= self.slots {
                u64::MAX
            } else {
                (1u64 << (self.slots % 64)) - 1
            };
            let mut empty = !bits & valid;
            while empty != 0 {
                let slot = word * 64 + empty.trailing_zeros() as usize;
                empty &= empty - 1;
                let tries = &self.borrow_order[slot * BORROW_TRIES..(slot + 1) * BORROW_TRIES];
                // The first tries tested without branching (one of them
                // is filled most of the time): the loop's exit is as
                // unpredictable as the set, and mispredicting it cost more
                // than the tests. Eight, not four: short paragraphs fill
                // a quarter of the slots or less, and four empty tries in
                // a row were then common enough to mispredict often.
                let first = tries[..BRANCHLESS_TRIES]
                    .iter()
                    .enumerate()
                    .fold(0u32, |mask, (t, &d)| {
                        mask | u32::from(is_filled(d as usize)) << t
                    });
                let donor = (first != 0)
                    .then(|| tries[first.trailing_zeros() as usize] as usize)
                    .or_else(|| {
                        tries[BRANCHLESS_TRIES..]
                            .iter()
                            .map(|&d| d as usize)
                            .find(|&d| is_filled(d))
                    })
                    .or_else(|| next_filled(filled, self.slots, slot))
                    .expect("a filled slot exists");
                values[slot] = values[donor];
            }
        }
    }

    fn update_classic(&self, values: &mut [u32], shingle: u64) {
        let x = fmix64(shingle ^ self.seed_mixed);
        for (value, &(a, b)) in values.iter_mut().zip(&self.coefficients) {
            let h = ((a.wrapping_mul(x).wrapping_add(b)) >> 32) as u32;
            *value = (*value).min(h.min(EMPTY - 1));
        }
    }
}

/// The first filled slot after `slot`, going round (`filled`: one bit per
/// slot, `slots` of them): word by word with trailing-zero counts, where a
/// slot-by-slot walk cost up to a division per slot for each empty slot of
/// a nearly empty signature.
fn next_filled(filled: &[u64], slots: usize, slot: usize) -> Option<usize> {
    let first_in = |word: usize, from_bit: usize| {
        let bits = filled[word] & (u64::MAX.checked_shl(from_bit as u32).unwrap_or(0));
        (bits != 0).then(|| word * 64 + bits.trailing_zeros() as usize)
    };
    let start = slot + 1;
    let after = (start < slots)
        .then(|| {
            let word = start / 64;
            first_in(word, start % 64)
                .or_else(|| (word + 1..filled.len()).find_map(|w| first_in(w, 0)))
        })
        .flatten();
    after
        .or_else(|| (0..filled.len()).find_map(|w| first_in(w, 0)))
        .filter(|&d| d < slots && d != slot)
}

/// A seeded 64-bit mix of `x` (MurmurHash3's finaliser over `x` xor a mixed
/// seed): cheap, and enough to re-randomise hashes that are already xxh3
/// outputs.
#[inline]
pub(crate) fn mix(seed: u64, x: u64) -> u64 {
    fmix64(x ^ fmix64(seed ^ MIX_CONSTANT))
}

const MIX_CONSTANT: u64 = 0x9E37_79B9_7F4A_7C15;

/// MurmurHash3's 64-bit finaliser.
#[inline]
pub(crate) fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(|i| mix(99, i)).collect()
    }

    /// Densification as first written (a flag per slot, every try in
    /// turn): the reference for the bit-set version.
    fn densify_reference(hasher: &MinHasher, values: &mut [u32]) {
        let filled: Vec<bool> = values.iter().map(|&v| v != EMPTY).collect();
        if !filled.contains(&true) {
            return;
        }
        for slot in 0..hasher.slots {
            if filled[slot] {
                continue;
            }
            let tries = &hasher.borrow_order[slot * BORROW_TRIES..(slot + 1) * BORROW_TRIES];
            let donor = tries
                .iter()
                .map(|&d| d as usize)
                .find(|&d| filled[d])
                .or_else(|| {
                    (1..hasher.slots)
                        .map(|s| (slot + s) % hasher.slots)
                        .find(|&d| filled[d])
                })
                .unwrap();
            values[slot] = values[donor];
        }
    }

    #[test]
    fn densification_equals_the_reference() {
        // Sizes that leave most slots empty (the fallback past 16 tries
        // runs), some, or none; slot counts on and off a multiple of 64,
        // and one past the stack buffer.
        for slots in [1, 64, 100, 128, 200, 1000] {
            let hasher = MinHasher::new(slots, Scheme::OnePermutation, 7).unwrap();
            for n in [0, 1, 2, 3, 7, 40, 128, 3000] {
                for base in [0, 10_000] {
                    let shingles = set(base..base + n);
                    let mut values = vec![EMPTY; slots];
                    hasher.start(&mut values);
                    for &s in &shingles {
                        hasher.update(&mut values, s);
                    }
                    let mut expected = values.clone();
                    densify_reference(&hasher, &mut expected);
                    hasher.finish(&mut values);
                    assert_eq!(values, expected, "{slots} slots, {n} shingles");
                }
            }
        }
    }

    #[test]
    fn identical_sets_have_identical_signatures() {
        for scheme in [Scheme::OnePermutation, Scheme::Classic] {
            let h = MinHasher::new(64, scheme, 7).unwrap();
            let a = h.sign(&set(0..50));
            let mut shuffled = set(0..50);
            shuffled.reverse();
            shuffled.extend(set(0..10));
            assert_eq!(a, h.sign(&shuffled));
            assert_eq!(a.jaccard(&h.sign(&shuffled)), 1.0);
        }
    }

    #[test]
    fn estimates_are_close_to_the_true_jaccard() {
        // |A ∩ B| = 500, |A ∪ B| = 1500: J = 1/3.
        for scheme in [Scheme::OnePermutation, Scheme::Classic] {
            let h = MinHasher::new(1024, scheme, 3).unwrap();
            let est = h.sign(&set(0..1000)).jaccard(&h.sign(&set(500..1500)));
            assert!((est - 1.0 / 3.0).abs() < 0.05, "{scheme:?}: {est}");
        }
    }

    #[test]
    fn densification_handles_sets_smaller_than_the_signature() {
        let h = MinHasher::new(128, Scheme::OnePermutation, 1).unwrap();
        let a = h.sign(&set(0..3));
        assert!(a.values.iter().all(|&v| v != EMPTY));
        assert_eq!(a.jaccard(&h.sign(&set(0..3))), 1.0);
        assert!(a.jaccard(&h.sign(&set(10..13))) < 0.2);
    }

    #[test]
    fn empty_sets_are_similar_to_nothing() {
        let h = MinHasher::new(16, Scheme::OnePermutation, 1).unwrap();
        let e = h.sign(&[]);
        assert!(e.is_empty_set());
        assert_eq!(e.jaccard(&h.sign(&[])), 0.0);
    }

    #[test]
    fn zero_slots_is_a_config_error() {
        assert!(MinHasher::new(0, Scheme::Classic, 1).is_err());
    }
}
