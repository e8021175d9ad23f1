//! Index a corpus, then check a new document against it: which indexed
//! documents it copies from, and the copied passages.
//!
//! `cargo run --release --example check`

use neardup::check::CheckOptions;
use neardup::corpus::{Corpus, Id};
use neardup::events::Quiet;
use neardup::index::{Index, IndexParams};
use neardup::{Config, Document, Engine};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let story = "BRENNMARK, March 14 (Northwire) - A bulk carrier loaded with 2,400 \
                 tonnes of grain ran aground on Tuesday near the port's northern \
                 breakwater, blocking the main channel for most of the day. Saltmere \
                 Shipping said nobody was hurt and that tugs had pulled the ship free by \
                 evening. The harbour master said the channel would reopen on Wednesday.";
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("wire.ndx");
    let corpus = Corpus::from_documents(vec![(Id::Text("wire-0314".into()), story.into())]);
    Index::build(&corpus, IndexParams::new(0.8, 0.8)?, &path, &mut Quiet)?;

    let index = Index::open(&path)?;
    let engine = Engine::new(Config::default())?;
    let draft = Document::new(
        "draft.txt",
        format!("Local news. {story} More on this story tomorrow."),
    );
    for finding in index.check(&engine, &draft, &CheckOptions::default())? {
        println!("{}", finding.message());
        for a in &finding.comparison.alignments {
            println!(
                "  {} {:.3}: indexed {}..{}, draft {}..{}",
                a.kind.as_str(),
                a.score,
                a.source.start(),
                a.source.end(),
                a.derived.start(),
                a.derived.end()
            );
        }
    }
    Ok(())
}
