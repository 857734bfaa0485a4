use vigie_core::{Actor, Event, Source};
use vigie_store::{Directory, ImportMeta, Prepared, Records, Store};

/// Every character COPY's text format treats specially, and a few CSV would.
const NASTY: &str = "a \"quoted\", comma\ttab\nnewline\r\ncrlf \\ backslash \\N \\. « Ségou » 日本";

#[tokio::test]
async fn copy_round_trips_every_character_and_null() {
    let store = crate::store_or_skip!();
    let mut e = vigie_store::conformance::event("x\"1,\t\\N", "MLI", NASTY, "2023-10-02", 3);
    e.id = Event::stable_id(Source::UcdpGed, &e.source_id);
    e.source_version = Some(String::new());
    e.place.admin2 = Some(String::new());
    e.place.location = Some("\\.".into());
    e.place.latitude = Some(0.1 + 0.2);
    e.place.longitude = Some(-1e-7);
    e.side_a = Some(Actor {
        name: NASTY.into(),
        source_id: None,
    });
    e.side_b = Some(Actor {
        name: String::new(),
        source_id: Some(String::new()),
    });
    e.description = Some(NASTY.into());
    e.source_type = "\\".into();
    // Provenance keeps a file name (no folders: a separator would be cut off on reading).
    e.provenance.file = "ged,1\t\"x\".csv".into();
    e.extra
        .insert("note".into(), serde_json::Value::String(NASTY.into()));
    e.fatalities.low = None;

    let mut plain = vigie_store::conformance::event("2", "BFA", "Sahel", "2023-10-03", 0);
    plain.place.admin1 = None;
    plain.description = None;
    plain.source_version = None;

    let meta = ImportMeta {
        file: NASTY.into(),
        format: "ucdp-ged".into(),
        file_size: 1,
    };
    let mut tx = store.begin_import(&meta).await.unwrap();
    let counts = tx
        .write(Prepared::all([e.clone(), plain.clone()]))
        .await
        .unwrap();
    assert_eq!(counts.inserted, 2);
    let rec = tx.commit(0).await.unwrap();
    assert_eq!(store.imports().await.unwrap(), vec![rec]);

    for want in [e, plain] {
        let mut got = store
            .event(crate::concurrency::pv(), want.id)
            .await
            .unwrap()
            .expect("present")
            .0;
        got.provenance.batch = None;
        assert_eq!(got, want);
    }
}
