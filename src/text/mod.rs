//! The text layer: bytes to text, and text to tokens, sentences and
//! paragraphs, each carrying code-point and byte offsets into the text.

pub mod decode;
pub mod normalize;
pub mod paragraphs;
pub mod read;
#[cfg(test)]
pub(crate) mod sample;
pub mod sentences;
pub mod span;
pub mod tokens;

use std::ops::Range;

pub use span::{CharIndex, Span};
pub use tokens::{Token, TokenClass};

/// A sentence: its span and the tokens inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Where it is in the text.
    pub span: Span,
    /// Indices of its tokens in [`Segmented::tokens`].
    pub tokens: Range<usize>,
}

/// A paragraph: its span and the sentences inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Where it is in the text.
    pub span: Span,
    /// Indices of its sentences in [`Segmented::sentences`].
    pub sentences: Range<usize>,
}

/// A text cut into paragraphs, sentences and tokens. Every sentence lies in one
/// paragraph; a token lies in at most one sentence (tokens are assigned to the
/// sentence that contains them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Segmented {
    /// Word tokens in text order.
    pub tokens: Vec<Token>,
    /// Sentences in text order.
    pub sentences: Vec<Sentence>,
    /// Paragraphs in text order.
    pub paragraphs: Vec<Paragraph>,
    /// Length of the text in code points.
    pub len_chars: usize,
}

impl Segmented {
    /// Segments `text`.
    pub fn new(text: &str) -> Segmented {
        Segmented::build(text, tokens::tokenize, sentences::sentences)
    }

    /// The segmentation of [`new`](Segmented::new) by the reference paths
    /// alone (UAX #29 for every word and sentence break, the general
    /// normalisation for every token): what the fast paths are tested
    /// against.
    pub fn reference(text: &str) -> Segmented {
        Segmented::build(
            text,
            tokens::tokenize_reference,
            sentences::unicode_sentences,
        )
    }

    fn build(
        text: &str,
        tokenize: fn(&str, &CharIndex) -> Vec<Token>,
        split_sentences: fn(&str, Range<usize>) -> Vec<Range<usize>>,
    ) -> Segmented {
        let index = CharIndex::new(text);
        let tokens = tokenize(text, &index);
        let mut sentences = Vec::new();
        let mut paragraphs = Vec::new();
        let mut next_token = 0;
        for para in paragraphs::paragraphs(text) {
            let first_sentence = sentences.len();
            for sent in split_sentences(text, para.clone()) {
                // Tokens before this sentence (none, as sentences tile the
                // text's words) are skipped defensively.
                while next_token < tokens.len() && tokens[next_token].span.byte_start() < sent.start
                {
                    next_token += 1;
                }
                let first_token = next_token;
                while next_token < tokens.len() && tokens[next_token].span.byte_end() <= sent.end {
                    next_token += 1;
                }
                sentences.push(Sentence {
                    span: index.span(sent.start, sent.end),
                    tokens: first_token..next_token,
                });
            }
            paragraphs.push(Paragraph {
                span: index.span(para.start, para.end),
                sentences: first_sentence..sentences.len(),
            });
        }
        Segmented {
            tokens,
            sentences,
            paragraphs,
            len_chars: index.len_chars(),
        }
    }

    /// The tokens of sentence `i`.
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        &self.tokens[self.sentences[i].tokens.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nests_tokens_in_sentences_in_paragraphs() {
        let text = "Title line\nFirst sentence here. Second one.\nThird.\n\nLast paragraph.";
        let seg = Segmented::new(text);
        assert_eq!(seg.paragraphs.len(), 4);
        assert_eq!(seg.sentences.len(), 5);
        assert_eq!(seg.sentence_tokens(1).len(), 3);
        assert_eq!(seg.paragraphs[1].sentences, 1..3);
        assert_eq!(seg.sentences[4].span.slice(text), "Last paragraph.");
    }
}
