//! Paragraph-level evaluation on sets of news scenarios with their truth.
//!
//! A scenario folder holds texts and a `truth.json`:
//!
//! ```json
//! {"description": "…",
//!  "pairs": [{"source": "source.txt", "derived": "derived.txt",
//!             "links": [{"derived": "first 40 chars of a derived paragraph",
//!                        "source": ["first 40 chars of a source paragraph"],
//!                        "kind": "paraphrase"}]}]}
//! ```
//!
//! Paragraphs are named by their first characters (unique within a file). A
//! derived paragraph counts as *flagged* when aligned passages cover at least
//! [`COVERED`] of its characters; a flag is *correct* when the paragraph is
//! linked in the truth and the passages' source side overlaps one of its true
//! source paragraphs. Precision, recall and F1 are over derived paragraphs;
//! pairs with no link measure false flags of independent articles.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::document::Document;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::text::Span;

/// Share of a derived paragraph that aligned passages must cover to flag it.
pub const COVERED: f64 = 0.5;

#[derive(Debug, Deserialize)]
struct Truth {
    pairs: Vec<TruthPair>,
}

#[derive(Debug, Deserialize)]
struct TruthPair {
    source: String,
    derived: String,
    links: Vec<Link>,
}

#[derive(Debug, Deserialize)]
struct Link {
    derived: String,
    source: Vec<String>,
}

/// Figures for one source/derived pair.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairResult {
    /// Scenario folder name.
    pub scenario: String,
    /// Source file name.
    pub source: String,
    /// Derived file name.
    pub derived: String,
    /// Derived paragraphs linked in the truth.
    pub linked: usize,
    /// Derived paragraphs flagged.
    pub flagged: usize,
    /// Flagged paragraphs that are linked, with a right source.
    pub correct: usize,
    /// Number of aligned passages reported.
    pub spans: usize,
    /// The pair's document-level figures.
    pub scores: crate::comparison::Scores,
    /// The aligned passages.
    pub alignments: Vec<crate::comparison::Alignment>,
}

/// Precision, recall and F1 over a set of pair results.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    /// Correct flags / flags (1 when nothing was flagged).
    pub precision: f64,
    /// Correct flags / linked paragraphs (1 when nothing is linked).
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
    /// Pairs without any link that got a span (false flags of whole articles).
    pub independent_flagged: usize,
    /// Pairs without any link.
    pub independent: usize,
}

/// Totals of `results`.
pub fn totals(results: &[PairResult]) -> Totals {
    let linked: usize = results.iter().map(|r| r.linked).sum();
    let flagged: usize = results.iter().map(|r| r.flagged).sum();
    let correct: usize = results.iter().map(|r| r.correct).sum();
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let (precision, recall) = (ratio(correct, flagged), ratio(correct, linked));
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let independent: Vec<&PairResult> = results.iter().filter(|r| r.linked == 0).collect();
    Totals {
        precision,
        recall,
        f1,
        independent_flagged: independent.iter().filter(|r| r.spans > 0).count(),
        independent: independent.len(),
    }
}

/// Runs every scenario folder under `root` (folders with a `truth.json`,
/// searched recursively) and returns one result per pair.
pub fn run(root: &Path, engine: &Engine) -> Result<Vec<PairResult>> {
    let mut folders = Vec::new();
    find_scenarios(root, &mut folders)?;
    folders.sort();
    if folders.is_empty() {
        return Err(Error::parse(root, 0, "no folder with a truth.json"));
    }
    let mut results = Vec::new();
    for folder in folders {
        let path = folder.join("truth.json");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let truth: Truth = serde_json::from_str(&text)
            .map_err(|e| Error::parse(&path, e.line(), e.to_string()))?;
        let scenario = folder
            .strip_prefix(root)
            .unwrap_or(&folder)
            .display()
            .to_string();
        for pair in &truth.pairs {
            results.push(run_pair(&folder, &scenario, pair, engine)?);
        }
    }
    Ok(results)
}

fn find_scenarios(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if dir.join("truth.json").is_file() {
        out.push(dir.to_path_buf());
    }
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            find_scenarios(&path, out)?;
        }
    }
    Ok(())
}

fn run_pair(
    folder: &Path,
    scenario: &str,
    pair: &TruthPair,
    engine: &Engine,
) -> Result<PairResult> {
    let (source, _) = Document::read(&folder.join(&pair.source))?;
    let (derived, _) = Document::read(&folder.join(&pair.derived))?;
    let (s, d) = (engine.profile(source), engine.profile(derived));
    let comparison = engine.compare(&s, &d);
    let find = |profile: &crate::profile::Profile, prefix: &str, file: &str| -> Result<Span> {
        profile
            .segmented
            .paragraphs
            .iter()
            .find(|p| p.span.slice(profile.text()).starts_with(prefix.trim_end()))
            .map(|p| p.span)
            .ok_or_else(|| {
                Error::parse(
                    folder.join(file),
                    0,
                    format!("no paragraph starts with {prefix:?}"),
                )
            })
    };
    let mut links = Vec::new();
    for link in &pair.links {
        let derived = find(&d, &link.derived, &pair.derived)?;
        let sources = link
            .source
            .iter()
            .map(|p| find(&s, p, &pair.source))
            .collect::<Result<Vec<_>>>()?;
        links.push((derived, sources));
    }
    let mut result = PairResult {
        scenario: scenario.to_string(),
        source: pair.source.clone(),
        derived: pair.derived.clone(),
        linked: links.len(),
        spans: comparison.alignments.len(),
        scores: comparison.scores.clone(),
        alignments: comparison.alignments.clone(),
        ..PairResult::default()
    };
    for para in &d.segmented.paragraphs {
        let touching: Vec<_> = comparison
            .alignments
            .iter()
            .filter(|a| a.derived.overlap(&para.span) > 0)
            .collect();
        let covered: usize = touching.iter().map(|a| a.derived.overlap(&para.span)).sum();
        if (covered as f64) < COVERED * para.span.len() as f64 {
            continue;
        }
        result.flagged += 1;
        let right_source = |sources: &Vec<Span>| {
            touching
                .iter()
                .any(|a| sources.iter().any(|sp| sp.overlap(&a.source) > 0))
        };
        if links
            .iter()
            .any(|(dp, sources)| *dp == para.span && right_source(sources))
        {
            result.correct += 1;
        }
    }
    Ok(result)
}

/// The totals line, and with `verbose` a line per pair before it.
pub fn render(results: &[PairResult], verbose: bool) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if verbose {
        let _ = writeln!(
            out,
            "{:<28} {:<14} {:>6} {:>7} {:>7} {:>5}",
            "scenario", "derived", "linked", "flagged", "correct", "spans"
        );
        for r in results {
            let _ = writeln!(
                out,
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
    let t = totals(results);
    let _ = writeln!(
        out,
        "paragraphs: precision {:.3}  recall {:.3}  F1 {:.3}   independent articles flagged: {}/{}",
        t.precision, t.recall, t.f1, t.independent_flagged, t.independent
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn result(linked: usize, flagged: usize, correct: usize, spans: usize) -> PairResult {
        PairResult {
            linked,
            flagged,
            correct,
            spans,
            ..PairResult::default()
        }
    }

    #[test]
    fn totals_by_hand() {
        let t = totals(&[
            result(4, 3, 3, 2),
            result(2, 2, 1, 1),
            result(0, 1, 0, 1),
            result(0, 0, 0, 0),
        ]);
        // 4 correct of 6 flagged, of 6 linked.
        assert!((t.precision - 4.0 / 6.0).abs() < 1e-12);
        assert!((t.recall - 4.0 / 6.0).abs() < 1e-12);
        assert!((t.f1 - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!((t.independent_flagged, t.independent), (1, 2));
        let empty = totals(&[]);
        assert_eq!((empty.precision, empty.recall), (1.0, 1.0));
    }

    const WIRE: &str = "Harbour cranes stand idle as dockers strike\n\n\
        PELLMOUTH, March 2 (Northwire) – Dockers at the port of Pellmouth walked out on \
        Monday over a pay offer they called insulting, leaving eleven container ships \
        waiting offshore and cranes idle along the eastern quay for the first time in \
        two decades of labour peace.\n\n\
        The union said its members would stay out until the port authority returned to \
        the table with an offer that matched inflation, which reached four percent last \
        year, and restored the overtime rates cut during the pandemic.\n";

    fn scenario(derived: &str, truth: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("strike");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("source.txt"), WIRE).unwrap();
        std::fs::write(folder.join("derived.txt"), derived).unwrap();
        std::fs::write(folder.join("truth.json"), truth).unwrap();
        dir
    }

    fn engine() -> Engine {
        Engine::new(Config::default()).unwrap()
    }

    #[test]
    fn a_copied_paragraph_is_flagged_with_its_source_and_new_text_is_not() {
        let derived = "Port at a standstill\n\n\
            The union said its members would stay out until the port authority returned to \
            the table with an offer that matched inflation, which reached four percent last \
            year, and restored the overtime rates cut during the pandemic.\n\n\
            Fishermen on the western pier said they had seen nothing like it since their \
            fathers' time, and the cafe by the harbour gate ran out of bread by nine.\n";
        let truth = r#"{"pairs": [{"source": "source.txt", "derived": "derived.txt",
            "links": [{"derived": "The union said its members would stay",
                       "source": ["The union said its members would stay"]}]}]}"#;
        let dir = scenario(derived, truth);
        let results = run(dir.path(), &engine()).unwrap();
        assert_eq!(results.len(), 1);
        let r = &results[0];
        assert_eq!(r.scenario, "strike");
        assert_eq!((r.linked, r.flagged, r.correct), (1, 1, 1));
    }

    #[test]
    fn a_link_to_the_wrong_source_paragraph_is_not_correct() {
        let derived = "The union said its members would stay out until the port authority \
            returned to the table with an offer that matched inflation, which reached four \
            percent last year, and restored the overtime rates cut during the pandemic.\n";
        let truth = r#"{"pairs": [{"source": "source.txt", "derived": "derived.txt",
            "links": [{"derived": "The union said", "source": ["PELLMOUTH, March 2"]}]}]}"#;
        let dir = scenario(derived, truth);
        let r = &run(dir.path(), &engine()).unwrap()[0];
        assert_eq!((r.linked, r.flagged, r.correct), (1, 1, 0));
    }

    #[test]
    fn bad_truth_names_the_file_and_the_problem() {
        let truth = r#"{"pairs": [{"source": "source.txt", "derived": "derived.txt",
            "links": [{"derived": "No such paragraph", "source": []}]}]}"#;
        let dir = scenario("Something else entirely.\n", truth);
        let e = run(dir.path(), &engine()).unwrap_err().to_string();
        assert!(
            e.contains("derived.txt") && e.contains("No such paragraph"),
            "{e}"
        );
        let dir = scenario("x\n", "{not json");
        let e = run(dir.path(), &engine()).unwrap_err().to_string();
        assert!(e.contains("truth.json"), "{e}");
        let empty = tempfile::tempdir().unwrap();
        let e = run(empty.path(), &engine()).unwrap_err().to_string();
        assert!(e.contains("no folder with a truth.json"), "{e}");
    }
}
