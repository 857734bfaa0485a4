//! An import: one transaction on one pooled connection. Each `write` COPYs its events into
//! a temporary staging table, then upserts them into `events` in one statement, sorted by
//! the conflict key so that concurrent imports of the same events lock rows in the same
//! order and cannot deadlock.

use async_trait::async_trait;
use sqlx::postgres::{PgPool, Postgres};
use sqlx::{PgConnection, Transaction};
use vigie_store::sql::{upsert_events_sql, EVENT_COLUMNS};
use vigie_store::{
    import_time, Batch, ImportCounts, ImportMeta, ImportRecord, ImportTx, Prepared, StoreError,
};

use crate::copy::push_row;

/// The import's staging table: temporary, private to its connection, dropped at the end of
/// the transaction however it ends.
const STAGING: &str = "vigie_import_staging";

/// Bytes sent to the server per COPY message.
const COPY_CHUNK: usize = 1 << 20;

pub(crate) struct PostgresImport {
    /// `None` once an error has aborted the transaction.
    tx: Option<Transaction<'static, Postgres>>,
    /// For merging the rollup's deltas once the transaction has committed.
    pool: PgPool,
    batch: Batch,
}

fn upsert_sql() -> String {
    let upsert = upsert_events_sql(&format!(
        "SELECT {} FROM {STAGING} ORDER BY source, source_id",
        EVENT_COLUMNS.join(", ")
    ));
    format!(
        "WITH written AS ({upsert}) \
         SELECT count(*) FILTER (WHERE version = 1), count(*) FILTER (WHERE version > 1) \
         FROM written"
    )
}

async fn write_on(
    conn: &mut PgConnection,
    events: &[Prepared],
    batch_id: i64,
) -> Result<ImportCounts, StoreError> {
    let rows = Prepared::last_of_each_id(events);
    if rows.is_empty() {
        return Ok(ImportCounts::default());
    }
    let mut buf = String::with_capacity(rows.len() * 512);
    for p in &rows {
        push_row(&mut buf, p, batch_id);
    }
    let mut copy = conn
        .copy_in_raw(&format!(
            "COPY {STAGING} ({}) FROM STDIN (FORMAT text)",
            EVENT_COLUMNS.join(", ")
        ))
        .await?;
    for chunk in buf.as_bytes().chunks(COPY_CHUNK) {
        copy.send(chunk).await?;
    }
    let copied = copy.finish().await?;
    let (inserted, updated): (i64, i64) =
        sqlx::query_as(&upsert_sql()).fetch_one(&mut *conn).await?;
    sqlx::query(&format!("TRUNCATE {STAGING}"))
        .execute(&mut *conn)
        .await?;
    let (inserted, updated) = (inserted.max(0) as u64, updated.max(0) as u64);
    Ok(ImportCounts {
        inserted,
        updated,
        unchanged: copied.saturating_sub(inserted + updated),
    })
}

impl PostgresImport {
    pub(crate) async fn begin(pool: &PgPool, meta: &ImportMeta) -> Result<Self, StoreError> {
        let started_at = import_time();
        let mut tx = pool.begin().await?;
        let batch_id: i64 = sqlx::query_scalar(Batch::START_SQL)
            .bind(&meta.file)
            .bind(&meta.format)
            .bind(i64::try_from(meta.file_size).unwrap_or(i64::MAX))
            .bind(&started_at)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(&format!(
            "CREATE TEMP TABLE {STAGING} ON COMMIT DROP AS SELECT {} FROM events WITH NO DATA",
            EVENT_COLUMNS.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        Ok(PostgresImport {
            tx: Some(tx),
            pool: pool.clone(),
            batch: Batch::new(batch_id, meta.clone(), started_at),
        })
    }

    fn tx(&mut self) -> Result<&mut Transaction<'static, Postgres>, StoreError> {
        self.tx.as_mut().ok_or_else(|| {
            StoreError::Backend("the import's transaction was aborted by an earlier error".into())
        })
    }
}

#[async_trait]
impl ImportTx for PostgresImport {
    fn batch_id(&self) -> i64 {
        self.batch.id
    }

    async fn write(&mut self, events: Vec<Prepared>) -> Result<ImportCounts, StoreError> {
        let batch_id = self.batch.id;
        let t = std::time::Instant::now();
        let result = write_on(&mut **self.tx()?, &events, batch_id).await;
        tracing::trace!(
            seconds = t.elapsed().as_secs_f64(),
            rows = events.len(),
            "wrote events"
        );
        match result {
            Ok(counts) => {
                self.batch.counts += counts;
                Ok(counts)
            }
            Err(e) => {
                // The server has aborted the transaction; dropping it rolls back.
                self.tx = None;
                Err(e)
            }
        }
    }

    async fn cover(&mut self, c: &vigie_core::Coverage) -> Result<(), StoreError> {
        let a = &c.audience;
        let q = vigie_store::warning::bind_coverage(
            sqlx::query(vigie_store::warning::INSERT_COVERAGE),
            c,
        )?
        .bind(a.owner.clone())
        .bind(a.creator.clone())
        .bind(a.marking.as_str().to_string())
        .bind(a.distribution.kind().to_string())
        .bind(a.distribution.reference().map(str::to_string));
        let done = q.execute(&mut **self.tx()?).await;
        if let Err(e) = done {
            self.tx = None;
            return Err(e.into());
        }
        Ok(())
    }

    async fn commit(mut self: Box<Self>, rejected: u64) -> Result<ImportRecord, StoreError> {
        let finished_at = import_time();
        let c = self.batch.counts;
        let mut tx = self.tx.take().ok_or_else(|| {
            StoreError::Backend("the import's transaction was aborted by an earlier error".into())
        })?;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        sqlx::query(Batch::FINISH_SQL)
            .bind(&finished_at)
            .bind(n(c.inserted))
            .bind(n(c.updated))
            .bind(n(c.unchanged))
            .bind(n(rejected))
            .bind(self.batch.id)
            .execute(&mut *tx)
            .await?;
        let t = std::time::Instant::now();
        tx.commit().await?;
        tracing::debug!(seconds = t.elapsed().as_secs_f64(), "committed");
        crate::merge_rollup(&self.pool).await?;
        Ok(self.batch.record(finished_at, rejected))
    }

    async fn rollback(mut self: Box<Self>) -> Result<(), StoreError> {
        match self.tx.take() {
            Some(tx) => Ok(tx.rollback().await?),
            None => Ok(()),
        }
    }
}
