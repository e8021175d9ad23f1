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

pub mod chain;
pub mod extend;
pub mod filter;
pub mod kind;
pub mod numbers;
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
    /// How idf is computed.
    pub idf: vectors::Idf,
    /// Seed bar: tf-idf cosine of two units must exceed this.
    pub min_cosine: f32,
    /// Seed bar: Dice coefficient of two units' terms must exceed this.
    pub min_dice: f32,
    /// Case bar: cosine of the two passages as wholes must exceed this.
    pub min_case_similarity: f32,
    /// Chain candidates: unit pairs with a cosine above this…
    pub chain_cosine: f32,
    /// …and a Dice coefficient above this.
    pub chain_dice: f32,
    /// Candidates within this many units of a chain's pairs (on both sides)
    /// join the chain.
    pub chain_corridor: usize,
    /// Only candidates that are each other's best match are chained.
    pub chain_mutual: bool,
    /// How candidates are chained (`max_chains` 0 disables order evidence).
    pub chain: chain::ChainParams,
    /// Best-match candidates at least this similar join once a pair has
    /// confident passages and they keep the passages' order (0: off).
    pub anchored_cosine: f32,
    /// A confident passage: several derived sentences, passage cosine at
    /// least this.
    pub anchor_similarity: f32,
    /// Case bar for cases supported by a chain.
    pub min_chained_case_similarity: f32,
    /// Split cases at every source paragraph without a seed (otherwise only at
    /// those other seeds use).
    pub split_source: bool,
    /// Split cases at derived paragraphs without a seed.
    pub split_derived: bool,
    /// Largest gap, in units, between seeds of one case.
    pub max_gap: usize,
    /// Smallest gap validation may retry with.
    pub min_gap: usize,
    /// Gap used to look for summaries.
    pub summary_gap: usize,
    /// A summary rests on at least this many seeds that pass the bars on
    /// their own.
    pub summary_min_strong: usize,
    /// A summary draws on at least this many source units.
    pub summary_min_sources: usize,
    /// Summary cases: the source passage must account for at least this
    /// share of the derived passage's tf-idf weight.
    pub min_summary_coverage: f32,
    /// Summary cases are kept when their source passages are this many times
    /// longer than their derived passages in total.
    pub summary_ratio: f64,
    /// A case resting on a single derived unit needs a seed this similar.
    pub lone_min_cosine: f32,
    /// Both passages of a case must have at least this many code points.
    pub min_passage_chars: usize,
    /// Shortest exact run of tokens used to snap boundaries.
    pub exact_min_tokens: usize,
    /// Exact runs separated by at most this many tokens on both sides chain.
    pub exact_max_gap: usize,
    /// Inside a reused case, exact runs this close (in tokens, on both sides)
    /// form one edited passage.
    pub edited_max_gap: usize,
    /// A case whose derived tokens lie in exact chains at least this much is
    /// copied text, reported as its exact chains.
    pub exact_share: f64,
    /// Edit similarity at or above which a passage is verbatim.
    pub verbatim_similarity: f64,
    /// Edit similarity at or above which a passage is edited, not paraphrased.
    pub edited_similarity: f64,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            units: UnitConfig::default(),
            idf: vectors::Idf::Damped,
            min_cosine: 0.3,
            min_dice: 0.3,
            min_case_similarity: 0.34,
            chain_cosine: 0.15,
            chain_dice: 0.2,
            chain_mutual: true,
            chain_corridor: 0,
            chain: chain::ChainParams {
                bias: 0.15,
                cap: 0.35,
                gap_cost: 0.01,
                skew_cost: 0.01,
                max_gap: 12,
                min_score: 0.2,
                min_points: 4,
                min_density: 0.4,
                max_chains: 16,
            },
            anchored_cosine: 0.3,
            anchor_similarity: 0.4,
            min_chained_case_similarity: 0.3,
            split_source: false,
            split_derived: true,
            max_gap: 4,
            min_gap: 0,
            summary_gap: 24,
            summary_ratio: 3.0,
            min_summary_coverage: 0.5,
            summary_min_sources: 3,
            summary_min_strong: 1,
            lone_min_cosine: 0.45,
            min_passage_chars: 150,
            exact_min_tokens: 8,
            exact_max_gap: 3,
            exact_share: 0.5,
            edited_max_gap: 25,
            verbatim_similarity: 0.95,
            edited_similarity: 0.5,
        }
    }
}

/// Aligns the passages of `derived` that come from `source`.
pub fn align(source: &Profile, derived: &Profile, config: &AlignConfig) -> Vec<Alignment> {
    let (src_vecs, der_vecs) = vectors::pair_vectors(&source.units, &derived.units, config.idf);
    // Two headlines on one event look alike whether or not one article
    // derives from the other: titles seed nothing (copied ones are still
    // found as exact runs).
    let not_title =
        |s: &seeds::Seed| !source.units[s.source].title && !derived.units[s.derived].title;
    let sets = seeds_with_order_evidence(&src_vecs, &der_vecs, config);
    let seeds: Vec<seeds::Seed> = sets.seeds.into_iter().filter(not_title).collect();
    let summary_seeds: Vec<seeds::Seed> = sets.summary.into_iter().filter(not_title).collect();
    let pair = Pair {
        source,
        derived,
        src_vecs: &src_vecs,
        der_vecs: &der_vecs,
    };
    let runs = seeds::chain_runs(
        seeds::common_runs(
            &source.token_hashes,
            &derived.token_hashes,
            // A derived text shorter than a run can still be a copy as a whole.
            config.exact_min_tokens.min(derived.token_hashes.len()),
        ),
        config.exact_max_gap,
    );
    let mut normal = pair.extended(seeds.clone(), config.max_gap, false, config);
    if let Some(more) = pair.anchored(&normal, &seeds, &summary_seeds, &runs, config) {
        normal = pair.extended(more, config.max_gap, false, config);
    }
    let mut alignments = Vec::new();
    for case in &normal {
        let strict = pair.case_chains(case, &runs, config.exact_max_gap, config);
        let coverage = pair.exact_coverage(case, &strict.iter().collect::<Vec<_>>());
        if strict.is_empty() || (coverage.0 as f64) < config.exact_share * coverage.1 as f64 {
            let inside = pair.runs_inside(case, &runs);
            alignments.push(pair.alignment(case, &inside, false, config));
            continue;
        }
        // Copied text is reported exactly, as its chains (light edits
        // included); what remains of the case must stand as a case of its own.
        let chains: Vec<Run> = pair
            .case_chains(case, &runs, config.edited_max_gap, config)
            .into_iter()
            .map(|r| pair.widen_to_sentences(r, config))
            .collect();
        alignments.extend(chains.iter().filter_map(|r| pair.run_alignment(r, config)));
        let chains: Vec<&Run> = chains.iter().collect();
        let residual: Vec<seeds::Seed> = case
            .seeds
            .iter()
            .filter(|s| !pair.unit_is_copied(s.derived, &chains))
            .copied()
            .collect();
        for rest in pair.extended(residual, config.max_gap, false, config) {
            let inside = pair.runs_inside(&rest, &runs);
            alignments.push(pair.alignment(&rest, &inside, false, config));
        }
    }
    // A summary condenses: its source is much longer than it, it draws on
    // several source sentences, and it is not mostly copied word for word. It
    // takes the place of the passages it contains.
    for case in pair.summaries(summary_seeds, config) {
        let chains = pair.case_chains(&case, &runs, config.exact_max_gap, config);
        let (copied, total) = pair.exact_coverage(&case, &chains.iter().collect::<Vec<_>>());
        if copied as f64 >= config.exact_share * total as f64 {
            continue;
        }
        let summary = pair.alignment(&case, &pair.runs_inside(&case, &runs), true, config);
        let inside = |a: &Alignment| a.derived.overlap(&summary.derived) == a.derived.len();
        let conflicting = alignments
            .iter()
            .any(|a| a.derived.overlap(&summary.derived) > 0 && !inside(a));
        if !conflicting {
            alignments.retain(|a| !inside(a));
            alignments.push(summary);
        }
    }
    alignments.extend(pair.uncovered_runs(&runs, &alignments, config));
    alignments.sort_by_key(|a| (a.derived.start, a.source.start));
    alignments.dedup();
    alignments
}

/// Seeds that pass the bars on their own, plus weaker pairs that lie on an
/// ordered chain (see [`chain`]).
/// Seeds for passages, and the wider set a summary may draw on.
struct SeedSets {
    /// Pairs that pass the bars on their own, or lie on an ordered chain.
    seeds: Vec<seeds::Seed>,
    /// All candidates that are each other's best match: a summary condenses
    /// sentences from all over its source, which no chain follows.
    summary: Vec<seeds::Seed>,
}

fn seeds_with_order_evidence(src: &[Vector], der: &[Vector], config: &AlignConfig) -> SeedSets {
    let loose = seeds::unit_seeds(
        src,
        der,
        config.min_cosine.min(config.chain_cosine),
        config.min_dice.min(config.chain_dice),
    );
    let strong = |s: &seeds::Seed| s.cosine > config.min_cosine && s.dice > config.min_dice;
    let mut out: Vec<seeds::Seed> = loose.iter().filter(|s| strong(s)).copied().collect();
    if config.chain.max_chains == 0 {
        return SeedSets {
            summary: out.clone(),
            seeds: out,
        };
    }
    let candidates: Vec<&seeds::Seed> = loose
        .iter()
        .filter(|s| s.cosine > config.chain_cosine && s.dice > config.chain_dice)
        .collect();
    let best = mutual_best(&candidates, config.chain_mutual);
    let mut summary = out.clone();
    summary.extend(best.iter().filter(|s| !strong(s)).map(|s| seeds::Seed {
        chained: true,
        ..**s
    }));
    let points = best
        .into_iter()
        .map(|s| chain::Point {
            source: s.source,
            derived: s.derived,
            sim: s.cosine,
        })
        .collect();
    let chains = chain::chains(points, &config.chain);
    // Pairs close to a chain join it: rewrites reorder clauses and sentences
    // locally, which a strictly monotone chain cannot follow.
    let near_chain = |s: &seeds::Seed| {
        chains.iter().flatten().any(|p| {
            p.source.abs_diff(s.source) <= config.chain_corridor
                && p.derived.abs_diff(s.derived) <= config.chain_corridor
        })
    };
    for s in candidates {
        if !strong(s) && near_chain(s) {
            out.push(seeds::Seed {
                chained: true,
                ..*s
            });
        }
    }
    SeedSets {
        seeds: out,
        summary,
    }
}

/// The candidates that are the best match of their derived unit and of their
/// source unit (all of them when `required` is false): a sentence rewritten
/// from another is closer to it than to anything else.
fn mutual_best<'s>(candidates: &[&'s seeds::Seed], required: bool) -> Vec<&'s seeds::Seed> {
    if !required {
        return candidates.to_vec();
    }
    let mut best_src: std::collections::HashMap<usize, f32> = std::collections::HashMap::new();
    let mut best_der: std::collections::HashMap<usize, f32> = std::collections::HashMap::new();
    for s in candidates {
        let e = best_src.entry(s.source).or_insert(0.0);
        *e = e.max(s.cosine);
        let e = best_der.entry(s.derived).or_insert(0.0);
        *e = e.max(s.cosine);
    }
    candidates
        .iter()
        .filter(|s| s.cosine >= best_src[&s.source] && s.cosine >= best_der[&s.derived])
        .copied()
        .collect()
}

struct Pair<'a> {
    source: &'a Profile,
    derived: &'a Profile,
    src_vecs: &'a [Vector],
    der_vecs: &'a [Vector],
}

impl Pair<'_> {
    /// Once a document pair has confident rewritten passages (several
    /// sentences, similar as wholes, not copied), a derived sentence that is another sentence's best match
    /// and sits in the same order relative to every confident passage is
    /// likely reused too: the seeds plus such candidates, or `None` when
    /// there is no confident passage or no such candidate.
    fn anchored(
        &self,
        cases: &[Case],
        seeds: &[seeds::Seed],
        candidates: &[seeds::Seed],
        runs: &[Run],
        config: &AlignConfig,
    ) -> Option<Vec<seeds::Seed>> {
        if config.anchored_cosine <= 0.0 {
            return None;
        }
        let confident: Vec<&Case> = cases
            .iter()
            .filter(|c| {
                let units: std::collections::HashSet<usize> =
                    c.seeds.iter().map(|s| s.derived).collect();
                let chains = self.case_chains(c, runs, config.exact_max_gap, config);
                let (copied, total) = self.exact_coverage(c, &chains.iter().collect::<Vec<_>>());
                // A rewrite, not a copy: copies are found exactly anyway.
                let rewritten = (copied as f64) < config.exact_share * total as f64;
                units.len() >= 2 && c.similarity >= config.anchor_similarity && rewritten
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
        let supported = |s: &seeds::Seed| s.cosine >= config.anchored_cosine && in_order(s);
        let known = |s: &seeds::Seed| {
            seeds
                .iter()
                .any(|t| t.source == s.source && t.derived == s.derived)
        };
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

    /// Cases found with `gap`, overlaps resolved and short ones dropped.
    fn extended(
        &self,
        seeds: Vec<seeds::Seed>,
        gap: usize,
        summary: bool,
        config: &AlignConfig,
    ) -> Vec<Case> {
        let params = if summary {
            ExtendParams {
                gap,
                min_gap: config.min_gap,
                min_similarity: config.min_summary_coverage,
                min_chained_similarity: config.min_summary_coverage,
                coverage: true,
            }
        } else {
            ExtendParams {
                gap,
                min_gap: config.min_gap,
                min_similarity: config.min_case_similarity,
                min_chained_similarity: config.min_chained_case_similarity,
                coverage: false,
            }
        };
        let src_par: Vec<usize> = self.source.units.iter().map(|u| u.paragraph).collect();
        let der_par: Vec<usize> = self.derived.units.iter().map(|u| u.paragraph).collect();
        let claimed: std::collections::HashSet<usize> =
            seeds.iter().map(|s| src_par[s.source]).collect();
        // A summary skips source paragraphs by nature: split only the derived side.
        let paragraphs = extend::Paragraphs {
            source: (!summary).then_some(&src_par[..]),
            derived: config.split_derived.then_some(&der_par[..]),
            claimed_source: (!config.split_source).then_some(&claimed),
        };
        self.filtered(
            extend::extend(seeds, self.src_vecs, self.der_vecs, &paragraphs, params),
            config,
        )
    }

    /// The cases found with the wide summary gap whose source passages are
    /// much longer than their derived ones (after Sanchez-Perez et al.'s
    /// summary heuristic, applied per case rather than per document pair).
    fn summaries(&self, seeds: Vec<seeds::Seed>, config: &AlignConfig) -> Vec<Case> {
        if config.summary_gap <= config.max_gap {
            return Vec::new();
        }
        self.extended(seeds, config.summary_gap, true, config)
            .into_iter()
            .filter(|c| {
                let sources: std::collections::HashSet<usize> =
                    c.seeds.iter().map(|s| s.source).collect();
                let (src, der) = (
                    chars(&self.source.units, &c.source),
                    chars(&self.derived.units, &c.derived),
                );
                let strong = c.seeds.iter().filter(|s| !s.chained).count();
                sources.len() >= config.summary_min_sources
                    && strong >= config.summary_min_strong
                    && src as f64 >= config.summary_ratio * der as f64
            })
            .collect()
    }

    /// Exact chains overlapping the case on both sides.
    fn runs_inside<'r>(&self, case: &Case, runs: &'r [Run]) -> Vec<&'r Run> {
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
    fn case_chains(
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
            let der = self.paragraph_of_token(false, r.derived.start)
                - self.paragraph_of_token(false, c.derived.end - 1);
            let src = self.paragraph_of_token(true, r.source.start) as isize
                - self.paragraph_of_token(true, c.source.end - 1) as isize;
            der as isize == src
        };
        seeds::chain_runs_where(kept, max_gap, joinable)
            .into_iter()
            .filter(|r| self.run_alignment(r, config).is_some())
            .collect()
    }

    /// Extends a chain that starts (ends) inside a sentence on both sides to
    /// the sentence start (end) when the words it leaves out resemble each
    /// other: an edit at the start of a sentence ("almost" for "nearly") must
    /// not cut the sentence in two.
    fn widen_to_sentences(&self, mut run: Run, config: &AlignConfig) -> Run {
        let unit_of = |units: &[Unit], t: usize| {
            units
                .partition_point(|u| u.tokens.end <= t)
                .min(units.len() - 1)
        };
        let (su, du) = (&self.source.units, &self.derived.units);
        let (s, d) = (
            &su[unit_of(su, run.source.start)],
            &du[unit_of(du, run.derived.start)],
        );
        let (sp, dp) = (
            s.tokens.start..run.source.start,
            d.tokens.start..run.derived.start,
        );
        if !sp.is_empty()
            && !dp.is_empty()
            && self.similar_words(&sp, &dp) >= config.edited_similarity
        {
            run.source.start = sp.start;
            run.derived.start = dp.start;
        }
        let (s, d) = (
            &su[unit_of(su, run.source.end - 1)],
            &du[unit_of(du, run.derived.end - 1)],
        );
        let (ss, ds) = (run.source.end..s.tokens.end, run.derived.end..d.tokens.end);
        if !ss.is_empty()
            && !ds.is_empty()
            && self.similar_words(&ss, &ds) >= config.edited_similarity
        {
            run.source.end = ss.end;
            run.derived.end = ds.end;
        }
        run
    }

    /// Word edit similarity of two token ranges.
    fn similar_words(&self, source: &Range<usize>, derived: &Range<usize>) -> f64 {
        kind::edit_similarity(
            &self.source.segmented.tokens[source.clone()],
            &self.derived.segmented.tokens[derived.clone()],
        )
    }

    /// The paragraph of a token.
    fn paragraph_of_token(&self, source_side: bool, token: usize) -> usize {
        let profile = self.profile(source_side);
        let at = profile.segmented.tokens[token].span.byte_start;
        profile
            .segmented
            .paragraphs
            .partition_point(|p| p.span.byte_end <= at)
    }

    /// Whether most of the tokens of derived unit `u` lie in `chains`.
    fn unit_is_copied(&self, u: usize, chains: &[&Run]) -> bool {
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
        2 * inside >= tokens.len()
    }

    /// (derived tokens of the case inside exact chains, derived tokens of the case).
    fn exact_coverage(&self, case: &Case, inside: &[&Run]) -> (usize, usize) {
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

    fn filtered(&self, cases: Vec<Case>, config: &AlignConfig) -> Vec<Case> {
        let cases =
            filter::remove_lone_weak(filter::resolve_overlaps(cases), config.lone_min_cosine);
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
        inside: &[&Run],
        summary: bool,
        config: &AlignConfig,
    ) -> Alignment {
        let (su, du) = (&self.source.units, &self.derived.units);
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
        let unit_spans = (
            su[*case.source.start()]
                .span
                .union(&su[*case.source.end()].span),
            du[*case.derived.start()]
                .span
                .union(&du[*case.derived.end()].span),
        );
        let (mut src_span, mut der_span) = unit_spans;
        if let Some(r) = first
            .filter(|r| overlaps(&r.source, first_units.0) && overlaps(&r.derived, first_units.1))
        {
            let r = self.widen_to_sentences((*r).clone(), config);
            src_span = self.snap_start(src_span, r.source.start, true);
            der_span = self.snap_start(der_span, r.derived.start, false);
        }
        if let Some(r) =
            last.filter(|r| overlaps(&r.source, last_units.0) && overlaps(&r.derived, last_units.1))
        {
            let r = self.widen_to_sentences((*r).clone(), config);
            src_span = self.snap_end(src_span, r.source.end, true);
            der_span = self.snap_end(der_span, r.derived.end, false);
        }
        if src_span.is_empty()
            || der_span.is_empty()
            || src_span.start > src_span.end
            || der_span.start > der_span.end
        {
            // Runs out of order on one side: keep the sentence boundaries.
            (src_span, der_span) = unit_spans;
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

    fn snap_start(&self, span: Span, token: usize, source_side: bool) -> Span {
        let t = self.token_span(token..token + 1, source_side);
        Span {
            start: t.start,
            byte_start: t.byte_start,
            ..span
        }
    }

    fn snap_end(&self, span: Span, token_end: usize, source_side: bool) -> Span {
        let t = self.token_span(token_end - 1..token_end, source_side);
        Span {
            end: t.end,
            byte_end: t.byte_end,
            ..span
        }
    }

    /// The alignment of an exact chain, if both its passages are long enough.
    fn run_alignment(&self, run: &Run, config: &AlignConfig) -> Option<Alignment> {
        let src = self.token_span(run.source.clone(), true);
        let der = self.token_span(run.derived.clone(), false);
        // Short passages mean little, unless they are the whole derived text.
        let whole = run.derived.len() == self.derived.token_hashes.len();
        if !whole && (src.len() < config.min_passage_chars || der.len() < config.min_passage_chars)
        {
            return None;
        }
        let s_tokens = &self.source.segmented.tokens[run.source.clone()];
        let d_tokens = &self.derived.segmented.tokens[run.derived.clone()];
        let edit = kind::edit_similarity(s_tokens, d_tokens);
        Some(Alignment {
            source: src,
            derived: der,
            score: edit,
            kind: if edit >= config.verbatim_similarity {
                Kind::Verbatim
            } else {
                Kind::Edited
            },
        })
    }

    /// Exact chains long enough to stand alone that no alignment covers.
    fn uncovered_runs(
        &self,
        runs: &[Run],
        existing: &[Alignment],
        config: &AlignConfig,
    ) -> Vec<Alignment> {
        let mut out: Vec<Alignment> = Vec::new();
        let mut by_length: Vec<&Run> = runs.iter().collect();
        by_length.sort_by_key(|r| std::cmp::Reverse(r.derived.len()));
        for run in by_length {
            let Some(a) = self.run_alignment(run, config) else {
                continue;
            };
            if !existing
                .iter()
                .chain(out.iter())
                .any(|e| e.derived.overlap(&a.derived) > 0)
            {
                out.push(a);
            }
        }
        out
    }

    /// The span from the first to the last of `tokens`, widened over the
    /// punctuation attached to them (quotes, brackets, a final stop).
    fn token_span(&self, tokens: Range<usize>, source_side: bool) -> Span {
        let profile = self.profile(source_side);
        let toks = &profile.segmented.tokens;
        widen(
            profile.text(),
            toks[tokens.start].span.union(&toks[tokens.end - 1].span),
        )
    }
}

/// `span` extended over non-space, non-alphanumeric characters touching it
/// (attached punctuation), on both ends.
fn widen(text: &str, mut span: Span) -> Span {
    let attached = |c: char| !c.is_whitespace() && !c.is_alphanumeric();
    for c in text[..span.byte_start]
        .chars()
        .rev()
        .take_while(|&c| attached(c))
    {
        span.byte_start -= c.len_utf8();
        span.start -= 1;
    }
    for c in text[span.byte_end..].chars().take_while(|&c| attached(c)) {
        span.byte_end += c.len_utf8();
        span.end += 1;
    }
    span
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
