//! Map data: events as GeoJSON points, and events per PRIO-GRID cell as GeoJSON squares.
//! Both are reads behind the gate, like every other.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_core::Event;

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::events::EventQuery;
use crate::extract::Query;
use crate::AppState;

/// A GeoJSON FeatureCollection.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FeatureCollection {
    /// Always "FeatureCollection".
    #[serde(rename = "type")]
    pub kind: String,
    pub features: Vec<Feature>,
}

/// A GeoJSON Feature.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Feature {
    /// Always "Feature".
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    /// A GeoJSON Point or Polygon.
    #[schema(value_type = Object)]
    pub geometry: serde_json::Value,
    #[schema(value_type = Object)]
    pub properties: serde_json::Value,
}

fn point(e: &Event) -> Option<Feature> {
    let (lat, lon) = (e.place.latitude?, e.place.longitude?);
    Some(Feature {
        kind: "Feature".into(),
        id: e.id.to_string(),
        geometry: serde_json::json!({"type": "Point", "coordinates": [lon, lat]}),
        properties: serde_json::json!({
            "date": e.period.start,
            "country": e.place.country,
            "admin1": e.place.admin1,
            "location": e.place.location,
            "category": e.category,
            "fatalities": e.fatalities.best,
            "source": e.source,
            "source_id": e.source_id,
            "marking": e.marking,
        }),
    })
}

#[utoipa::path(get, path = "/api/v1/map/events", tag = "map", params(EventQuery),
    responses((status = 200, description = "The events the caller may see, as points (paged like lists)", body = FeatureCollection)))]
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<EventQuery>,
) -> ApiResult<axum::Json<FeatureCollection>> {
    let filter = q.filter(true)?;
    let events = caller.reader(&state).events(&filter).await?;
    Ok(axum::Json(FeatureCollection {
        kind: "FeatureCollection".into(),
        features: events.iter().filter_map(point).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/map/cells", tag = "map", params(EventQuery),
    responses((status = 200, description = "Events and fatalities per PRIO-GRID cell (0.5°), of the events the caller may see", body = FeatureCollection)))]
pub async fn cells(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<EventQuery>,
) -> ApiResult<axum::Json<FeatureCollection>> {
    let filter = q.filter(false)?;
    let cells = caller.reader(&state).grid_cells(&filter, false).await?;
    let features = cells
        .iter()
        .filter_map(|c| {
            let (lat, lon) = vigie_core::priogrid::centre(i32::try_from(c.priogrid_gid).ok()?)?;
            let (s, n, w, e) = (lat - 0.25, lat + 0.25, lon - 0.25, lon + 0.25);
            Some(Feature {
                kind: "Feature".into(),
                id: c.priogrid_gid.to_string(),
                geometry: serde_json::json!({
                    "type": "Polygon",
                    "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
                }),
                properties: serde_json::json!({
                    "priogrid_gid": c.priogrid_gid,
                    "events": c.events,
                    "fatalities": c.fatalities,
                }),
            })
        })
        .collect();
    Ok(axum::Json(FeatureCollection {
        kind: "FeatureCollection".into(),
        features,
    }))
}
