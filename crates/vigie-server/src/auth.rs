//! Who is calling: browser sessions (cookie + CSRF token) and API tokens (compared in
//! constant time) authenticate a request's [`Caller`]; login throttling. Passwords,
//! sessions and tokens themselves are `vigie_app::accounts`'.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use chrono::Utc;
use subtle::ConstantTimeEq;
use vigie_core::{Role, User, Viewer};
use vigie_store::TokenScope;

use crate::error::ApiError;
use crate::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "vigie_session";
/// The header cookie-authenticated writes must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";

use vigie_app::accounts::{sha256, SESSION_HOURS, TOKEN_PREFIX};

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
/// CSRF for cookie-authenticated writes and the token's scope for token writes. Its parts
/// are read-only: a caller is made only by authenticating, so its viewer is always an
/// enabled user's own. Handlers never see the viewer: they read through
/// [`Caller::reader`] and change through [`Caller::author`] (the application layer), so
/// none can skip the audit of restricted reads or a rule of writing.
#[derive(Debug, Clone)]
pub struct Caller {
    user: User,
    viewer: Viewer,
    credential: Credential,
}

impl Caller {
    pub fn user(&self) -> &User {
        &self.user
    }
    /// The caller reading `state`'s store: every record read of a handler goes through it,
    /// so restricted reads are audited whatever the handler.
    pub fn reader<'a>(&'a self, state: &'a AppState) -> vigie_app::reads::Reader<'a> {
        vigie_app::reads::Reader::new(state.store.as_ref(), &self.viewer)
    }
    /// The caller making changes to `state`'s store (the use cases' rules apply to it).
    pub fn author<'a>(&'a self, state: &'a AppState) -> vigie_app::author::Author<'a> {
        vigie_app::author::Author::new(state.store.as_ref(), &self.user, &self.viewer)
    }
    pub fn credential(&self) -> &Credential {
        &self.credential
    }
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
        let Some(viewer) = Viewer::for_user(&user, now.date_naive()) else {
            return Err(ApiError::unauthenticated());
        };
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
