use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, Marking, Period, Place, Source, ViolenceCategory};

/// The most fatalities one event may record (each of `best`, `low`, `high`): above any
/// single event in the sources (UCDP's largest country-*month* in 1990–2022 is about
/// 124,000), and low enough that totals over a billion events stay within 64-bit integers —
/// a larger value would overflow the store's sums and break every statistic that
/// includes it.
pub const MAX_FATALITIES: i64 = 10_000_000;

/// Why `n` cannot be a count of fatalities, as a phrase after the value ("is negative"),
/// or nothing when it can: every path that writes one (importers, API) asks here.
pub fn fatality_count_problem(n: i64) -> Option<String> {
    if n < 0 {
        Some("is negative".to_string())
    } else if n > MAX_FATALITIES {
        Some(format!(
            "is above {MAX_FATALITIES}, the most one event may record"
        ))
    } else {
        None
    }
}

/// Fatality estimates. UCDP gives all three; ACLED and HXL give one figure (stored as
/// `best`); GDELT gives none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fatalities {
    pub best: Option<i64>,
    pub low: Option<i64>,
    pub high: Option<i64>,
}

/// Where a stored event came from: which import, which file, which line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provenance {
    /// The import batch that wrote this version (set by the store).
    pub batch: Option<i64>,
    /// The file's name (never where it sat on the importing machine: see
    /// [`Provenance::file_name`]), or `api` for an event written through the API.
    pub file: String,
    /// The line where the record starts (1-based, header included).
    pub line: u64,
}

impl Provenance {
    /// The name of the file at `path`, without its folders (`/` or `\\` separated): what
    /// provenance keeps, since where a file sat on the server tells readers nothing they
    /// need and something they should not learn.
    pub fn file_name(path: &str) -> &str {
        path.rsplit(['/', '\\']).next().unwrap_or(path)
    }
}

/// One conflict event, as any source reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// Stable id: [`Event::stable_id`] of the source and the source's own id.
    pub id: Uuid,
    pub source: Source,
    /// The source's own id (UCDP `id`, ACLED `event_id_cnty`, GDELT `GLOBALEVENTID`).
    pub source_id: String,
    /// The release or version the row came from, where the source says (GED `relid`, ACLED `timestamp`).
    pub source_version: Option<String>,
    pub period: Period,
    pub place: Place,
    pub category: ViolenceCategory,
    /// The source's own type (GED `type_of_violence`, ACLED `event_type/sub_event_type`, CAMEO code).
    pub source_type: String,
    pub side_a: Option<Actor>,
    pub side_b: Option<Actor>,
    pub fatalities: Fatalities,
    /// The description or source text.
    pub description: Option<String>,
    /// Source-specific fields analysts use that have no column of their own
    /// (GED conflict and dyad names, ACLED interaction, GDELT Goldstein scale …).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub provenance: Provenance,
    /// The owner organisation's slug.
    pub owner: String,
    pub marking: Marking,
}

/// The namespace of Vigie's name-based (v5) event ids.
const EVENT_NAMESPACE: Uuid = Uuid::from_u128(0x5b1c_6e0a_9d1f_4f8e_a3c2_7e4d_2b90_a1f3);

impl Event {
    /// The id an event from `source` with the source's own id `source_id` always gets,
    /// on every node: a UUID v5 of `source:source_id`.
    pub fn stable_id(source: Source, source_id: &str) -> Uuid {
        let mut name = String::with_capacity(source_id.len() + 10);
        name.push_str(source.as_str());
        name.push(':');
        name.push_str(source_id);
        Uuid::new_v5(&EVENT_NAMESPACE, name.as_bytes())
    }

    /// The `extra` map as compact JSON, as stored.
    pub fn extra_json(&self) -> String {
        serde_json::to_string(&self.extra).expect("a JSON map always serialises")
    }

    /// A hash of everything the source said (not where or when we imported it), so that a
    /// re-import can tell an unchanged row from a changed one.
    ///
    /// Stored hashes are compared across versions of Vigie: changing what goes in here makes
    /// the next re-import of every file count as an update.
    pub fn content_hash(&self) -> i64 {
        self.content_hash_with_extra(&self.extra_json())
    }

    /// [`Event::content_hash`] when the caller already has [`Event::extra_json`].
    pub fn content_hash_with_extra(&self, extra_json: &str) -> i64 {
        use chrono::Datelike;
        use xxhash_rust::xxh3::Xxh3;
        let mut h = Xxh3::new();
        fn text(h: &mut Xxh3, s: Option<&str>) {
            match s {
                Some(s) => {
                    h.update(&[1]);
                    h.update(&(s.len() as u64).to_le_bytes());
                    h.update(s.as_bytes());
                }
                None => h.update(&[0]),
            }
        }
        fn int(h: &mut Xxh3, v: Option<i64>) {
            match v {
                Some(v) => {
                    h.update(&[1]);
                    h.update(&v.to_le_bytes());
                }
                None => h.update(&[0]),
            }
        }
        fn float(h: &mut Xxh3, v: Option<f64>) {
            match v {
                Some(v) => {
                    h.update(&[1]);
                    h.update(&v.to_bits().to_le_bytes());
                }
                None => h.update(&[0]),
            }
        }
        text(&mut h, Some(self.source.as_str()));
        text(&mut h, Some(&self.source_id));
        text(&mut h, self.source_version.as_deref());
        int(&mut h, Some(self.period.start.num_days_from_ce() as i64));
        int(&mut h, Some(self.period.end.num_days_from_ce() as i64));
        text(&mut h, Some(self.period.precision.as_str()));
        let p = &self.place;
        float(&mut h, p.latitude);
        float(&mut h, p.longitude);
        text(&mut h, p.precision.map(|x| x.as_str()));
        int(&mut h, p.source_precision.map(i64::from));
        text(&mut h, p.country.as_deref());
        int(&mut h, p.gw_id.map(i64::from));
        int(&mut h, p.views_id.map(i64::from));
        text(&mut h, p.admin1.as_deref());
        text(&mut h, p.admin2.as_deref());
        text(&mut h, p.location.as_deref());
        int(&mut h, p.priogrid_gid.map(i64::from));
        text(&mut h, Some(self.category.as_str()));
        text(&mut h, Some(&self.source_type));
        for side in [&self.side_a, &self.side_b] {
            text(&mut h, side.as_ref().map(|a| a.name.as_str()));
            text(&mut h, side.as_ref().and_then(|a| a.source_id.as_deref()));
        }
        let f = &self.fatalities;
        for v in [f.best, f.low, f.high] {
            int(&mut h, v);
        }
        text(&mut h, self.description.as_deref());
        text(&mut h, Some(extra_json));
        text(&mut h, Some(&self.owner));
        text(&mut h, Some(self.marking.as_str()));
        h.digest() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DatePrecision, LocationPrecision};
    use chrono::NaiveDate;

    pub(crate) fn sample() -> Event {
        let d = NaiveDate::from_ymd_opt(2023, 10, 2).unwrap();
        Event {
            id: Event::stable_id(Source::UcdpGed, "492699"),
            source: Source::UcdpGed,
            source_id: "492699".into(),
            source_version: Some("AFG-2023-3-951-96".into()),
            period: Period {
                start: d,
                end: d,
                precision: DatePrecision::Day,
            },
            place: Place {
                latitude: Some(32.74804),
                longitude: Some(68.39877),
                precision: Some(LocationPrecision::Exact),
                source_precision: Some(1),
                country: Some("AFG".into()),
                gw_id: Some(700),
                views_id: None,
                admin1: Some("Paktika province".into()),
                admin2: None,
                location: Some("Jalalzai village".into()),
                priogrid_gid: Some(176897),
            },
            category: ViolenceCategory::OneSided,
            source_type: "3".into(),
            side_a: Some(Actor {
                name: "Government of Afghanistan".into(),
                source_id: Some("130".into()),
            }),
            side_b: Some(Actor {
                name: "Civilians".into(),
                source_id: Some("1".into()),
            }),
            fatalities: Fatalities {
                best: Some(1),
                low: Some(1),
                high: Some(1),
            },
            description: None,
            extra: Default::default(),
            provenance: Provenance {
                batch: None,
                file: "a.csv".into(),
                line: 2,
            },
            owner: crate::PUBLIC_SOURCES_ORG.into(),
            marking: Marking::Clear,
        }
    }

    #[test]
    fn stable_id_is_stable_and_distinct() {
        let a = Event::stable_id(Source::UcdpGed, "1");
        assert_eq!(a, Event::stable_id(Source::UcdpGed, "1"));
        assert_ne!(a, Event::stable_id(Source::Acled, "1"));
        assert_ne!(a, Event::stable_id(Source::UcdpGed, "2"));
        assert_eq!(a.get_version_num(), 5);
    }

    #[test]
    fn content_hash_ignores_provenance_but_not_content() {
        let a = sample();
        let mut b = a.clone();
        b.provenance = Provenance {
            batch: Some(9),
            file: "other.csv".into(),
            line: 77,
        };
        assert_eq!(a.content_hash(), b.content_hash());
        b.fatalities.best = Some(2);
        assert_ne!(a.content_hash(), b.content_hash());
        // Moving text between fields changes the hash.
        let mut c = a.clone();
        c.place.admin1 = None;
        c.place.admin2 = Some("Paktika province".into());
        assert_ne!(a.content_hash(), c.content_hash());
        let mut d = a.clone();
        d.extra.insert("k".into(), serde_json::json!(1));
        assert_ne!(a.content_hash(), d.content_hash());
    }
}
