//! Evaluation on public corpora with the field's standard measures.

pub mod measures;
pub mod pan;
