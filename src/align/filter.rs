//! Filtering: one case per derived passage (overlaps resolved in favour of the
//! case that explains its derived units best), one passage per source region,
//! and no fragments too short to mean anything.

use std::collections::BTreeMap;

use super::extend::Case;
use crate::comparison::{Alignment, Kind};
use crate::terms::Unit;

/// How well a case explains its derived side: the sum, over its derived units,
/// of the best seed cosine of each.
pub fn quality(case: &Case) -> f32 {
    let mut best: BTreeMap<usize, f32> = BTreeMap::new();
    for s in &case.seeds {
        let e = best.entry(s.derived).or_default();
        *e = e.max(s.cosine);
    }
    best.values().sum()
}

/// Removes cases overlapping a better one on the derived side.
pub fn resolve_overlaps(mut cases: Vec<Case>) -> Vec<Case> {
    let mut scored: Vec<(f32, Case)> = cases.drain(..).map(|c| (quality(&c), c)).collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| b.1.similarity.total_cmp(&a.1.similarity))
            .then_with(|| a.1.derived.start().cmp(b.1.derived.start()))
    });
    let mut kept: Vec<Case> = Vec::new();
    for (_, case) in scored {
        let overlaps = kept.iter().any(|k| {
            case.derived.start() <= k.derived.end() && k.derived.start() <= case.derived.end()
        });
        if !overlaps {
            kept.push(case);
        }
    }
    kept.sort_by_key(|c| *c.derived.start());
    kept
}

/// Drops each passage whose source passage lies at least `share` inside
/// the source passage of a better one (higher score, then longer): two
/// derived passages claiming one source region are mostly one true reuse
/// and one similar text paired with it by mistake. Summaries are kept, and
/// so are verbatim copies: a text may quote the same source passage twice.
/// `share` 0 keeps everything.
pub fn one_claim_per_source(alignments: Vec<Alignment>, share: f64) -> Vec<Alignment> {
    if share <= 0.0 {
        return alignments;
    }
    let mut order: Vec<usize> = (0..alignments.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&alignments[a], &alignments[b]);
        y.score
            .total_cmp(&x.score)
            .then(y.source.len().cmp(&x.source.len()))
            .then(a.cmp(&b))
    });
    let mut kept: Vec<usize> = Vec::new();
    for i in order {
        let a = &alignments[i];
        let claimed = !matches!(a.kind, Kind::Summary | Kind::Verbatim)
            && kept.iter().any(|&k| {
                a.source.overlap(&alignments[k].source) as f64 >= share * a.source.len() as f64
            });
        if !claimed {
            kept.push(i);
        }
    }
    kept.sort_unstable();
    kept.into_iter().map(|i| alignments[i].clone()).collect()
}

/// Drops cases resting on one derived unit whose best seed is below
/// `min_cosine`, unless an ordered chain supports it: one sentence restating
/// a fact is what independent reports of the same event share; reuse shows in
/// more than one sentence, in order, or in a sentence taken nearly whole.
pub fn remove_lone_weak(cases: Vec<Case>, min_cosine: f32) -> Vec<Case> {
    cases
        .into_iter()
        .filter(|c| {
            let lone = c
                .seeds
                .iter()
                .all(|s| s.derived == c.seeds[0].derived && !s.chained);
            let best = c.seeds.iter().map(|s| s.cosine).fold(0.0, f32::max);
            !lone || best >= min_cosine
        })
        .collect()
}

/// Keeps cases whose passages both have at least `min_chars` code points.
pub fn remove_short(
    cases: Vec<Case>,
    source: &[Unit],
    derived: &[Unit],
    min_chars: usize,
) -> Vec<Case> {
    cases
        .into_iter()
        .filter(|c| {
            chars(source, c.source.clone()) >= min_chars
                && chars(derived, c.derived.clone()) >= min_chars
        })
        .collect()
}

fn chars(units: &[Unit], range: std::ops::RangeInclusive<usize>) -> usize {
    units[*range.end()].span.end() - units[*range.start()].span.start()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::seeds::Seed;

    fn case(der: std::ops::RangeInclusive<usize>, cos: f32) -> Case {
        let seeds = der
            .clone()
            .map(|d| Seed {
                source: d,
                derived: d,
                cosine: cos,
                dice: cos,
                chained: false,
            })
            .collect();
        Case {
            source: der.clone(),
            derived: der,
            seeds,
            similarity: cos,
        }
    }

    #[test]
    fn one_source_region_is_claimed_by_one_passage() {
        let text = "x".repeat(1000);
        let index = crate::text::CharIndex::new(&text);
        let passage =
            |src: std::ops::Range<usize>, der: std::ops::Range<usize>, score, kind| Alignment {
                source: index.span(src.start, src.end),
                derived: index.span(der.start, der.end),
                score,
                kind,
            };
        let rows = [
            // Half of the weaker one's source inside the better one's: dropped.
            (
                vec![
                    passage(0..200, 0..200, 0.9, Kind::Verbatim),
                    passage(100..300, 400..600, 0.5, Kind::Paraphrase),
                ],
                0.3,
                vec![0],
            ),
            // A fifth only: kept.
            (
                vec![
                    passage(0..200, 0..200, 0.9, Kind::Verbatim),
                    passage(160..360, 400..600, 0.5, Kind::Paraphrase),
                ],
                0.3,
                vec![0, 1],
            ),
            // The better one comes second in the derived text.
            (
                vec![
                    passage(100..300, 0..200, 0.4, Kind::Edited),
                    passage(0..200, 400..600, 0.8, Kind::Paraphrase),
                ],
                0.3,
                vec![1],
            ),
            // A verbatim copy is its own evidence (a passage quoted twice).
            (
                vec![
                    passage(0..200, 0..200, 1.0, Kind::Verbatim),
                    passage(100..300, 400..600, 0.97, Kind::Verbatim),
                ],
                0.3,
                vec![0, 1],
            ),
            // A summary is never dropped; share 0 keeps everything.
            (
                vec![
                    passage(0..200, 0..200, 0.9, Kind::Verbatim),
                    passage(0..900, 300..400, 0.5, Kind::Summary),
                ],
                0.3,
                vec![0, 1],
            ),
            (
                vec![
                    passage(0..200, 0..200, 0.9, Kind::Verbatim),
                    passage(0..200, 400..600, 0.5, Kind::Paraphrase),
                ],
                0.0,
                vec![0, 1],
            ),
        ];
        for (alignments, share, kept) in rows {
            let expected: Vec<Alignment> = kept.iter().map(|&i| alignments[i].clone()).collect();
            assert_eq!(one_claim_per_source(alignments, share), expected);
        }
    }

    #[test]
    fn the_better_of_overlapping_cases_wins() {
        let kept = resolve_overlaps(vec![case(0..=3, 0.5), case(2..=4, 0.9), case(8..=9, 0.4)]);
        assert_eq!(
            kept.iter().map(|c| c.derived.clone()).collect::<Vec<_>>(),
            vec![2..=4, 8..=9]
        );
    }
}
