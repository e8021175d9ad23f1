//! One writer at a time per index: an advisory lock on `INDEX.lock` beside
//! the index (the index itself is replaced by rename, so it cannot carry
//! the lock), and temporary files named so that the next writer recognises
//! those a killed writer left behind.
//!
//! The lock is the operating system's (`flock` on Unix, `LockFileEx` on
//! Windows, through `std::fs::File::try_lock`): it is released when the
//! process ends, however it ends, so a killed writer never leaves the index
//! locked. The lock file stays (removing it while another process waits on
//! it would let two writers in). Readers take no lock: they map a file that
//! is only ever replaced whole.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Characters of the random part of a temporary file's name.
const RANDOM_CHARS: usize = 8;
/// End of every temporary index file's name.
const TEMP_SUFFIX: &str = ".neardup-tmp";

/// The writer's lock of one index, held until dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// The lock file of the index at `index`: `INDEX.lock`.
pub fn lock_path(index: &Path) -> PathBuf {
    let mut name = index.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    index.with_file_name(name)
}

impl WriteLock {
    /// Takes the lock of the index at `index`, or an
    /// [`ErrorKind::Locked`](crate::ErrorKind::Locked) error at once when
    /// another writer holds it.
    pub fn try_acquire(index: &Path) -> Result<WriteLock> {
        let path = lock_path(index);
        let file = open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::Locked {
                path: index.to_path_buf(),
                lock: path,
            }),
            Err(TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }

    /// Blocks until no writer holds the lock of the index at `index` (then
    /// lets it go: the caller tries again with [`WriteLock::try_acquire`]).
    pub fn wait(index: &Path) -> Result<()> {
        let path = lock_path(index);
        let file = open(&path)?;
        file.lock().map_err(|e| Error::io(&path, e))?;
        file.unlock().map_err(|e| Error::io(&path, e))
    }
}

fn open(path: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| Error::io(path, e))
}

/// A new temporary file in `dir` for the index named `name`:
/// `.NAME.XXXXXXXX.neardup-tmp`.
pub fn temp_file(dir: &Path, name: &str) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(TEMP_SUFFIX)
        .rand_bytes(RANDOM_CHARS)
        .tempfile_in(dir)
}

/// Whether `file_name` is a temporary file of the index named `name` (and
/// not of another index whose name starts the same).
fn is_temp_of(file_name: &str, name: &str) -> bool {
    file_name
        .strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|random| {
            random.len() == RANDOM_CHARS && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Removes the temporary files of the index named `name` in `dir`: called
/// with the lock held, so they were left by a writer that was killed.
/// Returns how many were removed.
pub fn remove_stale(dir: &Path, name: &str) -> Result<usize> {
    let mut removed = 0;
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        if file_name.to_str().is_some_and(|f| is_temp_of(f, name)) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_recognised_by_their_index_name() {
        assert!(is_temp_of(".a.ndx.Ab3dE6gh.neardup-tmp", "a.ndx"));
        assert!(!is_temp_of(".a.ndx.x.Ab3dE6gh.neardup-tmp", "a.ndx"));
        assert!(!is_temp_of(".a.ndx.Ab3dE6g.neardup-tmp", "a.ndx"));
        assert!(!is_temp_of("a.ndx", "a.ndx"));
        assert!(!is_temp_of(".a.ndx.Ab3dE6gh.tmp", "a.ndx"));
        let dir = tempfile::tempdir().unwrap();
        let kept = temp_file(dir.path(), "a.ndx.x").unwrap();
        let (_, stale) = temp_file(dir.path(), "a.ndx").unwrap().keep().unwrap();
        std::fs::write(dir.path().join("a.ndx"), "index").unwrap();
        assert_eq!(remove_stale(dir.path(), "a.ndx").unwrap(), 1);
        assert!(!stale.exists());
        assert!(kept.path().exists());
        assert!(dir.path().join("a.ndx").exists());
    }

    #[test]
    fn a_second_writer_is_refused_until_the_first_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("a.ndx");
        let first = WriteLock::try_acquire(&index).unwrap();
        let err = WriteLock::try_acquire(&index).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Locked);
        assert!(err.to_string().contains("a.ndx.lock"), "{err}");
        drop(first);
        WriteLock::wait(&index).unwrap();
        WriteLock::try_acquire(&index).unwrap();
    }
}
