//! Detection and the reader framework for ACLED and GDELT (their row mappers are tested
//! in their own modules).

use vigie_core::{Event, Source};
use vigie_ingest::{FileError, Format, Options};

use crate::common::*;

/// What must not depend on the file's layout.
fn essence(e: &Event) -> String {
    format!(
        "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
        e.source_id, e.period, e.place, e.category, e.source_type, e.side_a, e.side_b, e.fatalities
    )
}

#[test]
fn gdelt_with_and_without_header_comma_or_tab() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = records(GDELT1_SAMPLE, 400);
    assert_eq!(header.len(), 59);
    let original = write(
        dir.path(),
        "with-header.csv",
        csv_text(&header, &rows, b','),
    );
    let base = read(&original);
    assert_eq!(base.format, Format::Gdelt);
    assert_eq!(base.header, header);
    assert!(base.error.is_none());
    assert!(base.events.len() > 300);
    assert_eq!(
        base.events[0].source_id, rows[0][0],
        "the first data row is not lost"
    );
    assert_eq!(base.events[0].provenance.line, 2);
    let expected: Vec<String> = base.events.iter().map(essence).collect();

    // GDELT 1.0 daily files: 58 tab-separated columns (with SOURCEURL), no header.
    let tsv: String = rows.iter().map(|r| r[..58].join("\t") + "\n").collect();
    let p = write(dir.path(), "daily.export.CSV", &tsv);
    let r = read(&p);
    assert_eq!(r.format, Format::Gdelt);
    assert_eq!(r.header.len(), 58);
    assert_eq!(r.header[0], "GLOBALEVENTID");
    assert_eq!(r.header[57], "SOURCEURL");
    assert!(r.error.is_none());
    assert_eq!(r.events.iter().map(essence).collect::<Vec<_>>(), expected);
    assert_eq!(r.events[0].provenance.line, 1);
    assert_eq!(r.bytes_read, tsv.len() as u64);

    // The historical backfiles: 57 columns.
    let rows57: Vec<Vec<String>> = rows.iter().map(|r| r[..57].to_vec()).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in &rows57 {
        w.write_record(r).unwrap();
    }
    let text = w.into_inner().unwrap();
    let p = write(dir.path(), "backfile.csv", &text);
    let r = read(&p);
    assert_eq!(r.header.len(), 57);
    assert_eq!(r.header[56], "DATEADDED");
    assert_eq!(r.events.iter().map(essence).collect::<Vec<_>>(), expected);

    // Header names in another case.
    let lower: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    let p = write(dir.path(), "lower.csv", csv_text(&lower, &rows, b','));
    let r = read(&p);
    assert_eq!(r.format, Format::Gdelt);
    assert_eq!(r.events.iter().map(essence).collect::<Vec<_>>(), expected);

    // GDELT may be tab-separated, but not semicolon-separated.
    let p = write(dir.path(), "semi.csv", csv_text(&header, &rows, b';'));
    match open_err(&p) {
        FileError::WrongDelimiter { reason, .. } => {
            assert!(reason.contains("',' (comma) or tab"), "{reason}")
        }
        other => panic!("{other}"),
    }
}

#[test]
fn gdelt_sample_reads() {
    let r = read(std::path::Path::new(GDELT1_SAMPLE));
    assert_eq!(r.format, Format::Gdelt);
    assert!(r.error.is_none());
    assert_eq!(r.bytes_read, r.total_bytes);
}

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,\
actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,\
admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

#[test]
fn acled_standard_export() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{ACLED_HEADER}\n\
MLI1,2023-10-05,2023,1,Political violence,Battles,Armed clash,Military Forces of Mali (2021-),,State forces,JNIM,,Rebel group,State forces-Rebel group,,466,Western Africa,Mali,Mopti,Djenne,,Sofara,14.0,-4.25,1,Local,Local,\"Clash, with deaths\",3,,1700000000\n\
MLI2,2023-10-06,2023,1,Political violence,Violence against civilians,Attack,JNIM,,Rebel group,Civilians (Mali),,Civilians,Rebel group-Civilians,Civilian targeting,466,Western Africa,Mali,Mopti,Bandiagara,,Bandiagara,14.35,-3.61,1,Local,Local,,5,,1700000001\n"
    );
    let p = write(dir.path(), "acled.csv", text);
    let r = read(&p);
    assert_eq!(r.format, Format::Acled);
    assert!(r.error.is_none() && r.rejects.is_empty(), "{:?}", r.rejects);
    assert_eq!(r.events.len(), 2);
    assert_eq!(r.events[0].id, Event::stable_id(Source::Acled, "MLI1"));
    assert_eq!(r.events[1].provenance.line, 3);
}

const DYADIC_HEADER: &str = "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,\
sub_event_type,actor1,assoc_actor_1,inter1,interaction,region,country,admin1,admin2,admin3,location,latitude,\
longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,iso3";

fn dyadic_row(data_id: u32, id: &str, actor: &str, inter: u8, fatalities: &str) -> String {
    format!(
        "{data_id},466,{id},1,2019-03-15,2019,1,Battles,Armed clash,{actor},,{inter},12,Western Africa,Mali,Mopti,\
Bankass,,Ogossagou,14.3,-3.8,1,Local,Local,note,{fatalities},1552608000,MLI"
    )
}

#[test]
fn acled_two_row_export_is_grouped_by_event_id() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        dyadic_row(1, "MLI100", "Military Forces of Mali", 1, "4"),
        dyadic_row(2, "MLI100", "JNIM", 2, "4"),
        dyadic_row(3, "MLI101", "Dan Na Ambassagou", 4, "abc"),
        dyadic_row(4, "MLI102", "JNIM", 2, "1"),
        dyadic_row(5, "MLI103", "Military Forces of Mali", 1, "2"),
        dyadic_row(6, "MLI103", "ISGS", 2, "2"),
    ];
    let text = format!("{DYADIC_HEADER}\n{}\n", rows.join("\n"));
    let p = write(dir.path(), "dyadic.csv", text);
    let r = read(&p);
    assert_eq!(r.format, Format::Acled);
    assert!(r.error.is_none());
    assert_eq!(r.rejects.len(), 1);
    assert_eq!(r.rejects[0].line, 4);
    assert_eq!(r.rejects[0].field.as_deref(), Some("fatalities"));
    let ids: Vec<&str> = r.events.iter().map(|e| e.source_id.as_str()).collect();
    assert_eq!(ids, ["MLI100", "MLI102", "MLI103"]);
    let first = &r.events[0];
    assert_eq!(first.provenance.line, 2);
    assert_eq!(
        first.side_a.as_ref().unwrap().name,
        "Military Forces of Mali"
    );
    assert_eq!(first.side_b.as_ref().unwrap().name, "JNIM");
    // The last event is held back until the end and still comes out.
    let last = &r.events[2];
    assert_eq!(last.provenance.line, 6);
    assert_eq!(last.side_b.as_ref().unwrap().name, "ISGS");
}

#[test]
fn forced_format_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let p = ged_file(dir.path(), "g.csv", 2, |_, _, _| {});
    let r = read_with(&p, &forced(Format::UcdpGed));
    assert_eq!(r.format, Format::UcdpGed);
    assert_eq!(r.events.len(), 2);
    match open_err_with(&p, &forced(Format::Gdelt)) {
        FileError::UnknownFormat { reason, .. } => {
            assert!(reason.starts_with("read as GDELT"), "{reason}")
        }
        e => panic!("{e}"),
    }
}

#[test]
fn reader_and_progress_cross_threads() {
    fn send<T: Send + 'static>(_: &T) {}
    let reader = vigie_ingest::open(std::path::Path::new(GED_SAMPLE), &Options::default()).unwrap();
    let progress = reader.progress();
    assert!(progress.bytes_read() <= progress.total_bytes());
    send(&reader);
    let n = std::thread::spawn(move || reader.count()).join().unwrap();
    assert_eq!(n, 1000);
    assert_eq!(progress.bytes_read(), progress.total_bytes());
}
