//! Vigie's HTTP server: the JSON API under `/api/v1` (its OpenAPI 3.1 document, generated
//! from this code, at `/api/v1/openapi.json`), accounts and sessions, and the web UI.
//!
//! A thin channel over the application layer (`vigie-app`): a handler extracts its input,
//! calls a use case as its [`auth::Caller`] (reading through [`auth::Caller::reader`],
//! changing through [`auth::Caller::author`]), and maps the answer or the error. Handlers
//! never see a viewer, so none can read around the gate or its audit, and hold no rule.

pub mod account;
pub mod admin;
pub mod alerts;
pub mod audit;
pub mod auth;
pub mod coord;
pub mod error;
pub mod events;
pub mod extract;
pub mod forecasts;
pub mod map;
pub mod map_layers;
pub mod openapi;
pub mod reports;
pub mod search;
pub mod tasks;
pub mod ui;
pub mod write;

use std::sync::Arc;

use axum::routing::{get, post, put};
use axum::Router;
use tokio::net::TcpListener;
use vigie_store::Store;

/// How the server behaves.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies `Secure` (set when serving behind TLS). Requests arriving with
    /// `X-Forwarded-Proto: https` get `Secure` cookies anyway.
    pub secure_cookies: bool,
    /// Where alert rules' webhooks may point (empty: nowhere).
    pub webhook_allow: vigie_app::webhook::AllowList,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Config,
    pub throttle: Arc<auth::Throttle>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config) -> AppState {
        AppState {
            store,
            config,
            throttle: Arc::new(auth::Throttle::default()),
        }
    }
}

/// The whole application: API and UI.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/auth/login", post(account::login))
        .route("/auth/logout", post(account::logout))
        .route("/me", get(account::me))
        .route("/me/locale", put(account::set_locale))
        .route("/me/password", post(account::change_password))
        .route(
            "/tokens",
            get(account::list_tokens).post(account::create_token),
        )
        .route("/tokens/{id}", axum::routing::delete(account::revoke_token))
        .route("/events", get(events::list).post(write::create_event))
        .route("/events/export", get(events::export))
        .route(
            "/events/by-source/{source}/{source_id}",
            get(events::by_source),
        )
        .route("/events/{id}", get(events::get_one))
        .route("/events/{id}/history", get(events::history))
        .route("/events/{id}/audience", put(write::set_event_audience))
        .route("/stats", get(events::stats))
        .route("/stats/actors", get(events::actors))
        .route("/map/events", get(map::events))
        .route("/map/cells", get(map::cells))
        .route("/map/points", get(map_layers::points))
        .route("/map/clusters", get(map_layers::clusters))
        .route("/search", get(search::search))
        .route("/reports", get(reports::list).post(write::create_report))
        .route(
            "/reports/{id}",
            get(reports::get_one).patch(write::update_report),
        )
        .route("/reports/{id}/audience", put(write::set_report_audience))
        .route(
            "/reports/{id}/audience-history",
            get(reports::audience_history),
        )
        .route("/audience/preview", post(write::preview_audience))
        .route("/forecasts", get(forecasts::forecasts))
        .route("/forecasts/runs", get(forecasts::runs))
        .route("/forecasts/runs/{id}", get(forecasts::run))
        .route("/alerts", get(alerts::list))
        .route(
            "/coverage",
            get(alerts::coverage).post(alerts::state_coverage),
        )
        .route("/alerts/{id}/ack", post(alerts::acknowledge))
        .route("/alert-rules", get(alerts::rules).post(alerts::create))
        .route(
            "/alert-rules/{id}",
            get(alerts::rule).delete(alerts::delete),
        )
        .route("/tasks", get(tasks::list).post(tasks::create))
        .route("/tasks/{id}", get(tasks::get_one))
        .route("/tasks/{id}/transition", post(tasks::transition))
        .route("/tasks/{id}/audience", put(tasks::set_audience))
        .route("/coord/profiles", get(coord::profiles))
        .route("/coord/profiles/{org}", put(coord::set_profile))
        .route("/coord/chain", get(coord::chain))
        .route("/coord/allocate", post(coord::allocate))
        .route("/coord/3w", get(coord::three_w_matrix))
        .route("/orgs", get(admin::list_orgs).post(admin::create_org))
        .route("/users", get(admin::list_users).post(admin::create_user))
        .route("/users/{id}", axum::routing::patch(admin::update_user))
        .route(
            "/communities",
            get(admin::list_communities).post(admin::create_community),
        )
        .route(
            "/communities/{id}/members",
            get(admin::list_members).post(admin::add_member),
        )
        .route(
            "/communities/{id}/members/{org}/end",
            post(admin::end_member),
        )
        .route(
            "/sharing-groups",
            get(admin::list_groups).post(admin::create_group),
        )
        .route(
            "/sharing-groups/{id}/members",
            put(admin::set_group_members),
        )
        .route("/audit", get(audit::list))
        .route("/audit/verify", get(audit::verify))
        .fallback(|| async { error::ApiError::not_found() })
        .layer(axum::middleware::map_response(no_store))
        .layer(tower_http::compression::CompressionLayer::new());
    Router::new()
        .nest("/api/v1", api)
        .merge(ui::router())
        .with_state(state)
}

/// No API response may be kept by a shared cache: what one caller may see, another may not.
/// Every answer is `no-store` but the few that say otherwise themselves, which are `private`
/// (the map's points, revalidated by ETag).
async fn no_store(mut response: axum::response::Response) -> axum::response::Response {
    let h = response.headers_mut();
    let private = h
        .get(axum::http::header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|d| d.trim() == "private"));
    if !private {
        h.insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    response
}

/// Serves on a bound listener until the process ends (tests bind port 0).
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
