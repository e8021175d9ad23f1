//! The report's markup, escaping and policy.

use super::diff::changes;
use super::page::{JS, sha256_base64};
use super::*;
use crate::comparison::{Alignment, Kind, Scores, Verdict};
use crate::text::{CharIndex, Span};

#[test]
fn escape_covers_markup_quotes_cr_and_nul() {
    assert_eq!(
        escape("<script>a&b</script> \"x\" 'y'\r\n\0é"),
        "&lt;script&gt;a&amp;b&lt;/script&gt; &quot;x&quot; &#39;y&#39;&#13;\n\u{FFFD}é"
    );
    assert_eq!(escape(""), "");
    assert_eq!(escape("plain"), "plain");
}

fn span(text: &str, from: &str) -> Span {
    let b = text.find(from).unwrap();
    CharIndex::new(text).span(b, b + from.len())
}

fn comparison(source: &str, derived: &str, pairs: &[(&str, &str, Kind, f64)]) -> Comparison {
    Comparison {
        source_id: "s<1>.txt".into(),
        derived_id: "d\"2\".txt".into(),
        scores: Scores::default(),
        verdict: Verdict::PartiallyDerived,
        alignments: pairs
            .iter()
            .map(|&(s, d, kind, score)| Alignment {
                source: span(source, s),
                derived: span(derived, d),
                score,
                kind,
            })
            .collect(),
        capped: None,
    }
}

/// The text of every mark of passage `n` on one side, in order.
fn marked(html: &str, side: char, n: usize) -> String {
    let pane = html
        .split(&format!("data-side=\"{side}\""))
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap();
    let mut out = String::new();
    for part in pane.split("<mark ").skip(1) {
        let attrs = part.split('>').next().unwrap();
        let ids = attrs
            .split("data-a=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        if ids.split(' ').any(|x| x == n.to_string()) {
            let body = part
                .split_once('>')
                .unwrap()
                .1
                .split("</mark>")
                .next()
                .unwrap();
            out.push_str(body);
        }
    }
    out
}

#[test]
fn overlapping_source_passages_are_cut_into_pieces() {
    let source = "Alpha beta gamma delta epsilon zeta.";
    let derived = "One: beta gamma delta. Two: gamma delta epsilon.";
    let c = comparison(
        source,
        derived,
        &[
            ("beta gamma delta", "beta gamma delta", Kind::Verbatim, 1.0),
            (
                "gamma delta epsilon",
                "gamma delta epsilon",
                Kind::Edited,
                0.8,
            ),
        ],
    );
    let html = render(&c, source, derived);
    assert_eq!(marked(&html, 's', 1), "beta gamma delta");
    assert_eq!(marked(&html, 's', 2), "gamma delta epsilon");
    assert_eq!(marked(&html, 'd', 1), "beta gamma delta");
    assert_eq!(marked(&html, 'd', 2), "gamma delta epsilon");
    assert!(html.contains("data-a=\"1 2\""), "shared piece lists both");
    assert!(html.contains(" ov\""), "shared piece is hatched");
    assert!(html.contains("data-first=\"1\"") && html.contains("data-first=\"2\""));
}

#[test]
fn passages_starting_together_share_one_first_piece() {
    let source = "Same start here and more words follow.";
    let derived = "Same start here. Same start here and more.";
    let mut c = comparison(
        source,
        derived,
        &[("Same start here", "Same start here", Kind::Verbatim, 1.0)],
    );
    let d2 = derived.rfind("Same start here and more").unwrap();
    c.alignments.push(Alignment {
        source: span(source, "Same start here and more"),
        derived: CharIndex::new(derived).span(d2, d2 + "Same start here and more".len()),
        score: 0.95,
        kind: Kind::Verbatim,
    });
    let html = render(&c, source, derived);
    assert!(html.contains("data-first=\"1 2\""));
    assert_eq!(marked(&html, 's', 2), "Same start here and more");
}

#[test]
fn changed_words_of_an_edited_passage_are_marked_on_both_sides() {
    let source =
        "Lead. A carrier loaded with 2,400 tonnes ran aground early on Thursday near the port.";
    let derived =
        "A carrier loaded with 2400 tonnes ran aground on Thursday near the Brennmark port.";
    let c = comparison(
        source,
        derived,
        &[(
            "A carrier loaded with 2,400 tonnes ran aground early on Thursday near the port.",
            derived,
            Kind::Edited,
            0.8,
        )],
    );
    let (s, d) = changes(&c.alignments[0], source, derived);
    let texts = |spans: &[Span], text: &str| -> Vec<String> {
        spans.iter().map(|s| s.slice(text).to_string()).collect()
    };
    assert_eq!(texts(&s, source), ["2,400", "early"]);
    assert_eq!(texts(&d, derived), ["2400", "Brennmark"]);
    let html = render(&c, source, derived);
    assert!(
        html.contains(" chg\" data-a=\"1\" data-start=\"28\" data-end=\"33\""),
        "{html}"
    );
    assert_eq!(
        marked(&html, 'd', 1),
        derived,
        "pieces still make up the passage"
    );
    // Paraphrases get no word diff.
    let mut p = c.clone();
    p.alignments[0].kind = Kind::Paraphrase;
    assert_eq!(changes(&p.alignments[0], source, derived), (vec![], vec![]));
}

#[test]
fn untrusted_text_and_names_are_escaped() {
    let source = "<script>window.x=1</script> <img src=x onerror=alert(1)> </textarea>";
    let derived = "<script>window.x=1</script>\r\n";
    let mut c = comparison(
        source,
        derived,
        &[(
            "<script>window.x=1</script>",
            "<script>window.x=1</script>",
            Kind::Verbatim,
            1.0,
        )],
    );
    c.source_id = "\"><script>alert(2)</script>".into();
    let html = render(&c, source, derived);
    assert_eq!(html.matches("<script>").count(), 1, "only the report's own");
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("&#13;\n"));
    assert!(!html.contains("\"><script>alert"));
}

#[test]
fn csp_hashes_match_the_inline_style_and_script() {
    let html = render(&comparison("a b", "a b", &[]), "a b", "a b");
    let style = html
        .split("<style>")
        .nth(1)
        .unwrap()
        .split("</style>")
        .next()
        .unwrap();
    let script = html
        .split("<script>")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    assert!(html.contains(&format!("style-src 'sha256-{}'", sha256_base64(style))));
    assert!(html.contains(&format!("script-src 'sha256-{}'", sha256_base64(script))));
    assert!(html.contains("default-src 'none'"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing external"
    );
}

#[test]
fn the_script_never_builds_markup() {
    for api in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "Function(",
        "createElement",
        "textContent =",
    ] {
        assert!(!JS.contains(api), "report.js uses {api}");
    }
}

#[test]
fn many_sorts_by_score_and_caps() {
    let mk = |score: f64, id: &str| {
        let mut c = comparison("x", "x", &[]);
        c.derived_id = id.into();
        c.scores.score = score;
        c
    };
    let cs = [mk(0.2, "low"), mk(0.9, "high"), mk(0.5, "mid")];
    let entries: Vec<Entry<'_>> = cs
        .iter()
        .map(|c| Entry {
            comparison: c,
            source: "x",
            derived: "x",
        })
        .collect();
    let html = render_many(&entries, 2);
    let high = html.find("href=\"#c1\">high").unwrap();
    let mid = html.find("href=\"#c2\">mid").unwrap();
    assert!(high < mid);
    assert!(!html.contains(">low<"));
    assert!(html.contains("1 more comparison, with a lower score, was left out"));
    assert!(!render_many(&entries, 3).contains("left out"));
}

#[test]
fn write_is_atomic_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.html");
    std::fs::write(&path, "old").unwrap();
    write(&path, "new").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A directory in the way: an error, and nothing left behind.
    let blocked = dir.path().join("sub");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("x"), "x").unwrap();
    assert!(write(&blocked, "new").is_err());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    assert!(write(&dir.path().join("missing/r.html"), "x").is_err());
    // A name at the file-system limit still gets a temporary file.
    let long = dir.path().join(format!("{}.html", "n".repeat(250)));
    write(&long, "long").unwrap();
    assert_eq!(std::fs::read_to_string(&long).unwrap(), "long");
}
