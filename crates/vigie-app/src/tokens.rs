//! API tokens: a user's own, created with a scope and a lifetime, listed without their
//! secrets, revoked by their owner only (anyone else's answers like a missing one).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vigie_store::{ApiToken, TokenScope};

use crate::author::Author;
use crate::error::{AppError, AppResult};

#[derive(Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewToken {
    pub name: String,
    pub scope: TokenScope,
    /// Days until it expires (1–365).
    pub expires_in_days: i64,
}

/// A token just created: `token` is shown now and never again.
#[derive(Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    pub id: String,
    pub token: String,
    pub scope: TokenScope,
    pub expires_at: DateTime<Utc>,
}

/// Creates an API token for the author.
pub async fn create_token(author: &Author<'_>, input: NewToken) -> AppResult<CreatedToken> {
    if !(1..=365).contains(&input.expires_in_days) {
        return Err(AppError::invalid(
            "expires_in_days",
            "a token lives 1 to 365 days",
        ));
    }
    if input.name.trim().is_empty() || input.name.len() > 100 {
        return Err(AppError::invalid(
            "name",
            "a token's name has 1 to 100 characters",
        ));
    }
    let (token, secret) = crate::accounts::new_token(
        &author.user().id,
        input.name.trim(),
        input.scope,
        input.expires_in_days,
    );
    let entry = author.entry_of("token-created", serde_json::json!({ "scope": token.scope }));
    let entry = vigie_store::audit::NewAuditEntry {
        record_id: Some(token.id.clone()),
        ..entry
    };
    author.store().create_token(&token, Some(&entry)).await?;
    Ok(CreatedToken {
        id: token.id,
        token: secret,
        scope: token.scope,
        expires_at: token.expires_at,
    })
}

/// The author's own tokens (never their secrets).
pub async fn tokens(author: &Author<'_>) -> AppResult<Vec<ApiToken>> {
    Ok(author.store().tokens(&author.user().id).await?)
}

/// Revokes one of the author's own live tokens; any other answers like a missing one.
pub async fn revoke_token(author: &Author<'_>, id: &str) -> AppResult<()> {
    let store = author.store();
    let owned = store
        .token(id)
        .await?
        .is_some_and(|t| t.user_id == author.user().id && t.revoked_at.is_none());
    let entry = author.entry_of("token-revoked", serde_json::json!({}));
    let entry = vigie_store::audit::NewAuditEntry {
        record_id: Some(id.to_string()),
        ..entry
    };
    if !owned || !store.revoke_token(id, Utc::now(), Some(&entry)).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
