//! Index figures for people (`index stats`).

use std::fmt::Write;
use std::path::Path;

use crate::index::Stats;

/// The figures of the index at `path`, one per line.
pub fn render(path: &Path, s: &Stats) -> String {
    let p = &s.params;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "index:            {}",
        super::terminal::escape(&path.display().to_string())
    );
    let _ = writeln!(out, "documents:        {}", s.documents);
    let _ = writeln!(out, "text:             {:.1} MB", s.text_bytes as f64 / 1e6);
    let _ = writeln!(out, "file:             {:.1} MB", s.file_bytes as f64 / 1e6);
    let _ = writeln!(
        out,
        "document keys:    {} ({} bands × {} rows, threshold {})",
        s.document_keys, p.doc_bands, p.doc_rows, p.threshold
    );
    let _ = writeln!(
        out,
        "paragraph keys:   {} ({} bands × {} rows, threshold {})",
        s.paragraph_keys, p.paragraph_bands, p.paragraph_rows, p.paragraph_threshold
    );
    let _ = writeln!(
        out,
        "shingles:         {} words, {} permutations",
        p.scheme.shingle_size, p.scheme.num_perm
    );
    let _ = writeln!(out, "hash scheme:      {}", p.scheme.id());
    out
}
