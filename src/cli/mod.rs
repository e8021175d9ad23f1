//! Command-line interface: one module per subcommand. Parses flags, calls the
//! library, prints, and maps outcomes to exit codes like diff and grep:
//! 0 nothing found, 1 reuse found, 2 error.

mod check;
mod compare;
mod dedup;
mod eval;
mod index;
mod inputs;
mod progress;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use neardup::report::terminal::escape;

/// Finds copies, edited copies and paraphrases of one document inside another.
#[derive(Debug, Parser)]
#[command(name = "neardup", version, about, long_about = None)]
pub struct Cli {
    /// Worker threads (default: one per core).
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compare a source and a derived document (or many pairs) and report the
    /// aligned passages.
    Compare(compare::Args),
    /// Find every near-duplicate pair (or cluster) of a corpus.
    Dedup(dedup::Args),
    /// Build, extend or describe a persistent index for `check`.
    #[command(subcommand)]
    Index(index::Command),
    /// Check documents against an index (for CI): exit 1 when something
    /// reaches --fail-on.
    Check(check::Args),
    /// Evaluate on a public corpus with its standard measures.
    #[command(subcommand)]
    Eval(eval::Corpus),
    /// Print a shell completion script (e.g. `neardup completions bash >
    /// /etc/bash_completion.d/neardup`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; e.g. `neardup man > neardup.1`).
    Man,
}

/// What a command found; errors that stopped it are `Err`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Some reuse was found.
    pub found: bool,
    /// Some input could not be processed (the rest was).
    pub errors: bool,
}

impl Outcome {
    fn exit_code(self) -> ExitCode {
        if self.errors {
            ExitCode::from(2)
        } else if self.found {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Parses the command line, runs it, and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(outcome) => outcome.exit_code(),
        // A reader that stopped listening (`neardup … | head`) is not an
        // error worth reporting, as in ripgrep.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("neardup: {}", escape(&message(&e)));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes, each cause once (library errors already show
/// their I/O source).
fn message(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text = format!("{text}: {cause}");
        }
    }
    text
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()?;
    }
    match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Dedup(args) => dedup::run(args),
        Command::Index(command) => index::run(command),
        Command::Check(args) => check::run(args),
        Command::Eval(corpus) => eval::run(corpus),
        Command::Completions { shell } => {
            // Generated in memory: clap_complete panics on a failed write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "neardup", &mut script);
            print_bytes(&script)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            print_bytes(&page)
        }
    }
}

/// Writes `bytes` to standard output (a closed pipe is an error that
/// `main` ends quietly on).
fn print_bytes(bytes: &[u8]) -> anyhow::Result<Outcome> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(Outcome::default())
}

/// Warns about what the directory walks left out; true if something could
/// not be read (an error, for the exit code).
pub(crate) fn warn_skipped(corpus: &neardup::corpus::Corpus) -> bool {
    let mut errors = false;
    for s in corpus.skipped() {
        if s.error {
            error(s);
            errors = true;
        } else {
            warn(s);
        }
    }
    errors
}

/// Prints a warning on stderr (control characters in it escaped: it may
/// quote ids, file names or text).
pub(crate) fn warn(message: impl std::fmt::Display) {
    eprintln!("neardup: warning: {}", escape(&message.to_string()));
}

/// Prints an error about one input on stderr, escaped as warnings are.
pub(crate) fn error(message: impl std::fmt::Display) {
    eprintln!("neardup: {}", escape(&message.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pipe_is_found_under_context() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let e = anyhow::Error::new(pipe).context("writing the report");
        assert!(is_broken_pipe(&e));
        assert!(!is_broken_pipe(&anyhow::anyhow!("no such file")));
    }
}
