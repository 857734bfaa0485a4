use async_trait::async_trait;
use vigie_store::conformance::database::{Database, Pool};
use vigie_store::{Store, StoreError};
use vigie_store_sqlite::SqliteStore;

/// A fresh store in its own temporary directory, kept alive as long as the store.
pub struct TempStore {
    pub store: SqliteStore,
    dir: tempfile::TempDir,
}

impl std::ops::Deref for TempStore {
    type Target = SqliteStore;
    fn deref(&self) -> &SqliteStore {
        &self.store
    }
}

pub async fn temp_store() -> TempStore {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open_dir(dir.path()).await.expect("open");
    TempStore { store, dir }
}

#[async_trait(?Send)]
impl Database for TempStore {
    async fn reopen(&mut self) -> Result<(), StoreError> {
        self.store.close().await;
        self.store = SqliteStore::open_dir(self.dir.path()).await?;
        Ok(())
    }

    fn pool(&self) -> Pool<'_> {
        Pool::Sqlite(self.store.pool())
    }

    fn store(&self) -> &dyn Store {
        &self.store
    }
}

vigie_store::store_conformance_suite!(temp_store());
vigie_store::database_conformance_suite!(temp_store());
