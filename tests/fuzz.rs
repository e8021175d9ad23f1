//! The fuzz targets' checks (fuzz/src/checks.rs) on the committed inputs:
//! the seeds each target starts from and every input a fuzzing run found a
//! bug with (fuzz/regressions), so that `cargo test` replays them without a
//! nightly toolchain or cargo-fuzz. Fuzzing itself: see fuzz/README.md.

use std::path::Path;

include!("../fuzz/src/checks.rs");

/// Runs `check` on every file under fuzz/seeds/TARGET and
/// fuzz/regressions/TARGET; returns how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target}: {} panics", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn compare_keeps_its_invariants_on_the_fuzz_inputs() {
    assert!(replay("compare", compare) >= 2);
}

#[test]
fn json_lines_reading_survives_the_fuzz_inputs() {
    assert!(replay("jsonl", jsonl) >= 1);
}

#[test]
fn index_open_query_and_check_survive_the_fuzz_inputs() {
    assert!(replay("index", index) >= 2);
}
