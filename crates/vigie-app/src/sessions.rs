//! Signing in and out, and one's own password and language. A sign-in proves a password
//! (verified in the same time whether or not the name exists) and opens a session; a
//! password change ends what the old password may have opened.

use vigie_core::{Organisation, User};
use vigie_store::{Revoked, Session, Store, UserChange};

use crate::accounts::{dummy_hash, hash_password, new_session, password_problem, verify_password};
use crate::author::Author;
use crate::error::{AppError, AppResult};

/// A session just opened: the user, their organisation, the session (its CSRF token
/// included) and the secret its cookie carries (shown now and never again).
#[derive(Debug)]
pub struct Opened {
    pub user: User,
    pub org: Option<Organisation>,
    pub session: Session,
    pub secret: String,
}

/// Signs `name` in with `password`: `Ok(None)` when the name, the password or the account
/// is wrong (one answer for all three, written to the audit log with `address`).
pub async fn sign_in(
    store: &dyn Store,
    name: &str,
    password: String,
    address: &str,
) -> AppResult<Option<Opened>> {
    let user = store.user(name).await?;
    let hash = store.password_hash(name).await?;
    // Verify even for unknown users, so timing does not tell which names exist.
    let phc = hash.clone().unwrap_or_else(|| dummy_hash().to_string());
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .map_err(|e| AppError::Internal(format!("verifying a password: {e}")))?;
    let user = match user {
        Some(u) if ok && hash.is_some() && !u.disabled => u,
        _ => {
            store
                .audit(&vigie_store::audit::NewAuditEntry {
                    actor: None,
                    actor_org: None,
                    action: "login-failed".into(),
                    record_kind: None,
                    record_id: None,
                    detail: serde_json::json!({ "username": name, "address": address }),
                })
                .await?;
            return Ok(None);
        }
    };
    let (session, secret) = new_session(&user.id);
    let org = store.org(&user.org).await?;
    let entry = vigie_store::audit::NewAuditEntry {
        actor: Some(user.id.clone()),
        actor_org: Some(user.org.clone()),
        action: "login".into(),
        record_kind: None,
        record_id: None,
        detail: serde_json::json!({ "via": "password" }),
    };
    store.create_session(&session, Some(&entry)).await?;
    Ok(Some(Opened {
        user,
        org,
        session,
        secret,
    }))
}

/// Signs out: ends the session (by its token's hash) when the author came with one; an
/// API token is only logged.
pub async fn sign_out(author: &Author<'_>, session: Option<&[u8]>) -> AppResult<()> {
    let entry = author.entry_of("logout", serde_json::json!({}));
    match session {
        Some(hash) => author.store().delete_session(hash, Some(&entry)).await?,
        None => author.store().audit(&entry).await.map(drop)?,
    }
    Ok(())
}

/// The languages of the UI.
pub const LOCALES: &[&str] = &["en", "fr"];

/// Stores the language the author chose for the UI (`en` or `fr`).
pub async fn set_locale(author: &Author<'_>, locale: &str) -> AppResult<()> {
    let locale = locale.trim();
    if !LOCALES.contains(&locale) {
        return Err(AppError::invalid(
            "locale",
            format!("locale={locale:?}: expected one of {LOCALES:?}"),
        ));
    }
    author.store().set_locale(&author.user().id, locale).await?;
    Ok(())
}

/// What came of a password change.
#[derive(Debug)]
pub enum PasswordOutcome {
    /// Changed: the other sessions ended and the live API tokens revoked.
    Changed(Revoked),
    /// The current password given was wrong: nothing changed.
    WrongCurrent,
}

/// Changes the author's own password, given the current one. Every session but `keep` (the
/// one making the change, if a session) ends and every live API token is revoked: whoever
/// knew the old password may have signed in or made a token with it.
pub async fn change_password(
    author: &Author<'_>,
    current: String,
    new: String,
    keep: Option<&[u8]>,
) -> AppResult<PasswordOutcome> {
    if let Some(reason) = password_problem(&new) {
        return Err(AppError::invalid("new_password", reason));
    }
    let store = author.store();
    let phc = store
        .password_hash(&author.user().id)
        .await?
        .unwrap_or_else(|| dummy_hash().to_string());
    let checked = tokio::task::spawn_blocking(move || {
        verify_password(&current, &phc).then(|| hash_password(&new))
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))?;
    let Some(hash) = checked else {
        return Ok(PasswordOutcome::WrongCurrent);
    };
    let entry = author.entry(
        "password-changed",
        "user",
        Some(author.user().id.clone()),
        serde_json::json!({ "by": "self" }),
    );
    let revoked = store
        .update_user(
            &UserChange {
                user: author.user(),
                password_hash: Some(&hash),
                keep_session: keep,
            },
            Some(&entry),
        )
        .await?;
    Ok(PasswordOutcome::Changed(revoked))
}
