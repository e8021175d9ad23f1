//! Document ids as given in a corpus: strings or JSON numbers (kept as their
//! text, so `007` or `1e3` come out as they went in), or relative paths.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

/// A document id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Id {
    /// A string id (JSON string, or a relative path).
    Text(String),
    /// A JSON number id, as written in the corpus.
    Number(String),
}

impl Id {
    /// The id as text: what duplicates are detected by (`"1"` and `1` are the
    /// same id) and what tables print.
    pub fn as_str(&self) -> &str {
        match self {
            Id::Text(s) | Id::Number(s) => s,
        }
    }

    /// The id as JSON, exactly: a string, or the number as written
    /// (`1e400`, `12345678901234567890123` and `-0` stay as they are, never
    /// going through a float). A "number" that is not JSON number syntax
    /// is written as a string.
    pub fn to_json(&self) -> Box<serde_json::value::RawValue> {
        let text = match self {
            Id::Number(n) if is_json_number(n) => n.clone(),
            other => serde_json::to_string(other.as_str()).expect("strings serialise"),
        };
        serde_json::value::RawValue::from_string(text).expect("valid JSON")
    }

    fn numeric(&self) -> Option<f64> {
        match self {
            Id::Number(n) => n.parse().ok(),
            Id::Text(_) => None,
        }
    }
}

/// True if `s` is a JSON number as RFC 8259 spells it.
pub fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Numbers first, by value; then strings, by bytes. This is the order in
/// which "the smallest member" names a cluster.
impl Ord for Id {
    fn cmp(&self, other: &Id) -> Ordering {
        match (self.numeric(), other.numeric()) {
            (Some(a), Some(b)) => a
                .total_cmp(&b)
                .then_with(|| self.as_str().cmp(other.as_str())),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => self.as_str().cmp(other.as_str()),
        }
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The ids of a corpus in input order, with duplicate detection. Ids are
/// looked up by a 64-bit hash of their text (8 bytes a document, not a second
/// copy of every id); the rare different ids with equal hashes go to a side
/// table, so lookups stay exact.
#[derive(Debug, Default)]
pub struct IdTable {
    ids: Vec<Id>,
    by_hash: HashMap<u64, u32>,
    collided: HashMap<String, u32>,
}

fn id_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

impl IdTable {
    /// An empty table.
    pub fn new() -> IdTable {
        IdTable::default()
    }

    /// Adds `id` as the next document and returns its number, or the number of
    /// the document that already has this id.
    pub fn insert(&mut self, id: Id) -> Result<u32, u32> {
        if let Some(doc) = self.find(id.as_str()) {
            return Err(doc);
        }
        let next = self.ids.len() as u32;
        match self.by_hash.entry(id_hash(id.as_str())) {
            Entry::Vacant(e) => {
                e.insert(next);
            }
            Entry::Occupied(_) => {
                self.collided.insert(id.as_str().to_owned(), next);
            }
        }
        self.ids.push(id);
        Ok(next)
    }

    /// The id of document `doc`.
    pub fn get(&self, doc: u32) -> &Id {
        &self.ids[doc as usize]
    }

    /// The document with this id (by text).
    pub fn find(&self, id: &str) -> Option<u32> {
        match self.by_hash.get(&id_hash(id)) {
            Some(&doc) if self.ids[doc as usize].as_str() == id => Some(doc),
            Some(_) => self.collided.get(id).copied(),
            None => None,
        }
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True if there is none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// All ids in document order.
    pub fn iter(&self) -> impl Iterator<Item = &Id> {
        self.ids.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_before_strings_and_by_value() {
        let mut ids = [
            Id::Text("b".into()),
            Id::Number("10".into()),
            Id::Text("a".into()),
            Id::Number("9".into()),
        ];
        ids.sort();
        let texts: Vec<&str> = ids.iter().map(Id::as_str).collect();
        assert_eq!(texts, ["9", "10", "a", "b"]);
    }

    #[test]
    fn numbers_are_written_exactly_as_given() {
        for n in ["1e400", "12345678901234567890123", "-0", "007.5"] {
            let json = Id::Number(n.into()).to_json();
            let want = if n == "007.5" {
                "\"007.5\"".to_string()
            } else {
                n.to_string()
            };
            assert_eq!(json.get(), want);
        }
        assert_eq!(Id::Text("a\"b".into()).to_json().get(), r#""a\"b""#);
        assert!(is_json_number("-1.5E+3") && !is_json_number("1.") && !is_json_number("+1"));
    }

    #[test]
    fn duplicates_are_found_by_text() {
        let mut t = IdTable::new();
        assert_eq!(t.insert(Id::Number("1".into())), Ok(0));
        assert_eq!(t.insert(Id::Text("x".into())), Ok(1));
        assert_eq!(t.insert(Id::Text("1".into())), Err(0));
        assert_eq!(t.len(), 2);
    }
}
