//! Sentences by Unicode sentence boundaries (UAX #29), repaired where UAX #29
//! breaks after abbreviations and initials (`U.S. Embassy`, `J. D. Vance`,
//! `Feb. 6`).

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::paragraphs::trimmed;

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "maj", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp", "inc",
    "ltd", "co", "corp", "bros", "vs", "etc", "al", "approx", "dept", "est", "fig", "no", "nos",
    "vol", "pp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "ave", "blvd", "rd",
    "univ", "assn", "intl",
];

/// Words that usually open a sentence; after a dotted acronym (`U.S.`) they
/// mean the acronym did end the sentence.
const SENTENCE_OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "in",
    "on",
    "at",
    "as",
    "if",
    "when",
    "while",
    "after",
    "before",
    "however",
    "his",
    "her",
    "their",
    "its",
    "our",
    "there",
    "what",
    "why",
    "how",
    "who",
    "so",
    "yet",
    "then",
    "meanwhile",
    "still",
    "also",
    "for",
    "since",
    "although",
    "officials",
];

/// Byte ranges of the sentences of the paragraph `range` of `text`, trimmed,
/// never empty. Line breaks inside the paragraph do not end sentences.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let para = &text[range.clone()];
    // UAX #29 always breaks after a line break; hard-wrapped lines must not.
    let flat: String = para
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut out: Vec<Range<usize>> = Vec::new();
    for (offset, piece) in flat.split_sentence_bound_indices() {
        let Some(r) = trimmed(&flat, offset..offset + piece.len()) else {
            continue;
        };
        match out.last_mut() {
            Some(prev) if continues(&flat[prev.clone()], &flat[r.clone()]) => prev.end = r.end,
            _ => out.push(r),
        }
    }
    out.into_iter()
        .map(|r| range.start + r.start..range.start + r.end)
        .collect()
}

/// Whether `next` continues the sentence `prev` rather than starting one.
fn continues(prev: &str, next: &str) -> bool {
    if !prev.chars().any(char::is_alphanumeric) || !next.chars().any(char::is_alphanumeric) {
        return true;
    }
    if next.starts_with(|c: char| c.is_lowercase()) {
        return true;
    }
    let Some(before_stop) = prev.strip_suffix('.') else {
        return false;
    };
    let last_word = before_stop
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '“' | '‘' | '\''))
        .next()
        .unwrap_or("");
    let mut letters = last_word.chars();
    let single_letter =
        matches!((letters.next(), letters.next()), (Some(c), None) if c.is_uppercase());
    if single_letter {
        return true;
    }
    let lower = last_word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let dotted =
        last_word.contains('.') && last_word.chars().all(|c| c.is_alphabetic() || c == '.');
    dotted && !starts_with_opener(next)
}

fn starts_with_opener(next: &str) -> bool {
    let first = next
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    SENTENCE_OPENERS.contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            split("One here. Two there! Three? "),
            ["One here.", "Two there!", "Three?"]
        );
    }

    #[test]
    fn keeps_initials_and_abbreviations_inside() {
        assert_eq!(
            split(
                "Vice President J. D. Vance met Mr. Smith on Feb. 6 at the U.S. Embassy. Talks followed."
            ),
            [
                "Vice President J. D. Vance met Mr. Smith on Feb. 6 at the U.S. Embassy.",
                "Talks followed."
            ]
        );
    }

    #[test]
    fn dotted_acronym_can_end_a_sentence() {
        assert_eq!(
            split("He flew to the U.S. The talks began."),
            ["He flew to the U.S.", "The talks began."]
        );
    }

    #[test]
    fn wrapped_lines_do_not_end_sentences() {
        assert_eq!(
            split("A sentence wrapped\nacross lines. The\nnext one."),
            ["A sentence wrapped\nacross lines.", "The\nnext one."]
        );
    }

    #[test]
    fn offsets_are_relative_to_the_text() {
        let text = "xx\n\nFirst one. Second.";
        let got = sentences(text, 4..text.len());
        assert_eq!(got, [4..14, 15..22]);
    }
}
