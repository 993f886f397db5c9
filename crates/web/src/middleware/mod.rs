//! What every request passes through: the session and the user behind it, the language, CSRF
//! protection for every state-changing request (`csrf.rs`), security headers, waiting for a
//! change's derived work, error pages, and the request log.

mod csrf;

use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use counterpart_core::user::Language;
use counterpart_store::random_token;
use tracing::Instrument;

use csrf::{check_csrf, is_token};

use crate::AppState;
use crate::ctx::{Ctx, SESSION_COOKIE, cookie, encode_component, set_cookie};
use crate::error::{AppError, ErrorPage};
use crate::render::{ErrorTemplate, Rendered, render};

/// Cookie holding the CSRF token of a visitor who is not logged in (login form).
const ANON_CSRF_COOKIE: &str = "cp_csrf";
/// Cookie holding the language of a visitor who is not logged in.
const LANG_COOKIE: &str = "cp_lang";

/// The content security policy: no inline script or style, nothing from elsewhere.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// A response that the context middleware renders as the given error page.
pub(super) fn error_response(status: StatusCode, page: ErrorPage) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(page);
    response
}

/// Whether the decoded query string holds a control character. No page takes one (search
/// terms, filters, redirect targets are one line), and PostgreSQL refuses NUL outright.
fn query_has_control_character(request: &Request) -> bool {
    request.uri().query().is_some_and(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .any(|(k, v)| k.chars().chain(v.chars()).any(char::is_control))
    })
}

pub(super) fn csrf_failure() -> Response {
    let mut response = StatusCode::FORBIDDEN.into_response();
    response.extensions_mut().insert(CsrfRejected);
    response
}

/// Marks a response refused for a missing or wrong CSRF token.
#[derive(Clone, Copy, Debug)]
struct CsrfRejected;

/// The context middleware. See the module documentation.
pub(crate) async fn context(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let headers = request.headers();
    let client = crate::client::client_address(peer, headers, &state.settings().trusted_proxies);
    let session_token = cookie(headers, SESSION_COOKIE)
        .filter(|t| is_token(t))
        .map(str::to_owned);
    let session = match &session_token {
        Some(token) => match state.store().session(token, state.config.session_ttl).await {
            Ok(session) => session,
            Err(e) => return AppError::from(e).into_response(),
        },
        None => None,
    };
    let mut new_anon_token = None;
    let session_token = if session.is_some() {
        session_token
    } else {
        None
    };
    let is_static = request.uri().path().starts_with("/static/");
    let (user, csrf, login_notice, second_factor) = match session {
        Some(s) => (Some(s.user), s.csrf_token, s.login_notice, s.second_factor),
        None => match cookie(headers, ANON_CSRF_COOKIE).filter(|t| is_token(t)) {
            Some(token) => (None, token.to_owned(), None, false),
            None => {
                let token = random_token();
                // Static files are cached by everyone; they must not carry a cookie.
                if !is_static {
                    new_anon_token = Some(token.clone());
                }
                (None, token, None, false)
            }
        },
    };
    let lang = user
        .as_ref()
        .and_then(|u| u.language)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(|l| l.parse().ok()))
        .unwrap_or_else(|| {
            Language::from_accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        });
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let is_htmx = headers.contains_key("hx-request");
    let ctx = Ctx {
        who: Ctx::principal_of(user.as_ref()),
        user,
        lang,
        time_zone: state.settings().time_zone,
        csrf,
        path,
        session_token,
        client,
        login_notice,
        second_factor,
    };

    if query_has_control_character(&request) {
        let response = error_response(StatusCode::BAD_REQUEST, ErrorPage::ControlCharacter);
        return finish(response, &ctx, &state, new_anon_token, is_htmx);
    }
    if !is_safe(request.method()) {
        if !crate::client::origin_allowed(request.headers(), state.settings().public_url.as_ref()) {
            return finish(csrf_failure(), &ctx, &state, new_anon_token, is_htmx);
        }
        request = match check_csrf(request, &ctx.csrf).await {
            Ok(request) => request,
            Err(response) => return finish(response, &ctx, &state, new_anon_token, is_htmx),
        };
    }
    if must_set_up_second_factor(&state, &ctx, request.uri().path()) {
        let target = "/account/second-factor";
        let response = if is_htmx {
            let mut r = StatusCode::NO_CONTENT.into_response();
            r.headers_mut()
                .insert("hx-redirect", HeaderValue::from_static(target));
            r
        } else {
            Redirect::to(target).into_response()
        };
        return finish(response, &ctx, &state, new_anon_token, is_htmx);
    }
    let changes = !is_safe(request.method());
    request.extensions_mut().insert(ctx.clone());
    let response = next.run(request).await;
    if changes && (response.status().is_success() || response.status().is_redirection()) {
        settle(&state).await;
    }
    finish(response, &ctx, &state, new_anon_token, is_htmx)
}

/// Whether an administrator without a second factor, where one is required, asks for a page
/// other than setting it up (or logging out, the language, static files): they are led there.
fn must_set_up_second_factor(state: &AppState, ctx: &Ctx, path: &str) -> bool {
    state.app.config().require_second_factor_for_admins
        && ctx.is_admin()
        && !ctx.second_factor
        && !(path.starts_with("/account/second-factor")
            || path.starts_with("/static/")
            || matches!(path, "/logout" | "/language" | "/healthz"))
}

/// How long a change waits for the derived work it made stale (scores) before it answers, so
/// that the next page shows them; what takes longer goes on in the background worker.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs the jobs that are due, waiting at most [`SETTLE`]. The jobs run in a task of their
/// own: when the wait ends first, they finish there rather than being cut off mid-lease.
async fn settle(state: &AppState) {
    let store = state.store().clone();
    // In the request's span, as the request's own work (`run_to_completion`).
    let jobs = tokio::spawn(async move { store.run_jobs("request").await }.in_current_span());
    match tokio::time::timeout(SETTLE, jobs).await {
        Ok(Ok(Err(e))) => tracing::warn!(error.detail = %e, "jobs after a change failed"),
        Ok(Err(e)) => tracing::warn!(error.detail = %e, "jobs after a change panicked"),
        Ok(Ok(Ok(_))) | Err(_) => {}
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Renders error pages, redirects to login, sets the anonymous CSRF cookie and security headers.
fn finish(
    mut response: Response,
    ctx: &Ctx,
    state: &AppState,
    new_anon_token: Option<String>,
    is_htmx: bool,
) -> Response {
    let status = response.status();
    if response.extensions().get::<ErrorPage>() == Some(&ErrorPage::Unauthenticated) {
        let target = format!("/login?next={}", encode_component(&ctx.path));
        response = if is_htmx {
            let mut r = StatusCode::NO_CONTENT.into_response();
            if let Ok(v) = HeaderValue::from_str(&target) {
                r.headers_mut().insert("hx-redirect", v);
            }
            r
        } else {
            Redirect::to(&target).into_response()
        };
    } else if (status.is_client_error() || status.is_server_error())
        && response.extensions().get::<Rendered>().is_none()
    {
        let page = response.extensions().get::<ErrorPage>().copied();
        let csrf = response.extensions().get::<CsrfRejected>().is_some();
        let mut rendered = render(&ErrorTemplate::new(ctx, status, page, csrf), status);
        // A failed render must still say something; the status line remains.
        if rendered.status() != status {
            rendered = status.into_response();
        }
        response = rendered;
    }
    if let Some(token) = new_anon_token {
        let cookie = set_cookie(
            ANON_CSRF_COOKIE,
            &token,
            60 * 60 * 24,
            state.config.secure_cookies,
        );
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    if state.config.secure_cookies {
        // Served over HTTPS (cookies marked Secure): browsers should never try plain HTTP.
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// Logs each request by rule: method, route pattern, status and duration; never the query
/// string or body, which may hold names.
/// Runs every request to its end in a task of its own, also when the client goes away: a
/// request dropped in the middle of a write transaction (a client that disconnects, a load
/// tool that stops) once left a SQLite connection holding the write lock in the pool, and
/// every later write waited and failed until a restart. A request that finishes after its
/// client left merely has nobody to answer. The task runs in the request's span, so what it
/// logs stays in the request's context (the tests count each request's logs to their test).
pub(crate) async fn run_to_completion(request: Request, next: Next) -> Response {
    match tokio::spawn(next.run(request).in_current_span()).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "a request's task failed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub(crate) async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(
            || request.uri().path().to_owned(),
            |p| p.as_str().to_owned(),
        );
    let response = next.run(request).await;
    tracing::info!(
        http.method = %method,
        http.route = %route,
        http.status = response.status().as_u16(),
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}
