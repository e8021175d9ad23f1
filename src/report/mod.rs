//! Output formats, all rendering the same [`Comparison`](crate::Comparison).

pub mod html;
pub mod json;
pub mod table;
