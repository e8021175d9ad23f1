//! Findings of `check` for people (a block per finding) and as JSON Lines
//! (one object per finding, with the comparison's JSON inside).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::terminal::escape;
use super::{json as comparison_json, round, table};
use crate::check::Finding;

/// One block per finding: `FAIL`/`note`, file:line, the message, the
/// matched paragraphs, then the aligned passages as `compare` shows them;
/// control characters in names and text escaped.
pub fn write_table(out: &mut impl Write, findings: &[Finding], fail_on: f64) -> io::Result<()> {
    for (i, f) in findings.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let mark = if f.fails(fail_on) { "FAIL" } else { "note" };
        writeln!(
            out,
            "{mark} {}:{}: {}",
            escape(&f.path().display().to_string()),
            f.region().start_line,
            escape(&f.message())
        )?;
        for p in &f.matched.paragraphs {
            writeln!(
                out,
                "  paragraph {} = {} paragraph {} (Jaccard {:.3}, containment {:.3})",
                p.paragraph,
                escape(&f.indexed_id),
                p.indexed_paragraph,
                p.similarity,
                p.containment
            )?;
        }
        write!(
            out,
            "{}",
            table::render(&f.comparison, &f.indexed_text, &f.text)
        )?;
    }
    Ok(())
}

/// The JSON object of one finding: `file`, `line`, `end_line`, `id`,
/// `indexed_id`, `rule`, `near_duplicate`, `similarity`, `paragraphs`,
/// `score`, `fails` and `comparison` (the `compare` JSON object).
pub fn to_value(f: &Finding, fail_on: f64) -> Value {
    let region = f.region();
    let paragraphs: Vec<Value> = f
        .matched
        .paragraphs
        .iter()
        .map(|p| {
            json!({"paragraph": p.paragraph, "indexed_paragraph": p.indexed_paragraph,
                   "similarity": round(p.similarity), "containment": round(p.containment)})
        })
        .collect();
    json!({
        "file": f.path().display().to_string(), "line": region.start_line,
        "end_line": region.end_line, "id": f.id, "indexed_id": f.indexed_id,
        "rule": f.rule().as_str(), "near_duplicate": f.matched.near_duplicate,
        "similarity": round(f.matched.similarity), "paragraphs": paragraphs,
        "score": round(f.score()), "fails": f.fails(fail_on),
        "comparison": comparison_json::to_value(&f.comparison),
    })
}

/// JSON Lines, one finding a line.
pub fn write_json(out: &mut impl Write, findings: &[Finding], fail_on: f64) -> io::Result<()> {
    for f in findings {
        writeln!(out, "{}", to_value(f, fail_on))?;
    }
    Ok(())
}
