//! What surrounds the texts of a comparison: the verdict in words, file
//! names, score tiles, the legend and the table of passages.

use std::fmt::Write as _;

use super::Entry;
use super::page::{escape_into, plural};
use super::text::level;
use crate::comparison::{Comparison, Kind, Verdict};
use crate::report::table::snippet;

/// "Derived — 98.0% of the derived text comes from the source".
pub(super) fn verdict_line(out: &mut String, c: &Comparison) {
    out.push_str(&verdict_badge(c.verdict));
    match c.verdict {
        Verdict::NotDerived if c.alignments.is_empty() => {
            out.push_str("No passage of the derived text was found in the source")
        }
        _ => {
            let _ = write!(
                out,
                "{:.1}% of the derived text comes from the source",
                100.0 * c.scores.reused
            );
        }
    }
}

pub(super) fn verdict_badge(v: Verdict) -> String {
    let label = match v {
        Verdict::Derived => "Derived",
        Verdict::PartiallyDerived => "Partially derived",
        Verdict::NotDerived => "Not derived",
    };
    format!("<span class=\"verdict v-{}\">{label}</span>", v.as_str())
}

pub(super) fn files(out: &mut String, c: &Comparison) {
    out.push_str("<dl class=\"files\"><dt>Source</dt><dd>");
    escape_into(out, &c.source_id);
    out.push_str("</dd><dt>Derived</dt><dd>");
    escape_into(out, &c.derived_id);
    out.push_str("</dd></dl>");
}

pub(super) fn stats(out: &mut String, c: &Comparison) {
    let s = &c.scores;
    out.push_str("<div class=\"stats\">");
    let tiles = [
        (
            "main",
            format!("{:.3}", s.score),
            "Score",
            "Overall derivation score: the share of the derived text that is reused, weighted by how close each passage is to its source",
        ),
        (
            "main",
            format!("{:.1}%", 100.0 * s.reused),
            "of derived text reused",
            "Share of the derived text's characters inside aligned passages",
        ),
        (
            "",
            format!("{:.3}", s.jaccard),
            "Jaccard",
            "Jaccard similarity of the two documents' word 5-grams",
        ),
        (
            "",
            format!("{:.3}", s.containment_derived_in_source),
            "Derived in source",
            "Containment: share of the derived text's word 5-grams found in the source",
        ),
        (
            "",
            format!("{:.3}", s.containment_source_in_derived),
            "Source in derived",
            "Containment: share of the source's word 5-grams found in the derived text",
        ),
    ];
    for (class, value, label, title) in tiles {
        let _ = write!(
            out,
            "<div class=\"stat {class}\" title=\"{title}\"><b>{value}</b><span>{label}</span></div>"
        );
    }
    let _ = write!(
        out,
        "<div class=\"stat\" title=\"Aligned passages by kind\"><b>{}</b><span>{}</span></div></div>",
        plural(c.alignments.len(), "passage"),
        kind_counts(c)
    );
}

/// "1 verbatim · 2 edited".
fn kind_counts(c: &Comparison) -> String {
    let counts: Vec<String> = KINDS
        .iter()
        .filter_map(|k| {
            let n = c.alignments.iter().filter(|a| a.kind == *k).count();
            (n > 0).then(|| format!("{n} {}", k.as_str()))
        })
        .collect();
    if counts.is_empty() {
        "aligned".to_string()
    } else {
        counts.join(" · ")
    }
}

pub(super) const KINDS: [Kind; 4] = [
    Kind::Verbatim,
    Kind::Edited,
    Kind::Paraphrase,
    Kind::Summary,
];

pub(super) fn legend(out: &mut String, c: &Comparison) {
    out.push_str("<div class=\"legend\" aria-label=\"Legend\">");
    let what = [
        "verbatim: copied word for word (solid underline)",
        "edited: copied with light edits (dashed)",
        "paraphrase: reworded (dotted)",
        "summary: condensed (wavy)",
    ];
    for (k, text) in KINDS.iter().zip(what) {
        let rest = text.split_once(':').map_or("", |(_, rest)| rest);
        let _ = write!(
            out,
            "<span><span class=\"chip k-{name} lv4\">{name}</span>{rest}</span>",
            name = k.as_str()
        );
    }
    out.push_str("<span><span class=\"chip k-edited lv4 chgchip\">pale</span> words changed inside a copied passage</span>");
    out.push_str("<span><span class=\"chip ovchip\">hatched</span> source text used by several passages</span>");
    out.push_str("<span class=\"hint\">Darker = higher score. ");
    if c.found() {
        out.push_str(
            "Click a passage to bring its counterpart into view; keys n / p step through passages.",
        );
    }
    out.push_str("</span></div>");
}

/// The table of passages; each row jumps to its passage.
pub(super) fn passages(out: &mut String, prefix: &str, e: &Entry<'_>) {
    let c = e.comparison;
    if c.alignments.is_empty() {
        out.push_str("<p class=\"none\">No aligned passages.</p>");
        return;
    }
    out.push_str(
        "<table class=\"spans\"><caption>Aligned passages, in the order of the derived text</caption>\
         <thead><tr><th class=\"num\">#</th><th>Kind</th><th class=\"num\">Score</th>\
         <th class=\"num\">Source chars</th><th class=\"num\">Derived chars</th><th>Text</th></tr></thead><tbody>",
    );
    for (i, a) in c.alignments.iter().enumerate() {
        let n = i + 1;
        let _ = write!(
            out,
            "<tr data-go=\"{n}\" id=\"{prefix}-r{n}\" tabindex=\"0\"><td class=\"num\"><a href=\"#{prefix}-d{n}\">{n}</a></td>\
             <td><span class=\"chip k-{kind} lv{lv}\">{kind}</span></td><td class=\"num\">{score:.3}</td>\
             <td class=\"num\">{}–{}</td><td class=\"num\">{}–{}</td><td><div class=\"snip\"><b>D</b>",
            a.source.start(),
            a.source.end(),
            a.derived.start(),
            a.derived.end(),
            kind = a.kind.as_str(),
            lv = level(a.score),
            score = a.score,
        );
        escape_into(out, &snippet(e.derived, &a.derived));
        out.push_str("</div><div class=\"snip\"><b>S</b>");
        escape_into(out, &snippet(e.source, &a.source));
        out.push_str("</div></td></tr>");
    }
    out.push_str("</tbody></table>");
}
