//! Extension: seeds close to each other on both sides are clustered into
//! cases (passage pairs), and a case whose two passages are not similar enough
//! as wholes is split again with a smaller gap (Sanchez-Perez, Sidorov and
//! Gelbukh 2014).

use std::ops::RangeInclusive;

use super::config::{ExtensionConfig, SummaryConfig};
use super::seeds::Seed;
use super::side::Side;
use super::vectors::{TermUnits, Vector};

/// A candidate passage pair, in unit indices (inclusive), with its seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// Units of the source passage.
    pub source: RangeInclusive<usize>,
    /// Units of the derived passage.
    pub derived: RangeInclusive<usize>,
    /// The seeds inside it.
    pub seeds: Vec<Seed>,
    /// tf-idf cosine of the two passages as wholes.
    pub similarity: f32,
}

/// Clusters `seeds` into cases: seeds at most `gap` units apart on one side
/// join, alternately on each side, until neither side splits a cluster.
pub fn cluster(seeds: Vec<Seed>, gap: usize) -> Vec<Vec<Seed>> {
    let mut out = Vec::new();
    cluster_into(seeds, gap, Side::Derived, true, &mut out);
    out
}

fn cluster_into(seeds: Vec<Seed>, gap: usize, side: Side, first: bool, out: &mut Vec<Vec<Seed>>) {
    let groups = split_by_gap(seeds, gap, side);
    if groups.len() <= 1 && !first {
        out.extend(groups);
        return;
    }
    for group in groups {
        cluster_into(group, gap, side.other(), false, out);
    }
}

fn split_by_gap(mut seeds: Vec<Seed>, gap: usize, side: Side) -> Vec<Vec<Seed>> {
    seeds.sort_by_key(|s| (s.unit(side), s.unit(side.other())));
    let mut groups: Vec<Vec<Seed>> = Vec::new();
    for seed in seeds {
        match groups.last_mut() {
            Some(g)
                if seed.unit(side)
                    <= g.last().expect("groups are never empty").unit(side) + gap + 1 =>
            {
                g.push(seed)
            }
            _ => groups.push(vec![seed]),
        }
    }
    groups
}

/// Parameters of extension.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExtendParams {
    /// Largest gap (in units) between seeds of one case.
    pub gap: usize,
    /// Smallest gap validation may fall back to.
    pub min_gap: usize,
    /// What a case's passages must reach as wholes.
    pub bar: Bar,
}

/// The bar a case's two passages must clear as wholes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bar {
    /// tf-idf cosine above `min`, or above `min_chained` for a case holding a
    /// seed from an ordered chain.
    Cosine {
        /// The plain bar.
        min: f32,
        /// The bar of cases with order evidence.
        min_chained: f32,
    },
    /// Coverage ([`Vector::coverage`]) of the derived passage by the source
    /// passage above `min`: a summary is short and its source long, which
    /// cosine penalises.
    Coverage {
        /// The bar.
        min: f32,
    },
}

impl ExtendParams {
    /// Passages: seeds at most `gap` apart, validated by cosine.
    pub fn passages(config: &ExtensionConfig, gap: usize) -> ExtendParams {
        ExtendParams {
            gap,
            min_gap: config.min_gap,
            bar: Bar::Cosine {
                min: config.min_case_similarity,
                min_chained: config.min_chained_case_similarity,
            },
        }
    }

    /// Summaries: seeds at most the summary gap apart, validated by coverage.
    pub fn summaries(extension: &ExtensionConfig, summaries: &SummaryConfig) -> ExtendParams {
        ExtendParams {
            gap: summaries.gap,
            min_gap: extension.min_gap,
            bar: Bar::Coverage {
                min: summaries.min_coverage,
            },
        }
    }
}

/// Clusters seeds into cases and keeps those whose passages are similar as
/// wholes, re-clustering failing ones with a smaller gap.
pub fn extend(
    seeds: Vec<Seed>,
    source: &[Vector],
    derived: &[Vector],
    paragraphs: &Paragraphs,
    params: ExtendParams,
) -> Vec<Case> {
    let mut cases = Vec::new();
    let measure = match params.bar {
        Bar::Coverage { .. } => Measure::Coverage(TermUnits::new(source)),
        Bar::Cosine { .. } => Measure::Cosine,
    };
    for cluster in cluster(seeds, params.gap) {
        // Paragraph splitting refines the boundaries of a passage pair that
        // is similar as a whole; it is not a reason to make each piece prove
        // itself again (a heavy rewrite's paragraphs are each weaker than the
        // whole they belong to). A cluster that fails as a whole is judged
        // by its pieces. Summary cases are excepted: coverage by a long source
        // range is easy to reach as a whole, so each piece keeps its test.
        let parts = split_at_seedless_paragraphs(cluster, paragraphs);
        let keep_pieces = parts.len() > 1
            && matches!(params.bar, Bar::Cosine { .. })
            && passes(&case_of(parts.concat(), source, derived, &measure), params);
        for part in parts {
            if keep_pieces {
                cases.push(case_of(part, source, derived, &measure));
            } else {
                validate(part, source, derived, &measure, params, &mut cases);
            }
        }
    }
    cases
}

/// Whether a case's passages are similar enough as wholes.
fn passes(case: &Case, params: ExtendParams) -> bool {
    let bar = match params.bar {
        Bar::Cosine { min_chained, .. } if case.seeds.iter().any(|s| s.chained) => min_chained,
        Bar::Cosine { min, .. } | Bar::Coverage { min } => min,
    };
    case.similarity > bar
}

/// The paragraph of each unit, on both sides.
#[derive(Clone, Copy, Debug)]
pub struct Paragraphs<'a> {
    /// Paragraph index of each source unit (`None`: no splitting on that side).
    pub source: Option<&'a [usize]>,
    /// Paragraph index of each derived unit (`None`: no splitting on that side).
    pub derived: Option<&'a [usize]>,
    /// If given, the source side splits only at paragraphs in this set
    /// (paragraphs where other seeds lie: a source paragraph the derived text
    /// uses elsewhere is not part of this passage).
    pub claimed_source: Option<&'a std::collections::HashSet<usize>>,
}

/// Splits a cluster wherever a whole paragraph without a seed lies between
/// two of its seeds, on either side: new material inserted between reused
/// paragraphs (or a source paragraph the rewrite left out, or used
/// elsewhere) is not part of a passage.
pub fn split_at_seedless_paragraphs(seeds: Vec<Seed>, paragraphs: &Paragraphs) -> Vec<Vec<Seed>> {
    let mut parts = vec![seeds];
    for (side, map) in [
        (Side::Derived, paragraphs.derived),
        (Side::Source, paragraphs.source),
    ] {
        let Some(map) = map else { continue };
        parts = parts
            .into_iter()
            .flat_map(|mut part| {
                part.sort_by_key(|s| (s.unit(side), s.unit(side.other())));
                let mut groups: Vec<Vec<Seed>> = Vec::new();
                for seed in part {
                    let splits = |prev: &Seed| {
                        let between = map[prev.unit(side)] + 1..map[seed.unit(side)];
                        match (side, paragraphs.claimed_source) {
                            (Side::Source, Some(claimed)) => {
                                between.into_iter().any(|p| claimed.contains(&p))
                            }
                            _ => !between.is_empty(),
                        }
                    };
                    match groups.last_mut() {
                        Some(g) if !splits(g.last().expect("never empty")) => g.push(seed),
                        _ => groups.push(vec![seed]),
                    }
                }
                groups
            })
            .collect();
    }
    parts
}

fn validate(
    seeds: Vec<Seed>,
    source: &[Vector],
    derived: &[Vector],
    measure: &Measure,
    params: ExtendParams,
    out: &mut Vec<Case>,
) {
    let case = case_of(seeds, source, derived, measure);
    if passes(&case, params) {
        out.push(case);
    } else if params.gap > params.min_gap {
        let smaller = ExtendParams {
            gap: params.gap - 1,
            ..params
        };
        for cluster in cluster(case.seeds, smaller.gap) {
            validate(cluster, source, derived, measure, smaller, out);
        }
    }
}

/// How a case's two passages are compared as wholes.
#[derive(Debug)]
pub enum Measure {
    /// tf-idf cosine ([`passage_similarity`]).
    Cosine,
    /// Share of the derived passage's weight on terms the source passage has
    /// ([`Vector::coverage`]), through an index of the source's units.
    Coverage(TermUnits),
}

/// The case spanned by `seeds`, with its similarity.
pub fn case_of(seeds: Vec<Seed>, source: &[Vector], derived: &[Vector], measure: &Measure) -> Case {
    let src = span_of(&seeds, Side::Source);
    let der = span_of(&seeds, Side::Derived);
    let similarity = match measure {
        Measure::Coverage(index) => index.coverage(&Vector::sum(&derived[der.clone()]), &src),
        Measure::Cosine => passage_similarity(source, derived, &src, &der),
    };
    Case {
        source: src,
        derived: der,
        seeds,
        similarity,
    }
}

/// tf-idf cosine of two passages given as unit ranges.
pub fn passage_similarity(
    source: &[Vector],
    derived: &[Vector],
    src: &RangeInclusive<usize>,
    der: &RangeInclusive<usize>,
) -> f32 {
    let a = Vector::sum(&source[src.clone()]);
    let b = Vector::sum(&derived[der.clone()]);
    a.cosine(&b)
}

fn span_of(seeds: &[Seed], side: Side) -> RangeInclusive<usize> {
    let min = seeds.iter().map(|s| s.unit(side)).min().unwrap_or(0);
    let max = seeds.iter().map(|s| s.unit(side)).max().unwrap_or(0);
    min..=max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(source: usize, derived: usize) -> Seed {
        Seed {
            source,
            derived,
            cosine: 1.0,
            dice: 1.0,
            chained: false,
        }
    }

    fn spans(clusters: &[Vec<Seed>]) -> Vec<(RangeInclusive<usize>, RangeInclusive<usize>)> {
        let mut v: Vec<_> = clusters
            .iter()
            .map(|c| (span_of(c, Side::Source), span_of(c, Side::Derived)))
            .collect();
        v.sort_by_key(|(s, _)| *s.start());
        v
    }

    #[test]
    fn near_seeds_cluster_and_far_ones_split() {
        let seeds = vec![
            seed(0, 10),
            seed(1, 11),
            seed(3, 12),
            seed(40, 13),
            seed(41, 14),
        ];
        let clusters = cluster(seeds, 4);
        assert_eq!(spans(&clusters), vec![(0..=3, 10..=12), (40..=41, 13..=14)]);
    }

    #[test]
    fn a_gap_larger_than_allowed_splits() {
        let clusters = cluster(vec![seed(0, 0), seed(6, 6)], 4);
        assert_eq!(clusters.len(), 2);
        let clusters = cluster(vec![seed(0, 0), seed(5, 5)], 4);
        assert_eq!(clusters.len(), 1);
    }

    fn vector(entries: &[(u64, f32)]) -> Vector {
        let norm = entries.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        Vector {
            entries: entries.to_vec(),
            norm,
        }
    }

    #[test]
    fn pieces_of_a_passage_similar_as_a_whole_are_kept() {
        let (a, b, c, x, y) = (1, 2, 3, 4, 5);
        let source = [
            vector(&[(a, 1.0)]),
            vector(&[(c, 3.0)]),
            vector(&[(b, 1.0)]),
        ];
        let derived = [
            vector(&[(a, 1.0), (x, 1.0)]),
            vector(&[(c, 3.0)]),
            vector(&[(b, 1.0), (y, 1.0)]),
        ];
        // The middle derived unit is a paragraph of its own with no seed.
        let derived_paragraphs = [0, 1, 2];
        let paragraphs = Paragraphs {
            source: None,
            derived: Some(&derived_paragraphs),
            claimed_source: None,
        };
        let params = ExtendParams {
            gap: 4,
            min_gap: 0,
            bar: Bar::Cosine {
                min: 0.8,
                min_chained: 0.8,
            },
        };
        let seeds = vec![seed(0, 0), seed(2, 2)];
        // Each piece alone (cosine 0.71) is below the bar, the whole (0.92) above.
        let cases = extend(seeds.clone(), &source, &derived, &paragraphs, params);
        let found: Vec<_> = cases
            .iter()
            .map(|c| (c.source.clone(), c.derived.clone()))
            .collect();
        assert_eq!(found, vec![(0..=0, 0..=0), (2..=2, 2..=2)]);
        // A whole below the bar leaves its pieces to be judged alone.
        let strict = ExtendParams {
            bar: Bar::Cosine {
                min: 0.95,
                min_chained: 0.95,
            },
            ..params
        };
        assert!(extend(seeds, &source, &derived, &paragraphs, strict).is_empty());
    }
}
