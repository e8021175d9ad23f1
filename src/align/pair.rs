//! A document pair under alignment: how its cases are found, anchored,
//! split, filtered (by their support as well) and checked for copied text.

use std::ops::{Range, RangeInclusive};

use super::config::AlignConfig;
use super::extend::{self, Case, ExtendParams};
use super::filter;
use super::seeds::{self, Run};
use super::side::Side;
use super::vectors::Vector;
use crate::profile::Profile;
use crate::terms::Unit;

/// The two documents of a pair and their unit vectors.
pub(super) struct Pair<'a> {
    pub(super) source: &'a Profile,
    pub(super) derived: &'a Profile,
    pub(super) src_vecs: &'a [Vector],
    pub(super) der_vecs: &'a [Vector],
}

impl Pair<'_> {
    /// Once a document pair has confident rewritten passages (several
    /// sentences, similar as wholes, not copied), a derived sentence that is another sentence's best match
    /// and sits in the same order relative to every confident passage is
    /// likely reused too: the seeds plus such candidates, or `None` when
    /// there is no confident passage or no such candidate.
    pub(super) fn anchored(
        &self,
        cases: &[Case],
        seeds: &[seeds::Seed],
        candidates: &[seeds::Seed],
        runs: &[Run],
        config: &AlignConfig,
    ) -> Option<Vec<seeds::Seed>> {
        let order = &config.order;
        if order.anchored_cosine <= 0.0 {
            return None;
        }
        let confident: Vec<&Case> = cases
            .iter()
            .filter(|c| {
                let units: std::collections::HashSet<usize> =
                    c.seeds.iter().map(|s| s.derived).collect();
                let chains = self.case_chains(c, runs, config.copies.exact_max_gap, config);
                // A rewrite, not a copy: copies are found exactly anyway.
                let rewritten = !self.mostly_copied(c, &chains, config);
                units.len() >= 2 && c.similarity >= order.anchor_similarity && rewritten
            })
            .collect();
        if confident.is_empty() {
            return None;
        }
        let in_order = |s: &seeds::Seed| {
            confident.iter().all(|c| {
                let before = s.source < *c.source.start() && s.derived < *c.derived.start();
                let after = s.source > *c.source.end() && s.derived > *c.derived.end();
                let inside = c.source.contains(&s.source) && c.derived.contains(&s.derived);
                before || after || inside
            })
        };
        let supported = |s: &seeds::Seed| s.cosine >= order.anchored_cosine && in_order(s);
        let seeded: std::collections::HashSet<(usize, usize)> =
            seeds.iter().map(|t| (t.source, t.derived)).collect();
        let known = |s: &seeds::Seed| seeded.contains(&(s.source, s.derived));
        let extra: Vec<seeds::Seed> = candidates
            .iter()
            .filter(|s| supported(s) && !known(s))
            .copied()
            .collect();
        let upgraded = seeds.iter().filter(|s| !s.chained && supported(s)).count();
        if extra.is_empty() && upgraded == 0 {
            return None;
        }
        // Order support counts like chain support (see `remove_lone_weak`).
        Some(
            seeds
                .iter()
                .chain(&extra)
                .map(|s| seeds::Seed {
                    chained: s.chained || supported(s),
                    ..*s
                })
                .collect(),
        )
    }

    /// Passage cases found with `gap`, overlaps resolved and short ones
    /// dropped.
    pub(super) fn passage_cases(
        &self,
        seeds: Vec<seeds::Seed>,
        gap: usize,
        config: &AlignConfig,
    ) -> Vec<Case> {
        let params = ExtendParams::passages(&config.extension, gap);
        self.cases(seeds, params, Side::Source, config)
    }

    /// Cases found with `params`, split at seedless paragraphs of the
    /// derived side and, when `split` is [`Side::Source`], of the source
    /// side too; overlaps resolved and short ones dropped.
    fn cases(
        &self,
        seeds: Vec<seeds::Seed>,
        params: ExtendParams,
        split: Side,
        config: &AlignConfig,
    ) -> Vec<Case> {
        let ext = &config.extension;
        let src_par: Vec<usize> = self.source.units.iter().map(|u| u.paragraph).collect();
        let der_par: Vec<usize> = self.derived.units.iter().map(|u| u.paragraph).collect();
        let claimed: std::collections::HashSet<usize> =
            seeds.iter().map(|s| src_par[s.source]).collect();
        let paragraphs = extend::Paragraphs {
            source: (split == Side::Source).then_some(&src_par[..]),
            derived: ext.split_derived.then_some(&der_par[..]),
            claimed_source: (!ext.split_source).then_some(&claimed),
        };
        self.filtered(
            extend::extend(seeds, self.src_vecs, self.der_vecs, &paragraphs, params),
            config,
        )
    }

    /// The cases found with the wide summary gap whose source passages are
    /// much longer than their derived ones (after Sanchez-Perez et al.'s
    /// summary heuristic, applied per case rather than per document pair).
    pub(super) fn summaries(&self, seeds: Vec<seeds::Seed>, config: &AlignConfig) -> Vec<Case> {
        let sc = &config.summaries;
        if sc.gap <= config.extension.max_gap {
            return Vec::new();
        }
        let params = ExtendParams::summaries(&config.extension, sc);
        // A summary skips source paragraphs by nature: split only the derived side.
        self.cases(seeds, params, Side::Derived, config)
            .into_iter()
            .filter(|c| {
                let sources: std::collections::HashSet<usize> =
                    c.seeds.iter().map(|s| s.source).collect();
                let (src, der) = (
                    chars(&self.source.units, &c.source),
                    chars(&self.derived.units, &c.derived),
                );
                let strong = c.seeds.iter().filter(|s| !s.chained).count();
                sources.len() >= sc.min_sources
                    && strong >= sc.min_strong
                    && src as f64 >= sc.ratio * der as f64
            })
            .collect()
    }

    /// Whether a case rests on more than a few similar sentences: a seed on
    /// an ordered chain (or admitted for one), one sentence pair similar
    /// enough to stand alone (`lone_min_cosine`), or exact runs inside it.
    pub(super) fn is_supported(
        &self,
        case: &Case,
        on_chain: &std::collections::HashSet<(usize, usize)>,
        runs: &[Run],
        config: &AlignConfig,
    ) -> bool {
        case.seeds
            .iter()
            .any(|s| s.chained || on_chain.contains(&(s.source, s.derived)))
            || case
                .seeds
                .iter()
                .any(|s| s.cosine >= config.filters.lone_min_cosine)
            || !self.runs_inside(case, runs).is_empty()
    }

    /// Exact chains overlapping the case on both sides.
    pub(super) fn runs_inside<'r>(&self, case: &Case, runs: &'r [Run]) -> Vec<&'r Run> {
        let src_tokens = tokens_of(&self.source.units, &case.source);
        let der_tokens = tokens_of(&self.derived.units, &case.derived);
        runs.iter()
            .filter(|r| overlaps(&r.derived, &der_tokens) && overlaps(&r.source, &src_tokens))
            .collect()
    }

    /// The exact passages inside a case long enough to stand alone: runs, at most one per stretch of the derived
    /// text (the longest wins, so repeated source text does not multiply a
    /// passage), chained when in order on both sides with at most `max_gap`
    /// tokens between them.
    pub(super) fn case_chains(
        &self,
        case: &Case,
        runs: &[Run],
        max_gap: usize,
        config: &AlignConfig,
    ) -> Vec<Run> {
        let mut inside: Vec<&Run> = self.runs_inside(case, runs);
        inside.sort_by_key(|r| std::cmp::Reverse(r.derived.len()));
        let mut kept: Vec<Run> = Vec::new();
        for r in inside {
            if !kept.iter().any(|k| overlaps(&k.derived, &r.derived)) {
                kept.push(r.clone());
            }
        }
        // Across a paragraph break, both sides must move on by as many
        // paragraphs: derived paragraphs taken from scattered source
        // paragraphs are separate passages.
        let joinable = |c: &Run, r: &Run| {
            let der = self.paragraph_of_token(Side::Derived, r.derived.start)
                - self.paragraph_of_token(Side::Derived, c.derived.end - 1);
            let src = self.paragraph_of_token(Side::Source, r.source.start) as isize
                - self.paragraph_of_token(Side::Source, c.source.end - 1) as isize;
            der as isize == src
        };
        seeds::chain_runs_where(kept, max_gap, joinable)
            .into_iter()
            .filter(|r| self.long_enough(r, config))
            .collect()
    }

    /// The paragraph of a token.
    pub(super) fn paragraph_of_token(&self, side: Side, token: usize) -> usize {
        let profile = self.profile(side);
        let at = profile.segmented.tokens[token].span.byte_start();
        profile
            .segmented
            .paragraphs
            .partition_point(|p| p.span.byte_end() <= at)
    }

    /// Whether at least `exact_share` of the tokens of derived unit `u` lie
    /// in `chains`.
    pub(super) fn unit_is_copied(&self, u: usize, chains: &[Run], config: &AlignConfig) -> bool {
        let tokens = &self.derived.units[u].tokens;
        let inside: usize = chains
            .iter()
            .map(|r| {
                r.derived
                    .end
                    .min(tokens.end)
                    .saturating_sub(r.derived.start.max(tokens.start))
            })
            .sum();
        inside as f64 >= config.copies.exact_share * tokens.len() as f64
    }

    /// (derived tokens of the case inside exact chains, derived tokens of the case).
    pub(super) fn exact_coverage(&self, case: &Case, inside: &[Run]) -> (usize, usize) {
        let der_tokens = tokens_of(&self.derived.units, &case.derived);
        let mut covered: Vec<Range<usize>> = inside
            .iter()
            .map(|r| r.derived.start.max(der_tokens.start)..r.derived.end.min(der_tokens.end))
            .filter(|r| r.start < r.end)
            .collect();
        covered.sort_by_key(|r| r.start);
        let (mut count, mut reach) = (0, der_tokens.start);
        for r in covered {
            let start = r.start.max(reach);
            if r.end > start {
                count += r.end - start;
                reach = r.end;
            }
        }
        (count, der_tokens.len())
    }

    /// Whether exact chains cover at least `exact_share` of the case.
    pub(super) fn mostly_copied(&self, case: &Case, chains: &[Run], config: &AlignConfig) -> bool {
        let (copied, total) = self.exact_coverage(case, chains);
        copied as f64 >= config.copies.exact_share * total as f64
    }

    pub(super) fn filtered(&self, cases: Vec<Case>, config: &AlignConfig) -> Vec<Case> {
        let filters = &config.filters;
        let cases =
            filter::remove_lone_weak(filter::resolve_overlaps(cases), filters.lone_min_cosine);
        filter::remove_short(
            cases,
            &self.source.units,
            &self.derived.units,
            filters.min_passage_chars,
        )
    }
}

pub(super) fn tokens_of(units: &[Unit], range: &RangeInclusive<usize>) -> Range<usize> {
    units[*range.start()].tokens.start..units[*range.end()].tokens.end
}

pub(super) fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

pub(super) fn chars(units: &[Unit], range: &RangeInclusive<usize>) -> usize {
    units[*range.end()].span.end() - units[*range.start()].span.start()
}
