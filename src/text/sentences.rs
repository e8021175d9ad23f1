//! Sentences by Unicode sentence boundaries (UAX #29), repaired where UAX #29
//! breaks after abbreviations and initials (`U.S. Embassy`, `J. D. Vance`,
//! `Feb. 6`).

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::paragraphs::trimmed;
use super::tokens::mixed_stretches;

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
///
/// The UAX #29 sentence breaks are found by [`ascii_breaks`] on ASCII
/// stretches and by the `unicode-segmentation` crate (the reference, see
/// [`unicode_sentences`]) only around non-ASCII characters.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let para = &text[range.clone()];
    let mut breaks = Vec::new();
    let bytes = para.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // The ASCII stretch at..from, then the UAX #29 stretch from..to.
        let (from, to) = mixed_stretches(bytes, at, safe_split);
        if from > at {
            ascii_breaks(&bytes[at..from], |b| breaks.push(at + b));
        }
        if to > from {
            unicode_breaks(&para[from..to], |b| breaks.push(from + b));
        }
        at = to;
    }
    merge(text, range, &breaks)
}

/// The reference for [`sentences`]: every break by UAX #29.
pub fn unicode_sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut breaks = Vec::new();
    unicode_breaks(&text[range.clone()], |b| breaks.push(b));
    merge(text, range, &breaks)
}

/// The sentences of the paragraph `range` cut at `breaks` (offsets in the
/// paragraph, ascending, inside it), trimmed, the empty ones dropped, and
/// pieces that continue a sentence (after an abbreviation, an initial...)
/// joined to it.
fn merge(text: &str, range: Range<usize>, breaks: &[usize]) -> Vec<Range<usize>> {
    let para = &text[range.clone()];
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let ends = breaks.iter().copied().chain(Some(para.len()));
    for end in ends {
        let piece = start..end;
        start = end;
        let Some(r) = trimmed(para, piece) else {
            continue;
        };
        match out.last_mut() {
            Some(prev) if continues(&para[prev.clone()], &para[r.clone()]) => prev.end = r.end,
            _ => out.push(r),
        }
    }
    out.into_iter()
        .map(|r| range.start + r.start..range.start + r.end)
        .collect()
}

/// Calls `f` with each sentence break of `para` by UAX #29 (the crate's
/// `split_sentence_bound_indices`) but the one at its start and its end,
/// line breaks read as spaces (UAX #29 always breaks after one;
/// hard-wrapped lines must not).
fn unicode_breaks(para: &str, mut f: impl FnMut(usize)) {
    let flat: String = para
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    for (offset, _) in flat.split_sentence_bound_indices().skip(1) {
        f(offset);
    }
}

/// True if UAX #29 sentence breaks are the same whether `bytes` is cut at
/// `p` or not (but for the break the cut itself makes): an ASCII letter
/// follows an ASCII letter. No sentence break falls between two letters,
/// no rule looking back from after `p` reaches past the letter at `p`
/// (the rules look back only over closing punctuation and spaces to a
/// full stop, and at the one character before a full stop), and the one
/// rule looking ahead (SB8) stops at the letter before `p`.
#[inline]
fn safe_split(bytes: &[u8], p: usize) -> bool {
    bytes[p].is_ascii_alphabetic() && bytes[p - 1].is_ascii_alphabetic()
}

/// UAX #29 sentence classes of the ASCII characters, line breaks counted
/// as spaces (see [`unicode_breaks`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sb {
    Other,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
}

const fn sb(b: u8) -> Sb {
    match b {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => Sb::Sp,
        b'a'..=b'z' => Sb::Lower,
        b'A'..=b'Z' => Sb::Upper,
        b'0'..=b'9' => Sb::Numeric,
        b'.' => Sb::ATerm,
        b'!' | b'?' => Sb::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Sb::Close,
        b',' | b'-' | b':' | b';' => Sb::SContinue,
        _ => Sb::Other,
    }
}

const SB: [Sb; 128] = {
    let mut t = [Sb::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = sb(b as u8);
        b += 1;
    }
    t
};

/// Calls `f` with each UAX #29 sentence break of the ASCII text `bytes`
/// (line breaks read as spaces) but the ones at its start and end, in
/// order: the breaks of [`unicode_breaks`], jumping from one `.`, `!` or
/// `?` to the next (with line breaks as spaces, no break comes but after
/// a terminator, its closing punctuation and its spaces — SB11).
///
/// After a terminator come closing marks (SB9), then spaces (SB9, SB10);
/// a terminator among them starts over, a comma, dash, colon or semicolon
/// ends the run without a break (SB8a); the first other character is
/// broken before (SB11) unless a digit or a capital joins it to a full
/// stop right before (SB6, SB7: `3.5`, `U.S`) or, after a full stop, the
/// first letter or terminator ahead is a lower-case letter (SB8: `etc. and`).
fn ascii_breaks(bytes: &[u8], mut f: impl FnMut(usize)) {
    let class = |p: usize| SB[bytes[p] as usize];
    let mut from = 0;
    while let Some(i) = memchr::memchr3(b'.', b'!', b'?', &bytes[from..]) {
        let mut t = from + i;
        'run: loop {
            let full_stop = bytes[t] == b'.';
            let after_letter = t > 0 && matches!(class(t - 1), Sb::Lower | Sb::Upper);
            let lower_ahead = full_stop && lower_ahead(bytes, t + 1);
            let mut p = t + 1;
            if p < bytes.len() && full_stop {
                let joined = match class(p) {
                    Sb::Numeric => true,
                    Sb::Upper => after_letter,
                    _ => false,
                };
                if joined {
                    from = p;
                    break 'run;
                }
            }
            let mut spaces = false;
            loop {
                if p == bytes.len() {
                    from = p;
                    break 'run;
                }
                match class(p) {
                    Sb::ATerm | Sb::STerm => {
                        t = p;
                        continue 'run;
                    }
                    Sb::SContinue => {
                        from = p + 1;
                        break 'run;
                    }
                    Sb::Close if !spaces => p += 1,
                    Sb::Sp => {
                        spaces = true;
                        p += 1;
                    }
                    _ => {
                        if !lower_ahead {
                            f(p);
                        }
                        from = p;
                        break 'run;
                    }
                }
            }
        }
    }
}

/// SB8's look-ahead: whether the first letter or terminator from `p` on is
/// a lower-case letter.
fn lower_ahead(bytes: &[u8], p: usize) -> bool {
    bytes[p.min(bytes.len())..]
        .iter()
        .map(|&b| SB[b as usize])
        .find(|c| matches!(c, Sb::Lower | Sb::Upper | Sb::ATerm | Sb::STerm))
        == Some(Sb::Lower)
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

    fn ascii(text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        ascii_breaks(text.as_bytes(), |b| found.push(b));
        found
    }

    fn reference(text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        unicode_breaks(text, |b| found.push(b));
        found
    }

    /// Deterministic pseudo-random texts over `alphabet`'s pieces.
    fn random_texts(alphabet: &[&str], seed: u64) -> Vec<String> {
        let mut state = seed;
        let mut texts = Vec::new();
        for len in [1, 2, 3, 5, 8, 13, 30, 80] {
            for _ in 0..400 {
                let s: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize]
                    })
                    .collect();
                texts.push(s);
            }
        }
        texts
    }

    #[test]
    fn ascii_breaks_are_the_uax29_breaks() {
        // One character of each ASCII sentence class, and then every byte.
        let classes = [
            "a", "b", "A", "Z", "1", ".", "!", "?", "\"", "'", ")", "[", ",", "-", ":", ";", " ",
            "\t", "\n", "\r", "#", "\u{0}",
        ];
        let every: Vec<String> = (0..128u8).map(|b| (b as char).to_string()).collect();
        let every: Vec<&str> = every.iter().map(String::as_str).collect();
        for (alphabet, seed) in [(&classes[..], 7), (&every[..], 11)] {
            for text in random_texts(alphabet, seed) {
                assert_eq!(ascii(&text), reference(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn mixed_sentences_are_the_uax29_sentences() {
        let pieces = [
            "a", "Bc", "1", ".", "!", "?", "\"", ")", ",", " ", "\n", "é", "É", "ß", "。", "۔",
            "\u{301}", "\u{AD}", "\u{A0}", "\u{2029}", "\u{85}", "”", "中", "…", "‼",
        ];
        for text in random_texts(&pieces, 5) {
            assert_eq!(
                sentences(&text, 0..text.len()),
                unicode_sentences(&text, 0..text.len()),
                "{text:?}"
            );
        }
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
