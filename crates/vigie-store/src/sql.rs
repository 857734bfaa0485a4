//! SQL shared by every backend: the event columns, how a filter becomes a WHERE clause,
//! and how a row becomes an [`Event`]. Backends differ only in dialect details they pass in.

use chrono::NaiveDate;
use sqlx::{ColumnIndex, Database, Decode, Encode, QueryBuilder, Row, Type};
use uuid::Uuid;
use vigie_core::{
    Actor, DatePrecision, Event, Fatalities, LocationPrecision, Marking, Period, Place, Provenance,
    Source, ViolenceCategory,
};

use crate::{EventFilter, StoreError};

/// The stored columns of an event, in the order [`event_from_row`] reads and backends bind them.
pub const EVENT_COLUMNS: &[&str] = &[
    "id",
    "source",
    "source_id",
    "source_version",
    "content_hash",
    "date_start",
    "date_end",
    "date_precision",
    "latitude",
    "longitude",
    "location_precision",
    "source_location_precision",
    "country",
    "gw_id",
    "views_id",
    "admin1",
    "admin2",
    "location",
    "priogrid_gid",
    "category",
    "source_type",
    "side_a",
    "side_a_id",
    "side_b",
    "side_b_id",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "description",
    "extra",
    "batch_id",
    "file",
    "line",
    "owner",
    "marking",
];

/// `EVENT_COLUMNS` joined with ", ", each prefixed by `prefix` (e.g. "e.").
pub fn event_column_list(prefix: &str) -> String {
    EVENT_COLUMNS
        .iter()
        .map(|c| format!("{prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends ` AND …` for each condition of `filter` to a query over `events` whose WHERE
/// clause has begun (with the gate, [`crate::gate::push_visible`]).
pub fn push_event_filter<'a, DB>(qb: &mut QueryBuilder<'a, DB>, filter: &EventFilter)
where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
    NaiveDate: Encode<'a, DB> + Type<DB>,
{
    let next = |qb: &mut QueryBuilder<'a, DB>| {
        qb.push(" AND ");
    };
    if let Some(c) = &filter.country {
        next(qb);
        qb.push("country = ")
            .push_bind(c.trim().to_ascii_uppercase());
    }
    if let Some(a) = &filter.admin1 {
        let a = a.trim().to_lowercase();
        next(qb);
        qb.push("(lower(admin1) = ").push_bind(a.clone());
        qb.push(" OR lower(admin1) LIKE ")
            .push_bind(format!("{} %", escape_like(&a)));
        qb.push(" ESCAPE '\\')");
    }
    if let Some(d) = filter.from {
        next(qb);
        qb.push("date_end >= ").push_bind(d);
    }
    if let Some(d) = filter.to {
        next(qb);
        qb.push("date_start <= ").push_bind(d);
    }
    if let Some(c) = filter.category {
        next(qb);
        qb.push("category = ").push_bind(c.as_str().to_string());
    }
    if let Some(a) = &filter.actor {
        let pat = format!("%{}%", escape_like(&a.trim().to_lowercase()));
        next(qb);
        qb.push("(lower(side_a) LIKE ").push_bind(pat.clone());
        qb.push(" ESCAPE '\\' OR lower(side_b) LIKE ")
            .push_bind(pat);
        qb.push(" ESCAPE '\\')");
    }
    if let Some(s) = filter.source {
        next(qb);
        qb.push("source = ").push_bind(s.as_str().to_string());
    }
    if let Some(m) = filter.marking {
        next(qb);
        qb.push("marking = ").push_bind(m.as_str().to_string());
    }
    if let Some(t) = &filter.text {
        let pat = format!("%{}%", escape_like(&t.trim().to_lowercase()));
        next(qb);
        qb.push("(");
        for (i, col) in ["description", "location", "admin1", "side_a", "side_b"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                qb.push(" OR ");
            }
            qb.push(format!("lower({col}) LIKE "))
                .push_bind(pat.clone())
                .push(" ESCAPE '\\'");
        }
        qb.push(")");
    }
}

/// Appends ` AND …` for `filter` to a query over `reports`.
pub fn push_report_filter<'a, DB>(qb: &mut QueryBuilder<'a, DB>, filter: &crate::ReportFilter)
where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
{
    if let Some(c) = &filter.country {
        qb.push(" AND r.country = ")
            .push_bind(c.trim().to_ascii_uppercase());
    }
    if let Some(s) = filter.status {
        qb.push(" AND r.status = ")
            .push_bind(s.as_str().to_string());
    }
    if let Some(t) = &filter.text {
        let pat = format!("%{}%", escape_like(&t.trim().to_lowercase()));
        qb.push(" AND (lower(r.title) LIKE ")
            .push_bind(pat.clone())
            .push(" ESCAPE '\\' OR lower(r.body) LIKE ")
            .push_bind(pat)
            .push(" ESCAPE '\\')");
    }
}

/// Appends the order of report lists (newest first) and the page.
pub fn push_report_order_and_page<'a, DB: Database>(
    qb: &mut QueryBuilder<'a, DB>,
    filter: &crate::ReportFilter,
) {
    qb.push(" ORDER BY r.created_at DESC, r.id");
    push_page(qb, filter.limit, filter.offset);
}

/// How every stored timestamp is written: RFC 3339, UTC, microseconds.
pub fn timestamp(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Reads a timestamp written by [`timestamp`].
pub fn parse_timestamp(
    s: &str,
    column: &'static str,
) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| corrupt(column, e.to_string()))
}

/// Appends `v1, v2, …` binding an event's stored columns in [`EVENT_COLUMNS`] order.
pub fn push_event_values<'a, DB>(qb: &mut QueryBuilder<'a, DB>, e: &Event, extra: &str, hash: i64)
where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
    Option<String>: Encode<'a, DB> + Type<DB>,
    i64: Encode<'a, DB> + Type<DB>,
    Option<i64>: Encode<'a, DB> + Type<DB>,
    Option<f64>: Encode<'a, DB> + Type<DB>,
    Uuid: Encode<'a, DB> + Type<DB>,
    NaiveDate: Encode<'a, DB> + Type<DB>,
{
    let p = &e.place;
    let mut sep = qb.separated(", ");
    sep.push_bind(e.id);
    sep.push_bind(e.source.as_str().to_string());
    sep.push_bind(e.source_id.clone());
    sep.push_bind(e.source_version.clone());
    sep.push_bind(hash);
    sep.push_bind(e.period.start);
    sep.push_bind(e.period.end);
    sep.push_bind(e.period.precision.as_str().to_string());
    sep.push_bind(p.latitude);
    sep.push_bind(p.longitude);
    sep.push_bind(p.precision.map(|x| x.as_str().to_string()));
    sep.push_bind(p.source_precision.map(i64::from));
    sep.push_bind(p.country.clone());
    sep.push_bind(p.gw_id.map(i64::from));
    sep.push_bind(p.views_id.map(i64::from));
    sep.push_bind(p.admin1.clone());
    sep.push_bind(p.admin2.clone());
    sep.push_bind(p.location.clone());
    sep.push_bind(p.priogrid_gid.map(i64::from));
    sep.push_bind(e.category.as_str().to_string());
    sep.push_bind(e.source_type.clone());
    sep.push_bind(e.side_a.as_ref().map(|a| a.name.clone()));
    sep.push_bind(e.side_a.as_ref().and_then(|a| a.source_id.clone()));
    sep.push_bind(e.side_b.as_ref().map(|a| a.name.clone()));
    sep.push_bind(e.side_b.as_ref().and_then(|a| a.source_id.clone()));
    sep.push_bind(e.fatalities.best);
    sep.push_bind(e.fatalities.low);
    sep.push_bind(e.fatalities.high);
    sep.push_bind(e.description.clone());
    sep.push_bind(extra.to_string());
    sep.push_bind(e.provenance.batch);
    sep.push_bind(e.provenance.file.clone());
    sep.push_bind(e.provenance.line as i64);
    sep.push_bind(e.owner.clone());
    sep.push_bind(e.marking.as_str().to_string());
}

/// Appends ORDER BY, LIMIT and OFFSET for a list.
pub fn push_event_order_and_page<'a, DB: Database>(
    qb: &mut QueryBuilder<'a, DB>,
    filter: &EventFilter,
) {
    qb.push(" ORDER BY date_start, id");
    push_page(qb, filter.limit, filter.offset);
}

/// Appends LIMIT and OFFSET.
pub fn push_page<'a, DB: Database>(
    qb: &mut QueryBuilder<'a, DB>,
    limit: Option<u64>,
    offset: Option<u64>,
) {
    // Integers are written, not bound: they are ours, and some backends want a type for LIMIT.
    match (limit, offset) {
        (Some(l), o) => {
            qb.push(format!(" LIMIT {l}"));
            if let Some(o) = o {
                qb.push(format!(" OFFSET {o}"));
            }
        }
        (None, Some(o)) => {
            // SQLite wants a LIMIT before an OFFSET and PostgreSQL refuses `LIMIT -1`; the
            // largest BIGINT is "no limit" to both.
            qb.push(format!(" LIMIT {} OFFSET {o}", i64::MAX));
        }
        (None, None) => {}
    }
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn corrupt(column: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        column,
        reason: reason.into(),
    }
}

/// Reads an event from a row whose columns are [`EVENT_COLUMNS`], in order, from index `at`.
pub fn event_from_row<'r, R>(row: &'r R, at: usize) -> Result<Event, StoreError>
where
    R: Row,
    usize: ColumnIndex<R>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    f64: Decode<'r, R::Database> + Type<R::Database>,
    Uuid: Decode<'r, R::Database> + Type<R::Database>,
    NaiveDate: Decode<'r, R::Database> + Type<R::Database>,
{
    let s = |i: usize| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(at + i)?) };
    let os = |i: usize| -> Result<Option<String>, StoreError> {
        Ok(row.try_get::<Option<String>, _>(at + i)?)
    };
    let oi = |i: usize| -> Result<Option<i64>, StoreError> {
        Ok(row.try_get::<Option<i64>, _>(at + i)?)
    };
    let of = |i: usize| -> Result<Option<f64>, StoreError> {
        Ok(row.try_get::<Option<f64>, _>(at + i)?)
    };
    let oi32 = |i: usize| -> Result<Option<i32>, StoreError> {
        oi(i)?
            .map(|v| {
                i32::try_from(v).map_err(|_| corrupt(EVENT_COLUMNS[i], format!("{v} out of range")))
            })
            .transpose()
    };

    let source: Source = s(1)?
        .parse()
        .map_err(|e: vigie_core::CheckError| corrupt("source", e.message))?;
    let precision = s(7)?;
    let loc_precision = os(10)?;
    let category = s(19)?;
    let extra = s(29)?;
    let marking = s(34)?;
    let actor = |name: Option<String>, id: Option<String>| {
        name.map(|name| Actor {
            name,
            source_id: id,
        })
    };
    Ok(Event {
        id: row.try_get::<Uuid, _>(at)?,
        source,
        source_id: s(2)?,
        source_version: os(3)?,
        period: Period {
            start: row.try_get::<NaiveDate, _>(at + 5)?,
            end: row.try_get::<NaiveDate, _>(at + 6)?,
            precision: DatePrecision::parse(&precision)
                .ok_or_else(|| corrupt("date_precision", precision.clone()))?,
        },
        place: Place {
            latitude: of(8)?,
            longitude: of(9)?,
            precision: match loc_precision {
                Some(p) => Some(
                    LocationPrecision::parse(&p)
                        .ok_or_else(|| corrupt("location_precision", p.clone()))?,
                ),
                None => None,
            },
            source_precision: oi32(11)?,
            country: os(12)?,
            gw_id: oi32(13)?,
            views_id: oi32(14)?,
            admin1: os(15)?,
            admin2: os(16)?,
            location: os(17)?,
            priogrid_gid: oi32(18)?,
        },
        category: category
            .parse::<ViolenceCategory>()
            .map_err(|e| corrupt("category", e.message))?,
        source_type: s(20)?,
        side_a: actor(os(21)?, os(22)?),
        side_b: actor(os(23)?, os(24)?),
        fatalities: Fatalities {
            best: oi(25)?,
            low: oi(26)?,
            high: oi(27)?,
        },
        description: os(28)?,
        extra: serde_json::from_str(&extra).map_err(|e| corrupt("extra", e.to_string()))?,
        provenance: Provenance {
            batch: oi(30)?,
            // Stores written before provenance kept only names may hold paths.
            file: Provenance::file_name(&s(31)?).to_string(),
            line: oi(32)?.unwrap_or(0).max(0) as u64,
        },
        owner: s(33)?,
        marking: marking
            .parse::<Marking>()
            .map_err(|e| corrupt("marking", e.message))?,
    })
}
