//! neardup finds copies, edited copies and paraphrases of one document inside
//! another, and reports them as aligned passages with scores.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`text`]: bytes → text (BOM, lossy UTF-8, binary sniffing) → tokens,
//!    sentences and paragraphs, each with code-point and byte offsets;
//! 2. [`sketch`]: word shingles hashed with xxh3, MinHash signatures, exact
//!    Jaccard and containment;
//! 3. [`align`]: seeds (similar sentences, exact token runs) → extension into
//!    passages → filtering → score and kind of each passage;
//! 4. [`engine`]: document-level scores and the verdict, as a [`Comparison`];
//! 5. [`report`]: the comparison as a table or JSON; [`eval`] scores the whole
//!    pipeline on public corpora.
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

pub use comparison::{Alignment, Comparison, Kind, Scores, Verdict};
pub use document::Document;
pub use engine::{Config, Engine};
pub use error::{Error, ErrorKind, Result};
pub use profile::Profile;
pub use text::Span;
