//! Reads: lists, counts, single events, history, statistics, imports — the shared ones,
//! in PostgreSQL's dialect.

vigie_store::store_reads! {
    db: sqlx::postgres::Postgres,
    pool: sqlx::postgres::PgPool,
    month: "to_char(date_start, 'YYYY-MM')",
    no_admin1: "NULL::TEXT",
    fatalities: "coalesce(sum(fatalities_best), 0)::BIGINT",
}
