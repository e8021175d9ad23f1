//! `neardup index build|add|stats`: a persistent index for `check`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use neardup::ErrorKind;
use neardup::corpus::{Corpus, Input};
use neardup::index::lock::WriteLock;
use neardup::index::{BuildReport, Index, IndexParams};
use neardup::report::stats;

use super::inputs::{InputArgs, at_most_one_stdin, unproductive};
use super::progress::Progress;
use super::{Outcome, error, warn, warn_skipped};

/// `index` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Build a new index of a corpus (overwrites OUTPUT atomically).
    Build(BuildArgs),
    /// Add documents to an index (rewritten atomically: an interrupted add
    /// leaves the previous index intact).
    Add(AddArgs),
    /// Remove documents from an index by id (rewritten atomically).
    Remove(RemoveArgs),
    /// Print figures about an index (and check its checksums).
    Stats(StatsArgs),
}

/// Arguments of `index remove`.
#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The index.
    #[arg(value_name = "INDEX")]
    index: PathBuf,
    /// Ids of the documents to remove.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
    /// No summary line.
    #[arg(long, short)]
    quiet: bool,
    /// If another neardup is writing the index, wait for it instead of
    /// failing.
    #[arg(long)]
    wait: bool,
}

/// Options shared by `build` and `add`.
#[derive(Debug, clap::Args)]
pub struct ReadOptions {
    /// Warn about malformed JSON lines and go on instead of stopping.
    #[arg(long)]
    skip_bad: bool,
    /// No progress bar, no summary line, decoding warnings counted in one
    /// line.
    #[arg(long, short)]
    quiet: bool,
    /// If another neardup is writing the index, wait for it instead of
    /// failing.
    #[arg(long)]
    wait: bool,
    #[command(flatten)]
    input: InputArgs,
}

/// Arguments of `index build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// JSON Lines files (`-` for standard input), directories or text files.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The index file to write.
    #[arg(short, long, value_name = "INDEX")]
    output: PathBuf,
    /// Document-level Jaccard threshold of later checks.
    #[arg(long, default_value_t = 0.8, value_name = "T")]
    threshold: f64,
    /// Paragraph-level threshold (Jaccard, or containment of a new paragraph
    /// in an indexed one).
    #[arg(long, default_value_t = 0.8, value_name = "T")]
    paragraph_threshold: f64,
    #[command(flatten)]
    options: ReadOptions,
}

/// Arguments of `index add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The index to extend.
    #[arg(value_name = "INDEX")]
    index: PathBuf,
    /// JSON Lines files (`-` for standard input), directories or text files.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Replace indexed documents that have the id of a new one (in the
    /// same atomic rewrite) instead of refusing the duplicate id.
    #[arg(long)]
    replace: bool,
    #[command(flatten)]
    options: ReadOptions,
}

/// Arguments of `index stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The index.
    #[arg(value_name = "INDEX")]
    index: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Build(a) => {
            let params = IndexParams::new(a.threshold, a.paragraph_threshold)?;
            write(&a.output, &a.inputs, &a.options, |corpus, progress| {
                Index::build(corpus, params.clone(), &a.output, progress)
            })
        }
        Command::Add(a) => write(&a.index, &a.inputs, &a.options, |corpus, progress| {
            if a.replace {
                Index::add_replacing(&a.index, corpus, progress)
            } else {
                Index::add(&a.index, corpus, progress)
            }
        }),
        Command::Remove(a) => remove(&a),
        Command::Stats(a) => stats(&a),
    }
}

fn remove(args: &RemoveArgs) -> anyhow::Result<Outcome> {
    let ids: Vec<&str> = args.ids.iter().map(String::as_str).collect();
    let report = waiting(&args.index, args.wait, || Index::remove(&args.index, &ids))?;
    for id in &report.missing {
        warn(format!(
            "{}: no document with id {id:?}",
            args.index.display()
        ));
    }
    if !args.quiet {
        eprintln!(
            "neardup: {} document(s) removed, {} in the index",
            report.removed, report.documents
        );
    }
    Ok(Outcome {
        found: false,
        errors: !report.missing.is_empty(),
    })
}

/// Runs a writer of the index at `index`; with `wait`, when another writer
/// holds the index's lock, says so once, waits for it and runs again (the
/// writer takes the lock before it does anything).
fn waiting<T>(
    index: &Path,
    wait: bool,
    mut run: impl FnMut() -> neardup::Result<T>,
) -> neardup::Result<T> {
    let mut told = false;
    loop {
        match run() {
            Err(e) if wait && e.kind() == ErrorKind::Locked => {
                if !told {
                    warn(format!(
                        "{}: another neardup is writing this index, waiting for it",
                        index.display()
                    ));
                    told = true;
                }
                WriteLock::wait(index)?;
            }
            result => return result,
        }
    }
}

fn write(
    index: &Path,
    inputs: &[PathBuf],
    options: &ReadOptions,
    mut run: impl FnMut(&Corpus, &mut Progress) -> neardup::Result<BuildReport>,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    at_most_one_stdin(inputs.iter().map(PathBuf::as_path))?;
    let inputs: Vec<Input> = inputs.iter().map(|p| Input::from_arg(p)).collect();
    let corpus = Corpus::open_with(&inputs, &options.input.options(None)?)?;
    let mut outcome = Outcome {
        errors: warn_skipped(&corpus),
        ..Outcome::default()
    };
    let mut progress = Progress::new(corpus.total_bytes(), options.quiet, options.skip_bad);
    let report = waiting(index, options.wait, || run(&corpus, &mut progress))?;
    progress.finish();
    if let Some(message) = unproductive(&report.unproductive_inputs) {
        error(message);
        outcome.errors = true;
    }
    if report.skipped > 0 {
        warn(format!("{} bad record(s) skipped", report.skipped));
    }
    if report.empty > 0 {
        warn(format!(
            "{} empty document(s) (no words): indexed, never matched",
            report.empty
        ));
    }
    if !options.quiet {
        let secs = started.elapsed().as_secs_f64();
        let replaced = if report.replaced > 0 {
            format!(", {} replaced", report.replaced)
        } else {
            String::new()
        };
        eprintln!(
            "neardup: {} documents added{replaced}, {} in the index, {:.1} MB, {secs:.2} s, {:.0} docs/s",
            report.added,
            report.documents,
            report.file_bytes as f64 / 1e6,
            (report.added + report.replaced) as f64 / secs.max(1e-9)
        );
    }
    Ok(outcome)
}

fn stats(args: &StatsArgs) -> anyhow::Result<Outcome> {
    let index = Index::open_verified(&args.index)?;
    let s = index.stats();
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&s)?)?;
    } else {
        write!(out, "{}", stats::render(&args.index, &s))?;
    }
    out.flush()?;
    Ok(Outcome::default())
}
