//! Where the PAN points are lost: for each sub-corpus, plagdet as measured
//! and as it would be with one kind of error fixed perfectly (an oracle that
//! reads the truth, for analysis only):
//! `pan_losses PAN_DIR a|b|all [key=value…]` (keys as `Config::set`).
//!
//! - `src-over` / `der-over`: detections clipped to the cases they detect,
//!   on the source (derived) side;
//! - `under`: detections widened to the cases they detect, both sides;
//! - `missed`: a perfect detection added for each case no detection touches;
//! - `false`: detections that detect no case removed;
//! - `merge`: the detections of each case merged into one (granularity).
use std::collections::HashMap;

use neardup::Kind;
use neardup::eval::measures::{Annotation, measures};
use neardup::eval::pan::{Half, PanCorpus};
use neardup::{Config, Document, Engine};
use rayon::prelude::*;

fn detects(a: &Annotation, b: &Annotation) -> bool {
    let ov = |x: usize, xl: usize, y: usize, yl: usize| y + yl > x && y < x + xl;
    a.susp == b.susp
        && a.src == b.src
        && ov(a.susp_offset, a.susp_len, b.susp_offset, b.susp_len)
        && ov(a.src_offset, a.src_len, b.src_offset, b.src_len)
}

/// The hull of the cases a detection detects: (susp start, end, src start, end).
fn hull(d: &Annotation, cases: &[Annotation]) -> Option<(usize, usize, usize, usize)> {
    let hit: Vec<&Annotation> = cases.iter().filter(|c| detects(d, c)).collect();
    if hit.is_empty() {
        return None;
    }
    Some((
        hit.iter().map(|c| c.susp_offset).min().unwrap(),
        hit.iter()
            .map(|c| c.susp_offset + c.susp_len)
            .max()
            .unwrap(),
        hit.iter().map(|c| c.src_offset).min().unwrap(),
        hit.iter().map(|c| c.src_offset + c.src_len).max().unwrap(),
    ))
}

fn clip(off: usize, len: usize, lo: usize, hi: usize) -> (usize, usize) {
    let (s, e) = (off.max(lo), (off + len).min(hi));
    if s < e { (s, e - s) } else { (off, len) }
}

type Fix = fn(&[Annotation], &[Annotation]) -> Vec<Annotation>;

fn src_over(cases: &[Annotation], dets: &[Annotation]) -> Vec<Annotation> {
    dets.iter()
        .map(|d| match hull(d, cases) {
            Some((_, _, a, b)) => {
                let (o, l) = clip(d.src_offset, d.src_len, a, b);
                Annotation {
                    src_offset: o,
                    src_len: l,
                    ..d.clone()
                }
            }
            None => d.clone(),
        })
        .collect()
}

fn der_over(cases: &[Annotation], dets: &[Annotation]) -> Vec<Annotation> {
    dets.iter()
        .map(|d| match hull(d, cases) {
            Some((a, b, _, _)) => {
                let (o, l) = clip(d.susp_offset, d.susp_len, a, b);
                Annotation {
                    susp_offset: o,
                    susp_len: l,
                    ..d.clone()
                }
            }
            None => d.clone(),
        })
        .collect()
}

fn under(cases: &[Annotation], dets: &[Annotation]) -> Vec<Annotation> {
    dets.iter()
        .map(|d| match hull(d, cases) {
            Some((a, b, c, e)) => {
                let s = d.susp_offset.min(a);
                let se = (d.susp_offset + d.susp_len).max(b);
                let r = d.src_offset.min(c);
                let re = (d.src_offset + d.src_len).max(e);
                Annotation {
                    susp_offset: s,
                    susp_len: se - s,
                    src_offset: r,
                    src_len: re - r,
                    ..d.clone()
                }
            }
            None => d.clone(),
        })
        .collect()
}

fn missed(cases: &[Annotation], dets: &[Annotation]) -> Vec<Annotation> {
    let mut out = dets.to_vec();
    out.extend(
        cases
            .iter()
            .filter(|c| !dets.iter().any(|d| detects(d, c)))
            .cloned(),
    );
    out
}

fn false_dets(cases: &[Annotation], dets: &[Annotation]) -> Vec<Annotation> {
    dets.iter()
        .filter(|d| cases.iter().any(|c| detects(d, c)))
        .cloned()
        .collect()
}

fn merge(cases: &[Annotation], dets: &[Annotation]) -> Vec<Annotation> {
    let mut out: Vec<Annotation> = Vec::new();
    let mut used = vec![false; dets.len()];
    for c in cases {
        let idx: Vec<usize> = (0..dets.len())
            .filter(|&i| detects(&dets[i], c) && !used[i])
            .collect();
        if idx.is_empty() {
            continue;
        }
        let s = idx.iter().map(|&i| dets[i].susp_offset).min().unwrap();
        let se = idx
            .iter()
            .map(|&i| dets[i].susp_offset + dets[i].susp_len)
            .max()
            .unwrap();
        let r = idx.iter().map(|&i| dets[i].src_offset).min().unwrap();
        let re = idx
            .iter()
            .map(|&i| dets[i].src_offset + dets[i].src_len)
            .max()
            .unwrap();
        for &i in &idx {
            used[i] = true;
        }
        out.push(Annotation {
            susp_offset: s,
            susp_len: se - s,
            src_offset: r,
            src_len: re - r,
            ..dets[idx[0]].clone()
        });
    }
    out.extend(
        (0..dets.len())
            .filter(|&i| !used[i])
            .map(|i| dets[i].clone()),
    );
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: pan_losses PAN_DIR a|b|all [key=value…]");
        std::process::exit(2);
    }
    let mut cfg = Config::default();
    for kv in &args[3..] {
        let (k, v) = kv.split_once('=').unwrap();
        cfg.set(k, v).unwrap_or_else(|e| panic!("{e}"));
    }
    let engine = Engine::new(cfg).unwrap();
    let corpus = PanCorpus::open(args[1].as_ref()).unwrap();
    let half = match args[2].as_str() {
        "a" => Some(Half::A),
        "b" => Some(Half::B),
        _ => None,
    };
    let selected: Vec<usize> = (0..corpus.pairs.len())
        .filter(|&i| half.is_none_or(|h| corpus.pairs[i].half() == h))
        .collect();
    // Read as `compare` and `eval pan` read them, named by file name.
    let read = |path: std::path::PathBuf, name: &str| {
        let (doc, _) = Document::read(&path).unwrap_or_else(|e| panic!("{e}"));
        Document::new(name, doc.text)
    };
    let results: Vec<(usize, Vec<(Annotation, Kind)>)> = selected
        .par_iter()
        .map(|&i| {
            let p = &corpus.pairs[i];
            let s = read(corpus.src_path(&p.src), &p.src);
            let d = read(corpus.susp_path(&p.susp), &p.susp);
            let c = engine.compare_documents(s, d);
            let dets = c
                .alignments
                .iter()
                .map(|a| (p.annotation(a), a.kind))
                .collect();
            (i, dets)
        })
        .collect();
    let mut by_cat: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, (i, _)) in results.iter().enumerate() {
        by_cat
            .entry(corpus.pairs[*i].category.as_str())
            .or_default()
            .push(k);
    }
    let fixes: [(&str, Fix); 6] = [
        ("src-over", src_over),
        ("der-over", der_over),
        ("under", under),
        ("missed", missed),
        ("false", false_dets),
        ("merge", merge),
    ];
    let mut cats: Vec<&&str> = by_cat.keys().collect();
    cats.sort();
    for cat in cats {
        let ks = &by_cat[*cat];
        let cases: Vec<Annotation> = ks
            .iter()
            .flat_map(|&k| corpus.cases[results[k].0].clone())
            .collect();
        let dets: Vec<Annotation> = ks
            .iter()
            .flat_map(|&k| results[k].1.iter().map(|(a, _)| a.clone()))
            .collect();
        let flagged = ks.iter().filter(|&&k| !results[k].1.is_empty()).count();
        if cases.is_empty() {
            println!("{cat}: {} pairs, {flagged} flagged", ks.len());
            continue;
        }
        let base = measures(&cases, &dets);
        let mut line = format!(
            "{cat}: plagdet {:.4} (P {:.4} R {:.4} G {:.4}) dets {}",
            base.plagdet,
            base.precision,
            base.recall,
            base.granularity,
            dets.len()
        );
        for (name, fix) in fixes {
            let fixed: Vec<Annotation> = ks
                .iter()
                .flat_map(|&k| {
                    let c = &corpus.cases[results[k].0];
                    let d: Vec<Annotation> = results[k].1.iter().map(|(a, _)| a.clone()).collect();
                    fix(c, &d)
                })
                .collect();
            let m = measures(&cases, &fixed);
            line += &format!(" | {name} {:+.4}", m.plagdet - base.plagdet);
        }
        let summaries = ks
            .iter()
            .flat_map(|&k| &results[k].1)
            .filter(|(_, kind)| *kind == Kind::Summary)
            .count();
        let false_n = ks
            .iter()
            .flat_map(|&k| {
                let c = &corpus.cases[results[k].0];
                results[k]
                    .1
                    .iter()
                    .filter(move |(a, _)| !c.iter().any(|x| detects(a, x)))
            })
            .count();
        let missed_cases: Vec<&Annotation> = ks
            .iter()
            .flat_map(|&k| {
                let d = &results[k].1;
                corpus.cases[results[k].0]
                    .iter()
                    .filter(move |c| !d.iter().any(|(a, _)| detects(a, c)))
            })
            .collect();
        let short = missed_cases.iter().filter(|c| c.susp_len < 300).count();
        line += &format!(
            " | summaries {summaries} false {false_n} missed {} (<300: {short})",
            missed_cases.len()
        );
        println!("{line}");
    }
}
