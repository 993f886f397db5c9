//! Erasure of one person (Art. 17 DSGVO): a confirmation page that names what will be removed,
//! what stays without their name and what stays as it is, section by section with counts, and
//! the erasure itself once the administrator ticked the confirmation.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use counterpart_app::Error;
use counterpart_app::erasure::ErasurePreview;
use counterpart_core::ids::PersonId;
use counterpart_store::registry::Erase;

use crate::AppState;
use crate::ctx::{Admin, Ctx};
use crate::i18n::Texts;
use crate::render::forms::error_lines;
use crate::render::{PageResult, page, render, see_other};

/// One line of the confirmation: a section and its count.
pub(super) struct CountLine {
    pub(super) title: &'static str,
    pub(super) table: &'static str,
    pub(super) count: String,
}

#[derive(Template)]
#[template(path = "privacy/erase.html")]
struct ErasePage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    person_id: PersonId,
    name: String,
    removed: Vec<CountLine>,
    changed: Vec<CountLine>,
    kept: Vec<CountLine>,
    blocked: bool,
    errors: Vec<String>,
}

fn erase_page<'a>(ctx: &'a Ctx, preview: &ErasurePreview, errors: Vec<String>) -> ErasePage<'a> {
    let t = ctx.t();
    let line = |c: &counterpart_store::ErasureCount| CountLine {
        title: t.access_section(&c.section),
        table: c.table,
        count: t.entries(c.rows),
    };
    let of = |want: fn(&Erase) -> bool| -> Vec<CountLine> {
        preview
            .plan
            .counts
            .iter()
            .filter(|c| want(&c.erase))
            .map(line)
            .collect()
    };
    ErasePage {
        ctx,
        t,
        person_id: preview.person.id,
        name: preview.person.display_name(),
        removed: of(|e| matches!(e, Erase::Delete)),
        changed: of(|e| matches!(e, Erase::Set(_) | Erase::Redact)),
        kept: of(|e| matches!(e, Erase::Keep)),
        blocked: preview.plan.blocked_by.is_some(),
        errors,
    }
}

/// `GET /privacy/people/{id}/erase`: what erasing would do, and the confirmation.
pub(super) async fn confirm(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<PersonId>,
) -> PageResult {
    let preview = state.app.erasure_preview(&ctx.principal(), id).await?;
    Ok(page(&erase_page(&ctx, &preview, Vec::new())))
}

/// `POST /privacy/people/{id}/erase`: erases the person when `confirm=yes` came along, else
/// shows the confirmation again naming the box (422).
pub(super) async fn erase(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<PersonId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let confirmed = pairs.iter().any(|(k, v)| k == "confirm" && v == "yes");
    let t = ctx.t();
    match state
        .app
        .erase_person(&ctx.principal(), id, confirmed, t.former_colleague)
        .await
    {
        Ok(_) => Ok(see_other("/privacy?erased=1")),
        Err(Error::Invalid(errors)) => {
            let preview = state.app.erasure_preview(&ctx.principal(), id).await?;
            Ok(render(
                &erase_page(&ctx, &preview, error_lines(&ctx, &errors)),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}
