//! neardup finds copies, edited copies and paraphrases of one document inside
//! another.
pub mod align;
pub mod comparison;
pub mod document;
pub mod engine;
pub mod error;
pub mod eval;
pub mod profile;
pub mod report;
pub mod sketch;
pub mod text;

pub use comparison::{Alignment, Comparison, Kind, Scores, Verdict};
pub use document::Document;
pub use engine::{Config, Engine};
pub use error::{Error, ErrorKind, Result};
pub use text::Span;
