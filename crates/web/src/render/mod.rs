//! Rendering, below both the middleware and the pages: a template as a response, the error
//! page, and the partials several pages share (forms, the account filters, the person picker,
//! charts, people tables, counterpart chips, mirror findings). Nothing here reads the store or
//! knows a route's handler.

pub(crate) mod charts;
pub(crate) mod contacts;
pub(crate) mod counterparts;
pub(crate) mod filters;
pub(crate) mod findings;
pub(crate) mod forms;
pub(crate) mod guiding;
pub(crate) mod insights;
pub(crate) mod people;
pub(crate) mod picker;
pub(crate) mod qr;

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::ctx::Ctx;
use crate::error::{AppError, ErrorPage};
use crate::i18n::Texts;

pub(crate) use forms::{Field, FormState};

/// Marks a response whose body was rendered by a handler (e.g. a form with errors), so the
/// middleware leaves it alone even though its status is an error.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rendered;

/// Renders a template as an HTML response with the given status. The response is marked as
/// rendered, so the error-page middleware keeps it even for 4xx statuses (forms with errors).
pub(crate) fn render(template: &impl Template, status: StatusCode) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response();
            response.extensions_mut().insert(Rendered);
            response
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// The colour class of a mirror score, for templates.
pub(crate) fn score_chip(score: &f64) -> &'static str {
    score_class(*score)
}

/// The colour class of a mirror score: good from 75, fair from 50.
pub(crate) fn score_class(score: f64) -> &'static str {
    match score {
        s if s >= 75.0 => "good",
        s if s >= 50.0 => "fair",
        _ => "poor",
    }
}

/// Whether a choice is the selected one; for templates, where loop variables are references.
pub(crate) fn selected(choice: &str, current: &str) -> bool {
    choice == current
}

/// Whether an optional number equals a number; for templates.
pub(crate) fn is_some_of(value: &Option<i64>, n: &i64) -> bool {
    *value == Some(*n)
}

/// A page, status 200.
pub(crate) fn page(template: &impl Template) -> Response {
    render(template, StatusCode::OK)
}

/// "See other": where a successful form post sends the browser (post/redirect/get).
pub(crate) fn see_other(path: &str) -> Response {
    // `Redirect::to` panics on a value that is no header; targets from outside go through
    // `local_target` first, so this fallback only guards against our own mistakes.
    match axum::http::HeaderValue::from_str(path) {
        Ok(location) => (
            axum::http::StatusCode::SEE_OTHER,
            [(axum::http::header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => Redirect::to("/").into_response(),
    }
}

/// The result type of handlers.
pub(crate) type PageResult = Result<Response, AppError>;

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorTemplate<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    status: u16,
    message: &'static str,
}

impl<'a> ErrorTemplate<'a> {
    pub(crate) fn new(
        ctx: &'a Ctx,
        status: StatusCode,
        page: Option<ErrorPage>,
        csrf: bool,
    ) -> Self {
        let t = ctx.t();
        let message = match (page, status) {
            (_, _) if csrf => t.error_csrf,
            (Some(ErrorPage::Refused(r)), _) => t.refusal(&r),
            (Some(ErrorPage::Forbidden), _) | (_, StatusCode::FORBIDDEN) => t.error_forbidden,
            (Some(ErrorPage::NotFound), _) | (_, StatusCode::NOT_FOUND) => t.error_not_found,
            (Some(ErrorPage::FieldTooLong), _) => t.error_field_too_long,
            (Some(ErrorPage::ControlCharacter), _) => t.error_control_character,
            (_, StatusCode::PAYLOAD_TOO_LARGE) => t.error_too_large,
            (_, StatusCode::METHOD_NOT_ALLOWED) => t.error_method,
            (Some(ErrorPage::Internal), _) => t.error_internal,
            (_, s) if s.is_server_error() => t.error_internal,
            _ => t.error_bad_request,
        };
        Self {
            ctx,
            t,
            status: status.as_u16(),
            message,
        }
    }
}

/// No further entries for a "more actions" menu (`active_menu.html`) before deactivation.
pub(crate) const NO_MORE: [(String, &str); 0] = [];
