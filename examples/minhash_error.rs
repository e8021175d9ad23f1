//! Estimation error of one-permutation hashing (with optimal densification)
//! against classic k-hash MinHash: for set pairs of known Jaccard similarity,
//! the root-mean-square error of the estimate, over many seeds.
//!
//! `cargo run --release --example minhash_error`

use neardup::sketch::{MinHasher, Scheme};

fn main() {
    let slots = 128;
    let trials = 200;
    println!("slots {slots}, {trials} seeds per cell; RMSE of the Jaccard estimate");
    println!("{:>6} {:>8} {:>10} {:>10}", "|A|", "J", "OPH", "classic");
    for size in [20usize, 200, 2000] {
        for j in [0.2f64, 0.5, 0.8] {
            // |A| = |B| = size, |A ∩ B| = i, J = i / (2 size − i).
            let inter = (2.0 * size as f64 * j / (1.0 + j)).round() as u64;
            let exact = inter as f64 / (2 * size as u64 - inter) as f64;
            let a: Vec<u64> = (0..size as u64)
                .map(|x| x.wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .collect();
            let b: Vec<u64> = (size as u64 - inter..2 * size as u64 - inter)
                .map(|x| x.wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .collect();
            let rmse = |scheme| {
                let se: f64 = (0..trials)
                    .map(|seed| {
                        let h = MinHasher::new(slots, scheme, seed).unwrap();
                        (h.sign(&a).jaccard(&h.sign(&b)) - exact).powi(2)
                    })
                    .sum();
                (se / trials as f64).sqrt()
            };
            println!(
                "{size:>6} {exact:>8.3} {:>10.4} {:>10.4}",
                rmse(Scheme::OnePermutation),
                rmse(Scheme::Classic)
            );
        }
    }
    println!(
        "theory for classic MinHash: sqrt(J(1-J)/{slots}) = 0.0354 (J=0.2), 0.0442 (J=0.5), 0.0354 (J=0.8)"
    );
}
