//! The fixed-size records of an index (layout in `FORMAT.md`): one encoder
//! and one decoder per record, so the layout is stated once.

use super::format::{u32_at, u64_at};
use crate::corpus::Id;

/// A document's entry in the `docs` section: where its id and text are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocRecord {
    /// Offset of the id in the `ids` section.
    pub id_offset: u64,
    /// Length of the id in bytes.
    pub id_len: u32,
    /// The id was a JSON number (kept as written), not a string.
    pub id_is_number: bool,
    /// Offset of the text in the `texts` section.
    pub text_offset: u64,
    /// Length of the text in bytes.
    pub text_len: u64,
    /// xxh3-64 of the text.
    pub text_checksum: u64,
}

impl DocRecord {
    /// Bytes of one record.
    pub const SIZE: usize = 40;

    /// The record's bytes.
    pub fn encode(&self) -> [u8; Self::SIZE] {
        let mut rec = [0u8; Self::SIZE];
        rec[..8].copy_from_slice(&self.id_offset.to_le_bytes());
        rec[8..12].copy_from_slice(&self.id_len.to_le_bytes());
        rec[12..16].copy_from_slice(&u32::from(self.id_is_number).to_le_bytes());
        rec[16..24].copy_from_slice(&self.text_offset.to_le_bytes());
        rec[24..32].copy_from_slice(&self.text_len.to_le_bytes());
        rec[32..40].copy_from_slice(&self.text_checksum.to_le_bytes());
        rec
    }

    /// The id kind field of the record at the start of `bytes`: 0 string,
    /// 1 number (opening an index refuses any other).
    pub fn id_kind(bytes: &[u8]) -> u32 {
        u32_at(bytes, 12)
    }

    /// The record at the start of `bytes` (at least [`Self::SIZE`] long).
    /// An id kind other than 0 or 1 reads as a string id (opening an index
    /// refuses it); the id's bytes are checked when read.
    pub fn decode(bytes: &[u8]) -> DocRecord {
        DocRecord {
            id_offset: u64_at(bytes, 0),
            id_len: u32_at(bytes, 8),
            id_is_number: u32_at(bytes, 12) == 1,
            text_offset: u64_at(bytes, 16),
            text_len: u64_at(bytes, 24),
            text_checksum: u64_at(bytes, 32),
        }
    }

    /// The id stored for this record, given its bytes.
    pub fn id(&self, text: String) -> Id {
        if self.id_is_number {
            Id::Number(text)
        } else {
            Id::Text(text)
        }
    }
}

/// One band key as stored: the band is given by the record's position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeyRecord {
    /// The band's hash (records of a band are sorted by it).
    pub hash: u64,
    /// Document number.
    pub doc: u32,
    /// Paragraph number, or [`WHOLE_DOCUMENT`](crate::lsh::WHOLE_DOCUMENT).
    pub paragraph: u32,
}

impl KeyRecord {
    /// Bytes of one record.
    pub const SIZE: usize = 16;

    /// The record's bytes.
    pub fn encode(&self) -> [u8; Self::SIZE] {
        let mut rec = [0u8; Self::SIZE];
        rec[..8].copy_from_slice(&self.hash.to_le_bytes());
        rec[8..12].copy_from_slice(&self.doc.to_le_bytes());
        rec[12..].copy_from_slice(&self.paragraph.to_le_bytes());
        rec
    }

    /// The record at the start of `bytes` (at least [`Self::SIZE`] long).
    pub fn decode(bytes: &[u8]) -> KeyRecord {
        KeyRecord {
            hash: u64_at(bytes, 0),
            doc: u32_at(bytes, 8),
            paragraph: u32_at(bytes, 12),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let doc = DocRecord {
            id_offset: 1 << 40,
            id_len: 7,
            id_is_number: true,
            text_offset: 123_456_789_012,
            text_len: u64::MAX - 1,
            text_checksum: 0xdead_beef_cafe_f00d,
        };
        assert_eq!(DocRecord::decode(&doc.encode()), doc);
        let string = DocRecord {
            id_is_number: false,
            ..doc
        };
        assert_eq!(DocRecord::decode(&string.encode()), string);
        let key = KeyRecord {
            hash: 0x0123_4567_89ab_cdef,
            doc: 42,
            paragraph: u32::MAX,
        };
        assert_eq!(KeyRecord::decode(&key.encode()), key);
    }

    #[test]
    fn layout_is_little_endian_as_documented() {
        let key = KeyRecord {
            hash: 1,
            doc: 2,
            paragraph: 3,
        };
        assert_eq!(
            key.encode(),
            [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]
        );
        let doc = DocRecord::decode(&[0u8; 40]);
        assert_eq!(doc.id(String::from("x")), Id::Text("x".into()));
    }
}
