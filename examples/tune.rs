//! Parameter exploration across the development sets in one line: PAN half
//! (a or b), the news fixtures, optional extra scenario folders, and COUNTER
//! (cross-validated). `tune PAN_DIR a|b|all COUNTER_DIR NEWS_DIR[,DIR…] key=value…`
use neardup::eval::pan::{Half, PanCorpus, run};
use neardup::{Config, Engine};

fn set(cfg: &mut Config, k: &str, v: &str) {
    let a = &mut cfg.align;
    let f = || v.parse::<f32>().unwrap();
    let u = || v.parse::<usize>().unwrap();
    match k {
        "cos" => a.seeds.min_cosine = f(),
        "dice" => a.seeds.min_dice = f(),
        "case" => a.extension.min_case_similarity = f(),
        "ccase" => a.extension.min_chained_case_similarity = f(),
        "gap" => a.extension.max_gap = u(),
        "sgap" => a.summaries.gap = u(),
        "minlen" => a.filters.min_passage_chars = u(),
        "ccos" => a.order.candidate_cosine = f(),
        "cdice" => a.order.candidate_dice = f(),
        "bias" => a.order.chain.bias = f(),
        "cap" => a.order.chain.cap = f(),
        "gcost" => a.order.chain.gap_cost = f(),
        "skew" => a.order.chain.skew_cost = f(),
        "cgap" => a.order.chain.max_gap = u(),
        "cmin" => a.order.chain.min_score = f(),
        "cpts" => a.order.chain.min_points = u(),
        "dens" => a.order.chain.min_density = f(),
        "chains" => a.order.chain.max_chains = u(),
        "splits" => a.extension.split_source = v == "1",
        "splitd" => a.extension.split_derived = v == "1",
        "mutual" => a.order.mutual = v == "1",
        "corr" => a.order.corridor = u(),
        "lone" => a.filters.lone_min_cosine = f(),
        "idf" => {
            a.seeds.idf = if v == "1" {
                neardup::align::vectors::Idf::Damped
            } else {
                neardup::align::vectors::Idf::Plain
            }
        }
        "scov" => a.summaries.min_coverage = f(),
        "smin" => a.summaries.min_sources = u(),
        "sratio" => a.summaries.ratio = v.parse().unwrap(),
        "sstrong" => a.summaries.min_strong = u(),
        "acos" => a.order.anchored_cosine = f(),
        "asim" => a.order.anchor_similarity = f(),
        "copymin" => a.copies.copy_min_tokens = u(),
        "cshare" => a.order.min_share = f(),
        "share" => cfg.verdict.derived_share = v.parse().unwrap(),
        _ => panic!("unknown {k}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut cfg = Config::default();
    for kv in &args[5..] {
        let (k, v) = kv.split_once('=').unwrap();
        set(&mut cfg, k, v);
    }
    let engine = Engine::new(cfg).unwrap();
    let corpus = PanCorpus::open(args[1].as_ref()).unwrap();
    let half = match args[2].as_str() {
        "a" => Some(Half::A),
        "b" => Some(Half::B),
        _ => None,
    };
    let r = run(&corpus, &engine, |i| {
        half.is_none_or(|h| corpus.pairs[i].half() == h)
    })
    .unwrap();
    let mut line = String::new();
    for c in r.categories.iter().chain(std::iter::once(&r.entire)) {
        if c.measures.cases == 0 {
            line += &format!("np{} ", c.pairs_flagged);
            continue;
        }
        line += &format!("{}{:.3} ", &c.name[3..4], c.measures.plagdet);
    }
    for dir in args[4].split(',') {
        let res = neardup::eval::news::run(dir.as_ref(), &engine).unwrap();
        let t = neardup::eval::news::totals(&res);
        line += &format!(
            "| P{:.2} R{:.2} F{:.2} i{}/{} ",
            t.precision, t.recall, t.f1, t.independent_flagged, t.independent
        );
    }
    let scored = neardup::eval::counter::run(args[3].as_ref(), &engine).unwrap();
    let c = neardup::eval::counter::report(&scored);
    line += &format!(
        "| ctr {:.3}/{:.3} cv {:.3}/{:.3}",
        c.verdict_binary_f1, c.verdict_macro_f1, c.cv_binary_f1, c.cv_macro_f1
    );
    println!("{:<40} {}", args[5..].join(" "), line);
}
