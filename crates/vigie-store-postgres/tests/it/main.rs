//! The PostgreSQL store's integration tests, against a real throwaway cluster (see
//! `vigie_store_postgres::testing`): the shared conformance suites (the store's, and its
//! database's: migrations, append-only tables), then what is particular to PostgreSQL
//! (migrations under an advisory lock, COPY, concurrent importers and readers).
//! Without PostgreSQL installed they skip loudly, unless `VIGIE_REQUIRE_POSTGRES=1`.

mod concurrency;
mod conformance;
mod copy;
mod postgres;

/// A store on a fresh database, or `return` from the calling test when skipping.
#[macro_export]
macro_rules! store_or_skip {
    () => {
        match vigie_store_postgres::testing::temp_store().await {
            Some(store) => store,
            None => return,
        }
    };
}
