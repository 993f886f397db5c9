//! Assigning a counterpart from a person page, from either side: one of ours to a partner
//! person, or a partner person to one of ours. Problems show on the person page.

use axum::Form;
use axum::extract::{Path, State};
use counterpart_app::Error;
use counterpart_app::counterparts::AssignmentFields;
use counterpart_core::ids::PersonId;

use super::show::show_with_errors;
use crate::AppState;
use crate::ctx::Editor;
use crate::render::forms::error_lines;
use crate::render::{PageResult, see_other};

/// Assigns from either side; the person in the path decides which side the other is on.
pub(super) async fn assign(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
    Form(form): Form<AssignmentFields>,
) -> PageResult {
    match state
        .app
        .assign_counterpart(&ctx.principal(), id, &form)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/people/{id}?saved=1#counterparts"))),
        Err(Error::Invalid(errors)) => {
            show_with_errors(&state, &ctx, id, error_lines(&ctx, &errors)).await
        }
        Err(e) => Err(e.into()),
    }
}
