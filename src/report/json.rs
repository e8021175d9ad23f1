//! The JSON contract: one object per compared pair.
//!
//! ```json
//! {"source": "a.txt", "derived": "b.txt", "score": 0.71, "verdict": "derived",
//!  "spans": [{"source_start": 0, "source_end": 120, "derived_start": 5, "derived_end": 130,
//!             "source_byte_start": 0, "source_byte_end": 121, "derived_byte_start": 5,
//!             "derived_byte_end": 133, "score": 0.93, "kind": "edited"}],
//!  "scores": {"jaccard": …, …}}
//! ```
//!
//! `*_start`/`*_end` are 0-based Unicode code-point offsets, end exclusive,
//! into the text as stored, counted from the first character after a UTF-8
//! byte order mark; `*_byte_*` are the same in bytes. The fields above are
//! fixed; more may be added. `capped` appears only when the comparison hit
//! a work bound on repetitive text (see [`Capped`]).

use serde::Serialize;
use serde_json::Value;

use super::round;
use crate::comparison::{Alignment, Capped, Comparison, Scores};

#[derive(Serialize)]
struct PairJson<'a> {
    source: &'a str,
    derived: &'a str,
    score: f64,
    verdict: &'static str,
    spans: Vec<SpanJson>,
    scores: &'a Scores,
    /// Only when a work bound was hit (repetitive text).
    #[serde(skip_serializing_if = "Option::is_none")]
    capped: Option<&'a Capped>,
}

#[derive(Serialize)]
struct SpanJson {
    source_start: usize,
    source_end: usize,
    derived_start: usize,
    derived_end: usize,
    source_byte_start: usize,
    source_byte_end: usize,
    derived_byte_start: usize,
    derived_byte_end: usize,
    score: f64,
    kind: &'static str,
}

impl From<&Alignment> for SpanJson {
    fn from(a: &Alignment) -> SpanJson {
        SpanJson {
            source_start: a.source.start(),
            source_end: a.source.end(),
            derived_start: a.derived.start(),
            derived_end: a.derived.end(),
            source_byte_start: a.source.byte_start(),
            source_byte_end: a.source.byte_end(),
            derived_byte_start: a.derived.byte_start(),
            derived_byte_end: a.derived.byte_end(),
            score: round(a.score),
            kind: a.kind.as_str(),
        }
    }
}

/// The JSON value of a comparison.
pub fn to_value(c: &Comparison) -> Value {
    let scores = Scores {
        jaccard: round(c.scores.jaccard),
        containment_derived_in_source: round(c.scores.containment_derived_in_source),
        containment_source_in_derived: round(c.scores.containment_source_in_derived),
        word_containment: round(c.scores.word_containment),
        word_types: round(c.scores.word_types),
        term_types: round(c.scores.term_types),
        word_bigrams: round(c.scores.word_bigrams),
        char_5grams: round(c.scores.char_5grams),
        trigram_coverage: round(c.scores.trigram_coverage),
        log_length_ratio: round(c.scores.log_length_ratio),
        minhash_jaccard: round(c.scores.minhash_jaccard),
        reused: round(c.scores.reused),
        score: round(c.scores.score),
        derivation: round(c.scores.derivation),
    };
    let pair = PairJson {
        source: &c.source_id,
        derived: &c.derived_id,
        score: scores.score,
        verdict: c.verdict.as_str(),
        spans: c.alignments.iter().map(SpanJson::from).collect(),
        scores: &scores,
        capped: c.capped.as_ref(),
    };
    serde_json::to_value(pair).expect("comparison serialises")
}

/// One line of JSON Lines output (without the newline).
pub fn to_line(c: &Comparison) -> String {
    to_value(c).to_string()
}
