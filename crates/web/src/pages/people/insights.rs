//! Recording what we learned about a partner person, from the quick form on their page.

use axum::Form;
use axum::extract::{Path, State};
use counterpart_app::Error;
use counterpart_core::ids::PersonId;
use counterpart_core::insight::InsightFields;

use super::show::show_with_errors;
use crate::AppState;
use crate::ctx::Editor;
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
