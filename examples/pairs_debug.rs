use neardup::align::vectors::pair_vectors;
use neardup::{Config, Document, Engine};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = Engine::new(Config::default()).unwrap();
    let (s, _) = Document::read(args[1].as_ref()).unwrap();
    let (d, _) = Document::read(args[2].as_ref()).unwrap();
    let (s, d) = (engine.profile(s), engine.profile(d));
    let (sv, dv) = pair_vectors(&s.units, &d.units);
    let mut all = vec![];
    for (i, a) in sv.iter().enumerate() {
        for (j, b) in dv.iter().enumerate() {
            all.push((a.cosine(b), a.dice(b), i, j));
        }
    }
    all.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (c, di, i, j) in all.iter().take(25) {
        println!(
            "{c:.3} {di:.3} s{i} d{j}\n   S: {}\n   D: {}",
            s.units[*i]
                .span
                .slice(s.text())
                .chars()
                .take(110)
                .collect::<String>(),
            d.units[*j]
                .span
                .slice(d.text())
                .chars()
                .take(110)
                .collect::<String>()
        );
    }
}
