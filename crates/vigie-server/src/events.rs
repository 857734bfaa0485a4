//! Reading events over HTTP: lists with totals, one by id or by source id, history,
//! statistics and exports. Every read goes through the caller's `vigie_app::reads::Reader`
//! (the store's gate, and the audit of restricted reads).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vigie_app::filters;
use vigie_core::{Audience, Event, Source};
use vigie_store::{ActorRow, EventFilter, EventVersion, StatRow, StatsBy};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{record_id, Query};
use crate::AppState;

/// Filters shared by event lists, statistics, map data and exports.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// ISO 3166 alpha-3 country code, e.g. MLI.
    pub country: Option<String>,
    /// Admin-1 name, whole or first word(s), case-insensitive.
    #[param(max_length = 1000)]
    pub admin1: Option<String>,
    /// Events ending on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Events starting on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
    /// state-based, non-state, one-sided, protest, riot, strategic or other.
    pub category: Option<String>,
    /// A substring of either side's name.
    #[param(max_length = 1000)]
    pub actor: Option<String>,
    /// ucdp-ged, acled, gdelt, hxl or vigie.
    pub source: Option<String>,
    /// A TLP marking: TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED (the
    /// `TLP:` prefix may be left out). Narrows what the caller may see; never widens it.
    pub marking: Option<String>,
    /// Search text: description, place, admin-1, sides (at most 1,000 characters).
    #[param(max_length = 1000)]
    pub q: Option<String>,
    /// At most this many events (1–1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
    /// Skip this many events first.
    #[param(minimum = 0, maximum = 1_000_000_000_000u64)]
    pub offset: Option<u64>,
}

impl EventQuery {
    /// The store filter, checked (`vigie_app::filters`); `paged` applies limit and offset.
    pub fn filter(&self, paged: bool) -> ApiResult<EventFilter> {
        let asked = EventFilter {
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            from: filters::date("from", self.from.as_deref())?,
            to: filters::date("to", self.to.as_deref())?,
            category: filters::parsed("category", self.category.as_deref())?,
            actor: self.actor.clone(),
            source: filters::parsed("source", self.source.as_deref())?,
            marking: filters::parsed("marking", self.marking.as_deref())?,
            text: self.q.clone(),
            limit: None,
            offset: None,
        };
        Ok(if paged {
            filters::event_page(asked, self.limit, self.offset)?
        } else {
            filters::events(asked)?
        })
    }
}

/// A page of events and the total the filter matches (for the caller).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventPage {
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
    pub items: Vec<Event>,
}

/// One event and its audience.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventDetail {
    pub event: Event,
    pub audience: Audience,
}

#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventQuery),
    responses((status = 200, description = "A page of the events the caller may see", body = EventPage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<EventQuery>,
) -> ApiResult<axum::Json<EventPage>> {
    let filter = q.filter(true)?;
    let page = caller.reader(&state).event_page(&filter).await?;
    Ok(axum::Json(EventPage {
        total: page.total,
        limit: filter.limit.unwrap_or(0),
        offset: filter.offset.unwrap_or(0),
        items: page.items,
    }))
}

fn detail(found: Option<(Event, Audience)>) -> ApiResult<axum::Json<EventDetail>> {
    let (event, audience) = found.ok_or_else(ApiError::not_found)?;
    Ok(axum::Json(EventDetail { event, audience }))
}

#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events",
    params(("id" = String, Path, description = "The event's UUID")),
    responses((status = 200, body = EventDetail), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<EventDetail>> {
    let id = record_id(&id)?;
    detail(caller.reader(&state).event(id).await?)
}

#[utoipa::path(get, path = "/api/v1/events/by-source/{source}/{source_id}", tag = "events",
    params(("source" = String, Path, description = "ucdp-ged, acled, gdelt, hxl or vigie"),
           ("source_id" = String, Path, description = "The source's own id")),
    responses((status = 200, body = EventDetail), (status = 404, body = ErrorBody)))]
pub async fn by_source(
    State(state): State<AppState>,
    caller: Caller,
    Path((source, source_id)): Path<(String, String)>,
) -> ApiResult<axum::Json<EventDetail>> {
    // An unknown source names no record: the same answer as a missing one.
    let Ok(source) = source.parse::<Source>() else {
        return Err(ApiError::not_found());
    };
    detail(
        caller
            .reader(&state)
            .event_by_source(source, &source_id)
            .await?,
    )
}

#[utoipa::path(get, path = "/api/v1/events/{id}/history", tag = "events",
    params(("id" = String, Path, description = "The event's UUID")),
    responses((status = 200, body = Vec<EventVersion>), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<EventVersion>>> {
    let id = record_id(&id)?;
    let Some((_, _, history)) = caller.reader(&state).event_with_history(id).await? else {
        return Err(ApiError::not_found());
    };
    Ok(axum::Json(history))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// country-month, admin1-month, category-month, or admin1 (the whole period)
    #[param(pattern = "^(country-month|admin1-month|category-month|admin1)$")]
    pub by: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Stats {
    pub rows: Vec<StatRow>,
}

#[utoipa::path(get, path = "/api/v1/stats", tag = "events", params(StatsQuery, EventQuery),
    responses((status = 200, description = "Events and fatalities per group, of the events the caller may see", body = Stats)))]
pub async fn stats(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<StatsQuery>,
    Query(filter): Query<EventQuery>,
) -> ApiResult<axum::Json<Stats>> {
    let by = match q.by.as_str() {
        "country-month" => StatsBy::CountryMonth,
        "admin1-month" => StatsBy::Admin1Month,
        "category-month" => StatsBy::CategoryMonth,
        "admin1" => StatsBy::Admin1,
        other => {
            return Err(ApiError::invalid(
                "by",
                format!(
                    "by={other:?}: expected country-month, admin1-month, category-month or admin1"
                ),
            ))
        }
    };
    let filter = filter.filter(false)?;
    let rows = caller.reader(&state).stats(by, &filter).await?;
    Ok(axum::Json(Stats { rows }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActorsQuery {
    /// At most this many actors (1–100, default 10).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Actors {
    pub rows: Vec<ActorRow>,
}

#[utoipa::path(get, path = "/api/v1/stats/actors", tag = "events", params(ActorsQuery, EventQuery),
    responses((status = 200, description = "The actors (either side) of the most events the caller may see, most first", body = Actors)))]
pub async fn actors(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ActorsQuery>,
    Query(filter): Query<EventQuery>,
) -> ApiResult<axum::Json<Actors>> {
    let limit = filters::count("limit", q.limit, 10, 100)?;
    let filter = filter.filter(false)?;
    let rows = caller.reader(&state).top_actors(&filter, limit).await?;
    Ok(axum::Json(Actors { rows }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv, json or geojson
    #[param(pattern = "^(csv|json|geojson)$")]
    pub format: String,
}

#[utoipa::path(get, path = "/api/v1/events/export", tag = "events", params(ExportQuery, EventQuery),
    responses((status = 200, description = "Every event the caller may see that matches, as a file",
        content(("text/csv"), ("application/json"), ("application/geo+json")))))]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ExportQuery>,
    Query(filter): Query<EventQuery>,
) -> ApiResult<Response> {
    use vigie_app::output::{EventWriter, OutputFormat};
    let (format, mime, ext) = match q.format.as_str() {
        "csv" => (OutputFormat::Csv, "text/csv; charset=utf-8", "csv"),
        "json" => (OutputFormat::Json, "application/json", "json"),
        "geojson" => (OutputFormat::Geojson, "application/geo+json", "geojson"),
        other => {
            return Err(ApiError::invalid(
                "format",
                format!("format={other:?}: expected csv, json or geojson"),
            ))
        }
    };
    let filter = filter.filter(false)?;
    let buf = vigie_app::output::SharedBuf::default();
    let writer = EventWriter::new(format, buf.clone()).map_err(|_| ApiError::internal())?;
    // Streamed: the store's rows become chunks of the response as they come, so memory
    // stays flat whatever the size of the export. The export is audited before its first
    // byte leaves (or it fails here); its end, however it ends, by the task.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(stream_export(
        state,
        caller,
        filter,
        (writer, buf),
        ext,
        (started_tx, tx),
    ));
    started_rx.await.map_err(|_| ApiError::internal())??;
    // Fused: the HTTP layers may poll a body again after its end.
    let body = Body::from_stream(
        futures::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|chunk| (chunk, rx))
        })
        .fuse(),
    );
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"events.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Where a streamed export says whether it could begin (its audit entry written).
type Started = tokio::sync::oneshot::Sender<Result<(), vigie_store::StoreError>>;
/// Where a streamed export sends its chunks.
type Chunks = tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

/// Bytes sent per chunk of a streamed export.
const EXPORT_CHUNK: usize = 64 * 1024;

async fn stream_export(
    state: AppState,
    caller: Caller,
    filter: EventFilter,
    (mut writer, buf): (
        vigie_app::output::EventWriter<vigie_app::output::SharedBuf>,
        vigie_app::output::SharedBuf,
    ),
    ext: &'static str,
    (started, tx): (Started, Chunks),
) {
    let reader = caller.reader(&state);
    let mut export = match reader.export(&filter, ext).await {
        Ok(export) => export,
        Err(e) => {
            let _ = started.send(Err(e));
            return;
        }
    };
    let _ = started.send(Ok(()));
    let mut complete = false;
    loop {
        let e = match export.next().await {
            Some(Ok(e)) => e,
            None => {
                complete = true;
                break;
            }
            Some(Err(err)) => {
                let _ = tx.send(Err(std::io::Error::other(err.to_string()))).await;
                break;
            }
        };
        if writer.write(&e).is_err() {
            break;
        }
        if buf.len() >= EXPORT_CHUNK && tx.send(Ok(buf.take())).await.is_err() {
            // The client went away: stop reading.
            break;
        }
    }
    if complete {
        complete = writer.finish().is_ok() && tx.send(Ok(buf.take())).await.is_ok();
    }
    drop(tx);
    if let Err(e) = export.finish(complete).await {
        tracing::error!(error = ?e, "could not audit the end of an export");
    }
}
