//! The [`super::TableRows`] reads, written once: `table_rows_reads!` expands, inside a
//! backend crate, to functions over that backend's concrete sqlx types, which its
//! `TableRows` implementation calls. The expanding crate must depend on `sqlx`.

/// Expands to `applied_migrations`, `read_rows`, `count_rows` and `last_key`.
#[macro_export]
macro_rules! table_rows_reads {
    (db: $db:ty, pool: $pool:ty, row: $row:ty $(,)?) => {
        fn values(
            row: &$row,
            kinds: impl Iterator<Item = $crate::copy::Kind>,
        ) -> Result<Vec<$crate::copy::Value>, $crate::StoreError> {
            kinds
                .enumerate()
                .map(|(i, kind)| $crate::copy::value_from_row(row, i, kind))
                .collect()
        }

        pub(crate) async fn applied_migrations(
            pool: &$pool,
        ) -> Result<Vec<i64>, $crate::StoreError> {
            Ok(::sqlx::query_scalar(&format!(
                "SELECT version FROM {} WHERE success ORDER BY version",
                $crate::copy::MIGRATIONS_TABLE
            ))
            .fetch_all(pool)
            .await?)
        }

        pub(crate) async fn read_rows(
            pool: &$pool,
            table: &$crate::copy::Table,
            range: $crate::copy::KeyRange<'_>,
            limit: u64,
        ) -> Result<Vec<Vec<$crate::copy::Value>>, $crate::StoreError> {
            let mut qb = $crate::copy::query::select_rows::<$db>(table, &range, limit);
            let rows = qb.build().fetch_all(pool).await?;
            rows.iter()
                .map(|r| values(r, table.columns.iter().map(|c| c.kind)))
                .collect()
        }

        pub(crate) async fn count_rows(
            pool: &$pool,
            table: &$crate::copy::Table,
        ) -> Result<u64, $crate::StoreError> {
            let mut qb = $crate::copy::query::count_rows::<$db>(table, None);
            let n: i64 = qb.build_query_scalar().fetch_one(pool).await?;
            Ok(n.max(0) as u64)
        }

        pub(crate) async fn last_key(
            pool: &$pool,
            table: &$crate::copy::Table,
        ) -> Result<Option<Vec<$crate::copy::Value>>, $crate::StoreError> {
            let row = ::sqlx::query(&$crate::copy::query::last_key_sql(table))
                .fetch_optional(pool)
                .await?;
            row.map(|r| values(&r, table.key_columns().into_iter().map(|c| c.kind)))
                .transpose()
        }
    };
}
