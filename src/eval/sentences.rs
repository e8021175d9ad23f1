//! The sentence-similarity component on its own: MRPC (paraphrase or not,
//! Dolan & Brockett 2005) and the STS Benchmark (graded similarity 0–5),
//! against a plain tf-idf baseline.
//!
//! Both measures use idf from all sentences of the data set (unsupervised).
//! MRPC's decision threshold is chosen on its training split and applied to
//! its test split; STS-B needs none (Spearman correlation on its test split).

use std::collections::HashMap;
use std::path::Path;

use rust_stemmers::{Algorithm, Stemmer};

use super::classify;
use crate::error::{Error, Result};
use crate::terms::{UnitConfig, terms};
use crate::text::{CharIndex, tokens};

/// A sentence pair with its gold label (MRPC 0/1, STS 0–5).
#[derive(Clone, Debug)]
pub struct SentencePair {
    /// First sentence.
    pub a: String,
    /// Second sentence.
    pub b: String,
    /// Gold label.
    pub gold: f64,
}

/// Reads an MRPC file (`Quality<TAB>id<TAB>id<TAB>s1<TAB>s2`, header line).
pub fn read_mrpc(path: &Path) -> Result<Vec<SentencePair>> {
    read_tsv(path, 1, [0, 3, 4])
}

/// Reads an STS Benchmark file (`genre<TAB>file<TAB>year<TAB>id<TAB>score<TAB>s1<TAB>s2…`).
pub fn read_sts(path: &Path) -> Result<Vec<SentencePair>> {
    read_tsv(path, 0, [4, 5, 6])
}

/// Reads tab-separated pairs, skipping `header` lines; `columns` are the
/// gold label's and the two sentences' column numbers.
fn read_tsv(path: &Path, header: usize, columns: [usize; 3]) -> Result<Vec<SentencePair>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(header) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let field = |i: usize| fields.get(columns[i]).copied();
        match (
            field(0).and_then(|g| g.trim().parse().ok()),
            field(1),
            field(2),
        ) {
            (Some(gold), Some(a), Some(b)) => out.push(SentencePair {
                a: a.to_string(),
                b: b.to_string(),
                gold,
            }),
            _ => return Err(Error::parse(path, n + 1, "malformed line")),
        }
    }
    Ok(out)
}

/// How a sentence becomes a bag of terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Terms {
    /// Every normalised word, unstemmed: the plain tf-idf baseline.
    Plain,
    /// neardup's alignment terms: stemmed words of 3+ characters and numbers.
    Ours,
}

/// tf-idf vectors of sentences with idf over a fixed collection.
pub struct Model {
    terms: Terms,
    stemmer: Stemmer,
    config: UnitConfig,
    df: HashMap<u64, f64>,
    n: f64,
}

impl Model {
    /// A model whose idf comes from `sentences`.
    pub fn new<'a>(terms: Terms, sentences: impl Iterator<Item = &'a str>) -> Model {
        let mut model = Model {
            terms,
            stemmer: Stemmer::create(Algorithm::English),
            config: UnitConfig::default(),
            df: HashMap::new(),
            n: 0.0,
        };
        for s in sentences {
            model.n += 1.0;
            let mut seen: Vec<u64> = model.bag(s).into_keys().collect();
            seen.sort_unstable();
            for t in seen {
                *model.df.entry(t).or_default() += 1.0;
            }
        }
        model
    }

    fn bag(&self, sentence: &str) -> HashMap<u64, f64> {
        let tokens = tokens::tokenize(sentence, &CharIndex::new(sentence));
        match self.terms {
            Terms::Plain => {
                let mut bag = HashMap::new();
                for t in &tokens {
                    *bag.entry(crate::sketch::hash::token_hash(t.norm.as_bytes()))
                        .or_default() += 1.0;
                }
                bag
            }
            Terms::Ours => terms(&tokens, Some(&self.stemmer), &self.config)
                .into_iter()
                .map(|(t, n)| (t, n as f64))
                .collect(),
        }
    }

    /// tf-idf cosine similarity of two sentences.
    pub fn cosine(&self, a: &str, b: &str) -> f64 {
        let weigh = |bag: HashMap<u64, f64>| -> HashMap<u64, f64> {
            bag.into_iter()
                .map(|(t, tf)| {
                    (
                        t,
                        tf * (1.0 + self.n / (1.0 + self.df.get(&t).copied().unwrap_or(0.0))).ln(),
                    )
                })
                .collect()
        };
        let (va, vb) = (weigh(self.bag(a)), weigh(self.bag(b)));
        let dot: f64 = va
            .iter()
            .filter_map(|(t, w)| vb.get(t).map(|x| x * w))
            .sum();
        let na: f64 = va.values().map(|w| w * w).sum::<f64>().sqrt();
        let nb: f64 = vb.values().map(|w| w * w).sum::<f64>().sqrt();
        if na == 0.0 || nb == 0.0 {
            0.0
        } else {
            dot / (na * nb)
        }
    }
}

/// MRPC figures for one model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MrpcResult {
    /// Threshold chosen on the training split (best accuracy).
    pub threshold: f64,
    /// Test accuracy.
    pub accuracy: f64,
    /// Test F1 of the paraphrase class.
    pub f1: f64,
}

/// Scores MRPC: threshold from `train`, figures on `test`.
pub fn mrpc(model: &Model, train: &[SentencePair], test: &[SentencePair]) -> MrpcResult {
    let scores = |pairs: &[SentencePair]| -> Vec<f64> {
        pairs.iter().map(|p| model.cosine(&p.a, &p.b)).collect()
    };
    let (train_scores, test_scores) = (scores(train), scores(test));
    let train_gold: Vec<bool> = train.iter().map(|p| p.gold > 0.5).collect();
    let mut candidates = train_scores.clone();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    let threshold = candidates
        .iter()
        .copied()
        .max_by(|&x, &y| {
            let acc = |t: f64| {
                classify::accuracy(
                    &train_gold,
                    &train_scores.iter().map(|&s| s >= t).collect::<Vec<_>>(),
                )
            };
            acc(x).total_cmp(&acc(y))
        })
        .unwrap_or(0.5);
    let gold: Vec<bool> = test.iter().map(|p| p.gold > 0.5).collect();
    let predicted: Vec<bool> = test_scores.iter().map(|&s| s >= threshold).collect();
    MrpcResult {
        threshold,
        accuracy: classify::accuracy(&gold, &predicted),
        f1: classify::binary_f1(&gold, &predicted),
    }
}

/// STS-B: Spearman correlation of the model's similarity with the gold scores.
pub fn sts(model: &Model, test: &[SentencePair]) -> f64 {
    let scores: Vec<f64> = test.iter().map(|p| model.cosine(&p.a, &p.b)).collect();
    let gold: Vec<f64> = test.iter().map(|p| p.gold).collect();
    classify::spearman(&scores, &gold)
}

/// One model's figures on both corpora.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The model's name.
    pub name: &'static str,
    /// MRPC test accuracy and F1, threshold fitted on train.
    pub mrpc: MrpcResult,
    /// STS-B test Spearman correlation.
    pub sts_spearman: f64,
}

/// Both models (plain tf-idf, neardup's units) on MRPC (`msr_paraphrase_*.txt`
/// in `mrpc`) and STS-B (`sts-*.csv` in `sts`); idf over each corpus's
/// sentences.
pub fn evaluate(mrpc_dir: &Path, sts_dir: &Path) -> Result<Vec<Row>> {
    let train = read_mrpc(&mrpc_dir.join("msr_paraphrase_train.txt"))?;
    let test = read_mrpc(&mrpc_dir.join("msr_paraphrase_test.txt"))?;
    let sts_all: Vec<Vec<SentencePair>> = ["sts-train.csv", "sts-dev.csv", "sts-test.csv"]
        .iter()
        .map(|f| read_sts(&sts_dir.join(f)))
        .collect::<Result<_>>()?;
    let mut rows = Vec::new();
    for (name, terms) in [
        ("plain tf-idf (baseline)", Terms::Plain),
        ("neardup units (stemmed)", Terms::Ours),
    ] {
        let mrpc_model = Model::new(
            terms,
            train
                .iter()
                .chain(&test)
                .flat_map(|p| [p.a.as_str(), p.b.as_str()]),
        );
        let sts_model = Model::new(
            terms,
            sts_all
                .iter()
                .flatten()
                .flat_map(|p| [p.a.as_str(), p.b.as_str()]),
        );
        rows.push(Row {
            name,
            mrpc: mrpc(&mrpc_model, &train, &test),
            sts_spearman: sts(&sts_model, &sts_all[2]),
        });
    }
    Ok(rows)
}

/// The rows as a table.
pub fn render(rows: &[Row]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<32} {:>14} {:>8} {:>14}",
        "model", "MRPC accuracy", "MRPC F1", "STS-B Spearman"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:<32} {:>14.3} {:>8.3} {:>14.3}",
            r.name, r.mrpc.accuracy, r.mrpc.f1, r.sts_spearman
        );
    }
    out
}
