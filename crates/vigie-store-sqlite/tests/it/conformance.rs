use vigie_store_sqlite::SqliteStore;

/// A fresh store in its own temporary directory, kept alive as long as the store.
pub struct TempStore {
    pub store: SqliteStore,
    _dir: tempfile::TempDir,
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
    TempStore { store, _dir: dir }
}

vigie_store::store_conformance_suite!(temp_store());
