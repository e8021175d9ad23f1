//! A self-contained HTML report for people: both documents side by side with
//! every aligned passage highlighted on both sides, the document-level scores,
//! and a table of passages.
//!
//! The page is one file that works offline: its style sheet and script are
//! inline, and a Content Security Policy allows exactly those two (by hash)
//! and nothing else — no network, no other scripts, no plugins. Document text
//! and file names are untrusted: they are always HTML-escaped into text
//! nodes, never inserted as markup, and the script only toggles classes and
//! scroll positions.
//!
//! Passages are `<mark class="m k-KIND lvN">` elements carrying `data-a` (the
//! 1-based numbers of the passages covering it, space-separated),
//! `data-start`/`data-end` (its code-point offsets in the document) and, on
//! the element where a passage starts, `data-first`. Derived passages never
//! overlap, so each is one `<mark>`; source passages may overlap, so the
//! source text is cut at every passage boundary and each piece lists all
//! passages covering it (and is hatched when there are several).
//!
//! [`render`] makes a page for one comparison, [`render_many`] one for many
//! comparisons with a summary table, and [`write()`] saves a page atomically.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::comparison::{Alignment, Comparison, Kind, Verdict};
use crate::error::{Error, Result};
use crate::report::table::snippet;
use crate::text::normalize::normalize;
use crate::text::{CharIndex, Span, tokens};

/// How many comparisons [`render_many`] shows by default.
pub const DEFAULT_MAX_MATCHES: usize = 50;

const CSS: &str = include_str!("html/report.css");
const JS: &str = include_str!("html/report.js");

/// One comparison with the two texts it refers to.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// The comparison.
    pub comparison: &'a Comparison,
    /// The source text, as compared (offsets refer to it).
    pub source: &'a str,
    /// The derived text, as compared.
    pub derived: &'a str,
}

/// A page for one comparison; `source` and `derived` are the two texts.
pub fn render(c: &Comparison, source: &str, derived: &str) -> String {
    let e = Entry {
        comparison: c,
        source,
        derived,
    };
    let mut body = String::new();
    body.push_str(
        "<header class=\"top single\"><div class=\"head-main\"><div class=\"brand\">neardup · reuse report</div>",
    );
    body.push_str("<h1>");
    verdict_line(&mut body, c);
    body.push_str("</h1></div>");
    files(&mut body, c);
    stats(&mut body, c);
    body.push_str("</header>\n");
    section(&mut body, 0, &e, false);
    page(
        &format!("neardup: {} vs {}", c.derived_id, c.source_id),
        &body,
    )
}

/// A page for many comparisons: a summary table sorted by score (highest
/// first, ties in the given order), each row linking to the comparison's
/// side-by-side section. Only the `max_matches` highest-scoring comparisons
/// are shown; a note says how many were left out.
pub fn render_many(entries: &[Entry<'_>], max_matches: usize) -> String {
    let mut order: Vec<&Entry<'_>> = entries.iter().collect();
    order.sort_by(|a, b| {
        let (a, b) = (&a.comparison.scores, &b.comparison.scores);
        b.score
            .total_cmp(&a.score)
            .then(b.reused.total_cmp(&a.reused))
    });
    let shown = &order[..order.len().min(max_matches)];
    let left_out = order.len() - shown.len();
    let found = entries.iter().filter(|e| e.comparison.found()).count();

    let mut body = String::new();
    body.push_str("<header class=\"top\"><div class=\"brand\">neardup · reuse report</div>");
    let _ = write!(
        body,
        "<h1>{} with reuse, of {} compared</h1>",
        plural(found, "comparison"),
        entries.len()
    );
    body.push_str("</header>\n<div class=\"summary-wrap\" id=\"summary\">");
    if left_out > 0 {
        let _ = write!(
            body,
            "<p class=\"note\" id=\"left-out\">Showing the {} highest-scoring comparisons; \
             {} more {} left out (limit {}, set with <span class=\"mono\">--max-matches</span>).</p>",
            shown.len(),
            left_out,
            if left_out == 1 {
                "comparison, with a lower score, was"
            } else {
                "comparisons, with lower scores, were"
            },
            max_matches
        );
    }
    body.push_str(
        "<table class=\"summary\"><caption>Comparisons, highest score first</caption><thead><tr>\
         <th class=\"num\">#</th><th>Derived</th><th>Source</th><th>Verdict</th>\
         <th class=\"num\">Score</th><th class=\"num\">Reused</th><th class=\"num\">Jaccard</th>\
         <th class=\"num\">Passages</th></tr></thead><tbody>",
    );
    for (k, e) in shown.iter().enumerate() {
        let c = e.comparison;
        let n = k + 1;
        let _ = write!(
            body,
            "<tr data-score=\"{:.6}\"><td class=\"num\">{n}</td><td><a class=\"mono\" href=\"#c{n}\">",
            c.scores.score
        );
        escape_into(&mut body, &c.derived_id);
        body.push_str("</a></td><td class=\"mono\">");
        escape_into(&mut body, &c.source_id);
        let _ = write!(
            body,
            "</td><td>{}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.1}%</td>\
             <td class=\"num\">{:.3}</td><td class=\"num\">{}</td></tr>",
            verdict_badge(c.verdict),
            c.scores.score,
            100.0 * c.scores.reused,
            c.scores.jaccard,
            c.alignments.len()
        );
    }
    if shown.is_empty() {
        body.push_str("<tr><td colspan=\"8\" class=\"none\">No comparisons to show.</td></tr>");
    }
    body.push_str("</tbody></table></div>\n");
    for (k, e) in shown.iter().enumerate() {
        section(&mut body, k + 1, e, true);
    }
    page(
        &format!(
            "neardup: {} with reuse, of {}",
            plural(found, "comparison"),
            entries.len()
        ),
        &body,
    )
}

/// Writes `html` to `path` atomically: into a temporary file beside it,
/// flushed to disk, then renamed over `path`. On failure `path` is left as
/// it was and the temporary file is removed.
pub fn write(path: &Path, html: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| {
            Error::io(
                path,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            )
        })?
        .to_string_lossy()
        .chars()
        .take(64) // room for the suffix within the file-name limit
        .collect::<String>();
    let (tmp, mut file) = create_temp(&dir, &name).map_err(|e| Error::io(path, e))?;
    let result = file
        .write_all(html.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, path)
        });
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// Creates a new, uniquely named hidden file in `dir`.
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{nanos:x}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The whole page around `body`.
fn page(title: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + CSS.len() + JS.len() + 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'sha256-{}'; script-src 'sha256-{}'; base-uri 'none'; form-action 'none'\">",
        sha256_base64(CSS),
        sha256_base64(JS)
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"neardup\">\n<title>");
    escape_into(&mut out, title);
    out.push_str("</title>\n<style>");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(body);
    out.push_str("<script>");
    out.push_str(JS);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

fn sha256_base64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
}

/// The side-by-side section of comparison number `n` (0 on a one-comparison
/// page); `many` adds its own heading and a link back to the summary.
fn section(out: &mut String, n: usize, e: &Entry<'_>, many: bool) {
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

/// "Derived — 98.0% of the derived text comes from the source".
fn verdict_line(out: &mut String, c: &Comparison) {
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

fn verdict_badge(v: Verdict) -> String {
    let label = match v {
        Verdict::Derived => "Derived",
        Verdict::PartiallyDerived => "Partially derived",
        Verdict::NotDerived => "Not derived",
    };
    format!("<span class=\"verdict v-{}\">{label}</span>", v.as_str())
}

fn files(out: &mut String, c: &Comparison) {
    out.push_str("<dl class=\"files\"><dt>Source</dt><dd>");
    escape_into(out, &c.source_id);
    out.push_str("</dd><dt>Derived</dt><dd>");
    escape_into(out, &c.derived_id);
    out.push_str("</dd></dl>");
}

fn stats(out: &mut String, c: &Comparison) {
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

const KINDS: [Kind; 4] = [
    Kind::Verbatim,
    Kind::Edited,
    Kind::Paraphrase,
    Kind::Summary,
];

fn legend(out: &mut String, c: &Comparison) {
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

/// Time allowed for the word diff of one passage.
const DIFF_TIME: Duration = Duration::from_millis(200);

/// For passages copied word for word or with light edits: the runs of words
/// that differ between the two sides (as spans of each text), found by a
/// word diff (Myers, bounded in time; none when it runs out of time). Other
/// kinds get none: a paraphrase differs almost everywhere by nature.
fn changes(a: &Alignment, source: &str, derived: &str) -> (Vec<Span>, Vec<Span>) {
    if !matches!(a.kind, Kind::Verbatim | Kind::Edited) {
        return (Vec::new(), Vec::new());
    }
    let (s_text, d_text) = (a.source.slice(source), a.derived.slice(derived));
    let words = |t: &str| -> Vec<(usize, usize, String)> {
        tokens::words(t)
            .map(|(b, w)| (b, b + w.len(), normalize(w)))
            .collect()
    };
    let (sw, dw) = (words(s_text), words(d_text));
    let s_norm: Vec<&str> = sw.iter().map(|w| w.2.as_str()).collect();
    let d_norm: Vec<&str> = dw.iter().map(|w| w.2.as_str()).collect();
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
    let (s_index, d_index) = (CharIndex::new(s_text), CharIndex::new(d_text));
    let run = |ws: &[(usize, usize, String)],
               index: &CharIndex,
               base: &Span,
               r: std::ops::Range<usize>| {
        let (b0, b1) = (ws[r.start].0, ws[r.end - 1].1);
        base.within(&index.span(b0, b1))
    };
    let (mut s_out, mut d_out) = (Vec::new(), Vec::new());
    for op in ops {
        let (_, old, new) = op.as_tag_tuple();
        if matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        if !old.is_empty() {
            s_out.push(run(&sw, &s_index, &a.source, old));
        }
        if !new.is_empty() {
            d_out.push(run(&dw, &d_index, &a.derived, new));
        }
    }
    (s_out, d_out)
}

/// Intensity 1..=5 from a score in [0, 1].
fn level(score: f64) -> u8 {
    match score {
        s if s >= 0.9 => 5,
        s if s >= 0.75 => 4,
        s if s >= 0.6 => 3,
        s if s >= 0.45 => 2,
        _ => 1,
    }
}

/// The table of passages; each row jumps to its passage.
fn passages(out: &mut String, prefix: &str, e: &Entry<'_>) {
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Appends `s` escaped for HTML text and attribute values. A carriage return
/// becomes `&#13;` so that the page's text keeps it (HTML parsing would turn
/// CR LF into LF and shift offsets), and a NUL, which HTML parsing drops,
/// becomes U+FFFD so that offsets still count one character.
pub fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\r' => "&#13;",
            0 => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` escaped for HTML (see [`escape_into`]).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comparison::Scores;
    use crate::text::CharIndex;

    #[test]
    fn escape_covers_markup_quotes_cr_and_nul() {
        assert_eq!(
            escape("<script>a&b</script> \"x\" 'y'\r\n\0é"),
            "&lt;script&gt;a&amp;b&lt;/script&gt; &quot;x&quot; &#39;y&#39;&#13;\n\u{FFFD}é"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain"), "plain");
    }

    fn span(text: &str, from: &str) -> Span {
        let b = text.find(from).unwrap();
        CharIndex::new(text).span(b, b + from.len())
    }

    fn comparison(source: &str, derived: &str, pairs: &[(&str, &str, Kind, f64)]) -> Comparison {
        Comparison {
            source_id: "s<1>.txt".into(),
            derived_id: "d\"2\".txt".into(),
            scores: Scores::default(),
            verdict: Verdict::PartiallyDerived,
            alignments: pairs
                .iter()
                .map(|&(s, d, kind, score)| Alignment {
                    source: span(source, s),
                    derived: span(derived, d),
                    score,
                    kind,
                })
                .collect(),
        }
    }

    /// The text of every mark of passage `n` on one side, in order.
    fn marked(html: &str, side: char, n: usize) -> String {
        let pane = html
            .split(&format!("data-side=\"{side}\""))
            .nth(1)
            .unwrap()
            .split("</div>")
            .next()
            .unwrap();
        let mut out = String::new();
        for part in pane.split("<mark ").skip(1) {
            let attrs = part.split('>').next().unwrap();
            let ids = attrs
                .split("data-a=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            if ids.split(' ').any(|x| x == n.to_string()) {
                let body = part
                    .split_once('>')
                    .unwrap()
                    .1
                    .split("</mark>")
                    .next()
                    .unwrap();
                out.push_str(body);
            }
        }
        out
    }

    #[test]
    fn overlapping_source_passages_are_cut_into_pieces() {
        let source = "Alpha beta gamma delta epsilon zeta.";
        let derived = "One: beta gamma delta. Two: gamma delta epsilon.";
        let c = comparison(
            source,
            derived,
            &[
                ("beta gamma delta", "beta gamma delta", Kind::Verbatim, 1.0),
                (
                    "gamma delta epsilon",
                    "gamma delta epsilon",
                    Kind::Edited,
                    0.8,
                ),
            ],
        );
        let html = render(&c, source, derived);
        assert_eq!(marked(&html, 's', 1), "beta gamma delta");
        assert_eq!(marked(&html, 's', 2), "gamma delta epsilon");
        assert_eq!(marked(&html, 'd', 1), "beta gamma delta");
        assert_eq!(marked(&html, 'd', 2), "gamma delta epsilon");
        assert!(html.contains("data-a=\"1 2\""), "shared piece lists both");
        assert!(html.contains(" ov\""), "shared piece is hatched");
        assert!(html.contains("data-first=\"1\"") && html.contains("data-first=\"2\""));
    }

    #[test]
    fn passages_starting_together_share_one_first_piece() {
        let source = "Same start here and more words follow.";
        let derived = "Same start here. Same start here and more.";
        let mut c = comparison(
            source,
            derived,
            &[("Same start here", "Same start here", Kind::Verbatim, 1.0)],
        );
        let d2 = derived.rfind("Same start here and more").unwrap();
        c.alignments.push(Alignment {
            source: span(source, "Same start here and more"),
            derived: CharIndex::new(derived).span(d2, d2 + "Same start here and more".len()),
            score: 0.95,
            kind: Kind::Verbatim,
        });
        let html = render(&c, source, derived);
        assert!(html.contains("data-first=\"1 2\""));
        assert_eq!(marked(&html, 's', 2), "Same start here and more");
    }

    #[test]
    fn changed_words_of_an_edited_passage_are_marked_on_both_sides() {
        let source =
            "Lead. A carrier loaded with 2,400 tonnes ran aground early on Thursday near the port.";
        let derived =
            "A carrier loaded with 2400 tonnes ran aground on Thursday near the Brennmark port.";
        let c = comparison(
            source,
            derived,
            &[(
                "A carrier loaded with 2,400 tonnes ran aground early on Thursday near the port.",
                derived,
                Kind::Edited,
                0.8,
            )],
        );
        let (s, d) = changes(&c.alignments[0], source, derived);
        let texts = |spans: &[Span], text: &str| -> Vec<String> {
            spans.iter().map(|s| s.slice(text).to_string()).collect()
        };
        assert_eq!(texts(&s, source), ["2,400", "early"]);
        assert_eq!(texts(&d, derived), ["2400", "Brennmark"]);
        let html = render(&c, source, derived);
        assert!(
            html.contains(" chg\" data-a=\"1\" data-start=\"28\" data-end=\"33\""),
            "{html}"
        );
        assert_eq!(
            marked(&html, 'd', 1),
            derived,
            "pieces still make up the passage"
        );
        // Paraphrases get no word diff.
        let mut p = c.clone();
        p.alignments[0].kind = Kind::Paraphrase;
        assert_eq!(changes(&p.alignments[0], source, derived), (vec![], vec![]));
    }

    #[test]
    fn untrusted_text_and_names_are_escaped() {
        let source = "<script>window.x=1</script> <img src=x onerror=alert(1)> </textarea>";
        let derived = "<script>window.x=1</script>\r\n";
        let mut c = comparison(
            source,
            derived,
            &[(
                "<script>window.x=1</script>",
                "<script>window.x=1</script>",
                Kind::Verbatim,
                1.0,
            )],
        );
        c.source_id = "\"><script>alert(2)</script>".into();
        let html = render(&c, source, derived);
        assert_eq!(html.matches("<script>").count(), 1, "only the report's own");
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("&#13;\n"));
        assert!(!html.contains("\"><script>alert"));
    }

    #[test]
    fn csp_hashes_match_the_inline_style_and_script() {
        let html = render(&comparison("a b", "a b", &[]), "a b", "a b");
        let style = html
            .split("<style>")
            .nth(1)
            .unwrap()
            .split("</style>")
            .next()
            .unwrap();
        let script = html
            .split("<script>")
            .nth(1)
            .unwrap()
            .split("</script>")
            .next()
            .unwrap();
        assert!(html.contains(&format!("style-src 'sha256-{}'", sha256_base64(style))));
        assert!(html.contains(&format!("script-src 'sha256-{}'", sha256_base64(script))));
        assert!(html.contains("default-src 'none'"));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "nothing external"
        );
    }

    #[test]
    fn the_script_never_builds_markup() {
        for api in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "Function(",
            "createElement",
            "textContent =",
        ] {
            assert!(!JS.contains(api), "report.js uses {api}");
        }
    }

    #[test]
    fn many_sorts_by_score_and_caps() {
        let mk = |score: f64, id: &str| {
            let mut c = comparison("x", "x", &[]);
            c.derived_id = id.into();
            c.scores.score = score;
            c
        };
        let cs = [mk(0.2, "low"), mk(0.9, "high"), mk(0.5, "mid")];
        let entries: Vec<Entry<'_>> = cs
            .iter()
            .map(|c| Entry {
                comparison: c,
                source: "x",
                derived: "x",
            })
            .collect();
        let html = render_many(&entries, 2);
        let high = html.find("href=\"#c1\">high").unwrap();
        let mid = html.find("href=\"#c2\">mid").unwrap();
        assert!(high < mid);
        assert!(!html.contains(">low<"));
        assert!(html.contains("1 more comparison, with a lower score, was left out"));
        assert!(!render_many(&entries, 3).contains("left out"));
    }

    #[test]
    fn write_is_atomic_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.html");
        std::fs::write(&path, "old").unwrap();
        write(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A directory in the way: an error, and nothing left behind.
        let blocked = dir.path().join("sub");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("x"), "x").unwrap();
        assert!(write(&blocked, "new").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        assert!(write(&dir.path().join("missing/r.html"), "x").is_err());
        // A name at the file-system limit still gets a temporary file.
        let long = dir.path().join(format!("{}.html", "n".repeat(250)));
        write(&long, "long").unwrap();
        assert_eq!(std::fs::read_to_string(&long).unwrap(), "long");
    }
}
