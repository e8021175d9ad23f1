//! Corpus deduplication: every pair of documents (or of paragraphs of
//! different documents) whose word-shingle Jaccard similarity is at least a
//! threshold, found with LSH and verified exactly.
//!
//! 1. **Fingerprint** (streaming, parallel per batch): each document becomes
//!    its units' band hashes ([`Fingerprinter`]); texts are dropped, only ids,
//!    origins (where to read a record again) and band entries stay.
//! 2. **Candidates**: units sharing a band hash
//!    ([`BandTable::for_each_pair`]), band by band, handed on as they are
//!    found; a giant bucket pairs each unit with the next
//!    [`DedupConfig::bucket_cap`] of it only. At document level, documents
//!    with identical texts (equal 128-bit text hashes, taken at fingerprint
//!    time) stand for their first copy, the only one in the buckets, so the
//!    cap applies to distinct texts: each copy is paired with its first at
//!    similarity 1, and inherits its verified pairs (the Spark job's rule,
//!    so both give the same pairs).
//! 3. **Verify**: candidates are taken in chunks; the documents of a chunk's
//!    pairs are read again, their exact shingle sets computed, and only pairs
//!    with Jaccard ≥ threshold kept. No pair is reported on an estimate.
//!    Verified pairs go straight to the caller ([`dedup_each`]) and into a
//!    union–find, so memory does not grow with the number of pairs.
//! 4. **Write** (optional, [`dataset`]): one unit per cluster kept, the
//!    deduplicated dataset written.

pub mod clusters;
mod copies;
pub mod dataset;

use std::mem;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::corpus::{BadRecord, Batch, Corpus, Id, IdTable, Origin};
use crate::error::{Error, Result};
use crate::events::Events;
use crate::fingerprint::{DocPrint, Fingerprinter, Granularity, unit_text_hash};
use crate::lsh::{BandTable, Banding, Buckets, PackedPair, WHOLE_DOCUMENT, Weights, unpack};
use crate::sketch::SketchConfig;
use crate::sketch::shingles::ShingleSet;
use crate::sketch::similarity::jaccard;
use crate::text::paragraphs::blank_line_blocks;

use copies::Copies;

pub use clusters::{UnionFind, clusters};
pub use dataset::{DatasetReport, write_dataset, write_dataset_files};

/// Default [`DedupConfig::bucket_cap`].
pub const DEFAULT_BUCKET_CAP: usize = 100;

/// Candidate pairs verified at a time (32 MB of pairs).
const CHUNK_PAIRS: usize = 1 << 22;

/// Parameters of a deduplication run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DedupConfig {
    /// Report pairs with Jaccard similarity at least this (default 0.8).
    pub threshold: f64,
    /// Documents or paragraphs.
    pub granularity: Granularity,
    /// Shingles and signatures (5-word shingles, 128 permutations).
    pub sketch: SketchConfig,
    /// Bands and rows; `None` chooses them from the threshold.
    pub banding: Option<Banding>,
    /// Weights of the choice of bands and rows.
    pub weights: Weights,
    /// Most units a band bucket pairs each unit with (default
    /// [`DEFAULT_BUCKET_CAP`]): in a bucket of more units — documents
    /// sharing a band key by the thousand, like boilerplate or one-word
    /// texts — each unit is compared with the next `bucket_cap` units of
    /// the bucket only, so work stays bounded; pairs farther apart in such
    /// a bucket are not reported (see [`Dedup::capped_buckets`]).
    pub bucket_cap: usize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            threshold: 0.8,
            granularity: Granularity::Document,
            sketch: SketchConfig::default(),
            banding: None,
            weights: Weights::default(),
            bucket_cap: DEFAULT_BUCKET_CAP,
        }
    }
}

impl DedupConfig {
    /// The banding in force: the override, or the optimum for the threshold.
    pub fn banding(&self) -> Result<Banding> {
        match self.banding {
            Some(b) => Banding::new(b.bands, b.rows, self.sketch.num_perm),
            None => Banding::optimal(self.threshold, self.sketch.num_perm, self.weights),
        }
    }

    /// The fingerprinter of this configuration.
    pub fn fingerprinter(&self) -> Result<Fingerprinter> {
        Fingerprinter::new(self.sketch, self.banding()?, self.granularity)
    }
}

/// A unit of comparison: a document or one of its paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unit {
    /// Document number (input order).
    pub doc: u32,
    /// Paragraph number, or [`WHOLE_DOCUMENT`].
    pub paragraph: u32,
}

/// A verified pair of units, `a < b`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    /// First unit (index into [`Dedup::units`]).
    pub a: u32,
    /// Second unit.
    pub b: u32,
    /// Exact Jaccard similarity of their shingle sets.
    pub similarity: f64,
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct Dedup {
    /// Document ids, in input order.
    pub ids: IdTable,
    /// Where each document is in the corpus (parallel to `ids`).
    pub origins: Vec<Origin>,
    /// Units, in input order.
    pub units: Vec<Unit>,
    /// Bytes of text of each unit (parallel to `units`).
    pub unit_bytes: Vec<u32>,
    /// Verified pairs, sorted by units ([`dedup`]); empty when they were
    /// handed out one by one ([`dedup_each`]).
    pub pairs: Vec<Pair>,
    /// Number of verified pairs.
    pub pair_count: usize,
    /// Documents without a single word.
    pub empty: Vec<u32>,
    /// Records skipped as bad (`skip_bad`).
    pub skipped: usize,
    /// Candidate pairs before verification (of distinct texts at document
    /// level).
    pub candidates: usize,
    /// Documents whose text is identical to an earlier one's (document
    /// level): they were paired through that first copy.
    pub copies: usize,
    /// The banding used.
    pub banding: Option<Banding>,
    /// Band buckets with more than [`DedupConfig::bucket_cap`] units
    /// (within them, pairs were limited), and the largest bucket's size.
    pub buckets: Buckets,
    /// Inputs named in the corpus that yielded no document.
    pub unproductive_inputs: Vec<PathBuf>,
    /// Components of the verified pairs.
    components: UnionFind,
}

/// Which unit of a cluster of near-duplicates is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Keep {
    /// The first in input order.
    #[default]
    First,
    /// The longest (most bytes of text); ties go to the first.
    Longest,
}

/// A unit to drop: it near-duplicates the unit kept for its cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removal {
    /// The unit dropped.
    pub unit: Unit,
    /// The unit kept in its place.
    pub kept: Unit,
}

impl Dedup {
    /// The units to drop so that one unit per cluster remains: the kept set
    /// has no verified pair left, and a unit without a near-duplicate is
    /// never dropped. In input order.
    pub fn removals(&self, keep: Keep) -> Vec<Removal> {
        let mut out = Vec::new();
        for members in self.components() {
            // Members are unit indices, ascending: input order.
            let kept = match keep {
                Keep::First => members[0],
                Keep::Longest => *members
                    .iter()
                    .rev()
                    .max_by_key(|&&u| self.unit_bytes[u as usize])
                    .expect("clusters have members"),
            };
            out.extend(members.iter().filter(|&&u| u != kept).map(|&u| Removal {
                unit: self.units[u as usize],
                kept: self.units[kept as usize],
            }));
        }
        out.sort_unstable_by_key(|r| r.unit);
        out
    }

    /// Band buckets larger than [`DedupConfig::bucket_cap`] (pairs inside
    /// them were limited to the cap); 0 when every pair was tried.
    pub fn capped_buckets(&self) -> usize {
        self.buckets.capped
    }

    /// Components of the verified pairs (unit indices), at least two units
    /// each, in order of their first unit.
    fn components(&self) -> Vec<Vec<u32>> {
        if self.components.len() == self.units.len() {
            self.components.components()
        } else {
            clusters(self.units.len(), self.pairs.iter().map(|p| (p.a, p.b)))
        }
    }

    /// True if the units are paragraphs.
    pub fn is_paragraph_level(&self) -> bool {
        self.units
            .first()
            .is_some_and(|u| u.paragraph != WHOLE_DOCUMENT)
    }

    /// The id of a unit's document.
    pub fn id(&self, unit: Unit) -> &Id {
        self.ids.get(unit.doc)
    }

    /// A unit's name: its document's id, with `#paragraph` at paragraph
    /// level.
    pub fn unit_name(&self, unit: Unit) -> String {
        let id = self.id(unit).as_str();
        if unit.paragraph == WHOLE_DOCUMENT {
            id.to_string()
        } else {
            format!("{id}#{}", unit.paragraph)
        }
    }

    /// The two units of a pair.
    pub fn units_of(&self, pair: &Pair) -> (Unit, Unit) {
        (self.units[pair.a as usize], self.units[pair.b as usize])
    }

    /// Connected components of the verified pairs, each sorted by id (then
    /// paragraph), in order of their first member: a cluster is named by its
    /// smallest member (numbers before strings).
    pub fn clusters(&self) -> Vec<Vec<Unit>> {
        let order = |x: &Unit, y: &Unit| {
            self.id(*x)
                .cmp(self.id(*y))
                .then(x.paragraph.cmp(&y.paragraph))
        };
        let mut clusters: Vec<Vec<Unit>> = self
            .components()
            .into_iter()
            .map(|c| {
                let mut members: Vec<Unit> = c.iter().map(|&u| self.units[u as usize]).collect();
                members.sort_by(order);
                members
            })
            .collect();
        clusters.sort_by(|x, y| order(&x[0], &y[0]));
        clusters
    }
}

/// `text` without the paragraphs numbered in `removed` (blocks between blank
/// lines, numbered from 0 as at paragraph level): each removed block goes
/// with the blank lines that follow it; everything else stays byte for byte.
pub fn without_paragraphs(text: &str, removed: &[u32]) -> String {
    let blocks = blank_line_blocks(text);
    let mut out = String::with_capacity(text.len());
    for (i, block) in blocks.iter().enumerate() {
        let end = blocks.get(i + 1).map_or(text.len(), |next| next.start);
        if !removed.contains(&(i as u32)) {
            out.push_str(&text[block.start..end]);
        }
    }
    out
}

/// Everything kept about a corpus between the passes.
#[derive(Debug)]
struct Collected {
    ids: IdTable,
    origins: Vec<Origin>,
    units: Vec<Unit>,
    unit_bytes: Vec<u32>,
    table: BandTable,
    /// Text hash of each unit (document level; empty at paragraph level).
    text_hashes: Vec<u128>,
    empty: Vec<u32>,
    skipped: usize,
}

/// Finds every pair at or above the threshold in `corpus`, collected in
/// [`Dedup::pairs`] (for large corpora, [`dedup_each`] hands them out
/// instead).
pub fn dedup(corpus: &Corpus, config: &DedupConfig, events: &mut dyn Events) -> Result<Dedup> {
    let mut pairs = Vec::new();
    let mut result = dedup_each(corpus, config, events, &mut |_, p| {
        pairs.push(*p);
        Ok(())
    })?;
    result.pairs = pairs;
    Ok(result)
}

/// Finds every pair at or above the threshold in `corpus` and hands each to
/// `on_pair` as soon as it is verified (in chunks of candidates; sorted by
/// units within a chunk, which for all but huge corpora is one chunk), with
/// the run so far (ids, units) to name it. Identical documents come at
/// similarity 1, and each copy with the pairs of its first copy; when a
/// corpus has copies, its pairs are handed out in sorted lots of at most a
/// million. The result holds the clusters but not the pairs. An error from
/// `on_pair` stops the run.
pub fn dedup_each(
    corpus: &Corpus,
    config: &DedupConfig,
    events: &mut dyn Events,
    on_pair: &mut dyn FnMut(&Dedup, &Pair) -> Result<()>,
) -> Result<Dedup> {
    run(corpus, config, events, Some(on_pair))
}

/// Finds the clusters and counts the pairs at or above the threshold in
/// `corpus`, handing out no pair: the pairs among identical documents
/// (k(k−1)/2 for k copies of a text) are counted, not enumerated, so a
/// corpus of a few texts copied by the million costs no more than its
/// distinct texts.
pub fn dedup_clusters(
    corpus: &Corpus,
    config: &DedupConfig,
    events: &mut dyn Events,
) -> Result<Dedup> {
    run(corpus, config, events, None)
}

/// Where verified pairs go: to a callback, or only counted.
type OnPair<'a> = Option<&'a mut dyn FnMut(&Dedup, &Pair) -> Result<()>>;

/// Pairs held at most before they are sorted and handed out, when copies
/// add pairs to the verified ones (16 MB).
const HELD_PAIRS: usize = 1 << 20;

/// Hands pairs out, or counts them. With copies, the pairs (of copies and
/// of representatives) are held up to [`HELD_PAIRS`] and handed out sorted,
/// so that output is in order of units within each lot, as without copies.
struct Sink<'a> {
    on_pair: OnPair<'a>,
    held: Vec<Pair>,
}

impl Sink<'_> {
    /// Hands out (or counts) a pair now.
    fn give(&mut self, result: &mut Dedup, pair: &Pair) -> Result<()> {
        if let Some(on_pair) = &mut self.on_pair {
            on_pair(result, pair)?;
        }
        result.pair_count += 1;
        Ok(())
    }

    /// Holds a pair, handing out the lot held when it is full.
    fn hold(&mut self, result: &mut Dedup, pair: Pair) -> Result<()> {
        self.held.push(pair);
        if self.held.len() >= HELD_PAIRS {
            self.release(result)?;
        }
        Ok(())
    }

    /// Hands out the pairs held, in order of units.
    fn release(&mut self, result: &mut Dedup) -> Result<()> {
        let mut held = mem::take(&mut self.held);
        held.par_sort_unstable_by_key(|p| (p.a, p.b));
        for pair in &held {
            self.give(result, pair)?;
        }
        held.clear();
        self.held = held;
        Ok(())
    }
}

fn run(
    corpus: &Corpus,
    config: &DedupConfig,
    events: &mut dyn Events,
    on_pair: OnPair<'_>,
) -> Result<Dedup> {
    let fp = config.fingerprinter()?;
    let collected = collect(corpus, &fp, events)?;
    let Collected {
        ids,
        origins,
        units,
        unit_bytes,
        mut table,
        text_hashes,
        empty,
        skipped,
    } = collected;
    let copies = Copies::find(&text_hashes);
    drop(text_hashes);
    let mut result = Dedup {
        unproductive_inputs: corpus.unproductive_inputs(origins.iter().copied()),
        components: UnionFind::new(units.len()),
        ids,
        origins,
        units,
        unit_bytes,
        empty,
        skipped,
        copies: copies.links().len(),
        banding: Some(fp.banding()),
        ..Dedup::default()
    };
    for &(_, copy) in copies.links() {
        table.leave_out(copy);
    }
    events.stage("verify");
    let mut sink = Sink {
        on_pair,
        held: Vec::new(),
    };
    pair_copies(&copies, &mut result, &mut sink)?;
    let mut pending: Vec<PackedPair> = Vec::new();
    let threshold = config.threshold;
    let buckets = table.for_each_pair(
        config.bucket_cap,
        |_, _| false,
        |a, b| {
            if result.units[a as usize].doc == result.units[b as usize].doc {
                return Ok(());
            }
            result.candidates += 1;
            pending.push(u64::from(a) << 32 | u64::from(b));
            if pending.len() >= CHUNK_PAIRS {
                let verified = flush(corpus, &fp, &mut pending, &result, threshold)?;
                hand_out(&verified, &copies, &mut result, &mut sink)?;
            }
            Ok::<(), Error>(())
        },
    )?;
    let verified = flush(corpus, &fp, &mut pending, &result, threshold)?;
    hand_out(&verified, &copies, &mut result, &mut sink)?;
    sink.release(&mut result)?;
    result.buckets = Buckets {
        pairs: result.candidates,
        ..buckets
    };
    Ok(result)
}

/// Links each copy to its representative, and holds the pairs within each
/// group of identical units, at similarity 1 (counts them, without a
/// callback: k copies make k(k−1)/2 pairs).
fn pair_copies(copies: &Copies, result: &mut Dedup, sink: &mut Sink) -> Result<()> {
    for &(rep, copy) in copies.links() {
        result.components.union(rep, copy);
    }
    for group in copies.groups() {
        if sink.on_pair.is_none() {
            result.pair_count += group.len() * (group.len() - 1) / 2;
            continue;
        }
        for (i, &a) in group.iter().enumerate() {
            for &b in &group[i + 1..] {
                let pair = Pair {
                    a,
                    b,
                    similarity: 1.0,
                };
                sink.hold(result, pair)?;
            }
        }
    }
    Ok(())
}

/// Links the verified pairs of representatives and hands out (holds, with
/// copies) the pairs of every member of one's group with every member of
/// the other's, at the representatives' similarity (`a < b` in each).
fn hand_out(verified: &[Pair], copies: &Copies, result: &mut Dedup, sink: &mut Sink) -> Result<()> {
    for pair in verified {
        result.components.union(pair.a, pair.b);
        if copies.is_empty() {
            sink.give(result, pair)?;
        } else if sink.on_pair.is_none() {
            result.pair_count += copies.count(pair.a) * copies.count(pair.b);
        } else {
            for x in copies.members(pair.a) {
                for y in copies.members(pair.b) {
                    let expanded = Pair {
                        a: x.min(y),
                        b: x.max(y),
                        similarity: pair.similarity,
                    };
                    sink.hold(result, expanded)?;
                }
            }
        }
    }
    Ok(())
}

/// Verifies the pending candidates: the pairs at or above `threshold`, in
/// order of their units.
fn flush(
    corpus: &Corpus,
    fp: &Fingerprinter,
    pending: &mut Vec<PackedPair>,
    result: &Dedup,
    threshold: f64,
) -> Result<Vec<Pair>> {
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    pending.par_sort_unstable();
    let verified = verify(
        corpus,
        fp,
        &result.origins,
        &result.units,
        pending,
        threshold,
    )?;
    pending.clear();
    Ok(verified)
}

/// Pass 1: reads and fingerprints every record, in parallel within a batch
/// while the next batch is read.
fn collect(corpus: &Corpus, fp: &Fingerprinter, events: &mut dyn Events) -> Result<Collected> {
    let mut c = Collected {
        ids: IdTable::new(),
        origins: Vec::new(),
        units: Vec::new(),
        unit_bytes: Vec::new(),
        table: BandTable::new(fp.banding().bands),
        text_hashes: Vec::new(),
        empty: Vec::new(),
        skipped: 0,
    };
    let mut reader = corpus.reader();
    let mut current = Batch::default();
    let mut next = Batch::default();
    let mut more = reader.next_batch(&mut current)?;
    while more {
        let (prints, read) = rayon::join(
            || fingerprint_batch(corpus, fp, &current),
            || reader.next_batch(&mut next),
        );
        events.progress(current.bytes(corpus));
        for chunk in prints {
            let mut first_unit = 0;
            for printed in chunk.records {
                let units = printed.as_ref().map_or(0, |p| p.units);
                absorb(corpus, &mut c, printed, &chunk.print, first_unit, events)?;
                first_unit += units;
            }
        }
        mem::swap(&mut current, &mut next);
        more = read?;
    }
    Ok(c)
}

/// Records fingerprinted together by one thread: their units' band hashes
/// in one [`DocPrint`] (one allocation per chunk, not per record).
struct Chunk {
    print: DocPrint,
    records: Vec<Printed>,
}

/// Records a thread fingerprints into one [`Chunk`].
const CHUNK_RECORDS: usize = 64;

/// One record of a [`Chunk`]: its id, origin, warning, tokens, how many
/// units it has in the chunk's print (they follow the previous record's)
/// and, at document level, the hash of its text.
type Printed = std::result::Result<PrintedRecord, BadRecord>;

struct PrintedRecord {
    id: crate::corpus::Id,
    origin: Origin,
    warning: Option<String>,
    tokens: usize,
    units: usize,
    text_hash: Option<u128>,
}

fn fingerprint_batch(corpus: &Corpus, fp: &Fingerprinter, batch: &Batch) -> Vec<Chunk> {
    batch
        .items
        .par_chunks(CHUNK_RECORDS)
        .map_init(
            || fp.scratch(),
            |scratch, items| {
                let mut print = DocPrint::default();
                let records = items
                    .iter()
                    .map(|item| {
                        let record = batch.parse(corpus, item)?;
                        let tokens_before = print.tokens;
                        let units = fp.fingerprint_into(&record.text, scratch, &mut print);
                        let whole = fp.granularity() == Granularity::Document && units > 0;
                        Ok(PrintedRecord {
                            text_hash: whole.then(|| unit_text_hash(&record.text)),
                            id: record.id,
                            origin: record.origin,
                            warning: record.warning,
                            tokens: print.tokens - tokens_before,
                            units,
                        })
                    })
                    .collect();
                Chunk { print, records }
            },
        )
        .collect()
}

/// Adds one fingerprinted record: checks its id, keeps its units (in
/// `print`, from its `first_unit`-th).
fn absorb(
    corpus: &Corpus,
    c: &mut Collected,
    printed: Printed,
    print: &DocPrint,
    first_unit: usize,
    events: &mut dyn Events,
) -> Result<()> {
    let PrintedRecord {
        id,
        origin,
        warning,
        tokens,
        units,
        text_hash,
    } = match printed {
        Ok(p) => p,
        Err(bad) if bad.always_skip => {
            events.warning(&bad.to_string());
            return Ok(());
        }
        Err(bad) if events.bad_record(&bad) => {
            c.skipped += 1;
            return Ok(());
        }
        Err(bad) => return Err(bad.into()),
    };
    let doc = c.ids.insert(id).map_err(|first| {
        let shown = c.ids.get(first).to_string();
        let (path, line) = corpus.place(origin);
        let (first_path, first_line) = corpus.place(c.origins[first as usize]);
        Error::parse(
            path,
            line as usize,
            format!(
                "duplicate id {shown:?} (first at {}{})",
                first_path.display(),
                if first_line > 0 {
                    format!(":{first_line}")
                } else {
                    String::new()
                }
            ),
        )
    })?;
    if let Some(w) = warning {
        events.decoding_warning(&w);
    }
    c.origins.push(origin);
    if tokens == 0 {
        c.empty.push(doc);
    }
    c.text_hashes.extend(text_hash);
    for i in first_unit..first_unit + units {
        let unit = c.units.len() as u32;
        c.units.push(Unit {
            doc,
            paragraph: print.units[i],
        });
        c.unit_bytes.push(print.unit_bytes[i]);
        c.table.push(unit, print.unit_bands(i));
    }
    Ok(())
}

/// Units whose shingle sets verification holds at once (about 3 KB each for
/// news-sized documents): memory stays bounded however many candidates
/// there are.
const VERIFY_UNITS: usize = 16_384;

/// Pass 2: exact Jaccard of every candidate pair, from shingle sets of the
/// candidate units only (their documents are read again). Candidates are
/// taken in chunks that need at most [`VERIFY_UNITS`] sets; a unit in
/// several chunks is read once per chunk.
fn verify(
    corpus: &Corpus,
    fp: &Fingerprinter,
    origins: &[Origin],
    units: &[Unit],
    candidates: &[PackedPair],
    threshold: f64,
) -> Result<Vec<Pair>> {
    let mut verified = Vec::new();
    let mut rest = candidates;
    while !rest.is_empty() {
        let mut seen = std::collections::HashSet::new();
        let take = rest
            .iter()
            .position(|&p| {
                let (a, b) = unpack(p);
                seen.insert(a);
                seen.insert(b);
                seen.len() > VERIFY_UNITS
            })
            .unwrap_or(rest.len())
            .max(1);
        let (chunk, next) = rest.split_at(take);
        verified.extend(verify_chunk(corpus, fp, origins, units, chunk, threshold)?);
        rest = next;
    }
    Ok(verified)
}

fn verify_chunk(
    corpus: &Corpus,
    fp: &Fingerprinter,
    origins: &[Origin],
    units: &[Unit],
    candidates: &[PackedPair],
    threshold: f64,
) -> Result<Vec<Pair>> {
    let mut needed: Vec<u32> = candidates
        .iter()
        .flat_map(|&p| {
            let (a, b) = unpack(p);
            [a, b]
        })
        .collect();
    needed.par_sort_unstable();
    needed.dedup();
    // Units of one document are consecutive: one read per document.
    let groups: Vec<&[u32]> = needed
        .chunk_by(|&x, &y| units[x as usize].doc == units[y as usize].doc)
        .collect();
    let sets: Vec<Vec<ShingleSet>> = groups
        .par_iter()
        .map_init(Vec::new, |buffer, group| {
            let doc = units[group[0] as usize].doc;
            let record = corpus
                .reread(origins[doc as usize], buffer)
                .map_err(Error::from)?;
            let paragraphs: Vec<u32> = group.iter().map(|&u| units[u as usize].paragraph).collect();
            Ok(fp.shingle_sets(&record.text, &paragraphs))
        })
        .collect::<Result<_>>()?;
    let sets: Vec<ShingleSet> = sets.into_iter().flatten().collect();
    let set_of = |unit: u32| &sets[needed.binary_search(&unit).expect("needed unit")];
    Ok(candidates
        .par_iter()
        .filter_map(|&p| {
            let (a, b) = unpack(p);
            let similarity = jaccard(set_of(a).as_slice(), set_of(b).as_slice());
            (similarity >= threshold).then_some(Pair { a, b, similarity })
        })
        .collect())
}

#[cfg(test)]
mod keep_tests {
    use super::*;

    #[test]
    fn removed_paragraphs_go_with_their_blank_lines() {
        let text = "one a\n\ntwo b\n  \n\nthree c\n";
        assert_eq!(without_paragraphs(text, &[1]), "one a\n\nthree c\n");
        assert_eq!(without_paragraphs(text, &[]), text);
        assert_eq!(without_paragraphs(text, &[0, 2]), "two b\n  \n\n");
    }

    fn result(bytes: &[u32], pairs: &[(u32, u32)]) -> Dedup {
        let mut ids = IdTable::new();
        for i in 0..bytes.len() {
            ids.insert(Id::Text(format!("d{i}"))).unwrap();
        }
        Dedup {
            ids,
            units: (0..bytes.len() as u32)
                .map(|doc| Unit {
                    doc,
                    paragraph: WHOLE_DOCUMENT,
                })
                .collect(),
            unit_bytes: bytes.to_vec(),
            pairs: pairs
                .iter()
                .map(|&(a, b)| Pair {
                    a,
                    b,
                    similarity: 0.9,
                })
                .collect(),
            ..Dedup::default()
        }
    }

    #[test]
    fn one_unit_per_cluster_is_kept() {
        // Clusters {0, 2, 3} and {4, 5}; 1 has no near-duplicate.
        let r = result(&[10, 99, 30, 30, 5, 5], &[(0, 2), (2, 3), (4, 5)]);
        let dropped = |keep| -> Vec<(u32, u32)> {
            r.removals(keep)
                .iter()
                .map(|x| (x.unit.doc, x.kept.doc))
                .collect()
        };
        assert_eq!(dropped(Keep::First), [(2, 0), (3, 0), (5, 4)]);
        // Longest: 2 and 3 tie at 30 bytes, the first wins; 4 and 5 tie.
        assert_eq!(dropped(Keep::Longest), [(0, 2), (3, 2), (5, 4)]);
    }
}

#[cfg(test)]
mod tests;
