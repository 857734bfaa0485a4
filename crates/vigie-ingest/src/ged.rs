//! UCDP GED rows (yearly releases and monthly candidate files, 49 columns) → events.

use chrono::NaiveDate;
use serde_json::{Map, Value};
use vigie_core::country::{self, Country};
use vigie_core::{
    Actor, DatePrecision, Event, Fatalities, LocationPrecision, Marking, Period, Place, Source,
    ViolenceCategory,
};

use crate::fields::{parse_whole, Col, Columns, Fields};
use crate::{Options, Reject};

/// The columns a GED file must have (names in lower case; the reader lower-cases the
/// header). The others are read when present: older releases lack some (`relid`, …).
pub(crate) const REQUIRED: &[&str] = &[
    "id",
    "type_of_violence",
    "latitude",
    "longitude",
    "country_id",
    "date_start",
    "date_end",
    "best",
];

/// What kind of value an `extra` column holds.
#[derive(Clone, Copy)]
enum Extra {
    Text,
    /// A whole number (`number_of_sources` is -1 in some releases).
    Int,
    /// A whole number that may not be negative.
    Count,
    /// `true`/`false` or `1`/`0`.
    Bool,
}

/// The columns copied into `extra` when present and not empty, in key order.
const EXTRA_KEYS: [(&str, Extra); 15] = [
    ("active_year", Extra::Bool),
    ("code_status", Extra::Text),
    ("conflict_name", Extra::Text),
    ("deaths_a", Extra::Count),
    ("deaths_b", Extra::Count),
    ("deaths_civilians", Extra::Count),
    ("deaths_unknown", Extra::Count),
    ("dyad_name", Extra::Text),
    ("event_clarity", Extra::Int),
    ("number_of_sources", Extra::Int),
    ("region", Extra::Text),
    ("source_date", Extra::Text),
    ("source_office", Extra::Text),
    ("source_original", Extra::Text),
    ("where_description", Extra::Text),
];

/// An `extra` column resolved.
#[derive(Clone, Copy)]
enum ExtraCol {
    Text(Col),
    Int(Col),
    Count(Col),
    Bool(Col),
}

/// Column indices, resolved once per file.
struct Cols {
    id: Col,
    relid: Col,
    type_of_violence: Col,
    side_a: Col,
    side_a_new_id: Col,
    side_b: Col,
    side_b_new_id: Col,
    where_prec: Col,
    where_coordinates: Col,
    adm_1: Col,
    adm_2: Col,
    latitude: Col,
    longitude: Col,
    priogrid_gid: Col,
    country: Col,
    country_id: Col,
    date_prec: Col,
    date_start: Col,
    date_end: Col,
    best: Col,
    low: Col,
    high: Col,
    source_headline: Col,
    source_article: Col,
    extra: [(&'static str, ExtraCol); EXTRA_KEYS.len()],
}

/// The GED mapper.
pub(crate) struct Ged {
    c: Cols,
    owner: String,
    marking: Marking,
    /// The last country looked up: GED files come sorted by country.
    last_country: Option<(Option<u16>, String, Option<&'static Country>)>,
}

impl Ged {
    pub(crate) fn new(columns: &Columns, opts: &Options) -> Self {
        let g = |n: &str| columns.get(n);
        let c = Cols {
            id: g("id"),
            relid: g("relid"),
            type_of_violence: g("type_of_violence"),
            side_a: g("side_a"),
            side_a_new_id: g("side_a_new_id"),
            side_b: g("side_b"),
            side_b_new_id: g("side_b_new_id"),
            where_prec: g("where_prec"),
            where_coordinates: g("where_coordinates"),
            adm_1: g("adm_1"),
            adm_2: g("adm_2"),
            latitude: g("latitude"),
            longitude: g("longitude"),
            priogrid_gid: g("priogrid_gid"),
            country: g("country"),
            country_id: g("country_id"),
            date_prec: g("date_prec"),
            date_start: g("date_start"),
            date_end: g("date_end"),
            best: g("best"),
            low: g("low"),
            high: g("high"),
            source_headline: g("source_headline"),
            source_article: g("source_article"),
            extra: EXTRA_KEYS.map(|(key, kind)| {
                let col = g(key);
                let col = match kind {
                    Extra::Text => ExtraCol::Text(col),
                    Extra::Int => ExtraCol::Int(col),
                    Extra::Count => ExtraCol::Count(col),
                    Extra::Bool => ExtraCol::Bool(col),
                };
                (key, col)
            }),
        };
        Ged {
            c,
            owner: opts.owner.clone(),
            marking: opts.marking,
            last_country: None,
        }
    }

    pub(crate) fn map(&mut self, f: &Fields) -> Result<Event, Reject> {
        let c = &self.c;

        let id = f.required_at(c.id)?;
        // "300380" and "300380.0" (spreadsheet round trips) are the same event.
        let source_id = if id.bytes().all(|b| b.is_ascii_digit()) {
            id.to_string()
        } else {
            parse_whole(id).map_or_else(|| id.to_string(), |n| n.to_string())
        };

        let tov = f.req_int_at::<i64>(c.type_of_violence)?;
        let category = ucdp_code(
            f,
            c.type_of_violence,
            tov,
            ViolenceCategory::from_ged,
            "is not a UCDP type of violence (1, 2 or 3)",
        )?;
        let source_type = match category {
            ViolenceCategory::StateBased => "1",
            ViolenceCategory::NonState => "2",
            _ => "3",
        };

        let period = self.period(f)?;
        let c = &self.c;

        let (latitude, longitude) = f.lat_lon_at(c.latitude, c.longitude)?;
        let where_prec = f.int_at::<i64>(c.where_prec)?;
        let precision = where_prec
            .map(|p| {
                ucdp_code(
                    f,
                    c.where_prec,
                    p,
                    LocationPrecision::from_ged,
                    "is not a UCDP location precision (1 to 7)",
                )
            })
            .transpose()?;
        let cell = match f.int_at::<i32>(c.priogrid_gid)? {
            Some(g) if !(1..=259_200).contains(&g) => {
                return Err(f.bad_at(c.priogrid_gid, "is not a PRIO-GRID cell (1 to 259200)"))
            }
            cell => cell,
        };

        let gw = f.int_at::<i64>(c.country_id)?;
        let country = self.country(gw, f.str_at(self.c.country));
        let located = Place::at(latitude, longitude, country);
        let c = &self.c;

        let fatalities = Fatalities {
            best: f.count_at(c.best)?,
            low: f.count_at(c.low)?,
            high: f.count_at(c.high)?,
        };

        // Built in key order and collected at once: much cheaper than one insert per key.
        let mut extra: Vec<(String, Value)> = Vec::with_capacity(EXTRA_KEYS.len());
        for (key, col) in &c.extra {
            let value = match col {
                ExtraCol::Text(col) => f.opt_at(*col).map(|v| Value::String(v.to_string())),
                ExtraCol::Int(col) => f.int_at::<i64>(*col)?.map(Value::from),
                ExtraCol::Count(col) => f.count_at(*col)?.map(Value::from),
                ExtraCol::Bool(col) => f.bool_at(*col)?.map(Value::Bool),
            };
            if let Some(v) = value {
                extra.push((key.to_string(), v));
            }
        }
        let extra: Map<String, Value> = extra.into_iter().collect();

        let description = f
            .opt_at(c.source_headline)
            .or_else(|| f.opt_at(c.source_article))
            .map(str::to_string);
        let actor = |name: Col, id: Col| {
            f.opt_at(name).map(|n| Actor {
                name: n.to_string(),
                source_id: f.opt_string_at(id),
            })
        };

        Ok(Event {
            id: Event::stable_id(Source::UcdpGed, &source_id),
            source: Source::UcdpGed,
            source_id,
            source_version: f.opt_string_at(c.relid),
            period,
            place: Place {
                precision,
                source_precision: where_prec.and_then(|p| i32::try_from(p).ok()),
                // The file's own codes: its cell, and its Gleditsch–Ward code even when the
                // country table lacks it.
                gw_id: gw.and_then(|g| i32::try_from(g).ok()),
                priogrid_gid: cell.or(located.priogrid_gid),
                admin1: f.opt_string_at(c.adm_1),
                admin2: f.opt_string_at(c.adm_2),
                location: f.opt_string_at(c.where_coordinates),
                ..located
            },
            category,
            source_type: source_type.to_string(),
            side_a: actor(c.side_a, c.side_a_new_id),
            side_b: actor(c.side_b, c.side_b_new_id),
            fatalities,
            description,
            extra,
            provenance: f.provenance(),
            owner: self.owner.clone(),
            marking: self.marking,
        })
    }

    /// `date_start`–`date_end` and `date_prec`. Without a `date_prec`, the precision follows
    /// from the length of the range.
    fn period(&self, f: &Fields) -> Result<Period, Reject> {
        let c = &self.c;
        let start = f.date_at(c.date_start)?;
        let end = f.opt_date_at(c.date_end)?.unwrap_or(start);
        if end < start {
            return Err(f.bad_at(
                c.date_end,
                format!("is before {} ({start})", f.name_of(c.date_start)),
            ));
        }
        let precision = match f.int_at::<i64>(c.date_prec)? {
            Some(p) => ucdp_code(
                f,
                c.date_prec,
                p,
                DatePrecision::from_ged,
                "is not a UCDP date precision (1 to 5)",
            )?,
            None => precision_of_span(start, end),
        };
        Ok(Period {
            start,
            end,
            precision,
        })
    }

    /// The country by Gleditsch–Ward code, else by name; remembers the last answer.
    fn country(&mut self, gw: Option<i64>, name: &str) -> Option<&'static Country> {
        let gw = gw.and_then(|g| u16::try_from(g).ok());
        if let Some((last_gw, last_name, found)) = &self.last_country {
            if *last_gw == gw && last_name == name {
                return *found;
            }
        }
        let found = gw.and_then(country::by_gw).or_else(|| {
            if name.is_empty() {
                None
            } else {
                country::by_name(name)
            }
        });
        self.last_country = Some((gw, name.to_string(), found));
        found
    }
}

/// A UCDP code (`value`, read from column `c`) as `from` reads it, or a reject naming the
/// column and its value and saying `expected`.
fn ucdp_code<T>(
    f: &Fields,
    c: Col,
    value: i64,
    from: fn(u8) -> Option<T>,
    expected: &str,
) -> Result<T, Reject> {
    u8::try_from(value)
        .ok()
        .and_then(from)
        .ok_or_else(|| f.bad_at(c, expected))
}

fn precision_of_span(start: NaiveDate, end: NaiveDate) -> DatePrecision {
    match (end - start).num_days() {
        0 => DatePrecision::Day,
        1..=5 => DatePrecision::Days,
        6..=13 => DatePrecision::Week,
        14..=61 => DatePrecision::Month,
        _ => DatePrecision::Year,
    }
}
