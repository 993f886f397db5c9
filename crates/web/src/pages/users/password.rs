//! Every user's own password: the current one, the new one twice.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Form, Router};
use counterpart_app::Error;
use counterpart_store::OwnPassword;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::error::AppError;
use crate::i18n;
use crate::render::forms::{FormPage, rejected};
use crate::render::{Field, FormState, PageResult, page, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/account/password", get(form).post(change))
}

#[derive(Deserialize)]
struct Query {
    changed: Option<u8>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    password: String,
    password_repeat: String,
}

fn fields(ctx: &Ctx) -> FormState {
    let t = ctx.t();
    FormState::new(vec![
        Field::input("password", "current_password", t.field_current_password, "")
            .required()
            .autocomplete("current-password"),
        Field::input("password", "password", t.field_new_password, "")
            .required()
            .autocomplete("new-password"),
        Field::input("password", "password_repeat", t.field_password_repeat, "")
            .required()
            .autocomplete("new-password"),
    ])
}

fn form_page<'a>(ctx: &'a Ctx, form: FormState, intro: &'static str) -> FormPage<'a> {
    let t = ctx.t();
    FormPage {
        ctx,
        t,
        crumbs: Vec::new(),
        heading: t.own_password_title.to_owned(),
        intro: Some(intro),
        action: "/account/password".to_owned(),
        submit: t.save,
        cancel: "/".to_owned(),
        form,
    }
}

async fn form(
    Viewer(ctx): Viewer,
    axum::extract::Query(q): axum::extract::Query<Query>,
) -> PageResult {
    let t = ctx.t();
    let intro = if q.changed.is_some() {
        t.own_password_changed
    } else {
        t.own_password_intro
    };
    Ok(page(&form_page(&ctx, fields(&ctx), intro)))
}

async fn change(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Form(values): Form<PasswordForm>,
) -> PageResult {
    let keep = ctx.session_token.clone().ok_or(AppError::Unauthenticated)?;
    let outcome = state
        .app
        .change_own_password(
            &ctx.principal(),
            &values.current_password,
            &values.password,
            &values.password_repeat,
            &keep,
        )
        .await;
    let t = ctx.t();
    let form = match outcome {
        Ok(OwnPassword::Changed(_)) => return Ok(see_other("/account/password?changed=1")),
        Ok(OwnPassword::Throttled(wait)) => {
            let mut errors = counterpart_core::validate::FieldErrors::default();
            errors.add(
                "current_password",
                counterpart_core::validate::Problem::WrongPassword,
            );
            let mut form = fields(&ctx).with_errors(&ctx, &errors);
            form.conflict = Some(format!(
                "{} {}.",
                t.password_throttled,
                i18n::wait(ctx.lang, wait)
            ));
            let page = form_page(&ctx, form, t.own_password_intro);
            return Ok(render(&page, StatusCode::TOO_MANY_REQUESTS));
        }
        Ok(OwnPassword::Busy) => {
            let mut form = fields(&ctx);
            form.conflict = Some(t.login_busy.to_owned());
            let page = form_page(&ctx, form, t.own_password_intro);
            return Ok(render(&page, StatusCode::SERVICE_UNAVAILABLE));
        }
        Err(Error::Invalid(errors)) => fields(&ctx).with_errors(&ctx, &errors),
        Err(e) => return Err(e.into()),
    };
    Ok(rejected(&form_page(&ctx, form, t.own_password_intro)))
}
