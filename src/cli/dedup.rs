//! `neardup dedup INPUT… --threshold T`: every near-duplicate pair of a corpus.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::bail;
use neardup::corpus::{Corpus, Input};
use neardup::dedup::{self, Dedup, DedupConfig, Granularity, Unit};
use neardup::lsh::{Banding, Weights};
use serde_json::{Value, json};

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
    report_empty(&result);
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

/// The `--explain` text.
pub fn explain(config: &DedupConfig) -> anyhow::Result<String> {
    let b = config.banding()?;
    let t = config.threshold;
    let how = if config.banding.is_some() {
        "given".to_string()
    } else {
        format!(
            "minimises {:.2} × false positive area + {:.2} × false negative area",
            config.weights.false_positive, config.weights.false_negative
        )
    };
    let mut s = format!(
        "LSH: {} bands × {} rows of {} permutations (threshold {t}; {how})\n",
        b.bands, b.rows, config.sketch.num_perm
    );
    s += "similarity  P(candidate)\n";
    let mut points = vec![0.3, 0.5, 0.6, 0.7, t, 0.85, 0.9, 0.95, 1.0];
    points.sort_by(f64::total_cmp);
    points.dedup();
    for x in points {
        let mark = if x == t { "  ← threshold" } else { "" };
        s += &format!("{x:>10.2}  {:.4}{mark}\n", b.probability(x));
    }
    s += &format!(
        "expected miss rate over [{t}, 1]: {:.2}% (pairs spread evenly; every candidate is verified exactly, so no false pair is reported)\n",
        100.0 * b.expected_miss_rate(t)
    );
    Ok(s)
}

fn unit_json(result: &Dedup, unit: Unit, paragraph: bool) -> (Value, Option<u32>) {
    let id = result.ids.get(unit.doc).to_json();
    (id, paragraph.then_some(unit.paragraph))
}

fn is_paragraph(result: &Dedup) -> bool {
    result
        .units
        .first()
        .is_some_and(|u| u.paragraph != neardup::lsh::WHOLE_DOCUMENT)
}

fn unit_name(result: &Dedup, unit: Unit) -> String {
    let id = result.ids.get(unit.doc).as_str();
    if unit.paragraph == neardup::lsh::WHOLE_DOCUMENT {
        id.to_string()
    } else {
        format!("{id}#{}", unit.paragraph)
    }
}

fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn write_pairs(out: &mut impl Write, result: &Dedup, json: bool) -> std::io::Result<()> {
    let paragraph = is_paragraph(result);
    for p in &result.pairs {
        let (ua, ub) = (result.units[p.a as usize], result.units[p.b as usize]);
        if json {
            let (a, ap) = unit_json(result, ua, paragraph);
            let (b, bp) = unit_json(result, ub, paragraph);
            let line = match (ap, bp) {
                (Some(ap), Some(bp)) => json!({"a": a, "a_paragraph": ap, "b": b,
                    "b_paragraph": bp, "similarity": round(p.similarity)}),
                _ => json!({"a": a, "b": b, "similarity": round(p.similarity)}),
            };
            writeln!(out, "{line}")?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{:.3}",
                unit_name(result, ua),
                unit_name(result, ub),
                p.similarity
            )?;
        }
    }
    Ok(())
}

fn write_clusters(out: &mut impl Write, result: &Dedup, json: bool) -> std::io::Result<()> {
    let paragraph = is_paragraph(result);
    let edges = result.pairs.iter().map(|p| (p.a, p.b));
    let mut clusters: Vec<Vec<Unit>> = dedup::clusters(result.units.len(), edges)
        .into_iter()
        .map(|c| {
            let mut members: Vec<Unit> = c.iter().map(|&u| result.units[u as usize]).collect();
            members.sort_by(|x, y| {
                result
                    .ids
                    .get(x.doc)
                    .cmp(result.ids.get(y.doc))
                    .then(x.paragraph.cmp(&y.paragraph))
            });
            members
        })
        .collect();
    clusters.sort_by(|x, y| {
        result
            .ids
            .get(x[0].doc)
            .cmp(result.ids.get(y[0].doc))
            .then(x[0].paragraph.cmp(&y[0].paragraph))
    });
    for members in clusters {
        if json {
            let list: Vec<Value> = members
                .iter()
                .map(|&u| match unit_json(result, u, paragraph) {
                    (id, Some(p)) => json!({"id": id, "paragraph": p}),
                    (id, None) => id,
                })
                .collect();
            let (id, p) = unit_json(result, members[0], paragraph);
            let line = match p {
                Some(p) => {
                    json!({"cluster": id, "cluster_paragraph": p, "size": members.len(), "members": list})
                }
                None => json!({"cluster": id, "size": members.len(), "members": list}),
            };
            writeln!(out, "{line}")?;
        } else {
            let names: Vec<String> = members.iter().map(|&u| unit_name(result, u)).collect();
            writeln!(
                out,
                "cluster {} ({}): {}",
                names[0],
                names.len(),
                names.join(" ")
            )?;
        }
    }
    Ok(())
}

fn report_empty(result: &Dedup) {
    if result.empty.is_empty() {
        return;
    }
    let shown: Vec<&str> = result
        .empty
        .iter()
        .take(10)
        .map(|&d| result.ids.get(d).as_str())
        .collect();
    let more = result.empty.len().saturating_sub(shown.len());
    warn(format!(
        "{} empty document(s) (no words), not compared: {}{}",
        result.empty.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ));
}
