//! `neardup compare SOURCE DERIVED` and `neardup compare --pairs FILE`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use neardup::profile::Profile;
use neardup::report::{html, json, table};
use neardup::{Comparison, Config, Document, Engine, Error, ErrorKind};
use rayon::prelude::*;

use super::{Outcome, warn};

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The source (original) document.
    #[arg(required_unless_present = "pairs", conflicts_with = "pairs")]
    source: Option<PathBuf>,
    /// The document that may derive from the source.
    #[arg(required_unless_present = "pairs", conflicts_with = "pairs")]
    derived: Option<PathBuf>,
    /// Compare many pairs: one `SOURCE<TAB>DERIVED` per line (relative paths
    /// resolve against the current directory), processed in parallel.
    #[arg(long, value_name = "FILE")]
    pairs: Option<PathBuf>,
    /// Print one JSON object per pair (JSON Lines) instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write a self-contained HTML report to OUT: both documents side
    /// by side with the passages highlighted. With --pairs, one report with
    /// a summary table of all pairs.
    #[arg(long, value_name = "OUT")]
    html: Option<PathBuf>,
    /// With --pairs --html: show at most N pairs in the report, the highest
    /// scores first.
    #[arg(long, value_name = "N", default_value_t = html::DEFAULT_MAX_MATCHES, requires = "html")]
    max_matches: usize,
}

/// A pair to compare, as given.
struct Pair {
    source: PathBuf,
    derived: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let pairs = match (&args.pairs, &args.source, &args.derived) {
        (Some(file), _, _) => read_pairs(file)?,
        (None, Some(s), Some(d)) => vec![Pair {
            source: s.clone(),
            derived: d.clone(),
        }],
        _ => bail!("give SOURCE and DERIVED, or --pairs FILE"),
    };
    let engine = Engine::new(Config::default())?;
    let profiles = load_all(&engine, &pairs);
    let results: Vec<Option<Comparison>> = pairs
        .par_iter()
        .map(|p| match (&profiles[&p.source], &profiles[&p.derived]) {
            (Loaded::Ready(s), Loaded::Ready(d)) => Some(engine.compare(s, d)),
            _ => None,
        })
        .collect();
    let mut outcome = Outcome {
        errors: profiles.values().any(|l| matches!(l, Loaded::Failed)),
        ..Outcome::default()
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut first = true;
    for (pair, result) in pairs.iter().zip(&results) {
        let Some(c) = result else { continue };
        outcome.found |= c.found();
        if args.json {
            writeln!(out, "{}", json::to_line(c))?;
        } else {
            if !first {
                writeln!(out)?;
            }
            let (s, d) = (
                profiles[&pair.source].text(),
                profiles[&pair.derived].text(),
            );
            write!(out, "{}", table::render(c, s, d))?;
        }
        first = false;
    }
    out.flush()?;
    if let Some(path) = &args.html {
        write_html(path, &args, &pairs, &results, &profiles)?;
    }
    Ok(outcome)
}

/// Writes the HTML report of the comparisons that ran (atomically: a failed
/// write leaves no partial file).
fn write_html(
    path: &Path,
    args: &Args,
    pairs: &[Pair],
    results: &[Option<Comparison>],
    profiles: &HashMap<PathBuf, Loaded>,
) -> anyhow::Result<()> {
    let entries: Vec<html::Entry<'_>> = pairs
        .iter()
        .zip(results)
        .filter_map(|(pair, result)| {
            result.as_ref().map(|c| html::Entry {
                comparison: c,
                source: profiles[&pair.source].text(),
                derived: profiles[&pair.derived].text(),
            })
        })
        .collect();
    let page = match (args.pairs.is_some(), entries.as_slice()) {
        (false, [e]) => html::render(e.comparison, e.source, e.derived),
        (false, _) => {
            warn(format!(
                "{}: not written, nothing was compared",
                path.display()
            ));
            return Ok(());
        }
        (true, entries) => html::render_many(entries, args.max_matches),
    };
    html::write(path, &page).context("cannot write the HTML report")?;
    Ok(())
}

/// What became of an input file.
enum Loaded {
    Ready(Box<Profile>),
    /// Skipped with a warning (binary file).
    Skipped,
    /// Could not be read (the error was printed).
    Failed,
}

impl Loaded {
    fn text(&self) -> &str {
        match self {
            Loaded::Ready(p) => p.text(),
            _ => "",
        }
    }
}

/// Each distinct path loaded once, in parallel.
fn load_all(engine: &Engine, pairs: &[Pair]) -> HashMap<PathBuf, Loaded> {
    let mut paths: Vec<&PathBuf> = pairs.iter().flat_map(|p| [&p.source, &p.derived]).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_par_iter()
        .map(|path| (path.clone(), load(engine, path)))
        .collect()
}

/// Loads and profiles one document, printing why when it cannot be used.
fn load(engine: &Engine, path: &Path) -> Loaded {
    match Document::read(path) {
        Ok((doc, warning)) => {
            if let Some(w) = warning {
                warn(w);
            }
            Loaded::Ready(Box::new(engine.profile(doc)))
        }
        Err(e) if e.kind() == ErrorKind::Binary => {
            warn(format!("{e}, skipped"));
            Loaded::Skipped
        }
        Err(e) => {
            eprintln!("neardup: {e}");
            Loaded::Failed
        }
    }
}

/// Reads a pairs file: `SOURCE<TAB>DERIVED` per line; blank lines and lines
/// starting with `#` are skipped.
fn read_pairs(file: &Path) -> anyhow::Result<Vec<Pair>> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            [s, d] if !s.is_empty() && !d.is_empty() => pairs.push(Pair {
                source: PathBuf::from(s),
                derived: PathBuf::from(d),
            }),
            _ => {
                return Err(Error::parse(file, n + 1, "expected SOURCE<TAB>DERIVED"))
                    .context("bad pairs file");
            }
        }
    }
    if pairs.is_empty() {
        return Err(Error::parse(file, 0, "no pairs")).context("bad pairs file");
    }
    Ok(pairs)
}
