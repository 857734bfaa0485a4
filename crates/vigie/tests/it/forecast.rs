//! `vigie forecast`, end to end through the binary: live forecasts read the store through
//! the reader's gate, and evaluation writes the predictions it promises.

use std::collections::BTreeMap;

use crate::support::{ok, stderr, vigie};

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
    ok(vigie(d, &["demo", "--no-serve"]));
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
    assert!(mli > 0.0, "its own fatalities of 2025 count for it: {mli}");
    // A Benin agency reader may not see the Mali agency's AMBER field reports.
    let benin = means(&run(Some("ben-nia.reader")));
    assert_eq!(benin.keys().filter(|(_, c)| c == "MLI").count(), 3);
    assert!(benin
        .iter()
        .filter(|((_, c), _)| c == "MLI")
        .all(|(_, mean)| *mean == 0.0));
    // Nobody to forecast from: a clear error.
    let empty = tempfile::tempdir().unwrap();
    let o = vigie(empty.path(), &["forecast", "run"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("nothing to forecast from"),
        "{}",
        stderr(&o)
    );
}
