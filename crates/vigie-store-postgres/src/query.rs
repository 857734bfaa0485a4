//! Reads and writes of records, and the directory: the shared ones, in PostgreSQL's dialect.

vigie_store::impl_records! {
    crate::PostgresStore,
    db: sqlx::postgres::Postgres,
    pool: pool,
    month: "to_char(date_start, 'YYYY-MM')",
    no_admin1: "NULL::TEXT",
    sum: "coalesce(sum({}), 0)::BIGINT",
}

vigie_store::impl_directory! {
    crate::PostgresStore,
    db: sqlx::postgres::Postgres,
    pool: pool,
}

vigie_store::impl_warnings! {
    crate::PostgresStore,
    db: sqlx::postgres::Postgres,
    pool: pool,
}

vigie_store::impl_coordination! {
    crate::PostgresStore,
    db: sqlx::postgres::Postgres,
    pool: pool,
}
