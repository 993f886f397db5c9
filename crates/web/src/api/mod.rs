//! The JSON API under `/api/v1` (issue 15): authenticated by a personal API token alone
//! (`Authorization: Bearer …`; cookies are not read here, so CSRF does not apply), each token
//! held to a request rate, every error as Problem Details (RFC 9457). It calls the same use
//! cases as the pages with the token's user as the principal, so visibility and audit are the
//! same. This first part answers who a token speaks for; the resources follow (see the issue's
//! note).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use counterpart_app::Principal;
use counterpart_core::user::TokenScope;
use counterpart_store::AccessToken;
use serde::Serialize;

use crate::AppState;
use crate::error::AppError;

/// How many requests one token may make per [`WINDOW`].
pub(crate) const RATE: u32 = 600;
/// The window [`RATE`] counts in.
const WINDOW: Duration = Duration::from_secs(60);

/// The API's routes, nested under `/api/v1`.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .fallback(not_found)
        .layer(axum::middleware::map_response(api_headers))
}

/// What every API answer carries: never sniffed as another type, never cached (it speaks for
/// one token's user).
async fn api_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// An error as Problem Details (RFC 9457): `type`, `title`, `status`, `detail`.
#[derive(Debug)]
pub(crate) struct Problem {
    status: StatusCode,
    detail: String,
    /// Seconds to wait, for 429.
    retry_after: Option<u64>,
}

#[derive(Serialize)]
struct ProblemBody<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: &'a str,
}

impl Problem {
    fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            retry_after: None,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = ProblemBody {
            kind: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: &self.detail,
        };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<counterpart_app::Error> for Problem {
    fn from(error: counterpart_app::Error) -> Self {
        AppError::from(error).into()
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound => Self::new(StatusCode::NOT_FOUND, "No such resource."),
            AppError::Unauthenticated => {
                Self::new(StatusCode::UNAUTHORIZED, "A valid API token is needed.")
            }
            AppError::Forbidden => Self::new(
                StatusCode::FORBIDDEN,
                "The token's user or scope does not allow this.",
            ),
            AppError::BadRequest => Self::new(StatusCode::BAD_REQUEST, "The request is malformed."),
            AppError::PayloadTooLarge => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The request body is too large.",
            ),
            AppError::Refused(_) => Self::new(StatusCode::CONFLICT, "The change was refused."),
            AppError::Internal(source) => {
                tracing::error!(error.detail = %source, "api request failed");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.")
            }
        }
    }
}

async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "No such resource.")
}

/// Requests counted per token in the current window, on this instance (several instances
/// each allow [`RATE`]: the limit is a brake on a runaway script, not a quota).
#[derive(Debug, Default)]
pub(crate) struct RateLimits {
    windows: Mutex<HashMap<i64, (Instant, u32)>>,
}

impl RateLimits {
    /// Counts a request of `token`; the seconds to wait when it is over the rate.
    fn count(&self, token: i64) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        // Forget windows long past, so the map stays as small as the tokens in use.
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, used) = windows.entry(token).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *used = 0;
        }
        if *used >= RATE {
            let left = WINDOW.saturating_sub(now.duration_since(*start));
            return Err(left.as_secs().max(1));
        }
        *used += 1;
        Ok(())
    }
}

/// Who an API request speaks for: the user of a valid bearer token, and the token.
pub(crate) struct Bearer {
    pub(crate) principal: Principal,
    pub(crate) token: AccessToken,
}

impl Bearer {
    /// Refuses unless the token may change data (and its user's role allows it, which the
    /// use case checks again).
    #[expect(dead_code, reason = "the first writing resource of the API uses it")]
    pub(crate) fn may_write(&self) -> Result<(), Problem> {
        if self.token.scope == TokenScope::Write {
            Ok(())
        } else {
            Err(Problem::new(
                StatusCode::FORBIDDEN,
                "This token may only read; create a read-write token to change data.",
            ))
        }
    }
}

impl FromRequestParts<AppState> for Bearer {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let unauthenticated = || {
            Problem::new(
                StatusCode::UNAUTHORIZED,
                "A valid API token is needed: send it as `Authorization: Bearer <token>`.",
            )
        };
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| {
                !t.is_empty() && t.len() <= 128 && t.bytes().all(|b| b.is_ascii_alphanumeric())
            })
            .ok_or_else(unauthenticated)?;
        let (principal, token) = state
            .app
            .bearer(secret)
            .await?
            .ok_or_else(unauthenticated)?;
        state.rate_limits.count(token.id).map_err(|wait| Problem {
            retry_after: Some(wait),
            ..Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("More than {RATE} requests a minute with this token; wait {wait} s."),
            )
        })?;
        Ok(Self { principal, token })
    }
}

/// Who the token speaks for.
#[derive(Serialize)]
struct Me {
    user_id: Option<i64>,
    name: String,
    role: &'static str,
    person_id: Option<i64>,
    token: TokenInfo,
}

#[derive(Serialize)]
struct TokenInfo {
    id: i64,
    label: String,
    scope: &'static str,
    expires_at: Option<String>,
}

/// `GET /api/v1/me`: the user and token a request speaks for — the first call of an
/// integration, to check its token.
async fn me(State(_): State<AppState>, bearer: Bearer) -> Json<Me> {
    let Bearer { principal, token } = bearer;
    Json(Me {
        user_id: principal.user.map(|u| u.get()),
        name: principal.name,
        role: principal.role.as_str(),
        person_id: principal.person.map(|p| p.get()),
        token: TokenInfo {
            id: token.id,
            label: token.label,
            scope: token.scope.as_str(),
            expires_at: token.expires_at.map(|at| at.to_rfc3339()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_held_to_its_rate_and_others_are_not() {
        let limits = RateLimits::default();
        for _ in 0..RATE {
            assert_eq!(limits.count(1), Ok(()));
        }
        let wait = limits.count(1).expect_err("over the rate");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(limits.count(2), Ok(()), "another token counts on its own");
    }
}
