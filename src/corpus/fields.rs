//! Which fields of a JSON line are the text and the id: names or dotted
//! paths (`meta.id`), read in one pass over the line without building a
//! tree. A line must be a JSON object; the text a string; the id a string
//! or a number (kept as written).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Result};

/// The text and id fields of JSON Lines records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    text: Vec<String>,
    id: Vec<String>,
    id_given: bool,
}

impl Default for Fields {
    /// `text` and `id`; a record without `id` is numbered by its line.
    fn default() -> Self {
        Fields {
            text: vec!["text".into()],
            id: vec!["id".into()],
            id_given: false,
        }
    }
}

fn path_of(name: &str, what: &str) -> Result<Vec<String>> {
    let parts: Vec<String> = name.split('.').map(str::to_string).collect();
    if parts.iter().any(String::is_empty) {
        return Err(Error::Config(format!(
            "{what} field {name:?}: give a name or a dotted path like meta.id"
        )));
    }
    Ok(parts)
}

impl Fields {
    /// The text at `text` and the id at `id` (dotted paths name nested
    /// fields). With `id` given, a record without it is an error; without,
    /// the id is the field `id` when a record has one and its line number
    /// otherwise.
    pub fn new(text: &str, id: Option<&str>) -> Result<Fields> {
        Ok(Fields {
            text: path_of(text, "text")?,
            id: path_of(id.unwrap_or("id"), "id")?,
            id_given: id.is_some(),
        })
    }

    /// The text field as given.
    pub fn text_name(&self) -> String {
        self.text.join(".")
    }

    /// The id field as given.
    pub fn id_name(&self) -> String {
        self.id.join(".")
    }

    /// True if the id field was named (then it must be there).
    pub fn id_required(&self) -> bool {
        self.id_given
    }

    pub(super) fn text_path(&self) -> &[String] {
        &self.text
    }

    pub(super) fn id_path(&self) -> &[String] {
        &self.id
    }
}

/// A text field's value: a string, or what it was instead.
#[derive(Debug)]
pub(super) enum Text<'de> {
    /// A string (borrowed when it had no escapes).
    Str(Cow<'de, str>),
    /// The value, exactly as written (when asked for raw).
    Raw(&'de RawValue),
    /// Not a string: `a number`, `null`, …
    Other(&'static str),
}

/// The fields found in one line.
#[derive(Debug, Default)]
pub(super) struct Found<'de> {
    pub text: Option<Text<'de>>,
    pub id: Option<&'de RawValue>,
}

/// What kind of JSON value starts `bytes` (for "expected an object").
pub(super) fn kind_of(bytes: &[u8]) -> &'static str {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'-' | b'0'..=b'9') => "a number",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "not JSON",
    }
}

/// Reads the fields at `text` and `id` of the object in `bytes` in one
/// pass; `raw_text` keeps the text as written (to splice a new text in).
pub(super) fn extract<'de>(
    bytes: &'de [u8],
    text: &[String],
    id: &[String],
    raw_text: bool,
) -> serde_json::Result<Found<'de>> {
    if let ([text], [id], false) = (text, id, raw_text)
        && let Some(found) = super::fast_json::extract(bytes, text, id)
    {
        return Ok(found);
    }
    extract_with_serde(bytes, text, id, raw_text)
}

/// [`extract`] by serde_json: the reference, and the path of every line the
/// fast path leaves (nested fields, `\u` escapes, errors).
fn extract_with_serde<'de>(
    bytes: &'de [u8],
    text: &[String],
    id: &[String],
    raw_text: bool,
) -> serde_json::Result<Found<'de>> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let found = Extract {
        text: Some(text),
        id: Some(id),
        raw_text,
        top: true,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(found)
}

/// Looks for the remaining path of each field in an object.
#[derive(Clone, Copy)]
struct Extract<'p> {
    text: Option<&'p [String]>,
    id: Option<&'p [String]>,
    raw_text: bool,
    /// The line itself (must be an object); nested values that are not
    /// objects just do not have the field.
    top: bool,
}

impl<'de, 'p> DeserializeSeed<'de> for Extract<'p> {
    type Value = Found<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Found<'de>, D::Error> {
        if self.top {
            d.deserialize_map(self)
        } else {
            d.deserialize_any(self)
        }
    }
}

impl<'de, 'p> Visitor<'de> for Extract<'p> {
    type Value = Found<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<'de>, A::Error> {
        let mut found = Found::default();
        while let Some(Key(key)) = map.next_key()? {
            match (at_key(self.text, &key), at_key(self.id, &key)) {
                (None, None) => {
                    map.next_value::<IgnoredAny>()?;
                }
                (Some(t), None) if t.len() == 1 => {
                    found.text = Some(if self.raw_text {
                        Text::Raw(map.next_value()?)
                    } else {
                        map.next_value::<TextValue>()?.0
                    });
                }
                (None, Some(i)) if i.len() == 1 => found.id = Some(map.next_value()?),
                (t, i) => {
                    // A nested path (or both fields under one key).
                    let raw: &'de RawValue = map.next_value()?;
                    let nested = Extract {
                        text: deeper_path(t),
                        id: deeper_path(i),
                        raw_text: self.raw_text,
                        top: false,
                    };
                    let mut de = serde_json::Deserializer::from_str(raw.get());
                    let deeper = nested.deserialize(&mut de).map_err(de::Error::custom)?;
                    if t.is_some_and(|p| p.len() == 1) {
                        found.text = Some(leaf_text(raw, self.raw_text));
                    } else if let Some(text) = deeper.text {
                        found.text = Some(text);
                    }
                    if i.is_some_and(|p| p.len() == 1) {
                        found.id = Some(raw);
                    } else if let Some(id) = deeper.id {
                        found.id = Some(id);
                    }
                }
            }
        }
        Ok(found)
    }

    // Not an object (below the top): the path does not go on.
    fn visit_bool<E>(self, _: bool) -> Result<Found<'de>, E> {
        Ok(Found::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Found<'de>, E> {
        Ok(Found::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Found<'de>, E> {
        Ok(Found::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Found<'de>, E> {
        Ok(Found::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Found<'de>, E> {
        Ok(Found::default())
    }
    fn visit_unit<E>(self) -> Result<Found<'de>, E> {
        Ok(Found::default())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Found::default())
    }
}

/// `path` if it goes through `key`.
fn at_key<'p>(path: Option<&'p [String]>, key: &str) -> Option<&'p [String]> {
    path.filter(|p| p[0] == key)
}

/// The rest of `path` below its first name, if it goes deeper.
fn deeper_path(path: Option<&[String]>) -> Option<&[String]> {
    path.filter(|p| p.len() > 1).map(|p| &p[1..])
}

/// The text of a field given as raw JSON.
fn leaf_text<'de>(raw: &'de RawValue, keep_raw: bool) -> Text<'de> {
    if keep_raw {
        return Text::Raw(raw);
    }
    match serde_json::from_str::<TextValue<'de>>(raw.get()) {
        Ok(TextValue(t)) => t,
        Err(_) => Text::Other("not a string"),
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// A text value: a string, or the kind of value it was instead.
struct TextValue<'de>(Text<'de>);

impl<'de> de::Deserialize<'de> for TextValue<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TextValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(TextValue(Text::Str(Cow::Borrowed(s))))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(TextValue(Text::Str(Cow::Owned(s.to_string()))))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(TextValue(Text::Str(Cow::Owned(s))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(TextValue(Text::Other("a boolean")))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(TextValue(Text::Other("a number")))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(TextValue(Text::Other("a number")))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(TextValue(Text::Other("a number")))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(TextValue(Text::Other("null")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TextValue(Text::Other("an array")))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TextValue(Text::Other("an object")))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(line: &str, fields: &Fields) -> std::result::Result<String, String> {
        let found = extract(line.as_bytes(), fields.text_path(), fields.id_path(), false)
            .map_err(|e| e.to_string())?;
        match found.text {
            Some(Text::Str(s)) => Ok(s.into_owned()),
            Some(Text::Other(k)) => Err(k.to_string()),
            Some(Text::Raw(_)) => unreachable!(),
            None => Err("missing".into()),
        }
    }

    #[test]
    fn fields_by_name_and_dotted_path() {
        let content = Fields::new("content", None).unwrap();
        let nested = Fields::new("doc.body", Some("meta.id")).unwrap();
        let table = [
            (r#"{"content": "a\nb", "id": 3}"#, &content, Ok("a\nb")),
            (r#"{"content": 7}"#, &content, Err("a number")),
            (r#"{"content": null}"#, &content, Err("null")),
            (r#"{"content": ["x"]}"#, &content, Err("an array")),
            (r#"{"text": "x"}"#, &content, Err("missing")),
            (
                r#"{"doc": {"body": "deep", "x": [1]}, "meta": {"id": "m"}}"#,
                &nested,
                Ok("deep"),
            ),
            (r#"{"doc": {"title": "no body"}}"#, &nested, Err("missing")),
            (r#"{"doc": "not an object"}"#, &nested, Err("missing")),
        ];
        for (line, fields, want) in table {
            let want = want.map(str::to_string).map_err(str::to_string);
            assert_eq!(text_of(line, fields), want, "{line}");
        }
        let found = extract(
            br#"{"meta": {"id": 12345678901234567890123}, "doc": {"body": ""}}"#,
            nested.text_path(),
            nested.id_path(),
            false,
        )
        .unwrap();
        assert_eq!(found.id.unwrap().get(), "12345678901234567890123");
        assert!(Fields::new("a..b", None).is_err());
    }

    /// What a line gives, comparable: the text (or what it was instead) and
    /// the raw id, or serde_json's error.
    fn outcome(found: serde_json::Result<Found<'_>>) -> std::result::Result<String, String> {
        let found = found.map_err(|e| e.to_string())?;
        let text = match found.text {
            Some(Text::Str(s)) => format!("str {s:?}"),
            Some(Text::Other(k)) => format!("other {k}"),
            Some(Text::Raw(r)) => format!("raw {}", r.get()),
            None => "none".into(),
        };
        Ok(format!("{text} / id {:?}", found.id.map(RawValue::get)))
    }

    /// Pieces of JSON lines, valid and broken, for the property test.
    const PIECES: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "\t",
        "\r",
        "\"text\"",
        "\"id\"",
        "\"x\"",
        "\"\"",
        "\"a b\"",
        "\"caf\u{e9} \u{65e5}\"",
        "\"a\\nb\\t\\\"c\\\\d\\/\"",
        "\"\\u00e9\"",
        "\"\\ud800\"",
        "\"\\q\"",
        "\"\u{1}\"",
        "\"te\\u0078t\"",
        "0",
        "-1",
        "01",
        "1.5e3",
        "-0.0E+2",
        "1.",
        "1e",
        "-",
        "true",
        "false",
        "null",
        "nul",
        "tru",
        "\"",
        "\\",
        "\u{e9}",
        "{\"a\": 1}",
        "[1, \"x\"]",
        "1e400",
    ];

    /// Keys of generated records: the two fields and two others.
    const KEYS: &[&str] = &["text", "id", "x", "t"];

    fn record_strategy() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let pieces = prop::collection::vec(prop::sample::select(PIECES), 0..14)
            .prop_map(|p| p.concat().into_bytes());
        let value = prop::sample::select(&PIECES[9..]);
        let records =
            prop::collection::vec((prop::sample::select(KEYS), value), 0..5).prop_map(|fields| {
                let body: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("\"{k}\": {v}"))
                    .collect();
                format!("{{{}}}", body.join(", ")).into_bytes()
            });
        let mutated = (
            records.clone(),
            any::<prop::sample::Index>(),
            any::<u8>(),
            0..3u8,
        )
            .prop_map(|(mut line, at, byte, how)| {
                let i = at.index(line.len() + 1);
                match how {
                    0 => line.insert(i, byte),
                    1 if i < line.len() => {
                        line.remove(i);
                    }
                    _ if i < line.len() => line[i] = byte,
                    _ => {}
                }
                line
            });
        prop_oneof![pieces, records, mutated]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The fast path gives what serde_json gives, errors included.
        #[test]
        fn fast_path_reads_lines_as_serde_json_does(line in record_strategy()) {
            let f = Fields::default();
            let reference = outcome(extract_with_serde(&line, f.text_path(), f.id_path(), false));
            if super::super::fast_json::extract(&line, "text", "id").is_some() {
                proptest::prop_assert!(reference.is_ok(), "{reference:?}");
            }
            let both = outcome(extract(&line, f.text_path(), f.id_path(), false));
            proptest::prop_assert_eq!(both, reference, "{}", String::from_utf8_lossy(&line));
        }
    }

    #[test]
    fn the_fast_path_takes_flat_records_with_simple_escapes() {
        let taken: &[&[u8]] = &[
            br#"{"id": "d1", "text": "a\nb", "n": -1.5e3, "ok": true, "z": null}"#,
            br#" {"text":"caf\u00e9"} "#,
            b"{\"text\": \"caf\xc3\xa9\", \"id\": 12}",
            br#"{}"#,
        ];
        let left: &[&[u8]] = &[
            br#"{"text": "a", "meta": {"id": 1}}"#,
            br#"{"te\u0078t": "a"}"#,
            br#"{"text": "a",}"#,
            br#"{"id": 01}"#,
            b"{\"text\": \"a\x01\"}",
            b"{\"text\": \"\xff\"}",
        ];
        for line in taken {
            let fast = super::super::fast_json::extract(line, "text", "id");
            // `\u` escapes are left to serde_json.
            let expect = !line.windows(2).any(|w| w == br"\u");
            assert_eq!(fast.is_some(), expect, "{}", String::from_utf8_lossy(line));
        }
        for line in left {
            assert!(super::super::fast_json::extract(line, "text", "id").is_none());
        }
    }

    #[test]
    fn raw_text_is_the_exact_slice_of_the_line() {
        let line = br#"{"id": 1, "text": "caf\u00e9", "n": 1e400}"#;
        let f = Fields::default();
        let found = extract(line, f.text_path(), f.id_path(), true).unwrap();
        let Some(Text::Raw(raw)) = found.text else {
            panic!()
        };
        assert_eq!(raw.get(), r#""caf\u00e9""#);
        let start = raw.get().as_ptr() as usize - line.as_ptr() as usize;
        assert_eq!(&line[start..start + raw.get().len()], raw.get().as_bytes());
    }
}
