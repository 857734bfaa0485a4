//! Stored forecasts, behind the gate: the runs a caller may see and their forecasts.

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vigie_core::{ForecastRun, Level, UnitForecast};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{record_id, Query};
use crate::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunQuery {
    /// cm (countries), a1m (admin-1 regions) or pgm (PRIO-GRID cells)
    pub level: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForecastQuery {
    /// cm (the default), a1m or pgm: the latest visible run of this level is shown
    pub level: Option<String>,
    /// A run's UUID instead of the latest.
    pub run: Option<String>,
    /// Only this unit (ISO3, `ISO3/Region` or a gid).
    pub unit: Option<String>,
}

pub(crate) fn level(value: Option<&str>) -> ApiResult<Option<Level>> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            v.parse::<Level>()
                .map_err(|e| ApiError::check(e.at("level")))
        })
        .transpose()
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RunList {
    pub items: Vec<ForecastRun>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Forecasts {
    /// The run shown; absent when the caller may see no run of this level.
    pub run: Option<ForecastRun>,
    pub items: Vec<UnitForecast>,
}

#[utoipa::path(get, path = "/api/v1/forecasts/runs", tag = "forecasts", params(RunQuery),
    responses((status = 200, description = "The forecast runs the caller may see, newest first", body = RunList),
        (status = 400, body = ErrorBody)))]
pub async fn runs(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<RunQuery>,
) -> ApiResult<axum::Json<RunList>> {
    let level = level(q.level.as_deref())?;
    let items = caller.reader(&state).forecast_runs(level).await?;
    Ok(axum::Json(RunList { items }))
}

#[utoipa::path(get, path = "/api/v1/forecasts/runs/{id}", tag = "forecasts",
    params(("id" = String, Path, description = "The run's UUID")),
    responses((status = 200, body = ForecastRun), (status = 404, body = ErrorBody)))]
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<ForecastRun>> {
    let id = record_id(&id)?;
    match caller.reader(&state).forecast_run(id).await? {
        Some(run) => Ok(axum::Json(run)),
        None => Err(ApiError::not_found()),
    }
}

#[utoipa::path(get, path = "/api/v1/forecasts", tag = "forecasts", params(ForecastQuery),
    responses((status = 200, description = "A run's forecasts, by unit then month: the latest run of the level the caller may see, or the one asked for", body = Forecasts),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn forecasts(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ForecastQuery>,
) -> ApiResult<axum::Json<Forecasts>> {
    let run = q
        .run
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(record_id)
        .transpose()?;
    // The level matters (and is checked) only when no run is named.
    let level = match run {
        Some(_) => Level::Country,
        None => level(q.level.as_deref())?.unwrap_or(Level::Country),
    };
    let units: Vec<String> = q
        .unit
        .iter()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .collect();
    let found = caller.reader(&state).forecasts(run, level, &units).await?;
    let Some((run, items)) = found else {
        // A run asked for by id that this caller may not see answers as a missing one.
        if run.is_some() {
            return Err(ApiError::not_found());
        }
        return Ok(axum::Json(Forecasts {
            run: None,
            items: Vec::new(),
        }));
    };
    Ok(axum::Json(Forecasts {
        run: Some(run),
        items,
    }))
}
