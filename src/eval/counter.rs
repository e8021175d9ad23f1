//! COUNTER (Urdu news text reuse, Sharjeel et al. 2017): 600 agency/newspaper
//! pairs labelled wholly derived (WD), partially derived (PD) or non derived
//! (ND) at document level.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;
use rayon::prelude::*;

use super::classify;
use crate::comparison::{Comparison, Verdict};
use crate::document::Document;
use crate::engine::Engine;
use crate::error::{Error, Result};

/// The three labels, as ordinal classes (ND 0, PD 1, WD 2).
pub const LABELS: [&str; 3] = ["ND", "PD", "WD"];

/// One labelled pair and what neardup made of it.
#[derive(Clone, Debug)]
pub struct Scored {
    /// Pair number, e.g. `0001`.
    pub id: String,
    /// True class (index into [`LABELS`]).
    pub label: usize,
    /// The comparison (source = agency story, derived = newspaper story).
    pub comparison: Comparison,
}

/// Reads every pair in `dir` (the `COUNTER` folder: `NNNN.xml` and
/// `NNNNp.xml`) and compares it.
pub fn run(dir: &Path, engine: &Engine) -> Result<Vec<Scored>> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".xml")?;
            stem.chars()
                .all(|c| c.is_ascii_digit())
                .then(|| stem.to_string())
        })
        .collect();
    ids.sort();
    if ids.is_empty() {
        return Err(Error::parse(dir, 0, "no NNNN.xml files"));
    }
    ids.par_iter()
        .map(|id| {
            let (source, label) = read(&dir.join(format!("{id}.xml")))?;
            let derived_path = ["p", "P"]
                .iter()
                .map(|s| dir.join(format!("{id}{s}.xml")))
                .find(|p| p.is_file())
                .ok_or_else(|| {
                    Error::parse(dir.join(format!("{id}p.xml")), 0, "derived file missing")
                })?;
            let (derived, _) = read(&derived_path)?;
            let comparison = engine.compare(&engine.profile(source), &engine.profile(derived));
            Ok(Scored {
                id: id.clone(),
                label,
                comparison,
            })
        })
        .collect()
}

/// Reads one COUNTER file: headline and body as one text, and the label.
fn read(path: &Path) -> Result<(Document, usize)> {
    let xml = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let bad = |m: String| Error::parse(path, 0, m);
    let mut reader = Reader::from_str(&xml);
    let (mut label, mut headline, mut body, mut current) =
        (None, String::new(), String::new(), None);
    loop {
        match reader.read_event().map_err(|e| bad(e.to_string()))? {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if name.eq_ignore_ascii_case("COUNTER_document") {
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == "classification" {
                            let v = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map_err(|e| bad(e.to_string()))?;
                            label = LABELS.iter().position(|l| *l == v.trim());
                        }
                    }
                }
                current = Some(name);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                match current.as_deref() {
                    Some("headline") => headline.push_str(&text),
                    Some("body") => body.push_str(&text),
                    _ => {}
                }
            }
            Event::GeneralRef(r) => {
                // Entity references inside the text (&amp; and friends).
                let c = match r.resolve_char_ref().map_err(|e| bad(e.to_string()))? {
                    Some(ch) => ch.to_string(),
                    None => match r.xml10_content().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    }
                    .to_string(),
                };
                match current.as_deref() {
                    Some("headline") => headline.push_str(&c),
                    Some("body") => body.push_str(&c),
                    _ => {}
                }
            }
            Event::End(_) => current = None,
            _ => {}
        }
    }
    let label = label.ok_or_else(|| bad("no WD/PD/ND classification".into()))?;
    let id = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    Ok((
        Document::new(id, format!("{}\n\n{}", headline.trim(), body.trim())),
        label,
    ))
}

/// The figures reported for COUNTER.
#[derive(Clone, Debug)]
pub struct Report {
    /// Pairs.
    pub pairs: usize,
    /// Binary F1 (derived = WD or PD) of the engine's own verdicts.
    pub verdict_binary_f1: f64,
    /// 3-class macro-F1 of the engine's own verdicts.
    pub verdict_macro_f1: f64,
    /// Binary F1 with a score threshold chosen by 5-fold cross-validation.
    pub cv_binary_f1: f64,
    /// 3-class macro-F1 with two score thresholds chosen by 5-fold
    /// cross-validation.
    pub cv_macro_f1: f64,
    /// The same two figures with thresholds on word containment instead of
    /// the score (a vocabulary-overlap baseline).
    pub cv_words_binary_f1: f64,
    /// See `cv_words_binary_f1`.
    pub cv_words_macro_f1: f64,
    /// 3-class macro-F1 of the verdicts with the derived-share bar (derived
    /// vs partially derived) chosen by cross-validation.
    pub cv_verdict_macro_f1: f64,
    /// The derived-share bar fitted on all pairs (the engine's default).
    pub derived_share: f64,
    /// Thresholds fitted on all pairs (ND/PD, PD/WD), for reference.
    pub thresholds: Vec<f64>,
    /// Confusion matrix of the cross-validated 3-class predictions,
    /// `[truth][predicted]`.
    pub confusion: [[usize; 3]; 3],
}

/// Folds and seed of the cross-validation (fixed, documented).
pub const FOLDS: usize = 5;
/// Seed of the fold assignment.
pub const CV_SEED: u64 = 17;

/// Computes the report.
pub fn report(scored: &[Scored]) -> Report {
    let truth: Vec<usize> = scored.iter().map(|s| s.label).collect();
    let verdicts: Vec<usize> = scored
        .iter()
        .map(|s| match s.comparison.verdict {
            Verdict::NotDerived => 0,
            Verdict::PartiallyDerived => 1,
            Verdict::Derived => 2,
        })
        .collect();
    let scores: Vec<f64> = scored.iter().map(|s| s.comparison.scores.score).collect();
    let binary_truth: Vec<bool> = truth.iter().map(|&t| t > 0).collect();
    let cv3 = classify::cross_validate(&scores, &truth, 3, FOLDS, CV_SEED);
    let binary_labels: Vec<usize> = binary_truth.iter().map(|&b| b as usize).collect();
    let cv2 = classify::cross_validate(&scores, &binary_labels, 2, FOLDS, CV_SEED);
    let words: Vec<f64> = scored
        .iter()
        .map(|s| s.comparison.scores.word_containment)
        .collect();
    let words2 = classify::cross_validate(&words, &binary_labels, 2, FOLDS, CV_SEED);
    let words3 = classify::cross_validate(&words, &truth, 3, FOLDS, CV_SEED);
    let (cv_verdicts, derived_share) = verdicts_with_fitted_share(scored, &truth);
    let mut confusion = [[0; 3]; 3];
    for (&t, &p) in truth.iter().zip(&cv3) {
        confusion[t][p] += 1;
    }
    Report {
        pairs: scored.len(),
        verdict_binary_f1: classify::binary_f1(
            &binary_truth,
            &verdicts.iter().map(|&v| v > 0).collect::<Vec<_>>(),
        ),
        verdict_macro_f1: classify::macro_f1(&truth, &verdicts, 3),
        cv_binary_f1: classify::binary_f1(
            &binary_truth,
            &cv2.iter().map(|&v| v > 0).collect::<Vec<_>>(),
        ),
        cv_macro_f1: classify::macro_f1(&truth, &cv3, 3),
        cv_words_binary_f1: classify::binary_f1(
            &binary_truth,
            &words2.iter().map(|&v| v > 0).collect::<Vec<_>>(),
        ),
        cv_words_macro_f1: classify::macro_f1(&truth, &words3, 3),
        cv_verdict_macro_f1: classify::macro_f1(&truth, &cv_verdicts, 3),
        derived_share,
        thresholds: classify::fit_thresholds(&scores, &truth, 3),
        confusion,
    }
}

/// The verdict of a scored pair with derived-share bar `share`: the
/// engine's derived-or-not decision, wholly derived when passages cover
/// `share` of the derived text.
fn verdict_with(s: &Scored, share: f64) -> usize {
    let c = &s.comparison;
    match (c.verdict, c.found() && c.scores.reused >= share) {
        (Verdict::NotDerived, _) => 0,
        (_, false) => 1,
        (_, true) => 2,
    }
}

/// The bar, among 0.05, 0.10 … 0.95, with the best macro-F1 on `items`.
fn fit_share(scored: &[Scored], truth: &[usize], items: &[usize]) -> f64 {
    let f1 = |share: f64| {
        let p: Vec<usize> = items
            .iter()
            .map(|&i| verdict_with(&scored[i], share))
            .collect();
        let t: Vec<usize> = items.iter().map(|&i| truth[i]).collect();
        classify::macro_f1(&t, &p, 3)
    };
    (1..20)
        .map(|k| k as f64 * 0.05)
        .max_by(|&a, &b| f1(a).total_cmp(&f1(b)))
        .unwrap_or(0.5)
}

/// Out-of-fold verdicts with the bar fitted on the other folds, and the bar
/// fitted on all pairs.
fn verdicts_with_fitted_share(scored: &[Scored], truth: &[usize]) -> (Vec<usize>, f64) {
    let fold: Vec<usize> = (0..scored.len())
        .map(|i| classify::fold_of(i, FOLDS, CV_SEED))
        .collect();
    let mut predicted = vec![0; scored.len()];
    for f in 0..FOLDS {
        let train: Vec<usize> = (0..scored.len()).filter(|&i| fold[i] != f).collect();
        let share = fit_share(scored, truth, &train);
        for i in (0..scored.len()).filter(|&i| fold[i] == f) {
            predicted[i] = verdict_with(&scored[i], share);
        }
    }
    let all: Vec<usize> = (0..scored.len()).collect();
    (predicted, fit_share(scored, truth, &all))
}

/// The corpus folder: `dir`, or its `COUNTER` subfolder when it has one
/// (the layout of the published archive).
pub fn corpus_dir(dir: &Path) -> std::path::PathBuf {
    if dir.join("COUNTER").is_dir() {
        dir.join("COUNTER")
    } else {
        dir.to_path_buf()
    }
}

impl Report {
    /// The figures, one per line.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "COUNTER: {} pairs", self.pairs);
        let _ = writeln!(
            out,
            "verdicts as given:        binary F1 {:.3}  3-class macro-F1 {:.3}",
            self.verdict_binary_f1, self.verdict_macro_f1
        );
        let _ = writeln!(
            out,
            "verdicts, derived-share bar by {FOLDS}-fold CV: 3-class macro-F1 {:.3} (bar fitted on all pairs: {:.2})",
            self.cv_verdict_macro_f1, self.derived_share
        );
        let _ = writeln!(
            out,
            "score thresholds, {FOLDS}-fold CV: binary F1 {:.3}  3-class macro-F1 {:.3}",
            self.cv_binary_f1, self.cv_macro_f1
        );
        let _ = writeln!(
            out,
            "word containment thresholds, {FOLDS}-fold CV: binary F1 {:.3}  3-class macro-F1 {:.3}",
            self.cv_words_binary_f1, self.cv_words_macro_f1
        );
        let _ = writeln!(
            out,
            "thresholds fitted on all pairs (ND|PD, PD|WD): {:.3?}",
            self.thresholds
        );
        let _ = writeln!(
            out,
            "confusion (rows truth ND/PD/WD, columns predicted): {:?}",
            self.confusion
        );
        out
    }
}
