//! What corpus-scale search keeps of a document: the band hashes of its units
//! (the whole document, or each paragraph), computed in one streaming pass —
//! tokens → shingles → MinHash slots — that holds no token or shingle list.

use crate::error::Result;
use crate::lsh::{Banding, WHOLE_DOCUMENT, band_hashes};
use crate::sketch::rolling::{RollingShingler, for_each_token_hash, shingle_set};
use crate::sketch::{MinHasher, SketchConfig};
use crate::text::paragraphs::{blank_line_blocks, paragraphs};

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
    pub fn split(self, text: &str) -> Vec<std::ops::Range<usize>> {
        match self {
            ParagraphRule::BlankLines => blank_line_blocks(text),
            ParagraphRule::Layout => paragraphs(text),
        }
    }
}

/// Paragraphs with fewer tokens than this are not units at paragraph level
/// (the benchmark's rule: fewer than one 5-shingle's worth of words).
pub const MIN_PARAGRAPH_TOKENS: usize = 5;

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
}

/// Per-thread buffers.
#[derive(Clone, Debug)]
pub struct Scratch {
    values: Vec<u32>,
    shingler: RollingShingler,
}

impl Fingerprinter {
    /// A fingerprinter; `banding` must fit in the signature.
    pub fn new(
        sketch: SketchConfig,
        banding: Banding,
        granularity: Granularity,
    ) -> Result<Fingerprinter> {
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

    /// The sketch parameters.
    pub fn sketch(&self) -> &SketchConfig {
        &self.sketch
    }

    /// Fresh per-thread buffers.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            values: vec![0; self.sketch.num_perm],
            shingler: RollingShingler::new(self.sketch.shingle_size, self.sketch.seed),
        }
    }

    /// The units of `text` and their band hashes.
    pub fn fingerprint(&self, text: &str, scratch: &mut Scratch) -> DocPrint {
        let mut print = DocPrint::default();
        match self.granularity {
            Granularity::Document => {
                let tokens = self.sign(text, scratch);
                print.tokens = tokens;
                if tokens > 0 {
                    print.units.push(WHOLE_DOCUMENT);
                    band_hashes(&scratch.values, self.banding, &mut print.bands);
                }
            }
            Granularity::Paragraph => {
                for (i, block) in self.paragraph_rule.split(text).into_iter().enumerate() {
                    let tokens = self.sign(&text[block], scratch);
                    print.tokens += tokens;
                    if tokens >= MIN_PARAGRAPH_TOKENS {
                        print.units.push(i as u32);
                        band_hashes(&scratch.values, self.banding, &mut print.bands);
                    }
                }
            }
        }
        print
    }

    /// Signs `text` into `scratch.values`; returns its number of tokens.
    fn sign(&self, text: &str, scratch: &mut Scratch) -> usize {
        let Scratch { values, shingler } = scratch;
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
        hasher.finish(values);
        shingler.tokens()
    }

    /// The exact shingle set (sorted hashes) of a unit of `text`, for
    /// verification.
    pub fn shingle_set(&self, text: &str, unit: u32, _scratch: &mut Scratch) -> Vec<u64> {
        let part = if unit == WHOLE_DOCUMENT {
            text
        } else {
            self.paragraph_rule
                .split(text)
                .into_iter()
                .nth(unit as usize)
                .map_or("", |r| &text[r])
        };
        shingle_set(part, self.sketch.shingle_size, self.sketch.seed)
    }

    /// The shingle sets of several units of one text (`units` ascending).
    pub fn shingle_sets(&self, text: &str, units: &[u32], scratch: &mut Scratch) -> Vec<Vec<u64>> {
        if units.len() <= 1 {
            return units
                .iter()
                .map(|&u| self.shingle_set(text, u, scratch))
                .collect();
        }
        let blocks = self.paragraph_rule.split(text);
        units
            .iter()
            .map(|&u| {
                let part = blocks.get(u as usize).map_or("", |r| &text[r.clone()]);
                shingle_set(part, self.sketch.shingle_size, self.sketch.seed)
            })
            .collect()
    }
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
        let set = f.shingle_set(text, WHOLE_DOCUMENT, &mut s);
        let sig = f.hasher.sign(&set);
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
        let sets = f.shingle_sets(text, &[1, 3], &mut f.scratch());
        assert_eq!(sets[1].len(), 2);
    }
}
