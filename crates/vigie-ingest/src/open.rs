//! Opening a file once its encoding is known: decoding, delimiter and format sniffing,
//! header checks, and the choice of [`Mapper`] that turns its records into rows.

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use csv::ByteRecord;

use crate::csv_records::{csv_err, csv_reader, read_content, texts};
use crate::detect::{self, Detected};
use crate::engine::Engine;
use crate::fields::Columns;
use crate::mapper::{AcledRows, GdeltRows, GedRows, HxlRows, Mapper};
use crate::{acled, decode, gdelt, ged, hxl, FileError, Format, Options, Progress, Reader};

/// Everything after the encoding scan: sniffing, detection, header checks.
pub(crate) fn start(
    path: PathBuf,
    input: Box<dyn Read + Send>,
    total: u64,
    scan: decode::Scan,
    options: &Options,
) -> Result<Reader, FileError> {
    if !scan.has_content {
        return Err(FileError::Empty { path });
    }
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
    let (input, warnings) = decoded(input, &scan, &progress, &path)?;

    let delimiter = detect::sniff_delimiter(&scan.head);
    let mut csv = csv_reader(input, delimiter);

    // The first two records decide the format.
    let mut first = ByteRecord::new();
    let mut second = ByteRecord::new();
    if !read_content(&mut csv, &mut first).map_err(|e| csv_err(&path, e))? {
        return Err(FileError::Empty { path });
    }
    let has_second = read_content(&mut csv, &mut second).map_err(|e| csv_err(&path, e))?;
    let head = Head {
        first_text: texts(&first),
        second_text: has_second.then(|| texts(&second)),
        first,
        second,
        has_second,
    };

    let detected = detect_format(options.format, &head, delimiter, &path)?;
    let format = match detected {
        Detected::Ged => Format::UcdpGed,
        Detected::Acled => Format::Acled,
        Detected::GdeltHeader | Detected::GdeltHeaderless => Format::Gdelt,
        Detected::Hxl { .. } => Format::Hxl,
    };
    check_delimiter(format, delimiter, &path)?;
    let Layout {
        header,
        columns,
        rows,
        pending,
    } = layout(detected, format, head, options, &path)?;

    let mut engine = Engine::new(csv, rows, columns, path, pending);
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

/// The input as UTF-8: counted for `progress`, past its BOM, and transcoded from Latin-1
/// (with a warning) when the scan found it is not UTF-8.
fn decoded(
    input: Box<dyn Read + Send>,
    scan: &decode::Scan,
    progress: &Progress,
    path: &Path,
) -> Result<(Box<dyn Read + Send>, Vec<String>), FileError> {
    let name = path.display().to_string();
    let mut input: Box<dyn Read + Send> = Box::new(decode::Counting {
        inner: input,
        count: progress.bytes.clone(),
    });
    if scan.bom {
        input.read_exact(&mut [0u8; 3]).map_err(|e| FileError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
    }
    let mut warnings = Vec::new();
    if let Some(offset) = scan.first_bad_byte {
        warnings.push(format!(
            "{name}: not valid UTF-8 (first bad byte at offset {offset}); read as Latin-1"
        ));
        input = Box::new(decode::Latin1::new(input));
    }
    Ok((input, warnings))
}

/// The first two non-blank records of the file, as read and as text.
struct Head {
    first: ByteRecord,
    second: ByteRecord,
    has_second: bool,
    first_text: Vec<String>,
    /// `Some` when `has_second`.
    second_text: Option<Vec<String>>,
}

/// What the file is: detected from its first records, or as `forced` by the caller
/// (checked against the first records where the format has a shape to check).
fn detect_format(
    forced: Option<Format>,
    head: &Head,
    delimiter: u8,
    path: &Path,
) -> Result<Detected, FileError> {
    let first_text = &head.first_text;
    let second_text = &head.second_text;
    let detected = match forced {
        None => detect::detect(first_text, second_text.as_deref()),
        Some(Format::UcdpGed) => Some(Detected::Ged),
        Some(Format::Acled) => Some(Detected::Acled),
        Some(Format::Gdelt) if detect::is_gdelt_header(first_text) => Some(Detected::GdeltHeader),
        Some(Format::Gdelt) if detect::is_gdelt_data(first_text) => Some(Detected::GdeltHeaderless),
        Some(Format::Gdelt) => {
            return Err(FileError::UnknownFormat {
                path: path.to_path_buf(),
                reason: "read as GDELT, but the first line is neither a GDELT header (GLOBALEVENTID, SQLDATE, …) \
                         nor a GDELT row (an event id, an 8-digit date, at least 57 fields)"
                    .to_string(),
            });
        }
        Some(Format::Hxl) => {
            if second_text.as_deref().is_some_and(detect::is_hashtag_row) {
                Some(Detected::Hxl { tag_row: 1 })
            } else if detect::is_hashtag_row(first_text) {
                Some(Detected::Hxl { tag_row: 0 })
            } else {
                return Err(FileError::UnknownFormat {
                    path: path.to_path_buf(),
                    reason: "read as HXL, but neither the first nor the second row holds hashtags (#date, #geo+lat, …)"
                        .to_string(),
                });
            }
        }
    };
    detected.ok_or_else(|| FileError::UnknownFormat {
        reason: detect::describe(first_text, delimiter),
        path: path.to_path_buf(),
    })
}

/// GDELT may be comma or tab separated; every other format is comma separated.
fn check_delimiter(format: Format, delimiter: u8, path: &Path) -> Result<(), FileError> {
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
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// How the records of a file are read: its header, its columns, the mapper for its rows,
/// and the data records already read during detection.
struct Layout {
    header: Vec<String>,
    columns: Columns,
    rows: Box<dyn Mapper>,
    pending: VecDeque<ByteRecord>,
}

/// Checks the header of a `detected` file and sets up its [`Layout`].
fn layout(
    detected: Detected,
    format: Format,
    head: Head,
    options: &Options,
    path: &Path,
) -> Result<Layout, FileError> {
    let Head {
        first,
        second,
        has_second,
        first_text,
        second_text,
    } = head;
    let missing = |missing: Vec<String>| FileError::MissingColumns {
        path: path.to_path_buf(),
        format: format_name(format),
        missing,
    };
    let require = |columns: &Columns, required: &[&str]| {
        let m = columns.missing(required);
        if m.is_empty() {
            Ok(())
        } else {
            Err(missing(m))
        }
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
            require(&columns, ged::REQUIRED)?;
            with_second(&mut pending, second);
            let mapper = ged::Ged::new(&columns, options);
            (first_text, columns, Box::new(GedRows(mapper)))
        }
        Detected::Acled => {
            let columns = lower_case_columns(&first_text);
            require(&columns, acled::REQUIRED)?;
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
            require(&columns, gdelt::REQUIRED)?;
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
            let names = hxl_names(&tags, &tags_text, &header);
            let columns = Columns::new(names.iter().map(String::as_str));
            let mapper = hxl::Hxl::new(&tags, options).map_err(missing)?;
            let header = if tag_row == 1 { header } else { names };
            (header, columns, Box::new(HxlRows(mapper)))
        }
    };
    Ok(Layout {
        header,
        columns,
        rows,
        pending,
    })
}

/// The column names of an HXL file: the hashtag as written (the header text where
/// untagged); a hashtag row cut short by its editor does not make the data rows too long.
fn hxl_names(
    tags: &[Option<hxl::Hashtag>],
    tags_text: &[String],
    header: &[String],
) -> Vec<String> {
    let width = tags_text.len().max(header.len());
    (0..width)
        .map(|i| match (tags.get(i), tags_text.get(i)) {
            (Some(Some(_)), Some(t)) => t.trim().to_string(),
            _ => header
                .get(i)
                .map(|h| h.trim().to_string())
                .unwrap_or_default(),
        })
        .collect()
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
