//! Parquet input (feature `parquet`): one document a row, the text from a
//! string column and the id from a string or integer column (dotted names
//! for nested fields). Rows are read a batch at a time, column chunk by
//! column chunk, and handed to the JSON Lines reader as generated lines
//! `{"id": …, "text": …}` (without `id` when there is no id column: the row
//! number is the id then, as for JSON Lines), so they are spooled and read
//! again like any stream. Messages name a row as `FILE:N`, N counting from 1.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use parquet::basic::Type as Physical;
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArrayType, Int32Type, Int64Type};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::SchemaDescriptor;

use super::Fields;
use crate::error::{Error, Result};

/// Rows read per step.
const ROWS: usize = 1024;

/// The text column and the id column (if any) of a file.
struct Columns {
    text: usize,
    id: Option<usize>,
}

fn corrupt(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::parse(path, 0, format!("cannot read as Parquet: {e}"))
}

fn find_columns(path: &Path, schema: &SchemaDescriptor, fields: &Fields) -> Result<Columns> {
    let names: Vec<String> = schema.columns().iter().map(|c| c.path().string()).collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    let text_name = fields.text_name();
    let Some(text) = find(&text_name) else {
        return Err(Error::parse(
            path,
            0,
            format!(
                "no column `{text_name}` (columns: {}; name the text column with --text-field)",
                names.join(", ")
            ),
        ));
    };
    let c = schema.column(text);
    if c.physical_type() != Physical::BYTE_ARRAY || c.max_rep_level() > 0 {
        return Err(Error::parse(
            path,
            0,
            format!("column `{text_name}` is not a string column"),
        ));
    }
    let id_name = fields.id_name();
    let id = match find(&id_name) {
        Some(i) => {
            let c = schema.column(i);
            let usable = matches!(
                c.physical_type(),
                Physical::BYTE_ARRAY | Physical::INT32 | Physical::INT64
            ) && c.max_rep_level() == 0;
            if !usable {
                return Err(Error::parse(
                    path,
                    0,
                    format!("column `{id_name}` is neither a string nor an integer column"),
                ));
            }
            Some(i)
        }
        None if fields.id_required() => {
            return Err(Error::parse(
                path,
                0,
                format!("no column `{id_name}` (columns: {})", names.join(", ")),
            ));
        }
        None => None,
    };
    Ok(Columns { text, id })
}

fn open(path: &Path) -> Result<SerializedFileReader<File>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    SerializedFileReader::new(file).map_err(|e| corrupt(path, e))
}

/// Checks that `path` is a Parquet file with the columns `fields` name.
pub(super) fn check_columns(path: &Path, fields: &Fields) -> Result<()> {
    let reader = open(path)?;
    find_columns(
        path,
        reader.metadata().file_metadata().schema_descr(),
        fields,
    )
    .map(|_| ())
}

/// An id column's reader.
enum IdReader {
    Text(ColumnReaderImpl<ByteArrayType>),
    Int32(ColumnReaderImpl<Int32Type>),
    Int64(ColumnReaderImpl<Int64Type>),
}

/// The rows of a Parquet file as JSON Lines.
pub(super) struct Rows {
    path: PathBuf,
    reader: SerializedFileReader<File>,
    columns: Columns,
    next_group: usize,
    text: Option<ColumnReaderImpl<ByteArrayType>>,
    id: Option<IdReader>,
    out: Vec<u8>,
    at: usize,
}

impl Rows {
    /// Opens `path` for reading its rows.
    pub(super) fn open(path: &Path, fields: &Fields) -> Result<Rows> {
        let reader = open(path)?;
        let columns = find_columns(
            path,
            reader.metadata().file_metadata().schema_descr(),
            fields,
        )?;
        Ok(Rows {
            path: path.to_path_buf(),
            reader,
            columns,
            next_group: 0,
            text: None,
            id: None,
            out: Vec::new(),
            at: 0,
        })
    }

    /// Opens the next row group's columns; false after the last.
    fn next_group(&mut self) -> parquet::errors::Result<bool> {
        if self.next_group >= self.reader.num_row_groups() {
            return Ok(false);
        }
        let group = self.reader.get_row_group(self.next_group)?;
        self.next_group += 1;
        self.text = match group.get_column_reader(self.columns.text)? {
            ColumnReader::ByteArrayColumnReader(r) => Some(r),
            _ => unreachable!("checked: a byte array column"),
        };
        self.id = match self.columns.id {
            None => None,
            Some(i) => Some(match group.get_column_reader(i)? {
                ColumnReader::ByteArrayColumnReader(r) => IdReader::Text(r),
                ColumnReader::Int32ColumnReader(r) => IdReader::Int32(r),
                ColumnReader::Int64ColumnReader(r) => IdReader::Int64(r),
                _ => unreachable!("checked: a string or integer column"),
            }),
        };
        Ok(true)
    }

    /// Generates the next rows' lines into `out`; false at the end.
    fn fill(&mut self) -> parquet::errors::Result<bool> {
        self.out.clear();
        self.at = 0;
        loop {
            let Some(text) = self.text.as_mut() else {
                if !self.next_group()? {
                    return Ok(false);
                }
                continue;
            };
            let (mut defs, mut values) = (Vec::new(), Vec::new());
            let (rows, _, _) = text.read_records(ROWS, Some(&mut defs), None, &mut values)?;
            if rows == 0 {
                self.text = None;
                continue;
            }
            let texts = spread(
                &defs,
                rows,
                values.into_iter().map(|v| {
                    serde_json::to_string(&String::from_utf8_lossy(v.data()))
                        .expect("strings serialise")
                }),
            );
            let ids = match self.id.as_mut() {
                None => vec![None; rows],
                Some(reader) => read_ids(reader, rows)?,
            };
            for (id, text) in ids.into_iter().zip(texts) {
                self.out.push(b'{');
                if let Some(id) = id {
                    self.out.extend_from_slice(b"\"id\":");
                    self.out.extend_from_slice(id.as_bytes());
                    self.out.push(b',');
                }
                self.out.extend_from_slice(b"\"text\":");
                self.out
                    .extend_from_slice(text.as_deref().unwrap_or("null").as_bytes());
                self.out.extend_from_slice(b"}\n");
            }
            return Ok(true);
        }
    }
}

/// Values of an optional column spread over `rows` rows by their
/// definition levels (`None` where a row is null).
fn spread<T>(defs: &[i16], rows: usize, values: impl Iterator<Item = T>) -> Vec<Option<T>> {
    let mut values = values;
    if defs.is_empty() {
        return values.map(Some).take(rows).collect();
    }
    let max = defs.iter().copied().max().unwrap_or(0);
    defs.iter()
        .map(|&d| {
            if d == max && max > 0 {
                values.next()
            } else {
                None
            }
        })
        .collect()
}

/// The ids of the next `rows` rows as JSON (a string or a number).
fn read_ids(reader: &mut IdReader, rows: usize) -> parquet::errors::Result<Vec<Option<String>>> {
    let mut defs = Vec::new();
    let ids = match reader {
        IdReader::Text(r) => {
            let mut values = Vec::new();
            r.read_records(rows, Some(&mut defs), None, &mut values)?;
            spread(
                &defs,
                rows,
                values.into_iter().map(|v| {
                    serde_json::to_string(&String::from_utf8_lossy(v.data()))
                        .expect("strings serialise")
                }),
            )
        }
        IdReader::Int32(r) => {
            let mut values = Vec::new();
            r.read_records(rows, Some(&mut defs), None, &mut values)?;
            spread(&defs, rows, values.into_iter().map(|v| v.to_string()))
        }
        IdReader::Int64(r) => {
            let mut values = Vec::new();
            r.read_records(rows, Some(&mut defs), None, &mut values)?;
            spread(&defs, rows, values.into_iter().map(|v| v.to_string()))
        }
    };
    Ok(ids)
}

impl Read for Rows {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.out.len() {
            let more = self
                .fill()
                .map_err(|e| io::Error::other(format!("{}: {e}", self.path.display())))?;
            if !more {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
