//! Writing records over HTTP: creating events and reports, editing reports, re-marking and
//! re-sharing. The rules are `vigie_app::records`' and `vigie_app::audience`'; these
//! handlers extract, call and answer.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use vigie_app::audience::{AudienceInput, AudiencePreview};
use vigie_app::records::{NewEvent, NewReport, ReportPatch};
use vigie_core::Report;

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::events::EventDetail;
use crate::extract::{record_id, Json};
use crate::AppState;

#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = NewEvent,
    responses((status = 201, description = "Created", body = EventDetail), (status = 403, body = ErrorBody)))]
pub async fn create_event(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewEvent>,
) -> ApiResult<(StatusCode, axum::Json<EventDetail>)> {
    let (event, audience) = vigie_app::records::create_event(&caller.author(&state), input).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(EventDetail { event, audience }),
    ))
}

#[utoipa::path(put, path = "/api/v1/events/{id}/audience", tag = "events", request_body = AudienceInput,
    params(("id" = String, Path, description = "The event's UUID")),
    responses((status = 200, body = EventDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_event_audience(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<AudienceInput>,
) -> ApiResult<axum::Json<EventDetail>> {
    let id = record_id(&id)?;
    let (event, audience) =
        vigie_app::records::set_event_audience(&caller.author(&state), id, input).await?;
    Ok(axum::Json(EventDetail { event, audience }))
}

#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", request_body = NewReport,
    responses((status = 201, description = "Created", body = Report), (status = 403, body = ErrorBody)))]
pub async fn create_report(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewReport>,
) -> ApiResult<(StatusCode, axum::Json<Report>)> {
    let report = vigie_app::records::create_report(&caller.author(&state), input).await?;
    Ok((StatusCode::CREATED, axum::Json(report)))
}

#[utoipa::path(patch, path = "/api/v1/reports/{id}", tag = "reports", request_body = ReportPatch,
    params(("id" = String, Path, description = "The report's UUID")),
    responses((status = 200, body = Report), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_report(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(patch): Json<ReportPatch>,
) -> ApiResult<axum::Json<Report>> {
    let id = record_id(&id)?;
    let report = vigie_app::records::update_report(&caller.author(&state), id, patch).await?;
    Ok(axum::Json(report))
}

#[utoipa::path(put, path = "/api/v1/reports/{id}/audience", tag = "reports", request_body = AudienceInput,
    params(("id" = String, Path, description = "The report's UUID")),
    responses((status = 200, body = Report), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_report_audience(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<AudienceInput>,
) -> ApiResult<axum::Json<Report>> {
    let id = record_id(&id)?;
    let report = vigie_app::records::set_report_audience(&caller.author(&state), id, input).await?;
    Ok(axum::Json(report))
}

#[utoipa::path(post, path = "/api/v1/audience/preview", tag = "sharing", request_body = AudienceInput,
    responses((status = 200, description = "Who could read a record the caller writes under this audience, today, and who no longer could since a membership ended", body = AudiencePreview),
        (status = 400, body = ErrorBody)))]
pub async fn preview_audience(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<AudienceInput>,
) -> ApiResult<axum::Json<AudiencePreview>> {
    let preview = vigie_app::audience::preview(&caller.author(&state), input).await?;
    Ok(axum::Json(preview))
}
