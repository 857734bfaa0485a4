//! What a reader asks of the records, checked once for every channel: the API's query
//! parameters and the command line's flags both become an [`EventFilter`] as asked, which
//! [`events`] or [`event_page`] check before any store reads it. Values typed as text are read with
//! [`parsed`] and [`date`], which name the field they refuse.

use std::str::FromStr;

use chrono::NaiveDate;
use vigie_core::{CheckError, Code};
use vigie_store::EventFilter;

/// The largest page a list returns.
pub const MAX_LIMIT: u64 = 1000;
/// A page's size when the reader names none.
pub const DEFAULT_LIMIT: u64 = 100;
/// The largest offset a list accepts (far beyond any store; keeps the SQL in range).
pub const MAX_OFFSET: u64 = 1_000_000_000_000;

/// A value typed as text, read as a `T` (a category, a source, a marking, a status).
pub fn parsed<T>(field: &str, text: Option<&str>) -> Result<Option<T>, CheckError>
where
    T: FromStr<Err = CheckError>,
{
    text.map(|s| s.parse::<T>().map_err(|e| e.at(field)))
        .transpose()
}

/// A day typed as text (`YYYY-MM-DD`).
pub fn date(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>, CheckError> {
    text.map(|s| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            CheckError::new(
                field,
                Code::Malformed,
                format!("{s:?} is not a date (YYYY-MM-DD)"),
            )
        })
    })
    .transpose()
}

/// How many items a reader asks for: `default` when none, else 1 to `max`.
pub fn count(field: &str, asked: Option<u64>, default: u64, max: u64) -> Result<u64, CheckError> {
    let n = asked.unwrap_or(default);
    if !(1..=max).contains(&n) {
        return Err(CheckError::new(
            field,
            Code::OutOfRange,
            format!("{n} is outside 1..={max}"),
        ));
    }
    Ok(n)
}

/// A page of a list: at most `limit` items ([`DEFAULT_LIMIT`] when none is named), after
/// skipping `offset`; the limit, and the offset (none for 0).
pub fn page(limit: Option<u64>, offset: Option<u64>) -> Result<(u64, Option<u64>), CheckError> {
    let limit = count("limit", limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let offset = match offset {
        Some(o) if o > MAX_OFFSET => {
            return Err(CheckError::new(
                "offset",
                Code::OutOfRange,
                format!("{o} is beyond {MAX_OFFSET}"),
            ))
        }
        Some(0) | None => None,
        Some(o) => Some(o),
    };
    Ok((limit, offset))
}

/// Text that narrows a list, or none when it is blank.
fn words(text: Option<String>) -> Option<String> {
    text.filter(|s| !s.trim().is_empty())
}

/// Every event that `asked` matches (statistics, map data, exports), checked: the country
/// is a known code (made upper-case), `from` is not after `to`, and blank text narrows
/// nothing. Its limit and offset are dropped.
pub fn events(asked: EventFilter) -> Result<EventFilter, CheckError> {
    let country = asked
        .country
        .map(|c| {
            vigie_core::country::checked(c.trim())
                .map(|_| c.trim().to_ascii_uppercase())
                .map_err(|e| e.at("country"))
        })
        .transpose()?;
    if let (Some(f), Some(t)) = (asked.from, asked.to) {
        if f > t {
            return Err(CheckError::new(
                "from",
                Code::Inconsistent,
                format!("{f} is after to={t}"),
            ));
        }
    }
    Ok(EventFilter {
        country,
        admin1: words(asked.admin1),
        actor: words(asked.actor),
        text: words(asked.text),
        limit: None,
        offset: None,
        ..asked
    })
}

/// A page of the events `asked` matches (see [`events`] and [`page`]).
pub fn event_page(
    asked: EventFilter,
    limit: Option<u64>,
    offset: Option<u64>,
) -> Result<EventFilter, CheckError> {
    let (limit, offset) = page(limit, offset)?;
    Ok(EventFilter {
        limit: Some(limit),
        offset,
        ..events(asked)?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn criteria_are_checked_and_named() {
        let f = events(EventFilter {
            country: Some(" mli ".into()),
            admin1: Some("  ".into()),
            actor: Some("JNIM".into()),
            limit: Some(3),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(f.country.as_deref(), Some("MLI"));
        assert_eq!(f.admin1, None);
        assert_eq!(f.actor.as_deref(), Some("JNIM"));
        assert_eq!(f.limit, None);

        let e = events(EventFilter {
            country: Some("XXX".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("country", Code::Unknown));
        assert!(e.message.contains("\"XXX\""), "{e}");

        let e = event_page(
            EventFilter {
                from: Some(day("2024-02-01")),
                to: Some(day("2024-01-01")),
                ..Default::default()
            },
            None,
            None,
        )
        .unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("from", Code::Inconsistent));
        assert_eq!(e.to_string(), "from: 2024-02-01 is after to=2024-01-01");
        let f = event_page(EventFilter::default(), Some(7), Some(2)).unwrap();
        assert_eq!((f.limit, f.offset), (Some(7), Some(2)));
    }

    #[test]
    fn pages_stay_in_range() {
        assert_eq!(page(None, Some(0)).unwrap(), (DEFAULT_LIMIT, None));
        assert_eq!(page(Some(1000), Some(5)).unwrap(), (1000, Some(5)));
        for (limit, offset, field) in [
            (Some(0), None, "limit"),
            (Some(1001), None, "limit"),
            (None, Some(MAX_OFFSET + 1), "offset"),
        ] {
            let e = page(limit, offset).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), (field, Code::OutOfRange));
        }
        let e = date("to", Some("yesterday")).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("to", Code::Malformed));
        let e = count("max", Some(6000), 5000, 5000).unwrap_err();
        assert_eq!(e.to_string(), "max: 6000 is outside 1..=5000");
        let e = parsed::<vigie_core::Marking>("marking", Some("TLP:PINK")).unwrap_err();
        assert_eq!(e.field.as_str(), "marking");
    }
}
