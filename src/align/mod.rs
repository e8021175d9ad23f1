//! Alignment: which passages of a derived document come from which passages of
//! a source, by seed → extend → filter.
//!
//! 1. **Seeds** are pairs of units (sentences) whose tf-idf cosine and Dice
//!    coefficient both pass a bar, plus exact runs of shared tokens.
//! 2. **Extension** clusters seeds that lie close together on both sides into
//!    cases and keeps the cases whose passages are similar as wholes.
//! 3. **Filtering** resolves cases that overlap in the derived document and
//!    drops fragments too short to mean anything.
//! 4. If the cases found with a wide gap show a short derived text condensing a
//!    much longer source, they are kept as **summaries**.
//! 5. Case boundaries are **snapped** to exact runs where a case starts or ends
//!    in copied text, and each case gets a score and a kind.

pub mod extend;
pub mod filter;
pub mod kind;
pub mod seeds;
pub mod units;
pub mod vectors;

use std::ops::{Range, RangeInclusive};

use crate::comparison::{Alignment, Kind};
use crate::profile::Profile;
use crate::text::Span;
use extend::{Case, ExtendParams};
use seeds::Run;
use units::{Unit, UnitConfig};
use vectors::Vector;

/// Parameters of alignment. The defaults are those of Sanchez-Perez et al.
/// (2014) where the method is theirs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlignConfig {
    /// How units and their terms are made.
    pub units: UnitConfig,
    /// Seed bar: tf-idf cosine of two units must exceed this.
    pub min_cosine: f32,
    /// Seed bar: Dice coefficient of two units' terms must exceed this.
    pub min_dice: f32,
    /// Case bar: cosine of the two passages as wholes must exceed this.
    pub min_case_similarity: f32,
    /// Largest gap, in units, between seeds of one case.
    pub max_gap: usize,
    /// Smallest gap validation may retry with.
    pub min_gap: usize,
    /// Gap used to look for summaries.
    pub summary_gap: usize,
    /// Summary cases are kept when their source passages are this many times
    /// longer than their derived passages in total.
    pub summary_ratio: f64,
    /// Both passages of a case must have at least this many code points.
    pub min_passage_chars: usize,
    /// Shortest exact run of tokens used to snap boundaries.
    pub exact_min_tokens: usize,
    /// Exact runs separated by at most this many tokens on both sides chain.
    pub exact_max_gap: usize,
    /// Edit similarity at or above which a passage is verbatim.
    pub verbatim_similarity: f64,
    /// Edit similarity at or above which a passage is edited, not paraphrased.
    pub edited_similarity: f64,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            units: UnitConfig::default(),
            min_cosine: 0.33,
            min_dice: 0.33,
            min_case_similarity: 0.34,
            max_gap: 4,
            min_gap: 0,
            summary_gap: 24,
            summary_ratio: 3.0,
            min_passage_chars: 150,
            exact_min_tokens: 8,
            exact_max_gap: 3,
            verbatim_similarity: 0.95,
            edited_similarity: 0.5,
        }
    }
}

/// Aligns the passages of `derived` that come from `source`.
pub fn align(source: &Profile, derived: &Profile, config: &AlignConfig) -> Vec<Alignment> {
    let (src_vecs, der_vecs) = vectors::pair_vectors(&source.units, &derived.units);
    let seeds = seeds::unit_seeds(&src_vecs, &der_vecs, config.min_cosine, config.min_dice);
    let pair = Pair {
        source,
        derived,
        src_vecs: &src_vecs,
        der_vecs: &der_vecs,
    };
    let (cases, summary) = pair.cases(seeds, config);
    let runs = seeds::chain_runs(
        seeds::common_runs(
            &source.token_hashes,
            &derived.token_hashes,
            config.exact_min_tokens,
        ),
        config.exact_max_gap,
    );
    let mut alignments: Vec<Alignment> = cases
        .iter()
        .map(|case| pair.alignment(case, &runs, summary, config))
        .collect();
    alignments.extend(pair.uncovered_runs(&runs, &alignments, config));
    alignments.sort_by_key(|a| (a.derived.start, a.source.start));
    alignments
}

struct Pair<'a> {
    source: &'a Profile,
    derived: &'a Profile,
    src_vecs: &'a [Vector],
    der_vecs: &'a [Vector],
}

impl Pair<'_> {
    /// The filtered cases, and whether they are summaries.
    fn cases(&self, seeds: Vec<seeds::Seed>, config: &AlignConfig) -> (Vec<Case>, bool) {
        let params = ExtendParams {
            gap: config.max_gap,
            min_gap: config.min_gap,
            min_similarity: config.min_case_similarity,
        };
        let normal = self.filtered(
            extend::extend(seeds.clone(), self.src_vecs, self.der_vecs, params),
            config,
        );
        if config.summary_gap <= config.max_gap {
            return (normal, false);
        }
        let wide = ExtendParams {
            gap: config.summary_gap,
            ..params
        };
        let summary = self.filtered(
            extend::extend(seeds, self.src_vecs, self.der_vecs, wide),
            config,
        );
        let src_chars: usize = summary
            .iter()
            .map(|c| chars(&self.source.units, &c.source))
            .sum();
        let der_chars: usize = summary
            .iter()
            .map(|c| chars(&self.derived.units, &c.derived))
            .sum();
        if src_chars > 0 && src_chars as f64 >= config.summary_ratio * der_chars as f64 {
            (summary, true)
        } else {
            (normal, false)
        }
    }

    fn filtered(&self, cases: Vec<Case>, config: &AlignConfig) -> Vec<Case> {
        let cases = filter::resolve_overlaps(cases);
        filter::remove_short(
            cases,
            &self.source.units,
            &self.derived.units,
            config.min_passage_chars,
        )
    }

    /// The alignment of a case: boundaries snapped to exact runs where the
    /// case begins or ends in copied text, score and kind.
    fn alignment(
        &self,
        case: &Case,
        runs: &[Run],
        summary: bool,
        config: &AlignConfig,
    ) -> Alignment {
        let (su, du) = (&self.source.units, &self.derived.units);
        let src_tokens = tokens_of(su, &case.source);
        let der_tokens = tokens_of(du, &case.derived);
        let inside: Vec<&Run> = runs
            .iter()
            .filter(|r| overlaps(&r.derived, &der_tokens) && overlaps(&r.source, &src_tokens))
            .collect();
        let first_units = (
            &su[*case.source.start()].tokens,
            &du[*case.derived.start()].tokens,
        );
        let last_units = (
            &su[*case.source.end()].tokens,
            &du[*case.derived.end()].tokens,
        );
        let first = inside.iter().min_by_key(|r| r.derived.start);
        let last = inside.iter().max_by_key(|r| r.derived.end);
        let mut src_span = self.unit_span(su, &case.source, true);
        let mut der_span = self.unit_span(du, &case.derived, false);
        if let Some(r) = first
            .filter(|r| overlaps(&r.source, first_units.0) && overlaps(&r.derived, first_units.1))
        {
            src_span = self.snap_start(src_span, r.source.start, true);
            der_span = self.snap_start(der_span, r.derived.start, false);
        }
        if let Some(r) =
            last.filter(|r| overlaps(&r.source, last_units.0) && overlaps(&r.derived, last_units.1))
        {
            src_span = self.snap_end(src_span, r.source.end, true);
            der_span = self.snap_end(der_span, r.derived.end, false);
        }
        let edit = self.edit_similarity(case);
        let kind = if summary {
            Kind::Summary
        } else if edit >= config.verbatim_similarity {
            Kind::Verbatim
        } else if edit >= config.edited_similarity {
            Kind::Edited
        } else {
            Kind::Paraphrase
        };
        Alignment {
            source: src_span,
            derived: der_span,
            score: (case.similarity as f64).max(edit).clamp(0.0, 1.0),
            kind,
        }
    }

    /// Mean edit similarity of the derived units of a case with their best
    /// source unit, weighted by length; units without a seed count as 0.
    fn edit_similarity(&self, case: &Case) -> f64 {
        let (mut total, mut weight) = (0.0, 0.0);
        for d in case.derived.clone() {
            let best = case
                .seeds
                .iter()
                .filter(|s| s.derived == d)
                .max_by(|a, b| a.cosine.total_cmp(&b.cosine));
            let d_tokens = &self.derived.segmented.tokens[self.derived.units[d].tokens.clone()];
            let w = d_tokens.len() as f64;
            if let Some(s) = best {
                let s_tokens =
                    &self.source.segmented.tokens[self.source.units[s.source].tokens.clone()];
                total += w * kind::edit_similarity(s_tokens, d_tokens);
            }
            weight += w;
        }
        if weight == 0.0 { 0.0 } else { total / weight }
    }

    fn profile(&self, source_side: bool) -> &Profile {
        if source_side {
            self.source
        } else {
            self.derived
        }
    }

    fn unit_span(&self, units: &[Unit], range: &RangeInclusive<usize>, _source_side: bool) -> Span {
        units[*range.start()].span.union(&units[*range.end()].span)
    }

    fn snap_start(&self, span: Span, token: usize, source_side: bool) -> Span {
        let t = &self.profile(source_side).segmented.tokens[token].span;
        Span {
            start: t.start,
            byte_start: t.byte_start,
            ..span
        }
    }

    fn snap_end(&self, span: Span, token_end: usize, source_side: bool) -> Span {
        let t = &self.profile(source_side).segmented.tokens[token_end - 1].span;
        Span {
            end: t.end,
            byte_end: t.byte_end,
            ..span
        }
    }

    /// Chains of exact runs long enough to stand alone that no case covers.
    fn uncovered_runs(
        &self,
        runs: &[Run],
        existing: &[Alignment],
        config: &AlignConfig,
    ) -> Vec<Alignment> {
        let mut out: Vec<Alignment> = Vec::new();
        for run in runs {
            let src = self.token_span(run.source.clone(), true);
            let der = self.token_span(run.derived.clone(), false);
            if src.len() < config.min_passage_chars || der.len() < config.min_passage_chars {
                continue;
            }
            if existing
                .iter()
                .chain(out.iter())
                .any(|a| a.derived.overlap(&der) > 0)
            {
                continue;
            }
            let s_tokens = &self.source.segmented.tokens[run.source.clone()];
            let d_tokens = &self.derived.segmented.tokens[run.derived.clone()];
            let edit = kind::edit_similarity(s_tokens, d_tokens);
            out.push(Alignment {
                source: src,
                derived: der,
                score: edit,
                kind: if edit >= config.verbatim_similarity {
                    Kind::Verbatim
                } else {
                    Kind::Edited
                },
            });
        }
        out
    }

    fn token_span(&self, tokens: Range<usize>, source_side: bool) -> Span {
        let toks = &self.profile(source_side).segmented.tokens;
        toks[tokens.start].span.union(&toks[tokens.end - 1].span)
    }
}

fn tokens_of(units: &[Unit], range: &RangeInclusive<usize>) -> Range<usize> {
    units[*range.start()].tokens.start..units[*range.end()].tokens.end
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn chars(units: &[Unit], range: &RangeInclusive<usize>) -> usize {
    units[*range.end()].span.end - units[*range.start()].span.start
}
