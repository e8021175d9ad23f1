//! Classification measures and threshold calibration by cross-validation, for
//! the document-level evaluations (COUNTER, Clough–Stevenson).

/// F1 of one class from counts.
pub fn f1(tp: usize, fp: usize, fn_: usize) -> f64 {
    if tp == 0 {
        return 0.0;
    }
    let p = tp as f64 / (tp + fp) as f64;
    let r = tp as f64 / (tp + fn_) as f64;
    2.0 * p * r / (p + r)
}

/// Macro-averaged F1 over classes `0..classes` of predictions against truth.
pub fn macro_f1(truth: &[usize], predicted: &[usize], classes: usize) -> f64 {
    (0..classes)
        .map(|c| {
            let tp = truth
                .iter()
                .zip(predicted)
                .filter(|&(&t, &p)| t == c && p == c)
                .count();
            let fp = truth
                .iter()
                .zip(predicted)
                .filter(|&(&t, &p)| t != c && p == c)
                .count();
            let fn_ = truth
                .iter()
                .zip(predicted)
                .filter(|&(&t, &p)| t == c && p != c)
                .count();
            f1(tp, fp, fn_)
        })
        .sum::<f64>()
        / classes as f64
}

/// F1 of the positive class for boolean labels.
pub fn binary_f1(truth: &[bool], predicted: &[bool]) -> f64 {
    let tp = truth
        .iter()
        .zip(predicted)
        .filter(|&(&t, &p)| t && p)
        .count();
    let fp = truth
        .iter()
        .zip(predicted)
        .filter(|&(&t, &p)| !t && p)
        .count();
    let fn_ = truth
        .iter()
        .zip(predicted)
        .filter(|&(&t, &p)| t && !p)
        .count();
    f1(tp, fp, fn_)
}

/// Accuracy.
pub fn accuracy<T: PartialEq>(truth: &[T], predicted: &[T]) -> f64 {
    if truth.is_empty() {
        return 0.0;
    }
    truth.iter().zip(predicted).filter(|(t, p)| t == p).count() as f64 / truth.len() as f64
}

/// Ordinal classes from a score and ascending thresholds: class `k` is the
/// number of thresholds the score reaches (so class 0 is the lowest).
pub fn classify(score: f64, thresholds: &[f64]) -> usize {
    thresholds.iter().filter(|&&t| score >= t).count()
}

/// The ascending thresholds (one fewer than `classes`) that maximise macro-F1
/// of `scores` against ordinal `truth`, searched over the observed scores
/// (greedy coordinate ascent from evenly spaced quantiles, a few rounds).
pub fn fit_thresholds(scores: &[f64], truth: &[usize], classes: usize) -> Vec<f64> {
    let mut candidates: Vec<f64> = scores.to_vec();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    if candidates.is_empty() || classes < 2 {
        return vec![0.0; classes.saturating_sub(1)];
    }
    let mut t: Vec<f64> = (1..classes)
        .map(|k| candidates[(k * candidates.len() / classes).min(candidates.len() - 1)])
        .collect();
    let score_of = |t: &[f64]| {
        let predicted: Vec<usize> = scores.iter().map(|&s| classify(s, t)).collect();
        macro_f1(truth, &predicted, classes)
    };
    for _ in 0..4 {
        for k in 0..t.len() {
            let lo = if k == 0 { f64::NEG_INFINITY } else { t[k - 1] };
            let hi = if k + 1 == t.len() {
                f64::INFINITY
            } else {
                t[k + 1]
            };
            let mut best = (score_of(&t), t[k]);
            for &c in candidates.iter().filter(|&&c| c >= lo && c <= hi) {
                let mut trial = t.clone();
                trial[k] = c;
                let f = score_of(&trial);
                if f > best.0 {
                    best = (f, c);
                }
            }
            t[k] = best.1;
        }
    }
    t
}

/// The fold of item `i`: a seeded hash, so the assignment is fixed.
pub fn fold_of(i: usize, folds: usize, seed: u64) -> usize {
    (xxhash_rust::xxh3::xxh3_64_with_seed(&(i as u64).to_le_bytes(), seed) % folds as u64) as usize
}

/// Out-of-fold predictions: `folds`-fold cross-validation with a fixed,
/// seeded assignment of items to folds; thresholds are fitted on the other
/// folds and applied to each fold.
pub fn cross_validate(
    scores: &[f64],
    truth: &[usize],
    classes: usize,
    folds: usize,
    seed: u64,
) -> Vec<usize> {
    let fold: Vec<usize> = (0..scores.len()).map(|i| fold_of(i, folds, seed)).collect();
    let mut predicted = vec![0; scores.len()];
    for f in 0..folds {
        let train: Vec<usize> = (0..scores.len()).filter(|&i| fold[i] != f).collect();
        let t = fit_thresholds(
            &train.iter().map(|&i| scores[i]).collect::<Vec<_>>(),
            &train.iter().map(|&i| truth[i]).collect::<Vec<_>>(),
            classes,
        );
        for i in (0..scores.len()).filter(|&i| fold[i] == f) {
            predicted[i] = classify(scores[i], &t);
        }
    }
    predicted
}

/// Spearman rank correlation (average ranks for ties).
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    pearson(&ra, &rb)
}

fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&i, &j| x[i].total_cmp(&x[j]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Pearson correlation.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    if va == 0.0 || vb == 0.0 {
        0.0
    } else {
        cov / (va * vb).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f1_by_hand() {
        // 3 true positives, 1 false positive, 2 false negatives: P 3/4, R 3/5.
        assert!((f1(3, 1, 2) - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        assert_eq!(
            binary_f1(&[true, true, false], &[true, false, false]),
            2.0 / 3.0
        );
        assert_eq!(macro_f1(&[0, 1, 2], &[0, 1, 2], 3), 1.0);
        assert_eq!(accuracy(&[1, 0], &[1, 1]), 0.5);
    }

    #[test]
    fn thresholds_separate_separable_classes() {
        let scores = [0.1, 0.2, 0.5, 0.55, 0.9, 0.95];
        let truth = [0, 0, 1, 1, 2, 2];
        let t = fit_thresholds(&scores, &truth, 3);
        let predicted: Vec<usize> = scores.iter().map(|&s| classify(s, &t)).collect();
        assert_eq!(predicted, truth);
    }

    #[test]
    fn spearman_by_hand() {
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), 1.0);
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0);
        assert!((spearman(&[1.0, 1.0, 2.0], &[1.0, 2.0, 3.0]) - 0.866_025).abs() < 1e-5);
    }
}
