//! Response coordination through the API: profiles set only by their organisation's
//! admins, tasks behind the gate, the lifecycle with who may do what, declines remembered,
//! the alert → task → outcome chain and its figures, and the 3W matrix with HXL.

use serde_json::{json, Value};
use uuid::Uuid;
use vigie_core::{OrgKind, Role};
use vigie_store::world::World;

use crate::records::{active_bfa_est, create, public_event, public_spillover_rule, state_complete};
use crate::support::{assert_field, audience_json, get, get_text, post, put, Backend, TestServer};

const WRITER: [Role; 2] = [Role::Analyst, Role::Publisher];

fn profile(org: &str, level: &str) -> Value {
    json!({
        "org": org, "level": level,
        "mandates": ["mediation", "early-warning"],
        "scope": [{"country": "MLI", "from": "2000-01-01", "until": null, "consent_required": false}],
        "capacity": [{"from": "2026-01-01", "until": "2028-01-01", "person_days": 100.0, "budget": 1000.0}],
        "advantages": [{"task_type": "mediation", "score": 0.8, "rationale": "Panel of the Wise"}]
    })
}

fn new_task(title: &str, consent_required: bool) -> Value {
    json!({"title": title, "task_type": "mediation", "countries": ["MLI"], "regions": ["MLI/Mopti"],
           "effort_days": 10.0, "budget": 500.0, "deadline": "2027-03-01", "priority": 4,
           "consent_required": consent_required,
           "audience": audience_json("TLP:AMBER", json!({"kind": "community", "id": "tripartite"}))})
}

/// The secretariat, the AU and ECOWAS, in the community "tripartite" since 2024; a
/// national agency `agency` outside it; a writer of the secretariat (sec.p) and of the AU
/// (au.p).
fn tripartite(agency: &str) -> World {
    let mut w = World::new();
    w.org("secretariat", OrgKind::AdHocCoalition)
        .org("au", OrgKind::Continental)
        .org("ecowas", OrgKind::Regional)
        .org(agency, OrgKind::NationalAgency)
        .community("tripartite");
    for o in ["secretariat", "au", "ecowas"] {
        w.member("tripartite", o, "2024-01-01", None);
    }
    w.user("sec.p", "secretariat", &WRITER)
        .user("au.p", "au", &WRITER);
    w
}

#[tokio::test]
async fn tasks_follow_their_lifecycle_behind_the_gate() {
    let s = TestServer::start_on(Backend::Sqlite).await.expect("sqlite");
    let mut w = tripartite("ben-nia");
    w.org(vigie_core::PUBLIC_SOURCES_ORG, OrgKind::PublicSource)
        .user("eco.p", "ecowas", &WRITER)
        .user("ben.p", "ben-nia", &WRITER)
        .user("au.admin", "au", &[Role::OrgAdmin]);
    s.seed(&w).await;
    let sec = s.login("sec.p").await;
    let au = s.login("au.p").await;
    let eco = s.login("eco.p").await;
    let ben = s.login("ben.p").await;
    let au_admin = s.login("au.admin").await;

    // Profiles: an organisation's own org-admins set it; nobody else; bad values named.
    let au_url = s.url("/coord/profiles/au");
    let (st, v) = put(&au_admin, &au_url, profile("au", "continental")).await;
    assert_eq!(st, 200, "{v}");
    let eco_url = s.url("/coord/profiles/ecowas");
    let (st, _) = put(&au_admin, &eco_url, profile("ecowas", "regional")).await;
    assert_eq!(st, 403);
    let (st, _) = put(&au, &au_url, profile("au", "continental")).await;
    assert_eq!(st, 403);
    let mut bad = profile("au", "continental");
    bad["advantages"][0]["score"] = json!(1.5);
    let refused = put(&au_admin, &au_url, bad).await;
    let v = &refused.1;
    assert!(v["message"].as_str().unwrap().contains("1.5"), "{v}");
    // The field is the path into the body, not the organisation (it answered "au").
    assert_field(&refused, 400, "advantages[0].score");
    assert_eq!(v["reason"], "out_of_range", "{v}");
    let (_, v) = get(&ben, &s.url("/coord/profiles")).await;
    assert_eq!(v["items"][0]["advantages"][0]["score"], 0.8);

    // A task for the tripartite community: Benin's agency sees nothing of it.
    let (st, t) = post(&sec, &s.url("/tasks"), new_task("Mopti dialogue", true)).await;
    assert_eq!(st, 201, "{t}");
    let id = t["id"].as_str().unwrap().to_string();
    assert_eq!(t["status"], "open");
    let hidden = get_text(&ben, &s.url(&format!("/tasks/{id}"))).await;
    let missing = get_text(&ben, &s.url(&format!("/tasks/{}", Uuid::new_v4()))).await;
    assert_eq!(hidden, (404, missing.1));
    let (_, v) = get(&ben, &s.url("/tasks")).await;
    assert_eq!(v["items"], json!([]));
    let (_, v) = get(&au, &s.url("/tasks?status=open")).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    let (st, _) = post(
        &ben,
        &s.url(&format!("/tasks/{id}/transition")),
        json!({"to": "proposed", "org": "ben-nia"}),
    )
    .await;
    assert_eq!(st, 404);

    // Lifecycle, and who may move it.
    let tr = |to: &str| json!({"to": to});
    let url = s.url(&format!("/tasks/{id}/transition"));
    let (st, _) = post(&au, &url, json!({"to": "proposed", "org": "au"})).await;
    assert_eq!(st, 403, "only the owner proposes");
    let to_nobody = json!({"to": "proposed", "org": "nobody"});
    assert_field(&post(&sec, &url, to_nobody).await, 400, "org");
    let (st, v) = post(
        &sec,
        &url,
        json!({"to": "proposed", "org": "au", "note": "allocated"}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let (st, _) = post(&eco, &url, tr("accepted")).await;
    assert_eq!(st, 403, "only the assignee accepts");
    assert_field(
        &post(&au, &url, tr("accepted")).await,
        400,
        "consent_obtained",
    );
    let (st, v) = post(
        &au,
        &url,
        json!({"to": "accepted", "consent_obtained": true}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let (st, _) = post(&au, &url, tr("in-progress")).await;
    assert_eq!(st, 200);
    assert_field(&post(&au, &url, tr("done")).await, 400, "outcome");
    let (st, v) = post(
        &au,
        &url,
        json!({"to": "done", "outcome": "Dialogue held; local truce signed"}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["task"]["outcome"], "Dialogue held; local truce signed");
    // The history names the users of the reader's own organisation only.
    let actors: Vec<(Option<&str>, &str)> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].as_str(), e["actor_org"].as_str().unwrap()))
        .collect();
    assert_eq!(actors[0], (None, "secretariat"), "{v}");
    assert_eq!(actors[2], (Some("au.p"), "au"));
    let (_, own) = get(&sec, &s.url(&format!("/tasks/{id}"))).await;
    assert_eq!(own["history"][0]["actor"], "sec.p");
    assert_eq!(own["history"][2]["actor"], Value::Null);
    let statuses: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to_status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["open", "proposed", "accepted", "in-progress", "done"]
    );
    // Done is final.
    assert_field(&post(&sec, &url, tr("open")).await, 400, "to");

    // A decline is remembered: the same organisation cannot be proposed again.
    let (_, t2) = post(&sec, &s.url("/tasks"), new_task("Gao early warning", false)).await;
    let url2 = s.url(&format!("/tasks/{}/transition", t2["id"].as_str().unwrap()));
    post(&sec, &url2, json!({"to": "proposed", "org": "au"})).await;
    let (st, v) = post(&au, &url2, json!({"to": "declined", "note": "no capacity"})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (v["task"]["status"].as_str(), &v["task"]["declined_by"]),
        (Some("declined"), &json!(["au"]))
    );
    let again = json!({"to": "proposed", "org": "au"});
    assert_field(&post(&sec, &url2, again).await, 400, "org");
    let (st, _) = post(&sec, &url2, json!({"to": "proposed", "org": "ecowas"})).await;
    assert_eq!(st, 200);
    // An organisation that cannot read the task cannot be proposed it.
    let (_, t3) = post(&sec, &s.url("/tasks"), new_task("Kayes liaison", false)).await;
    let url3 = s.url(&format!("/tasks/{}/transition", t3["id"].as_str().unwrap()));
    let refused = post(&sec, &url3, json!({"to": "proposed", "org": "ben-nia"})).await;
    assert_field(&refused, 400, "org");
    let message = refused.1["message"].as_str().unwrap();
    assert!(message.contains("share it with ben-nia"), "{message}");
    // Shared with Benin's agency by the owner (and only the owner), it can be proposed.
    let t3_id = t3["id"].as_str().unwrap();
    let share = audience_json(
        "TLP:AMBER",
        json!({"kind": "organisations", "orgs": ["secretariat", "au", "ecowas", "ben-nia"]}),
    );
    let aud_url = s.url(&format!("/tasks/{t3_id}/audience"));
    let (st, _) = put(&au, &aud_url, share.clone()).await;
    assert_eq!(st, 403);
    let (st, v) = put(&sec, &aud_url, share).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["audience"]["distribution"]["kind"], "organisations");
    let (st, v) = post(&sec, &url3, json!({"to": "proposed", "org": "ben-nia"})).await;
    assert_eq!(st, 200, "{v}");
    let (st, _) = get(&ben, &s.url(&format!("/tasks/{t3_id}"))).await;
    assert_eq!(st, 200);

    // Bad tasks: the field named, nothing written.
    let mut bad = new_task("x", false);
    bad["countries"] = json!(["XXX"]);
    let (st, v) = post(&sec, &s.url("/tasks"), bad).await;
    assert_eq!(st, 400, "{v}");
    let mut bad = new_task("x", false);
    bad["alert"] = json!(Uuid::new_v4());
    assert_field(&post(&sec, &s.url("/tasks"), bad).await, 400, "alert");
    let (_, v) = get(&sec, &s.url("/tasks")).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 3);

    // 3W: who does what where, as JSON and as CSV with HXL hashtags.
    let (_, v) = get(&eco, &s.url("/coord/3w")).await;
    assert_eq!(
        v["rows"],
        json!([{"org": "au", "country": "MLI", "admin1": "Mopti", "task_type": "mediation", "accepted": 0, "in_progress": 0, "done": 1}])
    );
    let (_, csv) = get_text(&eco, &s.url("/coord/3w?format=csv")).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[1], "#org+code,#country+code,#adm1+name,#sector,#activity+accepted+num,#activity+inprogress+num,#activity+done+num");
    assert_eq!(lines[2], "au,MLI,Mopti,mediation,0,0,1");
    let (_, v) = get(&ben, &s.url("/coord/3w")).await;
    assert_eq!(v["rows"], json!([]), "the gate applies to the matrix too");
}

#[tokio::test]
async fn the_chain_runs_from_alert_to_outcome() {
    let s = TestServer::start_on(Backend::Sqlite).await.expect("sqlite");
    s.seed(
        World::new()
            .org(vigie_core::PUBLIC_SOURCES_ORG, OrgKind::PublicSource)
            .org("secretariat", OrgKind::AdHocCoalition)
            .org("tgo-nia", OrgKind::NationalAgency)
            .user("sec.p", "secretariat", &WRITER)
            .user("tgo.p", "tgo-nia", &WRITER),
    )
    .await;
    let sec = s.login("sec.p").await;
    let tgo = s.login("tgo.p").await;
    active_bfa_est(&s, &sec).await;
    state_complete(&s, &sec, &["TGO", "BFA"], "2022-01", "2024-06").await;
    let savanes = public_event("2024-06-02", "TGO/Savanes", "non-state", 2);
    create(&s, &sec, "/events", savanes).await;
    create(&s, &sec, "/alert-rules", public_spillover_rule("Spillover")).await;
    let (_, alerts) = get(&sec, &s.url("/alerts")).await;
    let alert = alerts["items"][0].clone();
    assert_eq!(alert["unit"], "TGO/Savanes");
    assert!(alert["first_seen"].is_string());

    // Before any task: one alert, none answered.
    let (_, v) = get(&sec, &s.url("/coord/chain")).await;
    assert_eq!(
        (
            v["figures"]["alerts"].as_u64(),
            v["figures"]["with_task"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(v["figures"]["share_responded"], 0.0);

    let mut body = new_task("Savanes early warning", false);
    body["task_type"] = json!("early-warning");
    body["countries"] = json!(["TGO"]);
    body["regions"] = json!(["TGO/Savanes"]);
    body["alert"] = alert["id"].clone();
    body["audience"] = audience_json(
        "TLP:GREEN",
        json!({"kind": "organisations", "orgs": ["secretariat", "tgo-nia"]}),
    );
    let (st, t) = post(&sec, &s.url("/tasks"), body).await;
    assert_eq!(st, 201, "{t}");
    let url = s.url(&format!("/tasks/{}/transition", t["id"].as_str().unwrap()));
    let (st, _) = post(&sec, &url, json!({"to": "proposed", "org": "tgo-nia"})).await;
    assert_eq!(st, 200);
    let (st, v) = post(&tgo, &url, json!({"to": "accepted"})).await;
    assert_eq!(st, 200, "{v}");
    let (_, by_alert) = get(
        &sec,
        &s.url(&format!("/tasks?alert={}", alert["id"].as_str().unwrap())),
    )
    .await;
    assert_eq!(by_alert["items"].as_array().unwrap().len(), 1);

    let (_, v) = get(&sec, &s.url("/coord/chain")).await;
    let f = &v["figures"];
    assert_eq!(
        (
            f["alerts"].as_u64(),
            f["with_task"].as_u64(),
            f["with_accepted_task"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(f["share_responded"], 1.0);
    assert_eq!(f["outcomes"], json!({"accepted": 1}));
    let link = &v["links"][0];
    assert_eq!(link["alert"], alert["id"]);
    assert_eq!(link["current"]["unit"], "TGO/Savanes");
    assert_eq!(link["tasks"][0]["assignee"], "tgo-nia");
    // Another agency gets the same public alert, and none of the tasks it may not read.
    s.seed(World::new().org("ner-nia", OrgKind::NationalAgency).user(
        "ner.r",
        "ner-nia",
        &[Role::Reader],
    ))
    .await;
    let ner = s.login("ner.r").await;
    let (_, theirs) = get(&ner, &s.url("/coord/chain")).await;
    let f = &theirs["figures"];
    assert_eq!(
        (f["alerts"].as_u64(), f["with_task"].as_u64()),
        (Some(1), Some(0)),
        "{theirs}"
    );
    assert_eq!(theirs["links"][0]["tasks"], json!([]));
    assert!(!theirs.to_string().contains("Savanes early warning"));
    let h = link["hours_to_accepted"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&h), "{h}");

    // The agency that accepted the task first loads its alerts now, after accepting: the
    // alert was raised by the time the task answering it was created, so its time to
    // acceptance runs from then, never below zero (issue 18, bug 1). Durations are counted
    // in whole seconds: the agency's first look comes over a second after its acceptance.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let (_, v) = get(&tgo, &s.url("/coord/chain")).await;
    let h = v["links"][0]["hours_to_accepted"].as_f64().unwrap();
    let median = v["figures"]["median_hours_to_accepted"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&h) && median >= 0.0, "{v}");

    // A task answering an alert that is not among the reader's current ones (raised for
    // the secretariat only): the board's alert count stays the alerts page's, and the
    // other alert is counted apart (issue 18, bug 2).
    let mut own = public_spillover_rule("Spillover, secretariat only");
    own["audience"] = audience_json("TLP:AMBER", json!({"kind": "organisation"}));
    let rule = create(&s, &sec, "/alert-rules", own).await;
    let (_, alerts) = get(&sec, &s.url("/alerts")).await;
    let theirs = alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["rule"] == rule["id"])
        .expect("the secretariat's own alert")
        .clone();
    let mut body = new_task("Savanes, the secretariat's alert", false);
    body["countries"] = json!(["TGO"]);
    body["alert"] = theirs["id"].clone();
    body["audience"] = audience_json(
        "TLP:GREEN",
        json!({"kind": "organisations", "orgs": ["secretariat", "tgo-nia"]}),
    );
    create(&s, &sec, "/tasks", body).await;
    let (_, tgo_alerts) = get(&tgo, &s.url("/alerts")).await;
    let (_, v) = get(&tgo, &s.url("/coord/chain")).await;
    let f = &v["figures"];
    assert_eq!(
        (f["alerts"].as_u64(), f["other_alerts"].as_u64()),
        (
            Some(tgo_alerts["items"].as_array().unwrap().len() as u64),
            Some(1)
        ),
        "{v}"
    );
    assert_eq!(f["alerts"], 1, "{v}");
    let (_, v) = get(&sec, &s.url("/coord/chain")).await;
    assert_eq!(
        (
            v["figures"]["alerts"].as_u64(),
            v["figures"]["other_alerts"].as_u64()
        ),
        (Some(2), Some(0)),
        "{v}"
    );
}

#[tokio::test]
async fn allocation_proposes_explains_and_follows_declines() {
    let s = TestServer::start_on(Backend::Sqlite).await.expect("sqlite");
    let mut w = tripartite("mli-nia");
    w.user("admin", "secretariat", &[Role::SiteAdmin]);
    s.seed(&w).await;
    let sec = s.login("sec.p").await;
    let au = s.login("au.p").await;
    let admin = s.login("admin").await;
    // Three organisations able to mediate in Mali: a national agency (which cannot read
    // the tripartite's tasks), ECOWAS (needs host consent since 2025-01-29), the AU.
    let scope = |consent: bool| json!([{"country": "MLI", "from": "2000-01-01", "until": null, "consent_required": consent}]);
    for (org, level, consent, score) in [
        ("mli-nia", "national", false, 0.9),
        ("ecowas", "regional", true, 0.7),
        ("au", "continental", false, 0.6),
    ] {
        let mut p = profile(org, level);
        p["scope"] = scope(consent);
        p["advantages"][0]["score"] = json!(score);
        let (st, v) = put(&admin, &s.url(&format!("/coord/profiles/{org}")), p).await;
        assert_eq!(st, 200, "{v}");
    }
    let (_, a) = post(&sec, &s.url("/tasks"), new_task("Mopti dialogue", false)).await;
    let (_, b) = post(&sec, &s.url("/tasks"), new_task("Ségou dialogue", true)).await;
    let mut cons = new_task("Gao dialogue", true);
    cons["consent_obtained"] = json!(true);
    let (_, g) = post(&sec, &s.url("/tasks"), cons).await;
    let (a, b, g) = (a["id"].clone(), b["id"].clone(), g["id"].clone());

    let (st, v) = post(&sec, &s.url("/coord/allocate"), json!({})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["optimal"], true);
    let org_of = |v: &Value, t: &Value| {
        v["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| &x["task"] == t)
            .map(|x| x["org"].as_str().unwrap().to_string())
    };
    // Subsidiarity: ECOWAS (regional) before the AU; the national agency cannot read them.
    assert_eq!(
        org_of(&v, &a).as_deref(),
        Some("au"),
        "no consent: not ECOWAS; {v}"
    );
    assert_eq!(org_of(&v, &g).as_deref(), Some("ecowas"), "{v}");
    let unassigned = v["unassigned"].as_array().unwrap();
    assert_eq!(unassigned.len(), 1, "{v}");
    assert_eq!(
        (&unassigned[0]["task"], unassigned[0]["binding"].as_str()),
        (&b, Some("consent-missing"))
    );
    let reasons = &v["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["task"] == g)
        .unwrap()["alternatives"];
    let why = |org: &str| {
        reasons
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["org"] == org)
            .unwrap()["why_not"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        why("mli-nia").contains("cannot read this task"),
        "{reasons}"
    );
    assert!(!why("au").is_empty());

    // What-if: exclude ECOWAS, and Gao goes to the AU.
    let (_, w) = post(
        &sec,
        &s.url("/coord/allocate"),
        json!({"excludes": [{"org": "ecowas"}]}),
    )
    .await;
    assert_eq!(org_of(&w, &g).as_deref(), Some("au"), "{w}");
    let pinned = json!({"pins": [{"task": b, "org": "ecowas"}]});
    assert_field(
        &post(&sec, &s.url("/coord/allocate"), pinned).await,
        400,
        "pins",
    );
    // Nothing was written by those.
    let (_, l) = get(&sec, &s.url("/tasks?status=open")).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 3);

    // Apply, then the AU declines Mopti: the next solve cannot give it to the AU.
    let (_, v) = post(&sec, &s.url("/coord/allocate"), json!({"apply": true})).await;
    assert_eq!(v["applied"].as_array().unwrap().len(), 2, "{v}");
    let (_, l) = get(&sec, &s.url("/tasks?status=proposed")).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 2);
    let url = s.url(&format!("/tasks/{}/transition", a.as_str().unwrap()));
    let (st, _) = post(&au, &url, json!({"to": "declined", "note": "no capacity"})).await;
    assert_eq!(st, 200);
    let (_, v) = post(&sec, &s.url("/coord/allocate"), json!({})).await;
    assert_eq!(org_of(&v, &a), None, "{v}");
    let u = v["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["task"] == a)
        .unwrap()
        .clone();
    assert!(
        ["declined", "consent-missing", "excluded"].contains(&u["binding"].as_str().unwrap()),
        "{u}"
    );
    // Readers cannot allocate.
    s.seed(World::new().user("au.r", "au", &[Role::Reader]))
        .await;
    let r = s.login("au.r").await;
    let (st, _) = post(&r, &s.url("/coord/allocate"), json!({})).await;
    assert_eq!(st, 403);
}
