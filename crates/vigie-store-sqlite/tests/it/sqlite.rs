use vigie_store::{Records, Store};
use vigie_store_sqlite::SqliteStore;

#[tokio::test]
async fn opens_in_wal_mode_and_is_sound() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(&dir.path().join("nested/data"))
        .await
        .unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    assert!(dir
        .path()
        .join("nested/data")
        .join(vigie_store_sqlite::DB_FILE)
        .exists());
}

#[tokio::test]
async fn reopening_applies_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
    store.close().await;
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(
        applied as usize,
        vigie_store::migrations::SQLITE.iter().count()
    );
}

#[tokio::test]
async fn an_edited_migration_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
    sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = 1")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let err = SqliteStore::open_dir(dir.path()).await.unwrap_err();
    assert!(err.to_string().contains("migration"), "{err}");
}

#[tokio::test]
async fn a_database_from_a_newer_vigie_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', 1, x'00', 0)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    store.close().await;
    let err = SqliteStore::open_dir(dir.path()).await.unwrap_err();
    assert!(err.to_string().contains("9999"), "{err}");
}

#[tokio::test]
async fn history_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
    let e = vigie_store::conformance::event("1", "MLI", "Mopti region", "2023-10-02", 1);
    let meta = vigie_store::ImportMeta {
        file: "a".into(),
        format: "ucdp-ged".into(),
        file_size: 0,
    };
    for best in [1, 2] {
        let mut tx = store.begin_import(&meta).await.unwrap();
        let mut e = e.clone();
        e.fatalities.best = Some(best);
        tx.write(vec![e.into()]).await.unwrap();
        tx.commit(0).await.unwrap();
    }
    assert_eq!(
        store
            .event_history(
                &vigie_core::Viewer::public(chrono::Utc::now().date_naive()),
                e.id
            )
            .await
            .unwrap()
            .len(),
        1
    );
    let err = sqlx::query("DELETE FROM event_history")
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = sqlx::query("UPDATE event_history SET version = 5")
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}
