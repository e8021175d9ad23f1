//! Fits the document-level verdict model and prints it as the Rust constant
//! of `neardup::verdict::MODEL`, with cross-validated figures per corpus:
//! `fit_verdict PAN_DIR COUNTER_DIR CLOUGH_DIR NEWS_DIR[,DIR…]` (PAN half a
//! only; the news folders are the development sets; Clough is reported,
//! never fitted on).
use neardup::eval::pan::Half;
use neardup::eval::verdict::{self, Sample};
use neardup::verdict::{FEATURE_NAMES, MODEL};
use neardup::{Config, Engine};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: fit_verdict PAN_DIR COUNTER_DIR CLOUGH_DIR NEWS_DIR[,DIR…]");
        std::process::exit(2);
    }
    // The model's inputs are the passages before the model judges them.
    let mut config = Config::default();
    config.verdict.overturn_probability = 0.0;
    config.verdict.overturn_rewrites_probability = 0.0;
    let engine = Engine::new(config).unwrap();
    let mut samples: Vec<Sample> = Vec::new();
    samples.extend(verdict::counter_samples(args[2].as_ref(), &engine).unwrap());
    samples.extend(verdict::pan_samples(args[1].as_ref(), &engine, Half::A).unwrap());
    samples.extend(verdict::clough_samples(args[3].as_ref(), &engine).unwrap());
    for dir in args[4].split(',') {
        samples.extend(verdict::news_samples(dir.as_ref(), &engine).unwrap());
    }
    if std::env::var_os("FIT_VERDICT_DUMP").is_some() {
        for s in &samples {
            let x: Vec<String> = s.x.iter().map(|v| format!("{v:.4}")).collect();
            println!("{}\t{}\t{}\t{}", s.corpus, s.id, s.class, x.join("\t"));
        }
    }
    let bars = Config::default().verdict;
    let report = |title: &str, p: &[f64]| {
        println!("{title}");
        for f in verdict::figures(&samples, p, &bars) {
            println!(
                "  {:<8} pairs {:>4} derived {:>4}  binary F1 {:.3}  not-derived flagged {:>3}  derived missed {:>3}  3-class macro-F1 {:.3}",
                f.corpus, f.pairs, f.derived, f.binary_f1, f.false_flags, f.missed, f.macro_f1
            );
        }
    };
    let current: Vec<f64> = samples.iter().map(|s| MODEL.probability(&s.x)).collect();
    report("the model in the code:", &current);
    let cv = verdict::cross_validate(&samples);
    report(&format!("{}-fold cross-validation:", verdict::FOLDS), &cv);
    // The bar for pairs without passages: what other choices would do.
    for bar in [0.5, 0.6, 0.7, 0.8] {
        let config = neardup::engine::VerdictConfig {
            derived_probability: bar,
            ..bars
        };
        let line: Vec<String> = verdict::figures(&samples, &cv, &config)
            .iter()
            .map(|f| {
                format!(
                    "{} F1 {:.3} flagged {}",
                    f.corpus, f.binary_f1, f.false_flags
                )
            })
            .collect();
        println!("  bar {bar:.1}: {}", line.join(" | "));
    }
    let all: Vec<&Sample> = samples.iter().collect();
    let model = verdict::fit(&all);
    let print = |name: &str, l: &neardup::verdict::Logistic| {
        println!(
            "    {name}: Logistic {{\n        bias: {:.6},\n        weights: [",
            l.bias
        );
        for (w, feature) in l.weights.iter().zip(FEATURE_NAMES) {
            println!("            {w:.6}, // {feature}");
        }
        println!("        ],\n    }},");
    };
    println!("fitted on all samples:\npub const MODEL: Model = Model {{");
    print("with_passages", &model.with_passages);
    print("without_passages", &model.without_passages);
    println!("}};");
}
