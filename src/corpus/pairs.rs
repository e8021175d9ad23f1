//! Pairs files: which documents to compare, one `SOURCE<TAB>DERIVED` a line.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Reads a pairs file: `SOURCE<TAB>DERIVED` per line (source first; paths as
/// written, relative ones resolving against the current directory); blank
/// lines and lines starting with `#` are skipped. An error names the file
/// and line of the first bad line, or says the file has no pair.
pub fn read_pairs(file: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    parse_pairs(file, &text)
}

fn parse_pairs(file: &Path, text: &str) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            [s, d] if !s.is_empty() && !d.is_empty() => {
                pairs.push((PathBuf::from(s), PathBuf::from(d)))
            }
            _ => return Err(Error::parse(file, n + 1, "expected SOURCE<TAB>DERIVED")),
        }
    }
    if pairs.is_empty() {
        return Err(Error::parse(file, 0, "no pairs"));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_comments_blank_lines_and_errors() {
        let f = Path::new("p.tsv");
        let pairs = parse_pairs(f, "# c\r\na\tb\r\n\n  \nc d\te\n").unwrap();
        assert_eq!(
            pairs,
            [("a".into(), "b".into()), ("c d".into(), "e".into())]
        );
        let e = parse_pairs(f, "a\tb\nonly-one\n").unwrap_err().to_string();
        assert_eq!(e, "p.tsv:2: expected SOURCE<TAB>DERIVED");
        assert!(parse_pairs(f, "a\tb\tc\n").is_err());
        assert_eq!(
            parse_pairs(f, "# nothing\n").unwrap_err().to_string(),
            "p.tsv: no pairs"
        );
    }
}
