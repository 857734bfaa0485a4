//! Alert rules (records, behind the gate) and the alerts they raise for the caller: every
//! number an alert rests on is read through the gate as the caller, so two callers may get
//! different alerts from the same rule, and neither gets one from a record it may not see.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_app::alerts::alerts_for;
use vigie_core::audience::may_edit;
use vigie_core::{Alert, AlertRule, Level, Marking, RuleKind};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::audit_reads;
use crate::extract::{record_id, Json};
use crate::write::{audience_detail, checked_audience, require_writer, AudienceInput};
use crate::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AlertList {
    pub items: Vec<Alert>,
}

#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts",
    responses((status = 200, description = "The alerts of every rule the caller may see, computed on what the caller may see", body = AlertList)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<AlertList>> {
    let items = alerts_for(state.store.as_ref(), caller.viewer()).await?;
    let restricted = items
        .iter()
        .filter(|a| a.marking != Marking::Clear.as_str())
        .map(|a| a.rule.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    audit_reads(&state, &caller, "alert-rule", restricted).await?;
    Ok(axum::Json(AlertList { items }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RuleList {
    pub items: Vec<AlertRule>,
}

#[utoipa::path(get, path = "/api/v1/alert-rules", tag = "alerts",
    responses((status = 200, description = "The alert rules the caller may see, oldest first", body = RuleList)))]
pub async fn rules(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<RuleList>> {
    let items = state.store.alert_rules(caller.viewer()).await?;
    let restricted = items
        .iter()
        .filter(|r| r.audience.marking != Marking::Clear)
        .map(|r| r.id.to_string())
        .collect();
    audit_reads(&state, &caller, "alert-rule", restricted).await?;
    Ok(axum::Json(RuleList { items }))
}

#[utoipa::path(get, path = "/api/v1/alert-rules/{id}", tag = "alerts",
    params(("id" = String, Path, description = "The rule's UUID")),
    responses((status = 200, body = AlertRule), (status = 404, body = ErrorBody)))]
pub async fn rule(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<AlertRule>> {
    let id = record_id(&id)?;
    let Some(rule) = state.store.alert_rule(caller.viewer(), id).await? else {
        return Err(ApiError::not_found());
    };
    if rule.audience.marking != Marking::Clear {
        audit_reads(&state, &caller, "alert-rule", vec![rule.id.to_string()]).await?;
    }
    Ok(axum::Json(rule))
}

/// A new alert rule.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    pub name: String,
    pub rule: RuleKind,
    /// Units watched (ISO3, `ISO3/Region` or a gid); empty or absent: every unit.
    #[serde(default)]
    pub units: Vec<String>,
    /// An http(s) URL to POST new alerts to, evaluated on your view of the data.
    pub webhook: Option<String>,
    pub audience: AudienceInput,
}

fn check_rule(n: &NewRule, allow: &vigie_app::webhook::AllowList) -> ApiResult<()> {
    if n.name.trim().is_empty() || n.name.chars().count() > 200 {
        return Err(ApiError::invalid(
            "name",
            "a rule's name has 1 to 200 characters",
        ));
    }
    n.rule.check().map_err(|e| ApiError::check(e.at("rule")))?;
    if n.units.len() > 1000 {
        return Err(ApiError::invalid("units", "at most 1,000 units"));
    }
    let level = n.rule.level();
    for u in &n.units {
        let known = match level {
            Level::Country => vigie_core::country::by_iso3(u).is_some(),
            Level::Admin1 => vigie_core::region::by_key(u).is_some(),
            Level::Grid => u
                .parse::<i32>()
                .ok()
                .and_then(vigie_core::priogrid::centre)
                .is_some(),
        };
        if !known {
            return Err(ApiError::invalid(
                "units",
                format!("{u:?} is not a unit of level {level} (ISO3 for cm, ISO3/Region for a1m, a PRIO-GRID gid for pgm)"),
            ));
        }
    }
    if let Some(w) = &n.webhook {
        vigie_app::webhook::check_url(w).map_err(|e| ApiError::invalid("webhook", e))?;
        if !allow.allows(w) {
            return Err(ApiError::invalid(
                "webhook",
                format!("{w:?} is not on this server's webhook allow-list (its administrator sets it: --webhook-allow / VIGIE_WEBHOOK_ALLOW)"),
            ));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/alert-rules", tag = "alerts", request_body = NewRule,
    responses((status = 201, description = "Created", body = AlertRule), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewRule>,
) -> ApiResult<(StatusCode, axum::Json<AlertRule>)> {
    require_writer(&caller)?;
    check_rule(&input, &state.config.webhook_allow)?;
    let audience = checked_audience(&state, &caller, None, input.audience, "audience.").await?;
    let rule = AlertRule {
        id: uuid::Uuid::new_v4(),
        name: input.name.trim().to_string(),
        rule: input.rule,
        units: input.units,
        webhook: input.webhook,
        created_at: Utc::now(),
        audience,
    };
    let entry = crate::audit::entry(
        Some(&caller),
        "create",
        Some("alert-rule"),
        Some(rule.id.to_string()),
        audience_detail(&rule.audience),
    );
    state.store.create_alert_rule(&rule, Some(&entry)).await?;
    Ok((StatusCode::CREATED, axum::Json(rule)))
}

#[utoipa::path(delete, path = "/api/v1/alert-rules/{id}", tag = "alerts",
    params(("id" = String, Path, description = "The rule's UUID")),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = record_id(&id)?;
    let Some(rule) = state.store.alert_rule(caller.viewer(), id).await? else {
        return Err(ApiError::not_found());
    };
    // The owner organisation's analysts and publishers, as for a draft.
    if !may_edit(&caller.user().roles, caller.org(), &rule.audience, true) {
        return Err(ApiError::forbidden(
            "only the owner organisation's analysts and publishers may delete this rule",
        ));
    }
    let entry = crate::audit::entry(
        Some(&caller),
        "delete",
        Some("alert-rule"),
        Some(id.to_string()),
        serde_json::json!({}),
    );
    state.store.delete_alert_rule(id, Some(&entry)).await?;
    Ok(StatusCode::NO_CONTENT)
}
