//! Signing in and out, who am I, one's own password, and API tokens.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_app::sessions::PasswordOutcome;
use vigie_app::tokens::{CreatedToken, NewToken};
use vigie_core::{Organisation, User};
use vigie_store::{ApiToken, Revoked};

use crate::auth::{self, Caller, Credential};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::AppState;

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct Login {
    pub username: String,
    pub password: String,
}

/// The signed-in user, their organisation, and the token cookie-authenticated writes
/// must send as `X-CSRF-Token`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SignedIn {
    pub user: User,
    pub org: Option<Organisation>,
    pub csrf_token: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub org: Option<Organisation>,
    /// The language the user chose for the UI, `en` or `fr` (null until they choose).
    pub locale: Option<String>,
    /// For a browser session, the token its writes must send as `X-CSRF-Token` (so that a
    /// reloaded page can write again); absent for API tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct LocaleChoice {
    /// `en` or `fr`.
    #[schema(pattern = "^\\s*(en|fr)\\s*$", example = "fr")]
    pub locale: String,
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "account", request_body = Login,
    security(()),
    responses((status = 200, description = "Signed in; the session cookie is set", body = SignedIn),
              (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(input): Json<Login>,
) -> ApiResult<Response> {
    let name = input.username.trim().to_ascii_lowercase();
    let keys = [format!("user:{name}"), format!("ip:{}", peer.ip())];
    for k in &keys {
        if let Err(secs) = state.throttle.check(k) {
            return Err(ApiError::throttled(secs));
        }
    }
    let address = peer.ip().to_string();
    let opened =
        vigie_app::sessions::sign_in(state.store.as_ref(), &name, input.password, &address).await?;
    let Some(opened) = opened else {
        for k in &keys {
            state.throttle.fail(k);
        }
        return Err(ApiError::invalid_credentials());
    };
    state.throttle.succeed(&keys[0]);
    let vigie_app::sessions::Opened {
        user,
        org,
        session,
        secret: token,
    } = opened;
    let cookie = auth::session_cookie(Some(&token), auth::wants_secure(&state, &headers));
    Ok((
        [(header::SET_COOKIE, cookie)],
        axum::Json(SignedIn {
            user,
            org,
            csrf_token: session.csrf,
        }),
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "account",
    responses((status = 204, description = "Signed out; the session cookie is cleared")))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
) -> ApiResult<Response> {
    let session = match caller.credential() {
        Credential::Session(hash) => Some(hash.as_slice()),
        Credential::Token { .. } => None,
    };
    vigie_app::sessions::sign_out(&caller.author(&state), session).await?;
    let cookie = auth::session_cookie(None, auth::wants_secure(&state, &headers));
    // What this browser kept for the user (the map's points, revalidated by ETag) goes with
    // the session: the next user of a shared situation-room computer finds nothing.
    let mut r = (StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response();
    r.headers_mut().insert(
        header::HeaderName::from_static("clear-site-data"),
        header::HeaderValue::from_static("\"cache\""),
    );
    Ok(r)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<axum::Json<Me>> {
    let org = state.store.org(caller.org()).await?;
    let locale = state.store.locale(&caller.user().id).await?;
    let csrf_token = match caller.credential() {
        Credential::Session(hash) => state.store.session(hash).await?.map(|s| s.csrf),
        Credential::Token { .. } => None,
    };
    Ok(axum::Json(Me {
        user: caller.user().clone(),
        org,
        locale,
        csrf_token,
    }))
}

#[utoipa::path(put, path = "/api/v1/me/locale", tag = "account", request_body = LocaleChoice,
    responses((status = 204, description = "Stored; the UI opens in this language from now on"),
              (status = 400, body = ErrorBody)))]
pub async fn set_locale(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<LocaleChoice>,
) -> ApiResult<StatusCode> {
    vigie_app::sessions::set_locale(&caller.author(&state), &input.locale).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<ApiToken>,
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "account", request_body = NewToken,
    responses((status = 201, body = CreatedToken)))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewToken>,
) -> ApiResult<(StatusCode, axum::Json<CreatedToken>)> {
    let created = vigie_app::tokens::create_token(&caller.author(&state), input).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "account",
    responses((status = 200, description = "The caller's own tokens (never their secrets)", body = TokenList)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<TokenList>> {
    let items = vigie_app::tokens::tokens(&caller.author(&state)).await?;
    Ok(axum::Json(TokenList { items }))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "account",
    params(("id" = String, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    vigie_app::tokens::revoke_token(&caller.author(&state), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user changing their own password.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 10 characters.
    pub new_password: String,
}

/// What a password change ended.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct PasswordChanged {
    /// The user's other sessions, signed out (the one that made the change stays signed
    /// in), and every live API token of theirs, revoked: whoever knew the old password may
    /// have signed in or made a token with it.
    pub revoked: Revoked,
}

#[utoipa::path(post, path = "/api/v1/me/password", tag = "account", request_body = PasswordChange,
    responses((status = 200, description = "Changed; the user's other sessions are ended and their API tokens revoked", body = PasswordChanged),
              (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<PasswordChange>,
) -> ApiResult<axum::Json<PasswordChanged>> {
    // Guessing the current password here is throttled like signing in.
    let key = format!("user:{}", caller.user().id);
    if let Err(secs) = state.throttle.check(&key) {
        return Err(ApiError::throttled(secs));
    }
    let keep = match caller.credential() {
        Credential::Session(h) => Some(h.as_slice()),
        Credential::Token { .. } => None,
    };
    let outcome = vigie_app::sessions::change_password(
        &caller.author(&state),
        input.current_password,
        input.new_password,
        keep,
    )
    .await?;
    match outcome {
        PasswordOutcome::Changed(revoked) => {
            state.throttle.succeed(&key);
            Ok(axum::Json(PasswordChanged { revoked }))
        }
        PasswordOutcome::WrongCurrent => {
            state.throttle.fail(&key);
            Err(ApiError::invalid(
                "current_password",
                "this is not your current password",
            ))
        }
    }
}
