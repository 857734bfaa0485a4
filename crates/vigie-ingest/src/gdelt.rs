//! GDELT event files, 1.0 and 2.0: machine-coded events from news, filtered to the CAMEO
//! root codes of material conflict and mapped to events located by their action geography.

use chrono::NaiveDate;
use serde_json::{Map, Value};
use vigie_core::{
    country, Actor, Event, Fatalities, LocationPrecision, Period, Place, Source, ViolenceCategory,
};

use crate::fields::{json_scalar, parse_date, Col, Columns, Fields};
use crate::{Options, Reject};

/// The GDELT 2.0 event columns, in order: 1.0's with an `ADM2Code` after each `ADM1Code`,
/// and `SOURCEURL` at the end.
pub(crate) const GDELT2_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The GDELT 1.0 event columns, in order, as in the historical backfiles (up to March 2013):
/// 2.0's without the `ADM2Code`s and `SOURCEURL`. The 1.0 daily files since April 2013 add
/// `SOURCEURL` as a 58th column; re-saved samples (such as
/// `gdelt1_conflict_westafrica_1997.csv`) often carry it too.
pub(crate) const GDELT1_COLUMNS: [&str; 57] = gdelt1_columns();

const fn gdelt1_columns() -> [&'static str; 57] {
    let mut out = [""; 57];
    let (mut i, mut n) = (0, 0);
    while i < GDELT2_COLUMNS.len() {
        let c = GDELT2_COLUMNS[i];
        if !ends_with(c, "_ADM2Code") && !ends_with(c, "SOURCEURL") {
            out[n] = c;
            n += 1;
        }
        i += 1;
    }
    assert!(
        n == out.len(),
        "GDELT 2.0 is 1.0 plus three ADM2 codes and SOURCEURL"
    );
    out
}

const fn ends_with(s: &str, suffix: &str) -> bool {
    let (s, suffix) = (s.as_bytes(), suffix.as_bytes());
    if s.len() < suffix.len() {
        return false;
    }
    let mut i = 0;
    while i < suffix.len() {
        if s[s.len() - suffix.len() + i] != suffix[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The columns without which a GDELT file can't be read: the id, the date, the CAMEO codes
/// (the filter and the category) and the action geography (where the event happened; the
/// geo type says whether the coordinates mean anything). All are in 1.0 and 2.0.
pub(crate) const REQUIRED: &[&str] = &[
    "GLOBALEVENTID",
    "SQLDATE",
    "EventCode",
    "EventRootCode",
    "ActionGeo_Type",
    "ActionGeo_CountryCode",
    "ActionGeo_Lat",
    "ActionGeo_Long",
];

/// Copied into `extra` as text when present.
const EXTRA_TEXT: [&str; 4] = [
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "EventBaseCode",
    "SOURCEURL",
];
/// Copied into `extra` as numbers when present.
const EXTRA_NUMBERS: [&str; 7] = [
    "IsRootEvent",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
];

/// CAMEO actor-type codes of state actors: government, military, police, intelligence.
const STATE_TYPES: [&[u8]; 4] = [b"GOV", b"MIL", b"COP", b"SPY"];

/// The GDELT columns of one file, resolved once, so that mapping a row looks nothing up by
/// name.
pub(crate) struct Gdelt {
    root: Col,
    id: Col,
    sqldate: Col,
    event_code: Col,
    geo_type: Col,
    lat: Col,
    lon: Col,
    country: Col,
    full_name: Col,
    actor1_code: Col,
    actor2_code: Col,
    actor1_name: Col,
    actor2_name: Col,
    actor_types: [Col; 6],
    date_added: Col,
    extra_text: [(&'static str, Col); EXTRA_TEXT.len()],
    extra_numbers: [(&'static str, Col); EXTRA_NUMBERS.len()],
}

impl Gdelt {
    pub(crate) fn new(columns: &Columns) -> Self {
        Gdelt {
            root: columns.get("EventRootCode"),
            id: columns.get("GLOBALEVENTID"),
            sqldate: columns.get("SQLDATE"),
            event_code: columns.get("EventCode"),
            geo_type: columns.get("ActionGeo_Type"),
            lat: columns.get("ActionGeo_Lat"),
            lon: columns.get("ActionGeo_Long"),
            country: columns.get("ActionGeo_CountryCode"),
            full_name: columns.get("ActionGeo_FullName"),
            actor1_code: columns.get("Actor1Code"),
            actor2_code: columns.get("Actor2Code"),
            actor1_name: columns.get("Actor1Name"),
            actor2_name: columns.get("Actor2Name"),
            actor_types: [
                "Actor1Type1Code",
                "Actor1Type2Code",
                "Actor1Type3Code",
                "Actor2Type1Code",
                "Actor2Type2Code",
                "Actor2Type3Code",
            ]
            .map(|name| columns.get(name)),
            date_added: columns.get("DATEADDED"),
            extra_text: EXTRA_TEXT.map(|name| (name, columns.get(name))),
            extra_numbers: EXTRA_NUMBERS.map(|name| (name, columns.get(name))),
        }
    }

    /// Maps one GDELT row; `Ok(None)` when its CAMEO root code is outside
    /// `opts.cameo_roots` (filtered, not rejected).
    pub(crate) fn to_event(&self, f: &Fields, opts: &Options) -> Result<Option<Event>, Reject> {
        // The filter first: most rows of a raw GDELT file are dropped here, cheaply.
        let root = root_code(f, self.root)?;
        if !opts.cameo_roots.contains(&root) {
            return Ok(None);
        }

        let source_id = f.required_at(self.id)?;
        let sqldate = f.required_at(self.sqldate)?;
        let date = yyyymmdd(sqldate)
            .or_else(|| parse_date(sqldate))
            .ok_or_else(|| {
                f.reject(
                    Some(f.name_of(self.sqldate)),
                    Some(sqldate),
                    "is not a date (expected YYYYMMDD)",
                )
            })?;
        let event_code = f.required_at(self.event_code)?;

        // Where: the action geography. A geo type of 0 or none is not a located place, and
        // then 0,0 coordinates are GDELT's filler for "no coordinates".
        let geo_type = f.int_at::<u8>(self.geo_type)?;
        let (mut latitude, mut longitude) = f.lat_lon_at(self.lat, self.lon)?;
        if matches!(geo_type, None | Some(0)) && latitude == Some(0.0) && longitude == Some(0.0) {
            (latitude, longitude) = (None, None);
        }
        let precision = match (latitude, longitude) {
            (Some(_), Some(_)) => geo_type.and_then(LocationPrecision::from_gdelt),
            _ => None,
        };
        let fips = f.opt_at(self.country);
        let country = fips.and_then(country::by_fips);
        let full_name = f.opt_at(self.full_name);

        // Who.
        let code1 = f.opt_at(self.actor1_code);
        let code2 = f.opt_at(self.actor2_code);
        let state_actor = code1.is_some_and(has_state_segment)
            || code2.is_some_and(has_state_segment)
            || self
                .actor_types
                .iter()
                .any(|&c| f.opt_at(c).is_some_and(|t| is_state_type(t.as_bytes())));

        let mut extra = Map::new();
        extra.insert(
            "EventCode".to_string(),
            Value::String(event_code.to_string()),
        );
        for (name, col) in self.extra_text {
            if let Some(v) = f.opt_at(col) {
                extra.insert(name.to_string(), Value::String(v.to_string()));
            }
        }
        for (name, col) in self.extra_numbers {
            if let Some(v) = f.opt_at(col) {
                extra.insert(name.to_string(), json_scalar(v));
            }
        }
        if country.is_none() {
            // A FIPS code the country table lacks: keep it so the event can be fixed up.
            if let Some(code) = fips {
                extra.insert(
                    "ActionGeo_CountryCode".to_string(),
                    Value::String(code.to_string()),
                );
            }
        }

        Ok(Some(Event {
            id: Event::stable_id(Source::Gdelt, source_id),
            source: Source::Gdelt,
            source_id: source_id.to_string(),
            source_version: f.opt_string_at(self.date_added),
            period: Period::day(date),
            place: Place {
                precision,
                source_precision: geo_type.map(i32::from),
                admin1: admin1_name(geo_type, full_name).map(str::to_string),
                location: full_name.map(str::to_string),
                ..Place::at(latitude, longitude, country)
            },
            category: ViolenceCategory::from_cameo(root, state_actor),
            source_type: event_code.to_string(),
            side_a: actor(f.opt_at(self.actor1_name), code1),
            side_b: actor(f.opt_at(self.actor2_name), code2),
            fatalities: Fatalities::default(),
            description: None,
            extra,
            provenance: f.provenance(),
            owner: opts.owner.clone(),
            marking: opts.marking,
        }))
    }
}

/// The CAMEO root code, which must be 01–20.
fn root_code(f: &Fields, c: Col) -> Result<u8, Reject> {
    let root = f.req_int_at::<u8>(c)?;
    if (1..=20).contains(&root) {
        Ok(root)
    } else {
        Err(f.bad_at(c, "is not a CAMEO root code (01 to 20)"))
    }
}

/// `YYYYMMDD` without going through a format parser.
fn yyyymmdd(v: &str) -> Option<NaiveDate> {
    let b = v.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    NaiveDate::from_ymd_opt(num(0..4) as i32, num(4..6), num(6..8))
}

/// The admin-1 name in a GDELT full name, where the geo type says there is one: the part
/// before the country in "Gao, Mali" (type 5, world ADM1; type 2, US state) and in
/// "Gao, Gao, Mali" (type 4, world city; type 3, US city; the first part is the city).
fn admin1_name(geo_type: Option<u8>, full_name: Option<&str>) -> Option<&str> {
    let min_parts = match geo_type? {
        2 | 5 => 2,
        3 | 4 => 3,
        _ => return None,
    };
    let name = full_name?;
    if name.split(',').count() < min_parts {
        return None;
    }
    let mut parts = name.rsplit(',');
    parts.next(); // the country
    parts.next().map(str::trim).filter(|s| !s.is_empty())
}

/// Whether a CAMEO actor code ("MLIMIL", "NGAGOVMIL") has a state actor-type segment.
fn has_state_segment(code: &str) -> bool {
    code.as_bytes().chunks_exact(3).any(is_state_type)
}

/// Whether a CAMEO actor-type code is GOV, MIL, COP or SPY.
fn is_state_type(t: &[u8]) -> bool {
    STATE_TYPES.iter().any(|s| t.eq_ignore_ascii_case(s))
}

fn actor(name: Option<&str>, code: Option<&str>) -> Option<Actor> {
    match (name, code) {
        (Some(n), c) => Some(Actor {
            name: n.to_string(),
            source_id: c.map(str::to_string),
        }),
        (None, Some(c)) => Some(Actor {
            name: c.to_string(),
            source_id: Some(c.to_string()),
        }),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Columns;
    use csv::StringRecord;
    use vigie_core::priogrid;

    /// The sample's columns and its first `n` records, with the line each starts on.
    fn sample(n: usize) -> (Columns, Vec<(u64, StringRecord)>) {
        let mut r = csv::Reader::from_reader(vigie_testdata::open(vigie_testdata::GDELT_SAMPLE));
        let cols = Columns::new(r.headers().unwrap().iter());
        let recs = r
            .records()
            .take(n)
            .map(|rec| rec.unwrap())
            .map(|rec| (rec.position().unwrap().line(), rec))
            .collect();
        (cols, recs)
    }

    fn map(
        cols: &Columns,
        line: u64,
        rec: &StringRecord,
        opts: &Options,
    ) -> Result<Option<Event>, Reject> {
        Gdelt::new(cols).to_event(
            &Fields {
                record: rec,
                columns: cols,
                file: "gdelt.csv",
                line,
            },
            opts,
        )
    }

    /// The sample record with this GLOBALEVENTID, with `edit` applied to it by column name.
    fn record(id: &str, edit: &[(&str, &str)]) -> (Columns, u64, StringRecord) {
        let (cols, recs) = sample(50);
        let (line, rec) = recs.into_iter().find(|(_, r)| &r[0] == id).unwrap();
        let mut fields: Vec<String> = rec.iter().map(str::to_string).collect();
        for (name, value) in edit {
            fields[cols.get(name).unwrap()] = value.to_string();
        }
        (cols, line, StringRecord::from(fields))
    }

    #[test]
    fn gdelt1_columns_match_the_sample_header() {
        let mut r = csv::Reader::from_reader(vigie_testdata::open(vigie_testdata::GDELT_SAMPLE));
        let header: Vec<&str> = r.headers().unwrap().iter().collect();
        // The sample carries the 1.0 daily files' SOURCEURL, then its own row number.
        assert_eq!(header.len(), 59);
        assert_eq!(header[..57], GDELT1_COLUMNS);
        assert_eq!(header[57..], ["SOURCEURL", "row_id"]);
        assert!(Columns::new(header.iter().copied())
            .missing(REQUIRED)
            .is_empty());
    }

    #[test]
    fn gdelt2_columns_are_gdelt1_plus_adm2_and_sourceurl() {
        let without_2_0: Vec<&str> = GDELT2_COLUMNS
            .iter()
            .copied()
            .filter(|c| !c.ends_with("_ADM2Code") && *c != "SOURCEURL")
            .collect();
        assert_eq!(without_2_0, GDELT1_COLUMNS);
        assert_eq!(GDELT2_COLUMNS[GDELT2_COLUMNS.len() - 1], "SOURCEURL");
        assert!(Columns::new(GDELT2_COLUMNS).missing(REQUIRED).is_empty());
    }

    #[test]
    fn fight_in_tripoli() {
        let (cols, line, rec) = record("18435456", &[]);
        let e = map(&cols, line, &rec, &Options::default())
            .unwrap()
            .unwrap();
        assert_eq!(e.id, Event::stable_id(Source::Gdelt, "18435456"));
        assert_eq!(e.source, Source::Gdelt);
        assert_eq!(e.source_id, "18435456");
        assert_eq!(e.source_version.as_deref(), Some("20130203"));
        assert_eq!(
            e.period,
            Period::day(NaiveDate::from_ymd_opt(1997, 1, 1).unwrap())
        );
        // Root 19 (fight) and Actor2 LBY/LIBYA, no state actor-type code.
        assert_eq!(e.category, ViolenceCategory::NonState);
        assert_eq!(e.source_type, "190");
        assert_eq!(e.side_a, None);
        assert_eq!(
            e.side_b,
            Some(Actor {
                name: "LIBYA".into(),
                source_id: Some("LBY".into())
            })
        );
        assert_eq!(e.fatalities, Fatalities::default());
        assert_eq!(e.description, None);
        let p = &e.place;
        assert_eq!((p.latitude, p.longitude), (Some(32.8925), Some(13.18)));
        assert_eq!(p.precision, Some(LocationPrecision::Near));
        assert_eq!(p.source_precision, Some(4));
        assert_eq!(p.location.as_deref(), Some("Tripoli, Tarabulus, Libya"));
        assert_eq!(p.admin1.as_deref(), Some("Tarabulus"));
        assert_eq!(p.admin2, None);
        assert_eq!(p.priogrid_gid, priogrid::gid(32.8925, 13.18));
        match country::by_fips("LY") {
            Some(c) => {
                assert_eq!(c.iso3, "LBY");
                assert_eq!(p.country.as_deref(), Some("LBY"));
                assert!(!e.extra.contains_key("ActionGeo_CountryCode"));
            }
            None => {
                assert_eq!(p.country, None);
                assert_eq!(e.extra["ActionGeo_CountryCode"], "LY");
            }
        }
        let x = &e.extra;
        assert_eq!(x["ActionGeo_ADM1Code"], "LY61");
        assert_eq!(x["EventCode"], "190");
        assert_eq!(x["EventBaseCode"], "190");
        assert_eq!(x["QuadClass"], 4);
        assert_eq!(x["GoldsteinScale"], -10);
        assert_eq!(x["NumMentions"], 3);
        assert_eq!(x["NumSources"], 1);
        assert_eq!(x["NumArticles"], 3);
        assert_eq!(x["AvgTone"], 2.95983086680761);
        assert_eq!(x["IsRootEvent"], 0);
        assert!(!x.contains_key("SOURCEURL"), "NA in the sample");
        assert_eq!(
            e.provenance,
            vigie_core::Provenance {
                batch: None,
                file: "gdelt.csv".into(),
                line: 3
            }
        );
    }

    #[test]
    fn state_actors_make_a_fight_state_based() {
        // 18435826: CAF fights MIL/ARMY, placed at the country level (Sierra Leone).
        let (cols, line, rec) = record("18435826", &[]);
        let e = map(&cols, line, &rec, &Options::default())
            .unwrap()
            .unwrap();
        assert_eq!(e.category, ViolenceCategory::StateBased);
        assert_eq!(e.place.precision, Some(LocationPrecision::Country));
        assert_eq!(e.place.location.as_deref(), Some("Sierra Leone"));
        assert_eq!(e.place.admin1, None);
        assert_eq!(
            e.side_b,
            Some(Actor {
                name: "ARMY".into(),
                source_id: Some("MIL".into())
            })
        );
        // A state segment inside a longer actor code, without type codes.
        let (cols, line, rec) = record(
            "18435456",
            &[("Actor1Code", "MLIMIL"), ("Actor1Name", "MALI")],
        );
        let e = map(&cols, line, &rec, &Options::default())
            .unwrap()
            .unwrap();
        assert_eq!(e.category, ViolenceCategory::StateBased);
        assert!(
            has_state_segment("NGAGOVMIL")
                && !has_state_segment("MLIREB")
                && !has_state_segment("XMIL")
        );
    }

    #[test]
    fn every_sample_row_maps() {
        let (cols, recs) = sample(usize::MAX);
        assert_eq!(recs.len(), 12_106);
        let opts = Options::default();
        for (line, rec) in &recs {
            let e = map(&cols, *line, rec, &opts)
                .unwrap_or_else(|r| panic!("{r}"))
                .unwrap();
            assert!(e.place.latitude.is_some());
            assert_eq!(
                e.place.country.is_none(),
                e.extra.contains_key("ActionGeo_CountryCode")
            );
        }
    }

    #[test]
    fn roots_outside_the_range_are_filtered() {
        let (cols, recs) = sample(1);
        let (line, rec) = &recs[0];
        assert_eq!(&rec[28], "17");
        let opts = Options {
            cameo_roots: 18..=20,
            ..Options::default()
        };
        assert_eq!(map(&cols, *line, rec, &opts).unwrap(), None);
        assert!(map(&cols, *line, rec, &Options::default())
            .unwrap()
            .is_some());
    }

    #[test]
    fn missing_location() {
        let na = [
            ("ActionGeo_Type", "NA"),
            ("ActionGeo_FullName", "NA"),
            ("ActionGeo_CountryCode", "NA"),
            ("ActionGeo_ADM1Code", "NA"),
            ("ActionGeo_Lat", "NA"),
            ("ActionGeo_Long", "NA"),
            ("ActionGeo_FeatureID", "NA"),
        ];
        // GDELT's "no geography" as written in the sample's actor columns: no type, 0,0.
        let zeros = [
            ("ActionGeo_Type", ""),
            ("ActionGeo_Lat", "0"),
            ("ActionGeo_Long", "0"),
        ];
        for edit in [&na[..], &zeros[..]] {
            let (cols, line, rec) = record("18435456", edit);
            let e = map(&cols, line, &rec, &Options::default())
                .unwrap()
                .unwrap();
            assert_eq!(
                (e.place.latitude, e.place.longitude, e.place.precision),
                (None, None, None)
            );
            assert_eq!(e.place.priogrid_gid, None);
            assert_eq!(e.place.admin1, None);
        }
        let (cols, line, rec) = record("18435456", &na);
        let e = map(&cols, line, &rec, &Options::default())
            .unwrap()
            .unwrap();
        assert_eq!(
            (e.place.country.as_deref(), e.place.location.as_deref()),
            (None, None)
        );
        assert!(
            !e.extra.contains_key("ActionGeo_ADM1Code")
                && !e.extra.contains_key("ActionGeo_CountryCode")
        );
    }

    #[test]
    fn bad_values_are_rejected_precisely() {
        let cases: [(&[(&str, &str)], &str); 5] = [
            (
                &[("SQLDATE", "19970231")],
                "gdelt.csv:3: column 'SQLDATE': \"19970231\" is not a date (expected YYYYMMDD)",
            ),
            (
                &[("SQLDATE", "NA")],
                "gdelt.csv:3: column 'SQLDATE': is required but empty",
            ),
            (
                &[("EventRootCode", "x9")],
                "gdelt.csv:3: column 'EventRootCode': \"x9\" is not a whole number",
            ),
            (
                &[("EventRootCode", "21")],
                "gdelt.csv:3: column 'EventRootCode': \"21\" is not a CAMEO root code (01 to 20)",
            ),
            (
                &[("ActionGeo_Long", "213.18")],
                "gdelt.csv:3: column 'ActionGeo_Long': \"213.18\" is not a longitude (-180 to 180)",
            ),
        ];
        for (edit, message) in cases {
            let (cols, line, rec) = record("18435456", edit);
            let r = map(&cols, line, &rec, &Options::default()).unwrap_err();
            assert_eq!(r.to_string(), message);
        }
    }

    #[test]
    fn admin1_from_full_names() {
        assert_eq!(admin1_name(Some(4), Some("Gao, Gao, Mali")), Some("Gao"));
        assert_eq!(admin1_name(Some(5), Some("Gao, Mali")), Some("Gao"));
        assert_eq!(
            admin1_name(Some(5), Some("Ondo State, Ondo, Nigeria")),
            Some("Ondo")
        );
        assert_eq!(
            admin1_name(Some(4), Some("Bamako, Mali")),
            None,
            "a city and its country"
        );
        assert_eq!(admin1_name(Some(1), Some("Mali")), None);
        assert_eq!(admin1_name(Some(0), Some("Baraki, Tipaza, Algeria")), None);
        assert_eq!(admin1_name(None, None), None);
    }

    #[test]
    fn sqldate_fast_path() {
        assert_eq!(yyyymmdd("19970101"), NaiveDate::from_ymd_opt(1997, 1, 1));
        assert_eq!(yyyymmdd("20240229"), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(yyyymmdd("20230229"), None);
        assert_eq!(yyyymmdd("1997010"), None);
        assert_eq!(yyyymmdd("1997-1-1"), None);
    }
}
