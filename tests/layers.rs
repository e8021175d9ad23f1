//! The library's modules form layers, in data-flow order: a module may use
//! modules of lower layers only — never one of its own layer or above — so
//! the import graph has no loop and nothing low depends on something high.
//! This test reads every `crate::…` path in `src/` (comments aside) and
//! checks it against the table below, which ARCHITECTURE.md draws.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Layer of each top-level module, lowest first.
const LAYERS: &[(&str, u32)] = &[
    ("error", 0),
    ("text", 1),
    ("comparison", 2),
    ("corpus", 2),
    ("document", 2),
    ("lsh", 2),
    ("sketch", 2),
    ("terms", 2),
    ("events", 3),
    ("fingerprint", 3),
    ("profile", 3),
    ("align", 4),
    ("dedup", 4),
    ("index", 4),
    ("verdict", 4),
    ("engine", 5),
    ("check", 6),
    ("eval", 7),
    ("report", 7),
];

fn layer(module: &str) -> u32 {
    LAYERS
        .iter()
        .find(|(m, _)| *m == module)
        .unwrap_or_else(|| panic!("module `{module}` has no layer in tests/layers.rs"))
        .1
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`None` for the crate root and
/// the binary).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    match first.as_str() {
        "lib.rs" | "main.rs" | "cli" => None,
        f => Some(f.trim_end_matches(".rs").to_string()),
    }
}

/// The modules named by `crate::NAME` in the code (not the comments).
fn uses(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn modules_use_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut graph: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let code = std::fs::read_to_string(file).unwrap();
        for used in uses(&code) {
            if used != module {
                let shown = file.strip_prefix(&src).unwrap().display().to_string();
                graph
                    .entry(module.clone())
                    .or_default()
                    .entry(used)
                    .or_default()
                    .push(shown);
            }
        }
    }
    let mut wrong = Vec::new();
    for (module, used) in &graph {
        for (target, files) in used {
            if layer(target) >= layer(module) {
                wrong.push(format!(
                    "{module} (layer {}) uses {target} (layer {}) in {}",
                    layer(module),
                    layer(target),
                    files.join(", ")
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every module of the crate has a layer.
    for file in &files {
        if let Some(module) = module_of(&src, file) {
            layer(&module);
        }
    }
}

#[test]
fn the_scanner_sees_uses_and_skips_comments() {
    let code = "use crate::text::Span;\n//! see crate::report\nfn f() { crate::sketch::hash::token_hash(b\"\"); }";
    assert_eq!(uses(code), ["text", "sketch"]);
}
