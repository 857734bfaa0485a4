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
