//! Recording what we learned about a partner person and the contacts with them, from the
//! quick forms on their page.

use axum::Form;
use axum::extract::{Path, State};
use counterpart_app::Error;
use counterpart_core::ids::PersonId;
use counterpart_core::insight::InsightFields;

use super::show::show_with_errors;
use crate::AppState;
use crate::ctx::Editor;
use crate::render::contacts::ContactForm;
use crate::render::forms::error_lines;
use crate::render::{PageResult, see_other};

pub(super) async fn record(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
    Form(fields): Form<InsightFields>,
) -> PageResult {
    match state
        .app
        .record_insight(&ctx.principal(), Some(id), None, &fields)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/people/{id}?saved=1#insights"))),
        Err(Error::Invalid(errors)) => {
            show_with_errors(&state, &ctx, id, error_lines(&ctx, &errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn log_contact(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (form, also) = match ContactForm::read(pairs) {
        Ok(read) => read,
        Err(errors) => {
            return show_with_errors(&state, &ctx, id, error_lines(&ctx, &errors)).await;
        }
    };
    match state
        .app
        .log_contact(
            &ctx.principal(),
            id,
            None,
            (&form.contact, &also),
            &form.learned,
        )
        .await
    {
        Ok(_) => Ok(see_other(&format!("/people/{id}?saved=1#contact-log"))),
        Err(Error::Invalid(errors)) => {
            show_with_errors(&state, &ctx, id, error_lines(&ctx, &errors)).await
        }
        Err(e) => Err(e.into()),
    }
}
