use neardup::eval::measures::{Annotation, measures};
use neardup::eval::pan::{PanCorpus, run};
use neardup::{Config, Engine};
fn main() {
    let corpus = PanCorpus::open(std::env::args().nth(1).unwrap().as_ref()).unwrap();
    let cat = std::env::args().nth(2).unwrap();
    let engine = Engine::new(Config::default()).unwrap();
    let r = run(&corpus, &engine, |i| corpus.pairs[i].category == cat).unwrap();
    let (
        mut missed,
        mut cases,
        mut rec_sum,
        mut fp,
        mut dets,
        mut prec_sum,
        mut srcover,
        mut derover,
    ) = (0, 0, 0.0, 0, 0, 0.0, 0.0, 0.0);
    for (i, p) in corpus.pairs.iter().enumerate() {
        if p.category != cat {
            continue;
        }
        for c in &corpus.cases[i] {
            cases += 1;
            let m = measures(std::slice::from_ref(c), &r.detections[i]);
            if m.recall == 0.0 {
                missed += 1
            } else {
                rec_sum += m.recall
            }
        }
        for d in &r.detections[i] {
            dets += 1;
            let m = measures(&corpus.cases[i], std::slice::from_ref(d));
            if m.precision == 0.0 {
                fp += 1
            } else {
                prec_sum += m.precision;
                // which side is over-extended
                let c = corpus.cases[i]
                    .iter()
                    .find(|c| {
                        c.susp_offset < d.susp_offset + d.susp_len
                            && d.susp_offset < c.susp_offset + c.susp_len
                    })
                    .unwrap();
                let over = |o: usize, l: usize, co: usize, cl: usize| {
                    (l as f64 - (o + l).min(co + cl).saturating_sub(o.max(co)) as f64) / l as f64
                };
                srcover += over(d.src_offset, d.src_len, c.src_offset, c.src_len);
                derover += over(d.susp_offset, d.susp_len, c.susp_offset, c.susp_len);
            }
        }
        let _: &Vec<Annotation> = &corpus.cases[i];
    }
    let tp = dets - fp;
    println!(
        "cases {cases} missed {missed} ({:.1}%) mean recall of detected {:.3} | detections {dets} false {fp} mean precision of true {:.3} | excess src {:.3} derived {:.3}",
        100.0 * missed as f64 / cases as f64,
        rec_sum / (cases - missed) as f64,
        prec_sum / tp as f64,
        srcover / tp as f64,
        derover / tp as f64
    );
}
