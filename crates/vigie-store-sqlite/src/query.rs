//! Reads and writes of records, and the directory: the shared ones, in SQLite's dialect.

vigie_store::impl_records! {
    crate::SqliteStore,
    db: sqlx::sqlite::Sqlite,
    pool: pool,
    month: "substr(date_start, 1, 7)",
    no_admin1: "NULL",
    sum: "coalesce(sum({}), 0)",
}

vigie_store::impl_directory! {
    crate::SqliteStore,
    db: sqlx::sqlite::Sqlite,
    pool: pool,
}

vigie_store::impl_warnings! {
    crate::SqliteStore,
    db: sqlx::sqlite::Sqlite,
    pool: pool,
}

vigie_store::impl_coordination! {
    crate::SqliteStore,
    db: sqlx::sqlite::Sqlite,
    pool: pool,
}
