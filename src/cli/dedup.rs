//! `neardup dedup INPUT… --threshold T`: every near-duplicate pair of a corpus.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::bail;
use neardup::corpus::{Corpus, Input};
use neardup::dedup::{self, DedupConfig};
use neardup::fingerprint::Granularity;
use neardup::lsh::{Banding, Weights};
use neardup::report::dedup::{empty_warning, explain, write_clusters, write_pairs};

use super::progress::Progress;
use super::{Outcome, warn};

/// Arguments of `dedup`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSON Lines files (`{"id": …, "text": …}` per line; `-` for standard
    /// input), directories (`.txt`, `.md`, `.html` files, recursively) or
    /// text files.
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
    /// Warn about malformed JSON lines and go on (with a count at the end)
    /// instead of stopping.
    #[arg(long)]
    skip_bad: bool,
    /// No progress bar, no summary line.
    #[arg(long, short)]
    quiet: bool,
}

/// `--granularity`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum GranularityArg {
    Document,
    Paragraph,
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
    let inputs: Vec<Input> = args.inputs.iter().map(|p| Input::from_arg(p)).collect();
    let corpus = Corpus::open(&inputs)?;
    let mut progress = Progress::new(corpus.total_bytes(), args.quiet, args.skip_bad);
    let result = dedup::dedup(&corpus, &config, &mut progress)?;
    progress.finish();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    if args.clusters {
        write_clusters(&mut out, &result, args.json)?;
    } else {
        write_pairs(&mut out, &result, args.json)?;
    }
    out.flush()?;
    if let Some(w) = empty_warning(&result) {
        warn(w);
    }
    if result.skipped > 0 {
        warn(format!("{} bad record(s) skipped", result.skipped));
    }
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        let docs = result.ids.len();
        eprintln!(
            "neardup: {docs} documents, {} units, {} candidates, {} pairs, {secs:.2} s, {:.0} docs/s",
            result.units.len(),
            result.candidates,
            result.pairs.len(),
            docs as f64 / secs.max(1e-9)
        );
    }
    Ok(Outcome {
        found: !result.pairs.is_empty(),
        errors: false,
    })
}

fn config(args: &Args) -> anyhow::Result<DedupConfig> {
    if !(args.fn_weight > 0.0 && args.fn_weight < 1.0) {
        bail!("--fn-weight must be in (0, 1), not {}", args.fn_weight);
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
        ..DedupConfig::default()
    };
    config.sketch.num_perm = args.num_perm;
    if let (Some(bands), Some(rows)) = (args.bands, args.rows) {
        config.banding = Some(Banding { bands, rows });
    }
    config.banding()?;
    Ok(config)
}
