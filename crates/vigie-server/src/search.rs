//! Search across events and reports, behind the gate (the same reads as the lists).

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::events::{EventPage, EventQuery};
use crate::extract::Query;
use crate::reports::{page, ReportPage, ReportQuery};
use crate::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The text to find (case-insensitive substring; at most 1,000 characters).
    #[param(max_length = 1000)]
    pub q: String,
    /// At most this many of each kind (1–1000, default 20).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SearchResults {
    pub events: EventPage,
    pub reports: ReportPage,
}

#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchQuery),
    responses((status = 200, description = "Events and reports the caller may see that contain the text", body = SearchResults)))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<SearchQuery>,
) -> ApiResult<axum::Json<SearchResults>> {
    if q.q.trim().is_empty() {
        return Err(ApiError::invalid(
            "q",
            "q is empty: give some text to search for",
        ));
    }
    let limit = Some(q.limit.unwrap_or(20));
    let filter = EventQuery {
        q: Some(q.q.clone()),
        limit,
        ..Default::default()
    }
    .filter(true)?;
    let events = caller.reader(&state).event_page(&filter).await?;
    let reports = ReportQuery {
        q: Some(q.q.clone()),
        limit,
        ..Default::default()
    }
    .filter()?;
    let reports = page(&state, &caller, &reports).await?;
    Ok(axum::Json(SearchResults {
        events: EventPage {
            total: events.total,
            limit: filter.limit.unwrap_or(0),
            offset: 0,
            items: events.items,
        },
        reports,
    }))
}
