//! The secretariat's views over HTTP: organisations' coordination profiles, the allocation
//! of open tasks, the alert → task → outcome chain, and the 3W matrix as JSON or as CSV
//! with HXL hashtags. The rules are `vigie_app::coordination`'s and
//! `vigie_app::allocation`'s.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vigie_app::allocation::{AllocateRequest, Allocation};
use vigie_app::coordination::{three_w, three_w_csv, Chain, ThreeW};
use vigie_core::CoordinationProfile;
use vigie_store::TaskFilter;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Query};
use crate::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileList {
    pub items: Vec<CoordinationProfile>,
}

#[utoipa::path(get, path = "/api/v1/coord/profiles", tag = "coordination",
    responses((status = 200, description = "Every organisation's coordination profile", body = ProfileList)))]
pub async fn profiles(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<axum::Json<ProfileList>> {
    Ok(axum::Json(ProfileList {
        items: state.store.coordination_profiles().await?,
    }))
}

#[utoipa::path(put, path = "/api/v1/coord/profiles/{org}", tag = "coordination", request_body = CoordinationProfile,
    params(("org" = String, Path, description = "The organisation's id")),
    responses((status = 200, body = CoordinationProfile), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_profile(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(profile): Json<CoordinationProfile>,
) -> ApiResult<axum::Json<CoordinationProfile>> {
    let author = caller.author(&state);
    let profile = vigie_app::coordination::set_profile(&author, &org, profile).await?;
    Ok(axum::Json(profile))
}

#[utoipa::path(get, path = "/api/v1/coord/chain", tag = "coordination",
    responses((status = 200, description = "Alert → task → outcome, for what the caller may see, with warning-to-response figures", body = Chain)))]
pub async fn chain(State(state): State<AppState>, caller: Caller) -> ApiResult<axum::Json<Chain>> {
    Ok(axum::Json(
        vigie_app::coordination::chain(&caller.reader(&state)).await?,
    ))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThreeWQuery {
    /// json (the default) or csv (with an HXL hashtag row)
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/coord/3w", tag = "coordination", params(ThreeWQuery),
    responses((status = 200, description = "Organisation × region × task type, from the tasks the caller may see", body = ThreeW), (status = 400, body = ErrorBody)))]
pub async fn three_w_matrix(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ThreeWQuery>,
) -> ApiResult<Response> {
    let tasks = caller.reader(&state).tasks(&TaskFilter::default()).await?;
    let rows = three_w(&tasks);
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(axum::Json(ThreeW { rows }).into_response()),
        "csv" => {
            let body = three_w_csv(&rows).map_err(|e| {
                tracing::error!(error = %e, "writing the 3W CSV");
                ApiError::internal()
            })?;
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"vigie-3w.csv\"",
                    ),
                ],
                body,
            )
                .into_response())
        }
        other => Err(ApiError::invalid(
            "format",
            format!("{other:?} is not json or csv"),
        )),
    }
}

#[utoipa::path(post, path = "/api/v1/coord/allocate", tag = "coordination", request_body = AllocateRequest,
    responses((status = 200, description = "An optimal assignment of the open tasks the caller may see, with reasons", body = Allocation),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn allocate(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<AllocateRequest>,
) -> ApiResult<axum::Json<Allocation>> {
    let allocation = vigie_app::allocation::allocate(&caller.author(&state), req).await?;
    Ok(axum::Json(allocation))
}
