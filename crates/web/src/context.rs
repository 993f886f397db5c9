//! What every request passes through: the session and the user behind it, the language, CSRF
//! protection for every state-changing request, security headers, and error pages.

use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use counterpart_core::user::{Language, User};
use counterpart_store::{Actor, LoginNotice, random_token};
use futures_util::StreamExt;

use crate::error::{AppError, ErrorPage};
use crate::i18n::{self, Texts};
use crate::pages::{ErrorTemplate, render};
use crate::{AppState, BODY_LIMIT};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "cp_session";
/// Cookie holding the CSRF token of a visitor who is not logged in (login form).
const ANON_CSRF_COOKIE: &str = "cp_csrf";
/// Cookie holding the language of a visitor who is not logged in.
const LANG_COOKIE: &str = "cp_lang";
/// Cookie marking a browser the user has logged in from before (see login throttling).
pub(crate) const DEVICE_COOKIE: &str = "cp_device";
/// The longest value of one form field. The longest real ones (notes, an import's column
/// mapping) stay far below; anything longer is refused before a handler sees it.
pub(crate) const FIELD_LIMIT: usize = 32 * 1024;
/// Form field and header that carry the CSRF token.
pub(crate) const CSRF_FIELD: &str = "_csrf";
const CSRF_HEADER: &str = "x-csrf-token";

/// The content security policy: no inline script or style, nothing from elsewhere.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The request's context: who is asking, in which language, and the CSRF token to embed.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The logged-in user, if any.
    pub user: Option<User>,
    /// The interface language.
    pub lang: Language,
    /// The CSRF token every form of this page must send back.
    pub csrf: String,
    /// Path and query of this request, to come back to after login or a language switch.
    pub path: String,
    /// The session cookie's value, for logout.
    pub(crate) session_token: Option<String>,
    /// The client's address (see [`crate::client::client_address`]).
    pub(crate) client: Option<std::net::IpAddr>,
    /// Failed attempts at the user's name before this session's login; on the first page only.
    pub login_notice: Option<LoginNotice>,
}

impl Ctx {
    /// The texts in the request's language.
    pub fn t(&self) -> &'static Texts {
        i18n::texts(self.lang)
    }

    /// `de` or `en`, for the `lang` attribute.
    pub fn lang_code(&self) -> &'static str {
        self.lang.as_str()
    }

    /// The German or English variant of a stored name.
    pub fn pick<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Language::De => de,
            Language::En => en,
        }
    }

    /// Whether the current path lies in a section of the navigation.
    pub fn in_section(&self, prefix: &str) -> bool {
        let path = self.path.split('?').next().unwrap_or("");
        path == prefix || path.starts_with(&format!("{prefix}/"))
    }

    /// May the user create and change data?
    pub fn can_edit(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_edit())
    }

    /// Is the user an administrator?
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_admin())
    }

    /// A date in the user's language: 27.11.2026 or 27 Nov 2026.
    pub fn date(&self, date: &NaiveDate) -> String {
        i18n::format_date(self.lang, *date)
    }

    /// A moment in the user's language, in UTC.
    pub fn datetime(&self, at: &DateTime<Utc>) -> String {
        i18n::format_datetime(self.lang, *at)
    }

    /// The sentence about failed login attempts before this session, on its first page.
    pub fn login_notice_text(&self) -> Option<String> {
        self.login_notice
            .map(|n| i18n::failed_logins(self.lang, n.failed, n.last_at))
    }

    /// Who asks, for the use cases; a visitor who is not logged in may do nothing.
    pub fn principal(&self) -> counterpart_app::Principal {
        self.user.as_ref().map_or_else(
            || counterpart_app::Principal {
                user: None,
                name: String::new(),
                role: counterpart_core::user::Role::Viewer,
                person: None,
            },
            counterpart_app::Principal::of,
        )
    }

    /// Who is acting, for the audit log.
    pub fn actor(&self) -> Actor {
        self.user.as_ref().map_or_else(Actor::system, |u| Actor {
            user_id: Some(u.id),
            name: u.display_name.clone(),
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("the context middleware is missing".into()))
    }
}

/// Declares an extractor that admits logged-in users whose role passes a check.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        pub struct $name(pub Ctx);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
                let ctx = Ctx::from_request_parts(parts, state).await?;
                let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?;
                let allowed: fn(&User) -> bool = $check;
                if allowed(user) {
                    Ok(Self(ctx))
                } else {
                    Err(AppError::Forbidden)
                }
            }
        }
    };
}

role_extractor!(
    /// Any logged-in user: may read.
    Viewer,
    |_| true
);
role_extractor!(
    /// A user who may create and change data.
    Editor,
    |u| u.role.can_edit()
);
role_extractor!(
    /// An administrator.
    Admin,
    |u| u.role.is_admin()
);

/// Reads one cookie from the request headers.
pub(crate) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path /, Secure when configured.
pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age_seconds: i64,
    secure: bool,
) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn is_token(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A `next`/`back` target as a path on this site, rebuilt from its parts, or `None` when it
/// is anything else (no open redirects).
///
/// Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so
/// `/<TAB>/other.host` or `/\\other.host` would leave the site: any control character or
/// backslash refuses the target. What is left is resolved against a placeholder origin and
/// must stay on it; the path and query are then written out percent-encoded, so that the
/// `Location` header is always valid.
pub(crate) fn local_target(target: &str) -> Option<String> {
    const ORIGIN: &str = "http://counterpart.invalid/";
    if !target.starts_with('/')
        || target.starts_with("//")
        || target.contains('\\')
        || target.chars().any(char::is_control)
    {
        return None;
    }
    let base = url::Url::parse(ORIGIN).ok()?;
    let url = base.join(target).ok()?;
    if url.origin() != base.origin() || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let mut local = url.path().to_owned();
    if let Some(query) = url.query() {
        local.push('?');
        local.push_str(query);
    }
    // The rebuilt path must still be one path, not `//host` after normalising `/./`.
    (local.starts_with('/') && !local.starts_with("//")).then_some(local)
}

/// Checks the CSRF token of a state-changing request: from the `X-CSRF-Token` header (htmx),
/// the `_csrf` field of a form body, or the first part of a file upload's body. Refuses form
/// fields longer than [`FIELD_LIMIT`]. Returns the request with its body restored.
async fn check_csrf(request: Request, expected: &str) -> Result<Request, Response> {
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

/// A response that the context middleware renders as the given error page.
fn error_response(status: StatusCode, page: ErrorPage) -> Response {
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

fn csrf_failure() -> Response {
    let mut response = StatusCode::FORBIDDEN.into_response();
    response.extensions_mut().insert(CsrfRejected);
    response
}

/// Marks a response refused for a missing or wrong CSRF token.
#[derive(Clone, Copy, Debug)]
struct CsrfRejected;

/// Marks a response whose body was rendered by a handler (e.g. a form with errors), so the
/// middleware leaves it alone even though its status is an error.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rendered;

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
    let (user, csrf, login_notice) = match session {
        Some(s) => (Some(s.user), s.csrf_token, s.login_notice),
        None => match cookie(headers, ANON_CSRF_COOKIE).filter(|t| is_token(t)) {
            Some(token) => (None, token.to_owned(), None),
            None => {
                let token = random_token();
                // Static files are cached by everyone; they must not carry a cookie.
                if !is_static {
                    new_anon_token = Some(token.clone());
                }
                (None, token, None)
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
        user,
        lang,
        csrf,
        path,
        session_token,
        client,
        login_notice,
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
    let changes = !is_safe(request.method());
    request.extensions_mut().insert(ctx.clone());
    let response = next.run(request).await;
    if changes && (response.status().is_success() || response.status().is_redirection()) {
        settle(&state).await;
    }
    finish(response, &ctx, &state, new_anon_token, is_htmx)
}

/// How long a change waits for the derived work it made stale (scores) before it answers, so
/// that the next page shows them; what takes longer goes on in the background worker.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs the jobs that are due, waiting at most [`SETTLE`]. The jobs run in a task of their
/// own: when the wait ends first, they finish there rather than being cut off mid-lease.
async fn settle(state: &AppState) {
    let store = state.store().clone();
    let jobs = tokio::spawn(async move { store.run_jobs("request").await });
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

/// Percent-encodes a URL component (RFC 3986 unreserved characters stay).
pub(crate) fn encode_component(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Logs each request by rule: method, route pattern, status and duration; never the query
/// string or body, which may hold names.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; cp_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, "cp_session"), Some("abc"));
        assert_eq!(cookie(&headers, "cp"), None);
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(
            local_target("/people/3?x=1").as_deref(),
            Some("/people/3?x=1")
        );
        assert_eq!(
            local_target("/people?q=Müller & co").as_deref(),
            Some("/people?q=M%C3%BCller%20&%20co")
        );
        assert_eq!(local_target("/a/../b/./c").as_deref(), Some("/b/c"));
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/x\0y",
            "/x\u{7f}",
            "/x\u{85}",
            "",
            "people",
            "/.//evil.example",
            "/..//evil.example",
        ] {
            assert_eq!(local_target(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
    }

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(
            encode_component("/people?q=Müller & co"),
            "%2Fpeople%3Fq%3DM%C3%BCller%20%26%20co"
        );
    }
}
