//! Copying a whole store to another (`vigie db copy`), whichever the backends: every table
//! of [`TABLES`] in dependency order, in key-ordered chunks of one transaction each, resumed
//! after the target's last key, and verified at the end by row counts and checksums computed
//! the same way on both sides from the values read back.
//!
//! Backends provide [`TableRows`]: reading and writing a table's rows as [`Value`]s, with
//! the SQL built generically in [`query`].

pub mod query;
mod reads;
mod tables;
mod value;

use async_trait::async_trait;
use xxhash_rust::xxh3::Xxh3;

pub use query::KeyRange;
pub use tables::{Column, Kind, Table, DERIVED, MIGRATIONS_TABLE, TABLES};
pub use value::{Value, ValueRow};

use crate::StoreError;

/// Rows per chunk (and per target transaction) unless told otherwise.
pub const DEFAULT_CHUNK_ROWS: u64 = 5_000;

/// A store's tables as rows of values: what a copy reads from the source and writes to the
/// target.
#[async_trait]
pub trait TableRows: Send + Sync {
    /// What this store is, for messages (e.g. "SQLite /path/vigie.db").
    fn describe(&self) -> String;
    /// Versions of the migrations applied to this database, ascending.
    async fn applied_migrations(&self) -> Result<Vec<i64>, StoreError>;
    /// Every table (but [`MIGRATIONS_TABLE`]) with its columns in order, sorted by name.
    async fn schema(&self) -> Result<Vec<(String, Vec<String>)>, StoreError>;
    /// Every column of the rows in `range`, in key order, at most `limit`.
    async fn read_rows(
        &self,
        table: &Table,
        range: KeyRange<'_>,
        limit: u64,
    ) -> Result<Vec<Vec<Value>>, StoreError>;
    /// How many rows the table holds.
    async fn count_rows(&self, table: &Table) -> Result<u64, StoreError>;
    /// The key of the table's last row, if any.
    async fn last_key(&self, table: &Table) -> Result<Option<Vec<Value>>, StoreError>;
    /// Inserts `rows` as they are (generated keys included) in one transaction.
    async fn write_rows(&self, table: &Table, rows: &[Vec<Value>]) -> Result<(), StoreError>;
    /// Tidies the [`DERIVED`] tables once the copy has written everything (the triggers
    /// that keep them are right throughout; this only makes later reads faster).
    async fn tidy_derived(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Why a copy was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "the source and the target are at different schema versions (applied migrations: \
         source {source_versions:?}, target {target_versions:?}); open both with the same Vigie \
         first"
    )]
    MigrationsDiffer {
        source_versions: Vec<i64>,
        target_versions: Vec<i64>,
    },
    #[error("{store}: {problem}; this Vigie's copy does not know that schema")]
    Schema { store: String, problem: String },
    #[error(
        "the target's table {table} is not a prefix of the source's ({detail}); refusing to \
         merge: copy into an empty database"
    )]
    NotAPrefix { table: &'static str, detail: String },
}

/// What happened to one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub table: &'static str,
    /// Rows this run copied.
    pub copied: u64,
    /// Rows the target held before (an earlier, interrupted copy).
    pub already: u64,
    pub source_rows: u64,
    pub target_rows: u64,
    pub source_checksum: u64,
    pub target_checksum: u64,
    /// Whether each side's checksum covered as many rows as it counted.
    pub read_back: bool,
}

impl TableReport {
    pub fn verified(&self) -> bool {
        self.read_back
            && self.source_rows == self.target_rows
            && self.source_checksum == self.target_checksum
    }
}

/// What a copy is doing, for progress displays.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// The rows left to copy, over every table.
    Planned { rows: u64 },
    /// A chunk of `rows` rows of `table` was committed.
    Copied { table: &'static str, rows: u64 },
    /// Verifying `table`.
    Verifying { table: &'static str },
}

/// Refuses a database whose tables or columns differ from [`TABLES`].
pub async fn check_schema(store: &dyn TableRows) -> Result<(), CopyError> {
    let problem = |problem: String| CopyError::Schema {
        store: store.describe(),
        problem,
    };
    let schema = store.schema().await?;
    for (name, columns) in &schema {
        if tables::DERIVED.contains(&name.as_str()) {
            continue;
        }
        let Some(table) = TABLES.iter().find(|t| t.name == name) else {
            return Err(problem(format!(
                "table {name} is not in the copy's table list"
            )));
        };
        let known: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        if *columns != known {
            return Err(problem(format!(
                "table {name} has columns {columns:?}, the copy's list {known:?}"
            )));
        }
    }
    for table in TABLES {
        if !schema.iter().any(|(name, _)| name == table.name) {
            return Err(problem(format!("table {} is missing", table.name)));
        }
    }
    Ok(())
}

/// Rows and a key-ordered xxh3 over the canonical text of every column of every row in
/// `range`, read back in chunks.
pub async fn checksum(
    store: &dyn TableRows,
    table: &Table,
    upto: Option<&[Value]>,
    chunk_rows: u64,
) -> Result<(u64, u64), StoreError> {
    let mut hasher = Xxh3::new();
    let mut rows = 0u64;
    let mut after: Option<Vec<Value>> = None;
    let mut text = String::new();
    loop {
        let range = KeyRange {
            after: after.as_deref(),
            upto,
        };
        let chunk = store.read_rows(table, range, chunk_rows).await?;
        for row in &chunk {
            text.clear();
            for v in row {
                v.write_canonical(&mut text);
            }
            text.push('\n');
            hasher.update(text.as_bytes());
        }
        rows += chunk.len() as u64;
        match chunk.last() {
            Some(last) if chunk.len() as u64 == chunk_rows => after = Some(key_of(table, last)),
            _ => return Ok((rows, hasher.digest())),
        }
    }
}

fn key_of(table: &Table, row: &[Value]) -> Vec<Value> {
    table
        .key_positions()
        .into_iter()
        .map(|i| row[i].clone())
        .collect()
}

/// Copies every table from `source` to `target`, resuming after what the target holds, then
/// verifies. Refuses differing schema versions and a target that is not a prefix of the
/// source. A failed verification is reported, not an error.
pub async fn copy_store(
    source: &dyn TableRows,
    target: &dyn TableRows,
    chunk_rows: u64,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Vec<TableReport>, CopyError> {
    let chunk_rows = chunk_rows.max(1);
    let source_versions = source.applied_migrations().await?;
    let target_versions = target.applied_migrations().await?;
    if source_versions != target_versions {
        return Err(CopyError::MigrationsDiffer {
            source_versions,
            target_versions,
        });
    }
    check_schema(source).await?;
    check_schema(target).await?;

    // Where each table resumes: after the target's last key, once the target's rows are
    // known to be exactly the source's first rows.
    let mut plans = Vec::with_capacity(TABLES.len());
    let mut to_copy = 0u64;
    for table in TABLES {
        let source_rows = source.count_rows(table).await?;
        let last = target.last_key(table).await?;
        let already = match &last {
            None => 0,
            Some(key) => {
                let (t_rows, t_sum) = checksum(target, table, Some(key), chunk_rows).await?;
                let (s_rows, s_sum) = checksum(source, table, Some(key), chunk_rows).await?;
                if t_rows != s_rows {
                    return Err(CopyError::NotAPrefix {
                        table: table.name,
                        detail: format!(
                            "up to its last key {key:?} the target holds {t_rows} rows, the \
                             source {s_rows}"
                        ),
                    });
                }
                if t_sum != s_sum {
                    return Err(CopyError::NotAPrefix {
                        table: table.name,
                        detail: format!(
                            "its {t_rows} rows up to key {key:?} differ from the source's \
                             (checksums {t_sum:016x} and {s_sum:016x})"
                        ),
                    });
                }
                t_rows
            }
        };
        to_copy += source_rows.saturating_sub(already);
        plans.push((table, last, already));
    }
    progress(Progress::Planned { rows: to_copy });

    let mut reports = Vec::with_capacity(TABLES.len());
    for (table, last, already) in plans {
        let mut after = last;
        let mut copied = 0u64;
        loop {
            let range = KeyRange {
                after: after.as_deref(),
                upto: None,
            };
            let rows = source.read_rows(table, range, chunk_rows).await?;
            let Some(last_row) = rows.last() else { break };
            let next = key_of(table, last_row);
            target.write_rows(table, &rows).await?;
            copied += rows.len() as u64;
            progress(Progress::Copied {
                table: table.name,
                rows: rows.len() as u64,
            });
            if (rows.len() as u64) < chunk_rows {
                break;
            }
            after = Some(next);
        }
        progress(Progress::Verifying { table: table.name });
        let source_count = source.count_rows(table).await?;
        let target_count = target.count_rows(table).await?;
        let (source_read, source_checksum) = checksum(source, table, None, chunk_rows).await?;
        let (target_read, target_checksum) = checksum(target, table, None, chunk_rows).await?;
        reports.push(TableReport {
            table: table.name,
            copied,
            already,
            source_rows: source_count,
            target_rows: target_count,
            source_checksum,
            target_checksum,
            read_back: source_read == source_count && target_read == target_count,
        });
    }
    target.tidy_derived().await?;
    Ok(reports)
}
