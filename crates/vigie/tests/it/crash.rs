//! An import killed with SIGKILL leaves the store consistent, and re-running it completes
//! the import without duplicates.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn kill_9_mid_import_then_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("big.csv");
    let rows = 150_000u64;
    ok(vigie(
        &data,
        &[
            "bench",
            "generate",
            "--rows",
            &rows.to_string(),
            "--out",
            file.to_str().unwrap(),
        ],
    ));

    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("--data-dir")
        .arg(&data)
        .arg("import")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the import is writing (the WAL grows), then kill it mid-way.
    let wal = data.join("vigie.db-wal");
    let t = Instant::now();
    loop {
        let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        if size > 4 << 20 {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the import finished ({status}) before it could be killed; make the file bigger"
            );
        }
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "the import never started writing"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());

    // Consistent: sound file, and the import is either whole or absent (here: absent).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = vigie_store_sqlite::SqliteStore::open_dir(&data)
            .await
            .unwrap();
        assert_eq!(store.integrity_check().await.unwrap(), "ok");
        assert_eq!(
            vigie_store::Records::count_events(
                &store,
                &vigie_core::Viewer::public(chrono::Utc::now().date_naive()),
                &Default::default()
            )
            .await
            .unwrap(),
            0
        );
        assert!(vigie_store::Directory::imports(&store)
            .await
            .unwrap()
            .is_empty());
        store.close().await;
    });

    // Re-running completes it, without duplicates.
    let out = ok(vigie(&data, &["import", file.to_str().unwrap()]));
    assert!(
        out.contains(&format!(
            "{rows} imported, 0 updated, 0 unchanged, 0 rejected"
        )),
        "{out}"
    );
    assert_eq!(count_events(&data), rows);
    let out = ok(vigie(&data, &["import", file.to_str().unwrap()]));
    assert!(
        out.contains(&format!("0 imported, 0 updated, {rows} unchanged")),
        "{out}"
    );

    // The first import deferred the secondary indexes (the store was empty) and rebuilt
    // them before committing.
    rt.block_on(async {
        let store = vigie_store_sqlite::SqliteStore::open_dir(&data)
            .await
            .unwrap();
        let names = store.index_names("events").await.unwrap();
        for want in [
            "events_audience",
            "events_country_date",
            "events_date",
            "events_id",
            "events_source_id",
        ] {
            assert!(
                names.iter().any(|n| n == want),
                "index {want} missing: {names:?}"
            );
        }
        store.close().await;
    });
}
