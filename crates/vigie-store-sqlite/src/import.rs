//! An import: one transaction that upserts events in multi-row statements.

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::sqlite::{Sqlite, SqlitePool};
use sqlx::{Row, Transaction};
use vigie_core::Event;
use vigie_store::sql::EVENT_COLUMNS;
use vigie_store::{ImportCounts, ImportMeta, ImportRecord, ImportTx, StoreError};

use crate::bind::bind_event;

/// Rows per INSERT statement: 35 columns × 400 rows stays well under SQLite's 32,766
/// variables, and larger statements gained nothing in the import benchmark.
const ROWS_PER_STATEMENT: usize = 400;

pub(crate) struct SqliteImport {
    tx: Transaction<'static, Sqlite>,
    batch_id: i64,
    meta: ImportMeta,
    started_at: String,
    counts: ImportCounts,
    /// Upsert statements by row count; most batches reuse the full-size one.
    statements: HashMap<usize, String>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn upsert_sql(rows: usize) -> String {
    let cols = EVENT_COLUMNS.join(", ");
    let one = format!("({})", vec!["?"; EVENT_COLUMNS.len()].join(", "));
    let values = vec![one.as_str(); rows].join(", ");
    let set = EVENT_COLUMNS
        .iter()
        .filter(|c| **c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO events ({cols}) VALUES {values} \
         ON CONFLICT (id) DO UPDATE SET {set}, version = events.version + 1 \
         WHERE events.content_hash <> excluded.content_hash \
         RETURNING version"
    )
}

impl SqliteImport {
    pub(crate) async fn begin(pool: &SqlitePool, meta: &ImportMeta) -> Result<Self, StoreError> {
        // BEGIN IMMEDIATE takes the write lock now, so a second importer waits here instead
        // of failing with SQLITE_BUSY at its first write.
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let started_at = now();
        let batch_id: i64 = sqlx::query_scalar(
            "INSERT INTO import_batches (file, format, file_size, started_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(&meta.file)
        .bind(&meta.format)
        .bind(meta.file_size as i64)
        .bind(&started_at)
        .fetch_one(&mut *tx)
        .await?;
        Ok(SqliteImport {
            tx,
            batch_id,
            meta: meta.clone(),
            started_at,
            counts: ImportCounts::default(),
            statements: HashMap::new(),
        })
    }

    async fn upsert(&mut self, chunk: &[&Event], hashes: &[i64]) -> Result<ImportCounts, StoreError> {
        let sql = self.statements.entry(chunk.len()).or_insert_with(|| upsert_sql(chunk.len()));
        let mut q = sqlx::query(sql.as_str());
        for (e, h) in chunk.iter().zip(hashes) {
            q = bind_event(q, e, *h, self.batch_id);
        }
        let rows = q.fetch_all(&mut *self.tx).await?;
        let mut counts = ImportCounts::default();
        for r in &rows {
            if r.try_get::<i64, _>(0)? == 1 {
                counts.inserted += 1;
            } else {
                counts.updated += 1;
            }
        }
        counts.unchanged = (chunk.len() - rows.len()) as u64;
        Ok(counts)
    }
}

/// The events to write: for ids given more than once, only the last.
fn last_of_each_id(events: &[Event]) -> Vec<&Event> {
    let mut last: HashMap<uuid::Uuid, usize> = HashMap::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        last.insert(e.id, i);
    }
    if last.len() == events.len() {
        return events.iter().collect();
    }
    events.iter().enumerate().filter(|(i, e)| last[&e.id] == *i).map(|(_, e)| e).collect()
}

#[async_trait]
impl ImportTx for SqliteImport {
    fn batch_id(&self) -> i64 {
        self.batch_id
    }

    async fn write(&mut self, events: &[Event]) -> Result<ImportCounts, StoreError> {
        let events = last_of_each_id(events);
        let hashes: Vec<i64> = events.iter().map(|e| e.content_hash()).collect();
        let mut counts = ImportCounts::default();
        for (chunk, hashes) in events.chunks(ROWS_PER_STATEMENT).zip(hashes.chunks(ROWS_PER_STATEMENT)) {
            counts += self.upsert(chunk, hashes).await?;
        }
        self.counts += counts;
        Ok(counts)
    }

    async fn commit(mut self: Box<Self>, rejected: u64) -> Result<ImportRecord, StoreError> {
        let finished_at = now();
        let c = self.counts;
        sqlx::query(
            "UPDATE import_batches SET finished_at = ?, inserted = ?, updated = ?, unchanged = ?, rejected = ? \
             WHERE id = ?",
        )
        .bind(&finished_at)
        .bind(c.inserted as i64)
        .bind(c.updated as i64)
        .bind(c.unchanged as i64)
        .bind(rejected as i64)
        .bind(self.batch_id)
        .execute(&mut *self.tx)
        .await?;
        let SqliteImport { tx, batch_id, meta, started_at, .. } = *self;
        tx.commit().await?;
        Ok(ImportRecord {
            id: batch_id,
            file: meta.file,
            format: meta.format,
            file_size: meta.file_size,
            started_at,
            finished_at,
            counts: c,
            rejected,
        })
    }

    async fn rollback(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        Ok(())
    }
}
