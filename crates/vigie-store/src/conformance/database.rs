//! What every backend's database guarantees beneath the store API, checked past the store
//! with SQL of the backend's dialect: migrations are recorded, applied once and checked at
//! every start; the event history and the audit log refuse changes, and the audit chain tells
//! whoever drops the triggers and edits the log anyway.
//!
//! ```text
//! vigie_store::database_conformance_suite!(async { MyDatabase::open_temp().await });
//! ```

use async_trait::async_trait;
use sqlx::migrate::Migrator;

use super::{event, import, public};
use crate::audit::NewAuditEntry;
use crate::{Store, StoreError};

/// A backend's database, reached past its store.
#[derive(Debug, Clone, Copy)]
pub enum Pool<'a> {
    Sqlite(&'a sqlx::SqlitePool),
    Postgres(&'a sqlx::PgPool),
}

impl Pool<'_> {
    /// Runs `sql`, as whoever holds the database could; the database's error as text.
    async fn execute(self, sql: &str) -> Result<(), String> {
        let done = match self {
            Pool::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(drop),
            Pool::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(drop),
        };
        done.map_err(|e| e.to_string())
    }

    /// The count a `SELECT count(*)` answers.
    async fn count(self, sql: &str) -> i64 {
        let count = match self {
            Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
            Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        };
        count.expect(sql)
    }

    fn migrations(self) -> &'static Migrator {
        match self {
            Pool::Sqlite(_) => &crate::migrations::SQLITE,
            Pool::Postgres(_) => &crate::migrations::POSTGRES,
        }
    }

    /// A one-byte blob literal.
    fn byte(self) -> &'static str {
        match self {
            Pool::Sqlite(_) => "x'00'",
            Pool::Postgres(_) => "'\\x00'::bytea",
        }
    }

    fn drop_trigger(self, trigger: &str, table: &str) -> String {
        match self {
            Pool::Sqlite(_) => format!("DROP TRIGGER {trigger}"),
            Pool::Postgres(_) => format!("DROP TRIGGER {trigger} ON {table}"),
        }
    }

    /// `TRUNCATE`, where there is one (PostgreSQL's), which an append-only table refuses too.
    fn truncate(self, table: &str) -> Option<String> {
        matches!(self, Pool::Postgres(_)).then(|| format!("TRUNCATE {table}"))
    }
}

/// A backend's store with its database: what the suite needs beyond the [`Store`].
#[async_trait(?Send)]
pub trait Database {
    /// Closes the store and opens its database again, as the backend starts.
    async fn reopen(&mut self) -> Result<(), StoreError>;
    /// The store's database (whose kind picks the dialect of the suite's SQL).
    fn pool(&self) -> Pool<'_>;
    /// The store, as opened last.
    fn store(&self) -> &dyn Store;
}

async fn execute(db: &dyn Database, sql: &str) {
    if let Err(e) = db.pool().execute(sql).await {
        panic!("{sql}: {e}");
    }
}

async fn assert_refused(db: &dyn Database, statements: Vec<String>) {
    for sql in statements {
        let err = db.pool().execute(&sql).await.expect_err(&sql);
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
}

async fn applied(db: &dyn Database) -> i64 {
    db.pool()
        .count("SELECT count(*) FROM _sqlx_migrations")
        .await
}

pub async fn migrations_are_recorded_and_applied_once(db: &mut dyn Database) {
    let n = db.pool().migrations().iter().count() as i64;
    assert_eq!(applied(db).await, n);
    db.reopen().await.expect("reopen");
    assert_eq!(applied(db).await, n);
}

pub async fn an_edited_migration_is_refused_at_start(db: &mut dyn Database) {
    let byte = db.pool().byte();
    execute(
        db,
        &format!("UPDATE _sqlx_migrations SET checksum = {byte} WHERE version = 1"),
    )
    .await;
    let err = db.reopen().await.expect_err("an edited migration");
    assert!(err.to_string().contains("migration"), "{err}");
}

pub async fn a_database_from_a_newer_vigie_is_refused(db: &mut dyn Database) {
    let byte = db.pool().byte();
    execute(
        db,
        &format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', true, {byte}, 0)"
        ),
    )
    .await;
    let err = db.reopen().await.expect_err("a newer database");
    assert!(err.to_string().contains("9999"), "{err}");
}

pub async fn history_is_append_only(db: &mut dyn Database) {
    let store = db.store();
    let mut e = event("1", "MLI", "Mopti region", "2023-10-02", 1);
    import(store, std::slice::from_ref(&e)).await;
    e.fatalities.best = Some(2);
    import(store, std::slice::from_ref(&e)).await;
    let versions = || async {
        let history = store.event_history(&public(), e.id).await.expect("history");
        history.len()
    };
    assert_eq!(versions().await, 1);
    let mut statements = vec![
        "DELETE FROM event_history".to_string(),
        "UPDATE event_history SET version = 5".to_string(),
    ];
    statements.extend(db.pool().truncate("event_history"));
    assert_refused(db, statements).await;
    assert_eq!(versions().await, 1);
}

/// Three audit entries, for the tampering tests.
async fn audited(db: &dyn Database) {
    for (actor, action) in [
        ("amina", "create"),
        ("moussa", "read"),
        ("kofi", "audience"),
    ] {
        db.store()
            .audit(&NewAuditEntry {
                actor: Some(actor.into()),
                actor_org: Some("ecowas".into()),
                action: action.into(),
                record_kind: Some("report".into()),
                record_id: Some("r-1".into()),
                detail: serde_json::json!({"marking": "TLP:AMBER"}),
            })
            .await
            .expect("audit");
    }
    let check = db.store().audit_verify().await.expect("verify");
    assert!(check.ok() && check.entries == 3, "{check:?}");
    assert_eq!(check.first_broken, None, "{check:?}");
}

pub async fn the_audit_log_refuses_changes_and_verify_finds_them(db: &mut dyn Database) {
    audited(db).await;
    let pool = db.pool();
    let mut statements = vec![
        "UPDATE audit_log SET detail = '{}' WHERE seq = 2".to_string(),
        "DELETE FROM audit_log WHERE seq = 3".to_string(),
    ];
    statements.extend(pool.truncate("audit_log"));
    assert_refused(db, statements).await;

    // Whoever holds the database can drop the triggers; the chain still tells.
    execute(
        db,
        &pool.drop_trigger("audit_log_append_only_update", "audit_log"),
    )
    .await;
    execute(
        db,
        "UPDATE audit_log SET detail = '{\"marking\":\"TLP:CLEAR\"}' WHERE seq = 2",
    )
    .await;
    let check = db.store().audit_verify().await.expect("verify");
    assert_eq!(check.entries, 3);
    assert_eq!(
        check.problems,
        vec!["entry 2: its content does not match its hash (edited)".to_string()],
    );
    assert_eq!(check.first_broken, Some(2), "{check:?}");
}

pub async fn removing_the_last_audit_entry_shows_at_the_head(db: &mut dyn Database) {
    audited(db).await;
    let drop = db
        .pool()
        .drop_trigger("audit_log_append_only_delete", "audit_log");
    execute(db, &drop).await;
    execute(db, "DELETE FROM audit_log WHERE seq = 3").await;
    let check = db.store().audit_verify().await.expect("verify");
    assert_eq!(check.entries, 2);
    assert_eq!(check.problems.len(), 1, "{check:?}");
    assert!(
        check.problems[0].contains("ends at entry 2 but its head records entry 3"),
        "{check:?}"
    );
    assert_eq!(check.first_broken, Some(3), "{check:?}");

    // And from the middle: the gap and the broken link both show.
    execute(db, "DELETE FROM audit_log WHERE seq = 1").await;
    let check = db.store().audit_verify().await.expect("verify");
    for problem in [
        "entry 1 is missing",
        "entry 2: its link to the previous entry is broken",
    ] {
        assert!(
            check.problems.iter().any(|p| p.contains(problem)),
            "{problem}: {check:?}"
        );
    }
    assert_eq!(check.first_broken, Some(1), "{check:?}");
}

/// Expands to one `#[tokio::test]` per guarantee; `$make` is an async expression yielding a
/// fresh [`Database`] (with an empty store).
#[macro_export]
macro_rules! database_conformance_suite {
    ($make:expr) => {
        $crate::store_conformance_suite!(@tests [database] $make, ::std::convert::identity;
            migrations_are_recorded_and_applied_once,
            an_edited_migration_is_refused_at_start,
            a_database_from_a_newer_vigie_is_refused,
            history_is_append_only,
            the_audit_log_refuses_changes_and_verify_finds_them,
            removing_the_last_audit_entry_shows_at_the_head,
        );
    };
}
