//! Hooks through which long corpus runs (dedup, index build and add, check)
//! report progress and ask what to do with bad records. The library never
//! prints: a front end implements [`Events`] (the command line draws a
//! progress bar and prints warnings; [`Quiet`] ignores everything).

use crate::corpus::BadRecord;

/// Progress and bad-record hooks of a corpus run.
pub trait Events {
    /// `bytes` more of input were processed.
    fn progress(&mut self, _bytes: u64) {}
    /// A new stage starts (`"candidates"`, `"verify"`, `"writing"`).
    fn stage(&mut self, _name: &str) {}
    /// Something to tell the user about a record that was still read.
    fn warning(&mut self, _message: &str) {}
    /// A record was read but its bytes had to be repaired (invalid UTF-8
    /// replaced); front ends may count these rather than list them.
    fn decoding_warning(&mut self, message: &str) {
        self.warning(message)
    }
    /// A bad record: return true to skip it, false to stop with an error.
    fn bad_record(&mut self, _bad: &BadRecord) -> bool {
        false
    }
}

/// No progress, no warnings, no skipping.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quiet;

impl Events for Quiet {}
