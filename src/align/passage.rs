//! Passages: a case or an exact chain turned into an [`Alignment`]: its
//! boundaries (snapped to copied text, widened over punctuation), score and
//! kind.

use std::ops::Range;

use super::config::AlignConfig;
use super::extend::Case;
use super::kind;
use super::pair::{Pair, overlaps};
use super::seeds::{Run, Seed};
use super::side::Side;
use crate::comparison::{Alignment, Kind};
use crate::profile::Profile;
use crate::terms::Unit;
use crate::text::Span;

/// Where some passages lie: from the first to the last on each side, and
/// how many derived characters they cover (passages never overlap on the
/// derived side).
struct Footprint {
    source: Span,
    derived: Span,
    covered: usize,
}

/// The [`Footprint`] of `passages` (`None` without passages).
fn footprint<'a>(mut passages: impl Iterator<Item = &'a Alignment>) -> Option<Footprint> {
    let first = passages.next()?;
    let start = Footprint {
        source: first.source,
        derived: first.derived,
        covered: first.derived.len(),
    };
    Some(passages.fold(start, |f, a| Footprint {
        source: f.source.union(&a.source),
        derived: f.derived.union(&a.derived),
        covered: f.covered + a.derived.len(),
    }))
}

impl Pair<'_> {
    /// The passages of a case. A case mostly made of copied text, or holding
    /// a long copied run, is reported as its exact chains (light edits
    /// included), and what remains of it must stand as a case of its own;
    /// otherwise it is one passage with sentence boundaries, snapped to
    /// copied text at its edges.
    pub(super) fn passages(
        &self,
        case: &Case,
        runs: &[Run],
        config: &AlignConfig,
    ) -> Vec<Alignment> {
        let strict = self.case_chains(case, runs, config.copies.exact_max_gap, config);
        let longest = strict.iter().map(|r| r.derived.len()).max().unwrap_or(0);
        if strict.is_empty()
            || !(self.mostly_copied(case, &strict, config)
                || longest >= config.copies.copy_min_tokens)
        {
            return vec![self.alignment(case, &self.runs_inside(case, runs), false, config)];
        }
        let chains: Vec<Run> = self
            .case_chains(case, runs, config.copies.edited_max_gap, config)
            .into_iter()
            .map(|r| self.widen_to_sentences(r, config))
            .collect();
        let mut out: Vec<Alignment> = chains
            .iter()
            .filter_map(|r| self.run_alignment(r, config))
            .collect();
        let residual: Vec<Seed> = case
            .seeds
            .iter()
            .filter(|s| !self.unit_is_copied(s.derived, &chains, config))
            .copied()
            .collect();
        for rest in self.passage_cases(residual, config.extension.max_gap, config) {
            out.push(self.alignment(&rest, &self.runs_inside(&rest, runs), false, config));
        }
        out
    }

    /// Adds the summaries: a summary condenses (its source is much longer
    /// than it), draws on several source sentences and is not mostly copied
    /// word for word; it takes the place of the passages it contains.
    pub(super) fn add_summaries(
        &self,
        alignments: &mut Vec<Alignment>,
        seeds: Vec<Seed>,
        runs: &[Run],
        config: &AlignConfig,
    ) {
        let whole = self.whole_source().map_or(0, |w| w.len());
        for case in self.summaries(seeds, config) {
            let chains = self.case_chains(&case, runs, config.copies.exact_max_gap, config);
            if self.mostly_copied(&case, &chains, config) {
                continue;
            }
            let summary = self.alignment(&case, &self.runs_inside(&case, runs), true, config);
            // A summary condenses a document, not a few of its paragraphs:
            // a case that draws on a small part of a long source is a
            // rewrite of that part (or chance), not a summary.
            if (summary.source.len() as f64) < config.summaries.min_source_share * whole as f64 {
                continue;
            }
            if self.explained_without_condensing(alignments, &summary, config) {
                continue;
            }
            let inside = |a: &Alignment| a.derived.overlap(&summary.derived) == a.derived.len();
            let conflicting = alignments
                .iter()
                .any(|a| a.derived.overlap(&summary.derived) > 0 && !inside(a));
            if !conflicting {
                alignments.retain(|a| !inside(a));
                alignments.push(summary);
            }
        }
    }

    /// A pair whose passages sit close together in the derived text but
    /// are drawn from across a source stretch `ratio` times longer (and at
    /// least `min_source_share` of the source document) condenses that
    /// stretch, even when no case of it was found with the summary gap: its
    /// passages become one summary, which [`Self::summarise_pair`] widens
    /// to the whole source. Copied passages count too: an extractive
    /// summary is made of sentences taken whole.
    pub(super) fn summary_by_spread(&self, alignments: &mut Vec<Alignment>, config: &AlignConfig) {
        let sc = &config.summaries;
        if !sc.spread || alignments.len() < 2 {
            return;
        }
        let Footprint {
            source,
            derived,
            covered,
        } = footprint(alignments.iter()).expect("two passages");
        let whole = self.whole_source().map_or(0, |w| w.len());
        // Passages scattered over the derived text are separate reuse.
        let compact = 2 * covered >= derived.len();
        let spread = source.len() as f64 >= sc.ratio * derived.len() as f64
            && source.len() as f64 >= sc.min_source_share * whole as f64;
        if compact && spread {
            let score = alignments.iter().map(|a| a.score).fold(0.0, f64::max);
            *alignments = vec![Alignment {
                source,
                derived,
                score,
                kind: Kind::Summary,
            }];
        }
    }

    /// Whether the passages inside a summary candidate already account for
    /// nearly all its derived text from a source stretch about as long, as
    /// a rewrite's is: then the candidate's far-flung seeds are chance, not
    /// condensing (a rewritten passage with one stray match far away in
    /// the source is not a summary of the whole source).
    pub(super) fn explained_without_condensing(
        &self,
        alignments: &[Alignment],
        summary: &Alignment,
        config: &AlignConfig,
    ) -> bool {
        let sc = &config.summaries;
        let inside = alignments
            .iter()
            .filter(|a| a.derived.overlap(&summary.derived) == a.derived.len());
        let Some(Footprint {
            source,
            derived,
            covered,
        }) = footprint(inside)
        else {
            return false;
        };
        (covered as f64) >= sc.explained_share * summary.derived.len() as f64
            && (source.len() as f64) < sc.rewrite_ratio * derived.len() as f64
    }

    /// The source text from its first word to its last (`None` without
    /// words).
    fn whole_source(&self) -> Option<Span> {
        let tokens = self.source.segmented.tokens.len();
        (tokens > 0).then(|| self.token_span(0..tokens, Side::Source))
    }

    /// Once a pair holds a summary it is decided as a whole (after
    /// Sanchez-Perez et al. 2015, who recognise the obfuscation per pair):
    /// the summary's source is the whole source document, which a summary
    /// condenses, and the pair's passages merge into one.
    pub(super) fn summarise_pair(&self, alignments: &mut Vec<Alignment>, config: &AlignConfig) {
        if !config.summaries.whole_source {
            return;
        }
        let Some(whole) = self.whole_source() else {
            return;
        };
        let Some(score) = alignments
            .iter()
            .filter(|a| a.kind == Kind::Summary)
            .map(|a| a.score)
            .reduce(f64::max)
        else {
            return;
        };
        let derived = footprint(alignments.iter()).expect("a summary").derived;
        *alignments = vec![Alignment {
            source: whole,
            derived,
            score,
            kind: Kind::Summary,
        }];
    }

    /// Extends a chain that starts (ends) inside a sentence on both sides to
    /// the sentence start (end) when the words it leaves out resemble each
    /// other: an edit at the start of a sentence ("almost" for "nearly") must
    /// not cut the sentence in two.
    pub(super) fn widen_to_sentences(&self, mut run: Run, config: &AlignConfig) -> Run {
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
            && self.similar_words(&sp, &dp) >= config.kinds.edited_similarity
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
            && self.similar_words(&ss, &ds) >= config.kinds.edited_similarity
        {
            run.source.end = ss.end;
            run.derived.end = ds.end;
        }
        run
    }

    /// Word edit similarity of two token ranges.
    pub(super) fn similar_words(&self, source: &Range<usize>, derived: &Range<usize>) -> f64 {
        kind::edit_similarity(
            &self.source.segmented.tokens[source.clone()],
            &self.derived.segmented.tokens[derived.clone()],
        )
    }

    /// The alignment of a case: boundaries snapped to exact runs where the
    /// case begins or ends in copied text, score and kind.
    pub(super) fn alignment(
        &self,
        case: &Case,
        inside: &[&Run],
        summary: bool,
        config: &AlignConfig,
    ) -> Alignment {
        let trimmed;
        let case = if summary || !config.filters.best_match_source {
            case
        } else {
            trimmed = self.source_of_best_matches(case, config.filters.best_match_slack);
            &trimmed
        };
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
        // Where the case starts (ends) in copied text, its boundary is the
        // copied run's first (last) token rather than the sentence's.
        let (mut starts, mut ends) = (unit_spans, unit_spans);
        if let Some(r) = first
            .filter(|r| overlaps(&r.source, first_units.0) && overlaps(&r.derived, first_units.1))
        {
            let r = self.widen_to_sentences((*r).clone(), config);
            starts = (
                self.token_span(r.source.start..r.source.start + 1, Side::Source),
                self.token_span(r.derived.start..r.derived.start + 1, Side::Derived),
            );
        }
        if let Some(r) =
            last.filter(|r| overlaps(&r.source, last_units.0) && overlaps(&r.derived, last_units.1))
        {
            let r = self.widen_to_sentences((*r).clone(), config);
            ends = (
                self.token_span(r.source.end - 1..r.source.end, Side::Source),
                self.token_span(r.derived.end - 1..r.derived.end, Side::Derived),
            );
        }
        let snapped = |start: &Span, end: &Span| Span::join(start, end).filter(|s| !s.is_empty());
        // Runs out of order on one side would invert a span: then the
        // sentence boundaries stand.
        let (src_span, der_span) = match (snapped(&starts.0, &ends.0), snapped(&starts.1, &ends.1))
        {
            (Some(s), Some(d)) => (s, d),
            _ => unit_spans,
        };
        let (src_span, der_span) = if summary || config.filters.edge_line_words == 0 {
            (src_span, der_span)
        } else {
            let (src_words, der_words) = (
                self.words_in(src_span, Side::Source),
                self.words_in(der_span, Side::Derived),
            );
            (
                self.without_edge_lines(src_span, Side::Source, &der_words, config),
                if config.filters.edge_lines_derived {
                    self.without_edge_lines(der_span, Side::Derived, &src_words, config)
                } else {
                    der_span
                },
            )
        };
        let edit = self.edit_similarity(case);
        let kind = if summary {
            Kind::Summary
        } else if edit >= config.kinds.verbatim_similarity {
            Kind::Verbatim
        } else if edit >= config.kinds.edited_similarity {
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

    /// `span` without the short unpunctuated lines at its edges: a heading,
    /// menu entry or caption that a sentence absorbed (a sentence of few
    /// words joins the next), which the passage's seeds did not match as
    /// text. A first line goes when the next line starts a sentence (a
    /// capital or a digit: not a sentence wrapped across lines); a last
    /// line goes when the line before it ends a sentence.
    pub(super) fn without_edge_lines(
        &self,
        span: Span,
        side: Side,
        other: &std::collections::HashSet<&str>,
        config: &AlignConfig,
    ) -> Span {
        let max_words = config.filters.edge_line_words;
        if max_words == 0 {
            return span;
        }
        let profile = self.profile(side);
        let (text, toks) = (profile.text(), &profile.segmented.tokens);
        let mut lo = toks.partition_point(|t| t.span.byte_start() < span.byte_start());
        let mut hi = toks.partition_point(|t| t.span.byte_end() <= span.byte_end());
        // Whether a line break lies between tokens `a` and `b`.
        let line_break_after = |a: usize, b: usize| {
            text[toks[a].span.byte_end()..toks[b].span.byte_start()].contains('\n')
        };
        let ends_sentence = |t: usize| {
            let after = &text[toks[t].span.byte_end()..];
            let tail: String = after
                .chars()
                .take_while(|c| !c.is_alphanumeric() && *c != '\n')
                .collect();
            tail.contains(['.', '!', '?', ':', ';'])
        };
        let starts_sentence = |t: usize| {
            toks[t]
                .span
                .slice(text)
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        };
        // A line whose words the other passage shares is part of the reuse.
        let matched = |line: std::ops::Range<usize>| {
            let shared = line
                .clone()
                .filter(|&t| other.contains(toks[t].norm.as_str()));
            2 * shared.count() >= line.len()
        };
        while lo < hi {
            let Some(next) = (lo + 1..hi).find(|&k| line_break_after(k - 1, k)) else {
                break;
            };
            if next - lo > max_words
                || ends_sentence(next - 1)
                || !starts_sentence(next)
                || matched(lo..next)
            {
                break;
            }
            lo = next;
        }
        while lo < hi {
            let Some(last) = (lo + 1..hi).rev().find(|&k| line_break_after(k - 1, k)) else {
                break;
            };
            if hi - last > max_words
                || ends_sentence(hi - 1)
                || !ends_sentence(last - 1)
                || matched(last..hi)
            {
                break;
            }
            hi = last;
        }
        let start = toks.partition_point(|t| t.span.byte_start() < span.byte_start());
        let end = toks.partition_point(|t| t.span.byte_end() <= span.byte_end());
        if (lo, hi) == (start, end) || lo >= hi {
            return span;
        }
        let trimmed = self.token_span(lo..hi, side);
        let from = if lo == start { span } else { trimmed };
        let to = if hi == end { span } else { trimmed };
        Span::join(&from, &to).unwrap_or(span)
    }

    /// The case with its source passage narrowed to the source units that
    /// are the best match of one of its derived units: a seed that is not
    /// the best match of its derived unit (a similar sentence further on)
    /// does not stretch the source passage.
    pub(super) fn source_of_best_matches(&self, case: &Case, slack: usize) -> Case {
        let mut best: std::collections::BTreeMap<usize, &Seed> = std::collections::BTreeMap::new();
        for s in &case.seeds {
            let slot = best.entry(s.derived).or_insert(s);
            if s.cosine > slot.cosine {
                *slot = s;
            }
        }
        let lo = best.values().map(|s| s.source).min();
        let hi = best.values().map(|s| s.source).max();
        let seeded = |u: usize| case.seeds.iter().any(|s| s.source == u);
        match (lo, hi) {
            (Some(mut lo), Some(mut hi)) => {
                for _ in 0..slack {
                    if lo > *case.source.start() && seeded(lo - 1) {
                        lo -= 1;
                    }
                    if hi < *case.source.end() && seeded(hi + 1) {
                        hi += 1;
                    }
                }
                Case {
                    source: lo..=hi,
                    ..case.clone()
                }
            }
            _ => case.clone(),
        }
    }

    /// The normalised words of `span`.
    fn words_in(&self, span: Span, side: Side) -> std::collections::HashSet<&str> {
        let toks = &self.profile(side).segmented.tokens;
        let lo = toks.partition_point(|t| t.span.byte_start() < span.byte_start());
        let hi = toks.partition_point(|t| t.span.byte_end() <= span.byte_end());
        toks[lo..hi.max(lo)]
            .iter()
            .map(|t| t.norm.as_str())
            .collect()
    }

    /// Mean edit similarity of the derived units of a case with their best
    /// source unit, weighted by length; units without a seed count as 0.
    pub(super) fn edit_similarity(&self, case: &Case) -> f64 {
        // The best seed of each derived unit (the last of equals, as
        // `Iterator::max_by`), in one pass over the seeds.
        let first = *case.derived.start();
        let mut best_of: Vec<Option<&Seed>> = vec![None; case.derived.clone().count()];
        for s in &case.seeds {
            let slot = &mut best_of[s.derived - first];
            if slot.is_none_or(|b| s.cosine.total_cmp(&b.cosine).is_ge()) {
                *slot = Some(s);
            }
        }
        let (mut total, mut weight) = (0.0, 0.0);
        for d in case.derived.clone() {
            let best = best_of[d - first];
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

    pub(super) fn profile(&self, side: Side) -> &Profile {
        match side {
            Side::Source => self.source,
            Side::Derived => self.derived,
        }
    }

    /// The alignment of an exact chain, if both its passages are long enough.
    pub(super) fn run_alignment(&self, run: &Run, config: &AlignConfig) -> Option<Alignment> {
        if !self.long_enough(run, config) {
            return None;
        }
        let similarity = run.similarity();
        Some(Alignment {
            source: self.token_span(run.source.clone(), Side::Source),
            derived: self.token_span(run.derived.clone(), Side::Derived),
            score: similarity,
            kind: if similarity >= config.kinds.verbatim_similarity {
                Kind::Verbatim
            } else {
                Kind::Edited
            },
        })
    }

    /// Whether a chain is long enough to stand alone: both passages reach
    /// the minimum length, unless it is the whole derived text.
    pub(super) fn long_enough(&self, run: &Run, config: &AlignConfig) -> bool {
        let whole = run.derived.len() == self.derived.token_hashes.len();
        whole
            || (self.token_span(run.source.clone(), Side::Source).len()
                >= config.filters.min_passage_chars
                && self.token_span(run.derived.clone(), Side::Derived).len()
                    >= config.filters.min_passage_chars)
    }

    /// Exact chains long enough to stand alone that no alignment covers.
    pub(super) fn uncovered_runs(
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
    pub(super) fn token_span(&self, tokens: Range<usize>, side: Side) -> Span {
        let profile = self.profile(side);
        let toks = &profile.segmented.tokens;
        toks[tokens.start]
            .span
            .union(&toks[tokens.end - 1].span)
            .widen(profile.text(), |c| {
                !c.is_whitespace() && !c.is_alphanumeric()
            })
    }
}
