//! The web UI: static files embedded in the binary (`assets/`, with `rust-embed`), served
//! gzip-compressed, under a versioned path so browsers may keep them for good. `index.html`
//! is served at `/` and at every UI route; it names the current version. The UI reads
//! records only through `/api/v1`, like any other client: it sees what the gate lets it see.

use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};

/// The UI's files, embedded at build time (also in debug builds).
#[derive(rust_embed::Embed)]
#[folder = "assets/"]
struct Assets;

/// Only 'self': no inline script or style, nothing from another origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The paths (besides `/`) at which the UI answers with its page.
pub const UI_ROUTES: &[&str] = &[
    "/login",
    "/map",
    "/events",
    "/alerts",
    "/coverage",
    "/forecasts",
    "/board",
    "/allocation",
    "/3w",
    "/admin",
    "/admin/users",
    "/admin/orgs",
    "/admin/communities",
    "/admin/groups",
    "/admin/tokens",
    "/admin/audit",
    "/reports",
    "/report-event",
];

struct File {
    raw: Vec<u8>,
    gzip: Vec<u8>,
    mime: &'static str,
}

struct Prepared {
    files: HashMap<String, File>,
    version: String,
    index: File,
}

fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "md" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("writing to memory");
    e.finish().expect("writing to memory")
}

fn file(path: &str, raw: Vec<u8>) -> File {
    File {
        gzip: gzip(&raw),
        mime: mime(path),
        raw,
    }
}

/// Reads, hashes and compresses every file once per process.
fn prepared() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| {
        let mut names: Vec<String> = Assets::iter().map(|p| p.into_owned()).collect();
        names.sort();
        let mut hasher = Sha256::new();
        let mut files = HashMap::new();
        for name in names {
            let data = Assets::get(&name).expect("listed asset").data.into_owned();
            hasher.update(name.as_bytes());
            hasher.update(Sha256::digest(&data));
            files.insert(name.clone(), file(&name, data));
        }
        let version: String = hasher
            .finalize()
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect();
        let index = files
            .get("index.html")
            .map(|f| String::from_utf8_lossy(&f.raw).replace("{{ASSETS}}", &asset_base(&version)))
            .unwrap_or_default();
        Prepared {
            index: file("index.html", index.into_bytes()),
            files,
            version,
        }
    })
}

fn asset_base(version: &str) -> String {
    format!("/assets/{version}")
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            let mut parts = e.trim().split(';');
            parts.next().is_some_and(|n| n.trim() == "gzip")
                && !parts.any(|p| p.trim().replace(' ', "") == "q=0")
        })
}

fn send(f: &File, headers: &HeaderMap, cache: &'static str) -> Response {
    let gz = accepts_gzip(headers);
    let body = if gz { f.gzip.clone() } else { f.raw.clone() };
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(f.mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if gz {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    r
}

/// The UI's page, at `/` and every UI route.
pub async fn index(headers: HeaderMap) -> Response {
    let mut r = send(&prepared().index, &headers, "no-cache");
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

/// A static file under the current version's path; any other version is not found.
pub async fn asset(Path((version, path)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let p = prepared();
    match p.files.get(&path) {
        Some(f) if version == p.version && path != "index.html" => {
            let mut r = send(f, &headers, "public, max-age=31536000, immutable");
            r.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            );
            r
        }
        _ => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// The UI's routes.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let mut r = Router::new()
        .route("/", get(index))
        .route("/assets/{version}/{*path}", get(asset))
        .route("/region/{country}/{admin1}", get(index))
        .route("/reports/{id}", get(index))
        .route("/reports/{id}/edit", get(index))
        .route(
            "/favicon.ico",
            get(|| async { StatusCode::NO_CONTENT.into_response() }),
        );
    for route in UI_ROUTES {
        r = r.route(route, get(index));
    }
    r
}
