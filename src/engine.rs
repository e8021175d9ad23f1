//! The engine: one configuration, documents in, comparisons out.

use std::collections::{BinaryHeap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::align::{self, AlignConfig};
use crate::comparison::{Alignment, Comparison, Kind, Scores};
use crate::document::{Document, Warning};
use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::sketch::similarity::{containment, jaccard};
use crate::sketch::{SketchConfig, Sketcher};
use crate::text::Span;
use crate::text::read::ReadOptions;
use crate::verdict;
pub use crate::verdict::VerdictConfig;

/// Every parameter of comparison, with documented defaults.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Config {
    /// Fingerprint parameters.
    pub sketch: SketchConfig,
    /// Alignment parameters.
    pub align: AlignConfig,
    /// Verdict parameters.
    pub verdict: VerdictConfig,
}

impl Config {
    /// Sets one parameter by its path, e.g. `align.seeds.min_cosine` or
    /// `verdict.derived_share` (the fields of [`Config`], [`SketchConfig`],
    /// [`AlignConfig`] and its groups, and [`VerdictConfig`]), from its text:
    /// a number, `true`/`false`, `damped`/`plain` for `align.seeds.idf`,
    /// `english`/`none` for `align.units.stemming`. [`Engine::new`] checks
    /// the values.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        macro_rules! fields {
            ($($name:literal => $($field:ident).+),* $(,)?) => {
                match key {
                    $($name => self.$($field).+ = parse(key, value)?,)*
                    "align.seeds.idf" => {
                        self.align.seeds.idf = match value {
                            "damped" => crate::align::vectors::Idf::Damped,
                            "plain" => crate::align::vectors::Idf::Plain,
                            _ => return Err(bad_value(key, value)),
                        }
                    }
                    "align.units.stemming" => {
                        self.align.units.stemming = match value {
                            "english" => Some(rust_stemmers::Algorithm::English),
                            "none" => None,
                            _ => return Err(bad_value(key, value)),
                        }
                    }
                    _ => return Err(Error::Config(format!("unknown parameter {key:?}"))),
                }
            };
        }
        fields! {
            "sketch.shingle_size" => sketch.shingle_size,
            "sketch.num_perm" => sketch.num_perm,
            "sketch.seed" => sketch.seed,
            "verdict.derived_share" => verdict.derived_share,
            "verdict.derived_probability" => verdict.derived_probability,
            "verdict.overturn_probability" => verdict.overturn_probability,
            "verdict.overturn_rewrites_probability" => verdict.overturn_rewrites_probability,
            "align.units.min_word_chars" => align.units.min_word_chars,
            "align.units.min_unit_terms" => align.units.min_unit_terms,
            "align.seeds.min_cosine" => align.seeds.min_cosine,
            "align.seeds.min_dice" => align.seeds.min_dice,
            "align.order.candidate_cosine" => align.order.candidate_cosine,
            "align.order.candidate_dice" => align.order.candidate_dice,
            "align.order.mutual" => align.order.mutual,
            "align.order.corridor" => align.order.corridor,
            "align.order.chain.bias" => align.order.chain.bias,
            "align.order.chain.cap" => align.order.chain.cap,
            "align.order.chain.gap_cost" => align.order.chain.gap_cost,
            "align.order.chain.skew_cost" => align.order.chain.skew_cost,
            "align.order.chain.max_gap" => align.order.chain.max_gap,
            "align.order.chain.min_score" => align.order.chain.min_score,
            "align.order.chain.min_points" => align.order.chain.min_points,
            "align.order.chain.min_density" => align.order.chain.min_density,
            "align.order.chain.max_chains" => align.order.chain.max_chains,
            "align.order.min_share" => align.order.min_share,
            "align.order.anchored_cosine" => align.order.anchored_cosine,
            "align.order.anchor_similarity" => align.order.anchor_similarity,
            "align.extension.max_gap" => align.extension.max_gap,
            "align.extension.min_gap" => align.extension.min_gap,
            "align.extension.min_case_similarity" => align.extension.min_case_similarity,
            "align.extension.min_chained_case_similarity" => align.extension.min_chained_case_similarity,
            "align.extension.split_source" => align.extension.split_source,
            "align.extension.split_derived" => align.extension.split_derived,
            "align.extension.grow_min_cosine" => align.extension.grow_min_cosine,
            "align.filters.lone_min_cosine" => align.filters.lone_min_cosine,
            "align.filters.min_passage_chars" => align.filters.min_passage_chars,
            "align.filters.edge_line_words" => align.filters.edge_line_words,
            "align.filters.edge_lines_derived" => align.filters.edge_lines_derived,
            "align.filters.best_match_source" => align.filters.best_match_source,
            "align.filters.best_match_slack" => align.filters.best_match_slack,
            "align.filters.source_claim_share" => align.filters.source_claim_share,
            "align.copies.exact_min_tokens" => align.copies.exact_min_tokens,
            "align.copies.exact_max_gap" => align.copies.exact_max_gap,
            "align.copies.exact_share" => align.copies.exact_share,
            "align.copies.copy_min_tokens" => align.copies.copy_min_tokens,
            "align.copies.edited_max_gap" => align.copies.edited_max_gap,
            "align.summaries.gap" => align.summaries.gap,
            "align.summaries.min_strong" => align.summaries.min_strong,
            "align.summaries.min_sources" => align.summaries.min_sources,
            "align.summaries.min_coverage" => align.summaries.min_coverage,
            "align.summaries.ratio" => align.summaries.ratio,
            "align.summaries.min_source_share" => align.summaries.min_source_share,
            "align.summaries.whole_source" => align.summaries.whole_source,
            "align.summaries.spread" => align.summaries.spread,
            "align.summaries.explained_share" => align.summaries.explained_share,
            "align.summaries.rewrite_ratio" => align.summaries.rewrite_ratio,
            "align.kinds.verbatim_similarity" => align.kinds.verbatim_similarity,
            "align.kinds.edited_similarity" => align.kinds.edited_similarity,
            "align.limits.max_pairs" => align.limits.max_pairs,
            "align.limits.min_per_unit" => align.limits.min_per_unit,
            "align.limits.max_work" => align.limits.max_work,
        }
        Ok(())
    }
}

fn bad_value(key: &str, value: &str) -> Error {
    Error::Config(format!("{key}: invalid value {value:?}"))
}

fn parse<T: std::str::FromStr>(key: &str, value: &str) -> Result<T> {
    value.trim().parse().map_err(|_| bad_value(key, value))
}

/// Prepares documents and compares them.
#[derive(Clone, Debug)]
pub struct Engine {
    config: Config,
    sketcher: Sketcher,
}

impl Engine {
    /// An engine for `config`; fails if a parameter is out of range.
    pub fn new(config: Config) -> Result<Engine> {
        let v = &config.verdict;
        for (name, value) in [
            ("derived share", v.derived_share),
            ("derived probability", v.derived_probability),
            ("overturn probability", v.overturn_probability),
            (
                "overturn rewrites probability",
                v.overturn_rewrites_probability,
            ),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::Config(format!(
                    "{name} must be in [0, 1], not {value}"
                )));
            }
        }
        Ok(Engine {
            sketcher: Sketcher::new(config.sketch)?,
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The sketcher.
    pub fn sketcher(&self) -> &Sketcher {
        &self.sketcher
    }

    /// Prepares a document for comparison.
    pub fn profile(&self, document: Document) -> Profile {
        Profile::new(document, &self.sketcher, &self.config.align.units)
    }

    /// Compares `derived` with `source`.
    pub fn compare(&self, source: &Profile, derived: &Profile) -> Comparison {
        let align::Aligned {
            mut alignments,
            capped,
        } = align::Aligned::new(source, derived, &self.config.align);
        let mut scores = self.scores(source, derived, &alignments);
        verdict::document_figures(source, derived, &mut scores);
        scores.derivation = verdict::MODEL.probability(&verdict::features(&scores, &alignments));
        let v = &self.config.verdict;
        let rewritten_only = alignments
            .iter()
            .all(|a| matches!(a.kind, Kind::Paraphrase | Kind::Summary));
        let bar = if rewritten_only {
            v.overturn_probability.max(v.overturn_rewrites_probability)
        } else {
            v.overturn_probability
        };
        if !alignments.is_empty() && scores.derivation < bar {
            // The passages are chance resemblance by the document's
            // evidence: reporting them would contradict the verdict.
            alignments.clear();
            (scores.reused, scores.score) = (0.0, 0.0);
        }
        let verdict = verdict::verdict(&scores, !alignments.is_empty(), v);
        Comparison {
            source_id: source.document.id.clone(),
            derived_id: derived.document.id.clone(),
            scores,
            verdict,
            alignments,
            capped,
        }
    }

    /// Convenience: prepares both documents and compares them.
    pub fn compare_documents(&self, source: Document, derived: Document) -> Comparison {
        self.compare(&self.profile(source), &self.profile(derived))
    }

    /// Compares many pairs `(source, derived)` in parallel; results in the
    /// order given.
    pub fn compare_many(&self, pairs: &[(&Profile, &Profile)]) -> Vec<Comparison> {
        pairs
            .par_iter()
            .map(|(source, derived)| self.compare(source, derived))
            .collect()
    }

    /// Reads and prepares each distinct file of `paths` once, in parallel:
    /// its profile and what to tell the user about it, or why it could not
    /// be read (an [`ErrorKind::Binary`](crate::ErrorKind::Binary) error for
    /// a binary file).
    pub fn profile_files<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p Path>,
    ) -> HashMap<PathBuf, Result<(Profile, Option<Warning>)>> {
        self.profile_files_with(paths, &ReadOptions::default())
    }

    /// [`Engine::profile_files`] with a size limit and an encoding (`-` is
    /// standard input).
    pub fn profile_files_with<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p Path>,
        options: &ReadOptions,
    ) -> HashMap<PathBuf, Result<(Profile, Option<Warning>)>> {
        let mut paths: Vec<&Path> = paths.into_iter().collect();
        paths.sort();
        paths.dedup();
        paths
            .into_par_iter()
            .map(|path| {
                let loaded = Document::read_with(path, options)
                    .map(|(doc, warning)| (self.profile(doc), warning));
                (path.to_path_buf(), loaded)
            })
            .collect()
    }

    fn scores(&self, source: &Profile, derived: &Profile, alignments: &[Alignment]) -> Scores {
        let s = source.fingerprint.shingles.as_slice();
        let d = derived.fingerprint.shingles.as_slice();
        // Shares count the characters of words, so punctuation, markup
        // debris and whitespace weigh nothing.
        let (mut content, mut covered, mut weighted) = (0.0, 0.0, 0.0);
        let tokens = &derived.segmented.tokens;
        let best_scores = best_overlapping(tokens.iter().map(|t| t.span), alignments);
        for (token, best) in tokens.iter().zip(best_scores) {
            let n = token.span.len() as f64;
            content += n;
            if let Some(score) = best {
                covered += n;
                weighted += n * score;
            }
        }
        let share = |x: f64| {
            if content == 0.0 {
                0.0
            } else {
                (x / content).min(1.0)
            }
        };
        Scores {
            jaccard: jaccard(s, d),
            containment_derived_in_source: containment(d, s),
            containment_source_in_derived: containment(s, d),
            word_containment: word_containment(source, derived),
            minhash_jaccard: source
                .fingerprint
                .signature
                .jaccard(&derived.fingerprint.signature),
            reused: share(covered),
            score: share(weighted),
            ..Scores::default()
        }
    }
}

/// For each of `spans` (in text order, not overlapping), the best score of
/// the alignments overlapping it on the derived side: alignments do not
/// overlap there, except a summary and what it contains. One sweep with a
/// heap, so that many passages over many tokens cost O((t + a) log a).
fn best_overlapping(
    spans: impl Iterator<Item = Span>,
    alignments: &[Alignment],
) -> Vec<Option<f64>> {
    let mut by_start: Vec<&Alignment> = alignments
        .iter()
        .filter(|a| a.derived.start() < a.derived.end())
        .collect();
    by_start.sort_by_key(|a| a.derived.start());
    let mut next = 0;
    // (score, end) of the alignments begun so far; ended ones are dropped
    // when they reach the top.
    let mut open: BinaryHeap<(TotalF64, usize)> = BinaryHeap::new();
    spans
        .map(|span| {
            while next < by_start.len() && by_start[next].derived.start() < span.end() {
                let a = by_start[next];
                open.push((TotalF64(a.score), a.derived.end()));
                next += 1;
            }
            while open.peek().is_some_and(|&(_, end)| end <= span.start()) {
                open.pop();
            }
            open.peek().map(|&(score, _)| score.0)
        })
        .collect()
}

/// An `f64` ordered by `total_cmp` (scores are never NaN).
#[derive(Clone, Copy, Debug, PartialEq)]
struct TotalF64(f64);

impl Eq for TotalF64 {}

impl PartialOrd for TotalF64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TotalF64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Share of the derived document's tokens whose word occurs in the source.
fn word_containment(source: &Profile, derived: &Profile) -> f64 {
    if derived.token_hashes.is_empty() {
        return 0.0;
    }
    let vocabulary: std::collections::HashSet<u64> = source.token_hashes.iter().copied().collect();
    let shared = derived
        .token_hashes
        .iter()
        .filter(|h| vocabulary.contains(h))
        .count();
    shared as f64 / derived.token_hashes.len() as f64
}

#[cfg(test)]
mod settings_tests {
    use super::*;

    #[test]
    fn parameters_are_set_by_path() {
        let mut c = Config::default();
        c.set("align.seeds.min_cosine", "0.25").unwrap();
        c.set("align.order.chain.max_gap", "7").unwrap();
        c.set("align.extension.split_source", "true").unwrap();
        c.set("align.seeds.idf", "plain").unwrap();
        c.set("verdict.derived_share", " 0.5 ").unwrap();
        assert_eq!(c.align.seeds.min_cosine, 0.25);
        assert_eq!(c.align.order.chain.max_gap, 7);
        assert!(c.align.extension.split_source);
        assert_eq!(c.align.seeds.idf, crate::align::vectors::Idf::Plain);
        assert_eq!(c.verdict.derived_share, 0.5);
        let e = c.set("align.seeds.min_cosine", "high").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid configuration: align.seeds.min_cosine: invalid value \"high\""
        );
        assert!(c.set("align.nothing", "1").is_err());
        c.set("verdict.derived_share", "2").unwrap();
        assert!(Engine::new(c).is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comparison::Kind;
    use crate::text::CharIndex;

    /// The best score per token the plain way: every alignment for every token.
    fn naive(spans: &[Span], alignments: &[Alignment]) -> Vec<Option<f64>> {
        spans
            .iter()
            .map(|t| {
                alignments
                    .iter()
                    .filter(|a| a.derived.overlap(t) > 0)
                    .map(|a| a.score)
                    .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))
            })
            .collect()
    }

    #[test]
    fn the_sweep_finds_the_best_overlapping_score_of_each_token() {
        let text = "a".repeat(200);
        let index = CharIndex::new(&text);
        let spans: Vec<Span> = (0..50).map(|i| index.span(4 * i, 4 * i + 3)).collect();
        // Nested, touching, empty and disjoint alignments, in no order.
        let cases = [
            (10, 60, 0.5),
            (20, 30, 0.9),
            (59, 61, 0.7),
            (100, 100, 1.0),
            (150, 199, 0.2),
            (0, 3, 0.3),
            (3, 4, 0.8),
            (160, 170, 0.1),
        ];
        let alignments: Vec<Alignment> = cases
            .iter()
            .map(|&(start, end, score)| Alignment {
                source: index.span(start, end),
                derived: index.span(start, end),
                score,
                kind: Kind::Edited,
            })
            .collect();
        let swept = best_overlapping(spans.iter().copied(), &alignments);
        assert_eq!(swept, naive(&spans, &alignments));
        assert!(swept.iter().any(Option::is_none));
        assert_eq!(swept[5], Some(0.9));
    }
}
