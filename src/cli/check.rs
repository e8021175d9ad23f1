//! `neardup check INDEX FILE…|--jsonl F`: for CI. Each new document is looked
//! up in the index; the indexed documents it near-duplicates or reuses
//! paragraphs of are aligned with it to report the copied passages. Exit 0
//! when nothing reaches `--fail-on`, 1 when something does, 2 on error.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use neardup::check::{CheckOptions, check_corpus};
use neardup::corpus::{Corpus, Input};
use neardup::index::Index;
use neardup::report::{findings, github, html, sarif};
use neardup::{Config, Engine};

use super::inputs::{InputArgs, at_most_one_stdin, unproductive};
use super::progress::Progress;
use super::{Outcome, error, warn, warn_skipped};

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
    /// Name checked text files by their path relative to DIR when they lie
    /// below it, as the index names its documents (default: the directory
    /// the index was built from, recorded in it), so that a file is never
    /// matched against its own indexed copy.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Warn about malformed JSON lines and go on instead of stopping.
    #[arg(long)]
    skip_bad: bool,
    /// No progress bar, no summary line, decoding warnings counted in one
    /// line.
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
    #[command(flatten)]
    input: InputArgs,
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

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if args.files.is_empty() && args.jsonl.is_empty() {
        bail!("give FILE… or --jsonl F to check");
    }
    let index = Index::open(&args.index)?;
    at_most_one_stdin(args.files.iter().chain(&args.jsonl).map(PathBuf::as_path))?;
    let mut inputs: Vec<Input> = args.files.iter().map(|p| Input::from_arg(p)).collect();
    inputs.extend(args.jsonl.iter().map(|p| {
        if p == Path::new("-") {
            Input::Stdin
        } else {
            Input::JsonLines(p.clone())
        }
    }));
    // The index's recorded root only when it is there (an index copied
    // without its files still checks, naming files as given).
    let root = args
        .root
        .clone()
        .or_else(|| index.root().filter(|r| r.is_dir()));
    let corpus = Corpus::open_with(&inputs, &args.input.options(root)?)?;
    let mut outcome = Outcome {
        errors: warn_skipped(&corpus),
        ..Outcome::default()
    };
    let engine = Engine::new(Config::default())?;
    let options = CheckOptions {
        include_self: args.include_self,
    };
    let mut progress = Progress::new(corpus.total_bytes(), args.quiet, args.skip_bad);
    let report = check_corpus(&index, &engine, &corpus, &options, &mut progress)?;
    progress.finish();
    let findings = &report.findings;
    let failing = findings.iter().filter(|f| f.fails(args.fail_on)).count();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Table => findings::write_table(&mut out, findings, args.fail_on)?,
        Format::Json => findings::write_json(&mut out, findings, args.fail_on)?,
        Format::Sarif => writeln!(
            out,
            "{}",
            sarif::to_value(findings, args.fail_on, index.params())
        )?,
        Format::Github => github::write(&mut out, findings, args.fail_on)?,
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
    if report.skipped > 0 {
        warn(format!("{} bad record(s) skipped", report.skipped));
    }
    if let Some(message) = unproductive(&report.unproductive_inputs) {
        error(message);
        outcome.errors = true;
    }
    if !args.quiet {
        eprintln!(
            "neardup: {} document(s) checked against {} indexed, {} finding(s), {failing} at or over --fail-on {}",
            report.checked,
            index.len(),
            findings.len(),
            args.fail_on
        );
    }
    outcome.found = failing > 0;
    Ok(outcome)
}
