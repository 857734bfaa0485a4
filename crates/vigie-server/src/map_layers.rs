//! The UI's map layers: compact event points (for client-side clustering when few enough
//! events match) and, for any number of events, server-side aggregation per PRIO-GRID cell
//! and violence category. Both read through the store's gate only; nothing is filtered here.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use vigie_store::EventPoint;

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::events::EventQuery;
use crate::extract::Query;
use crate::AppState;

/// The most points one request returns.
pub const MAX_POINTS: u64 = 20_000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PointsQuery {
    /// At most this many events (1–20000, default 5000), the earliest first.
    #[param(minimum = 1, maximum = 20000)]
    pub max: Option<u64>,
}

/// Events as compact points: each is `[id, longitude, latitude, category, best fatalities
/// (or null), marking, start date]`. Events without coordinates are counted in `total` but
/// have no point.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Points {
    /// How many events the caller may see that match the filters.
    pub total: u64,
    /// Whether `max` points were returned and more events match, so that some located
    /// events may be missing.
    pub truncated: bool,
    #[schema(value_type = Vec<Vec<serde_json::Value>>)]
    pub points: Vec<serde_json::Value>,
}

fn point(p: &EventPoint) -> serde_json::Value {
    serde_json::json!([
        p.id,
        p.longitude,
        p.latitude,
        p.category,
        p.fatalities,
        p.marking,
        p.date
    ])
}

#[utoipa::path(get, path = "/api/v1/map/points", tag = "map", params(PointsQuery, EventQuery,
        ("If-None-Match" = Option<String>, Header, description = "The ETag of points this browser holds")),
    responses((status = 200, description = "The events the caller may see, as compact points, with an ETag", body = Points),
        (status = 304, description = "The points are those of the ETag given")))]
pub async fn points(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(p): Query<PointsQuery>,
    Query(q): Query<EventQuery>,
) -> ApiResult<Response> {
    let max = vigie_app::filters::count("max", p.max, 5000, MAX_POINTS)?;
    let mut filter = q.filter(false)?;
    let reader = caller.reader(&state);
    let total = reader.count_events(&filter).await?;
    filter.limit = Some(max);
    let points = reader.event_points(&filter).await?;
    let body = Points {
        total,
        // The page is full and events remain: some located events may be missing.
        truncated: points.len() as u64 >= max && total > max,
        points: points.iter().map(point).collect(),
    };
    Ok(revalidated(&body, &headers))
}

/// The answer with an ETag, the hash of what this caller is answered, or `304 Not Modified`
/// when the browser already holds exactly that: on a slow line the map's points cross it
/// once. The browser may keep them for this user only (`private`) and asks again each time
/// (`no-cache`); signing out clears its cache (`Clear-Site-Data`). Two callers who may see
/// different records are answered different bodies, hence different ETags.
fn revalidated<T: Serialize>(body: &T, headers: &HeaderMap) -> Response {
    let json = serde_json::to_vec(body).expect("serialising to memory");
    let hash = Sha256::digest(&json);
    let etag: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{etag}\"");
    let held = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().trim_start_matches("W/") == etag);
    let mut r = if held {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json")], json).into_response()
    };
    let h = r.headers_mut();
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("cookie, authorization"),
    );
    r
}

/// Events and fatalities in one PRIO-GRID cell, in all and per violence category.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Cluster {
    pub priogrid_gid: i64,
    /// The cell's centre.
    pub lat: f64,
    pub lon: f64,
    pub events: i64,
    pub fatalities: i64,
    /// Events per category (only categories with events).
    pub categories: BTreeMap<String, i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Clusters {
    pub events: i64,
    pub fatalities: i64,
    pub cells: Vec<Cluster>,
}

#[utoipa::path(get, path = "/api/v1/map/clusters", tag = "map", params(EventQuery),
    responses((status = 200, description = "The events the caller may see, aggregated per PRIO-GRID cell (0.5°) and category", body = Clusters)))]
pub async fn clusters(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<EventQuery>,
) -> ApiResult<axum::Json<Clusters>> {
    let filter = q.filter(false)?;
    let rows = caller.reader(&state).grid_cells(&filter, true).await?;
    let mut cells: BTreeMap<i64, Cluster> = BTreeMap::new();
    for c in rows {
        let Some((lat, lon)) = i32::try_from(c.priogrid_gid)
            .ok()
            .and_then(vigie_core::priogrid::centre)
        else {
            continue;
        };
        let cell = cells.entry(c.priogrid_gid).or_insert_with(|| Cluster {
            priogrid_gid: c.priogrid_gid,
            lat,
            lon,
            events: 0,
            fatalities: 0,
            categories: BTreeMap::new(),
        });
        cell.events += c.events;
        cell.fatalities += c.fatalities;
        *cell
            .categories
            .entry(c.category.unwrap_or_default())
            .or_default() += c.events;
    }
    let cells: Vec<Cluster> = cells.into_values().collect();
    Ok(axum::Json(Clusters {
        events: cells.iter().map(|c| c.events).sum(),
        fatalities: cells.iter().map(|c| c.fatalities).sum(),
        cells,
    }))
}
