//! The result of comparing two documents: the one type every report renders.

use serde::Serialize;

use crate::text::Span;

/// What a comparison left out to bound its work (the limits are the
/// aligner's `LimitConfig`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Capped {
    /// Each sentence kept at most this many candidate partners.
    pub candidates_per_sentence: usize,
    /// Sentences that had more candidates and lost some: source sentences
    /// with more, and derived sentences cut to the cap afterwards.
    pub sentences_capped: usize,
    /// Frequent terms that proposed no candidates (their postings would
    /// have cost more than the work bound).
    pub frequent_terms_skipped: usize,
}

/// How a derived passage relates to its source passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Copied word for word (normalised edit similarity ≥ the verbatim bar).
    Verbatim,
    /// Copied with light edits: words swapped, numbers reformatted, trimmed.
    Edited,
    /// Rewritten: same content, mostly different wording.
    Paraphrase,
    /// A short passage condensing a much longer source passage.
    Summary,
}

impl Kind {
    /// The lowercase name used in every output format.
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Verbatim => "verbatim",
            Kind::Edited => "edited",
            Kind::Paraphrase => "paraphrase",
            Kind::Summary => "summary",
        }
    }
}

/// The document-level judgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Most of the derived document comes from the source.
    Derived,
    /// Some passages come from the source.
    PartiallyDerived,
    /// Nothing was found to come from the source.
    NotDerived,
}

impl Verdict {
    /// The name used in every output format.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Derived => "derived",
            Verdict::PartiallyDerived => "partially-derived",
            Verdict::NotDerived => "not-derived",
        }
    }
}

/// A passage of the derived document aligned to the source passage it comes
/// from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alignment {
    /// The passage in the source document.
    pub source: Span,
    /// The passage in the derived document.
    pub derived: Span,
    /// Similarity of the two passages in [0, 1] (exact, not estimated).
    pub score: f64,
    /// How the passage was derived.
    pub kind: Kind,
}

/// Document-level similarity figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Exact Jaccard similarity of the two shingle sets.
    pub jaccard: f64,
    /// Share of the derived document's shingles found in the source.
    pub containment_derived_in_source: f64,
    /// Share of the source document's shingles found in the derived one.
    pub containment_source_in_derived: f64,
    /// Share of the derived document's words (occurrences) that also occur
    /// in the source: vocabulary overlap, blind to order and wording.
    pub word_containment: f64,
    /// Share of the derived document's distinct words found in the source.
    pub word_types: f64,
    /// Share of the derived document's distinct content terms (stemmed words
    /// of three letters or more, numbers) found in the source.
    pub term_types: f64,
    /// Share of the derived document's distinct word pairs found in the
    /// source.
    pub word_bigrams: f64,
    /// Share of the derived document's distinct character 5-grams found in
    /// the source.
    pub char_5grams: f64,
    /// Share of the derived document's words inside a run of three or more
    /// words that also occurs in the source (the coverage of greedy string
    /// tiling with a minimum match of three words).
    pub trigram_coverage: f64,
    /// Natural logarithm of the source's length over the derived
    /// document's, in words (0 when either is empty).
    pub log_length_ratio: f64,
    /// MinHash estimate of the Jaccard similarity (for reference; never used
    /// as a verdict).
    pub minhash_jaccard: f64,
    /// Share of the derived document's word characters inside aligned
    /// passages (punctuation and whitespace do not count).
    pub reused: f64,
    /// Overall derivation score in [0, 1]: `reused` weighted by the passages'
    /// scores.
    pub score: f64,
    /// Probability that the derived document draws on the source at all: a
    /// logistic model over the figures above (fitted across corpora, see
    /// `verdict`), the basis of the verdict.
    pub derivation: f64,
}

/// The comparison of a derived document with a source document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Id of the source document.
    pub source_id: String,
    /// Id of the derived document.
    pub derived_id: String,
    /// Document-level figures.
    pub scores: Scores,
    /// The judgement.
    pub verdict: Verdict,
    /// Aligned passages, in derived-document order.
    pub alignments: Vec<Alignment>,
    /// Set when the comparison hit a work bound on repetitive text and
    /// left candidate sentence pairs out: passages may be missing.
    pub capped: Option<Capped>,
}

impl Comparison {
    /// True if any passage was aligned. (Without one, the verdict can still
    /// be `partially-derived` on document-level evidence alone.)
    pub fn found(&self) -> bool {
        !self.alignments.is_empty()
    }
}
