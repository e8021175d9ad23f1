use neardup::align::{seeds::unit_seeds, vectors::pair_vectors};
use neardup::eval::measures::measures;
use neardup::eval::pan::{PanCorpus, run};
use neardup::{Config, Document, Engine};
fn main() {
    let corpus = PanCorpus::open(std::env::args().nth(1).unwrap().as_ref()).unwrap();
    let cat = std::env::args().nth(2).unwrap();
    let cfg = Config::default();
    let engine = Engine::new(cfg).unwrap();
    let r = run(&corpus, &engine, |i| {
        corpus.pairs[i].category == cat && i % 2 == 0
    })
    .unwrap();
    let mut hist = vec![0usize; 12];
    let mut nunits = vec![];
    for (i, p) in corpus.pairs.iter().enumerate() {
        if p.category != cat || i % 2 != 0 {
            continue;
        }
        for c in &corpus.cases[i] {
            if measures(std::slice::from_ref(c), &r.detections[i]).recall > 0.0 {
                continue;
            }
            let s = engine.profile(
                Document::from_bytes_lenient(
                    p.src.clone(),
                    &std::fs::read(corpus.src_path(&p.src)).unwrap(),
                )
                .0,
            );
            let d = engine.profile(
                Document::from_bytes_lenient(
                    p.susp.clone(),
                    &std::fs::read(corpus.susp_path(&p.susp)).unwrap(),
                )
                .0,
            );
            let (sv, dv) = pair_vectors(&s.units, &d.units, cfg.align.idf);
            let seeds = unit_seeds(&sv, &dv, 0.0, 0.0);
            let inside = |u: &neardup::text::Span, o: usize, l: usize| u.start < o + l && o < u.end;
            let best = seeds
                .iter()
                .filter(|x| {
                    inside(&s.units[x.source].span, c.src_offset, c.src_len)
                        && inside(&d.units[x.derived].span, c.susp_offset, c.susp_len)
                })
                .map(|x| x.cosine)
                .fold(0f32, f32::max);
            hist[((best * 10.0) as usize).min(11)] += 1;
            if best >= 0.5 {
                let x = seeds
                    .iter()
                    .filter(|x| {
                        inside(&s.units[x.source].span, c.src_offset, c.src_len)
                            && inside(&d.units[x.derived].span, c.susp_offset, c.susp_len)
                    })
                    .max_by(|a, b| a.cosine.total_cmp(&b.cosine))
                    .unwrap();
                let (su, du) = (&s.units[x.source], &d.units[x.derived]);
                println!(
                    "{} {} cos {:.2} dice {:.2} src len {} der len {} case {}+{} | title {} {}",
                    p.susp,
                    p.src,
                    x.cosine,
                    x.dice,
                    su.span.len(),
                    du.span.len(),
                    c.susp_offset,
                    c.susp_len,
                    su.title,
                    du.title
                );
            }
            nunits.push(
                d.units
                    .iter()
                    .filter(|u| inside(&u.span, c.susp_offset, c.susp_len))
                    .count(),
            );
        }
    }
    println!("best cosine histogram (0.0-0.1, ...): {:?}", hist);
    nunits.sort();
    println!(
        "derived units in missed cases: median {} ",
        nunits[nunits.len() / 2]
    );
}
