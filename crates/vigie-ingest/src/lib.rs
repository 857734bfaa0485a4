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

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use csv::{ByteRecord, StringRecord};
use vigie_core::{Event, Marking, PUBLIC_SOURCES_ORG};

pub(crate) mod acled;
mod decode;
mod detect;
mod error;
mod fields;
pub(crate) mod gdelt;
mod ged;
mod hxl;
mod reject;

use detect::Detected;
use fields::{Col, Columns, Fields};

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
/// truncated last record, which the iterator reports when it gets there.
pub fn open(path: &Path, options: &Options) -> Result<Reader, FileError> {
    let io_err = |e: io::Error| FileError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut file = File::open(path).map_err(io_err)?;
    let total = file.metadata().map_err(io_err)?.len();
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

/// Everything after the encoding scan: sniffing, detection, header checks.
fn start(
    path: PathBuf,
    input: Box<dyn Read + Send>,
    total: u64,
    scan: decode::Scan,
    options: &Options,
) -> Result<Reader, FileError> {
    let name = path.display().to_string();
    if !scan.has_content {
        return Err(FileError::Empty { path });
    }
    let io_err = |path: &Path, e: io::Error| FileError::Io {
        path: path.to_path_buf(),
        source: e,
    };

    if scan.head.starts_with(b"\xFF\xFE") || scan.head.starts_with(b"\xFE\xFF") {
        return Err(FileError::UnknownFormat {
            path,
            reason: "the file is UTF-16 encoded (it starts with a UTF-16 byte-order mark); save it as UTF-8 CSV"
                .to_string(),
        });
    }
    let progress = Progress {
        bytes: Arc::new(AtomicU64::new(0)),
        total,
    };
    let mut input: Box<dyn Read + Send> = Box::new(decode::Counting {
        inner: input,
        count: progress.bytes.clone(),
    });
    if scan.bom {
        input
            .read_exact(&mut [0u8; 3])
            .map_err(|e| io_err(&path, e))?;
    }
    let mut warnings = Vec::new();
    if let Some(offset) = scan.first_bad_byte {
        warnings.push(format!(
            "{name}: not valid UTF-8 (first bad byte at offset {offset}); read as Latin-1"
        ));
        input = Box::new(decode::Latin1::new(input));
    }

    let delimiter = detect::sniff_delimiter(&scan.head);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        // GDELT's tab-separated files are not quoted, and their text may hold a stray '"'.
        .quoting(delimiter != b'\t')
        .buffer_capacity(256 * 1024)
        .from_reader(input);

    // The first two records decide the format.
    let mut first = ByteRecord::new();
    let mut second = ByteRecord::new();
    if !read_content(&mut csv, &mut first).map_err(|e| csv_err(&path, e))? {
        return Err(FileError::Empty { path });
    }
    let has_second = read_content(&mut csv, &mut second).map_err(|e| csv_err(&path, e))?;
    let first_text = texts(&first);
    let second_text = has_second.then(|| texts(&second));

    let detected = match options.format {
        None => detect::detect(&first_text, second_text.as_deref()),
        Some(Format::UcdpGed) => Some(Detected::Ged),
        Some(Format::Acled) => Some(Detected::Acled),
        Some(Format::Gdelt) if detect::is_gdelt_header(&first_text) => Some(Detected::GdeltHeader),
        Some(Format::Gdelt) if detect::is_gdelt_data(&first_text) => {
            Some(Detected::GdeltHeaderless)
        }
        Some(Format::Gdelt) => {
            return Err(FileError::UnknownFormat {
                path,
                reason: "read as GDELT, but the first line is neither a GDELT header (GLOBALEVENTID, SQLDATE, …) \
                         nor a GDELT row (an event id, an 8-digit date, at least 57 fields)"
                    .to_string(),
            });
        }
        Some(Format::Hxl) => {
            if second_text.as_deref().is_some_and(detect::is_hashtag_row) {
                Some(Detected::Hxl { tag_row: 1 })
            } else if detect::is_hashtag_row(&first_text) {
                Some(Detected::Hxl { tag_row: 0 })
            } else {
                return Err(FileError::UnknownFormat {
                    path,
                    reason: "read as HXL, but neither the first nor the second row holds hashtags (#date, #geo+lat, …)"
                        .to_string(),
                });
            }
        }
    };
    let Some(detected) = detected else {
        return Err(FileError::UnknownFormat {
            reason: detect::describe(&first_text, delimiter),
            path,
        });
    };

    let format = match detected {
        Detected::Ged => Format::UcdpGed,
        Detected::Acled => Format::Acled,
        Detected::GdeltHeader | Detected::GdeltHeaderless => Format::Gdelt,
        Detected::Hxl { .. } => Format::Hxl,
    };
    let allowed: &[u8] = if format == Format::Gdelt {
        b",\t"
    } else {
        b","
    };
    if !allowed.contains(&delimiter) {
        let expected = if format == Format::Gdelt {
            "',' (comma) or tab"
        } else {
            "',' (comma)"
        };
        return Err(FileError::WrongDelimiter {
            reason: format!(
                "this looks like a {} file separated by {}; {} files must be separated by {expected}",
                format_name(format),
                detect::delimiter_name(delimiter),
                format_name(format)
            ),
            path,
        });
    }

    let missing = |missing: Vec<String>| FileError::MissingColumns {
        path: path.clone(),
        format: format_name(format),
        missing,
    };
    // The records already read that are data.
    let mut pending = VecDeque::new();
    let with_second = |pending: &mut VecDeque<ByteRecord>, second: ByteRecord| {
        if has_second {
            pending.push_back(second);
        }
    };
    let opts = options.clone();
    let (header, columns, rows): (Vec<String>, Columns, Box<dyn Mapper>) = match detected {
        Detected::Ged => {
            let columns = lower_case_columns(&first_text);
            let m = columns.missing(ged::REQUIRED);
            if !m.is_empty() {
                return Err(missing(m));
            }
            with_second(&mut pending, second);
            let mapper = ged::Ged::new(&columns, options);
            (first_text, columns, Box::new(GedRows(mapper)))
        }
        Detected::Acled => {
            let columns = lower_case_columns(&first_text);
            let m = columns.missing(acled::REQUIRED);
            if !m.is_empty() {
                return Err(missing(m));
            }
            with_second(&mut pending, second);
            let key = columns.get("event_id_cnty");
            let mapper = acled::Acled::new(&columns);
            (
                first_text,
                columns,
                Box::new(AcledRows {
                    mapper,
                    opts,
                    key,
                    held: None,
                }),
            )
        }
        Detected::GdeltHeader | Detected::GdeltHeaderless => {
            let header: Vec<String> = if detected == Detected::GdeltHeader {
                first_text
                    .iter()
                    .map(|n| gdelt_canonical(n.trim()))
                    .collect()
            } else {
                pending.push_back(first);
                gdelt_names(first_text.len())
            };
            with_second(&mut pending, second);
            let columns = Columns::new(header.iter().map(String::as_str));
            let m = columns.missing(gdelt::REQUIRED);
            if !m.is_empty() {
                return Err(missing(m));
            }
            let mapper = gdelt::Gdelt::new(&columns);
            (header, columns, Box::new(GdeltRows { mapper, opts }))
        }
        Detected::Hxl { tag_row } => {
            let (tags_text, header) = if tag_row == 1 {
                (second_text.unwrap_or_default(), first_text)
            } else {
                with_second(&mut pending, second);
                (first_text.clone(), first_text)
            };
            let tags: Vec<Option<hxl::Hashtag>> =
                tags_text.iter().map(|t| hxl::Hashtag::parse(t)).collect();
            // Columns are named by hashtag as written (the header text where untagged); a
            // hashtag row cut short by its editor does not make the data rows too long.
            let width = tags_text.len().max(header.len());
            let names: Vec<String> = (0..width)
                .map(|i| match (tags.get(i), tags_text.get(i)) {
                    (Some(Some(_)), Some(t)) => t.trim().to_string(),
                    _ => header
                        .get(i)
                        .map(|h| h.trim().to_string())
                        .unwrap_or_default(),
                })
                .collect();
            let columns = Columns::new(names.iter().map(String::as_str));
            let mapper = hxl::Hxl::new(&tags, options).map_err(missing)?;
            let header = if tag_row == 1 { header } else { names };
            (header, columns, Box::new(HxlRows(mapper)))
        }
    };

    let width = columns.len();
    let mut engine = Engine {
        csv,
        rows,
        columns,
        file: name,
        path,
        width,
        pending,
        cur: Some(ByteRecord::new()),
        ahead: ByteRecord::new(),
        has_ahead: false,
        done: false,
    };
    if let Some(e) = engine.advance_ahead() {
        return Err(e);
    }
    Ok(Reader {
        format,
        header,
        warnings,
        progress,
        rows: Box::new(engine),
    })
}

/// Columns named by the header in lower case (GED and ACLED names are lower case).
fn lower_case_columns(header: &[String]) -> Columns {
    let lower: Vec<String> = header
        .iter()
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    Columns::new(lower.iter().map(String::as_str))
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::UcdpGed => "UCDP GED",
        Format::Acled => "ACLED",
        Format::Gdelt => "GDELT",
        Format::Hxl => "HXL",
    }
}

/// A record's fields as text (the input is UTF-8 by now; anything else is replaced).
fn texts(record: &ByteRecord) -> Vec<String> {
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
fn read_content<R: Read>(csv: &mut csv::Reader<R>, into: &mut ByteRecord) -> csv::Result<bool> {
    while csv.read_byte_record(into)? {
        if has_content(into) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn csv_err(path: &Path, e: csv::Error) -> FileError {
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

/// GDELT's own spelling of a column name given in any case.
fn gdelt_canonical(name: &str) -> String {
    gdelt::GDELT2_COLUMNS
        .iter()
        .chain(gdelt::GDELT1_COLUMNS.iter())
        .find(|c| c.eq_ignore_ascii_case(name))
        .map_or_else(|| name.to_string(), |c| c.to_string())
}

/// The column names of a headerless GDELT file with `n` fields: 57 is GDELT 1.0, 58 is
/// 1.0 with `SOURCEURL` (daily files since April 2013), 61 is GDELT 2.0.
fn gdelt_names(n: usize) -> Vec<String> {
    let mut names: Vec<String> = if n >= gdelt::GDELT2_COLUMNS.len() {
        gdelt::GDELT2_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect()
    } else {
        gdelt::GDELT1_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    if names.len() < n {
        names.push("SOURCEURL".to_string());
    }
    while names.len() < n {
        names.push(format!("column_{}", names.len() + 1));
    }
    names
}

/// Turns one well-formed record into at most one row.
trait Mapper: Send {
    fn map(&mut self, f: &Fields) -> Option<Row>;
    /// At the end of the file: whatever is still held back.
    fn finish(&mut self) -> Option<Row> {
        None
    }
}

fn row(r: Result<Event, Reject>) -> Row {
    match r {
        Ok(e) => Row::Event(Box::new(e)),
        Err(r) => Row::Reject(r),
    }
}

struct GedRows(ged::Ged);
impl Mapper for GedRows {
    fn map(&mut self, f: &Fields) -> Option<Row> {
        Some(row(self.0.map(f)))
    }
}

struct HxlRows(hxl::Hxl);
impl Mapper for HxlRows {
    fn map(&mut self, f: &Fields) -> Option<Row> {
        Some(row(self.0.map(f)))
    }
}

struct GdeltRows {
    mapper: gdelt::Gdelt,
    opts: Options,
}
impl Mapper for GdeltRows {
    fn map(&mut self, f: &Fields) -> Option<Row> {
        match self.mapper.to_event(f, &self.opts) {
            Ok(Some(e)) => Some(Row::Event(Box::new(e))),
            Ok(None) => None,
            Err(r) => Some(Row::Reject(r)),
        }
    }
}

/// ACLED: consecutive rows with the same `event_id_cnty` (older one-actor-per-row exports)
/// are one event, so one event is held back until a row with another id arrives.
struct AcledRows {
    mapper: acled::Acled,
    opts: Options,
    key: Col,
    held: Option<(String, Event)>,
}
impl Mapper for AcledRows {
    fn map(&mut self, f: &Fields) -> Option<Row> {
        let event = match self.mapper.to_event(f, &self.opts) {
            Ok(e) => e,
            Err(r) => return Some(Row::Reject(r)),
        };
        let key = f.str_at(self.key);
        match &mut self.held {
            Some((k, first)) if k == key => {
                acled::merge(first, event);
                None
            }
            Some((k, first)) => {
                k.clear();
                k.push_str(key);
                let out = std::mem::replace(first, event);
                Some(Row::Event(Box::new(out)))
            }
            None => {
                self.held = Some((key.to_string(), event));
                None
            }
        }
    }
    fn finish(&mut self) -> Option<Row> {
        self.held.take().map(|(_, e)| Row::Event(Box::new(e)))
    }
}

/// The row loop shared by every format: reads one record ahead (to tell a truncated last
/// record from a short one in the middle), checks field counts, and maps.
struct Engine {
    csv: csv::Reader<Box<dyn Read + Send>>,
    rows: Box<dyn Mapper>,
    columns: Columns,
    file: String,
    path: PathBuf,
    width: usize,
    /// Data records read during detection, served before reading on.
    pending: VecDeque<ByteRecord>,
    /// The record being mapped; `None` only while it is lent out as a `StringRecord`.
    cur: Option<ByteRecord>,
    ahead: ByteRecord,
    has_ahead: bool,
    done: bool,
}

impl Engine {
    /// Reads the next non-blank record into `ahead`.
    fn advance_ahead(&mut self) -> Option<FileError> {
        if let Some(r) = self.pending.pop_front() {
            self.ahead = r;
            self.has_ahead = true;
            return None;
        }
        match read_content(&mut self.csv, &mut self.ahead) {
            Ok(b) => {
                self.has_ahead = b;
                None
            }
            Err(e) => {
                self.has_ahead = false;
                Some(csv_err(&self.path, e))
            }
        }
    }

    fn lossy_record(&self) -> Vec<String> {
        self.cur.as_ref().map(texts).unwrap_or_default()
    }

    fn step(&mut self) -> Option<Result<Row, FileError>> {
        loop {
            if self.done {
                return None;
            }
            if !self.has_ahead {
                self.done = true;
                return self.rows.finish().map(Ok);
            }
            std::mem::swap(
                self.cur.get_or_insert_with(ByteRecord::new),
                &mut self.ahead,
            );
            if let Some(e) = self.advance_ahead() {
                self.done = true;
                return Some(Err(e));
            }
            let cur = self.cur.as_ref().expect("put there above");
            let line = cur.position().map_or(0, |p| p.line());
            let n = cur.len();
            if n != self.width {
                if n < self.width && !self.has_ahead {
                    self.done = true;
                    return Some(Err(FileError::Truncated {
                        path: self.path.clone(),
                        line,
                        reason: format!(
                            "the last record has {n} of the header's {} fields; the file seems cut off \
                             (or a quoted field is never closed)",
                            self.width
                        ),
                    }));
                }
                return Some(Ok(Row::Reject(Reject {
                    file: self.file.clone(),
                    line,
                    field: None,
                    value: None,
                    reason: format!("has {n} fields, the header has {}", self.width),
                    record: self.lossy_record(),
                })));
            }
            let record = self.cur.take().unwrap_or_default();
            let (out, back) = match StringRecord::from_byte_record(record) {
                Ok(record) => {
                    let f = Fields {
                        record: &record,
                        columns: &self.columns,
                        file: &self.file,
                        line,
                    };
                    let out = self.rows.map(&f);
                    (out, record.into_byte_record())
                }
                Err(e) => {
                    let record = e.into_byte_record();
                    let reject = Reject {
                        file: self.file.clone(),
                        line,
                        field: None,
                        value: None,
                        reason: "is not valid UTF-8".to_string(),
                        record: texts(&record),
                    };
                    (Some(Row::Reject(reject)), record)
                }
            };
            self.cur = Some(back);
            if let Some(r) = out {
                return Some(Ok(r));
            }
        }
    }
}

impl Iterator for Engine {
    type Item = Result<Row, FileError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.step()
    }
}
