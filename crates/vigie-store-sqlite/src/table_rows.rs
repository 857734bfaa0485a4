//! The embedded store's rows as `vigie db copy` reads and writes them.

use async_trait::async_trait;
use sqlx::sqlite::Sqlite;
use vigie_store::copy::{query, KeyRange, Table, TableRows, Value, MIGRATIONS_TABLE};
use vigie_store::StoreError;

use crate::SqliteStore;

/// SQLite's limit on bound parameters in one statement (since 3.32).
const MAX_BINDS: usize = 32_766;

vigie_store::table_rows_reads! {
    db: sqlx::sqlite::Sqlite,
    pool: sqlx::sqlite::SqlitePool,
    row: sqlx::sqlite::SqliteRow,
}

#[async_trait]
impl TableRows for SqliteStore {
    fn describe(&self) -> String {
        format!("SQLite {}", self.path.display())
    }

    async fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
        applied_migrations(&self.pool).await
    }

    async fn schema(&self) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> ? ORDER BY name",
        )
        .bind(MIGRATIONS_TABLE)
        .fetch_all(&self.pool)
        .await?;
        let mut schema = Vec::with_capacity(tables.len());
        for table in tables {
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
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

    async fn write_rows(&self, table: &Table, rows: &[Vec<Value>]) -> Result<(), StoreError> {
        let per_statement = (MAX_BINDS / table.columns.len()).max(1);
        let mut tx = self.pool.begin().await?;
        for part in rows.chunks(per_statement) {
            let mut qb = query::insert_rows::<Sqlite>(table, "", part);
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
