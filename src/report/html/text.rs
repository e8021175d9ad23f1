//! Both documents side by side: each text cut at every passage boundary,
//! the pieces inside passages marked with the passages covering them.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::Entry;
use super::diff::changes;
use super::header::{files, legend, passages, stats, verdict_line};
use super::page::escape_into;
use crate::comparison::Alignment;
use crate::text::Span;

/// The side-by-side section of comparison number `n` (0 on a one-comparison
/// page); `many` adds its own heading and a link back to the summary.
pub(super) fn section(out: &mut String, n: usize, e: &Entry<'_>, many: bool) {
    let c = e.comparison;
    let p = format!("c{n}");
    let _ = write!(
        out,
        "<section class=\"cmp{}\" id=\"{p}\" data-count=\"{}\" aria-label=\"Comparison {n}\">",
        if many { " many" } else { "" },
        c.alignments.len()
    );
    if many {
        let _ = write!(out, "<h2 class=\"cmp-title\">{n}. ");
        verdict_line(out, c);
        out.push_str("</h2>");
        files(out, c);
        stats(out, c);
    }
    legend(out, c);
    out.push_str("<div class=\"sides\">");
    let sources: Vec<(usize, &Alignment, Span)> = c
        .alignments
        .iter()
        .enumerate()
        .map(|(i, a)| (i + 1, a, a.source))
        .collect();
    let deriveds: Vec<(usize, &Alignment, Span)> = c
        .alignments
        .iter()
        .enumerate()
        .map(|(i, a)| (i + 1, a, a.derived))
        .collect();
    let (s_changes, d_changes): (Vec<Vec<Span>>, Vec<Vec<Span>>) = c
        .alignments
        .iter()
        .map(|a| changes(a, e.source, e.derived))
        .unzip();
    side(
        out,
        &p,
        's',
        "Source",
        &c.source_id,
        e.source,
        &sources,
        &s_changes,
    );
    side(
        out,
        &p,
        'd',
        "Derived",
        &c.derived_id,
        e.derived,
        &deriveds,
        &d_changes,
    );
    out.push_str("</div>");
    passages(out, &p, e);
    if many {
        out.push_str("<p class=\"back\"><a href=\"#summary\">↑ Back to the summary</a></p>");
    }
    out.push_str("</section>\n");
}

/// One document with its passages highlighted. `spans` are (1-based number,
/// alignment, span on this side); `changed` the changed words of each.
#[allow(clippy::too_many_arguments)]
fn side(
    out: &mut String,
    prefix: &str,
    side: char,
    label: &str,
    id: &str,
    text: &str,
    spans: &[(usize, &Alignment, Span)],
    changed: &[Vec<Span>],
) {
    let chars = text.chars().count();
    let _ = write!(
        out,
        "<div class=\"side\"><h3 class=\"side-head\"><strong>{label}</strong><span class=\"file\">"
    );
    escape_into(out, id);
    let _ = write!(
        out,
        "</span> · {chars} characters</h3><div class=\"text\" data-side=\"{side}\" id=\"{prefix}-{side}\" dir=\"auto\">"
    );
    highlight(out, prefix, side, text, chars, spans, changed);
    out.push_str("</div></div>");
}

/// The text cut at every passage boundary; each piece covered by passages is
/// a `<mark>` listing them. `changed` holds, per passage, the ranges (bytes,
/// code points) of its words that differ from its partner.
fn highlight(
    out: &mut String,
    prefix: &str,
    side: char,
    text: &str,
    chars: usize,
    spans: &[(usize, &Alignment, Span)],
    changed: &[Vec<Span>],
) {
    // Boundaries (byte, code point) with what starts or ends there.
    let mut events: Vec<(usize, usize, Event, usize)> = Vec::with_capacity(2 * spans.len());
    for (k, (_, _, s)) in spans.iter().enumerate() {
        if s.byte_start() < s.byte_end() && s.byte_end() <= text.len() {
            events.push((s.byte_start(), s.start(), Event::Open, k));
            events.push((s.byte_end(), s.end(), Event::Close, k));
            for c in changed.get(k).into_iter().flatten() {
                events.push((c.byte_start(), c.start(), Event::ChangeOpen, k));
                events.push((c.byte_end(), c.end(), Event::ChangeClose, k));
            }
        }
    }
    events.sort_unstable();
    let mut state = Pieces::default();
    let mut pos = (0usize, 0usize);
    let mut i = 0;
    while i <= events.len() {
        let next = events
            .get(i)
            .map(|e| (e.0, e.1))
            .unwrap_or((text.len(), chars));
        if next.0 > pos.0 {
            piece(
                out,
                prefix,
                side,
                &text[pos.0..next.0],
                pos.1,
                next.1,
                &state,
                spans,
            );
            state.opened.clear();
        }
        if i == events.len() {
            break;
        }
        while i < events.len() && events[i].0 == next.0 {
            let (_, _, event, k) = events[i];
            match event {
                Event::Open => {
                    state.active.insert(k);
                    state.opened.push(k);
                }
                Event::Close => {
                    state.active.remove(&k);
                    state.opened.retain(|&o| o != k);
                }
                Event::ChangeOpen => {
                    state.changed.insert(k);
                }
                Event::ChangeClose => {
                    state.changed.remove(&k);
                }
            }
            i += 1;
        }
        pos = next;
    }
}

/// What happens at a boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Close,
    ChangeClose,
    Open,
    ChangeOpen,
}

/// The passages at a point of the text.
#[derive(Default)]
struct Pieces {
    /// Passages covering it.
    active: BTreeSet<usize>,
    /// Passages starting at it.
    opened: Vec<usize>,
    /// Passages in which it is a changed word.
    changed: BTreeSet<usize>,
}

/// One piece of text between two boundaries.
#[allow(clippy::too_many_arguments)]
fn piece(
    out: &mut String,
    prefix: &str,
    side: char,
    slice: &str,
    from: usize,
    to: usize,
    state: &Pieces,
    spans: &[(usize, &Alignment, Span)],
) {
    let Pieces {
        active,
        opened,
        changed,
    } = state;
    if active.is_empty() {
        escape_into(out, slice);
        return;
    }
    // The colour is that of the best-scoring passage covering the piece.
    let main = active
        .iter()
        .copied()
        .max_by(|&a, &b| {
            spans[a]
                .1
                .score
                .total_cmp(&spans[b].1.score)
                .then(b.cmp(&a))
        })
        .expect("non-empty");
    // A changed word only when no passage covering it copies it.
    let is_changed = active.iter().all(|k| changed.contains(k));
    let a = spans[main].1;
    let numbers: Vec<String> = active.iter().map(|&k| spans[k].0.to_string()).collect();
    let _ = write!(
        out,
        "<mark class=\"m k-{} lv{}{}{}\" data-a=\"{}\" data-start=\"{from}\" data-end=\"{to}\"",
        a.kind.as_str(),
        level(a.score),
        if active.len() > 1 { " ov" } else { "" },
        if is_changed { " chg" } else { "" },
        numbers.join(" "),
    );
    let mut title = active
        .iter()
        .map(|&k| {
            let (n, a, _) = spans[k];
            format!("passage {n}: {} {:.3}", a.kind.as_str(), a.score)
        })
        .collect::<Vec<_>>()
        .join("; ");
    if let Some(t) = title.get_mut(0..1) {
        t.make_ascii_uppercase();
    }
    if is_changed {
        title.push_str(" (changed words)");
    }
    let _ = write!(out, " title=\"{title}\"");
    if !opened.is_empty() {
        let mut firsts = opened.to_vec();
        firsts.sort_unstable();
        let label = firsts
            .iter()
            .map(|&k| format!("{} {}", spans[k].0, spans[k].1.kind.as_str()))
            .collect::<Vec<_>>()
            .join(" · ");
        let list = firsts
            .iter()
            .map(|&k| spans[k].0.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        let _ = write!(
            out,
            " data-first=\"{list}\" data-label=\"{label}\" tabindex=\"0\" id=\"{prefix}-{side}{}\"",
            spans[firsts[0]].0
        );
    }
    out.push('>');
    escape_into(out, slice);
    out.push_str("</mark>");
}

/// Lower bounds of the highlight intensities 5, 4, 3 and 2 (`lvN` classes;
/// below the last, 1). Display bands chosen with the report, 0.15 apart up
/// to 0.9; they only shade passages and decide nothing.
const LEVELS: [f64; 4] = [0.9, 0.75, 0.6, 0.45];

/// Intensity 1..=5 of the highlight of a passage with this score.
pub(super) fn level(score: f64) -> u8 {
    let above = LEVELS.iter().take_while(|&&bar| score < bar).count();
    5 - above as u8
}
