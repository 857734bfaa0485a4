use std::collections::HashMap;

use async_trait::async_trait;
use serde::Serialize;
use vigie_core::Event;

use crate::StoreError;

/// What an import is about to read.
#[derive(Debug, Clone)]
pub struct ImportMeta {
    pub file: String,
    pub format: String,
    pub file_size: u64,
}

/// An event with what every backend computes before storing it: its `extra` map as JSON
/// and its content hash. Importers build these on their reader thread, so that the single
/// writer only writes.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub event: Event,
    pub extra_json: String,
    pub content_hash: i64,
}

impl From<Event> for Prepared {
    fn from(event: Event) -> Self {
        let extra_json = event.extra_json();
        let content_hash = event.content_hash_with_extra(&extra_json);
        Prepared {
            event,
            extra_json,
            content_hash,
        }
    }
}

impl Prepared {
    pub fn all(events: impl IntoIterator<Item = Event>) -> Vec<Prepared> {
        events.into_iter().map(Prepared::from).collect()
    }

    /// The events to write: for ids given more than once, only the last (as `ImportTx::write`
    /// promises), in their original order.
    pub fn last_of_each_id(events: &[Prepared]) -> Vec<&Prepared> {
        let mut last: HashMap<uuid::Uuid, usize> = HashMap::with_capacity(events.len());
        for (i, p) in events.iter().enumerate() {
            last.insert(p.event.id, i);
        }
        if last.len() == events.len() {
            return events.iter().collect();
        }
        events
            .iter()
            .enumerate()
            .filter(|(i, p)| last[&p.event.id] == *i)
            .map(|(_, p)| p)
            .collect()
    }
}

/// The unique index on `(source, source_id)`: every backend's upsert conflict target,
/// never deferred.
pub const CONFLICT_INDEX: &str = "events_source_id";

/// Bytes per row below which no source's rows fall (GDELT's are about 330, GED's 700):
/// `file_size / MIN_BYTES_PER_ROW` over-estimates a file's rows by up to about three times.
const MIN_BYTES_PER_ROW: u64 = 250;

/// Whether an import of a file of `file_size` bytes into a store holding `existing_rows`
/// events should drop the secondary indexes and rebuild them, sorted, before it commits:
/// only when the store holds fewer than a quarter of the file's estimated rows, so that
/// re-importing a file never rebuilds them for nothing.
pub fn should_defer_indexes(file_size: u64, existing_rows: u64) -> bool {
    let incoming = file_size / MIN_BYTES_PER_ROW;
    incoming >= 10_000 && existing_rows.saturating_mul(4) < incoming
}

/// How a written set of events related to what was stored before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    /// New events.
    pub inserted: u64,
    /// Known events whose content changed; the previous version went to the history.
    pub updated: u64,
    /// Known events whose content was the same: nothing was written.
    pub unchanged: u64,
}

impl std::ops::AddAssign for ImportCounts {
    fn add_assign(&mut self, o: Self) {
        self.inserted += o.inserted;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
    }
}

/// An import in progress as every backend keeps it: its batch in the import log, what it
/// reads, when it started, and what it has written so far.
#[derive(Debug, Clone)]
pub struct Batch {
    pub id: i64,
    pub meta: ImportMeta,
    pub started_at: String,
    pub counts: ImportCounts,
}

impl Batch {
    /// The SQL that opens a batch in the import log: file, format, size and start time
    /// bound in that order, the new batch's id returned.
    pub const START_SQL: &'static str = "INSERT INTO import_batches (file, format, file_size, \
         started_at) VALUES ($1, $2, $3, $4) RETURNING id";
    /// The SQL that closes a batch: finish time, inserted, updated, unchanged and rejected
    /// counts, then the batch's id, bound in that order.
    pub const FINISH_SQL: &'static str = "UPDATE import_batches SET finished_at = $1, \
         inserted = $2, updated = $3, unchanged = $4, rejected = $5 WHERE id = $6";

    pub fn new(id: i64, meta: ImportMeta, started_at: String) -> Batch {
        Batch {
            id,
            meta,
            started_at,
            counts: ImportCounts::default(),
        }
    }

    /// The batch as the import log remembers it once it has committed.
    pub fn record(self, finished_at: String, rejected: u64) -> ImportRecord {
        ImportRecord {
            id: self.id,
            file: self.meta.file,
            format: self.meta.format,
            file_size: self.meta.file_size,
            started_at: self.started_at,
            finished_at,
            counts: self.counts,
            rejected,
        }
    }
}

/// When an import starts or finishes, as the import log writes it: RFC 3339, UTC,
/// milliseconds.
pub fn import_time() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// One completed import, as the store remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRecord {
    pub id: i64,
    pub file: String,
    pub format: String,
    pub file_size: u64,
    pub started_at: String,
    pub finished_at: String,
    pub counts: ImportCounts,
    pub rejected: u64,
}

/// An import in progress: one transaction. Whatever was written becomes visible at
/// [`ImportTx::commit`], all at once; dropping it, [`ImportTx::rollback`], or the process
/// dying before commit leaves the store exactly as it was.
#[async_trait]
pub trait ImportTx: Send {
    /// The batch id this import's events carry in their provenance.
    fn batch_id(&self) -> i64;
    /// Inserts new events, updates changed ones (keeping the old version in the history),
    /// skips unchanged ones. Events with the same id within one call: the last one wins.
    /// Takes the events by value so that a backend can hand them to another thread.
    async fn write(&mut self, events: Vec<Prepared>) -> Result<ImportCounts, StoreError>;
    /// Records what the file covers, in the same transaction as its events (its audience is
    /// theirs, so it carries no names).
    async fn cover(&mut self, coverage: &vigie_core::Coverage) -> Result<(), StoreError>;
    async fn commit(self: Box<Self>, rejected: u64) -> Result<ImportRecord, StoreError>;
    async fn rollback(self: Box<Self>) -> Result<(), StoreError>;
}
