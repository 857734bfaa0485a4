//! Reads: lists, counts, single events, history, statistics, imports — the shared ones,
//! in SQLite's dialect.

vigie_store::store_reads! {
    db: sqlx::sqlite::Sqlite,
    pool: sqlx::sqlite::SqlitePool,
    month: "substr(date_start, 1, 7)",
    no_admin1: "NULL",
    fatalities: "coalesce(sum(fatalities_best), 0)",
}
