//! Output formats. A comparison ([`Comparison`](crate::Comparison)) renders
//! as a table ([`table`]), JSON ([`json`]) or an HTML page ([`html`]);
//! findings of `check` ([`Finding`](crate::check::Finding)) as a table or
//! JSON Lines ([`findings`]), SARIF ([`sarif`]) or GitHub annotations
//! ([`github`]); dedup results as pairs or clusters ([`dedup`]); index
//! figures as [`stats`]. Output for people escapes control characters
//! ([`terminal`]).

pub mod dedup;
pub mod findings;
pub mod github;
#[cfg(feature = "html")]
pub mod html;
pub mod json;
pub mod sarif;
pub mod stats;
pub mod table;
pub mod terminal;

/// Scores are rounded to 6 decimals in machine-readable output, so output
/// is stable across platforms.
pub(crate) fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
