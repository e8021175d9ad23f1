//! Documents as terms, for alignment: sentences become units — bags of
//! stemmed words and canonical numbers ([`numbers`]) — with sentences too
//! short to compare on their own annexed to a neighbour. Below both
//! [`profile`](crate::Profile) (which prepares a document once) and
//! [`align`](crate::align) (which compares units).

pub mod numbers;

use std::collections::HashMap;
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use xxhash_rust::xxh3::xxh3_64;

use crate::text::{Segmented, Span, Token, TokenClass};

/// A term id: the hash of a stemmed, normalised word.
pub type Term = u64;

/// One unit of alignment: a sentence, or a short sentence with its neighbour.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// Where the unit is in the text.
    pub span: Span,
    /// Its tokens, as indices into [`Segmented::tokens`].
    pub tokens: Range<usize>,
    /// Term frequencies, sorted by term.
    pub terms: Vec<(Term, u32)>,
    /// Index of the paragraph the unit starts in.
    pub paragraph: usize,
    /// The unit is a whole paragraph without sentence-final punctuation: a
    /// headline, subheading or caption line.
    pub title: bool,
}

/// Which words become terms, and how they are stemmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitConfig {
    /// Stemming language; `None` compares unstemmed words.
    pub stemming: Option<Algorithm>,
    /// Words shorter than this (in characters) are not terms; numbers always are.
    pub min_word_chars: usize,
    /// Sentences with fewer terms than this are annexed to the next one.
    pub min_unit_terms: usize,
}

impl Default for UnitConfig {
    fn default() -> Self {
        UnitConfig {
            stemming: Some(Algorithm::English),
            min_word_chars: 3,
            min_unit_terms: 3,
        }
    }
}

/// Builds the units of a segmented text.
pub fn units(seg: &Segmented, config: &UnitConfig) -> Vec<Unit> {
    let stemmer = config.stemming.map(Stemmer::create);
    let mut out: Vec<Unit> = Vec::with_capacity(seg.sentences.len());
    let mut pending: Option<Unit> = None;
    let paragraph_of = |i: usize| seg.paragraphs.partition_point(|p| p.sentences.end <= i);
    for (i, sentence) in seg.sentences.iter().enumerate() {
        let mut unit = Unit {
            span: sentence.span,
            tokens: sentence.tokens.clone(),
            paragraph: paragraph_of(i),
            title: is_title(seg, i),
            terms: terms(
                &seg.tokens[sentence.tokens.clone()],
                stemmer.as_ref(),
                config,
            ),
        };
        if let Some(short) = pending.take() {
            unit = merge(short, unit);
        }
        if term_count(&unit) < config.min_unit_terms {
            pending = Some(unit);
        } else {
            out.push(unit);
        }
    }
    if let Some(short) = pending {
        match out.pop() {
            Some(last) => out.push(merge(last, short)),
            None if !short.terms.is_empty() => out.push(short),
            None => {}
        }
    }
    out
}

/// Whether sentence `i` is a short whole paragraph that ends on a word, with
/// no closing punctuation: a headline or subheading.
fn is_title(seg: &Segmented, i: usize) -> bool {
    let alone = seg
        .paragraphs
        .iter()
        .find(|p| p.sentences.contains(&i))
        .is_some_and(|p| p.sentences.len() == 1);
    let ends_on_word = seg
        .sentence_tokens(i)
        .last()
        .is_some_and(|t| t.span.byte_end() == seg.sentences[i].span.byte_end());
    // Headlines are short; a long unpunctuated line is text that lost its stop.
    alone && ends_on_word && seg.sentence_tokens(i).len() <= MAX_TITLE_TOKENS
}

/// Longest headline, in words.
const MAX_TITLE_TOKENS: usize = 16;

fn term_count(unit: &Unit) -> usize {
    unit.terms.iter().map(|&(_, n)| n as usize).sum()
}

fn merge(first: Unit, second: Unit) -> Unit {
    let mut counts: HashMap<Term, u32> = first.terms.into_iter().collect();
    for (t, n) in second.terms {
        *counts.entry(t).or_default() += n;
    }
    let mut terms: Vec<_> = counts.into_iter().collect();
    terms.sort_unstable();
    Unit {
        span: first.span.union(&second.span),
        tokens: first.tokens.start..second.tokens.end,
        terms,
        paragraph: first.paragraph,
        title: first.title && second.title,
    }
}

/// The term of one token, if it is one.
pub fn term_of(token: &Token, stemmer: Option<&Stemmer>, config: &UnitConfig) -> Option<Term> {
    let is_number = token.class == TokenClass::Number;
    if !is_number
        && token.class != TokenClass::Ideograph
        && token.norm.chars().count() < config.min_word_chars
    {
        return None;
    }
    let stemmed = match stemmer {
        Some(s) if !is_number => s.stem(&token.norm),
        _ => std::borrow::Cow::Borrowed(token.norm.as_str()),
    };
    Some(xxh3_64(stemmed.as_bytes()))
}

/// The terms of a token sequence with their frequencies, sorted: stemmed
/// words and canonical numbers (see [`numbers`]).
pub fn terms(tokens: &[Token], stemmer: Option<&Stemmer>, config: &UnitConfig) -> Vec<(Term, u32)> {
    let mut ids: Vec<Term> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let next = tokens.get(i + 1).map(|t| t.norm.as_str());
        match numbers::canonical(&tokens[i].norm, next) {
            Some((number, consumed)) => {
                ids.push(xxh3_64(number.as_bytes()));
                i += usize::from(consumed);
                let after: Vec<&str> = tokens[i + 1..(i + 3).min(tokens.len())]
                    .iter()
                    .map(|t| t.norm.as_str())
                    .collect();
                i += numbers::unit_words(&after);
            }
            None => ids.extend(term_of(&tokens[i], stemmer, config)),
        }
        i += 1;
    }
    ids.sort_unstable();
    let mut out: Vec<(Term, u32)> = Vec::with_capacity(ids.len());
    for id in ids {
        match out.last_mut() {
            Some((last, n)) if *last == id => *n += 1,
            _ => out.push((id, 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_sentences_join_the_next_one() {
        let text =
            "Hello there. The negotiations were continuing in Muscat. Talks resumed on Friday.";
        let units = units(&Segmented::new(text), &UnitConfig::default());
        assert_eq!(units.len(), 2);
        assert_eq!(
            units[0].span.slice(text),
            "Hello there. The negotiations were continuing in Muscat."
        );
    }

    #[test]
    fn stemming_unifies_inflections() {
        let a = Segmented::new("Negotiations continued between delegations.");
        let b = Segmented::new("The negotiation continues between delegation.");
        let ua = units(&a, &UnitConfig::default());
        let ub = units(&b, &UnitConfig::default());
        let shared = ua[0]
            .terms
            .iter()
            .filter(|(t, _)| ub[0].terms.iter().any(|(u, _)| u == t))
            .count();
        assert_eq!(shared, 4);
    }
}
