//! Progress on stderr: a bar when stderr is a terminal (and not `--quiet`),
//! nothing otherwise; bad records are warned about when skipped.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use neardup::corpus::BadRecord;
use neardup::events::Events;

use super::warn;

/// Progress of a run over a corpus, and its handling of bad records.
pub struct Progress {
    bar: Option<ProgressBar>,
    skip_bad: bool,
    /// `--quiet`: decoding warnings are counted, then told in one line.
    quiet: bool,
    decoding: usize,
}

impl Progress {
    /// A bar over `total` bytes, shown only on a terminal and when not quiet.
    pub fn new(total: u64, quiet: bool, skip_bad: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg:10} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar.set_message("reading");
            bar
        });
        Progress {
            bar,
            skip_bad,
            quiet,
            decoding: 0,
        }
    }

    /// Removes the bar; under `--quiet`, says in one line how many
    /// documents had bytes replaced.
    pub fn finish(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.decoding > 0 {
            warn(format!(
                "{} document(s) with invalid bytes replaced with U+FFFD (run without -q to list them)",
                self.decoding
            ));
            self.decoding = 0;
        }
    }
}

impl Events for Progress {
    fn progress(&mut self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }

    fn stage(&mut self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_string());
        }
    }

    fn warning(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| warn(message)),
            None => warn(message),
        }
    }

    fn decoding_warning(&mut self, message: &str) {
        if self.quiet {
            self.decoding += 1;
        } else {
            self.warning(message);
        }
    }

    fn bad_record(&mut self, bad: &BadRecord) -> bool {
        if self.skip_bad {
            match &self.bar {
                Some(bar) => bar.suspend(|| warn(format!("{bad}, skipped"))),
                None => warn(format!("{bad}, skipped")),
            }
        }
        self.skip_bad
    }
}
