//! Running neardup on a PAN text-alignment corpus and scoring it.
//!
//! Layout (as in PAN 2013): `src/`, `susp/`, and one folder per sub-corpus
//! holding a `pairs` file (`suspicious-documentX.txt source-documentY.txt` per
//! line) and one XML truth file per pair,
//! `suspicious-documentX-source-documentY.xml`.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::Event;
use rayon::prelude::*;

use super::measures::{Annotation, Measures, measures};
use crate::comparison::Alignment;
use crate::document::Document;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::profile::Profile;

/// One suspicious/source pair of the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanPair {
    /// Sub-corpus folder name, e.g. `02-no-obfuscation`.
    pub category: String,
    /// Suspicious document file name.
    pub susp: String,
    /// Source document file name.
    pub src: String,
}

impl PanPair {
    /// Name of the pair's XML file.
    pub fn xml_name(&self) -> String {
        format!("{}-{}.xml", stem(&self.susp), stem(&self.src))
    }
}

fn stem(name: &str) -> &str {
    name.strip_suffix(".txt").unwrap_or(name)
}

/// A PAN corpus: its pairs and their truth.
#[derive(Clone, Debug)]
pub struct PanCorpus {
    /// The corpus folder.
    pub root: PathBuf,
    /// Every pair, grouped by sub-corpus in folder order.
    pub pairs: Vec<PanPair>,
    /// Truth cases of each pair (same order as `pairs`).
    pub cases: Vec<Vec<Annotation>>,
}

impl PanCorpus {
    /// Reads the pairs and truth of the corpus at `root`.
    pub fn open(root: &Path) -> Result<PanCorpus> {
        let mut categories: Vec<PathBuf> = fs::read_dir(root)
            .map_err(|e| Error::io(root, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("pairs").is_file())
            .collect();
        categories.sort();
        if categories.is_empty() {
            return Err(Error::parse(
                root,
                0,
                "no sub-corpus folder with a `pairs` file",
            ));
        }
        let mut pairs = Vec::new();
        let mut cases = Vec::new();
        for dir in categories {
            let category = dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let list = dir.join("pairs");
            let text = fs::read_to_string(&list).map_err(|e| Error::io(&list, e))?;
            for (n, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let mut parts = line.split_whitespace();
                let (Some(susp), Some(src), None) = (parts.next(), parts.next(), parts.next())
                else {
                    return Err(Error::parse(&list, n + 1, "expected `SUSPICIOUS SOURCE`"));
                };
                let pair = PanPair {
                    category: category.clone(),
                    susp: susp.to_string(),
                    src: src.to_string(),
                };
                cases.push(read_truth(&dir.join(pair.xml_name()), &pair)?);
                pairs.push(pair);
            }
        }
        Ok(PanCorpus {
            root: root.to_path_buf(),
            pairs,
            cases,
        })
    }

    /// Path of a suspicious document.
    pub fn susp_path(&self, name: &str) -> PathBuf {
        self.root.join("susp").join(name)
    }

    /// Path of a source document.
    pub fn src_path(&self, name: &str) -> PathBuf {
        self.root.join("src").join(name)
    }
}

/// Reads the `plagiarism` features of a truth file; a missing file means no
/// case.
fn read_truth(path: &Path, pair: &PanPair) -> Result<Vec<Annotation>> {
    let xml = match fs::read_to_string(path) {
        Ok(x) => x,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path, e)),
    };
    parse_features(&xml, "plagiarism", pair).map_err(|m| Error::parse(path, 0, m))
}

/// Parses `<feature name="NAME" this_offset=… />` elements into annotations
/// of `pair`.
pub fn parse_features(
    xml: &str,
    name: &str,
    pair: &PanPair,
) -> std::result::Result<Vec<Annotation>, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Eof => return Ok(out),
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "feature" => {
                let mut attrs: HashMap<String, String> = HashMap::new();
                for a in e.attributes() {
                    let a = a.map_err(|e| e.to_string())?;
                    let key = a.key.as_ref().to_string();
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| e.to_string())?
                        .into_owned();
                    attrs.insert(key, value);
                }
                if attrs.get("name").map(String::as_str) != Some(name) {
                    continue;
                }
                let num = |k: &str| -> std::result::Result<usize, String> {
                    attrs
                        .get(k)
                        .ok_or_else(|| format!("feature without {k}"))?
                        .parse()
                        .map_err(|_| format!("{k} is not a number"))
                };
                out.push(Annotation {
                    susp: pair.susp.clone(),
                    susp_offset: num("this_offset")?,
                    susp_len: num("this_length")?,
                    src: pair.src.clone(),
                    src_offset: num("source_offset")?,
                    src_len: num("source_length")?,
                });
            }
            _ => {}
        }
    }
}

/// One of two fixed random halves of a corpus, for choosing parameters on one
/// and reporting on the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Half {
    /// The tuning half.
    A,
    /// The held-out half.
    B,
}

/// Seed of the documented split of PAN pairs into halves.
pub const SPLIT_SEED: u64 = 2026;

impl PanPair {
    /// The half this pair falls in: decided by a seeded hash of the pair's
    /// names, so the split is fixed, random and independent of folder order.
    pub fn half(&self) -> Half {
        let key = format!("{} {}", self.susp, self.src);
        if xxhash_rust::xxh3::xxh3_64_with_seed(key.as_bytes(), SPLIT_SEED).is_multiple_of(2) {
            Half::A
        } else {
            Half::B
        }
    }

    /// An alignment of this pair as a PAN detection (code-point offsets).
    pub fn annotation(&self, a: &Alignment) -> Annotation {
        Annotation {
            susp: self.susp.clone(),
            susp_offset: a.derived.start(),
            susp_len: a.derived.len(),
            src: self.src.clone(),
            src_offset: a.source.start(),
            src_len: a.source.len(),
        }
    }
}

/// Figures for one sub-corpus (or the whole corpus).
#[derive(Clone, Debug)]
pub struct CategoryResult {
    /// Sub-corpus name, or `entire`.
    pub name: String,
    /// Number of pairs.
    pub pairs: usize,
    /// Pairs with at least one detection.
    pub pairs_flagged: usize,
    /// The PAN measures.
    pub measures: Measures,
}

/// Result of a corpus run.
#[derive(Clone, Debug)]
pub struct PanResult {
    /// One row per sub-corpus, in folder order.
    pub categories: Vec<CategoryResult>,
    /// All pairs together.
    pub entire: CategoryResult,
    /// Detections of each pair, in `PanCorpus::pairs` order.
    pub detections: Vec<Vec<Annotation>>,
}

/// Compares every pair selected by `keep` (by index into the corpus pairs)
/// and scores the detections.
pub fn run(
    corpus: &PanCorpus,
    engine: &Engine,
    keep: impl Fn(usize) -> bool + Sync,
) -> Result<PanResult> {
    let selected: Vec<usize> = (0..corpus.pairs.len()).filter(|&i| keep(i)).collect();
    let profiles = load_profiles(corpus, engine, &selected)?;
    let detections: Vec<Vec<Annotation>> = (0..corpus.pairs.len())
        .into_par_iter()
        .map(|i| {
            if !keep(i) {
                return Vec::new();
            }
            let pair = &corpus.pairs[i];
            let comparison = engine.compare(&profiles[&pair.src], &profiles[&pair.susp]);
            comparison
                .alignments
                .iter()
                .map(|a| pair.annotation(a))
                .collect()
        })
        .collect();
    let mut by_category: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in &selected {
        by_category
            .entry(corpus.pairs[i].category.as_str())
            .or_default()
            .push(i);
    }
    let score = |name: &str, idx: &[usize]| CategoryResult {
        name: name.to_string(),
        pairs: idx.len(),
        pairs_flagged: idx.iter().filter(|&&i| !detections[i].is_empty()).count(),
        measures: measures(
            &idx.iter()
                .flat_map(|&i| corpus.cases[i].clone())
                .collect::<Vec<_>>(),
            &idx.iter()
                .flat_map(|&i| detections[i].clone())
                .collect::<Vec<_>>(),
        ),
    };
    let categories = by_category
        .iter()
        .map(|(name, idx)| score(name, idx))
        .collect();
    let entire = score("entire", &selected);
    Ok(PanResult {
        categories,
        entire,
        detections,
    })
}

/// The profiles of the documents of the `selected` pairs, by file name.
pub(crate) fn load_profiles(
    corpus: &PanCorpus,
    engine: &Engine,
    selected: &[usize],
) -> Result<HashMap<String, Profile>> {
    let mut names: Vec<(String, PathBuf)> = Vec::new();
    for &i in selected {
        let p = &corpus.pairs[i];
        names.push((p.susp.clone(), corpus.susp_path(&p.susp)));
        names.push((p.src.clone(), corpus.src_path(&p.src)));
    }
    names.sort();
    names.dedup();
    names
        .into_par_iter()
        .map(|(name, path)| {
            // Read as `compare` reads a file it is given (a few PAN texts
            // hold stray NUL bytes, read as spaces), so that this measures
            // exactly what `compare` outputs; only the id differs.
            let (doc, _warning) = Document::read(&path)?;
            Ok((name.clone(), engine.profile(Document::new(name, doc.text))))
        })
        .collect()
}

/// The detections of a pair in PAN's XML format (for the official scorer).
pub fn detections_xml(pair: &PanPair, detections: &[Annotation]) -> String {
    let mut xml = format!("<document reference=\"{}\">\n", escape(&pair.susp));
    for d in detections {
        xml.push_str(&format!(
            "<feature name=\"detected-plagiarism\" this_offset=\"{}\" this_length=\"{}\" source_reference=\"{}\" source_offset=\"{}\" source_length=\"{}\" />\n",
            d.susp_offset,
            d.susp_len,
            escape(&pair.src),
            d.src_offset,
            d.src_len
        ));
    }
    xml.push_str("</document>\n");
    xml
}

fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// The figures as a table, one row per sub-corpus and one for the whole.
pub fn table(dir: &Path, result: &PanResult, seconds: f64) -> String {
    use std::fmt::Write;
    let rows: Vec<&CategoryResult> = result.categories.iter().chain([&result.entire]).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "PAN text alignment: {} ({} pairs, {seconds:.1} s)",
        dir.display(),
        result.entire.pairs
    );
    let _ = writeln!(
        out,
        "{:<28} {:>6} {:>8} {:>9} {:>7} {:>11} {:>8}",
        "sub-corpus", "pairs", "flagged", "precision", "recall", "granularity", "plagdet"
    );
    for r in rows {
        let m = &r.measures;
        if m.cases == 0 {
            let _ = writeln!(
                out,
                "{:<28} {:>6} {:>8} {:>9} {:>7} {:>11} {:>8}",
                r.name, r.pairs, r.pairs_flagged, "-", "-", "-", "-"
            );
        } else {
            let _ = writeln!(
                out,
                "{:<28} {:>6} {:>8} {:>9.4} {:>7.4} {:>11.4} {:>8.4}",
                r.name, r.pairs, r.pairs_flagged, m.precision, m.recall, m.granularity, m.plagdet
            );
        }
    }
    out
}

/// The figures as one JSON object: `corpus`, `half`, `seconds` and a
/// `results` row per sub-corpus and for the whole.
pub fn to_json(
    dir: &Path,
    half: Option<&str>,
    result: &PanResult,
    seconds: f64,
) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = result
        .categories
        .iter()
        .chain([&result.entire])
        .map(|r| {
            let m = &r.measures;
            serde_json::json!({
                "name": r.name, "pairs": r.pairs, "pairs_flagged": r.pairs_flagged, "cases": m.cases,
                "detections": m.detections, "precision": m.precision, "recall": m.recall,
                "granularity": m.granularity, "plagdet": m.plagdet,
            })
        })
        .collect();
    serde_json::json!({"corpus": dir, "half": half, "seconds": seconds, "results": rows})
}

/// Writes each pair's detections as PAN XML (for the official scorer) into
/// `dir/CATEGORY/SUSP-SRC.xml`.
pub fn write_detections(
    corpus: &PanCorpus,
    detections: &[Vec<Annotation>],
    dir: &Path,
) -> Result<()> {
    for (pair, dets) in corpus.pairs.iter().zip(detections) {
        let folder = dir.join(&pair.category);
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let path = folder.join(pair.xml_name());
        std::fs::write(&path, detections_xml(pair, dets)).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_truth_features_and_ignores_others() {
        let pair = PanPair {
            category: "02".into(),
            susp: "suspicious-document00005.txt".into(),
            src: "source-document01090.txt".into(),
        };
        let xml = r#"<document reference="suspicious-document00005.txt">
<feature name="about" md5="x" />
<feature name="plagiarism" obfuscation="none" type="artificial" this_offset="3593" this_length="698"
         source_reference="source-document01090.txt" source_offset="1300" source_length="698" />
</document>"#;
        let cases = parse_features(xml, "plagiarism", &pair).unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(
            (cases[0].susp_offset, cases[0].susp_len, cases[0].src_offset),
            (3593, 698, 1300)
        );
        let round_trip =
            parse_features(&detections_xml(&pair, &cases), "detected-plagiarism", &pair).unwrap();
        assert_eq!(round_trip, cases);
    }

    #[test]
    fn xml_names_follow_pan() {
        let pair = PanPair {
            category: "x".into(),
            susp: "suspicious-document1.txt".into(),
            src: "source-document2.txt".into(),
        };
        assert_eq!(pair.xml_name(), "suspicious-document1-source-document2.xml");
    }
}
