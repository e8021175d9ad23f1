use neardup::eval::pan::{PanCorpus, run};
use neardup::{Config, Engine};
fn main() {
    let root = std::env::args().nth(1).unwrap();
    let every: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(1);
    let t = std::time::Instant::now();
    let corpus = PanCorpus::open(root.as_ref()).unwrap();
    let engine = Engine::new(Config::default()).unwrap();
    let r = run(&corpus, &engine, |i| i % every == 0).unwrap();
    for c in r.categories.iter().chain(std::iter::once(&r.entire)) {
        let m = c.measures;
        println!(
            "{:28} pairs {:5} flagged {:5} P {:.4} R {:.4} G {:.4} plagdet {:.4}",
            c.name, c.pairs, c.pairs_flagged, m.precision, m.recall, m.granularity, m.plagdet
        );
    }
    eprintln!("{:?}", t.elapsed());
}
