//! Shared by the benchmarks: deterministic news-like text.

/// Deterministic news-like text of about `bytes` bytes (different for each
/// `seed`): Zipf-ish words from a made-up vocabulary, sentences and
/// paragraphs.
pub fn text(bytes: usize, seed: u64) -> String {
    let syll = [
        "ka", "lo", "ri", "men", "tor", "sa", "vel", "an", "dre", "po",
    ];
    let vocab: Vec<String> = (0..5000)
        .map(|i| {
            (0..1 + i % 4)
                .map(|j| syll[(i * 7 + j * 3) % syll.len()])
                .collect()
        })
        .collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64 ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(bytes + 64);
    let mut words = 0;
    while out.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let u = (state % 10_000) as f64 / 10_000.0;
        out.push_str(&vocab[(u * u * vocab.len() as f64) as usize]);
        words += 1;
        out.push_str(match words % 97 {
            0 => ".\n\n",
            n if n % 13 == 0 => ". ",
            _ => " ",
        });
    }
    out
}
