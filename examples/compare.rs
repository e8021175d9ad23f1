//! Compare two texts with the library and print the aligned passages.
//!
//! `cargo run --release --example compare -- SOURCE DERIVED`

use neardup::{Config, Document, Engine};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(source), Some(derived)) = (args.next(), args.next()) else {
        return Err("usage: compare SOURCE DERIVED".into());
    };
    let engine = Engine::new(Config::default())?;
    let (source, _) = Document::read(source.as_ref())?;
    let (derived, _) = Document::read(derived.as_ref())?;
    let (s, d) = (engine.profile(source), engine.profile(derived));
    let c = engine.compare(&s, &d);
    println!("{} (score {:.3})", c.verdict.as_str(), c.scores.score);
    for a in &c.alignments {
        println!(
            "{:<10} {:.3}  source {}..{}  derived {}..{}",
            a.kind.as_str(),
            a.score,
            a.source.start(),
            a.source.end(),
            a.derived.start(),
            a.derived.end()
        );
        println!("  {}", neardup::report::table::snippet(s.text(), &a.source));
        println!(
            "  {}",
            neardup::report::table::snippet(d.text(), &a.derived)
        );
    }
    Ok(())
}
