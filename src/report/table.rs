//! A table for people: document-level scores, then each aligned passage with
//! its score, kind, offsets and a snippet of both sides.

use std::fmt::Write;

use super::terminal::escape;
use crate::comparison::{Capped, Comparison};
use crate::text::Span;

/// Characters of each side shown in a snippet.
pub const SNIPPET_CHARS: usize = 72;

/// Renders `c` as a table; `source` and `derived` are the two texts.
pub fn render(c: &Comparison, source: &str, derived: &str) -> String {
    let mut out = String::new();
    let s = &c.scores;
    let _ = writeln!(out, "source:  {}", escape(&c.source_id));
    let _ = writeln!(out, "derived: {}", escape(&c.derived_id));
    let _ = writeln!(
        out,
        "verdict: {}  score {:.3}  reused {:.1}% of derived text",
        c.verdict.as_str(),
        s.score,
        100.0 * s.reused
    );
    let _ = writeln!(
        out,
        "shingles: jaccard {:.3}  containment derived-in-source {:.3}  source-in-derived {:.3}  minhash≈{:.3}\nwords of derived text found in source: {:.1}%",
        s.jaccard,
        s.containment_derived_in_source,
        s.containment_source_in_derived,
        s.minhash_jaccard,
        100.0 * s.word_containment
    );
    if let Some(capped) = &c.capped {
        let _ = writeln!(out, "note: {}", capped_note(capped));
    }
    if c.alignments.is_empty() {
        let _ = writeln!(out, "no aligned passages");
        return out;
    }
    let _ = writeln!(
        out,
        "\n{:>3}  {:<10} {:>5}  {:>15}  {:>15}",
        "#", "kind", "score", "source chars", "derived chars"
    );
    for (i, a) in c.alignments.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>3}  {:<10} {:>5.3}  {:>15}  {:>15}",
            i + 1,
            a.kind.as_str(),
            a.score,
            format!("{}..{}", a.source.start(), a.source.end()),
            format!("{}..{}", a.derived.start(), a.derived.end()),
        );
        let _ = writeln!(out, "     S: {}", snippet(source, &a.source));
        let _ = writeln!(out, "     D: {}", snippet(derived, &a.derived));
    }
    out
}

/// What a capped comparison left out, in words (table output and warnings).
pub fn capped_note(capped: &Capped) -> String {
    let mut note = format!(
        "repetitive text: candidate sentence pairs capped at {} per sentence ({} sentence(s) capped",
        capped.candidates_per_sentence, capped.sentences_capped
    );
    if capped.frequent_terms_skipped > 0 {
        let _ = write!(
            note,
            ", {} frequent term(s) skipped",
            capped.frequent_terms_skipped
        );
    }
    note.push_str("); passages may be missing");
    note
}

/// The start of the span's text, whitespace collapsed, cut at
/// [`SNIPPET_CHARS`] characters with an ellipsis, control characters
/// escaped.
pub fn snippet(text: &str, span: &Span) -> String {
    escape(&raw_snippet(text, span)).into_owned()
}

fn raw_snippet(text: &str, span: &Span) -> String {
    // Lazily, so that a span of megabytes costs no more than its first words.
    let mut chars = span
        .slice(text)
        .split_whitespace()
        .flat_map(|word| std::iter::once(' ').chain(word.chars()))
        .skip(1);
    let head: String = chars.by_ref().take(SNIPPET_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::CharIndex;

    #[test]
    fn snippets_collapse_whitespace_and_cut() {
        let text = "a  b\n\nc";
        assert_eq!(
            snippet(text, &CharIndex::new(text).span(0, text.len())),
            "a b c"
        );
        let long = "word ".repeat(40);
        let s = snippet(&long, &CharIndex::new(&long).span(0, long.len()));
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        let hostile = "erase\x1b[2K\rline\x07";
        assert_eq!(
            snippet(hostile, &CharIndex::new(hostile).span(0, hostile.len())),
            "erase\\x1b[2K line\\x07"
        );
    }
}
