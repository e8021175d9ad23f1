use neardup::align::{seeds::unit_seeds, vectors::pair_vectors};
use neardup::{Config, Engine};
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let engine = Engine::new(Config::default()).unwrap();
    let scored = neardup::eval::counter::run(&dir, &engine).unwrap();
    let _ = scored.len();
    // recompute with profiles: re-read via counter module is private; approximate by re-running compare internals
    let mut by: [Vec<(f32, usize, usize, usize)>; 3] = Default::default();
    for s in &scored {
        let src = std::fs::read_to_string(dir.join(format!("{}.xml", s.id))).unwrap();
        let der = std::fs::read_to_string(dir.join(format!("{}p.xml", s.id)))
            .or_else(|_| std::fs::read_to_string(dir.join(format!("{}P.xml", s.id))))
            .unwrap();
        let strip = |t: &str| {
            let b = t.find("<headline>").unwrap();
            t[b..]
                .replace("<headline>", "")
                .replace("</headline>", "\n\n")
                .replace("<body>", "")
                .replace("</body>", "")
                .replace("</COUNTER_document>", "")
                .replace("</COUNTER_DOCUMENT>", "")
        };
        let a = engine.profile(neardup::Document::new("a", strip(&src)));
        let b = engine.profile(neardup::Document::new("b", strip(&der)));
        let (sv, dv) = pair_vectors(&a.units, &b.units);
        let seeds = unit_seeds(&sv, &dv, 0.0, 0.0);
        let maxc = seeds.iter().map(|s| s.cosine).fold(0f32, f32::max);
        let n3 = seeds.iter().filter(|s| s.cosine > 0.3).count();
        let n5 = seeds.iter().filter(|s| s.cosine > 0.5).count();
        by[s.label].push((maxc, n3, n5, b.units.len()));
    }
    for l in 0..3 {
        let v = &mut by[l];
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        let q = |p: f64| v[((v.len() - 1) as f64 * p) as usize];
        println!(
            "{} maxcos q25 {:.2} q50 {:.2} q75 {:.2} | n>0.3 median {} | n>0.5 median {} | units median {}",
            ["ND", "PD", "WD"][l],
            q(0.25).0,
            q(0.5).0,
            q(0.75).0,
            {
                let mut x: Vec<usize> = v.iter().map(|t| t.1).collect();
                x.sort();
                x[x.len() / 2]
            },
            {
                let mut x: Vec<usize> = v.iter().map(|t| t.2).collect();
                x.sort();
                x[x.len() / 2]
            },
            {
                let mut x: Vec<usize> = v.iter().map(|t| t.3).collect();
                x.sort();
                x[x.len() / 2]
            }
        );
    }
}
