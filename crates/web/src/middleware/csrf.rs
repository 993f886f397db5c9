//! CSRF protection for every state-changing request: the token from the `X-CSRF-Token`
//! header (htmx), the `_csrf` form field, or the first part of a file upload, compared in
//! constant time; form fields over the length limit are refused on the way.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use super::{csrf_failure, error_response};
use crate::BODY_LIMIT;
use crate::error::ErrorPage;

/// The longest value of one form field. The longest real ones (notes, an import's column
/// mapping) stay far below; anything longer is refused before a handler sees it.
const FIELD_LIMIT: usize = 32 * 1024;
/// Form field and header that carry the CSRF token.
const CSRF_FIELD: &str = "_csrf";
const CSRF_HEADER: &str = "x-csrf-token";

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(super) fn is_token(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks the CSRF token of a state-changing request: from the `X-CSRF-Token` header (htmx),
/// the `_csrf` field of a form body, or the first part of a file upload's body. Refuses form
/// fields longer than [`FIELD_LIMIT`]. Returns the request with its body restored.
pub(super) async fn check_csrf(request: Request, expected: &str) -> Result<Request, Response> {
    let headers = request.headers();
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return Err(csrf_failure());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let header_token = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if content_type.starts_with("multipart/form-data") {
        return check_upload(request, &content_type, expected).await;
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form && header_token.is_none() {
        return Err(csrf_failure());
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response()),
    };
    let fields: Vec<(String, String)> = if is_form {
        serde_urlencoded::from_bytes(&bytes).unwrap_or_default()
    } else {
        Vec::new()
    };
    if fields.iter().any(|(_, v)| v.len() > FIELD_LIMIT) {
        return Err(error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorPage::FieldTooLong,
        ));
    }
    let sent = header_token.as_deref().or_else(|| {
        fields
            .iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.as_str())
    });
    if sent.is_some_and(|t| same_token(t, expected)) {
        Ok(Request::from_parts(parts, Body::from(bytes)))
    } else {
        Err(csrf_failure())
    }
}

/// The most of an upload's body read to find its CSRF token: the token is the form's first
/// field, so it arrives in the first few hundred bytes.
const UPLOAD_TOKEN_WINDOW: usize = 8 * 1024;

/// Checks the CSRF token of a file upload, which must be the first part of the multipart body
/// (`<input type="hidden" name="_csrf">` first in the form). Only the start of the body is read
/// here; the handler streams the rest, which is put back behind what was read.
async fn check_upload(
    request: Request,
    content_type: &str,
    expected: &str,
) -> Result<Request, Response> {
    let Some(boundary) = multipart_boundary(content_type) else {
        return Err(csrf_failure());
    };
    let (parts, body) = request.into_parts();
    let mut stream = body.into_data_stream();
    let mut head = Vec::new();
    let token = loop {
        if let Some(token) = first_part_token(&head, &boundary) {
            break Some(token);
        }
        if head.len() >= UPLOAD_TOKEN_WINDOW {
            break None;
        }
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(StatusCode::BAD_REQUEST.into_response()),
            None => break first_part_token(&head, &boundary),
        }
    };
    if !token.is_some_and(|t| same_token(&t, expected)) {
        return Err(csrf_failure());
    }
    let rest = futures_util::stream::once(async move { Ok::<_, axum::Error>(Bytes::from(head)) })
        .chain(stream);
    Ok(Request::from_parts(parts, Body::from_stream(rest)))
}

/// The boundary parameter of a `multipart/form-data` content type.
fn multipart_boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        key.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"').to_owned())
            .filter(|b| !b.is_empty() && b.len() <= 200)
    })
}

/// The value of the first part of a multipart body if that part is the `_csrf` field and has
/// arrived whole.
fn first_part_token(body: &[u8], boundary: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let text = std::str::from_utf8(body).ok().or_else(|| {
        // The cut may fall inside a multi-byte character of a later part.
        let valid = std::str::from_utf8(body).err()?.valid_up_to();
        std::str::from_utf8(&body[..valid]).ok()
    })?;
    let rest = text.strip_prefix(&delimiter)?.strip_prefix("\r\n")?;
    let (part_headers, rest) = rest.split_once("\r\n\r\n")?;
    let named_csrf = part_headers.lines().any(|line| {
        let line = line.to_ascii_lowercase();
        line.starts_with("content-disposition:") && line.contains(&format!("name=\"{CSRF_FIELD}\""))
    });
    let end = rest.find(&format!("\r\n{delimiter}"))?;
    named_csrf.then(|| rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_exactly() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
    }
}
