//! Directory walks with the `ignore` crate (ripgrep's walker): `.gitignore`,
//! `.ignore` and `.git/info/exclude` respected (also outside a git
//! repository), hidden files skipped, symbolic links not followed unless
//! asked (then loops are detected and reported), globs to include or
//! exclude. FIFOs, sockets and devices are never opened: a walk lists them
//! as skipped.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

use super::Skipped;
use crate::error::{Error, Result};

/// Extensions of the files taken from a directory (unless `--glob`
/// includes others).
pub const TEXT_EXTENSIONS: [&str; 3] = ["txt", "md", "html"];

/// How directories are walked (ripgrep's flags).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Walk {
    /// Also hidden files and directories (names starting with `.`).
    pub hidden: bool,
    /// Ignore `.gitignore`, `.ignore` and git's exclude files.
    pub no_ignore: bool,
    /// Follow symbolic links (loops are detected and skipped).
    pub follow: bool,
    /// Globs matched against paths relative to the directory: a file must
    /// match one of the plain globs (when there is one, instead of having a
    /// text extension) and none of those starting with `!`.
    pub globs: Vec<String>,
}

/// A file found by a walk.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub path: PathBuf,
    pub size: u64,
}

impl Walk {
    /// The files to read under `dir`, sorted by path, and what was skipped.
    pub(super) fn files(&self, dir: &Path) -> Result<(Vec<Found>, Vec<Skipped>)> {
        let mut overrides = OverrideBuilder::new(dir);
        for glob in &self.globs {
            overrides
                .add(glob)
                .map_err(|e| Error::Config(format!("--glob {glob:?}: {e}")))?;
        }
        let overrides = overrides
            .build()
            .map_err(|e| Error::Config(format!("--glob: {e}")))?;
        let includes = self.globs.iter().any(|g| !g.starts_with('!'));
        let walker = WalkBuilder::new(dir)
            .hidden(!self.hidden)
            .ignore(!self.no_ignore)
            .git_ignore(!self.no_ignore)
            .git_exclude(!self.no_ignore)
            .git_global(false)
            .parents(!self.no_ignore)
            .require_git(false)
            .follow_links(self.follow)
            .overrides(overrides)
            .build();
        let (mut found, mut skipped) = (Vec::new(), Vec::new());
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    skipped.push(skip_of(dir, &e));
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            let Some(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() || kind.is_symlink() {
                // Directories are walked into; links are not followed.
                continue;
            }
            if !kind.is_file() {
                skipped.push(Skipped {
                    path: path.to_path_buf(),
                    message: "not a regular file (a FIFO, socket or device), skipped".into(),
                    error: false,
                });
                continue;
            }
            if !includes && !has_text_extension(path) {
                continue;
            }
            let size = match entry.metadata() {
                Ok(m) => m.len(),
                Err(e) => {
                    skipped.push(skip_of(dir, &e));
                    continue;
                }
            };
            found.push(Found {
                path: path.to_path_buf(),
                size,
            });
        }
        found.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((found, skipped))
    }
}

fn skip_of(dir: &Path, e: &ignore::Error) -> Skipped {
    let (path, message) = describe(e);
    let looped = message.contains("loop");
    Skipped {
        path: path.unwrap_or_else(|| dir.to_path_buf()),
        message: if looped {
            format!("{message}, skipped")
        } else {
            message
        },
        error: !looped,
    }
}

/// The path and message inside an `ignore` error.
fn describe(e: &ignore::Error) -> (Option<PathBuf>, String) {
    match e {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), describe(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe(err)
        }
        ignore::Error::Loop { ancestor, child } => (
            Some(child.clone()),
            format!("symbolic link loop (back to {})", ancestor.display()),
        ),
        other => (None, other.to_string()),
    }
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEXT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}
