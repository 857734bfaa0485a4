use vigie_store::{Directory, ImportMeta, Records, Store};
use vigie_store_postgres::testing::TestDb;
use vigie_store_postgres::PostgresStore;

fn meta() -> ImportMeta {
    ImportMeta {
        file: "a".into(),
        format: "ucdp-ged".into(),
        file_size: 0,
    }
}

async fn applied(store: &PostgresStore) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn migrations_are_recorded_and_applied_once() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    let n = vigie_store::migrations::POSTGRES.iter().count() as i64;
    assert_eq!(applied(&store).await, n);
    store.close().await;
    let store = db.store().await;
    assert_eq!(applied(&store).await, n);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stores_opened_at_once_on_a_fresh_database_both_succeed() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let opens = (0..4).map(|_| PostgresStore::connect(&db.url));
    let stores = futures::future::join_all(opens).await;
    for s in &stores {
        assert!(s.is_ok(), "{:?}", s.as_ref().err());
    }
    let store = stores.into_iter().next().unwrap().unwrap();
    assert_eq!(
        applied(&store).await,
        vigie_store::migrations::POSTGRES.iter().count() as i64
    );
}

#[tokio::test]
async fn an_edited_migration_is_refused_at_start() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    sqlx::query("UPDATE _sqlx_migrations SET checksum = '\\x00'::bytea WHERE version = 1")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let err = PostgresStore::connect(&db.url).await.unwrap_err();
    assert!(err.to_string().contains("migration"), "{err}");
}

#[tokio::test]
async fn a_database_from_a_newer_vigie_is_refused() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', true, '\\x00'::bytea, 0)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    store.close().await;
    let err = PostgresStore::connect(&db.url).await.unwrap_err();
    assert!(err.to_string().contains("9999"), "{err}");
}

#[tokio::test]
async fn history_is_append_only() {
    let store = crate::store_or_skip!();
    let e = vigie_store::conformance::event("1", "MLI", "Mopti region", "2023-10-02", 1);
    for best in [1, 2] {
        let mut tx = store.begin_import(&meta()).await.unwrap();
        let mut e = e.clone();
        e.fatalities.best = Some(best);
        tx.write(vec![e.into()]).await.unwrap();
        tx.commit(0).await.unwrap();
    }
    assert_eq!(
        store
            .event_history(crate::concurrency::pv(), e.id)
            .await
            .unwrap()
            .len(),
        1
    );
    for sql in [
        "DELETE FROM event_history",
        "UPDATE event_history SET version = 5",
        "TRUNCATE event_history",
    ] {
        let err = sqlx::query(sql).execute(store.pool()).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(
        store
            .event_history(crate::concurrency::pv(), e.id)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_failed_write_aborts_the_import_and_leaves_nothing() {
    let store = crate::store_or_skip!();
    let good = vigie_store::conformance::event("1", "MLI", "Mopti region", "2023-10-02", 1);
    // PostgreSQL text cannot hold NUL.
    let mut bad = vigie_store::conformance::event("2", "MLI", "Mopti region", "2023-10-02", 1);
    bad.description = Some("nul \0 byte".into());
    let mut tx = store.begin_import(&meta()).await.unwrap();
    tx.write(vec![good.clone().into()]).await.unwrap();
    assert!(tx.write(vec![bad.into()]).await.is_err());
    assert!(tx.write(vec![good.clone().into()]).await.is_err());
    assert!(tx.commit(0).await.is_err());
    let all = vigie_store::EventFilter::default();
    assert_eq!(
        store
            .count_events(crate::concurrency::pv(), &all)
            .await
            .unwrap(),
        0
    );
    assert!(store.imports().await.unwrap().is_empty());
    // The pool's connections are sound afterwards.
    let mut tx = store.begin_import(&meta()).await.unwrap();
    tx.write(vec![good.into()]).await.unwrap();
    tx.commit(0).await.unwrap();
    assert_eq!(
        store
            .count_events(crate::concurrency::pv(), &all)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn the_audit_log_refuses_changes_and_verify_finds_them() {
    use vigie_store::audit::NewAuditEntry;
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    for (actor, action) in [
        ("amina", "create"),
        ("moussa", "read"),
        ("kofi", "audience"),
    ] {
        store
            .audit(&NewAuditEntry {
                actor: Some(actor.into()),
                actor_org: Some("ecowas".into()),
                action: action.into(),
                record_kind: Some("report".into()),
                record_id: Some("r-1".into()),
                detail: serde_json::json!({"marking": "TLP:AMBER"}),
            })
            .await
            .unwrap();
    }
    let check = store.audit_verify().await.unwrap();
    assert!(check.ok() && check.entries == 3, "{check:?}");
    for sql in [
        "UPDATE audit_log SET detail = '{}' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3",
        "TRUNCATE audit_log",
    ] {
        let err = sqlx::query(sql).execute(store.pool()).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }

    // Whoever can drop the triggers can edit the log; the chain still tells.
    sqlx::query("DROP TRIGGER audit_log_append_only_update ON audit_log")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET detail = '{\"marking\":\"TLP:CLEAR\"}' WHERE seq = 2")
        .execute(store.pool())
        .await
        .unwrap();
    let check = store.audit_verify().await.unwrap();
    assert_eq!(check.entries, 3);
    assert_eq!(
        check.problems,
        vec!["entry 2: its content does not match its hash (edited)".to_string()],
    );

    // Removing the last entry shows at the head.
    sqlx::query("DROP TRIGGER audit_log_append_only_delete ON audit_log")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 3")
        .execute(store.pool())
        .await
        .unwrap();
    let check = store.audit_verify().await.unwrap();
    assert_eq!(check.entries, 2);
    assert!(
        check
            .problems
            .iter()
            .any(|p| p.contains("ends at entry 2 but its head records entry 3")),
        "{check:?}"
    );
}
