//! Login, logout and the language switch.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_core::user::Language;
use counterpart_store::LoginOutcome;
use serde::Deserialize;

use super::{PageResult, page, render, see_other};
use crate::AppState;
use crate::context::{Ctx, SESSION_COOKIE, Viewer, is_local_path, set_cookie};
use crate::error::AppError;
use crate::i18n::Texts;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
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
    error: Option<&'static str>,
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

fn safe_next(next: &str) -> String {
    if is_local_path(next) && !next.starts_with("/login") {
        next.to_owned()
    } else {
        "/".to_owned()
    }
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

async fn login(State(state): State<AppState>, ctx: Ctx, Form(form): Form<LoginForm>) -> PageResult {
    let outcome = state.store.login(&form.username, &form.password).await?;
    let (status, error) = match outcome {
        LoginOutcome::Success(user) => {
            let session = state
                .store
                .create_session(user.id, state.config.session_ttl)
                .await?;
            tracing::info!(user.id = user.id.get(), "login");
            let cookie = set_cookie(
                SESSION_COOKIE,
                &session.token,
                state.config.session_ttl.num_seconds(),
                state.config.secure_cookies,
            );
            let mut response = see_other(&safe_next(&form.next));
            response.headers_mut().append(header::SET_COOKIE, cookie);
            return Ok(response);
        }
        LoginOutcome::BadCredentials => (StatusCode::UNAUTHORIZED, ctx.t().login_failed),
        LoginOutcome::Throttled => (StatusCode::TOO_MANY_REQUESTS, ctx.t().login_throttled),
    };
    Ok(render(
        &LoginPage {
            t: ctx.t(),
            ctx: &ctx,
            next: safe_next(&form.next),
            username: form.username.trim().to_owned(),
            error: Some(error),
        },
        status,
    ))
}

async fn logout(State(state): State<AppState>, Viewer(ctx): Viewer) -> PageResult {
    if let Some(token) = &ctx.session_token {
        state.store.delete_session(token).await?;
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
    let back = if is_local_path(&form.back) {
        form.back.as_str()
    } else {
        "/"
    };
    let mut response = see_other(back);
    match &ctx.user {
        Some(user) => state.store.set_user_language(user.id, lang).await?,
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
    match state.store.is_empty().await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error.detail = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
