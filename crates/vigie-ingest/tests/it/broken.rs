//! A corpus of broken files, generated here: each must fail the right way.

use std::path::Path;

use vigie_core::{Event, Source};
use vigie_ingest::{FileError, Format, Options};

use crate::common::*;

#[test]
fn empty_files() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("zero.csv", &b""[..]),
        ("blank.csv", &b"  \r\n\n\t \n"[..]),
        ("bom.csv", &b"\xEF\xBB\xBF"[..]),
        ("bom-blank.csv", &b"\xEF\xBB\xBF\n\n"[..]),
    ] {
        let p = write(dir.path(), name, bytes);
        match open_err(&p) {
            FileError::Empty { path } => assert_eq!(path, p),
            other => panic!("{name}: {other}"),
        }
    }
    let p = write(dir.path(), "zero.csv", b"");
    assert_eq!(
        open_err(&p).to_string(),
        format!("{}: the file is empty", p.display())
    );
}

#[test]
fn header_only_is_zero_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (header, _) = records(GED_CANDIDATE, 0);
    for (name, text) in [
        ("h.csv", header.join(",")),
        ("hn.csv", header.join(",") + "\r\n"),
    ] {
        let p = write(dir.path(), name, &text);
        let r = read(&p);
        assert_eq!(r.format, Format::UcdpGed);
        assert_eq!(r.header, header);
        assert!(r.events.is_empty() && r.rejects.is_empty() && r.error.is_none());
        assert_eq!(r.bytes_read, text.len() as u64);
    }
}

#[test]
fn unknown_format_says_what_the_header_looked_like() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "x.csv",
        "month_id,country_id,ged_sb\n457,50,12\n",
    );
    let e = open_err(&p);
    assert!(matches!(e, FileError::UnknownFormat { .. }), "{e}");
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!("{}: unknown format: ", p.display())),
        "{msg}"
    );
    assert!(
        msg.contains(r#"3 field(s) separated by ',' (comma): "month_id", "country_id", "ged_sb""#),
        "{msg}"
    );
    assert!(
        msg.contains("UCDP GED")
            && msg.contains("ACLED")
            && msg.contains("GDELT")
            && msg.contains("HXL"),
        "{msg}"
    );

    // A single long column.
    let text = "just some text that is not a table at all, really\n";
    let e = error_of("y.csv", text);
    assert!(matches!(e, FileError::UnknownFormat { .. }), "{e}");
}

#[test]
fn missing_required_column() {
    let dir = tempfile::tempdir().unwrap();
    let (mut header, mut rows) = records(GED_CANDIDATE, 3);
    let i = header.iter().position(|h| h == "best").unwrap();
    header.remove(i);
    for r in &mut rows {
        r.remove(i);
    }
    let p = write(dir.path(), "nobest.csv", csv_text(&header, &rows, b','));
    let e = open_err(&p);
    match &e {
        FileError::MissingColumns {
            missing, format, ..
        } => {
            assert_eq!(missing, &["best"]);
            assert_eq!(*format, "UCDP GED");
        }
        other => panic!("{other}"),
    }
    assert_eq!(
        e.to_string(),
        format!(
            "{}: UCDP GED file lacks required column(s): best",
            p.display()
        )
    );

    // Forcing a format checks that format's columns.
    let p = ged_file(dir.path(), "ged.csv", 2, |_, _, _| {});
    match open_err_with(&p, &forced(Format::Acled)) {
        FileError::MissingColumns { missing, .. } => {
            assert!(missing.contains(&"event_id_cnty".to_string()))
        }
        e => panic!("{e}"),
    }
}

#[test]
fn wrong_delimiters() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = records(GED_CANDIDATE, 5);
    for (d, word) in [
        (b';', "';' (semicolon)"),
        (b'|', "'|' (pipe)"),
        (b'\t', "tab"),
    ] {
        let p = write(dir.path(), "d.csv", csv_text(&header, &rows, d));
        let e = open_err(&p);
        assert!(matches!(e, FileError::WrongDelimiter { .. }), "{e}");
        let msg = e.to_string();
        assert!(msg.contains(&format!("separated by {word}")), "{msg}");
        assert!(msg.contains("must be separated by ',' (comma)"), "{msg}");
    }
}

/// Five GED records; the last one's `source_article` spans lines.
fn five_records() -> (Vec<String>, Vec<Vec<String>>) {
    let (header, mut rows) = records(GED_CANDIDATE, 5);
    set(
        &header,
        &mut rows[4],
        "source_article",
        "\"Reuters,2023-10-03,first line\"\nsecond line, \"quoted\"\nthird",
    );
    (header, rows)
}

#[test]
fn truncated_inside_a_quoted_field() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = five_records();
    let text = String::from_utf8(csv_text(&header, &rows, b',')).unwrap();
    let cut = text.find("second line").unwrap();
    let p = write(dir.path(), "cut.csv", &text[..cut]);
    let r = read(&p);
    assert_eq!(r.events.len(), 4);
    assert!(r.rejects.is_empty());
    match r.error {
        Some(FileError::Truncated {
            line, ref reason, ..
        }) => {
            assert_eq!(line, 6);
            assert!(reason.contains("of the header's 49 fields"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // The untruncated file is fine, and its multi-line record starts on line 6.
    let p = write(dir.path(), "whole.csv", &text);
    let r = read(&p);
    assert!(r.error.is_none());
    assert_eq!(r.events.len(), 5);
    assert_eq!(r.events[4].provenance.line, 6);
    assert_eq!(r.events[3].provenance.line, 5);
}

#[test]
fn truncated_mid_row() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = records(GED_CANDIDATE, 5);
    let text = String::from_utf8(csv_text(&header, &rows, b',')).unwrap();
    // Cut the last record after its coordinates.
    let last = text.trim_end().rfind('\n').unwrap() + 1;
    let cut = last + text[last..].find("POINT").unwrap();
    let p = write(dir.path(), "cut.csv", &text[..cut]);
    let r = read(&p);
    assert_eq!(r.events.len(), 4);
    match &r.error {
        Some(e @ FileError::Truncated { line: 6, .. }) => {
            assert!(
                e.to_string().starts_with(&format!(
                    "{}:6: truncated record: the last record has 32 of",
                    p.display()
                )),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Nothing is yielded after the error.
    let mut reader = vigie_ingest::open(&p, &Options::default()).unwrap();
    let mut n = 0;
    for row in reader.by_ref() {
        n += 1;
        if row.is_err() {
            break;
        }
    }
    assert_eq!(n, 5);
    assert!(reader.next().is_none());
}

#[test]
fn bad_values_are_rejects_with_exact_messages() {
    let dir = tempfile::tempdir().unwrap();
    let p = ged_file(dir.path(), "events.csv", 6, |i, h, r| match i {
        1 => set(h, r, "best", "abc"),
        2 => set(h, r, "latitude", "123"),
        3 => set(h, r, "date_start", "2023-13-45"),
        4 => set(h, r, "longitude", ""),
        _ => {}
    });
    let r = read(&p);
    assert!(r.error.is_none());
    assert_eq!(r.events.len(), 2);
    let f = p.display();
    let msgs = r.reject_messages();
    assert_eq!(
        msgs,
        [
            format!("{f}:3: column 'best': \"abc\" is not a whole number"),
            format!("{f}:4: column 'latitude': \"123\" is not a latitude (-90 to 90)"),
            format!(
                "{f}:5: column 'date_start': \"2023-13-45\" is not a date (expected YYYY-MM-DD)"
            ),
            format!("{f}:6: column 'longitude': is empty while the latitude is given"),
        ]
    );
    let rj = &r.rejects[0];
    assert_eq!(
        (rj.field.as_deref(), rj.value.as_deref(), rj.line),
        (Some("best"), Some("abc"), 3)
    );
    assert_eq!(rj.record.len(), 49);
    assert_eq!(rj.record[0], "495225");
}

#[test]
fn short_and_long_rows_in_the_middle_are_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let (header, mut rows) = records(GED_CANDIDATE, 5);
    rows[1].truncate(10);
    rows[2].push("extra".into());
    let p = write(dir.path(), "short.csv", csv_text(&header, &rows, b','));
    let r = read(&p);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.events.len(), 3);
    let f = p.display();
    let msgs = r.reject_messages();
    assert_eq!(
        msgs,
        [
            format!("{f}:3: has 10 fields, the header has 49"),
            format!("{f}:4: has 50 fields, the header has 49")
        ]
    );
    assert_eq!(r.rejects[0].record, rows[1]);
    // A long last row is a reject too, not a truncation.
    rows.swap(2, 4);
    let p = write(dir.path(), "long-last.csv", csv_text(&header, &rows, b','));
    let r = read(&p);
    assert!(r.error.is_none());
    assert_eq!(r.rejects.len(), 2);
}

#[test]
fn blank_lines_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = records(GED_CANDIDATE, 3);
    let text = String::from_utf8(csv_text(&header, &rows, b',')).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "");
    lines.insert(3, "   ");
    let text = lines.join("\n") + "\n\n  \n";
    let p = write(dir.path(), "blank.csv", text);
    let r = read(&p);
    assert!(
        r.error.is_none() && r.rejects.is_empty(),
        "{:?} {:?}",
        r.error,
        r.rejects
    );
    assert_eq!(r.events.len(), 3);
    assert_eq!(
        r.events
            .iter()
            .map(|e| e.provenance.line)
            .collect::<Vec<_>>(),
        [2, 5, 6]
    );
}

#[test]
fn latin1_file_is_read_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (header, mut rows) = records(GED_CANDIDATE, 3);
    set(&header, &mut rows[1], "adm_1", "Ségou region");
    set(
        &header,
        &mut rows[1],
        "where_coordinates",
        "Niono town «centre»",
    );
    let utf8 = csv_text(&header, &rows, b',');
    let latin1: Vec<u8> = String::from_utf8(utf8.clone())
        .unwrap()
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    let offset = latin1.iter().position(|&b| b >= 0x80).unwrap();
    let p = write(dir.path(), "latin1.csv", &latin1);
    let r = read(&p);
    assert_eq!(
        r.warnings,
        [format!(
            "{}: not valid UTF-8 (first bad byte at offset {offset}); read as Latin-1",
            p.display()
        )]
    );
    assert!(r.rejects.is_empty() && r.error.is_none());
    assert_eq!(r.events[1].place.admin1.as_deref(), Some("Ségou region"));
    assert_eq!(
        r.events[1].place.location.as_deref(),
        Some("Niono town «centre»")
    );
    assert_eq!(r.bytes_read, latin1.len() as u64);
    // The same file in UTF-8 gives the same events, without a warning.
    let p2 = write(dir.path(), "utf8.csv", &utf8);
    let r2 = read(&p2);
    assert!(r2.warnings.is_empty());
    assert_same_but_file(&r.events, &r2.events);
}

#[test]
fn bom_is_stripped() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = records(GED_CANDIDATE, 3);
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(csv_text(&header, &rows, b','));
    let p = write(dir.path(), "bom.csv", &bytes);
    let r = read(&p);
    assert_eq!(r.format, Format::UcdpGed);
    assert_eq!(r.header[0], "id");
    assert!(r.warnings.is_empty() && r.rejects.is_empty() && r.error.is_none());
    assert_eq!(r.events.len(), 3);
    assert_eq!(r.events[0].id, Event::stable_id(Source::UcdpGed, "492699"));
    assert_eq!(r.bytes_read, bytes.len() as u64);
    assert_eq!(r.total_bytes, bytes.len() as u64);
}

#[test]
fn missing_file_is_an_io_error() {
    let e = open_err(Path::new("/nonexistent/vigie/ged.csv"));
    assert!(matches!(e, FileError::Io { .. }), "{e}");
}

#[test]
fn open_bytes_reads_from_memory() {
    let (header, rows) = records(GED_CANDIDATE, 4);
    let reader = vigie_ingest::open_bytes(
        "memory.csv",
        csv_text(&header, &rows, b','),
        &Options::default(),
    )
    .unwrap();
    let r = collect(reader);
    assert_eq!(r.events.len(), 4);
    assert_eq!(r.events[0].provenance.file, "memory.csv");
    assert!(matches!(
        vigie_ingest::open_bytes("e.csv", Vec::new(), &Options::default()),
        Err(FileError::Empty { .. })
    ));
}

/// A gzip-compressed file reads exactly like the file itself; one cut off or damaged is a
/// clear error before any row.
#[test]
fn gzip_files_read_as_the_file_and_damaged_ones_fail_first() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read(GED_SAMPLE).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).unwrap();
    let gz = gz.finish().unwrap();
    let p = write(dir.path(), "ged.csv.gz", &gz);
    let (a, b) = (read(Path::new(GED_SAMPLE)), read(&p));
    assert_eq!(b.format, Format::UcdpGed);
    assert_eq!(b.error.map(|e| e.to_string()), None);
    assert_eq!(b.events.len(), 1000);
    let key = |e: &Event| (e.id, e.content_hash(), e.provenance.line);
    assert_eq!(
        a.events.iter().map(key).collect::<Vec<_>>(),
        b.events.iter().map(key).collect::<Vec<_>>()
    );
    assert_eq!(b.events[0].provenance.file, "ged.csv.gz");
    assert_eq!(
        b.total_bytes,
        plain.len() as u64,
        "progress counts what it decompresses"
    );
    for (name, bytes) in [
        ("cut.csv.gz", gz[..gz.len() / 2].to_vec()),
        ("bad.csv.gz", {
            let mut g = gz.clone();
            for b in &mut g[40..200] {
                *b ^= 0x5a;
            }
            g
        }),
    ] {
        let p = write(dir.path(), name, &bytes);
        match open_err(&p) {
            FileError::Io { path, source } => {
                assert_eq!(path, p);
                assert!(source.to_string().contains("gzip"), "{name}: {source}");
            }
            other => panic!("{name}: {other}"),
        }
    }
}
