//! Tests of the aligner: whole comparisons through [`align`] on small
//! hand-written texts (one made-up wire story and texts derived from it or
//! independent of it), then the steps of [`evidence`], [`pair`] and
//! [`passage`] on their own.

use std::collections::HashSet;
use std::ops::Range;

use super::evidence::seeds_with_order_evidence;
use super::extend::Case;
use super::pair::{Pair, overlaps, tokens_of};
use super::seeds::{Run, Seed};
use super::side::Side;
use super::vectors::{Vector, pair_vectors};
use super::*;
use crate::comparison::{Alignment, Kind};
use crate::{Config, Document, Engine, Profile, Span};

// The source: a wire story in seven paragraphs (a headline first).
const HEADLINE: &str = "Grain ship runs aground at Brennmark harbour";
const P1: &str = "BRENNMARK, March 14 (Northwire) – A bulk carrier loaded with 2,400 tonnes of grain ran aground on Tuesday near the northern breakwater of Brennmark harbour, blocking the main shipping channel for most of the day. The vessel, the Saltmere Star, had been waiting for a pilot when strong winds pushed it onto a sandbank shortly after dawn.";
const P2: &str = "The harbour master, Ingrid Solberg, said that nobody had been injured and that no fuel had leaked into the water. Tugboats from the neighbouring port of Karsvik refloated the ship on the evening tide, and it was towed to a berth for inspection.";
const P3: &str = "Twelve container ships and three ferries were held outside the harbour while the channel was closed. The ferry operator Nordlink cancelled four crossings to the islands and said passengers would be refunded or rebooked free of charge.";
const P4: &str = "“We were lucky that the weather calmed down in the afternoon,” Solberg told reporters. “Had the wind kept rising, the ship could have broken its back on the rocks.”";
const P5: &str = "The harbour authority said it would review the rules for ships waiting at anchor near the breakwater. Local fishermen have complained for years that the sandbank has grown since the channel was last dredged in 2015.";
const P6: &str = "Shipping in the channel returned to normal on Wednesday morning, and the grain is expected to be unloaded by the end of the week.";

fn source_text() -> String {
    [HEADLINE, P1, P2, P3, P4, P5, P6].join("\n\n")
}

// New material the derived texts wrap around what they take.
const INTRO: &str = "The city council approved a new budget for the public library on Monday evening, after a long debate about opening hours and staff numbers during the winter months.";
const OUTRO: &str = "The library will open on Sundays from next month, and councillors promised to revisit the question of late opening in the autumn.";

/// P1 with a new lead-in clause, one word swapped (grain → wheat), one
/// inserted (harbour pilot) and two replaced by two others (strong →
/// gale-force).
const EDITED_P1: &str = "According to port officials, a bulk carrier loaded with 2,400 tonnes of wheat ran aground on Tuesday near the northern breakwater of Brennmark harbour, blocking the main shipping channel for most of the day. The vessel, the Saltmere Star, had been waiting for a harbour pilot when gale-force winds pushed it onto a sandbank shortly after dawn.";

/// P2 and P3 rewritten sentence by sentence, in order: same facts, new
/// wording, no eight words in a row in common.
const PARAPHRASE: &str = "No one was hurt and the water was not polluted by leaking fuel, according to Ingrid Solberg, who is in charge of the harbour. The ship was refloated by tugboats sent from Karsvik when the evening tide came in, then towed to a berth where it will be inspected.\n\nWhile the channel stayed shut, three ferries and a dozen container ships had to wait outside the harbour. Nordlink, which runs the island ferries, called off four crossings; travellers can get their money back or rebook without paying extra.";

/// P2 and P3 rewritten more loosely: every sentence pair is below the seed
/// bars (cosine ≤ 0.3) on its own; only their order links them.
const WEAK_PARAPHRASE: &str = "Nobody was injured, Solberg said, and the sea stayed clean. Help came from Karsvik in the evening: its tugboats pulled the vessel free and took it to a quay for checks.\n\nA dozen boxships and three ferries queued outside the harbour until the fairway reopened. Nordlink dropped four crossings to the islands and offered people their money back.";

/// P2 and P3 rewritten with three sentence pairs above the seed bars, none
/// similar enough to stand alone (cosine < 0.45).
const FIRM_PARAPHRASE: &str = "Nobody was injured and no fuel escaped, Solberg said. Karsvik tugboats pulled the vessel free in the evening and took it to a quay for checks.\n\nA dozen boxships and three ferries queued outside the harbour until the channel reopened. Nordlink dropped four crossings to the islands and offered passengers their money back.";

/// Two sentences condensing P1 to P5 (about a quarter of their length).
/// The first is close to P1's first sentence.
const SUMMARY: &str = "A bulk carrier with 2,400 tonnes of grain ran aground near the northern breakwater of Brennmark harbour on Tuesday, blocking the main shipping channel, after strong winds pushed it onto a sandbank. Nobody was hurt, Karsvik tugboats refloated it that evening, and the harbour authority will review its rules for ships at anchor.";

/// Another story on the same event: the same names and places, other facts.
const INDEPENDENT: &str = "Brennmark fishermen want the sandbank gone\n\nThe harbour master, Ingrid Solberg, has promised to meet the fishermen before the summer season. For the fishing families of Brennmark, the grounding of the Saltmere Star was no surprise.\n\nHenrik Aas, who has fished from the harbour for forty years, keeps a logbook of every time his keel touched sand. The entries have tripled since the last dredging campaign in 2015, he says, and insurance premiums have followed.\n\nTwelve container ships had to wait outside the harbour on Tuesday, a cost the fishermen say the port can no longer ignore. Karsvik, a smaller port down the coast, dredged its own channel last year with money from the regional government.";

/// More new material, to set passages apart.
const NEW_ROOM: &str = "The new reading room will hold two thousand books, a quiet corner for students and a small café run by volunteers from the neighbourhood association, which raised most of the money for the furniture at a series of summer fairs.";

fn verbatim_text() -> String {
    format!("City council news in brief\n\n{INTRO}\n\n{P2}\n\n{OUTRO}")
}

fn edited_text() -> String {
    format!(
        "Port news\n\n{EDITED_P1}\n\nLibrary opening hours will be extended from next month, councillors said."
    )
}

fn paraphrase_text() -> String {
    format!("{INTRO}\n\n{PARAPHRASE}\n\n{OUTRO}")
}

fn weak_text() -> String {
    format!("{INTRO}\n\n{WEAK_PARAPHRASE}\n\n{OUTRO}")
}

fn firm_text() -> String {
    format!("{INTRO}\n\n{FIRM_PARAPHRASE}\n\n{OUTRO}")
}

fn summary_text() -> String {
    format!("Ports in the news\n\n{INTRO}\n\n{SUMMARY}\n\n{OUTRO}")
}

fn profile(id: &str, text: &str) -> Profile {
    Engine::new(Config::default())
        .unwrap()
        .profile(Document::new(id, text))
}

/// The code-point range of the only occurrence of `needle` in `text`.
fn chars_of(text: &str, needle: &str) -> Range<usize> {
    let at = text.find(needle).expect("needle in text");
    assert_eq!(text.matches(needle).count(), 1, "{needle:?} occurs once");
    let start = text[..at].chars().count();
    start..start + needle.chars().count()
}

/// `span` is a non-empty span of `text` whose byte and code-point ranges
/// describe the same characters.
fn assert_span(text: &str, span: &Span) {
    assert!(!span.is_empty(), "empty span {span:?}");
    assert!(span.byte_end() <= text.len(), "past the end: {span:?}");
    assert!(text.is_char_boundary(span.byte_start()) && text.is_char_boundary(span.byte_end()));
    assert_eq!(text[..span.byte_start()].chars().count(), span.start());
    assert_eq!(span.slice(text).chars().count(), span.len());
}

/// Alignments never overlap on the derived side, except a summary and a
/// passage it contains.
fn assert_no_overlap(alignments: &[Alignment]) {
    for (i, a) in alignments.iter().enumerate() {
        for b in &alignments[i + 1..] {
            if a.derived.overlap(&b.derived) == 0 {
                continue;
            }
            let summary_holds = |s: &Alignment, t: &Alignment| {
                s.kind == Kind::Summary && s.derived.contains(&t.derived)
            };
            assert!(
                summary_holds(a, b) || summary_holds(b, a),
                "overlapping passages {a:?} and {b:?}"
            );
        }
    }
}

/// Aligns `derived` with `source`, checking the invariants every result
/// keeps: valid spans, scores in [0, 1], derived order, no overlap.
fn aligned(source: &str, derived: &str, config: &AlignConfig) -> Vec<Alignment> {
    let (s, d) = (profile("source", source), profile("derived", derived));
    let alignments = align(&s, &d, config);
    for a in &alignments {
        assert_span(source, &a.source);
        assert_span(derived, &a.derived);
        assert!((0.0..=1.0).contains(&a.score), "score of {a:?}");
    }
    for w in alignments.windows(2) {
        assert!(w[0].derived.start() <= w[1].derived.start());
    }
    assert_no_overlap(&alignments);
    alignments
}

fn no_order_evidence() -> AlignConfig {
    let mut config = AlignConfig::default();
    config.order.chain.max_chains = 0;
    config
}

fn no_summaries() -> AlignConfig {
    let mut config = AlignConfig::default();
    config.summaries.gap = 0;
    config
}

// Whole comparisons.

#[test]
fn a_verbatim_copy_is_found_with_its_exact_boundaries() {
    let (source, derived) = (source_text(), verbatim_text());
    let found = aligned(&source, &derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let a = &found[0];
    assert_eq!(a.kind, Kind::Verbatim);
    assert_eq!(a.score, 1.0);
    assert_eq!(a.derived.slice(&derived), P2);
    assert_eq!(a.source.slice(&source), P2);
    assert_eq!(a.derived.chars(), chars_of(&derived, P2));
    assert_eq!(a.source.chars(), chars_of(&source, P2));
}

#[test]
fn a_lightly_edited_copy_is_edited_and_bounded_by_the_copied_text() {
    let (source, derived) = (source_text(), edited_text());
    let found = aligned(&source, &derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let a = &found[0];
    assert_eq!(a.kind, Kind::Edited);
    // Five words of about sixty changed: well above the edited bar, below
    // the verbatim one.
    assert!((0.8..0.95).contains(&a.score), "{}", a.score);
    // The new lead-in ("According to port officials,") and the dateline
    // ("BRENNMARK, March 14 (Northwire) –") are not copied text: both
    // passages start at the first copied word, not at the sentence start.
    let copied = EDITED_P1
        .strip_prefix("According to port officials, ")
        .unwrap();
    assert_eq!(a.derived.slice(&derived), copied);
    let original = P1.split_once("– ").unwrap().1;
    assert_eq!(a.source.slice(&source), original);
}

#[test]
fn rewritten_sentences_in_order_are_a_paraphrase_with_sentence_boundaries() {
    let (source, derived) = (source_text(), paraphrase_text());
    let found = aligned(&source, &derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let a = &found[0];
    assert_eq!(a.kind, Kind::Paraphrase);
    // Nothing was copied, so the passages are the rewritten sentences and
    // their sources, whole, across the paragraph break on both sides.
    assert_eq!(a.derived.slice(&derived), PARAPHRASE);
    assert_eq!(a.source.slice(&source), format!("{P2}\n\n{P3}"));
}

#[test]
fn an_independent_story_on_the_same_event_is_not_aligned() {
    let (source, derived) = (source_text(), INDEPENDENT);
    // The two share names, places and a sentence pair above the seed bars…
    let (s, d) = (profile("s", &source), profile("d", derived));
    let (sv, dv) = pair_vectors(&s.units, &d.units, AlignConfig::default().seeds.idf);
    let sets = seeds_with_order_evidence(&sv, &dv, &AlignConfig::default());
    assert!(!sets.seeds.is_empty());
    for name in [
        "Solberg",
        "Saltmere Star",
        "Karsvik",
        "Twelve container ships",
    ] {
        assert!(source.contains(name) && derived.contains(name));
    }
    // …but no order, no sentence taken nearly whole and no copied text.
    assert!(sets.on_chain.is_empty());
    assert!(sets.seeds.iter().all(|s| s.cosine < 0.45));
    assert_eq!(aligned(&source, derived, &AlignConfig::default()), []);
}

#[test]
fn a_weak_paraphrase_rests_on_order_evidence_alone() {
    let (source, derived) = (source_text(), weak_text());
    let found = aligned(&source, &derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::Paraphrase);
    assert_eq!(found[0].derived.slice(&derived), WEAK_PARAPHRASE);
    assert_eq!(found[0].source.slice(&source), format!("{P2}\n\n{P3}"));
    // Every sentence pair is below the seed bars: without chains there is
    // no seed, hence nothing.
    assert_eq!(aligned(&source, &derived, &no_order_evidence()), []);
}

#[test]
fn a_case_needs_order_evidence_a_strong_sentence_pair_or_copied_text() {
    let (source, derived) = (source_text(), firm_text());
    // With order evidence (the sentences follow P2 and P3 in order).
    let found = aligned(&source, &derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].derived.slice(&derived), FIRM_PARAPHRASE);
    // Without chains, the passage is confident enough (several sentences,
    // similar as wholes) for its own seeds to count as ordered.
    let no_chains = no_order_evidence();
    let found = aligned(&source, &derived, &no_chains);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].derived.slice(&derived), FIRM_PARAPHRASE);
    // Without any order evidence, its best sentence pair is below the bar
    // for standing alone, and nothing is copied: dropped…
    let mut no_order = no_chains;
    no_order.order.anchored_cosine = 0.0;
    let (s, d) = (profile("s", &source), profile("d", &derived));
    let (sv, dv) = pair_vectors(&s.units, &d.units, no_order.seeds.idf);
    let seeds = seeds_with_order_evidence(&sv, &dv, &no_order).seeds;
    let best = seeds.iter().map(|s| s.cosine).fold(0.0, f32::max);
    assert!(best > no_order.seeds.min_cosine && best < no_order.filters.lone_min_cosine);
    assert_eq!(aligned(&source, &derived, &no_order), []);
    // …until the bar comes down to that pair.
    no_order.filters.lone_min_cosine = best + 1e-4;
    assert_eq!(aligned(&source, &derived, &no_order), []);
    no_order.filters.lone_min_cosine = best;
    let found = aligned(&source, &derived, &no_order);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].derived.slice(&derived), FIRM_PARAPHRASE);
}

#[test]
fn a_heading_run_into_a_sentence_stays_out_of_a_rewritten_passage() {
    // A menu line with no stop, then P2 on the next line: one sentence.
    let menu = "Port services and shipping news";
    let source = [HEADLINE, P1, &format!("{menu}\n{P2}"), P3, P4, P5, P6].join("\n\n");
    let derived = paraphrase_text();
    let found = aligned(&source, &derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .source
            .slice(&source)
            .starts_with("The harbour master"),
        "{found:?}"
    );
    let mut kept = AlignConfig::default();
    kept.filters.edge_line_words = 0;
    let found = aligned(&source, &derived, &kept);
    assert!(
        found[0].source.slice(&source).starts_with(menu),
        "{found:?}"
    );
    // A sentence wrapped across lines keeps its first line: the next line
    // does not start a sentence.
    let wrapped = [
        HEADLINE,
        P1,
        &P2.replacen("Solberg, said", "Solberg,\nsaid", 1),
        P3,
        P4,
        P5,
        P6,
    ]
    .join("\n\n");
    let found = aligned(&wrapped, &derived, &AlignConfig::default());
    assert!(
        found[0]
            .source
            .slice(&wrapped)
            .starts_with("The harbour master"),
        "{found:?}"
    );
}

#[test]
fn a_case_grows_by_the_neighbouring_sentences_that_match_each_other_best() {
    let f = Fixture::new(&source_text(), &paraphrase_text());
    let pair = f.pair();
    let (s, d) = (
        f.unit(Side::Source, "harbour master"),
        f.unit(Side::Derived, "No one was hurt"),
    );
    let one = Case {
        source: s..=s,
        derived: d..=d,
        seeds: vec![seed(s, d, 0.5, false)],
        similarity: 0.5,
    };
    let grown = pair.grown(vec![one.clone()], &AlignConfig::default());
    let (last_s, last_d) = (
        f.unit(Side::Source, "refunded or rebooked"),
        f.unit(Side::Derived, "rebook without paying"),
    );
    // The rest of the rewritten P2 and P3 joins, sentence pair by sentence
    // pair; the new material around it (INTRO, OUTRO) does not.
    assert_eq!(
        (grown[0].source.clone(), grown[0].derived.clone()),
        (s..=last_s, d..=last_d)
    );
    assert!(grown[0].seeds.len() > 1);
    // Off, or without work left for the comparisons: unchanged.
    let mut off = AlignConfig::default();
    off.extension.grow_min_cosine = 0.0;
    assert_eq!(pair.grown(vec![one.clone()], &off), vec![one.clone()]);
    let mut bounded = AlignConfig::default();
    bounded.limits.max_work = f.source.units.len() as u64 - 1;
    assert_eq!(pair.grown(vec![one.clone()], &bounded), vec![one]);
}

#[test]
fn a_rewritten_passage_takes_the_source_sentences_its_sentences_match_best() {
    let f = Fixture::new(&source_text(), &paraphrase_text());
    let pair = f.pair();
    // Derived units 1 and 2 match source units 2 and 3 best; a weaker seed
    // of unit 2 with source unit 6 does not stretch the source.
    let case = Case {
        source: 2..=6,
        derived: 1..=2,
        seeds: vec![
            seed(2, 1, 0.8, false),
            seed(6, 2, 0.35, true),
            seed(3, 2, 0.7, false),
        ],
        similarity: 0.6,
    };
    let narrowed = pair.source_of_best_matches(&case, 0);
    assert_eq!((narrowed.source, narrowed.derived), (2..=3, 1..=2));
    // Unit 6 is not next to the best matches: no slack takes it…
    assert_eq!(pair.source_of_best_matches(&case, 1).source, 2..=3);
    // …but a seeded neighbour is taken back with a slack of one.
    let mut near = case.clone();
    near.seeds.push(seed(4, 1, 0.3, true));
    assert_eq!(pair.source_of_best_matches(&near, 0).source, 2..=3);
    assert_eq!(pair.source_of_best_matches(&near, 1).source, 2..=4);
}

#[test]
fn a_pair_holding_a_summary_is_one_passage_from_the_whole_source() {
    // The summary, then new material, then a paragraph copied whole.
    let source = source_text();
    let derived = format!("Ports in the news\n\n{SUMMARY}\n\n{OUTRO}\n\n{P4}");
    let mut by_case = AlignConfig::default();
    by_case.summaries.whole_source = false;
    let parts = aligned(&source, &derived, &by_case);
    assert!(parts.len() >= 2, "{parts:?}");
    assert!(parts.iter().any(|a| a.kind == Kind::Summary), "{parts:?}");
    let found = aligned(&source, &derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::Summary);
    assert_eq!(found[0].source.slice(&source), source);
    let covered = &derived[derived.find(SUMMARY).unwrap()..];
    assert_eq!(found[0].derived.slice(&derived), covered);
}

#[test]
fn passages_close_together_drawn_from_across_the_source_are_a_summary() {
    // An extractive summary: the first sentence of the story and its last
    // paragraph, one after the other: two copied passages whose source runs
    // over the whole story, more than three times their length.
    let closing = "Insurers for the Saltmere Star said on Thursday that a survey of the hull had found only minor damage, and that the ship would sail for Karsvik with its cargo as soon as the harbour master gave permission.";
    let source = format!("{}\n\n{closing}", source_text());
    let lead = P1.split(". ").next().unwrap();
    let condensed = format!("{lead}.\n\n{closing}");
    let derived = format!("Ports in the news\n\n{INTRO}\n\n{condensed}");
    let mut apart = AlignConfig::default();
    apart.summaries.spread = false;
    let parts = aligned(&source, &derived, &apart);
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert!(parts.iter().all(|a| a.kind != Kind::Summary));
    let found = aligned(&source, &derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::Summary);
    assert_eq!(found[0].source.slice(&source), source);
    assert_eq!(found[0].derived.slice(&derived), condensed);
    // The same two passages far apart in the derived text are separate
    // reuse, not a summary.
    let scattered = format!("{lead}.\n\n{INTRO}\n\n{NEW_ROOM}\n\n{OUTRO}\n\n{closing}");
    let found = aligned(&source, &scattered, &AlignConfig::default());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|a| a.kind != Kind::Summary));
}

#[test]
fn a_short_passage_condensing_a_long_one_is_a_summary_replacing_what_it_contains() {
    let (source, derived) = (source_text(), summary_text());
    let found = aligned(&source, &derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let summary = &found[0];
    assert_eq!(summary.kind, Kind::Summary);
    assert_eq!(summary.derived.slice(&derived), SUMMARY);
    // A pair holding a summary is decided as a whole: its source is the
    // whole source document.
    assert_eq!(summary.source.slice(&source), source);
    // Case by case, the summary's source runs from P1 to the first sentence
    // of P5: at least three times as long, and made of several sentences.
    let mut by_case = AlignConfig::default();
    by_case.summaries.whole_source = false;
    let found = aligned(&source, &derived, &by_case);
    assert_eq!(found.len(), 1, "{found:?}");
    let src = found[0].source.slice(&source);
    assert!(src.starts_with(P1) && src.contains(P2) && src.contains(P3));
    assert!(
        src.ends_with("waiting at anchor near the breakwater."),
        "{src}"
    );
    assert!(found[0].source.len() >= 3 * found[0].derived.len());
    // A summary must draw on a good part of the source: here P1 to P5 are
    // most of it, not all.
    let mut most = by_case;
    most.summaries.min_source_share = 0.99;
    assert!(
        aligned(&source, &derived, &most)
            .iter()
            .all(|a| a.kind != Kind::Summary)
    );
    // Without summaries, the same derived text is an ordinary passage,
    // which the summary contains and replaced.
    let plain = aligned(&source, &derived, &no_summaries());
    assert!(!plain.is_empty());
    for a in &plain {
        assert_ne!(a.kind, Kind::Summary);
        assert!(summary.derived.contains(&a.derived), "{a:?}");
    }
}

#[test]
fn a_short_text_copied_whole_is_a_passage() {
    // Under the 150-character minimum, but the whole derived text.
    let derived =
        "Tugboats from the neighbouring port of Karsvik refloated the ship on the evening tide.";
    let source = source_text();
    let found = aligned(&source, derived, &AlignConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::Verbatim);
    assert_eq!(found[0].derived.slice(derived), derived);
    // The run stops where the texts part (", and it was towed").
    assert_eq!(
        found[0].source.slice(&source),
        "Tugboats from the neighbouring port of Karsvik refloated the ship on the evening tide,"
    );
    // The same sentence inside a longer text is too short to stand alone.
    let longer = format!("{INTRO}\n\n{derived}\n\n{OUTRO}");
    assert_eq!(aligned(&source, &longer, &AlignConfig::default()), []);
}

/// An exact run is maximal over tokens, paragraph breaks included: P1 is
/// followed by "The harbour master" in the source and by "The harbour
/// authority" (P5) here, so the copy of P1 would end with
/// "dawn.\n\nThe harbour" and overlap the copy of P5; likewise a new
/// paragraph "Twelve councillors…" after a copy of P2 (P3 opens with
/// "Twelve").
#[test]
fn copied_text_does_not_spill_into_the_next_paragraph() {
    let derived = format!("{P1}\n\n{P5}");
    let (s, d) = (profile("s", &source_text()), profile("d", &derived));
    let found = align(&s, &d, &AlignConfig::default());
    let slices: Vec<&str> = found.iter().map(|a| a.derived.slice(&derived)).collect();
    assert_eq!(slices, [P1, P5]);
    assert_no_overlap(&found);
    let derived = format!(
        "{P2}\n\nTwelve councillors voted for the new library budget on Monday, after a long debate about opening hours."
    );
    let found = aligned(&source_text(), &derived, &AlignConfig::default());
    let slices: Vec<&str> = found.iter().map(|a| a.derived.slice(&derived)).collect();
    assert_eq!(slices, [P2]);
}

#[test]
fn invariants_hold_in_every_direction() {
    let source = source_text();
    let texts = [
        source.clone(),
        verbatim_text(),
        edited_text(),
        paraphrase_text(),
        weak_text(),
        firm_text(),
        summary_text(),
        INDEPENDENT.to_string(),
        format!("{SUMMARY}\n\n{P2}\n\n{PARAPHRASE}\n\n{P2}"),
    ];
    let configs = [AlignConfig::default(), no_order_evidence(), no_summaries()];
    for a in &texts {
        for b in &texts {
            for config in &configs {
                // `aligned` checks spans, scores, order and overlaps.
                aligned(a, b, config);
            }
        }
    }
    // A text is aligned with itself whole, verbatim.
    let found = aligned(&source, &source, &AlignConfig::default());
    assert!(found.iter().all(|a| a.kind == Kind::Verbatim));
    assert!(found.iter().all(|a| a.source == a.derived));
    let body = &source[HEADLINE.len() + 2..];
    assert!(
        found
            .iter()
            .any(|a| a.derived.slice(&source).contains(body))
    );
}

// Order evidence, on vectors made by hand: each unit a bag of terms of
// weight 1, so that cosine and Dice are simple fractions.

fn vector(terms: &[u64]) -> Vector {
    let mut entries: Vec<(u64, f32)> = terms.iter().map(|&t| (t, 1.0)).collect();
    entries.sort_by_key(|e| e.0);
    Vector {
        norm: (entries.len() as f32).sqrt(),
        entries,
    }
}

/// Source unit `i` and derived unit `j` sharing one term of four: cosine
/// and Dice 0.25, a chain candidate (> 0.15, > 0.2) below the seed bars
/// (0.3).
fn weak_pair(i: u64, j: u64) -> (Vector, Vector) {
    let shared = 1000 + 10 * i;
    (
        vector(&[shared, 2000 + 10 * i, 2001 + 10 * i, 2002 + 10 * i]),
        vector(&[shared, 3000 + 10 * j, 3001 + 10 * j, 3002 + 10 * j]),
    )
}

/// Index of the strong pair in [`hand_units`]: more than a chain's
/// `max_gap` (12) after the weak pairs, so that it never joins their chain.
const STRONG: usize = 20;

/// Five weak pairs, source unit `i` with derived unit `order[i]`, then
/// units without terms, then one identical (strong) pair at [`STRONG`] on
/// both sides.
fn hand_units(order: [usize; 5]) -> (Vec<Vector>, Vec<Vector>) {
    let mut src = vec![Vector::default(); STRONG + 1];
    let mut der = vec![Vector::default(); STRONG + 1];
    for (i, &j) in order.iter().enumerate() {
        let (s, d) = weak_pair(i as u64, j as u64);
        src[i] = s;
        der[j] = d;
    }
    src[STRONG] = vector(&[5000, 5001, 5002]);
    der[STRONG] = vector(&[5000, 5001, 5002]);
    (src, der)
}

fn pairs_of(seeds: &[Seed]) -> Vec<(usize, usize, bool)> {
    let mut v: Vec<_> = seeds
        .iter()
        .map(|s| (s.source, s.derived, s.chained))
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn weak_pairs_in_order_become_chained_seeds_beside_the_strong_ones() {
    let (src, der) = hand_units([0, 1, 2, 3, 4]);
    let config = AlignConfig::default();
    let sets = seeds_with_order_evidence(&src, &der, &config);
    let mut expected: Vec<_> = (0..5).map(|i| (i, i, true)).collect();
    expected.push((STRONG, STRONG, false));
    assert_eq!(pairs_of(&sets.seeds), expected);
    for s in &sets.seeds {
        let strong = s.cosine > config.seeds.min_cosine && s.dice > config.seeds.min_dice;
        assert_eq!(strong, !s.chained, "{s:?}");
    }
    let chain: HashSet<(usize, usize)> = (0..5).map(|i| (i, i)).collect();
    assert_eq!(sets.on_chain, chain);
    // Summaries draw on every mutual best match, chained or not.
    assert_eq!(pairs_of(&sets.summary), expected);
}

#[test]
fn weak_pairs_out_of_order_are_summary_candidates_only() {
    // Source 0..5 against derived 4..0: no two pairs in the same order.
    let (src, der) = hand_units([4, 3, 2, 1, 0]);
    let sets = seeds_with_order_evidence(&src, &der, &AlignConfig::default());
    assert_eq!(pairs_of(&sets.seeds), [(STRONG, STRONG, false)]);
    assert!(sets.on_chain.is_empty());
    let mut summary: Vec<_> = (0..5).map(|i| (i, 4 - i, true)).collect();
    summary.push((STRONG, STRONG, false));
    summary.sort_unstable();
    assert_eq!(pairs_of(&sets.summary), summary);
}

#[test]
fn without_chains_only_strong_pairs_are_seeds() {
    let (src, der) = hand_units([0, 1, 2, 3, 4]);
    let sets = seeds_with_order_evidence(&src, &der, &no_order_evidence());
    assert_eq!(pairs_of(&sets.seeds), [(STRONG, STRONG, false)]);
    assert_eq!(pairs_of(&sets.summary), [(STRONG, STRONG, false)]);
    assert!(sets.on_chain.is_empty());
}

#[test]
fn a_candidate_that_is_not_a_mutual_best_match_is_not_chained() {
    let (mut src, mut der) = hand_units([0, 1, 2, 3, 4]);
    // Derived unit 2 gains a term it shares with a new source unit, which
    // also has its other shared term: that pair (cosine 0.45) is derived
    // unit 2's best match, so (2, 2) (cosine 0.22) is no mutual best.
    let mut terms: Vec<u64> = der[2].entries.iter().map(|e| e.0).collect();
    terms.push(7000);
    der[2] = vector(&terms);
    src.push(vector(&[1020, 7000, 7001, 7002]));
    let extra = src.len() - 1;
    let sets = seeds_with_order_evidence(&src, &der, &AlignConfig::default());
    let mut expected = vec![(0, 0, true), (1, 1, true), (3, 3, true), (4, 4, true)];
    expected.extend([(STRONG, STRONG, false), (extra, 2, false)]);
    assert_eq!(pairs_of(&sets.seeds), expected);
    assert_eq!(pairs_of(&sets.summary), expected);
}

#[test]
fn seeds_of_real_text_are_strong_or_on_a_chain() {
    let config = AlignConfig::default();
    for derived in [paraphrase_text(), weak_text(), firm_text()] {
        let (s, d) = (profile("s", &source_text()), profile("d", &derived));
        let (sv, dv) = pair_vectors(&s.units, &d.units, config.seeds.idf);
        let sets = seeds_with_order_evidence(&sv, &dv, &config);
        assert!(!sets.seeds.is_empty());
        for seed in &sets.seeds {
            let strong = seed.cosine > config.seeds.min_cosine && seed.dice > config.seeds.min_dice;
            if seed.chained {
                assert!(!strong, "{seed:?}");
                assert!(sets.on_chain.contains(&(seed.source, seed.derived)));
            } else {
                assert!(strong, "{seed:?}");
            }
            assert!(
                sets.summary
                    .iter()
                    .any(|t| (t.source, t.derived) == (seed.source, seed.derived))
            );
        }
    }
    // The weak paraphrase: all four sentence pairs chained, in order.
    let (s, d) = (profile("s", &source_text()), profile("d", &weak_text()));
    let (sv, dv) = pair_vectors(&s.units, &d.units, config.seeds.idf);
    let sets = seeds_with_order_evidence(&sv, &dv, &config);
    assert_eq!(
        pairs_of(&sets.seeds),
        [(3, 1, true), (4, 2, true), (5, 3, true), (6, 4, true)]
    );
}

// The steps of one pair.

/// Two profiles and their vectors, from which a [`Pair`] borrows.
struct Fixture {
    source: Profile,
    derived: Profile,
    src_vecs: Vec<Vector>,
    der_vecs: Vec<Vector>,
}

impl Fixture {
    fn new(source: &str, derived: &str) -> Fixture {
        let (source, derived) = (profile("s", source), profile("d", derived));
        let (src_vecs, der_vecs) = pair_vectors(
            &source.units,
            &derived.units,
            AlignConfig::default().seeds.idf,
        );
        Fixture {
            source,
            derived,
            src_vecs,
            der_vecs,
        }
    }

    fn pair(&self) -> Pair<'_> {
        Pair {
            source: &self.source,
            derived: &self.derived,
            src_vecs: &self.src_vecs,
            der_vecs: &self.der_vecs,
        }
    }

    fn side(&self, side: Side) -> &Profile {
        match side {
            Side::Source => &self.source,
            Side::Derived => &self.derived,
        }
    }

    /// The exact chains `align` computes.
    fn runs(&self) -> Vec<Run> {
        exact_chains(&self.source, &self.derived, &AlignConfig::default())
    }

    /// The index of the unit of `side` whose text contains `needle`.
    fn unit(&self, side: Side, needle: &str) -> usize {
        let profile = self.side(side);
        profile
            .units
            .iter()
            .position(|u| u.span.slice(profile.text()).contains(needle))
            .expect("a unit with the needle")
    }

    /// The index of the first token of `side` whose text is `word`.
    fn token(&self, side: Side, word: &str) -> usize {
        let profile = self.side(side);
        profile
            .segmented
            .tokens
            .iter()
            .position(|t| t.span.slice(profile.text()) == word)
            .expect("the word")
    }
}

fn seed(source: usize, derived: usize, cosine: f32, chained: bool) -> Seed {
    Seed {
        source,
        derived,
        cosine,
        dice: cosine,
        chained,
    }
}

fn case_of(seeds: Vec<Seed>) -> Case {
    let src = seeds.iter().map(|s| s.source);
    let der = seeds.iter().map(|s| s.derived);
    Case {
        source: src.clone().min().unwrap()..=src.max().unwrap(),
        derived: der.clone().min().unwrap()..=der.max().unwrap(),
        seeds,
        similarity: 0.5,
    }
}

#[test]
fn support_is_order_a_strong_pair_or_copied_text() {
    let config = AlignConfig::default();
    let lone = config.filters.lone_min_cosine;
    // No exact run between the story and the independent one.
    let f = Fixture::new(&source_text(), INDEPENDENT);
    assert!(f.runs().is_empty());
    let (s, d) = (
        f.unit(Side::Source, "Twelve container ships"),
        f.unit(Side::Derived, "Twelve container ships"),
    );
    let none = HashSet::new();
    let listed: HashSet<(usize, usize)> = [(s, d)].into();
    let rows = [
        // (seed cosine, chained, on a chain, supported)
        (0.4, false, false, false),
        (0.4, true, false, true),
        (0.4, false, true, true),
        (lone, false, false, true),
        (lone - 0.01, false, false, false),
    ];
    for (cosine, chained, on, expected) in rows {
        let case = case_of(vec![seed(s, d, cosine, chained)]);
        let on_chain = if on { &listed } else { &none };
        assert_eq!(
            f.pair().is_supported(&case, on_chain, &[], &config),
            expected,
            "cosine {cosine}, chained {chained}, on chain {on}"
        );
    }
    // A weak seed over copied text is supported by the copy; the same seed
    // beside it is not.
    let f = Fixture::new(&source_text(), &verbatim_text());
    let runs = f.runs();
    assert_eq!(runs.len(), 1);
    let copied = (
        f.unit(Side::Source, "Tugboats"),
        f.unit(Side::Derived, "Tugboats"),
    );
    let case = case_of(vec![seed(copied.0, copied.1, 0.2, false)]);
    assert!(f.pair().is_supported(&case, &none, &runs, &config));
    assert_eq!(f.pair().runs_inside(&case, &runs).len(), 1);
    let beside = case_of(vec![seed(copied.0, copied.1 - 2, 0.2, false)]);
    assert!(!f.pair().is_supported(&beside, &none, &runs, &config));
    assert!(f.pair().runs_inside(&beside, &runs).is_empty());
}

#[test]
fn token_ranges_overlap_only_when_they_share_a_token() {
    let rows = [
        (0..5, 5..9, false),
        (0..5, 4..9, true),
        (3..4, 0..10, true),
        (7..9, 0..7, false),
    ];
    for (a, b, expected) in rows {
        assert_eq!(overlaps(&a, &b), expected, "{a:?} {b:?}");
        assert_eq!(overlaps(&b, &a), expected, "{b:?} {a:?}");
    }
}

#[test]
fn a_run_takes_the_rest_of_its_sentence_only_when_the_words_left_out_are_alike() {
    let body =
        "all the grain on board the carrier was unloaded by the crew before the storm reached the";
    let source = format!("The crew said nearly {body} harbour on Friday.");
    let rows = [
        // (derived, widened at the start, widened at the end)
        (
            format!("The crew said almost {body} port on Friday."),
            true,
            true,
        ),
        (
            format!("Officials insisted that almost {body} port on Friday."),
            false,
            true,
        ),
        (
            format!("The crew said almost {body} quay before dawn arrived."),
            true,
            false,
        ),
    ];
    let config = AlignConfig::default();
    for (derived, at_start, at_end) in rows {
        let f = Fixture::new(&source, &derived);
        let runs = f.runs();
        assert_eq!(runs.len(), 1, "{derived}");
        let run = runs[0].clone();
        let widened = f.pair().widen_to_sentences(run.clone(), &config);
        let (src_len, der_len) = (f.source.token_hashes.len(), f.derived.token_hashes.len());
        assert_eq!(widened.source.start == 0, at_start, "{derived}");
        assert_eq!(widened.derived.start == 0, at_start, "{derived}");
        if !at_start {
            assert_eq!(
                (widened.source.start, widened.derived.start),
                (run.source.start, run.derived.start)
            );
        }
        assert_eq!(widened.source.end == src_len, at_end, "{derived}");
        assert_eq!(widened.derived.end == der_len, at_end, "{derived}");
        // Widening moves boundaries only: the identical tokens are the same.
        assert_eq!(widened.matched, run.matched);
    }
}

#[test]
fn copied_share_counts_each_derived_token_once() {
    let config = AlignConfig::default();
    let f = Fixture::new(&source_text(), &verbatim_text());
    let (s, d) = (
        f.unit(Side::Source, "harbour master"),
        f.unit(Side::Derived, "harbour master"),
    );
    let case = case_of(vec![seed(s, d, 1.0, false), seed(s + 1, d + 1, 1.0, false)]);
    let tokens = tokens_of(&f.derived.units, &case.derived);
    let t = tokens.start;
    let run = |derived: Range<usize>| Run {
        source: derived.clone(),
        derived,
        matched: 0,
    };
    // Overlapping runs, and one starting before the case.
    let runs = [run(t..t + 10), run(t + 5..t + 15), run(t - 3..t + 2)];
    assert_eq!(f.pair().exact_coverage(&case, &runs), (15, tokens.len()));
    assert!(!f.pair().mostly_copied(&case, &runs, &config));
    let half = tokens.len().div_ceil(2);
    let runs = [run(t..t + half)];
    assert!(f.pair().mostly_copied(&case, &runs, &config));
    let runs = [run(t..t + half - 1)];
    assert!(!f.pair().mostly_copied(&case, &runs, &config));
    // The same share decides whether one unit is copied.
    let unit = &f.derived.units[d].tokens;
    let covering = |n: usize| [run(unit.start..unit.start + n)];
    let need = (config.copies.exact_share * unit.len() as f64).ceil() as usize;
    assert!(f.pair().unit_is_copied(d, &covering(need), &config));
    assert!(!f.pair().unit_is_copied(d, &covering(need - 1), &config));
}

#[test]
fn spans_of_tokens_take_the_punctuation_attached_to_them() {
    let f = Fixture::new(&source_text(), &verbatim_text());
    let (we, afternoon) = (
        f.token(Side::Source, "We"),
        f.token(Side::Source, "afternoon"),
    );
    let span = f.pair().token_span(we..afternoon + 1, Side::Source);
    assert_eq!(
        span.slice(f.source.text()),
        "“We were lucky that the weather calmed down in the afternoon,”"
    );
    assert_span(f.source.text(), &span);
    // Paragraphs of tokens: the headline is paragraph 0.
    assert_eq!(f.pair().paragraph_of_token(Side::Source, 0), 0);
    assert_eq!(f.pair().paragraph_of_token(Side::Source, we), 4);
    let tug = f.token(Side::Derived, "Tugboats");
    assert_eq!(f.pair().paragraph_of_token(Side::Derived, tug), 2);
}

#[test]
fn a_copied_run_is_reported_unless_an_alignment_covers_it() {
    let config = AlignConfig::default();
    let f = Fixture::new(&source_text(), &verbatim_text());
    let runs = f.runs();
    let uncovered = f.pair().uncovered_runs(&runs, &[], &config);
    assert_eq!(uncovered.len(), 1);
    assert_eq!(uncovered[0].derived.slice(f.derived.text()), P2);
    assert_eq!(uncovered[0].kind, Kind::Verbatim);
    assert!(
        f.pair()
            .uncovered_runs(&runs, &uncovered, &config)
            .is_empty()
    );
    // A run shorter than the minimum passage is not a passage of a longer text.
    let short = Run {
        source: runs[0].source.start..runs[0].source.start + 8,
        derived: runs[0].derived.start..runs[0].derived.start + 8,
        matched: 8,
    };
    assert!(!f.pair().long_enough(&short, &config));
    assert!(f.pair().run_alignment(&short, &config).is_none());
    assert!(f.pair().long_enough(&runs[0], &config));
}

#[test]
fn a_confident_rewrite_upgrades_its_seeds_to_ordered_ones() {
    let config = no_order_evidence();
    let f = Fixture::new(&source_text(), &firm_text());
    let sets = seeds_with_order_evidence(&f.src_vecs, &f.der_vecs, &config);
    assert_eq!(sets.seeds.len(), 3);
    assert!(sets.seeds.iter().all(|s| !s.chained && s.cosine < 0.45));
    let pair = f.pair();
    let cases = pair.passage_cases(sets.seeds.clone(), config.extension.max_gap, &config);
    assert_eq!(cases.len(), 1);
    assert!(cases[0].similarity >= config.order.anchor_similarity);
    let upgraded = pair
        .anchored(&cases, &sets.seeds, &sets.summary, &[], &config)
        .expect("a confident passage");
    assert_eq!(upgraded.len(), 3);
    assert!(upgraded.iter().all(|s| s.chained));
    // Turned off, or with nothing to upgrade, anchoring gives nothing.
    let mut off = config;
    off.order.anchored_cosine = 0.0;
    assert!(
        pair.anchored(&cases, &sets.seeds, &sets.summary, &[], &off)
            .is_none()
    );
    assert!(
        pair.anchored(&[], &sets.seeds, &sets.summary, &[], &config)
            .is_none()
    );
}

#[test]
fn a_summary_candidate_is_chance_when_a_rewrite_inside_it_explains_it() {
    let f = Fixture::new(&source_text(), &paraphrase_text());
    let config = AlignConfig::default();
    let units = |side: Side, first: &str, last: &str| {
        let (a, b) = (f.unit(side, first), f.unit(side, last));
        let units = &f.side(side).units;
        units[a].span.union(&units[b].span)
    };
    let passage = |source: Span, derived: Span| Alignment {
        source,
        derived,
        score: 0.5,
        kind: Kind::Paraphrase,
    };
    // The rewrite of P2 and P3, and a candidate summary over the same
    // derived text drawing on the story from P1 to P6.
    let rewritten = units(Side::Derived, "No one was hurt", "travellers can get");
    let rewrite = passage(
        units(Side::Source, "The harbour master", "refunded"),
        rewritten,
    );
    let summary = Alignment {
        kind: Kind::Summary,
        ..passage(
            units(Side::Source, "A bulk carrier", "end of the week"),
            rewritten,
        )
    };
    let pair = f.pair();
    assert!(pair.explained_without_condensing(&[rewrite], &summary, &config));
    // Not when the passages inside cover too little of it…
    let first = units(Side::Derived, "No one was hurt", "No one was hurt");
    let part = passage(
        units(Side::Source, "The harbour master", "The harbour master"),
        first,
    );
    assert!(!pair.explained_without_condensing(&[part], &summary, &config));
    // …nor when their own source is far longer than a rewrite's.
    let spread = passage(summary.source, rewritten);
    assert!(!pair.explained_without_condensing(&[spread], &summary, &config));
    // Nothing inside, nothing explained.
    assert!(!pair.explained_without_condensing(&[], &summary, &config));
}
