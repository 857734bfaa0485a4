//! Every backend's reads, written once. `store_reads!` expands, inside a backend crate, to
//! the functions its `Store` implementation calls, for that backend's concrete sqlx types;
//! only the dialect's few differences are passed in. Whatever rule a read must follow
//! (the visibility gate, later) is added here, once, for every backend.
//!
//! The expanding crate must depend on `sqlx`, `futures`, `tokio` (with `rt` and `sync`),
//! `uuid` and `vigie-core`.

/// Expands to `events`, `count_events`, `event`, `event_history`, `stats` and `imports`.
///
/// - `db`, `pool`: the sqlx database and pool types;
/// - `month`: an SQL expression giving `date_start`'s `YYYY-MM`;
/// - `no_admin1`: a typed SQL NULL in the admin-1 column of country-month statistics;
/// - `fatalities`: an SQL expression summing `fatalities_best` as a 64-bit integer.
#[macro_export]
macro_rules! store_reads {
    (db: $db:ty, pool: $pool:ty, month: $month:expr, no_admin1: $null:expr, fatalities: $sum:expr $(,)?) => {
        use ::futures::StreamExt as _;
        use ::sqlx::Row as _;

        /// Streams through a channel, so the stream owns nothing borrowed and memory stays flat.
        pub(crate) fn events(
            pool: $pool,
            filter: $crate::EventFilter,
        ) -> $crate::EventStream<'static> {
            let (tx, rx) = ::tokio::sync::mpsc::channel::<
                Result<::vigie_core::Event, $crate::StoreError>,
            >(256);
            ::tokio::spawn(async move {
                let mut qb = ::sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM events",
                    $crate::sql::event_column_list("")
                ));
                $crate::sql::push_event_filter(&mut qb, &filter);
                $crate::sql::push_event_order_and_page(&mut qb, &filter);
                let mut rows = qb.build().fetch(&pool);
                while let Some(row) = rows.next().await {
                    let item = row
                        .map_err($crate::StoreError::from)
                        .and_then(|r| $crate::sql::event_from_row(&r, 0));
                    let failed = item.is_err();
                    if tx.send(item).await.is_err() || failed {
                        break;
                    }
                }
            });
            ::futures::stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|item| (item, rx))
            })
            .boxed()
        }

        pub(crate) async fn count_events(
            pool: &$pool,
            filter: &$crate::EventFilter,
        ) -> Result<u64, $crate::StoreError> {
            let mut qb = ::sqlx::QueryBuilder::<$db>::new("SELECT count(*) FROM events");
            $crate::sql::push_event_filter(&mut qb, filter);
            let n: i64 = qb.build_query_scalar().fetch_one(pool).await?;
            Ok(n.max(0) as u64)
        }

        pub(crate) async fn event(
            pool: &$pool,
            id: ::uuid::Uuid,
        ) -> Result<Option<::vigie_core::Event>, $crate::StoreError> {
            let mut qb = ::sqlx::QueryBuilder::<$db>::new(format!(
                "SELECT {} FROM events WHERE id = ",
                $crate::sql::event_column_list("")
            ));
            qb.push_bind(id);
            let row = qb.build().fetch_optional(pool).await?;
            row.map(|r| $crate::sql::event_from_row(&r, 0)).transpose()
        }

        pub(crate) async fn event_history(
            pool: &$pool,
            id: ::uuid::Uuid,
        ) -> Result<Vec<$crate::EventVersion>, $crate::StoreError> {
            let mut qb = ::sqlx::QueryBuilder::<$db>::new(format!(
                "SELECT version, replaced_at, {} FROM event_history WHERE id = ",
                $crate::sql::event_column_list("")
            ));
            qb.push_bind(id).push(" ORDER BY version");
            let rows = qb.build().fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok($crate::EventVersion {
                        version: r.try_get(0)?,
                        replaced_at: r.try_get(1)?,
                        event: $crate::sql::event_from_row(r, 2)?,
                    })
                })
                .collect()
        }

        pub(crate) async fn stats(
            pool: &$pool,
            by: $crate::StatsBy,
            filter: &$crate::EventFilter,
        ) -> Result<Vec<$crate::StatRow>, $crate::StoreError> {
            let (groups, order) = match by {
                $crate::StatsBy::CountryMonth => (
                    format!("country, {}", $null),
                    " GROUP BY 1, 3 ORDER BY 1, 3",
                ),
                $crate::StatsBy::Admin1Month => (
                    "country, admin1".to_string(),
                    " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                ),
            };
            let mut qb = ::sqlx::QueryBuilder::<$db>::new(format!(
                "SELECT {groups}, {} AS month, count(*), {} FROM events",
                $month, $sum
            ));
            $crate::sql::push_event_filter(&mut qb, filter);
            qb.push(order);
            let rows = qb.build().fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok($crate::StatRow {
                        country: r.try_get(0)?,
                        admin1: r.try_get(1)?,
                        month: r.try_get(2)?,
                        events: r.try_get(3)?,
                        fatalities: r.try_get(4)?,
                    })
                })
                .collect()
        }

        pub(crate) async fn imports(
            pool: &$pool,
        ) -> Result<Vec<$crate::ImportRecord>, $crate::StoreError> {
            let rows = ::sqlx::query(
                "SELECT id, file, format, file_size, started_at, finished_at, \
                 inserted, updated, unchanged, rejected \
                 FROM import_batches WHERE finished_at IS NOT NULL ORDER BY id",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    let n = |i: usize| -> Result<u64, $crate::StoreError> {
                        Ok(r.try_get::<i64, _>(i)?.max(0) as u64)
                    };
                    Ok($crate::ImportRecord {
                        id: r.try_get(0)?,
                        file: r.try_get(1)?,
                        format: r.try_get(2)?,
                        file_size: n(3)?,
                        started_at: r.try_get(4)?,
                        finished_at: r.try_get(5)?,
                        counts: $crate::ImportCounts {
                            inserted: n(6)?,
                            updated: n(7)?,
                            unchanged: n(8)?,
                        },
                        rejected: n(9)?,
                    })
                })
                .collect()
        }
    };
}
