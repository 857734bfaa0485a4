//! Vigie's server store: PostgreSQL, for many analysts at once. It behaves exactly like the
//! embedded SQLite store (one conformance suite checks both); imports write through COPY.

mod copy;
mod import;
mod query;
mod table_rows;
#[cfg(feature = "testing")]
pub mod testing;

use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::Connection;
use vigie_store::{ImportMeta, ImportTx, Store, StoreError};

/// Connections a store's pool opens at most, unless told otherwise.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 16;

/// The PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://…`) and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, DEFAULT_MAX_CONNECTIONS).await
    }

    /// Like [`PostgresStore::connect`], with a pool of at most `max_connections`. Every
    /// import in progress holds one connection for its whole transaction.
    pub async fn connect_with(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        // Migrations run on a connection of their own, closed afterwards: sqlx holds a
        // session-level advisory lock while it migrates (so two servers starting at once
        // do not race), and closing the connection releases it even after an error.
        let mut conn = PgConnection::connect(url).await?;
        let migrated = vigie_store::migrations::POSTGRES.run(&mut conn).await;
        let _ = conn.close().await;
        migrated?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(60))
            .connect(url)
            .await?;
        Ok(PostgresStore { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Folds the rollup's pending deltas (see migrations/postgres/0003_rollup.sql) after bulk
/// writes; readers are right either way, only faster afterwards.
pub(crate) async fn merge_rollup(pool: &PgPool) -> Result<(), StoreError> {
    sqlx::query("SELECT vigie_rollup_merge()")
        .execute(pool)
        .await?;
    Ok(())
}

#[async_trait]
impl Store for PostgresStore {
    async fn begin_import(&self, meta: &ImportMeta) -> Result<Box<dyn ImportTx>, StoreError> {
        Ok(Box::new(
            import::PostgresImport::begin(&self.pool, meta).await?,
        ))
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
