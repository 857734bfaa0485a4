//! Signing in and out, who am I, one's own password, and API tokens.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_core::{Organisation, User};
use vigie_store::{ApiToken, Revoked, TokenScope, UserChange};

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

/// The languages of the UI.
pub const LOCALES: &[&str] = &["en", "fr"];

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
    let store = state.store.as_ref();
    let user = store.user(&name).await?;
    let hash = store.password_hash(&name).await?;
    // Verify even for unknown users, so timing does not tell which names exist.
    let password = input.password.clone();
    let phc = hash
        .clone()
        .unwrap_or_else(|| vigie_app::accounts::dummy_hash().to_string());
    let ok =
        tokio::task::spawn_blocking(move || vigie_app::accounts::verify_password(&password, &phc))
            .await
            .map_err(|_| ApiError::internal())?;
    let user = match user {
        Some(u) if ok && hash.is_some() && !u.disabled => u,
        _ => {
            for k in &keys {
                state.throttle.fail(k);
            }
            crate::audit::record(
                &state,
                None,
                "login-failed",
                None,
                None,
                serde_json::json!({ "username": name, "address": peer.ip().to_string() }),
            )
            .await?;
            return Err(ApiError::invalid_credentials());
        }
    };
    state.throttle.succeed(&keys[0]);
    let (session, token) = vigie_app::accounts::new_session(&user.id);
    let org = store.org(&user.org).await?;
    let caller = Caller::signed_in(
        user.clone(),
        Credential::Session(session.token_hash.clone()),
        Utc::now().date_naive(),
    )
    .ok_or_else(ApiError::invalid_credentials)?;
    let entry = crate::audit::entry(
        Some(&caller),
        "login",
        None,
        None,
        serde_json::json!({ "via": "password" }),
    );
    store.create_session(&session, Some(&entry)).await?;
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
    let entry = crate::audit::entry(Some(&caller), "logout", None, None, serde_json::json!({}));
    match caller.credential() {
        Credential::Session(hash) => state.store.delete_session(hash, Some(&entry)).await?,
        Credential::Token { .. } => state.store.audit(&entry).await.map(drop)?,
    }
    let cookie = auth::session_cookie(None, auth::wants_secure(&state, &headers));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
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
    let locale = input.locale.trim();
    if !LOCALES.contains(&locale) {
        return Err(ApiError::invalid(
            "locale",
            format!("locale={locale:?}: expected one of {LOCALES:?}"),
        ));
    }
    state.store.set_locale(&caller.user().id, locale).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct NewToken {
    pub name: String,
    pub scope: TokenScope,
    /// Days until it expires (1–365).
    pub expires_in_days: i64,
}

/// A token just created: `token` is shown now and never again.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: String,
    pub token: String,
    pub scope: TokenScope,
    pub expires_at: DateTime<Utc>,
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
    if !(1..=365).contains(&input.expires_in_days) {
        return Err(ApiError::invalid(
            "expires_in_days",
            "a token lives 1 to 365 days",
        ));
    }
    if input.name.trim().is_empty() || input.name.len() > 100 {
        return Err(ApiError::invalid(
            "name",
            "a token's name has 1 to 100 characters",
        ));
    }
    let (token, secret) = vigie_app::accounts::new_token(
        &caller.user().id,
        input.name.trim(),
        input.scope,
        input.expires_in_days,
    );
    let entry = crate::audit::entry(
        Some(&caller),
        "token-created",
        None,
        Some(token.id.clone()),
        serde_json::json!({ "scope": token.scope }),
    );
    state.store.create_token(&token, Some(&entry)).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedToken {
            id: token.id,
            token: secret,
            scope: token.scope,
            expires_at: token.expires_at,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "account",
    responses((status = 200, description = "The caller's own tokens (never their secrets)", body = TokenList)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<TokenList>> {
    Ok(axum::Json(TokenList {
        items: state.store.tokens(&caller.user().id).await?,
    }))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "account",
    params(("id" = String, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    // Only one's own tokens; anyone else's answers like a missing one.
    let owned = state
        .store
        .token(&id)
        .await?
        .is_some_and(|t| t.user_id == caller.user().id && t.revoked_at.is_none());
    let entry = crate::audit::entry(
        Some(&caller),
        "token-revoked",
        None,
        Some(id.clone()),
        serde_json::json!({}),
    );
    if !owned
        || !state
            .store
            .revoke_token(&id, Utc::now(), Some(&entry))
            .await?
    {
        return Err(ApiError::not_found());
    }
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
    auth::check_password_rule(&input.new_password)
        .map_err(|e| ApiError::invalid("new_password", e.body.message))?;
    let store = state.store.as_ref();
    let phc = store
        .password_hash(&caller.user().id)
        .await?
        .unwrap_or_else(|| vigie_app::accounts::dummy_hash().to_string());
    let (current, new) = (input.current_password, input.new_password);
    let checked = tokio::task::spawn_blocking(move || {
        vigie_app::accounts::verify_password(&current, &phc)
            .then(|| vigie_app::accounts::hash_password(&new))
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let Some(hash) = checked else {
        state.throttle.fail(&key);
        return Err(ApiError::invalid(
            "current_password",
            "this is not your current password",
        ));
    };
    state.throttle.succeed(&key);
    let keep = match caller.credential() {
        Credential::Session(h) => Some(h.as_slice()),
        Credential::Token { .. } => None,
    };
    let entry = crate::audit::entry(
        Some(&caller),
        "password-changed",
        Some("user"),
        Some(caller.user().id.clone()),
        serde_json::json!({ "by": "self" }),
    );
    let revoked = store
        .update_user(
            &UserChange {
                user: caller.user(),
                password_hash: Some(&hash),
                keep_session: keep,
            },
            Some(&entry),
        )
        .await?;
    Ok(axum::Json(PasswordChanged { revoked }))
}
