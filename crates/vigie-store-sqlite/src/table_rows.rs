//! The embedded store's rows as `vigie db copy` reads and writes them.

use crate::SqliteStore;

vigie_store::impl_table_rows! {
    SqliteStore,
    db: sqlx::sqlite::Sqlite,
    pool: pool,
    describe: |s| format!("SQLite {}", s.path.display()),
    tables: "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> $1 ORDER BY name",
    columns: "SELECT name FROM pragma_table_info($1) ORDER BY cid",
    // SQLite's limit on bound parameters in one statement (since 3.32).
    max_binds: 32_766usize,
    overriding: "",
    after_generated: None,
}
