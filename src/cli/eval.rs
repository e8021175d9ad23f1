//! `neardup eval pan DIR`: run on an evaluation corpus and print its standard
//! measures.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use neardup::eval::pan::{self, CategoryResult, Half, PanCorpus};
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
        Corpus::News(args) => run_news(args),
        Corpus::Counter(args) => run_counter(args),
        Corpus::Clough(args) => run_clough(args),
        Corpus::Sentences(args) => run_sentences(args),
    }
}

fn run_news(args: NewsArgs) -> anyhow::Result<Outcome> {
    let engine = Engine::new(Config::default())?;
    let results = neardup::eval::news::run(&args.dir, &engine)?;
    if args.verbose {
        println!(
            "{:<28} {:<14} {:>6} {:>7} {:>7} {:>5}",
            "scenario", "derived", "linked", "flagged", "correct", "spans"
        );
        for r in &results {
            println!(
                "{:<28} {:<14} {:>6} {:>7} {:>7} {:>5}",
                format!("{}/{}", r.scenario, r.source),
                r.derived,
                r.linked,
                r.flagged,
                r.correct,
                r.spans
            );
        }
    }
    let t = neardup::eval::news::totals(&results);
    println!(
        "paragraphs: precision {:.3}  recall {:.3}  F1 {:.3}   independent articles flagged: {}/{}",
        t.precision, t.recall, t.f1, t.independent_flagged, t.independent
    );
    Ok(Outcome::default())
}

fn run_pan(args: PanArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let corpus = PanCorpus::open(&args.dir)?;
    let half = args
        .half
        .as_deref()
        .map(|h| if h == "a" { Half::A } else { Half::B });
    let engine = Engine::new(Config::default())?;
    let result = pan::run(&corpus, &engine, |i| {
        half.is_none_or(|h| corpus.pairs[i].half() == h)
    })?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(dir) = &args.xml_out {
        write_xml(&corpus, &result.detections, dir)?;
    }
    let rows: Vec<&CategoryResult> = result.categories.iter().chain([&result.entire]).collect();
    if args.json {
        let json: Vec<_> = rows.iter().map(|r| row_json(r)).collect();
        println!(
            "{}",
            serde_json::json!({"corpus": args.dir, "half": args.half, "seconds": seconds, "results": json})
        );
    } else {
        print_table(&args.dir, &rows, seconds);
    }
    Ok(Outcome::default())
}

fn print_table(dir: &std::path::Path, rows: &[&CategoryResult], seconds: f64) {
    println!(
        "PAN text alignment: {} ({} pairs, {seconds:.1} s)",
        dir.display(),
        rows.last().map_or(0, |r| r.pairs)
    );
    println!(
        "{:<28} {:>6} {:>8} {:>9} {:>7} {:>11} {:>8}",
        "sub-corpus", "pairs", "flagged", "precision", "recall", "granularity", "plagdet"
    );
    for r in rows {
        let m = &r.measures;
        if m.cases == 0 {
            println!(
                "{:<28} {:>6} {:>8} {:>9} {:>7} {:>11} {:>8}",
                r.name, r.pairs, r.pairs_flagged, "-", "-", "-", "-"
            );
        } else {
            println!(
                "{:<28} {:>6} {:>8} {:>9.4} {:>7.4} {:>11.4} {:>8.4}",
                r.name, r.pairs, r.pairs_flagged, m.precision, m.recall, m.granularity, m.plagdet
            );
        }
    }
}

fn row_json(r: &CategoryResult) -> serde_json::Value {
    let m = &r.measures;
    serde_json::json!({
        "name": r.name, "pairs": r.pairs, "pairs_flagged": r.pairs_flagged, "cases": m.cases,
        "detections": m.detections, "precision": m.precision, "recall": m.recall,
        "granularity": m.granularity, "plagdet": m.plagdet,
    })
}

fn write_xml(
    corpus: &PanCorpus,
    detections: &[Vec<neardup::eval::measures::Annotation>],
    dir: &std::path::Path,
) -> anyhow::Result<()> {
    for (pair, dets) in corpus.pairs.iter().zip(detections) {
        let folder = dir.join(&pair.category);
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("creating {}", folder.display()))?;
        let path = folder.join(pair.xml_name());
        std::fs::write(&path, pan::detections_xml(pair, dets))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn run_counter(args: DirArgs) -> anyhow::Result<Outcome> {
    let engine = Engine::new(Config::default())?;
    let dir = if args.dir.join("COUNTER").is_dir() {
        args.dir.join("COUNTER")
    } else {
        args.dir.clone()
    };
    let scored = neardup::eval::counter::run(&dir, &engine)?;
    let r = neardup::eval::counter::report(&scored);
    println!("COUNTER: {} pairs", r.pairs);
    println!(
        "verdicts as given:        binary F1 {:.3}  3-class macro-F1 {:.3}",
        r.verdict_binary_f1, r.verdict_macro_f1
    );
    println!(
        "verdicts, derived-share bar by {}-fold CV: 3-class macro-F1 {:.3} (bar fitted on all pairs: {:.2})",
        neardup::eval::counter::FOLDS,
        r.cv_verdict_macro_f1,
        r.derived_share
    );
    println!(
        "score thresholds, {}-fold CV: binary F1 {:.3}  3-class macro-F1 {:.3}",
        neardup::eval::counter::FOLDS,
        r.cv_binary_f1,
        r.cv_macro_f1
    );
    println!(
        "word containment thresholds, {}-fold CV: binary F1 {:.3}  3-class macro-F1 {:.3}",
        neardup::eval::counter::FOLDS,
        r.cv_words_binary_f1,
        r.cv_words_macro_f1
    );
    println!(
        "thresholds fitted on all pairs (ND|PD, PD|WD): {:.3?}",
        r.thresholds
    );
    println!(
        "confusion (rows truth ND/PD/WD, columns predicted): {:?}",
        r.confusion
    );
    Ok(Outcome::default())
}

fn run_sentences(args: SentenceArgs) -> anyhow::Result<Outcome> {
    use neardup::eval::sentences::{self, Model, Terms};
    let train = sentences::read_mrpc(&args.mrpc.join("msr_paraphrase_train.txt"))?;
    let test = sentences::read_mrpc(&args.mrpc.join("msr_paraphrase_test.txt"))?;
    let sts_all: Vec<_> = ["sts-train.csv", "sts-dev.csv", "sts-test.csv"]
        .iter()
        .map(|f| sentences::read_sts(&args.sts.join(f)))
        .collect::<Result<_, _>>()?;
    println!(
        "{:<32} {:>14} {:>8} {:>14}",
        "model", "MRPC accuracy", "MRPC F1", "STS-B Spearman"
    );
    for (name, terms) in [
        ("plain tf-idf (baseline)", Terms::Plain),
        ("neardup units (stemmed)", Terms::Ours),
    ] {
        let mrpc_model = Model::new(
            terms,
            train
                .iter()
                .chain(&test)
                .flat_map(|p| [p.a.as_str(), p.b.as_str()]),
        );
        let m = sentences::mrpc(&mrpc_model, &train, &test);
        let sts_model = Model::new(
            terms,
            sts_all
                .iter()
                .flatten()
                .flat_map(|p| [p.a.as_str(), p.b.as_str()]),
        );
        let rho = sentences::sts(&sts_model, &sts_all[2]);
        println!(
            "{:<32} {:>14.3} {:>8.3} {:>14.3}",
            name, m.accuracy, m.f1, rho
        );
    }
    Ok(Outcome::default())
}

fn run_clough(args: DirArgs) -> anyhow::Result<Outcome> {
    let engine = Engine::new(Config::default())?;
    let r = neardup::eval::clough::report(&neardup::eval::clough::run(&args.dir, &engine)?);
    println!("Clough-Stevenson: {} answers", r.answers);
    println!(
        "any passage found:            binary F1 {:.3}",
        r.found_binary_f1
    );
    println!(
        "score thresholds, {}-fold CV: binary F1 {:.3}  4-class macro-F1 {:.3}",
        neardup::eval::counter::FOLDS,
        r.cv_binary_f1,
        r.cv_macro_f1
    );
    println!("Spearman(score, level of reuse): {:.3}", r.spearman);
    Ok(Outcome::default())
}
