//! What an outside test of the gate found (an attacker's 270 probes written from
//! docs/sharing.md alone): a number derived from hidden tasks in a shared note, a refused
//! change applied anyway, credentials surviving a password reset, ids of hidden tasks,
//! existence oracles for users and sharing groups, and inputs that answered 500. Each test
//! names the threat (docs/threats.md) and failed on the code before the fix.

use serde_json::{json, Value};
use vigie_core::{OrgKind, Role};
use vigie_store::world::World;
use vigie_store::TokenScope;

use crate::support::{
    audience_json, get, on_both_stores, post, reply, send, Backend, TestServer, PASSWORD,
};

fn task(title: &str, effort: f64, audience: Value) -> Value {
    json!({"title": title, "task_type": "mediation", "countries": ["BEN"],
           "effort_days": effort, "budget": 0.0, "deadline": "2027-05-01", "priority": 3,
           "audience": audience})
}

/// Togo's, Benin's and Nigeria's agencies, all in the ECOWAS community; Benin's agency can
/// mediate in Benin, 60 person-days from April to July 2027.
async fn coastal() -> TestServer {
    let s = TestServer::start_on(Backend::Sqlite).await.expect("sqlite");
    let mut w = World::new();
    w.community("ecowas");
    for o in ["tgo-nia", "ben-nia", "nga-nia"] {
        w.org(o, OrgKind::NationalAgency)
            .member("ecowas", o, "2020-01-01", None)
            .user(
                &format!("{o}.publisher"),
                o,
                &[Role::Analyst, Role::Publisher],
            )
            .user(&format!("{o}.reader"), o, &[Role::Reader]);
    }
    w.user("root", "tgo-nia", &[Role::SiteAdmin]);
    s.seed(&w).await;
    let root = s.login("root").await;
    let profile = json!({
        "org": "ben-nia", "level": "national", "mandates": ["mediation"],
        "scope": [{"country": "BEN", "from": "2000-01-01", "until": null, "consent_required": false}],
        "capacity": [{"from": "2027-04-01", "until": "2027-07-01", "person_days": 60.0, "budget": 0.0}],
        "advantages": [{"task_type": "mediation", "score": 0.8, "rationale": "Local mediators"}]
    });
    let (st, v) = send(
        &root,
        reqwest::Method::PUT,
        &s.url("/coord/profiles/ben-nia"),
        profile,
    )
    .await;
    assert_eq!(st, 200, "{v}");
    s
}

// Threat 28: the allocation's note in a shared task's history derived "57 person-days
// left" from a task its readers may not see (60 in the public profile, so the hidden task
// took 3).
#[tokio::test]
async fn allocation_notes_derive_only_from_what_their_readers_see() {
    let s = coastal().await;
    let tgo = s.login("tgo-nia.publisher").await;
    let ben = s.login("ben-nia.publisher").await;
    let nga = s.token_client("nga-nia.reader", TokenScope::Read).await;
    let strict = audience_json(
        "TLP:AMBER+STRICT",
        json!({"kind": "organisations", "orgs": ["ben-nia"]}),
    );
    let (st, h) = post(&tgo, &s.url("/tasks"), task("Hidden", 3.0, strict)).await;
    assert_eq!(st, 201, "{h}");
    let h = h["id"].as_str().unwrap().to_string();
    let step = |to: &str| json!({"to": to, "org": "ben-nia"});
    let (st, v) = post(
        &tgo,
        &s.url(&format!("/tasks/{h}/transition")),
        step("proposed"),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let (st, v) = post(
        &ben,
        &s.url(&format!("/tasks/{h}/transition")),
        json!({"to": "accepted"}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let community = audience_json("TLP:AMBER", json!({"kind": "community", "id": "ecowas"}));
    let (_, shared) = post(&tgo, &s.url("/tasks"), task("Shared", 0.5, community)).await;
    let shared = shared["id"].as_str().unwrap().to_string();
    let (st, v) = post(
        &tgo,
        &s.url("/coord/allocate"),
        json!({"pins": [{"task": shared, "org": "ben-nia"}], "apply": true}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    // The allocating organisation's own answer has the full reason.
    let reason = v["assignments"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("57 person-days left"), "{reason}");
    // Nigeria's agency cannot see the hidden task, but reads the shared one's history.
    assert_eq!(get(&nga, &s.url(&format!("/tasks/{h}"))).await.0, 404);
    let (st, detail) = get(&nga, &s.url(&format!("/tasks/{shared}"))).await;
    assert_eq!(st, 200, "{detail}");
    let notes: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    let note = notes
        .iter()
        .find(|n| n.starts_with("Allocated"))
        .expect("the allocation's note");
    assert!(
        note.contains("ben-nia") && note.contains("Local mediators"),
        "{note}"
    );
    for derived in ["57", "person-days", "eligible", "capacity"] {
        assert!(!note.contains(derived), "{derived:?} in {note:?}");
    }
    // The same note as if the hidden task did not exist: the one the task and the profile
    // give alone.
    assert!(!detail.to_string().contains(&h), "{detail}");
}

// Threat 29: a refused change of a user was applied (roles changed, no audit entry).
#[tokio::test]
async fn a_refused_user_change_changes_nothing() {
    let s = coastal().await;
    s.seed(World::new().user("tgo-nia.admin", "tgo-nia", &[Role::OrgAdmin]))
        .await;
    let admin = s.login("tgo-nia.admin").await;
    let root = s.token_client("root", TokenScope::Read).await;
    let audit_len = || async {
        let (_, v) = get(&root, &s.url("/audit?limit=1000")).await;
        v["items"].as_array().unwrap().len()
    };
    let before = audit_len().await;
    let patch = reqwest::Method::PATCH;
    let url = s.url("/users/tgo-nia.reader");
    for (body, field) in [
        (
            json!({"roles": ["reader", "publisher"], "password": "short"}),
            "password",
        ),
        (json!({"disabled": true, "name": "  "}), "name"),
        (json!({"roles": ["publisher"], "org": "ben-nia"}), ""),
    ] {
        let (st, v) = send(&admin, patch.clone(), &url, body.clone()).await;
        assert_eq!(st, 400, "{body}: {v}");
        if !field.is_empty() {
            assert_eq!(v["field"], field, "{v}");
        }
    }
    let user = s.store.user("tgo-nia.reader").await.unwrap().unwrap();
    assert_eq!((user.roles, user.disabled), (vec![Role::Reader], false));
    assert_eq!(
        s.store
            .password_hash("tgo-nia.reader")
            .await
            .unwrap()
            .map(|h| vigie_app::accounts::verify_password(PASSWORD, &h)),
        Some(true)
    );
    assert_eq!(audit_len().await, before, "a refusal leaves no entry");
    // A valid change lands with its entry.
    let (st, v) = send(&admin, patch, &url, json!({"roles": ["reader", "analyst"]})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(audit_len().await, before + 1);
}

// Threat 19: sessions and API tokens survived a password reset.
#[tokio::test]
async fn a_password_reset_ends_sessions_and_tokens() {
    let s = coastal().await;
    let session = s.login("ben-nia.reader").await;
    let token = s.token_client("ben-nia.reader", TokenScope::Read).await;
    let root = s.login("root").await;
    let (st, v) = send(
        &root,
        reqwest::Method::PATCH,
        &s.url("/users/ben-nia.reader"),
        json!({"password": "a new password 1"}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["revoked"], json!({"sessions": 1, "tokens": 1}), "{v}");
    assert_eq!(v["id"], "ben-nia.reader");
    assert_eq!(get(&session, &s.url("/me")).await.0, 401);
    assert_eq!(get(&token, &s.url("/me")).await.0, 401);

    // Changing one's own password: the other sessions end, tokens are revoked, this session
    // stays signed in.
    let here = s.login("nga-nia.reader").await;
    let elsewhere = s.login("nga-nia.reader").await;
    let token = s.token_client("nga-nia.reader", TokenScope::Read).await;
    let url = s.url("/me/password");
    let (st, v) = post(
        &here,
        &url,
        json!({"current_password": "wrong password", "new_password": "a new password 2"}),
    )
    .await;
    assert_eq!((st, v["field"].as_str()), (400, Some("current_password")));
    let (st, v) = post(
        &here,
        &url,
        json!({"current_password": PASSWORD, "new_password": "short"}),
    )
    .await;
    assert_eq!((st, v["field"].as_str()), (400, Some("new_password")));
    assert_eq!(get(&elsewhere, &s.url("/me")).await.0, 200, "nothing ended");
    let (st, v) = post(
        &here,
        &url,
        json!({"current_password": PASSWORD, "new_password": "a new password 2"}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["revoked"], json!({"sessions": 1, "tokens": 1}), "{v}");
    assert_eq!(get(&here, &s.url("/me")).await.0, 200);
    assert_eq!(get(&elsewhere, &s.url("/me")).await.0, 401);
    assert_eq!(get(&token, &s.url("/me")).await.0, 401);
    let login = |password| s.try_login("nga-nia.reader", password);
    assert_eq!(login(PASSWORD).await.0, 401);
    assert_eq!(login("a new password 2").await.0, 200);
}

// Threat 31: a visible task carried the id of a hidden task it depends on.
#[tokio::test]
async fn hidden_dependencies_are_counted_never_named() {
    let s = coastal().await;
    let tgo = s.login("tgo-nia.publisher").await;
    let nga = s.token_client("nga-nia.reader", TokenScope::Read).await;
    let own = s.token_client("tgo-nia.reader", TokenScope::Read).await;
    let mine = audience_json("TLP:AMBER", json!({"kind": "organisation"}));
    let (_, h) = post(&tgo, &s.url("/tasks"), task("Prepare", 1.0, mine)).await;
    let h = h["id"].as_str().unwrap().to_string();
    let community = audience_json("TLP:AMBER", json!({"kind": "community", "id": "ecowas"}));
    let (_, seen) = post(
        &tgo,
        &s.url("/tasks"),
        task("Visible", 1.0, community.clone()),
    )
    .await;
    let seen = seen["id"].as_str().unwrap().to_string();
    let mut body = task("Follow-up", 1.0, community);
    body["depends_on"] = json!([h, seen]);
    let (st, t) = post(&tgo, &s.url("/tasks"), body).await;
    assert_eq!(st, 201, "{t}");
    let t = t["id"].as_str().unwrap().to_string();
    // The owner's organisation sees both.
    let (_, v) = get(&own, &s.url(&format!("/tasks/{t}"))).await;
    assert_eq!(v["task"]["depends_on"], json!([h, seen]));
    assert_eq!(v["task"]["hidden_dependencies"], 0);
    // Another organisation sees the one it may, and a count of the other.
    let (_, v) = get(&nga, &s.url(&format!("/tasks/{t}"))).await;
    assert_eq!(v["task"]["depends_on"], json!([seen]), "{v}");
    assert_eq!(v["task"]["hidden_dependencies"], 1);
    for path in [
        "/tasks".to_string(),
        format!("/tasks/{t}"),
        "/coord/3w".into(),
        "/coord/chain".into(),
    ] {
        let (st, v) = get(&nga, &s.url(&path)).await;
        assert_eq!(st, 200, "{path}");
        assert!(
            !v.to_string().contains(&h),
            "{path} names the hidden task: {v}"
        );
    }
    // An allocation as Nigeria's agency cannot know whether the hidden one is taken on, and
    // says so without its id.
    let ngp = s.login("nga-nia.publisher").await;
    let (st, v) = post(&ngp, &s.url("/coord/allocate"), json!({})).await;
    assert_eq!(st, 200, "{v}");
    assert!(!v.to_string().contains(&h), "{v}");
    assert!(v.to_string().contains("1 task you may not see"), "{v}");
}

// Threat 30: "exists but not yours" answered differently from "does not exist", for
// users, TLP:RED recipients and sharing groups.
#[tokio::test]
async fn users_and_groups_of_others_answer_like_missing_ones() {
    let s = coastal().await;
    s.seed(
        World::new()
            .org("ops", OrgKind::NationalAgency)
            .user("ops.reader", "ops", &[Role::Reader])
            .user("tgo-nia.admin", "tgo-nia", &[Role::OrgAdmin])
            .user("ben-nia.admin", "ben-nia", &[Role::OrgAdmin])
            .user("ben-nia.gone", "ben-nia", &[Role::Reader]),
    )
    .await;
    let root = s.login("root").await;
    let (st, _) = send(
        &root,
        reqwest::Method::PATCH,
        &s.url("/users/ben-nia.gone"),
        json!({"disabled": true}),
    )
    .await;
    assert_eq!(st, 200);
    let reader = s.token_client("tgo-nia.reader", TokenScope::Write).await;
    let admin = s.token_client("tgo-nia.admin", TokenScope::Write).await;

    // PATCH /users/{id}: a reader is refused before any lookup; an org-admin gets 404 for
    // another organisation's user exactly as for a missing one.
    let patch =
        |c: &reqwest::Client, id: &str| c.patch(s.url(&format!("/users/{id}"))).json(&json!({}));
    let missing = reply(patch(&reader, "nobody")).await;
    assert_eq!(missing.0, 403);
    assert_eq!(reply(patch(&reader, "ben-nia.publisher")).await, missing);
    let missing = reply(patch(&admin, "nobody")).await;
    assert_eq!(missing.0, 404);
    assert_eq!(reply(patch(&admin, "ben-nia.publisher")).await, missing);
    assert_eq!(
        reply(patch(&admin, "root")).await.0,
        403,
        "own organisation"
    );

    // TLP:RED recipients: a user that does not exist, one that is disabled and one of an
    // organisation sharing no community answer alike; a partner's user is addressable.
    let writer = s.token_client("tgo-nia.publisher", TokenScope::Write).await;
    let red_as = |c: &reqwest::Client, users: Value| {
        c.post(s.url("/reports")).json(&json!({
            "title": "For your eyes", "body": "b",
            "audience": audience_json("TLP:RED", json!({"kind": "recipients", "users": users}))
        }))
    };
    assert_eq!(
        reply(red_as(&reader, json!(["nobody"]))).await.0,
        403,
        "a reader writes nothing"
    );
    let missing = reply(red_as(&writer, json!(["nobody"]))).await;
    assert_eq!(missing.0, 400, "{missing:?}");
    for other in ["ops.reader", "ben-nia.gone"] {
        let (st, v) = reply(red_as(&writer, json!([other]))).await;
        assert_eq!(
            (st, v.replace(other, "NAME")),
            (missing.0, missing.1.replace("nobody", "NAME")),
            "{other}"
        );
    }
    let (st, v) = reply(red_as(&writer, json!(["ben-nia.reader", "tgo-nia.reader"]))).await;
    assert_eq!(st, 201, "{v}");

    // New users are named in their organisation's space: another's name cannot be tried.
    let new_user = |id: &str| {
        admin.post(s.url("/users")).json(&json!({
            "id": id, "org": "tgo-nia", "name": "New", "roles": ["reader"], "password": PASSWORD
        }))
    };
    let (st, v) = reply(new_user("ben-nia.publisher")).await;
    assert_eq!(st, 400, "{v}");
    assert!(v.contains("tgo-nia.<name>"), "{v}");
    assert_eq!(reply(new_user("tgo-nia.new")).await.0, 201);
    assert_eq!(reply(new_user("tgo-nia.new")).await.0, 409);

    // Sharing groups: one the caller's organisation neither owns nor belongs to answers like
    // a missing one; a listed member is told it may not edit it.
    let (st, v) = post(&root, &s.url("/sharing-groups"),
        json!({"id": "ben-nia.liaison", "name": "Liaison", "owner": "ben-nia", "members": ["nga-nia"]}),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let members = |c: &reqwest::Client, id: &str| {
        c.put(s.url(&format!("/sharing-groups/{id}/members")))
            .json(&json!({"members": ["tgo-nia"]}))
    };
    let missing = reply(members(&admin, "nobody")).await;
    assert_eq!(missing.0, 404);
    assert_eq!(reply(members(&admin, "ben-nia.liaison")).await, missing);
    s.seed(World::new().user("nga-nia.admin", "nga-nia", &[Role::OrgAdmin]))
        .await;
    let nga_admin = s.token_client("nga-nia.admin", TokenScope::Write).await;
    assert_eq!(reply(members(&nga_admin, "ben-nia.liaison")).await.0, 403);
    let ben_admin = s.token_client("ben-nia.admin", TokenScope::Write).await;
    assert_eq!(reply(members(&ben_admin, "ben-nia.liaison")).await.0, 200);
    // Creating one: named in the owner's space, so no other organisation's can collide.
    let group = |id: &str| {
        admin
            .post(s.url("/sharing-groups"))
            .json(&json!({"id": id, "name": "G", "members": []}))
    };
    let (st, v) = reply(group("ben-nia.liaison")).await;
    assert_eq!(st, 400, "{v}");
    assert_eq!(reply(group("tgo-nia.liaison")).await.0, 201);
    assert_eq!(reply(group("tgo-nia.liaison")).await.0, 409);
}

// Robustness: offsets beyond 2^63 and search text of 50,000 characters answered 500.
on_both_stores!(
    deep_offsets_and_long_text,
    TestServer::start_on,
    deep_offsets_and_long_text_are_refused_alike,
    deep_offsets_and_long_text_on_postgres
);

async fn deep_offsets_and_long_text(s: TestServer) {
    s.seed(
        World::new()
            .org("x", OrgKind::NationalAgency)
            .user("x.reader", "x", &[Role::Reader]),
    )
    .await;
    let c = s.token_client("x.reader", TokenScope::Read).await;
    for path in ["/events", "/map/events", "/reports"] {
        let (st, v) = get(&c, &s.url(&format!("{path}?offset=9223372036854775808"))).await;
        assert_eq!(
            (st, v["field"].as_str()),
            (400, Some("offset")),
            "{path}: {v}"
        );
    }
    let long = "a".repeat(50_000);
    for path in [
        "/events",
        "/search",
        "/reports",
        "/map/points",
        "/stats?by=admin1",
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let (st, v) = get(&c, &s.url(&format!("{path}{sep}q={long}"))).await;
        assert_eq!((st, v["field"].as_str()), (400, Some("q")), "{path}: {v}");
        assert!(v["message"].as_str().unwrap().contains("1000"), "{v}");
    }
    let (st, v) = get(&c, &s.url(&format!("/events?actor={long}"))).await;
    assert_eq!((st, v["field"].as_str()), (400, Some("actor")), "{v}");
    // At the limit, a search runs (and finds nothing).
    let (st, v) = get(&c, &s.url(&format!("/search?q={}", "é".repeat(1000)))).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["events"]["total"], 0);
}
