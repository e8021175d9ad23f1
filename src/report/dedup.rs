//! Dedup results: pairs (`a<TAB>b<TAB>similarity`, or the benchmark's JSON
//! Lines contract), clusters, and the explanation of the LSH parameters.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::round;
use crate::dedup::{Dedup, DedupConfig, Unit};
use crate::error::Result;

/// A unit as JSON: its document's id (a string, or a number as written)
/// and, at paragraph level, its paragraph.
fn unit_json(result: &Dedup, unit: Unit, paragraph: bool) -> (Value, Option<u32>) {
    (
        result.id(unit).to_json(),
        paragraph.then_some(unit.paragraph),
    )
}

/// Every verified pair, one a line: `a<TAB>b<TAB>similarity` (paragraphs as
/// `id#n`), or with `json` `{"a", "b", "similarity"}` (paragraphs: also
/// `"a_paragraph"`, `"b_paragraph"`).
pub fn write_pairs(out: &mut impl Write, result: &Dedup, json: bool) -> io::Result<()> {
    let paragraph = result.is_paragraph_level();
    for p in &result.pairs {
        let (ua, ub) = result.units_of(p);
        if json {
            let (a, ap) = unit_json(result, ua, paragraph);
            let (b, bp) = unit_json(result, ub, paragraph);
            let line = match (ap, bp) {
                (Some(ap), Some(bp)) => json!({"a": a, "a_paragraph": ap, "b": b,
                    "b_paragraph": bp, "similarity": round(p.similarity)}),
                _ => json!({"a": a, "b": b, "similarity": round(p.similarity)}),
            };
            writeln!(out, "{line}")?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{:.3}",
                result.unit_name(ua),
                result.unit_name(ub),
                p.similarity
            )?;
        }
    }
    Ok(())
}

/// Every cluster, one a line: `cluster ID (N): ID …`, or with `json`
/// `{"cluster": id, "size": n, "members": [...]}` (paragraphs: members
/// `{"id", "paragraph"}` and `"cluster_paragraph"`).
pub fn write_clusters(out: &mut impl Write, result: &Dedup, json: bool) -> io::Result<()> {
    let paragraph = result.is_paragraph_level();
    for members in result.clusters() {
        if json {
            let list: Vec<Value> = members
                .iter()
                .map(|&u| match unit_json(result, u, paragraph) {
                    (id, Some(p)) => json!({"id": id, "paragraph": p}),
                    (id, None) => id,
                })
                .collect();
            let line = match unit_json(result, members[0], paragraph) {
                (id, Some(p)) => {
                    json!({"cluster": id, "cluster_paragraph": p, "size": members.len(), "members": list})
                }
                (id, None) => json!({"cluster": id, "size": members.len(), "members": list}),
            };
            writeln!(out, "{line}")?;
        } else {
            let names: Vec<String> = members.iter().map(|&u| result.unit_name(u)).collect();
            writeln!(
                out,
                "cluster {} ({}): {}",
                names[0],
                names.len(),
                names.join(" ")
            )?;
        }
    }
    Ok(())
}

/// What `--explain` prints: the bands and rows, the probability that a pair
/// becomes a candidate at a few similarities, and the expected miss rate.
pub fn explain(config: &DedupConfig) -> Result<String> {
    let b = config.banding()?;
    let t = config.threshold;
    let how = if config.banding.is_some() {
        "given".to_string()
    } else {
        format!(
            "minimises {:.2} × false positive area + {:.2} × false negative area",
            config.weights.false_positive, config.weights.false_negative
        )
    };
    let mut s = format!(
        "LSH: {} bands × {} rows of {} permutations (threshold {t}; {how})\n",
        b.bands, b.rows, config.sketch.num_perm
    );
    s += "similarity  P(candidate)\n";
    let mut points = vec![0.3, 0.5, 0.6, 0.7, t, 0.85, 0.9, 0.95, 1.0];
    points.sort_by(f64::total_cmp);
    points.dedup();
    for x in points {
        let mark = if x == t { "  ← threshold" } else { "" };
        s += &format!("{x:>10.2}  {:.4}{mark}\n", b.probability(x));
    }
    s += &format!(
        "expected miss rate over [{t}, 1]: {:.2}% (pairs spread evenly; every candidate is verified exactly, so no false pair is reported)\n",
        100.0 * b.expected_miss_rate(t)
    );
    Ok(s)
}

/// The warning about documents without words: how many, and the first ten
/// ids; `None` when there are none.
pub fn empty_warning(result: &Dedup) -> Option<String> {
    if result.empty.is_empty() {
        return None;
    }
    let shown: Vec<&str> = result
        .empty
        .iter()
        .take(10)
        .map(|&d| result.ids.get(d).as_str())
        .collect();
    let more = result.empty.len().saturating_sub(shown.len());
    Some(format!(
        "{} empty document(s) (no words), not compared: {}{}",
        result.empty.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}
