//! Who is calling: passwords (argon2id), browser sessions (cookie + CSRF token), API tokens
//! (shown once, stored hashed, compared in constant time), and login throttling.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use base64::Engine as _;
use chrono::Utc;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use vigie_core::{Role, User, Viewer};
use vigie_store::{ApiToken, Session, TokenScope};

use crate::error::ApiError;
use crate::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "vigie_session";
/// The header cookie-authenticated writes must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a browser session lasts.
pub const SESSION_HOURS: i64 = 12;
const TOKEN_PREFIX: &str = "vgt_";

/// `n` random bytes from the operating system.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    getrandom::getrandom(&mut b).expect("the operating system's random source failed");
    b
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

/// An argon2id hash (PHC string) of `password`.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes(16)).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the user does not exist, so that a wrong user name
/// costs as much time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not the password of anyone"))
}

/// Checks a password rule: 10 characters or more.
pub fn check_password_rule(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < 10 {
        return Err(ApiError::invalid(
            "password",
            "a password needs at least 10 characters",
        ));
    }
    Ok(())
}

/// Creates and stores an API token for `user` (unaudited: for the command line's own
/// accounts and tests); returns the stored token and the secret to show once.
pub async fn issue_token(
    store: &dyn vigie_store::Store,
    user: &str,
    name: &str,
    scope: TokenScope,
    days: i64,
) -> Result<(ApiToken, String), vigie_store::StoreError> {
    let (token, secret) = new_token(user, name, scope, days);
    store.create_token(&token, None).await?;
    Ok((token, secret))
}

/// A new API token for `user`, not yet stored, and the secret to show once.
pub fn new_token(user: &str, name: &str, scope: TokenScope, days: i64) -> (ApiToken, String) {
    let id: String = random_bytes(6).iter().map(|b| format!("{b:02x}")).collect();
    let secret = b64(&random_bytes(32));
    let now = Utc::now();
    let token = ApiToken {
        id: id.clone(),
        user_id: user.to_string(),
        name: name.to_string(),
        secret_hash: sha256(secret.as_bytes()),
        scope,
        created_at: now,
        expires_at: now + chrono::Duration::days(days),
        revoked_at: None,
    };
    (token, format!("{TOKEN_PREFIX}{id}_{secret}"))
}

/// A new browser session for `user`, not yet stored, and the cookie's token.
pub fn new_session(user: &str) -> (Session, String) {
    let token = b64(&random_bytes(32));
    let now = Utc::now();
    let session = Session {
        token_hash: sha256(token.as_bytes()),
        user_id: user.to_string(),
        csrf: b64(&random_bytes(24)),
        created_at: now,
        expires_at: now + chrono::Duration::hours(SESSION_HOURS),
    };
    (session, token)
}

/// The `Set-Cookie` value for a session token (`None` clears the cookie).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
            SESSION_HOURS * 3600
        ),
        None => format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}"),
    }
}

/// Whether cookies must be `Secure`: configured so, or the request came through TLS (a
/// reverse proxy's `X-Forwarded-Proto: https`).
pub fn wants_secure(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    state.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// How a caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser session; the value is its token's hash.
    Session(Vec<u8>),
    Token {
        id: String,
        scope: TokenScope,
    },
}

/// The signed-in caller of a request. Extracting it authenticates the request, checks
/// CSRF for cookie-authenticated writes and the token's scope for token writes.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub viewer: Viewer,
    pub credential: Credential,
}

impl Caller {
    pub fn has(&self, role: Role) -> bool {
        self.user.has(role)
    }
    pub fn org(&self) -> &str {
        &self.user.org
    }
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let store = state.store.as_ref();
        let now = Utc::now();
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let (user_id, credential) = if let Some(raw) = bearer {
            let Some((id, secret)) = raw
                .strip_prefix(TOKEN_PREFIX)
                .and_then(|r| r.split_once('_'))
            else {
                return Err(ApiError::unauthenticated());
            };
            let Some(token) = store.token(id).await? else {
                return Err(ApiError::unauthenticated());
            };
            let presented = sha256(secret.as_bytes());
            let matches: bool = presented.ct_eq(&token.secret_hash).into();
            if !matches || token.revoked_at.is_some() || token.expires_at <= now {
                return Err(ApiError::unauthenticated());
            }
            if is_write(&parts.method) && token.scope != TokenScope::Write {
                return Err(ApiError::token_scope());
            }
            (
                token.user_id.clone(),
                Credential::Token {
                    id: token.id,
                    scope: token.scope,
                },
            )
        } else if let Some(cookie) = cookie_value(&parts.headers, SESSION_COOKIE) {
            let hash = sha256(cookie.as_bytes());
            let Some(session) = store.session(&hash).await? else {
                return Err(ApiError::unauthenticated());
            };
            if session.expires_at <= now {
                store.delete_session(&hash, None).await?;
                return Err(ApiError::unauthenticated());
            }
            if is_write(&parts.method) {
                let sent = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                let ok: bool = sent.as_bytes().ct_eq(session.csrf.as_bytes()).into();
                if !ok {
                    return Err(ApiError::csrf());
                }
            }
            (session.user_id.clone(), Credential::Session(hash))
        } else {
            return Err(ApiError::unauthenticated());
        };
        let Some(user) = store.user(&user_id).await? else {
            return Err(ApiError::unauthenticated());
        };
        if user.disabled {
            return Err(ApiError::unauthenticated());
        }
        let viewer = Viewer::user(&user.id, &user.org, &user.roles, now.date_naive());
        Ok(Caller {
            user,
            viewer,
            credential,
        })
    }
}

/// Failed sign-ins per user name and per client address, over a sliding window.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// Failures allowed in a window before sign-ins are refused until it ends.
    pub const LIMIT: u32 = 5;
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);

    /// `Err(seconds left)` when `key` is locked out.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let map = self.failures.lock().expect("throttle lock");
        match map.get(key) {
            Some((n, since)) if *n >= Self::LIMIT && since.elapsed() < Self::WINDOW => {
                Err((Self::WINDOW - since.elapsed()).as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    pub fn fail(&self, key: &str) {
        let mut map = self.failures.lock().expect("throttle lock");
        let entry = map.entry(key.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= Self::WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    pub fn succeed(&self, key: &str) {
        self.failures.lock().expect("throttle lock").remove(key);
    }
}
