//! neardup finds copies, edited copies and paraphrases of one document inside
//! another, and reports them as aligned passages with scores; at corpus scale
//! it finds every near-duplicate pair and checks new documents against an
//! index.
//!
//! Two pipelines share the text layer and meet in [`check`]:
//!
//! - **Pairs** — [`text`] (decoding, tokens, sentences, paragraphs with
//!   code-point and byte offsets) → [`terms`] (sentences as bags of stemmed
//!   terms) → [`Profile`] (a document prepared once) → [`align`] (seeds,
//!   extension into passages, filters, kinds) → [`Engine`] (document scores
//!   and verdict) → a [`Comparison`].
//! - **Corpora** — [`corpus`] (files, JSON Lines, memory) → [`fingerprint`]
//!   (tokens → shingles → MinHash → band keys, by [`sketch`] and [`lsh`]) →
//!   [`dedup`] (candidates, exact verification, clusters) or [`index`] (an
//!   on-disk, checksummed index and its queries).
//!
//! Every use case is one call: [`Engine::compare_documents`],
//! [`dedup::dedup`], [`index::Index::build`] / `add` / `remove` / `query`,
//! [`index::Index::check`] and [`check::check_corpus`]. [`report`] renders
//! the results: tables, JSON, HTML, SARIF, GitHub annotations.
//!
//! ```
//! use neardup::{Config, Document, Engine, Kind};
//!
//! let engine = Engine::new(Config::default()).unwrap();
//! let wire = "The port authority said on Monday that cargo volumes rose by 18% in the third quarter, \
//!             driven by record grain exports and a new container terminal that opened in June.";
//! let copy = format!("Breaking news. {wire}");
//! let c = engine.compare_documents(Document::new("wire", wire), Document::new("copy", copy));
//! assert!(c.found());
//! assert_eq!(c.alignments[0].kind, Kind::Verbatim);
//! assert_eq!(c.alignments[0].derived.start(), 15);
//! ```
//!
//! Cargo features: `cli` (default; the command-line tool, with `html` and
//! `eval`), `html` (the HTML report), `eval` (evaluation on public
//! corpora). `--no-default-features` builds the core library alone.
#![deny(missing_docs)]
pub mod align;
pub mod check;
pub mod comparison;
pub mod corpus;
pub mod dedup;
pub mod document;
pub mod engine;
pub mod error;
#[cfg(feature = "eval")]
pub mod eval;
pub mod events;
pub mod fingerprint;
pub mod index;
pub mod lsh;
mod profile;
pub mod report;
pub mod sketch;
pub mod terms;
pub mod text;
pub mod verdict;

pub use comparison::{Alignment, Capped, Comparison, Kind, Scores, Verdict};
pub use document::Document;
pub use engine::{Config, Engine};
pub use error::{Error, ErrorKind, Result};
pub use profile::{Profile, Vocabulary};
pub use text::Span;
