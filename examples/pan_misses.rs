//! Lists the pairs of one PAN sub-corpus where precision or recall is below
//! 0.9, with truth and detections: `pan_misses DIR SUB-CORPUS [LIMIT]`.
use neardup::eval::measures::measures;
use neardup::eval::pan::PanCorpus;
use neardup::{Config, Document, Engine};
fn main() {
    let root = std::env::args().nth(1).unwrap();
    let cat = std::env::args().nth(2).unwrap();
    let limit: usize = std::env::args()
        .nth(3)
        .map(|s| s.parse().unwrap())
        .unwrap_or(20);
    let corpus = PanCorpus::open(root.as_ref()).unwrap();
    let engine = Engine::new(Config::default()).unwrap();
    let mut shown = 0;
    for (i, p) in corpus.pairs.iter().enumerate() {
        if p.category != cat {
            continue;
        }
        let s = Document::from_bytes_lenient(
            p.src.clone(),
            &std::fs::read(corpus.src_path(&p.src)).unwrap(),
        )
        .0;
        let d = Document::from_bytes_lenient(
            p.susp.clone(),
            &std::fs::read(corpus.susp_path(&p.susp)).unwrap(),
        )
        .0;
        let c = engine.compare_documents(s.clone(), d.clone());
        let dets: Vec<_> = c.alignments.iter().map(|a| p.annotation(a)).collect();
        let m = measures(&corpus.cases[i], &dets);
        if m.precision < 0.9 || m.recall < 0.9 {
            println!(
                "== {} {} P {:.3} R {:.3} G {:.2}",
                p.susp, p.src, m.precision, m.recall, m.granularity
            );
            for t in &corpus.cases[i] {
                println!(
                    "  truth susp {}+{} src {}+{}",
                    t.susp_offset, t.susp_len, t.src_offset, t.src_len
                );
            }
            for (a, t) in c.alignments.iter().zip(&dets) {
                println!(
                    "  det   susp {}+{} src {}+{} {:?} {:.2}",
                    t.susp_offset, t.susp_len, t.src_offset, t.src_len, a.kind, a.score
                );
            }
            shown += 1;
            if shown >= limit {
                break;
            }
        }
    }
}
