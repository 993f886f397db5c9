//! How many counterparts one of ours can hold, set on their person page. Problems show on
//! the person page.

use axum::Form;
use axum::extract::{Path, State};
use counterpart_app::Error;
use counterpart_core::ids::PersonId;
use serde::Deserialize;

use super::show::show_with_errors;
use crate::AppState;
use crate::ctx::Editor;
use crate::i18n;
use crate::render::{PageResult, see_other};

/// The capacity as typed; empty for the default of their level.
#[derive(Deserialize)]
pub(super) struct CapacityForm {
    #[serde(default)]
    capacity: String,
}

pub(super) async fn set_capacity(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
    Form(form): Form<CapacityForm>,
) -> PageResult {
    match state
        .app
        .set_capacity(&ctx.principal(), id, &form.capacity)
        .await
    {
        Ok(()) => Ok(see_other(&format!("/people/{id}?saved=1#capacity"))),
        Err(Error::Invalid(errors)) => {
            let lines = errors
                .0
                .iter()
                .map(|e| {
                    let problem = i18n::problem(ctx.lang, &e.problem);
                    format!("{}: {problem}", ctx.t().field_capacity)
                })
                .collect();
            show_with_errors(&state, &ctx, id, lines).await
        }
        Err(e) => Err(e.into()),
    }
}
