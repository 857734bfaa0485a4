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
