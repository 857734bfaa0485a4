//! UCDP GED: the real candidate release and the GED 23.1 sample.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;
use vigie_core::{DatePrecision, Event, LocationPrecision, Marking, Source, ViolenceCategory};
use vigie_ingest::{Format, Options};

use crate::common::*;

/// Gleditsch–Ward codes of the 13 West African countries.
const WEST_AFRICA_GW: [(i32, &str); 13] = [
    (434, "BEN"),
    (439, "BFA"),
    (437, "CIV"),
    (452, "GHA"),
    (438, "GIN"),
    (420, "GMB"),
    (404, "GNB"),
    (450, "LBR"),
    (432, "MLI"),
    (436, "NER"),
    (475, "NGA"),
    (433, "SEN"),
    (461, "TGO"),
];

#[test]
fn candidate_release_reads_completely() {
    let r = read(Path::new(GED_CANDIDATE));
    assert_eq!(r.format, Format::UcdpGed);
    assert_eq!(r.header.len(), 49);
    assert_eq!(r.header[0], "id");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(r.error.is_none(), "{:?}", r.error);
    r.assert_no_rejects();
    assert_eq!(r.events.len(), 2391);
    assert_eq!(r.bytes_read, r.total_bytes);
    assert_eq!(
        r.total_bytes,
        std::fs::metadata(GED_CANDIDATE).unwrap().len()
    );
    for e in &r.events {
        assert_eq!(e.source, Source::UcdpGed);
        assert_eq!(e.id, Event::stable_id(Source::UcdpGed, &e.source_id));
        assert_eq!(e.owner, vigie_core::PUBLIC_SOURCES_ORG);
        assert_eq!(e.marking, Marking::Clear);
        // The file's name, never the folders it sat in (threat: a server path shown to
        // every reader).
        assert_eq!(
            e.provenance.file,
            std::path::Path::new(GED_CANDIDATE)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
        );
        assert!(!e.provenance.file.contains('/'));
        assert!(e.place.priogrid_gid.is_some());
        assert!(e.fatalities.best.is_some());
    }
    let ids: std::collections::HashSet<_> = r.events.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), 2391);
}

#[test]
fn candidate_lines_are_where_records_start() {
    // 2,815 physical lines carry 2,391 records: source_article spans lines.
    let text = std::fs::read_to_string(GED_CANDIDATE).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2815);
    let r = read(Path::new(GED_CANDIDATE));
    let mut last = 1;
    for e in &r.events {
        let line = e.provenance.line as usize;
        assert!(line > last, "lines increase: {line} after {last}");
        last = line;
        let prefix = format!("{},{},", e.source_id, e.source_version.as_deref().unwrap());
        assert!(
            lines[line - 1].starts_with(&prefix),
            "line {line} is {:?}",
            &lines[line - 1][..40]
        );
    }
    assert_eq!(r.events.last().unwrap().provenance.line, 2815);
}

#[test]
fn candidate_west_africa_by_gw_code() {
    let r = read(Path::new(GED_CANDIDATE));
    let mut by_gw: BTreeMap<i32, usize> = BTreeMap::new();
    for e in &r.events {
        let gw = e.place.gw_id.unwrap();
        if WEST_AFRICA_GW.iter().any(|(g, _)| *g == gw) {
            *by_gw.entry(gw).or_default() += 1;
        }
    }
    let expected: BTreeMap<i32, usize> = [
        (475, 106),
        (439, 58),
        (432, 55),
        (436, 12),
        (461, 2),
        (437, 1),
    ]
    .into();
    assert_eq!(by_gw, expected);
    assert_eq!(by_gw.values().sum::<usize>(), 234);
}

/// Needs the full country table (Togo and Côte d'Ivoire are not in the placeholder).
#[test]
fn candidate_west_africa_by_iso3() {
    let r = read(Path::new(GED_CANDIDATE));
    let mut by_iso: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &r.events {
        let gw = e.place.gw_id.unwrap();
        if let Some((_, iso)) = WEST_AFRICA_GW.iter().find(|(g, _)| *g == gw) {
            assert_eq!(
                e.place.country.as_deref(),
                Some(*iso),
                "event {} (gw {gw})",
                e.source_id
            );
            *by_iso.entry(iso).or_default() += 1;
        }
    }
    let expected: BTreeMap<&str, usize> = [
        ("NGA", 106),
        ("BFA", 58),
        ("MLI", 55),
        ("NER", 12),
        ("TGO", 2),
        ("CIV", 1),
    ]
    .into();
    assert_eq!(by_iso, expected);
}

#[test]
fn candidate_event_492699() {
    let r = read(Path::new(GED_CANDIDATE));
    let e = event(&r.events, "492699");
    assert_eq!(e.id, Event::stable_id(Source::UcdpGed, "492699"));
    assert_eq!(e.source_version.as_deref(), Some("AFG-2023-3-951-96"));
    assert_eq!(e.provenance.line, 2);
    assert_eq!(
        (e.period.start, e.period.end),
        (date("2023-10-02"), date("2023-10-02"))
    );
    assert_eq!(e.period.precision, DatePrecision::Day);
    assert_eq!(e.place.latitude, Some(32.74804));
    assert_eq!(e.place.longitude, Some(68.39877));
    assert_eq!(e.place.precision, Some(LocationPrecision::Exact));
    assert_eq!(e.place.source_precision, Some(1));
    assert_eq!(e.place.priogrid_gid, Some(176897));
    assert_eq!(e.place.gw_id, Some(700));
    assert_eq!(e.place.admin1.as_deref(), Some("Paktika province"));
    assert_eq!(
        e.place.admin2.as_deref(),
        Some("Jani Khel district (Paktika)")
    );
    assert_eq!(e.place.location.as_deref(), Some("Jalalzai village"));
    assert_eq!(e.category, ViolenceCategory::OneSided);
    assert_eq!(e.source_type, "3");
    let a = e.side_a.as_ref().unwrap();
    assert_eq!(
        (a.name.as_str(), a.source_id.as_deref()),
        ("Government of Afghanistan", Some("130"))
    );
    let b = e.side_b.as_ref().unwrap();
    assert_eq!(
        (b.name.as_str(), b.source_id.as_deref()),
        ("Civilians", Some("1"))
    );
    assert_eq!(
        (e.fatalities.best, e.fatalities.low, e.fatalities.high),
        (Some(1), Some(1), Some(1))
    );
    assert!(e
        .description
        .as_deref()
        .unwrap()
        .starts_with("Brutal Taliban Attack Claims the Life"));
    assert_eq!(
        e.extra["conflict_name"],
        json!("Government of Afghanistan - Civilians")
    );
    assert_eq!(e.extra["active_year"], json!(true));
    assert_eq!(e.extra["code_status"], json!("Clear"));
    assert_eq!(e.extra["event_clarity"], json!(1));
    assert_eq!(e.extra["number_of_sources"], json!(1));
    assert_eq!(e.extra["deaths_civilians"], json!(1));
    assert_eq!(e.extra["deaths_a"], json!(0));
    assert_eq!(e.extra["region"], json!("Asia"));
    assert_eq!(
        e.extra["where_description"],
        json!("village of Jalal-Zai, Jani Khel district, Paktika")
    );
    assert_eq!(
        e.extra["source_original"],
        json!("Local sources in Paktika; witnesses")
    );
    assert!(!e.extra.contains_key("source_article"));
}

#[test]
fn candidate_mali_event_493686() {
    let r = read(Path::new(GED_CANDIDATE));
    let e = event(&r.events, "493686");
    assert_eq!(e.source_version.as_deref(), Some("MLI-2023-3-921-15"));
    assert_eq!(
        (e.period.start, e.period.end, e.period.precision),
        (date("2023-10-05"), date("2023-10-05"), DatePrecision::Day)
    );
    assert_eq!(
        (e.place.latitude, e.place.longitude),
        (Some(17.792742), Some(0.010754))
    );
    assert_eq!(e.place.precision, Some(LocationPrecision::Exact));
    assert_eq!(e.place.priogrid_gid, Some(155161));
    assert_eq!(e.place.gw_id, Some(432));
    assert_eq!(e.place.country.as_deref(), Some("MLI"));
    assert_eq!(e.place.views_id, Some(50));
    assert_eq!(e.place.admin1.as_deref(), Some("Gao region"));
    assert_eq!(e.place.admin2.as_deref(), Some("Bourem cercle"));
    assert_eq!(e.place.location.as_deref(), Some("Ersan village"));
    assert_eq!(
        (e.fatalities.best, e.fatalities.low, e.fatalities.high),
        (Some(17), Some(17), Some(17))
    );
    assert_eq!(e.category, ViolenceCategory::OneSided);
    assert_eq!(e.side_a.as_ref().unwrap().name, "Government of Mali");
    assert_eq!(e.side_a.as_ref().unwrap().source_id.as_deref(), Some("72"));
    assert_eq!(e.side_b.as_ref().unwrap().name, "Civilians");

    // A Mali event with a range of fatalities.
    let e = event(&r.events, "493973");
    assert_eq!(
        (e.fatalities.best, e.fatalities.low, e.fatalities.high),
        (Some(0), Some(0), Some(3))
    );
    assert_eq!(e.place.location.as_deref(), Some("Tabankort village"));
}

#[test]
fn sample_1000_reads_completely() {
    let r = read(Path::new(GED_SAMPLE));
    assert_eq!(r.format, Format::UcdpGed);
    assert!(r.error.is_none(), "{:?}", r.error);
    r.assert_no_rejects();
    assert_eq!(r.events.len(), 1000);
    // `active_year` is 1/0 here.
    assert!(r.events.iter().all(|e| e.extra["active_year"].is_boolean()));
    assert_eq!(
        r.events
            .iter()
            .filter(|e| e.extra["active_year"] == json!(true))
            .count(),
        970
    );

    let e = event(&r.events, "300380");
    assert_eq!(e.place.gw_id, Some(652));
    assert_eq!(
        (e.period.start, e.period.end),
        (date("2013-01-03"), date("2013-01-03"))
    );
    assert_eq!(e.fatalities.best, Some(2));
    assert_eq!(e.place.priogrid_gid, Some(181154));
    assert_eq!(e.category, ViolenceCategory::StateBased);
    assert_eq!(
        e.extra["dyad_name"],
        json!("Government of Syria - Syrian insurgents")
    );

    let e = event(&r.events, "21300");
    assert_eq!(e.place.gw_id, Some(540));
    assert_eq!(
        (e.period.start, e.period.end),
        (date("1989-05-10"), date("1989-05-16"))
    );
    assert_eq!(e.period.precision, DatePrecision::Week);
    assert_eq!(e.fatalities.best, Some(14));
    assert_eq!(e.place.precision, Some(LocationPrecision::Admin1));
    assert_eq!(e.place.source_precision, Some(4));
    assert_eq!(e.place.admin2, None);
    assert_eq!(e.extra["number_of_sources"], json!(-1));
    // No headline: the article is the description.
    assert_eq!(
        e.description.as_deref(),
        Some("Reuters 1989-05-17 \"ANGOLAN UNITA REBELS BLOW UP POWER LINES DURING PEACE SUMMIT")
    );

    // Mali, 2018: admin-1 precision, no admin-2.
    let e = event(&r.events, "256789");
    assert_eq!(e.place.country.as_deref(), Some("MLI"));
    assert_eq!(
        (e.place.latitude, e.place.longitude),
        (Some(14.666667), Some(-4.0))
    );
    assert_eq!(e.place.admin1.as_deref(), Some("Mopti region"));
    assert_eq!(e.place.admin2, None);
    assert_eq!(e.side_b.as_ref().unwrap().name, "JNIM");
}

/// The release form (`2023-10-02 00:00:00.000`, `true`) and the R form (`2023-10-02`, `1`)
/// of the same rows give the same events.
#[test]
fn both_file_forms_give_identical_events() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = records(GED_CANDIDATE, 300);
    let release = write(dir.path(), "release.csv", csv_text(&header, &rows, b','));
    let r_form: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            for name in ["date_start", "date_end"] {
                let i = header.iter().position(|h| h == name).unwrap();
                r[i].truncate(10);
            }
            let i = header.iter().position(|h| h == "active_year").unwrap();
            r[i] = if r[i] == "true" {
                "1".into()
            } else {
                "0".into()
            };
            r
        })
        .collect();
    let converted = write(
        dir.path(),
        "converted.csv",
        csv_text(&header, &r_form, b','),
    );
    let a = read(&release);
    let b = read(&converted);
    assert_eq!(a.events.len(), 300);
    assert_eq!(b.events.len(), 300);
    assert_same_but_file(&a.events, &b.events);
}

#[test]
fn options_set_owner_and_marking() {
    let dir = tempfile::tempdir().unwrap();
    let p = ged_file(dir.path(), "g.csv", 3, |_, _, _| {});
    let opts = Options {
        owner: "ngo-x".into(),
        marking: Marking::Amber,
        ..Options::default()
    };
    let r = read_with(&p, &opts);
    assert_eq!(r.events.len(), 3);
    assert!(r
        .events
        .iter()
        .all(|e| e.owner == "ngo-x" && e.marking == Marking::Amber));
    assert!(r
        .events
        .iter()
        .all(|e| e.provenance.file == p.file_name().unwrap().to_str().unwrap()));
}

#[test]
fn a_count_above_the_most_one_event_may_record_is_rejected() {
    // A value that would overflow the store's totals (i64::MAX), and one just above the
    // limit; the limit itself is kept.
    let dir = tempfile::tempdir().unwrap();
    let p = ged_file(dir.path(), "g.csv", 4, |i, h, r| match i {
        0 => set(h, r, "best", "9223372036854775807"),
        1 => {
            set(h, r, "high", "10000001");
        }
        2 => {
            set(h, r, "best", "10000000");
            set(h, r, "high", "10000000");
        }
        _ => {}
    });
    let r = read(&p);
    assert_eq!(r.events.len(), 2, "{:?}", r.rejects);
    assert_eq!(r.events[0].fatalities.best, Some(10_000_000));
    let msgs = r.reject_messages();
    let f = p.display();
    assert_eq!(
        msgs,
        [
            format!(
                "{f}:2: column 'best': \"9223372036854775807\" is above 10000000, the most one event may record"
            ),
            format!(
                "{f}:3: column 'high': \"10000001\" is above 10000000, the most one event may record"
            ),
        ]
    );
}

#[test]
fn a_row_holding_a_nul_byte_is_rejected_naming_its_column() {
    // PostgreSQL's text cannot hold NUL (SQLite would keep it): refused before any store.
    let dir = tempfile::tempdir().unwrap();
    let p = ged_file(dir.path(), "g.csv", 3, |i, h, r| {
        if i == 1 {
            set(h, r, "adm_1", "Kab\0ul province");
        }
    });
    let r = read(&p);
    assert_eq!(r.events.len(), 2, "{:?}", r.rejects);
    let msgs = r.reject_messages();
    assert_eq!(
        msgs,
        [format!(
            "{}:3: column 'adm_1': \"Kab\\0ul province\" holds a NUL byte",
            p.display()
        )]
    );
}

#[test]
fn ged_lenient_and_strict_values() {
    let dir = tempfile::tempdir().unwrap();
    let p = ged_file(dir.path(), "g.csv", 8, |i, h, r| match i {
        // Empty priogrid: computed from the coordinates.
        0 => set(h, r, "priogrid_gid", ""),
        // Header-case and float-formatted ids.
        1 => set(h, r, "id", "495225.0"),
        // low > best happens in real releases: kept.
        2 => {
            set(h, r, "low", "5");
            set(h, r, "best", "4");
        }
        3 => set(h, r, "type_of_violence", "4"),
        4 => set(h, r, "best", "-1"),
        5 => set(h, r, "active_year", "maybe"),
        6 => set(h, r, "date_end", "2023-09-01"),
        7 => set(h, r, "where_prec", "9"),
        _ => {}
    });
    let r = read(&p);
    assert_eq!(r.events.len(), 3, "{:?}", r.rejects);
    assert_eq!(r.events[0].place.priogrid_gid, Some(176897));
    assert_eq!(r.events[1].source_id, "495225");
    assert_eq!(r.events[1].id, Event::stable_id(Source::UcdpGed, "495225"));
    assert_eq!(
        (r.events[2].fatalities.low, r.events[2].fatalities.best),
        (Some(5), Some(4))
    );
    let msgs = r.reject_messages();
    let f = p.display();
    assert_eq!(
        msgs[0],
        format!(
            "{f}:5: column 'type_of_violence': \"4\" is not a UCDP type of violence (1, 2 or 3)"
        )
    );
    assert_eq!(msgs[1], format!("{f}:6: column 'best': \"-1\" is negative"));
    assert_eq!(
        msgs[2],
        format!("{f}:7: column 'active_year': \"maybe\" is not true or false")
    );
    assert_eq!(
        msgs[3],
        format!("{f}:8: column 'date_end': \"2023-09-01\" is before date_start (2023-10-13)")
    );
    assert_eq!(
        msgs[4],
        format!("{f}:9: column 'where_prec': \"9\" is not a UCDP location precision (1 to 7)")
    );
}
