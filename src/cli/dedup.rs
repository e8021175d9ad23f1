//! `neardup dedup INPUT… --threshold T`: every near-duplicate pair of a
//! corpus, and optionally the deduplicated dataset.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::bail;
use neardup::Error;
use neardup::corpus::{Corpus, Input};
use neardup::dedup::{self, DEFAULT_BUCKET_CAP, DedupConfig, Keep};
use neardup::fingerprint::Granularity;
use neardup::lsh::{Banding, Weights};
use neardup::report::dedup::{empty_warning, explain, write_clusters, write_pair};

use super::inputs::{InputArgs, at_most_one_stdin, unproductive};
use super::progress::Progress;
use super::{Outcome, warn, warn_skipped};

/// Arguments of `dedup`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSON Lines files (`{"id": …, "text": …}` per line, plain, .gz or
    /// .zst; `-` for standard input), Parquet files, directories (`.txt`,
    /// `.md`, `.html` files, recursively) or text files.
    #[arg(required_unless_present = "explain", value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Report pairs with word 5-gram Jaccard similarity at least this.
    #[arg(long, default_value_t = 0.8, value_name = "T")]
    threshold: f64,
    /// Compare whole documents, or paragraphs of different documents.
    #[arg(long, value_enum, default_value_t = GranularityArg::Document)]
    granularity: GranularityArg,
    /// Print JSON Lines: {"a","b","similarity"} (paragraphs: also
    /// "a_paragraph", "b_paragraph").
    #[arg(long)]
    json: bool,
    /// Print connected components instead of pairs; a cluster is named by
    /// its smallest member id.
    #[arg(long)]
    clusters: bool,
    /// Write the deduplicated dataset to FILE: the kept JSON lines exactly
    /// as they were (directories: the kept paths, one a line); at paragraph
    /// level every document with its duplicate paragraphs cut out. Written
    /// to a temporary file and renamed when complete.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write the removed documents (paragraphs) to FILE, as JSON Lines
    /// {"id", "duplicate_of"} naming the one kept in their place.
    #[arg(long, value_name = "FILE", requires = "output")]
    removed: Option<PathBuf>,
    /// Which document (paragraph) of each cluster --output keeps.
    #[arg(long, value_enum, default_value_t = KeepArg::First)]
    keep: KeepArg,
    /// Print the LSH parameters, their S-curve and expected miss rate (on
    /// stderr); without INPUT, only that.
    #[arg(long)]
    explain: bool,
    /// MinHash permutations (signature slots).
    #[arg(long, default_value_t = 128, value_name = "N")]
    num_perm: usize,
    /// LSH bands (with --rows; default: chosen from the threshold).
    #[arg(long, requires = "rows", value_name = "B")]
    bands: Option<usize>,
    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands", value_name = "R")]
    rows: Option<usize>,
    /// Weight of false negatives in the choice of bands and rows, in (0, 1);
    /// false positives get 1 minus it (datasketch uses 0.5).
    #[arg(long, default_value_t = Weights::default().false_negative, value_name = "W")]
    fn_weight: f64,
    /// In a band bucket of more documents (units) than this, each is
    /// compared with the next N of the bucket only (a warning says when):
    /// bounded work on thousands of identical texts, at the cost of pairs
    /// inside such a bucket.
    #[arg(long, default_value_t = DEFAULT_BUCKET_CAP, value_name = "N")]
    bucket_cap: usize,
    /// Warn about malformed JSON lines and go on (with a count at the end)
    /// instead of stopping.
    #[arg(long)]
    skip_bad: bool,
    /// No progress bar, no summary line, decoding warnings counted in one
    /// line; with --output, no pairs on standard output either.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    input: InputArgs,
}

/// `--granularity`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum GranularityArg {
    Document,
    Paragraph,
}

/// `--keep`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum KeepArg {
    /// The first in input order.
    First,
    /// The longest (ties: the first).
    Longest,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let config = config(&args)?;
    if args.explain {
        eprint!("{}", explain(&config)?);
        if args.inputs.is_empty() {
            return Ok(Outcome::default());
        }
    }
    let started = Instant::now();
    at_most_one_stdin(args.inputs.iter().map(PathBuf::as_path))?;
    let inputs: Vec<Input> = args.inputs.iter().map(|p| Input::from_arg(p)).collect();
    let corpus = Corpus::open_with(&inputs, &args.input.options(None)?)?;
    let mut outcome = Outcome {
        errors: warn_skipped(&corpus),
        ..Outcome::default()
    };
    let mut progress = Progress::new(corpus.total_bytes(), args.quiet, args.skip_bad);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let writes_dataset_quietly = args.quiet && args.output.is_some();
    let print_pairs = !(args.clusters || writes_dataset_quietly);
    let json = args.json;
    let result = if print_pairs {
        dedup::dedup_each(&corpus, &config, &mut progress, &mut |r, p| {
            write_pair(&mut out, r, p, json).map_err(|e| Error::io("<stdout>", e))
        })?
    } else {
        dedup::dedup_clusters(&corpus, &config, &mut progress)?
    };
    progress.finish();
    if args.clusters {
        write_clusters(&mut out, &result, args.json)?;
    }
    out.flush()?;
    drop(out);
    if result.ids.is_empty() {
        bail!("no document read from {}", list(&args.inputs));
    }
    if let Some(output) = &args.output {
        let keep = match args.keep {
            KeepArg::First => Keep::First,
            KeepArg::Longest => Keep::Longest,
        };
        let written =
            dedup::write_dataset_files(&corpus, &result, keep, output, args.removed.as_deref())?;
        if !args.quiet {
            let what = if result.is_paragraph_level() {
                "paragraph(s)"
            } else {
                "document(s)"
            };
            eprintln!(
                "neardup: {} document(s) written to {}, {} {what} removed",
                written.kept,
                output.display(),
                written.removed
            );
        }
    }
    if let Some(w) = empty_warning(&result) {
        warn(w);
    }
    if result.skipped > 0 {
        warn(format!("{} bad record(s) skipped", result.skipped));
    }
    if result.buckets.capped > 0 {
        warn(format!(
            "{} band bucket(s) held more than --bucket-cap {} units (the largest {}): in them each unit was compared with the next {} only, so pairs among them may be missing (their clusters still connect)",
            result.buckets.capped, args.bucket_cap, result.buckets.largest, args.bucket_cap
        ));
    }
    if let Some(message) = unproductive(&result.unproductive_inputs) {
        super::error(message);
        outcome.errors = true;
    }
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        let docs = result.ids.len();
        eprintln!(
            "neardup: {docs} documents, {} units, {} candidates, {} pairs, {secs:.2} s, {:.0} docs/s",
            result.units.len(),
            result.candidates,
            result.pair_count,
            docs as f64 / secs.max(1e-9)
        );
    }
    outcome.found = result.pair_count > 0;
    Ok(outcome)
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn config(args: &Args) -> anyhow::Result<DedupConfig> {
    if !(args.fn_weight > 0.0 && args.fn_weight < 1.0) {
        bail!("--fn-weight must be in (0, 1), not {}", args.fn_weight);
    }
    if args.bucket_cap == 0 {
        bail!("--bucket-cap must be at least 1");
    }
    let mut config = DedupConfig {
        threshold: args.threshold,
        granularity: match args.granularity {
            GranularityArg::Document => Granularity::Document,
            GranularityArg::Paragraph => Granularity::Paragraph,
        },
        weights: Weights {
            false_positive: 1.0 - args.fn_weight,
            false_negative: args.fn_weight,
        },
        bucket_cap: args.bucket_cap,
        ..DedupConfig::default()
    };
    config.sketch.num_perm = args.num_perm;
    if let (Some(bands), Some(rows)) = (args.bands, args.rows) {
        config.banding = Some(Banding { bands, rows });
    }
    config.banding()?;
    Ok(config)
}
