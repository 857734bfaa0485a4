//! Alert rules (records, behind the gate) and the alerts they raise for the caller: every
//! number an alert rests on is read through the gate as the caller, so two callers may get
//! different alerts from the same rule, and neither gets one from a record it may not see.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_app::alert_acks::NewAck;
use vigie_app::coverage::{CoverageReport, NewCoverage};
use vigie_app::rules::NewRule;
use vigie_core::alert::Unassessed;
use vigie_core::{Alert, AlertAck, AlertRule, Coverage, Freshness};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{record_id, Json};
use crate::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AlertList {
    pub items: Vec<Alert>,
    /// Would-be alerts the caller's data could not decide (their months are not covered by a
    /// complete source the caller may see), with why.
    pub unassessed: Vec<Unassessed>,
    /// How old the caller's data are: the last month any visible source covers.
    pub freshness: Freshness,
}

#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts",
    responses((status = 200, description = "The alerts of every rule the caller may see, computed on what the caller may see, with what could not be assessed and how fresh the data are", body = AlertList)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<AlertList>> {
    let a = caller.reader(&state).assessment().await?;
    Ok(axum::Json(AlertList {
        items: a.alerts,
        unassessed: a.unassessed,
        freshness: a.freshness,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CoverageQuery {
    /// Only the sources whose data end more than 3 months before the current month.
    #[serde(default)]
    pub stale: bool,
}

#[utoipa::path(get, path = "/api/v1/coverage", tag = "alerts", params(CoverageQuery),
    responses((status = 200, description = "What the sources the caller may see cover (countries, months, complete or partial), per source, and how fresh they are", body = CoverageReport)))]
pub async fn coverage(
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::Query(q): crate::extract::Query<CoverageQuery>,
) -> ApiResult<axum::Json<CoverageReport>> {
    let report = vigie_app::coverage::report(&caller.reader(&state), q.stale).await?;
    Ok(axum::Json(report))
}

#[utoipa::path(post, path = "/api/v1/coverage", tag = "alerts", request_body = NewCoverage,
    responses((status = 201, description = "Stated: the caller's organisation says what a source covers", body = Coverage),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn state_coverage(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewCoverage>,
) -> ApiResult<(StatusCode, axum::Json<Coverage>)> {
    let record = vigie_app::coverage::state(&caller.author(&state), input).await?;
    Ok((StatusCode::CREATED, axum::Json(record)))
}

#[utoipa::path(post, path = "/api/v1/alerts/{id}/ack", tag = "alerts", request_body = NewAck,
    params(("id" = String, Path, description = "The alert's UUID")),
    responses((status = 200, description = "The caller's organisation acknowledged the alert (replacing its earlier acknowledgement)", body = AlertAck),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such alert for the caller: missing, or computed from what the caller may not see", body = ErrorBody)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<NewAck>,
) -> ApiResult<axum::Json<AlertAck>> {
    let id = record_id(&id)?;
    let ack = vigie_app::alert_acks::acknowledge(&caller.author(&state), id, input).await?;
    Ok(axum::Json(ack))
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
    let items = caller.reader(&state).alert_rules().await?;
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
    match caller.reader(&state).alert_rule(id).await? {
        Some(rule) => Ok(axum::Json(rule)),
        None => Err(ApiError::not_found()),
    }
}

#[utoipa::path(post, path = "/api/v1/alert-rules", tag = "alerts", request_body = NewRule,
    responses((status = 201, description = "Created", body = AlertRule), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewRule>,
) -> ApiResult<(StatusCode, axum::Json<AlertRule>)> {
    let allow = &state.config.webhook_allow;
    let rule = vigie_app::rules::create_rule(&caller.author(&state), input, allow).await?;
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
    vigie_app::rules::delete_rule(&caller.author(&state), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
