//! The embedded store's rows as `vigie db copy` reads and writes them.

use async_trait::async_trait;
use sqlx::sqlite::{Sqlite, SqliteRow};
use vigie_store::copy::{
    query, value_from_row, KeyRange, Kind, Table, TableRows, Value, MIGRATIONS_TABLE,
};
use vigie_store::StoreError;

use crate::SqliteStore;

/// SQLite's limit on bound parameters in one statement (since 3.32).
const MAX_BINDS: usize = 32_766;

fn values(row: &SqliteRow, kinds: impl Iterator<Item = Kind>) -> Result<Vec<Value>, StoreError> {
    kinds
        .enumerate()
        .map(|(i, kind)| value_from_row(row, i, kind))
        .collect()
}

#[async_trait]
impl TableRows for SqliteStore {
    fn describe(&self) -> String {
        format!("SQLite {}", self.path.display())
    }

    async fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(&format!(
            "SELECT version FROM {MIGRATIONS_TABLE} WHERE success ORDER BY version"
        ))
        .fetch_all(&self.pool)
        .await?)
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
        let mut qb = query::select_rows::<Sqlite>(table, &range, limit);
        let rows = qb.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| values(r, table.columns.iter().map(|c| c.kind)))
            .collect()
    }

    async fn count_rows(&self, table: &Table) -> Result<u64, StoreError> {
        let mut qb = query::count_rows::<Sqlite>(table, None);
        let n: i64 = qb.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(n.max(0) as u64)
    }

    async fn last_key(&self, table: &Table) -> Result<Option<Vec<Value>>, StoreError> {
        let row = sqlx::query(&query::last_key_sql(table))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| values(&r, table.key_columns().into_iter().map(|c| c.kind)))
            .transpose()
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
