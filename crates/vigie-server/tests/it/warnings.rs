//! Forecasts, alert rules and alerts through the API: each behind the gate, and every
//! alert computed on what its reader may see — a Benin agency's own field report raises a
//! spillover alert for the agency and for nobody else; a forecast run for one user is
//! that user's alone; webhooks get each alert once.

use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;
use vigie_core::{
    Audience, Distribution, ForecastRun, Level, Marking, OrgKind, Role, UnitForecast,
};
use vigie_store::world::World;

use crate::records::{active_bfa_est, create, public_event, public_spillover_rule, state_complete};
use crate::support::{
    assert_field, audience_json, delete, get, get_text, post, Backend, TestServer,
};

fn run(id: u128, audience: Audience, hour: u32) -> ForecastRun {
    ForecastRun {
        id: Uuid::from_u128(id),
        level: Level::Country,
        model: "gbm".into(),
        data_from: "2022-01".into(),
        data_until: "2024-06".into(),
        months: 3,
        draws: 1000,
        computed_for: "test".into(),
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, hour, 0, 0).unwrap(),
        audience,
        missing_months: 0,
        missing: String::new(),
    }
}

/// Forecasts for Benin: the total over 3 months is `total` in every draw.
fn benin(total: f64) -> Vec<UnitForecast> {
    (1..=3u32)
        .map(|ahead| UnitForecast {
            unit: "BEN".into(),
            month: format!("2024-{:02}", 6 + ahead),
            ahead,
            mean: total / 3.0,
            q05: 0.0,
            q50: total / 3.0,
            q95: total,
            p_any: 0.5,
            p_25: 0.1,
            cumulative: vec![total * f64::from(ahead) / 3.0; 101],
        })
        .collect()
}

/// A rule of the writer's organisation alone (TLP:AMBER).
fn own_rule(name: &str, rule: serde_json::Value) -> serde_json::Value {
    json!({"name": name, "rule": rule,
           "audience": audience_json("TLP:AMBER", json!({"kind": "organisation"}))})
}

/// The first element of the list `items` whose `key` is `value`.
fn first_with<'a>(items: &'a serde_json::Value, key: &str, value: &str) -> &'a serde_json::Value {
    let found = items.as_array().unwrap().iter().find(|x| x[key] == value);
    found.unwrap_or_else(|| panic!("no {key} {value} in {items}"))
}

fn units_of(alerts: &serde_json::Value, kind: &str) -> Vec<(String, String)> {
    alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == kind)
        .map(|a| {
            (
                a["unit"].as_str().unwrap().to_string(),
                a["month"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn forecasts_and_alerts_use_only_what_their_reader_may_see() {
    // A webhook receiver on port 0, and a server whose allow-list names it (and a closed
    // port, for a failing delivery); nothing else.
    let received: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(v): axum::Json<serde_json::Value>| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(v);
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let allow =
        vigie_app::webhook::AllowList::parse(&format!("{hook},http://127.0.0.1:1/")).unwrap();
    let config = vigie_server::Config {
        webhook_allow: allow.clone(),
        ..Default::default()
    };
    let s = TestServer::start_with(Backend::Sqlite, config)
        .await
        .expect("sqlite");
    s.seed(
        World::new()
            .org(vigie_core::PUBLIC_SOURCES_ORG, OrgKind::PublicSource)
            .org("ecowas", OrgKind::Regional)
            .org("ben-nia", OrgKind::NationalAgency)
            .user("eco.p", "ecowas", &[Role::Analyst, Role::Publisher])
            .user("ben.p", "ben-nia", &[Role::Analyst, Role::Publisher]),
    )
    .await;
    let eco = s.login("eco.p").await;
    let ben = s.login("ben.p").await;

    // Public: Burkina Faso's Est region has fatalities every month from 2022 to mid-2024.
    active_bfa_est(&s, &eco).await;
    // The Benin agency's own report: 4 killed in Alibori, June 2024, after years of quiet.
    let mut own = public_event("2024-06-20", "BEN/Alibori", "one-sided", 4);
    own["description"] = json!("attaque près de Karimama");
    own["audience"] = audience_json("TLP:AMBER+STRICT", json!({"kind": "organisation"}));
    create(&s, &ben, "/events", own).await;

    // A public spillover rule (ECOWAS) and the Benin agency's own threshold rule.
    let spill = create(&s, &eco, "/alert-rules", public_spillover_rule("Spillover")).await;
    assert_eq!(spill["rule"]["quiet_months"], 24);
    let thr = create(&s, &ben, "/alert-rules", json!({
        "name": "Benin: 30 within 3 months", "units": ["BEN"],
        "rule": {"kind": "threshold", "level": "cm", "fatalities": 30, "months": 3, "probability": 0.5},
        "audience": audience_json("TLP:AMBER+STRICT", json!({"kind": "organisation"}))})).await;
    let thr_id = thr["id"].as_str().unwrap().to_string();
    // ECOWAS cannot see the Benin rule: it answers like a missing one, to reading and deleting.
    let (a, b) = (
        get_text(&eco, &s.url(&format!("/alert-rules/{thr_id}"))).await,
        get_text(&eco, &s.url(&format!("/alert-rules/{}", Uuid::new_v4()))).await,
    );
    assert_eq!((a.0, &a.1), (404, &b.1));
    let del = delete(&eco, &s.url(&format!("/alert-rules/{thr_id}"))).await;
    assert_eq!(del, 404);
    let (_, rules) = get(&eco, &s.url("/alert-rules")).await;
    assert_eq!(rules["items"].as_array().unwrap().len(), 1);
    let (_, rules) = get(&ben, &s.url("/alert-rules")).await;
    assert_eq!(rules["items"].as_array().unwrap().len(), 2);

    // Without coverage, months without a record are unknown, not quiet: no spillover alert,
    // and the agency is told which unit and months could not be assessed, and why.
    let (st, mine) = get(&ben, &s.url("/alerts")).await;
    assert_eq!(st, 200, "{mine}");
    assert!(units_of(&mine, "spillover").is_empty(), "{mine}");
    let unassessed = mine["unassessed"].as_array().unwrap();
    assert_eq!(unassessed.len(), 1, "{mine}");
    assert_eq!(unassessed[0]["unit"], "BEN/Alibori");
    assert_eq!(unassessed[0]["code"], "quiet-period-not-covered");
    assert_eq!(unassessed[0]["missing"], "2022-06 – 2024-05");
    let (_, theirs) = get(&eco, &s.url("/alerts")).await;
    assert!(
        theirs["unassessed"].as_array().unwrap().is_empty(),
        "{theirs}"
    );
    // A complete source for Benin, but from 2023 only: still not 24 covered quiet months.
    state_complete(&s, &eco, &["BEN"], "2023-01", "2024-06").await;
    let (_, mine) = get(&ben, &s.url("/alerts")).await;
    assert!(units_of(&mine, "spillover").is_empty(), "{mine}");
    assert_eq!(mine["unassessed"][0]["missing"], "2022-06 – 2022-12");
    // ECOWAS states that its monitors covered Benin, Togo and Burkina Faso completely since
    // 2022.
    state_complete(&s, &eco, &["BEN", "TGO", "BFA"], "2022-01", "2024-06").await;

    // Spillover: only the agency, which sees its own report, is alerted.
    let (st, mine) = get(&ben, &s.url("/alerts")).await;
    assert_eq!(st, 200, "{mine}");
    assert_eq!(
        units_of(&mine, "spillover"),
        [("BEN/Alibori".to_string(), "2024-06".to_string())]
    );
    let alert = first_with(&mine["items"], "kind", "spillover");
    assert_eq!(alert["evidence"]["observed"], 4);
    assert_eq!(
        alert["evidence"]["active_neighbours"],
        json!([{"unit": "BFA/Est", "fatalities": 60}])
    );
    assert_eq!(alert["marking"], "TLP:CLEAR");
    let (alibori, ben_first) = (
        alert["id"].as_str().unwrap().to_string(),
        alert["first_seen"].as_str().unwrap().to_string(),
    );
    let (_, theirs) = get(&eco, &s.url("/alerts")).await;
    assert!(units_of(&theirs, "spillover").is_empty(), "{theirs}");
    assert!(!theirs.to_string().contains("Alibori"));

    // Forecasts: a public run, and a later run the agency computed on its own view (RED).
    let public = run(1, Audience::public(), 1);
    let red = run(
        2,
        Audience {
            owner: "ben-nia".into(),
            creator: Some("ben.p".into()),
            marking: Marking::Red,
            distribution: Distribution::Recipients {
                users: vec!["ben.p".into()],
            },
        },
        2,
    );
    s.store
        .create_forecast_run(&public, &benin(3.0), None)
        .await
        .unwrap();
    s.store
        .create_forecast_run(&red, &benin(90.0), None)
        .await
        .unwrap();
    let (_, f) = get(&ben, &s.url("/forecasts?level=cm&unit=BEN")).await;
    assert_eq!(f["run"]["id"], red.id.to_string());
    assert_eq!(f["items"].as_array().unwrap().len(), 3);
    let (_, f) = get(&eco, &s.url("/forecasts?level=cm")).await;
    assert_eq!(f["run"]["id"], public.id.to_string());
    assert_eq!(f["items"][2]["cumulative"][50], 3.0);
    let (_, runs) = get(&eco, &s.url("/forecasts/runs")).await;
    assert_eq!(runs["items"].as_array().unwrap().len(), 1);
    let (a, b) = (
        get_text(&eco, &s.url(&format!("/forecasts?run={}", red.id))).await,
        get_text(&eco, &s.url(&format!("/forecasts?run={}", Uuid::new_v4()))).await,
    );
    assert_eq!((a.0, &a.1), (404, &b.1));
    let (a, b) = (
        get_text(&eco, &s.url(&format!("/forecasts/runs/{}", red.id))).await,
        get_text(&eco, &s.url(&format!("/forecasts/runs/{}", Uuid::new_v4()))).await,
    );
    assert_eq!((a.0, &a.1), (404, &b.1));
    assert_field(
        &get(&eco, &s.url("/forecasts?level=county")).await,
        400,
        "level",
    );

    // Threshold: the agency's latest visible run (its own) gives 90 in 3 months.
    let (_, mine) = get(&ben, &s.url("/alerts")).await;
    assert_eq!(
        units_of(&mine, "threshold"),
        [("BEN".to_string(), "2024-07".to_string())]
    );
    let t = first_with(&mine["items"], "kind", "threshold");
    assert_eq!(t["evidence"]["run"]["id"], red.id.to_string());
    assert_eq!(t["evidence"]["probability"], 1.0);

    // Bad rules: the field that is wrong, nothing written.
    let threshold = |months: u32, probability: f64| json!({"kind": "threshold", "level": "cm", "fatalities": 30, "months": months, "probability": probability});
    let surge = json!({"kind": "surge", "level": "cm"});
    for (rule, extra, field) in [
        (threshold(3, 1.5), None, "rule.probability"),
        (threshold(13, 0.5), None, "rule.months"),
        (
            json!({"kind": "spillover", "level": "pgm"}),
            None,
            "rule.level",
        ),
        (surge.clone(), Some(("units", json!(["XXX"]))), "units"),
        (surge, Some(("webhook", json!("ftp://x/"))), "webhook"),
    ] {
        let mut body = own_rule("x", rule);
        if let Some((key, value)) = extra {
            body[key] = value;
        }
        assert_field(&post(&ben, &s.url("/alert-rules"), body).await, 400, field);
    }
    let (_, rules) = get(&ben, &s.url("/alert-rules")).await;
    assert_eq!(rules["items"].as_array().unwrap().len(), 2);

    // Webhooks: the receiver gets each new alert once, computed as the rule's creator; an
    // address off the allow-list is refused when the rule is written.
    let spillover = json!({"kind": "spillover", "level": "a1m"});
    let to = |name: &str, webhook: &str| {
        let mut body = own_rule(name, spillover.clone());
        body["webhook"] = json!(webhook);
        body
    };
    let elsewhere = to("Elsewhere", "http://169.254.169.254/latest/");
    assert_field(
        &post(&ben, &s.url("/alert-rules"), elsewhere).await,
        400,
        "webhook",
    );
    let mut desk = to("Spillover, to our desk", &hook);
    desk["audience"] = audience_json("TLP:AMBER+STRICT", json!({"kind": "organisation"}));
    create(&s, &ben, "/alert-rules", desk).await;
    let closed = to("Spillover, to a closed port", "http://127.0.0.1:1/hook");
    create(&s, &eco, "/alert-rules", closed).await;
    let client = vigie_app::webhook::client();
    let today = Utc::now().date_naive();
    // With the allow-list emptied (say, after the administrator removed an address),
    // nothing is called: the attempt is refused and recorded.
    let none = vigie_app::webhook::AllowList::default();
    let refused = vigie_app::webhook::deliver(s.store.as_ref(), &client, &none, today)
        .await
        .unwrap();
    assert_eq!((refused.sent, refused.refused), (0, 1), "{refused:?}");
    assert!(received.lock().unwrap().is_empty());
    let first = vigie_app::webhook::deliver(s.store.as_ref(), &client, &allow, today)
        .await
        .unwrap();
    // ECOWAS's rule raises nothing on ECOWAS's view; the agency's raises Alibori.
    assert_eq!(
        (first.rules, first.alerts, first.sent, first.failed),
        (2, 1, 1, 0),
        "{first:?}"
    );
    {
        let got = received.lock().unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["alert"]["unit"], "BEN/Alibori");
        assert_eq!(got[0]["alert"]["rule_name"], "Spillover, to our desk");
        assert_eq!(got[0]["computed_for"], "ben.p");
    }
    // Audited in the creator's name: ids and status, no content.
    let entries = s.store.audit_entries(None, 0, 10_000).await.unwrap();
    let delivered: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "alert-delivery")
        .collect();
    assert_eq!(delivered.len(), 2);
    assert!(
        delivered[0].detail.contains("refused"),
        "{}",
        delivered[0].detail
    );
    let delivered = &delivered[1..];
    assert_eq!(delivered[0].actor.as_deref(), Some("ben.p"));
    assert!(
        delivered[0].detail.contains("\"delivered\":true"),
        "{}",
        delivered[0].detail
    );
    assert!(!delivered[0].detail.contains("Alibori"));
    let again = vigie_app::webhook::deliver(s.store.as_ref(), &client, &allow, today)
        .await
        .unwrap();
    assert_eq!((again.sent, again.skipped), (0, 1), "{again:?}");
    assert_eq!(received.lock().unwrap().len(), 1);

    // A failing webhook is retried and its attempts recorded: a CLEAR public event next to
    // an active region raises an alert for ECOWAS too, whose webhook is closed.
    let savanes = public_event("2024-06-02", "TGO/Savanes", "non-state", 2);
    create(&s, &eco, "/events", savanes).await;
    let third = vigie_app::webhook::deliver(s.store.as_ref(), &client, &allow, today)
        .await
        .unwrap();
    assert_eq!(third.failed, 1, "{third:?}");
    let eco_rule = s
        .store
        .alert_rules(&vigie_core::Viewer::user(
            "eco.p",
            "ecowas",
            &[Role::Analyst],
            today,
        ))
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.webhook.as_deref() == Some("http://127.0.0.1:1/hook"))
        .unwrap();
    let alert_id = vigie_core::Alert::id_of(eco_rule.id, "TGO/Savanes", "2024-06");
    let d = s
        .store
        .delivery(eco_rule.id, alert_id)
        .await
        .unwrap()
        .expect("recorded");
    assert_eq!((d.attempts, d.delivered), (1, false));
    assert!(d.last_status.starts_with("error"), "{}", d.last_status);

    // When an alert was first raised is kept per reader: once a public report shows
    // fatalities in Alibori, ECOWAS gets the same alert (same rule, unit and month), first
    // raised to ECOWAS now — not when the agency's own report raised it for the agency.
    let before = Utc::now();
    let alibori_public = public_event("2024-06-25", "BEN/Alibori", "one-sided", 1);
    create(&s, &eco, "/events", alibori_public).await;
    let first_seen = |alerts: &serde_json::Value| -> chrono::DateTime<Utc> {
        let a = first_with(&alerts["items"], "id", &alibori);
        chrono::DateTime::parse_from_rfc3339(a["first_seen"].as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let ben_first = chrono::DateTime::parse_from_rfc3339(&ben_first)
        .unwrap()
        .with_timezone(&Utc);
    let (_, theirs) = get(&eco, &s.url("/alerts")).await;
    let eco_first = first_seen(&theirs);
    assert!(
        eco_first > ben_first && eco_first >= before - chrono::Duration::milliseconds(1),
        "ECOWAS {eco_first}, agency {ben_first}, asked after {before}"
    );
    let (_, chain) = get(&eco, &s.url("/coord/chain")).await;
    let link = first_with(&chain["links"], "alert", &alibori);
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(link["first_seen"].as_str().unwrap()).unwrap(),
        eco_first
    );
    // The agency's own first time is unchanged.
    let (_, mine) = get(&ben, &s.url("/alerts")).await;
    assert_eq!(first_seen(&mine), ben_first);
}

#[tokio::test]
async fn acknowledgements_show_only_to_those_who_get_the_alert() {
    let s = TestServer::start_on(Backend::Sqlite).await.expect("sqlite");
    s.seed(
        World::new()
            .org(vigie_core::PUBLIC_SOURCES_ORG, OrgKind::PublicSource)
            .org("ecowas", OrgKind::Regional)
            .org("ben-nia", OrgKind::NationalAgency)
            .user("eco.p", "ecowas", &[Role::Analyst, Role::Publisher])
            .user("ben.p", "ben-nia", &[Role::Analyst, Role::Publisher])
            .user("ben.r", "ben-nia", &[Role::Reader]),
    )
    .await;
    let (eco, ben, ben_reader) = (
        s.login("eco.p").await,
        s.login("ben.p").await,
        s.login("ben.r").await,
    );
    // The agency's own report raises a spillover alert for the agency alone (on data a
    // complete source covers).
    active_bfa_est(&s, &eco).await;
    state_complete(&s, &eco, &["BEN", "BFA"], "2022-01", "2024-06").await;
    let mut own = public_event("2024-06-20", "BEN/Alibori", "one-sided", 4);
    own["audience"] = audience_json("TLP:AMBER+STRICT", json!({"kind": "organisation"}));
    create(&s, &ben, "/events", own).await;
    create(&s, &eco, "/alert-rules", public_spillover_rule("Spillover")).await;
    let (_, mine) = get(&ben, &s.url("/alerts")).await;
    let alibori = first_with(&mine["items"], "unit", "BEN/Alibori")["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(mine["items"][0].get("acks").is_none(), "none yet: {mine}");
    let ack_url = |id: &str| s.url(&format!("/alerts/{id}/ack"));

    // ECOWAS does not get it: acknowledging it answers like a missing alert.
    let (a, b) = (
        post(&eco, &ack_url(&alibori), json!({})).await,
        post(&eco, &ack_url(&Uuid::new_v4().to_string()), json!({})).await,
    );
    assert_eq!((a.0, &a.1), (404, &b.1));
    // A reader of the agency gets it but may not acknowledge for the organisation.
    let (st, body) = post(&ben_reader, &ack_url(&alibori), json!({})).await;
    assert_eq!(st, 403, "{body}");
    // Bad notes name the field; nothing is written.
    let long = "x".repeat(1001);
    assert_field(
        &post(&ben, &ack_url(&alibori), json!({"note": long})).await,
        400,
        "note",
    );
    let (_, mine) = get(&ben, &s.url("/alerts")).await;
    assert!(first_with(&mine["items"], "id", &alibori)
        .get("acks")
        .is_none());

    // The agency acknowledges: its answer is what its readers see on the alert.
    let (st, ack) = post(
        &ben,
        &ack_url(&alibori),
        json!({"note": "  Équipe en route vers Karimama  "}),
    )
    .await;
    assert_eq!(st, 200, "{ack}");
    assert_eq!(
        (&ack["org"], &ack["user"], &ack["note"], &ack["alert"]),
        (
            &json!("ben-nia"),
            &json!("ben.p"),
            &json!("Équipe en route vers Karimama"),
            &json!(alibori)
        )
    );
    for client in [&ben, &ben_reader] {
        let (_, mine) = get(client, &s.url("/alerts")).await;
        assert_eq!(
            first_with(&mine["items"], "id", &alibori)["acks"],
            json!([ack])
        );
    }
    // ECOWAS, which does not get the alert, sees nothing of the acknowledgement.
    let (_, theirs) = get(&eco, &s.url("/alerts")).await;
    let text = theirs.to_string();
    assert!(
        !text.contains(&alibori) && !text.contains("Karimama"),
        "{text}"
    );

    // Audited with identifiers and marking, never the note.
    let audit = s.store.audit_entries(None, 0, 10_000).await.unwrap();
    let entry = audit
        .iter()
        .find(|e| e.action == "acknowledge")
        .expect("audited");
    assert_eq!(
        (entry.actor.as_deref(), entry.record_id.as_deref()),
        (Some("ben.p"), Some(alibori.as_str()))
    );
    assert!(!entry.detail.contains("Karimama"), "{}", entry.detail);

    // Once a public report raises the same alert for ECOWAS, ECOWAS sees the agency's
    // acknowledgement without its user's name, and adds its own.
    create(
        &s,
        &eco,
        "/events",
        public_event("2024-06-25", "BEN/Alibori", "one-sided", 1),
    )
    .await;
    let (_, theirs) = get(&eco, &s.url("/alerts")).await;
    let seen = &first_with(&theirs["items"], "id", &alibori)["acks"];
    assert_eq!(seen.as_array().unwrap().len(), 1, "{seen}");
    assert_eq!(seen[0]["org"], "ben-nia");
    assert!(
        seen[0].get("user").is_none(),
        "another organisation's user: {seen}"
    );
    let (st, eco_ack) = post(&eco, &ack_url(&alibori), json!({})).await;
    assert_eq!(st, 200, "{eco_ack}");
    assert!(eco_ack.get("note").is_none());
    let (_, mine) = get(&ben, &s.url("/alerts")).await;
    let acks = &first_with(&mine["items"], "id", &alibori)["acks"];
    assert_eq!(acks[0], ack);
    assert_eq!(
        (&acks[1]["org"], acks[1].get("user")),
        (&json!("ecowas"), None)
    );
    // Acknowledging again replaces the organisation's acknowledgement.
    let (_, again) = post(&ben, &ack_url(&alibori), json!({"note": "done"})).await;
    let (_, mine) = get(&ben, &s.url("/alerts")).await;
    let acks = &first_with(&mine["items"], "id", &alibori)["acks"];
    assert_eq!(acks.as_array().unwrap().len(), 2);
    assert_eq!(acks[1], again);
}

/// Coverage is a record behind the gate, and what it decides derives only from what its
/// reader may see: the Togo agency's own statement that its monitors covered Togo makes its
/// spillover alert fire; ECOWAS, reading the same public events but not that statement,
/// gets the onset as not assessed, and nothing in its answers names the statement. Bad
/// statements are refused field by field, and a reader may not state anything.
#[tokio::test]
async fn coverage_decides_only_for_those_who_may_see_it() {
    let s = TestServer::start_on(Backend::Sqlite).await.expect("sqlite");
    s.seed(
        World::new()
            .org(vigie_core::PUBLIC_SOURCES_ORG, OrgKind::PublicSource)
            .org("ecowas", OrgKind::Regional)
            .org("tgo-nia", OrgKind::NationalAgency)
            .user("eco.p", "ecowas", &[Role::Analyst, Role::Publisher])
            .user("tgo.p", "tgo-nia", &[Role::Analyst, Role::Publisher])
            .user("tgo.r", "tgo-nia", &[Role::Reader]),
    )
    .await;
    let (eco, tgo, reader) = (
        s.login("eco.p").await,
        s.login("tgo.p").await,
        s.login("tgo.r").await,
    );
    active_bfa_est(&s, &eco).await;
    create(
        &s,
        &eco,
        "/events",
        public_event("2024-06-02", "TGO/Savanes", "non-state", 2),
    )
    .await;
    create(&s, &eco, "/alert-rules", public_spillover_rule("Spillover")).await;
    let secret = "our Dapaong network, 41 monitors";
    let stated = create(
        &s,
        &tgo,
        "/coverage",
        json!({
        "source": "vigie", "countries": ["TGO"], "from": "2022-01", "until": "2024-06",
        "complete": true, "basis": secret,
        "audience": audience_json("TLP:AMBER+STRICT", json!({"kind": "organisation"}))}),
    )
    .await;
    assert_eq!(stated["audience"]["owner"], "tgo-nia");

    let (_, mine) = get(&tgo, &s.url("/alerts")).await;
    assert_eq!(
        units_of(&mine, "spillover"),
        [("TGO/Savanes".to_string(), "2024-06".to_string())],
        "{mine}"
    );
    let alert = first_with(&mine["items"], "unit", "TGO/Savanes");
    assert_eq!(
        alert["evidence"]["sources"],
        json!([format!("vigie: {secret}")])
    );
    assert_eq!(alert["freshness"]["data_until"], "2024-06");
    let (_, theirs) = get(&eco, &s.url("/alerts")).await;
    assert!(units_of(&theirs, "spillover").is_empty(), "{theirs}");
    assert_eq!(theirs["unassessed"][0]["unit"], "TGO/Savanes", "{theirs}");
    assert_eq!(theirs["unassessed"][0]["missing_months"], 24);
    // ECOWAS's own view holds no coverage at all: its freshness says nothing either.
    assert!(theirs["freshness"].get("data_until").is_none(), "{theirs}");
    let (_, cov) = get(&eco, &s.url("/coverage")).await;
    assert!(cov["items"].as_array().unwrap().is_empty(), "{cov}");
    for v in [&theirs, &cov] {
        assert!(!v.to_string().contains("Dapaong"), "{v}");
    }
    let (_, cov) = get(&tgo, &s.url("/coverage")).await;
    assert_eq!(cov["items"][0]["id"], stated["id"]);
    assert_eq!(cov["sources"][0]["complete_countries"], json!(["TGO"]));

    // Refused, field by field, nothing written.
    let body = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut b = json!({"source": "acled", "countries": ["TGO"], "from": "2022-01",
            "until": "2024-06", "complete": true, "basis": "export",
            "audience": audience_json("TLP:AMBER", json!({"kind": "organisation"}))});
        f(&mut b);
        b
    };
    for (change, field) in [
        (
            &(|b: &mut serde_json::Value| b["source"] = json!("radio"))
                as &dyn Fn(&mut serde_json::Value),
            "source",
        ),
        (
            &|b: &mut serde_json::Value| b["source"] = json!("gdelt"),
            "complete",
        ),
        (
            &|b: &mut serde_json::Value| b["countries"] = json!(["TGO", "XXX"]),
            "countries[1]",
        ),
        (
            &|b: &mut serde_json::Value| b["from"] = json!("2022-13"),
            "from",
        ),
        (
            &|b: &mut serde_json::Value| b["until"] = json!("2021-12"),
            "until",
        ),
        (
            &|b: &mut serde_json::Value| b["basis"] = json!("  "),
            "basis",
        ),
    ] {
        assert_field(
            &post(&tgo, &s.url("/coverage"), body(change)).await,
            400,
            field,
        );
    }
    let (st, _) = post(&reader, &s.url("/coverage"), body(&|_| {})).await;
    assert_eq!(st, 403);
    let (_, cov) = get(&tgo, &s.url("/coverage")).await;
    assert_eq!(cov["items"].as_array().unwrap().len(), 1);
}
