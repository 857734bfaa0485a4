use async_trait::async_trait;
use futures::stream::BoxStream;
use serde::Serialize;
use uuid::Uuid;
use vigie_core::Event;

use crate::{EventFilter, ImportMeta, ImportRecord, ImportTx, StatRow, StatsBy, StoreError};

/// Events in the order lists use: by start date, then id.
pub type EventStream<'a> = BoxStream<'a, Result<Event, StoreError>>;

/// An earlier version of an event, replaced by a later import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventVersion {
    pub version: i64,
    pub replaced_at: String,
    pub event: Event,
}

/// Every backend implements this, and one conformance suite checks them all alike.
#[async_trait]
pub trait Store: Send + Sync {
    /// Starts an import: one transaction, and an import batch recorded inside it.
    async fn begin_import(&self, meta: &ImportMeta) -> Result<Box<dyn ImportTx>, StoreError>;

    /// Matching events, by start date then id, streamed (memory stays flat).
    fn events<'a>(&'a self, filter: &'a EventFilter) -> EventStream<'a>;

    /// How many events match (ignores `limit` and `offset`).
    async fn count_events(&self, filter: &EventFilter) -> Result<u64, StoreError>;

    async fn event(&self, id: Uuid) -> Result<Option<Event>, StoreError>;

    /// Earlier versions of an event, oldest first.
    async fn event_history(&self, id: Uuid) -> Result<Vec<EventVersion>, StoreError>;

    /// Events and fatalities per group, ordered by the group.
    async fn stats(&self, by: StatsBy, filter: &EventFilter) -> Result<Vec<StatRow>, StoreError>;

    /// Completed imports, oldest first.
    async fn imports(&self) -> Result<Vec<ImportRecord>, StoreError>;

    /// Closes the store's connections, waiting for work in progress.
    async fn close(&self);
}
