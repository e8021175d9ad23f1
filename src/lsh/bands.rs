//! Band keys: the hash of each band of a signature, tagged with what it
//! fingerprints. `(doc, paragraph, band, hash)` is the contract between the
//! local index and a distributed run: a cluster job can emit these tuples
//! from any number of workers, group them by `(band, hash)` (a shuffle), and
//! get exactly the candidate pairs [`super::candidates`] finds locally.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::Banding;

/// `paragraph` of a key that fingerprints a whole document.
pub const WHOLE_DOCUMENT: u32 = u32::MAX;

/// One band key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BandKey {
    /// Document number (position in the corpus or index).
    pub doc: u32,
    /// 0-based paragraph, or [`WHOLE_DOCUMENT`].
    pub paragraph: u32,
    /// Band number, 0-based.
    pub band: u16,
    /// Hash of the band's rows (seeded by the band number).
    pub hash: u64,
}

/// Appends the hash of each band of `signature` to `out`.
pub fn band_hashes(signature: &[u32], banding: Banding, out: &mut Vec<u64>) {
    assert!(signature.len() >= banding.slots(), "signature too short");
    let mut buf = [0u8; 4 * 64];
    for (band, rows) in signature
        .chunks_exact(banding.rows)
        .take(banding.bands)
        .enumerate()
    {
        out.push(rows_hash(rows, band as u64, &mut buf));
    }
}

#[inline]
fn rows_hash(rows: &[u32], seed: u64, buf: &mut [u8; 256]) -> u64 {
    if rows.len() <= 64 {
        for (slot, v) in buf.chunks_exact_mut(4).zip(rows) {
            slot.copy_from_slice(&v.to_le_bytes());
        }
        xxh3_64_with_seed(&buf[..4 * rows.len()], seed)
    } else {
        let bytes: Vec<u8> = rows.iter().flat_map(|v| v.to_le_bytes()).collect();
        xxh3_64_with_seed(&bytes, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bands_hash_equal_and_bands_differ() {
        let banding = Banding { bands: 4, rows: 2 };
        let a = [1, 2, 3, 4, 5, 6, 7, 8, 99];
        let mut b = a;
        b[7] = 0;
        let (mut ha, mut hb) = (Vec::new(), Vec::new());
        band_hashes(&a, banding, &mut ha);
        band_hashes(&b, banding, &mut hb);
        assert_eq!(ha.len(), 4);
        assert_eq!(ha[..3], hb[..3]);
        assert_ne!(ha[3], hb[3]);
        // The same rows in two bands give different keys (band-seeded).
        let mut same = Vec::new();
        band_hashes(&[7, 7, 7, 7], Banding { bands: 2, rows: 2 }, &mut same);
        assert_ne!(same[0], same[1]);
    }
}
