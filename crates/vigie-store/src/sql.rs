//! SQL shared by every backend: the event columns, how a filter becomes a WHERE clause,
//! and how a row becomes an [`Event`]. Backends differ only in dialect details they pass in.

use chrono::NaiveDate;
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;
use vigie_core::{
    Actor, DatePrecision, Event, Fatalities, LocationPrecision, Marking, Period, Place, Provenance,
    Source, ViolenceCategory,
};

use crate::copy::{Kind, Value, ValueRow};
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

/// Every backend's import upsert: `INSERT INTO events (EVENT_COLUMNS) <rows>`, `rows`
/// being where the backend takes them from (`VALUES (…)`, `SELECT … FROM staging`). A
/// known event is updated only when its content hash differs; the statement returns the
/// version of each row written (1 when inserted), nothing for an unchanged one.
pub fn upsert_events_sql(rows: &str) -> String {
    let set = EVENT_COLUMNS
        .iter()
        .filter(|c| **c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO events ({}) {rows} \
         ON CONFLICT (source, source_id) DO UPDATE SET {set}, version = events.version + 1 \
         WHERE events.content_hash <> excluded.content_hash \
         RETURNING version",
        EVENT_COLUMNS.join(", ")
    )
}

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

/// One stored value of an event, borrowed from it: what each backend writes its own way
/// (sqlx binds, PostgreSQL's COPY text, SQLite's import statement).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field<'a> {
    Uuid(Uuid),
    Text(Option<&'a str>),
    Int(Option<i64>),
    Real(Option<f64>),
    Date(NaiveDate),
}

/// An event's stored values, in [`EVENT_COLUMNS`] order: `extra` and `hash` as
/// [`crate::Prepared`] computes them, `batch` the import batch the row carries.
pub fn event_fields<'a>(
    e: &'a Event,
    extra: &'a str,
    hash: i64,
    batch: Option<i64>,
) -> [Field<'a>; EVENT_COLUMNS.len()] {
    use Field::{Date, Int, Real, Text};
    let p = &e.place;
    let int32 = |v: Option<i32>| Int(v.map(i64::from));
    let name = |a: &'a Option<Actor>| Text(a.as_ref().map(|a| a.name.as_str()));
    let id = |a: &'a Option<Actor>| Text(a.as_ref().and_then(|a| a.source_id.as_deref()));
    [
        Field::Uuid(e.id),
        Text(Some(e.source.as_str())),
        Text(Some(&e.source_id)),
        Text(e.source_version.as_deref()),
        Int(Some(hash)),
        Date(e.period.start),
        Date(e.period.end),
        Text(Some(e.period.precision.as_str())),
        Real(p.latitude),
        Real(p.longitude),
        Text(p.precision.map(|x| x.as_str())),
        int32(p.source_precision),
        Text(p.country.as_deref()),
        int32(p.gw_id),
        int32(p.views_id),
        Text(p.admin1.as_deref()),
        Text(p.admin2.as_deref()),
        Text(p.location.as_deref()),
        int32(p.priogrid_gid),
        Text(Some(e.category.as_str())),
        Text(Some(&e.source_type)),
        name(&e.side_a),
        id(&e.side_a),
        name(&e.side_b),
        id(&e.side_b),
        Int(e.fatalities.best),
        Int(e.fatalities.low),
        Int(e.fatalities.high),
        Text(e.description.as_deref()),
        Text(Some(extra)),
        Int(batch),
        Text(Some(&e.provenance.file)),
        Int(Some(i64::try_from(e.provenance.line).unwrap_or(i64::MAX))),
        Text(Some(&e.owner)),
        Text(Some(e.marking.as_str())),
    ]
}

/// Reads column `i` of `row` as a timestamp written by [`timestamp`].
pub fn timestamp_at<R: ValueRow>(
    row: &R,
    i: usize,
    column: &'static str,
) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    match row.value(i, Kind::Text)? {
        Value::Text(s) => parse_timestamp(&s, column),
        _ => Err(corrupt(column, "is NULL")),
    }
}

/// Appends `v1, v2, …` binding an event's stored columns in [`EVENT_COLUMNS`] order.
pub fn push_event_values<'a, DB>(qb: &mut QueryBuilder<'a, DB>, e: &Event, extra: &str, hash: i64)
where
    DB: Database,
    Option<String>: Encode<'a, DB> + Type<DB>,
    Option<i64>: Encode<'a, DB> + Type<DB>,
    Option<f64>: Encode<'a, DB> + Type<DB>,
    Uuid: Encode<'a, DB> + Type<DB>,
    NaiveDate: Encode<'a, DB> + Type<DB>,
{
    let mut sep = qb.separated(", ");
    for field in event_fields(e, extra, hash, e.provenance.batch) {
        match field {
            Field::Uuid(u) => sep.push_bind(u),
            Field::Text(t) => sep.push_bind(t.map(str::to_string)),
            Field::Int(i) => sep.push_bind(i),
            Field::Real(r) => sep.push_bind(r),
            Field::Date(d) => sep.push_bind(d),
        };
    }
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

fn corrupt(column: &'static str, reason: impl ToString) -> StoreError {
    StoreError::corrupt(column, reason)
}

/// Reads an event from a row whose columns are [`EVENT_COLUMNS`], in order, from index `at`.
pub fn event_from_row<R: ValueRow>(row: &R, at: usize) -> Result<Event, StoreError> {
    let value = |i: usize, kind: Kind| row.value(at + i, kind);
    let null = |i: usize| corrupt(EVENT_COLUMNS[i], "is NULL");
    let os = |i: usize| -> Result<Option<String>, StoreError> {
        Ok(match value(i, Kind::Text)? {
            Value::Text(s) => Some(s),
            _ => None,
        })
    };
    let s = |i: usize| -> Result<String, StoreError> { os(i)?.ok_or_else(|| null(i)) };
    let oi = |i: usize| -> Result<Option<i64>, StoreError> {
        Ok(match value(i, Kind::Int)? {
            Value::Int(v) => Some(v),
            _ => None,
        })
    };
    let of = |i: usize| -> Result<Option<f64>, StoreError> {
        Ok(match value(i, Kind::Real)? {
            Value::Real(v) => Some(v),
            _ => None,
        })
    };
    let date = |i: usize| -> Result<NaiveDate, StoreError> {
        match value(i, Kind::Date)? {
            Value::Date(d) => Ok(d),
            _ => Err(null(i)),
        }
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
        id: match value(0, Kind::Uuid)? {
            Value::Uuid(id) => id,
            _ => return Err(null(0)),
        },
        source,
        source_id: s(2)?,
        source_version: os(3)?,
        period: Period {
            start: date(5)?,
            end: date(6)?,
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
