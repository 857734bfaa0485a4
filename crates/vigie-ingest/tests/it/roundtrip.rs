//! Property: random values written into a GED-layout CSV (quotes, commas, line breaks and
//! non-ASCII text included) come back as written.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use vigie_core::{DatePrecision, Event, LocationPrecision, Source, ViolenceCategory};
use vigie_ingest::{Format, Options};

use crate::common::*;

#[derive(Debug, Clone)]
struct GedRow {
    id: u32,
    relid: String,
    type_of_violence: u8,
    side_a: String,
    side_a_id: u32,
    side_b: String,
    conflict_name: String,
    headline: String,
    article: String,
    where_prec: u8,
    location: String,
    adm_1: String,
    latitude: f64,
    longitude: f64,
    priogrid_given: bool,
    country_id: u16,
    date_prec: u8,
    start: NaiveDate,
    days: i64,
    long_dates: bool,
    active_year: &'static str,
    best: i64,
    low: i64,
    high: i64,
}

/// Text with the characters that need quoting, line breaks, and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,;\"'\n\r\t#àéÉ€🙂-]{0,30}"
}

fn row() -> impl Strategy<Value = GedRow> {
    (
        (
            1u32..10_000_000,
            text(),
            1u8..=3,
            text(),
            0u32..100_000,
            text(),
            text(),
            text(),
            text(),
        ),
        (
            1u8..=7,
            text(),
            text(),
            -90.0f64..=90.0,
            -180.0f64..=180.0,
            any::<bool>(),
            1u16..1000,
        ),
        (
            1u8..=5,
            0i64..20_000,
            0i64..40,
            any::<bool>(),
            prop::sample::select(vec!["true", "false", "1", "0", "TRUE", "FALSE"]),
        ),
        (0i64..1_000_000, 0i64..1_000_000, 0i64..1_000_000),
    )
        .prop_map(|(a, b, c, d)| GedRow {
            id: a.0,
            relid: a.1,
            type_of_violence: a.2,
            side_a: a.3,
            side_a_id: a.4,
            side_b: a.5,
            conflict_name: a.6,
            headline: a.7,
            article: a.8,
            where_prec: b.0,
            location: b.1,
            adm_1: b.2,
            latitude: b.3,
            longitude: b.4,
            priogrid_given: b.5,
            country_id: b.6,
            date_prec: c.0,
            start: NaiveDate::from_ymd_opt(1989, 1, 1).unwrap() + Duration::days(c.1),
            days: c.2,
            long_dates: c.3,
            active_year: c.4,
            best: d.0,
            low: d.1,
            high: d.2,
        })
}

impl GedRow {
    fn end(&self) -> NaiveDate {
        self.start + Duration::days(self.days)
    }

    fn record(&self, header: &[String]) -> Vec<String> {
        let date = |d: NaiveDate| {
            if self.long_dates {
                format!("{d} 00:00:00.000")
            } else {
                d.to_string()
            }
        };
        let gid = vigie_core::priogrid::gid(self.latitude, self.longitude).unwrap();
        header
            .iter()
            .map(|h| match h.as_str() {
                "id" => self.id.to_string(),
                "relid" => self.relid.clone(),
                "year" => "2000".into(),
                "active_year" => self.active_year.into(),
                "type_of_violence" => self.type_of_violence.to_string(),
                "side_a" => self.side_a.clone(),
                "side_a_new_id" => self.side_a_id.to_string(),
                "side_b" => self.side_b.clone(),
                "conflict_name" => self.conflict_name.clone(),
                "source_headline" => self.headline.clone(),
                "source_article" => self.article.clone(),
                "where_prec" => self.where_prec.to_string(),
                "where_coordinates" => self.location.clone(),
                "adm_1" => self.adm_1.clone(),
                "latitude" => self.latitude.to_string(),
                "longitude" => self.longitude.to_string(),
                "priogrid_gid" if self.priogrid_given => gid.to_string(),
                "country_id" => self.country_id.to_string(),
                "date_prec" => self.date_prec.to_string(),
                "date_start" => date(self.start),
                "date_end" => date(self.end()),
                "best" => self.best.to_string(),
                "low" => self.low.to_string(),
                "high" => self.high.to_string(),
                "event_clarity" | "number_of_sources" | "deaths_a" | "deaths_b"
                | "deaths_civilians" | "deaths_unknown" => "1".into(),
                _ => String::new(),
            })
            .collect()
    }

    fn check(&self, e: &Event) -> Result<(), TestCaseError> {
        /// What the reader makes of a text value: trimmed, and empty/NA/NULL is none.
        fn opt(s: &str) -> Option<String> {
            let t = s.trim();
            (!(t.is_empty() || t == "NA" || t == "NULL")).then(|| t.to_string())
        }
        prop_assert_eq!(&e.source_id, &self.id.to_string());
        prop_assert_eq!(
            e.id,
            Event::stable_id(Source::UcdpGed, &self.id.to_string())
        );
        prop_assert_eq!(e.source_version.clone(), opt(&self.relid));
        prop_assert_eq!(
            e.category,
            ViolenceCategory::from_ged(self.type_of_violence).unwrap()
        );
        prop_assert_eq!(e.side_a.as_ref().map(|a| a.name.clone()), opt(&self.side_a));
        if let Some(a) = &e.side_a {
            prop_assert_eq!(a.source_id.clone(), Some(self.side_a_id.to_string()));
        }
        prop_assert_eq!(e.side_b.as_ref().map(|a| a.name.clone()), opt(&self.side_b));
        prop_assert_eq!(
            e.description.clone(),
            opt(&self.headline).or(opt(&self.article))
        );
        prop_assert_eq!(
            e.extra
                .get("conflict_name")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            opt(&self.conflict_name)
        );
        prop_assert_eq!(e.place.location.clone(), opt(&self.location));
        prop_assert_eq!(e.place.admin1.clone(), opt(&self.adm_1));
        prop_assert_eq!(e.place.latitude, Some(self.latitude));
        prop_assert_eq!(e.place.longitude, Some(self.longitude));
        prop_assert_eq!(
            e.place.priogrid_gid,
            vigie_core::priogrid::gid(self.latitude, self.longitude)
        );
        prop_assert_eq!(
            e.place.precision,
            LocationPrecision::from_ged(self.where_prec)
        );
        prop_assert_eq!(e.place.gw_id, Some(i32::from(self.country_id)));
        prop_assert_eq!(e.period.start, self.start);
        prop_assert_eq!(e.period.end, self.end());
        prop_assert_eq!(
            e.period.precision,
            DatePrecision::from_ged(self.date_prec).unwrap()
        );
        let active = matches!(self.active_year, "true" | "1" | "TRUE");
        prop_assert_eq!(
            e.extra.get("active_year").and_then(|v| v.as_bool()),
            Some(active)
        );
        prop_assert_eq!(
            (e.fatalities.best, e.fatalities.low, e.fatalities.high),
            (Some(self.best), Some(self.low), Some(self.high))
        );
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn ged_values_round_trip(rows in prop::collection::vec(row(), 1..12), crlf in any::<bool>()) {
        let (header, _) = records(GED_CANDIDATE, 0);
        let records: Vec<Vec<String>> = rows.iter().map(|r| r.record(&header)).collect();
        let mut w = csv::WriterBuilder::new()
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_writer(Vec::new());
        w.write_record(&header).unwrap();
        for r in &records {
            w.write_record(r).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        let reader = vigie_ingest::open_bytes("prop.csv", bytes, &Options::default()).unwrap();
        prop_assert_eq!(reader.format(), Format::UcdpGed);
        let got = collect(reader);
        prop_assert!(got.error.is_none(), "{:?}", got.error);
        prop_assert!(got.rejects.is_empty(), "{:?}", got.rejects);
        prop_assert_eq!(got.events.len(), rows.len());
        for (r, e) in rows.iter().zip(&got.events) {
            r.check(e)?;
        }
    }
}
