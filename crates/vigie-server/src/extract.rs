//! Request extractors whose rejections answer in the API's one error format.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Why a text holding U+0000 is refused: PostgreSQL's text cannot hold it, so the two stores
/// would answer differently (SQLite would keep it), and no report needs it.
const NUL: &str = "contains the NUL character (U+0000), which no text may hold";

/// `axum::Json`, with errors as [`ApiError`] (`invalid_request`, with serde's reason); a
/// string holding U+0000 anywhere in the body is refused, naming where (`title`,
/// `regions[0]`, `rule.name`).
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        // The body is read once here (under axum's default 2 MB limit, which the router does
        // not change), checked, and handed to `axum::Json` with the request's parts.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::Bytes::from_request(Request::new(body), state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        if let Some(field) = nul_in_json(&bytes) {
            return Err(ApiError::invalid(&field, NUL));
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(e) => Err(ApiError::bad_request(e.body_text())),
        }
    }
}

/// The longest value a query parameter may hold, in characters (documented as `maxLength`
/// on the text parameters). Search text and filters become SQL `LIKE` patterns, which
/// SQLite caps at 50,000 bytes; no filter needs more than this, and both stores answer
/// alike: a 400 naming the parameter.
pub const MAX_QUERY_VALUE: usize = 1000;

/// `axum::extract::Query`, with errors as [`ApiError`]: a value holding U+0000, or longer
/// than [`MAX_QUERY_VALUE`] characters, is refused naming its parameter.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if let Some(field) = parts.uri.query().and_then(nul_in_query) {
            return Err(ApiError::invalid(&field, NUL));
        }
        if let Some((field, n)) = parts.uri.query().and_then(too_long_in_query) {
            return Err(ApiError::invalid(
                &field,
                format!("{field} is {n} characters long; a query parameter holds at most {MAX_QUERY_VALUE}"),
            ));
        }
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(ApiError::bad_request(e.body_text())),
        }
    }
}

/// Where a JSON body holds U+0000 (it can only as the escape `\u0000`), as a field path;
/// `None` when nowhere (or when the body is not JSON: the JSON extractor says why).
fn nul_in_json(bytes: &[u8]) -> Option<String> {
    if !bytes.windows(6).any(|w| w == b"\\u0000") {
        return None;
    }
    fn walk(v: &serde_json::Value, path: &str) -> Option<String> {
        let join = |k: &str| {
            if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            }
        };
        match v {
            serde_json::Value::String(s) if s.contains('\0') => Some(path.to_string()),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, x)| walk(x, &format!("{path}[{i}]"))),
            serde_json::Value::Object(map) => map.iter().find_map(|(k, x)| {
                if k.contains('\0') {
                    Some(join(&k.replace('\0', "\\u0000")))
                } else {
                    walk(x, &join(k))
                }
            }),
            _ => None,
        }
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    walk(&value, "").map(|p| if p.is_empty() { "body".to_string() } else { p })
}

/// The query parameter whose value (or name) holds U+0000 (`%00`).
fn nul_in_query(query: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k.contains("%00") || v.contains("%00")).then(|| k.replace("%00", "\\u0000"))
    })
}

/// The first query parameter whose decoded value is longer than [`MAX_QUERY_VALUE`]
/// characters, and its length.
fn too_long_in_query(query: &str) -> Option<(String, usize)> {
    if query.len() <= MAX_QUERY_VALUE {
        return None;
    }
    form_urlencoded::parse(query.as_bytes()).find_map(|(k, v)| {
        let n = v.chars().count();
        (n > MAX_QUERY_VALUE).then(|| (k.into_owned(), n))
    })
}

/// Parses a record id from the path. Anything that is not a UUID is, to the caller, a
/// record that does not exist.
pub fn record_id(raw: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(raw).map_err(|_| ApiError::not_found())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_found_where_they_are() {
        assert_eq!(nul_in_json(br#"{"title": "ok"}"#), None);
        // An escaped backslash followed by "u0000" is text, not NUL.
        assert_eq!(nul_in_json(br#"{"title": "a\\u0000"}"#), None);
        assert_eq!(
            nul_in_json(br#"{"title": "a\u0000b"}"#).as_deref(),
            Some("title")
        );
        assert_eq!(
            nul_in_json(br#"{"regions": ["x", "y\u0000"]}"#).as_deref(),
            Some("regions[1]")
        );
        assert_eq!(
            nul_in_json(br#"{"rule": {"name": "\u0000"}}"#).as_deref(),
            Some("rule.name")
        );
        assert_eq!(nul_in_json(br#""\u0000""#).as_deref(), Some("body"));
        // Not JSON: left to the JSON extractor's own error.
        assert_eq!(nul_in_json(br#"{"title": "\u0000"#), None);
        assert_eq!(nul_in_query("q=a%00b&limit=1").as_deref(), Some("q"));
        assert_eq!(nul_in_query("q=a&limit=1"), None);
    }

    #[test]
    fn overlong_query_values_are_found_by_their_decoded_length() {
        let at_limit = format!("q={}&limit=1", "é".repeat(MAX_QUERY_VALUE));
        assert_eq!(too_long_in_query(&at_limit), None);
        let encoded = format!("limit=1&q={}", "%C3%A9".repeat(MAX_QUERY_VALUE + 1));
        assert_eq!(
            too_long_in_query(&encoded),
            Some(("q".to_string(), MAX_QUERY_VALUE + 1))
        );
    }
}
