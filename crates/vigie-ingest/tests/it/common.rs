//! Shared helpers: the real data files, reading a whole file, writing test files.

use std::path::{Path, PathBuf};

use vigie_core::Event;
use vigie_ingest::{FileError, Format, Options, Reject, Row};

pub use vigie_testdata::{GDELT_SAMPLE as GDELT1_SAMPLE, GED_CANDIDATE, GED_SAMPLE};

/// Everything a reader yielded.
#[derive(Debug)]
pub struct Read {
    pub format: Format,
    pub header: Vec<String>,
    pub warnings: Vec<String>,
    pub events: Vec<Event>,
    pub rejects: Vec<Reject>,
    /// The error that ended the iteration, if one did.
    pub error: Option<FileError>,
    pub bytes_read: u64,
    pub total_bytes: u64,
}

impl Read {
    /// Every reject, as its message says it.
    pub fn reject_messages(&self) -> Vec<String> {
        self.rejects.iter().map(|r| r.to_string()).collect()
    }

    /// Asserts that no row was rejected, showing those that were.
    #[track_caller]
    pub fn assert_no_rejects(&self) {
        assert!(
            self.rejects.is_empty(),
            "{}",
            self.reject_messages().join("\n")
        );
    }
}

pub fn read(path: &Path) -> Read {
    read_with(path, &Options::default())
}

pub fn read_with(path: &Path, options: &Options) -> Read {
    let reader = vigie_ingest::open(path, options)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    collect(reader)
}

pub fn collect(mut reader: vigie_ingest::Reader) -> Read {
    let progress = reader.progress();
    let mut out = Read {
        format: reader.format(),
        header: reader.header().to_vec(),
        warnings: reader.warnings().to_vec(),
        events: Vec::new(),
        rejects: Vec::new(),
        error: None,
        bytes_read: 0,
        total_bytes: progress.total_bytes(),
    };
    for row in reader.by_ref() {
        match row {
            Ok(Row::Event(e)) => out.events.push(*e),
            Ok(Row::Reject(r)) => out.rejects.push(r),
            Err(e) => {
                assert!(
                    out.error.is_none(),
                    "a second error after {:?}: {e}",
                    out.error
                );
                out.error = Some(e);
            }
        }
    }
    out.bytes_read = progress.bytes_read();
    out
}

/// The error `open` gives (panics if it succeeds).
pub fn open_err(path: &Path) -> FileError {
    open_err_with(path, &Options::default())
}

/// The error `open` gives with `options` (panics if it succeeds).
pub fn open_err_with(path: &Path, options: &Options) -> FileError {
    match vigie_ingest::open(path, options) {
        Ok(r) => panic!(
            "{} opened as {:?}, expected an error",
            path.display(),
            r.format()
        ),
        Err(e) => e,
    }
}

/// Options that read a file as `format`, whatever it looks like.
pub fn forced(format: Format) -> Options {
    Options {
        format: Some(format),
        ..Options::default()
    }
}

/// The error opening a file `name` of `bytes` gives.
pub fn error_of(name: &str, bytes: impl AsRef<[u8]>) -> FileError {
    let dir = tempfile::tempdir().unwrap();
    open_err(&write(dir.path(), name, bytes))
}

/// Asserts that `a` and `b` are the same events, but for the name of the file each was
/// read from.
#[track_caller]
pub fn assert_same_but_file(a: &[Event], b: &[Event]) {
    for (x, y) in a.iter().zip(b) {
        let mut y = y.clone();
        y.provenance.file = x.provenance.file.clone();
        assert_eq!(x, &y);
    }
}

/// The header and the first `n` records of a CSV file, plain or gzip-compressed (all of
/// them when `n` is `usize::MAX`).
pub fn records(path: &str, n: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(vigie_testdata::open(path));
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .take(n)
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// CSV text of `header` and `rows`, with `delimiter`, quoting where needed.
pub fn csv_text(header: &[String], rows: &[Vec<String>], delimiter: u8) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A GED file of the first `n` candidate records, each changed by `edit`.
pub fn ged_file(
    dir: &Path,
    name: &str,
    n: usize,
    edit: impl Fn(usize, &[String], &mut Vec<String>),
) -> PathBuf {
    let (header, mut rows) = records(GED_CANDIDATE, n);
    for (i, r) in rows.iter_mut().enumerate() {
        edit(i, &header, r);
    }
    write(dir, name, csv_text(&header, &rows, b','))
}

/// Sets column `name` of `row`.
pub fn set(header: &[String], row: &mut [String], name: &str, value: &str) {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    row[i] = value.to_string();
}

pub fn event<'a>(events: &'a [Event], source_id: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.source_id == source_id)
        .unwrap_or_else(|| panic!("no event {source_id}"))
}

pub fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}
