//! Corpus fingerprints: what dedup and the index keep of a document — the
//! band hashes of its units (the whole document, or each paragraph) —
//! computed in one streaming pass, tokens → shingles → MinHash slots → band
//! hashes, that holds no token or shingle list; and the exact shingle sets
//! that verification compares.
//!
//! Both corpus pipelines ([`dedup`](crate::dedup) and
//! [`index`](crate::index)) fingerprint through [`Fingerprinter`], so a
//! document indexed today and one deduplicated tomorrow get the same band
//! keys. [`HashScheme`] names everything those keys depend on; an index
//! records it and refuses queries from a neardup that hashes differently.

mod scheme;

pub use scheme::HashScheme;

use std::ops::Range;

use crate::error::Result;
use crate::lsh::{Banding, WHOLE_DOCUMENT, band_hashes};
use crate::sketch::hash::for_each_token_hash;
use crate::sketch::shingles::{RollingShingler, ShingleSet, shingle_set};
use crate::sketch::{MinHasher, SketchConfig};
use crate::text::paragraphs::{blank_line_blocks_into, paragraphs};

/// What a unit of comparison is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Granularity {
    /// Whole documents.
    #[default]
    Document,
    /// Paragraphs (blocks between blank lines, numbered from 0), compared
    /// across documents only.
    Paragraph,
}

/// How a text is cut into paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphRule {
    /// Blocks between blank lines (`\n\s*\n`), every block numbered: the
    /// dedup contract.
    #[default]
    BlankLines,
    /// The layout rule of [`paragraphs`]: blank lines, or one paragraph per
    /// line in texts whose lines end sentences (web copy). Used by the index
    /// and `check`, which see files of either layout.
    Layout,
}

impl ParagraphRule {
    /// Byte ranges of the paragraphs of `text`.
    pub fn split(self, text: &str) -> Vec<Range<usize>> {
        let mut blocks = Vec::new();
        self.split_into(text, &mut blocks);
        blocks
    }

    /// [`split`](ParagraphRule::split) into `blocks` (cleared first), so
    /// that a thread reuses one vector for every text.
    pub fn split_into(self, text: &str, blocks: &mut Vec<Range<usize>>) {
        blocks.clear();
        match self {
            ParagraphRule::BlankLines => blank_line_blocks_into(text, blocks),
            ParagraphRule::Layout => blocks.extend(paragraphs(text)),
        }
    }
}

/// Paragraphs with fewer tokens than this are not units at paragraph level
/// (the benchmark's rule: fewer than one 5-shingle's worth of words).
pub const MIN_PARAGRAPH_TOKENS: usize = 5;

/// The 128-bit hash (xxh3) of a unit's text, raw, as read: units with
/// equal hashes are identical texts, which document-level dedup collapses
/// to their first copy (the Spark job hashes the same bytes the same way).
/// Two different texts meet with the odds of two random 128-bit values.
pub fn unit_text_hash(text: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

/// Fingerprints documents for one configuration.
#[derive(Clone, Debug)]
pub struct Fingerprinter {
    sketch: SketchConfig,
    hasher: MinHasher,
    banding: Banding,
    granularity: Granularity,
    paragraph_rule: ParagraphRule,
}

/// The fingerprint of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocPrint {
    /// Tokens in the whole document (0: an empty document).
    pub tokens: usize,
    /// The units: [`WHOLE_DOCUMENT`] or paragraph numbers.
    pub units: Vec<u32>,
    /// Band hashes, `bands` per unit, in unit order.
    pub bands: Vec<u64>,
    /// Bytes of text of each unit.
    pub unit_bytes: Vec<u32>,
}

impl DocPrint {
    /// The band hashes of the `i`-th unit.
    pub fn unit_bands(&self, i: usize) -> &[u64] {
        let per_unit = self.bands.len() / self.units.len().max(1);
        &self.bands[i * per_unit..(i + 1) * per_unit]
    }
}

/// Per-thread buffers.
#[derive(Clone, Debug)]
pub struct Scratch {
    values: Vec<u32>,
    shingler: RollingShingler,
    blocks: Vec<Range<usize>>,
}

impl Fingerprinter {
    /// A fingerprinter; `banding` must fit in the signature.
    pub fn new(
        sketch: SketchConfig,
        banding: Banding,
        granularity: Granularity,
    ) -> Result<Fingerprinter> {
        sketch.check()?;
        let hasher = MinHasher::new(sketch.num_perm, sketch.scheme, sketch.seed)?;
        Banding::new(banding.bands, banding.rows, sketch.num_perm)?;
        Ok(Fingerprinter {
            sketch,
            hasher,
            banding,
            granularity,
            paragraph_rule: ParagraphRule::default(),
        })
    }

    /// The same fingerprinter cutting paragraphs by `rule`.
    pub fn with_paragraph_rule(mut self, rule: ParagraphRule) -> Fingerprinter {
        self.paragraph_rule = rule;
        self
    }

    /// The banding.
    pub fn banding(&self) -> Banding {
        self.banding
    }

    /// The granularity.
    pub fn granularity(&self) -> Granularity {
        self.granularity
    }

    /// How paragraphs are cut (paragraph numbers of units refer to it).
    pub fn paragraph_rule(&self) -> ParagraphRule {
        self.paragraph_rule
    }

    /// The sketch parameters.
    pub fn sketch(&self) -> &SketchConfig {
        &self.sketch
    }

    /// The hash scheme of these fingerprints.
    pub fn scheme(&self) -> HashScheme {
        HashScheme::of(&self.sketch)
    }

    /// Fresh per-thread buffers.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            values: vec![0; self.sketch.num_perm],
            shingler: RollingShingler::new(self.sketch.shingle_size, self.sketch.seed),
            blocks: Vec::new(),
        }
    }

    /// The units of `text` and their band hashes.
    pub fn fingerprint(&self, text: &str, scratch: &mut Scratch) -> DocPrint {
        let mut print = DocPrint::default();
        self.fingerprint_into(text, scratch, &mut print);
        print
    }

    /// Appends the units of `text`, their sizes and band hashes to `print`
    /// and adds its tokens to `print.tokens`; returns the number of units
    /// added. Several texts can share one `print` (their units one after
    /// the other), so that fingerprinting allocates nothing per text.
    pub fn fingerprint_into(
        &self,
        text: &str,
        scratch: &mut Scratch,
        print: &mut DocPrint,
    ) -> usize {
        let before = print.units.len();
        match self.granularity {
            Granularity::Document => {
                let tokens = self.sign(text, scratch);
                print.tokens += tokens;
                if tokens > 0 {
                    self.hasher.finish(&mut scratch.values);
                    print.units.push(WHOLE_DOCUMENT);
                    print.unit_bytes.push(clamp_u32(text.len()));
                    band_hashes(&scratch.values, self.banding, &mut print.bands);
                }
            }
            Granularity::Paragraph => {
                let mut blocks = std::mem::take(&mut scratch.blocks);
                self.paragraph_rule.split_into(text, &mut blocks);
                for (i, block) in blocks.iter().enumerate() {
                    let bytes = clamp_u32(block.len());
                    let tokens = self.sign(&text[block.clone()], scratch);
                    print.tokens += tokens;
                    if tokens >= MIN_PARAGRAPH_TOKENS {
                        self.hasher.finish(&mut scratch.values);
                        print.units.push(i as u32);
                        print.unit_bytes.push(bytes);
                        band_hashes(&scratch.values, self.banding, &mut print.bands);
                    }
                }
                scratch.blocks = blocks;
            }
        }
        print.units.len() - before
    }

    /// Signs `text` into `scratch.values`, but for the densification of
    /// [`MinHasher::finish`], left to the callers that keep the signature
    /// (short paragraphs are not units: densifying their mostly empty
    /// signatures was wasted work); returns its number of tokens.
    fn sign(&self, text: &str, scratch: &mut Scratch) -> usize {
        let Scratch {
            values, shingler, ..
        } = scratch;
        let hasher = &self.hasher;
        hasher.start(values);
        shingler.reset();
        for_each_token_hash(text, |t| {
            if let Some(s) = shingler.push(t) {
                hasher.update(values, s);
            }
        });
        if let Some(s) = shingler.finish() {
            hasher.update(values, s);
        }
        shingler.tokens()
    }

    /// The exact shingle set of a unit of `text` ([`WHOLE_DOCUMENT`] or a
    /// paragraph number), for verification; empty for a paragraph that
    /// does not exist.
    pub fn shingle_set(&self, text: &str, unit: u32) -> ShingleSet {
        if unit == WHOLE_DOCUMENT {
            return self.set_of(text);
        }
        self.shingle_sets(text, &[unit]).pop().unwrap_or_default()
    }

    /// The shingle sets of several units of one text (paragraph numbers, or
    /// [`WHOLE_DOCUMENT`]); the paragraphs are cut once.
    pub fn shingle_sets(&self, text: &str, units: &[u32]) -> Vec<ShingleSet> {
        let needs_blocks = units.iter().any(|&u| u != WHOLE_DOCUMENT);
        let blocks = if needs_blocks {
            self.paragraph_rule.split(text)
        } else {
            Vec::new()
        };
        units
            .iter()
            .map(|&u| match u {
                WHOLE_DOCUMENT => self.set_of(text),
                p => blocks
                    .get(p as usize)
                    .map_or_else(ShingleSet::default, |r| self.set_of(&text[r.clone()])),
            })
            .collect()
    }

    fn set_of(&self, text: &str) -> ShingleSet {
        shingle_set(text, self.sketch.shingle_size, self.sketch.seed)
    }

    /// The signature slots of `text` as a whole (for tests and tools; the
    /// streaming pass never builds the shingle set).
    pub fn signature(&self, text: &str) -> Vec<u32> {
        let mut scratch = self.scratch();
        self.sign(text, &mut scratch);
        self.hasher.finish(&mut scratch.values);
        scratch.values
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(granularity: Granularity) -> Fingerprinter {
        Fingerprinter::new(
            SketchConfig::default(),
            Banding { bands: 16, rows: 8 },
            granularity,
        )
        .unwrap()
    }

    #[test]
    fn streaming_signature_equals_the_set_signature() {
        let f = fp(Granularity::Document);
        let mut s = f.scratch();
        let text = "One two three four five six seven. Eight nine ten eleven twelve!";
        let print = f.fingerprint(text, &mut s);
        let set = f.shingle_set(text, WHOLE_DOCUMENT);
        let sig = f.hasher.sign(set.as_slice());
        let mut expected = Vec::new();
        band_hashes(&sig.values, f.banding, &mut expected);
        assert_eq!(print.bands, expected);
        assert_eq!(print.units, [WHOLE_DOCUMENT]);
        assert_eq!(print.tokens, 12);
    }

    #[test]
    fn empty_documents_have_no_units() {
        let f = fp(Granularity::Document);
        let print = f.fingerprint(" ... \n\n !", &mut f.scratch());
        assert_eq!(print.tokens, 0);
        assert!(print.units.is_empty() && print.bands.is_empty());
    }

    #[test]
    fn short_paragraphs_are_not_units_but_keep_their_number() {
        let f = fp(Granularity::Paragraph);
        let text = "Short one.\n\nThis paragraph has enough words to count.\n \nfour words only here\n\nAnd this one has six words.";
        let print = f.fingerprint(text, &mut f.scratch());
        assert_eq!(print.units, [1, 3]);
        assert_eq!(print.bands.len(), 2 * 16);
        assert_eq!(print.unit_bands(1), &print.bands[16..]);
        let sets = f.shingle_sets(text, &[1, 3]);
        assert_eq!(sets[1].len(), 2);
        assert_eq!(f.shingle_set(text, 3), sets[1]);
        assert!(f.shingle_set(text, 9).is_empty());
    }

    /// The band keys of a fixed text, pinned. If this fails, the hashing of
    /// tokens, shingles, signatures or bands changed, and every index built
    /// before no longer matches what queries compute: bump the changed part
    /// of [`HashScheme`] (so old indexes are refused with a clear error)
    /// and update the values here.
    #[test]
    fn golden_band_keys() {
        let text = "BRENNMARK, March 14 (Northwire) – A bulk carrier loaded with \
                    2,400 tonnes of grain ran aground on Tuesday near the port's \
                    northern breakwater, blocking the main channel.\n\nSaltmere \
                    Shipping said nobody was hurt. Naïve café owners in Zürich \
                    watched 日本語 news.";
        let doc =
            fp(Granularity::Document).fingerprint(text, &mut fp(Granularity::Document).scratch());
        let para =
            fp(Granularity::Paragraph).fingerprint(text, &mut fp(Granularity::Paragraph).scratch());
        let golden = |bands: &[u64]| {
            bands
                .iter()
                .map(|b| format!("{b:016x}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(golden(&doc.bands[..4]), GOLDEN_DOCUMENT);
        assert_eq!(para.units, [0, 1]);
        assert_eq!(golden(&para.unit_bands(1)[..4]), GOLDEN_PARAGRAPH);
        assert_eq!(
            HashScheme::of(&SketchConfig::default()).id(),
            GOLDEN_SCHEME,
            "the scheme id changed: say why in the commit, and expect old indexes to be refused"
        );
    }

    // Computed by neardup 14bf075, before the fingerprint module existed:
    // moving the code changed no key.
    const GOLDEN_DOCUMENT: [&str; 4] = [
        "1d4903dbc71ae21f",
        "90aedd9a5dfd6c75",
        "d9cbf22887b22cd7",
        "e203c9cf7581d26c",
    ];
    const GOLDEN_PARAGRAPH: [&str; 4] = [
        "56cf20f78da488b9",
        "b808b971d3e15a74",
        "65dd862d9db5402b",
        "336135be977256d3",
    ];
    const GOLDEN_SCHEME: &str = "uax29-words/1 unicode-17.0.0; \
        nfkc-casefold-quotes/1 unicode-18.0.0 casefold-16.0.0; fmix64-xxh3/1; karp-rabin-64/1; \
        one-permutation-densified/1; xxh3-u32le/1; k=5 m=128 seed=0x5eed";
}
