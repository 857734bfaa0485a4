//! A real server on port 0 over a real store in a temporary directory, and a real HTTP
//! client.

use std::sync::Arc;

use chrono::NaiveDate;
use vigie_core::{Community, Membership, OrgKind, Organisation, Role, User};
use vigie_store::{Store, TokenScope};
use vigie_store_sqlite::SqliteStore;

pub const PASSWORD: &str = "correct horse battery";

/// Which store the server runs on.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestServer {
    pub base: String,
    pub store: Arc<dyn Store>,
    _keep: Box<dyn std::any::Any + Send>,
}

impl TestServer {
    /// `None` when PostgreSQL is not installed and not required (the harness says so).
    pub async fn start_on(backend: Backend) -> Option<TestServer> {
        Self::start_with(backend, vigie_server::Config::default()).await
    }

    /// The same, with a server configuration.
    pub async fn start_with(backend: Backend, config: vigie_server::Config) -> Option<TestServer> {
        let (store, keep): (Arc<dyn Store>, Box<dyn std::any::Any + Send>) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let store = SqliteStore::open_dir(dir.path()).await.expect("store");
                (Arc::new(store), Box::new(dir))
            }
            Backend::Postgres => {
                let db = vigie_store_postgres::testing::TestDb::create().await?;
                (Arc::new(db.store().await), Box::new(db))
            }
        };
        let state = vigie_server::AppState::new(store.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(vigie_server::serve(listener, state));
        Some(TestServer {
            base: format!("http://{addr}/api/v1"),
            store,
            _keep: keep,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn org(&self, id: &str, kind: OrgKind) {
        self.store
            .create_org(
                &Organisation {
                    id: id.into(),
                    name: format!("Org {id}"),
                    kind,
                },
                None,
            )
            .await
            .expect("org");
    }

    /// A user with the test password (hashing is real: argon2id).
    pub async fn user(&self, id: &str, org: &str, roles: &[Role]) {
        let hash = vigie_app::accounts::hash_password(PASSWORD);
        self.store
            .create_user(
                &User {
                    id: id.into(),
                    org: org.into(),
                    name: id.into(),
                    roles: roles.to_vec(),
                    disabled: false,
                },
                Some(&hash),
                None,
            )
            .await
            .expect("user");
    }

    pub async fn member(&self, community: &str, org: &str, from: &str, until: Option<&str>) {
        if self
            .store
            .communities()
            .await
            .unwrap()
            .iter()
            .all(|c| c.id != community)
        {
            self.store
                .create_community(
                    &Community {
                        id: community.into(),
                        name: community.into(),
                    },
                    None,
                )
                .await
                .unwrap();
        }
        self.store
            .add_membership(
                &Membership {
                    community: community.into(),
                    org: org.into(),
                    from: date(from),
                    until: until.map(date),
                },
                None,
            )
            .await
            .expect("membership");
    }

    /// A client sending an API token of `user`.
    pub async fn token_client(&self, user: &str, scope: TokenScope) -> (reqwest::Client, String) {
        let (_, secret) = vigie_app::accounts::issue_token(
            self.store.as_ref() as &dyn Store,
            user,
            "test",
            scope,
            1,
        )
        .await
        .expect("token");
        (bearer(&secret), secret)
    }

    /// Signs in with the password; returns a cookie-keeping client and the CSRF token.
    pub async fn login(&self, user: &str) -> (reqwest::Client, String) {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let r = client
            .post(self.url("/auth/login"))
            .json(&serde_json::json!({"username": user, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "login of {user}");
        let v: serde_json::Value = r.json().await.unwrap();
        let csrf = v["csrf_token"].as_str().unwrap().to_string();
        (client, csrf)
    }
}

pub fn bearer(secret: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {secret}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The JSON for a write's audience.
pub fn audience_json(marking: &str, distribution: serde_json::Value) -> serde_json::Value {
    serde_json::json!({ "marking": marking, "distribution": distribution })
}

/// Status and body of a GET.
pub async fn get(client: &reqwest::Client, url: &str) -> (u16, serde_json::Value) {
    let r = client.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// Status and JSON body (null when none) of a write as a signed-in browser: `method`, the
/// session's CSRF token, a JSON body.
pub async fn send(
    client: &reqwest::Client,
    csrf: &str,
    method: reqwest::Method,
    url: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = client
        .request(method, url)
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// The same, a POST.
pub async fn post(
    client: &reqwest::Client,
    csrf: &str,
    url: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    send(client, csrf, reqwest::Method::POST, url, body).await
}
