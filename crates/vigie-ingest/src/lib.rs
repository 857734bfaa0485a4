//! Streaming readers for the conflict-event formats Vigie imports: UCDP GED, ACLED,
//! GDELT 1.0/2.0 and HXL-tagged CSV.
//!
//! [`open`] sniffs the encoding and the format, checks the header, and returns a
//! [`Reader`]: an iterator of [`Row`]s (a normalised [`Event`] or a [`Reject`] that says
//! file, line, field, value and reason). File-level problems (empty file, unknown format,
//! missing columns, wrong delimiter, truncated last record) are [`FileError`]s. Memory
//! stays flat whatever the file size: nothing holds more than one record (two for ACLED's
//! two-row exports).
//!
//! How a file is read:
//! - The whole file is scanned once for its encoding: a UTF-8 BOM is skipped, and a file
//!   that is not valid UTF-8 is transcoded from Latin-1 on the fly, with a warning.
//! - The delimiter is sniffed from the first line (`,` tab `;` `|`); the format from the
//!   first two records (see [`Format`]), unless [`Options::format`] says.
//! - Blank records (nothing but whitespace and delimiters) are skipped.
//! - A record with the wrong number of fields is a [`Reject`], except the last record of
//!   the file when it is short: that file was cut off ([`FileError::Truncated`]).
//! - Line numbers are those of the physical line where a record starts (quoted fields
//!   may span lines).

// A `Reject` carries the whole record so it can be written to the rejects file; it is the
// cold path, and the mappers' `Result<Event, Reject>` signatures are shared by every reader.
#![allow(clippy::result_large_err)]

use std::fs::File;
use std::io::{self, Seek, SeekFrom};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use vigie_core::{Event, Marking, PUBLIC_SOURCES_ORG};

pub(crate) mod acled;
mod csv_records;
mod decode;
mod detect;
mod engine;
mod error;
mod fields;
pub(crate) mod gdelt;
mod ged;
mod hxl;
mod mapper;
mod open;
mod reject;

use open::start;

pub use decode::{gunzip, is_gzip, is_gzip_head, GZIP_MAGIC};
pub use error::FileError;
pub use reject::{Reject, RejectReport};

/// The formats Vigie reads, and how [`open`] recognises them:
/// - HXL: the second row (or the first) is a row of hashtags (`#date`, `#geo+lat` …);
///   this wins over the header text, as HDX extracts carry a source's own header too.
/// - GDELT: a header with `GLOBALEVENTID` (any case), or no header and rows of at least
///   57 fields starting with a numeric id and an 8-digit date; comma or tab separated.
/// - UCDP GED: a header with GED's own columns (`relid`, `type_of_violence`, `where_prec` …).
/// - ACLED: a header with `event_id_cnty`, or `event_date` and ACLED's other columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    UcdpGed,
    Acled,
    Gdelt,
    Hxl,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::UcdpGed => "ucdp-ged",
            Format::Acled => "acled",
            Format::Gdelt => "gdelt",
            Format::Hxl => "hxl",
        }
    }

    /// The source its events carry.
    pub fn source(self) -> vigie_core::Source {
        match self {
            Format::UcdpGed => vigie_core::Source::UcdpGed,
            Format::Acled => vigie_core::Source::Acled,
            Format::Gdelt => vigie_core::Source::Gdelt,
            Format::Hxl => vigie_core::Source::Hxl,
        }
    }
}

/// What the caller decides about an import.
#[derive(Debug, Clone)]
pub struct Options {
    /// Skip detection and read the file as this format.
    pub format: Option<Format>,
    /// GDELT: keep only events whose CAMEO root code is in this range (default 14–20).
    pub cameo_roots: RangeInclusive<u8>,
    /// The organisation that owns the imported events.
    pub owner: String,
    /// The marking the imported events carry.
    pub marking: Marking,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: None,
            cameo_roots: 14..=20,
            owner: PUBLIC_SOURCES_ORG.to_string(),
            marking: Marking::Clear,
        }
    }
}

/// One record of the file: an event, or the reason it could not become one.
#[derive(Debug, Clone)]
pub enum Row {
    Event(Box<Event>),
    Reject(Reject),
}

/// How far a reader has got, shareable with a progress bar on another thread.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    bytes: Arc<AtomicU64>,
    total: u64,
}

impl Progress {
    pub fn bytes_read(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
    /// The file's size in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.total
    }
}

/// A streaming reader over one file.
pub struct Reader {
    format: Format,
    header: Vec<String>,
    warnings: Vec<String>,
    progress: Progress,
    rows: Box<dyn Iterator<Item = Result<Row, FileError>> + Send>,
}

impl Reader {
    pub fn format(&self) -> Format {
        self.format
    }
    /// The file's header as read (for GDELT files without a header, the standard column names).
    pub fn header(&self) -> &[String] {
        &self.header
    }
    /// Non-fatal notes, e.g. "not UTF-8; read as Latin-1".
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
    pub fn progress(&self) -> Progress {
        self.progress.clone()
    }
}

impl Iterator for Reader {
    type Item = Result<Row, FileError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.rows.next()
    }
}

/// Opens `path`, detects its encoding and format, and checks its header.
///
/// Reads the file once to decide its encoding (UTF-8, else Latin-1 with a warning), then
/// streams it. Every file-level problem is reported here, before any row, except a
/// truncated last record, which the iterator reports when it gets there. A
/// gzip-compressed file (`events.csv.gz`, told by its first bytes, not its name) is read
/// through the decompressor, as it streams.
pub fn open(path: &Path, options: &Options) -> Result<Reader, FileError> {
    let io_err = |e: io::Error| FileError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut file = File::open(path).map_err(io_err)?;
    let total = file.metadata().map_err(io_err)?.len();
    if decode::is_gzip(&mut file).map_err(io_err)? {
        let scan = decode::scan(decode::gunzip(&mut file)).map_err(io_err)?;
        file.seek(SeekFrom::Start(0)).map_err(io_err)?;
        // Progress counts decompressed bytes: the scan read them all (but for a file that
        // is not UTF-8, where it stops early and progress is approximate).
        let total = scan.len.unwrap_or(total);
        return start(
            path.to_path_buf(),
            Box::new(decode::gunzip(file)),
            total,
            scan,
            options,
        );
    }
    let scan = decode::scan(&mut file).map_err(io_err)?;
    file.seek(SeekFrom::Start(0)).map_err(io_err)?;
    start(path.to_path_buf(), Box::new(file), total, scan, options)
}

/// Like [`open`], for a file already in memory; `name` stands for the path in messages
/// and provenance.
pub fn open_bytes(name: &str, data: Vec<u8>, options: &Options) -> Result<Reader, FileError> {
    let scan = decode::scan(&data[..]).map_err(|e| FileError::Io {
        path: name.into(),
        source: e,
    })?;
    let total = data.len() as u64;
    start(
        PathBuf::from(name),
        Box::new(io::Cursor::new(data)),
        total,
        scan,
        options,
    )
}
