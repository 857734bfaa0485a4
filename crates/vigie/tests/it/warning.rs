//! Early warning that cries no wolf (issue 19), through the binary: the demo's data end in
//! October 2023 and cover nothing completely before it, so no spillover alert fires on its
//! "24 quiet months" (months without a record are not months of peace), no organisation is
//! alerted outside the area its rules watch, and every reader is told that the data are old.

use crate::support::{
    assert_contains, count_events, data, ok, stderr, stdout, vigie, GDELT_SAMPLE, GED_SAMPLE,
};

fn alerts(dir: &std::path::Path, user: &str) -> (Vec<serde_json::Value>, String) {
    let out = vigie(dir, &["--as", user, "alerts", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let items = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one alert per line"))
        .collect();
    (items, stderr(&out))
}

#[test]
fn the_demo_cries_no_wolf_and_says_its_data_are_old() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(vigie(d, &["demo", "--no-serve"]));
    let west_africa: std::collections::BTreeSet<&str> = vigie_core::region::regions()
        .iter()
        .map(|r| r.iso3)
        .collect();
    for user in [
        "secretariat.publisher",
        "ecowas.publisher",
        "au-psd.analyst",
        "mli-nia.publisher",
        "ben-nia.publisher",
    ] {
        let (items, err) = alerts(d, user);
        for a in &items {
            assert_ne!(a["kind"], "spillover", "{user}: {a}");
            let unit = a["unit"].as_str().unwrap();
            assert!(
                west_africa.contains(&unit[..3]),
                "{user}: an alert outside the area its rules watch: {a}"
            );
            assert_eq!(a["freshness"]["data_until"], "2023-10", "{a}");
            assert_eq!(a["freshness"]["stale"], true, "{a}");
        }
        assert_contains(&err, "The data end in 2023-10");
        assert_contains(&err, "these alerts describe then, not now");
    }
    // What the spillover rules could not assess, and why: the false alarms among them.
    let (_, err) = alerts(d, "secretariat.publisher");
    assert_contains(
        &err,
        "BFA/Est: 166 fatalities in 2023-10, but no complete source covers 24 of the 24 months before (2021-10 – 2023-09)",
    );
    // ECOWAS's rule watches its member states on the day: Mali's Gao (no longer a member,
    // bordering none) is not among its units; Benin's neighbour regions are.
    assert!(!err.contains("MLI/Gao"), "{err}");

    // The coverage: the candidate file complete for October 2023, the sample partial.
    let cov = ok(vigie(d, &["coverage"]));
    assert_contains(
        &cov,
        "ucdp-ged 2023-10 – 2023-10 complete: GEDEvent_v23_0_10.csv (every country",
    );
    assert_contains(
        &cov,
        "ucdp-ged 1989-01 – 2022-12 partial: ged231_sample_1000.csv",
    );
    assert_contains(&cov, "The data end in 2023-10: more than 3 months ago.");
    let stale = vigie(d, &["coverage", "--stale"]);
    assert_eq!(stale.status.code(), Some(2), "a stale source is reported");
    let json: serde_json::Value =
        serde_json::from_str(&ok(vigie(d, &["coverage", "--json"]))).unwrap();
    assert_eq!(json["sources"][0]["complete_until"], "2023-10");
    assert_eq!(json["sources"][0]["complete_countries"][0], "*");
}

#[test]
fn a_coverage_claim_is_checked_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // GDELT is never complete for fatalities: refused before anything is written.
    let gdelt = data(GDELT_SAMPLE);
    let out = vigie(
        d,
        &["import", "--coverage", "complete", gdelt.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_contains(
        &stderr(&out),
        "coverage: GDELT is never complete for fatalities",
    );
    assert_contains(&stderr(&out), "nothing from");
    assert_eq!(count_events(d), 0);
    let cov = ok(vigie(d, &["coverage"]));
    assert_contains(&cov, "No coverage recorded");
    // A GED sample said partial is recorded partial, with the countries it holds.
    let sample = data(GED_SAMPLE);
    ok(vigie(
        d,
        &["import", "--coverage", "partial", sample.to_str().unwrap()],
    ));
    let cov = ok(vigie(d, &["coverage"]));
    assert_contains(&cov, "partial: ged231_sample_1000.csv (AFG AGO");
    assert_contains(&cov, "said partial at import");
    let out = vigie(
        d,
        &[
            "import",
            "--coverage",
            "sometimes",
            sample.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert_contains(&stderr(&out), "--coverage");
}
