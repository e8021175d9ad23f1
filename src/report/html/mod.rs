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

mod diff;
mod header;
mod page;
mod text;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::comparison::Comparison;
use crate::error::{Error, Result};
use header::{files, stats, verdict_badge, verdict_line};
pub use page::{escape, escape_into};
use page::{page, plural};
use text::section;

/// How many comparisons [`render_many`] shows by default.
pub const DEFAULT_MAX_MATCHES: usize = 50;

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

#[cfg(test)]
mod tests;
