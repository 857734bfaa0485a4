//! Records written through the API, as the tests' users write them: the bodies of public
//! events and spillover rules, and the creation of any record.

use serde_json::{json, Value};

use crate::support::{audience_json, post, Client, TestServer};

/// POSTs `body` to `path` as `client`: the created record (the answer must be 201).
pub async fn create(s: &TestServer, client: &Client, path: &str, body: Value) -> Value {
    let (st, v) = post(client, &s.url(path), body).await;
    assert_eq!(st, 201, "POST {path}: {v}");
    v
}

/// An event open to every community (TLP:CLEAR) in `unit` ("country/admin-1") on `date`.
pub fn public_event(date: &str, unit: &str, category: &str, fatalities: i64) -> Value {
    let (country, admin1) = unit.split_once('/').expect("country/admin-1");
    json!({
        "date": date, "country": country, "admin1": admin1,
        "category": category, "fatalities": fatalities,
        "audience": audience_json("TLP:CLEAR", json!({"kind": "all-communities"}))})
}

/// Burkina Faso's Est region, active for years: 5 killed on the 15th of every month from
/// January 2022 to June 2024, in public events that `client` writes.
pub async fn active_bfa_est(s: &TestServer, client: &Client) {
    for i in 0..30 {
        let (y, m) = (2022 + i / 12, 1 + i % 12);
        let date = format!("{y}-{m:02}-15");
        create(
            s,
            client,
            "/events",
            public_event(&date, "BFA/Est", "state-based", 5),
        )
        .await;
    }
}

/// A spillover rule by first-level administrative unit and month, open to every
/// community.
pub fn public_spillover_rule(name: &str) -> Value {
    json!({
        "name": name, "rule": {"kind": "spillover", "level": "a1m"},
        "audience": audience_json("TLP:CLEAR", json!({"kind": "all-communities"}))})
}

/// States, as `client`'s organisation, that its monitors report every incident in
/// `countries` from `from` to `until` (`YYYY-MM`), for every community (TLP:CLEAR).
pub async fn state_complete(
    s: &TestServer,
    client: &Client,
    countries: &[&str],
    from: &str,
    until: &str,
) -> Value {
    create(
        s,
        client,
        "/coverage",
        json!({"source": "vigie", "countries": countries, "from": from, "until": until,
               "complete": true, "basis": "our monitors report every incident",
               "audience": audience_json("TLP:CLEAR", json!({"kind": "all-communities"}))}),
    )
    .await
}
