//! An import killed with SIGKILL leaves the store consistent, and re-running it completes
//! the import without duplicates.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn kill_9_mid_import_then_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("big.csv");
    let rows = 150_000u64;
    generate(&data, &file, rows);

    let mut child = vigie_command(&data, &["import", file.to_str().unwrap()])
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
    with_store(&data, async |store| {
        assert_eq!(store.integrity_check().await.unwrap(), "ok");
        assert!(vigie_store::Directory::imports(store)
            .await
            .unwrap()
            .is_empty());
    });
    assert_eq!(count_events(&data), 0);

    // Re-running completes it, without duplicates.
    let out = ok(vigie(&data, &["import", file.to_str().unwrap()]));
    assert_contains(
        &out,
        &format!("{rows} imported, 0 updated, 0 unchanged, 0 rejected"),
    );
    assert_eq!(count_events(&data), rows);
    let out = ok(vigie(&data, &["import", file.to_str().unwrap()]));
    assert_contains(&out, &format!("0 imported, 0 updated, {rows} unchanged"));

    // The first import deferred the secondary indexes (the store was empty) and rebuilt
    // them before committing.
    with_store(&data, async |store| {
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
    });
}
