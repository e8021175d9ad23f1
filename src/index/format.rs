//! The on-disk layout (see `FORMAT.md`): a header with magic, version and a
//! table of sections, each with its offset, length and xxh3 checksum, the
//! whole header under a checksum of its own.

use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::error::{Error, Result};

/// First 8 bytes of every index file.
pub const MAGIC: [u8; 8] = *b"NEARDUPI";
/// Version of the layout written by this library: 3 added the header
/// checksum and per-block checksums of the key sections; 2 recorded the
/// hash scheme in the parameters (1 did not).
pub const VERSION: u32 = 3;
/// Slots in the section table (unused slots are zero).
pub const MAX_SECTIONS: usize = 8;
/// Bytes of one section-table entry.
const ENTRY_BYTES: usize = 32;
/// Bytes of the header the header checksum covers.
const CHECKED_BYTES: usize = 16 + MAX_SECTIONS * ENTRY_BYTES;
/// Bytes before the first section: the checked bytes and their checksum.
pub const HEADER_BYTES: usize = CHECKED_BYTES + 8;

/// What a section holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SectionKind {
    /// Parameters, as JSON.
    Params = 1,
    /// One fixed-size record per document.
    Docs = 2,
    /// Ids, concatenated.
    Ids = 3,
    /// Texts, concatenated (UTF-8).
    Texts = 4,
    /// Document-level band keys.
    DocKeys = 5,
    /// Paragraph-level band keys.
    ParagraphKeys = 6,
}

impl SectionKind {
    /// All kinds, in file order.
    pub const ALL: [SectionKind; 6] = [
        SectionKind::Texts,
        SectionKind::Ids,
        SectionKind::Docs,
        SectionKind::Params,
        SectionKind::DocKeys,
        SectionKind::ParagraphKeys,
    ];

    /// Lowercase name for messages.
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Params => "params",
            SectionKind::Docs => "docs",
            SectionKind::Ids => "ids",
            SectionKind::Texts => "texts",
            SectionKind::DocKeys => "document keys",
            SectionKind::ParagraphKeys => "paragraph keys",
        }
    }

    fn from_u32(x: u32) -> Option<SectionKind> {
        SectionKind::ALL.into_iter().find(|k| *k as u32 == x)
    }
}

/// Where a section is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    /// What it holds.
    pub kind: SectionKind,
    /// Byte offset in the file.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
    /// xxh3-64 of its bytes.
    pub checksum: u64,
}

/// Parses and checks the header (magic, version, its checksum) and every
/// section's place (known kind, each once, inside the file, after the
/// header, not overlapping another), and the checksum of each section for
/// which `verify(kind)` is true.
pub fn read_sections(
    path: &Path,
    bytes: &[u8],
    verify: impl Fn(SectionKind) -> bool,
) -> Result<Vec<Section>> {
    let corrupt = |message: String| Error::CorruptIndex {
        path: path.to_path_buf(),
        message,
    };
    if bytes.len() < 8 || bytes[..8] != MAGIC {
        return Err(corrupt("not a neardup index (bad magic number)".into()));
    }
    if bytes.len() < 12 {
        return Err(corrupt(format!(
            "truncated header ({} bytes, expected at least {HEADER_BYTES})",
            bytes.len()
        )));
    }
    let version = u32_at(bytes, 8);
    if version != VERSION {
        return Err(Error::Version {
            path: path.to_path_buf(),
            found: version,
            supported: VERSION,
        });
    }
    if bytes.len() < HEADER_BYTES {
        return Err(corrupt(format!(
            "truncated header ({} bytes, expected at least {HEADER_BYTES})",
            bytes.len()
        )));
    }
    if xxh3_64(&bytes[..CHECKED_BYTES]) != u64_at(bytes, CHECKED_BYTES) {
        return Err(corrupt(
            "checksum mismatch in the header (magic, version, section table)".into(),
        ));
    }
    let count = u32_at(bytes, 12) as usize;
    if count > MAX_SECTIONS {
        return Err(corrupt(format!(
            "{count} sections (at most {MAX_SECTIONS})"
        )));
    }
    let mut sections: Vec<Section> = Vec::with_capacity(count);
    for i in 0..count {
        let at = 16 + i * ENTRY_BYTES;
        let kind = SectionKind::from_u32(u32_at(bytes, at))
            .ok_or_else(|| corrupt(format!("unknown section kind {}", u32_at(bytes, at))))?;
        if u32_at(bytes, at + 4) != 0 {
            return Err(corrupt(format!(
                "reserved field of section {} is not zero",
                kind.name()
            )));
        }
        if sections.iter().any(|s| s.kind == kind) {
            return Err(corrupt(format!("section {} appears twice", kind.name())));
        }
        let s = Section {
            kind,
            offset: u64_at(bytes, at + 8),
            len: u64_at(bytes, at + 16),
            checksum: u64_at(bytes, at + 24),
        };
        let end = s.offset.checked_add(s.len);
        if end.is_none_or(|e| e > bytes.len() as u64) {
            return Err(corrupt(format!(
                "truncated: section {} ends at byte {}, the file has {}",
                kind.name(),
                s.offset.saturating_add(s.len),
                bytes.len()
            )));
        }
        if s.offset < HEADER_BYTES as u64 {
            return Err(corrupt(format!(
                "section {} starts inside the header",
                kind.name()
            )));
        }
        if let Some(other) = sections.iter().find(|o| overlap(o, &s)) {
            return Err(corrupt(format!(
                "sections {} and {} overlap",
                other.kind.name(),
                kind.name()
            )));
        }
        let data = &bytes[s.offset as usize..(s.offset + s.len) as usize];
        if verify(kind) && xxh3_64(data) != s.checksum {
            return Err(corrupt(format!(
                "checksum mismatch in section {} (bytes {}..{})",
                kind.name(),
                s.offset,
                s.offset + s.len
            )));
        }
        sections.push(s);
    }
    for kind in SectionKind::ALL {
        if !sections.iter().any(|s| s.kind == kind) {
            return Err(corrupt(format!("missing section {}", kind.name())));
        }
    }
    Ok(sections)
}

fn overlap(a: &Section, b: &Section) -> bool {
    a.offset < b.offset + b.len && b.offset < a.offset + a.len
}

/// The bytes of `section` in `bytes`.
fn section_bytes(bytes: &[u8], s: &Section) -> Option<std::ops::Range<usize>> {
    let start = usize::try_from(s.offset).ok()?;
    let end = start.checked_add(usize::try_from(s.len).ok()?)?;
    (end <= bytes.len()).then_some(start..end)
}

/// Recomputes every checksum of an index in place — the key sections'
/// block checksums, each section's, the header's — so that a damaged file
/// looks intact to the checksums and only the structural checks can catch
/// it. For tests and fuzzing; does nothing where the layout cannot be
/// parsed.
pub fn seal(bytes: &mut [u8]) {
    if bytes.len() < HEADER_BYTES {
        return;
    }
    let count = (u32_at(bytes, 12) as usize).min(MAX_SECTIONS);
    for i in 0..count {
        let at = 16 + i * ENTRY_BYTES;
        let Some(kind) = SectionKind::from_u32(u32_at(bytes, at)) else {
            continue;
        };
        let s = Section {
            kind,
            offset: u64_at(bytes, at + 8),
            len: u64_at(bytes, at + 16),
            checksum: 0,
        };
        let Some(range) = section_bytes(bytes, &s) else {
            continue;
        };
        if matches!(kind, SectionKind::DocKeys | SectionKind::ParagraphKeys) {
            super::keys::seal(&mut bytes[range.clone()]);
        }
        let digest = xxh3_64(&bytes[range]);
        bytes[at + 24..at + 32].copy_from_slice(&digest.to_le_bytes());
    }
    let digest = xxh3_64(&bytes[..CHECKED_BYTES]);
    bytes[CHECKED_BYTES..HEADER_BYTES].copy_from_slice(&digest.to_le_bytes());
}

/// Writes sections one after another behind a header written last.
pub struct SectionWriter<W: Write + Seek> {
    out: W,
    sections: Vec<Section>,
    offset: u64,
    current: Option<(SectionKind, u64, Xxh3)>,
}

impl<W: Write + Seek> SectionWriter<W> {
    /// Leaves room for the header.
    pub fn new(mut out: W) -> io::Result<SectionWriter<W>> {
        out.write_all(&[0u8; HEADER_BYTES])?;
        Ok(SectionWriter {
            out,
            sections: Vec::new(),
            offset: HEADER_BYTES as u64,
            current: None,
        })
    }

    /// Starts a section (ending the previous one).
    pub fn begin(&mut self, kind: SectionKind) {
        self.end();
        self.current = Some((kind, self.offset, Xxh3::new()));
    }

    /// Appends bytes to the current section.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let (_, _, hasher) = self.current.as_mut().expect("a section was begun");
        hasher.update(bytes);
        self.out.write_all(bytes)?;
        self.offset += bytes.len() as u64;
        Ok(())
    }

    /// Bytes written to the current section so far.
    pub fn section_len(&self) -> u64 {
        self.current
            .as_ref()
            .map_or(0, |(_, start, _)| self.offset - start)
    }

    fn end(&mut self) {
        if let Some((kind, start, hasher)) = self.current.take() {
            self.sections.push(Section {
                kind,
                offset: start,
                len: self.offset - start,
                checksum: hasher.digest(),
            });
        }
    }

    /// Writes the header and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.end();
        let mut header = Vec::with_capacity(HEADER_BYTES);
        header.extend_from_slice(&MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&(self.sections.len() as u32).to_le_bytes());
        for s in &self.sections {
            header.extend_from_slice(&(s.kind as u32).to_le_bytes());
            header.extend_from_slice(&0u32.to_le_bytes());
            header.extend_from_slice(&s.offset.to_le_bytes());
            header.extend_from_slice(&s.len.to_le_bytes());
            header.extend_from_slice(&s.checksum.to_le_bytes());
        }
        header.resize(CHECKED_BYTES, 0);
        let digest = xxh3_64(&header);
        header.extend_from_slice(&digest.to_le_bytes());
        self.out.seek(SeekFrom::Start(0))?;
        self.out.write_all(&header)?;
        Ok(self.out)
    }
}

/// Little-endian u32 at `at`.
pub fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

/// Little-endian u64 at `at`.
pub fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}
