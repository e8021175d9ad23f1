//! Parameter exploration across the development sets in one line: PAN half
//! (a or b), the news fixtures, optional extra scenario folders, and COUNTER
//! (cross-validated). `tune PAN_DIR a|b|all COUNTER_DIR NEWS_DIR[,DIR…] key=value…`
//! where a key is a `Config::set` path (`align.seeds.min_cosine`) or one of
//! the short names below.
use neardup::eval::pan::{Half, PanCorpus, run};
use neardup::{Config, Engine};

/// Short names of the parameters explored most, for shorter command lines;
/// any other `Config::set` path works as written.
const ALIASES: &[(&str, &str)] = &[
    ("cos", "align.seeds.min_cosine"),
    ("dice", "align.seeds.min_dice"),
    ("case", "align.extension.min_case_similarity"),
    ("ccase", "align.extension.min_chained_case_similarity"),
    ("gap", "align.extension.max_gap"),
    ("sgap", "align.summaries.gap"),
    ("minlen", "align.filters.min_passage_chars"),
    ("ccos", "align.order.candidate_cosine"),
    ("cdice", "align.order.candidate_dice"),
    ("lone", "align.filters.lone_min_cosine"),
    ("acos", "align.order.anchored_cosine"),
    ("asim", "align.order.anchor_similarity"),
    ("cshare", "align.order.min_share"),
    ("share", "verdict.derived_share"),
    ("over", "verdict.overturn_probability"),
    ("prob", "verdict.derived_probability"),
];

fn set(cfg: &mut Config, k: &str, v: &str) {
    let key = ALIASES
        .iter()
        .find(|(alias, _)| *alias == k)
        .map_or(k, |(_, key)| key);
    cfg.set(key, v).unwrap_or_else(|e| panic!("{e}"));
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
