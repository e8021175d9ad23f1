use neardup::align::{chain, seeds::unit_seeds, vectors::pair_vectors};
use neardup::{Config, Document, Engine};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cfg = Config::default();
    let engine = Engine::new(cfg).unwrap();
    let (s, _) = Document::read(args[1].as_ref()).unwrap();
    let (d, _) = Document::read(args[2].as_ref()).unwrap();
    let (s, d) = (engine.profile(s), engine.profile(d));
    let (sv, dv) = pair_vectors(&s.units, &d.units, cfg.align.idf);
    let loose = unit_seeds(&sv, &dv, cfg.align.chain_cosine, cfg.align.chain_dice);
    println!("loose points {}", loose.len());
    let points: Vec<chain::Point> = loose
        .iter()
        .map(|s| chain::Point {
            source: s.source,
            derived: s.derived,
            sim: s.cosine,
        })
        .collect();
    let mut pts: Vec<chain::Point> = points;
    // mutual best
    let bs = |s: usize| {
        pts.iter()
            .filter(|p| p.source == s)
            .map(|p| p.sim)
            .fold(0f32, f32::max)
    };
    let bd = |d: usize| {
        pts.iter()
            .filter(|p| p.derived == d)
            .map(|p| p.sim)
            .fold(0f32, f32::max)
    };
    let keep: Vec<chain::Point> = pts
        .iter()
        .filter(|p| p.sim >= bs(p.source) && p.sim >= bd(p.derived))
        .copied()
        .collect();
    println!(
        "mutual: {:?}",
        keep.iter()
            .map(|p| (p.source, p.derived, (p.sim * 100.0) as i32))
            .collect::<Vec<_>>()
    );
    pts = keep;
    for c in chain::chains(pts, &cfg.align.chain) {
        println!(
            "chain: {:?}",
            c.iter()
                .map(|p| (p.source, p.derived, (p.sim * 100.0) as i32))
                .collect::<Vec<_>>()
        );
    }
}
