//! Writing to and reading the audit log. Entries hold identifiers, actions and markings,
//! never a record's content. A request whose audit entry cannot be written fails.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vigie_store::audit::{AuditCheck, AuditEntry, NewAuditEntry};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Query;
use crate::AppState;

/// The entry recording what `caller` (or nobody, e.g. a failed sign-in of an unknown name)
/// did. A change hands it to the store's write, which writes both in one transaction.
pub fn entry(
    caller: Option<&Caller>,
    action: &str,
    record_kind: Option<&str>,
    record_id: Option<String>,
    detail: serde_json::Value,
) -> NewAuditEntry {
    NewAuditEntry {
        actor: caller.map(|c| c.user().id.clone()),
        actor_org: caller.map(|c| c.user().org.clone()),
        action: action.to_string(),
        record_kind: record_kind.map(str::to_string),
        record_id,
        detail,
    }
}

/// Appends an entry that goes with no change: reads of restricted records, refused
/// sign-ins.
pub async fn record(
    state: &AppState,
    caller: Option<&Caller>,
    action: &str,
    record_kind: Option<&str>,
    record_id: Option<String>,
    detail: serde_json::Value,
) -> ApiResult<()> {
    let entry = entry(caller, action, record_kind, record_id, detail);
    state.store.audit(&entry).await?;
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries after this number (default 0).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// At most this many entries (1–1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", params(AuditQuery),
    responses((status = 200, description = "Audit entries: all for a site-admin, the organisation's own for an org-admin", body = AuditPage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<axum::Json<AuditPage>> {
    let after = q.after.unwrap_or(0);
    let limit = q.limit.unwrap_or(100);
    let items = vigie_app::admin::audit_entries(&caller.author(&state), after, limit).await?;
    Ok(axum::Json(AuditPage { items }))
}

/// The audit log's chain, checked from its first entry to its head.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditVerified {
    /// True when no entry was edited, removed or unlinked.
    pub intact: bool,
    #[serde(flatten)]
    pub check: AuditCheck,
}

#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "admin",
    responses((status = 200, description = "The hash chain walked: intact, or every problem and where it first breaks", body = AuditVerified),
              (status = 403, body = ErrorBody)))]
pub async fn verify(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<AuditVerified>> {
    let check = vigie_app::admin::verify_audit(&caller.author(&state)).await?;
    Ok(axum::Json(AuditVerified {
        intact: check.ok(),
        check,
    }))
}
