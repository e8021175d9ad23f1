//! `neardup eval pan DIR`: run on an evaluation corpus and print its standard
//! measures.

use std::path::PathBuf;
use std::time::Instant;

use neardup::eval::pan::{self, Half, PanCorpus};
use neardup::eval::{clough, counter, news, sentences};
use neardup::{Config, Engine};

use super::Outcome;

/// The corpora.
#[derive(Debug, clap::Subcommand)]
pub enum Corpus {
    /// PAN 2013 text alignment: precision, recall, granularity and plagdet per
    /// sub-corpus (Potthast et al., COLING 2010).
    Pan(PanArgs),
    /// Scenario folders with a truth.json (such as fixtures/news): paragraph
    /// precision, recall and F1, and false flags of independent articles.
    News(NewsArgs),
    /// COUNTER (Urdu news reuse, WD/PD/ND pairs): binary and 3-class F1 of
    /// the verdicts, and with score thresholds chosen by 5-fold
    /// cross-validation.
    Counter(DirArgs),
    /// Clough & Stevenson short answers (cut / light / heavy / non): binary
    /// and 4-class F1, Spearman of the score with the level of reuse.
    Clough(DirArgs),
    /// The sentence-similarity component alone: MRPC accuracy/F1 and STS-B
    /// Spearman, next to a plain tf-idf baseline.
    Sentences(SentenceArgs),
}

/// Arguments of `eval sentences`.
#[derive(Debug, clap::Args)]
pub struct SentenceArgs {
    /// The MRPC folder (msr_paraphrase_train.txt, msr_paraphrase_test.txt).
    #[arg(long)]
    mrpc: PathBuf,
    /// The STS Benchmark folder (sts-train.csv, sts-dev.csv, sts-test.csv).
    #[arg(long)]
    sts: PathBuf,
}

/// A corpus folder.
#[derive(Debug, clap::Args)]
pub struct DirArgs {
    /// The corpus folder.
    dir: PathBuf,
}

/// Arguments of `eval news`.
#[derive(Debug, clap::Args)]
pub struct NewsArgs {
    /// Folder searched recursively for scenario folders with a truth.json.
    dir: PathBuf,
    /// Print every pair, not only the totals.
    #[arg(long)]
    verbose: bool,
}

/// Arguments of `eval pan`.
#[derive(Debug, clap::Args)]
pub struct PanArgs {
    /// Corpus folder (with src/, susp/ and one folder per sub-corpus).
    dir: PathBuf,
    /// Only one fixed random half of the pairs: `a` (tuning) or `b` (held out).
    #[arg(long, value_parser = ["a", "b"])]
    half: Option<String>,
    /// Write detections as PAN XML files into this folder (for the official
    /// scorer).
    #[arg(long, value_name = "DIR")]
    xml_out: Option<PathBuf>,
    /// Print the figures as one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn run(corpus: Corpus) -> anyhow::Result<Outcome> {
    match corpus {
        Corpus::Pan(args) => run_pan(args),
        Corpus::News(args) => {
            let results = news::run(&args.dir, &engine()?)?;
            print_out(&news::render(&results, args.verbose))?;
            Ok(Outcome::default())
        }
        Corpus::Counter(args) => {
            let scored = counter::run(&counter::corpus_dir(&args.dir), &engine()?)?;
            print_out(&counter::report(&scored).render())?;
            Ok(Outcome::default())
        }
        Corpus::Clough(args) => {
            let scored = clough::run(&args.dir, &engine()?)?;
            print_out(&clough::report(&scored).render())?;
            Ok(Outcome::default())
        }
        Corpus::Sentences(args) => {
            print_out(&sentences::render(&sentences::evaluate(
                &args.mrpc, &args.sts,
            )?))?;
            Ok(Outcome::default())
        }
    }
}

/// Writes `text` to standard output; a closed pipe is an error the caller
/// ends quietly on (`print!` would panic).
fn print_out(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

fn engine() -> anyhow::Result<Engine> {
    Ok(Engine::new(Config::default())?)
}

fn run_pan(args: PanArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let corpus = PanCorpus::open(&args.dir)?;
    let half = args
        .half
        .as_deref()
        .map(|h| if h == "a" { Half::A } else { Half::B });
    let result = pan::run(&corpus, &engine()?, |i| {
        half.is_none_or(|h| corpus.pairs[i].half() == h)
    })?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(dir) = &args.xml_out {
        pan::write_detections(&corpus, &result.detections, dir)?;
    }
    if args.json {
        print_out(&format!(
            "{}\n",
            pan::to_json(&args.dir, args.half.as_deref(), &result, seconds)
        ))?;
    } else {
        print_out(&pan::table(&args.dir, &result, seconds))?;
    }
    Ok(Outcome::default())
}
