//! Clough & Stevenson's corpus of plagiarised short answers: 95 answers to
//! five questions, each written by copying (`cut`), light revision, heavy
//! revision or independently (`non`) from a Wikipedia source.

use std::path::Path;

use rayon::prelude::*;

use super::classify;
use crate::comparison::Comparison;
use crate::document::Document;
use crate::engine::Engine;
use crate::error::{Error, Result};

/// The categories as ordinal levels of reuse.
pub const LEVELS: [&str; 4] = ["non", "heavy", "light", "cut"];

/// One answer and its comparison with its source.
#[derive(Clone, Debug)]
pub struct Scored {
    /// Answer file name.
    pub file: String,
    /// Level of reuse (index into [`LEVELS`]).
    pub level: usize,
    /// The comparison (source = Wikipedia text, derived = answer).
    pub comparison: Comparison,
}

/// Compares every answer listed in `file_information.csv` with its source.
pub fn run(dir: &Path, engine: &Engine) -> Result<Vec<Scored>> {
    let list = dir.join("file_information.csv");
    let text = std::fs::read_to_string(&list).map_err(|e| Error::io(&list, e))?;
    let rows: Vec<(String, String, usize)> = text
        .lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            let f: Vec<&str> = line.trim().split(',').collect();
            match f.as_slice() {
                [file, task, category] => {
                    Ok((file.to_string(), task.to_string(), category.to_string()))
                }
                _ => Err(Error::parse(&list, n + 1, "expected File,Task,Category")),
            }
        })
        .filter_map(|r| match r {
            Ok((file, task, category)) => LEVELS
                .iter()
                .position(|l| *l == category)
                .map(|level| Ok((file, task, level))),
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_>>()?;
    rows.par_iter()
        .map(|(file, task, level)| {
            let source = read(&dir.join("texts").join(format!("orig_task{task}.txt")))?;
            let answer = read(&dir.join("texts").join(file))?;
            Ok(Scored {
                file: file.clone(),
                level: *level,
                comparison: engine.compare(&engine.profile(source), &engine.profile(answer)),
            })
        })
        .collect()
}

/// Reads a file that may be Latin-1 (decoded lossily, as any input).
fn read(path: &Path) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let name = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    Ok(Document::from_bytes_lenient(name, &bytes).0)
}

/// The figures reported for the corpus.
#[derive(Clone, Debug)]
pub struct Report {
    /// Answers.
    pub answers: usize,
    /// Binary F1 (reused = cut, light or heavy) of "any passage found".
    pub found_binary_f1: f64,
    /// Binary F1 with a score threshold chosen by cross-validation.
    pub cv_binary_f1: f64,
    /// 4-class macro-F1 with score thresholds chosen by cross-validation.
    pub cv_macro_f1: f64,
    /// Spearman correlation of the score with the level of reuse.
    pub spearman: f64,
}

/// Computes the report (5-fold cross-validation, fixed seed).
pub fn report(scored: &[Scored]) -> Report {
    let levels: Vec<usize> = scored.iter().map(|s| s.level).collect();
    let scores: Vec<f64> = scored.iter().map(|s| s.comparison.scores.score).collect();
    let reused: Vec<bool> = levels.iter().map(|&l| l > 0).collect();
    let found: Vec<bool> = scored.iter().map(|s| s.comparison.found()).collect();
    let binary: Vec<usize> = reused.iter().map(|&r| r as usize).collect();
    let cv2 = classify::cross_validate(
        &scores,
        &binary,
        2,
        super::counter::FOLDS,
        super::counter::CV_SEED,
    );
    let cv4 = classify::cross_validate(
        &scores,
        &levels,
        4,
        super::counter::FOLDS,
        super::counter::CV_SEED,
    );
    Report {
        answers: scored.len(),
        found_binary_f1: classify::binary_f1(&reused, &found),
        cv_binary_f1: classify::binary_f1(&reused, &cv2.iter().map(|&p| p > 0).collect::<Vec<_>>()),
        cv_macro_f1: classify::macro_f1(&levels, &cv4, 4),
        spearman: classify::spearman(
            &scores,
            &levels.iter().map(|&l| l as f64).collect::<Vec<_>>(),
        ),
    }
}

impl Report {
    /// The figures, one per line.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "Clough-Stevenson: {} answers", self.answers);
        let _ = writeln!(
            out,
            "any passage found:            binary F1 {:.3}",
            self.found_binary_f1
        );
        let _ = writeln!(
            out,
            "score thresholds, {}-fold CV: binary F1 {:.3}  4-class macro-F1 {:.3}",
            super::counter::FOLDS,
            self.cv_binary_f1,
            self.cv_macro_f1
        );
        let _ = writeln!(out, "Spearman(score, level of reuse): {:.3}", self.spearman);
        out
    }
}
