//! The PostgreSQL store's rows as `vigie db copy` reads and writes them. Generated keys
//! (identity columns) are written as they are, with `OVERRIDING SYSTEM VALUE`, and their
//! sequence is then set past the largest, so that later imports continue after them.

use crate::PostgresStore;

vigie_store::impl_table_rows! {
    PostgresStore,
    db: sqlx::postgres::Postgres,
    pool: pool,
    describe: |s| {
        let o = s.pool.connect_options();
        format!(
            "PostgreSQL {}:{}/{}",
            o.get_host(),
            o.get_port(),
            o.get_database().unwrap_or_default()
        )
    },
    tables: "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> $1 ORDER BY 1",
    columns: "SELECT column_name::text FROM information_schema.columns \
              WHERE table_schema = current_schema() AND table_name = $1 \
              ORDER BY ordinal_position",
    // PostgreSQL's limit on bound parameters in one statement.
    max_binds: 65_535usize,
    overriding: "OVERRIDING SYSTEM VALUE",
    after_generated: Some(
        "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), max({column})) FROM {table}"
    ),
    tidy_derived: crate::merge_rollup,
}
