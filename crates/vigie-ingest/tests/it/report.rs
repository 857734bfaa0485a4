//! The rejects file.

use vigie_ingest::RejectReport;

use crate::common::*;

#[test]
fn reject_report_round_trips_through_csv() {
    let dir = tempfile::tempdir().unwrap();
    let src = ged_file(dir.path(), "events.csv", 4, |i, h, r| match i {
        1 => set(h, r, "best", "abc"),
        2 => set(h, r, "source_article", "multi\nline, \"quoted\""),
        3 => set(h, r, "latitude", "123"),
        _ => {}
    });
    let got = read(&src);
    assert_eq!(got.rejects.len(), 2);

    let out = dir.path().join("rejects.csv");
    let mut report = RejectReport::create(&out, &got.header).unwrap();
    for r in &got.rejects {
        report.push(r).unwrap();
    }
    assert_eq!(report.count(), 2);
    assert_eq!(report.finish().unwrap(), 2);

    let mut rd = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header[..4], ["line", "field", "value", "reason"]);
    assert_eq!(header[4..], got.header[..]);
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        &rows[0].iter().take(4).collect::<Vec<_>>(),
        &["3", "best", "abc", "is not a whole number"]
    );
    assert_eq!(
        rows[0].iter().skip(4).collect::<Vec<_>>(),
        got.rejects[0].record
    );
    assert_eq!(
        &rows[1].iter().take(4).collect::<Vec<_>>(),
        &["6", "latitude", "123", "is not a latitude (-90 to 90)"]
    );

    // The fixed rows of a rejects file can be imported again: drop the first four columns.
    let fixed: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut v: Vec<String> = r.iter().skip(4).map(str::to_string).collect();
            let best = got.header.iter().position(|h| h == "best").unwrap();
            let lat = got.header.iter().position(|h| h == "latitude").unwrap();
            v[best] = "1".into();
            v[lat] = "12.5".into();
            v
        })
        .collect();
    let again = read(&write(
        dir.path(),
        "fixed.csv",
        csv_text(&got.header, &fixed, b','),
    ));
    assert_eq!(again.events.len(), 2);
    assert!(again.rejects.is_empty());
}

#[test]
fn empty_report_has_just_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("none.csv");
    let report = RejectReport::create(&out, &["a".to_string(), "b".to_string()]).unwrap();
    assert_eq!(report.finish().unwrap(), 0);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "line,field,value,reason,a,b\n"
    );
}

#[test]
fn short_records_are_written_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let (header, mut rows) = records(GED_CANDIDATE, 3);
    rows[1].truncate(5);
    let got = read(&write(
        dir.path(),
        "short.csv",
        csv_text(&header, &rows, b','),
    ));
    let out = dir.path().join("r.csv");
    let mut report = RejectReport::create(&out, &got.header).unwrap();
    report.push(&got.rejects[0]).unwrap();
    report.finish().unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let second = text.lines().nth(1).unwrap();
    assert_eq!(
        second,
        format!(
            "3,,,\"has 5 fields, the header has 49\",{}",
            rows[1].join(",")
        )
    );
}
