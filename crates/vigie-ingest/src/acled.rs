//! ACLED CSV exports: the standard export (one row per event, both actors on it) and the
//! older monadic/"dyadic" exports (one row per actor, the event repeated on two rows, which
//! the reader folds together with [`merge`]).
//!
//! No ACLED data may be committed: the tests below generate their rows.

use serde_json::{Map, Value};
use vigie_core::country;
use vigie_core::{
    Actor, DatePrecision, Event, Fatalities, LocationPrecision, Period, Place, Source,
    ViolenceCategory,
};

use crate::fields::{json_scalar, parse_whole, Col, Columns, Fields};
use crate::{Options, Reject};

/// The columns without which an ACLED file can't be read. All are in both the standard
/// and the older monadic export; `actor2`, `inter2`, `disorder_type` and
/// `civilian_targeting` are only in the standard one, and `time_precision`/`geo_precision`
/// are read when present (missing `time_precision` means a day).
pub(crate) const REQUIRED: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "event_type",
    "country",
    "latitude",
    "longitude",
    "fatalities",
];

/// Text columns copied into `extra` when present and non-empty (besides `sub_event_type`,
/// `inter1`, `inter2` and `civilian_targeting`, which are read anyway).
const EXTRA_TEXT: [&str; 8] = [
    "disorder_type",
    "assoc_actor_1",
    "assoc_actor_2",
    "admin3",
    "source",
    "source_scale",
    "tags",
    "region",
];

/// The ACLED columns of one file, resolved once, so that mapping a row looks nothing up by
/// name.
pub(crate) struct Acled {
    event_id_cnty: Col,
    event_date: Col,
    time_precision: Col,
    iso3: Col,
    iso: Col,
    country: Col,
    latitude: Col,
    longitude: Col,
    geo_precision: Col,
    admin1: Col,
    admin2: Col,
    location: Col,
    event_type: Col,
    sub_event_type: Col,
    inter1: Col,
    inter2: Col,
    interaction: Col,
    civilian_targeting: Col,
    actor1: Col,
    actor2: Col,
    fatalities: Col,
    notes: Col,
    timestamp: Col,
    extra_text: [(&'static str, Col); EXTRA_TEXT.len()],
}

impl Acled {
    pub(crate) fn new(columns: &Columns) -> Self {
        Acled {
            event_id_cnty: columns.get("event_id_cnty"),
            event_date: columns.get("event_date"),
            time_precision: columns.get("time_precision"),
            iso3: columns.get("iso3"),
            iso: columns.get("iso"),
            country: columns.get("country"),
            latitude: columns.get("latitude"),
            longitude: columns.get("longitude"),
            geo_precision: columns.get("geo_precision"),
            admin1: columns.get("admin1"),
            admin2: columns.get("admin2"),
            location: columns.get("location"),
            event_type: columns.get("event_type"),
            sub_event_type: columns.get("sub_event_type"),
            inter1: columns.get("inter1"),
            inter2: columns.get("inter2"),
            interaction: columns.get("interaction"),
            civilian_targeting: columns.get("civilian_targeting"),
            actor1: columns.get("actor1"),
            actor2: columns.get("actor2"),
            fatalities: columns.get("fatalities"),
            notes: columns.get("notes"),
            timestamp: columns.get("timestamp"),
            extra_text: EXTRA_TEXT.map(|name| (name, columns.get(name))),
        }
    }

    /// Maps one ACLED row to an event.
    ///
    /// ACLED codes an event known only to the week or month (`time_precision` 2 or 3) on
    /// one day inside that period; the period keeps that day as start and end and says how
    /// precise it is, rather than guessing where the week or month ACLED meant begins.
    pub(crate) fn to_event(&self, f: &Fields, opts: &Options) -> Result<Event, Reject> {
        let source_id = f.required_at(self.event_id_cnty)?;
        let date = f.date_at(self.event_date)?;
        let date_precision = match f.int_at::<u8>(self.time_precision)? {
            None => DatePrecision::Day,
            Some(code) => DatePrecision::from_acled(code)
                .ok_or_else(|| bad_code(f, self.time_precision, "time precision (1, 2 or 3)"))?,
        };

        // Where.
        let country_text = f.opt_at(self.country);
        let country = match f.opt_at(self.iso3).and_then(country::by_iso3) {
            Some(c) => Some(c),
            None => match f.int_at::<u16>(self.iso)?.and_then(country::by_iso_numeric) {
                Some(c) => Some(c),
                None => country_text.and_then(country::by_name),
            },
        };
        let (latitude, longitude) = f.lat_lon_at(self.latitude, self.longitude)?;
        let geo_precision = f.int_at::<u8>(self.geo_precision)?;
        let precision = match geo_precision {
            None => None,
            Some(code) => Some(
                LocationPrecision::from_acled(code)
                    .ok_or_else(|| bad_code(f, self.geo_precision, "geo precision (1, 2 or 3)"))?,
            ),
        };

        // What happened, and between whom.
        let event_type = f.required_at(self.event_type)?;
        let sub_event_type = f.opt_at(self.sub_event_type);
        let inter1_text = f.opt_at(self.inter1);
        let inter2_text = f.opt_at(self.inter2);
        let inter1 = inter(f, self.inter1, inter1_text)?;
        let inter2 = inter(f, self.inter2, inter2_text)?;
        let interaction = f.opt_at(self.interaction);
        let civilian_targeting = f.opt_at(self.civilian_targeting);
        // One-actor-per-row exports have no `inter2`, but their numeric `interaction`
        // pairs both actors' types, so the category is right even for an unmerged row.
        let other = inter2.or_else(|| other_inter(interaction, inter1));
        let category =
            ViolenceCategory::from_acled(event_type, inter1, other, civilian_targeting.is_some());
        let source_type = match sub_event_type {
            Some(sub) => {
                let mut t = String::with_capacity(event_type.len() + 3 + sub.len());
                t.push_str(event_type);
                t.push_str(" / ");
                t.push_str(sub);
                t
            }
            None => event_type.to_string(),
        };
        let fatalities = Fatalities {
            best: f.count_at(self.fatalities)?,
            low: None,
            high: None,
        };

        let mut extra = Map::new();
        let mut put = |key: &str, value: Value| {
            extra.insert(key.to_string(), value);
        };
        if let Some(v) = sub_event_type {
            put("sub_event_type", Value::String(v.to_string()));
        }
        if let Some(v) = inter1_text {
            put("inter1", json_scalar(v));
        }
        if let Some(v) = inter2_text {
            put("inter2", json_scalar(v));
        }
        if let Some(v) = civilian_targeting {
            put("civilian_targeting", Value::String(v.to_string()));
        }
        // A number (12) in older exports, text ("State forces-Rebel group") in newer ones.
        if let Some(v) = interaction {
            put("interaction", json_scalar(v));
        }
        for (name, col) in self.extra_text {
            if let Some(v) = f.opt_at(col) {
                put(name, Value::String(v.to_string()));
            }
        }
        if country.is_none() {
            // Not in the country table: keep what the file said so the event can be fixed up.
            if let Some(v) = country_text {
                put("country", Value::String(v.to_string()));
            }
        }

        Ok(Event {
            id: Event::stable_id(Source::Acled, source_id),
            source: Source::Acled,
            source_id: source_id.to_string(),
            source_version: f.opt_string_at(self.timestamp),
            period: Period {
                start: date,
                end: date,
                precision: date_precision,
            },
            place: Place {
                precision,
                source_precision: geo_precision.map(i32::from),
                admin1: f.opt_string_at(self.admin1),
                admin2: f.opt_string_at(self.admin2),
                location: f.opt_string_at(self.location),
                ..Place::at(latitude, longitude, country)
            },
            category,
            source_type,
            side_a: f.opt_at(self.actor1).map(Actor::named),
            side_b: f.opt_at(self.actor2).map(Actor::named),
            fatalities,
            description: f.opt_string_at(self.notes),
            extra,
            provenance: f.provenance(),
            owner: opts.owner.clone(),
            marking: opts.marking,
        })
    }
}

fn bad_code(f: &Fields, c: Col, what: &str) -> Reject {
    f.bad_at(c, format!("is not an ACLED {what}"))
}

/// Folds a second row of the same event (same `event_id_cnty`) into the first.
///
/// The older exports give each actor its own row, always as `actor1`: the second row's
/// actor becomes `side_b` (with its `inter1` and `assoc_actor_1` as `inter2` and
/// `assoc_actor_2`). Fatalities are the event's total repeated on each row, so the larger
/// is kept, never the sum. The first row's provenance stays; what the first row lacks is
/// taken from the second; the category is worked out again from both actors.
pub(crate) fn merge(first: &mut Event, second: Event) {
    let Event {
        source_version,
        place,
        side_a,
        side_b,
        fatalities,
        description,
        mut extra,
        ..
    } = second;

    let same_as =
        |side: &Option<Actor>, other: &Actor| side.as_ref().is_some_and(|a| a.name == other.name);
    let mut second_actor1_is_side_b = false;
    if first.side_a.is_none() {
        first.side_a = side_a;
    } else if first.side_b.is_none() {
        if let Some(a) = side_a.filter(|a| !same_as(&first.side_a, a)) {
            first.side_b = Some(a);
            second_actor1_is_side_b = true;
        } else if let Some(b) = side_b.filter(|b| !same_as(&first.side_a, b)) {
            first.side_b = Some(b);
        }
    }
    if second_actor1_is_side_b {
        // The second row's actor1 columns describe our side B.
        for (from, to) in [("inter1", "inter2"), ("assoc_actor_1", "assoc_actor_2")] {
            if let Some(v) = extra.remove(from) {
                // An `inter2` of 0 is how older exports say "no second actor".
                let missing = first.extra.get(to).is_none_or(|x| x.as_u64() == Some(0));
                if missing {
                    first.extra.insert(to.to_string(), v);
                }
            }
        }
    }
    for (k, v) in extra {
        first.extra.entry(k).or_insert(v);
    }

    first.fatalities.best = first.fatalities.best.max(fatalities.best);
    first.fatalities.low = first.fatalities.low.max(fatalities.low);
    first.fatalities.high = first.fatalities.high.max(fatalities.high);

    // ACLED `timestamp` is the row's last update: keep the later one.
    let stamp = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<i64>().ok());
    if first.source_version.is_none() || stamp(&source_version) > stamp(&first.source_version) {
        first.source_version = source_version.or(first.source_version.take());
    }
    if first.description.is_none() {
        first.description = description;
    }
    fill_place(&mut first.place, place);

    let event_type = first.source_type.split(" / ").next().unwrap_or("");
    first.category = ViolenceCategory::from_acled(
        event_type,
        inter_value(first.extra.get("inter1")),
        inter_value(first.extra.get("inter2")),
        first.extra.contains_key("civilian_targeting"),
    );
}

/// Fills what `first` lacks from `second`, keeping the coordinates and the country codes
/// each together.
fn fill_place(first: &mut Place, second: Place) {
    if first.latitude.is_none() && second.latitude.is_some() {
        first.latitude = second.latitude;
        first.longitude = second.longitude;
        first.precision = second.precision;
        first.source_precision = second.source_precision;
        first.priogrid_gid = second.priogrid_gid;
    }
    if first.country.is_none() && second.country.is_some() {
        first.country = second.country;
        first.gw_id = second.gw_id;
        first.views_id = second.views_id;
    }
    first.admin1 = first.admin1.take().or(second.admin1);
    first.admin2 = first.admin2.take().or(second.admin2);
    first.location = first.location.take().or(second.location);
}

/// An ACLED actor type: the numeric code of older exports (0–8) or the name newer exports
/// and the API give ("State forces", "Rebel group", …).
fn inter(f: &Fields, c: Col, value: Option<&str>) -> Result<Option<u8>, Reject> {
    let Some(v) = value else { return Ok(None) };
    let code = match parse_whole(v) {
        Some(n) => u8::try_from(n).ok().filter(|n| *n <= 8),
        None => inter_label(v),
    };
    match code {
        Some(code) => Ok(Some(code)),
        None => Err(f.reject(
            Some(f.name_of(c)),
            Some(v),
            "is not an ACLED actor type (0–8, or a name such as \"State forces\")",
        )),
    }
}

/// The other actor's type in a numeric ACLED `interaction`, which pairs the two actors'
/// types, lower first (12: state forces and a rebel group; 27: a rebel group and civilians;
/// 20: a rebel group alone).
fn other_inter(interaction: Option<&str>, inter1: Option<u8>) -> Option<u8> {
    let n = u8::try_from(parse_whole(interaction?)?)
        .ok()
        .filter(|n| (10..=88).contains(n))?;
    let (low, high) = (n / 10, n % 10);
    match inter1? {
        i if i == low => Some(high),
        i if i == high => Some(low),
        _ => None,
    }
}

/// ACLED's actor-type names, matched on their start and ignoring case, so that plurals and
/// older spellings ("Rebel Groups", "Protestors", "Communal militia") are read too.
fn inter_label(v: &str) -> Option<u8> {
    const LABELS: [(&str, u8); 11] = [
        ("state force", 1),
        ("rebel", 2),
        ("political militia", 3),
        ("identity militia", 4),
        ("communal militia", 4),
        ("ethnic militia", 4),
        ("rioter", 5),
        ("protest", 6),
        ("civilian", 7),
        ("external", 8),
        ("other force", 8),
    ];
    let b = v.as_bytes();
    LABELS
        .iter()
        .find(|(p, _)| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
        .map(|&(_, c)| c)
}

fn inter_value(v: Option<&Value>) -> Option<u8> {
    match v? {
        Value::Number(n) => n.as_u64().and_then(|n| u8::try_from(n).ok()),
        Value::String(s) => inter_label(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Columns;
    use chrono::NaiveDate;
    use csv::StringRecord;
    use vigie_core::priogrid;

    /// ACLED's standard export layout.
    const STANDARD: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,\
        actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,\
        admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

    /// The older monadic layout: one actor per row, the event on two rows.
    const MONADIC: &str = "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,\
        sub_event_type,actor1,assoc_actor_1,inter1,interaction,region,country,admin1,admin2,admin3,location,\
        latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,iso3";

    // Made-up rows in ACLED's layouts (no ACLED data may be committed).
    const BATTLE_MOPTI: &str = "MLI90001,2023-09-07,2023,1,Political violence,Battles,Armed clash,\
        Military Forces of Mali (2021-),,1,JNIM: Group for Support of Islam and Muslims,,2,12,,466,Western Africa,Mali,\
        Mopti,Djenne,Sofara,Sofara,14.0104,-4.2457,1,Test source,Local,\"Synthetic row: FAMa and JNIM clashed, Sofara.\",5,,1694456789";
    const VAC_SEGOU: &str = "MLI90002,2023-09-10,2023,2,Political violence,Violence against civilians,Attack,\
        Unidentified Armed Group (Mali),,3,Civilians (Mali),Farmers (Mali),7,37,Civilian targeting,466,Western Africa,Mali,\
        Ségou,Niono,Dogofry,Dogofry,14.7316,-5.6069,2,Test source,Subnational,Synthetic row.,3,,1694456790";

    fn read(header: &str, rows: &[&str]) -> (Columns, Vec<StringRecord>) {
        let text = std::iter::once(header)
            .chain(rows.iter().copied())
            .collect::<Vec<_>>()
            .join("\n");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let cols = Columns::new(r.headers().unwrap().iter());
        let recs = r.records().map(Result::unwrap).collect();
        (cols, recs)
    }

    fn map(header: &str, rows: &[&str]) -> Vec<Result<Event, Reject>> {
        let (cols, recs) = read(header, rows);
        let opts = Options::default();
        let acled = Acled::new(&cols);
        recs.iter()
            .enumerate()
            .map(|(i, rec)| {
                acled.to_event(
                    &Fields {
                        record: rec,
                        columns: &cols,
                        file: "acled.csv",
                        line: i as u64 + 2,
                    },
                    &opts,
                )
            })
            .collect()
    }

    fn one(header: &str, row: &str) -> Event {
        map(header, &[row]).pop().unwrap().unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn both_layouts_have_the_required_columns() {
        for header in [STANDARD, MONADIC] {
            let cols = Columns::new(header.split(','));
            assert!(cols.missing(REQUIRED).is_empty(), "{header}");
        }
    }

    #[test]
    fn standard_battle() {
        let e = one(STANDARD, BATTLE_MOPTI);
        assert_eq!(e.id, Event::stable_id(Source::Acled, "MLI90001"));
        assert_eq!(e.source, Source::Acled);
        assert_eq!(e.source_id, "MLI90001");
        assert_eq!(e.source_version.as_deref(), Some("1694456789"));
        assert_eq!(e.period, Period::day(day(2023, 9, 7)));
        assert_eq!(e.category, ViolenceCategory::StateBased);
        assert_eq!(e.source_type, "Battles / Armed clash");
        assert_eq!(
            e.side_a,
            Some(Actor::named("Military Forces of Mali (2021-)"))
        );
        assert_eq!(
            e.side_b,
            Some(Actor::named("JNIM: Group for Support of Islam and Muslims"))
        );
        assert_eq!(
            e.fatalities,
            Fatalities {
                best: Some(5),
                low: None,
                high: None
            }
        );
        assert_eq!(
            e.description.as_deref(),
            Some("Synthetic row: FAMa and JNIM clashed, Sofara.")
        );
        let p = &e.place;
        assert_eq!((p.latitude, p.longitude), (Some(14.0104), Some(-4.2457)));
        assert_eq!(p.precision, Some(LocationPrecision::Exact));
        assert_eq!(p.source_precision, Some(1));
        assert_eq!(p.country.as_deref(), Some("MLI"));
        assert_eq!(p.gw_id, Some(432));
        assert_eq!(p.views_id, Some(50));
        assert_eq!(p.admin1.as_deref(), Some("Mopti"));
        assert_eq!(p.admin2.as_deref(), Some("Djenne"));
        assert_eq!(p.location.as_deref(), Some("Sofara"));
        assert_eq!(p.priogrid_gid, priogrid::gid(14.0104, -4.2457));
        let x = &e.extra;
        assert_eq!(x["disorder_type"], "Political violence");
        assert_eq!(x["sub_event_type"], "Armed clash");
        assert_eq!(x["inter1"], 1);
        assert_eq!(x["inter2"], 2);
        assert_eq!(x["interaction"], 12);
        assert_eq!(x["admin3"], "Sofara");
        assert_eq!(x["region"], "Western Africa");
        assert_eq!(x["source"], "Test source");
        assert_eq!(x["source_scale"], "Local");
        for absent in [
            "assoc_actor_1",
            "assoc_actor_2",
            "civilian_targeting",
            "tags",
            "country",
        ] {
            assert!(!x.contains_key(absent), "{absent}");
        }
        assert_eq!(
            e.provenance,
            vigie_core::Provenance {
                batch: None,
                file: "acled.csv".into(),
                line: 2
            }
        );
        assert_eq!(e.owner, vigie_core::PUBLIC_SOURCES_ORG);
        assert_eq!(e.marking, vigie_core::Marking::Clear);
    }

    #[test]
    fn standard_violence_against_civilians() {
        let e = one(STANDARD, VAC_SEGOU);
        assert_eq!(e.category, ViolenceCategory::OneSided);
        assert_eq!(e.source_type, "Violence against civilians / Attack");
        // Week precision: ACLED's coded day is kept as start and end.
        assert_eq!(
            e.period,
            Period {
                start: day(2023, 9, 10),
                end: day(2023, 9, 10),
                precision: DatePrecision::Week
            }
        );
        assert_eq!(e.place.admin1.as_deref(), Some("Ségou"));
        assert_eq!(e.place.precision, Some(LocationPrecision::Near));
        assert_eq!(e.side_b, Some(Actor::named("Civilians (Mali)")));
        assert_eq!(e.extra["civilian_targeting"], "Civilian targeting");
        assert_eq!(e.extra["assoc_actor_2"], "Farmers (Mali)");
        assert_eq!(e.extra["inter2"], 7);
    }

    #[test]
    fn newer_exports_name_actor_types() {
        let row = BATTLE_MOPTI
            .replace(",1,JNIM", ",State forces,JNIM")
            .replace(",2,12,", ",Rebel group,State forces-Rebel group,");
        let e = one(STANDARD, &row);
        assert_eq!(e.category, ViolenceCategory::StateBased);
        assert_eq!(e.extra["inter1"], "State forces");
        assert_eq!(e.extra["interaction"], "State forces-Rebel group");
        assert_eq!(inter_label("Protestors"), Some(6));
        assert_eq!(inter_label("EXTERNAL/OTHER FORCES"), Some(8));
        assert_eq!(inter_label("Identity militia"), Some(4));
    }

    #[test]
    fn missing_and_odd_values() {
        // No sub-event type, no second actor, no precisions, an R-style "NA".
        let row = "MLI90003,2019-03-15,2019,,Strategic developments,Strategic developments,,\
            Military Forces of Mali (2013-2021),,1,,,NA,10,,466,Western Africa,Mali,Gao,Gao,,Gao,16.2666,-0.0400,,,,,0,,";
        let e = one(STANDARD, row);
        assert_eq!(e.source_type, "Strategic developments");
        assert_eq!(e.category, ViolenceCategory::Other);
        assert_eq!(e.period.precision, DatePrecision::Day);
        assert_eq!(e.place.precision, None);
        assert_eq!(e.place.source_precision, None);
        assert_eq!(e.side_b, None);
        assert_eq!(e.fatalities.best, Some(0));
        assert_eq!(e.source_version, None);
        assert_eq!(e.description, None);
        assert!(!e.extra.contains_key("inter2"));
    }

    #[test]
    fn country_from_name_when_no_code_resolves() {
        let row = BATTLE_MOPTI.replace(",466,", ",,");
        assert_eq!(one(STANDARD, &row).place.country.as_deref(), Some("MLI"));
        // A country the table doesn't know stays unset, its name kept.
        let row = BATTLE_MOPTI
            .replace(",466,", ",9999,")
            .replace(",Mali,", ",Atlantis,");
        let e = one(STANDARD, &row);
        assert_eq!(e.place.country, None);
        assert_eq!(e.place.gw_id, None);
        assert_eq!(e.extra["country"], "Atlantis");
    }

    #[test]
    fn bad_values_are_rejected_precisely() {
        let cases = [
            (BATTLE_MOPTI.replace(",5,,", ",abc,,"), "acled.csv:2: column 'fatalities': \"abc\" is not a whole number"),
            (BATTLE_MOPTI.replace(",5,,", ",-1,,"), "acled.csv:2: column 'fatalities': \"-1\" is negative"),
            (BATTLE_MOPTI.replace("2023-09-07", "2023-09-31"), "acled.csv:2: column 'event_date': \"2023-09-31\" is not a date (expected YYYY-MM-DD)"),
            (BATTLE_MOPTI.replace("MLI90001", ""), "acled.csv:2: column 'event_id_cnty': is required but empty"),
            (BATTLE_MOPTI.replace("14.0104", "104.0104"), "acled.csv:2: column 'latitude': \"104.0104\" is not a latitude (-90 to 90)"),
            (BATTLE_MOPTI.replace(",2023,1,", ",2023,4,"), "acled.csv:2: column 'time_precision': \"4\" is not an ACLED time precision (1, 2 or 3)"),
            (BATTLE_MOPTI.replace("-4.2457,1,", "-4.2457,9,"), "acled.csv:2: column 'geo_precision': \"9\" is not an ACLED geo precision (1, 2 or 3)"),
            (BATTLE_MOPTI.replace(",1,JNIM", ",Soldiers,JNIM"), "acled.csv:2: column 'inter1': \"Soldiers\" is not an ACLED actor type (0–8, or a name such as \"State forces\")"),
        ];
        for (row, message) in cases {
            let r = map(STANDARD, &[&row]).pop().unwrap().unwrap_err();
            assert_eq!(r.to_string(), message);
            assert_eq!(r.record.len(), 31);
        }
    }

    #[test]
    fn monadic_rows_merge_into_one_event_with_both_actors() {
        let rows = [
            "7001,466,MLI90004,90004,15 March 2019,2019,1,Battles,Armed clash,\
             JNIM: Group for Support of Islam and Muslims,,2,12,Western Africa,Mali,Mopti,Bandiagara,,Dioura,\
             14.8333,-5.2500,2,Test source,National,Synthetic row.,7,1552694400,MLI",
            "7002,466,MLI90004,90004,15 March 2019,2019,1,Battles,Armed clash,\
             Military Forces of Mali (2013-2021),Wagner Group,1,12,Western Africa,Mali,Mopti,Bandiagara,,Dioura,\
             14.8333,-5.2500,2,Test source,National,Synthetic row.,9,1552780800,MLI",
        ];
        let mut events = map(MONADIC, &rows).into_iter().map(Result::unwrap);
        let mut first = events.next().unwrap();
        let second = events.next().unwrap();
        assert_eq!(first.id, second.id);
        assert_eq!(first.period, Period::day(day(2019, 3, 15)));
        assert_eq!(first.place.country.as_deref(), Some("MLI"));
        // Alone, the first row knows from `interaction` 12 that the other side is state forces.
        assert_eq!(first.category, ViolenceCategory::StateBased);

        merge(&mut first, second);
        assert_eq!(
            first.side_a,
            Some(Actor::named("JNIM: Group for Support of Islam and Muslims"))
        );
        assert_eq!(
            first.side_b,
            Some(Actor::named("Military Forces of Mali (2013-2021)"))
        );
        assert_eq!(first.category, ViolenceCategory::StateBased);
        assert_eq!(
            first.fatalities.best,
            Some(9),
            "the larger figure, not the sum"
        );
        assert_eq!(first.extra["inter1"], 2);
        assert_eq!(first.extra["inter2"], 1);
        assert_eq!(first.extra["assoc_actor_2"], "Wagner Group");
        assert!(!first.extra.contains_key("assoc_actor_1"));
        assert_eq!(
            first.source_version.as_deref(),
            Some("1552780800"),
            "the later update"
        );
        assert_eq!(first.provenance.line, 2);
    }

    #[test]
    fn merging_works_out_the_category_again() {
        // Without `interaction`, only the merge shows that state forces took part.
        let rows = [
            "7001,466,MLI90005,90005,2019-03-16,2019,1,Explosions/Remote violence,Remote explosive/landmine/IED,\
             JNIM: Group for Support of Islam and Muslims,,2,,Western Africa,Mali,Mopti,Douentza,,Boni,\
             15.0386,-1.9764,1,Test source,National,Synthetic row.,2,1552694400,MLI",
            "7002,466,MLI90005,90005,2019-03-16,2019,1,Explosions/Remote violence,Remote explosive/landmine/IED,\
             Military Forces of Mali (2013-2021),,1,,Western Africa,Mali,Mopti,Douentza,,Boni,\
             15.0386,-1.9764,1,Test source,National,Synthetic row.,2,1552694400,MLI",
        ];
        let mut events = map(MONADIC, &rows).into_iter().map(Result::unwrap);
        let mut first = events.next().unwrap();
        assert_eq!(first.category, ViolenceCategory::NonState);
        merge(&mut first, events.next().unwrap());
        assert_eq!(first.category, ViolenceCategory::StateBased);
        assert_eq!(first.fatalities.best, Some(2));
        assert_eq!(other_inter(Some("27"), Some(7)), Some(2));
        assert_eq!(other_inter(Some("20"), Some(2)), Some(0));
        assert_eq!(other_inter(Some("12"), Some(3)), None);
        assert_eq!(other_inter(Some("State forces-Civilians"), Some(1)), None);
    }

    #[test]
    fn a_repeated_standard_row_merges_without_change_of_actors() {
        let again = BATTLE_MOPTI.replace(",5,,", ",4,,");
        let mut events = map(STANDARD, &[BATTLE_MOPTI, &again])
            .into_iter()
            .map(Result::unwrap);
        let mut first = events.next().unwrap();
        let expected = first.clone();
        merge(&mut first, events.next().unwrap());
        assert_eq!(first, expected);

        // Listed with the actors the other way round: still two actors, not three.
        let swapped = "MLI90001,2023-09-07,2023,1,Political violence,Battles,Armed clash,\
            JNIM: Group for Support of Islam and Muslims,,2,Military Forces of Mali (2021-),,1,12,,466,Western Africa,Mali,\
            Mopti,Djenne,Sofara,Sofara,14.0104,-4.2457,1,Test source,Local,Synthetic row.,6,,1694456789";
        let mut first = expected.clone();
        merge(&mut first, one(STANDARD, swapped));
        assert_eq!(
            (first.side_a, first.side_b),
            (expected.side_a, expected.side_b)
        );
        assert_eq!(first.fatalities.best, Some(6));
        assert_eq!(first.extra["inter2"], 2);
    }
}
