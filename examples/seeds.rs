use neardup::{Config, Document, Engine};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = Engine::new(Config::default()).unwrap();
    let (s, _) = Document::read(args[1].as_ref()).unwrap();
    let (d, _) = Document::read(args[2].as_ref()).unwrap();
    let c = engine.compare_documents(s.clone(), d.clone());
    println!("{:?} {:?}", c.verdict, c.scores);
    for a in &c.alignments {
        println!(
            "--- {:?} {:.3} src {}..{} der {}..{}",
            a.kind, a.score, a.source.start, a.source.end, a.derived.start, a.derived.end
        );
        println!(
            "  S: {}",
            &s.text[a.source.bytes()]
                .chars()
                .take(150)
                .collect::<String>()
        );
        println!(
            "  D: {}",
            &d.text[a.derived.bytes()]
                .chars()
                .take(150)
                .collect::<String>()
        );
    }
}
