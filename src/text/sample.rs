//! Sample text for tests: deterministic pseudo-random word sequences.

/// `n` pseudo-random words (from 168), a full stop every eleven: texts of
/// different seeds share no 5-word shingle in practice.
pub(crate) fn words(seed: u64, n: usize) -> String {
    const VOCAB: [&str; 24] = [
        "port", "grain", "minister", "cargo", "talks", "harbour", "council", "river", "budget",
        "vessel", "strike", "union", "tariff", "export", "storm", "bridge", "court", "ruling",
        "market", "shares", "energy", "crop", "rail", "border",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = String::new();
    for i in 0..n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if i > 0 {
            out.push(' ');
        }
        out.push_str(VOCAB[(state % 24) as usize]);
        out.push_str(&((state >> 40) % 7).to_string());
        if i % 11 == 10 {
            out.push('.');
        }
    }
    out
}
