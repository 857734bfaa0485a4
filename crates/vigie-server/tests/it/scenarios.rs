//! Scenario tests of the sharing model and accounts, through a real server and a real HTTP
//! client. Each names the threat (docs/threats.md) it covers.

use serde_json::json;
use vigie_core::{OrgKind, Role};
use vigie_store::world::World;
use vigie_store::TokenScope;

use crate::records::create;
use crate::support::{
    answer, assert_code, assert_field, audience_json, bearer, delete, get, get_gzip, get_text,
    on_both_stores, patch, post, put, send_csrf, Backend, Client, TestServer, PASSWORD,
};

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

/// A published report: its id.
async fn create_report(
    s: &TestServer,
    client: &Client,
    title: &str,
    marking: &str,
    distribution: serde_json::Value,
) -> String {
    let body = json!({"title": title, "body": format!("body of {title}"), "status": "published",
                      "audience": audience_json(marking, distribution)});
    let v = create(s, client, "/reports", body).await;
    v["id"].as_str().unwrap().to_string()
}

/// The community "ecowas", as a distribution.
fn ecowas() -> serde_json::Value {
    json!({"kind": "community", "id": "ecowas"})
}

/// An export of the events `client` may read, as it starts (the answer must be 200).
async fn export(s: &TestServer, client: &Client, format: &str) -> reqwest::Response {
    let url = s.url(&format!("/events/export?format={format}"));
    let r = client.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200, "{format}");
    r
}

/// The body of a draft report "t" for `audience`.
fn draft(marking: &str, distribution: serde_json::Value) -> serde_json::Value {
    json!({"title": "t", "body": "b", "audience": audience_json(marking, distribution)})
}

// Threats 1, 2, 6, 7, 23: an organisation that leaves a community stops seeing its records
// on the day it leaves, through every channel.
async fn ecowas_exit(s: TestServer) {
    let ypub = s.token_client("y-pub", TokenScope::Write).await;
    let xread = s.token_client("x-read", TokenScope::Read).await;
    let root = s.token_client("root", TokenScope::Write).await;
    let id = create_report(&s, &ypub, "Coastal weekly zebra", "TLP:GREEN", ecowas()).await;
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
                              "audience": audience_json("TLP:AMBER", ecowas())});
        body[field] = value;
        let refused = post(&ypub, &s.url("/events"), body).await;
        assert_field(&refused, 400, field);
        let message = refused.1["message"].as_str().unwrap();
        assert!(message.contains(reason), "{message}");
    }
    for query in ["/search?q=zebra%00", "/events?actor=%00"] {
        let (st, v) = get(&ypub, &s.url(query)).await;
        assert_eq!(st, 400, "{query}: {v}");
        assert!(v["message"].as_str().unwrap().contains("U+0000"), "{v}");
    }
    // What a reader asks is checked in the application layer, the same for the API and
    // the command line: the field and a stable reason.
    for (query, field, reason) in [
        ("/events?country=XXX", "country", "unknown"),
        (
            "/stats?by=admin1&from=2024-02-01&to=2024-01-01",
            "from",
            "inconsistent",
        ),
        ("/events?to=yesterday", "to", "malformed"),
        ("/events?limit=1001", "limit", "out_of_range"),
        ("/map/points?max=0", "max", "out_of_range"),
        ("/reports?status=lost", "status", "unknown"),
    ] {
        let answer = get(&ypub, &s.url(query)).await;
        assert_field(&answer, 400, field);
        assert_eq!(answer.1["reason"], reason, "{query}: {}", answer.1);
    }
    let ev = create(
        &s,
        &ypub,
        "/events",
        json!({"date": "2025-06-01", "country": "BEN", "latitude": 11.0, "longitude": 2.5,
               "category": "one-sided", "description": "zebra incident", "fatalities": 3,
               "audience": audience_json("TLP:AMBER", ecowas())}),
    )
    .await;
    let event_id = ev["event"]["id"].as_str().unwrap().to_string();
    let source_id = ev["event"]["source_id"].as_str().unwrap().to_string();

    let (st, _) = get(&xread, &s.url(&format!("/reports/{id}"))).await;
    assert_eq!(st, 200);
    let (_, v) = get(&xread, &s.url("/events?source=vigie")).await;
    assert_eq!(v["total"], 1);

    // X leaves today.
    let today = chrono::Utc::now().date_naive();
    let end = s.url("/communities/ecowas/members/x/end");
    assert_eq!(post(&root, &end, json!({"until": today})).await.0, 204);

    let read = |path: String| answer(xread.get(s.url(&path)));
    let nobody = uuid::Uuid::new_v4();
    let missing = read(format!("/reports/{nobody}")).await;
    assert_eq!(read(format!("/reports/{id}")).await, missing);
    let missing_ev = read(format!("/events/{nobody}")).await;
    assert_eq!(read(format!("/events/{event_id}")).await, missing_ev);
    assert_eq!(
        read(format!("/events/by-source/vigie/{source_id}")).await,
        read("/events/by-source/vigie/no-such-id".into()).await
    );
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .headers
            .contains(&("cache-control".to_string(), "no-store".to_string())),
        "{:?}",
        missing.headers
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
        let (_, body) = get_text(&xread, &s.url(&format!("/events/export?format={format}"))).await;
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

on_both_stores!(
    ecowas_exit,
    world_on,
    ecowas_exit_hides_community_records_from_the_day_of_leaving,
    ecowas_exit_on_postgres
);

// TLP 2.0: AMBER reaches the community; AMBER+STRICT never goes beyond named organisations.
async fn amber_and_strict(s: TestServer) {
    let ypub = s.token_client("y-pub", TokenScope::Write).await;
    let amber = create_report(&s, &ypub, "amber", "TLP:AMBER", ecowas()).await;
    let z_only = json!({"kind": "organisations", "orgs": ["z"]});
    let strict = create_report(&s, &ypub, "strict", "TLP:AMBER+STRICT", z_only).await;
    // AMBER+STRICT to a community (whose members change) is refused, precisely.
    let to_community = draft("TLP:AMBER+STRICT", ecowas());
    let refused = post(&ypub, &s.url("/reports"), to_community).await;
    assert_code(&refused, 400, "invalid_request");
    // The field's path in the request body.
    assert_field(&refused, 400, "audience.distribution");
    let xread = s.token_client("x-read", TokenScope::Read).await;
    let zread = s.token_client("z-read", TokenScope::Read).await;
    let report = |id: &str| s.url(&format!("/reports/{id}"));
    assert_eq!(get(&xread, &report(&amber)).await.0, 200);
    assert_eq!(get(&xread, &report(&strict)).await.0, 404);
    assert_eq!(get(&zread, &report(&strict)).await.0, 200);
    // RED: the creator and named recipients only, not the rest of the owner organisation.
    let z_read = json!({"kind": "recipients", "users": ["z-read"]});
    let red = create_report(&s, &ypub, "red", "TLP:RED", z_read).await;
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

on_both_stores!(
    amber_and_strict,
    world_on,
    amber_reaches_the_community_amber_strict_only_named_organisations,
    amber_and_strict_on_postgres
);

// Threat 18: an org-admin manages only their own organisation's users, never site-level accounts.
#[tokio::test]
async fn org_admin_escalation_attempts_fail() {
    let s = world().await;
    let xadmin = s.token_client("x-admin", TokenScope::Write).await;
    let new_user = |org: &str, roles: serde_json::Value| json!({"id": format!("{org}.new"), "org": org, "name": "n", "roles": roles, "password": PASSWORD});
    for (body, want) in [
        (new_user("y", json!(["reader"])), 403),
        (new_user("x", json!(["site-admin"])), 403),
        (new_user("x", json!(["reader"])), 201),
    ] {
        assert_eq!(
            post(&xadmin, &s.url("/users"), body.clone()).await.0,
            want,
            "{body}"
        );
    }
    // Elevating oneself or a colleague to site-admin, touching another organisation's user
    // (which answers like a missing one, threat 30), resetting a site-admin's password: all
    // refused; a colleague's roles within the organisation's reach change.
    for (user, body, want) in [
        (
            "x-admin",
            json!({"roles": ["org-admin", "site-admin"]}),
            403,
        ),
        ("x-read", json!({"roles": ["site-admin"]}), 403),
        ("y-read", json!({"disabled": true}), 404),
        ("root", json!({"password": "0123456789abc"}), 404),
        ("x-read", json!({"roles": ["reader", "analyst"]}), 200),
    ] {
        let url = s.url(&format!("/users/{user}"));
        assert_eq!(
            patch(&xadmin, &url, body.clone()).await.0,
            want,
            "{user}: {body}"
        );
    }
    // Site-level objects.
    for (path, body) in [
        ("/orgs", json!({"id": "evil", "name": "e", "kind": "ngo"})),
        (
            "/communities/ecowas/members",
            json!({"org": "ops", "from": "2020-01-01"}),
        ),
        (
            "/sharing-groups",
            json!({"id": "g", "name": "g", "owner": "y", "members": ["x"]}),
        ),
    ] {
        assert_eq!(post(&xadmin, &s.url(path), body).await.0, 403, "{path}");
    }
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
    assert_eq!(delete(&ypub, &s.url(&format!("/tokens/{id}"))).await, 204);
    let (st, v) = get(&ypub, &s.url("/me")).await;
    assert_eq!((st, v["code"].as_str()), (401, Some("unauthenticated")));
    // Read scope.
    let yread_token = s.token_client("y-pub", TokenScope::Read).await;
    let own = || json!({"kind": "organisation"});
    let written = post(&yread_token, &s.url("/reports"), draft("TLP:AMBER", own())).await;
    assert_code(&written, 403, "token_scope");
    // A wrong secret for a real token id, and garbage, are both plainly unauthenticated.
    let forged = format!("vgt_{id}_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(get(&bearer(&forged), &s.url("/me")).await.0, 401);
    assert_eq!(get(&bearer("nonsense"), &s.url("/me")).await.0, 401);
    // Disabling a user ends their sessions and tokens at once.
    let ypub2 = s.token_client("y-pub", TokenScope::Write).await;
    let session = s.login("y-pub").await;
    assert_eq!(get(&session, &s.url("/me")).await.0, 200);
    let root = s.token_client("root", TokenScope::Write).await;
    let disable = json!({"disabled": true});
    assert_eq!(patch(&root, &s.url("/users/y-pub"), disable).await.0, 200);
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
    let url = s.url("/reports");
    let write = |csrf| {
        let body = draft("TLP:AMBER", json!({"kind": "organisation"}));
        send_csrf(&client, reqwest::Method::POST, &url, body, csrf)
    };
    assert_code(&write(None).await, 403, "csrf_failed");
    assert_eq!(write(Some("wrong")).await.0, 403);
    assert_eq!(write(Some(client.csrf())).await.0, 201);
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
    let b_visible = create_report(&s, &ypub, "B", "TLP:GREEN", ecowas()).await;
    let b_hidden =
        create_report(&s, &ypub, "C", "TLP:AMBER", json!({"kind": "organisation"})).await;
    // X edits its own A …
    let report = |id: &str| s.url(&format!("/reports/{id}"));
    let pwned = || json!({"title": "pwned"});
    assert_eq!(
        patch(&xpub, &report(&a), json!({"title": "A2"})).await.0,
        200
    );
    // … but not B, which it can see, nor C, which it cannot (that one answers 404, like a missing id).
    assert_eq!(patch(&xpub, &report(&b_visible), pwned()).await.0, 403);
    assert_eq!(patch(&xpub, &report(&b_hidden), pwned()).await.0, 404);
    // Re-marking B (looser or tighter) or re-sharing it: refused.
    let b_audience = s.url(&format!("/reports/{b_visible}/audience"));
    let clear = || audience_json("TLP:CLEAR", json!({"kind": "all-communities"}));
    for m in ["TLP:CLEAR", "TLP:AMBER"] {
        let dist = if m == "TLP:CLEAR" {
            json!({"kind": "all-communities"})
        } else {
            json!({"kind": "organisation"})
        };
        assert_eq!(
            put(&xpub, &b_audience, audience_json(m, dist)).await.0,
            403,
            "{m}"
        );
    }
    // Type confusion: a report's id through the event routes names no event.
    let as_event = s.url(&format!("/events/{b_visible}/audience"));
    assert_eq!(put(&xpub, &as_event, clear()).await.0, 404);
    assert_eq!(get(&xpub, &s.url(&format!("/events/{a}"))).await.0, 404);
    // Nothing changed.
    let (_, v) = get(&ypub, &s.url(&format!("/reports/{b_visible}"))).await;
    assert_eq!(
        (v["title"].as_str(), v["audience"]["marking"].as_str()),
        (Some("B"), Some("TLP:GREEN"))
    );
    // The owner's analyst cannot re-mark a published report; the owner's publisher can loosen it.
    let yana = s.token_client("y-ana", TokenScope::Write).await;
    let own = || json!({"kind": "organisation"});
    let green = audience_json("TLP:GREEN", own());
    assert_eq!(put(&yana, &b_audience, green).await.0, 403);
    assert_eq!(put(&ypub, &b_audience, clear()).await.0, 200);
    assert_eq!(
        get(&xpub, &s.url(&format!("/reports/{b_visible}"))).await.0,
        200
    );
    // An analyst cannot widen to a community (role reach), nor publish.
    let reports = s.url("/reports");
    assert_eq!(
        post(&yana, &reports, draft("TLP:GREEN", ecowas())).await.0,
        403
    );
    let mut published = draft("TLP:GREEN", own());
    published["status"] = json!("published");
    assert_eq!(post(&yana, &reports, published).await.0, 403);
    // A community the writer's organisation does not belong to cannot be used.
    let ops_only = json!({"kind": "community", "id": "ops-only"});
    assert_eq!(
        post(&ypub, &reports, draft("TLP:GREEN", ops_only)).await.0,
        400
    );
    // Readers write nothing.
    let yread = s.token_client("y-read", TokenScope::Write).await;
    assert_eq!(
        post(&yread, &reports, draft("TLP:AMBER", own())).await.0,
        403
    );
}

#[tokio::test]
async fn failed_logins_are_throttled() {
    let s = world().await;
    for _ in 0..5 {
        assert_eq!(s.try_login("z-read", "wrong password").await.0, 401);
    }
    assert_code(&s.try_login("z-read", PASSWORD).await, 429, "throttled");
}

// Threat 9: the audit log records restricted reads and exports, org-admins see only their
// organisation's entries, and no entry holds a record's content.
#[tokio::test]
async fn audit_log_records_restricted_reads_and_hides_content() {
    let s = world().await;
    let ypub = s.token_client("y-pub", TokenScope::Write).await;
    let secret_title = "Secret title quokka";
    let id = create_report(&s, &ypub, secret_title, "TLP:AMBER", ecowas()).await;
    let zread = s.token_client("z-read", TokenScope::Read).await;
    assert_eq!(get(&zread, &s.url(&format!("/reports/{id}"))).await.0, 200);
    export(&s, &zread, "csv").await;
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

// Threat 9 too: the site-admin verifies the audit log's hash chain through the API (the same
// use case as `vigie audit verify`): intact on an untouched store, refused to an org-admin
// like every site-admin operation, and broken, saying where, once an entry is edited
// beneath the store.
#[tokio::test]
async fn the_site_admin_verifies_the_audit_chain() {
    let s = world().await;
    let ypub = s.token_client("y-pub", TokenScope::Write).await;
    create_report(&s, &ypub, "Chained", "TLP:AMBER", ecowas()).await;
    let root = s.login("root").await;
    let (status, v) = get(&root, &s.url("/audit/verify")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["problems"], json!([]), "{v}");
    assert_eq!(v["first_broken"], serde_json::Value::Null, "{v}");
    let entries = v["entries"].as_i64().unwrap();
    assert!(entries >= 2, "{v}");

    // An org-admin (or anyone else) gets the refusal of every site-admin operation.
    for user in ["z-admin", "y-pub"] {
        let client = s.login(user).await;
        let refused = get(&client, &s.url("/audit/verify")).await;
        assert_code(&refused, 403, "forbidden");
        let create = post(
            &client,
            &s.url("/communities"),
            json!({"id": "c2", "name": "C2"}),
        )
        .await;
        assert_eq!(refused.1["message"], create.1["message"], "{user}");
    }

    // Whoever holds the database file can drop the append-only trigger and edit an entry;
    // the chain tells which.
    let pool = s.sqlite.as_ref().expect("SQLite");
    for sql in [
        "DROP TRIGGER audit_log_append_only_update",
        "UPDATE audit_log SET detail = '{\"marking\":\"TLP:CLEAR\"}' WHERE seq = 2",
    ] {
        sqlx::query(sql).execute(pool).await.expect(sql);
    }
    let (status, v) = get(&root, &s.url("/audit/verify")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["intact"], false, "{v}");
    assert_eq!(v["first_broken"], 2, "{v}");
    assert_eq!(
        v["problems"][0], "entry 2: its content does not match its hash (edited)",
        "{v}"
    );
    assert!(v["entries"].as_i64().unwrap() > entries, "{v}");
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
        let url = format!("{}{concrete}", s.root());
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
    let url = s.url("/me/locale");
    let locale = |locale, csrf| {
        let body = json!({ "locale": locale });
        send_csrf(&client, reqwest::Method::PUT, &url, body, csrf)
    };
    assert_eq!(locale("fr", None).await.0, 403);
    assert_field(&locale("de", Some(client.csrf())).await, 400, "locale");
    assert_eq!(locale("fr", Some(client.csrf())).await.0, 204);
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
    let mut r = export(&s, &zread, "csv").await;
    let mut chunks = 0;
    let mut body = Vec::new();
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
    let r = get_gzip(&zread, &s.url("/events/export?format=json")).await;
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let gz = r.bytes().await.expect("the whole compressed body");
    let mut json = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut json).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1500);
    finished(2).await;
    // A client that goes away after the first chunk: the end is audited as incomplete.
    let mut r = export(&s, &zread, "geojson").await;
    assert!(r.chunk().await.unwrap().is_some());
    drop(r);
    let done = finished(3).await;
    assert!(
        done.iter()
            .any(|e| e["format"] == "geojson" && e["complete"] == false),
        "{done:?}"
    );
}

// Issue 18 (low bandwidth) and threats 5, 8: the map's points cross a slow line once, then
// are revalidated by ETag; the ETag is of what this caller is answered, so another caller
// who may see other records never gets a 304 for them, and signing out clears the browser's
// cache.
#[tokio::test]
async fn map_points_are_revalidated_by_etag_per_caller() {
    let s = world().await;
    let xpub = s.login("x-pub").await;
    let ypub = s.login("y-pub").await;
    let located = |marking: &str, distribution: serde_json::Value| {
        json!({"date": "2025-06-01", "country": "BEN", "latitude": 11.0, "longitude": 2.5,
               "category": "state-based", "fatalities": 1,
               "audience": audience_json(marking, distribution)})
    };
    create(
        &s,
        &xpub,
        "/events",
        located("TLP:CLEAR", json!({"kind": "all-communities"})),
    )
    .await;
    let points = s.url("/map/points");
    let first = answer(xpub.get(&points)).await;
    assert_eq!(first.status, 200);
    let header = |a: &crate::support::Answer, name: &str| {
        a.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let etag = header(&first, "etag");
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert_eq!(header(&first, "cache-control"), "private, no-cache");
    // The same again: 304, nothing in the body.
    let again = answer(xpub.get(&points).header("if-none-match", &etag)).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(header(&again, "etag"), etag);
    // Y sees the same public event: the same answer, the same ETag.
    let y_same = answer(ypub.get(&points).header("if-none-match", &etag)).await;
    assert_eq!(y_same.status, 304);
    // X's own TLP:AMBER event (its organisation only): X's answer changes, Y's does not; Y holding X's ETag gets its
    // own answer (200), never X's.
    create(
        &s,
        &xpub,
        "/events",
        located("TLP:AMBER", json!({"kind": "organisation"})),
    )
    .await;
    let x_new = answer(xpub.get(&points).header("if-none-match", &etag)).await;
    assert_eq!(x_new.status, 200);
    assert_eq!(x_new.json().unwrap()["points"].as_array().unwrap().len(), 2);
    let x_etag = header(&x_new, "etag");
    assert_ne!(x_etag, etag);
    let y_other = answer(ypub.get(&points).header("if-none-match", &x_etag)).await;
    assert_eq!(
        y_other.status, 200,
        "Y must not be told X's points are current"
    );
    assert_eq!(
        y_other.json().unwrap()["points"].as_array().unwrap().len(),
        1
    );
    // Every other API answer stays `no-store`; signing out clears the browser's cache.
    let events = answer(xpub.get(s.url("/events"))).await;
    assert_eq!(header(&events, "cache-control"), "no-store");
    let out = answer(
        xpub.post(s.url("/auth/logout"))
            .header("x-csrf-token", xpub.csrf()),
    )
    .await;
    assert_eq!(out.status, 204);
    assert_eq!(header(&out, "clear-site-data"), "\"cache\"");
}
