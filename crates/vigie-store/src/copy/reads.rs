//! Every backend's [`super::TableRows`], written once: `impl_table_rows!` expands, inside a
//! backend crate, to the implementation over that backend's concrete sqlx types; only what
//! differs (how the schema is listed, how generated keys are written, the bind limit) is
//! passed in. The expanding crate must depend on `sqlx` and `async-trait`.

/// Expands to `impl TableRows for $store`.
///
/// - `db`, `pool`: the sqlx database type, and the field of `$store` holding its pool;
/// - `describe`: a closure `|&$store| -> String`, what the store is in messages;
/// - `tables`: SQL listing every table but the one bound as `$1` (sqlx's migrations),
///   sorted by name; `columns`: SQL listing the columns of the table bound as `$1`, in order;
/// - `max_binds`: the backend's limit on bound parameters in one statement;
/// - `overriding`: what an INSERT says to write a generated key as it is (or "");
/// - `after_generated`: SQL run after writing a table with a generated key, `{table}` and
///   `{column}` replaced (or `None`);
/// - `tidy_derived` (optional): an async function of the pool, run once a copy is written.
#[macro_export]
macro_rules! impl_table_rows {
    (
        $store:ty,
        db: $db:ty,
        pool: $pool:ident,
        describe: $describe:expr,
        tables: $tables:expr,
        columns: $columns:expr,
        max_binds: $max_binds:expr,
        overriding: $overriding:expr,
        after_generated: $after:expr
        $(, tidy_derived: $tidy:path)? $(,)?
    ) => {
        const _: () = {
            use $crate::copy::{KeyRange, Kind, Table, Value, ValueRow as _};
            use $crate::StoreError;

            fn values(
                row: &<$db as ::sqlx::Database>::Row,
                kinds: impl Iterator<Item = Kind>,
            ) -> Result<Vec<Value>, StoreError> {
                kinds.enumerate().map(|(i, kind)| row.value(i, kind)).collect()
            }

            #[::async_trait::async_trait]
            impl $crate::copy::TableRows for $store {
                fn describe(&self) -> String {
                    let describe: fn(&$store) -> String = $describe;
                    describe(self)
                }

                async fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
                    Ok(::sqlx::query_scalar(&format!(
                        "SELECT version FROM {} WHERE success ORDER BY version",
                        $crate::copy::MIGRATIONS_TABLE
                    ))
                    .fetch_all(&self.$pool)
                    .await?)
                }

                async fn schema(&self) -> Result<Vec<(String, Vec<String>)>, StoreError> {
                    let tables: Vec<String> = ::sqlx::query_scalar($tables)
                        .bind($crate::copy::MIGRATIONS_TABLE)
                        .fetch_all(&self.$pool)
                        .await?;
                    let mut schema = Vec::with_capacity(tables.len());
                    for table in tables {
                        let columns: Vec<String> = ::sqlx::query_scalar($columns)
                            .bind(&table)
                            .fetch_all(&self.$pool)
                            .await?;
                        schema.push((table, columns));
                    }
                    Ok(schema)
                }

                async fn read_rows(
                    &self,
                    table: &Table,
                    range: KeyRange<'_>,
                    limit: u64,
                ) -> Result<Vec<Vec<Value>>, StoreError> {
                    let mut qb = $crate::copy::query::select_rows::<$db>(table, &range, limit);
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    rows.iter()
                        .map(|r| values(r, table.columns.iter().map(|c| c.kind)))
                        .collect()
                }

                async fn count_rows(&self, table: &Table) -> Result<u64, StoreError> {
                    let mut qb = $crate::copy::query::count_rows::<$db>(table, None);
                    let n: i64 = qb.build_query_scalar().fetch_one(&self.$pool).await?;
                    Ok(n.max(0) as u64)
                }

                async fn last_key(&self, table: &Table) -> Result<Option<Vec<Value>>, StoreError> {
                    let row = ::sqlx::query(&$crate::copy::query::last_key_sql(table))
                        .fetch_optional(&self.$pool)
                        .await?;
                    row.map(|r| values(&r, table.key_columns().into_iter().map(|c| c.kind)))
                        .transpose()
                }

                async fn write_rows(
                    &self,
                    table: &Table,
                    rows: &[Vec<Value>],
                ) -> Result<(), StoreError> {
                    let per_statement = ($max_binds / table.columns.len()).max(1);
                    let overriding = if table.generated.is_some() { $overriding } else { "" };
                    let mut tx = self.$pool.begin().await?;
                    for part in rows.chunks(per_statement) {
                        let mut qb = $crate::copy::query::insert_rows::<$db>(table, overriding, part);
                        qb.build().execute(&mut *tx).await?;
                    }
                    let after: Option<&str> = $after;
                    if let (Some(column), Some(sql)) = (table.generated, after) {
                        ::sqlx::query(&sql.replace("{table}", table.name).replace("{column}", column))
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                $(
                    async fn tidy_derived(&self) -> Result<(), StoreError> {
                        $tidy(&self.$pool).await
                    }
                )?
            }
        };
    };
}
