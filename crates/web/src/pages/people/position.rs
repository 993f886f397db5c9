//! A person's new position: promotion, move, change of employer, from a day on.

use axum::Form;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use counterpart_app::people::PositionFields;
use counterpart_core::ids::{OrganizationId, PersonId};
use counterpart_core::person::PersonFields;
use serde::Deserialize;

use super::form::{Choices, choices_of};
use crate::AppState;
use crate::ctx::{Ctx, Editor};
use crate::error::AppError;
use crate::render::forms::{FormPage, organization_field, rejected, unit_field};
use crate::render::picker::PickScope;
use crate::render::{Field, FormState, PageResult, page, see_other};

/// The raw values of the new-position form.
#[derive(Deserialize, Default)]
pub(super) struct PositionForm {
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    job_title: String,
    #[serde(default)]
    level_id: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    version: i64,
}

impl PositionForm {
    /// The fields for the use case.
    fn fields(&self) -> PositionFields {
        PositionFields {
            organization_id: self.organization_id.clone(),
            unit_id: self.unit_id.clone(),
            job_title: self.job_title.clone(),
            level_id: self.level_id.clone(),
            valid_from: self.valid_from.clone(),
        }
    }
}

/// The new-position form's fields; choosing another organization reloads them.
async fn position_state(
    state: &AppState,
    ctx: &Ctx,
    person: PersonId,
    v: &PositionForm,
) -> Result<FormState, AppError> {
    let t = ctx.t();
    let org_id = v.organization_id.parse::<OrganizationId>().ok();
    let offered = state
        .app
        .position_choices(&ctx.principal(), org_id, v.unit_id.trim().parse().ok())
        .await?;
    let current = PersonFields {
        unit_id: v.unit_id.clone(),
        ..Default::default()
    };
    let c = match (org_id, offered.within) {
        (Some(org), Some(within)) => choices_of(ctx, org, &current, within),
        _ => Choices::none(),
    };
    // Choosing another organization reloads the form with that organization's units.
    let organization = organization_field(
        t,
        (
            "organization_id",
            t.field_new_organization,
            PickScope::Organizations,
        ),
        &v.organization_id,
        offered.organizations,
        None,
        &format!("/people/{person}/position"),
    )
    .required();
    Ok(FormState::new(vec![
        organization,
        unit_field(
            "unit_id",
            t.field_unit,
            &v.unit_id,
            c.units,
            Some(t.none_option),
            |n| n.unit.active,
        ),
        Field::text("job_title", t.field_job_title, &v.job_title),
        Field::select("level_id", t.field_level, &v.level_id, c.levels),
        Field::input("date", "valid_from", t.field_valid_from, &v.valid_from)
            .required()
            .hint(t.field_valid_from_hint),
        Field::hidden("version", v.version.to_string()),
    ]))
}

/// The new-position page.
fn position_page<'a>(ctx: &'a Ctx, name: String, id: PersonId, form: FormState) -> FormPage<'a> {
    let t = ctx.t();
    FormPage {
        ctx,
        t,
        crumbs: vec![
            (t.nav_people.to_owned(), "/people".to_owned()),
            (name, format!("/people/{id}")),
        ],
        heading: t.new_position_title.to_owned(),
        intro: Some(t.new_position_intro),
        action: format!("/people/{id}/position"),
        submit: t.save,
        cancel: format!("/people/{id}"),
        form,
    }
}

pub(super) async fn position_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
    Query(q): Query<PositionForm>,
) -> PageResult {
    let person = state.app.person(&ctx.principal(), id).await?;
    // A reload after choosing another organization keeps what was typed; a fresh form starts
    // from the current position.
    let values = if q.organization_id.is_empty() {
        PositionForm {
            organization_id: person.organization_id.to_string(),
            unit_id: person.unit_id.map(|u| u.to_string()).unwrap_or_default(),
            job_title: person.job_title.clone().unwrap_or_default(),
            level_id: person.level_id.map(|l| l.to_string()).unwrap_or_default(),
            valid_from: Utc::now().date_naive().format("%Y-%m-%d").to_string(),
            version: person.version,
        }
    } else {
        PositionForm {
            version: if q.version == 0 {
                person.version
            } else {
                q.version
            },
            ..q
        }
    };
    let form = position_state(&state, &ctx, person.id, &values).await?;
    Ok(page(&position_page(
        &ctx,
        person.display_name(),
        person.id,
        form,
    )))
}

pub(super) async fn change_position(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
    Form(values): Form<PositionForm>,
) -> PageResult {
    let who = ctx.principal();
    let person = state.app.person(&who, id).await?;
    let result = state
        .app
        .change_position(&who, person.id, values.version, &values.fields())
        .await;
    let form = match result {
        Ok(_) => return Ok(see_other(&format!("/people/{}?saved=1", person.id))),
        Err(error) => position_state(&state, &ctx, person.id, &values)
            .await?
            .refused(&ctx, error, person.version)?,
    };
    Ok(rejected(&position_page(
        &ctx,
        person.display_name(),
        person.id,
        form,
    )))
}
