use crate::support::*;

#[test]
fn import_real_ged_then_query_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = ok(vigie(
        d,
        &[
            "import",
            data(GED_CANDIDATE).to_str().unwrap(),
            data(GED_SAMPLE).to_str().unwrap(),
        ],
    ));
    assert_contains(
        &out,
        "GEDEvent_v23_0_10.csv (ucdp-ged): 2391 imported, 0 updated, 0 unchanged, 0 rejected",
    );
    assert_contains(
        &out,
        "ged231_sample_1000.csv (ucdp-ged): 1000 imported, 0 updated, 0 unchanged, 0 rejected",
    );
    assert_eq!(count_events(d), 3391);

    // CSV: Mali in October 2023, parsed back with a real CSV reader.
    let csv_out = ok(vigie(
        d,
        &words("events --country MLI --from 2023-10-01 --to 2023-10-31 --format csv"),
    ));
    let mut r = csv::Reader::from_reader(csv_out.as_bytes());
    let headers = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 55, "the candidate file has 55 Malian events");
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    assert!(rows.iter().all(|r| &r[col("country")] == "MLI"));
    assert!(rows
        .iter()
        .all(|r| &r[col("date_start")] >= "2023-10-01" && &r[col("date_start")] <= "2023-10-31"));

    // JSON: every field of a known event.
    let json_out = ok(vigie(
        d,
        &["events", "--country", "AFG", "--format", "json"],
    ));
    let events: Vec<serde_json::Value> = serde_json::from_str(&json_out).unwrap();
    let e = events
        .iter()
        .find(|e| e["source_id"] == "492699")
        .expect("event 492699");
    assert_eq!(e["place"]["latitude"], 32.74804);
    assert_eq!(e["place"]["longitude"], 68.39877);
    assert_eq!(e["place"]["priogrid_gid"], 176897);
    assert_eq!(e["period"]["start"], "2023-10-02");
    assert_eq!(e["fatalities"]["best"], 1);
    assert_eq!(e["category"], "one-sided");
    assert_eq!(e["marking"], "TLP:CLEAR");
    assert_eq!(e["owner"], "public-sources");

    // GeoJSON: one point feature per event, lon/lat order.
    let geo = ok(vigie(
        d,
        &["events", "--country", "BFA", "--format", "geojson"],
    ));
    let fc: serde_json::Value = serde_json::from_str(&geo).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    assert!(features.len() >= 58, "{}", features.len());
    for f in features {
        let c = &f["geometry"]["coordinates"];
        assert!((-6.0..3.0).contains(&c[0].as_f64().unwrap()), "{c}");
        assert!((9.0..16.0).contains(&c[1].as_f64().unwrap()), "{c}");
        assert_eq!(f["properties"]["country"], "BFA");
    }

    // Table, with a category and an actor filter.
    let table = ok(vigie(
        d,
        &[
            "events",
            "--country",
            "MLI",
            "--actor",
            "jnim",
            "--category",
            "state-based",
        ],
    ));
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("DATE"));
    assert!(lines.len() > 1);
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("MLI") && l.contains("state-based") && l.contains("JNIM")),
        "{table}"
    );

    // Source and limit.
    let limited = ok(vigie(
        d,
        &[
            "events", "--source", "ucdp-ged", "--limit", "3", "--format", "csv",
        ],
    ));
    assert_eq!(limited.lines().count(), 4);
}

#[test]
fn stats_by_country_month_and_admin1_month() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(vigie(d, &["import", data(GED_CANDIDATE).to_str().unwrap()]));
    let out = ok(vigie(
        d,
        &words("stats --by country-month --from 2023-10-01 --to 2023-10-31 --format csv"),
    ));
    let mut r = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        r.headers().unwrap(),
        vec!["country", "month", "events", "fatalities"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let wa: i64 = rows
        .iter()
        .filter(|r| vigie_core::country::WEST_AFRICA.contains(&&r[0]))
        .map(|r| r[2].parse::<i64>().unwrap())
        .sum();
    assert_eq!(wa, 234, "West African events in October 2023");

    // Fatalities must equal the sum of `best` in the file for those events.
    let mut raw = csv::Reader::from_path(data(GED_CANDIDATE)).unwrap();
    let h = raw.headers().unwrap().clone();
    let (ci, bi, di) = (
        h.iter().position(|x| x == "country_id").unwrap(),
        h.iter().position(|x| x == "best").unwrap(),
        h.iter().position(|x| x == "date_start").unwrap(),
    );
    let mali_best: i64 = raw
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[ci] == "432" && r[di].starts_with("2023-10"))
        .map(|r| r[bi].parse::<i64>().unwrap())
        .sum();
    let mali = rows
        .iter()
        .find(|r| &r[0] == "MLI" && &r[1] == "2023-10")
        .expect("Mali row");
    assert_eq!(mali[3].parse::<i64>().unwrap(), mali_best);

    let json = ok(vigie(
        d,
        &words("stats --by admin1-month --country BFA --format json"),
    ));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert!(rows
        .iter()
        .all(|r| r["country"] == "BFA" && r["admin1"].is_string() || r["admin1"].is_null()));
    let events: i64 = rows.iter().map(|r| r["events"].as_i64().unwrap()).sum();
    assert_eq!(events, 58);
    let table = ok(vigie(
        d,
        &["stats", "--by", "admin1-month", "--country", "NER"],
    ));
    // UCDP's "Tillabéri region" under the boundaries' name, one row (issue 18, bug 3).
    let tillaberi: Vec<&str> = table.lines().filter(|l| l.contains("Tillab")).collect();
    assert_eq!(tillaberi.len(), 1, "{table}");
    assert_eq!(
        words(tillaberi[0])[1..4],
        ["Tillabéri", "2023-10", "9"],
        "{table}"
    );
}

#[test]
fn reimport_is_idempotent_and_changed_rows_update_with_history() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = data(GED_SAMPLE);
    ok(vigie(d, &["import", file.to_str().unwrap()]));
    let before = ok(vigie(d, &["events", "--format", "json"]));
    let again = ok(vigie(d, &["import", file.to_str().unwrap()]));
    assert_contains(&again, "0 imported, 0 updated, 1000 unchanged, 0 rejected");
    assert_eq!(
        ok(vigie(d, &["events", "--format", "json"])),
        before,
        "a second import changes nothing"
    );

    // The same file with one event's `best` changed: one update, the old version kept.
    let changed = changed_sample(d);
    let out = ok(vigie(d, &["import", changed.to_str().unwrap()]));
    assert_contains(&out, "0 imported, 1 updated, 999 unchanged, 0 rejected");
    let shown = ok(vigie(d, &["event", "ucdp-ged:300380"]));
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["event"]["fatalities"]["best"], 5);
    assert_eq!(v["history"].as_array().unwrap().len(), 1);
    assert_eq!(v["history"][0]["event"]["fatalities"]["best"], 2);
    assert_eq!(count_events(d), 1000);
}

#[test]
fn demo_imports_the_bundled_data_and_says_what_next() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(vigie(dir.path(), &["demo", "--no-serve"]));
    assert_contains(&out, "3391 public events are in");
    assert_contains(&out, "What to do next");
    assert_eq!(count_events(dir.path()), 3391);
    // Running it again on the same directory changes nothing.
    let out = ok(vigie(dir.path(), &["demo", "--no-serve"]));
    assert_contains(&out, "0 imported, 0 updated, 2391 unchanged");
}

#[test]
fn unknown_event_id_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = vigie(dir.path(), &["event", "ucdp-ged:1"]);
    assert!(!o.status.success());
    assert_contains(&stderr(&o), "no event ucdp-ged:1");
    let o = vigie(dir.path(), &["event", "nonsense"]);
    assert!(!o.status.success());
    assert_contains(&stderr(&o), "SOURCE:ID");
}

#[test]
fn event_filters_are_checked_by_the_application_layer_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    for (args, want) in [
        (
            &["events", "--country", "XXX"][..],
            "--country unknown ISO 3166 alpha-3 code \"XXX\"",
        ),
        (
            &["stats", "--by", "country-month", "--country", "ATL"][..],
            "--country unknown ISO 3166 alpha-3 code \"ATL\"",
        ),
        (
            &["events", "--from", "2024-02-01", "--to", "2024-01-01"][..],
            "--from 2024-02-01 is after to=2024-01-01",
        ),
    ] {
        let o = vigie(dir.path(), args);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert_contains(&stderr(&o), want);
    }
    // The same check, lower case accepted: the store is asked for MLI.
    ok(vigie(dir.path(), &["events", "--country", "mli"]));
}
