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

/// Three audit entries, for the tampering tests.
async fn audited_store() -> (tempfile::TempDir, SqliteStore) {
    use vigie_store::{audit::NewAuditEntry, Directory};
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
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
    (dir, store)
}

#[tokio::test]
async fn the_audit_log_refuses_changes_and_verify_finds_them() {
    use vigie_store::Directory;
    let (_dir, store) = audited_store().await;
    for sql in [
        "UPDATE audit_log SET detail = '{}' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3",
    ] {
        let err = sqlx::query(sql).execute(store.pool()).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }

    // Someone with the database file can drop the triggers; the chain still tells.
    sqlx::query("DROP TRIGGER audit_log_append_only_update")
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
}

#[tokio::test]
async fn removing_the_last_audit_entry_shows_at_the_head() {
    use vigie_store::Directory;
    let (_dir, store) = audited_store().await;
    sqlx::query("DROP TRIGGER audit_log_append_only_delete")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 3")
        .execute(store.pool())
        .await
        .unwrap();
    let check = store.audit_verify().await.unwrap();
    assert_eq!(check.entries, 2);
    assert_eq!(check.problems.len(), 1, "{check:?}");
    assert!(
        check.problems[0].contains("ends at entry 2 but its head records entry 3"),
        "{check:?}"
    );

    // And from the middle: the gap and the broken link both show.
    sqlx::query("DELETE FROM audit_log WHERE seq = 1")
        .execute(store.pool())
        .await
        .unwrap();
    let check = store.audit_verify().await.unwrap();
    assert!(
        check
            .problems
            .iter()
            .any(|p| p.contains("entry 1 is missing")),
        "{check:?}"
    );
    assert!(
        check
            .problems
            .iter()
            .any(|p| p.contains("entry 2: its link to the previous entry is broken")),
        "{check:?}"
    );
}
