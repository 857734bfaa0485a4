//! `vigie forecast`, end to end through the binary: live forecasts read the store through
//! the reader's gate, and evaluation writes the predictions it promises.

use std::collections::BTreeMap;

use crate::support::{assert_contains, demo_records, ok, stderr, vigie, with_store};

/// (month, iso3) → mean, from `forecast run`'s CSV.
fn means(csv: &str) -> BTreeMap<(String, String), f64> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (m, c, mean) = (col("month"), col("iso3"), col("mean"));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                (rec[m].to_string(), rec[c].to_string()),
                rec[mean].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn live_forecasts_use_only_what_the_reader_may_see() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo_records(d);
    let run = |who: Option<&str>| {
        let mut args = Vec::new();
        if let Some(u) = who {
            args.extend(["--as", u]);
        }
        args.extend([
            "forecast",
            "run",
            "--model",
            "conflictology",
            "--months",
            "3",
        ]);
        ok(vigie(d, &args))
    };
    let public = means(&run(None));
    let mali_agency = means(&run(Some("mli-nia.publisher")));
    // Every country ViEWS knows, three months each.
    assert_eq!(public.len() % 3, 0);
    assert!(public.len() / 3 >= 190, "{} rows", public.len());
    // The public sees the imported UCDP data, which ends in October 2023: forecasts start
    // in November 2023. The Mali agency also sees its own field reports of October 2025
    // (TLP:AMBER, demo-001…), so its history runs two years longer.
    assert!(
        public.contains_key(&("2023-11".into(), "MLI".into())),
        "{public:?}"
    );
    assert!(!public.keys().any(|(m, _)| m.as_str() > "2024-01"));
    let mli = mali_agency
        .get(&("2025-11".into(), "MLI".into()))
        .copied()
        .expect("the Mali agency's forecast for Mali, November 2025");
    assert!(mli > 0.0, "{mli}");
    // A Benin agency reader may not see the Mali agency's AMBER field reports. The months
    // after October 2023 are covered by no complete source: they are missing, not months
    // without fatalities, so conflictology's members are Mali's last known months (from
    // October 2023), not two years of zeros.
    let benin = means(&run(Some("ben-nia.reader")));
    let benin_mli: Vec<f64> = benin
        .iter()
        .filter(|((_, c), _)| c == "MLI")
        .map(|(_, mean)| *mean)
        .collect();
    assert_eq!(benin_mli.len(), 3);
    assert!(benin_mli.iter().all(|m| *m > 0.0), "{benin_mli:?}");
    // Nobody to forecast from: a clear error.
    let empty = tempfile::tempdir().unwrap();
    let o = vigie(empty.path(), &["forecast", "run"]);
    assert!(!o.status.success());
    assert_contains(&stderr(&o), "nothing to forecast from");
}

#[test]
fn saved_forecasts_are_shared_no_wider_than_their_inputs() {
    use vigie_core::{Level, Marking, Role, Viewer};
    use vigie_store::Warnings;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(vigie(d, &["demo", "--no-serve"]));
    let saved = vigie(
        d,
        &[
            "--as",
            "mli-nia.publisher",
            "forecast",
            "run",
            "--unit",
            "a1m",
            "--model",
            "conflictology",
            "--months",
            "2",
        ],
    );
    assert!(saved.status.success(), "{}", stderr(&saved));
    let id: uuid::Uuid = stderr(&saved)
        .split("saved run ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("the run's id on standard error")
        .parse()
        .unwrap();
    assert!(String::from_utf8_lossy(&saved.stdout).starts_with("month_id,month,region,"));
    // PRIO-GRID cells from the store, written as CSV.
    let pgm = ok(vigie(
        d,
        &[
            "forecast",
            "run",
            "--unit",
            "pgm",
            "--model",
            "zero",
            "--months",
            "1",
            "--no-save",
        ],
    ));
    assert!(
        pgm.starts_with("month_id,month,priogrid_gid,ahead,"),
        "{pgm}"
    );
    assert!(pgm.lines().count() > 100, "{} lines", pgm.lines().count());
    let bad = vigie(d, &["forecast", "run", "--unit", "county"]);
    assert_contains(&stderr(&bad), "unknown unit \"county\"");

    with_store(d, async |store| {
        let today = chrono::Utc::now().date_naive();
        let runs = async |v: &Viewer| store.forecast_runs(v, None).await.unwrap();
        let publisher = Viewer::user("mli-nia.publisher", "mli-nia", &[Role::Publisher], today);
        let reader = Viewer::user("mli-nia.reader", "mli-nia", &[Role::Reader], today);
        // The demo's three public runs (cm; a1m; pgm), TLP:CLEAR: no admin-1 run from the
        // months before the last, which no complete source covers. The country run trains
        // on ViEWS' complete 1990–2022 history and the store's complete 2023-10, and says
        // which months between it treated as missing.
        let public = runs(&Viewer::public(today)).await;
        assert_eq!(public.len(), 3);
        assert_eq!(public.iter().filter(|r| r.level == Level::Grid).count(), 1);
        assert!(public.iter().all(|r| r.audience.marking == Marking::Clear));
        assert_eq!(
            public.iter().filter(|r| r.level == Level::Admin1).count(),
            1
        );
        let cm = public.iter().find(|r| r.level == Level::Country).unwrap();
        assert_eq!(
            (cm.data_from.as_str(), cm.data_until.as_str()),
            ("1990-01", "2023-10")
        );
        assert_eq!(
            (cm.missing_months, cm.missing.as_str()),
            (9, "2023-01 – 2023-09")
        );
        // The Mali agency's run is its publisher's alone.
        let mine = runs(&publisher).await;
        assert_eq!(mine.len(), 4);
        assert_eq!((mine[0].id, mine[0].audience.marking), (id, Marking::Red));
        assert_eq!(mine[0].computed_for, "mli-nia.publisher");
        let colleague = runs(&reader).await;
        assert!(colleague.iter().all(|r| r.id != id));
        let rows = store
            .forecasts(&publisher, id, &["MLI/Mopti".to_string()], None)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cumulative.len(), 101);
        assert!(store
            .forecasts(&reader, id, &[], None)
            .await
            .unwrap()
            .is_empty());
    });

    // Alerts: the public gets those of the rules it may see (the AU's GREEN rule is not
    // one), computed on its own forecasts; the AU's rule reaches the Mali agency, on the
    // demo's country forecasts, which rest on the complete ViEWS history.
    let lines = |who: &str| ok(vigie(d, &["--as", who, "alerts", "list"]));
    let rules_of = |out: &str| -> Vec<String> {
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["rule_name"].to_string())
            .collect()
    };
    let public = ok(vigie(d, &["alerts", "list"]));
    assert!(rules_of(&public).is_empty(), "{public}");
    let au = "Sahel and coastal states: at least 25 fatalities";
    let mali = lines("mli-nia.publisher");
    assert!(rules_of(&mali).iter().any(|r| r.contains(au)), "{mali}");
    assert!(!lines("bfa-nia.reader").contains("Mali and its neighbours"));
}
