//! Parameters of alignment, grouped by the stage that uses them. Every bar
//! says what it measures and where its default comes from:
//!
//! - **Sanchez-Perez et al. 2014** ("A winning approach to text alignment",
//!   PAN 2014): the seed–extend–filter method and its published values;
//! - **PAN half a**: tuned on the fixed random half `a` of the PAN 2013
//!   training corpus together with the news development sets
//!   (`fixtures/wire`, `fixtures/news`, `fixtures/news-more`); half `b` and
//!   the held-out news sets were never used for a choice (README, "Tuning
//!   protocol");
//! - **COUNTER**: set while looking at COUNTER's verdicts (Urdu news reuse),
//!   with no effect on PAN or the news sets.
//!
//! - **first aligner**: chosen with the first version of the aligner, by
//!   reasoning rather than search, and kept since through the tuning runs
//!   on PAN half a.

use super::chain::ChainParams;
use super::vectors::Idf;
use crate::terms::UnitConfig;

/// Parameters of alignment.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct AlignConfig {
    /// How units and their terms are made ([`crate::terms`]).
    pub units: UnitConfig,
    /// Which sentence pairs are similar enough to seed a passage.
    pub seeds: SeedConfig,
    /// Order evidence: weaker pairs that follow each other in both texts.
    pub order: OrderConfig,
    /// Clustering seeds into cases and validating them.
    pub extension: ExtensionConfig,
    /// Which cases are dropped.
    pub filters: FilterConfig,
    /// Copied text: exact runs of tokens and how cases made of them are
    /// reported.
    pub copies: CopyConfig,
    /// Summaries: short passages condensing long source passages.
    pub summaries: SummaryConfig,
    /// Telling verbatim, edited and paraphrased passages apart.
    pub kinds: KindConfig,
    /// Bounds on the work of one comparison (repetitive text).
    pub limits: LimitConfig,
}

/// Seeds: pairs of units similar enough on their own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeedConfig {
    /// How idf is computed over the units of a pair (damped: PAN half a and
    /// the news sets, where a name repeated in most sentences of two short
    /// items kept weight it deserved).
    pub idf: Idf,
    /// tf-idf cosine of two units must exceed this (0.3, first aligner;
    /// Sanchez-Perez et al. use 0.33).
    pub min_cosine: f32,
    /// Dice coefficient of two units' terms must exceed this (0.3; as
    /// `min_cosine`).
    pub min_dice: f32,
}

impl Default for SeedConfig {
    fn default() -> Self {
        SeedConfig {
            idf: Idf::Damped,
            min_cosine: 0.3,
            min_dice: 0.3,
        }
    }
}

/// Order evidence: best-match pairs below the seed bars that form dense
/// chains in the same order in both texts ([`chain`](super::chain)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrderConfig {
    /// Chain candidates: unit pairs with a cosine above this (0.15, PAN half
    /// a)…
    pub candidate_cosine: f32,
    /// …and a Dice coefficient above this (0.2, PAN half a).
    pub candidate_dice: f32,
    /// Only candidates that are each other's best match are chained
    /// (structural: a rewritten sentence is closest to its source).
    pub mutual: bool,
    /// Candidates within this many units of a chain's pairs (on both sides)
    /// join the chain (0: only pairs on it; PAN half a).
    pub corridor: usize,
    /// How candidates are chained (`max_chains` 0 disables order evidence);
    /// every value tuned on PAN half a and the news sets, the density bar on
    /// all news scenarios together.
    pub chain: ChainParams,
    /// A chain needs at least this share of the derived text's units, at
    /// least 2 and at most `chain.min_points` (0.3, COUNTER's short texts).
    pub min_share: f32,
    /// Best-match candidates at least this similar join once a pair has
    /// confident passages and they keep the passages' order (0.3, PAN half
    /// a; 0 turns it off).
    pub anchored_cosine: f32,
    /// A confident passage: several derived sentences, rewritten rather
    /// than copied, passage cosine at least this (0.4, PAN half a).
    pub anchor_similarity: f32,
}

impl Default for OrderConfig {
    fn default() -> Self {
        OrderConfig {
            candidate_cosine: 0.15,
            candidate_dice: 0.2,
            mutual: true,
            corridor: 0,
            chain: ChainParams {
                bias: 0.15,
                cap: 0.35,
                gap_cost: 0.01,
                skew_cost: 0.01,
                max_gap: 12,
                min_score: 0.2,
                min_points: 4,
                min_density: 0.4,
                max_chains: 16,
            },
            min_share: 0.3,
            anchored_cosine: 0.3,
            anchor_similarity: 0.4,
        }
    }
}

/// Extension: seeds clustered into cases (passage pairs) that must be
/// similar as wholes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExtensionConfig {
    /// Largest gap, in units, between seeds of one case (4, Sanchez-Perez et
    /// al.'s `maxgap`).
    pub max_gap: usize,
    /// Smallest gap validation may retry with (0, Sanchez-Perez et al.).
    pub min_gap: usize,
    /// Cosine of a case's two passages as wholes must exceed this (0.34,
    /// Sanchez-Perez et al.'s validation threshold).
    pub min_case_similarity: f32,
    /// The same bar for cases holding a seed from an ordered chain (0.3, PAN
    /// half a).
    pub min_chained_case_similarity: f32,
    /// Split cases at every source paragraph without a seed, rather than
    /// only at those other seeds use (off: PAN half a).
    pub split_source: bool,
    /// Split cases at derived paragraphs without a seed (on: the news sets,
    /// where new material sits between reused paragraphs).
    pub split_derived: bool,
    /// A case takes the sentence pair just before (after) it when the
    /// source sentence is the best match of the derived one with at least
    /// this cosine, recursively (Sanchez-Perez et al. 2014's edge growth;
    /// 0.2, PAN half a; 0: off).
    pub grow_min_cosine: f32,
}

impl Default for ExtensionConfig {
    fn default() -> Self {
        ExtensionConfig {
            max_gap: 4,
            min_gap: 0,
            min_case_similarity: 0.34,
            min_chained_case_similarity: 0.3,
            split_source: false,
            split_derived: true,
            grow_min_cosine: 0.2,
        }
    }
}

/// Filters: cases too short or too weakly supported to report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FilterConfig {
    /// A case resting on a single derived unit needs a seed this similar;
    /// so does any case without order evidence or copied text (0.45, PAN
    /// half a and the news sets: what independent reports of one event
    /// share stays below it).
    pub lone_min_cosine: f32,
    /// Both passages of a case must have at least this many code points
    /// (150, Sanchez-Perez et al.'s `minplaglen`).
    pub min_passage_chars: usize,
    /// A line of at most this many words without sentence-final
    /// punctuation at the edge of a rewritten passage (a heading, menu
    /// entry or caption the sentence splitter ran into the next sentence),
    /// whose words the other passage mostly lacks, is left out of it (20,
    /// PAN half a; 0: kept).
    pub edge_line_words: usize,
    /// Such lines are left out of derived passages too, not only source
    /// passages (true, PAN half a).
    pub edge_lines_derived: bool,
    /// A rewritten passage's source runs from the first to the last source
    /// unit that is the best match of one of its derived units (true, PAN
    /// half a: a similar sentence further on no longer stretches it).
    pub best_match_source: bool,
    /// …widened by up to this many seeded source units at each edge (1,
    /// PAN half a: a shuffled sentence's best match may be its neighbour).
    pub best_match_slack: usize,
    /// A passage (not verbatim, not a summary) whose source passage lies at
    /// least this share inside the source passage of a better-scoring one
    /// is dropped: one source region, two derived passages claiming it, one
    /// of them wrongly
    /// (0.3, PAN half a, where 0.1–0.4 do alike; 0: kept).
    pub source_claim_share: f64,
}

impl Default for FilterConfig {
    fn default() -> Self {
        FilterConfig {
            lone_min_cosine: 0.45,
            min_passage_chars: 150,
            edge_line_words: 20,
            edge_lines_derived: true,
            best_match_source: true,
            best_match_slack: 1,
            source_claim_share: 0.3,
        }
    }
}

/// Copied text: maximal runs of identical tokens, chained across small
/// edits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CopyConfig {
    /// Shortest exact run of tokens (8, first aligner).
    pub exact_min_tokens: usize,
    /// Exact runs at most this many tokens apart on both sides chain into
    /// one copied passage (3, first aligner).
    pub exact_max_gap: usize,
    /// Share of a case's derived tokens in exact chains at or above which it
    /// is copied text, reported as its chains; also the share of a derived
    /// unit's tokens that makes the unit copied (0.5, first aligner: a
    /// majority).
    pub exact_share: f64,
    /// A case holding an exact run at least this long (in tokens) is
    /// reported as its copied part plus what remains, however small the
    /// copied share (60, PAN half a).
    pub copy_min_tokens: usize,
    /// Inside a copied case, exact runs this close (in tokens, on both
    /// sides) form one edited passage (25, PAN half a).
    pub edited_max_gap: usize,
}

impl Default for CopyConfig {
    fn default() -> Self {
        CopyConfig {
            exact_min_tokens: 8,
            exact_max_gap: 3,
            exact_share: 0.5,
            copy_min_tokens: 60,
            edited_max_gap: 25,
        }
    }
}

/// Summaries: cases found with a wide gap, measured by coverage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SummaryConfig {
    /// Gap, in units, used to look for summaries (24, Sanchez-Perez et
    /// al.'s summary `maxgap`; no summaries unless larger than
    /// `extension.max_gap`).
    pub gap: usize,
    /// A summary rests on at least this many seeds that pass the seed bars
    /// on their own (1, PAN half a).
    pub min_strong: usize,
    /// A summary draws on at least this many source units (3, PAN half a).
    pub min_sources: usize,
    /// The source passage must account for at least this share of the
    /// derived passage's tf-idf weight (0.5, PAN half a).
    pub min_coverage: f32,
    /// A summary's source passage is at least this many times longer than
    /// its derived passage (3, first aligner, after Sanchez-Perez et al.'s
    /// summary heuristic).
    pub ratio: f64,
    /// A summary draws on at least this share of the source document: its
    /// source passage spans that much of the source text (0.2, PAN half a;
    /// 0 = any). A "summary" of a small part of a long source is a rewrite
    /// of that part or chance.
    pub min_source_share: f64,
    /// A pair holding a summary is one as a whole: the summary takes the
    /// whole source document, and every passage of the pair merges into it
    /// (true, PAN half a: every PAN summary case has the whole source
    /// document as its source).
    pub whole_source: bool,
    /// A pair whose passages lie close together in the derived text and
    /// draw on a source stretch at least `ratio` times longer (and
    /// `min_source_share` of the source document) is a summary as a whole,
    /// even when no case of it was found as one (true, PAN half a: summary
    /// 0.804 → 0.853, the other sub-corpora and the news sets unchanged).
    pub spread: bool,
    /// A summary candidate is chance when the ordinary passages inside it
    /// cover at least this share of its derived text (0.9, PAN half a)…
    pub explained_share: f64,
    /// …from a source stretch less than this many times as long as their
    /// derived one, as a rewrite's is (1.5, PAN half a; true PAN cases have
    /// median ratios of 1.29 in random obfuscation, 1.06 in translation,
    /// and 2 took genuine summaries for chance).
    pub rewrite_ratio: f64,
}

impl Default for SummaryConfig {
    fn default() -> Self {
        SummaryConfig {
            gap: 24,
            min_strong: 1,
            min_sources: 3,
            min_coverage: 0.5,
            ratio: 3.0,
            min_source_share: 0.2,
            whole_source: true,
            spread: true,
            explained_share: 0.9,
            rewrite_ratio: 1.5,
        }
    }
}

/// The kind of a passage, by the word edit similarity of its sentences.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KindConfig {
    /// At or above this a passage is verbatim (0.95, first aligner: a word
    /// in twenty may differ — a reformatted number, a typo).
    pub verbatim_similarity: f64,
    /// At or above this a passage is edited, below it paraphrased (0.5,
    /// first aligner: most words kept in place); also how alike the words a copied run
    /// leaves out at a sentence edge must be for the run to take the whole
    /// sentence.
    pub edited_similarity: f64,
}

impl Default for KindConfig {
    fn default() -> Self {
        KindConfig {
            verbatim_similarity: 0.95,
            edited_similarity: 0.5,
        }
    }
}

/// Bounds on the work of one comparison, so that repetitive text (a
/// sentence repeated, a few sentences cycled) costs time in proportion to
/// its length ([`bounded`](super::bounded)). None is reached on the
/// evaluation corpora (PAN pairs of up to 4,064 × 303 sentences need at
/// most 1,329 candidates and 875,672 multiply-adds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LimitConfig {
    /// Most candidate sentence pairs before each sentence's partners are
    /// capped (32,768: structural, under 0.1 s of alignment; PAN needs at most 1,329).
    pub max_pairs: usize,
    /// When capped, each sentence keeps `max(min_per_unit, max_pairs /
    /// sentences)` partners (8: structural, a little more than the 4-unit
    /// extension gap on each side of the diagonal).
    pub min_per_unit: usize,
    /// Most multiply-adds of the candidate search (2^24: structural, about
    /// 0.1 s); beyond it the search runs on distinct sentences and, if
    /// that is still too much, the terms with the longest postings propose
    /// no candidates. Also the most sentence comparisons of edge growth
    /// (`extension.grow_min_cosine`), after which cases stop growing.
    pub max_work: u64,
}

impl Default for LimitConfig {
    fn default() -> Self {
        LimitConfig {
            max_pairs: 1 << 15,
            min_per_unit: 8,
            max_work: 1 << 24,
        }
    }
}
