//! The audience preview (POST /audience/preview): who could read a record under an audience
//! before it is saved. Its answer is checked against what each organisation's reader is
//! actually answered once the record is saved, so a preview whose rule differs from the
//! gate's (a former member counted, a sharing group missed) fails here.

use serde_json::{json, Value};
use vigie_core::{OrgKind, Role};
use vigie_store::world::World;
use vigie_store::TokenScope;

use crate::records::create;
use crate::support::{
    answer, assert_code, assert_field, audience_json, get, on_both_stores, post, put, Backend,
    Client, TestServer,
};

const ORGS: [&str; 5] = ["mali", "benin", "togo", "chad", "niger"];

/// Mali and Niger left "ecowas" on 2025-01-29 (Niger is still in "lake-chad"); Benin and
/// Togo stay; Chad is in "lake-chad" only; "liaison" is Mali's sharing group with Chad.
async fn world_on(backend: Backend) -> Option<TestServer> {
    let s = TestServer::start_on(backend).await?;
    let mut w = World::new();
    for o in ORGS {
        w.org(o, OrgKind::NationalAgency)
            .user(&format!("{o}-pub"), o, &[Role::Analyst, Role::Publisher])
            .user(&format!("{o}-read"), o, &[Role::Reader]);
    }
    w.community("ecowas")
        .member("ecowas", "mali", "1975-05-28", Some("2025-01-29"))
        .member("ecowas", "niger", "1975-05-28", Some("2025-01-29"))
        .member("ecowas", "benin", "1975-05-28", None)
        .member("ecowas", "togo", "1975-05-28", None)
        .community("lake-chad")
        .member("lake-chad", "chad", "1964-05-22", None)
        .member("lake-chad", "niger", "1964-05-22", None)
        .group("liaison", "mali", &["mali", "chad"]);
    s.seed(&w).await;
    Some(s)
}

fn ids(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string())
        .collect();
    v.sort();
    v
}

/// The organisations whose reader is answered the report `id` (200), sorted.
async fn readers_of(s: &TestServer, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for o in ORGS {
        let reader = s.token_client(&format!("{o}-read"), TokenScope::Read).await;
        let (st, _) = get(&reader, &s.url(&format!("/reports/{id}"))).await;
        if st == 200 {
            out.push(o.to_string());
        }
    }
    out.sort();
    out
}

/// Previews `audience` as `writer`, saves a report under it, and checks that the preview's
/// organisations are exactly those whose readers can read the saved report; returns the
/// preview.
async fn preview_then_save(s: &TestServer, writer: &Client, audience: Value) -> Value {
    let (st, preview) = post(writer, &s.url("/audience/preview"), audience.clone()).await;
    assert_eq!(st, 200, "{preview}");
    let report = create(
        s,
        writer,
        "/reports",
        json!({"title": "Weekly", "body": "b", "status": "published", "audience": audience}),
    )
    .await;
    let id = report["id"].as_str().unwrap();
    assert_eq!(
        ids(&preview["organisations"]),
        readers_of(s, id).await,
        "preview of {audience} against the saved report's readers"
    );
    preview
}

async fn preview(s: TestServer) {
    let benin = s.token_client("benin-pub", TokenScope::Write).await;
    let mali = s.token_client("mali-pub", TokenScope::Write).await;
    let ecowas = json!({"kind": "community", "id": "ecowas"});

    // AMBER to ECOWAS: Benin and Togo today; Mali and Niger no longer since they left.
    let p = preview_then_save(&s, &benin, audience_json("TLP:AMBER", ecowas.clone())).await;
    assert_eq!(ids(&p["organisations"]), ["benin", "togo"]);
    assert_eq!(p["organisations"][0]["name"], "benin");
    assert_eq!(
        p["former"],
        json!([{"id": "mali", "name": "mali", "since": "2025-01-29"},
               {"id": "niger", "name": "niger", "since": "2025-01-29"}])
    );
    assert_eq!(p["public"], false);
    assert_eq!(p["day"], chrono::Utc::now().date_naive().to_string());

    // All communities: Niger is still in Lake Chad, so only Mali is a former reader.
    let p = preview_then_save(
        &s,
        &benin,
        audience_json("TLP:GREEN", json!({"kind": "all-communities"})),
    )
    .await;
    assert_eq!(ids(&p["organisations"]), ["benin", "chad", "niger", "togo"]);
    assert_eq!(ids(&p["former"]), ["mali"]);

    // Mali's own writing: to its sharing group, to one named partner, to itself.
    let p = preview_then_save(
        &s,
        &mali,
        audience_json(
            "TLP:AMBER",
            json!({"kind": "sharing-group", "id": "liaison"}),
        ),
    )
    .await;
    assert_eq!(ids(&p["organisations"]), ["chad", "mali"]);
    assert_eq!(p["former"], json!([]));
    let p = preview_then_save(
        &s,
        &mali,
        audience_json(
            "TLP:AMBER+STRICT",
            json!({"kind": "organisations", "orgs": ["benin"]}),
        ),
    )
    .await;
    assert_eq!(ids(&p["organisations"]), ["benin", "mali"]);
    let p = preview_then_save(
        &s,
        &mali,
        audience_json("TLP:AMBER", json!({"kind": "organisation"})),
    )
    .await;
    assert_eq!(ids(&p["organisations"]), ["mali"]);

    // A report's audiences, oldest first, to those who may read it; names and authors to the
    // owner organisation only; to others, like a missing report.
    let r = create(
        &s,
        &mali,
        "/reports",
        json!({"title": "Shared later", "body": "b", "status": "published",
               "audience": audience_json("TLP:AMBER", json!({"kind": "organisation"}))}),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let to_benin = audience_json(
        "TLP:AMBER",
        json!({"kind": "organisations", "orgs": ["benin"]}),
    );
    let (st, v) = put(&mali, &s.url(&format!("/reports/{id}/audience")), to_benin).await;
    assert_eq!(st, 200, "{v}");
    let history = format!("/reports/{id}/audience-history");
    let (st, v) = get(&mali, &s.url(&history)).await;
    assert_eq!(st, 200, "{v}");
    let items = &v["items"];
    assert_eq!(items.as_array().unwrap().len(), 2, "{v}");
    assert_eq!(
        (
            &items[0]["action"],
            &items[0]["distribution"],
            &items[0]["by"]
        ),
        (&json!("create"), &json!("organisation"), &json!("mali-pub"))
    );
    assert_eq!(
        (
            &items[1]["action"],
            &items[1]["marking"],
            &items[1]["names"]
        ),
        (&json!("audience"), &json!("TLP:AMBER"), &json!(["benin"]))
    );
    let benin_read = s.token_client("benin-read", TokenScope::Read).await;
    let (st, v) = get(&benin_read, &s.url(&history)).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (
            &v["items"][1]["names"],
            &v["items"][1]["named"],
            &v["items"][1]["by"]
        ),
        (&json!(null), &json!(1), &json!(null))
    );
    let togo_read = s.token_client("togo-read", TokenScope::Read).await;
    let missing = format!("/reports/{}/audience-history", uuid::Uuid::new_v4());
    assert_eq!(
        answer(togo_read.get(s.url(&history))).await,
        answer(togo_read.get(s.url(&missing))).await
    );

    // TLP:CLEAR: everyone, and the public.
    let p = preview_then_save(
        &s,
        &benin,
        audience_json("TLP:CLEAR", json!({"kind": "all-communities"})),
    )
    .await;
    assert_eq!(p["public"], true);
    assert_eq!(p["organisations"].as_array().unwrap().len(), ORGS.len());

    // TLP:RED: no organisation as a whole, only the writer and the named people.
    let red = audience_json(
        "TLP:RED",
        json!({"kind": "recipients", "users": ["benin-read"]}),
    );
    let (st, p) = post(&benin, &s.url("/audience/preview"), red).await;
    assert_eq!(st, 200, "{p}");
    assert_eq!(p["organisations"], json!([]));
    assert_eq!(p["people"], json!(["benin-pub", "benin-read"]));

    // A marking and a distribution that do not fit: the field is named, as a save would.
    let bad = post(
        &benin,
        &s.url("/audience/preview"),
        audience_json("TLP:AMBER+STRICT", ecowas.clone()),
    )
    .await;
    assert_field(&bad, 400, "distribution");
    // Another organisation's sharing group (Benin is not in "liaison"): refused as a save
    // would refuse it, so the preview never lists the members of someone else's group.
    let foreign = post(
        &benin,
        &s.url("/audience/preview"),
        audience_json(
            "TLP:AMBER",
            json!({"kind": "sharing-group", "id": "liaison"}),
        ),
    )
    .await;
    assert_field(&foreign, 400, "distribution.id");
    assert!(foreign.1.get("organisations").is_none(), "{}", foreign.1);
    // Signed in only.
    let anonymous = post(
        &Client::anonymous(),
        &s.url("/audience/preview"),
        audience_json("TLP:AMBER", ecowas),
    )
    .await;
    assert_code(&anonymous, 401, "unauthenticated");
}

on_both_stores!(
    preview,
    world_on,
    audience_preview_names_who_the_gate_lets_read,
    audience_preview_on_postgres
);
