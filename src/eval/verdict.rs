//! Fitting the document-level verdict model ([`crate::verdict`]): samples
//! from every labelled corpus, a weighted logistic regression (Newton's
//! method with a small ridge) in which each corpus and, inside it, each
//! class weighs the same, and cross-validated predictions so that each
//! corpus's figure comes from a model that did not see its pair.

use std::path::Path;

use super::pan::{Half, PanCorpus};
use super::{classify, clough, counter, news, pan};
use crate::engine::Engine;
use crate::error::Result;
use crate::verdict::{
    COPIED_SHARE, DOCUMENT_FEATURES, FEATURES, Logistic, Model, PASSAGE_FEATURES, PASSAGES,
    VerdictConfig, features,
};

/// One labelled pair: its corpus, its class (0 not derived, 1 partly, 2
/// wholly derived, as labelled) and the model's inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// Corpus name.
    pub corpus: &'static str,
    /// Pair name inside the corpus.
    pub id: String,
    /// 0 not derived, 1 partly derived, 2 wholly derived (2 only where the
    /// corpus tells the two apart).
    pub class: usize,
    /// The model's inputs.
    pub x: [f64; FEATURES],
    /// The reused share (for the derived/partially-derived split).
    pub reused: f64,
    /// Reported, never fitted on (a held-out corpus).
    pub report_only: bool,
}

impl Sample {
    /// True if the pair is derived at all.
    pub fn derived(&self) -> bool {
        self.class > 0
    }
}

fn sample(corpus: &'static str, id: String, class: usize, c: &crate::Comparison) -> Sample {
    Sample {
        corpus,
        id,
        class,
        x: features(&c.scores, &c.alignments),
        reused: c.scores.reused,
        report_only: false,
    }
}

/// COUNTER's 600 pairs (ND 0, PD 1, WD 2).
pub fn counter_samples(dir: &Path, engine: &Engine) -> Result<Vec<Sample>> {
    Ok(counter::run(&counter::corpus_dir(dir), engine)?
        .iter()
        .map(|s| sample("counter", s.id.clone(), s.label, &s.comparison))
        .collect())
}

/// Clough–Stevenson's answers (non 0, heavy 1, light and cut 2), reported
/// only: the corpus is held out from tuning.
pub fn clough_samples(dir: &Path, engine: &Engine) -> Result<Vec<Sample>> {
    Ok(clough::run(dir, engine)?
        .iter()
        .map(|s| Sample {
            report_only: true,
            ..sample("clough", s.file.clone(), s.level.min(2), &s.comparison)
        })
        .collect())
}

/// The PAN pairs of `half` (no-plagiarism 0, every other sub-corpus 1).
pub fn pan_samples(dir: &Path, engine: &Engine, half: Half) -> Result<Vec<Sample>> {
    let corpus = PanCorpus::open(dir)?;
    let selected: Vec<usize> = (0..corpus.pairs.len())
        .filter(|&i| corpus.pairs[i].half() == half)
        .collect();
    let profiles = pan::load_profiles(&corpus, engine, &selected)?;
    use rayon::prelude::*;
    Ok(selected
        .par_iter()
        .map(|&i| {
            let p = &corpus.pairs[i];
            let c = engine.compare(&profiles[&p.src], &profiles[&p.susp]);
            let class = usize::from(!corpus.cases[i].is_empty());
            sample("pan", p.xml_name(), class, &c)
        })
        .collect())
}

/// The pairs of the news scenario folders under `dir` (a pair with a linked
/// paragraph 1, an independent article 0).
pub fn news_samples(dir: &Path, engine: &Engine) -> Result<Vec<Sample>> {
    Ok(news::run(dir, engine)?
        .iter()
        .map(|r| Sample {
            corpus: "news",
            id: format!("{}/{}", r.scenario, r.derived),
            class: usize::from(r.linked > 0),
            x: features(&r.scores, &r.alignments),
            reused: r.scores.reused,
            report_only: false,
        })
        .collect())
}

/// Ridge strength (on standardised features, per unit of total weight).
pub const RIDGE: f64 = 1e-3;

/// The two-branch model fitted on `samples` (report-only ones left out).
pub fn fit(samples: &[&Sample]) -> Model {
    let (with, without): (Vec<&Sample>, Vec<&Sample>) = samples
        .iter()
        .filter(|s| !s.report_only)
        .partition(|s| s.x[PASSAGES] > 0.0);
    Model {
        with_passages: fit_logistic(&with, &PASSAGE_FEATURES),
        without_passages: fit_logistic(&without, &DOCUMENT_FEATURES),
    }
}

/// A logistic model over `columns` fitted on `samples`: each corpus weighs
/// the same, shared equally by its pairs (so that no corpus's idea of
/// "derived" wins by size).
pub fn fit_logistic(samples: &[&Sample], columns: &[usize]) -> Logistic {
    let weights = sample_weights(samples);
    let total: f64 = weights.iter().sum();
    let d = columns.len();
    if samples.is_empty() || total == 0.0 {
        return Logistic {
            bias: 0.0,
            weights: [0.0; FEATURES],
        };
    }
    // Standardise for a well-conditioned Newton step; undone at the end.
    let mut mean = vec![0.0; d];
    let mut sd = vec![0.0; d];
    for (s, w) in samples.iter().zip(&weights) {
        for (k, &c) in columns.iter().enumerate() {
            mean[k] += w * s.x[c] / total;
        }
    }
    for (s, w) in samples.iter().zip(&weights) {
        for (k, &c) in columns.iter().enumerate() {
            sd[k] += w * (s.x[c] - mean[k]).powi(2) / total;
        }
    }
    let sd: Vec<f64> = sd
        .iter()
        .map(|&v| if v > 1e-12 { v.sqrt() } else { 1.0 })
        .collect();
    let z: Vec<Vec<f64>> = samples
        .iter()
        .map(|s| {
            std::iter::once(1.0)
                .chain(
                    columns
                        .iter()
                        .enumerate()
                        .map(|(k, &c)| (s.x[c] - mean[k]) / sd[k]),
                )
                .collect()
        })
        .collect();
    let y: Vec<f64> = samples
        .iter()
        .map(|s| f64::from(u8::from(s.derived())))
        .collect();
    let mut beta = vec![0.0; d + 1];
    for _ in 0..50 {
        let mut g = vec![0.0; d + 1];
        let mut h = vec![vec![0.0; d + 1]; d + 1];
        for ((row, &yi), &w) in z.iter().zip(&y).zip(&weights) {
            let t: f64 = beta.iter().zip(row).map(|(b, x)| b * x).sum();
            let p = 1.0 / (1.0 + (-t.clamp(-30.0, 30.0)).exp());
            for a in 0..=d {
                g[a] += w * (p - yi) * row[a];
                for b in 0..=d {
                    h[a][b] += w * p * (1.0 - p) * row[a] * row[b];
                }
            }
        }
        for a in 1..=d {
            g[a] += RIDGE * total * beta[a];
            h[a][a] += RIDGE * total;
        }
        h[0][0] += 1e-9 * total;
        let step = solve(h, g);
        let mut moved = 0.0f64;
        for a in 0..=d {
            beta[a] -= step[a];
            moved = moved.max(step[a].abs());
        }
        if moved < 1e-10 {
            break;
        }
    }
    let mut model = Logistic {
        bias: beta[0],
        weights: [0.0; FEATURES],
    };
    for (k, &c) in columns.iter().enumerate() {
        model.weights[c] = beta[k + 1] / sd[k];
        model.bias -= beta[k + 1] * mean[k] / sd[k];
    }
    model
}

/// Each corpus weighs 1, shared equally by its pairs.
fn sample_weights(samples: &[&Sample]) -> Vec<f64> {
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for s in samples {
        *counts.entry(s.corpus).or_default() += 1;
    }
    samples
        .iter()
        .map(|s| 1.0 / counts[s.corpus] as f64)
        .collect()
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (`a` is
/// symmetric positive definite here).
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        if a[col][col].abs() < 1e-300 {
            continue;
        }
        let (upper, lower) = a.split_at_mut(col + 1);
        let pivot_row = &upper[col];
        for (offset, row) in lower.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[col + 1 + offset] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = if a[row][row].abs() < 1e-300 {
            0.0
        } else {
            (b[row] - s) / a[row][row]
        };
    }
    x
}

/// Folds of the cross-validation.
pub const FOLDS: usize = 5;
/// Seed of the fold assignment.
pub const CV_SEED: u64 = 17;

/// Out-of-fold probabilities: each sample's from the model fitted on the
/// other folds of every corpus (folds assigned per corpus by a seeded hash of
/// the sample's position in it; report-only samples are never fitted on).
pub fn cross_validate(samples: &[Sample]) -> Vec<f64> {
    let fold = folds(samples);
    let mut out = vec![0.0; samples.len()];
    for f in 0..FOLDS {
        let train: Vec<&Sample> = samples
            .iter()
            .zip(&fold)
            .filter(|&(_, &g)| g != f)
            .map(|(s, _)| s)
            .collect();
        let model = fit(&train);
        for (i, s) in samples.iter().enumerate() {
            if fold[i] == f {
                out[i] = model.probability(&s.x);
            }
        }
    }
    out
}

fn folds(samples: &[Sample]) -> Vec<usize> {
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    samples
        .iter()
        .map(|s| {
            let n = seen.entry(s.corpus).or_default();
            let f = classify::fold_of(*n, FOLDS, CV_SEED);
            *n += 1;
            f
        })
        .collect()
}

/// The figures of one corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct CorpusFigures {
    /// Corpus name.
    pub corpus: &'static str,
    /// Pairs.
    pub pairs: usize,
    /// Derived pairs.
    pub derived: usize,
    /// Binary F1 (derived at all).
    pub binary_f1: f64,
    /// Not-derived pairs called derived.
    pub false_flags: usize,
    /// Derived pairs called not derived.
    pub missed: usize,
    /// 3-class macro-F1 (derived when `reused` reaches the derived share).
    pub macro_f1: f64,
}

/// Figures per corpus under probabilities `p` and the bars of `config`, in
/// the order corpora first appear.
pub fn figures(samples: &[Sample], p: &[f64], config: &VerdictConfig) -> Vec<CorpusFigures> {
    let share = config.derived_share;
    let called_derived = |i: usize| {
        if samples[i].x[PASSAGES] > 0.0 {
            // Without copied text, passages face the rewrites' bar too.
            let rewritten_only = samples[i].x[COPIED_SHARE] == 0.0;
            p[i] >= config.overturn_probability
                && (!rewritten_only || p[i] >= config.overturn_rewrites_probability)
        } else {
            p[i] >= config.derived_probability
        }
    };
    let mut corpora: Vec<&'static str> = Vec::new();
    for s in samples {
        if !corpora.contains(&s.corpus) {
            corpora.push(s.corpus);
        }
    }
    corpora
        .into_iter()
        .map(|corpus| {
            let idx: Vec<usize> = (0..samples.len())
                .filter(|&i| samples[i].corpus == corpus)
                .collect();
            let truth: Vec<bool> = idx.iter().map(|&i| samples[i].derived()).collect();
            let called: Vec<bool> = idx.iter().map(|&i| called_derived(i)).collect();
            let three: Vec<usize> = idx
                .iter()
                .map(|&i| match (called_derived(i), samples[i].reused >= share) {
                    (false, _) => 0,
                    (true, false) => 1,
                    (true, true) => 2,
                })
                .collect();
            let truth3: Vec<usize> = idx.iter().map(|&i| samples[i].class).collect();
            CorpusFigures {
                corpus,
                pairs: idx.len(),
                derived: truth.iter().filter(|&&t| t).count(),
                binary_f1: classify::binary_f1(&truth, &called),
                false_flags: truth
                    .iter()
                    .zip(&called)
                    .filter(|&(&t, &c)| !t && c)
                    .count(),
                missed: truth
                    .iter()
                    .zip(&called)
                    .filter(|&(&t, &c)| t && !c)
                    .count(),
                macro_f1: classify::macro_f1(&truth3, &three, 3),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(corpus: &'static str, class: usize, x0: f64) -> Sample {
        let mut x = [0.0; FEATURES];
        x[0] = x0;
        x[1] = (x0 * 7.0).sin();
        Sample {
            corpus,
            id: String::new(),
            class,
            x,
            reused: x0,
            report_only: false,
        }
    }

    #[test]
    fn the_fit_separates_a_separable_feature_and_weighs_corpora_equally() {
        let mut samples = Vec::new();
        for k in 0..40 {
            let v = k as f64 / 40.0;
            samples.push(s("a", usize::from(v > 0.5), v));
        }
        samples.push(s("b", 0, 0.2));
        samples.push(s("b", 1, 0.9));
        let refs: Vec<&Sample> = samples.iter().collect();
        let model = fit_logistic(&refs, &[0, 1]);
        assert!(model.weights[0] > 0.0);
        assert!(model.weights[2..].iter().all(|&w| w == 0.0));
        for sample in &samples {
            let p = model.probability(&sample.x);
            assert_eq!(p >= 0.5, sample.derived(), "{:?} {p}", sample.x);
        }
        let w = sample_weights(&refs);
        let corpus_total = |c: &str| -> f64 {
            refs.iter()
                .zip(&w)
                .filter(|(s, _)| s.corpus == c)
                .map(|(_, w)| w)
                .sum()
        };
        assert!((corpus_total("a") - 1.0).abs() < 1e-9);
        assert!((corpus_total("b") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn solve_by_hand() {
        let x = solve(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]);
        assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
    }
}
