//! The PostgreSQL store's rows as `vigie db copy` reads and writes them. Generated keys
//! (identity columns) are written as they are, with `OVERRIDING SYSTEM VALUE`, and their
//! sequence is then set past the largest, so that later imports continue after them.

use async_trait::async_trait;
use sqlx::postgres::Postgres;
use vigie_store::copy::{query, KeyRange, Table, TableRows, Value, MIGRATIONS_TABLE};
use vigie_store::StoreError;

use crate::PostgresStore;

/// PostgreSQL's limit on bound parameters in one statement.
const MAX_BINDS: usize = 65_535;

vigie_store::table_rows_reads! {
    db: sqlx::postgres::Postgres,
    pool: sqlx::postgres::PgPool,
    row: sqlx::postgres::PgRow,
}

#[async_trait]
impl TableRows for PostgresStore {
    fn describe(&self) -> String {
        let o = self.pool.connect_options();
        format!(
            "PostgreSQL {}:{}/{}",
            o.get_host(),
            o.get_port(),
            o.get_database().unwrap_or_default()
        )
    }

    async fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
        applied_migrations(&self.pool).await
    }

    async fn schema(&self) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> $1 ORDER BY 1",
        )
        .bind(MIGRATIONS_TABLE)
        .fetch_all(&self.pool)
        .await?;
        let mut schema = Vec::with_capacity(tables.len());
        for table in tables {
            let columns: Vec<String> = sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 \
                 ORDER BY ordinal_position",
            )
            .bind(&table)
            .fetch_all(&self.pool)
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
        read_rows(&self.pool, table, range, limit).await
    }

    async fn count_rows(&self, table: &Table) -> Result<u64, StoreError> {
        count_rows(&self.pool, table).await
    }

    async fn last_key(&self, table: &Table) -> Result<Option<Vec<Value>>, StoreError> {
        last_key(&self.pool, table).await
    }

    async fn tidy_derived(&self) -> Result<(), StoreError> {
        crate::merge_rollup(&self.pool).await
    }

    async fn write_rows(&self, table: &Table, rows: &[Vec<Value>]) -> Result<(), StoreError> {
        let per_statement = (MAX_BINDS / table.columns.len()).max(1);
        let overriding = if table.generated.is_some() {
            "OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        let mut tx = self.pool.begin().await?;
        for part in rows.chunks(per_statement) {
            let mut qb = query::insert_rows::<Postgres>(table, overriding, part);
            qb.build().execute(&mut *tx).await?;
        }
        if let Some(column) = table.generated {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{t}', '{column}'), max({column})) FROM {t}",
                t = table.name
            ))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
