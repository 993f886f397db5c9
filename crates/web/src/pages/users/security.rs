//! One's sessions and second factor (issue 15). The sessions are listed on the page of every
//! secret (`/account/tokens`, see `tokens.rs`); here they are ended, one or all others. The
//! second factor is set up, shown and turned off at `/account/second-factor`; administrators
//! end all of a user's sessions and reset their second factor from the user's page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_app::Error;
use counterpart_app::security::Enrolment;
use counterpart_core::ids::UserId;
use counterpart_core::second_factor::TotpSecret;
use counterpart_store::{SecondFactorOff, SecondFactorStatus};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx, Viewer, encode_component};
use crate::error::AppError;
use crate::i18n::{self, Texts};
use crate::render::forms::error_lines;
use crate::render::qr::{Qr, qr};
use crate::render::{PageResult, render, see_other};

/// The name authenticator apps list the entry under.
const ISSUER: &str = "Counterpart";

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/account/sessions/revoke", post(end_one))
        .route("/account/sessions/revoke-others", post(end_others))
        .route("/account/second-factor", get(show).post(enable))
        .route("/account/second-factor/disable", post(disable))
        .route("/admin/users/{id}/sessions/revoke", post(end_all_of))
        .route("/admin/users/{id}/second-factor/reset", post(reset_of))
}

/// The session token of the asking session (every page of a session has one).
fn current(ctx: &Ctx) -> Result<&str, AppError> {
    ctx.session_token
        .as_deref()
        .ok_or(AppError::Unauthenticated)
}

#[derive(Deserialize)]
struct IdForm {
    #[serde(default)]
    id: String,
}

/// `POST /account/sessions/revoke`: ends one of one's other sessions.
async fn end_one(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Form(form): Form<IdForm>,
) -> PageResult {
    let id = form.id.trim().parse().map_err(|_| AppError::BadRequest)?;
    state
        .app
        .end_own_session(&ctx.principal(), id, current(&ctx)?)
        .await?;
    Ok(see_other("/account/tokens?ended=1#sessions-h"))
}

/// `POST /account/sessions/revoke-others`: "sign out everywhere else".
async fn end_others(State(state): State<AppState>, Viewer(ctx): Viewer) -> PageResult {
    let ended = state
        .app
        .end_other_sessions(&ctx.principal(), current(&ctx)?)
        .await?;
    Ok(see_other(&format!(
        "/account/tokens?ended={ended}#sessions-h"
    )))
}

/// The administrators' forms say `confirm=yes`: a bare request changes nothing.
#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

impl ConfirmForm {
    fn check(&self) -> Result<(), AppError> {
        (self.confirm == "yes")
            .then_some(())
            .ok_or(AppError::BadRequest)
    }
}

/// `POST /admin/users/{id}/sessions/revoke`: an administrator ends all of a user's sessions.
async fn end_all_of(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<UserId>,
    Form(form): Form<ConfirmForm>,
) -> PageResult {
    form.check()?;
    let ended = state.app.end_sessions_of(&ctx.principal(), id).await?;
    Ok(see_other(&format!("/admin/users/{id}?ended={ended}")))
}

/// `POST /admin/users/{id}/second-factor/reset`: an administrator removes a user's second
/// factor.
async fn reset_of(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<UserId>,
    Form(form): Form<ConfirmForm>,
) -> PageResult {
    form.check()?;
    state.app.reset_second_factor(&ctx.principal(), id).await?;
    Ok(see_other(&format!(
        "/admin/users/{id}?second_factor_reset=1"
    )))
}

/// What the second-factor page shows.
enum Shown {
    /// It is on: since when, how many recovery codes are left, the form to turn it off.
    On(SecondFactorStatus),
    /// Setting it up: the secret as QR code, as text and as an address, and the form for the
    /// first code.
    SetUp {
        secret: String,
        grouped: String,
        uri: String,
        qr: Option<Qr>,
    },
    /// Just turned on: the recovery codes, shown this once.
    Recovery(Vec<String>),
}

#[derive(Template)]
#[template(path = "users/second_factor.html")]
struct SecondFactorPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    shown: Shown,
    errors: Vec<String>,
    /// A sentence on what just happened.
    notice: Option<&'static str>,
    /// Administrators must have one and this one has none yet.
    required: bool,
}

impl SecondFactorPage<'_> {
    fn since(&self, status: &SecondFactorStatus) -> String {
        self.ctx.datetime(&status.enabled_at)
    }

    fn left(&self, status: &SecondFactorStatus) -> String {
        self.t.recovery_left(status.recovery_left)
    }
}

/// `otpauth://totp/Counterpart:name?secret=…`, what authenticator apps read from the QR code.
fn otpauth_uri(secret: &TotpSecret, account: &str) -> String {
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
        issuer = encode_component(ISSUER),
        account = encode_component(account),
        secret = secret.to_base32(),
    )
}

fn set_up(enrolment: &Enrolment) -> Shown {
    let uri = otpauth_uri(&enrolment.secret, &enrolment.account);
    Shown::SetUp {
        secret: enrolment.secret.to_base32(),
        grouped: enrolment.secret.grouped(),
        qr: qr(&uri),
        uri,
    }
}

fn required(state: &AppState, ctx: &Ctx) -> bool {
    state.app.config().require_second_factor_for_admins && ctx.is_admin() && !ctx.second_factor
}

#[derive(Deserialize)]
struct ShowQuery {
    off: Option<u8>,
}

/// `GET /account/second-factor`: the second factor when on, else a fresh secret to set up.
async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let who = ctx.principal();
    let shown = match state.app.own_second_factor(&who).await? {
        Some(status) => Shown::On(status),
        None => set_up(&state.app.start_second_factor(&who).await?),
    };
    let notice = q.off.map(|_| ctx.t().second_factor_disabled);
    Ok(render(
        &SecondFactorPage {
            t: ctx.t(),
            required: required(&state, &ctx),
            ctx: &ctx,
            shown,
            errors: Vec::new(),
            notice,
        },
        StatusCode::OK,
    ))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CodeForm {
    secret: String,
    code: String,
}

/// `POST /account/second-factor`: turns it on with the secret shown and a code of it.
async fn enable(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Form(form): Form<CodeForm>,
) -> PageResult {
    let who = ctx.principal();
    let t = ctx.t();
    match state
        .app
        .enable_second_factor(&who, &form.secret, &form.code)
        .await
    {
        Ok(codes) => Ok(render(
            &SecondFactorPage {
                t,
                ctx: &ctx,
                shown: Shown::Recovery(codes),
                errors: Vec::new(),
                notice: Some(t.second_factor_enabled),
                required: false,
            },
            StatusCode::OK,
        )),
        Err(Error::Invalid(errors)) => {
            // The same secret again, so that the app's entry stays right; a secret that is
            // not one (a tampered form) gets a fresh one.
            let account = state.app.start_second_factor(&who).await?;
            let enrolment = match TotpSecret::parse(&form.secret) {
                Ok(secret) => Enrolment {
                    secret,
                    account: account.account,
                },
                Err(_) => account,
            };
            let shown = match state.app.own_second_factor(&who).await? {
                Some(status) => Shown::On(status),
                None => set_up(&enrolment),
            };
            Ok(render(
                &SecondFactorPage {
                    t,
                    required: required(&state, &ctx),
                    ctx: &ctx,
                    shown,
                    errors: error_lines(&ctx, &errors),
                    notice: None,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /account/second-factor/disable`: turns it off with a current or recovery code.
async fn disable(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Form(form): Form<CodeForm>,
) -> PageResult {
    let who = ctx.principal();
    let t = ctx.t();
    let (errors, status, retry) = match state.app.disable_second_factor(&who, &form.code).await {
        Ok(SecondFactorOff::Done) => return Ok(see_other("/account/second-factor?off=1")),
        Ok(SecondFactorOff::Throttled(wait)) => (
            vec![format!(
                "{} {}.",
                t.second_factor_throttled,
                i18n::wait(ctx.lang, wait)
            )],
            StatusCode::TOO_MANY_REQUESTS,
            Some(wait.num_seconds().max(1)),
        ),
        Err(Error::Invalid(errors)) => (
            error_lines(&ctx, &errors),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
        Err(other) => return Err(other.into()),
    };
    let shown = match state.app.own_second_factor(&who).await? {
        Some(on) => Shown::On(on),
        None => set_up(&state.app.start_second_factor(&who).await?),
    };
    let mut response = render(
        &SecondFactorPage {
            t,
            required: required(&state, &ctx),
            ctx: &ctx,
            shown,
            errors,
            notice: None,
        },
        status,
    );
    if let Some(seconds) = retry {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
    }
    Ok(response.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_names_the_issuer_and_the_account() {
        let secret = TotpSecret::from_bytes([1; 20]);
        let uri = otpauth_uri(&secret, "k.schneider");
        assert_eq!(
            uri,
            format!(
                "otpauth://totp/Counterpart:k.schneider?secret={}&issuer=Counterpart\
                 &algorithm=SHA1&digits=6&period=30",
                secret.to_base32()
            )
        );
    }
}
