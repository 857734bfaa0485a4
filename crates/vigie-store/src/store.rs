use async_trait::async_trait;
use futures::stream::BoxStream;
use serde::Serialize;
use vigie_core::Event;

use crate::{Coordination, Directory, ImportMeta, ImportTx, Records, StoreError, Warnings};

/// Events in the order lists use: by start date, then id.
pub type EventStream<'a> = BoxStream<'a, Result<Event, StoreError>>;

/// An earlier version of an event, replaced by a later import.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventVersion {
    pub version: i64,
    pub replaced_at: String,
    pub event: Event,
}

/// Every backend implements this, and one conformance suite checks them all alike. Reads
/// of records are [`Records`]' (each behind the gate); who is who is [`Directory`]'s.
#[async_trait]
pub trait Store: Records + Directory + Warnings + Coordination + Send + Sync {
    /// Starts an import: one transaction, and an import batch recorded inside it.
    async fn begin_import(&self, meta: &ImportMeta) -> Result<Box<dyn ImportTx>, StoreError>;

    /// Closes the store's connections, waiting for work in progress.
    async fn close(&self);
}
