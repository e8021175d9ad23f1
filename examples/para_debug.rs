use neardup::align::units::Unit;
use neardup::align::vectors::pair_vectors;
use neardup::{Config, Document, Engine};
fn paras(p: &neardup::profile::Profile) -> Vec<Unit> {
    // merge units by paragraph
    let seg = &p.segmented;
    let mut out: Vec<Unit> = vec![];
    for para in &seg.paragraphs {
        let us: Vec<&Unit> = p
            .units
            .iter()
            .filter(|u| u.span.start >= para.span.start && u.span.end <= para.span.end)
            .collect();
        if us.is_empty() {
            continue;
        }
        let mut terms = std::collections::BTreeMap::new();
        for u in &us {
            for &(t, n) in &u.terms {
                *terms.entry(t).or_insert(0) += n;
            }
        }
        out.push(Unit {
            span: us[0].span.union(&us[us.len() - 1].span),
            tokens: us[0].tokens.start..us[us.len() - 1].tokens.end,
            terms: terms.into_iter().collect(),
        });
    }
    out
}
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = Engine::new(Config::default()).unwrap();
    let (s, _) = Document::read(args[1].as_ref()).unwrap();
    let (d, _) = Document::read(args[2].as_ref()).unwrap();
    let (s, d) = (engine.profile(s), engine.profile(d));
    let (su, du) = (paras(&s), paras(&d));
    let (sv, dv) = pair_vectors(&su, &du);
    for (j, b) in dv.iter().enumerate() {
        let mut best: Vec<(f32, f32, usize)> = sv
            .iter()
            .enumerate()
            .map(|(i, a)| (a.cosine(b), a.dice(b), i))
            .collect();
        best.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!(
            "d{j}: {}",
            du[j]
                .span
                .slice(d.text())
                .chars()
                .take(70)
                .collect::<String>()
        );
        for (c, di, i) in best.iter().take(3) {
            println!(
                "   {c:.3} {di:.3} s{i}: {}",
                su[*i]
                    .span
                    .slice(s.text())
                    .chars()
                    .take(60)
                    .collect::<String>()
            );
        }
    }
}
