//! Parameter exploration on one fixed half of PAN (choose on `a`, report on
//! `b`): `pan_tune DIR a|b|all key=value…`.
use neardup::eval::pan::{Half, PanCorpus, run};
use neardup::{Config, Engine};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = PanCorpus::open(args[1].as_ref()).unwrap();
    let half = match args[2].as_str() {
        "a" => Some(Half::A),
        "b" => Some(Half::B),
        _ => None,
    };
    let mut cfg = Config::default();
    for kv in &args[3..] {
        let (k, v) = kv.split_once('=').unwrap();
        let a = &mut cfg.align;
        match k {
            "cos" => a.min_cosine = v.parse().unwrap(),
            "dice" => a.min_dice = v.parse().unwrap(),
            "case" => a.min_case_similarity = v.parse().unwrap(),
            "gap" => a.max_gap = v.parse().unwrap(),
            "sgap" => a.summary_gap = v.parse().unwrap(),
            "minlen" => a.min_passage_chars = v.parse().unwrap(),
            "minterms" => a.units.min_unit_terms = v.parse().unwrap(),
            "minchars" => a.units.min_word_chars = v.parse().unwrap(),
            _ => panic!("unknown {k}"),
        }
    }
    let engine = Engine::new(cfg).unwrap();
    let t = std::time::Instant::now();
    let r = run(&corpus, &engine, |i| {
        half.is_none_or(|h| corpus.pairs[i].half() == h)
    })
    .unwrap();
    let mut line = String::new();
    for c in r.categories.iter().chain(std::iter::once(&r.entire)) {
        if c.measures.cases == 0 {
            line += &format!("noplag {:>3}  ", c.pairs_flagged);
            continue;
        }
        line += &format!("{} {:.4}  ", &c.name[..4], c.measures.plagdet);
    }
    println!(
        "{} | {}  ({:.1}s)",
        args[3..].join(" "),
        line,
        t.elapsed().as_secs_f64()
    );
}
