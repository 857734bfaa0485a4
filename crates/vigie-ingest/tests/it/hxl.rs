//! HXL-tagged CSV, written here.

use vigie_core::{Event, Source, ViolenceCategory};
use vigie_ingest::{FileError, Format};

use crate::common::*;

const HDX_LIKE: &str = "\
Event ID,Date,Year,Event type,Sub event type,Actor 1,Actor 2,Country,ISO3,Admin 1,Admin 2,Location,Latitude,Longitude,Notes,Fatalities
#event+id,#date+occurred,#date+year,#event+type,#event+type+sub,#group+name+first,#group+name+second,#country+name,#country+code+iso3,#adm1+name,#adm2+name,#loc+name,#geo+lat,#geo+lon,#description,#affected+killed
MLI1001,2023-10-05,2023,Violence against civilians,Attack,Military Forces of Mali (2021-),Civilians (Mali),Mali,MLI,Gao,Bourem,Ersane,17.7927,0.0108,\"Soldiers killed civilians, village burned\",17
BFA2002,2023-10-06,2023,Battles,Armed clash,JNIM,Ansaroul Islam,Burkina Faso,BFA,Sahel,Soum,Djibo,14.1012,-1.6280,,4
NER3003,2023-10-07,2023,Protests,Peaceful protest,Protesters (Niger),,Niger,NER,Niamey,Niamey,Niamey,13.5137,2.1098,,0
";

#[test]
fn hdx_style_extract() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "hdx.csv", HDX_LIKE);
    let r = read(&p);
    assert_eq!(r.format, Format::Hxl);
    assert_eq!(r.header[0], "Event ID");
    assert!(
        r.error.is_none() && r.rejects.is_empty(),
        "{:?} {:?}",
        r.error,
        r.rejects
    );
    assert_eq!(r.events.len(), 3);

    let e = &r.events[0];
    assert_eq!(e.source, Source::Hxl);
    assert_eq!(e.source_id, "MLI1001");
    assert_eq!(e.id, Event::stable_id(Source::Hxl, "MLI1001"));
    assert_eq!(e.provenance.line, 3);
    assert_eq!(e.period.start, date("2023-10-05"));
    assert_eq!(e.period.end, date("2023-10-05"));
    assert_eq!(
        (e.place.latitude, e.place.longitude),
        (Some(17.7927), Some(0.0108))
    );
    assert_eq!(
        e.place.priogrid_gid,
        vigie_core::priogrid::gid(17.7927, 0.0108)
    );
    assert_eq!(e.place.country.as_deref(), Some("MLI"));
    assert_eq!(e.place.gw_id, Some(432));
    assert_eq!(e.place.views_id, Some(50));
    assert_eq!(e.place.admin1.as_deref(), Some("Gao"));
    assert_eq!(e.place.admin2.as_deref(), Some("Bourem"));
    assert_eq!(e.place.location.as_deref(), Some("Ersane"));
    // The type, not the sub-type, even though both match `#event+type`.
    assert_eq!(e.source_type, "Violence against civilians");
    assert_eq!(e.category, ViolenceCategory::OneSided);
    assert_eq!(
        e.side_a.as_ref().unwrap().name,
        "Military Forces of Mali (2021-)"
    );
    assert_eq!(e.side_b.as_ref().unwrap().name, "Civilians (Mali)");
    assert_eq!(e.fatalities.best, Some(17));
    assert_eq!(e.fatalities.low, None);
    assert_eq!(
        e.description.as_deref(),
        Some("Soldiers killed civilians, village burned")
    );

    assert_eq!(r.events[1].category, ViolenceCategory::NonState);
    assert_eq!(r.events[1].place.country.as_deref(), Some("BFA"));
    assert_eq!(r.events[1].description, None);
    assert_eq!(r.events[2].category, ViolenceCategory::Other);
    assert_eq!(r.events[2].side_b, None);
}

#[test]
fn hashtags_match_ignoring_case_spaces_and_attribute_order() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\
killed,lon,lat,when,region,who,whom,country,kind,notes
#Affected +Num +Killed,#GEO+LON,#geo +lat,#DATE,#adm1 +name,#group+first+name,#group +second +name,#country+code,#event+type,#meta+description
3,-3.9277,14.8199,2022-03-07,Mopti,JNIM,Government of Mali,mli,Battles,a note
";
    let p = write(dir.path(), "tags.csv", text);
    let r = read(&p);
    assert_eq!(r.format, Format::Hxl);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    let e = &r.events[0];
    assert_eq!(e.fatalities.best, Some(3));
    assert_eq!(
        (e.place.latitude, e.place.longitude),
        (Some(14.8199), Some(-3.9277))
    );
    assert_eq!(e.period.start, date("2022-03-07"));
    assert_eq!(e.place.admin1.as_deref(), Some("Mopti"));
    assert_eq!(e.place.country.as_deref(), Some("MLI"));
    assert_eq!(e.side_a.as_ref().unwrap().name, "JNIM");
    assert_eq!(e.side_b.as_ref().unwrap().name, "Government of Mali");
    assert_eq!(e.description.as_deref(), Some("a note"));
    assert_eq!(e.category, ViolenceCategory::NonState);
    // No id column: a stable hash of the row.
    assert_eq!(e.source_id.len(), 16);
    assert!(e.source_id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(read(&p).events[0].id, e.id);
}

#[test]
fn hashtag_row_first_and_org_actors_and_country_names() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\
#date,#country+name,#org,#org,#affected+killed,#id
2023-10-01,Nigeria,Boko Haram,Civilians,5,a
2023-10-02,Nigeria,Boko Haram,,,b
2023-10-02,Nigeria,Boko Haram,,,b2
";
    let p = write(dir.path(), "orgs.csv", text);
    let r = read(&p);
    assert_eq!(r.format, Format::Hxl);
    assert_eq!(r.header[0], "#date");
    assert_eq!(r.events.len(), 3);
    let e = &r.events[0];
    assert_eq!(e.provenance.line, 2);
    assert_eq!(e.source_id, "a");
    assert_eq!(e.place.country.as_deref(), Some("NGA"));
    assert_eq!(e.place.gw_id, Some(475));
    assert_eq!(e.place.latitude, None);
    assert_eq!(e.place.priogrid_gid, None);
    assert_eq!(e.side_a.as_ref().unwrap().name, "Boko Haram");
    assert_eq!(e.side_b.as_ref().unwrap().name, "Civilians");
    assert_eq!(e.category, ViolenceCategory::Other);
    assert_eq!(r.events[1].fatalities.best, None);
}

#[test]
fn hashed_ids_differ_between_rows() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\
Date,Country,Killed
#date,#country+code,#affected+killed
2023-10-01,NER,1
2023-10-01,NER,2
2023-10-01,NER,1
";
    let p = write(dir.path(), "h.csv", text);
    let r = read(&p);
    assert_eq!(r.events.len(), 3);
    assert_ne!(r.events[0].source_id, r.events[1].source_id);
    // An identical row is the same event.
    assert_eq!(r.events[0].source_id, r.events[2].source_id);
}

#[test]
fn acled_like_header_text_with_hashtags_is_hxl() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\
event_id_cnty,event_date,event_type,country,latitude,longitude,fatalities
#event+code,#date+occurred,#event+type,#country+name,#geo+lat,#geo+lon,#affected+killed
MLI1,2023-10-05,Battles,Mali,14.1,-3.2,2
";
    let p = write(dir.path(), "acled-hxl.csv", text);
    let r = read(&p);
    assert_eq!(r.format, Format::Hxl);
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].source_id, "MLI1");
}

#[test]
fn rows_and_files_without_a_place_or_date() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\
Date,Country,Lat,Lon
#date,#country+name,#geo+lat,#geo+lon
2023-10-01,Atlantis,,
2023-10-01,Atlantis,12.5,-1.5
yesterday,Mali,,
";
    let p = write(dir.path(), "places.csv", text);
    let r = read(&p);
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].place.country, None);
    assert_eq!(r.events[0].extra["country"], serde_json::json!("Atlantis"));
    let f = p.display();
    let msgs = r.reject_messages();
    assert_eq!(
        msgs,
        [
            format!("{f}:3: column '#country+name': \"Atlantis\" is not a known country, and the row has no coordinates"),
            format!("{f}:5: column '#date': \"yesterday\" is not a date (expected YYYY-MM-DD)"),
        ]
    );

    let p = write(
        dir.path(),
        "nodate.csv",
        "Place,Killed\n#loc+name,#affected+killed\nGao,1\n",
    );
    match open_err(&p) {
        FileError::MissingColumns {
            missing, format, ..
        } => {
            assert_eq!(format, "HXL");
            assert_eq!(
                missing,
                [
                    "#date",
                    "#country+code, #country+name or #geo+lat with #geo+lon"
                ]
            );
        }
        other => panic!("{other}"),
    }
}

#[test]
fn forcing_hxl_on_a_file_without_hashtags() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "plain.csv", "a,b\n1,2\n");
    match open_err_with(&p, &forced(Format::Hxl)) {
        FileError::UnknownFormat { reason, .. } => assert!(reason.contains("hashtags"), "{reason}"),
        e => panic!("{e}"),
    }
}

#[test]
fn hxl_with_semicolons_is_a_wrong_delimiter() {
    let text = "Date;Country\n#date;#country+code\n2023-10-01;MLI\n";
    let e = error_of("semi.csv", text);
    assert!(matches!(e, FileError::WrongDelimiter { .. }), "{e}");
}

#[test]
fn short_hashtag_row_and_utf16() {
    let dir = tempfile::tempdir().unwrap();
    // The editor left the last columns untagged (and cut the row short).
    let text =
        "Date,Country,Notes,Source\n#date,#country+code\n2023-10-01,MLI,some notes,a paper\n";
    let p = write(dir.path(), "short.csv", text);
    let r = read(&p);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    assert_eq!(r.events.len(), 1);

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("a,b\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let p = write(dir.path(), "utf16.csv", utf16);
    match open_err(&p) {
        FileError::UnknownFormat { reason, .. } => assert!(reason.contains("UTF-16"), "{reason}"),
        other => panic!("{other}"),
    }
}
