//! Paragraphs: blocks separated by blank lines — or, in texts that put each
//! paragraph on a line of its own, each line.
//!
//! Both layouts occur: news copy pasted from the web puts each paragraph on one
//! long line with single line breaks, while hard-wrapped text (e-mail, PAN's
//! corpus) breaks lines in the middle of sentences. The two are told apart by
//! how lines end: when most single line breaks follow a sentence-ending mark,
//! lines are paragraphs; otherwise only blank lines separate paragraphs.

use std::ops::Range;

/// Byte ranges of the paragraphs of `text`, trimmed of surrounding whitespace,
/// in order, never empty.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let blocks = blocks(text);
    if lines_are_paragraphs(text, &blocks) {
        blocks.into_iter().flatten().collect()
    } else {
        blocks
            .into_iter()
            .map(|lines| lines[0].start..lines[lines.len() - 1].end)
            .collect()
    }
}

/// Byte ranges of the blocks separated by blank lines, by the benchmark rule
/// (`\n\s*\n` splits; every block counts, even an empty or short one), untrimmed.
/// This is the paragraph definition of the dedup contract.
pub fn blank_line_blocks(text: &str) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    blank_line_blocks_into(text, &mut blocks);
    blocks
}

/// Appends the [`blank_line_blocks`] of `text` to `blocks`.
pub fn blank_line_blocks_into(text: &str, blocks: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut block_start = 0;
    let mut from = 0;
    // Line feeds found with memchr (SIMD), not byte by byte.
    while let Some(at) = memchr::memchr(b'\n', &bytes[from..]) {
        let i = from + at;
        // Look for another '\n' after only whitespace.
        match blank_run_end(text, i + 1) {
            Some(end) => {
                blocks.push(block_start..i);
                block_start = end;
                from = end;
            }
            None => from = i + 1,
        }
    }
    blocks.push(block_start..bytes.len());
}

/// If a `\n\s*\n` separator starting with the `\n` just before `from` ends, the
/// byte after its last `\n`... matched greedily like the regex `\n\s*\n`.
fn blank_run_end(text: &str, from: usize) -> Option<usize> {
    // `\s*` is greedy and backtracks to the last '\n' within the whitespace run.
    let rest = &text[from..];
    let ws_len: usize = rest
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(rest.len(), |(i, _)| i);
    let last_newline = rest[..ws_len].rfind('\n')?;
    Some(from + last_newline + 1)
}

/// Non-blank lines (trimmed byte ranges), grouped into blocks.
fn blocks(text: &str) -> Vec<Vec<Range<usize>>> {
    let mut blocks: Vec<Vec<Range<usize>>> = Vec::new();
    let mut current = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        match trimmed(text, start..offset) {
            Some(range) => current.push(range),
            None if !current.is_empty() => blocks.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// `range` without leading and trailing whitespace; `None` if nothing is left.
pub fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (lead < s.len()).then(|| range.start + lead..range.end - trail)
}

/// Lines are paragraphs when at least this share of single line breaks
/// follow a sentence end: a majority vote, chosen with the rule (hard-wrapped
/// text ends few of its lines at a stop, web copy nearly all of them).
const SENTENCE_END_SHARE: f64 = 0.5;

fn lines_are_paragraphs(text: &str, blocks: &[Vec<Range<usize>>]) -> bool {
    let mut breaks = 0;
    let mut after_sentence_end = 0;
    for lines in blocks {
        for line in &lines[..lines.len() - 1] {
            breaks += 1;
            if ends_sentence(&text[line.clone()]) {
                after_sentence_end += 1;
            }
        }
    }
    breaks > 0 && after_sentence_end as f64 >= SENTENCE_END_SHARE * breaks as f64
}

/// Ends with a sentence-final mark, possibly followed by closing quotes or
/// brackets.
pub fn ends_sentence(line: &str) -> bool {
    let core = line.trim_end_matches(|c: char| {
        matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']') || c.is_whitespace()
    });
    core.ends_with(['.', '!', '?', '…', ':', '。', '！', '？', '۔', '؟'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        paragraphs(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(
            texts("One sentence\nwrapped.\n\n  Two.  \n\n\n"),
            ["One sentence\nwrapped.", "Two."]
        );
    }

    #[test]
    fn one_paragraph_per_line_is_recognised() {
        let text =
            "Headline without a stop\nFirst paragraph ends here.\nSecond one too.\r\nThird.\n";
        assert_eq!(
            texts(text),
            [
                "Headline without a stop",
                "First paragraph ends here.",
                "Second one too.",
                "Third."
            ]
        );
    }

    #[test]
    fn hard_wrapped_text_keeps_its_paragraphs() {
        let text = "This paragraph is wrapped at a\nfixed width so that lines end\nmid-sentence. Lines rarely end\nwith a stop.\n\nA second paragraph is also\nwrapped like the first.";
        assert_eq!(texts(text).len(), 2);
    }

    #[test]
    fn bench_blocks_follow_the_regex_rule() {
        let text = "a b\n \nc\n\n\nd\n";
        let blocks: Vec<&str> = blank_line_blocks(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(blocks, ["a b", "c", "d\n"]);
        assert_eq!(blank_line_blocks("").len(), 1);
        let text = "\n\nx";
        let blocks: Vec<&str> = blank_line_blocks(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(blocks, ["", "x"]);
    }
}
