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
    async fn write(&mut self, events: Vec<Event>) -> Result<ImportCounts, StoreError>;
    async fn commit(self: Box<Self>, rejected: u64) -> Result<ImportRecord, StoreError>;
    async fn rollback(self: Box<Self>) -> Result<(), StoreError>;
}
