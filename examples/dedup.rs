//! Deduplicate documents held in memory: every pair at or above the
//! threshold, verified exactly, and the clusters they form.
//!
//! `cargo run --release --example dedup`

use neardup::corpus::{Corpus, Id};
use neardup::dedup::{DedupConfig, dedup};
use neardup::events::Quiet;

fn main() -> neardup::Result<()> {
    let story = "The harbour authority said on Monday that cargo volumes rose by 18% in \
                 the third quarter, driven by record grain exports and a new container \
                 terminal that opened in June.";
    let documents = vec![
        (Id::Text("wire".into()), story.to_string()),
        (
            Id::Text("paper".into()),
            format!("{story} Officials expect more."),
        ),
        (
            Id::Text("other".into()),
            "A new bakery opened in the old town on Saturday.".to_string(),
        ),
    ];
    let config = DedupConfig {
        threshold: 0.7,
        ..DedupConfig::default()
    };
    let result = dedup(&Corpus::from_documents(documents), &config, &mut Quiet)?;
    for pair in &result.pairs {
        let (a, b) = result.units_of(pair);
        println!(
            "{} ~ {}: Jaccard {:.3}",
            result.unit_name(a),
            result.unit_name(b),
            pair.similarity
        );
    }
    for cluster in result.clusters() {
        let names: Vec<String> = cluster.iter().map(|&u| result.unit_name(u)).collect();
        println!("cluster: {}", names.join(" "));
    }
    Ok(())
}
