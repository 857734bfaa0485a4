//! Reading situation reports, behind the gate.

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vigie_app::filters;
use vigie_app::records::AudienceChange;
use vigie_core::{Report, ReportStatus};
use vigie_store::ReportFilter;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{record_id, Query};
use crate::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// ISO 3166 alpha-3 country code.
    pub country: Option<String>,
    /// draft or published
    pub status: Option<String>,
    /// Search text in the title and body (at most 1,000 characters).
    #[param(max_length = 1000)]
    pub q: Option<String>,
    /// At most this many reports (1–1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
    #[param(minimum = 0, maximum = 1_000_000_000_000u64)]
    pub offset: Option<u64>,
}

impl ReportQuery {
    pub fn filter(&self) -> ApiResult<ReportFilter> {
        let status = filters::parsed::<ReportStatus>("status", self.status.as_deref())?;
        let (limit, offset) = filters::page(self.limit, self.offset)?;
        Ok(ReportFilter {
            country: self
                .country
                .as_ref()
                .filter(|c| !c.trim().is_empty())
                .cloned(),
            status,
            text: self.q.as_ref().filter(|q| !q.trim().is_empty()).cloned(),
            limit: Some(limit),
            offset,
        })
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportPage {
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
    pub items: Vec<Report>,
}

/// Lists and audits a page of reports.
pub async fn page(
    state: &AppState,
    caller: &Caller,
    filter: &ReportFilter,
) -> ApiResult<ReportPage> {
    let page = caller.reader(state).report_page(filter).await?;
    Ok(ReportPage {
        total: page.total,
        limit: filter.limit.unwrap_or(0),
        offset: filter.offset.unwrap_or(0),
        items: page.items,
    })
}

#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "The reports the caller may see, newest first", body = ReportPage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ReportQuery>,
) -> ApiResult<axum::Json<ReportPage>> {
    let filter = q.filter()?;
    Ok(axum::Json(page(&state, &caller, &filter).await?))
}

#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports",
    params(("id" = String, Path, description = "The report's UUID")),
    responses((status = 200, body = Report), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Report>> {
    let id = record_id(&id)?;
    match caller.reader(&state).report(id).await? {
        Some(report) => Ok(axum::Json(report)),
        None => Err(ApiError::not_found()),
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AudienceHistory {
    pub items: Vec<AudienceChange>,
}

#[utoipa::path(get, path = "/api/v1/reports/{id}/audience-history", tag = "reports",
    params(("id" = String, Path, description = "The report's UUID")),
    responses((status = 200, description = "The audiences the report has had, oldest first", body = AudienceHistory),
        (status = 404, body = ErrorBody)))]
pub async fn audience_history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<AudienceHistory>> {
    let id = record_id(&id)?;
    let items = vigie_app::records::report_audience_history(&caller.reader(&state), id).await?;
    Ok(axum::Json(AudienceHistory { items }))
}
