//! Output formats, all rendering the same [`Comparison`](crate::Comparison).

pub mod json;
pub mod table;
