//! Findings as SARIF 2.1.0 (Static Analysis Results Interchange Format),
//! which code-scanning services display: rules `near-duplicate` and
//! `paragraph-reuse`, level `error` at or over the fail bar and `warning`
//! below, the first copied passage as the location (1-based lines,
//! code-point offsets), the others as related locations.

use std::path::Path;

use serde_json::{Value, json};

use super::round;
use crate::check::Finding;
use crate::index::IndexParams;

/// A relative URI reference for a path: `/`-separated, with bytes outside
/// the unreserved set percent-encoded.
fn uri(path: &Path) -> String {
    let s = path.to_string_lossy();
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn result(f: &Finding, fail_on: f64) -> Value {
    let region = f.region();
    let whole_file = f.place.as_ref().is_none_or(|p| p.line == 0);
    let mut location = json!({"startLine": region.start_line, "endLine": region.end_line});
    if let Some((offset, len)) = region.chars {
        location["charOffset"] = json!(offset);
        location["charLength"] = json!(len);
    }
    let artifact = json!({"uri": uri(f.path())});
    let related: Vec<Value> = f
        .comparison
        .alignments
        .iter()
        .enumerate()
        // The first passage is the location of a text file's finding.
        .skip(usize::from(whole_file))
        .map(|(i, a)| {
            let region = json!({"charOffset": a.derived.start(), "charLength": a.derived.len(),
                "startLine": f.line_of_passage(a.derived.byte_start())});
            json!({"id": i, "physicalLocation": {"artifactLocation": artifact, "region": region},
                "message": {"text": format!("{} passage, score {:.3}", a.kind.as_str(), a.score)}})
        })
        .collect();
    let mut result = json!({
        "ruleId": f.rule().as_str(),
        "level": if f.fails(fail_on) { "error" } else { "warning" },
        "message": {"text": f.message()},
        "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": location}}],
        "properties": {"id": f.id, "indexedId": f.indexed_id,
            "similarity": round(f.matched.similarity), "score": round(f.score()),
            "reused": round(f.comparison.scores.reused)},
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    result
}

/// The SARIF log of `findings` from an index with `params`.
pub fn to_value(findings: &[Finding], fail_on: f64, params: &IndexParams) -> Value {
    let results: Vec<Value> = findings.iter().map(|f| result(f, fail_on)).collect();
    let near_duplicate = format!(
        "The document near-duplicates an indexed document (word {}-gram Jaccard at or over the index threshold).",
        params.scheme.shingle_size
    );
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "neardup",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": [
                    {"id": "near-duplicate", "shortDescription": {"text": near_duplicate}},
                    {"id": "paragraph-reuse", "shortDescription": {"text":
                        "Paragraphs of the document are copied from an indexed document."}}
                ]}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri(Path::new("a b/ü.txt")), "a%20b/%C3%BC.txt");
    }
}
