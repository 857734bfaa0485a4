//! Binding an event's columns, in `vigie_store::sql::EVENT_COLUMNS` order.

use sqlx::query::Query;
use sqlx::sqlite::{Sqlite, SqliteArguments};
use vigie_core::Event;

/// Binds every stored column of `e` (with `content_hash` and the import `batch_id`).
pub(crate) fn bind_event<'q>(
    q: Query<'q, Sqlite, SqliteArguments<'q>>,
    e: &'q Event,
    content_hash: i64,
    batch_id: i64,
) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    let p = &e.place;
    q.bind(e.id)
        .bind(e.source.as_str())
        .bind(e.source_id.as_str())
        .bind(e.source_version.as_deref())
        .bind(content_hash)
        .bind(e.period.start)
        .bind(e.period.end)
        .bind(e.period.precision.as_str())
        .bind(p.latitude)
        .bind(p.longitude)
        .bind(p.precision.map(|x| x.as_str()))
        .bind(p.source_precision)
        .bind(p.country.as_deref())
        .bind(p.gw_id)
        .bind(p.views_id)
        .bind(p.admin1.as_deref())
        .bind(p.admin2.as_deref())
        .bind(p.location.as_deref())
        .bind(p.priogrid_gid)
        .bind(e.category.as_str())
        .bind(e.source_type.as_str())
        .bind(e.side_a.as_ref().map(|a| a.name.as_str()))
        .bind(e.side_a.as_ref().and_then(|a| a.source_id.as_deref()))
        .bind(e.side_b.as_ref().map(|a| a.name.as_str()))
        .bind(e.side_b.as_ref().and_then(|a| a.source_id.as_deref()))
        .bind(e.fatalities.best)
        .bind(e.fatalities.low)
        .bind(e.fatalities.high)
        .bind(e.description.as_deref())
        .bind(serde_json::Value::Object(e.extra.clone()).to_string())
        .bind(batch_id)
        .bind(e.provenance.file.as_str())
        .bind(e.provenance.line as i64)
        .bind(e.owner.as_str())
        .bind(e.marking.as_str())
}
