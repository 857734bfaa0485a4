//! The same commands against PostgreSQL (`--database postgres://…`) give exactly what they
//! give on the embedded store.

use crate::support::*;

#[test]
fn every_command_answers_the_same_on_postgres_and_sqlite() {
    let Some(db) = runtime().block_on(vigie_store_postgres::testing::TestDb::create()) else {
        return; // PostgreSQL missing and not required: the harness said so loudly.
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite_dir = dir.path().join("sqlite");
    let files = [data(GED_CANDIDATE), data(GED_SAMPLE)];
    let files: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();

    let mut args = vec!["import"];
    args.extend(&files);
    let on_pg = ok(vigie_on(&db.url, dir.path(), &args));
    let on_sqlite = ok(vigie(&sqlite_dir, &args));
    let counts = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| l.split(" in ").next().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(counts(&on_pg), counts(&on_sqlite));
    assert_contains(&on_pg, "2391 imported");

    let queries = [
        "events --format csv",
        "events --country MLI --from 2023-10-01 --format json",
        "events --admin1 Mopti --category state-based --format geojson",
        "events --actor jnim --limit 5",
        "stats --by country-month --format csv",
        "stats --by admin1-month --country BFA --format json",
        "event ucdp-ged:492699",
        "coverage",
    ];
    for q in queries.map(words) {
        let pg = ok(vigie_on(&db.url, dir.path(), &q));
        let lite = ok(vigie(&sqlite_dir, &q));
        // Provenance names the same files, and batch ids count the same way.
        assert_eq!(
            pg, lite,
            "vigie {q:?} differs between PostgreSQL and SQLite"
        );
    }

    // Re-importing into PostgreSQL changes nothing there either.
    let again = ok(vigie_on(&db.url, dir.path(), &args));
    assert_contains(&again, "0 imported, 0 updated, 2391 unchanged");
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = vigie_on("mysql://x@y/z", dir.path(), &["events"]);
    assert!(!o.status.success());
    assert_contains(&stderr(&o), "neither a postgres:// URL nor sqlite:PATH");
    let o = vigie_on(
        "postgres://user:secret@127.0.0.1:1/nodb",
        dir.path(),
        &["events"],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_contains(&err, "connecting to postgres://user:***@127.0.0.1:1/nodb");
    assert!(
        !err.contains("secret"),
        "the password must not be printed: {err}"
    );
}
