use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, Marking, Period, Place, Source, ViolenceCategory};

/// Fatality estimates. UCDP gives all three; ACLED and HXL give one figure (stored as
/// `best`); GDELT gives none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fatalities {
    pub best: Option<i64>,
    pub low: Option<i64>,
    pub high: Option<i64>,
}

/// Where a stored event came from: which import, which file, which line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The import batch that wrote this version (set by the store).
    pub batch: Option<i64>,
    pub file: String,
    /// The line where the record starts (1-based, header included).
    pub line: u64,
}

/// One conflict event, as any source reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

    /// A hash of everything the source said (not where or when we imported it), so that a
    /// re-import can tell an unchanged row from a changed one.
    pub fn content_hash(&self) -> i64 {
        use xxhash_rust::xxh3::Xxh3;
        let mut h = Xxh3::new();
        let mut put = |s: &str| {
            h.update(s.as_bytes());
            h.update(&[0x1f]);
        };
        put(self.source.as_str());
        put(&self.source_id);
        put(self.source_version.as_deref().unwrap_or(""));
        put(&self.period.start.to_string());
        put(&self.period.end.to_string());
        put(self.period.precision.as_str());
        let p = &self.place;
        let num = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
        put(&num(p.latitude));
        put(&num(p.longitude));
        put(p.precision.map(|x| x.as_str()).unwrap_or(""));
        put(&p.source_precision.map(|x| x.to_string()).unwrap_or_default());
        put(p.country.as_deref().unwrap_or(""));
        put(&p.gw_id.map(|x| x.to_string()).unwrap_or_default());
        put(&p.views_id.map(|x| x.to_string()).unwrap_or_default());
        put(p.admin1.as_deref().unwrap_or(""));
        put(p.admin2.as_deref().unwrap_or(""));
        put(p.location.as_deref().unwrap_or(""));
        put(&p.priogrid_gid.map(|x| x.to_string()).unwrap_or_default());
        put(self.category.as_str());
        put(&self.source_type);
        for side in [&self.side_a, &self.side_b] {
            put(side.as_ref().map(|a| a.name.as_str()).unwrap_or(""));
            put(side.as_ref().and_then(|a| a.source_id.as_deref()).unwrap_or(""));
        }
        let f = &self.fatalities;
        for v in [f.best, f.low, f.high] {
            put(&v.map(|x| x.to_string()).unwrap_or_default());
        }
        put(self.description.as_deref().unwrap_or(""));
        put(&serde_json::Value::Object(self.extra.clone()).to_string());
        put(&self.owner);
        put(self.marking.as_str());
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
            period: Period { start: d, end: d, precision: DatePrecision::Day },
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
            side_a: Some(Actor { name: "Government of Afghanistan".into(), source_id: Some("130".into()) }),
            side_b: Some(Actor { name: "Civilians".into(), source_id: Some("1".into()) }),
            fatalities: Fatalities { best: Some(1), low: Some(1), high: Some(1) },
            description: None,
            extra: Default::default(),
            provenance: Provenance { batch: None, file: "a.csv".into(), line: 2 },
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
        b.provenance = Provenance { batch: Some(9), file: "other.csv".into(), line: 77 };
        assert_eq!(a.content_hash(), b.content_hash());
        b.fatalities.best = Some(2);
        assert_ne!(a.content_hash(), b.content_hash());
    }
}
