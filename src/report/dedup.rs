//! Dedup results: pairs (`a<TAB>b<TAB>similarity`, or the benchmark's JSON
//! Lines contract), clusters, and the explanation of the LSH parameters.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::value::RawValue;

use super::round;
use super::terminal::escape;
use crate::dedup::{Dedup, DedupConfig, Pair, Unit};
use crate::error::Result;

/// A pair as the benchmark's JSON line; ids exactly as given.
#[derive(Serialize)]
struct PairLine<'a> {
    a: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    a_paragraph: Option<u32>,
    b: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    b_paragraph: Option<u32>,
    similarity: f64,
}

/// A cluster as a JSON line.
#[derive(Serialize)]
struct ClusterLine<'a> {
    cluster: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    cluster_paragraph: Option<u32>,
    size: usize,
    members: Vec<Member<'a>>,
}

/// A cluster member: an id, or at paragraph level `{"id", "paragraph"}`.
#[derive(Serialize)]
#[serde(untagged)]
enum Member<'a> {
    Id(&'a RawValue),
    Paragraph { id: &'a RawValue, paragraph: u32 },
}

/// The paragraph of a unit at paragraph level.
fn paragraph_of(unit: Unit, paragraph: bool) -> Option<u32> {
    paragraph.then_some(unit.paragraph)
}

/// One verified pair, one line: `a<TAB>b<TAB>similarity` (paragraphs as
/// `id#n`), or with `json` `{"a", "b", "similarity"}` (paragraphs: also
/// `"a_paragraph"`, `"b_paragraph"`), ids as given (a number stays the
/// number as written).
pub fn write_pair(out: &mut impl Write, result: &Dedup, pair: &Pair, json: bool) -> io::Result<()> {
    let paragraph = result.is_paragraph_level();
    let (ua, ub) = result.units_of(pair);
    if json {
        let (a, b) = (result.id(ua).to_json(), result.id(ub).to_json());
        let line = PairLine {
            a: &a,
            a_paragraph: paragraph_of(ua, paragraph),
            b: &b,
            b_paragraph: paragraph_of(ub, paragraph),
            similarity: round(pair.similarity),
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)
    } else {
        // Ids come from the input: escaped, so that none can steer a
        // terminal (JSON output stays exact).
        writeln!(
            out,
            "{}\t{}\t{:.3}",
            escape(&result.unit_name(ua)),
            escape(&result.unit_name(ub)),
            pair.similarity
        )
    }
}

/// Every verified pair held in `result.pairs`, one a line (see
/// [`write_pair`]).
pub fn write_pairs(out: &mut impl Write, result: &Dedup, json: bool) -> io::Result<()> {
    for p in &result.pairs {
        write_pair(out, result, p, json)?;
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
            let ids: Vec<Box<RawValue>> = members.iter().map(|&u| result.id(u).to_json()).collect();
            let list: Vec<Member<'_>> = members
                .iter()
                .zip(&ids)
                .map(|(&u, id)| match paragraph_of(u, paragraph) {
                    Some(p) => Member::Paragraph { id, paragraph: p },
                    None => Member::Id(id),
                })
                .collect();
            let line = ClusterLine {
                cluster: &ids[0],
                cluster_paragraph: paragraph_of(members[0], paragraph),
                size: members.len(),
                members: list,
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
        } else {
            let names: Vec<String> = members
                .iter()
                .map(|&u| escape(&result.unit_name(u)).into_owned())
                .collect();
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
