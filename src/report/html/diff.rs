//! The words that changed inside a copied passage, by a word diff.

use std::time::{Duration, Instant};

use crate::comparison::{Alignment, Kind};
use crate::text::tokens::tokenize;
use crate::text::{CharIndex, Span, Token};

/// Time allowed for the word diff of one passage.
const DIFF_TIME: Duration = Duration::from_millis(200);

/// For passages copied word for word or with light edits: the runs of words
/// that differ between the two sides (as spans of each text), found by a
/// word diff (Myers, bounded in time; none when it runs out of time). Other
/// kinds get none: a paraphrase differs almost everywhere by nature.
pub(super) fn changes(a: &Alignment, source: &str, derived: &str) -> (Vec<Span>, Vec<Span>) {
    if !matches!(a.kind, Kind::Verbatim | Kind::Edited) {
        return (Vec::new(), Vec::new());
    }
    // The passages' own tokens, by the tokenizer every comparison uses.
    let tokens_of = |span: &Span, text: &str| {
        let slice = span.slice(text);
        tokenize(slice, &CharIndex::new(slice))
    };
    let (st, dt) = (tokens_of(&a.source, source), tokens_of(&a.derived, derived));
    let s_norm: Vec<&str> = st.iter().map(|t| t.norm.as_str()).collect();
    let d_norm: Vec<&str> = dt.iter().map(|t| t.norm.as_str()).collect();
    let deadline = Instant::now() + DIFF_TIME;
    let ops = similar::capture_diff_slices_deadline(
        similar::Algorithm::Myers,
        &s_norm,
        &d_norm,
        Some(deadline),
    );
    if Instant::now() > deadline {
        // Past the deadline the diff is approximate: better none than a
        // misleading one.
        return (Vec::new(), Vec::new());
    }
    // A run of tokens of a passage, as a span of the whole text.
    let run = |tokens: &[Token], passage: &Span, r: std::ops::Range<usize>| {
        passage.within(&tokens[r.start].span.union(&tokens[r.end - 1].span))
    };
    let (mut s_out, mut d_out) = (Vec::new(), Vec::new());
    for op in ops {
        let (_, old, new) = op.as_tag_tuple();
        if matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        if !old.is_empty() {
            s_out.push(run(&st, &a.source, old));
        }
        if !new.is_empty() {
            d_out.push(run(&dt, &a.derived, new));
        }
    }
    (s_out, d_out)
}
