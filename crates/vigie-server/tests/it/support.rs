//! A real server on port 0 over a real store in a temporary directory, and a real HTTP
//! client.

use std::sync::Arc;

use vigie_store::world::World;
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
    /// The SQLite store's database, on SQLite: what whoever holds the file could do to it
    /// beneath the store (tampering tests).
    pub sqlite: Option<sqlx::SqlitePool>,
    _keep: Box<dyn std::any::Any + Send>,
}

impl TestServer {
    /// `None` when PostgreSQL is not installed and not required (the harness says so).
    pub async fn start_on(backend: Backend) -> Option<TestServer> {
        Self::start_with(backend, vigie_server::Config::default()).await
    }

    /// The same, with a server configuration.
    pub async fn start_with(backend: Backend, config: vigie_server::Config) -> Option<TestServer> {
        let mut sqlite = None;
        let (store, keep): (Arc<dyn Store>, Box<dyn std::any::Any + Send>) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let store = SqliteStore::open_dir(dir.path()).await.expect("store");
                sqlite = Some(store.pool().clone());
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
            sqlite,
            _keep: keep,
        })
    }

    /// The server's address, without the API's prefix.
    pub fn root(&self) -> String {
        self.base.trim_end_matches("/api/v1").to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Writes `world` into the store. Its users sign in with [`PASSWORD`] unless it names
    /// another password (hashing is real: argon2id, once per world).
    pub async fn seed(&self, world: &World) {
        let mut world = world.clone();
        world.password.get_or_insert_with(|| PASSWORD.into());
        world
            .seed(self.store.as_ref(), &vigie_app::accounts::hash_password)
            .await
            .expect("seed the world");
    }

    /// A client sending an API token of `user`.
    pub async fn token_client(&self, user: &str, scope: TokenScope) -> Client {
        let (_, secret) = vigie_app::accounts::issue_token(
            self.store.as_ref() as &dyn Store,
            user,
            "test",
            scope,
            1,
        )
        .await
        .expect("token");
        bearer(&secret)
    }

    /// Status and body of a sign-in as `user` with `password`, from a client that keeps no
    /// session.
    pub async fn try_login(&self, user: &str, password: &str) -> (u16, serde_json::Value) {
        let body = serde_json::json!({"username": user, "password": password});
        post(&Client::anonymous(), &self.url("/auth/login"), body).await
    }

    /// Signs in with the password: a client that keeps the session's cookie and sends its
    /// CSRF token with every write.
    pub async fn login(&self, user: &str) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let r = http
            .post(self.url("/auth/login"))
            .json(&serde_json::json!({"username": user, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "login of {user}");
        let v: serde_json::Value = r.json().await.unwrap();
        let csrf = v["csrf_token"].as_str().unwrap().to_string();
        Client {
            http,
            csrf: Some(csrf),
            secret: None,
        }
    }
}

/// A client of the test server, as one user: a signed-in session (its cookie, and the CSRF
/// token that [`send`] and [`post`] echo) or an API token. It derefs to the HTTP client, for
/// requests built by hand.
pub struct Client {
    http: reqwest::Client,
    csrf: Option<String>,
    secret: Option<String>,
}

impl Client {
    /// A client with no credentials.
    pub fn anonymous() -> Client {
        Client {
            http: reqwest::Client::new(),
            csrf: None,
            secret: None,
        }
    }

    /// The session's CSRF token.
    pub fn csrf(&self) -> &str {
        self.csrf.as_deref().expect("a signed-in session")
    }

    /// The API token it sends.
    pub fn secret(&self) -> &str {
        self.secret.as_deref().expect("an API token")
    }
}

impl std::ops::Deref for Client {
    type Target = reqwest::Client;

    fn deref(&self) -> &reqwest::Client {
        &self.http
    }
}

/// A client sending `secret` as its API token.
pub fn bearer(secret: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {secret}").parse().unwrap(),
    );
    Client {
        http: reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap(),
        csrf: None,
        secret: Some(secret.into()),
    }
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

/// Status and text of a request, sent as built.
pub async fn reply(request: reqwest::RequestBuilder) -> (u16, String) {
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Status and text of a GET.
pub async fn get_text(client: &reqwest::Client, url: &str) -> (u16, String) {
    reply(client.get(url)).await
}

/// A GET that accepts a gzip-compressed answer, as browsers do.
pub async fn get_gzip(client: &reqwest::Client, url: &str) -> reqwest::Response {
    let request = client.get(url).header("accept-encoding", "gzip");
    request.send().await.unwrap()
}

/// A whole answer but its `date` header, the others sorted: what must not differ between
/// a hidden record and a missing one.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Result<serde_json::Value> {
        serde_json::from_slice(&self.body)
    }
}

/// The answer to a request, sent as built.
pub async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    let mut headers: Vec<(String, String)> = r
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str() != "date")
        .map(|(k, v)| {
            let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (k.as_str().to_string(), v)
        })
        .collect();
    headers.sort();
    let body = r.bytes().await.unwrap().to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// Status and JSON body (null when none) of a write: `method`, a JSON body, and the
/// session's CSRF token when the client is a session.
pub async fn send(
    client: &Client,
    method: reqwest::Method,
    url: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    send_csrf(client, method, url, body, client.csrf.as_deref()).await
}

/// The same with the CSRF token given (none, or a wrong one) instead of the session's.
pub async fn send_csrf(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: serde_json::Value,
    csrf: Option<&str>,
) -> (u16, serde_json::Value) {
    let mut request = client.request(method, url).json(&body);
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// The same, a POST.
pub async fn post(client: &Client, url: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    send(client, reqwest::Method::POST, url, body).await
}

/// The same, a PUT.
pub async fn put(client: &Client, url: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    send(client, reqwest::Method::PUT, url, body).await
}

/// The same, a PATCH.
pub async fn patch(
    client: &Client,
    url: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    send(client, reqwest::Method::PATCH, url, body).await
}

/// Status of a DELETE (with the session's CSRF token when the client is a session).
pub async fn delete(client: &Client, url: &str) -> u16 {
    let mut request = client.delete(url);
    if let Some(csrf) = &client.csrf {
        request = request.header("x-csrf-token", csrf);
    }
    request.send().await.unwrap().status().as_u16()
}

/// Asserts that a write answered `status` with an error naming `field` (its path in the
/// request body).
#[track_caller]
pub fn assert_field(answer: &(u16, serde_json::Value), status: u16, field: &str) {
    let (st, v) = answer;
    assert_eq!((*st, v["field"].as_str()), (status, Some(field)), "{v}");
}

/// Asserts that a request answered `status` with the error `code`.
#[track_caller]
pub fn assert_code(answer: &(u16, serde_json::Value), status: u16, code: &str) {
    let (st, v) = answer;
    assert_eq!((*st, v["code"].as_str()), (status, Some(code)), "{v}");
}

/// Two tests of `scenario`, an async function of a server that `start` (an async function
/// of a [`Backend`] answering `Option<TestServer>`) gives: `$sqlite` on SQLite, and
/// `$postgres` on PostgreSQL (which passes, the harness saying so, when PostgreSQL is not
/// installed and not required).
macro_rules! on_both_stores {
    ($scenario:ident, $start:path, $sqlite:ident, $postgres:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            let s = $start($crate::support::Backend::Sqlite).await;
            $scenario(s.expect("SQLite")).await;
        }

        #[tokio::test]
        async fn $postgres() {
            if let Some(s) = $start($crate::support::Backend::Postgres).await {
                $scenario(s).await;
            }
        }
    };
}

pub(crate) use on_both_stores;
