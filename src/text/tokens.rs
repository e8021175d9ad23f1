//! Word tokens by Unicode word boundaries (UAX #29), each with its offsets and
//! its normalised form.
//!
//! Scripts written without spaces between words get one token per ideograph
//! (Han) or syllable character, so shingles over them are character n-grams.
//!
//! There is one word rule with two implementations: UAX #29 (the
//! `unicode-segmentation` crate) is the reference and reads any text; ASCII
//! stretches take [`for_each_ascii_word`], which applies the same rules to
//! 64-byte blocks at a time (tested against the reference here and by
//! property tests), and [`visit_words`] cuts mixed text between the two. The
//! rule's ASCII part is the byte table [`CLASS`] and the joining logic of
//! `Masks::words`; nothing else restates it.

use std::ops::Range;

use compact_str::CompactString;
use unicode_segmentation::UnicodeSegmentation;

use super::normalize::normalize_into;
use super::span::{CharIndex, Span};

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenClass {
    /// Letters (possibly with digits, apostrophes, inner periods).
    Word,
    /// Digits only, possibly with inner separators (`3.67`, `1,000`).
    Number,
    /// A single character of a script written without spaces (CJK).
    Ideograph,
}

/// One word of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where it is in the original text.
    pub span: Span,
    /// Its normalised form (NFKC, case-folded, unified punctuation); held
    /// inline, without an allocation, up to 24 bytes.
    pub norm: CompactString,
    /// What it is made of.
    pub class: TokenClass,
}

/// Iterates over the word segments of `text` that contain a letter or digit,
/// as `(byte offset, segment)`: exactly the words of [`unicode_words`],
/// found by [`for_each_word`].
pub fn words(text: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    let mut found = Vec::new();
    for_each_word(text, |range, _| found.push((range.start, &text[range])));
    Box::new(found.into_iter())
}

/// The reference: UAX #29 word segments holding a letter or digit.
pub fn unicode_words(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    text.split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
}

/// Where [`visit_words`] hands the words of a text, as byte ranges.
pub trait WordSink {
    /// A word found on the ASCII fast path (so it is ASCII).
    fn ascii(&mut self, word: Range<usize>);
    /// A word found by UAX #29 (it may be ASCII too).
    fn unicode(&mut self, word: Range<usize>);
}

/// A closure as a [`WordSink`]: the flag says the word came from the ASCII
/// fast path.
impl<F: FnMut(Range<usize>, bool)> WordSink for F {
    #[inline(always)]
    fn ascii(&mut self, word: Range<usize>) {
        self(word, true)
    }
    #[inline(always)]
    fn unicode(&mut self, word: Range<usize>) {
        self(word, false)
    }
}

/// Calls `f` with the byte range of each word of `text`, in order (the
/// words of [`unicode_words`]), and whether it was found on the ASCII fast
/// path; see [`visit_words`].
#[inline]
pub fn for_each_word(text: &str, mut f: impl FnMut(Range<usize>, bool)) {
    visit_words(text, &mut f);
}

/// Hands each word of `text` to `sink`, in order: exactly the words of
/// [`unicode_words`].
///
/// ASCII stretches go through [`for_each_ascii_word`]; around each non-ASCII
/// byte, the stretch from the last safe split before it to the first safe
/// split after it goes through UAX #29 ([`safe_split`] says why the words
/// on either side of such a split are those of the whole text).
#[inline]
pub fn visit_words(text: &str, sink: &mut impl WordSink) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let (from, to) = mixed_stretches(bytes, at, safe_split);
        if from > at {
            for_each_ascii_word(&text[at..from], |r| sink.ascii(at + r.start..at + r.end));
        }
        for (offset, word) in unicode_words(&text[from..to]) {
            sink.unicode(from + offset..from + offset + word.len());
        }
        at = to;
    }
}

/// True if UAX #29 word breaks at byte `p` whatever comes before or after,
/// and no rule looks across it: the byte at `p` is ASCII (not an Extend,
/// Format or ZWJ character that WB4 would attach to what precedes it), and
/// the byte before is a line feed (always a break after it, WB3a) or a
/// space followed by something other than a space (a space joins only
/// other spaces, WB3d — a run of spaces stays whole, as a combining mark
/// after it can make the whole run a segment with a letter in it). Rules
/// that look two characters ahead or behind (WB6/7, WB11/12) need a letter
/// or digit where the space is.
#[inline]
fn safe_split(bytes: &[u8], p: usize) -> bool {
    let c = bytes[p];
    c < 0x80 && (bytes[p - 1] == b'\n' || (bytes[p - 1] == b' ' && c != b' '))
}

/// From `at`, the ASCII stretch `at..from` and then the stretch `from..to`
/// that must go through UAX #29: from the last point before the next
/// non-ASCII byte where `safe(bytes, p)` allows a cut, to the first such
/// point after it (`(len, len)` when no non-ASCII byte is left). Word and
/// sentence segmentation share this walk, each with its own safe cut.
#[inline]
pub(super) fn mixed_stretches(
    bytes: &[u8],
    at: usize,
    safe: impl Fn(&[u8], usize) -> bool,
) -> (usize, usize) {
    let Some(i) = first_non_ascii(&bytes[at..]) else {
        return (bytes.len(), bytes.len());
    };
    let q = at + i;
    let from = (at + 1..q).rev().find(|&p| safe(bytes, p)).unwrap_or(at);
    let to = (q + 1..bytes.len())
        .find(|&p| safe(bytes, p))
        .unwrap_or(bytes.len());
    (from, to)
}

/// Position of the first byte ≥ 0x80, 16 bytes at a time.
#[inline]
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    const HIGH: u128 = u128::from_ne_bytes([0x80; 16]);
    let mut chunks = bytes.chunks_exact(16);
    let mut at = 0;
    for chunk in &mut chunks {
        let x = u128::from_ne_bytes(chunk.try_into().expect("16 bytes"));
        if x & HIGH != 0 {
            break;
        }
        at += 16;
    }
    bytes[at..].iter().position(|&b| b >= 0x80).map(|i| at + i)
}

/// Tokenises `text`; `index` must be the [`CharIndex`] of the same text.
/// Words from the ASCII fast path are lowercased and classed in one pass
/// each; the others take the general rule of [`tokenize_reference`].
pub fn tokenize(text: &str, index: &CharIndex) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    for_each_word(text, |range, ascii| {
        let word = &text[range.clone()];
        let token = if ascii {
            let mut norm = CompactString::new(word);
            norm.make_ascii_lowercase();
            Token {
                span: index.span(range.start, range.end),
                norm,
                class: ascii_class(word.as_bytes()),
            }
        } else {
            general_token(word, index.span(range.start, range.end))
        };
        tokens.push(token);
    });
    tokens
}

/// The tokens of [`tokenize`] by the reference alone: words by UAX #29
/// ([`unicode_words`]), each normalised and classed by the general rule —
/// what the fast paths are tested against.
pub fn tokenize_reference(text: &str, index: &CharIndex) -> Vec<Token> {
    unicode_words(text)
        .map(|(at, word)| general_token(word, index.span(at, at + word.len())))
        .collect()
}

fn general_token(word: &str, span: Span) -> Token {
    let mut norm = CompactString::with_capacity(word.len());
    normalize_into(word, &mut norm);
    Token {
        span,
        class: classify(word),
        norm,
    }
}

/// [`classify`] of an ASCII word: a word if it has a letter, else a number.
#[inline]
fn ascii_class(word: &[u8]) -> TokenClass {
    if word.iter().any(u8::is_ascii_alphabetic) {
        TokenClass::Word
    } else {
        TokenClass::Number
    }
}

fn classify(word: &str) -> TokenClass {
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    if chars.next().is_none() && is_spaceless_script(first) {
        TokenClass::Ideograph
    } else if word.chars().all(|c| !c.is_alphabetic()) {
        TokenClass::Number
    } else {
        TokenClass::Word
    }
}

/// Han, Hiragana, Katakana and Hangul-syllable blocks: scripts whose words are
/// not separated by spaces (Hangul is, but its syllables work as n-gram units).
fn is_spaceless_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF        // Hiragana, Katakana
        | 0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF      // CJK Unified Ideographs
        | 0xF900..=0xFAFF      // CJK Compatibility Ideographs
        | 0x20000..=0x3134F) // CJK Extensions B–G
}

/// Bits of [`CLASS`]: what an ASCII byte can be in a word.
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const UNDERSCORE: u8 = 4;
/// `.`, `'`, `:` between two letters join them (UAX #29 WB6/WB7).
const LETTER_JOINER: u8 = 8;
/// `.`, `'`, `,`, `;` between two digits join them (WB11/WB12).
const DIGIT_JOINER: u8 = 16;

/// UAX #29 word rules restricted to ASCII, as data: letters, digits and `_`
/// make words (WB5, WB8–WB10, WB13a/b: `_` is ExtendNumLet); a letter joiner
/// between two letters or a digit joiner between two digits keeps a word
/// going. Bytes ≥ 0x80 never reach it.
pub const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphabetic() {
            LETTER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if b == b'_' {
            UNDERSCORE
        } else if b == b'.' || b == b'\'' {
            LETTER_JOINER | DIGIT_JOINER
        } else if b == b':' {
            LETTER_JOINER
        } else if b == b',' || b == b';' {
            DIGIT_JOINER
        } else {
            0
        };
        c += 1;
    }
    t
};

/// Calls `f` with the byte range of each word of ASCII `text` (checked in
/// debug builds) — exactly the words of [`unicode_words`] — found without a
/// branch per byte: each 64-byte block is classified into bit masks
/// ([`Masks`], by SSE2 on x86_64, NEON on aarch64, the table elsewhere),
/// joiners between two letters or two digits are resolved with shifted
/// masks, and words are the runs of set bits, found with trailing-zero
/// counts. The fingerprinting hot loop.
///
/// SSE2 and NEON are part of their architectures' baselines, so no run-time
/// detection is needed, and the classifier and `f` are inlined into one
/// loop. (An AVX2 classifier behind `is_x86_feature_detected!`, in a
/// `#[target_feature]` copy of this loop, measured 2.2 to 2.6 times slower
/// at classifying words here — 915 MiB/s against 2.0 GiB/s — its profile
/// showing compare results moved between vector registers and the stack a
/// byte at a time; it was left out.)
#[inline]
pub fn for_each_ascii_word(text: &str, mut f: impl FnMut(Range<usize>)) {
    debug_assert!(text.is_ascii());
    let bytes = text.as_bytes();
    #[cfg(target_arch = "x86_64")]
    scan(bytes, classify64_sse2, &mut f);
    #[cfg(target_arch = "aarch64")]
    scan(bytes, classify64_neon, &mut f);
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    scan(bytes, classify64_table, &mut f);
}

/// The word ranges of `bytes`, block by block: a word's start is a word
/// byte after a non-word byte; its (exclusive) end a non-word byte after a
/// word byte. Within a block, starts and ends alternate, so the k-th start
/// pairs with the k-th end (after the end of a word carried in from the
/// block before). `f` is called from one place only, so that it is inlined.
#[inline(always)]
fn scan(bytes: &[u8], classify: impl Fn(&[u8; 64]) -> Masks, f: &mut impl FnMut(Range<usize>)) {
    let mut prev = Masks::default();
    let mut current = masks_at(bytes, 0, &classify);
    // The start of a word still open at the end of the last block.
    let mut open: Option<usize> = None;
    let mut base = 0;
    // A word that reaches the end of a text of whole blocks is closed by one
    // more (all-zero) block.
    while base < bytes.len() || open.is_some() {
        let next = masks_at(bytes, base + 64, &classify);
        let word = current.words(&prev, &next);
        let before = word << 1 | u64::from(open.is_some());
        let mut starts = word & !before;
        let mut ends = !word & before;
        loop {
            let start = match open.take() {
                Some(start) => start,
                None if starts == 0 => break,
                None => {
                    let start = base + starts.trailing_zeros() as usize;
                    starts &= starts - 1;
                    start
                }
            };
            if ends == 0 {
                open = Some(start);
                break;
            }
            let end = base + ends.trailing_zeros() as usize;
            ends &= ends - 1;
            emit(bytes, start..end, f);
        }
        prev = current;
        current = next;
        base += 64;
    }
}

/// The masks of the 64 bytes at `at` (zero-padded past the end). Inlined
/// with the classifier into the loop: one call site for `classify`, the
/// rare padded block made out of line.
#[inline(always)]
fn masks_at(bytes: &[u8], at: usize, classify: &impl Fn(&[u8; 64]) -> Masks) -> Masks {
    match bytes.get(at..at + 64) {
        Some(block) => classify(block.try_into().expect("64 bytes")),
        None => classify(&padded_block(bytes, at)),
    }
}

/// The bytes from `at` to the end of `bytes` (fewer than 64), zero-padded.
#[cold]
#[inline(never)]
fn padded_block(bytes: &[u8], at: usize) -> [u8; 64] {
    let mut block = [0u8; 64];
    let rest = &bytes[at.min(bytes.len())..];
    block[..rest.len()].copy_from_slice(rest);
    block
}

/// Hands on a run of word bytes unless it has no letter or digit (a run of
/// `_`, which UAX #29 makes a segment but no word).
#[inline(always)]
fn emit(bytes: &[u8], range: Range<usize>, f: &mut impl FnMut(Range<usize>)) {
    if bytes[range.start] != b'_' || bytes[range.clone()].iter().any(u8::is_ascii_alphanumeric) {
        f(range);
    }
}

/// Bit masks of one 64-byte block (bit i is byte i), one per [`CLASS`] bit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Masks {
    letter: u64,
    digit: u64,
    underscore: u64,
    letter_joiner: u64,
    digit_joiner: u64,
}

impl Masks {
    /// Word bytes, with joiners that sit between two letters or two digits
    /// (`prev` and `next` are the neighbouring blocks, for joiners at the
    /// block's edges).
    #[inline(always)]
    fn words(&self, prev: &Masks, next: &Masks) -> u64 {
        let letter_before = self.letter << 1 | prev.letter >> 63;
        let letter_after = self.letter >> 1 | next.letter << 63;
        let digit_before = self.digit << 1 | prev.digit >> 63;
        let digit_after = self.digit >> 1 | next.digit << 63;
        let joined = (self.letter_joiner & letter_before & letter_after)
            | (self.digit_joiner & digit_before & digit_after);
        self.letter | self.digit | self.underscore | joined
    }
}

/// The masks of a block, by table lookup: the portable implementation, and
/// the reference the SIMD classifiers are tested against.
#[cfg_attr(any(target_arch = "x86_64", target_arch = "aarch64"), allow(dead_code))]
#[inline(always)]
fn classify64_table(block: &[u8; 64]) -> Masks {
    let mut m = Masks::default();
    for (i, &b) in block.iter().enumerate() {
        let class = CLASS[b as usize];
        let bit = |flag: u8| u64::from(class & flag != 0) << i;
        m.letter |= bit(LETTER);
        m.digit |= bit(DIGIT);
        m.underscore |= bit(UNDERSCORE);
        m.letter_joiner |= bit(LETTER_JOINER);
        m.digit_joiner |= bit(DIGIT_JOINER);
    }
    m
}

impl Masks {
    /// Adds the masks of one SIMD lane (bit i: byte i of the lane) that
    /// starts at byte `at` of the block.
    #[inline(always)]
    fn add_lane(&mut self, at: usize, lane: Masks) {
        self.letter |= lane.letter << at;
        self.digit |= lane.digit << at;
        self.underscore |= lane.underscore << at;
        self.letter_joiner |= lane.letter_joiner << at;
        self.digit_joiner |= lane.digit_joiner << at;
    }
}

/// [`classify64_table`] with SSE2 compares, 16 bytes at a time (SSE2 is
/// part of every x86_64 CPU).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn classify64_sse2(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    let mut m = Masks::default();
    for at in (0..64).step_by(16) {
        // SAFETY: SSE2 is part of the x86_64 baseline; the load is unaligned
        // and reads the 16 bytes at `at` inside `block`.
        let lane = unsafe {
            let x = _mm_loadu_si128(block.as_ptr().add(at) as *const __m128i);
            let set = |c: u8| _mm_set1_epi8(c as i8);
            let eq = |c: u8| _mm_cmpeq_epi8(x, set(c));
            let between = |v: __m128i, lo: u8, hi: u8| {
                _mm_and_si128(
                    _mm_cmpgt_epi8(v, set(lo - 1)),
                    _mm_cmplt_epi8(v, set(hi + 1)),
                )
            };
            // Bytes ≥ 0x80 are negative as i8: no range below takes them,
            // as the table gives them no class.
            let letter = between(_mm_or_si128(x, set(0x20)), b'a', b'z');
            let both = _mm_or_si128(eq(b'.'), eq(b'\''));
            let bits = |v: __m128i| _mm_movemask_epi8(v) as u32 as u64;
            Masks {
                letter: bits(letter),
                digit: bits(between(x, b'0', b'9')),
                underscore: bits(eq(b'_')),
                letter_joiner: bits(_mm_or_si128(both, eq(b':'))),
                digit_joiner: bits(_mm_or_si128(both, _mm_or_si128(eq(b','), eq(b';')))),
            }
        };
        m.add_lane(at, lane);
    }
    m
}

/// [`classify64_table`] with NEON compares, 16 bytes at a time (NEON is
/// part of every aarch64 CPU). NEON has no byte movemask: each compare
/// result is masked to one bit per byte and summed across the halves.
#[cfg(target_arch = "aarch64")]
#[inline(always)]
fn classify64_neon(block: &[u8; 64]) -> Masks {
    use std::arch::aarch64::*;
    const WEIGHTS: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128];
    let mut m = Masks::default();
    for at in (0..64).step_by(16) {
        // SAFETY: NEON is part of the aarch64 baseline; the loads read the
        // 16 bytes at `at` inside `block` and the 16 bytes of `WEIGHTS`.
        let lane = unsafe {
            let x = vld1q_u8(block.as_ptr().add(at));
            let weights = vld1q_u8(WEIGHTS.as_ptr());
            let set = |c: u8| vdupq_n_u8(c);
            let eq = |c: u8| vceqq_u8(x, set(c));
            // Unsigned compares: bytes ≥ 0x80 fall outside every range.
            let between = |v: uint8x16_t, lo: u8, hi: u8| {
                vandq_u8(vcgeq_u8(v, set(lo)), vcleq_u8(v, set(hi)))
            };
            let bits = |v: uint8x16_t| {
                let w = vandq_u8(v, weights);
                u64::from(vaddv_u8(vget_low_u8(w))) | u64::from(vaddv_u8(vget_high_u8(w))) << 8
            };
            let letter = between(vorrq_u8(x, set(0x20)), b'a', b'z');
            let both = vorrq_u8(eq(b'.'), eq(b'\''));
            Masks {
                letter: bits(letter),
                digit: bits(between(x, b'0', b'9')),
                underscore: bits(eq(b'_')),
                letter_joiner: bits(vorrq_u8(both, eq(b':'))),
                digit_joiner: bits(vorrq_u8(both, vorrq_u8(eq(b','), eq(b';')))),
            }
        };
        m.add_lane(at, lane);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<CompactString> {
        tokenize(text, &CharIndex::new(text))
            .into_iter()
            .map(|t| t.norm)
            .collect()
    }

    /// Deterministic pseudo-random ASCII texts over the bytes that matter
    /// to the rule, of lengths around the 64-byte block edges.
    fn samples() -> Vec<String> {
        let mut samples: Vec<String> = vec![
            "U.S. talks: a:b, 3.67, 1,000; 12;34 don't 'quoted' __x__ a_1 x.y.z. 9.a a.9 ...end"
                .into(),
            "Hello,world! e-mail foo@bar.com 3:30 p.m. rock'n'roll 1'000 A.B.C: ok".into(),
            "trailing. joiner' 5, 5,, 6.. a..b a''b _ __ 42_ _42".into(),
            String::new(),
            "x".into(),
            "@[`{/:".into(),
        ];
        let mut state = 12345u64;
        let alphabet = b"aZ09_.':,; \n!";
        for len in [1, 2, 63, 64, 65, 127, 128, 129, 300] {
            for _ in 0..20 {
                let s: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize] as char
                    })
                    .collect();
                samples.push(s);
            }
        }
        samples
    }

    /// Deterministic texts mixing ASCII with characters UAX #29 treats
    /// specially (combining marks, ZWJ, ideographs, Arabic punctuation,
    /// typographic apostrophes, non-breaking spaces) next to the bytes the
    /// split points look at, and words that run across block edges.
    fn mixed_samples() -> Vec<String> {
        let pieces = [
            "a",
            "Zb",
            "09",
            "_",
            ".",
            "'",
            ":",
            ",",
            ";",
            " ",
            "\n",
            "\r\n",
            "!",
            "é",
            "\u{301}",
            "\u{200D}",
            "中",
            "國",
            "’",
            "۔",
            "،",
            "\u{A0}",
            "ß",
            "👍🏽",
            "ａ",
            "\u{2060}",
            "x\u{301}",
            // An Extend mark that is alphabetic: after spaces, it makes the
            // whole run of spaces a word segment.
            "\u{1171D}",
        ];
        let mut state = 99u64;
        let mut samples = Vec::new();
        for len in [1, 3, 20, 40, 70, 150] {
            for _ in 0..60 {
                let s: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        pieces[(state % pieces.len() as u64) as usize]
                    })
                    .collect();
                samples.push(s);
            }
        }
        samples.push("  \u{1171D}".to_string());
        for n in 60..70 {
            let long = "w".repeat(n);
            samples.push(format!("{long} {long}.{long} é {long}"));
        }
        samples
    }

    #[test]
    fn mixed_text_words_are_the_uax29_words() {
        for text in &mixed_samples() {
            let fast: Vec<(usize, &str)> = words(text).collect();
            let reference: Vec<(usize, &str)> = unicode_words(text).collect();
            assert_eq!(fast, reference, "{text:?}");
        }
    }

    #[test]
    fn ascii_words_are_the_uax29_words() {
        for text in &samples() {
            let fast: Vec<(usize, &str)> = words(text).collect();
            let reference: Vec<(usize, &str)> = unicode_words(text).collect();
            assert_eq!(fast, reference, "{text:?}");
        }
    }

    type Classifier = fn(&[u8; 64]) -> Masks;

    /// Every classifier this CPU can run, by name.
    fn classifiers() -> Vec<(&'static str, Classifier)> {
        let mut all: Vec<(&'static str, Classifier)> = vec![("table", classify64_table)];
        #[cfg(target_arch = "x86_64")]
        {
            all.push(("sse2", classify64_sse2));
        }
        #[cfg(target_arch = "aarch64")]
        all.push(("neon", classify64_neon));
        all
    }

    #[test]
    fn simd_classification_equals_the_table() {
        for (name, classify) in classifiers() {
            for b in 0..=255u8 {
                for at in [0, 15, 16, 31, 32, 33, 47, 48, 63] {
                    let mut block = [b' '; 64];
                    block[at] = b;
                    assert_eq!(
                        classify(&block),
                        classify64_table(&block),
                        "{name}: byte {b} at {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_classifier_finds_the_same_words() {
        for text in &samples() {
            let reference: Vec<Range<usize>> =
                unicode_words(text).map(|(o, w)| o..o + w.len()).collect();
            for (name, classify) in classifiers() {
                let mut found = Vec::new();
                scan(text.as_bytes(), classify, &mut |r| found.push(r));
                assert_eq!(found, reference, "{name}: {text:?}");
            }
        }
    }

    #[test]
    fn english_words_numbers_and_apostrophes() {
        assert_eq!(
            norms("Iran’s talks, in 2025, cost $3.67 billion (U.S. say)."),
            [
                "iran's", "talks", "in", "2025", "cost", "3.67", "billion", "u.s", "say"
            ]
        );
    }

    #[test]
    fn german_compound_and_umlaut() {
        assert_eq!(
            norms("Die Außenminister trafen sich."),
            ["die", "aussenminister", "trafen", "sich"]
        );
    }

    #[test]
    fn urdu_words_split_on_spaces() {
        assert_eq!(norms("پاکستان کی حکومت").len(), 3);
    }

    #[test]
    fn chinese_is_one_token_per_ideograph() {
        let text = "中国政府今天宣布";
        let tokens = tokenize(text, &CharIndex::new(text));
        assert_eq!(tokens.len(), 8);
        assert!(tokens.iter().all(|t| t.class == TokenClass::Ideograph));
        assert_eq!(tokens[1].span.start(), 1);
        assert_eq!(tokens[1].span.byte_start(), 3);
    }

    #[test]
    fn offsets_point_at_the_original_characters() {
        let text = "ＡＢＣ café";
        let tokens = tokenize(text, &CharIndex::new(text));
        assert_eq!(tokens[0].span.slice(text), "ＡＢＣ");
        assert_eq!(tokens[0].norm, "abc");
        assert_eq!(tokens[1].span.start(), 4);
    }
}
