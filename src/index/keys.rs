//! Band-key sections (layout in `FORMAT.md`): per band, records sorted by
//! hash, with a checksum per block of records so that a query verifies the
//! records it reads without reading the whole section.
//!
//! ```text
//! bands u32, block u32 (records per checksum block),
//! bands + 1 u64: record index where each band starts (the last is the total),
//! records (16 bytes each: hash u64, doc u32, paragraph u32),
//! one u64 per block: xxh3-64 of the block's records (the last block may be short),
//! u64: xxh3-64 of everything above except the records
//! ```
//!
//! Opening checks the structure and the last checksum (the band table and
//! the block checksums: a few bytes per 4 KB of records). Every record is
//! read through [`Keys::record`], which verifies its block the first time
//! (remembered in a bitmap shared by all threads).

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::format::{Section, u32_at, u64_at};
use super::records::KeyRecord;
use crate::error::{Error, Result};

/// Records per checksum block: 256 × 16 bytes, one page.
pub const BLOCK_RECORDS: usize = 256;

/// Largest block size a reader accepts (a damaged field must not make it
/// hash gigabytes per record read).
const MAX_BLOCK_RECORDS: usize = 1 << 16;

/// An open band-key section.
#[derive(Debug)]
pub struct Keys {
    /// The section (for messages).
    section: Section,
    /// Byte offset of the first record in the file.
    records: usize,
    /// Record index where each band starts (bands + 1 entries).
    band_starts: Vec<usize>,
    /// Records per block.
    block: usize,
    /// Byte offset of the first block checksum in the file.
    checksums: usize,
    /// One bit per block: verified.
    verified: Vec<AtomicU64>,
}

impl Keys {
    /// Parses and checks the section `s` of `map`, which must hold `bands`
    /// bands.
    pub fn open(path: &Path, map: &[u8], s: Section, bands: usize) -> Result<Keys> {
        let name = s.kind.name();
        let corrupt = |what: String| Error::CorruptIndex {
            path: path.to_path_buf(),
            message: format!("{name} section: {what}"),
        };
        let (base, len) = (s.offset as usize, s.len as usize);
        let head = bands
            .checked_add(1)
            .and_then(|n| n.checked_mul(8))
            .and_then(|n| n.checked_add(8))
            .filter(|&n| n <= len)
            .ok_or_else(|| corrupt(format!("too short for {bands} bands ({len} bytes)")))?;
        let stored_bands = u32_at(map, base) as usize;
        if stored_bands != bands {
            return Err(corrupt(format!(
                "{stored_bands} bands, the parameters say {bands}"
            )));
        }
        let block = u32_at(map, base + 4) as usize;
        if !(1..=MAX_BLOCK_RECORDS).contains(&block) {
            return Err(corrupt(format!("bad block size {block}")));
        }
        let band_starts: Vec<usize> = (0..=bands)
            .map(|i| u64_at(map, base + 8 + 8 * i))
            .map(|x| usize::try_from(x).unwrap_or(usize::MAX))
            .collect();
        let total = band_starts[bands];
        if band_starts[0] != 0 || band_starts.windows(2).any(|w| w[0] > w[1]) {
            return Err(corrupt("band table out of order".into()));
        }
        let blocks = total.div_ceil(block);
        let expected = total
            .checked_mul(KeyRecord::SIZE)
            .and_then(|r| r.checked_add(head))
            .and_then(|n| n.checked_add(8 * blocks + 8));
        if expected != Some(len) {
            return Err(corrupt(format!(
                "{total} records in {blocks} blocks do not fill {len} bytes"
            )));
        }
        let records = base + head;
        let checksums = records + total * KeyRecord::SIZE;
        let stored = u64_at(map, checksums + 8 * blocks);
        let mut hasher = Xxh3::new();
        hasher.update(&map[base..records]);
        hasher.update(&map[checksums..checksums + 8 * blocks]);
        if hasher.digest() != stored {
            return Err(corrupt("checksum mismatch in its band table".into()));
        }
        Ok(Keys {
            section: s,
            records,
            band_starts,
            block,
            checksums,
            verified: (0..blocks.div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
        })
    }

    /// The section's name, for messages.
    pub fn section_name(&self) -> &'static str {
        self.section.kind.name()
    }

    /// Number of bands.
    pub fn bands(&self) -> usize {
        self.band_starts.len() - 1
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.band_starts[self.bands()]
    }

    /// Record indices of band `band`.
    pub fn band(&self, band: usize) -> std::ops::Range<usize> {
        self.band_starts[band]..self.band_starts[band + 1]
    }

    /// Record `i`, its block verified first.
    pub fn record(&self, path: &Path, map: &[u8], i: usize) -> Result<KeyRecord> {
        self.verify_block(path, map, i / self.block)?;
        let at = self.records + i * KeyRecord::SIZE;
        Ok(KeyRecord::decode(&map[at..at + KeyRecord::SIZE]))
    }

    /// Verifies the block holding record `i` (for a record next to one read:
    /// see [`Keys::lookup`]).
    fn verify_record(&self, path: &Path, map: &[u8], i: usize) -> Result<()> {
        self.verify_block(path, map, i / self.block)
    }

    fn verify_block(&self, path: &Path, map: &[u8], b: usize) -> Result<()> {
        let (word, bit) = (&self.verified[b / 64], 1u64 << (b % 64));
        if word.load(Ordering::Relaxed) & bit != 0 {
            return Ok(());
        }
        let first = b * self.block;
        let last = (first + self.block).min(self.len());
        let bytes =
            &map[self.records + first * KeyRecord::SIZE..self.records + last * KeyRecord::SIZE];
        if xxh3_64(bytes) != u64_at(map, self.checksums + 8 * b) {
            return Err(Error::CorruptIndex {
                path: path.to_path_buf(),
                message: format!(
                    "checksum mismatch in section {} (records {first}..{last})",
                    self.section.kind.name()
                ),
            });
        }
        word.fetch_or(bit, Ordering::Relaxed);
        Ok(())
    }

    /// The `(doc, paragraph)` of every record of `band` whose hash is
    /// `hash`, by binary search. A damaged record that belongs to the
    /// answer is always read or next to the boundary the search ends on,
    /// so its block is verified: damage is an error, never a missing key.
    pub fn lookup(
        &self,
        path: &Path,
        map: &[u8],
        band: usize,
        hash: u64,
    ) -> Result<Vec<(u32, u32)>> {
        let range = self.band(band);
        // First record with a hash >= `hash` (records are sorted by hash).
        let (mut a, mut b) = (range.start, range.end);
        while a < b {
            let mid = a + (b - a) / 2;
            if self.record(path, map, mid)?.hash < hash {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        if a > range.start {
            self.verify_record(path, map, a - 1)?;
        }
        let mut out = Vec::new();
        while a < range.end {
            let r = self.record(path, map, a)?;
            if r.hash != hash {
                break;
            }
            out.push((r.doc, r.paragraph));
            a += 1;
        }
        Ok(out)
    }
}

/// Writes a band-key section: `sizes[b]` records for band `b`, produced in
/// order by `records(band)`.
pub fn write(
    out: &mut impl FnMut(&[u8]) -> io::Result<()>,
    sizes: &[u64],
    mut records: impl FnMut(usize) -> io::Result<Vec<KeyRecord>>,
) -> io::Result<()> {
    let mut table = Vec::with_capacity(8 + 8 * (sizes.len() + 1));
    table.extend_from_slice(&(sizes.len() as u32).to_le_bytes());
    table.extend_from_slice(&(BLOCK_RECORDS as u32).to_le_bytes());
    let mut start = 0u64;
    table.extend_from_slice(&start.to_le_bytes());
    for n in sizes {
        start += n;
        table.extend_from_slice(&start.to_le_bytes());
    }
    out(&table)?;
    let mut blocks = BlockHasher::default();
    let mut buf = Vec::with_capacity(KeyRecord::SIZE * BLOCK_RECORDS);
    for (band, &size) in sizes.iter().enumerate() {
        let sorted = records(band)?;
        if sorted.len() as u64 != size {
            return Err(io::Error::other(format!(
                "band {band}: {} keys, {size} expected",
                sorted.len()
            )));
        }
        for chunk in sorted.chunks(BLOCK_RECORDS) {
            buf.clear();
            for key in chunk {
                let record = key.encode();
                blocks.push(&record);
                buf.extend_from_slice(&record);
            }
            out(&buf)?;
        }
    }
    let checksums = blocks.finish();
    out(&checksums)?;
    let mut hasher = Xxh3::new();
    hasher.update(&table);
    hasher.update(&checksums);
    out(&hasher.digest().to_le_bytes())
}

/// xxh3-64 of every [`BLOCK_RECORDS`] records.
#[derive(Default)]
struct BlockHasher {
    hasher: Xxh3,
    in_block: usize,
    digests: Vec<u8>,
}

impl BlockHasher {
    fn push(&mut self, record: &[u8]) {
        self.hasher.update(record);
        self.in_block += 1;
        if self.in_block == BLOCK_RECORDS {
            self.digests
                .extend_from_slice(&self.hasher.digest().to_le_bytes());
            self.hasher.reset();
            self.in_block = 0;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.in_block > 0 {
            self.digests
                .extend_from_slice(&self.hasher.digest().to_le_bytes());
        }
        self.digests
    }
}

/// Recomputes every checksum of a band-key section in place (see
/// [`format::seal`](super::format::seal)); leaves a section it cannot parse
/// alone.
pub fn seal(section: &mut [u8]) {
    if section.len() < 8 {
        return;
    }
    let bands = u32_at(section, 0) as usize;
    let block = u32_at(section, 4) as usize;
    let head = match bands.checked_add(1).and_then(|n| n.checked_mul(8)) {
        Some(n) if n + 8 <= section.len() => n + 8,
        _ => return,
    };
    let total = u64_at(section, head - 8);
    let Ok(total) = usize::try_from(total) else {
        return;
    };
    if !(1..=MAX_BLOCK_RECORDS).contains(&block) {
        return;
    }
    let blocks = total.div_ceil(block);
    let records_end = total
        .checked_mul(KeyRecord::SIZE)
        .and_then(|r| r.checked_add(head));
    let Some(records_end) = records_end.filter(|&e| e + 8 * blocks + 8 <= section.len()) else {
        return;
    };
    for b in 0..blocks {
        let first = head + b * block * KeyRecord::SIZE;
        let last = (first + block * KeyRecord::SIZE).min(records_end);
        let digest = xxh3_64(&section[first..last]);
        let at = records_end + 8 * b;
        section[at..at + 8].copy_from_slice(&digest.to_le_bytes());
    }
    let sums = records_end..records_end + 8 * blocks;
    let mut hasher = Xxh3::new();
    hasher.update(&section[..head]);
    hasher.update(&section[sums.clone()]);
    let digest = hasher.digest();
    section[sums.end..sums.end + 8].copy_from_slice(&digest.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_digests_cover_every_record_once() {
        let mut h = BlockHasher::default();
        let record = [7u8; KeyRecord::SIZE];
        for _ in 0..BLOCK_RECORDS + 3 {
            h.push(&record);
        }
        let digests = h.finish();
        assert_eq!(digests.len(), 16);
        let whole = vec![7u8; KeyRecord::SIZE * BLOCK_RECORDS];
        assert_eq!(u64_at(&digests, 0), xxh3_64(&whole));
        assert_eq!(u64_at(&digests, 8), xxh3_64(&whole[..3 * KeyRecord::SIZE]));
    }
}
