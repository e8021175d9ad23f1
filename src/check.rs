//! Checking new documents against an index: where the two pipelines meet.
//! The index ([`crate::index`], corpus side) finds the indexed documents a
//! new one near-duplicates or reuses paragraphs of, verified exactly; the
//! engine ([`crate::engine`], pair side) aligns each of them with the new
//! document to report the copied passages. Each match becomes a [`Finding`].
//!
//! ```no_run
//! # fn main() -> neardup::Result<()> {
//! use neardup::check::CheckOptions;
//! use neardup::index::Index;
//! use neardup::{Config, Document, Engine};
//!
//! let index = Index::open("corpus.ndx".as_ref())?;
//! let engine = Engine::new(Config::default())?;
//! let new = Document::new("draft.txt", std::fs::read_to_string("draft.txt").unwrap());
//! for finding in index.check(&engine, &new, &CheckOptions::default())? {
//!     println!("{} {:.3}", finding.indexed_id, finding.score());
//! }
//! # Ok(())
//! # }
//! ```

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::comparison::Comparison;
use crate::corpus::{BadRecord, Batch, Corpus};
use crate::document::Document;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::Events;
use crate::index::{Index, Match};

/// How documents are checked.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CheckOptions {
    /// Also report indexed documents with the same id as the checked one
    /// (normally skipped: a document matches its own indexed copy).
    pub include_self: bool,
}

/// Where a checked document is: its file and, for a JSON Lines record, its
/// 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The file (as named on input).
    pub path: PathBuf,
    /// 1-based line of a JSON Lines record; 0 for a whole file.
    pub line: u64,
}

/// One checked document reusing one indexed document.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Where the checked document is, when it came from a file.
    pub place: Option<Place>,
    /// The checked document's id.
    pub id: String,
    /// The indexed document's id.
    pub indexed_id: String,
    /// What the index found: document similarity, reused paragraphs.
    pub matched: Match,
    /// The indexed document (source) aligned with the checked one (derived).
    pub comparison: Comparison,
    /// The checked text (offsets of `comparison.alignments[].derived`).
    pub text: String,
    /// The indexed text (offsets of `comparison.alignments[].source`).
    pub indexed_text: String,
}

/// The rule a finding breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The whole document is a near-duplicate (Jaccard at or over the
    /// index's document threshold).
    NearDuplicate,
    /// Some paragraphs are copied (paragraph Jaccard or containment at or
    /// over the index's paragraph threshold).
    ParagraphReuse,
}

impl Rule {
    /// The rule's id in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::NearDuplicate => "near-duplicate",
            Rule::ParagraphReuse => "paragraph-reuse",
        }
    }
}

impl Finding {
    /// The aligner's score: the share of the checked text inside aligned
    /// passages, weighted by their similarity.
    pub fn score(&self) -> f64 {
        self.comparison.scores.score
    }

    /// True if the score reaches `fail_on`.
    pub fn fails(&self, fail_on: f64) -> bool {
        self.score() >= fail_on
    }

    /// The rule this finding breaks.
    pub fn rule(&self) -> Rule {
        if self.matched.near_duplicate {
            Rule::NearDuplicate
        } else {
            Rule::ParagraphReuse
        }
    }

    /// One sentence saying what was found.
    pub fn message(&self) -> String {
        let what = if self.matched.near_duplicate {
            format!(
                "near-duplicate of {} (Jaccard {:.3})",
                self.indexed_id, self.matched.similarity
            )
        } else {
            format!(
                "reuses {} paragraph(s) of {}",
                self.matched.paragraphs.len(),
                self.indexed_id
            )
        };
        format!(
            "{}: {what}; {:.1}% of the text reused, score {:.3}",
            self.id,
            100.0 * self.comparison.scores.reused,
            self.score()
        )
    }

    /// The lines a report points at: the record's line for a JSON Lines
    /// record; else the first and last line of the first aligned passage and
    /// its code-point offset and length (line 1 when nothing was aligned).
    pub fn region(&self) -> Region {
        if let Some(place) = self.place.as_ref().filter(|p| p.line > 0) {
            return Region {
                start_line: place.line,
                end_line: place.line,
                chars: None,
            };
        }
        match self.comparison.alignments.first() {
            Some(a) => {
                let d = a.derived;
                Region {
                    start_line: line_of(&self.text, d.byte_start()),
                    end_line: line_of(&self.text, d.byte_end().saturating_sub(1)),
                    chars: Some((d.start(), d.len())),
                }
            }
            None => Region {
                start_line: 1,
                end_line: 1,
                chars: None,
            },
        }
    }

    /// The file shown for this finding: its place, or its id.
    pub fn path(&self) -> &Path {
        self.place
            .as_ref()
            .map_or_else(|| Path::new(&self.id), |p| p.path.as_path())
    }

    /// The line of the checked text where a passage starts (the record's
    /// line for JSON Lines).
    pub fn line_of_passage(&self, byte: usize) -> u64 {
        match self.place.as_ref().filter(|p| p.line > 0) {
            Some(p) => p.line,
            None => line_of(&self.text, byte),
        }
    }
}

/// Lines and offsets a finding points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// 1-based first line.
    pub start_line: u64,
    /// 1-based last line.
    pub end_line: u64,
    /// Code-point offset and length in the file, when known.
    pub chars: Option<(usize, usize)>,
}

/// The 1-based line of byte `byte` of `text`.
pub fn line_of(text: &str, byte: usize) -> u64 {
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..byte.min(text.len())]).count() as u64
}

/// What [`check_corpus`] found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Findings, highest score first (by the score shown, to 6 decimals;
    /// ties in input order, then by indexed document).
    pub findings: Vec<Finding>,
    /// Documents checked.
    pub checked: usize,
    /// Bad records skipped (see [`Events::bad_record`]).
    pub skipped: usize,
    /// Inputs named in the corpus that yielded no document.
    pub unproductive_inputs: Vec<PathBuf>,
}

impl Index {
    /// The indexed documents `document` near-duplicates or reuses
    /// paragraphs of, each aligned with it. An indexed document with the
    /// same id is skipped unless `options.include_self`.
    pub fn check(
        &self,
        engine: &Engine,
        document: &Document,
        options: &CheckOptions,
    ) -> Result<Vec<Finding>> {
        let mut matches = self.query(&document.text, None)?;
        if !options.include_self {
            let mut kept = Vec::with_capacity(matches.len());
            for m in matches {
                if self.id(m.doc)?.as_str() != document.id {
                    kept.push(m);
                }
            }
            matches = kept;
        }
        if matches.is_empty() {
            return Ok(Vec::new());
        }
        let derived = engine.profile(document.clone());
        let mut out = Vec::with_capacity(matches.len());
        for m in matches {
            let indexed_id = self.id(m.doc)?.to_string();
            let indexed_text = self.text(m.doc)?.to_string();
            let source = engine.profile(Document::new(indexed_id.clone(), indexed_text.clone()));
            out.push(Finding {
                place: None,
                id: document.id.clone(),
                indexed_id,
                matched: m,
                comparison: engine.compare(&source, &derived),
                text: document.text.clone(),
                indexed_text,
            });
        }
        Ok(out)
    }
}

/// Checks every document of `corpus` against `index`, documents of a batch
/// in parallel; findings sorted by score, highest first.
pub fn check_corpus(
    index: &Index,
    engine: &Engine,
    corpus: &Corpus,
    options: &CheckOptions,
    events: &mut dyn Events,
) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    let mut origins = Vec::new();
    let mut reader = corpus.reader();
    let mut batch = Batch::default();
    while reader.next_batch(&mut batch)? {
        type Checked = std::result::Result<
            (Result<Vec<Finding>>, Option<String>, crate::corpus::Origin),
            BadRecord,
        >;
        let results: Vec<Checked> = batch
            .items
            .par_iter()
            .map(|item| {
                let record = batch.parse(corpus, item)?;
                let origin = record.origin;
                let (path, line) = corpus.place(record.origin);
                let place = Place {
                    path: path.to_path_buf(),
                    line,
                };
                let document = Document::new(record.id.to_string(), record.text.into_owned());
                let found = index.check(engine, &document, options).map(|findings| {
                    findings
                        .into_iter()
                        .map(|f| Finding {
                            place: Some(place.clone()),
                            ..f
                        })
                        .collect()
                });
                Ok((found, record.warning, origin))
            })
            .collect();
        events.progress(batch.bytes(corpus));
        for r in results {
            match r {
                Ok((found, warning, origin)) => {
                    if let Some(w) = warning {
                        events.decoding_warning(&w);
                    }
                    origins.push(origin);
                    report.checked += 1;
                    report.findings.extend(found?);
                }
                Err(bad) if bad.always_skip => events.warning(&bad.to_string()),
                Err(bad) if events.bad_record(&bad) => report.skipped += 1,
                Err(bad) => return Err(Error::from(bad)),
            }
        }
    }
    report.unproductive_inputs = corpus.unproductive_inputs(origins);
    // By the score as reports show it (6 decimals), so that findings whose
    // shown scores are equal stay in input order, in every front end.
    let shown = |f: &Finding| (f.score() * 1e6).round();
    report
        .findings
        .sort_by(|a, b| shown(b).total_cmp(&shown(a)));
    Ok(report)
}
