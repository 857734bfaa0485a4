//! What a source's data cover: which countries, which months, and whether completely. A
//! month without any record is a month of peace only where a complete source covers it;
//! elsewhere it is a month nobody reported on. Each import records its coverage as a record
//! with the audience of its events, so a reader knows only the coverage of what it may see.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::forecast::Level;
use crate::month::{month_index, month_label};
use crate::{Audience, CheckError, Code};

/// How many months behind the current month data may end before Vigie says they are stale.
pub const STALE_AFTER_MONTHS: i32 = 3;

/// What one import (or a statement by an administrator) says a source covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub id: Uuid,
    /// The file's source (its format), or `vigie` for an organisation's own reporting.
    pub source: crate::Source,
    /// The file's name.
    pub file: String,
    /// The import that recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_batch: Option<i64>,
    /// ISO3 codes; empty: every country.
    pub countries: Vec<String>,
    /// The first and last month covered, `YYYY-MM`, both included.
    pub from: String,
    pub until: String,
    /// Whether the source records every event of its kind in these countries and months: a
    /// month without any record is then a month without any event.
    pub complete: bool,
    /// Why it is complete or partial, in English (the default for the format, or who said so).
    pub basis: String,
    /// For a basis Vigie wrote itself (a format's default, a claim at import), the same as a
    /// key the UI translates (`coverage.basis.*`, with `{source}`); absent for a basis in
    /// its author's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis_key: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub audience: Audience,
}

/// What an import says about completeness, overriding the format's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Claim {
    Complete,
    Partial,
}

impl std::str::FromStr for Claim {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "complete" => Ok(Claim::Complete),
            "partial" => Ok(Claim::Partial),
            _ => Err(CheckError::unknown(format!(
                "unknown coverage {s:?} (expected complete or partial)"
            ))),
        }
    }
}

/// What a file held, gathered while it is read: its countries and its events per month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    pub countries: BTreeSet<String>,
    pub first: Option<i32>,
    pub last: Option<i32>,
    /// Events per month index.
    pub per_month: BTreeMap<i32, u64>,
}

impl Seen {
    /// Notes one event of `country` in month `m` (a month index).
    pub fn note(&mut self, country: &str, m: i32) {
        if !self.countries.contains(country) {
            self.countries.insert(country.to_string());
        }
        self.first = Some(self.first.map_or(m, |f| f.min(m)));
        self.last = Some(self.last.map_or(m, |l| l.max(m)));
        *self.per_month.entry(m).or_default() += 1;
    }

    /// The months holding at least 5% of the events, first and last: where a file's data
    /// are, as opposed to the few late-coded events of earlier months a UCDP candidate file
    /// also carries.
    fn core(&self) -> Option<(i32, i32)> {
        let total: u64 = self.per_month.values().sum();
        let mut core = self
            .per_month
            .iter()
            .filter(|(_, &n)| n * 20 >= total)
            .map(|(&m, _)| m);
        let first = core.next()?;
        Some((first, core.next_back().unwrap_or(first)))
    }
}

/// What a file covers: its countries (empty: every one), first and last months (indexes),
/// whether completely, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub countries: Vec<String>,
    pub from: i32,
    pub until: i32,
    pub complete: bool,
    pub basis: String,
    /// [`Coverage::basis_key`].
    pub basis_key: String,
}

/// Whether `claim` suits a file of `format`: GDELT is never complete for fatalities. Checked
/// before a file is read, so that a refused claim costs nothing.
pub fn check_claim(format: &str, claim: Option<Claim>) -> Result<(), CheckError> {
    if format == "gdelt" && claim == Some(Claim::Complete) {
        return Err(CheckError::new(
            "coverage",
            Code::OutOfRange,
            "GDELT is never complete for fatalities: it codes news reports, not events",
        ));
    }
    Ok(())
}

/// What a file of `format` covers by default (or as `claim` says), with its basis in English
/// and as a key. `None` when the file held no event.
pub fn of_file(
    format: &str,
    seen: &Seen,
    claim: Option<Claim>,
) -> Result<Option<Claimed>, CheckError> {
    check_claim(format, claim)?;
    let (Some(first), Some(last)) = (seen.first, seen.last) else {
        return Ok(None);
    };
    let listed: Vec<String> = seen.countries.iter().cloned().collect();
    let covers =
        |countries: Vec<String>, (from, until): (i32, i32), complete, basis: String, key: &str| {
            Claimed {
                countries,
                from,
                until,
                complete,
                basis,
                basis_key: format!("coverage.basis.{key}"),
            }
        };
    let said = |complete: bool| {
        let (word, key) = if complete {
            ("complete", "saidComplete")
        } else {
            ("partial", "saidPartial")
        };
        covers(
            listed.clone(),
            (first, last),
            complete,
            format!("said {word} at import"),
            key,
        )
    };
    if claim == Some(Claim::Partial) {
        return Ok(Some(said(false)));
    }
    Ok(Some(match format {
        "gdelt" => covers(
            listed,
            (first, last),
            false,
            "GDELT is never complete for fatalities".into(),
            "gdelt",
        ),
        // A candidate file holds a month (or a few), with a handful of late-coded events of
        // earlier months; a yearly release spreads over years.
        "ucdp-ged" => match seen.core() {
            Some((a, b)) if b - a < 3 => covers(
                Vec::new(),
                (a, b),
                true,
                "a UCDP GED candidate file is complete for its months in every country".into(),
                "gedCandidate",
            ),
            _ => covers(
                Vec::new(),
                (
                    first - first.rem_euclid(12),
                    last - last.rem_euclid(12) + 11,
                ),
                true,
                "a UCDP GED yearly release is complete for its years in every country".into(),
                "gedYearly",
            ),
        },
        "acled" => covers(
            listed,
            (first, last),
            true,
            "an ACLED export is complete for the countries and period it holds".into(),
            "acled",
        ),
        _ if claim == Some(Claim::Complete) => said(true),
        f => covers(
            listed,
            (first, last),
            false,
            format!("{f} files are partial unless said complete at import"),
            "partialByDefault",
        ),
    }))
}

/// The country a unit of `level` lies in, where the unit says it (countries and admin-1
/// regions; a PRIO-GRID cell's is not known here).
pub fn unit_country(level: Level, unit: &str) -> Option<&str> {
    match level {
        Level::Country => Some(unit),
        Level::Admin1 => unit.split_once('/').map(|(c, _)| c),
        Level::Grid => None,
    }
}

/// The complete coverage a reader may see, by country and month: where a month without any
/// record means a month without any event.
#[derive(Debug, Clone, Default)]
pub struct CoverageIndex {
    /// Month ranges complete in every country.
    everywhere: Vec<(i32, i32)>,
    by_country: HashMap<String, Vec<(i32, i32)>>,
    /// The last month any source (complete or not) covers.
    last_any: Option<i32>,
    /// Each complete record: its countries (empty: every one), months and name
    /// (`source: file`), to say which sources an alert rests on.
    named: Vec<(Vec<String>, i32, i32, String)>,
}

impl CoverageIndex {
    pub fn new<'a>(records: impl IntoIterator<Item = &'a Coverage>) -> CoverageIndex {
        let mut ix = CoverageIndex::default();
        for c in records {
            let (Some(from), Some(until)) = (month_index(&c.from), month_index(&c.until)) else {
                continue;
            };
            ix.last_any = Some(ix.last_any.map_or(until, |l| l.max(until)));
            if !c.complete {
                continue;
            }
            let name = if c.file.is_empty() {
                format!("{}: {}", c.source, c.basis)
            } else {
                format!("{}: {}", c.source, c.file)
            };
            ix.named.push((c.countries.clone(), from, until, name));
            if c.countries.is_empty() {
                ix.everywhere.push((from, until));
            } else {
                for k in &c.countries {
                    ix.by_country
                        .entry(k.clone())
                        .or_default()
                        .push((from, until));
                }
            }
        }
        ix
    }

    /// Whether a complete source covers `country` (or, when `None`, every country) in month `m`.
    pub fn complete(&self, country: Option<&str>, m: i32) -> bool {
        let within = |rs: &Vec<(i32, i32)>| rs.iter().any(|&(a, b)| a <= m && m <= b);
        within(&self.everywhere)
            || country
                .and_then(|c| self.by_country.get(c))
                .is_some_and(within)
    }

    /// The months of `from..=to` no complete source covers for `country`.
    pub fn missing(&self, country: Option<&str>, from: i32, to: i32) -> Vec<i32> {
        (from..=to)
            .filter(|&m| !self.complete(country, m))
            .collect()
    }

    /// The last month a complete source covers for `country` (any country when `None`).
    pub fn last_complete(&self, country: Option<&str>) -> Option<i32> {
        let last = |rs: &Vec<(i32, i32)>| rs.iter().map(|&(_, b)| b).max();
        let here = country.and_then(|c| self.by_country.get(c)).and_then(last);
        let anywhere = match country {
            Some(_) => None,
            None => self.by_country.values().filter_map(last).max(),
        };
        [last(&self.everywhere), here, anywhere]
            .into_iter()
            .flatten()
            .max()
    }

    /// The complete sources covering `country` (every country's when `None`) in some month
    /// of `from..=to`, by name, each once.
    pub fn sources(&self, country: Option<&str>, from: i32, to: i32) -> Vec<String> {
        let mut out: Vec<String> = self
            .named
            .iter()
            .filter(|(cs, a, b, _)| {
                *a <= to
                    && from <= *b
                    && (cs.is_empty() || country.is_some_and(|c| cs.iter().any(|x| x == c)))
            })
            .map(|(_, _, _, n)| n.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The last month any visible source covers, complete or not.
    pub fn last_any(&self) -> Option<i32> {
        self.last_any
    }
}

/// Months as readable ranges: `2021-10 – 2023-09, 2023-11`.
pub fn month_ranges(months: &[i32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < months.len() {
        let start = months[i];
        let mut end = start;
        while i + 1 < months.len() && months[i + 1] == end + 1 {
            i += 1;
            end = months[i];
        }
        out.push(if start == end {
            month_label(start)
        } else {
            format!("{} – {}", month_label(start), month_label(end))
        });
        i += 1;
    }
    out.join(", ")
}

/// How old data are, as every alert, run and view states it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Freshness {
    /// The last month the inputs cover (`YYYY-MM`); absent when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_until: Option<String>,
    /// Whole months between `data_until` and the current month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months_behind: Option<i32>,
    /// More than [`STALE_AFTER_MONTHS`] behind: what rests on them is not news.
    pub stale: bool,
}

impl Freshness {
    /// The freshness of data ending in month `last` (a month index), seen in month `now`.
    pub fn of(last: Option<i32>, now: i32) -> Freshness {
        match last {
            None => Freshness {
                data_until: None,
                months_behind: None,
                stale: false,
            },
            Some(l) => Freshness {
                data_until: Some(month_label(l)),
                months_behind: Some(now - l),
                stale: now - l > STALE_AFTER_MONTHS,
            },
        }
    }
}

pub use crate::month::month_of;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Distribution, Marking};

    fn m(s: &str) -> i32 {
        month_index(s).unwrap()
    }

    fn seen(countries: &[&str], first: &str, last: &str) -> Seen {
        let mut s = Seen::default();
        for c in countries {
            s.note(c, m(first));
            s.note(c, m(last));
        }
        s
    }

    fn record(countries: &[&str], from: &str, until: &str, complete: bool) -> Coverage {
        Coverage {
            id: Uuid::nil(),
            source: crate::Source::Acled,
            file: "f.csv".into(),
            import_batch: None,
            countries: countries.iter().map(|c| c.to_string()).collect(),
            from: from.into(),
            until: until.into(),
            complete,
            basis: String::new(),
            basis_key: None,
            recorded_at: Utc::now(),
            audience: Audience {
                owner: "o".into(),
                creator: None,
                marking: Marking::Clear,
                distribution: Distribution::AllCommunities,
            },
        }
    }

    #[test]
    fn each_format_has_its_default_and_a_claim_overrides_it() {
        let yearly = seen(&["MLI"], "2021-03", "2022-08");
        let Claimed {
            countries: c,
            from,
            until,
            complete,
            ..
        } = of_file("ucdp-ged", &yearly, None).unwrap().unwrap();
        assert!(c.is_empty() && complete);
        assert_eq!(
            (month_label(from), month_label(until)),
            ("2021-01".into(), "2022-12".into())
        );
        let mut candidate = seen(&["MLI", "BFA"], "2023-10", "2023-10");
        for _ in 0..100 {
            candidate.note("MLI", m("2023-10"));
        }
        // A late-coded event of February: the file is still October's.
        candidate.note("NER", m("2023-02"));
        let Claimed {
            countries: c,
            from,
            until,
            complete,
            ..
        } = of_file("ucdp-ged", &candidate, None).unwrap().unwrap();
        assert!(c.is_empty() && complete);
        assert_eq!(
            (month_label(from), month_label(until)),
            ("2023-10".into(), "2023-10".into())
        );
        let Claimed {
            countries: c,
            complete,
            basis,
            ..
        } = of_file("ucdp-ged", &yearly, Some(Claim::Partial))
            .unwrap()
            .unwrap();
        assert!(!complete && c == ["MLI"] && basis.contains("partial"));
        let Claimed {
            countries: c,
            complete,
            ..
        } = of_file("acled", &candidate, None).unwrap().unwrap();
        assert!(complete && c == ["BFA", "MLI", "NER"]);
        assert!(
            !of_file("gdelt", &candidate, None)
                .unwrap()
                .unwrap()
                .complete
        );
        assert!(of_file("gdelt", &candidate, Some(Claim::Complete)).is_err());
        assert_eq!(
            of_file("gdelt", &candidate, None)
                .unwrap()
                .unwrap()
                .basis_key,
            "coverage.basis.gdelt"
        );
        assert_eq!(
            of_file("hxl", &candidate, None).unwrap().unwrap().basis_key,
            "coverage.basis.partialByDefault"
        );
        assert_eq!(
            of_file("acled", &candidate, Some(Claim::Partial))
                .unwrap()
                .unwrap()
                .basis_key,
            "coverage.basis.saidPartial"
        );
        assert_eq!(
            of_file("ucdp-ged", &candidate, None)
                .unwrap()
                .unwrap()
                .basis_key,
            "coverage.basis.gedCandidate"
        );
        assert!(!of_file("hxl", &candidate, None).unwrap().unwrap().complete);
        assert!(
            of_file("hxl", &candidate, Some(Claim::Complete))
                .unwrap()
                .unwrap()
                .complete
        );
        assert_eq!(of_file("acled", &Seen::default(), None).unwrap(), None);
    }

    #[test]
    fn only_complete_sources_cover_a_month() {
        let rs = [
            record(&[], "2023-10", "2023-10", true),
            record(&["BEN"], "2020-01", "2022-12", true),
            record(&["MLI"], "1989-01", "2022-12", false),
        ];
        let ix = CoverageIndex::new(&rs);
        assert!(ix.complete(Some("MLI"), m("2023-10")));
        assert!(
            !ix.complete(Some("MLI"), m("2022-10")),
            "a partial source never covers"
        );
        assert!(ix.complete(Some("BEN"), m("2021-06")));
        assert!(!ix.complete(None, m("2021-06")));
        assert_eq!(ix.missing(Some("BEN"), m("2022-11"), m("2023-10")).len(), 9);
        assert_eq!(ix.last_complete(Some("BEN")), Some(m("2023-10")));
        assert_eq!(ix.last_any(), Some(m("2023-10")));
        assert_eq!(
            ix.sources(Some("BEN"), m("2022-06"), m("2023-10")),
            ["acled: f.csv"]
        );
        assert!(ix
            .sources(Some("MLI"), m("2020-01"), m("2022-12"))
            .is_empty());
        assert_eq!(
            month_ranges(&[m("2021-10"), m("2021-11"), m("2021-12"), m("2023-01")]),
            "2021-10 – 2021-12, 2023-01"
        );
    }

    #[test]
    fn data_more_than_three_months_old_are_stale() {
        let now = m("2026-12");
        assert!(Freshness::of(Some(m("2023-10")), now).stale);
        assert!(!Freshness::of(Some(m("2026-09")), now).stale);
        assert!(Freshness::of(Some(m("2026-08")), now).stale);
        assert_eq!(
            Freshness::of(Some(m("2023-10")), now).months_behind,
            Some(38)
        );
        assert!(!Freshness::of(None, now).stale);
    }
}
