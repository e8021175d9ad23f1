//! The PAN text-alignment measures (Potthast, Stein, Barrón-Cedeño, Rosso,
//! *An Evaluation Framework for Plagiarism Detection*, COLING 2010):
//! macro-averaged character precision and recall, granularity, and plagdet.
//!
//! A case or detection is a pair of passages, one in a suspicious (derived)
//! document and one in a source document, in code points. A detection
//! *detects* a case when the two overlap in both documents. Recall of a case
//! is the share of its characters (suspicious plus source) covered by the
//! detections that detect it; precision is the same with the roles swapped.

use std::collections::{HashMap, HashSet};

/// A passage pair: the unit of truth and of detection.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Annotation {
    /// Suspicious (derived) document name.
    pub susp: String,
    /// First code point of the passage in it.
    pub susp_offset: usize,
    /// Length of the passage in code points.
    pub susp_len: usize,
    /// Source document name.
    pub src: String,
    /// First code point of the passage in the source.
    pub src_offset: usize,
    /// Length of the source passage in code points.
    pub src_len: usize,
}

impl Annotation {
    fn detects(&self, other: &Annotation) -> bool {
        self.susp == other.susp
            && self.src == other.src
            && overlap(
                self.susp_offset,
                self.susp_len,
                other.susp_offset,
                other.susp_len,
            )
            && overlap(
                self.src_offset,
                self.src_len,
                other.src_offset,
                other.src_len,
            )
    }
}

fn overlap(a: usize, a_len: usize, b: usize, b_len: usize) -> bool {
    b + b_len > a && b < a + a_len
}

/// The PAN figures for one set of cases and detections.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measures {
    /// Macro-averaged character precision.
    pub precision: f64,
    /// Macro-averaged character recall.
    pub recall: f64,
    /// Mean number of detections per detected case (≥ 1).
    pub granularity: f64,
    /// F1 / log2(1 + granularity).
    pub plagdet: f64,
    /// Number of (distinct) cases.
    pub cases: usize,
    /// Number of (distinct) detections.
    pub detections: usize,
}

/// Computes the measures. Duplicate annotations count once, as in the
/// official script (which reads them into sets).
pub fn measures(cases: &[Annotation], detections: &[Annotation]) -> Measures {
    let cases = distinct(cases);
    let detections = distinct(detections);
    let recall = macro_recall(&cases, &detections);
    let precision = macro_recall(&detections, &cases);
    let granularity = granularity(&cases, &detections);
    Measures {
        precision,
        recall,
        granularity,
        plagdet: plagdet(recall, precision, granularity),
        cases: cases.len(),
        detections: detections.len(),
    }
}

fn distinct(annotations: &[Annotation]) -> Vec<&Annotation> {
    let set: HashSet<&Annotation> = annotations.iter().collect();
    let mut v: Vec<_> = set.into_iter().collect();
    v.sort();
    v
}

fn by_susp<'a>(annotations: &[&'a Annotation]) -> HashMap<&'a str, Vec<&'a Annotation>> {
    let mut index: HashMap<&str, Vec<&Annotation>> = HashMap::new();
    for a in annotations {
        index.entry(a.susp.as_str()).or_default().push(a);
    }
    index
}

/// Mean over `truth` of the share of each annotation's characters covered by
/// the `found` annotations that overlap it on both sides.
fn macro_recall(truth: &[&Annotation], found: &[&Annotation]) -> f64 {
    if truth.is_empty() && found.is_empty() {
        return 1.0;
    }
    if truth.is_empty() || found.is_empty() {
        return 0.0;
    }
    let index = by_susp(found);
    let total: f64 = truth
        .iter()
        .map(|t| {
            let hits: Vec<&&Annotation> = index
                .get(t.susp.as_str())
                .map(|v| v.iter().filter(|f| t.detects(f)).collect())
                .unwrap_or_default();
            covered(
                t.susp_offset,
                t.susp_len,
                hits.iter().map(|f| (f.susp_offset, f.susp_len)),
            ) + covered(
                t.src_offset,
                t.src_len,
                hits.iter().map(|f| (f.src_offset, f.src_len)),
            )
        })
        .zip(truth)
        .map(|(n, t)| n as f64 / (t.susp_len + t.src_len) as f64)
        .sum();
    total / truth.len() as f64
}

/// Characters of `offset..offset+len` covered by the union of `ranges`.
fn covered(offset: usize, len: usize, ranges: impl Iterator<Item = (usize, usize)>) -> usize {
    let end = offset + len;
    let mut clipped: Vec<(usize, usize)> = ranges
        .map(|(o, l)| (o.max(offset), (o + l).min(end)))
        .filter(|(s, e)| s < e)
        .collect();
    clipped.sort_unstable();
    let (mut count, mut reach) = (0, offset);
    for (s, e) in clipped {
        let s = s.max(reach);
        if e > s {
            count += e - s;
            reach = e;
        }
    }
    count
}

fn granularity(cases: &[&Annotation], detections: &[&Annotation]) -> f64 {
    let index = by_susp(detections);
    let (mut detected, mut total) = (0usize, 0usize);
    for c in cases {
        let n = index
            .get(c.susp.as_str())
            .map_or(0, |v| v.iter().filter(|d| c.detects(d)).count());
        if n > 0 {
            detected += 1;
            total += n;
        }
    }
    if detected == 0 {
        1.0
    } else {
        total as f64 / detected as f64
    }
}

/// plagdet = F1 / log2(1 + granularity); 0 when precision and recall are 0.
pub fn plagdet(recall: f64, precision: f64, granularity: f64) -> f64 {
    if (recall == 0.0 && precision == 0.0) || recall < 0.0 || precision < 0.0 || granularity < 1.0 {
        return 0.0;
    }
    let f1 = 2.0 * recall * precision / (recall + precision);
    f1 / (1.0 + granularity).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(susp: &str, so: usize, sl: usize, src: &str, ro: usize, rl: usize) -> Annotation {
        Annotation {
            susp: susp.into(),
            susp_offset: so,
            susp_len: sl,
            src: src.into(),
            src_offset: ro,
            src_len: rl,
        }
    }

    // The hand-computed cases below use a case A = [0,100) in both documents.

    #[test]
    fn exact_detection_is_perfect() {
        let a = ann("t1", 0, 100, "s1", 0, 100);
        let m = measures(std::slice::from_ref(&a), std::slice::from_ref(&a));
        assert_eq!(
            (m.precision, m.recall, m.granularity, m.plagdet),
            (1.0, 1.0, 1.0, 1.0)
        );
    }

    #[test]
    fn detection_twice_as_long_halves_precision() {
        // Detection [0,200) both sides: covers all 200 case chars (recall 1),
        // 200 of its 400 chars are case chars (precision 0.5).
        let m = measures(
            &[ann("t1", 0, 100, "s1", 0, 100)],
            &[ann("t1", 0, 200, "s1", 0, 200)],
        );
        assert_eq!(m.recall, 1.0);
        assert_eq!(m.precision, 0.5);
        assert!((m.plagdet - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn partial_overlap_counts_per_side() {
        // Case [0,100); detection [50,150): 50 + 50 of 200 case chars (0.5);
        // with another detection [25,100): 75 + 75 → 0.75 recall, and
        // precision (0.5 + 1.0) / 2 = 0.75, two detections of one case.
        let case = ann("t2", 0, 100, "s2", 0, 100);
        let d1 = ann("t2", 50, 100, "s2", 50, 100);
        let d2 = ann("t2", 25, 75, "s2", 25, 75);
        let m = measures(std::slice::from_ref(&case), std::slice::from_ref(&d1));
        assert_eq!(m.recall, 0.5);
        let m = measures(&[case], &[d1, d2]);
        assert_eq!(m.recall, 0.75);
        assert_eq!(m.precision, 0.75);
        assert_eq!(m.granularity, 2.0);
        let f1 = 0.75;
        assert!((m.plagdet - f1 / 3f64.log2()).abs() < 1e-12);
    }

    #[test]
    fn detection_must_overlap_on_both_sides() {
        // Same suspicious passage, disjoint source passage: detects nothing.
        let m = measures(
            &[ann("t1", 0, 100, "s1", 0, 100)],
            &[ann("t1", 0, 100, "s1", 100, 100)],
        );
        assert_eq!((m.recall, m.precision, m.plagdet), (0.0, 0.0, 0.0));
        // Other source document: detects nothing either.
        let m = measures(
            &[ann("t1", 0, 100, "s1", 0, 100)],
            &[ann("t1", 0, 100, "s9", 0, 100)],
        );
        assert_eq!(m.recall, 0.0);
    }

    #[test]
    fn false_detections_lower_precision_only() {
        let case = ann("t1", 0, 100, "s1", 0, 100);
        let stray = ann("t9", 0, 10, "s9", 0, 10);
        let m = measures(std::slice::from_ref(&case), &[case.clone(), stray]);
        assert_eq!(m.recall, 1.0);
        assert_eq!(m.precision, 0.5);
        assert_eq!(m.granularity, 1.0);
    }

    #[test]
    fn missed_cases_lower_recall_and_empty_sets_follow_the_script() {
        let a = ann("t1", 0, 100, "s1", 0, 100);
        let b = ann("t2", 0, 100, "s2", 0, 100);
        let m = measures(&[a.clone(), b], std::slice::from_ref(&a));
        assert_eq!((m.recall, m.precision), (0.5, 1.0));
        let m = measures(&[], &[]);
        assert_eq!((m.recall, m.precision), (1.0, 1.0));
        let m = measures(&[a], &[]);
        assert_eq!((m.recall, m.precision, m.plagdet), (0.0, 0.0, 0.0));
    }

    #[test]
    fn plagdet_by_hand() {
        assert_eq!(plagdet(1.0, 1.0, 1.0), 1.0);
        assert!((plagdet(1.0, 1.0, 2.0) - 0.630_929_75).abs() < 1e-8);
        assert!((plagdet(0.25, 0.75, 2.0) - 0.236_598_65).abs() < 1e-8);
        assert_eq!(plagdet(0.0, 0.0, 1.0), 0.0);
    }

    #[test]
    fn duplicates_count_once() {
        let a = ann("t1", 0, 100, "s1", 0, 100);
        let m = measures(&[a.clone(), a.clone()], &[a.clone(), a]);
        assert_eq!((m.cases, m.detections, m.granularity), (1, 1, 1.0));
    }
}
