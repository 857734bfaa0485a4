use async_trait::async_trait;
use vigie_store::conformance::database::{Database, Pool};
use vigie_store::{Store, StoreError};
use vigie_store_postgres::testing::TestDb;
use vigie_store_postgres::PostgresStore;

// The block returns from the test itself when PostgreSQL is missing (the skip).
vigie_store::store_conformance_suite!({
    let store = crate::store_or_skip!();
    ::std::future::ready(store)
});

/// A store on a fresh database, with the database.
pub struct TempDatabase {
    store: PostgresStore,
    db: TestDb,
}

#[async_trait(?Send)]
impl Database for TempDatabase {
    async fn reopen(&mut self) -> Result<(), StoreError> {
        self.store.close().await;
        self.store = PostgresStore::connect(&self.db.url).await?;
        Ok(())
    }

    fn pool(&self) -> Pool<'_> {
        Pool::Postgres(self.store.pool())
    }

    fn store(&self) -> &dyn Store {
        &self.store
    }
}

vigie_store::database_conformance_suite!({
    let Some(db) = TestDb::create().await else {
        return;
    };
    ::std::future::ready(TempDatabase {
        store: db.store().await,
        db,
    })
});
