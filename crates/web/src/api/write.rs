//! What every write of the API shares: the JSON body, read with every wrong field named
//! (422) and every malformed body told apart (400, 413, 415); the version the client read,
//! from `If-Match` (428 without it: no update may overwrite what its sender has not seen);
//! and the answers of a write — the changed resource with its new `ETag`, or 201 with its
//! `Location`.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{InvalidParam, Problem};
use crate::AppState;

/// The largest JSON body the API reads: every resource fits many times over.
pub(crate) const API_BODY_LIMIT: usize = 64 * 1024;

/// A JSON request body of type `T`. Its type must be `application/json` (415), it must be
/// JSON (400 naming line and column) of the right shape (422 naming the field: a missing
/// one, one of the wrong type, one the resource does not know).
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Problem> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the body as JSON with `Content-Type: application/json`.",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|_| {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The request body is larger than {API_BODY_LIMIT} bytes."),
            )
        })?;
        parse(&bytes).map(Self)
    }
}

/// Reads `bytes` as a `T`, naming what is wrong.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut json).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_data() {
            let name = if path == "." { "body".to_owned() } else { path };
            let reason = without_position(&inner.to_string());
            Problem::invalid(vec![InvalidParam { name, reason }])
        } else if let Ok(whole) = serde_json::from_slice::<serde_json::Value>(bytes) {
            // Valid JSON that the reader refused as if it were not: serde_json's reader
            // answers a number or a boolean where a choice's name belongs ("kind": true) with
            // a syntax error. Read from the document, the same value is named as wrong.
            let (name, reason) = match serde_path_to_error::deserialize::<_, T>(whole) {
                Err(e) => (
                    e.path().to_string(),
                    without_position(&e.into_inner().to_string()),
                ),
                Ok(_) => (path, "is not a valid value here".to_owned()),
            };
            let name = if name == "." { "body".to_owned() } else { name };
            Problem::invalid(vec![InvalidParam { name, reason }])
        } else {
            not_json(&inner)
        }
    })?;
    json.end().map_err(|e| not_json(&e))?;
    Ok(value)
}

/// 400 for a body that is not JSON, saying where it stops being JSON.
fn not_json(error: &serde_json::Error) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        format!(
            "The body is not JSON: {} at line {}, column {}.",
            match error.classify() {
                serde_json::error::Category::Eof => "it ends too early",
                _ => "unexpected text",
            },
            error.line(),
            error.column()
        ),
    )
}

/// serde's message without its " at line 1 column 20" (the field's name says where).
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// The version of a resource its sender read, from `If-Match`: the `ETag` of a versioned
/// resource is `"v<version>"`. Without it the update is refused with 428, so that nobody
/// overwrites a change they have not seen; a tag of no version of this resource is 412.
pub(crate) struct IfMatch(pub(crate) i64);

impl FromRequestParts<AppState> for IfMatch {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Problem> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Err(Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "Send `If-Match` with the `ETag` of the version you read: a change is only \
                 made to the version its sender has seen.",
            ));
        };
        let tag = value.to_str().unwrap_or("").trim();
        if tag == "*" {
            return Err(Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "`If-Match: *` would overwrite any version; send the `ETag` you read.",
            ));
        }
        tag.strip_prefix("\"v")
            .and_then(|t| t.strip_suffix('"'))
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v >= 0)
            .map(Self)
            .ok_or_else(|| {
                Problem::new(
                    StatusCode::PRECONDITION_FAILED,
                    "`If-Match` names no version of this resource; send its `ETag` \
                     unchanged (such as \"v3\").",
                )
            })
    }
}

/// The `ETag` a client read, from `If-Match`, for a resource whose tag is not a version
/// number (a record without a `version` column: the handler says what its tag stands for,
/// and the use case checks exactly that). Without it the change is refused with 428, as
/// [`IfMatch`] does; the tag is compared as sent.
pub(crate) struct IfMatchTag(pub(crate) String);

impl FromRequestParts<AppState> for IfMatchTag {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Problem> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Err(Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "Send `If-Match` with the `ETag` you read: a change is only made to the state \
                 its sender has seen.",
            ));
        };
        let tag = value.to_str().unwrap_or("").trim();
        if tag == "*" {
            return Err(Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "`If-Match: *` would overwrite any state; send the `ETag` you read.",
            ));
        }
        // A strong tag: one quoted string of visible characters, as this API hands them out.
        tag.strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .filter(|t| t.len() <= 64 && t.bytes().all(|b| b.is_ascii_graphic() && b != b'"'))
            .map(|t| Self(t.to_owned()))
            .ok_or_else(|| {
                Problem::new(
                    StatusCode::PRECONDITION_FAILED,
                    "`If-Match` names no state of this resource; send its `ETag` unchanged.",
                )
            })
    }
}

/// A resource as JSON with an opaque strong `ETag` (`"<tag>"`), or 304 while the client
/// holds it (`If-None-Match`): for records whose tag is not a version number.
pub(crate) fn tagged_as<T: Serialize>(
    request: &axum::http::HeaderMap,
    tag: &str,
    body: &T,
) -> Response {
    let tag = format!("\"{tag}\"");
    let held = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/") == tag);
    let response = if held {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        axum::Json(body).into_response()
    };
    with_tag(response, &tag)
}

/// 201 Created with an opaque strong `ETag`: for records whose tag is not a version number.
pub(crate) fn created_as<T: Serialize>(location: String, tag: &str, body: &T) -> Response {
    with_tag(created_at(&location, body), &format!("\"{tag}\""))
}

/// 201 Created without an `ETag`, `Location` naming what now holds the new record: for
/// records without a state of their own to send back (an answer set, an agenda item), read at
/// their parent's address.
pub(crate) fn created_at<T: Serialize>(location: &str, body: &T) -> Response {
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A versioned resource as JSON with its `ETag`, or 304 while the client holds that version
/// (`If-None-Match`).
pub(crate) fn versioned<T: Serialize>(
    request: &axum::http::HeaderMap,
    version: i64,
    body: &T,
) -> Response {
    tagged_as(request, &format!("v{version}"), body)
}

/// 201 Created: the new resource, its address and its `ETag`.
pub(crate) fn created<T: Serialize>(location: String, version: i64, body: &T) -> Response {
    created_as(location, &format!("v{version}"), body)
}

/// 200 with a changed resource and its new `ETag`.
pub(crate) fn changed<T: Serialize>(version: i64, body: &T) -> Response {
    changed_as(&format!("v{version}"), body)
}

/// 200 with a changed resource and its new opaque strong `ETag`: for records whose tag is not
/// a version number.
pub(crate) fn changed_as<T: Serialize>(tag: &str, body: &T) -> Response {
    with_tag(axum::Json(body).into_response(), &format!("\"{tag}\""))
}

fn with_tag(mut response: Response, tag: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, value);
    }
    // Kept by the client only, and asked again each time (cheap with `If-None-Match`).
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only read to see what is refused")]
    struct Sample {
        name: String,
        count: Option<u8>,
    }

    fn refused(body: &str) -> Problem {
        parse::<Sample>(body.as_bytes()).expect_err(body)
    }

    #[test]
    fn a_wrong_field_is_named_and_malformed_json_is_told_apart() {
        let wrong_type = refused(r#"{"name": "A", "count": "three"}"#);
        assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(wrong_type.invalid_params[0].name, "count");
        assert!(
            wrong_type.invalid_params[0].reason.contains("invalid type"),
            "{:?}",
            wrong_type.invalid_params
        );

        let unknown = refused(r#"{"name": "A", "colour": 1}"#);
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.invalid_params[0].reason.contains("colour"));

        let missing = refused(r#"{"count": 1}"#);
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.invalid_params[0].reason.contains("name"));

        let too_big = refused(r#"{"name": "A", "count": 300}"#);
        assert_eq!(too_big.invalid_params[0].name, "count");

        let broken = refused(r#"{"name": "#);
        assert_eq!(broken.status, StatusCode::BAD_REQUEST);
        assert!(broken.detail.contains("line 1"), "{}", broken.detail);

        let trailing = refused(r#"{"name": "A"} {"#);
        assert_eq!(trailing.status, StatusCode::BAD_REQUEST);

        assert!(parse::<Sample>(br#"{"name": "A"}"#).is_ok());
    }
}
