//! Choosing bands and rows: a pair of similarity s shares at least one of b
//! bands of r rows with probability `1 - (1 - s^r)^b` (the S-curve). Like
//! datasketch, (b, r) minimises a weighted sum of the expected false positive
//! area (the curve below the threshold) and false negative area (one minus
//! the curve above it). Our default weights lean on recall, because every
//! candidate is verified exactly: a false positive costs one cheap check, a
//! false negative is a pair never reported.

use crate::error::{Error, Result};

/// Bands and rows of an LSH index over MinHash signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Banding {
    /// Number of bands (b).
    pub bands: usize,
    /// Signature slots per band (r).
    pub rows: usize,
}

/// Weights of the two error areas in the choice of (b, r).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    /// Weight of the false positive area (datasketch: 0.5).
    pub false_positive: f64,
    /// Weight of the false negative area (datasketch: 0.5).
    pub false_negative: f64,
}

impl Default for Weights {
    /// 0.05 / 0.95: at threshold 0.8 and 128 permutations this picks 16 bands
    /// of 8 rows (a pair at exactly 0.8 is a candidate with probability 0.947;
    /// expected miss rate over [0.8, 1] 0.6%) where 0.5 / 0.5 picks 9 × 13
    /// (0.40; 17%).
    fn default() -> Weights {
        Weights {
            false_positive: 0.05,
            false_negative: 0.95,
        }
    }
}

impl Banding {
    /// Checks a banding given by hand against the signature size.
    pub fn new(bands: usize, rows: usize, num_perm: usize) -> Result<Banding> {
        if bands == 0 || rows == 0 || bands.checked_mul(rows).is_none_or(|n| n > num_perm) {
            return Err(Error::Config(format!(
                "bands × rows must be between 1 and the number of permutations ({num_perm}), not {bands} × {rows}"
            )));
        }
        Ok(Banding { bands, rows })
    }

    /// The (b, r) with b·r ≤ `num_perm` that minimises the weighted error
    /// areas at `threshold`.
    pub fn optimal(threshold: f64, num_perm: usize, weights: Weights) -> Result<Banding> {
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(Error::Config(format!(
                "threshold must be in (0, 1], not {threshold}"
            )));
        }
        if num_perm == 0 {
            return Err(Error::Config(
                "number of permutations must be positive".into(),
            ));
        }
        let mut best = (f64::INFINITY, Banding { bands: 1, rows: 1 });
        for bands in 1..=num_perm {
            for rows in 1..=num_perm / bands {
                let b = Banding { bands, rows };
                let error = weights.false_positive * b.false_positive_area(threshold)
                    + weights.false_negative * b.false_negative_area(threshold);
                if error < best.0 {
                    best = (error, b);
                }
            }
        }
        Ok(best.1)
    }

    /// Probability that a pair of Jaccard similarity `s` becomes a candidate.
    pub fn probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// ∫₀ᵗ P(s) ds: expected false positives per unit of similarity below `t`.
    pub fn false_positive_area(&self, t: f64) -> f64 {
        integrate(|s| self.probability(s), 0.0, t)
    }

    /// ∫ₜ¹ 1 − P(s) ds.
    pub fn false_negative_area(&self, t: f64) -> f64 {
        integrate(|s| 1.0 - self.probability(s), t, 1.0)
    }

    /// Share of pairs missed by LSH if true pairs' similarities were spread
    /// evenly over [t, 1] (real corpora have most pairs near 1, and miss less).
    pub fn expected_miss_rate(&self, t: f64) -> f64 {
        if t >= 1.0 {
            1.0 - self.probability(1.0)
        } else {
            self.false_negative_area(t) / (1.0 - t)
        }
    }

    /// Signature slots used (b·r).
    pub fn slots(&self) -> usize {
        self.bands * self.rows
    }
}

/// Composite Simpson's rule over 200 intervals: exact enough for smooth
/// S-curves (errors far below the differences between neighbouring (b, r)).
fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    const N: usize = 200;
    if b <= a {
        return 0.0;
    }
    let h = (b - a) / N as f64;
    let mut sum = f(a) + f(b);
    for i in 1..N {
        let x = a + i as f64 * h;
        sum += if i % 2 == 1 { 4.0 } else { 2.0 } * f(x);
    }
    sum * h / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datasketch_weights_give_datasketch_parameters() {
        let even = Weights {
            false_positive: 0.5,
            false_negative: 0.5,
        };
        // datasketch 1.x/2.x: MinHashLSH(threshold=0.8, num_perm=128) uses b=9, r=13.
        assert_eq!(
            Banding::optimal(0.8, 128, even).unwrap(),
            Banding { bands: 9, rows: 13 }
        );
    }

    #[test]
    fn default_weights_favour_recall() {
        let b = Banding::optimal(0.8, 128, Weights::default()).unwrap();
        assert_eq!(b, Banding { bands: 16, rows: 8 });
        assert!(b.probability(0.8) > 0.94);
        assert!(b.expected_miss_rate(0.8) < 0.01);
        assert!(b.probability(0.3) < 0.002);
    }

    #[test]
    fn integration_is_accurate() {
        assert!((integrate(|x| x * x, 0.0, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn bad_parameters_are_config_errors() {
        assert!(Banding::optimal(0.0, 128, Weights::default()).is_err());
        assert!(Banding::new(20, 8, 128).is_err());
        assert!(Banding::new(16, 8, 128).is_ok());
    }
}
