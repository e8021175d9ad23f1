//! Numbers written different ways as one term: `3,500,000` = `3.5 million` =
//! `3.5m`, `€68m` = `68 million euros` (the currency sign is not a word; the
//! number is what matters).

/// Multipliers written after a number, as a separate word or glued to it.
fn scale(word: &str) -> Option<f64> {
    Some(match word {
        "thousand" | "k" => 1e3,
        "million" | "millions" | "m" | "mn" | "mln" => 1e6,
        "billion" | "billions" | "bn" | "b" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => return None,
    })
}

/// The canonical form of a number token (normalised form `norm`), taking a
/// following scale word into account; also whether that word was used.
/// `None` if `norm` is not a number.
pub fn canonical(norm: &str, next: Option<&str>) -> Option<(String, bool)> {
    let digits_end = norm
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
        .map_or(norm.len(), |(i, _)| i);
    let (number, suffix) = norm.split_at(digits_end);
    if !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let value: f64 = plain(number)?;
    let (multiplier, consumed) = match (scale(suffix), next.and_then(scale)) {
        (Some(m), _) if !suffix.is_empty() => (m, false),
        (_, Some(m)) if suffix.is_empty() && next != Some("m") && next != Some("b") => (m, true),
        _ if suffix.is_empty() => (1.0, false),
        // "24th", "3d", "10am": not a quantity we can normalise.
        _ => return None,
    };
    Some((format_number(value * multiplier), consumed))
}

/// How many of the words after a number spell out a unit that is otherwise
/// written as a sign, which is not a word (`18 percent` = `18%`,
/// `68 million euros` = `€68m`): they are dropped so both spellings leave the
/// same terms.
pub fn unit_words(next: &[&str]) -> usize {
    match next {
        ["per", "cent", ..] => 2,
        [
            "percent" | "pct" | "euro" | "euros" | "dollar" | "dollars" | "pound" | "pounds"
            | "yen" | "yuan",
            ..,
        ] => 1,
        _ => 0,
    }
}

/// Parses `1,234,567` and `3.67` (commas as thousands separators).
fn plain(number: &str) -> Option<f64> {
    let groups: Vec<&str> = number.split(',').collect();
    let thousands = groups.len() > 1
        && groups[1..]
            .iter()
            .all(|g| g.split('.').next().is_some_and(|h| h.len() == 3));
    let cleaned = if thousands {
        number.replace(',', "")
    } else {
        number.to_string()
    };
    cleaned.trim_end_matches('.').parse().ok()
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e18 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(norm: &str, next: Option<&str>) -> Option<String> {
        canonical(norm, next).map(|(s, _)| s)
    }

    #[test]
    fn one_number_many_spellings() {
        let want = Some("3500000".to_string());
        assert_eq!(c("3,500,000", None), want);
        assert_eq!(c("3.5", Some("million")), want);
        assert_eq!(c("3.5m", None), want);
        assert_eq!(c("68m", None), c("68", Some("million")));
        assert_eq!(c("2.4bn", None), Some("2400000000".into()));
        assert_eq!(c("3.67", Some("percent")), Some("3.67".into()));
        assert_eq!(c("2025", None), Some("2025".into()));
        assert_eq!(
            canonical("3.5", Some("million")),
            Some(("3500000".into(), true))
        );
        assert_eq!(c("24th", None), None);
        assert_eq!(unit_words(&["percent", "of"]), 1);
        assert_eq!(unit_words(&["per", "cent"]), 2);
        assert_eq!(unit_words(&["euros"]), 1);
        assert_eq!(unit_words(&["people"]), 0);
        assert_eq!(unit_words(&[]), 0);
        assert_eq!(c("word", None), None);
    }
}
