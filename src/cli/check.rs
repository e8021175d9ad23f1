//! `neardup check INDEX FILE…|--jsonl F`: for CI. Each new document is looked
//! up in the index; the indexed documents it near-duplicates or reuses
//! paragraphs of are aligned with it to report the copied passages. Exit 0
//! when nothing reaches `--fail-on`, 1 when something does, 2 on error.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use neardup::corpus::{Corpus, Input, Origin, Record};
use neardup::index::{Index, Match};
use neardup::report::{html, json as report_json, table};
use neardup::{Comparison, Config, Document, Engine};
use rayon::prelude::*;
use serde_json::{Value, json};

use super::progress::Progress;
use super::{Outcome, warn};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The index (from `neardup index build`).
    #[arg(value_name = "INDEX")]
    index: PathBuf,
    /// Documents to check: text files or directories (JSON Lines files by
    /// their extension).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// A JSON Lines file of documents to check (`-` for standard input).
    #[arg(long, value_name = "F")]
    jsonl: Vec<PathBuf>,
    /// Fail (exit 1) when a finding's score — the share of the new document
    /// found in an indexed one, weighted by passage similarity — is at least
    /// this. The default 0 fails on any finding.
    #[arg(long, default_value_t = 0.0, value_name = "T")]
    fail_on: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also report indexed documents with the same id as the new one
    /// (normally skipped: a document matches itself).
    #[arg(long)]
    include_self: bool,
    /// Warn about malformed JSON lines and go on instead of stopping.
    #[arg(long)]
    skip_bad: bool,
    /// No progress bar, no summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Also write a self-contained HTML report of the findings: a summary
    /// table sorted by score, each linking to its side-by-side view.
    #[arg(long, value_name = "OUT.html")]
    html: Option<PathBuf>,
    /// With --html: show at most N findings (highest scores first); the
    /// report says how many were left out.
    #[arg(long, value_name = "N", default_value_t = html::DEFAULT_MAX_MATCHES, requires = "html")]
    max_matches: usize,
}

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Human-readable: one block per finding with the aligned passages.
    Table,
    /// JSON Lines, one finding a line.
    Json,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

/// One new document reusing one indexed document.
struct Finding {
    /// Where the new document is (file shown, 1-based line or 0).
    path: PathBuf,
    record_line: u64,
    id: String,
    indexed_id: String,
    matched: Match,
    comparison: Comparison,
    /// The new text (for lines and the table).
    text: String,
    indexed_text: String,
}

impl Finding {
    fn score(&self) -> f64 {
        self.comparison.scores.score
    }

    fn rule(&self) -> &'static str {
        if self.matched.near_duplicate {
            "near-duplicate"
        } else {
            "paragraph-reuse"
        }
    }

    fn message(&self) -> String {
        let what = if self.matched.near_duplicate {
            format!(
                "near-duplicate of {} (Jaccard {:.3})",
                self.indexed_id, self.matched.similarity
            )
        } else {
            format!(
                "reuses {} paragraph(s) of {}",
                self.matched.paragraphs.len(),
                self.indexed_id
            )
        };
        format!(
            "{}: {what}; {:.1}% of the text reused, score {:.3}",
            self.id,
            100.0 * self.comparison.scores.reused,
            self.score()
        )
    }

    /// (start line, end line, char offset, char length) of the first
    /// passage in a text file; the record's line for JSON Lines.
    fn region(&self) -> (u64, u64, Option<(usize, usize)>) {
        if self.record_line > 0 {
            return (self.record_line, self.record_line, None);
        }
        match self.comparison.alignments.first() {
            Some(a) => {
                let d = a.derived;
                (
                    line_of(&self.text, d.byte_start),
                    line_of(&self.text, d.byte_end.saturating_sub(1)),
                    Some((d.start, d.end - d.start)),
                )
            }
            None => (1, 1, None),
        }
    }
}

fn line_of(text: &str, byte: usize) -> u64 {
    1 + count_newlines(&text.as_bytes()[..byte.min(text.len())]) as u64
}

fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if args.files.is_empty() && args.jsonl.is_empty() {
        bail!("give FILE… or --jsonl F to check");
    }
    let index = Index::open(&args.index)?;
    let mut inputs: Vec<Input> = args.files.iter().map(|p| Input::from_arg(p)).collect();
    inputs.extend(args.jsonl.iter().map(|p| {
        if p == Path::new("-") {
            Input::Stdin
        } else {
            Input::JsonLines(p.clone())
        }
    }));
    let corpus = Corpus::open(&inputs)?;
    let engine = Engine::new(Config::default())?;
    let mut progress = Progress::new(corpus.total_bytes(), args.quiet, args.skip_bad);
    let (findings, checked, skipped) = find_all(&args, &index, &corpus, &engine, &mut progress)?;
    progress.finish();
    let failing = findings
        .iter()
        .filter(|f| f.score() >= args.fail_on)
        .count();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Table => write_table(&mut out, &findings, args.fail_on)?,
        Format::Json => write_json(&mut out, &findings, args.fail_on)?,
        Format::Sarif => writeln!(out, "{}", sarif(&findings, args.fail_on))?,
        Format::Github => write_github(&mut out, &findings)?,
    }
    out.flush()?;
    if let Some(path) = &args.html {
        let entries: Vec<html::Entry<'_>> = findings
            .iter()
            .map(|f| html::Entry {
                comparison: &f.comparison,
                source: &f.indexed_text,
                derived: &f.text,
            })
            .collect();
        let page = html::render_many(&entries, args.max_matches);
        html::write(path, &page).context("cannot write the HTML report")?;
    }
    if skipped > 0 {
        warn(format!("{skipped} bad record(s) skipped"));
    }
    if !args.quiet {
        eprintln!(
            "neardup: {checked} document(s) checked against {} indexed, {} finding(s), {failing} at or over --fail-on {}",
            index.len(),
            findings.len(),
            args.fail_on
        );
    }
    Ok(Outcome {
        found: failing > 0,
        errors: false,
    })
}

/// Checks every record; returns the findings, the number of documents
/// checked and of bad records skipped.
fn find_all(
    args: &Args,
    index: &Index,
    corpus: &Corpus,
    engine: &Engine,
    progress: &mut Progress,
) -> anyhow::Result<(Vec<Finding>, usize, usize)> {
    use neardup::dedup::Events;
    let mut findings = Vec::new();
    let (mut checked, mut skipped) = (0, 0);
    let mut reader = corpus.reader();
    let mut batch = neardup::corpus::Batch::default();
    while reader.next_batch(&mut batch)? {
        let results: Vec<_> = batch
            .items
            .par_iter()
            .map(|item| {
                let record = batch.parse(corpus, item)?;
                if let Some(w) = &record.warning {
                    warn(w);
                }
                Ok(check_one(args, index, corpus, engine, record))
            })
            .collect::<Vec<Result<_, neardup::corpus::BadRecord>>>();
        progress.progress(batch.bytes(corpus));
        for r in results {
            match r {
                Ok(found) => {
                    checked += 1;
                    findings.extend(found?);
                }
                Err(bad) if bad.always_skip => warn(&bad),
                Err(bad) if progress.bad_record(&bad) => skipped += 1,
                Err(bad) => return Err(neardup::Error::from(bad).into()),
            }
        }
    }
    Ok((findings, checked, skipped))
}

fn check_one(
    args: &Args,
    index: &Index,
    corpus: &Corpus,
    engine: &Engine,
    record: Record<'_>,
) -> neardup::Result<Vec<Finding>> {
    let id = record.id.to_string();
    let mut matches = index.query(&record.text, None)?;
    if !args.include_self {
        let mut kept = Vec::with_capacity(matches.len());
        for m in matches {
            if index.id(m.doc)?.as_str() != id {
                kept.push(m);
            }
        }
        matches = kept;
    }
    if matches.is_empty() {
        return Ok(Vec::new());
    }
    let (path, record_line) = match record.origin {
        Origin::Line { source, line, .. } => (corpus.source_name(source).to_path_buf(), line),
        Origin::File { source } => (corpus.source_name(source).to_path_buf(), 0),
    };
    let text = record.text.into_owned();
    let derived = engine.profile(Document::new(id.clone(), text.clone()));
    let mut out = Vec::new();
    for m in matches {
        let indexed_id = index.id(m.doc)?.to_string();
        let indexed_text = index.text(m.doc)?.to_string();
        let source = engine.profile(Document::new(indexed_id.clone(), indexed_text.clone()));
        let comparison = engine.compare(&source, &derived);
        out.push(Finding {
            path: path.clone(),
            record_line,
            id: id.clone(),
            indexed_id,
            matched: m,
            comparison,
            text: text.clone(),
            indexed_text,
        });
    }
    Ok(out)
}

fn write_table(out: &mut impl Write, findings: &[Finding], fail_on: f64) -> std::io::Result<()> {
    for (i, f) in findings.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let (line, _, _) = f.region();
        let mark = if f.score() >= fail_on { "FAIL" } else { "note" };
        writeln!(out, "{mark} {}:{line}: {}", f.path.display(), f.message())?;
        for p in &f.matched.paragraphs {
            writeln!(
                out,
                "  paragraph {} = {} paragraph {} (Jaccard {:.3}, containment {:.3})",
                p.paragraph, f.indexed_id, p.indexed_paragraph, p.similarity, p.containment
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

fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn write_json(out: &mut impl Write, findings: &[Finding], fail_on: f64) -> std::io::Result<()> {
    for f in findings {
        let (line, end_line, _) = f.region();
        let paragraphs: Vec<Value> = f
            .matched
            .paragraphs
            .iter()
            .map(|p| {
                json!({"paragraph": p.paragraph, "indexed_paragraph": p.indexed_paragraph,
                       "similarity": round(p.similarity), "containment": round(p.containment)})
            })
            .collect();
        let v = json!({
            "file": f.path.display().to_string(), "line": line, "end_line": end_line,
            "id": f.id, "indexed_id": f.indexed_id, "rule": f.rule(),
            "near_duplicate": f.matched.near_duplicate, "similarity": round(f.matched.similarity),
            "paragraphs": paragraphs, "score": round(f.score()), "fails": f.score() >= fail_on,
            "comparison": report_json::to_value(&f.comparison),
        });
        writeln!(out, "{v}")?;
    }
    Ok(())
}

/// A relative URI reference for a path: `/`-separated, with bytes outside
/// the unreserved set percent-encoded.
fn uri(path: &Path) -> String {
    let s = path.to_string_lossy();
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif(findings: &[Finding], fail_on: f64) -> Value {
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let (line, end_line, chars) = f.region();
            let mut region = json!({"startLine": line, "endLine": end_line});
            if let Some((offset, len)) = chars {
                region["charOffset"] = json!(offset);
                region["charLength"] = json!(len);
            }
            let related: Vec<Value> = f
                .comparison
                .alignments
                .iter()
                .enumerate()
                .skip(usize::from(f.record_line == 0))
                .map(|(i, a)| {
                    let mut region = json!({"charOffset": a.derived.start,
                        "charLength": a.derived.end - a.derived.start});
                    if f.record_line == 0 {
                        region["startLine"] = json!(line_of(&f.text, a.derived.byte_start));
                    } else {
                        region["startLine"] = json!(f.record_line);
                    }
                    json!({"id": i, "physicalLocation": {
                        "artifactLocation": {"uri": uri(&f.path)}, "region": region},
                        "message": {"text": format!("{} passage, score {:.3}", a.kind.as_str(), a.score)}})
                })
                .collect();
            let mut result = json!({
                "ruleId": f.rule(),
                "level": if f.score() >= fail_on { "error" } else { "warning" },
                "message": {"text": f.message()},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&f.path)}, "region": region}}],
                "properties": {"id": f.id, "indexedId": f.indexed_id,
                    "similarity": round(f.matched.similarity), "score": round(f.score()),
                    "reused": round(f.comparison.scores.reused)},
            });
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "neardup",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": [
                    {"id": "near-duplicate", "shortDescription": {"text":
                        "The document near-duplicates an indexed document (word 5-gram Jaccard at or over the index threshold)."}},
                    {"id": "paragraph-reuse", "shortDescription": {"text":
                        "Paragraphs of the document are copied from an indexed document."}}
                ]}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// Escapes for workflow commands: data escapes `%`, CR, LF; properties
/// also `:` and `,`.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn write_github(out: &mut impl Write, findings: &[Finding]) -> std::io::Result<()> {
    for f in findings {
        let (line, end_line, _) = f.region();
        writeln!(
            out,
            "::warning file={},line={line},endLine={end_line},title={}::{}",
            escape_property(&f.path.display().to_string()),
            escape_property(&format!("neardup {}", f.rule())),
            escape_data(&f.message())
        )?;
    }
    Ok(())
}
