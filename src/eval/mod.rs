//! Evaluation on public corpora with the field's standard measures.

pub mod classify;
pub mod clough;
pub mod counter;
pub mod measures;
pub mod news;
pub mod pan;
pub mod sentences;
pub mod verdict;
