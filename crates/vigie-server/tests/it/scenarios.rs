//! Scenario tests of the sharing model and accounts, through a real server and a real HTTP
//! client. Each names the threat (docs/threats.md) it covers.

use serde_json::json;
use vigie_core::{OrgKind, Role};
use vigie_store::world::World;
use vigie_store::TokenScope;

use crate::support::{audience_json, get, Backend, TestServer, PASSWORD};

/// X, Y, Z and a site-admin's organisation; Y and Z in community "ecowas", X too until
/// `x_until`.
async fn world() -> TestServer {
    world_on(Backend::Sqlite).await.expect("SQLite")
}

async fn world_on(backend: Backend) -> Option<TestServer> {
    let s = TestServer::start_on(backend).await?;
    let mut w = World::new();
    for o in ["x", "y", "z", "ops"] {
        w.org(o, OrgKind::NationalAgency);
    }
    for o in ["x", "y", "z"] {
        w.user(&format!("{o}-pub"), o, &[Role::Analyst, Role::Publisher])
            .user(&format!("{o}-ana"), o, &[Role::Analyst])
            .user(&format!("{o}-read"), o, &[Role::Reader])
            .user(&format!("{o}-admin"), o, &[Role::OrgAdmin]);
    }
    w.user("root", "ops", &[Role::SiteAdmin])
        .community("ecowas")
        .member("ecowas", "x", "2000-01-01", None)
        .member("ecowas", "y", "2000-01-01", None)
        .member("ecowas", "z", "2000-01-01", None)
        .community("ops-only")
        .member("ops-only", "ops", "2000-01-01", None);
    s.seed(&w).await;
    Some(s)
}

async fn create_report(
    s: &TestServer,
    client: &reqwest::Client,
    title: &str,
    marking: &str,
    distribution: serde_json::Value,
) -> String {
    let r = client
        .post(s.url("/reports"))
        .json(
            &json!({"title": title, "body": format!("body of {title}"), "status": "published",
                      "audience": audience_json(marking, distribution)}),
        )
        .send()
        .await
        .unwrap();
    let status = r.status();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

/// Status, body and headers (without `date`) of a GET: what must not differ between a
/// hidden record and a missing one.
async fn answer(client: &reqwest::Client, url: &str) -> (u16, Vec<(String, String)>, String) {
    let r = client.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let mut headers: Vec<(String, String)> = r
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str() != "date")
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    headers.sort();
    (status, headers, r.text().await.unwrap())
}

// Threats 1, 2, 6, 7, 23: an organisation that leaves a community stops seeing its records
// on the day it leaves, through every channel.
#[tokio::test]
async fn ecowas_exit_hides_community_records_from_the_day_of_leaving() {
    ecowas_exit(world().await).await;
}

#[tokio::test]
async fn ecowas_exit_on_postgres() {
    if let Some(s) = world_on(Backend::Postgres).await {
        ecowas_exit(s).await;
    }
}

async fn ecowas_exit(s: TestServer) {
    let ypub = s.token_client("y-pub", TokenScope::Write).await;
    let xread = s.token_client("x-read", TokenScope::Read).await;
    let root = s.token_client("root", TokenScope::Write).await;
    let id = create_report(
        &s,
        &ypub,
        "Coastal weekly zebra",
        "TLP:GREEN",
        json!({"kind": "community", "id": "ecowas"}),
    )
    .await;
    // Bad input, refused alike on both stores with the field named, nothing written (the
    // list below holds the good event only): a count that would overflow the store's
    // totals, a negative one, a text holding U+0000 (which PostgreSQL's text cannot hold).
    for (field, value, reason) in [
        ("fatalities", json!(i64::MAX), "above 10000000"),
        ("fatalities", json!(-1), "negative"),
        ("description", json!("zebra\u{0}incident"), "U+0000"),
    ] {
        let mut body = json!({"date": "2025-06-01", "country": "BEN", "category": "one-sided",
                              "fatalities": 1,
                              "audience": audience_json("TLP:AMBER", json!({"kind": "community", "id": "ecowas"}))});
        body[field] = value;
        let r = ypub
            .post(s.url("/events"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["field"], field, "{v}");
        assert!(v["message"].as_str().unwrap().contains(reason), "{v}");
    }
    for query in ["/search?q=zebra%00", "/events?actor=%00"] {
        let (st, v) = get(&ypub, &s.url(query)).await;
        assert_eq!(st, 400, "{query}: {v}");
        assert!(v["message"].as_str().unwrap().contains("U+0000"), "{v}");
    }
    let ev = ypub
        .post(s.url("/events"))
        .json(&json!({"date": "2025-06-01", "country": "BEN", "latitude": 11.0, "longitude": 2.5,
                      "category": "one-sided", "description": "zebra incident", "fatalities": 3,
                      "audience": audience_json("TLP:AMBER", json!({"kind": "community", "id": "ecowas"}))}))
        .send()
        .await
        .unwrap();
    assert_eq!(ev.status(), 201);
    let ev: serde_json::Value = ev.json().await.unwrap();
    let event_id = ev["event"]["id"].as_str().unwrap().to_string();
    let source_id = ev["event"]["source_id"].as_str().unwrap().to_string();

    let (st, _) = get(&xread, &s.url(&format!("/reports/{id}"))).await;
    assert_eq!(st, 200);
    let (_, v) = get(&xread, &s.url("/events?source=vigie")).await;
    assert_eq!(v["total"], 1);

    // X leaves today.
    let today = chrono::Utc::now().date_naive();
    let r = root
        .post(s.url("/communities/ecowas/members/x/end"))
        .json(&json!({"until": today}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);

    let missing = answer(
        &xread,
        &s.url(&format!("/reports/{}", uuid::Uuid::new_v4())),
    )
    .await;
    assert_eq!(
        answer(&xread, &s.url(&format!("/reports/{id}"))).await,
        missing
    );
    let missing_ev = answer(&xread, &s.url(&format!("/events/{}", uuid::Uuid::new_v4()))).await;
    assert_eq!(
        answer(&xread, &s.url(&format!("/events/{event_id}"))).await,
        missing_ev
    );
    assert_eq!(
        answer(
            &xread,
            &s.url(&format!("/events/by-source/vigie/{source_id}"))
        )
        .await,
        answer(&xread, &s.url("/events/by-source/vigie/no-such-id")).await
    );
    assert_eq!(missing.0, 404);
    assert!(
        missing
            .1
            .contains(&("cache-control".to_string(), "no-store".to_string())),
        "{:?}",
        missing.1
    );
    let (_, v) = get(&xread, &s.url("/reports")).await;
    assert_eq!(v["total"], 0);
    let (_, v) = get(&xread, &s.url("/events?source=vigie")).await;
    assert_eq!(v["total"], 0);
    let (_, v) = get(&xread, &s.url("/search?q=zebra")).await;
    assert_eq!(v["events"]["total"], 0);
    assert_eq!(v["reports"]["total"], 0);
    let (_, v) = get(&xread, &s.url("/stats?by=country-month")).await;
    assert_eq!(v["rows"], json!([]));
    let (_, v) = get(&xread, &s.url("/map/cells")).await;
    assert_eq!(v["features"], json!([]));
    let (_, v) = get(&xread, &s.url("/map/events")).await;
    assert_eq!(v["features"], json!([]));
    for format in ["csv", "json", "geojson"] {
        let body = xread
            .get(s.url(&format!("/events/export?format={format}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !body.contains("zebra") && !body.contains(&event_id),
            "{format}: {body}"
        );
    }
    // Z, still a member, sees both.
    let zread = s.token_client("z-read", TokenScope::Read).await;
    let (_, v) = get(&zread, &s.url("/search?q=zebra")).await;
    assert_eq!(v["events"]["total"], 1);
    assert_eq!(v["reports"]["total"], 1);
    let (_, v) = get(&zread, &s.url("/stats?by=country-month")).await;
    assert_eq!(v["rows"][0]["events"], 1);
    assert_eq!(v["rows"][0]["fatalities"], 3);
}

// TLP 2.0: AMBER reaches the community; AMBER+STRICT never goes beyond named organisations.
#[tokio::test]
async fn amber_reaches_the_community_amber_strict_only_named_organisations() {
    amber_and_strict(world().await).await;
}

#[tokio::test]
async fn amber_and_strict_on_postgres() {
    if let Some(s) = world_on(Backend::Postgres).await {
        amber_and_strict(s).await;
    }
}

async fn amber_and_strict(s: TestServer) {
    let ypub = s.token_client("y-pub", TokenScope::Write).await;
    let amber = create_report(
        &s,
        &ypub,
        "amber",
        "TLP:AMBER",
        json!({"kind": "community", "id": "ecowas"}),
    )
    .await;
    let strict = create_report(
        &s,
        &ypub,
        "strict",
        "TLP:AMBER+STRICT",
        json!({"kind": "organisations", "orgs": ["z"]}),
    )
    .await;
    // AMBER+STRICT to a community (whose members change) is refused, precisely.
    let r = ypub
        .post(s.url("/reports"))
        .json(&json!({"title": "t", "body": "b", "audience": audience_json("TLP:AMBER+STRICT", json!({"kind": "community", "id": "ecowas"}))}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["code"], "invalid_request");
    // The field's path in the request body.
    assert_eq!(v["field"], "audience.distribution");
    let xread = s.token_client("x-read", TokenScope::Read).await;
    let zread = s.token_client("z-read", TokenScope::Read).await;
    assert_eq!(
        get(&xread, &s.url(&format!("/reports/{amber}"))).await.0,
        200
    );
    assert_eq!(
        get(&xread, &s.url(&format!("/reports/{strict}"))).await.0,
        404
    );
    assert_eq!(
        get(&zread, &s.url(&format!("/reports/{strict}"))).await.0,
        200
    );
    // RED: the creator and named recipients only, not the rest of the owner organisation.
    let red = create_report(
        &s,
        &ypub,
        "red",
        "TLP:RED",
        json!({"kind": "recipients", "users": ["z-read"]}),
    )
    .await;
    assert_eq!(get(&zread, &s.url(&format!("/reports/{red}"))).await.0, 200);
    let yread = s.token_client("y-read", TokenScope::Read).await;
    assert_eq!(get(&yread, &s.url(&format!("/reports/{red}"))).await.0, 404);
    let zadmin = s.token_client("z-admin", TokenScope::Read).await;
    assert_eq!(
        get(&zadmin, &s.url(&format!("/reports/{red}"))).await.0,
        404
    );
    // A site-admin reads nothing extra.
    let root = s.token_client("root", TokenScope::Read).await;
    for id in [&amber, &strict, &red] {
        assert_eq!(get(&root, &s.url(&format!("/reports/{id}"))).await.0, 404);
    }
}

// Threat 18: an org-admin manages only their own organisation's users, never site-level accounts.
#[tokio::test]
async fn org_admin_escalation_attempts_fail() {
    let s = world().await;
    let xadmin = s.token_client("x-admin", TokenScope::Write).await;
    let new_user = |org: &str, roles: serde_json::Value| json!({"id": format!("{org}.new"), "org": org, "name": "n", "roles": roles, "password": PASSWORD});
    let post = |body: serde_json::Value| xadmin.post(s.url("/users")).json(&body).send();
    assert_eq!(
        post(new_user("y", json!(["reader"])))
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        post(new_user("x", json!(["site-admin"])))
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        post(new_user("x", json!(["reader"])))
            .await
            .unwrap()
            .status(),
        201
    );
    let patch = |user: &str, body: serde_json::Value| {
        xadmin
            .patch(s.url(&format!("/users/{user}")))
            .json(&body)
            .send()
    };
    // Elevating oneself or a colleague to site-admin, touching another organisation's user
    // (which answers like a missing one, threat 30), resetting a site-admin's password: all
    // refused.
    assert_eq!(
        patch("x-admin", json!({"roles": ["org-admin", "site-admin"]}))
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        patch("x-read", json!({"roles": ["site-admin"]}))
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        patch("y-read", json!({"disabled": true}))
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        patch("root", json!({"password": "0123456789abc"}))
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        patch("x-read", json!({"roles": ["reader", "analyst"]}))
            .await
            .unwrap()
            .status(),
        200
    );
    // Site-level objects.
    let r = xadmin
        .post(s.url("/orgs"))
        .json(&json!({"id": "evil", "name": "e", "kind": "ngo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = xadmin
        .post(s.url("/communities/ecowas/members"))
        .json(&json!({"org": "ops", "from": "2020-01-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = xadmin
        .post(s.url("/sharing-groups"))
        .json(&json!({"id": "g", "name": "g", "owner": "y", "members": ["x"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The user directory of other organisations stays hidden (threat 13).
    let (_, v) = get(&xadmin, &s.url("/users")).await;
    let orgs: std::collections::BTreeSet<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["org"].as_str().unwrap())
        .collect();
    assert_eq!(orgs.into_iter().collect::<Vec<_>>(), vec!["x"]);
    // The accounts are as they were.
    let root = s.store.as_ref();
    assert_eq!(
        root.user("x-admin").await.unwrap().unwrap().roles,
        vec![Role::OrgAdmin]
    );
    assert!(!root.user("y-read").await.unwrap().unwrap().disabled);
    assert!(root.user("y.new").await.unwrap().is_none());
}

// Threat 19: revocation takes effect on the next request; a read token cannot write.
#[tokio::test]
async fn token_revocation_and_scope() {
    let s = world().await;
    let ypub = s.token_client("y-pub", TokenScope::Write).await;
    let secret = ypub.secret();
    assert_eq!(get(&ypub, &s.url("/me")).await.0, 200);
    let (_, tokens) = get(&ypub, &s.url("/tokens")).await;
    let id = tokens["items"][0]["id"].as_str().unwrap().to_string();
    assert!(
        !tokens.to_string().contains(&secret[10..]),
        "a token's secret is never shown again"
    );
    let r = ypub
        .delete(s.url(&format!("/tokens/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (st, v) = get(&ypub, &s.url("/me")).await;
    assert_eq!((st, v["code"].as_str()), (401, Some("unauthenticated")));
    // Read scope.
    let yread_token = s.token_client("y-pub", TokenScope::Read).await;
    let r = yread_token
        .post(s.url("/reports"))
        .json(&json!({"title": "t", "body": "b", "audience": audience_json("TLP:AMBER", json!({"kind": "organisation"}))}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "token_scope"
    );
    // A wrong secret for a real token id, and garbage, are both plainly unauthenticated.
    let forged = format!("vgt_{id}_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(
        get(&crate::support::bearer(&forged), &s.url("/me")).await.0,
        401
    );
    assert_eq!(
        get(&crate::support::bearer("nonsense"), &s.url("/me"))
            .await
            .0,
        401
    );
    // Disabling a user ends their sessions and tokens at once.
    let ypub2 = s.token_client("y-pub", TokenScope::Write).await;
    let session = s.login("y-pub").await;
    assert_eq!(get(&session, &s.url("/me")).await.0, 200);
    let root = s.token_client("root", TokenScope::Write).await;
    let r = root
        .patch(s.url("/users/y-pub"))
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(get(&ypub2, &s.url("/me")).await.0, 401);
    assert_eq!(get(&session, &s.url("/me")).await.0, 401);
}

// Threat 27: cookie-authenticated writes need the session's CSRF token; cookies are
// HttpOnly, SameSite=Strict, and Secure behind TLS.
#[tokio::test]
async fn csrf_and_cookie_flags() {
    let s = world().await;
    let raw = reqwest::Client::new();
    let r = raw
        .post(s.url("/auth/login"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"username": "y-pub", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Secure"),
        "{cookie}"
    );
    let client = s.login("y-pub").await;
    let body = json!({"title": "t", "body": "b", "audience": audience_json("TLP:AMBER", json!({"kind": "organisation"}))});
    let r = client
        .post(s.url("/reports"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "csrf_failed"
    );
    let r = client
        .post(s.url("/reports"))
        .header("x-csrf-token", "wrong")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = client
        .post(s.url("/reports"))
        .header("x-csrf-token", client.csrf())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // Reads need no CSRF token; signing out ends the session.
    assert_eq!(get(&client, &s.url("/me")).await.0, 200);
    let r = client
        .post(s.url("/auth/logout"))
        .header("x-csrf-token", client.csrf())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(get(&client, &s.url("/me")).await.0, 401);
}

// Threats 14, 15, 16: rights are checked on the actual target; seeing is not editing; only
// the owner organisation loosens a marking.
#[tokio::test]
async fn authorised_for_a_cannot_mutate_b_and_non_owners_cannot_remark() {
    let s = world().await;
    let xpub = s.token_client("x-pub", TokenScope::Write).await;
    let ypub = s.token_client("y-pub", TokenScope::Write).await;
    let a = create_report(&s, &xpub, "A", "TLP:GREEN", json!({"kind": "organisation"})).await;
    let b_visible = create_report(
        &s,
        &ypub,
        "B",
        "TLP:GREEN",
        json!({"kind": "community", "id": "ecowas"}),
    )
    .await;
    let b_hidden =
        create_report(&s, &ypub, "C", "TLP:AMBER", json!({"kind": "organisation"})).await;
    // X edits its own A …
    let r = xpub
        .patch(s.url(&format!("/reports/{a}")))
        .json(&json!({"title": "A2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // … but not B, which it can see, nor C, which it cannot (that one answers 404, like a missing id).
    let r = xpub
        .patch(s.url(&format!("/reports/{b_visible}")))
        .json(&json!({"title": "pwned"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = xpub
        .patch(s.url(&format!("/reports/{b_hidden}")))
        .json(&json!({"title": "pwned"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Re-marking B (looser or tighter) or re-sharing it: refused.
    for m in ["TLP:CLEAR", "TLP:AMBER"] {
        let dist = if m == "TLP:CLEAR" {
            json!({"kind": "all-communities"})
        } else {
            json!({"kind": "organisation"})
        };
        let r = xpub
            .put(s.url(&format!("/reports/{b_visible}/audience")))
            .json(&audience_json(m, dist))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{m}");
    }
    // Type confusion: a report's id through the event routes names no event.
    let r = xpub
        .put(s.url(&format!("/events/{b_visible}/audience")))
        .json(&audience_json(
            "TLP:CLEAR",
            json!({"kind": "all-communities"}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(get(&xpub, &s.url(&format!("/events/{a}"))).await.0, 404);
    // Nothing changed.
    let (_, v) = get(&ypub, &s.url(&format!("/reports/{b_visible}"))).await;
    assert_eq!(
        (v["title"].as_str(), v["audience"]["marking"].as_str()),
        (Some("B"), Some("TLP:GREEN"))
    );
    // The owner's analyst cannot re-mark a published report; the owner's publisher can loosen it.
    let yana = s.token_client("y-ana", TokenScope::Write).await;
    let r = yana
        .put(s.url(&format!("/reports/{b_visible}/audience")))
        .json(&audience_json("TLP:GREEN", json!({"kind": "organisation"})))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = ypub
        .put(s.url(&format!("/reports/{b_visible}/audience")))
        .json(&audience_json(
            "TLP:CLEAR",
            json!({"kind": "all-communities"}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        get(&xpub, &s.url(&format!("/reports/{b_visible}"))).await.0,
        200
    );
    // An analyst cannot widen to a community (role reach), nor publish.
    let r = yana.post(s.url("/reports")).json(&json!({"title": "t", "body": "b", "audience": audience_json("TLP:GREEN", json!({"kind": "community", "id": "ecowas"}))})).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = yana.post(s.url("/reports")).json(&json!({"title": "t", "body": "b", "status": "published", "audience": audience_json("TLP:GREEN", json!({"kind": "organisation"}))})).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // A community the writer's organisation does not belong to cannot be used.
    let r = ypub.post(s.url("/reports")).json(&json!({"title": "t", "body": "b", "audience": audience_json("TLP:GREEN", json!({"kind": "community", "id": "ops-only"}))})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    // Readers write nothing.
    let yread = s.token_client("y-read", TokenScope::Write).await;
    let r = yread.post(s.url("/reports")).json(&json!({"title": "t", "body": "b", "audience": audience_json("TLP:AMBER", json!({"kind": "organisation"}))})).send().await.unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn failed_logins_are_throttled() {
    let s = world().await;
    let c = reqwest::Client::new();
    for _ in 0..5 {
        let r = c
            .post(s.url("/auth/login"))
            .json(&json!({"username": "z-read", "password": "wrong password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = c
        .post(s.url("/auth/login"))
        .json(&json!({"username": "z-read", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "throttled"
    );
}

// Threat 9: the audit log records restricted reads and exports, org-admins see only their
// organisation's entries, and no entry holds a record's content.
#[tokio::test]
async fn audit_log_records_restricted_reads_and_hides_content() {
    let s = world().await;
    let ypub = s.token_client("y-pub", TokenScope::Write).await;
    let secret_title = "Secret title quokka";
    let id = create_report(
        &s,
        &ypub,
        secret_title,
        "TLP:AMBER",
        json!({"kind": "community", "id": "ecowas"}),
    )
    .await;
    let zread = s.token_client("z-read", TokenScope::Read).await;
    assert_eq!(get(&zread, &s.url(&format!("/reports/{id}"))).await.0, 200);
    let r = zread
        .get(s.url("/events/export?format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let zadmin = s.token_client("z-admin", TokenScope::Read).await;
    let (_, v) = get(&zadmin, &s.url("/audit?limit=1000")).await;
    let entries = v["items"].as_array().unwrap();
    assert!(entries.iter().all(|e| e["actor_org"] == "z"), "{v}");
    assert!(entries
        .iter()
        .any(|e| e["action"] == "read" && e["record_id"] == id.as_str()));
    assert!(entries.iter().any(|e| e["action"] == "export"));
    let root = s.token_client("root", TokenScope::Read).await;
    let (_, all) = get(&root, &s.url("/audit?limit=1000")).await;
    assert!(all["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["actor_org"] == "y" && e["action"] == "create"));
    assert!(
        !all.to_string().contains("quokka"),
        "no entry holds content"
    );
    let zr = s.token_client("z-read", TokenScope::Read).await;
    assert_eq!(get(&zr, &s.url("/audit")).await.0, 403);
    assert!(s.store.audit_verify().await.unwrap().ok());
}

// Threat 20: deny by default. Every operation of the OpenAPI document refuses an
// anonymous caller (but signing in), and unknown routes answer 404.
#[tokio::test]
async fn every_route_refuses_anonymous_callers() {
    let s = world().await;
    let c = reqwest::Client::new();
    let (st, doc) = get(&c, &s.url("/openapi.json")).await;
    assert_eq!(st, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .replace("{id}", &uuid::Uuid::new_v4().to_string())
            .replace("{org}", "x")
            .replace("{source}", "vigie")
            .replace("{source_id}", "1");
        let url = format!(
            "http://{}{concrete}",
            s.base
                .trim_start_matches("http://")
                .trim_end_matches("/api/v1")
        );
        for method in item.as_object().unwrap().keys() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = c.request(m, &url).json(&json!({})).send().await.unwrap();
            let want = if path == "/api/v1/auth/login" {
                400
            } else {
                401
            };
            assert_eq!(r.status().as_u16(), want, "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked >= 35, "{checked}");
    assert_eq!(get(&c, &s.url("/no/such/route")).await.0, 404);
}

// The UI's language is remembered per user, set only by that user's own session (with its
// CSRF token), and a reloaded page gets its session's CSRF token back from /me.
#[tokio::test]
async fn ui_language_is_remembered_per_user() {
    let s = world().await;
    let client = s.login("y-pub").await;
    let (status, me) = get(&client, &s.url("/me")).await;
    assert_eq!(status, 200);
    assert_eq!(me["locale"], serde_json::Value::Null);
    assert_eq!(me["csrf_token"], json!(client.csrf()));
    let put = |body: serde_json::Value, token: Option<&str>| {
        let mut r = client.put(s.url("/me/locale")).json(&body);
        if let Some(t) = token {
            r = r.header("x-csrf-token", t);
        }
        r.send()
    };
    assert_eq!(
        put(json!({"locale": "fr"}), None).await.unwrap().status(),
        403
    );
    let r = put(json!({"locale": "de"}), Some(client.csrf()))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["field"],
        "locale"
    );
    assert_eq!(
        put(json!({"locale": "fr"}), Some(client.csrf()))
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(get(&client, &s.url("/me")).await.1["locale"], "fr");
    // Another session of the same user sees the choice; another user does not.
    let again = s.login("y-pub").await;
    assert_eq!(get(&again, &s.url("/me")).await.1["locale"], "fr");
    let other = s.login("x-pub").await;
    assert_eq!(
        get(&other, &s.url("/me")).await.1["locale"],
        serde_json::Value::Null
    );
    // A token caller gets no CSRF token.
    let token = s.token_client("y-pub", TokenScope::Read).await;
    let (status, me) = get(&token, &s.url("/me")).await;
    assert_eq!(status, 200);
    assert!(me.get("csrf_token").is_none(), "{me}");
}

// An export streams (memory stays flat) and is audited twice: before its first byte, and
// with the ids of the restricted events it carried when it ends, completely or not.
#[tokio::test]
async fn exports_stream_and_are_audited_from_start_to_end() {
    use vigie_core::{Audience, Distribution, Marking, Source};
    let s = world().await;
    let audience = |marking, distribution| Audience {
        owner: "y".into(),
        creator: Some("y-pub".into()),
        marking,
        distribution,
    };
    let mut restricted = Vec::new();
    for i in 0..1500u32 {
        let e = crate::matrix::event(
            Source::Vigie,
            &format!("bulk-{i}"),
            i % 300,
            Some((3, 4)),
            0,
            1,
        );
        let a = if i % 100 == 0 {
            restricted.push(e.id.to_string());
            audience(
                Marking::Amber,
                Distribution::Community {
                    id: "ecowas".into(),
                },
            )
        } else {
            audience(Marking::Clear, Distribution::AllCommunities)
        };
        s.store.create_event(&e, &a, None).await.unwrap();
    }
    restricted.sort();
    let zread = s.token_client("z-read", TokenScope::Read).await;
    let zadmin = s.token_client("z-admin", TokenScope::Read).await;
    let finished = |n: usize| {
        let (zadmin, url) = (zadmin.clone(), s.url("/audit?limit=1000"));
        async move {
            for _ in 0..100 {
                let (_, v) = get(&zadmin, &url).await;
                // Each entry's detail is JSON text.
                let done: Vec<serde_json::Value> = v["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|e| e["action"] == "export-finished")
                    .map(|e| serde_json::from_str(e["detail"].as_str().unwrap()).unwrap())
                    .collect();
                if done.len() >= n {
                    return done;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("no export-finished entry");
        }
    };
    // A whole export, read to its end: every row, in several chunks.
    let r = zread
        .get(s.url("/events/export?format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut chunks = 0;
    let mut body = Vec::new();
    let mut r = r;
    while let Some(c) = r.chunk().await.unwrap() {
        chunks += 1;
        body.extend_from_slice(&c);
    }
    let text = String::from_utf8(body).unwrap();
    assert_eq!(text.lines().count(), 1 + 1500, "header and every event");
    assert!(chunks > 1, "streamed in chunks, got {chunks}");
    let done = finished(1).await;
    let detail = &done[0];
    assert_eq!(detail["complete"], true, "{detail}");
    assert_eq!(detail["events"], 1500);
    let mut ids: Vec<String> = detail["restricted_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    ids.sort();
    assert_eq!(ids, restricted);
    let (_, v) = get(&zadmin, &s.url("/audit?limit=1000")).await;
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "export" && e["detail"].as_str().unwrap().contains("csv")));
    // Compressed on the way (as browsers ask), whole, and the server stays up.
    let r = zread
        .get(s.url("/events/export?format=json"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let gz = r.bytes().await.expect("the whole compressed body");
    let mut json = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut json).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1500);
    finished(2).await;
    // A client that goes away after the first chunk: the end is audited as incomplete.
    let mut r = zread
        .get(s.url("/events/export?format=geojson"))
        .send()
        .await
        .unwrap();
    assert!(r.chunk().await.unwrap().is_some());
    drop(r);
    let done = finished(3).await;
    assert!(
        done.iter()
            .any(|e| e["format"] == "geojson" && e["complete"] == false),
        "{done:?}"
    );
}
