//! `neardup compare SOURCE DERIVED` and `neardup compare --pairs FILE`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use neardup::corpus::read_pairs;
use neardup::document::Warning;
use neardup::report::{html, json, table};
use neardup::{Comparison, Config, Engine, ErrorKind, Profile, Verdict};

use super::inputs::{ReadArgs, at_most_one_stdin};
use super::{Outcome, error, warn};

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The source (original) document (`-`: standard input).
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
    #[command(flatten)]
    read: ReadArgs,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let pairs = match (&args.pairs, &args.source, &args.derived) {
        (Some(file), _, _) => match read_pairs(file) {
            Err(e) if e.kind() == ErrorKind::Parse => return Err(e).context("bad pairs file"),
            pairs => pairs?,
        },
        (None, Some(s), Some(d)) => vec![(s.clone(), d.clone())],
        _ => bail!("give SOURCE and DERIVED, or --pairs FILE"),
    };
    if args.pairs.is_none() {
        at_most_one_stdin(pairs.iter().flat_map(|(s, d)| [s.as_path(), d.as_path()]))?;
    }
    let engine = Engine::new(Config::default())?;
    let loaded = engine.profile_files_with(
        pairs.iter().flat_map(|(s, d)| [s.as_path(), d.as_path()]),
        &args.read.options()?,
    );
    let profiles = usable(loaded);
    // A file that could not be read, or was skipped as binary, makes the
    // answer incomplete: exit 2, never a silent "no reuse".
    let mut outcome = Outcome {
        errors: profiles.values().any(|u| !matches!(u, Usable::Ready(_))),
        ..Outcome::default()
    };
    let ready: Vec<(&Profile, &Profile)> = pairs
        .iter()
        .filter_map(|(s, d)| Some((profiles[s].profile()?, profiles[d].profile()?)))
        .collect();
    let results = engine.compare_many(&ready);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (i, (c, (s, d))) in results.iter().zip(&ready).enumerate() {
        // The verdict, not the passages: document figures alone can make a
        // pair partially derived.
        outcome.found |= c.verdict != Verdict::NotDerived;
        if let Some(capped) = &c.capped {
            warn(format!(
                "{} vs {}: {}",
                c.source_id,
                c.derived_id,
                table::capped_note(capped)
            ));
        }
        if args.json {
            writeln!(out, "{}", json::to_line(c))?;
        } else {
            if i > 0 {
                writeln!(out)?;
            }
            write!(out, "{}", table::render(c, s.text(), d.text()))?;
        }
    }
    out.flush()?;
    if let Some(path) = &args.html {
        write_html(
            path,
            args.pairs.is_some(),
            args.max_matches,
            &results,
            &ready,
        )?;
    }
    Ok(outcome)
}

/// What became of an input file.
enum Usable {
    Ready(Box<Profile>),
    /// Skipped with a warning (binary file).
    Skipped,
    /// Could not be read (the error was printed).
    Failed,
}

impl Usable {
    fn profile(&self) -> Option<&Profile> {
        match self {
            Usable::Ready(p) => Some(p),
            _ => None,
        }
    }
}

/// The profile of each file, printing why when it cannot be used.
fn usable(
    loaded: HashMap<PathBuf, neardup::Result<(Profile, Option<Warning>)>>,
) -> HashMap<PathBuf, Usable> {
    let mut paths: Vec<_> = loaded.into_iter().collect();
    // Messages in a stable order.
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    paths
        .into_iter()
        .map(|(path, result)| {
            let usable = match result {
                Ok((profile, warning)) => {
                    if let Some(w) = warning {
                        warn(w);
                    }
                    Usable::Ready(Box::new(profile))
                }
                Err(e) if e.kind() == ErrorKind::Binary => {
                    warn(format!("{e}, skipped"));
                    Usable::Skipped
                }
                Err(e) => {
                    error(e);
                    Usable::Failed
                }
            };
            (path, usable)
        })
        .collect()
}

/// Writes the HTML report of the comparisons that ran (atomically: a failed
/// write leaves no partial file).
fn write_html(
    path: &Path,
    many: bool,
    max_matches: usize,
    results: &[Comparison],
    ready: &[(&Profile, &Profile)],
) -> anyhow::Result<()> {
    let entries: Vec<html::Entry<'_>> = results
        .iter()
        .zip(ready)
        .map(|(c, (s, d))| html::Entry {
            comparison: c,
            source: s.text(),
            derived: d.text(),
        })
        .collect();
    let page = match (many, entries.as_slice()) {
        (false, [e]) => html::render(e.comparison, e.source, e.derived),
        (false, _) => {
            warn(format!(
                "{}: not written, nothing was compared",
                path.display()
            ));
            return Ok(());
        }
        (true, entries) => html::render_many(entries, max_matches),
    };
    html::write(path, &page).context("cannot write the HTML report")?;
    Ok(())
}
