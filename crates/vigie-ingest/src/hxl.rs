//! HXL-tagged CSV (Humanitarian Exchange Language), as in HDX's conflict extracts: a header
//! row, then a row of hashtags (`#date`, `#adm1+name`, `#geo+lat`, `#affected+killed` …).
//! Columns are found by hashtag and attributes, never by header text.

use serde_json::{Map, Value};
use vigie_core::country::{self, Country};
use vigie_core::{Actor, Event, Fatalities, Period, Place, Source, ViolenceCategory};
use xxhash_rust::xxh3::Xxh3;

use crate::fields::{Col, Fields};
use crate::{Options, Reject};

/// One HXL hashtag: `#adm1 +name` is tag `adm1` with attribute `name`. Lower case, the
/// attributes sorted, so that matching ignores case and attribute order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hashtag {
    pub(crate) tag: String,
    pub(crate) attrs: Vec<String>,
}

impl Hashtag {
    /// Parses `#tag(+attr)*`, allowing spaces around the `+`. `None` when `s` is not one.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let s = s.trim().strip_prefix('#')?;
        let mut parts = s.split('+').map(str::trim);
        let tag = parts.next()?;
        if !is_name(tag) {
            return None;
        }
        let mut attrs = Vec::new();
        for a in parts {
            if !is_name(a) {
                return None;
            }
            attrs.push(a.to_ascii_lowercase());
        }
        attrs.sort();
        attrs.dedup();
        Some(Hashtag {
            tag: tag.to_ascii_lowercase(),
            attrs,
        })
    }

    fn has(&self, attr: &str) -> bool {
        self.attrs.iter().any(|a| a == attr)
    }
}

fn is_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// The column tagged `#tag` with every attribute of `with` and none of `without`; of
/// several, the one with the fewest other attributes, then the first.
fn find(tags: &[Option<Hashtag>], tag: &str, with: &[&str], without: &[&str]) -> Col {
    tags.iter()
        .enumerate()
        .filter_map(|(i, t)| t.as_ref().map(|t| (i, t)))
        .filter(|(_, t)| {
            t.tag == tag && with.iter().all(|a| t.has(a)) && !without.iter().any(|a| t.has(a))
        })
        .min_by_key(|(i, t)| (t.attrs.len(), *i))
        .map(|(i, _)| i)
}

/// What a place-less HXL file lacks, for the missing-columns message.
const PLACE_COLUMNS: &str = "#country+code, #country+name or #geo+lat with #geo+lon";

/// The HXL mapper: columns resolved once from the hashtag row.
pub(crate) struct Hxl {
    date: Col,
    lat: Col,
    lon: Col,
    killed: Col,
    event_type: Col,
    id: Col,
    country_code: Col,
    country_name: Col,
    adm1: Col,
    adm2: Col,
    loc: Col,
    description: Col,
    side_a: Col,
    side_b: Col,
    owner: String,
    marking: vigie_core::Marking,
}

impl Hxl {
    /// Resolves the columns; `Err` lists the required hashtags the file lacks.
    pub(crate) fn new(tags: &[Option<Hashtag>], opts: &Options) -> Result<Self, Vec<String>> {
        let orgs: Vec<usize> = tags
            .iter()
            .enumerate()
            .filter(|(_, t)| t.as_ref().is_some_and(|t| t.tag == "org"))
            .map(|(i, _)| i)
            .collect();
        let h = Hxl {
            date: find(
                tags,
                "date",
                &[],
                &["year", "month", "timestamp", "updated", "reported"],
            ),
            lat: find(tags, "geo", &["lat"], &[]),
            lon: find(tags, "geo", &["lon"], &[]),
            killed: find(tags, "affected", &["killed"], &[]),
            event_type: find(tags, "event", &["type"], &[]),
            id: find(tags, "event", &["id"], &[])
                .or(find(tags, "id", &[], &[]))
                .or(find(tags, "event", &["code"], &[])),
            country_code: find(tags, "country", &["code", "iso3"], &[]).or(find(
                tags,
                "country",
                &["code"],
                &[],
            )),
            country_name: find(tags, "country", &["name"], &[]),
            adm1: find(tags, "adm1", &["name"], &[]),
            adm2: find(tags, "adm2", &["name"], &[]),
            loc: find(tags, "loc", &["name"], &[]).or(find(tags, "loc", &[], &[])),
            description: find(tags, "description", &[], &[]).or(find(
                tags,
                "meta",
                &["description"],
                &[],
            )),
            side_a: find(tags, "group", &["name", "first"], &["assoc"]).or(orgs.first().copied()),
            side_b: find(tags, "group", &["name", "second"], &["assoc"]).or(orgs.get(1).copied()),
            owner: opts.owner.clone(),
            marking: opts.marking,
        };
        let mut missing = Vec::new();
        if h.date.is_none() {
            missing.push("#date".to_string());
        }
        let coords = h.lat.is_some() && h.lon.is_some();
        if !coords && h.country_code.is_none() && h.country_name.is_none() {
            missing.push(PLACE_COLUMNS.to_string());
        }
        if missing.is_empty() {
            Ok(h)
        } else {
            Err(missing)
        }
    }

    pub(crate) fn map(&mut self, f: &Fields) -> Result<Event, Reject> {
        let date = f.date_at(self.date)?;
        let (latitude, longitude) = f.lat_lon_at(self.lat, self.lon)?;
        let mut extra = Map::new();

        // The country: ISO3 or ISO numeric code, else the name.
        let code = f.opt_at(self.country_code);
        let mut known: Option<&'static Country> = code.and_then(|c| match c.parse::<u16>() {
            Ok(n) => country::by_iso_numeric(n),
            Err(_) => country::by_iso3(c),
        });
        let name = f.opt_at(self.country_name);
        if known.is_none() {
            known = name.and_then(country::by_name);
        }
        let iso3 = match (known, code) {
            (Some(c), _) => Some(c.iso3.to_string()),
            // An ISO3 code the country table does not know is still an ISO3 code.
            (None, Some(c)) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(c.to_ascii_uppercase())
            }
            _ => None,
        };
        if iso3.is_none() {
            if latitude.is_none() {
                return Err(match (name, code) {
                    (Some(n), _) => f.reject(
                        Some(f.name_of(self.country_name)),
                        Some(n),
                        "is not a known country, and the row has no coordinates",
                    ),
                    (None, Some(c)) => f.reject(
                        Some(f.name_of(self.country_code)),
                        Some(c),
                        "is not a known country code, and the row has no coordinates",
                    ),
                    (None, None) => {
                        f.reject(None, None, "has no place: no coordinates and no country")
                    }
                });
            }
            if let Some(n) = name {
                extra.insert("country".to_string(), Value::String(n.to_string()));
            }
        }

        let event_type = f.opt_at(self.event_type);
        let category = event_type.map_or(ViolenceCategory::Other, |t| {
            ViolenceCategory::from_acled(t, None, None, false)
        });
        let source_id = match f.opt_at(self.id) {
            Some(id) => id.to_string(),
            None => row_hash(f),
        };
        let actor = |c: Col| f.opt_at(c).map(Actor::named);

        Ok(Event {
            id: Event::stable_id(Source::Hxl, &source_id),
            source: Source::Hxl,
            source_id,
            source_version: None,
            period: Period::day(date),
            place: Place {
                // An ISO3 code the country table lacks is kept too.
                country: iso3,
                admin1: f.opt_string_at(self.adm1),
                admin2: f.opt_string_at(self.adm2),
                location: f.opt_string_at(self.loc),
                ..Place::at(latitude, longitude, known)
            },
            category,
            source_type: event_type.unwrap_or("").to_string(),
            side_a: actor(self.side_a),
            side_b: actor(self.side_b),
            fatalities: Fatalities {
                best: f.count_at(self.killed)?,
                low: None,
                high: None,
            },
            description: f.opt_string_at(self.description),
            extra,
            provenance: f.provenance(),
            owner: self.owner.clone(),
            marking: self.marking,
        })
    }
}

/// A stable id for a row without one: xxh3 of its trimmed fields, in hex.
fn row_hash(f: &Fields) -> String {
    let mut h = Xxh3::new();
    for field in f.record.iter() {
        h.update(field.trim().as_bytes());
        h.update(&[0x1f]);
    }
    format!("{:016x}", h.digest())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &[&str]) -> Vec<Option<Hashtag>> {
        s.iter().map(|t| Hashtag::parse(t)).collect()
    }

    #[test]
    fn parse_hashtags() {
        let t = Hashtag::parse(" #ADM1 + Name ").unwrap();
        assert_eq!(
            t,
            Hashtag {
                tag: "adm1".into(),
                attrs: vec!["name".into()]
            }
        );
        assert_eq!(
            Hashtag::parse("#group+second+name"),
            Hashtag::parse("#group+name+second")
        );
        assert!(Hashtag::parse("#Mali , #ERSANE").is_none());
        assert!(Hashtag::parse("date").is_none());
        assert!(Hashtag::parse("#").is_none());
        assert!(Hashtag::parse("#geo+").is_none());
    }

    #[test]
    fn finds_by_tag_and_attributes() {
        let t = tags(&[
            "#event+type+sub",
            "#event+type",
            "#date+year",
            "#date+occurred",
            "#geo+lon",
            "#geo+lat",
        ]);
        assert_eq!(find(&t, "event", &["type"], &[]), Some(1));
        assert_eq!(find(&t, "date", &[], &["year"]), Some(3));
        assert_eq!(find(&t, "geo", &["lat"], &[]), Some(5));
        assert_eq!(find(&t, "affected", &["killed"], &[]), None);
    }
}
