//! Reads: lists, counts, single events, history, statistics, imports.

use futures::StreamExt;
use sqlx::postgres::{PgPool, Postgres};
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;
use vigie_core::Event;
use vigie_store::sql::{
    event_column_list, event_from_row, push_event_filter, push_event_order_and_page,
};
use vigie_store::{
    EventFilter, EventStream, EventVersion, ImportCounts, ImportRecord, StatRow, StatsBy,
    StoreError,
};

/// Streams through a channel, so the stream owns nothing borrowed and memory stays flat.
pub(crate) fn events(pool: PgPool, filter: EventFilter) -> EventStream<'static> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Event, StoreError>>(256);
    tokio::spawn(async move {
        let mut qb =
            QueryBuilder::<Postgres>::new(format!("SELECT {} FROM events", event_column_list("")));
        push_event_filter(&mut qb, &filter);
        push_event_order_and_page(&mut qb, &filter);
        let mut rows = qb.build().fetch(&pool);
        while let Some(row) = rows.next().await {
            let item = row
                .map_err(StoreError::from)
                .and_then(|r| event_from_row(&r, 0));
            let failed = item.is_err();
            if tx.send(item).await.is_err() || failed {
                break;
            }
        }
    });
    futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
    .boxed()
}

pub(crate) async fn count_events(pool: &PgPool, filter: &EventFilter) -> Result<u64, StoreError> {
    let mut qb = QueryBuilder::<Postgres>::new("SELECT count(*) FROM events");
    push_event_filter(&mut qb, filter);
    let n: i64 = qb.build_query_scalar().fetch_one(pool).await?;
    Ok(n as u64)
}

pub(crate) async fn event(pool: &PgPool, id: Uuid) -> Result<Option<Event>, StoreError> {
    let sql = format!("SELECT {} FROM events WHERE id = $1", event_column_list(""));
    let row = sqlx::query(&sql).bind(id).fetch_optional(pool).await?;
    row.map(|r| event_from_row(&r, 0)).transpose()
}

pub(crate) async fn event_history(
    pool: &PgPool,
    id: Uuid,
) -> Result<Vec<EventVersion>, StoreError> {
    let sql = format!(
        "SELECT version, replaced_at, {} FROM event_history WHERE id = $1 ORDER BY version",
        event_column_list("")
    );
    let rows = sqlx::query(&sql).bind(id).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            Ok(EventVersion {
                version: r.try_get(0)?,
                replaced_at: r.try_get(1)?,
                event: event_from_row(r, 2)?,
            })
        })
        .collect()
}

pub(crate) async fn stats(
    pool: &PgPool,
    by: StatsBy,
    filter: &EventFilter,
) -> Result<Vec<StatRow>, StoreError> {
    let groups = match by {
        StatsBy::CountryMonth => "country, NULL::TEXT",
        StatsBy::Admin1Month => "country, admin1",
    };
    let mut qb = QueryBuilder::<Postgres>::new(format!(
        "SELECT {groups}, to_char(date_start, 'YYYY-MM') AS month, count(*), coalesce(sum(fatalities_best), 0)::BIGINT FROM events"
    ));
    push_event_filter(&mut qb, filter);
    let order = match by {
        StatsBy::CountryMonth => " GROUP BY 1, 3 ORDER BY 1, 3",
        StatsBy::Admin1Month => " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    };
    qb.push(order);
    let rows = qb.build().fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            Ok(StatRow {
                country: r.try_get(0)?,
                admin1: r.try_get(1)?,
                month: r.try_get(2)?,
                events: r.try_get(3)?,
                fatalities: r.try_get(4)?,
            })
        })
        .collect()
}

pub(crate) async fn imports(pool: &PgPool) -> Result<Vec<ImportRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, file, format, file_size, started_at, finished_at, inserted, updated, unchanged, rejected \
         FROM import_batches WHERE finished_at IS NOT NULL ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let n =
                |i: usize| -> Result<u64, StoreError> { Ok(r.try_get::<i64, _>(i)?.max(0) as u64) };
            Ok(ImportRecord {
                id: r.try_get(0)?,
                file: r.try_get(1)?,
                format: r.try_get(2)?,
                file_size: n(3)?,
                started_at: r.try_get(4)?,
                finished_at: r.try_get(5)?,
                counts: ImportCounts {
                    inserted: n(6)?,
                    updated: n(7)?,
                    unchanged: n(8)?,
                },
                rejected: n(9)?,
            })
        })
        .collect()
}
