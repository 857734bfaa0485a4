use async_trait::async_trait;

use crate::{Coordination, Directory, ImportMeta, ImportTx, Records, StoreError, Warnings};

/// Every backend implements this, and one conformance suite checks them all alike. Reads
/// of records are [`Records`]' (each behind the gate); who is who is [`Directory`]'s.
#[async_trait]
pub trait Store: Records + Directory + Warnings + Coordination + Send + Sync {
    /// Starts an import: one transaction, and an import batch recorded inside it.
    async fn begin_import(&self, meta: &ImportMeta) -> Result<Box<dyn ImportTx>, StoreError>;

    /// Closes the store's connections, waiting for work in progress.
    async fn close(&self);
}
