//! CSV records as every reader takes them: the reader's settings, skipping blank records,
//! a record's fields as text, and a CSV error as a file error. A leaf shared by the
//! opening of a file (`open`) and its row loop (`engine`).

use std::io::{self, Read};
use std::path::Path;

use csv::ByteRecord;

use crate::FileError;

/// A CSV reader of `input` with `delimiter`: no header row (the caller reads it), records
/// of any width (the engine tells short ones), quoting except in tab-separated files.
pub(crate) fn csv_reader(
    input: Box<dyn Read + Send>,
    delimiter: u8,
) -> csv::Reader<Box<dyn Read + Send>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        // GDELT's tab-separated files are not quoted, and their text may hold a stray '"'.
        .quoting(delimiter != b'\t')
        .buffer_capacity(256 * 1024)
        .from_reader(input)
}

/// A record's fields as text (the input is UTF-8 by now; anything else is replaced).
pub(crate) fn texts(record: &ByteRecord) -> Vec<String> {
    record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect()
}

/// A record with something other than whitespace in it.
fn has_content(record: &ByteRecord) -> bool {
    record
        .iter()
        .any(|f| f.iter().any(|b| !b.is_ascii_whitespace()))
}

/// Reads the next record that is not blank. `Ok(false)` at the end of the input.
pub(crate) fn read_content<R: Read>(
    csv: &mut csv::Reader<R>,
    into: &mut ByteRecord,
) -> csv::Result<bool> {
    while csv.read_byte_record(into)? {
        if has_content(into) {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(crate) fn csv_err(path: &Path, e: csv::Error) -> FileError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    match e.into_kind() {
        csv::ErrorKind::Io(source) => FileError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => FileError::Io {
            path: path.to_path_buf(),
            source: io::Error::new(
                io::ErrorKind::InvalidData,
                format!("line {line}: {other:?}"),
            ),
        },
    }
}
