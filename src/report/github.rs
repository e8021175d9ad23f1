//! Findings as GitHub Actions workflow commands: one annotation a finding,
//! shown on the pull request at the file and lines it points at.

use std::io::{self, Write};

use crate::check::Finding;

/// Escapes for workflow commands: data escapes `%`, CR, LF; other control
/// characters are shown escaped (the log is a terminal).
fn escape_data(s: &str) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    super::terminal::escape(&s).into_owned()
}

/// Properties also escape `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=PATH,line=N,endLine=M,title=neardup RULE::MESSAGE` per
/// finding at or over `fail_on` (it fails the check, as SARIF's level
/// `error` says), `::warning …` for the others.
pub fn write(out: &mut impl Write, findings: &[Finding], fail_on: f64) -> io::Result<()> {
    for f in findings {
        let region = f.region();
        let level = if f.fails(fail_on) { "error" } else { "warning" };
        writeln!(
            out,
            "::{level} file={},line={},endLine={},title={}::{}",
            escape_property(&f.path().display().to_string()),
            region.start_line,
            region.end_line,
            escape_property(&format!("neardup {}", f.rule().as_str())),
            escape_data(&f.message())
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_cannot_be_injected() {
        assert_eq!(escape_data("a%\r\n::x"), "a%25%0D%0A::x");
        assert_eq!(escape_data("\x1b[31mred"), "\\x1b[31mred");
        assert_eq!(escape_property("a:b,c\n"), "a%3Ab%2Cc%0A");
    }
}
