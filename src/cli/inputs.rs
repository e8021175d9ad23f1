//! Flags shared by the commands that read corpora: fields, encoding, size
//! limit and the directory walk.

use std::path::PathBuf;

use anyhow::{Context, bail};
use neardup::corpus::{Fields, OpenOptions, Walk};
use neardup::text::decode::{Encoding, encoding_for_label};
use neardup::text::read::{DEFAULT_MAX_BYTES, ReadOptions};

/// How inputs are read (`dedup`, `index build|add`, `check`).
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// The text field of JSON Lines records (a dotted path for nested
    /// fields, e.g. `doc.body`), or the text column of Parquet files.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
    /// The id field of JSON Lines records (dotted path) or id column of
    /// Parquet files. Default: `id` when a record has one, else its line
    /// (row) number — qualified as FILE:LINE when there are several inputs.
    #[arg(long, value_name = "NAME")]
    id_field: Option<String>,
    #[command(flatten)]
    read: ReadArgs,
    /// Walk hidden files and directories too (names starting with `.`).
    #[arg(long)]
    hidden: bool,
    /// Do not respect `.gitignore`, `.ignore` and git's exclude files.
    #[arg(long)]
    no_ignore: bool,
    /// Follow symbolic links in directories (loops are detected and
    /// skipped with a warning).
    #[arg(long, short = 'L')]
    follow: bool,
    /// Include (or with a leading `!`, exclude) files of walked directories
    /// whose path relative to the directory matches GLOB; with an including
    /// glob, files need not end in .txt, .md or .html. Repeatable.
    #[arg(long, short = 'g', value_name = "GLOB")]
    glob: Vec<String>,
}

/// How single files are read (also `compare`).
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// The encoding of text files without a byte order mark, by WHATWG
    /// label (e.g. windows-1252, latin1, shift_jis, utf-16le); UTF-16 with
    /// a BOM is always recognised. JSON Lines are always UTF-8.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// The most bytes one document (a text file, or one JSON line, after
    /// decompression) may have; more is an error rather than an unbounded
    /// read. Suffixes K, M, G (powers of 1024).
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "256M")]
    max_bytes: u64,
}

impl ReadArgs {
    /// The library's read options.
    pub fn options(&self) -> anyhow::Result<ReadOptions> {
        let encoding: Option<&'static Encoding> = match &self.encoding {
            None => None,
            Some(label) => Some(encoding_for_label(label).with_context(|| {
                format!("--encoding {label:?}: not an encoding label (try utf-8, utf-16le, windows-1252, latin1)")
            })?),
        };
        Ok(ReadOptions {
            max_bytes: self.max_bytes,
            encoding,
        })
    }
}

impl InputArgs {
    /// The library's corpus options (`root`: the directory ids of text
    /// files are relative to, for `check`).
    pub fn options(&self, root: Option<PathBuf>) -> anyhow::Result<OpenOptions> {
        Ok(OpenOptions {
            fields: Fields::new(&self.text_field, self.id_field.as_deref())?,
            read: self.read.options()?,
            walk: Walk {
                hidden: self.hidden,
                no_ignore: self.no_ignore,
                follow: self.follow,
                globs: self.glob.clone(),
            },
            root,
        })
    }
}

/// `256M`, `1G`, `4096`…
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?}: expected a number of bytes like 4096, 64K, 256M or 1G"))?;
    let shift = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("{s:?}: unknown unit (use K, M or G)")),
    };
    n.checked_mul(1 << shift)
        .filter(|&b| b > 0)
        .ok_or_else(|| format!("{s:?}: out of range"))
}

/// The default of `--max-bytes` must match the library's.
const _: () = assert!(DEFAULT_MAX_BYTES == 256 << 20);

/// The message naming the inputs that yielded no document, if any.
pub fn unproductive(inputs: &[PathBuf]) -> Option<String> {
    if inputs.is_empty() {
        return None;
    }
    let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    Some(format!("{}: no document read", names.join(", ")))
}

/// Refuses reading standard input twice.
pub fn at_most_one_stdin<'a>(
    paths: impl IntoIterator<Item = &'a std::path::Path>,
) -> anyhow::Result<()> {
    if paths
        .into_iter()
        .filter(|p| *p == std::path::Path::new("-"))
        .count()
        > 1
    {
        bail!("`-` (standard input) can be given only once");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_units() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("1gib"), Ok(1 << 30));
        assert!(parse_size("0").is_err() && parse_size("12X").is_err());
    }
}
