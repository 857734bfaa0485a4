//! An import: one transaction on a connection of its own, driven from a blocking thread.
//!
//! This is the one place the SQLite backend leaves sqlx: a bulk write through sqlx pays a
//! round trip to sqlx's worker thread and a copy of every argument per statement, which
//! cost more than SQLite's insert itself. Here a prepared single-row upsert runs straight
//! on SQLite (through rusqlite, over the same bundled library), the way the PostgreSQL
//! backend uses COPY.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use vigie_store::sql::{event_fields, upsert_events_sql, Field, EVENT_COLUMNS};
use vigie_store::{
    import_time, should_defer_indexes, Batch, ImportCounts, ImportMeta, ImportRecord, ImportTx,
    Prepared, StoreError, CONFLICT_INDEX,
};

pub(crate) struct SqliteImport {
    /// `None` only while a blocking task holds it.
    conn: Option<Connection>,
    batch: Batch,
    /// Secondary indexes dropped for this import, to be built again (sorted, so much
    /// faster than row by row) before it commits.
    deferred_indexes: Vec<String>,
}

fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn join_err(e: tokio::task::JoinError) -> StoreError {
    StoreError::Backend(format!("import task failed: {e}"))
}

fn upsert_sql() -> String {
    upsert_events_sql(&format!(
        "VALUES ({})",
        vec!["?"; EVENT_COLUMNS.len()].join(", ")
    ))
}

/// One stored value as SQLite takes it: ids as 16-byte blobs, dates as `YYYY-MM-DD` text
/// (as sqlx writes them), text borrowed.
fn sqlite_value<'a>(field: &'a Field<'a>) -> ToSqlOutput<'a> {
    match field {
        Field::Uuid(u) => ToSqlOutput::Borrowed(ValueRef::Blob(u.as_bytes())),
        Field::Text(Some(t)) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        Field::Int(Some(i)) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
        Field::Real(Some(r)) => ToSqlOutput::Borrowed(ValueRef::Real(*r)),
        Field::Date(d) => ToSqlOutput::from(d.to_string()),
        Field::Text(None) | Field::Int(None) | Field::Real(None) => {
            ToSqlOutput::Borrowed(ValueRef::Null)
        }
    }
}

/// Opens the import's own connection and starts its transaction.
fn begin_blocking(
    path: &Path,
    meta: &ImportMeta,
    started_at: &str,
) -> rusqlite::Result<(Connection, i64, Vec<String>)> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; \
         PRAGMA temp_store = FILE; BEGIN IMMEDIATE;",
    )?;
    let batch_id: i64 = conn.query_row(
        Batch::START_SQL,
        params![meta.file, meta.format, meta.file_size as i64, started_at],
        |r| r.get(0),
    )?;
    let deferred = defer_indexes_if_large(&conn, meta)?;
    Ok((conn, batch_id, deferred))
}

/// When the incoming file may hold more rows than the store already has, drops the
/// secondary indexes of `events` inside the import's transaction and returns their SQL, so
/// that commit can rebuild them in one sorted pass (a unique index rebuilt that way still
/// refuses duplicates, failing the commit). A crash or rollback restores them with
/// everything else. The conflict target's index stays: the upsert needs it.
fn defer_indexes_if_large(conn: &Connection, meta: &ImportMeta) -> rusqlite::Result<Vec<String>> {
    let existing: i64 = conn.query_row("SELECT coalesce(max(rowid), 0) FROM events", [], |r| {
        r.get(0)
    })?;
    if !should_defer_indexes(meta.file_size, existing.max(0) as u64) {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master \
         WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL AND name <> ?",
    )?;
    let indexes = stmt
        .query_map([CONFLICT_INDEX], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

fn write_blocking(
    conn: &Connection,
    events: &[Prepared],
    batch_id: i64,
) -> rusqlite::Result<ImportCounts> {
    let mut stmt = conn.prepare_cached(&upsert_sql())?;
    let mut counts = ImportCounts::default();
    for prepared in Prepared::last_of_each_id(events) {
        let fields = event_fields(
            &prepared.event,
            &prepared.extra_json,
            prepared.content_hash,
            Some(batch_id),
        );
        let version: Option<i64> = stmt
            .query_row(params_from_iter(fields.iter().map(sqlite_value)), |r| {
                r.get(0)
            })
            .optional()?;
        match version {
            Some(1) => counts.inserted += 1,
            Some(_) => counts.updated += 1,
            None => counts.unchanged += 1,
        }
    }
    Ok(counts)
}

impl SqliteImport {
    pub(crate) async fn begin(path: &Path, meta: &ImportMeta) -> Result<Self, StoreError> {
        let started_at = import_time();
        let (path, m, s): (PathBuf, ImportMeta, String) =
            (path.to_path_buf(), meta.clone(), started_at.clone());
        let (conn, batch_id, deferred_indexes) =
            tokio::task::spawn_blocking(move || begin_blocking(&path, &m, &s))
                .await
                .map_err(join_err)?
                .map_err(db_err)?;
        Ok(SqliteImport {
            conn: Some(conn),
            batch: Batch::new(batch_id, meta.clone(), started_at),
            deferred_indexes,
        })
    }

    fn take_conn(&mut self) -> Result<Connection, StoreError> {
        self.conn.take().ok_or_else(|| {
            StoreError::Backend("the import's connection was lost by an earlier error".into())
        })
    }
}

#[async_trait]
impl ImportTx for SqliteImport {
    fn batch_id(&self) -> i64 {
        self.batch.id
    }

    async fn write(&mut self, events: Vec<Prepared>) -> Result<ImportCounts, StoreError> {
        let conn = self.take_conn()?;
        let batch_id = self.batch.id;
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let t = std::time::Instant::now();
            let r = write_blocking(&conn, &events, batch_id);
            tracing::trace!(
                seconds = t.elapsed().as_secs_f64(),
                rows = events.len(),
                "wrote events"
            );
            (conn, r)
        })
        .await
        .map_err(join_err)?;
        self.conn = Some(conn);
        let counts = result.map_err(db_err)?;
        self.batch.counts += counts;
        Ok(counts)
    }

    async fn cover(&mut self, c: &vigie_core::Coverage) -> Result<(), StoreError> {
        let conn = self.take_conn()?;
        let a = &c.audience;
        let countries =
            serde_json::to_string(&c.countries).map_err(|e| StoreError::corrupt("countries", e))?;
        let values = (
            c.id.as_bytes().to_vec(),
            c.source.as_str().to_string(),
            c.file.clone(),
            c.import_batch,
            countries,
            c.from.clone(),
            c.until.clone(),
            i64::from(c.complete),
            c.basis.clone(),
            c.basis_key.clone(),
            vigie_store::sql::timestamp(&c.recorded_at),
        );
        let audience = (
            a.owner.clone(),
            a.creator.clone(),
            a.marking.as_str().to_string(),
            a.distribution.kind().to_string(),
            a.distribution.reference().map(str::to_string),
        );
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let (v, a) = (values, audience);
            let r = conn.execute(
                vigie_store::warning::INSERT_COVERAGE,
                params![
                    v.0, v.1, v.2, v.3, v.4, v.5, v.6, v.7, v.8, v.9, v.10, a.0, a.1, a.2, a.3, a.4
                ],
            );
            (conn, r)
        })
        .await
        .map_err(join_err)?;
        self.conn = Some(conn);
        result.map_err(db_err)?;
        Ok(())
    }

    async fn commit(mut self: Box<Self>, rejected: u64) -> Result<ImportRecord, StoreError> {
        let conn = self.take_conn()?;
        let finished_at = import_time();
        let c = self.batch.counts;
        let (indexes, batch_id, fin) = (
            std::mem::take(&mut self.deferred_indexes),
            self.batch.id,
            finished_at.clone(),
        );
        tokio::task::spawn_blocking(move || -> rusqlite::Result<()> {
            let t = std::time::Instant::now();
            if !indexes.is_empty() {
                // The sorter that builds an index takes as much memory as the page cache
                // allows; a smaller cache here keeps the import's peak memory flat.
                conn.execute_batch("PRAGMA cache_size = -16384")?;
            }
            for sql in indexes {
                conn.execute_batch(&sql)?;
            }
            tracing::debug!(
                seconds = t.elapsed().as_secs_f64(),
                "rebuilt deferred indexes"
            );
            conn.execute(
                Batch::FINISH_SQL,
                params![
                    fin,
                    c.inserted as i64,
                    c.updated as i64,
                    c.unchanged as i64,
                    rejected as i64,
                    batch_id
                ],
            )?;
            let t = std::time::Instant::now();
            conn.execute_batch("COMMIT")?;
            tracing::debug!(seconds = t.elapsed().as_secs_f64(), "committed");
            // Fresh statistics for the query planner once an import has changed a tenth of
            // the store (or more): without them SQLite answers a gated first page by
            // sorting every visible event instead of walking the date index. Sampled
            // statistics mislead it the same way, so this reads everything (about a second
            // per million events).
            let changed = c.inserted + c.updated;
            let rows: i64 =
                conn.query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0))?;
            if changed >= 1000 && changed.saturating_mul(10) >= rows.max(0) as u64 {
                let t = std::time::Instant::now();
                conn.execute_batch("PRAGMA analysis_limit = 0; ANALYZE;")?;
                tracing::debug!(seconds = t.elapsed().as_secs_f64(), "analyzed");
            }
            Ok(())
        })
        .await
        .map_err(join_err)?
        .map_err(db_err)?;
        Ok(self.batch.record(finished_at, rejected))
    }

    async fn rollback(mut self: Box<Self>) -> Result<(), StoreError> {
        let conn = self.take_conn()?;
        tokio::task::spawn_blocking(move || conn.execute_batch("ROLLBACK"))
            .await
            .map_err(join_err)?
            .map_err(db_err)
    }
}
