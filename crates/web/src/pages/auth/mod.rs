//! Login (with its second step, the code, for users with a second factor), logout and the
//! language switch.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_core::device::device_label;
use counterpart_core::user::Language;
use counterpart_store::{CodeAttempt, CodeOutcome, LoginAttempt, LoginOutcome, LoginSuccess};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{
    CHALLENGE_COOKIE, Ctx, DEVICE_COOKIE, SESSION_COOKIE, Viewer, cookie, encode_component,
    local_target, set_cookie,
};
use crate::error::AppError;
use crate::i18n::{self, Texts};
use crate::render::{PageResult, page, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/login/code", get(code_form).post(code))
        .route("/logout", post(logout))
        .route("/language", post(language))
        .route("/healthz", get(health))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

fn safe_next(next: &str) -> String {
    local_target(next)
        .filter(|target| !target.starts_with("/login"))
        .unwrap_or_else(|| "/".to_owned())
}

async fn login_form(ctx: Ctx, Query(query): Query<NextQuery>) -> PageResult {
    if ctx.user.is_some() {
        return Ok(see_other(&safe_next(&query.next)));
    }
    Ok(page(&LoginPage {
        t: ctx.t(),
        ctx: &ctx,
        next: safe_next(&query.next),
        username: String::new(),
        error: None,
    }))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// How long the trusted-device cookie lives.
const DEVICE_COOKIE_DAYS: i64 = 365;

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let client = ctx.client.map(|a| a.to_string());
    let attempt = LoginAttempt {
        username: &form.username,
        password: &form.password,
        client: client.as_deref(),
        device: cookie(&headers, DEVICE_COOKIE),
    };
    let t = ctx.t();
    let (status, error, retry_after) = match state.store().login(attempt).await? {
        LoginOutcome::Success(login) => {
            return logged_in(&state, &ctx, &headers, &login, &form.next).await;
        }
        LoginOutcome::SecondFactor(challenge) => {
            let next = safe_next(&form.next);
            let mut response = see_other(&format!("/login/code?next={}", encode_component(&next)));
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    CHALLENGE_COOKIE,
                    &challenge,
                    counterpart_store::CHALLENGE_LIFETIME.num_seconds(),
                    state.config.secure_cookies,
                ),
            );
            return Ok(response);
        }
        LoginOutcome::BadCredentials => (StatusCode::UNAUTHORIZED, t.login_failed.to_owned(), None),
        LoginOutcome::Throttled(wait) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!("{} {}.", t.login_throttled, i18n::wait(ctx.lang, wait)),
            Some(wait.num_seconds().max(1)),
        ),
        LoginOutcome::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            t.login_busy.to_owned(),
            Some(5),
        ),
    };
    let mut response = render(
        &LoginPage {
            t,
            ctx: &ctx,
            next: safe_next(&form.next),
            username: form.username.trim().chars().take(40).collect(),
            error: Some(error),
        },
        status,
    );
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
    }
    Ok(response)
}

/// A login proven: a new session (ending the browser's previous one), the session and
/// trusted-device cookies, the half-done login's cookie gone, on to `next`.
async fn logged_in(
    state: &AppState,
    ctx: &Ctx,
    headers: &axum::http::HeaderMap,
    login: &LoginSuccess,
    next: &str,
) -> PageResult {
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let session = state
        .store()
        .create_session(
            login,
            state.config.session_ttl,
            ctx.session_token.as_deref(),
            &device_label(agent),
        )
        .await?;
    tracing::info!(user.id = login.user.id.get(), "login");
    let secure = state.config.secure_cookies;
    let mut response = see_other(&safe_next(next));
    let cookies = response.headers_mut();
    cookies.append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &session.token,
            state.config.session_ttl.num_seconds(),
            secure,
        ),
    );
    cookies.append(
        header::SET_COOKIE,
        set_cookie(
            DEVICE_COOKIE,
            &login.device_token,
            DEVICE_COOKIE_DAYS * 24 * 60 * 60,
            secure,
        ),
    );
    if cookie(headers, CHALLENGE_COOKIE).is_some() {
        cookies.append(
            header::SET_COOKIE,
            set_cookie(CHALLENGE_COOKIE, "", 0, secure),
        );
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    next: String,
    error: Option<String>,
}

/// `GET /login/code`: the second step's form, for a browser with a half-done login.
async fn code_form(
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Query(query): Query<NextQuery>,
) -> PageResult {
    let next = safe_next(&query.next);
    if ctx.user.is_some() {
        return Ok(see_other(&next));
    }
    if cookie(&headers, CHALLENGE_COOKIE).is_none() {
        return Ok(see_other(&format!(
            "/login?next={}",
            encode_component(&next)
        )));
    }
    Ok(page(&CodePage {
        t: ctx.t(),
        ctx: &ctx,
        next,
        error: None,
    }))
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

/// `POST /login/code`: the code of the second step. A wrong code counts against the login
/// throttle; an expired or broken-off half-done login goes back to the password.
async fn code(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Form(form): Form<CodeForm>,
) -> PageResult {
    let t = ctx.t();
    let client = ctx.client.map(|a| a.to_string());
    let attempt = CodeAttempt {
        challenge: cookie(&headers, CHALLENGE_COOKIE).unwrap_or(""),
        code: &form.code,
        client: client.as_deref(),
        device: cookie(&headers, DEVICE_COOKIE),
    };
    let (status, error, retry_after) = match state.store().login_code(attempt).await? {
        CodeOutcome::Success(login) => {
            return logged_in(&state, &ctx, &headers, &login, &form.next).await;
        }
        CodeOutcome::Expired => {
            let mut response = render(
                &LoginPage {
                    t,
                    ctx: &ctx,
                    next: safe_next(&form.next),
                    username: String::new(),
                    error: Some(t.login_code_expired.to_owned()),
                },
                StatusCode::UNAUTHORIZED,
            );
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(CHALLENGE_COOKIE, "", 0, state.config.secure_cookies),
            );
            return Ok(response);
        }
        CodeOutcome::WrongCode => (
            StatusCode::UNAUTHORIZED,
            t.login_code_wrong.to_owned(),
            None,
        ),
        CodeOutcome::Throttled(wait) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!("{} {}.", t.login_throttled, i18n::wait(ctx.lang, wait)),
            Some(wait.num_seconds().max(1)),
        ),
    };
    let mut response = render(
        &CodePage {
            t,
            ctx: &ctx,
            next: safe_next(&form.next),
            error: Some(error),
        },
        status,
    );
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
    }
    Ok(response)
}

async fn logout(State(state): State<AppState>, Viewer(ctx): Viewer) -> PageResult {
    if let Some(token) = &ctx.session_token {
        state.store().delete_session(token).await?;
    }
    let mut response = see_other("/login");
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Switches the language: remembered on the user when logged in, in a cookie otherwise.
async fn language(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LanguageForm>,
) -> PageResult {
    let lang: Language = form.lang.parse().map_err(|_| AppError::BadRequest)?;
    let back = local_target(&form.back).unwrap_or_else(|| "/".to_owned());
    let mut response = see_other(&back);
    match &ctx.user {
        Some(_) => state.app.set_language(&ctx.principal(), lang).await?,
        None => {
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    "cp_lang",
                    lang.as_str(),
                    60 * 60 * 24 * 365,
                    state.config.secure_cookies,
                ),
            );
        }
    }
    Ok(response)
}

/// For load balancers: 200 when the database answers.
async fn health(State(state): State<AppState>) -> Response {
    match state.store().is_empty().await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error.detail = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
