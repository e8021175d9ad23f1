//! Text from documents, ids and file names made safe to print on a
//! terminal, as ripgrep and `ls` do: control characters are shown escaped
//! (`\x1b`, `\r`, `\u{9b}`) instead of being sent to the terminal, where an
//! escape sequence could erase a line, move the cursor or retitle the
//! window, and a carriage return could hide what came before it. Bidi
//! overrides are escaped too, so that a name cannot display reversed.
//! Machine-readable outputs (JSON, SARIF) keep the text exact.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal as it is.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character (C0, DEL, C1) and bidi override
/// escaped: `\n`, `\r`, `\t` by name, other ASCII controls as `\xHH`, the
/// rest as `\u{H…}`. Text without any is returned as it is.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_other_text_is_kept() {
        let cases = [
            ("plain text, ü and 漢字", "plain text, ü and 漢字"),
            ("\x1b[2K\rFAIL", "\\x1b[2K\\rFAIL"),
            ("bell\x07 back\x08space", "bell\\x07 back\\x08space"),
            ("a\nb\tc", "a\\nb\\tc"),
            ("del\x7f", "del\\x7f"),
            ("csi\u{9b}31m", "csi\\u{9b}31m"),
            ("\u{202e}txt.exe", "\\u{202e}txt.exe"),
            ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ];
        for (text, shown) in cases {
            assert_eq!(escape(text), shown, "{text:?}");
        }
        assert!(matches!(escape("nothing to do"), Cow::Borrowed(_)));
    }
}
